"""Time-varying quantum links: fading and failures, and controllers that re-route.

Each link carries two independent two-state Markov chains, advanced once per time slot:

- **fading** (Gilbert–Elliott): good → faded with probability ``p_fade``, faded → good with
  ``p_recover``. A faded link (polarisation drift, a noisy detector, a bad weather free-space
  hop) delivers ``fade_factor`` of its rate, and its Werner parameter w = (4F − 1)/3 is
  multiplied by ``fade_visibility``;
- **failure**: up → down with ``p_fail`` (a cut fibre, a switched-off node), down → up with
  ``p_repair``. A down link delivers nothing.

In steady state a link is faded a fraction p_fade / (p_fade + p_recover) of the time and
down a fraction p_fail / (p_fail + p_repair) (two-state Markov chain balance). Each of the
four probabilities is one number for every link or a sequence with one value per link (in the
order of ``graph.edges``), for networks whose links are not equally reliable.

A routing controller picks a path each slot: ``"static"`` plans once on the nominal network;
``"reactive"`` keeps its path until it breaks; ``"adaptive"`` re-plans every slot from the
link states it measured in the previous slot (one slot of feedback delay); ``"oracle"``
re-plans with the current states (an upper bound no real controller reaches);
``"predictive"`` *learns* a forecast from the telemetry it has seen so far: it estimates each
link's four transition probabilities from the transitions observed up to the previous slot
(counts shrunk towards the network-wide average, an empirical-Bayes estimate), and each slot
picks, among candidate paths, the one with the largest forecast value

$$ \\hat V(P) = R_{t-1}(P)\\,\\prod_{e\\in P} \\hat q_e, \\qquad
   \\hat q_e = (1 - \\hat p_{\\text{fail},e})\\,(1 - \\hat p_{\\text{fade},e})^{[e\\text{ good}]}, $$

the delivered rate in the last measured state times the learned probability that no link of
the path gets worse in this slot. It knows neither the model's probabilities nor the current
state.

>>> from qnetlab.network.topologies import metro_mesh
>>> dyn = LinkDynamics(metro_mesh(8, seed=0), p_fail=0.05, p_repair=0.5)
>>> round(dyn.stationary_down_fraction, 4)
0.0909
>>> traj = dyn.sample(50, seed=1)
>>> traj.failed.shape
(50, 16)
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from .._validation import (
    SeedLike,
    check_choice,
    check_in_range,
    check_integer,
    check_non_negative,
    check_positive,
    check_probability,
    check_size,
    make_rng,
)
from ..plotting_results import plot_curves
from ..results import ResultMixin
from .chain_model import _chain_fast
from .routing import (
    _graph_params,
    check_endpoints,
    k_shortest_paths,
    optimal_path,
)
from .topologies import validate_topology

__all__ = [
    "CONTROLLER_POLICIES",
    "ControllerResult",
    "LinkDynamics",
    "LinkTrajectory",
    "estimate_link_probabilities",
    "run_controller",
]

#: Routing controllers understood by :func:`run_controller`.
CONTROLLER_POLICIES: tuple[str, ...] = ("static", "reactive", "adaptive", "predictive", "oracle")


@dataclass(frozen=True)
class LinkTrajectory:
    """Sampled link states: ``faded[t, e]`` and ``failed[t, e]`` for slot t and link e.

    Returned by :meth:`LinkDynamics.sample`.

    Parameters
    ----------
    graph : networkx.Graph
        The nominal network.
    edges : tuple of tuple
        The links, in the column order of ``faded`` and ``failed``.
    faded, failed : numpy.ndarray
        Boolean states, shape (slots, links).
    fade_factor : float
        Fraction of its rate a faded link delivers.
    fade_visibility : float
        Factor on the Werner parameter of a faded link.

    Examples
    --------
    >>> from qnetlab.network.topologies import metro_ring
    >>> traj = LinkDynamics(metro_ring(4, seed=0)).sample(10, seed=0)
    >>> traj.faded.shape, len(traj.edges)
    ((10, 4), 4)
    """

    graph: nx.Graph
    edges: tuple[tuple[Hashable, Hashable], ...]
    faded: np.ndarray
    failed: np.ndarray
    fade_factor: float
    fade_visibility: float

    @property
    def n_slots(self) -> int:
        """Number of time slots."""
        return int(self.faded.shape[0])

    def graph_at(self, t: int) -> nx.Graph:
        """The network in slot ``t``: faded links weakened, failed links removed.

        >>> from qnetlab.network.topologies import metro_ring
        >>> traj = LinkDynamics(metro_ring(5, seed=0), p_fail=1.0, p_repair=0.0).sample(2, seed=0)
        >>> traj.graph_at(1).number_of_edges()
        0
        """
        tt = check_integer(t, "t", minimum=0, maximum=self.n_slots - 1)
        g = self.graph.copy()
        for e, (u, v) in enumerate(self.edges):
            if self.failed[tt, e]:
                g.remove_edge(u, v)
            elif self.faded[tt, e]:
                d = g.edges[u, v]
                d["rate"] = d["rate"] * self.fade_factor
                w = (4.0 * d["fidelity"] - 1.0) / 3.0 * self.fade_visibility
                d["fidelity"] = 0.25 + 0.75 * w
        return g

    def __repr__(self) -> str:
        return (
            f"LinkTrajectory(n_slots={self.n_slots}, n_links={len(self.edges)}, "
            f"faded={self.faded.mean():.3f}, failed={self.failed.mean():.3f})"
        )


def _per_link(value: float | Sequence[float], name: str, m: int) -> float | np.ndarray:
    """One probability for every link (a float) or one per link (an array of length ``m``)."""
    if np.ndim(value) == 0:
        return check_probability(value, name)
    arr = np.asarray(value, dtype=float)
    if arr.shape != (m,):
        raise ValueError(f"{name} must be a probability or a sequence of {m} (one per link)")
    for x in arr:
        check_probability(x, name)
    return arr


class LinkDynamics:
    """Markov fading and failure model for every link of ``graph`` (see module docstring).

    Probabilities are floats (every link alike) or sequences with one value per link, in the
    order of ``graph.edges``; the stationary fractions are then arrays too.

    Parameters
    ----------
    graph : networkx.Graph
        The network (a validated topology).
    p_fade, p_recover : float or sequence of float, optional
        Per-slot probabilities good → faded and faded → good, in [0, 1].
    fade_factor : float, optional
        Fraction of its rate a faded link delivers, in [0, 1].
    fade_visibility : float, optional
        Factor on the Werner parameter of a faded link, in [0, 1].
    p_fail, p_repair : float or sequence of float, optional
        Per-slot probabilities up → down and down → up, in [0, 1].

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> from qnetlab.network.topologies import metro_ring
    >>> dyn = LinkDynamics(metro_ring(4, seed=0), p_fail=[0.0, 0.1, 0.1, 0.3], p_repair=0.1)
    >>> dyn.stationary_down_fraction.round(2).tolist()
    [0.0, 0.5, 0.5, 0.75]
    """

    def __init__(
        self,
        graph: nx.Graph,
        *,
        p_fade: float = 0.05,
        p_recover: float = 0.25,
        fade_factor: float = 0.1,
        fade_visibility: float = 0.97,
        p_fail: float | Sequence[float] = 0.01,
        p_repair: float | Sequence[float] = 0.1,
    ) -> None:
        self.graph = validate_topology(graph)
        self.edges: tuple[tuple[Hashable, Hashable], ...] = tuple(graph.edges)
        m = len(self.edges)
        self.p_fade = _per_link(p_fade, "p_fade", m)
        self.p_recover = _per_link(p_recover, "p_recover", m)
        self.fade_factor = check_in_range(fade_factor, "fade_factor", 0.0, 1.0, low_inclusive=False)
        self.fade_visibility = check_in_range(fade_visibility, "fade_visibility", 0.0, 1.0)
        self.p_fail = _per_link(p_fail, "p_fail", m)
        self.p_repair = _per_link(p_repair, "p_repair", m)
        if np.any(np.asarray(self.p_fade) + np.asarray(self.p_recover) == 0) or np.any(
            np.asarray(self.p_fail) + np.asarray(self.p_repair) == 0
        ):
            raise ValueError("p_fade + p_recover and p_fail + p_repair must be positive")

    @property
    def stationary_fade_fraction(self) -> float | np.ndarray:
        """Long-run fraction of slots a link is faded: p_fade / (p_fade + p_recover)."""
        return self.p_fade / (self.p_fade + self.p_recover)

    @property
    def stationary_down_fraction(self) -> float | np.ndarray:
        """Long-run fraction of slots a link is down: p_fail / (p_fail + p_repair)."""
        return self.p_fail / (self.p_fail + self.p_repair)

    def sample(
        self, n_slots: int, *, seed: SeedLike = None, start_good: bool = True
    ) -> LinkTrajectory:
        """Sample ``n_slots`` slots of link states (slot 0 all good and up if ``start_good``).

        >>> from qnetlab.network.topologies import metro_ring
        >>> t1 = LinkDynamics(metro_ring(6, seed=0)).sample(20, seed=3)
        >>> t2 = LinkDynamics(metro_ring(6, seed=0)).sample(20, seed=3)
        >>> bool((t1.failed == t2.failed).all())
        True
        """
        n = check_size(
            n_slots, "n_slots", minimum=1, maximum=10**7, hint="simulate several shorter horizons"
        )
        rng = make_rng(seed)
        m = len(self.edges)
        faded = np.zeros((n, m), dtype=bool)
        failed = np.zeros((n, m), dtype=bool)
        if not start_good:
            faded[0] = rng.random(m) < self.stationary_fade_fraction
            failed[0] = rng.random(m) < self.stationary_down_fraction
        for t in range(1, n):
            u1, u2 = rng.random(m), rng.random(m)
            faded[t] = np.where(faded[t - 1], u1 >= self.p_recover, u1 < self.p_fade)
            failed[t] = np.where(failed[t - 1], u2 >= self.p_repair, u2 < self.p_fail)
        return LinkTrajectory(
            graph=self.graph,
            edges=self.edges,
            faded=faded,
            failed=failed,
            fade_factor=self.fade_factor,
            fade_visibility=self.fade_visibility,
        )

    def __repr__(self) -> str:
        """Short, one-line form; :meth:`summary` lists every parameter.

        >>> from qnetlab.network.topologies import metro_ring
        >>> LinkDynamics(metro_ring(4, seed=0), p_fail=[0.0, 0.1, 0.1, 0.3])
        LinkDynamics(n_links=4, p_fade=0.05, p_fail=0..0.3, p_repair=0.1, ...)
        """
        return (
            f"LinkDynamics(n_links={len(self.edges)}, p_fade={_fmt(self.p_fade)}, "
            f"p_fail={_fmt(self.p_fail)}, p_repair={_fmt(self.p_repair)}, ...)"
        )

    def summary(self) -> str:
        """Every parameter, one per line (per-link values as min..max).

        Returns
        -------
        str
            A title line, then ``name  value`` lines.

        Examples
        --------
        >>> from qnetlab.network.topologies import metro_ring
        >>> print(LinkDynamics(metro_ring(4, seed=0), p_fail=[0.0, 0.1, 0.1, 0.3]).summary())
        LinkDynamics
          n_links          4
          p_fade           0.05
          p_recover        0.25
          fade_factor      0.1
          fade_visibility  0.97
          p_fail           0..0.3
          p_repair         0.1
        """
        return "\n".join(
            ["LinkDynamics"]
            + [
                f"  {name:<15}  {text}"
                for name, text in [
                    ("n_links", str(len(self.edges))),
                    ("p_fade", _fmt(self.p_fade)),
                    ("p_recover", _fmt(self.p_recover)),
                    ("fade_factor", f"{self.fade_factor:g}"),
                    ("fade_visibility", f"{self.fade_visibility:g}"),
                    ("p_fail", _fmt(self.p_fail)),
                    ("p_repair", _fmt(self.p_repair)),
                ]
            ]
        )


def _fmt(p: float | np.ndarray) -> str:
    if np.ndim(p) == 0:
        return f"{float(p):g}"
    return f"{float(np.min(p)):g}..{float(np.max(p)):g}"


@dataclass(frozen=True)
class ControllerResult(ResultMixin):
    """Pairs delivered per slot by one controller, and how often it changed path.

    Returned by :func:`run_controller`.

    Parameters
    ----------
    policy : str
        The controller (one of ``CONTROLLER_POLICIES``).
    delivered : numpy.ndarray
        Pairs delivered in each slot.
    reroutes : int
        Number of path changes.
    outage_fraction : float
        Fraction of slots that delivered nothing.

    Examples
    --------
    >>> from qnetlab.network.topologies import metro_mesh
    >>> traj = LinkDynamics(metro_mesh(8, seed=0), p_fail=0.1).sample(20, seed=2)
    >>> res = run_controller(traj, 0, 4, policy="static")
    >>> res.policy, res.delivered.shape
    ('static', (20,))
    """

    policy: str
    delivered: np.ndarray
    reroutes: int
    outage_fraction: float

    @property
    def total_pairs(self) -> float:
        """Entangled pairs delivered over the whole run."""
        return float(self.delivered.sum())

    def __repr__(self) -> str:
        return (
            f"ControllerResult(policy={self.policy!r}, total_pairs={self.total_pairs:.4g}, "
            f"reroutes={self.reroutes}, outage_fraction={self.outage_fraction:.3f})"
        )

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Pairs delivered per slot; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_curves`.
        """
        labels = {"xlabel": "time slot", "ylabel": "pairs delivered per slot"}
        return plot_curves({self.policy: self.delivered}, ax=ax, **labels, **kwargs)


def _plan(g: nx.Graph, s: Hashable, d: Hashable, thr: float) -> tuple[Hashable, ...] | None:
    try:
        return optimal_path(g, s, d, fidelity_threshold=thr).path
    except ValueError:  # disconnected or nothing meets the threshold in this slot
        return None


def _value(g: nx.Graph, path: tuple[Hashable, ...] | None, thr: float) -> float:
    if path is None or any(not g.has_edge(u, v) for u, v in itertools.pairwise(path)):
        return 0.0
    tc, ps = _graph_params(g, None, None)
    links = [g.edges[u, v] for u, v in itertools.pairwise(path)]
    rate, fid = _chain_fast(
        np.array([e["rate"] for e in links], dtype=float),
        np.array([e["fidelity"] for e in links], dtype=float),
        float(sum(e["length_km"] for e in links)),
        tc,
        ps,
    )
    return rate if fid >= thr else 0.0


class _LinkForecaster:
    """Online estimates of every link's transition probabilities from observed slots.

    ``counts[c, a, b, e]`` counts the transitions a → b of chain c (0 = fading, 1 = failure;
    state 0 = good/up, 1 = faded/down) seen on link e. The fade state of a down link cannot be
    measured, so fade transitions count only while the link is up in both slots. The
    estimate of a link's probability to get worse is shrunk towards the network-wide rate
    with the weight of ``prior_slots`` observations (empirical Bayes).
    """

    def __init__(self, n_links: int, prior_slots: float = 10.0) -> None:
        self.counts = np.zeros((2, 2, 2, n_links))
        self.prior_slots = prior_slots
        self._links = np.arange(n_links)

    def observe(
        self, faded0: np.ndarray, failed0: np.ndarray, faded1: np.ndarray, failed1: np.ndarray
    ) -> None:
        up = ~failed0 & ~failed1
        self.counts[0, faded0[up].astype(int), faded1[up].astype(int), self._links[up]] += 1
        self.counts[1, failed0.astype(int), failed1.astype(int), self._links] += 1

    def p_worse(self) -> tuple[np.ndarray, np.ndarray]:
        """Estimated (p_fade, p_fail) of every link."""
        out = []
        for c in (0, 1):
            bad, n = self.counts[c, 0, 1], self.counts[c, 0].sum(axis=0)
            pooled = float(bad.sum() / n.sum()) if n.sum() > 0 else 0.0
            out.append((bad + self.prior_slots * pooled) / (n + self.prior_slots))
        return out[0], out[1]


def estimate_link_probabilities(
    trajectory: LinkTrajectory, *, n_slots: int | None = None, prior_slots: float = 10.0
) -> tuple[np.ndarray, np.ndarray]:
    """Learned (p_fade, p_fail) of every link from the first ``n_slots`` slots of telemetry.

    The estimates the ``"predictive"`` controller uses: per-link transition counts, shrunk
    towards the network-wide rate with the weight of ``prior_slots`` observations. The fade
    state of a down link is not observed.

    Parameters
    ----------
    trajectory : LinkTrajectory
        The observed link states.
    n_slots : int, optional
        Slots of telemetry to learn from; all by default.
    prior_slots : float, optional
        Weight (in observations) of the network-wide average, non-negative.

    Returns
    -------
    tuple of numpy.ndarray
        The estimated p_fade and p_fail of every link.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> from qnetlab.network.topologies import metro_ring
    >>> dyn = LinkDynamics(metro_ring(6, seed=0), p_fade=[0.0, 0.0, 0.0, 0.5, 0.5, 0.5])
    >>> p_fade, p_fail = estimate_link_probabilities(dyn.sample(400, seed=1))
    >>> bool(p_fade[3:].min() > 0.3 > 0.1 > p_fade[:3].max())
    True
    """
    if not isinstance(trajectory, LinkTrajectory):
        raise TypeError("trajectory must be a LinkTrajectory (from LinkDynamics.sample)")
    n = (
        trajectory.n_slots
        if n_slots is None
        else check_integer(n_slots, "n_slots", minimum=1, maximum=trajectory.n_slots)
    )
    forecaster = _LinkForecaster(
        len(trajectory.edges), check_non_negative(prior_slots, "prior_slots")
    )
    for t in range(1, n):
        forecaster.observe(
            trajectory.faded[t - 1],
            trajectory.failed[t - 1],
            trajectory.faded[t],
            trajectory.failed[t],
        )
    return forecaster.p_worse()


def _candidates(g: nx.Graph, s: Hashable, d: Hashable, n: int) -> list[tuple[Hashable, ...]]:
    """The nominal network's cheapest paths under 1/r and under −ln w (distinct, in order)."""
    out: list[tuple[Hashable, ...]] = []
    for cost, k in (("inverse_rate", n), ("infidelity", max(n // 3, 1))):
        for p in k_shortest_paths(g, s, d, k, cost=cost):
            if tuple(p) not in out:
                out.append(tuple(p))
    return out


def run_controller(
    trajectory: LinkTrajectory,
    source: Hashable,
    destination: Hashable,
    *,
    policy: str = "adaptive",
    fidelity_threshold: float = 0.8,
    slot_s: float = 1.0,
    n_candidates: int = 12,
    prior_slots: float = 10.0,
    progress: bool = False,
) -> ControllerResult:
    """Run one routing controller over a sampled trajectory of link states.

    Every policy sees the same trajectory, so their totals compare like with like.

    Parameters
    ----------
    trajectory : LinkTrajectory
        The link states of every slot.
    source, destination : hashable
        End nodes of the request.
    policy : {"static", "reactive", "adaptive", "predictive", "oracle"}, optional
        The controller (see the module docstring).
    fidelity_threshold : float, optional
        The fidelity the application needs, in [0, 1].
    slot_s : float, optional
        Length of a slot (s): pairs per slot = rate × ``slot_s``.
    n_candidates : int, optional
        The ``"predictive"`` controller scores the nominal network's ``n_candidates``
        cheapest paths under 1/r (plus a third as many under −ln w) and the optimum of
        the last measured state.
    prior_slots : float, optional
        Weight of the network-wide average in each link's estimate (``"predictive"``).
    progress : bool, optional
        Show a progress bar.

    Returns
    -------
    ControllerResult
        Pairs delivered per slot, reroutes and outage fraction.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> from qnetlab.network.topologies import metro_mesh
    >>> traj = LinkDynamics(metro_mesh(8, seed=0), p_fail=0.1).sample(30, seed=2)
    >>> static = run_controller(traj, 0, 4, policy="static")
    >>> oracle = run_controller(traj, 0, 4, policy="oracle")
    >>> oracle.total_pairs >= static.total_pairs
    True
    """
    if not isinstance(trajectory, LinkTrajectory):
        raise TypeError("trajectory must be a LinkTrajectory (from LinkDynamics.sample)")
    pol = check_choice(policy, "policy", CONTROLLER_POLICIES)
    thr = check_probability(fidelity_threshold, "fidelity_threshold")
    dt = check_positive(slot_s, "slot_s")
    n_cand = check_size(n_candidates, "n_candidates", minimum=1, maximum=1000)
    prior = check_non_negative(prior_slots, "prior_slots")
    check_endpoints(trajectory.graph, source, destination)
    n = trajectory.n_slots
    delivered = np.zeros(n)
    path = _plan(trajectory.graph, source, destination, thr)
    reroutes = 0
    slots = range(n)
    if progress:
        from tqdm.auto import tqdm

        slots = tqdm(slots, desc=f"controller {pol}")
    if pol == "predictive":
        forecaster = _LinkForecaster(len(trajectory.edges), prior)
        nominal = _candidates(trajectory.graph, source, destination, n_cand)
        index = {frozenset(e): i for i, e in enumerate(trajectory.edges)}
    previous = trajectory.graph
    for t in slots:
        now = trajectory.graph_at(t)
        new = path
        if pol == "oracle":
            new = _plan(now, source, destination, thr)
        elif pol == "adaptive" and t > 0:
            new = _plan(previous, source, destination, thr)
        elif pol == "reactive" and t > 0 and _value(previous, path, thr) == 0.0:
            new = _plan(previous, source, destination, thr)
        elif pol == "predictive" and t > 0:
            if t > 1:
                forecaster.observe(
                    trajectory.faded[t - 2],
                    trajectory.failed[t - 2],
                    trajectory.faded[t - 1],
                    trajectory.failed[t - 1],
                )
            p_fade, p_fail = forecaster.p_worse()
            keep = (1.0 - p_fail) * np.where(trajectory.faded[t - 1], 1.0, 1.0 - p_fade)
            best = _plan(previous, source, destination, thr)
            options = ([path] if path is not None else []) + nominal + ([best] if best else [])
            scores = []
            for p in options:
                v = _value(previous, p, thr)
                links = [index[frozenset(e)] for e in itertools.pairwise(p)]
                scores.append(v * float(np.prod(keep[links])) if v > 0 else 0.0)
            # the current path first, so that a tie keeps it (no needless re-route)
            new = options[int(np.argmax(scores))] if max(scores, default=0.0) > 0 else best
        if t > 0 and new != path:
            reroutes += 1
        path = new
        delivered[t] = _value(now, path, thr) * dt
        previous = now
    return ControllerResult(
        policy=pol,
        delivered=delivered,
        reroutes=reroutes,
        outage_fraction=float(np.mean(delivered == 0.0)),
    )
