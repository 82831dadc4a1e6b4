"""Repeater placement: choose the sites of ``k`` repeaters in a fibre network.

A network design problem for the optimisers, small enough to enumerate on the instances
the book uses, so that a genetic algorithm, simulated annealing or particle swarm
(:mod:`qnetlab.ai.optimizers`) can be measured against the true optimum (the other one,
qubit allocation, is in :mod:`qnetlab.network.qubit_allocation`).

**Repeater placement** (:class:`RepeaterPlacement`). A fibre graph joins user nodes and
candidate sites. Users ask for entanglement between demand pairs; we may install ``k``
repeaters at candidate sites. A demand is served along a chain ``s → r₁ → … → d`` of
repeaters; each segment is a heralded elementary link over the shortest fibre between its
ends (rate :func:`~qnetlab.network.topologies.elementary_link_rate`, fidelity
:func:`~qnetlab.network.topologies.elementary_link_fidelity`). The chain's delivered rate
and fidelity follow the network's chain model, :mod:`qnetlab.network.chain_model` (swap as soon
as possible, ``E[max]`` of exponential link times, memory decay while waiting, classical
signalling time):

$$ R = \\frac{p_s^{\\,n-1}}{\\mathbb E[\\max_i X_i] + L/c}, \\qquad
   X_i \\sim \\mathrm{Exp}(r_i), $$

and a chain whose fidelity misses the threshold delivers nothing. The placement's utility
is proportionally fair, ``U(S) = Σ_d log₁₀(1 + R_d(S))`` with ``R_d`` the best chain using
at most ``max_chain`` repeaters of ``S``. Every subset's best chain is precomputed once,
so evaluating a placement is a table look-up and exhaustive search is cheap.

>>> prob = repeater_placement_instance(n_nodes=12, n_demands=3, k=2, seed=4)
>>> best = solve_placement(prob, "exhaustive")
>>> ga = solve_placement(prob, "ga", seed=0)
>>> bool(ga.utility >= 0.99 * best.utility)
True
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Sequence
from typing import Any

import networkx as nx
import numpy as np
from numpy.typing import ArrayLike

from .._validation import (
    SeedLike,
    check_choice,
    check_in_range,
    check_integer,
    check_non_negative,
    check_positive,
    check_size,
    make_rng,
)
from ..ai import optimizers as opt
from .chain_model import _chain_rows
from .design import (
    DESIGN_METHODS,
    DesignSolution,
    _budget_options,
)
from .links import (
    DEFAULT_COHERENCE_TIME_S,
    _missing_attribute,
    check_graph,
    elementary_link_fidelity,
    elementary_link_rate,
)
from .qubit_allocation import (  # re-exported: defined here before the split (issue 17)
    QubitAllocation as QubitAllocation,
)
from .qubit_allocation import qubit_allocation_instance as qubit_allocation_instance
from .qubit_allocation import solve_allocation as solve_allocation
from .topologies import (
    MAX_AREA_KM,
    MAX_NODES,
    MIN_AREA_KM,
    connected_geometric_graph,
)

__all__ = [
    "RepeaterPlacement",
    "repeater_placement_instance",
    "solve_placement",
]

# --- repeater placement --------------------------------------------------------------------


def _physical_lengths(graph: nx.Graph) -> tuple[list[Hashable], np.ndarray]:
    nodes = list(graph.nodes)
    for u, v, d in graph.edges(data=True):
        if "length_km" not in d:
            raise ValueError(_missing_attribute(f"link ({u!r}, {v!r})", "length_km"))
        check_non_negative(d["length_km"], f"length_km of link ({u!r}, {v!r})")
    dist = dict(nx.all_pairs_dijkstra_path_length(graph, weight="length_km"))
    idx = {n: i for i, n in enumerate(nodes)}
    out = np.full((len(nodes), len(nodes)), np.inf)
    for a, row in dist.items():
        for b, d in row.items():
            out[idx[a], idx[b]] = d
    return nodes, out


class RepeaterPlacement:
    """Choose ``k`` repeater sites among ``candidates`` to serve ``demands`` best.

    Parameters
    ----------
    graph : networkx.Graph
        Fibre graph with link ``length_km``.
    candidates : sequence of hashable
        Nodes where a repeater may go (at most 20, distinct).
    demands : sequence of (hashable, hashable)
        (source, destination) user pairs.
    k : int
        Number of repeaters to place, in [1, len(candidates)].
    fidelity_threshold : float, optional
        End-to-end fidelity a demand needs, in [1/4, 1].
    max_chain : int, optional
        Most repeaters one chain may use (default ``min(k, 3)``).
    source_fidelity, coherence_time_s, n_modes, detector_efficiency, swap_success : optional
        Link and memory physics (see :mod:`qnetlab.network.topologies`).

    Raises
    ------
    ValueError
        If a node is not in the graph, a demand is not connected or an argument is out
        of range.

    Examples
    --------
    >>> g = nx.path_graph(5); nx.set_edge_attributes(g, 60.0, "length_km")
    >>> prob = RepeaterPlacement(g, [1, 2, 3], [(0, 4)], k=1)
    >>> sites, utility = prob.best_sites()  # the midpoint: two 120 km segments
    >>> sites, round(utility, 4), prob.rates([1]).round(1).tolist()  # rates by candidate index
    ((2,), 2.1518, [140.9])
    """

    def __init__(
        self,
        graph: nx.Graph,
        candidates: Sequence[Hashable],
        demands: Sequence[tuple[Hashable, Hashable]],
        k: int,
        *,
        fidelity_threshold: float = 0.8,
        max_chain: int | None = None,
        source_fidelity: float = 0.97,
        coherence_time_s: float = DEFAULT_COHERENCE_TIME_S,
        n_modes: int = 100,
        detector_efficiency: float = 0.9,
        swap_success: float = 1.0,
    ) -> None:
        check_graph(graph)
        self.graph = graph
        self.candidates = tuple(candidates)
        if not self.candidates:
            raise ValueError("candidates must name at least one node")
        if len(set(self.candidates)) != len(self.candidates):
            raise ValueError("candidates must not repeat a node")
        if len(self.candidates) > 20:
            raise ValueError(f"candidates must hold at most 20 sites, got {len(self.candidates)}")
        for c in self.candidates:
            if c not in graph:
                raise ValueError(f"candidate {c!r} is not a node of the graph")
        self.demands = tuple((a, b) for a, b in demands)
        if not self.demands:
            raise ValueError("demands must contain at least one (source, destination) pair")
        for a, b in self.demands:
            for x in (a, b):
                if x not in graph:
                    raise ValueError(f"demand node {x!r} is not a node of the graph")
            if a == b:
                raise ValueError(f"a demand must join two different nodes, got ({a!r}, {b!r})")
        self.k = check_integer(k, "k", minimum=1, maximum=len(self.candidates))
        mc = min(self.k, 3) if max_chain is None else max_chain
        self.max_chain = check_integer(mc, "max_chain", minimum=0, maximum=self.k)
        self.fidelity_threshold = check_in_range(
            fidelity_threshold, "fidelity_threshold", 0.25, 1.0
        )
        self.coherence_time_s = check_positive(coherence_time_s, "coherence_time_s")
        self.swap_success = check_in_range(
            swap_success, "swap_success", 0.0, 1.0, low_inclusive=False
        )
        f0 = check_in_range(source_fidelity, "source_fidelity", 0.25, 1.0)

        nodes, dist = _physical_lengths(graph)
        idx = {n: i for i, n in enumerate(nodes)}
        for a, b in self.demands:
            if not np.isfinite(dist[idx[a], idx[b]]):
                raise ValueError(f"demand nodes {a!r} and {b!r} are not connected")

        n_c = len(self.candidates)
        self.n_candidates = n_c
        # segment physics between every pair of relevant nodes (users and candidates)
        ends = list(dict.fromkeys([*self.candidates, *(x for d in self.demands for x in d)]))
        pos = {n: i for i, n in enumerate(ends)}
        n_e = len(ends)
        seg_len = np.array([[dist[idx[a], idx[b]] for b in ends] for a in ends])
        seg_rate = np.zeros((n_e, n_e))
        seg_fid = np.full((n_e, n_e), 0.25)
        for i in range(n_e):
            for j in range(i + 1, n_e):
                d = float(seg_len[i, j])
                if np.isfinite(d):
                    seg_rate[i, j] = seg_rate[j, i] = elementary_link_rate(
                        d, detector_efficiency=detector_efficiency, n_modes=n_modes
                    )
                    seg_fid[i, j] = seg_fid[j, i] = elementary_link_fidelity(
                        d, source_fidelity=f0, coherence_time_s=self.coherence_time_s
                    )
        cand = np.array([pos[c] for c in self.candidates], dtype=np.int64)
        # utility term log10(1 + R) of each demand's best chain for every candidate subset
        # (bitmask); the logarithm is monotone, so the best chain is the same
        self._table = np.zeros((len(self.demands), 2**n_c))
        for di, (s, t) in enumerate(self.demands):
            best = self._table[di]
            for j in range(self.max_chain + 1):
                seqs = list(itertools.permutations(range(n_c), j))
                perms = np.array(seqs, dtype=np.int64).reshape(len(seqs), j)
                hops = np.hstack(
                    [
                        np.full((perms.shape[0], 1), pos[s]),
                        cand[perms],
                        np.full((perms.shape[0], 1), pos[t]),
                    ]
                )
                distinct = np.all(
                    np.sort(hops, axis=1)[:, 1:] != np.sort(hops, axis=1)[:, :-1], axis=1
                )
                hops = hops[distinct]
                perms = perms[distinct]
                if hops.shape[0] == 0:
                    continue
                u, v = hops[:, :-1], hops[:, 1:]
                rate, fid = _chain_rows(
                    seg_rate[u, v],
                    seg_fid[u, v],
                    seg_len[u, v].sum(axis=1),
                    self.coherence_time_s,
                    self.swap_success,
                )
                ok = fid >= self.fidelity_threshold
                masks = (
                    (np.left_shift(1, perms) * 1).sum(axis=1)
                    if j
                    else np.zeros(len(perms), np.int64)
                )
                np.maximum.at(best, masks[ok], np.log10(1.0 + rate[ok]))
            # a placement can use any subset of its sites: subset-max closure (SOS DP);
            # for each bit, masks with the bit set take the max with the mask without it
            for bit in range(n_c):
                view = best.reshape(-1, 2, 2**bit)
                np.maximum(view[:, 1, :], view[:, 0, :], out=view[:, 1, :])

    def _mask(self, sites: ArrayLike) -> int:
        idx = np.asarray(sites, dtype=np.int64).ravel()
        if not idx.size:
            return 0
        if idx.min() < 0 or idx.max() >= self.n_candidates:
            raise ValueError(f"site indices must be in [0, {self.n_candidates - 1}]")
        return int(np.bitwise_or.reduce(np.left_shift(1, idx)))

    def utility(self, sites: ArrayLike) -> float:
        """Utility ``Σ_d log₁₀(1 + R_d)`` of repeaters at candidate *indices* ``sites``.

        Repeated indices count once (fewer repeaters).
        """
        return float(self._table[:, self._mask(sites)].sum())

    def rates(self, sites: ArrayLike) -> np.ndarray:
        """Delivered rate (pairs/s) of each demand with repeaters at candidate indices."""
        return 10.0 ** self._table[:, self._mask(sites)] - 1.0

    def all_utilities(self) -> np.ndarray:
        """Utility of every placement of ``k`` sites, in ``itertools.combinations`` order."""
        combos = np.array(list(itertools.combinations(range(self.n_candidates), self.k)))
        return self._table[:, (1 << combos).sum(axis=1)].sum(axis=0)

    def optimal_fraction(self, rtol: float = 1e-9) -> float:
        """Fraction of all placements whose utility is within ``rtol`` (relative) of the best.

        The chance that one uniformly random placement is optimal: random search with
        ``n`` draws finds an optimum with probability ``1 − (1 − q)^n``.
        """
        u = self.all_utilities()
        return float(np.mean(u >= u.max() - check_non_negative(rtol, "rtol") * abs(u.max())))

    def best_sites(self) -> tuple[tuple[Hashable, ...], float]:
        """The optimal placement (as nodes) and its utility, by exhaustive search."""
        sol = solve_placement(self, "exhaustive")
        return sol.solution, sol.utility

    def __repr__(self) -> str:
        return (
            f"RepeaterPlacement(candidates={len(self.candidates)}, demands={len(self.demands)}, "
            f"k={self.k}, placements={math.comb(self.n_candidates, self.k)})"
        )


def repeater_placement_instance(
    n_nodes: int = 24,
    n_demands: int = 4,
    k: int = 4,
    *,
    area_km: float = 400.0,
    radius: float = 0.4,
    max_optimal_placements: int | None = None,
    seed: SeedLike = None,
    **options: Any,
) -> RepeaterPlacement:
    """A random placement instance: a national-scale random geometric fibre graph.

    Nodes are uniform in an ``area_km`` square and joined when closer than
    ``radius × area_km`` (retried until connected); fibre length is the straight-line
    distance. ``2 n_demands`` distinct nodes are users, paired at random; all other nodes
    are candidate sites. With ``max_optimal_placements`` the instance is redrawn (up to
    200 times) until at most that many placements reach the optimum (1: a unique
    optimum), checked exhaustively; on the other draws a repeater that no chain uses can
    sit anywhere, and many placements tie.

    Parameters
    ----------
    n_nodes : int, optional
        Number of nodes, in [3, 5000]; the ``n_nodes − 2 n_demands`` candidate sites must
        number at most 20 (the :class:`RepeaterPlacement` limit).
    n_demands : int, optional
        Number of demand pairs, at least 1, with ``2 n_demands < n_nodes``.
    k : int, optional
        Number of repeaters to place, in [1, number of candidate sites].
    area_km : float, optional
        Side of the square (km), in [1e-3, 1e5].
    radius : float, optional
        Link radius as a fraction of ``area_km``, in (0, 2].
    max_optimal_placements : int or None, optional
        Redraw until at most this many placements are optimal (at least 1); None keeps
        the first draw.
    seed : int, numpy.random.Generator or None, optional
        Randomness of the graph, the users and the pairing.
    **options
        Passed to :class:`RepeaterPlacement`: ``fidelity_threshold``, ``max_chain``,
        ``source_fidelity``, ``coherence_time_s``, ``n_modes``, ``detector_efficiency``,
        ``swap_success``.

    Returns
    -------
    RepeaterPlacement
        The instance, its candidate sites in increasing node order.

    Raises
    ------
    TypeError
        If a number has the wrong type or ``options`` holds an unknown keyword.
    ValueError
        If a value is outside its range, no connected graph is drawn in 200 attempts, or
        no draw has at most ``max_optimal_placements`` optimal placements.

    Examples
    --------
    >>> repeater_placement_instance(12, 2, 2, seed=1)
    RepeaterPlacement(candidates=8, demands=2, k=2, placements=28)
    """
    n = check_size(n_nodes, "n_nodes", minimum=3, maximum=MAX_NODES)
    nd = check_integer(n_demands, "n_demands", minimum=1)
    if 2 * nd >= n:
        raise ValueError(f"n_demands must leave candidate sites: need 2*n_demands < n_nodes ({n})")
    area = check_in_range(area_km, "area_km", MIN_AREA_KM, MAX_AREA_KM)
    rad = check_in_range(radius, "radius", 0.0, 2.0, low_inclusive=False)
    cap = None
    if max_optimal_placements is not None:
        cap = check_integer(max_optimal_placements, "max_optimal_placements", minimum=1)
    rng = make_rng(seed)
    for _ in range(200):
        g = connected_geometric_graph(n, area, rad, seed=rng, attempts=200)
        users = rng.permutation(n)[: 2 * nd]
        demands = [(int(users[2 * i]), int(users[2 * i + 1])) for i in range(nd)]
        candidates = [i for i in range(n) if i not in set(users.tolist())]
        prob = RepeaterPlacement(g, candidates, demands, k, **options)
        if cap is None:
            return prob
        u = prob.all_utilities()
        if np.sum(u >= u.max() * (1 - 1e-9)) <= cap:
            return prob
    raise ValueError("no draw had few enough optimal placements; raise max_optimal_placements")


def _random_keys_top_k(x: np.ndarray, k: int) -> np.ndarray:
    return np.argsort(-np.asarray(x), kind="stable")[:k]


def solve_placement(
    problem: RepeaterPlacement,
    method: str,
    *,
    budget: int | None = None,
    seed: SeedLike = None,
    progress: bool = False,
    **options: Any,
) -> DesignSolution:
    """Solve a repeater-placement problem with an exhaustive search or a heuristic.

    Encodings: exhaustive tries all ``C(n, k)`` subsets; the GA uses ``k`` integer genes
    (site indices; a repeated index wastes a repeater, so selection removes it); simulated
    annealing moves one repeater to an unused site; particle swarm uses random keys (the
    ``k`` largest of ``n`` coordinates are the sites); random search draws ``budget``
    uniformly random placements (default 600). With a ``budget``, every heuristic stops
    after exactly that many utility evaluations (the iteration count is set to reach it),
    so methods compare at equal cost.

    Parameters
    ----------
    problem : RepeaterPlacement
        The instance.
    method : {"exhaustive", "ga", "sa", "pso", "random"}
        Exhaustive search, genetic algorithm, simulated annealing, particle swarm or
        random search.
    budget : int or None, optional
        Utility evaluations of a heuristic, at least 1; None uses the optimiser's
        defaults (ignored by ``"exhaustive"``).
    seed : int, numpy.random.Generator or None, optional
        Randomness of the heuristic.
    progress : bool, optional
        Show a progress bar.
    **options
        Passed to the optimiser (:func:`qnetlab.ai.genetic_algorithm`,
        ``simulated_annealing`` or ``particle_swarm``): e.g. ``population_size``,
        ``n_generations``, ``n_iterations``, ``n_particles``.

    Returns
    -------
    DesignSolution
        The chosen sites (a tuple of nodes, sorted by candidate index), their utility and
        the optimiser's result.

    Raises
    ------
    TypeError
        If ``problem`` is not a :class:`RepeaterPlacement`, ``budget`` is not an integer
        or ``options`` holds a keyword the optimiser does not take.
    ValueError
        If ``method`` is unknown or a heuristic's ``budget`` is below 1.

    Examples
    --------
    >>> prob = repeater_placement_instance(12, 2, 2, seed=1)
    >>> solve_placement(prob, "sa", seed=0, n_iterations=300).utility == prob.best_sites()[1]
    True
    """
    if not isinstance(problem, RepeaterPlacement):
        raise TypeError("problem must be a RepeaterPlacement")
    check_choice(method, "method", DESIGN_METHODS)
    rng = make_rng(seed)
    n, k = problem.n_candidates, problem.k

    def neg(sites: np.ndarray) -> float:
        return -problem.utility(sites)

    if method == "exhaustive":
        res = opt.exhaustive_search(neg, itertools.combinations(range(n), k), progress=progress)
        sites = res.x
    elif method == "random":
        res = opt.random_search(
            neg,
            lambda r: r.choice(n, k, replace=False),
            600 if budget is None else check_integer(budget, "budget", minimum=1),
            seed=rng,
            progress=progress,
        )
        sites = res.x
    elif method == "ga":
        kw = _budget_options(method, budget, options, {"population_size": 30, "n_generations": 40})
        res = opt.genetic_algorithm(
            neg, [(0, n - 1)] * k, gene_type="integer", seed=rng, progress=progress, **kw
        )
        sites = res.x
    elif method == "sa":

        def neighbour(x: np.ndarray, r: np.random.Generator) -> np.ndarray:
            y = x.copy()
            free = np.ones(n, dtype=bool)
            free[y] = False
            unused = np.flatnonzero(free)
            if unused.size:
                y[r.integers(k)] = r.choice(unused)
            return y

        kw = _budget_options(method, budget, options, {"n_iterations": 600})
        x0 = rng.permutation(n)[:k]
        res = opt.simulated_annealing(
            neg, x0, neighbour=neighbour, seed=rng, progress=progress, **kw
        )
        sites = res.x
    else:
        # a little more self-trust than swarm-trust keeps the random keys diverse
        defaults = {
            "n_particles": 20,
            "n_iterations": 40,
            "inertia": 0.6,
            "cognitive": 2.0,
            "social": 1.0,
        }
        kw = _budget_options(method, budget, options, defaults)
        res = opt.particle_swarm(
            lambda z: neg(_random_keys_top_k(z, k)),
            [(0.0, 1.0)] * n,
            seed=rng,
            progress=progress,
            **kw,
        )
        sites = _random_keys_top_k(res.x, k)
    chosen = tuple(problem.candidates[int(i)] for i in sorted(set(np.asarray(sites).tolist())))
    return DesignSolution(method, chosen, problem.utility(sites), res)
