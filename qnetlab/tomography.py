"""Quantum state tomography: Pauli measurements in Cirq, linear inversion, maximum
likelihood, and a learned (neural-network) estimator.

A network checks the pairs it delivers by measuring copies of them in the Pauli bases and
reconstructing the density matrix. Three estimators are provided:

- :func:`linear_inversion`: Pauli expectation values from frequencies, ρ = Σ ⟨P⟩ P / 2ⁿ
  (James et al. 2001). Unbiased, but can be unphysical at low counts;
  :func:`project_to_density_matrix` (Smolin, Gambetta, Smith 2012) repairs it.
- :func:`maximum_likelihood`: the iterative RρR algorithm (Hradil 1997), with dilution so it
  always converges; always physical.
- :func:`bell_diagonal_estimate`: the prior of a network's links built in: a Bell-diagonal
  state from the ⟨XX⟩, ⟨YY⟩, ⟨ZZ⟩ correlations alone.
- :class:`NeuralTomography`: a multilayer perceptron trained on simulated measurement records
  of a family of states (for example noisy Bell pairs from network links) that maps
  frequencies to Pauli expectations. It learns the family's prior, which is what makes it
  beat the two above at low shot counts on that family, and what can mislead it elsewhere.

Conventions: measuring in basis X rotates with H, in Y with S†H, so outcome bit 0 is the
+1 eigenvalue; qubit 0 is the most significant bit (Cirq order).

>>> from qnetlab.states import werner_state, fidelity
>>> data = measure_pauli(werner_state(0.9), 2000, seed=1)
>>> data.settings[:3]
('XX', 'XY', 'XZ')
>>> fidelity(maximum_likelihood(data), werner_state(0.9)) > 0.98
True
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validation import (
    SeedLike,
    check_array,
    check_choice,
    check_in_range,
    check_integer,
    check_positive,
    check_size,
    check_square_matrix,
    make_rng,
    to_density_matrix,
)
from .states import BELL_ORDER, bell_state

__all__ = [
    "NeuralTomography",
    "TomographyData",
    "bell_diagonal_estimate",
    "linear_inversion",
    "maximum_likelihood",
    "measure_pauli",
    "measurement_circuit",
    "pauli_expectations",
    "pauli_labels",
    "project_to_density_matrix",
    "random_states",
    "state_from_pauli_expectations",
]

_I = np.eye(2, dtype=complex)
_X = np.array([[0, 1], [1, 0]], dtype=complex)
_Y = np.array([[0, -1j], [1j, 0]], dtype=complex)
_Z = np.array([[1, 0], [0, -1]], dtype=complex)
_PAULI = {"I": _I, "X": _X, "Y": _Y, "Z": _Z}
_H = np.array([[1, 1], [1, -1]], dtype=complex) / np.sqrt(2)
_SDG = np.diag([1, -1j])
# Rotation that maps the basis' +1 eigenvector to |0>.
_ROTATION = {"X": _H, "Y": _H @ _SDG, "Z": _I}


def _kron_all(mats: list[np.ndarray]) -> np.ndarray:
    out = np.array([[1.0 + 0j]])
    for m in mats:
        out = np.kron(out, m)
    return out


def pauli_labels(n_qubits: int, *, include_identity: bool = True) -> list[str]:
    """All Pauli strings on ``n_qubits`` qubits in lexicographic order (I, X, Y, Z).

    >>> pauli_labels(1)
    ['I', 'X', 'Y', 'Z']
    >>> len(pauli_labels(2, include_identity=False))
    15
    """
    n = check_integer(n_qubits, "n_qubits", minimum=1, maximum=4)
    labels = ["".join(p) for p in itertools.product("IXYZ", repeat=n)]
    return labels if include_identity else labels[1:]


@dataclass(frozen=True)
class TomographyData:
    """Counts of a Pauli tomography experiment.

    ``settings`` lists the 3ⁿ measurement bases (one letter per qubit); ``counts[s, k]`` is how
    often outcome ``k`` (bit string as an integer, qubit 0 most significant) was seen in
    setting ``s``.

    Parameters
    ----------
    n_qubits : int
        Number of qubits n.
    settings : tuple of str
        The 3ⁿ measurement bases.
    counts : numpy.ndarray
        Outcome counts, shape (3ⁿ, 2ⁿ).
    shots_per_setting : int
        Shots per setting.

    Examples
    --------
    >>> from qnetlab.states import bell_state
    >>> d = measure_pauli(bell_state("phi+"), 100, backend="numpy", seed=0)
    >>> d
    TomographyData(n_qubits=2, settings=9, shots_per_setting=100)
    >>> d.total_shots, d.frequencies.shape
    (900, (9, 4))
    """

    n_qubits: int
    settings: tuple[str, ...]
    counts: np.ndarray = field(repr=False)
    shots_per_setting: int

    @property
    def frequencies(self) -> np.ndarray:
        """Relative frequencies, shape (3ⁿ, 2ⁿ)."""
        return self.counts / self.counts.sum(axis=1, keepdims=True)

    @property
    def total_shots(self) -> int:
        return int(self.counts.sum())

    def __repr__(self) -> str:
        return (
            f"TomographyData(n_qubits={self.n_qubits}, settings={len(self.settings)}, "
            f"shots_per_setting={self.shots_per_setting})"
        )


def _settings(n: int) -> tuple[str, ...]:
    return tuple("".join(p) for p in itertools.product("XYZ", repeat=n))


@functools.lru_cache(maxsize=256)
def _rotation_unitary(setting: str) -> np.ndarray:
    """The basis change of one setting (read-only, cached: it is used for every record)."""
    u = _kron_all([_ROTATION[b] for b in setting])
    u.setflags(write=False)
    return u


@functools.lru_cache(maxsize=512)
def _pauli_matrix(label: str) -> np.ndarray:
    """The Pauli string ``label`` as a matrix (read-only, cached)."""
    m = _kron_all([_PAULI[c] for c in label])
    m.setflags(write=False)
    return m


def _outcome_probabilities(rho: np.ndarray, setting: str) -> np.ndarray:
    u = _rotation_unitary(setting)
    p = np.real(np.diag(u @ rho @ u.conj().T))
    p = np.clip(p, 0.0, None)
    return p / p.sum()


def measurement_circuit(setting: str, *, measure: bool = True) -> Any:
    """The Cirq circuit of one Pauli measurement setting (``"XZ"``: X on qubit 0, Z on 1).

    Each qubit is rotated so that the +1 eigenvector of its Pauli becomes ``|0>``: ``H``
    for X, ``S†`` then ``H`` for Y, nothing for Z; then all qubits are measured together
    under the key ``"m"``. This is the circuit :func:`measure_pauli` runs for every
    setting (``3**n`` of them on ``n`` qubits).

    Parameters
    ----------
    setting : str
        One letter from ``XYZ`` per qubit (1 to 4 qubits).
    measure : bool, optional
        Append the measurement (default True).

    Returns
    -------
    cirq.Circuit
        The circuit on ``cirq.LineQubit(0..n-1)``.

    Raises
    ------
    ValueError
        If ``setting`` is empty, longer than 4 or has a letter outside ``XYZ``.

    Examples
    --------
    >>> print(measurement_circuit("XY"))
    0: ───H──────────M('m')───
                     │
    1: ───S^-1───H───M────────
    """
    import cirq

    if not isinstance(setting, str) or not 1 <= len(setting) <= 4 or set(setting) - set("XYZ"):
        raise ValueError(f"setting must be 1 to 4 letters from XYZ, got {setting!r}")
    qubits = cirq.LineQubit.range(len(setting))
    ops: list[Any] = []
    for q, b in zip(qubits, setting):
        if b == "X":
            ops.append(cirq.H(q))
        elif b == "Y":
            ops += [cirq.S(q) ** -1, cirq.H(q)]
    if measure:
        ops.append(cirq.measure(*qubits, key="m"))
    return cirq.Circuit(ops)


def _cirq_outcome_probabilities(rho: np.ndarray, setting: str) -> np.ndarray:
    import cirq

    qubits = cirq.LineQubit.range(len(setting))
    sim = cirq.DensityMatrixSimulator(dtype=np.complex128)
    circuit = measurement_circuit(setting, measure=False)
    final = sim.simulate(circuit, qubit_order=qubits, initial_state=rho)
    p = np.clip(np.real(np.diag(final.final_density_matrix)), 0.0, None)
    return p / p.sum()


def measure_pauli(
    state: Any,
    shots_per_setting: int,
    *,
    backend: str = "cirq",
    seed: SeedLike = None,
) -> TomographyData:
    """Measure copies of ``state`` in all 3ⁿ Pauli bases, ``shots_per_setting`` each.

    ``backend="cirq"`` rotates each qubit with Cirq gates and simulates with
    ``cirq.DensityMatrixSimulator`` before sampling the outcomes; ``backend="numpy"``
    computes the same outcome probabilities with matrices. Both sample with ``seed``.

    Parameters
    ----------
    state : array_like
        State of 1 to 4 qubits, ket or density matrix.
    shots_per_setting : int
        Shots per setting, in [1, 10^9].
    backend : str, default "cirq"
        ``"cirq"`` or ``"numpy"``.
    seed : SeedLike, optional
        Seed or generator of the sampling, normalised by ``make_rng``.

    Returns
    -------
    TomographyData
        The counts of every setting.

    Raises
    ------
    ValueError
        If ``state`` is not a state of 1 to 4 qubits, ``shots_per_setting`` is out of
        range or ``backend`` unknown.

    Examples
    --------
    >>> from qnetlab.states import bell_state
    >>> d = measure_pauli(bell_state("phi+"), 100, backend="numpy", seed=0)
    >>> d.counts.shape, int(d.counts[d.settings.index("ZZ"), 1])
    ((9, 4), 0)
    """
    rho = to_density_matrix(state, "state")
    n = rho.shape[0].bit_length() - 1
    check_integer(n, "number of qubits", minimum=1, maximum=4)
    shots = check_size(shots_per_setting, "shots_per_setting", minimum=1, maximum=10**9)
    check_choice(backend, "backend", ("cirq", "numpy"))
    rng = make_rng(seed)
    settings = _settings(n)
    prob = _cirq_outcome_probabilities if backend == "cirq" else _outcome_probabilities
    counts = np.array([rng.multinomial(shots, prob(rho, s)) for s in settings])
    return TomographyData(n_qubits=n, settings=settings, counts=counts, shots_per_setting=shots)


def _check_data(data: Any) -> TomographyData:
    if not isinstance(data, TomographyData):
        raise TypeError(
            f"data must be a TomographyData (from measure_pauli), got {type(data).__name__}"
        )
    return data


def pauli_expectations(data: TomographyData) -> dict[str, float]:
    """Estimate ⟨P⟩ for every Pauli string from the counts (⟨I…I⟩ = 1).

    A string with identities is estimated from every setting that agrees with it on its
    non-identity qubits (averaging them), so no count is wasted.

    Parameters
    ----------
    data : TomographyData
        Counts from :func:`measure_pauli`.

    Returns
    -------
    dict of str to float
        ⟨P⟩ for every Pauli string of :func:`pauli_labels`.

    Raises
    ------
    TypeError
        If ``data`` is not a :class:`TomographyData`.

    Examples
    --------
    >>> from qnetlab.states import bell_state
    >>> e = pauli_expectations(measure_pauli(bell_state("phi+"), 500, seed=3))
    >>> e["ZZ"], e["XX"], e["YY"]
    (1.0, 1.0, -1.0)
    """
    d = _check_data(data)
    labels = pauli_labels(d.n_qubits)
    values = np.einsum("lsk,sk->l", _expectation_weights(d.n_qubits, d.settings), d.frequencies)
    values[0] = 1.0  # ⟨I…I⟩, exactly
    return dict(zip(labels, values.tolist()))


@functools.lru_cache(maxsize=16)
def _expectation_weights(n: int, settings: tuple[str, ...]) -> np.ndarray:
    """w[l, s, k] with ⟨P_l⟩ = Σ_sk w[l, s, k] f[s, k]: the sign of outcome k for P_l,
    averaged over the settings that agree with P_l on its non-identity qubits."""
    outcomes = np.array(list(itertools.product((1, -1), repeat=n)))  # eigenvalue per qubit
    labels = pauli_labels(n)
    w = np.zeros((len(labels), len(settings), 2**n))
    for li, label in enumerate(labels):
        active = [i for i, c in enumerate(label) if c != "I"]
        if not active:
            continue  # ⟨I…I⟩ = 1 is set by the caller
        sign = np.prod(outcomes[:, active], axis=1)
        match = [s for s, st in enumerate(settings) if all(st[i] == label[i] for i in active)]
        w[li, match, :] = sign / len(match)
    w.setflags(write=False)
    return w


def state_from_pauli_expectations(
    expectations: dict[str, float] | np.ndarray, n_qubits: int
) -> np.ndarray:
    """ρ = Σ_P ⟨P⟩ P / 2ⁿ from a dict label → value, or an array over ``pauli_labels(n)[1:]``.

    >>> rho = state_from_pauli_expectations({"Z": 1.0}, 1)
    >>> rho.real.tolist()
    [[1.0, 0.0], [0.0, 0.0]]
    """
    n = check_integer(n_qubits, "n_qubits", minimum=1, maximum=4)
    labels = pauli_labels(n)
    if not isinstance(expectations, dict):
        arr = check_array(expectations, "expectations", shape=(len(labels) - 1,))
        expectations = dict(zip(labels[1:], arr.tolist()))
    rho = np.eye(2**n, dtype=complex) / 2**n
    for label, value in expectations.items():
        if label not in labels:
            raise ValueError(f"expectations has an unknown Pauli label {label!r} for {n} qubits")
        v = check_in_range(value, f"expectations[{label!r}]", -1.0, 1.0)
        if set(label) == {"I"}:
            continue
        rho = rho + v * _pauli_matrix(label) / 2**n
    return rho


def linear_inversion(data: TomographyData) -> np.ndarray:
    """Linear-inversion estimate ρ = Σ ⟨P⟩ P / 2ⁿ (Hermitian, unit trace, maybe not positive).

    Parameters
    ----------
    data : TomographyData
        Counts from :func:`measure_pauli`.

    Returns
    -------
    numpy.ndarray
        The 2ⁿ × 2ⁿ estimate.

    Raises
    ------
    TypeError
        If ``data`` is not a :class:`TomographyData`.

    Examples
    --------
    >>> from qnetlab.states import werner_state
    >>> rho = linear_inversion(measure_pauli(werner_state(0.7), 4000, seed=2))
    >>> round(float(np.trace(rho).real), 6)
    1.0
    """
    d = _check_data(data)
    return state_from_pauli_expectations(pauli_expectations(d), d.n_qubits)


def project_to_density_matrix(matrix: ArrayLike) -> np.ndarray:
    """Closest density matrix (in the 2-norm of eigenvalues) to a Hermitian, unit-trace matrix.

    The algorithm of Smolin, Gambetta and Smith (PRL 108, 070502, 2012): sort eigenvalues,
    zero the negative ones and spread their weight equally over the rest.

    >>> project_to_density_matrix(np.diag([1.2, -0.2])).real.round(6).tolist()
    [[1.0, 0.0], [0.0, 0.0]]
    """
    m = check_square_matrix(matrix, "matrix")
    if not np.allclose(m, m.conj().T, atol=1e-8):
        raise ValueError("matrix must be Hermitian")
    w, v = np.linalg.eigh((m + m.conj().T) / 2)
    w = w / w.sum() if abs(w.sum() - 1) > 1e-12 else w
    order = np.argsort(w)[::-1]
    w, v = w[order], v[:, order]
    lam = w.copy()
    acc = 0.0
    i = len(lam) - 1
    while i >= 0 and lam[i] + acc / (i + 1) < 0:
        acc += lam[i]
        lam[i] = 0.0
        i -= 1
    lam[: i + 1] += acc / (i + 1)
    return (v * lam) @ v.conj().T


def _projectors(n: int, settings: tuple[str, ...]) -> np.ndarray:
    """Π[s, k] = U_s† |k⟩⟨k| U_s, shape (settings, 2ⁿ, 2ⁿ, 2ⁿ)."""
    dim = 2**n
    out = np.empty((len(settings), dim, dim, dim), dtype=complex)
    for s, setting in enumerate(settings):
        u = _rotation_unitary(setting)
        for k in range(dim):
            out[s, k] = np.outer(u[k].conj(), u[k])
    return out


def maximum_likelihood(
    data: TomographyData | Sequence[TomographyData],
    *,
    n_iterations: int = 2000,
    tol: float = 1e-8,
    dilution: float = 0.5,
) -> np.ndarray:
    """Maximum-likelihood state by the diluted RρR iteration (Hradil 1997; Řeháček et al. 2007).

    ρ ← (I + εR) ρ (I + εR) / tr(·) with R = Σ f_sk / p_sk(ρ) Π_sk; stops when the
    log-likelihood changes by less than ``tol``
    or after ``n_iterations`` steps, whichever comes first. The step is computed as
    (I + εR)/(1 + ε), which is the same after normalisation and cannot overflow, so any
    finite ``dilution`` ε > 0 works (large ε approaches the undiluted RρR step).

    ``data`` may be one record (returns a 2ⁿ × 2ⁿ matrix) or a sequence of records with
    the same qubit number and settings (returns an array of shape (m, 2ⁿ, 2ⁿ), iterated
    together, each record stopping at its own convergence: the same as one call each,
    only faster).

    Parameters
    ----------
    data : TomographyData or sequence of TomographyData
        One record, or records with the same qubit number and settings.
    n_iterations : int, default 2000
        Maximum iterations, ≥ 1.
    tol : float, default 1e-8
        Stop when the log-likelihood changes by less, > 0.
    dilution : float, default 0.5
        Step ε, finite and > 0.

    Returns
    -------
    numpy.ndarray
        The estimate(s), shape (2ⁿ, 2ⁿ) or (m, 2ⁿ, 2ⁿ).

    Raises
    ------
    TypeError
        If ``data`` is not a record or a non-empty sequence of records.
    ValueError
        If records disagree or an argument is out of range.

    Examples
    --------
    >>> from qnetlab.states import bell_state, fidelity
    >>> rho = maximum_likelihood(measure_pauli(bell_state("psi-"), 300, seed=5))
    >>> round(fidelity(rho, bell_state("psi-")), 2)
    1.0
    >>> maximum_likelihood([measure_pauli(bell_state("phi+"), 50, seed=s) for s in (1, 2)]).shape
    (2, 4, 4)
    """
    single = isinstance(data, TomographyData)
    records = [data] if single else list(data) if isinstance(data, Sequence) else None
    if not records:
        raise TypeError(
            "data must be a TomographyData (from measure_pauli) or a non-empty sequence of them"
        )
    records = [_check_data(d) for d in records]
    first = records[0]
    if any(d.n_qubits != first.n_qubits or d.settings != first.settings for d in records):
        raise ValueError("data records must all have the same number of qubits and settings")
    check_size(n_iterations, "n_iterations", minimum=1, maximum=10**6)
    check_positive(tol, "tol")
    eps = check_positive(dilution, "dilution")  # finite: check_positive rejects inf
    n = first.n_qubits
    dim = 2**n
    pis = _projectors(n, first.settings)
    n_set = len(first.settings)
    pis_flat = pis.reshape(n_set * dim, dim * dim)  # row sk holds Π_sk[a, b] at a·dim + b
    counts = np.array([d.counts for d in records], dtype=float)
    freqs = counts / counts.sum(axis=(1, 2), keepdims=True)  # joint frequencies per record
    m = len(records)
    rho = np.tile(np.eye(dim, dtype=complex) / dim, (m, 1, 1))
    last = np.full(m, -np.inf)
    active = np.ones(m, dtype=bool)
    eye = np.eye(dim)
    w_id, w_r = 1.0 / (1.0 + eps), eps / (1.0 + eps)
    for _ in range(n_iterations):
        idx = np.flatnonzero(active)
        r_act = rho[idx]
        # p[m, s, k] = tr(Π_sk ρ_m) = Σ_ab Π_sk[a, b] ρ_m[b, a], as one matrix product
        flat_t = np.swapaxes(r_act, 1, 2).reshape(len(idx), dim * dim)
        p = np.clip(np.real(flat_t @ pis_flat.T), 1e-15, None).reshape(len(idx), n_set, dim)
        loglik = np.sum(freqs[idx] * np.log(p), axis=(1, 2))
        done = np.abs(loglik - last[idx]) < tol
        last[idx] = loglik
        active[idx[done]] = False
        idx, p, r_act = idx[~done], p[~done], r_act[~done]
        if idx.size == 0:
            break
        ratio = (freqs[idx] / p).reshape(len(idx), n_set * dim)
        r = (ratio @ pis_flat).reshape(len(idx), dim, dim) / n_set
        a = w_id * eye + w_r * r
        new = a @ r_act @ np.conj(np.swapaxes(a, 1, 2))
        new = (new + np.conj(np.swapaxes(new, 1, 2))) / 2
        rho[idx] = new / np.trace(new, axis1=1, axis2=2).real[:, None, None]
    return rho[0] if single else rho


def bell_diagonal_estimate(data: TomographyData) -> np.ndarray:
    """Tomography with the Bell-diagonal prior: a Bell-diagonal state from ⟨XX⟩, ⟨YY⟩, ⟨ZZ⟩.

    A Bell-diagonal two-qubit state ρ = Σ_i c_i |B_i⟩⟨B_i| is fixed by its three
    correlations t = (⟨XX⟩, ⟨YY⟩, ⟨ZZ⟩): ρ = (I + Σ_j t_j σ_j ⊗ σ_j)/4 (Horodecki &
    Horodecki 1996), with coefficients, in the order (Φ+, Ψ−, Ψ+, Φ−),

    c = ((1 + t_x − t_y + t_z), (1 − t_x − t_y − t_z), (1 + t_x + t_y − t_z),
    (1 − t_x + t_y + t_z)) / 4.

    The correlations are read from the XX, YY and ZZ settings only (the others carry no
    information about a Bell-diagonal state); a negative coefficient vector is projected onto
    the probability simplex, which is :func:`project_to_density_matrix` in the Bell basis.
    This is the prior of the noisy-Bell link family of :func:`random_states` (depolarised
    and dephased Bell pairs are Bell-diagonal), built in instead of learned.

    Parameters
    ----------
    data : TomographyData
        Counts of a two-qubit state from :func:`measure_pauli`.

    Returns
    -------
    numpy.ndarray
        The 4x4 Bell-diagonal estimate.

    Raises
    ------
    TypeError
        If ``data`` is not a :class:`TomographyData`.
    ValueError
        If ``data`` does not come from two qubits.

    Examples
    --------
    >>> from qnetlab.states import werner_state, fidelity
    >>> rho = bell_diagonal_estimate(measure_pauli(werner_state(0.9), 500, seed=1))
    >>> fidelity(rho, werner_state(0.9)) > 0.99
    True
    """
    d = _check_data(data)
    if d.n_qubits != 2:
        raise ValueError(f"data must come from a two-qubit state, got {d.n_qubits} qubits")
    parity = np.array([1.0, -1.0, -1.0, 1.0])  # eigenvalue of σ⊗σ for outcomes 00, 01, 10, 11
    t = [float(d.frequencies[d.settings.index(b + b)] @ parity) for b in "XYZ"]
    rho = state_from_pauli_expectations(dict(zip(("XX", "YY", "ZZ"), t)), 2)
    return project_to_density_matrix(rho)


def random_states(
    n_states: int,
    *,
    kind: str = "noisy_bell",
    seed: SeedLike = None,
) -> list[np.ndarray]:
    """Random two-qubit states of a chosen family, as a data set for learned tomography.

    - ``"noisy_bell"``: a random Bell state (Φ± or Ψ±) after the noise of a network link:
      depolarising (mixing with I/4) of strength in [0, 0.6], then dephasing of the first
      qubit with probability in [0, 0.3].
    - ``"haar"``: random mixed states of rank 1–4 (Ginibre ensemble), no structure.

    >>> len(random_states(5, seed=0)), random_states(1, kind="haar", seed=0)[0].shape
    (5, (4, 4))
    """
    count = check_size(n_states, "n_states", minimum=1, maximum=10**6)
    check_choice(kind, "kind", ("noisy_bell", "haar"))
    rng = make_rng(seed)
    out = []
    for _ in range(count):
        if kind == "haar":
            rank = int(rng.integers(1, 5))
            g = rng.normal(size=(4, rank)) + 1j * rng.normal(size=(4, rank))
            rho = g @ g.conj().T
            out.append(rho / np.trace(rho).real)
            continue
        rho = bell_state(BELL_ORDER[int(rng.integers(4))], density=True)
        p = rng.uniform(0.0, 0.6)
        rho = (1 - p) * rho + p * np.eye(4) / 4
        q = rng.uniform(0.0, 0.3)
        z1 = np.kron(_Z, _I)
        out.append((1 - q) * rho + q * z1 @ rho @ z1)
    return out


class NeuralTomography:
    """Learned tomography: a multilayer perceptron from Pauli frequencies to ⟨P⟩.

    Trained on simulated measurement records of a family of states (see
    :func:`random_states`); the prediction is turned into a density matrix with
    :func:`project_to_density_matrix`. Follows scikit-learn: ``__init__`` stores the
    parameters, :meth:`fit` validates them and resolves ``seed``, fitted state ends with
    an underscore.

    Parameters
    ----------
    hidden : tuple of int, optional
        Sizes of the hidden layers.
    seed : int, Generator or None, optional
        Initialisation of the network's weights, drawn when :meth:`fit` runs.

    Attributes
    ----------
    model_ : sklearn.neural_network.MLPRegressor
        The fitted network.
    n_qubits_ : int
        Qubits of the training states.
    shots_per_setting_ : int
        Shots per Pauli setting of the training records.

    Examples
    --------
    >>> from qnetlab.states import werner_state, fidelity
    >>> model = NeuralTomography(hidden=(32,), seed=0).fit(random_states(200, seed=1), 100, seed=2)
    >>> rho = model.predict(measure_pauli(werner_state(0.8), 100, seed=3))
    >>> fidelity(rho, werner_state(0.8)) > 0.9
    True
    """

    def __init__(self, hidden: tuple[int, ...] = (128, 128), *, seed: SeedLike = None) -> None:
        self.hidden = hidden
        self.seed = seed

    def __repr__(self) -> str:
        state = "fitted" if hasattr(self, "model_") else "not fitted"
        return f"NeuralTomography(hidden={self.hidden!r}, {state})"

    @staticmethod
    def _features(data: TomographyData) -> np.ndarray:
        return data.frequencies.ravel()

    def fit(
        self,
        training_states: Sequence[Any],
        shots_per_setting: int,
        *,
        backend: str = "numpy",
        n_iterations: int = 400,
        seed: SeedLike = None,
    ) -> NeuralTomography:
        """Simulate one measurement record per training state and fit the network.

        Parameters
        ----------
        training_states : sequence of state vectors or density matrices
            At least two states of the same number of qubits.
        shots_per_setting : int
            Shots per Pauli setting of each simulated record (>= 1).
        backend : {"numpy", "cirq"}, optional
            Simulator of the records (:func:`measure_pauli`).
        n_iterations : int, optional
            Cap on the training epochs (early stopping may end sooner).
        seed : int, Generator or None, optional
            Randomness of the simulated records.

        Returns
        -------
        NeuralTomography
            The fitted estimator.

        Raises
        ------
        ValueError
            If ``hidden`` is not a non-empty tuple of positive sizes, fewer than two states
            are given, or the states differ in size.
        """
        from sklearn.neural_network import MLPRegressor

        try:
            layers = tuple(self.hidden)
        except TypeError:
            raise TypeError(f"hidden must be a tuple of layer sizes, got {self.hidden!r}") from None
        if not layers or any(check_integer(h, "hidden", minimum=1) <= 0 for h in layers):
            raise ValueError("hidden must be a non-empty tuple of positive layer sizes")
        init_rng = make_rng(self.seed)
        if len(training_states) < 2:
            raise ValueError("training_states must hold at least two states")
        shots = check_size(shots_per_setting, "shots_per_setting", minimum=1, maximum=10**9)
        epochs = check_size(n_iterations, "n_iterations", minimum=1, maximum=10**6)
        rng = make_rng(seed)
        features, targets = [], []
        n = None
        for s in training_states:
            rho = to_density_matrix(s, "training state")
            data = measure_pauli(rho, shots, backend=backend, seed=rng)
            if n is None:
                n = data.n_qubits
            elif data.n_qubits != n:
                raise ValueError("training states must all have the same number of qubits")
            features.append(self._features(data))
            targets.append(_true_expectations(rho, n))
        model = MLPRegressor(
            hidden_layer_sizes=tuple(int(h) for h in layers),
            max_iter=epochs,
            early_stopping=True,
            random_state=int(init_rng.integers(2**31 - 1)),
            tol=1e-6,
        )
        model.fit(np.array(features), np.array(targets))
        self.model_, self.n_qubits_, self.shots_per_setting_ = model, n, shots
        return self

    def predict_expectations(self, data: TomographyData) -> np.ndarray:
        """Predicted ⟨P⟩ for the non-identity Pauli strings, clipped to [−1, 1]."""
        d = _check_data(data)
        if not hasattr(self, "model_"):
            raise ValueError("the model is not fitted: call fit() first")
        if d.n_qubits != self.n_qubits_:
            raise ValueError(
                f"data has {d.n_qubits} qubits, the model was trained on {self.n_qubits_}"
            )
        return np.clip(self.model_.predict(self._features(d)[None, :])[0], -1.0, 1.0)

    def predict(self, data: TomographyData) -> np.ndarray:
        """Predicted density matrix (physical, by projection)."""
        e = self.predict_expectations(data)
        return project_to_density_matrix(state_from_pauli_expectations(e, self.n_qubits_))


def _true_expectations(rho: np.ndarray, n: int) -> np.ndarray:
    return np.array(
        [np.real(np.trace(rho @ _pauli_matrix(label))) for label in pauli_labels(n)[1:]]
    )
