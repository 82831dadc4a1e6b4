"""The QCNN circuit that qcnn_model wraps, checked against a direct Cirq simulation."""

from __future__ import annotations

import cirq
import numpy as np
import pytest

models = pytest.importorskip("qnetlab.qnn.models")
circuit_tensor, qcnn_circuit, qcnn_model = (
    models.circuit_tensor,
    models.qcnn_circuit,
    models.qcnn_model,
)


def test_qcnn_circuit_has_21_shared_angles_per_stage():
    qubits = cirq.GridQubit.rect(1, 8)
    for stages, n_params in ((1, 21), (2, 42), (None, 63)):
        circuit, readout = qcnn_circuit(qubits, stages=stages)
        assert len(cirq.parameter_names(circuit)) == n_params
    assert readout == qubits[-1]
    assert qcnn_model(qubits).count_params() == 63


def test_qcnn_model_output_is_the_circuit_expectation():
    # TFQ's PQC layer on an input state equals <Z> on the readout qubit of
    # input + qcnn_circuit resolved with the layer's weights (state-vector simulation).
    qubits = cirq.GridQubit.rect(1, 4)
    model = qcnn_model(qubits)
    layer = next(lay for lay in model.layers if hasattr(lay, "symbols"))
    weights = model.get_weights()[0]
    rng = np.random.default_rng(3)
    weights = rng.uniform(0, 2 * np.pi, size=weights.shape).astype(np.float32)
    model.set_weights([weights])
    prep = cirq.Circuit(
        cirq.H.on_each(*qubits), cirq.CZ(qubits[0], qubits[1]), cirq.rx(0.7)(qubits[2])
    )
    z_tfq = float(model(circuit_tensor([prep])).numpy().reshape(-1)[0])
    circuit, readout = qcnn_circuit(qubits)
    resolver = {str(s): float(w) for s, w in zip(layer.symbols, weights)}
    resolved = cirq.resolve_parameters(prep + circuit, resolver)
    psi = cirq.final_state_vector(resolved, qubit_order=qubits, dtype=np.complex128)
    z_cirq = cirq.Z(readout).expectation_from_state_vector(
        psi, {q: i for i, q in enumerate(qubits)}
    )
    assert z_tfq == pytest.approx(float(np.real(z_cirq)), abs=1e-4)


@pytest.mark.parametrize(("n", "stages"), [(3, None), (4, 3), (4, 0)])
def test_qcnn_circuit_refuses_bad_sizes(n, stages):
    with pytest.raises(ValueError):
        qcnn_circuit(cirq.GridQubit.rect(1, n), stages=stages)
