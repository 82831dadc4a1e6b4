"""Variational quantum algorithms: VQE, QAOA on a network max-cut, barren plateaus.

Everything runs on Cirq (the ground truth: :func:`vqe_circuit`, :func:`qaoa_circuit`) and on
a vectorised NumPy state-vector fast path that the tests check against Cirq; SciPy drives the
classical loop. Costs are counted in circuit executions (parameter-shift gradients included).

- **VQE** (Peruzzo et al. 2014; Kandala et al. 2017) on the Ising or Heisenberg chain, against
  exact diagonalisation (Lanczos).
- **QAOA** (Farhi, Goldstone & Gutmann 2014): max-cut of a network graph, against brute force
  and a classical local search.
- **Barren plateaus** (McClean et al. 2018): gradient variance over random circuits per qubit
  number and depth, with a fitted exponent and its confidence interval.

>>> run_vqe(tfim_hamiltonian(4), layers=3, seed=1).error < 1e-2
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_choice,
    check_integer,
    check_non_negative,
    check_size,
    make_rng,
)
from ..plotting_results import plot_curves
from ..results import ResultMixin
from ._qaoa import _qaoa_state, check_init, maximise_angles
from ._sim import Op, _zsign, energy_and_gradient, random_layers_batch, simulate, to_cirq

__all__ = [
    "BarrenPlateauResult",
    "QAOAResult",
    "VQEResult",
    "barren_plateau_depth_scan",
    "barren_plateau_variance",
    "brute_force_maxcut",
    "exact_ground_energy",
    "heisenberg_hamiltonian",
    "lanczos_ground_energy",
    "local_search_maxcut",
    "maxcut_qubo",
    "measurement_settings",
    "network_graph",
    "qaoa_circuit",
    "qaoa_depth_sweep",
    "run_qaoa",
    "run_vqe",
    "tfim_hamiltonian",
    "vqe_circuit",
]


def _qubits(n: int) -> list[Any]:
    import cirq

    return cirq.GridQubit.rect(1, n)


def tfim_hamiltonian(
    n_qubits: int, j: float = 1.0, h: float = 1.0, *, periodic: bool = False
) -> Any:
    """Transverse-field Ising chain H = −J Σ Z_i Z_{i+1} − h Σ X_i as a ``cirq.PauliSum``.

    Qubits are ``cirq.GridQubit(0, i)`` (TFQ needs grid qubits).

    >>> len(tfim_hamiltonian(4))
    7
    """
    import cirq

    n = check_integer(n_qubits, "n_qubits", minimum=2, maximum=12)
    j = float(check_non_negative(j, "j"))
    h = float(check_non_negative(h, "h"))
    q = _qubits(n)
    bonds = [(i, i + 1) for i in range(n - 1)] + ([(n - 1, 0)] if periodic and n > 2 else [])
    ham = cirq.PauliSum()
    for a, b in bonds:
        ham += -j * cirq.Z(q[a]) * cirq.Z(q[b])
    for i in range(n):
        ham += -h * cirq.X(q[i])
    return ham


def heisenberg_hamiltonian(n_qubits: int, j: float = 1.0, *, periodic: bool = False) -> Any:
    """Heisenberg chain H = J Σ (X_iX_{i+1} + Y_iY_{i+1} + Z_iZ_{i+1}) as a ``cirq.PauliSum``.

    >>> len(heisenberg_hamiltonian(3))
    6
    """
    import cirq

    n = check_integer(n_qubits, "n_qubits", minimum=2, maximum=12)
    j = float(check_non_negative(j, "j"))
    q = _qubits(n)
    bonds = [(i, i + 1) for i in range(n - 1)] + ([(n - 1, 0)] if periodic and n > 2 else [])
    ham = cirq.PauliSum()
    for a, b in bonds:
        for p in (cirq.X, cirq.Y, cirq.Z):
            ham += j * p(q[a]) * p(q[b])
    return ham


def _matrix(hamiltonian: Any) -> tuple[Any, int]:
    import cirq

    if not isinstance(hamiltonian, cirq.PauliSum | cirq.PauliString):
        raise TypeError(f"hamiltonian must be a cirq.PauliSum, got {type(hamiltonian).__name__}")
    qubits = sorted(hamiltonian.qubits)
    n = len(qubits)
    if n == 0 or n > 12:
        raise ValueError(f"hamiltonian must act on 1 to 12 qubits, got {n}")
    # Sparse: a Pauli Hamiltonian has few non-zeros per row, and sparse products avoid the
    # thread start-up cost of BLAS on small dense matrices.
    from scipy.sparse import csr_matrix

    return csr_matrix(np.asarray(hamiltonian.matrix(qubits), dtype=complex)), n


def exact_ground_energy(hamiltonian: Any) -> float:
    """Lowest eigenvalue of a ``cirq.PauliSum`` by exact diagonalisation.

    For the critical open TFIM chain of 4 sites the value is −4.7588…

    >>> round(exact_ground_energy(tfim_hamiltonian(4)), 4)
    -4.7588
    """
    m, _ = _matrix(hamiltonian)
    return float(np.linalg.eigvalsh(m.toarray())[0])


def lanczos_ground_energy(
    hamiltonian: Any, *, tol: float = 1e-10, seed: SeedLike = None
) -> tuple[float, int]:
    """Ground energy by the Lanczos method (SciPy ``eigsh``): (energy, matrix-vector products).

    The classical baseline for VQE: it touches the Hamiltonian only through products
    H·v, each costing about as much as simulating one shallow circuit on a state vector.

    >>> e, k = lanczos_ground_energy(tfim_hamiltonian(4), seed=1)
    >>> round(e, 4), k < 100
    (-4.7588, True)
    """
    from scipy.sparse.linalg import LinearOperator, eigsh

    m, n = _matrix(hamiltonian)
    tol = float(check_non_negative(tol, "tol"))
    rng = make_rng(seed)
    count = [0]

    def matvec(v: np.ndarray) -> np.ndarray:
        count[0] += 1
        return m @ v

    if n <= 3:  # eigsh needs a dimension above k + 1; tiny cases are exact at once
        return exact_ground_energy(hamiltonian), 2**n
    op = LinearOperator(m.shape, matvec=matvec, dtype=complex)
    v0 = rng.normal(size=2**n) + 1j * rng.normal(size=2**n)
    val = eigsh(op, k=1, which="SA", tol=tol, v0=v0, return_eigenvectors=False)
    return float(np.real(val[0])), count[0]


def measurement_settings(hamiltonian: Any) -> int:
    """Number of measurement settings to estimate ⟨H⟩: qubit-wise commuting groups (greedy).

    Terms whose Paulis agree on every shared qubit are measured together in one basis; the
    transverse-field Ising chain needs 2 settings (all Z, all X), the Heisenberg chain 3.

    >>> measurement_settings(tfim_hamiltonian(6)), measurement_settings(heisenberg_hamiltonian(4))
    (2, 3)
    """
    import cirq

    if not isinstance(hamiltonian, cirq.PauliSum | cirq.PauliString):
        raise TypeError(f"hamiltonian must be a cirq.PauliSum, got {type(hamiltonian).__name__}")
    terms = [hamiltonian] if isinstance(hamiltonian, cirq.PauliString) else list(hamiltonian)
    groups: list[dict[Any, Any]] = []
    for term in terms:
        paulis = dict(term.items())
        if not paulis:
            continue  # the identity needs no measurement
        for g in groups:
            if all(g.get(q, p) == p for q, p in paulis.items()):
                g.update(paulis)
                break
        else:
            groups.append(paulis)
    return max(len(groups), 1)


def _hea_ops(n: int, layers: int) -> list[Op]:
    """Hardware-efficient real ansatz: Ry layer, then per layer a CNOT ladder and an Ry layer."""
    ops: list[Op] = []
    k = 0
    for i in range(n):
        ops.append(("ry", (i,), k))
        k += 1
    for _ in range(layers):
        for i in range(n - 1):
            ops.append(("cnot", (i, i + 1), None))
        for i in range(n):
            ops.append(("ry", (i,), k))
            k += 1
    return ops


def vqe_circuit(n_qubits: int, layers: int, params: Any = None) -> Any:
    """The VQE ansatz as a Cirq circuit (symbols ``theta_k`` when ``params`` is None).

    Ry on every qubit, then ``layers`` times a CNOT ladder and an Ry layer: real amplitudes,
    enough for the stoquastic TFIM and the Heisenberg chain, whose ground states are real.

    >>> len(vqe_circuit(4, 2).all_qubits())
    4
    """
    import sympy

    n = check_integer(n_qubits, "n_qubits", minimum=1, maximum=16)
    layers = check_integer(layers, "layers", minimum=0, maximum=50)
    ops = _hea_ops(n, layers)
    n_par = n * (layers + 1)
    if params is None:
        params = sympy.symbols(f"theta_0:{n_par}")
    elif len(params) != n_par:
        raise ValueError(f"params must have {n_par} entries for this ansatz, got {len(params)}")
    return to_cirq(ops, list(params), _qubits(n))


@dataclass(frozen=True)
class VQEResult(ResultMixin):
    """Outcome of :func:`run_vqe`; ``history`` holds the energy after each iteration.

    ``n_evaluations`` counts optimiser calls; ``n_circuits`` counts what a quantum processor
    would run: circuit executions (parameter settings × measurement settings), with each
    gradient by the parameter-shift rule (2 circuits per parameter, plus the energy), over all
    restarts. Multiply by the shots per circuit for the sampling cost on hardware.
    ``circuit_history`` is the running circuit count of the returned run at each iteration.
    """

    energy: float
    exact_energy: float
    params: np.ndarray = field(repr=False)
    n_evaluations: int
    history: tuple[float, ...] = field(repr=False)
    n_circuits: int = 0
    circuit_history: tuple[int, ...] = field(default=(), repr=False)

    @property
    def error(self) -> float:
        """Absolute error |E_VQE − E_0|."""
        return abs(self.energy - self.exact_energy)

    def __repr__(self) -> str:
        return (
            f"VQEResult(energy={self.energy:.6f}, exact_energy={self.exact_energy:.6f}, "
            f"error={self.error:.2e}, n_evaluations={self.n_evaluations}, "
            f"n_circuits={self.n_circuits})"
        )

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Energy per iteration beside the exact one; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_curves`.
        """
        exact = {"exact ground energy": self.exact_energy}
        labels = {"xlabel": "iteration", "ylabel": "energy (Hamiltonian units)"}
        return plot_curves({"VQE": self.history}, ax=ax, hlines=exact, **labels, **kwargs)


def run_vqe(
    hamiltonian: Any,
    *,
    layers: int = 3,
    optimizer: str = "BFGS",
    restarts: int = 3,
    maxiter: int = 500,
    seed: SeedLike = None,
) -> VQEResult:
    """Minimise ⟨ψ(θ)|H|ψ(θ)⟩ over the ansatz of :func:`vqe_circuit` with SciPy.

    Gradients are exact, by adjoint differentiation on the NumPy fast path (the same
    numbers as the parameter-shift rule of Mitarai et al. 2018, at the cost of two sweeps);
    ``n_circuits`` counts them as hardware would, by parameter shift. The best of
    ``restarts`` random starts is returned, with the exact ground energy for comparison. ``optimizer`` is ``"BFGS"``, ``"L-BFGS-B"`` or ``"COBYLA"``
    (gradient-free).

    >>> r = run_vqe(tfim_hamiltonian(4), layers=3, seed=7)
    >>> r.energy >= r.exact_energy - 1e-9
    True
    """
    from scipy.optimize import minimize

    m, n = _matrix(hamiltonian)
    layers = check_integer(layers, "layers", minimum=0, maximum=50)
    optimizer = check_choice(optimizer, "optimizer", ("BFGS", "L-BFGS-B", "COBYLA"))
    restarts = check_size(restarts, "restarts", minimum=1, maximum=1000)
    maxiter = check_size(maxiter, "maxiter", minimum=1, maximum=10**5)
    rng = make_rng(seed)
    ops = _hea_ops(n, layers)
    n_par = n * (layers + 1)
    settings = measurement_settings(hamiltonian)
    count = [0]  # optimiser calls
    circuits = [0]  # circuit executions, parameter-shift accounting

    def _energy(x: np.ndarray) -> float:  # uncounted: also used for the history
        psi = simulate(ops, x, n)
        return float(np.real(np.vdot(psi, m @ psi)))

    def energy(x: np.ndarray) -> float:
        count[0] += 1
        circuits[0] += settings
        return _energy(x)

    def energy_grad(x: np.ndarray) -> tuple[float, np.ndarray]:
        count[0] += 1
        circuits[0] += settings * (1 + 2 * n_par)
        return energy_and_gradient(ops, x, n, m)

    best = None
    best_hist: list[float] = []
    best_circ: list[int] = []
    for _ in range(restarts):
        x0 = rng.uniform(0, 2 * np.pi, n_par)
        hist: list[float] = []
        circ: list[int] = []
        start = circuits[0]
        fun, jac = (energy, None) if optimizer == "COBYLA" else (energy_grad, True)

        def callback(xk: np.ndarray, *a: Any, h: list = hist, c: list = circ, s0: int = start):
            h.append(_energy(xk))
            c.append(circuits[0] - s0)

        res = minimize(
            fun, x0, jac=jac, method=optimizer, options={"maxiter": maxiter}, callback=callback
        )
        if best is None or res.fun < best.fun:
            best, best_hist, best_circ = res, hist, circ
    return VQEResult(
        energy=float(best.fun),
        exact_energy=float(np.linalg.eigvalsh(m.toarray())[0]),
        params=np.asarray(best.x),
        n_evaluations=count[0],
        history=tuple(best_hist),
        n_circuits=circuits[0],
        circuit_history=tuple(best_circ),
    )


def network_graph(n_nodes: int = 8, *, degree: int = 3, seed: SeedLike = None) -> Any:
    """A connected random ``degree``-regular network graph with integer link weights 1–3.

    Weights model link capacities (a max-cut splits the network into two halves with the
    most capacity between them, e.g. to place two controllers or two frequency plans).

    >>> g = network_graph(8, seed=3)
    >>> g.number_of_nodes(), g.number_of_edges()
    (8, 12)
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
    Q_ij = w_ij.

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
    """Exact max-cut by enumeration: (best cut weight, all optimal bit strings, node 0 first).

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
    flip gains. Returns (best cut, its bit string, cut evaluations), counting every tried
    flip as one evaluation of the cut function (the currency of QAOA's samples).

    >>> import networkx as nx
    >>> cut, bits, evals = local_search_maxcut(nx.cycle_graph(6), 3, seed=1)
    >>> cut
    6.0
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

    Cost layer exp(−iγ C) with C = Σ w_ij (1 − Z_iZ_j)/2 (up to a global phase), mixer
    exp(−iβ Σ X_i) = Π rx(2β). With ``gammas``/``betas`` None, p = 1 with sympy symbols.

    >>> import networkx as nx
    >>> len(qaoa_circuit(nx.cycle_graph(4), [0.4], [0.3]).all_qubits())
    4
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

    ``init`` = (gammas, betas) gives one extra start (e.g. interpolated from depth p − 1,
    the INTERP heuristic of Zhou et al. 2020); ``restarts`` random starts are added.

    >>> import networkx as nx
    >>> r = run_qaoa(nx.cycle_graph(4), p=2, seed=0)
    >>> round(r.approximation_ratio, 3)
    1.0
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


@dataclass(frozen=True)
class BarrenPlateauResult(ResultMixin):
    """Variance of ∂⟨Z₀Z₁⟩/∂θ₁ over random circuits of ``layers`` layers, per qubit number.

    ``gradients`` holds the sampled gradients (one array per entry of ``n_qubits``), from
    which :meth:`variance_se` and the fit of :meth:`fit` are computed.
    """

    n_qubits: tuple[int, ...]
    variance: tuple[float, ...]
    layers: int
    n_circuits: int
    gradients: tuple[np.ndarray, ...] = field(default=(), repr=False)

    def variance_se(self) -> np.ndarray:
        """Standard error of each sample variance (delta method, uses the sample kurtosis).

        Var(s²) ≈ (μ₄ − σ⁴ (N − 3)/(N − 1)) / N for N samples with fourth central moment μ₄.
        """
        out = []
        for g, v in zip(self.gradients, self.variance, strict=True):
            m = g.size
            mu4 = float(np.mean((g - g.mean()) ** 4))
            out.append(np.sqrt(max(mu4 - v**2 * (m - 3) / (m - 1), 1e-300) / m))
        return np.asarray(out)

    def fit(self) -> tuple[float, float, float]:
        """Weighted least-squares fit of log₂ Var = a − b n: returns (b, standard error, a).

        Weights are 1/SE² of log₂ Var (:meth:`variance_se`); the standard error is inflated
        by √(χ²/(k − 2)) when the points scatter more than their errors (k points).
        """
        x = np.asarray(self.n_qubits, dtype=float)
        y = np.log2(np.asarray(self.variance))
        if x.size < 2:
            raise ValueError("fit needs at least two qubit numbers")
        if not self.gradients:  # no samples kept: unweighted fit, no error bar
            slope, icpt = np.polyfit(x, y, 1)
            return float(-slope), float("nan"), float(icpt)
        w = (np.asarray(self.variance) * np.log(2) / self.variance_se()) ** 2
        xm = np.sum(w * x) / w.sum()
        ym = np.sum(w * y) / w.sum()
        sxx = np.sum(w * (x - xm) ** 2)
        slope = np.sum(w * (x - xm) * (y - ym)) / sxx
        icpt = ym - slope * xm
        se = np.sqrt(1.0 / sxx)
        if x.size > 2:
            chi2 = float(np.sum(w * (y - icpt - slope * x) ** 2)) / (x.size - 2)
            se *= max(1.0, np.sqrt(chi2))
        return float(-slope), float(se), float(icpt)

    def decay_rate(self) -> float:
        """Fitted b in Var ∝ 2^(−b n) (b ≈ 1 for a 2-design, McClean et al. 2018)."""
        return self.fit()[0]

    def decay_interval(self, level: float = 0.95) -> tuple[float, float]:
        """Normal confidence interval (two-sided, ``level``) for b from :meth:`fit`."""
        from scipy.stats import norm

        if not 0 < level < 1:
            raise ValueError(f"level must be in (0, 1), got {level}")
        b, se, _ = self.fit()
        z = float(norm.ppf(0.5 + level / 2))
        return b - z * se, b + z * se

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Gradient variance against qubits, log scale, with the fit; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_curves`.
        """
        n = np.asarray(self.n_qubits, dtype=float)
        curves = {"sampled variance": np.asarray(self.variance)}
        if n.size > 1:
            b, _, a = self.fit()
            curves[f"fit 2^({a:.2f} - {b:.2f} n)"] = 2.0 ** (a - b * n)
        labels = {"xlabel": "qubits n", "ylabel": "Var(∂⟨Z₀Z₁⟩/∂θ₁)"}
        return plot_curves(curves, x=n, ax=ax, marker="o", logy=True, **labels, **kwargs)


def barren_plateau_depth_scan(
    n_qubits: Any = (2, 4, 6, 8, 10),
    depths: Any = (5, 10, 20, 50, 100),
    *,
    n_circuits: int = 200,
    seed: SeedLike = None,
    progress: bool = False,
) -> list[BarrenPlateauResult]:
    """Gradient variances of random circuits at several depths, in one pass per qubit number.

    Each circuit (McClean et al. 2018): Ry(π/4) on every qubit, then layers of a random
    Pauli rotation (Rx, Ry or Rz, uniform angle) on each qubit and a CZ ladder. The cost is
    E = ⟨Z₀Z₁⟩ and the gradient ∂E/∂θ₁ (first rotation, qubit 0) is exact, by the
    parameter-shift rule (two runs per circuit). The circuits at depth ``depths[i]`` are
    the first layers of those at the largest depth, so one batched NumPy simulation
    (:func:`qnetlab.qnn._sim.random_layers_batch`) serves every depth. Returns one
    :class:`BarrenPlateauResult` per depth; ``progress`` shows a tqdm bar over qubit numbers.

    >>> r = barren_plateau_depth_scan((2, 4), (2, 20), n_circuits=50, seed=1)
    >>> [x.layers for x in r]
    [2, 20]
    """
    ns = tuple(check_integer(n, "n_qubits", minimum=2, maximum=12) for n in n_qubits)
    ds = tuple(check_integer(d, "depths", minimum=1, maximum=1000) for d in depths)
    if not ds or list(ds) != sorted(set(ds)):
        raise ValueError(f"depths must be strictly increasing, got {ds}")
    n_circuits = check_size(n_circuits, "n_circuits", minimum=4, maximum=10**5)
    rng = make_rng(seed)
    grads: dict[int, list[np.ndarray]] = {d: [] for d in ds}
    if progress:
        from tqdm.auto import tqdm

    for n in tqdm(ns, desc="qubit numbers") if progress else ns:
        zz = _zsign(n, 0) * _zsign(n, 1)
        psi0 = simulate([("ry", (i,), 0) for i in range(n)], [np.pi / 4], n)
        axes = rng.integers(0, 3, size=(n_circuits, ds[-1], n))
        angles = rng.uniform(0, 2 * np.pi, size=(n_circuits, ds[-1], n))
        shifted = np.concatenate([angles, angles])  # parameter shift: θ₁ ± π/2
        shifted[:n_circuits, 0, 0] += np.pi / 2
        shifted[n_circuits:, 0, 0] -= np.pi / 2
        ax2 = np.concatenate([axes, axes])
        psi, done = psi0, 0
        for d in ds:
            psi = random_layers_batch(psi, ax2[:, done:d], shifted[:, done:d])
            done = d
            e = (np.abs(psi) ** 2) @ zz
            grads[d].append(0.5 * (e[:n_circuits] - e[n_circuits:]))
    var = {d: tuple(float(np.var(g)) for g in grads[d]) for d in ds}
    return [BarrenPlateauResult(ns, var[d], d, n_circuits, tuple(grads[d])) for d in ds]


def barren_plateau_variance(
    n_qubits: Any = (2, 4, 6, 8, 10),
    *,
    layers: int = 100,
    n_circuits: int = 200,
    seed: SeedLike = None,
) -> BarrenPlateauResult:
    """Sample Var[∂E/∂θ₁] with E = ⟨Z₀Z₁⟩ over random circuits (McClean et al. 2018).

    The circuits of :func:`barren_plateau_depth_scan` at one depth. The 2-design regime,
    where Var ∝ 2^(−n), needs deep circuits: about ``layers`` ≥ 10 n for this ansatz.

    >>> r = barren_plateau_variance((2, 6), layers=60, n_circuits=100, seed=1)
    >>> r.variance[0] > 4 * r.variance[1]
    True
    """
    layers = check_integer(layers, "layers", minimum=1, maximum=1000)
    return barren_plateau_depth_scan(n_qubits, (layers,), n_circuits=n_circuits, seed=seed)[0]
