"""Tests for qnetlab.ai.learning: Pauli-frequency features and the PPT eigenvalue."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnetlab.ai.learning import min_partial_transpose_eigenvalue, pauli_frequency_features
from qnetlab.states import bell_state, concurrence, ket, werner_state
from qnetlab.tomography import measure_pauli, random_states


def test_feature_shape_and_rows_are_distributions():
    states = random_states(5, seed=1)
    x = pauli_frequency_features(states, 40, seed=2)
    assert x.shape == (5, 9 * 4)
    np.testing.assert_allclose(x.reshape(5, 9, 4).sum(axis=2), 1.0)
    assert np.all(x >= 0)


def test_features_match_measure_pauli_with_same_generator():
    states = random_states(3, seed=4)
    x = pauli_frequency_features(states, 25, seed=7)
    rng = np.random.default_rng(7)
    expected = [measure_pauli(s, 25, backend="numpy", seed=rng).frequencies.ravel() for s in states]
    np.testing.assert_array_equal(x, np.array(expected))


def test_seed_reproducible_and_single_qubit():
    a = pauli_frequency_features([ket("0"), ket("1")], 30, seed=3)
    b = pauli_frequency_features([ket("0"), ket("1")], 30, seed=3)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (2, 6)
    # Z setting is the last one: |0> always gives outcome 0, |1> outcome 1.
    np.testing.assert_array_equal(a[:, -2:], [[1.0, 0.0], [0.0, 1.0]])


def test_cirq_and_numpy_backends_agree_statistically():
    """Mean frequencies of Φ+ from both backends agree within 5 standard errors."""
    rho = werner_state(0.8)
    shots, reps = 200, 10
    xn = pauli_frequency_features([rho] * reps, shots, backend="numpy", seed=1).mean(axis=0)
    xc = pauli_frequency_features([rho] * reps, shots, backend="cirq", seed=2).mean(axis=0)
    se = np.sqrt(0.25 / (shots * reps)) * np.sqrt(2)
    assert np.max(np.abs(xn - xc)) < 5 * se


def test_bell_state_frequencies_exact_correlations():
    x = pauli_frequency_features([bell_state("phi+")], 100, seed=0).reshape(9, 4)
    # ZZ (setting index 8): only outcomes 00 and 11; XX (index 0): same; YY (4): 01 and 10.
    assert x[8, 1] == x[8, 2] == 0.0
    assert x[0, 1] == x[0, 2] == 0.0
    assert x[4, 0] == x[4, 3] == 0.0


def test_ppt_values_for_werner_states():
    """Werner state ρ = a|Φ+⟩⟨Φ+| + b I with b = (1-F)/3, a = (4F-1)/3 (Werner 1989).

    (|Φ+⟩⟨Φ+|)^{T_B} = SWAP/2 has eigenvalues ±1/2, so λ_min = b - a/2 = (1 - 2F)/2 for
    F ≥ 1/4 (Peres 1996): negative exactly when F > 1/2.
    """
    for f in (0.3, 0.5, 0.7, 1.0):
        b, a = (1 - f) / 3, (4 * f - 1) / 3
        lam = min_partial_transpose_eigenvalue(werner_state(f))
        assert lam == pytest.approx(b - a / 2, abs=1e-12)
        assert lam == pytest.approx((1 - 2 * f) / 2, abs=1e-12)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_ppt_agrees_with_concurrence(seed):
    """For two qubits, NPT ⇔ entangled (Horodecki 1996): sign matches concurrence > 0."""
    (rho,) = random_states(1, kind="haar", seed=seed)
    c = concurrence(rho)
    lam = min_partial_transpose_eigenvalue(rho)
    if c > 1e-6:
        assert lam < 0
    else:
        assert lam > -1e-6


def test_ppt_accepts_ket_and_product_states_are_ppt():
    assert min_partial_transpose_eigenvalue(ket("01")) == pytest.approx(0.0, abs=1e-12)
    assert min_partial_transpose_eigenvalue(bell_state("psi-")) == pytest.approx(-0.5)


def test_bad_inputs():
    with pytest.raises(ValueError, match="shots_per_setting"):
        pauli_frequency_features([ket("0")], 0)
    with pytest.raises(ValueError, match="backend"):
        pauli_frequency_features([ket("0")], 5, backend="qiskit")
    with pytest.raises(ValueError, match="at least one"):
        pauli_frequency_features([], 5)
    with pytest.raises(ValueError, match="same dimension"):
        pauli_frequency_features([ket("0"), ket("00")], 5)
    with pytest.raises(TypeError, match="sequence of states"):
        pauli_frequency_features(np.eye(2) / 2, 5)
    with pytest.raises(ValueError, match="4 x 4"):
        min_partial_transpose_eigenvalue(np.eye(2) / 2)
    with pytest.raises(ValueError, match="Hermitian"):
        min_partial_transpose_eigenvalue(np.triu(np.ones((4, 4))))


def test_ppt_rejects_non_states_but_accepts_unphysical_estimates():
    """Issue 16: only states, or unit-trace Hermitian estimates of one, are accepted."""
    with pytest.raises(ValueError, match="unit trace"):
        min_partial_transpose_eigenvalue(5 * np.eye(4))
    with pytest.raises(ValueError, match="finite"):
        min_partial_transpose_eigenvalue(np.full((4, 4), np.nan))
    with pytest.raises(ValueError, match="normalised"):
        min_partial_transpose_eigenvalue(np.zeros(4))
    with pytest.raises(ValueError, match="normalised"):
        min_partial_transpose_eigenvalue(np.array([1.0, 1.0, 0.0, 0.0]))
    with pytest.raises(TypeError, match="4 x 4"):
        min_partial_transpose_eigenvalue([["a"] * 4] * 4)
    # A linear-inversion-like estimate: unit trace, Hermitian, one negative eigenvalue.
    # diag(0.6, 0.3, 0.3, -0.2)^{T_B} is itself (diagonal), so λ_min = -0.2 exactly.
    assert min_partial_transpose_eigenvalue(np.diag([0.6, 0.3, 0.3, -0.2])) == pytest.approx(-0.2)
