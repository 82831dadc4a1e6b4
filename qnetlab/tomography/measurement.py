"""Pauli tomography experiments: the Pauli strings, the measurement circuits in Cirq, the
simulated counts and the Pauli expectations estimated from them.

A state of n qubits is measured in the 3ⁿ Pauli bases (one of X, Y, Z per qubit); each
setting rotates the qubits so that the +1 eigenvector of its Pauli becomes ``|0>`` and
measures in the computational basis. :func:`measure_pauli` runs this on Cirq's
density-matrix simulator (the ground truth) or computes the same outcome probabilities with
matrices (the fast path, checked against Cirq by the tests), and samples the counts into a
:class:`TomographyData`; :func:`pauli_expectations` turns them into ⟨P⟩ for every Pauli
string, the input of the estimators of :mod:`qnetlab.tomography.estimators`.

Conventions: measuring in basis X rotates with H, in Y with S†H, so outcome bit 0 is the
+1 eigenvalue; qubit 0 is the most significant bit (Cirq order).

>>> from qnetlab.states import bell_state
>>> pauli_expectations(measure_pauli(bell_state("phi+"), 200, seed=1))["ZZ"]
1.0
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_choice,
    check_integer,
    check_size,
    make_rng,
    to_density_matrix,
)

__all__ = [
    "TomographyData",
    "measure_pauli",
    "measurement_circuit",
    "pauli_expectations",
    "pauli_labels",
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

    Letter i acts on qubit i. This is the order of every Pauli vector of the subpackage
    (:func:`pauli_expectations`, :class:`~qnetlab.tomography.learned.NeuralTomography`).

    Parameters
    ----------
    n_qubits : int
        Qubits, in [1, 4].
    include_identity : bool, default True
        Keep the all-identity string ``"I…I"`` (first); without it 4ⁿ − 1 strings remain.

    Returns
    -------
    list of str
        The 4ⁿ (or 4ⁿ − 1) strings.

    Raises
    ------
    TypeError
        If ``n_qubits`` is not an integer.
    ValueError
        If ``n_qubits`` is outside [1, 4].

    Examples
    --------
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
        """Shots over all settings (3ⁿ × ``shots_per_setting``)."""
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
    # an average over settings of ±1 can round to 1 + 2e-16; an expectation is in [-1, 1]
    np.clip(values, -1.0, 1.0, out=values)
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
