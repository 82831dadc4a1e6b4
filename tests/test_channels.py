"""Channels: Cirq channels agree with the closed formulas; fibre loss follows its definition."""

from __future__ import annotations

import cirq
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnetlab import channels, states

probabilities = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
bloch_vectors = st.tuples(
    st.floats(-1, 1, allow_nan=False),
    st.floats(-1, 1, allow_nan=False),
    st.floats(-1, 1, allow_nan=False),
).filter(lambda r: np.linalg.norm(r) <= 1.0)


def simulate_single_qubit(rho: np.ndarray, gate) -> np.ndarray:
    q = cirq.LineQubit(0)
    sim = cirq.DensityMatrixSimulator(dtype=np.complex128)
    return sim.simulate(cirq.Circuit(gate.on(q)), initial_state=rho).final_density_matrix


def test_fiber_transmissivity_definition():
    # 0.2 dB/km: 10 dB (a factor 10) every 50 km; independent computation with log10.
    for length in (0.0, 12.5, 50.0, 173.0):
        eta = channels.fiber_transmissivity(length)
        assert -10 * np.log10(eta) == pytest.approx(0.2 * length)
    assert channels.fiber_transmissivity(100.0, 0.16) == pytest.approx(10 ** (-1.6))
    arr = channels.fiber_transmissivity(np.array([0.0, 50.0, 100.0]))
    np.testing.assert_allclose(arr, [1.0, 0.1, 0.01])


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((-1.0,), "length_km must be non-negative"),
        ((10.0, -0.2), "attenuation_db_per_km must be non-negative"),
        (([10.0, -5.0],), "length_km must be non-negative"),
        ((float("nan"),), "length_km must be finite"),
    ],
)
def test_fiber_transmissivity_rejects_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        channels.fiber_transmissivity(*args)


def test_transmissivity_to_db_and_delay():
    assert channels.transmissivity_to_db(0.1) == pytest.approx(10.0)
    with pytest.raises(ValueError, match="eta must be in"):
        channels.transmissivity_to_db(0.0)
    # 1000 km of fibre: ~4.9 ms one way (n = 1.47).
    assert channels.fiber_delay(1000.0) == pytest.approx(1000.0 * 1.47 / 299_792.458)


@given(bloch_vectors, probabilities)
@settings(max_examples=30, deadline=None)
def test_depolarizing_formula_matches_cirq(r, p):
    rho = states.state_from_bloch(r)
    out = simulate_single_qubit(rho, channels.depolarize(p))
    np.testing.assert_allclose(
        states.bloch_vector(out), channels.bloch_after_depolarizing(r, p), atol=1e-9
    )


@given(bloch_vectors, probabilities)
@settings(max_examples=30, deadline=None)
def test_dephasing_formula_matches_cirq(r, p):
    out = simulate_single_qubit(states.state_from_bloch(r), channels.dephase(p))
    np.testing.assert_allclose(
        states.bloch_vector(out), channels.bloch_after_dephasing(r, p), atol=1e-9
    )


@given(bloch_vectors, probabilities)
@settings(max_examples=30, deadline=None)
def test_amplitude_damping_formula_matches_cirq(r, g):
    out = simulate_single_qubit(states.state_from_bloch(r), channels.amplitude_damp(g))
    np.testing.assert_allclose(
        states.bloch_vector(out), channels.bloch_after_amplitude_damping(r, g), atol=1e-9
    )


def test_depolarize_gives_bb84_error_rate_two_thirds_p():
    # cirq.depolarize(p): X, Y, Z each with p/3 -> a Z-basis bit flips with probability 2p/3.
    p = 0.3
    out = simulate_single_qubit(np.array([[1, 0], [0, 0]], dtype=complex), channels.depolarize(p))
    assert out[1, 1].real == pytest.approx(2 * p / 3)


def test_pure_loss_keeps_photon_with_probability_eta():
    eta = channels.fiber_transmissivity(25.0)
    one_photon = np.array([[0, 0], [0, 1]], dtype=complex)
    out = simulate_single_qubit(one_photon, channels.pure_loss(eta))
    assert out[1, 1].real == pytest.approx(eta)


@given(
    st.floats(0.0, 5.0, allow_nan=False),
    st.floats(0.1, 10.0, allow_nan=False),
    st.floats(0.05, 1.0, allow_nan=False),
)
@settings(max_examples=30, deadline=None)
def test_memory_decoherence_t1_t2(t, t1, ratio):
    t2 = 2 * t1 * ratio  # T2 <= 2 T1
    q = cirq.LineQubit(0)
    plus_one = np.array([[0.5, 0.5], [0.5, 0.5]])
    sim = cirq.DensityMatrixSimulator(dtype=np.complex128)
    gate = channels.memory_decoherence(t, t1, t2)
    out = sim.simulate(cirq.Circuit(gate.on(q)), initial_state=plus_one).final_density_matrix
    # Coherence decays as exp(-t/T2); population of |1> relaxes as exp(-t/T1).
    assert 2 * abs(out[0, 1]) == pytest.approx(np.exp(-t / t2), rel=1e-9, abs=1e-12)
    excited = sim.simulate(
        cirq.Circuit(gate.on(q)), initial_state=np.array([[0, 0], [0, 1]], dtype=complex)
    ).final_density_matrix
    assert excited[1, 1].real == pytest.approx(np.exp(-t / t1), rel=1e-9, abs=1e-12)
    # A valid channel: Kraus operators complete.
    ks = channels.kraus_operators(gate)
    np.testing.assert_allclose(sum(k.conj().T @ k for k in ks), np.eye(2), atol=1e-12)


def test_memory_decoherence_rejects_unphysical_t2():
    with pytest.raises(ValueError, match="t2 must satisfy t2 <= 2\\*t1"):
        channels.memory_decoherence(1.0, 1.0, 3.0)
    with pytest.raises(ValueError, match="t must be non-negative"):
        channels.memory_decoherence(-1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="t1 must be positive"):
        channels.memory_decoherence(1.0, 0.0, 1.0)


def test_apply_kraus_matches_cirq_on_two_qubits():
    rho = states.werner_state(0.8)
    k = channels.kraus_operators(channels.depolarize(0.2))
    two = [np.kron(a, np.eye(2)) for a in k]
    out = channels.apply_kraus(rho, two)
    a, b = cirq.LineQubit.range(2)
    sim = cirq.DensityMatrixSimulator(dtype=np.complex128)
    ref = sim.simulate(
        cirq.Circuit(cirq.depolarize(0.2).on(a)), qubit_order=[a, b], initial_state=rho
    )
    np.testing.assert_allclose(out, ref.final_density_matrix, atol=1e-12)
    with pytest.raises(ValueError, match="kraus must act on dimension 4, got 2"):
        channels.apply_kraus(rho, k)


@pytest.mark.parametrize(
    "factory", [channels.depolarize, channels.dephase, channels.amplitude_damp, channels.pure_loss]
)
def test_channel_factories_validate(factory):
    with pytest.raises(ValueError, match="must be a probability"):
        factory(1.5)
