"""Tests for the TensorFlow Quantum models of qnetlab.qnn (short training runs)."""

from __future__ import annotations

import cirq
import numpy as np
import pytest

from qnetlab.qnn import datasets

models = pytest.importorskip("qnetlab.qnn.models")


@pytest.fixture(scope="module")
def two_state():
    return datasets.two_state_dataset(300, seed=1), datasets.two_state_dataset(3000, seed=2)


def test_qnn_reaches_helstrom_bound(two_state):
    train, test = two_state
    r = models.train_state_discriminator(train, test, epochs=8, seed=3)
    assert r.helstrom < 0.95  # non-orthogonal states: the bound is a real ceiling
    # Done-when criterion: single-shot test accuracy >= 98% of the Helstrom bound. With
    # 3000 test states the standard error is ~0.0055, so 0.98 P_H is ~3 SE below P_H.
    assert r.accuracy >= 0.98 * r.helstrom
    # Nobody beats Helstrom: the expected accuracy may exceed it only by sampling noise.
    assert r.expected_accuracy <= r.helstrom + 4 * r.standard_error


def test_training_reproducible_from_seed(two_state):
    train, test = two_state
    a = models.train_state_discriminator(train, test, epochs=2, seed=5)
    b = models.train_state_discriminator(train, test, epochs=2, seed=5)
    assert a.history == b.history
    assert a.accuracy == b.accuracy


def test_parameter_shift_matches_adjoint_gradient():
    import tensorflow as tf

    ds = datasets.two_state_dataset(8, seed=4)
    x = models.circuit_tensor(ds.circuits)
    grads = []
    for diff in ("adjoint", "parameter_shift"):
        m = models.pqc_classifier(ds.qubits, layers=1, differentiator=diff)
        m.set_weights([np.array([0.3, 1.1, -0.4], dtype=np.float32)])
        with tf.GradientTape() as tape:
            out = tf.reduce_sum(m(x))
        grads.append(tape.gradient(out, m.trainable_variables)[0].numpy())
    assert np.allclose(grads[0], grads[1], atol=1e-4)


def test_pqc_expectation_matches_cirq():
    ds = datasets.two_state_dataset(6, seed=8)
    m = models.pqc_classifier(ds.qubits)
    w = np.array([0.2, 0.9, 1.3], dtype=np.float32)
    m.set_weights([w])
    z = m(models.circuit_tensor(ds.circuits)).numpy().reshape(-1)
    (q,) = ds.qubits
    for c, zi in zip(ds.circuits, z, strict=True):
        full = c + cirq.Circuit(cirq.rz(w[0])(q), cirq.ry(w[1])(q), cirq.rz(w[2])(q))
        psi = cirq.final_state_vector(full, qubit_order=[q])
        assert zi == pytest.approx(abs(psi[0]) ** 2 - abs(psi[1]) ** 2, abs=1e-5)


def test_channel_classifier_short_run():
    r = models.train_channel_classifier(
        datasets.channel_dataset(20, seed=1),
        datasets.channel_dataset(20, seed=2),
        epochs=3,
        repetitions=20,
        seed=1,
    )
    assert r.confusion.sum() == 60
    assert len(r.history) == 3


def test_qcnn_builds_and_trains():
    tr = datasets.cluster_state_dataset(32, 4, seed=0)
    te = datasets.cluster_state_dataset(16, 4, seed=1)
    r = models.train_qcnn(tr, te, epochs=2, seed=0)
    assert len(r.history) == 2 and np.all(np.isfinite(r.history))
    assert r.model.count_params() == 42
    # A decaying step size: the last of 2 epochs x 2 batches of 16 uses final_learning_rate.
    d = models.train_qcnn(tr, te, epochs=2, learning_rate=0.05, final_learning_rate=0.005, seed=0)
    lr = d.model.optimizer.learning_rate
    assert float(lr) == pytest.approx(0.005, rel=1e-4)


def test_models_bad_input():
    with pytest.raises(TypeError, match="GridQubit"):
        models.pqc_classifier(cirq.LineQubit.range(1))
    with pytest.raises(ValueError, match="differentiator"):
        models.pqc_classifier(cirq.GridQubit.rect(1, 1), differentiator="finite")
    with pytest.raises(ValueError, match="2\\*\\*k"):
        models.qcnn_model(cirq.GridQubit.rect(1, 3))
    with pytest.raises(TypeError, match="train"):
        models.train_state_discriminator([1], [2])
    ds = datasets.entanglement_dataset(4, seed=0)
    with pytest.raises(ValueError, match="two-state"):
        models.train_state_discriminator(ds, ds)
    cl = datasets.cluster_state_dataset(4, 4, seed=0)
    with pytest.raises(ValueError, match="final_learning_rate"):
        models.train_qcnn(cl, cl, final_learning_rate=-0.1)
