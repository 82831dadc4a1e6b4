"""Qubit allocation: spread a budget of memory qubits over the nodes of a network.

A network design problem for the optimisers (:mod:`qnetlab.ai.optimizers`), small enough
to enumerate on the instances the book uses, so that a genetic algorithm, simulated
annealing or particle swarm can be measured against the true optimum (the other one,
repeater placement, is in :mod:`qnetlab.network.placement`).

**Qubit allocation** (:class:`QubitAllocation`). Demands follow fixed shortest paths; a
budget of ``budget`` memory qubits is spread over the nodes of those paths. A node splits
its qubits evenly over its used links, a link runs ``n_e = min`` of its two ends' shares
in parallel (each memory pair an independent heralded link) and is time-shared by the
demands crossing it, so link ``e`` gives each demand the rate ``n_e r_e / |D_e|``.
Demand rates follow the chain formula of :mod:`qnetlab.network.chain_model` (swap as soon
as possible, ``E[max]`` of exponential link times plus the classical signalling time);
the utility is proportionally fair, ``Σ_d log₁₀(1 + R_d)``. Starving any node on a busy
path is a bottleneck.

>>> prob = qubit_allocation_instance(seed=3)
>>> best = solve_allocation(prob, "exhaustive")
>>> pso = solve_allocation(prob, "pso", seed=0)
>>> bool(pso.utility >= 0.99 * best.utility)
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
from ..channels import C_FIBER_KM_PER_S
from .chain_model import _expected_max_rows
from .design import (
    DESIGN_METHODS,
    DesignSolution,
    _budget_options,
    allocation_from_weights,
    compositions,
)
from .links import (
    DEFAULT_COHERENCE_TIME_S,
    _missing_attribute,
    check_graph,
    elementary_link_rate,
)
from .topologies import (
    MAX_AREA_KM,
    MAX_NODES,
    MIN_AREA_KM,
    connected_geometric_graph,
)

__all__ = [
    "QubitAllocation",
    "qubit_allocation_instance",
    "solve_allocation",
]


class QubitAllocation:
    """Distribute ``budget`` memory qubits over the nodes that carry ``demands``.

    ``nodes`` lists the decision variables (the nodes on some path). A node's qubits are
    split evenly over its used links; see the module docstring for the rate model.

    Parameters
    ----------
    graph : networkx.Graph
        Fibre graph with link ``length_km``.
    demands : sequence of (hashable, hashable)
        (source, destination) pairs, each routed on its shortest path.
    budget : int
        Total memory qubits to place, at least 1.
    coherence_time_s, n_modes, detector_efficiency, swap_success : optional
        Link and memory physics (see :mod:`qnetlab.network.topologies`).

    Raises
    ------
    ValueError
        If a demand node is not in the graph or not connected, or an argument is out of
        range.

    Examples
    --------
    >>> g = nx.path_graph(3); nx.set_edge_attributes(g, 50.0, "length_km")
    >>> prob = QubitAllocation(g, [(0, 2)], budget=8)
    >>> prob.nodes, prob.best_allocation()[0]  # the middle node serves two links
    ((0, 1, 2), {0: 2, 1: 4, 2: 2})
    """

    def __init__(
        self,
        graph: nx.Graph,
        demands: Sequence[tuple[Hashable, Hashable]],
        budget: int,
        *,
        coherence_time_s: float = DEFAULT_COHERENCE_TIME_S,
        n_modes: int = 1,
        detector_efficiency: float = 0.9,
        swap_success: float = 1.0,
    ) -> None:
        check_graph(graph)
        self.graph = graph
        self.demands = tuple((a, b) for a, b in demands)
        if not self.demands:
            raise ValueError("demands must contain at least one (source, destination) pair")
        self.budget = check_integer(budget, "budget", minimum=1)
        self.coherence_time_s = check_positive(coherence_time_s, "coherence_time_s")
        self.swap_success = check_in_range(
            swap_success, "swap_success", 0.0, 1.0, low_inclusive=False
        )
        paths = []
        for a, b in self.demands:
            for x in (a, b):
                if x not in graph:
                    raise ValueError(f"demand node {x!r} is not a node of the graph")
            if a == b:
                raise ValueError(f"a demand must join two different nodes, got ({a!r}, {b!r})")
            try:
                paths.append(nx.shortest_path(graph, a, b, weight="length_km"))
            except nx.NetworkXNoPath as exc:
                raise ValueError(f"demand nodes {a!r} and {b!r} are not connected") from exc
        self.paths = paths
        nodes: list[Hashable] = []
        for p in paths:
            nodes.extend(x for x in p if x not in nodes)
        self.nodes = tuple(nodes)
        idx = {n: i for i, n in enumerate(self.nodes)}
        links: list[tuple[int, int]] = []
        for p in paths:
            for u, v in itertools.pairwise(p):
                e = (min(idx[u], idx[v]), max(idx[u], idx[v]))
                if e not in links:
                    links.append(e)
        self.links = links
        lengths = []
        for i, j in links:
            d = self.graph.edges[self.nodes[i], self.nodes[j]]
            if "length_km" not in d:
                raise ValueError(
                    _missing_attribute(f"link ({self.nodes[i]!r}, {self.nodes[j]!r})", "length_km")
                )
            lengths.append(check_non_negative(d["length_km"], "length_km"))
        self.link_length = np.array(lengths)
        self.link_rate1 = np.array(
            [
                elementary_link_rate(L, detector_efficiency=detector_efficiency, n_modes=n_modes)
                for L in lengths
            ]
        )
        self.degree = np.zeros(len(self.nodes))
        for i, j in links:
            self.degree[i] += 1
            self.degree[j] += 1
        self.users = np.zeros(len(links))
        self.path_links: list[list[int]] = []
        for p in paths:
            lk = []
            for u, v in itertools.pairwise(p):
                e = (min(idx[u], idx[v]), max(idx[u], idx[v]))
                lk.append(links.index(e))
                self.users[links.index(e)] += 1
            self.path_links.append(lk)
        self.t_cc = np.array(
            [self.link_length[lk].sum() / C_FIBER_KM_PER_S for lk in self.path_links]
        )
        self.n_nodes = len(self.nodes)

    def rates_batch(self, allocation: ArrayLike) -> np.ndarray:
        """Demand rates (pairs/s) for each row of ``allocation`` (qubits per node)."""
        m = np.atleast_2d(np.asarray(allocation, dtype=float))
        if m.shape[1] != self.n_nodes:
            raise ValueError(
                f"allocation must give qubits for {self.n_nodes} nodes, got {m.shape[1]}"
            )
        if np.any(m < 0):
            raise ValueError("allocation must be non-negative")
        share = m / self.degree
        ends = np.array(self.links)
        n_e = np.minimum(share[:, ends[:, 0]], share[:, ends[:, 1]])
        link_rate = n_e * self.link_rate1 / self.users
        out = np.empty((m.shape[0], len(self.demands)))
        for d, lk in enumerate(self.path_links):
            r = link_rate[:, lk]
            wait = _expected_max_rows(r)
            n_sw = len(lk) - 1
            out[:, d] = np.where(
                np.isfinite(wait), self.swap_success**n_sw / (wait + self.t_cc[d]), 0.0
            )
        return out

    def utility_batch(self, allocation: ArrayLike) -> np.ndarray:
        """Utility ``Σ_d log₁₀(1 + R_d)`` for each row of ``allocation``."""
        return np.log10(1.0 + self.rates_batch(allocation)).sum(axis=1)

    def utility(self, allocation: ArrayLike) -> float:
        """Utility of one allocation (qubits per node, in the order of ``nodes``)."""
        a = np.asarray(allocation)
        if a.shape != (self.n_nodes,):
            raise ValueError(f"allocation must have shape ({self.n_nodes},), got {a.shape}")
        if int(np.sum(a)) > self.budget:
            raise ValueError(
                f"allocation uses {int(np.sum(a))} qubits, more than the budget {self.budget}"
            )
        return float(self.utility_batch(a)[0])

    def uniform_allocation(self) -> np.ndarray:
        """The budget spread as evenly as possible over ``nodes`` (the naive design)."""
        return allocation_from_weights(np.ones(self.n_nodes), self.budget)

    def best_allocation(self) -> tuple[dict[Hashable, int], float]:
        """The optimal allocation (by exhaustive search) and its utility."""
        sol = solve_allocation(self, "exhaustive")
        return sol.solution, sol.utility

    def __repr__(self) -> str:
        return (
            f"QubitAllocation(nodes={self.n_nodes}, demands={len(self.demands)}, budget={self.budget}, "
            f"allocations={math.comb(self.budget + self.n_nodes - 1, self.n_nodes - 1)})"
        )


def qubit_allocation_instance(
    n_nodes: int = 8,
    n_demands: int = 3,
    budget: int = 24,
    *,
    area_km: float = 150.0,
    radius: float = 0.5,
    max_decision_nodes: int = 7,
    seed: SeedLike = None,
    **options: Any,
) -> QubitAllocation:
    """A random qubit-allocation instance on a metro-scale random geometric graph.

    Nodes are uniform in an ``area_km`` square and joined when closer than
    ``radius × area_km``; ``n_demands`` distinct node pairs are drawn at random. The
    instance is redrawn (up to 500 times) until the graph is connected, the demands' paths
    use at most ``max_decision_nodes`` nodes (small enough to enumerate) and some path has
    an intermediate node.

    Parameters
    ----------
    n_nodes : int, optional
        Number of nodes, in [2, 5000].
    n_demands : int, optional
        Number of demand pairs, in [1, n_nodes (n_nodes − 1) / 2].
    budget : int, optional
        Total memory qubits to place, at least 1.
    area_km : float, optional
        Side of the square (km), in [1e-3, 1e5].
    radius : float, optional
        Link radius as a fraction of ``area_km``, in (0, 2].
    max_decision_nodes : int, optional
        Most nodes the demands' paths may use, at least 2.
    seed : int, numpy.random.Generator or None, optional
        Randomness of the graph and the demands.
    **options
        Passed to :class:`QubitAllocation`: ``coherence_time_s``, ``n_modes``,
        ``detector_efficiency``, ``swap_success``.

    Returns
    -------
    QubitAllocation
        The instance.

    Raises
    ------
    TypeError
        If a number has the wrong type or ``options`` holds an unknown keyword.
    ValueError
        If a value is outside its range or no draw in 500 meets the conditions.

    Examples
    --------
    >>> prob = qubit_allocation_instance(seed=3)
    >>> prob.n_nodes <= 7
    True
    """
    n = check_size(n_nodes, "n_nodes", minimum=2, maximum=MAX_NODES)
    nd = check_integer(n_demands, "n_demands", minimum=1, maximum=n * (n - 1) // 2)
    area = check_in_range(area_km, "area_km", MIN_AREA_KM, MAX_AREA_KM)
    rad = check_in_range(radius, "radius", 0.0, 2.0, low_inclusive=False)
    cap = check_integer(max_decision_nodes, "max_decision_nodes", minimum=2)
    rng = make_rng(seed)
    for _ in range(500):
        try:
            g = connected_geometric_graph(n, area, rad, seed=rng, attempts=1)
        except ValueError:  # this draw is disconnected: draw again
            continue
        demands = []
        while len(demands) < nd:
            a, b = (int(x) for x in rng.choice(n, 2, replace=False))
            if (a, b) not in demands and (b, a) not in demands:
                demands.append((a, b))
        prob = QubitAllocation(g, demands, budget, **options)
        if prob.n_nodes <= cap and any(len(p) > 2 for p in prob.paths):
            return prob
    raise ValueError(
        f"could not draw an instance with at most max_decision_nodes={cap} decision nodes "
        f"in 500 draws (n_nodes={n}, n_demands={nd}, area_km={area:g}, radius={rad:g}); "
        "lower n_demands or radius, or raise max_decision_nodes"
    )


def solve_allocation(
    problem: QubitAllocation,
    method: str,
    *,
    budget: int | None = None,
    seed: SeedLike = None,
    progress: bool = False,
    **options: Any,
) -> DesignSolution:
    """Solve a qubit-allocation problem with an exhaustive search or a heuristic.

    Exhaustive search evaluates all compositions of the budget at once (vectorised). The
    GA and particle swarm search real weights in [0, 1] per node, turned into an
    allocation by :func:`~qnetlab.network.design.allocation_from_weights`; simulated
    annealing moves one qubit from one node to another, starting from the uniform
    allocation; random search draws ``budget`` uniformly random compositions (default
    600). With a ``budget``, every heuristic stops after exactly that many utility
    evaluations, as in :func:`~qnetlab.network.placement.solve_placement`.

    Parameters
    ----------
    problem : QubitAllocation
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
        ``simulated_annealing`` or ``particle_swarm``).

    Returns
    -------
    DesignSolution
        The qubits per node (a dict in the order of ``problem.nodes``), their utility and
        the optimiser's result.

    Raises
    ------
    TypeError
        If ``problem`` is not a :class:`QubitAllocation`, ``budget`` is not an integer
        or ``options`` holds a keyword the optimiser does not take.
    ValueError
        If ``method`` is unknown or a heuristic's ``budget`` is below 1.

    Examples
    --------
    >>> prob = qubit_allocation_instance(seed=3)
    >>> best = solve_allocation(prob, "exhaustive")
    >>> pso = solve_allocation(prob, "pso", seed=0)
    >>> bool(pso.utility >= 0.99 * best.utility)
    True
    """
    if not isinstance(problem, QubitAllocation):
        raise TypeError("problem must be a QubitAllocation")
    check_choice(method, "method", DESIGN_METHODS)
    rng = make_rng(seed)
    n, budget_q = problem.n_nodes, problem.budget

    def neg(a: np.ndarray) -> float:
        return -float(problem.utility_batch(a)[0])

    if method == "exhaustive":
        allocs = compositions(budget_q, n)
        u = problem.utility_batch(allocs)
        best_i = int(np.argmax(u))
        hist = np.minimum.accumulate(-u)  # best (lowest) −utility after each candidate
        res = opt.OptimizeResult(
            allocs[best_i], float(-u[best_i]), hist, int(u.size), "exhaustive_search"
        )
        alloc = allocs[best_i]
    elif method == "random":

        def sample(r: np.random.Generator) -> np.ndarray:
            bars = np.sort(r.choice(budget_q + n - 1, n - 1, replace=False))
            return np.diff(np.concatenate([[-1], bars, [budget_q + n - 1]])) - 1

        res = opt.random_search(
            neg,
            sample,
            600 if budget is None else check_integer(budget, "budget", minimum=1),
            seed=rng,
            progress=progress,
        )
        alloc = res.x
    elif method in ("ga", "pso"):

        def decode(w: np.ndarray) -> np.ndarray:
            return allocation_from_weights(w, budget_q)

        if method == "ga":
            kw = _budget_options(
                method, budget, options, {"population_size": 30, "n_generations": 60}
            )
            res = opt.genetic_algorithm(
                lambda w: neg(decode(w)),
                [(0.0, 1.0)] * n,
                gene_type="real",
                seed=rng,
                progress=progress,
                **kw,
            )
        else:
            kw = _budget_options(method, budget, options, {"n_particles": 30, "n_iterations": 60})
            res = opt.particle_swarm(
                lambda w: neg(decode(w)), [(0.0, 1.0)] * n, seed=rng, progress=progress, **kw
            )
        alloc = decode(res.x)
    else:

        def neighbour(x: np.ndarray, r: np.random.Generator) -> np.ndarray:
            y = x.copy()
            donors = np.flatnonzero(y > 0)
            i = r.choice(donors)
            j = r.integers(n - 1)
            j = j + 1 if j >= i else j
            y[i] -= 1
            y[j] += 1
            return y

        kw = _budget_options(method, budget, options, {"n_iterations": 3000})
        res = opt.simulated_annealing(
            neg,
            problem.uniform_allocation(),
            neighbour=neighbour,
            seed=rng,
            progress=progress,
            **kw,
        )
        alloc = res.x
    alloc = np.asarray(alloc, dtype=np.int64)
    solution = {node: int(q) for node, q in zip(problem.nodes, alloc)}
    return DesignSolution(method, solution, float(problem.utility_batch(alloc)[0]), res)
