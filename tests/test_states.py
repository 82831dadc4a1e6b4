"""States and figures of merit, checked against textbook values and independent formulas."""

from __future__ import annotations

import cirq
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnetlab import states

fidelities = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def random_density_matrix(
    rng: np.random.Generator, dim: int, rank: int | None = None
) -> np.ndarray:
    rank = rank or dim
    g = rng.normal(size=(dim, rank)) + 1j * rng.normal(size=(dim, rank))
    rho = g @ g.conj().T
    return rho / np.trace(rho)


def test_bell_states_are_orthonormal_and_maximally_entangled():
    kets = [states.bell_state(n) for n in states.BELL_ORDER]
    gram = np.array([[np.vdot(a, b) for b in kets] for a in kets])
    np.testing.assert_allclose(gram, np.eye(4), atol=1e-12)
    for k in kets:
        reduced = states.partial_trace(k, [0])
        np.testing.assert_allclose(reduced, np.eye(2) / 2, atol=1e-12)
        assert states.concurrence(k) == pytest.approx(1.0)
        assert states.von_neumann_entropy(reduced) == pytest.approx(1.0)


def test_bell_state_matches_cirq_circuit():
    a, b = cirq.LineQubit.range(2)
    psi = cirq.final_state_vector(cirq.Circuit(cirq.H(a), cirq.CNOT(a, b)), dtype=np.complex128)
    np.testing.assert_allclose(psi, states.bell_state("phi+"), atol=1e-12)


def test_unknown_bell_state_name():
    with pytest.raises(ValueError, match="name must be one of"):
        states.bell_state("chi+")


@given(fidelities)
@settings(max_examples=40, deadline=None)
def test_werner_state_is_a_state_with_the_requested_fidelity(f):
    rho = states.werner_state(f)
    np.testing.assert_allclose(np.trace(rho), 1.0)
    assert np.linalg.eigvalsh(rho).min() > -1e-12
    assert states.fidelity(rho, states.bell_state("phi+")) == pytest.approx(f, abs=1e-9)
    # Werner (1989) in the Φ+ convention: concurrence max(0, 2F - 1).
    assert states.concurrence(rho) == pytest.approx(max(0.0, 2 * f - 1), abs=1e-7)


@pytest.mark.parametrize("bad", [-0.01, 1.01])
def test_werner_state_rejects_bad_fidelity(bad):
    with pytest.raises(ValueError, match="fidelity must be a probability"):
        states.werner_state(bad)


def test_bell_diagonal_round_trip():
    c = np.array([0.6, 0.2, 0.15, 0.05])
    rho = states.bell_diagonal_state(c)
    np.testing.assert_allclose(states.bell_diagonal_coefficients(rho), c, atol=1e-12)
    with pytest.raises(ValueError, match="sum to 1"):
        states.bell_diagonal_state([0.5, 0.2, 0.2, 0.2])
    with pytest.raises(ValueError, match="4 entries"):
        states.bell_diagonal_state([1.0, 0.0])


def test_fidelity_against_independent_formula():
    # Uhlmann fidelity via scipy's matrix square root, independently of qnetlab.
    from scipy.linalg import sqrtm

    rng = np.random.default_rng(5)
    for dim in (2, 4):
        r = random_density_matrix(rng, dim)
        s = random_density_matrix(rng, dim)
        sr = sqrtm(r)
        expected = np.real(np.trace(sqrtm(sr @ s @ sr))) ** 2
        assert states.fidelity(r, s) == pytest.approx(expected, abs=1e-8)
        assert states.fidelity(s, r) == pytest.approx(expected, abs=1e-8)


@given(st.integers(min_value=0, max_value=10_000))
@settings(max_examples=25, deadline=None)
def test_fidelity_properties(seed):
    rng = np.random.default_rng(seed)
    r = random_density_matrix(rng, 4)
    s = random_density_matrix(rng, 4, rank=2)
    f = states.fidelity(r, s)
    assert 0.0 <= f <= 1.0
    assert states.fidelity(r, r) == pytest.approx(1.0, abs=1e-7)
    # Unitary invariance.
    u = cirq.testing.random_unitary(4, random_state=seed)
    assert states.fidelity(u @ r @ u.conj().T, u @ s @ u.conj().T) == pytest.approx(f, abs=1e-7)


def test_fidelity_shape_mismatch():
    with pytest.raises(ValueError, match="same dimension"):
        states.fidelity([1, 0], states.bell_state("phi+"))


def test_partial_trace_of_product_state():
    rng = np.random.default_rng(2)
    a = random_density_matrix(rng, 2)
    b = random_density_matrix(rng, 4)
    rho = np.kron(a, b)
    np.testing.assert_allclose(states.partial_trace(rho, [0]), a, atol=1e-12)
    np.testing.assert_allclose(states.partial_trace(rho, [1, 2]), b, atol=1e-12)
    # The order of `keep` orders the subsystems of the result.
    swap = np.eye(4)[[0, 2, 1, 3]]
    np.testing.assert_allclose(states.partial_trace(rho, [2, 1]), swap @ b @ swap.T, atol=1e-12)
    with pytest.raises(ValueError, match="must not repeat"):
        states.partial_trace(rho, [0, 0])
    with pytest.raises(ValueError, match=r"keep must be an integer in \[0, 2\]"):
        states.partial_trace(rho, [3])


def test_concurrence_of_product_and_rejects_wrong_size():
    assert states.concurrence(np.kron(np.eye(2) / 2, np.eye(2) / 2)) == pytest.approx(0.0)
    with pytest.raises(ValueError, match="two-qubit"):
        states.concurrence(np.eye(2) / 2)


def test_bloch_round_trip_and_limits():
    r = np.array([0.3, -0.4, 0.5])
    np.testing.assert_allclose(states.bloch_vector(states.state_from_bloch(r)), r, atol=1e-12)
    with pytest.raises(ValueError, match=r"vector must have length \|vector\| <= 1"):
        states.state_from_bloch([1.0, 1.0, 0.0])


def test_density_matrix_from_cirq_reduces_and_validates():
    a, b, c = cirq.LineQubit.range(3)
    circuit = cirq.Circuit(cirq.H(a), cirq.CNOT(a, b), cirq.X(c))
    res = cirq.DensityMatrixSimulator().simulate(circuit)
    pair = states.density_matrix_from_cirq(res, keep=[0, 1])
    assert states.fidelity(pair, states.bell_state("phi+")) == pytest.approx(1.0, abs=1e-5)
    single = states.density_matrix_from_cirq(res, keep=[2])
    np.testing.assert_allclose(single, [[0, 0], [0, 1]], atol=1e-6)
    sv = cirq.Simulator().simulate(circuit)
    assert states.purity(states.density_matrix_from_cirq(sv)) == pytest.approx(1.0, abs=1e-5)


def test_ket_validation():
    with pytest.raises(ValueError, match="0s and 1s"):
        states.ket("012")
