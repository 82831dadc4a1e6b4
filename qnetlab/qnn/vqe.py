"""Variational quantum eigensolver (VQE) on spin-chain Hamiltonians, against exact diagonalisation.

The Hamiltonians are ``cirq.PauliSum`` objects on grid qubits (:func:`tfim_hamiltonian`,
:func:`heisenberg_hamiltonian`); the ansatz is a Cirq circuit (:func:`vqe_circuit`, the
ground truth) that the optimiser runs on a vectorised NumPy state-vector fast path (checked
against Cirq by the tests); SciPy drives the classical loop. Costs are counted in circuit
executions (parameter-shift gradients included), as hardware would pay them.

- **VQE** (Peruzzo et al. 2014; Kandala et al. 2017) on the Ising or Heisenberg chain,
  against exact diagonalisation and the Lanczos method (:func:`lanczos_ground_energy`), the
  classical baseline counted in matrix-vector products.
- :func:`measurement_settings` counts the measurement bases that estimating ⟨H⟩ needs.

QAOA, max-cut and barren plateaus are in :mod:`qnetlab.qnn.vqa`, which also re-exports the
names of this module (they lived there first).

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
from ._sim import Op, energy_and_gradient, simulate, to_cirq

__all__ = [
    "VQEResult",
    "exact_ground_energy",
    "heisenberg_hamiltonian",
    "lanczos_ground_energy",
    "measurement_settings",
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

    Qubits are ``cirq.GridQubit(0, i)`` (TFQ needs grid qubits). At h = J the chain is
    critical; its open 4-site ground energy is −4.7588 (:func:`exact_ground_energy`).

    Parameters
    ----------
    n_qubits : int
        Sites of the chain, in [2, 12].
    j : float, default 1.0
        Coupling J ≥ 0 (ferromagnetic).
    h : float, default 1.0
        Transverse field h ≥ 0.
    periodic : bool, default False
        Close the chain into a ring (adds the bond (n − 1, 0) when n > 2).

    Returns
    -------
    cirq.PauliSum
        n − 1 (open) or n (periodic) ZZ terms and n X terms.

    Raises
    ------
    TypeError
        If ``n_qubits`` is not an integer or ``j``/``h`` not real numbers.
    ValueError
        If ``n_qubits`` is outside [2, 12] or ``j``/``h`` is negative or not finite.

    Examples
    --------
    >>> len(tfim_hamiltonian(4)), len(tfim_hamiltonian(4, periodic=True))
    (7, 8)
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

    Qubits are ``cirq.GridQubit(0, i)``. With J > 0 the chain is antiferromagnetic; its ground
    state is real, so the real ansatz of :func:`vqe_circuit` can reach it.

    Parameters
    ----------
    n_qubits : int
        Sites of the chain, in [2, 12].
    j : float, default 1.0
        Coupling J ≥ 0.
    periodic : bool, default False
        Close the chain into a ring (adds the bond (n − 1, 0) when n > 2).

    Returns
    -------
    cirq.PauliSum
        Three terms (XX, YY, ZZ) per bond.

    Raises
    ------
    TypeError
        If ``n_qubits`` is not an integer or ``j`` not a real number.
    ValueError
        If ``n_qubits`` is outside [2, 12] or ``j`` is negative or not finite.

    Examples
    --------
    >>> len(heisenberg_hamiltonian(3))
    6
    >>> round(exact_ground_energy(heisenberg_hamiltonian(2)), 6)  # the singlet: −3J
    -3.0
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

    The reference energy of :func:`run_vqe` (dense ``numpy.linalg.eigvalsh`` of the 2ⁿ × 2ⁿ
    matrix, qubits in sorted order). For the critical open TFIM chain of 4 sites the value is
    −4.7588…

    Parameters
    ----------
    hamiltonian : cirq.PauliSum or cirq.PauliString
        A Hermitian Pauli Hamiltonian on 1 to 12 qubits.

    Returns
    -------
    float
        The ground energy E₀.

    Raises
    ------
    TypeError
        If ``hamiltonian`` is not a ``cirq.PauliSum`` or ``cirq.PauliString``.
    ValueError
        If it acts on no qubit or on more than 12.

    Examples
    --------
    >>> round(exact_ground_energy(tfim_hamiltonian(4)), 4)
    -4.7588
    """
    m, _ = _matrix(hamiltonian)
    return float(np.linalg.eigvalsh(m.toarray())[0])


def lanczos_ground_energy(
    hamiltonian: Any, *, tol: float = 1e-10, seed: SeedLike = None
) -> tuple[float, int]:
    """Ground energy by the Lanczos method (SciPy ``eigsh``), with its count of H·v products.

    The classical baseline for VQE: it touches the Hamiltonian only through products H·v,
    each costing about as much as simulating one shallow circuit on a state vector. On 1 to 3
    qubits (too small for ``eigsh``) the energy is exact and the count is 2ⁿ, the products
    that build the matrix.

    Parameters
    ----------
    hamiltonian : cirq.PauliSum or cirq.PauliString
        A Hermitian Pauli Hamiltonian on 1 to 12 qubits.
    tol : float, default 1e-10
        Relative accuracy of the eigenvalue asked of ``eigsh``, ≥ 0 (0: machine precision).
    seed : int, numpy.random.Generator or None, optional
        Random start vector, normalised by ``make_rng``.

    Returns
    -------
    energy : float
        The ground energy.
    n_products : int
        Matrix-vector products H·v used.

    Raises
    ------
    TypeError
        If ``hamiltonian`` is not a ``cirq.PauliSum`` or ``cirq.PauliString``.
    ValueError
        If it acts on no qubit or on more than 12, or ``tol`` is negative or not finite.

    Examples
    --------
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
    transverse-field Ising chain needs 2 settings (all Z, all X), the Heisenberg chain 3. The
    identity needs no measurement; at least 1 is returned. :func:`run_vqe` multiplies its
    circuit count by this number.

    Parameters
    ----------
    hamiltonian : cirq.PauliSum or cirq.PauliString
        The Hamiltonian whose expectation is to be measured.

    Returns
    -------
    int
        Number of groups (≥ 1), each one measurement basis.

    Raises
    ------
    TypeError
        If ``hamiltonian`` is not a ``cirq.PauliSum`` or ``cirq.PauliString``.

    Examples
    --------
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
    :func:`run_vqe` runs the same gates on its NumPy fast path.

    Parameters
    ----------
    n_qubits : int
        Qubits, in [1, 16] (``cirq.GridQubit(0, i)``).
    layers : int
        Entangling layers, in [0, 50].
    params : sequence of float or sympy.Symbol, optional
        The n_qubits × (layers + 1) rotation angles, in the order of the gates; None gives
        the symbols ``theta_0`` ….

    Returns
    -------
    cirq.Circuit
        The ansatz circuit (no measurement).

    Raises
    ------
    TypeError
        If ``n_qubits`` or ``layers`` is not an integer.
    ValueError
        If ``n_qubits`` or ``layers`` is out of range, or ``params`` has the wrong length.

    Examples
    --------
    >>> c = vqe_circuit(4, 2)
    >>> len(c.all_qubits()), len(list(c.all_operations()))
    (4, 18)
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
    restarts. Multiply by the shots per circuit for the sampling cost on hardware. The property
    ``error`` is |E_VQE − E_0|.

    Parameters
    ----------
    energy : float
        Best energy found, ⟨ψ(θ)|H|ψ(θ)⟩.
    exact_energy : float
        Ground energy by exact diagonalisation.
    params : numpy.ndarray
        The angles θ of the best run.
    n_evaluations : int
        Optimiser calls (energy or energy and gradient), over all restarts.
    history : tuple of float
        Energy after each iteration of the returned run.
    n_circuits : int, default 0
        Circuit executions, parameter-shift accounting, over all restarts.
    circuit_history : tuple of int, default ()
        Running circuit count of the returned run at each iteration.

    Examples
    --------
    >>> r = VQEResult(energy=-4.75, exact_energy=-4.7588, params=np.zeros(8),
    ...               n_evaluations=12, history=(-4.1, -4.75), n_circuits=400)
    >>> r
    VQEResult(energy=-4.750000, exact_energy=-4.758800, error=8.80e-03,
              n_evaluations=12, n_circuits=400)
    >>> round(r.error, 4)
    0.0088
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

    Gradients are exact, by adjoint differentiation on the NumPy fast path (the same numbers
    as the parameter-shift rule of Mitarai et al. 2018, at the cost of two sweeps);
    ``n_circuits`` counts them as hardware would, by parameter shift. The best of
    ``restarts`` random starts (angles uniform in [0, 2π)) is returned, with the exact ground
    energy for comparison.

    Parameters
    ----------
    hamiltonian : cirq.PauliSum or cirq.PauliString
        The Hamiltonian, on 1 to 12 qubits.
    layers : int, default 3
        Entangling layers of the ansatz, in [0, 50].
    optimizer : {"BFGS", "L-BFGS-B", "COBYLA"}, default "BFGS"
        SciPy method; COBYLA is gradient-free.
    restarts : int, default 3
        Random starts, in [1, 1000].
    maxiter : int, default 500
        Iterations per start, in [1, 10⁵].
    seed : int, numpy.random.Generator or None, optional
        Start angles, normalised by ``make_rng``.

    Returns
    -------
    VQEResult
        The best energy, the exact one, the angles and the costs.

    Raises
    ------
    TypeError
        If ``hamiltonian`` is not a Pauli sum, or a count is not an integer.
    ValueError
        If the Hamiltonian acts on more than 12 qubits, ``optimizer`` is unknown or a count
        is out of range.

    Examples
    --------
    >>> r = run_vqe(tfim_hamiltonian(4), layers=3, seed=7)
    >>> r.energy >= r.exact_energy - 1e-9, r.error < 1e-2
    (True, True)
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
