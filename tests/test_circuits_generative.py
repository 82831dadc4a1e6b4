"""The drawn QGAN and QAOA circuits are the ones the NumPy trainers simulate."""

from __future__ import annotations

import cirq
import numpy as np
import pytest

from qnetlab.qnn import qgan_circuits, train_qgan
from qnetlab.states import bell_state


def test_generator_circuit_reproduces_the_trained_state():
    # Cirq is the ground truth: the generator circuit with the trained angles gives the
    # state the NumPy trainer reports (up to a global phase).
    r = train_qgan(bell_state("phi+"), steps=30, seed=2)
    gen, disc = qgan_circuits(2)
    names = sorted(cirq.parameter_names(gen), key=lambda s: int(s.split("_")[1]))
    resolved = cirq.resolve_parameters(gen, dict(zip(names, r.generator_params)))
    psi = cirq.final_state_vector(
        resolved, qubit_order=cirq.GridQubit.rect(1, 2), dtype=np.complex128
    )
    assert abs(np.vdot(psi, r.state)) == pytest.approx(1.0, abs=1e-6)
    assert len(cirq.parameter_names(disc)) == 16


def test_qgan_circuits_check_sizes():
    with pytest.raises(ValueError, match="n_qubits"):
        qgan_circuits(0)
