"""Network primitives in Cirq: teleportation over a noisy resource and the CHSH Bell test.

Teleportation runs on Cirq's density-matrix simulator with the resource pair given as a
density matrix; the Bell measurement and the Pauli corrections use the deferred-measurement
form (controlled gates in place of measurement + classical control), which gives the
average over measurement outcomes in one simulation. :func:`teleportation_circuit` can
also build the measured form with classically controlled corrections.

>>> from qnetlab.states import werner_state
>>> round(teleportation_fidelity(werner_state(0.9)), 6)  # (2F + 1) / 3
0.933333
>>> round(chsh_value(werner_state(1.0)), 6)  # Tsirelson's bound 2√2
2.828427
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validation import (
    SeedLike,
    check_array,
    check_in_range,
    check_probability,
    check_real,
    check_size,
    make_rng,
    to_density_matrix,
)
from .results import ResultMixin
from .states import fidelity, partial_trace

__all__ = [
    "CHSH_ANGLES",
    "CLASSICAL_TELEPORTATION_LIMIT",
    "CHSHResult",
    "chsh_circuit",
    "chsh_correlation",
    "chsh_experiment",
    "chsh_value",
    "teleport",
    "teleportation_circuit",
    "teleportation_fidelity",
]

#: Best average fidelity of measure-and-prepare (no entanglement) for a qubit (Massar–Popescu 1995).
CLASSICAL_TELEPORTATION_LIMIT: float = 2.0 / 3.0

#: Measurement angles (radians, in the X–Z plane) that reach 2√2 on Φ+: Alice a, a', Bob b, b'.
CHSH_ANGLES: tuple[float, float, float, float] = (0.0, np.pi / 2, np.pi / 4, -np.pi / 4)

# The six Pauli eigenstates form a 3-design: averaging over them gives the exact Haar average.
#: Upper bound on ``chsh_experiment``'s shots per setting (memory of one sample array).
MAX_CHSH_SHOTS = 10**7

_OCTAHEDRON_PREP = (
    [],  # |0>
    [("x", 1.0)],  # |1>
    [("ry", np.pi / 2)],  # |+>
    [("ry", -np.pi / 2)],  # |->
    [("rx", -np.pi / 2)],  # |+i>
    [("rx", np.pi / 2)],  # |-i>
)


def teleportation_circuit(
    *,
    deferred: bool = True,
    gate_noise: float = 0.0,
    measurement_noise: float = 0.0,
) -> tuple[Any, tuple[Any, Any, Any]]:
    """Return the teleportation circuit and its qubits (input, Alice's half, Bob's half).

    The resource pair sits on qubits 1 and 2 and must be supplied as the initial state.

    Parameters
    ----------
    deferred : bool, default True
        Controlled-gate corrections (no measurement, averaged over outcomes); with
        ``False`` Alice measures (keys ``"m_in"``, ``"m_a"``) and Bob's X and Z are
        classically controlled.
    gate_noise : float, default 0.0
        Depolarising probability (Cirq convention), in [0, 1], on every qubit a two-qubit
        gate touches.
    measurement_noise : float, default 0.0
        Probability, in [0, 1], that each Bell-measurement bit flips.

    Returns
    -------
    tuple
        ``(circuit, (q_in, q_a, q_b))``: the ``cirq.Circuit`` and its three line qubits.

    Raises
    ------
    ValueError
        If a noise probability is outside [0, 1].

    Examples
    --------
    >>> circuit, (q_in, q_a, q_b) = teleportation_circuit(deferred=False)
    >>> sorted(circuit.all_measurement_key_names())
    ['m_a', 'm_in']
    >>> len(list(teleportation_circuit()[0].all_operations()))
    4
    """
    import cirq

    p_gate = check_probability(gate_noise, "gate_noise")
    p_meas = check_probability(measurement_noise, "measurement_noise")
    q_in, q_a, q_b = cirq.LineQubit.range(3)
    ops: list[Any] = [cirq.CNOT(q_in, q_a)]
    if p_gate:
        ops += [cirq.depolarize(p_gate).on_each(q_in, q_a)]
    ops.append(cirq.H(q_in))
    if p_meas:
        ops.append(cirq.bit_flip(p_meas).on_each(q_in, q_a))
    if deferred:
        ops.append(cirq.CNOT(q_a, q_b))
        ops.append(cirq.CZ(q_in, q_b))
        if p_gate:
            ops += [cirq.depolarize(p_gate).on_each(q_a, q_b), cirq.depolarize(p_gate).on(q_in)]
    else:
        ops += [cirq.measure(q_in, key="m_in"), cirq.measure(q_a, key="m_a")]
        ops.append(cirq.X(q_b).with_classical_controls("m_a"))
        ops.append(cirq.Z(q_b).with_classical_controls("m_in"))
    return cirq.Circuit(ops), (q_in, q_a, q_b)


def _input_state(prep: list[tuple[str, float]]) -> np.ndarray:
    import cirq

    q = cirq.LineQubit(0)
    gates = {"x": lambda a: cirq.X, "ry": cirq.ry, "rx": cirq.rx}
    c = cirq.Circuit([gates[g](a).on(q) for g, a in prep])
    psi = (
        cirq.final_state_vector(c, qubit_order=[q], dtype=np.complex128)
        if prep
        else np.array([1, 0], complex)
    )
    return np.outer(psi, psi.conj())


def teleport(
    state: Any,
    resource: Any,
    *,
    gate_noise: float = 0.0,
    measurement_noise: float = 0.0,
) -> np.ndarray:
    """Teleport a one-qubit ``state`` over a two-qubit ``resource``; return Bob's state.

    Simulated with ``cirq.DensityMatrixSimulator`` (double precision) on the deferred
    circuit of :func:`teleportation_circuit`, i.e. averaged over Alice's outcomes.

    Parameters
    ----------
    state : array_like
        The input qubit, ket (length 2) or density matrix (2x2).
    resource : array_like
        The shared pair (Alice's half first), ket or 4x4 density matrix.
    gate_noise : float, default 0.0
        Depolarising probability in [0, 1] after the two-qubit gates.
    measurement_noise : float, default 0.0
        Bell-measurement bit-flip probability in [0, 1].

    Returns
    -------
    numpy.ndarray
        Bob's 2x2 density matrix.

    Raises
    ------
    ValueError
        If ``state`` is not a qubit, ``resource`` not a two-qubit state, or a noise
        probability is outside [0, 1].

    Examples
    --------
    >>> from qnetlab.states import bell_state
    >>> out = teleport([0, 1], bell_state("phi+", density=True))
    >>> out.real.round(6).tolist()
    [[0.0, 0.0], [0.0, 1.0]]
    """
    import cirq

    rho_in = to_density_matrix(state, "state")
    if rho_in.shape != (2, 2):
        raise ValueError(f"state must be a single qubit, got dimension {rho_in.shape[0]}")
    res = _check_two_qubit(resource, "resource")
    circuit, qubits = teleportation_circuit(
        deferred=True, gate_noise=gate_noise, measurement_noise=measurement_noise
    )
    initial = np.kron(rho_in, res).astype(np.complex128)
    sim = cirq.DensityMatrixSimulator(dtype=np.complex128)
    result = sim.simulate(circuit, qubit_order=list(qubits), initial_state=initial)
    out = partial_trace(np.asarray(result.final_density_matrix), [2])
    return (out + out.conj().T) / 2


def _check_two_qubit(resource: Any, name: str) -> np.ndarray:
    m = to_density_matrix(resource, name)
    if m.shape != (4, 4):
        raise ValueError(f"{name} must be a two-qubit state (4x4 density matrix), got {m.shape}")
    return m


def teleportation_fidelity(
    resource: Any, *, gate_noise: float = 0.0, measurement_noise: float = 0.0
) -> float:
    """Average fidelity of teleporting a qubit over ``resource``, by Cirq simulation.

    The average over the Bloch sphere equals the average over the six Pauli eigenstates,
    which is what is simulated. For a Werner resource of fidelity F the answer is
    (2F + 1)/3 (Horodecki et al. 1999); without entanglement no protocol beats 2/3.

    Parameters
    ----------
    resource : array_like
        The shared pair, ket or 4x4 density matrix.
    gate_noise : float, default 0.0
        Depolarising probability in [0, 1] after the two-qubit gates.
    measurement_noise : float, default 0.0
        Bell-measurement bit-flip probability in [0, 1].

    Returns
    -------
    float
        The average teleportation fidelity, in [0, 1].

    Raises
    ------
    ValueError
        If ``resource`` is not a two-qubit state or a noise probability is outside [0, 1].

    Examples
    --------
    >>> from qnetlab.states import werner_state
    >>> round(teleportation_fidelity(werner_state(0.5)), 6)
    0.666667
    >>> round(teleportation_fidelity(werner_state(0.9)), 6)  # (2F + 1)/3
    0.933333
    """
    res = _check_two_qubit(resource, "resource")
    total = 0.0
    for prep in _OCTAHEDRON_PREP:
        rho_in = _input_state(list(prep))
        out = teleport(rho_in, res, gate_noise=gate_noise, measurement_noise=measurement_noise)
        total += fidelity(rho_in, out)
    return total / len(_OCTAHEDRON_PREP)


# --- CHSH ---------------------------------------------------------------------------------

_X = np.array([[0, 1], [1, 0]], dtype=complex)
_Y = np.array([[0, -1j], [1j, 0]], dtype=complex)
_Z = np.array([[1, 0], [0, -1]], dtype=complex)


def _observable(theta: float) -> np.ndarray:
    return np.cos(theta) * _Z + np.sin(theta) * _X


def chsh_correlation(rho: Any, theta_a: float, theta_b: float) -> float:
    """Exact correlator E(a, b) = ⟨A(θ_a) ⊗ B(θ_b)⟩ for measurements in the X–Z plane.

    A(θ) = cos θ Z + sin θ X; on Φ+ the correlator is cos(θ_a − θ_b).

    Parameters
    ----------
    rho : array_like
        A two-qubit state, ket or 4x4 density matrix (Alice's qubit first).
    theta_a : float
        Alice's measurement angle in radians.
    theta_b : float
        Bob's measurement angle in radians.

    Returns
    -------
    float
        The correlator, in [−1, 1].

    Raises
    ------
    TypeError
        If an angle is not a real number.
    ValueError
        If ``rho`` is not a two-qubit state.

    Examples
    --------
    >>> from qnetlab.states import bell_state
    >>> round(chsh_correlation(bell_state("phi+"), 0.0, 0.0), 6)
    1.0
    >>> round(chsh_correlation(bell_state("phi+"), 0.0, np.pi / 4), 6)
    0.707107
    """
    m = _check_two_qubit(rho, "rho")
    ta = check_real(theta_a, "theta_a")
    tb = check_real(theta_b, "theta_b")
    op = np.kron(_observable(ta), _observable(tb))
    return float(np.real(np.trace(m @ op)))


def chsh_value(rho: Any) -> float:
    """Largest CHSH value reachable with ``rho`` (Horodecki criterion).

    S_max = 2 √(m₁ + m₂), with m₁, m₂ the two largest eigenvalues of TᵀT and
    T_ij = tr(ρ σ_i ⊗ σ_j). Local hidden variables give S ≤ 2; quantum mechanics ≤ 2√2.
    For a Werner state S_max = 2√2 (4F − 1)/3.

    Parameters
    ----------
    rho : array_like
        A two-qubit state, ket or 4x4 density matrix.

    Returns
    -------
    float
        S_max, in [0, 2√2].

    Raises
    ------
    ValueError
        If ``rho`` is not a two-qubit state.

    Examples
    --------
    >>> from qnetlab.states import bell_state, werner_state
    >>> round(chsh_value(werner_state(0.25)), 6)
    0.0
    >>> round(chsh_value(bell_state("psi-")), 6)
    2.828427
    """
    m = _check_two_qubit(rho, "rho")
    paulis = (_X, _Y, _Z)
    t = np.array([[np.real(np.trace(m @ np.kron(a, b))) for b in paulis] for a in paulis])
    ev = np.sort(np.linalg.eigvalsh(t.T @ t))[::-1]
    return float(2.0 * np.sqrt(max(ev[0] + ev[1], 0.0)))


@dataclass(frozen=True)
class CHSHResult(ResultMixin):
    """Outcome of a sampled CHSH experiment (returned by :func:`chsh_experiment`).

    Parameters
    ----------
    value : float
        S = E(a,b) + E(a,b') + E(a',b) − E(a',b').
    std_error : float
        Standard error of ``value``.
    correlators : tuple of float
        E(a,b), E(a,b'), E(a',b), E(a',b').
    shots_per_setting : int
        Shots drawn for each of the four settings.

    Notes
    -----
    ``win_probability`` is the CHSH game's winning rate 1/2 + S/8 (classical best 3/4);
    ``violates_local_realism`` is true when S exceeds 2 by more than three standard errors.

    Examples
    --------
    >>> r = CHSHResult(2.8, 0.02, (0.7, 0.7, 0.7, -0.7), 4000)
    >>> r.win_probability, r.violates_local_realism
    (0.85, True)
    """

    value: float
    std_error: float
    correlators: tuple[float, float, float, float]
    shots_per_setting: int

    @property
    def win_probability(self) -> float:
        return 0.5 + self.value / 8.0

    @property
    def violates_local_realism(self) -> bool:
        """True when S exceeds 2 by more than three standard errors."""
        return self.value - 2.0 > 3.0 * self.std_error


def chsh_circuit(
    theta_a: float, theta_b: float, *, prepare: bool = True, measure: bool = True
) -> Any:
    """The Cirq circuit of one CHSH setting: a Φ+ pair, each side measured along its angle.

    Qubit 0 is Alice's, qubit 1 Bob's. With ``prepare=True`` the pair is made with ``H``
    and ``CNOT`` (otherwise it is supplied as the initial state); each qubit is rotated
    by ``cirq.ry(-θ)`` so that its measurement axis (angle θ in the X-Z plane) becomes Z,
    and measured under ``"a"`` and ``"b"``. On Φ+ the outcomes agree with probability
    ``cos²((θ_a - θ_b)/2)``: the correlator is ``cos(θ_a - θ_b)``.

    Parameters
    ----------
    theta_a, theta_b : float
        Alice's and Bob's measurement angles in radians (see :data:`CHSH_ANGLES`).
    prepare : bool, optional
        Prepend the preparation of Φ+ (default True).
    measure : bool, optional
        Append the two measurements (default True).

    Returns
    -------
    cirq.Circuit
        The circuit on ``cirq.LineQubit(0)`` and ``cirq.LineQubit(1)``.

    Raises
    ------
    TypeError
        If an angle is not a real number.

    Examples
    --------
    >>> print(chsh_circuit(0.0, np.pi / 4))
    0: ───H───@───Ry(0)────────M('a')───
              │
    1: ───────X───Ry(-0.25π)───M('b')───
    """
    import cirq

    ta = check_in_range(theta_a, "theta_a")
    tb = check_in_range(theta_b, "theta_b")
    qa, qb = cirq.LineQubit.range(2)
    ops: list[Any] = [cirq.H(qa), cirq.CNOT(qa, qb)] if prepare else []
    ops += [cirq.ry(-ta).on(qa), cirq.ry(-tb).on(qb)]
    if measure:
        ops += [cirq.measure(qa, key="a"), cirq.measure(qb, key="b")]
    return cirq.Circuit(ops)


def chsh_experiment(
    rho: Any,
    shots_per_setting: int = 2000,
    *,
    angles: tuple[float, float, float, float] = CHSH_ANGLES,
    seed: SeedLike = None,
) -> CHSHResult:
    """Run the CHSH test on ``rho`` with Cirq: rotate, measure, estimate S.

    For each of the four setting pairs the pair is prepared (as a density matrix),
    each qubit is rotated so that its measurement axis becomes Z (``cirq.ry(-θ)``), and
    samples are drawn with ``cirq.DensityMatrixSimulator``.

    Parameters
    ----------
    rho : array_like
        A two-qubit state, ket or 4x4 density matrix.
    shots_per_setting : int, default 2000
        Samples per setting pair, in [1, ``MAX_CHSH_SHOTS`` = 10^7].
    angles : tuple of float, default CHSH_ANGLES
        (a, a', b, b') in radians.
    seed : SeedLike, optional
        Seed or generator (normalised by ``make_rng``).

    Returns
    -------
    CHSHResult
        S, its standard error and the four correlators.

    Raises
    ------
    TypeError
        If ``angles`` are not real numbers or ``shots_per_setting`` not an integer.
    ValueError
        If ``rho`` is not a two-qubit state, ``angles`` not four numbers, or
        ``shots_per_setting`` outside [1, 10^7].

    Examples
    --------
    >>> from qnetlab.states import bell_state
    >>> r = chsh_experiment(bell_state("phi+", density=True), 4000, seed=1)
    >>> r.violates_local_realism
    True
    >>> bool(abs(r.value - 2 * np.sqrt(2)) < 5 * r.std_error)
    True
    """
    import cirq

    m = _check_two_qubit(rho, "rho")
    shots = check_size(
        shots_per_setting,
        "shots_per_setting",
        maximum=MAX_CHSH_SHOTS,
        hint="repeat the experiment with several seeds and pool the correlators",
    )
    a0, a1, b0, b1 = check_array(angles, "angles", shape=(4,)).tolist()
    rng = make_rng(seed)
    qa, qb = cirq.LineQubit.range(2)
    sim = cirq.DensityMatrixSimulator(dtype=np.complex128, seed=rng)
    correlators, variances = [], []
    for ta, tb in ((a0, b0), (a0, b1), (a1, b0), (a1, b1)):
        # Rotate each measurement axis onto Z, simulate, then sample the Z outcomes.
        rotated = chsh_circuit(ta, tb, prepare=False, measure=False)
        final = sim.simulate(rotated, qubit_order=[qa, qb], initial_state=m).final_density_matrix
        probs = np.clip(np.real(np.diag(final)), 0.0, None)
        probs = probs / probs.sum()
        outcomes = rng.choice(4, size=shots, p=probs)
        parity = np.where((outcomes == 0) | (outcomes == 3), 1.0, -1.0)
        correlators.append(float(parity.mean()))
        variances.append(float(parity.var(ddof=1) / shots) if shots > 1 else 1.0)
    e_ab, e_abp, e_apb, e_apbp = correlators
    value = e_ab + e_abp + e_apb - e_apbp
    return CHSHResult(
        value=value,
        std_error=float(np.sqrt(sum(variances))),
        correlators=(e_ab, e_abp, e_apb, e_apbp),
        shots_per_setting=shots,
    )
