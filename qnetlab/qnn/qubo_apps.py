"""Two QUBO case studies for 6G emerging technologies: robot task assignment and traffic signals.

- :func:`robot_assignment`: robots on a road graph each take exactly one task, each task
  at most one robot, minimising total travel time. As a QUBO (one-hot and at-most-one
  penalties, Lucas 2014) it has ``robots × tasks`` variables; classically it is a
  rectangular assignment problem that the Hungarian algorithm solves exactly in
  polynomial time (:meth:`RobotAssignment.exact`), and a greedy nearest-pair rule is the
  natural quick heuristic (:meth:`RobotAssignment.greedy`).
- :func:`traffic_signals`: a grid of intersections, each showing green to north–south
  (x = 1) or east–west (x = 0) traffic in one cycle; serving the larger queue and green
  waves along the streets lower the energy. Every pair term is non-positive, so the QUBO is
  submodular and :func:`qnetlab.qnn.qubo.min_cut_qubo` solves it exactly.

>>> inst = robot_assignment(2, 2, seed=1)
>>> q, c = inst.qubo()
>>> from qnetlab.qnn.qubo import brute_force_qubo
>>> brute_force_qubo(q, c)[0] == inst.exact()[1]
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validation import SeedLike, check_integer, check_real, make_rng
from .qubo import at_most_one_penalty, one_hot_penalty, penalty_weight

__all__ = [
    "RobotAssignment",
    "TrafficSignals",
    "robot_assignment",
    "traffic_signals",
]


def _grid_roads(rows: int, cols: int, rng: np.random.Generator) -> Any:
    import networkx as nx

    g = nx.convert_node_labels_to_integers(nx.grid_2d_graph(rows, cols), ordering="sorted")
    for a, b in g.edges:
        g.edges[a, b]["weight"] = int(rng.integers(1, 4))  # travel time, minutes
    return g


@dataclass(frozen=True)
class RobotAssignment:
    """Robots and tasks on a road graph; ``cost[r, t]`` is the shortest travel time.

    Variable ``r · n_tasks + t`` is 1 when robot r takes task t.

    Parameters
    ----------
    roads : networkx.Graph
        the road graph (edge attribute ``weight``: travel time).
    robots, tasks : tuple of int
        the nodes where robots stand and tasks wait.
    cost : numpy.ndarray
        travel times, shape (robots, tasks).

    Examples
    --------
    >>> inst = robot_assignment(2, 3, seed=0)
    >>> inst.cost.shape, inst.n_variables
    ((2, 3), 6)
    """

    roads: Any = field(repr=False)
    robots: tuple[int, ...]
    tasks: tuple[int, ...]
    cost: np.ndarray = field(repr=False)

    @property
    def n_variables(self) -> int:
        """Number of binary variables (qubits): robots × tasks."""
        return int(self.cost.size)

    def qubo(self, weight: float | None = None) -> tuple[np.ndarray, float]:
        """The QUBO ``Σ c_rt x_rt + A Σ_r (Σ_t x_rt − 1)² + A Σ_t Σ_{r<r'} x_rt x_r't``.

        Parameters
        ----------
        weight : float, optional
            the penalty A; None uses :func:`~qnetlab.qnn.qubo.penalty_weight` of the
            objective, which guarantees that every infeasible assignment costs more
            than the best feasible one.

        Returns
        -------
        tuple of (numpy.ndarray, float)
            Q and the offset; a feasible assignment's energy is its travel time.

        Examples
        --------
        >>> q, c = robot_assignment(2, 2, seed=0).qubo()
        >>> q.shape
        (4, 4)
        """
        nr, nt = self.cost.shape
        n = nr * nt
        obj = np.diag(self.cost.ravel().astype(float))
        a = penalty_weight(obj) if weight is None else check_real(weight, "weight")
        q1, c1 = one_hot_penalty(n, [range(r * nt, (r + 1) * nt) for r in range(nr)], a)
        q2, c2 = at_most_one_penalty(n, [range(t, n, nt) for t in range(nt)], a)
        return obj + q1 + q2, c1 + c2

    def decode(self, bits: Any) -> dict[int, int] | None:
        """The assignment {robot: task} a bit string encodes, or None if infeasible.

        Parameters
        ----------
        bits : str or array-like
            n_variables bits.

        Returns
        -------
        dict or None
            robot index -> task index.

        Examples
        --------
        >>> robot_assignment(2, 2, seed=0).decode("1001")
        {0: 0, 1: 1}
        """
        x = np.array([int(b) for b in bits]) if isinstance(bits, str) else np.asarray(bits)
        x = x.reshape(self.cost.shape)
        if np.any(x.sum(axis=1) != 1) or np.any(x.sum(axis=0) > 1):
            return None
        return {r: int(np.argmax(x[r])) for r in range(x.shape[0])}

    def exact(self) -> tuple[dict[int, int], float]:
        """Optimal assignment by the Hungarian algorithm (SciPy ``linear_sum_assignment``).

        Returns
        -------
        tuple of (dict, float)
            the assignment and its total travel time.

        Examples
        --------
        >>> a, t = robot_assignment(2, 2, seed=0).exact()
        >>> sorted(a)
        [0, 1]
        """
        from scipy.optimize import linear_sum_assignment

        rows, cols = linear_sum_assignment(self.cost)
        return {int(r): int(t) for r, t in zip(rows, cols, strict=True)}, float(
            self.cost[rows, cols].sum()
        )

    def greedy(self) -> tuple[dict[int, int], float]:
        """Nearest pair first: repeatedly give the closest free task to its free robot.

        Returns
        -------
        tuple of (dict, float)
            the assignment and its total travel time.

        Examples
        --------
        >>> len(robot_assignment(3, 4, seed=0).greedy()[0])
        3
        """
        c = self.cost.astype(float).copy()
        out: dict[int, int] = {}
        for _ in range(c.shape[0]):
            r, t = np.unravel_index(int(np.argmin(c)), c.shape)
            out[int(r)] = int(t)
            c[r, :] = np.inf
            c[:, t] = np.inf
        return out, float(sum(self.cost[r, t] for r, t in out.items()))


def robot_assignment(
    n_robots: int = 3, n_tasks: int = 4, *, grid: int = 5, seed: SeedLike = None
) -> RobotAssignment:
    """A random instance: a ``grid × grid`` street grid with travel times 1–3 minutes per block.

    Robots and tasks stand on distinct random intersections.

    Parameters
    ----------
    n_robots : int, optional
        robots, 1 to 5.
    n_tasks : int, optional
        tasks, ``n_robots`` to 6 (robots × tasks <= 20 variables).
    grid : int, optional
        streets per side, 3 to 20.
    seed : SeedLike, optional
        int, ``np.random.Generator`` or None.

    Returns
    -------
    RobotAssignment
        the instance.

    Raises
    ------
    ValueError
        if the sizes are out of range.

    Examples
    --------
    >>> robot_assignment(3, 4, seed=2).n_variables
    12
    """
    import networkx as nx

    nr = check_integer(n_robots, "n_robots", minimum=1, maximum=5)
    nt = check_integer(n_tasks, "n_tasks", minimum=nr, maximum=6)
    if nr * nt > 20:
        raise ValueError(f"n_robots * n_tasks must be <= 20 variables, got {nr * nt}")
    side = check_integer(grid, "grid", minimum=3, maximum=20)
    rng = make_rng(seed)
    roads = _grid_roads(side, side, rng)
    nodes = rng.choice(side * side, nr + nt, replace=False)
    robots, tasks = tuple(int(v) for v in nodes[:nr]), tuple(int(v) for v in nodes[nr:])
    dist = {r: nx.single_source_dijkstra_path_length(roads, r) for r in robots}
    cost = np.array([[dist[r][t] for t in tasks] for r in robots], dtype=float)
    return RobotAssignment(roads, robots, tasks, cost)


@dataclass(frozen=True)
class TrafficSignals:
    """Signal phases on a street grid as a QUBO (x_i = 1: north–south green at node i).

    ``queue_ns[i]``, ``queue_ew[i]``: vehicles waiting per direction; ``platoons`` maps a
    street segment (i, j) to the vehicles that would pass both lights in one green wave
    (vertical segments: north–south traffic, horizontal: east–west).

    Parameters
    ----------
    rows, cols : int
        the grid.
    queue_ns, queue_ew : numpy.ndarray
        queues per intersection.
    platoons : dict
        (i, j) with i < j -> platoon size.

    Examples
    --------
    >>> traffic_signals(2, 3, seed=0).n_variables
    6
    """

    rows: int
    cols: int
    queue_ns: np.ndarray = field(repr=False)
    queue_ew: np.ndarray = field(repr=False)
    platoons: dict[tuple[int, int], float] = field(repr=False)

    @property
    def n_variables(self) -> int:
        """Number of intersections (qubits)."""
        return self.rows * self.cols

    def qubo(self) -> tuple[np.ndarray, float]:
        """E(x) = −(vehicles served) − (vehicles in green waves), as (Q, offset).

        Served: ``q_ns x + q_ew (1 − x)`` per intersection. A vertical segment (i, j)
        carries a north–south wave when both show north–south (``x_i x_j``), a horizontal one
        an east–west wave when both show east–west (``(1 − x_i)(1 − x_j)``).

        Returns
        -------
        tuple of (numpy.ndarray, float)
            Q (upper triangular, non-positive off-diagonal) and the offset.

        Examples
        --------
        >>> q, c = traffic_signals(2, 2, seed=0).qubo()
        >>> bool(np.all(np.triu(q, 1) <= 0))
        True
        """
        q = np.diag(-(self.queue_ns - self.queue_ew).astype(float))
        offset = -float(self.queue_ew.sum())
        for (i, j), f in self.platoons.items():
            if j - i == self.cols:  # vertical segment: north-south wave
                q[i, j] -= f
            else:  # horizontal: -f (1 - x_i)(1 - x_j)
                offset -= f
                q[i, i] += f
                q[j, j] += f
                q[i, j] -= f
        return q, offset


def traffic_signals(rows: int = 3, cols: int = 4, *, seed: SeedLike = None) -> TrafficSignals:
    """A random rush-hour instance: queues 0–9 vehicles per direction, platoons 1–5.

    Parameters
    ----------
    rows, cols : int, optional
        the grid, rows × cols between 2 and 20 intersections.
    seed : SeedLike, optional
        int, ``np.random.Generator`` or None.

    Returns
    -------
    TrafficSignals
        the instance.

    Raises
    ------
    ValueError
        if the grid is out of range.

    Examples
    --------
    >>> len(traffic_signals(3, 4, seed=1).platoons)
    17
    """
    r = check_integer(rows, "rows", minimum=1, maximum=20)
    c = check_integer(cols, "cols", minimum=1, maximum=20)
    if not 2 <= r * c <= 20:
        raise ValueError(f"rows * cols must be between 2 and 20 intersections, got {r * c}")
    rng = make_rng(seed)
    n = r * c
    qns = rng.integers(0, 10, n).astype(float)
    qew = rng.integers(0, 10, n).astype(float)
    platoons: dict[tuple[int, int], float] = {}
    for i in range(n):
        if (i % c) + 1 < c:
            platoons[(i, i + 1)] = float(rng.integers(1, 6))
        if i + c < n:
            platoons[(i, i + c)] = float(rng.integers(1, 6))
    return TrafficSignals(r, c, qns, qew, platoons)
