"""Repeater chains: waiting times, fidelity and key rate of nested swap-asap chains.

A chain of 2ⁿ elementary segments follows the nested (doubling) protocol of Briegel et
al. (1998) and Dür et al. (1999): each segment generates a pair by repeated heralded
attempts; as soon as two adjacent blocks both hold a pair, the node between them swaps
(swap-asap). At nesting level k a swap joins two blocks of 2^(k−1) segments. A swap
succeeds with probability q; when it fails, both blocks start again from scratch. With
``purification_rounds`` r, each elementary pair is first distilled from 2^r pairs of the
same segment by r rounds of recurrence purification (generated in parallel).

Waiting times obey the recursion (Brand, Coopmans and Elkouss 2020)

    T_k = Σ_{j=1}^{N} D_j,  D_j = max(T_{k−1}^{(j)}, T'_{k−1}^{(j)}) + δ_k,

with N the number of rounds until the first success and δ_k the one-way delay of the
classical message that tells the block's end nodes the outcome. The earlier pair waits
|T − T'| in memory and decays (:mod:`qnetlab.repeaters.memory`). A cut-off τ discards a
pair that would wait longer than τ: the round then lasts min(T, T') + τ and both blocks
start again.

Two simulators implement this protocol: a vectorised NumPy one (all samples of one
level at once) and an event-by-event reference (a priority queue of attempts, deliveries
and cut-off timers, one Bernoulli draw per attempt). Tests check that they agree, and
that with deterministic swaps and perfect memories the waiting time is the maximum of
the 2ⁿ geometric link times, whose mean
:func:`~qnetlab.repeaters.waiting_times.expected_waiting_time` gives exactly (the waiting-time
formulas live in :mod:`qnetlab.repeaters.waiting_times`).

>>> round(expected_waiting_time(2, 0.5), 6)  # (3 - 2p) / (p (2 - p))
2.666667
>>> t = sample_waiting_times(4, 0.2, 20_000, seed=1)
>>> bool(abs(t.mean() - expected_waiting_time(4, 0.2)) < 0.15)
True
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_choice,
    check_in_range,
    check_integer,
    check_memory,
    check_non_negative,
    check_probability,
    make_rng,
)
from ..channels import fiber_delay
from ..plotting_results import plot_distribution
from ..qkd.theory import bbm92_werner_rate
from ..results import ResultMixin, deprecated_alias
from .bell_diagonal import convolve_rows, decay_rows, purify_rows
from .links import ElementaryLink
from .memory import MEMORY_MODELS, _check_coherence_time
from .purification import PURIFICATION_PROTOCOLS
from .swapping import bsm_error_probabilities
from .waiting_times import (  # re-exported: defined here before the split (issue 17)
    expected_waiting_time as expected_waiting_time,
)
from .waiting_times import (
    expected_waiting_time_nested as expected_waiting_time_nested,
)
from .waiting_times import (
    nested_waiting_time_pmf as nested_waiting_time_pmf,
)
from .waiting_times import (
    sample_waiting_times as sample_waiting_times,
)

__all__ = [
    "ChainResult",
    "ChainTimeoutError",
    "simulate_chain",
]


# --- The protocol and its two simulators -------------------------------------------------


@dataclass(frozen=True)
class _Protocol:
    link: ElementaryLink
    n_levels: int
    swap_probability: float
    bsm_noise: np.ndarray
    coherence_time_s: float
    memory: str
    cutoff: float | None
    purification_rounds: int
    purification: str
    delays: tuple[float, ...]  # message delay of each operation, bottom-up
    ops: tuple[str, ...]  # "purify" or "swap", bottom-up

    def decay(self, c: np.ndarray, t: np.ndarray) -> np.ndarray:
        return decay_rows(c, t, self.coherence_time_s, self.memory)

    def operate(self, op: str, c1: np.ndarray, c2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Output coefficients and success probability of an operation on rows (n, 4)."""
        if op == "swap":
            out = convolve_rows(c1, c2)
            if self.bsm_noise[0] < 1.0:
                out = convolve_rows(out, self.bsm_noise)
            return out, np.full(out.shape[:-1], self.swap_probability)
        return purify_rows(c1, c2, self.purification)


def _make_protocol(
    n_segments: int,
    link: ElementaryLink,
    *,
    swap_probability: float,
    swap_gate_noise: float,
    swap_measurement_noise: float,
    coherence_time_s: float,
    memory: str,
    cutoff: float | None,
    purification_rounds: int,
    purification: str,
    classical_communication: bool,
) -> _Protocol:
    n_seg = check_integer(n_segments, "n_segments", minimum=1)
    levels = n_seg.bit_length() - 1
    if 2**levels != n_seg:
        raise ValueError(f"n_segments must be a power of 2 (nested protocol), got {n_seg}")
    if not link.success_probability > 0:
        raise ValueError("link.success_probability must be in (0, 1]")
    if not link.attempt_time > 0:
        raise ValueError(f"link.attempt_time must be positive (> 0), got {link.attempt_time}")
    q = check_in_range(swap_probability, "swap_probability", 0.0, 1.0, low_inclusive=False)
    tc = _check_coherence_time(coherence_time_s)
    check_choice(memory, "memory", MEMORY_MODELS)
    cut = None if cutoff is None else check_non_negative(cutoff, "cutoff")
    r = check_integer(purification_rounds, "purification_rounds", minimum=0)
    check_choice(purification, "purification", PURIFICATION_PROTOCOLS)
    ops = ("purify",) * r + ("swap",) * levels
    seg = link.length_km
    if classical_communication:
        delays = (fiber_delay(seg),) * r + tuple(
            fiber_delay(seg * 2 ** (k - 1)) for k in range(1, levels + 1)
        )
    else:
        delays = (0.0,) * (r + levels)
    return _Protocol(
        link=link,
        n_levels=levels,
        swap_probability=q,
        bsm_noise=bsm_error_probabilities(swap_gate_noise, swap_measurement_noise),
        coherence_time_s=tc,
        memory=memory,
        cutoff=cut,
        purification_rounds=r,
        purification=purification,
        delays=delays,
        ops=ops,
    )


class ChainTimeoutError(RuntimeError):
    """Raised when a chain needs more rounds than ``max_rounds`` (e.g. a cut-off too short).

    Examples
    --------
    >>> from qnetlab.repeaters import elementary_link
    >>> link = elementary_link(0.01, attempt_time=1.0)
    >>> try:
    ...     simulate_chain(2, link, cutoff=0.0, n_samples=5, max_rounds=3, seed=0)
    ... except ChainTimeoutError as err:
    ...     print(type(err).__name__)
    ChainTimeoutError
    """


#: Most operation attempts simulated in one batch at one level (bounds the memory used).
_BATCH = 1 << 17


def _rows_of(c: np.ndarray, sel: Any) -> np.ndarray:
    """Rows ``sel`` of coefficients ``c``; a single row (1, 4) stands for all rows."""
    return c if c.shape[0] == 1 else c[sel]


def _vectorised(
    proto: _Protocol, n: int, rng: np.random.Generator, max_rounds: int
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` deliveries, simulated one batch of attempts per level (not one per round).

    Attempts are i.i.d., so those of all samples form one stream: sample i takes the
    rounds after the (i−1)-th success up to the i-th. Decay and swapping are commuting
    Pauli channels: a swapped pair decays once, by |T − T′| plus the message delay.
    """
    link = proto.link

    def produce(level: int, m: int) -> tuple[np.ndarray, np.ndarray]:
        if level == 0:
            k = rng.geometric(link.success_probability, size=m)
            return k * link.attempt_time, link.coefficients[None, :]
        op, delay, cut = proto.ops[level - 1], proto.delays[level - 1], proto.cutoff
        totals, outs = [], []
        n_ok = n_att = trailing = 0  # trailing: failed rounds since the last success
        carry, longest = 0.0, 0  # their duration; the most rounds of a sample so far
        p_est = proto.swap_probability if op == "swap" else 1.0
        while n_ok < m and longest <= max_rounds and trailing < max_rounds:
            need = m - n_ok
            b = min(_BATCH, math.ceil((need + 3.0 * math.sqrt(need) + 1.0) / p_est))
            t, c = produce(level - 1, 2 * b)
            t1, t2 = t[:b], t[b:]
            c1, c2 = _rows_of(c, slice(0, b)), _rows_of(c, slice(b, None))
            t_late, gap = np.maximum(t1, t2), np.abs(t1 - t2)
            p_success = proto.swap_probability
            if op == "purify":
                c1, c2 = proto.decay(c1, t_late - t1), proto.decay(c2, t_late - t2)
                out, p_success = purify_rows(c1, c2, proto.purification)
            ok = rng.random(b) < p_success
            duration = t_late + delay
            if cut is not None:
                violated = gap > cut
                ok &= ~violated
                duration = np.where(violated, t_late - gap + cut, duration)
            hits = np.flatnonzero(ok)[:need]
            if op == "swap":
                out = proto.operate(op, _rows_of(c1, hits), _rows_of(c2, hits))[0]
                outs.append(proto.decay(out, gap[hits] + delay))
            else:
                outs.append(proto.decay(_rows_of(out, hits), np.full(hits.size, delay)))
            n_ok, n_att = n_ok + hits.size, n_att + b
            if hits.size:  # sample i: the rounds after success i − 1 up to success i
                starts = np.concatenate([[0], hits[:-1] + 1])
                totals.append(np.add.reduceat(duration[: hits[-1] + 1], starts))
                totals[-1][0] += carry
                longest = max(
                    longest, trailing + int(hits[0]) + 1, int(np.diff(hits).max(initial=0))
                )
                carry, trailing = float(duration[hits[-1] + 1 :].sum()), b - 1 - int(hits[-1])
            else:
                carry, trailing = carry + float(duration.sum()), trailing + b
            p_est = max(n_ok / n_att, p_est / 16.0, 1.0 / _BATCH)
        if n_ok < m or longest > max_rounds:
            raise ChainTimeoutError(
                f"level {level} needed more than max_rounds={max_rounds} rounds; "
                "the cutoff is too short or the links too weak to deliver"
            )
        total = np.concatenate(totals)
        if math.isinf(proto.coherence_time_s):  # no decay: every pair alike
            return total, outs[0]
        return total, np.concatenate(outs)

    t, c = produce(proto.n_levels + proto.purification_rounds, n)
    return t, np.array(np.broadcast_to(c, (n, 4)))


class _Node:
    __slots__ = ("children", "delay", "epoch", "index", "leaves", "level", "op", "parent", "slots")

    def __init__(self, level: int, proto: _Protocol, parent: _Node | None, index: int) -> None:
        self.level, self.parent, self.index, self.epoch = level, parent, index, 0
        self.slots: list[tuple[float, np.ndarray] | None] = [None, None]
        if level == 0:
            self.op, self.delay, self.children = "link", 0.0, ()
            self.leaves: list[_Node] = [self]
        else:
            self.op, self.delay = proto.ops[level - 1], proto.delays[level - 1]
            self.children = (_Node(level - 1, proto, self, 0), _Node(level - 1, proto, self, 1))
            self.leaves = self.children[0].leaves + self.children[1].leaves

    def subtree(self) -> list[_Node]:
        out = [self]
        for c in self.children:
            out += c.subtree()
        return out


def _reference_one(
    proto: _Protocol, root: _Node, rng: np.random.Generator, max_rounds: int
) -> tuple[float, np.ndarray]:
    """One delivered pair, simulated event by event (one Bernoulli draw per attempt)."""
    tau, p = proto.link.attempt_time, proto.link.success_probability
    link_c = proto.link.coefficients[None, :]
    heap: list[tuple[float, int, int, str, _Node, int, Any]] = []
    counter = 0

    def push(t: float, prio: int, kind: str, node: _Node, payload: Any = None) -> None:
        nonlocal counter
        counter += 1
        heapq.heappush(heap, (t, prio, counter, kind, node, node.epoch, payload))

    restarts = 0

    def restart(node: _Node, t0: float) -> None:
        nonlocal restarts
        restarts += 1
        if restarts > max_rounds * (2 ** (root.level + 1)):
            raise ChainTimeoutError(
                f"more than max_rounds={max_rounds} rounds per operation; the cutoff is "
                "too short or the links too weak to deliver"
            )
        for nd in node.subtree():
            nd.epoch += 1
            nd.slots = [None, None]
        for leaf in node.leaves:
            push(t0 + tau, 0, "attempt", leaf)

    def deliver(node: _Node, t: float, c: np.ndarray) -> tuple[float, np.ndarray] | None:
        if node.parent is None:
            return t, c[0]
        par = node.parent
        par.slots[node.index] = (t, c)
        other = par.slots[1 - node.index]
        if other is None:
            if proto.cutoff is not None:
                push(t + proto.cutoff, 1, "timeout", par)
            return None
        t_other, c_other = other
        c_other = proto.decay(c_other, np.array([t - t_other]))
        pair = (c, c_other) if node.index == 0 else (c_other, c)
        out, p_success = proto.operate(par.op, pair[0], pair[1])
        par.epoch += 1
        par.slots = [None, None]
        if rng.random() < p_success[0]:
            push(t + par.delay, 0, "deliver", par, proto.decay(out, np.array([par.delay])))
        else:
            restart(par, t + par.delay)
        return None

    restart(root, 0.0)
    while heap:
        t, _, _, kind, node, epoch, payload = heapq.heappop(heap)
        if epoch != node.epoch:
            continue
        done = None
        if kind == "attempt":
            if rng.random() < p:
                done = deliver(node, t, link_c)
            else:
                push(t + tau, 0, "attempt", node)
        elif kind == "deliver":
            done = deliver(node, t, payload)
        elif kind == "timeout" and sum(s is not None for s in node.slots) == 1:
            restart(node, t)
        if done is not None:
            return done
    raise RuntimeError("event queue emptied before delivery")  # pragma: no cover


@dataclass(frozen=True)
class ChainResult(ResultMixin):
    """Delivered end-to-end pairs of a simulated repeater chain.

    Returned by :func:`simulate_chain`; ``attempts`` is the waiting time in attempt times.
    Key figures: ``secret_bits_per_pair`` (BBM92 bits per delivered pair), ``key_rate``
    (bits per second) and ``key_rate_per_channel_use`` (bits per attempt and mode).

    Parameters
    ----------
    n_segments : int
        Segments of the chain.
    link : ElementaryLink
        The elementary link of every segment.
    waiting_time : numpy.ndarray
        Time until each delivery (s), including classical messages if enabled.
    coefficients : numpy.ndarray
        Bell-diagonal coefficients (Φ+ first) of each delivered pair, shape (n, 4).
    method : str, optional
        The simulator that produced them.

    Examples
    --------
    >>> from qnetlab.repeaters import elementary_link
    >>> res = simulate_chain(2, elementary_link(1.0, fidelity=0.9), n_samples=10, seed=0)
    >>> res.attempts.tolist()[:3], round(res.mean_fidelity, 4)
    ([1.0, 1.0, 1.0], 0.8133)
    >>> res.secret_bits_per_pair  # below BBM92's fidelity threshold: no key
    0.0
    """

    n_segments: int
    link: ElementaryLink
    waiting_time: np.ndarray = field(repr=False)
    coefficients: np.ndarray = field(repr=False)
    method: str = "vectorised"

    @property
    def attempts(self) -> np.ndarray:
        return self.waiting_time / self.link.attempt_time

    @property
    def fidelity(self) -> np.ndarray:
        """Fidelity to Φ+ of every delivered pair."""
        return self.coefficients[:, 0]

    @property
    def mean_waiting_time(self) -> float:
        return float(self.waiting_time.mean())

    @property
    def waiting_time_std_error(self) -> float:
        n = self.waiting_time.size
        return float(self.waiting_time.std(ddof=1) / np.sqrt(n)) if n > 1 else np.inf

    @property
    def mean_fidelity(self) -> float:
        return float(self.fidelity.mean())

    @property
    def rate(self) -> float:
        """Delivered pairs per second (renewal theory: 1 / mean waiting time)."""
        return 1.0 / self.mean_waiting_time

    @property
    def secret_bits_per_pair(self) -> float:
        """BBM92 secret bits per delivered pair (pairs twirled to Werner, mean fidelity)."""
        return float(bbm92_werner_rate(float(np.clip(self.mean_fidelity, 0.0, 1.0))))

    secret_fraction = deprecated_alias("secret_bits_per_pair", "secret bits per pair")

    @property
    def key_rate(self) -> float:
        """Secret bits per second."""
        return self.secret_bits_per_pair * self.rate

    @property
    def key_rate_per_channel_use(self) -> float:
        """Secret bits per use of an elementary channel (per attempt and mode)."""
        return self.secret_bits_per_pair / (self.link.n_modes * float(self.attempts.mean()))

    def __repr__(self) -> str:
        return (
            f"ChainResult(n_segments={self.n_segments}, samples={self.waiting_time.size}, "
            f"mean_attempts={float(self.attempts.mean()):.4g}, "
            f"mean_waiting_time={self.mean_waiting_time:.4g} s, "
            f"mean_fidelity={self.mean_fidelity:.4f}, method={self.method!r})"
        )

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Waiting-time histogram with its mean; ``kwargs`` go to :func:`.plot_distribution`."""
        mean, xlabel = {"mean": self.mean_waiting_time}, "waiting time (s)"
        return plot_distribution(self.waiting_time, ax=ax, xlabel=xlabel, vlines=mean, **kwargs)


def simulate_chain(
    n_segments: int,
    link: ElementaryLink,
    *,
    swap_probability: float = 1.0,
    swap_gate_noise: float = 0.0,
    swap_measurement_noise: float = 0.0,
    coherence_time_s: float = np.inf,
    memory: str = "depolarizing",
    cutoff: float | None = None,
    purification_rounds: int = 0,
    purification: str = "dejmps",
    classical_communication: bool = True,
    n_samples: int = 10_000,
    method: str = "vectorised",
    seed: SeedLike = None,
    progress: bool = False,
    max_rounds: int = 100_000,
) -> ChainResult:
    """Simulate ``n_samples`` deliveries of a 2ⁿ-segment nested swap-asap chain.

    ``link`` gives the elementary success probability, state and attempt time (all
    segments alike); ``coherence_time_s`` (seconds, pair decay time) and ``memory``
    (``"depolarizing"`` or ``"dephasing"``) set the memory decay; ``cutoff`` (seconds)
    discards pairs that would wait longer; ``purification_rounds`` rounds of
    ``purification`` distil each elementary pair; ``swap_gate_noise`` and
    ``swap_measurement_noise`` make the Bell measurement noisy (as in
    :func:`qnetlab.repeaters.swap_circuit`); ``classical_communication`` adds the one-way
    message delay of every swap and purification outcome. ``method`` is
    ``"vectorised"`` (NumPy, fast) or ``"reference"`` (event by event, slow; with
    ``progress=True`` it shows a tqdm bar). A :class:`ChainTimeoutError` is raised when an operation needs more than
    ``max_rounds`` rounds (a cut-off far below the link's waiting time never delivers).

    Parameters
    ----------
    n_segments : int
        Segments, a power of 2.
    link : ElementaryLink
        The elementary link of every segment.
    swap_probability : float, optional
        Success probability of one swap, in (0, 1].
    swap_gate_noise, swap_measurement_noise : float, optional
        Depolarising noise of the swap's gates and flip probability of its measurements.
    coherence_time_s : float, optional
        Memory coherence time (s); ``np.inf``: perfect memories.
    memory : {"depolarizing", "dephasing"}, optional
        Memory decay model.
    cutoff : float or None, optional
        Longest wait (s) of a pair for its partner.
    purification_rounds : int, optional
        Rounds of recurrence purification of each elementary pair, in [0, 64].
    purification : {"dejmps", "bbpssw"}, optional
        Purification protocol.
    classical_communication : bool, optional
        Add the one-way delay of every swap and purification message.
    n_samples : int, optional
        Deliveries to simulate, at least 1.
    method : {"vectorised", "reference"}, optional
        NumPy simulator or the event-by-event reference.
    seed : int, Generator or None, optional
        Randomness of the simulation.
    progress : bool, optional
        tqdm bar (reference method).
    max_rounds : int, optional
        Rounds per operation before :class:`ChainTimeoutError`.

    Returns
    -------
    ChainResult
        Waiting times and states of the delivered pairs.

    Raises
    ------
    ValueError
        If an argument is out of range.
    ChainTimeoutError
        If an operation needs more than ``max_rounds`` rounds.

    Examples
    --------
    >>> from qnetlab.repeaters import elementary_link
    >>> res = simulate_chain(4, elementary_link(0.3), n_samples=20_000, seed=2)
    >>> bool(abs(res.attempts.mean() - expected_waiting_time(4, 0.3)) < 0.1)
    True
    """
    if not isinstance(link, ElementaryLink):
        raise TypeError(f"link must be an ElementaryLink, got {type(link).__name__}")
    check_probability(swap_gate_noise, "swap_gate_noise")
    check_probability(swap_measurement_noise, "swap_measurement_noise")
    check_integer(purification_rounds, "purification_rounds", minimum=0, maximum=64)
    check_memory(
        200.0 * check_integer(n_samples, "n_samples", minimum=1),
        "n_samples",
        n_samples,
        hint="run several seeds and pool the samples",
    )
    proto = _make_protocol(
        n_segments,
        link,
        swap_probability=swap_probability,
        swap_gate_noise=swap_gate_noise,
        swap_measurement_noise=swap_measurement_noise,
        coherence_time_s=coherence_time_s,
        memory=memory,
        cutoff=cutoff,
        purification_rounds=purification_rounds,
        purification=purification,
        classical_communication=classical_communication,
    )
    m = check_integer(n_samples, "n_samples", minimum=1)
    check_choice(method, "method", ("vectorised", "reference"))
    cap = check_integer(max_rounds, "max_rounds", minimum=1)
    if proto.n_levels and proto.swap_probability * 1e3 * cap < 1.0:
        # each swap is retried about 1/swap_probability times: hopeless far beyond max_rounds
        raise ValueError(
            f"swap_probability must be >= 1/(1000 max_rounds) = {1e-3 / cap:.3g}, got "
            f"{proto.swap_probability:g}: a delivery would need about "
            f"{1.0 / proto.swap_probability:.3g} swap attempts"
        )
    rng = make_rng(seed)
    if method == "vectorised":
        t, c = _vectorised(proto, m, rng, cap)
    else:
        root = _Node(proto.n_levels + proto.purification_rounds, proto, None, 0)
        times, coeffs = np.empty(m), np.empty((m, 4))
        iterator: Any = range(m)
        if progress:
            from tqdm.auto import tqdm

            iterator = tqdm(iterator, desc="reference chain")
        for i in iterator:
            times[i], coeffs[i] = _reference_one(proto, root, rng, cap)
        t, c = times, coeffs
    return ChainResult(
        n_segments=2**proto.n_levels,
        link=link,
        waiting_time=t,
        coefficients=np.asarray(c),
        method=method,
    )
