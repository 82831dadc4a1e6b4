"""Prepare-and-measure qubit protocols: BB84, six-state and B92, end to end.

Each runner draws Alice's bits and bases and Bob's bases, sends every photon through the
physical layer (:mod:`qnetlab.qkd._engine`; ``backend="cirq"`` builds a Cirq circuit per
round, ``backend="numpy"`` samples the same statistics vectorised), applies loss and dark
counts of an optional :class:`~qnetlab.qkd.link.LinkModel`, sifts, and runs the
post-processing chain of :mod:`qnetlab.qkd.postprocessing`.

- BB84 (Bennett & Brassard 1984): bases Z and X; keep rounds with equal bases (½).
- Six-state (Bruß 1998): bases Z, X and Y; keep equal bases (⅓); higher noise threshold.
- B92 (Bennett 1992): Alice sends |0⟩ for 0 and |+⟩ for 1; Bob measures Z or X and keeps
  only the conclusive outcomes |1⟩ (so Alice sent |+⟩: bit 1) and |−⟩ (bit 0).

``depolarization=p`` applies ``cirq.depolarize(p)`` to each photon in the channel, so the
BB84 QBER is 2p/3.

>>> r = run_bb84(20_000, depolarization=0.03, seed=1)
>>> abs(r.qber - 0.02) < 0.005, r.aborted
(True, False)
>>> bool(np.array_equal(r.key_alice, r.key_bob))
True
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_choice,
    check_integer,
    check_memory,
    check_probability,
    make_rng,
    summary_block,
)
from ..results import ResultMixin, deprecated_alias
from ._detection import sample_sifted
from ._engine import X_AXIS, Y_AXIS, Z_AXIS, mutual_information, simulate_rounds
from ._security import SECURITY_DEFAULTS, check_detector, check_security, pulses_needed
from .attacks import Attack, PhotonNumberSplitting
from .circuits import bb84_round_circuit
from .link import LinkModel
from .postprocessing import postprocess

__all__ = [
    "BACKENDS",
    "THRESHOLDS",
    "BB84Result",
    "bb84_round_circuit",
    "run_b92",
    "run_bb84",
    "run_six_state",
]

BACKENDS: tuple[str, str] = ("numpy", "cirq")

#: Abort thresholds on the sampled QBER: Shor–Preskill 11 %, six-state (Lo 2001) 12.6 %;
#: B92 is held to a conservative 5 % (its proofs tolerate far less noise than BB84).
THRESHOLDS: dict[str, float] = {"bb84": 0.11, "six_state": 0.126, "b92": 0.05, "bbm92": 0.11}


@dataclass(frozen=True)
class BB84Result(ResultMixin):
    """Result of a prepare-and-measure (or entanglement-based) QKD run.

    Returned by :func:`run_bb84`, :func:`run_six_state` and :func:`run_b92`; the
    fields are:

    Parameters
    ----------
    protocol, backend
        what ran where.
    n_pulses
        pulses (rounds) sent.
    raw_length
        pulses Bob detected.
    sifted_length
        bits kept after sifting.
    qber
        error rate over *all* sifted bits (the simulator's ground truth).
    qber_estimate
        error rate on the published sample; ``qber_upper`` its finite-size
        upper bound used for privacy amplification.
    sample_length
        sifted bits sacrificed for estimation.
    leaked_bits
        bits disclosed by Cascade plus the verification hash.
    final_length
        length of the final secret key (0 after an abort).
    key_alice, key_bob
        the final keys (empty after an abort).
    aborted, abort_reason
        whether and why the protocol stopped.
    eve_information
        Eve's information on the sifted key, bits per sifted bit
        (plug-in mutual information from her records and the public data).
    eve
        the attack's name ("" without Eve).
    double_clicks
        pulses on which both of Bob's detectors clicked (squashed to a random bit).
    pulses_needed
        after an abort for too few bits: the estimated number of pulses at this
        link's sifted fraction and QBER that would give a key (0 otherwise).
    sifted_alice, sifted_bob
        the sifted keys, as fed to :func:`~qnetlab.qkd.postprocessing.postprocess`.

    Examples
    --------
    >>> r = run_bb84(20_000, depolarization=0.03, seed=1)
    >>> r.raw_length, r.sifted_length < r.raw_length, round(r.sifted_fraction, 1)
    (20000, True, 0.5)
    >>> 0 < r.final_length < r.sifted_length, bool(abs(r.qber - 0.02) < 0.005)
    (True, True)
    """

    protocol: str
    backend: str
    n_pulses: int
    raw_length: int
    sifted_length: int
    qber: float
    qber_estimate: float
    qber_upper: float
    sample_length: int
    leaked_bits: int
    final_length: int
    key_alice: np.ndarray = field(repr=False)
    key_bob: np.ndarray = field(repr=False)
    aborted: bool
    abort_reason: str
    eve_information: float
    eve: str = ""
    double_clicks: int = 0
    pulses_needed: int = 0
    sifted_alice: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8), repr=False)
    sifted_bob: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8), repr=False)

    @property
    def sifted_fraction(self) -> float:
        """Sifted bits per pulse."""
        return self.sifted_length / self.n_pulses

    @property
    def secret_bits_per_pulse(self) -> float:
        """Final secret bits per pulse sent."""
        return self.final_length / self.n_pulses

    secret_fraction = deprecated_alias("secret_bits_per_pulse", "final secret bits per pulse")

    @property
    def keys_match(self) -> bool:
        """True when both final keys exist and are identical."""
        return (not self.aborted) and bool(np.array_equal(self.key_alice, self.key_bob))

    def qber_std_error(self) -> float:
        """Binomial standard error of :attr:`qber`."""
        n = max(self.sifted_length, 1)
        return float(np.sqrt(max(self.qber * (1 - self.qber), 1.0 / n) / n))

    def _title(self) -> str:
        return "BB84Result"

    def __repr__(self) -> str:
        """Short, one-line form; :meth:`summary` lists every field.

        >>> run_bb84(20_000, seed=0)
        BB84Result(n_pulses=20000, sifted=..., qber=0.0000, final_length=..., aborted=False)
        """
        return (
            f"{self._title()}(n_pulses={self.n_pulses}, sifted={self.sifted_length}, "
            f"qber={self.qber:.4f}, final_length={self.final_length}, aborted={self.aborted})"
        )

    def _rows(self) -> list[tuple[str, Any]]:
        return [
            (f.name, getattr(self, f.name))
            for f in fields(self)
            if f.name not in ("key_alice", "key_bob", "sifted_alice", "sifted_bob")
        ]

    def summary(self) -> str:
        """Every field but the keys, one per line.

        Returns
        -------
        str
            A title line, then ``name  value`` lines.

        Examples
        --------
        >>> print(run_bb84(20_000, seed=0).summary())
        BB84Result
          protocol         'bb84'
          backend          'numpy'
          n_pulses         20000
        ...
          eve_information  0
          eve              ''
          double_clicks    0
          pulses_needed    0
        """
        return summary_block(self._title(), self._rows())


def _check_common(
    n_pulses: int,
    depolarization: float,
    eve: Any,
    backend: str,
    link: Any,
    *,
    click_fraction: float = 1.0,
) -> tuple[int, float]:
    n = check_integer(n_pulses, "n_pulses", minimum=1)
    # a few int64/bool arrays per pulse (per click for the click-first sampler)
    check_memory(
        64.0 * n * click_fraction,
        "n_pulses",
        n,
        hint="split the pulses over several runs (seeds) and add their counts",
    )
    p = check_probability(depolarization, "depolarization")
    check_choice(backend, "backend", BACKENDS)
    if eve is not None and not isinstance(eve, Attack):
        if isinstance(eve, PhotonNumberSplitting):
            raise ValueError(
                "eve=PhotonNumberSplitting needs multi-photon pulses; use run_decoy_bb84"
            )
        raise TypeError(
            f"eve must be an Attack (InterceptResend, PhaseCovariantCloner) or None, got {type(eve).__name__}"
        )
    if link is not None and not isinstance(link, LinkModel):
        raise TypeError(f"link must be a LinkModel or None, got {type(link).__name__}")
    if link is not None and link.depolarization > 0:
        # Two depolarising channels compose: Bloch shrink factors multiply.
        shrink = (1 - 4 * p / 3) * (1 - 4 * link.depolarization / 3)
        p = 0.75 * (1 - shrink)
    return n, p


def _clicks(
    n: int, link: LinkModel | None, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(click, photon) masks: photon arrived and was detected; click = photon or dark count."""
    if link is None:
        ones = np.ones(n, dtype=bool)
        return ones, ones
    photon = rng.random(n) < link.transmissivity
    dark = rng.random(n) < link.dark_count_prob
    return photon | dark, photon


def _finish(
    protocol: str,
    *,
    backend: str,
    n: int,
    raw: int,
    ka: np.ndarray,
    kb: np.ndarray,
    eve_info: float,
    eve: Attack | None,
    do_postprocess: bool,
    threshold: float | None,
    sample_fraction: float,
    rng: np.random.Generator,
    security: dict[str, Any] | None = None,
    double_clicks: int = 0,
) -> BB84Result:
    sec = SECURITY_DEFAULTS if security is None else security
    sifted = ka.size
    qber = float(np.mean(ka != kb)) if sifted else float("nan")
    thr = THRESHOLDS[protocol] if threshold is None else check_probability(threshold, "threshold")
    cost = "six_state" if protocol == "six_state" else "bb84"
    empty = np.zeros(0, dtype=np.int8)
    name = "" if eve is None else eve.name
    if not do_postprocess:
        return BB84Result(
            protocol,
            backend,
            n,
            raw,
            sifted,
            qber,
            float("nan"),
            float("nan"),
            0,
            0,
            0,
            empty,
            empty,
            False,
            "",
            eve_info,
            name,
            double_clicks,
            0,
            ka,
            kb,
        )
    pp = postprocess(
        ka, kb, threshold=thr, protocol=cost, sample_fraction=sample_fraction, seed=rng, **sec
    )
    reason, needed = pp.abort_reason, 0
    if pp.aborted and reason in ("too few sifted bits", "finite-size bound leaves no secret key"):
        needed = pulses_needed(n, sifted, qber, sample_fraction, cost, sec)
        if needed:
            reason += f"; a key needs about {needed:.2g} pulses at this sifted fraction and QBER"
    return BB84Result(
        protocol,
        backend,
        n,
        raw,
        sifted,
        qber,
        pp.qber_estimate,
        pp.qber_upper,
        pp.sample_length,
        pp.leaked_ec + pp.leaked_verification,
        pp.final_length,
        pp.key_alice,
        pp.key_bob,
        pp.aborted,
        reason,
        eve_info,
        name,
        double_clicks,
        needed,
        ka,
        kb,
    )


def _run_prepare_measure(
    protocol: str,
    *,
    n_pulses: int,
    depolarization: float,
    eve: Attack | None,
    backend: str,
    seed: SeedLike,
    link: LinkModel | None,
    do_postprocess: bool,
    threshold: float | None,
    sample_fraction: float,
    security: dict[str, Any] | None = None,
    mu: float | None = None,
    dead_time_s: float = 0.0,
    repetition_rate_hz: float | None = None,
    afterpulse_prob: float = 0.0,
    fast: bool = True,
) -> BB84Result:
    mu, dead, ap = check_detector(mu, dead_time_s, repetition_rate_hz, afterpulse_prob)
    detector = mu is not None or dead > 0 or ap > 0 or dead_time_s > 0
    sampler = eve is None and backend == "numpy" and protocol != "b92" and (fast or detector)
    clicks = 1.0
    if sampler and isinstance(link, LinkModel):
        photons = link.transmissivity * (1.0 if mu is None else mu)
        clicks = min(1.0, photons + link.dark_count_prob + 1e-6) * (1.0 + ap)
    n, p = _check_common(n_pulses, depolarization, eve, backend, link, click_fraction=clicks)
    rng = make_rng(seed)
    ed = 0.0 if link is None else link.misalignment
    if detector and (eve is not None or backend != "numpy" or protocol == "b92"):
        raise ValueError(
            "mu, dead_time_s and afterpulse_prob are modelled by the click-first sampler of "
            f"BB84 and six-state on backend='numpy' without eve; got protocol={protocol!r}, "
            f"backend={backend!r}, eve={None if eve is None else eve.name!r}"
        )
    if sampler:
        flip = 2.0 * p / 3.0
        raw, doubles, ka, kb = sample_sifted(
            n,
            n_bases=2 if protocol == "bb84" else 3,
            eta=1.0 if link is None else link.transmissivity,
            mu=mu,
            dark_prob=0.0 if link is None else link.dark_count_prob,
            error=ed * (1.0 - flip) + flip * (1.0 - ed),
            dead=dead,
            afterpulse_prob=ap,
            rng=rng,
        )
        return _finish(
            protocol,
            backend=backend,
            n=n,
            raw=raw,
            ka=ka,
            kb=kb,
            eve_info=0.0,
            eve=None,
            do_postprocess=do_postprocess,
            threshold=threshold,
            sample_fraction=sample_fraction,
            rng=rng,
            security=security,
            double_clicks=doubles,
        )
    if protocol == "b92":
        axes = [Z_AXIS, X_AXIS]
        bit = rng.integers(0, 2, size=n)
        a_axis = bit.copy()  # 0 -> |0> (Z, value 0); 1 -> |+> (X, value 0)
        a_value = np.zeros(n, dtype=np.int64)
        b_axis = rng.integers(0, 2, size=n)
        eve_axes = [0, 1]
        public = np.zeros(n, dtype=np.int64)
    else:
        axes = [Z_AXIS, X_AXIS] if protocol == "bb84" else [Z_AXIS, X_AXIS, Y_AXIS]
        k = len(axes)
        a_axis = rng.integers(0, k, size=n)
        a_value = rng.integers(0, 2, size=n)
        b_axis = rng.integers(0, k, size=n)
        eve_axes = list(range(k))
        public = a_axis
    out = simulate_rounds(
        axes,
        a_axis,
        b_axis,
        a_value,
        depolarization=p,
        misalignment=ed,
        eve=eve,
        eve_axes=eve_axes,
        public_axis=public,
        entangled=False,
        backend=backend,
        rng=rng,
    )
    click, photon = _clicks(n, link, rng)
    bob = np.where(photon, out.bob_value, rng.integers(0, 2, size=n)).astype(np.int8)
    if protocol == "b92":
        keep = click & (bob == 1)
        ka = bit[keep].astype(np.int8)
        kb = np.where(b_axis[keep] == 0, 1, 0).astype(np.int8)
        groups = np.zeros(int(keep.sum()), dtype=np.int64)
    else:
        keep = click & (a_axis == b_axis)
        ka = a_value[keep].astype(np.int8)
        kb = bob[keep]
        groups = a_axis[keep]
    eve_info = 0.0
    if eve is not None and ka.size:
        data = out.eve_choice[keep] * 2 + out.eve_value[keep]
        eve_info = mutual_information(ka, data, groups)
    return _finish(
        protocol,
        backend=backend,
        n=n,
        raw=int(click.sum()),
        ka=ka,
        kb=kb,
        eve_info=eve_info,
        eve=eve,
        do_postprocess=do_postprocess,
        threshold=threshold,
        sample_fraction=sample_fraction,
        rng=rng,
        security=security,
    )


def run_bb84(
    n_pulses: int,
    *,
    depolarization: float = 0.0,
    eve: Attack | None = None,
    backend: str = "numpy",
    seed: SeedLike = None,
    link: LinkModel | None = None,
    postprocess: bool = True,
    threshold: float | None = None,
    sample_fraction: float = 0.1,
    epsilon_pe: float = 1e-10,
    epsilon_pa: float = 1e-10,
    verification_bits: int = 40,
    cascade_passes: int = 4,
    mu: float | None = None,
    dead_time_s: float = 0.0,
    repetition_rate_hz: float | None = None,
    afterpulse_prob: float = 0.0,
) -> BB84Result:
    """Run BB84 (Bennett & Brassard 1984) over a depolarising channel and optional link.

    Bases Z and X; sifting keeps the rounds with equal bases (½).

    Parameters
    ----------
    n_pulses : int
        Photons (pulses) Alice sends, at least 1.
    depolarization : float, optional
        ``cirq.depolarize(p)`` on each photon in the channel, p in [0, 1] (QBER 2p/3).
    eve : Attack or None, optional
        An attack (:class:`~qnetlab.qkd.attacks.InterceptResend`,
        :class:`~qnetlab.qkd.attacks.PhaseCovariantCloner`) or None.
    backend : {"numpy", "cirq"}, optional
        ``"numpy"`` (vectorised; without Eve the click-first sampler of
        :mod:`qnetlab.qkd._detection`) or ``"cirq"`` (a Cirq circuit per round).
    seed : int, Generator or None, optional
        Randomness of the run.
    link : LinkModel or None, optional
        A :class:`~qnetlab.qkd.link.LinkModel` adding loss, detector efficiency, dark
        counts (Y₀ per pulse, shared by Bob's two detectors), misalignment and its own
        depolarisation.
    postprocess : bool, optional
        Run estimation, Cascade, verification and privacy amplification. Without it the
        sifted keys are still returned (``sifted_alice``, ``sifted_bob``).
    threshold : float or None, optional
        Abort threshold on the sampled QBER (default 11 %, Shor–Preskill).
    sample_fraction : float, optional
        Fraction of the sifted bits published for estimation, in (0, 1).
    epsilon_pe, epsilon_pa : float, optional
        Security parameters of parameter estimation and privacy amplification, in
        (0, 1), passed to :func:`~qnetlab.qkd.postprocessing.postprocess` (default 1e-10).
    verification_bits : int, optional
        Length of the verification hash, passed to ``postprocess`` (default 40).
    cascade_passes : int, optional
        Passes of Cascade, passed to ``postprocess`` (default 4).
    mu : float or None, optional
        Mean photon number of a weak coherent (Poisson) source, in (0, 100]; None (the
        default) sends single photons. Multi-photon pulses split between Bob's detectors
        in the wrong basis: double clicks, squashed to a random bit.
    dead_time_s : float, optional
        Dead time of each of Bob's two detectors (seconds, >= 0; non-paralysable): after
        a click the detector misses the pulses of the next ⌈τ f⌉ − 1 slots.
    repetition_rate_hz : float or None, optional
        Pulse rate f (Hz, > 0); needed when ``dead_time_s`` > 0.
    afterpulse_prob : float, optional
        Probability in [0, 1] that a click is followed by a spurious click of the same
        detector in the first slot after its dead time (a random bit for that slot).

    Returns
    -------
    BB84Result
        Sifted and final keys, QBER, abort decision and counts. An abort for too few
        bits states (and ``pulses_needed`` holds) about how many pulses a key needs.

    Raises
    ------
    ValueError
        If an argument is outside its range, ``dead_time_s`` > 0 comes without
        ``repetition_rate_hz``, or a detector setting is combined with ``eve``, the Cirq
        backend or B92.
    TypeError
        If ``eve`` or ``link`` has the wrong type.

    Examples
    --------
    >>> from qnetlab.qkd import InterceptResend
    >>> r = run_bb84(20_000, eve=InterceptResend(1.0), seed=2)
    >>> abs(r.qber - 0.25) < 0.02, r.aborted, r.final_length, r.key_alice.size
    (True, True, 0, 0)
    >>> r = run_bb84(20_000, mu=0.5, postprocess=False, seed=2)
    >>> r.sifted_alice.size == r.sifted_length, 0.05 < r.double_clicks / r.raw_length < 0.08
    (True, True)
    """
    return _run_prepare_measure(
        "bb84",
        n_pulses=n_pulses,
        depolarization=depolarization,
        eve=eve,
        backend=backend,
        seed=seed,
        link=link,
        do_postprocess=postprocess,
        threshold=threshold,
        sample_fraction=sample_fraction,
        security=check_security(epsilon_pe, epsilon_pa, verification_bits, cascade_passes),
        mu=mu,
        dead_time_s=dead_time_s,
        repetition_rate_hz=repetition_rate_hz,
        afterpulse_prob=afterpulse_prob,
    )


def run_six_state(
    n_pulses: int,
    *,
    depolarization: float = 0.0,
    eve: Attack | None = None,
    backend: str = "numpy",
    seed: SeedLike = None,
    link: LinkModel | None = None,
    postprocess: bool = True,
    threshold: float | None = None,
    sample_fraction: float = 0.1,
    epsilon_pe: float = 1e-10,
    epsilon_pa: float = 1e-10,
    verification_bits: int = 40,
    cascade_passes: int = 4,
    mu: float | None = None,
    dead_time_s: float = 0.0,
    repetition_rate_hz: float | None = None,
    afterpulse_prob: float = 0.0,
) -> BB84Result:
    """Run the six-state protocol (Bruß 1998): bases Z, X, Y; sifting keeps ⅓.

    Depolarization causes the same QBER 2p/3 as in BB84, but privacy amplification costs
    less (Lo 2001): the abort threshold is 12.6 %. Full intercept-resend gives 1/3.

    Parameters
    ----------
    n_pulses : int
        Photons (pulses) Alice sends, at least 1.
    depolarization : float, optional
        ``cirq.depolarize(p)`` on each photon in the channel, p in [0, 1] (QBER 2p/3).
    eve : Attack or None, optional
        An attack (:class:`~qnetlab.qkd.attacks.InterceptResend`,
        :class:`~qnetlab.qkd.attacks.PhaseCovariantCloner`) or None.
    backend : {"numpy", "cirq"}, optional
        ``"numpy"`` (vectorised; without Eve the click-first sampler of
        :mod:`qnetlab.qkd._detection`) or ``"cirq"`` (a Cirq circuit per round).
    seed : int, Generator or None, optional
        Randomness of the run.
    link : LinkModel or None, optional
        A :class:`~qnetlab.qkd.link.LinkModel` adding loss, detector efficiency, dark
        counts (Y₀ per pulse, shared by Bob's two detectors), misalignment and its own
        depolarisation.
    postprocess : bool, optional
        Run estimation, Cascade, verification and privacy amplification. Without it the
        sifted keys are still returned (``sifted_alice``, ``sifted_bob``).
    threshold : float or None, optional
        Abort threshold on the sampled QBER (default 12.6 %, Lo 2001).
    sample_fraction : float, optional
        Fraction of the sifted bits published for estimation, in (0, 1).
    epsilon_pe, epsilon_pa : float, optional
        Security parameters of parameter estimation and privacy amplification, in
        (0, 1), passed to :func:`~qnetlab.qkd.postprocessing.postprocess` (default 1e-10).
    verification_bits : int, optional
        Length of the verification hash, passed to ``postprocess`` (default 40).
    cascade_passes : int, optional
        Passes of Cascade, passed to ``postprocess`` (default 4).
    mu : float or None, optional
        Mean photon number of a weak coherent (Poisson) source, in (0, 100]; None (the
        default) sends single photons. Multi-photon pulses split between Bob's detectors
        in the wrong basis: double clicks, squashed to a random bit.
    dead_time_s : float, optional
        Dead time of each of Bob's two detectors (seconds, >= 0; non-paralysable): after
        a click the detector misses the pulses of the next ⌈τ f⌉ − 1 slots.
    repetition_rate_hz : float or None, optional
        Pulse rate f (Hz, > 0); needed when ``dead_time_s`` > 0.
    afterpulse_prob : float, optional
        Probability in [0, 1] that a click is followed by a spurious click of the same
        detector in the first slot after its dead time (a random bit for that slot).

    Returns
    -------
    BB84Result
        Sifted and final keys, QBER, abort decision and counts. An abort for too few
        bits states (and ``pulses_needed`` holds) about how many pulses a key needs.

    Raises
    ------
    ValueError
        If an argument is outside its range, ``dead_time_s`` > 0 comes without
        ``repetition_rate_hz``, or a detector setting is combined with ``eve``, the Cirq
        backend or B92.
    TypeError
        If ``eve`` or ``link`` has the wrong type.

    Examples
    --------
    >>> r = run_six_state(30_000, depolarization=0.15, seed=3)
    >>> round(r.sifted_fraction, 2), abs(r.qber - 0.1) < 0.01
    (0.33, True)
    """
    return _run_prepare_measure(
        "six_state",
        n_pulses=n_pulses,
        depolarization=depolarization,
        eve=eve,
        backend=backend,
        seed=seed,
        link=link,
        do_postprocess=postprocess,
        threshold=threshold,
        sample_fraction=sample_fraction,
        security=check_security(epsilon_pe, epsilon_pa, verification_bits, cascade_passes),
        mu=mu,
        dead_time_s=dead_time_s,
        repetition_rate_hz=repetition_rate_hz,
        afterpulse_prob=afterpulse_prob,
    )


def run_b92(
    n_pulses: int,
    *,
    depolarization: float = 0.0,
    eve: Attack | None = None,
    backend: str = "numpy",
    seed: SeedLike = None,
    link: LinkModel | None = None,
    postprocess: bool = True,
    threshold: float | None = None,
    sample_fraction: float = 0.1,
    epsilon_pe: float = 1e-10,
    epsilon_pa: float = 1e-10,
    verification_bits: int = 40,
    cascade_passes: int = 4,
) -> BB84Result:
    """Run B92 (Bennett 1992) with the two states |0⟩ and |+⟩.

    A quarter of the pulses give conclusive results on a clean channel. With
    ``cirq.depolarize(p)`` the QBER of the kept bits is (p/3) / (p/3 + 1/4). Privacy
    amplification uses the BB84 phase-error formula, which is *not* a B92 security proof
    (B92's own proofs tolerate much less noise, Tamaki et al. 2003); the abort threshold
    is a conservative 5 %.

    Parameters
    ----------
    n_pulses : int
        Photons (pulses) Alice sends, at least 1.
    depolarization : float, optional
        ``cirq.depolarize(p)`` on each photon in the channel, p in [0, 1] (QBER 2p/3).
    eve : Attack or None, optional
        An attack (:class:`~qnetlab.qkd.attacks.InterceptResend`,
        :class:`~qnetlab.qkd.attacks.PhaseCovariantCloner`) or None.
    backend : {"numpy", "cirq"}, optional
        ``"numpy"`` (vectorised; without Eve the click-first sampler of
        :mod:`qnetlab.qkd._detection`) or ``"cirq"`` (a Cirq circuit per round).
    seed : int, Generator or None, optional
        Randomness of the run.
    link : LinkModel or None, optional
        A :class:`~qnetlab.qkd.link.LinkModel` adding loss, detector efficiency, dark
        counts (Y₀ per pulse, shared by Bob's two detectors), misalignment and its own
        depolarisation.
    postprocess : bool, optional
        Run estimation, Cascade, verification and privacy amplification. Without it the
        sifted keys are still returned (``sifted_alice``, ``sifted_bob``).
    threshold : float or None, optional
        Abort threshold on the sampled QBER (default 5 %).
    sample_fraction : float, optional
        Fraction of the sifted bits published for estimation, in (0, 1).
    epsilon_pe, epsilon_pa : float, optional
        Security parameters of parameter estimation and privacy amplification, in
        (0, 1), passed to :func:`~qnetlab.qkd.postprocessing.postprocess` (default 1e-10).
    verification_bits : int, optional
        Length of the verification hash, passed to ``postprocess`` (default 40).
    cascade_passes : int, optional
        Passes of Cascade, passed to ``postprocess`` (default 4).

    Returns
    -------
    BB84Result
        Sifted and final keys, QBER, abort decision and counts. An abort for too few
        bits states (and ``pulses_needed`` holds) about how many pulses a key needs.

    Raises
    ------
    ValueError
        If an argument is outside its range, ``dead_time_s`` > 0 comes without
        ``repetition_rate_hz``, or a detector setting is combined with ``eve``, the Cirq
        backend or B92.
    TypeError
        If ``eve`` or ``link`` has the wrong type.

    Examples
    --------
    >>> r = run_b92(40_000, seed=4)
    >>> round(r.sifted_fraction, 2), r.qber
    (0.25, 0.0)
    """
    return _run_prepare_measure(
        "b92",
        n_pulses=n_pulses,
        depolarization=depolarization,
        eve=eve,
        backend=backend,
        seed=seed,
        link=link,
        do_postprocess=postprocess,
        threshold=threshold,
        sample_fraction=sample_fraction,
        security=check_security(epsilon_pe, epsilon_pa, verification_bits, cascade_passes),
    )
