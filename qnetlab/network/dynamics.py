"""Time-varying quantum links: fading and failures, and controllers that re-route.

Each link carries two independent two-state Markov chains, advanced once per time slot:

- **fading** (Gilbert–Elliott): good → faded with probability ``p_fade``, faded → good with
  ``p_recover``. A faded link (polarisation drift, a noisy detector, a bad weather free-space
  hop) delivers ``fade_factor`` of its rate, and its Werner parameter w = (4F − 1)/3 is
  multiplied by ``fade_visibility``;
- **failure**: up → down with ``p_fail`` (a cut fibre, a switched-off node), down → up with
  ``p_repair``. A down link delivers nothing.

In steady state a link is faded a fraction p_fade / (p_fade + p_recover) of the time and
down a fraction p_fail / (p_fail + p_repair) (two-state Markov chain balance).

A routing controller picks a path each slot: ``"static"`` plans once on the nominal network;
``"reactive"`` keeps its path until it breaks; ``"adaptive"`` re-plans every slot from the
link states it measured in the previous slot (one slot of feedback delay); ``"oracle"``
re-plans with the current states (an upper bound no real controller reaches).

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
from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx
import numpy as np

from .._validation import (
    SeedLike,
    check_choice,
    check_in_range,
    check_integer,
    check_positive,
    check_probability,
    make_rng,
)
from .routing import check_endpoints, optimal_path, path_metrics
from .topologies import validate_topology

__all__ = [
    "CONTROLLER_POLICIES",
    "ControllerResult",
    "LinkDynamics",
    "LinkTrajectory",
    "run_controller",
]

#: Routing controllers understood by :func:`run_controller`.
CONTROLLER_POLICIES: tuple[str, ...] = ("static", "reactive", "adaptive", "oracle")


@dataclass(frozen=True)
class LinkTrajectory:
    """Sampled link states: ``faded[t, e]`` and ``failed[t, e]`` for slot t and link e."""

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


class LinkDynamics:
    """Markov fading and failure model for every link of ``graph`` (see module docstring)."""

    def __init__(
        self,
        graph: nx.Graph,
        *,
        p_fade: float = 0.05,
        p_recover: float = 0.25,
        fade_factor: float = 0.1,
        fade_visibility: float = 0.97,
        p_fail: float = 0.01,
        p_repair: float = 0.1,
    ) -> None:
        self.graph = validate_topology(graph)
        self.p_fade = check_probability(p_fade, "p_fade")
        self.p_recover = check_probability(p_recover, "p_recover")
        self.fade_factor = check_in_range(fade_factor, "fade_factor", 0.0, 1.0, low_inclusive=False)
        self.fade_visibility = check_in_range(fade_visibility, "fade_visibility", 0.0, 1.0)
        self.p_fail = check_probability(p_fail, "p_fail")
        self.p_repair = check_probability(p_repair, "p_repair")
        if self.p_fade + self.p_recover == 0 or self.p_fail + self.p_repair == 0:
            raise ValueError("p_fade + p_recover and p_fail + p_repair must be positive")
        self.edges: tuple[tuple[Hashable, Hashable], ...] = tuple(graph.edges)

    @property
    def stationary_fade_fraction(self) -> float:
        """Long-run fraction of slots a link is faded: p_fade / (p_fade + p_recover)."""
        return self.p_fade / (self.p_fade + self.p_recover)

    @property
    def stationary_down_fraction(self) -> float:
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
        n = check_integer(n_slots, "n_slots", minimum=1)
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
        return (
            f"LinkDynamics(n_links={len(self.edges)}, p_fade={self.p_fade}, p_recover={self.p_recover}, "
            f"fade_factor={self.fade_factor}, p_fail={self.p_fail}, p_repair={self.p_repair})"
        )


@dataclass(frozen=True)
class ControllerResult:
    """Pairs delivered per slot by one controller, and how often it changed path."""

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


def _plan(g: nx.Graph, s: Hashable, d: Hashable, thr: float) -> tuple[Hashable, ...] | None:
    try:
        return optimal_path(g, s, d, fidelity_threshold=thr).path
    except ValueError:  # disconnected or nothing meets the threshold in this slot
        return None


def _value(g: nx.Graph, path: tuple[Hashable, ...] | None, thr: float) -> float:
    if path is None or any(not g.has_edge(u, v) for u, v in itertools.pairwise(path)):
        return 0.0
    return path_metrics(g, list(path), fidelity_threshold=thr).delivered_rate


def run_controller(
    trajectory: LinkTrajectory,
    source: Hashable,
    destination: Hashable,
    *,
    policy: str = "adaptive",
    fidelity_threshold: float = 0.8,
    slot_s: float = 1.0,
    progress: bool = False,
) -> ControllerResult:
    """Run one routing controller over a sampled trajectory of link states.

    Every policy sees the same trajectory, so their totals compare like with like.

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
    check_endpoints(trajectory.graph, source, destination)
    n = trajectory.n_slots
    delivered = np.zeros(n)
    path = _plan(trajectory.graph, source, destination, thr)
    reroutes = 0
    slots = range(n)
    if progress:
        from tqdm.auto import tqdm

        slots = tqdm(slots, desc=f"controller {pol}")
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
