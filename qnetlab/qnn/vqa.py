"""Variational quantum algorithms: QAOA on a network max-cut.

Everything runs on Cirq (the ground truth: :func:`qaoa_circuit`) and on a vectorised NumPy
state-vector fast path that the tests check against Cirq; SciPy drives the classical loop.
Costs are counted in circuit executions (parameter-shift gradients included).

- **QAOA** (Farhi, Goldstone & Gutmann 2014): max-cut of a network graph, against brute force
  (:func:`brute_force_maxcut`) and a classical local search (:func:`local_search_maxcut`),
  at depths 1 … p warm-started from each other (:func:`qaoa_depth_sweep`).

The variational quantum eigensolver lives in :mod:`qnetlab.qnn.vqe` and the barren-plateau
experiments in :mod:`qnetlab.qnn.barren_plateaus`; their names
(:func:`~qnetlab.qnn.vqe.run_vqe`, :func:`~qnetlab.qnn.barren_plateaus.barren_plateau_variance`,
...) are re-exported here, where they lived first, so ``from qnetlab.qnn.vqa import run_vqe``
works.

>>> import networkx as nx
>>> round(run_qaoa(nx.cycle_graph(4), p=2, seed=0).approximation_ratio, 3)
1.0
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_integer,
    check_size,
    make_rng,
)
from ..results import ResultMixin
from ._qaoa import _qaoa_state, check_init, maximise_angles

# VQE (vqe.py) and barren plateaus (barren_plateaus.py) lived here first: their names stay
# importable from this module.
from .barren_plateaus import BarrenPlateauResult as BarrenPlateauResult
from .barren_plateaus import barren_plateau_depth_scan as barren_plateau_depth_scan
from .barren_plateaus import barren_plateau_variance as barren_plateau_variance
from .vqe import VQEResult as VQEResult
from .vqe import _qubits
from .vqe import exact_ground_energy as exact_ground_energy
from .vqe import heisenberg_hamiltonian as heisenberg_hamiltonian
from .vqe import lanczos_ground_energy as lanczos_ground_energy
from .vqe import measurement_settings as measurement_settings
from .vqe import run_vqe as run_vqe
from .vqe import tfim_hamiltonian as tfim_hamiltonian
from .vqe import vqe_circuit as vqe_circuit

__all__ = [
    "QAOAResult",
    "brute_force_maxcut",
    "local_search_maxcut",
    "maxcut_qubo",
    "network_graph",
    "qaoa_circuit",
    "qaoa_depth_sweep",
    "run_qaoa",
]


def network_graph(n_nodes: int = 8, *, degree: int = 3, seed: SeedLike = None) -> Any:
    """A connected random ``degree``-regular network graph with integer link weights 1–3.

    Weights model link capacities (a max-cut splits the network into two halves with the
    most capacity between them, e.g. to place two controllers or two frequency plans). Graphs
    are drawn with ``networkx.random_regular_graph`` until one is connected (up to 100 draws);
    weights are uniform on {1, 2, 3}.

    Parameters
    ----------
    n_nodes : int, default 8
        Nodes, labelled 0 … n − 1, in [3, 16].
    degree : int, default 3
        Degree of every node, in [2, n_nodes − 1]; ``n_nodes * degree`` must be even.
    seed : int, numpy.random.Generator or None, optional
        Graph and weights, normalised by ``make_rng``.

    Returns
    -------
    networkx.Graph
        The graph, with an integer ``"weight"`` on every edge.

    Raises
    ------
    TypeError
        If ``n_nodes`` or ``degree`` is not an integer.
    ValueError
        If ``n_nodes`` or ``degree`` is out of range, or ``n_nodes * degree`` is odd.

    Examples
    --------
    >>> g = network_graph(8, seed=3)
    >>> g.number_of_nodes(), g.number_of_edges()
    (8, 12)
    >>> {d["weight"] for *_, d in g.edges(data=True)} <= {1, 2, 3}
    True
    """
    import networkx as nx

    n = check_integer(n_nodes, "n_nodes", minimum=3, maximum=16)
    d = check_integer(degree, "degree", minimum=2, maximum=n - 1)
    if (n * d) % 2:
        raise ValueError(f"n_nodes * degree must be even for a regular graph, got {n} * {d}")
    rng = make_rng(seed)
    for _ in range(100):
        g = nx.random_regular_graph(d, n, seed=int(rng.integers(2**31)))
        if nx.is_connected(g):
            break
    for a, b in g.edges:
        g.edges[a, b]["weight"] = int(rng.integers(1, 4))
    return g


def _edges(graph: Any) -> tuple[int, list[tuple[int, int, float]]]:
    try:
        nodes = sorted(graph.nodes)
    except AttributeError as exc:
        raise TypeError(f"graph must be a networkx graph, got {type(graph).__name__}") from exc
    n = len(nodes)
    if nodes != list(range(n)):
        raise ValueError("graph nodes must be labelled 0 .. n-1")
    if not 2 <= n <= 16:
        raise ValueError(f"graph must have between 2 and 16 nodes, got {n}")
    edges = [(a, b, float(d.get("weight", 1.0))) for a, b, d in graph.edges(data=True)]
    if not edges:
        raise ValueError("graph must have at least one edge")
    return n, edges


def maxcut_qubo(graph: Any) -> np.ndarray:
    """QUBO matrix Q with cut(x) = −xᵀQx for x ∈ {0,1}ⁿ (so max-cut is min xᵀQx).

    cut(x) = Σ_{(i,j)} w_ij (x_i + x_j − 2 x_i x_j): diagonal Q_ii = −Σ_j w_ij, off-diagonal
    Q_ij = w_ij. Edges without a ``"weight"`` count 1.

    Parameters
    ----------
    graph : networkx.Graph
        Nodes labelled 0 … n − 1, 2 ≤ n ≤ 16, at least one edge.

    Returns
    -------
    numpy.ndarray
        The symmetric n × n matrix Q.

    Raises
    ------
    TypeError
        If ``graph`` is not a networkx graph.
    ValueError
        If its nodes are not 0 … n − 1, n is outside [2, 16], or it has no edge.

    Examples
    --------
    >>> import networkx as nx
    >>> maxcut_qubo(nx.path_graph(2)).tolist()
    [[-1.0, 1.0], [1.0, -1.0]]
    """
    n, edges = _edges(graph)
    q = np.zeros((n, n))
    for a, b, w in edges:
        q[a, a] -= w
        q[b, b] -= w
        q[a, b] += w
        q[b, a] += w
    return q


def _cut_values(n: int, edges: list[tuple[int, int, float]]) -> np.ndarray:
    bits = ((np.arange(2**n)[:, None] >> (n - 1 - np.arange(n))) & 1).astype(float)
    c = np.zeros(2**n)
    for a, b, w in edges:
        c += w * (bits[:, a] != bits[:, b])
    return c


def brute_force_maxcut(graph: Any) -> tuple[float, list[str]]:
    """Exact max-cut by enumeration of the 2ⁿ partitions, with every optimal bit string.

    The exact baseline of :func:`run_qaoa` and :func:`local_search_maxcut`. Bit strings list
    node 0 first; a cut and its complement are both optimal, so there are at least two.

    Parameters
    ----------
    graph : networkx.Graph
        Nodes labelled 0 … n − 1, 2 ≤ n ≤ 16, at least one edge (``"weight"`` default 1).

    Returns
    -------
    best : float
        The maximum cut weight.
    optimal : list of str
        All optimal bit strings, in increasing order.

    Raises
    ------
    TypeError
        If ``graph`` is not a networkx graph.
    ValueError
        If its nodes are not 0 … n − 1, n is outside [2, 16], or it has no edge.

    Examples
    --------
    >>> import networkx as nx
    >>> brute_force_maxcut(nx.cycle_graph(4))
    (4.0, ['0101', '1010'])
    """
    n, edges = _edges(graph)
    c = _cut_values(n, edges)
    best = float(c.max())
    idx = np.flatnonzero(np.isclose(c, best))
    return best, [format(int(i), f"0{n}b") for i in idx]


def local_search_maxcut(
    graph: Any, n_starts: int = 10, *, seed: SeedLike = None
) -> tuple[float, str, int]:
    """Classical max-cut heuristic: steepest-ascent single-flip local search, random restarts.

    From each random partition, flip the node whose move gains the most cut weight until no
    flip gains. Counts every tried flip as one evaluation of the cut function (the currency
    of QAOA's samples), so the heuristic and QAOA can be compared at equal cost.

    Parameters
    ----------
    graph : networkx.Graph
        Nodes labelled 0 … n − 1, 2 ≤ n ≤ 16, at least one edge (``"weight"`` default 1).
    n_starts : int, default 10
        Random starting partitions, in [1, 1000].
    seed : int, numpy.random.Generator or None, optional
        Starting partitions, normalised by ``make_rng``.

    Returns
    -------
    cut : float
        The best cut weight found.
    bits : str
        Its partition, node 0 first.
    evaluations : int
        Cut-function evaluations spent.

    Raises
    ------
    TypeError
        If ``graph`` is not a networkx graph or ``n_starts`` not an integer.
    ValueError
        If the graph is invalid (see :func:`maxcut_qubo`) or ``n_starts`` is out of range.

    Examples
    --------
    >>> import networkx as nx
    >>> cut, bits, evals = local_search_maxcut(nx.cycle_graph(6), 3, seed=1)
    >>> cut, bits in ("010101", "101010")
    (6.0, True)
    """
    n, edges = _edges(graph)
    n_starts = check_size(n_starts, "n_starts", minimum=1, maximum=1000)
    rng = make_rng(seed)
    w = np.zeros((n, n))
    for a, b, wt in edges:
        w[a, b] += wt
        w[b, a] += wt
    best, best_x, evals = -np.inf, None, 0
    for _ in range(n_starts):
        x = rng.integers(0, 2, n)
        evals += 1
        while True:
            s = 1 - 2 * x  # ±1 spins; gain of flipping i = Σ_j w_ij s_i s_j
            gain = s * (w @ s)
            evals += n
            i = int(np.argmax(gain))
            if gain[i] <= 1e-12:
                break
            x[i] ^= 1
        s = 1 - 2 * x
        cut = float(np.sum(np.triu(w, 1) * (1 - np.outer(s, s)) / 2))
        if cut > best:
            best, best_x = cut, x.copy()
    return best, "".join(str(int(v)) for v in best_x), evals


def qaoa_circuit(graph: Any, gammas: Any = None, betas: Any = None) -> Any:
    """The QAOA circuit for max-cut: H on all, then p × (cost phases, Rx mixer).

    Cost layer exp(−iγ C) with C = Σ w_ij (1 − Z_iZ_j)/2 (up to a global phase), one
    ``ZZPowGate`` per edge; mixer exp(−iβ Σ X_i) = Π rx(2β). The Cirq ground truth of the
    fast path of :func:`run_qaoa`.

    Parameters
    ----------
    graph : networkx.Graph
        Nodes labelled 0 … n − 1, 2 ≤ n ≤ 16, at least one edge (``"weight"`` default 1).
    gammas : sequence of float, optional
        Cost angles γ₁ … γ_p; with ``betas``, None gives p = 1 with the sympy symbols
        ``gamma_0`` and ``beta_0``.
    betas : sequence of float, optional
        Mixer angles β₁ … β_p, as many as ``gammas``.

    Returns
    -------
    cirq.Circuit
        The circuit on ``cirq.GridQubit(0, i)`` (no measurement).

    Raises
    ------
    TypeError
        If ``graph`` is not a networkx graph.
    ValueError
        If the graph is invalid (see :func:`maxcut_qubo`), or ``gammas`` and ``betas`` are
        empty or of different lengths.

    Examples
    --------
    >>> import networkx as nx
    >>> c = qaoa_circuit(nx.cycle_graph(4), [0.4], [0.3])
    >>> len(c.all_qubits()), len(list(c.all_operations()))
    (4, 12)
    """
    import cirq
    import sympy

    n, edges = _edges(graph)
    if gammas is None or betas is None:
        gammas, betas = [sympy.Symbol("gamma_0")], [sympy.Symbol("beta_0")]
    if len(gammas) != len(betas) or len(gammas) == 0:
        raise ValueError("gammas and betas must be non-empty and of equal length")
    q = _qubits(n)
    c = cirq.Circuit(cirq.H.on_each(*q))
    for g, b in zip(gammas, betas, strict=True):
        for i, j, w in edges:
            c.append(cirq.ZZPowGate(exponent=-g * w / np.pi, global_shift=-0.5)(q[i], q[j]))
        c.append(cirq.rx(2 * b).on_each(*q))
    return c


@dataclass(frozen=True)
class QAOAResult(ResultMixin):
    """Outcome of :func:`run_qaoa` at depth ``p``.

    ``n_circuits`` counts the circuit executions of the angle optimisation as hardware would
    run it: per optimiser call one circuit for ⟨C⟩ and 2 per angle for the parameter-shift
    gradient (a lower bound: γ is shared by all cost gates), times the shots per circuit.
    The property ``approximation_ratio`` is ⟨C⟩ / C_max.

    Parameters
    ----------
    p : int
        QAOA depth.
    gammas : numpy.ndarray
        Optimal cost angles, length p.
    betas : numpy.ndarray
        Optimal mixer angles, length p.
    expected_cut : float
        ⟨C⟩ at those angles.
    max_cut : float
        The maximum cut C_max (by enumeration).
    probability_optimal : float
        Probability that one measurement gives an optimal cut.
    n_circuits : int, default 0
        Circuit executions of the optimisation (parameter-shift accounting).

    Examples
    --------
    >>> r = QAOAResult(p=1, gammas=np.array([0.4]), betas=np.array([0.3]),
    ...                expected_cut=3.0, max_cut=4.0, probability_optimal=0.5)
    >>> r
    QAOAResult(p=1, expected_cut=3.0000, max_cut=4, approximation_ratio=0.7500,
               probability_optimal=0.5000)
    """

    p: int
    gammas: np.ndarray = field(repr=False)
    betas: np.ndarray = field(repr=False)
    expected_cut: float
    max_cut: float
    probability_optimal: float
    n_circuits: int = 0

    @property
    def approximation_ratio(self) -> float:
        """⟨C⟩ / C_max."""
        return self.expected_cut / self.max_cut

    def __repr__(self) -> str:
        return (
            f"QAOAResult(p={self.p}, expected_cut={self.expected_cut:.4f}, "
            f"max_cut={self.max_cut:g}, approximation_ratio={self.approximation_ratio:.4f}, "
            f"probability_optimal={self.probability_optimal:.4f})"
        )


def run_qaoa(
    graph: Any,
    p: int = 1,
    *,
    restarts: int = 10,
    init: tuple[Any, Any] | None = None,
    seed: SeedLike = None,
) -> QAOAResult:
    """Optimise QAOA angles (L-BFGS-B on the NumPy fast path) for max-cut of ``graph``.

    Maximises ⟨C⟩ with exact adjoint gradients from every start and keeps the best.
    ``init`` = (gammas, betas) gives one extra start (e.g. interpolated from depth p − 1,
    the INTERP heuristic of Zhou et al. 2020); ``restarts`` random starts are added
    (γ uniform in [0, πn/W) for total weight W, β in [0, π/2)).

    Parameters
    ----------
    graph : networkx.Graph
        Nodes labelled 0 … n − 1, 2 ≤ n ≤ 16, at least one edge (``"weight"`` default 1).
    p : int, default 1
        Depth, in [1, 20].
    restarts : int, default 10
        Random starts, in [0, 1000] (at least 1 when ``init`` is None).
    init : tuple of two array_like, optional
        Start angles (gammas, betas), each of length p.
    seed : int, numpy.random.Generator or None, optional
        Random starts, normalised by ``make_rng``.

    Returns
    -------
    QAOAResult
        The best angles, ⟨C⟩, C_max, the probability of an optimal cut and the cost.

    Raises
    ------
    TypeError
        If ``graph`` is not a networkx graph, or ``p``/``restarts`` not an integer.
    ValueError
        If the graph is invalid (see :func:`maxcut_qubo`), ``p`` or ``restarts`` is out of
        range, ``init`` does not hold two arrays of length p, or there is no start.

    Examples
    --------
    >>> import networkx as nx
    >>> r = run_qaoa(nx.cycle_graph(4), p=2, seed=0)
    >>> round(r.approximation_ratio, 3), round(r.probability_optimal, 3)
    (1.0, 1.0)
    """
    n, edges = _edges(graph)
    p = check_integer(p, "p", minimum=1, maximum=20)
    restarts = check_size(restarts, "restarts", minimum=0, maximum=1000)
    rng = make_rng(seed)
    cut = _cut_values(n, edges)
    cmax = float(cut.max())
    wsum = sum(w for *_, w in edges)

    starts = [np.concatenate(check_init(init, p))] if init is not None else []
    for _ in range(restarts):
        starts.append(
            np.concatenate([rng.uniform(0, np.pi / wsum * n, p), rng.uniform(0, np.pi / 2, p)])
        )
    best, calls = maximise_angles(cut, n, starts)
    x = best.x
    probs = np.abs(_qaoa_state(cut, n, x[:p], x[p:])) ** 2
    return QAOAResult(
        p=p,
        gammas=x[:p].copy(),
        betas=x[p:].copy(),
        expected_cut=-float(best.fun),
        max_cut=cmax,
        probability_optimal=float(probs[np.isclose(cut, cmax)].sum()),
        n_circuits=calls * (1 + 4 * p),
    )


def _interp(v: np.ndarray) -> np.ndarray:
    p = len(v)
    out = np.empty(p + 1)
    for i in range(p + 1):
        left = v[i - 1] if i >= 1 else 0.0
        right = v[i] if i < p else 0.0
        out[i] = i / p * left + (p - i) / p * right
    return out


def qaoa_depth_sweep(
    graph: Any, p_max: int = 5, *, restarts: int = 5, seed: SeedLike = None
) -> list[QAOAResult]:
    """QAOA at depths 1 … ``p_max``, each warm-started from the previous depth (INTERP).

    Depth p + 1 starts from the optimal angles of depth p linearly interpolated to p + 1
    points (Zhou et al. 2020), plus ``restarts`` random starts; all draws come from one
    generator.

    Parameters
    ----------
    graph : networkx.Graph
        Nodes labelled 0 … n − 1, 2 ≤ n ≤ 16, at least one edge (``"weight"`` default 1).
    p_max : int, default 5
        Largest depth, in [1, 20].
    restarts : int, default 5
        Random starts per depth, in [0, 1000].
    seed : int, numpy.random.Generator or None, optional
        Random starts, normalised by ``make_rng``.

    Returns
    -------
    list of QAOAResult
        One result per depth 1 … p_max.

    Raises
    ------
    TypeError
        If ``graph`` is not a networkx graph, or a count is not an integer.
    ValueError
        If the graph is invalid (see :func:`maxcut_qubo`) or a count is out of range.

    Examples
    --------
    >>> import networkx as nx
    >>> [round(r.approximation_ratio, 3) for r in qaoa_depth_sweep(nx.cycle_graph(4), 2, seed=0)]
    [0.75, 1.0]
    """
    p_max = check_integer(p_max, "p_max", minimum=1, maximum=20)
    rng = make_rng(seed)
    out: list[QAOAResult] = []
    for p in range(1, p_max + 1):
        init = None if not out else (_interp(out[-1].gammas), _interp(out[-1].betas))
        out.append(run_qaoa(graph, p, restarts=restarts, init=init, seed=rng))
    return out
