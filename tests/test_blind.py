"""Tests of qnetlab.blind: Broadbent–Fitzsimons–Kashefi blind computation on a 1D cluster.

Reference: A. Broadbent, J. Fitzsimons, E. Kashefi, "Universal blind quantum computation",
FOCS 2009: δ = φ' + θ + rπ with θ uniform over kπ/4 and r a random bit makes every δ
uniform, independent of φ; the client corrects s = b ⊕ r.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from qnetlab import blind


def _ideal_with_cirq(steps):
    """The unblinded computation as a plain Cirq circuit: R_z(-φ) then H per step."""
    import cirq

    q = cirq.LineQubit(0)
    ops = [cirq.H(q)]
    for k in steps[:-1]:
        ops += [cirq.ZPowGate(exponent=-k / 4).on(q), cirq.H(q)]
    ops += [cirq.ZPowGate(exponent=-steps[-1] / 4).on(q), cirq.H(q)]  # measure in |±_φ⟩
    psi = cirq.final_state_vector(cirq.Circuit(ops))
    return float(abs(psi[1]) ** 2)


@pytest.mark.parametrize("steps", [[0, 0, 1], [1, 2, 3], [2, 5, 1, 7], [3, 6]])
def test_ideal_probability_matches_a_direct_circuit(steps):
    assert (
        abs(blind.mbqc_output_probability(steps) - _ideal_with_cirq(steps)) < 1e-6
    )  # Cirq: float32


@pytest.mark.parametrize("steps,seed", [([1, 2, 3], 1), ([2, 5, 1, 7], 2), ([0, 0, 1], 3)])
def test_client_gets_the_computation(steps, seed):
    res = blind.run_blind(steps, 300, seed=seed)
    p = blind.mbqc_output_probability(steps)
    assert abs(res.output_frequency - p) < 4 * np.sqrt(max(p * (1 - p), 1e-3) / 300)


def test_deterministic_computations():
    assert blind.run_blind([0, 0, 0], 60, seed=4).outputs.tolist() == [0] * 60
    assert blind.run_blind([0, 0, 4], 60, seed=5).outputs.tolist() == [1] * 60


def test_server_view_is_independent_of_the_computation():
    a = blind.run_blind([0, 0, 0], 300, seed=6)
    b = blind.run_blind([0, 0, 4], 300, seed=7)
    assert blind.server_view_pvalue(a, b) > 1e-4
    for k in range(3):  # each delta uniform over the eight angles, each bit a fair coin
        assert stats.chisquare(np.bincount(a.deltas[:, k], minlength=8))[1] > 1e-4
        assert abs(a.server_bits[:, k].mean() - 0.5) < 4 * np.sqrt(0.25 / 300)
    # without blinding the server reads the angles off
    c = blind.run_blind([1, 0, 0], 100, blind=False, seed=8)
    d = blind.run_blind([3, 0, 4], 100, blind=False, seed=9)
    assert blind.server_view_pvalue(c, d) < 1e-10
    assert c.output_frequency == pytest.approx(blind.mbqc_output_probability([1, 0, 0]), abs=0.2)


def test_unmasked_outcomes_leak_the_result_through_a_parity():
    """With r = 0 the server sees s_k; for three qubits the output is s_0 XOR s_2."""
    a = blind.run_blind([0, 0, 0], 100, mask_outcomes=False, seed=10)
    b = blind.run_blind([0, 0, 4], 100, mask_outcomes=False, seed=11)
    assert np.all(a.server_bits[:, 0] ^ a.server_bits[:, 2] == 0)
    assert np.all(b.server_bits[:, 0] ^ b.server_bits[:, 2] == 1)
    masked = blind.run_blind([0, 0, 4], 400, seed=12)
    parity = masked.server_bits[:, 0] ^ masked.server_bits[:, 2]
    assert abs(parity.mean() - 0.5) < 4 * np.sqrt(0.25 / 400)


def test_circuit_and_bad_input():
    c = blind.bfk_circuit([0.0, np.pi / 4, np.pi / 2], [np.pi, 0.0, np.pi / 4])
    assert len(c.all_qubits()) == 3 and len(c.all_measurement_key_names()) == 3
    with pytest.raises(ValueError, match="angle_steps"):
        blind.run_blind([0, 8], 5)
    with pytest.raises(ValueError, match="angle_steps"):
        blind.run_blind([0], 5)
    with pytest.raises(TypeError, match="angle_steps"):
        blind.mbqc_output_probability([0.5, 1])
    with pytest.raises(ValueError, match="n_runs"):
        blind.run_blind([0, 1], 0)
    with pytest.raises(TypeError, match="blind"):
        blind.run_blind([0, 1], 3, blind="yes")
    with pytest.raises(ValueError, match="thetas and deltas"):
        blind.bfk_circuit([0.0, 1.0], [0.0])
    a = blind.run_blind([0, 1], 5, seed=1)
    with pytest.raises(ValueError, match="same length"):
        blind.server_view_pvalue(a, blind.run_blind([0, 1, 2], 5, seed=2))
