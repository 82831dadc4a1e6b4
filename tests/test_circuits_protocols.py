"""CHSH and tomography measurement circuits checked against independent state-vector math."""

from __future__ import annotations

import itertools

import cirq
import numpy as np
import pytest

from qnetlab.protocols import CHSH_ANGLES, chsh_circuit, chsh_experiment
from qnetlab.states import bell_state, werner_state
from qnetlab.tomography import measure_pauli, measurement_circuit


@pytest.mark.parametrize(
    ("ta", "tb"), [(0.0, 0.0), (0.0, np.pi / 4), (np.pi / 2, -np.pi / 4), (1.0, 2.5)]
)
def test_chsh_circuit_correlator_is_cosine_of_angle_difference(ta, tb):
    # Φ+ measured along angles a, b in the X-Z plane: E(a, b) = cos(a - b) (Clauser et al.
    # 1969); here from the exact outcome distribution of the simulated circuit.
    psi = cirq.final_state_vector(chsh_circuit(ta, tb, measure=False), dtype=np.complex128)
    p = np.abs(psi) ** 2
    corr = p[0] + p[3] - p[1] - p[2]
    assert corr == pytest.approx(np.cos(ta - tb), abs=1e-9)


def test_chsh_circuit_sampled_reaches_tsirelson():
    a0, a1, b0, b1 = CHSH_ANGLES
    shots, e = 4000, []
    for k, (ta, tb) in enumerate([(a0, b0), (a0, b1), (a1, b0), (a1, b1)]):
        m = cirq.Simulator(seed=k).run(chsh_circuit(ta, tb), repetitions=shots).measurements
        e.append(float(np.mean(np.where(m["a"] == m["b"], 1.0, -1.0))))
    s = e[0] + e[1] + e[2] - e[3]
    assert abs(s - 2 * np.sqrt(2)) < 4 * np.sqrt(4 * 0.5 / shots)
    assert s > 2.0


def test_chsh_experiment_still_agrees_with_the_closed_form():
    r = chsh_experiment(werner_state(0.9), 4000, seed=3)
    expected = 2 * np.sqrt(2) * (4 * 0.9 - 1) / 3
    assert abs(r.value - expected) < 4 * r.std_error


def test_chsh_circuit_refuses_non_numbers():
    with pytest.raises(TypeError, match="theta_a"):
        chsh_circuit("0", 0.0)


_PAULI = {
    "X": np.array([[0, 1], [1, 0]], dtype=complex),
    "Y": np.array([[0, -1j], [1j, 0]], dtype=complex),
    "Z": np.diag([1.0, -1.0]).astype(complex),
}


@pytest.mark.parametrize("setting", ["".join(s) for s in itertools.product("XYZ", repeat=2)])
def test_measurement_circuit_reads_the_pauli_expectation(setting):
    # The parity of the outcomes of the setting's circuit has mean Tr(rho P ⊗ Q),
    # computed here with matrices, on a random mixed state.
    rng = np.random.default_rng(7)
    g = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
    rho = g @ g.conj().T
    rho /= np.trace(rho)
    qubits = cirq.LineQubit.range(2)
    final = cirq.DensityMatrixSimulator(dtype=np.complex128).simulate(
        measurement_circuit(setting, measure=False), qubit_order=qubits, initial_state=rho
    )
    p = np.real(np.diag(final.final_density_matrix))
    parity = np.array([1, -1, -1, 1])
    expected = np.real(np.trace(rho @ np.kron(_PAULI[setting[0]], _PAULI[setting[1]])))
    assert float(p @ parity) == pytest.approx(expected, abs=1e-9)


def test_measurement_circuit_is_what_measure_pauli_runs():
    # Φ+: XX and ZZ always even parity, YY always odd.
    data = measure_pauli(bell_state("phi+"), 200, seed=1)
    for setting, odd in (("XX", 0), ("ZZ", 0), ("YY", 1)):
        counts = data.counts[data.settings.index(setting)]
        assert counts[[1, 2]].sum() == (200 if odd else 0)
        assert counts[[0, 3]].sum() == (0 if odd else 200)
    assert sorted(measurement_circuit("XYZ").all_measurement_key_names()) == ["m"]


@pytest.mark.parametrize("bad", ["", "XA", "XXXXX", 3])
def test_measurement_circuit_refuses_bad_settings(bad):
    with pytest.raises(ValueError, match="setting"):
        measurement_circuit(bad)


def test_drawable_circuit_keeps_the_unitary_and_uncrosses_gates():
    from qnetlab.plotting import drawable_circuit

    q = cirq.LineQubit.range(4)
    c = cirq.Circuit(
        cirq.H.on_each(*q),
        cirq.ZZ(q[0], q[1]) ** 0.3,
        cirq.ZZ(q[2], q[3]) ** 0.2,
        cirq.ZZ(q[0], q[3]) ** 0.7,
        cirq.CNOT(q[1], q[2]),
        cirq.rx(0.4).on_each(*q),
    )
    d = drawable_circuit(c)
    np.testing.assert_allclose(cirq.unitary(d), cirq.unitary(c), atol=1e-9)
    for moment in d:
        spans = sorted((min(x.x for x in op.qubits), max(x.x for x in op.qubits)) for op in moment)
        assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))
    with pytest.raises(TypeError, match="circuit"):
        drawable_circuit([1, 2])
