"""Teleportation and the CHSH test, simulated in Cirq, against their closed forms."""

from __future__ import annotations

import cirq
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnetlab import protocols, states


@given(st.floats(min_value=0.0, max_value=1.0, allow_nan=False))
@settings(max_examples=12, deadline=None)
def test_teleportation_over_werner_resource(f):
    # Horodecki, Horodecki, Horodecki PRA 60, 1888 (1999): f_avg = (2F + 1)/3 for
    # a Werner resource of singlet (here Φ+) fraction F.
    got = protocols.teleportation_fidelity(states.werner_state(f))
    assert got == pytest.approx((2 * f + 1) / 3, abs=1e-9)


def test_teleportation_general_resource_formula():
    # Same paper: f_avg = (2 F_max + 1)/3 where F_max is the best fully entangled fraction;
    # for a Bell-diagonal resource with Φ+ the largest weight it is that weight.
    c = [0.7, 0.05, 0.2, 0.05]
    got = protocols.teleportation_fidelity(states.bell_diagonal_state(c))
    assert got == pytest.approx((2 * 0.7 + 1) / 3, abs=1e-9)


def test_separable_resource_cannot_beat_classical_limit():
    product = np.kron(np.array([[1, 0], [0, 0]]), np.array([[1, 0], [0, 0]]))
    assert (
        protocols.teleportation_fidelity(product) <= protocols.CLASSICAL_TELEPORTATION_LIMIT + 1e-9
    )


def test_measured_circuit_reproduces_deferred_average():
    # Measure-and-feed-forward version: every branch gives the perfect state on Φ+.
    circuit, (q_in, q_a, q_b) = protocols.teleportation_circuit(deferred=False)
    prep = cirq.Circuit(cirq.ry(0.7).on(q_in), cirq.H(q_a), cirq.CNOT(q_a, q_b))
    sim = cirq.DensityMatrixSimulator(dtype=np.complex128, seed=3)
    target = cirq.final_density_matrix(cirq.Circuit(cirq.ry(0.7).on(cirq.LineQubit(0))))
    for _ in range(4):
        res = sim.simulate(prep + circuit, qubit_order=[q_in, q_a, q_b])
        out = states.partial_trace(res.final_density_matrix, [2])
        assert states.fidelity(out, target) == pytest.approx(1.0, abs=1e-6)


def test_gate_noise_lowers_teleportation_fidelity_monotonically():
    phi = states.bell_state("phi+", density=True)
    values = [protocols.teleportation_fidelity(phi, gate_noise=p) for p in (0.0, 0.02, 0.05)]
    assert values[0] == pytest.approx(1.0)
    assert values[0] > values[1] > values[2] > protocols.CLASSICAL_TELEPORTATION_LIMIT


def test_teleport_rejects_bad_input():
    with pytest.raises(ValueError, match="two-qubit"):
        protocols.teleportation_fidelity(np.eye(2) / 2)
    with pytest.raises(ValueError, match="single qubit"):
        protocols.teleport(states.bell_state("phi+"), states.werner_state(0.9))
    with pytest.raises(ValueError, match="gate_noise must be a probability"):
        protocols.teleportation_fidelity(states.werner_state(0.9), gate_noise=2.0)
    with pytest.raises(ValueError, match="Hermitian"):
        protocols.teleportation_fidelity(np.triu(np.ones((4, 4))) / 4)


@given(st.floats(min_value=0.25, max_value=1.0, allow_nan=False))
@settings(max_examples=20, deadline=None)
def test_chsh_value_of_werner_state(f):
    # For a Werner state T = diag(1, -1, 1) (4F-1)/3, so S_max = 2√2 (4F-1)/3.
    assert protocols.chsh_value(states.werner_state(f)) == pytest.approx(
        2 * np.sqrt(2) * (4 * f - 1) / 3, abs=1e-9
    )


def test_chsh_correlators_of_phi_plus():
    phi = states.bell_state("phi+")
    a, ap, b, bp = protocols.CHSH_ANGLES
    # E(θa, θb) = cos(θa − θb) for Φ+ with X–Z plane measurements.
    for ta, tb in ((a, b), (a, bp), (ap, b), (ap, bp)):
        assert protocols.chsh_correlation(phi, ta, tb) == pytest.approx(np.cos(ta - tb))


def test_chsh_experiment_statistics():
    shots = 5000
    res = protocols.chsh_experiment(states.werner_state(0.95), shots, seed=7)
    expected = 2 * np.sqrt(2) * (4 * 0.95 - 1) / 3
    assert abs(res.value - expected) < 4 * res.std_error
    assert res.violates_local_realism
    assert res.win_probability == pytest.approx(0.5 + res.value / 8)
    # A separable (F = 1/2 Werner) pair never violates the classical bound.
    sep = protocols.chsh_experiment(states.werner_state(0.5), shots, seed=8)
    assert not sep.violates_local_realism
    again = protocols.chsh_experiment(states.werner_state(0.95), shots, seed=7)
    assert again.value == res.value


def test_chsh_experiment_rejects_bad_input():
    with pytest.raises(ValueError, match="shots_per_setting must be an integer >= 1"):
        protocols.chsh_experiment(states.werner_state(0.9), 0)
    with pytest.raises(ValueError, match="angles must have 4 entries"):
        protocols.chsh_experiment(states.werner_state(0.9), 10, angles=(0.0, 1.0))
