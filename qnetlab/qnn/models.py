"""TensorFlow Quantum models: PQC classifiers, a hybrid channel classifier and a QCNN.

All models take quantum data as TFQ circuit tensors (the circuits of
:mod:`qnetlab.qnn.datasets`) and are Keras 2 models (``tf_keras``). Gradients come from
TFQ differentiators: ``"adjoint"`` (exact, fast, analytic simulation only) or
``"parameter_shift"`` (exact, works on hardware and with sampled expectations).

>>> from qnetlab.qnn.datasets import two_state_dataset
>>> ds = two_state_dataset(40, seed=0)
>>> model = pqc_classifier(ds.qubits)
>>> model(circuit_tensor(ds.circuits[:3])).shape
TensorShape([3, 1])
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_choice,
    check_in_range,
    check_integer,
    check_positive,
    check_size,
    make_rng,
)
from ..plotting_results import plot_curves
from ..results import ResultMixin
from ._tf import load, set_seed
from .bounds import helstrom_bound
from .datasets import QuantumDataset

__all__ = [
    "ChannelIDResult",
    "DiscriminationResult",
    "QCNNResult",
    "circuit_tensor",
    "hybrid_channel_classifier",
    "pqc_classifier",
    "qcnn_circuit",
    "qcnn_model",
    "train_channel_classifier",
    "train_qcnn",
    "train_state_discriminator",
]

tf, tfq = load()


def circuit_tensor(circuits: Any) -> Any:
    """Convert Cirq circuits to a TFQ string tensor.

    Parameters
    ----------
    circuits : sequence of cirq.Circuit
        Non-empty sequence of circuits.

    Returns
    -------
    tensorflow.Tensor
        A string tensor of shape (len(circuits),).

    Raises
    ------
    TypeError
        If ``circuits`` is empty or holds something else than circuits.

    Examples
    --------
    >>> import cirq
    >>> circuit_tensor([cirq.Circuit(cirq.X(cirq.GridQubit(0, 0)))]).shape
    TensorShape([1])
    """
    import cirq

    if isinstance(circuits, (str, bytes)) or not hasattr(circuits, "__iter__"):
        raise TypeError(
            f"circuits must be a sequence of cirq.Circuit, got {type(circuits).__name__}"
        )
    items = list(circuits)
    if not items or not all(isinstance(c, cirq.Circuit) for c in items):
        raise TypeError("circuits must be a non-empty sequence of cirq.Circuit")
    return tfq.convert_to_tensor(items)


def _differentiator(name: str) -> Any:
    check_choice(name, "differentiator", ("adjoint", "parameter_shift"))
    if name == "adjoint":
        return tfq.differentiators.Adjoint()
    return tfq.differentiators.ParameterShift()


def _tf_seed(seed: SeedLike) -> int:
    return int(make_rng(seed).integers(2**31))


def _initializer() -> Any:
    # A fresh initializer seeded from TF's global generator (seeded by set_seed).
    seed = int(tf.random.uniform((), 0, 2**31 - 1, dtype=tf.int64))
    return tf.keras.initializers.RandomUniform(0.0, 2 * np.pi, seed=seed)


def _check_dataset(ds: Any, name: str) -> QuantumDataset:
    if not isinstance(ds, QuantumDataset):
        raise TypeError(f"{name} must be a QuantumDataset, got {type(ds).__name__}")
    return ds


def _rotation_layer(qubits: Any, symbols: Any) -> list[Any]:
    import cirq

    ops = []
    for i, q in enumerate(qubits):
        a, b, c = symbols[3 * i : 3 * i + 3]
        ops += [cirq.rz(a)(q), cirq.ry(b)(q), cirq.rz(c)(q)]
    return ops


def pqc_classifier(
    qubits: Any,
    *,
    layers: int = 1,
    differentiator: str = "adjoint",
) -> Any:
    """A PQC classifier: ``layers`` × (Rz·Ry·Rz on every qubit, CZ chain), read out ⟨Z₀⟩.

    One layer on one qubit is a general measurement basis, enough to reach the Helstrom
    measurement of two qubit states. The output lies in [−1, 1]; +1 votes for class 0.

    Parameters
    ----------
    qubits : list of cirq.GridQubit
        Non-empty list of the data qubits.
    layers : int, default 1
        Layers, in [1, 20].
    differentiator : str, default "adjoint"
        ``"adjoint"`` or ``"parameter_shift"``.

    Returns
    -------
    tf.keras.Model
        Circuits in, ⟨Z₀⟩ out.

    Raises
    ------
    TypeError
        If ``qubits`` is not a non-empty list of grid qubits.
    ValueError
        If ``layers`` or ``differentiator`` is not allowed.

    Examples
    --------
    >>> pqc_classifier([__import__("cirq").GridQubit(0, 0)]).count_params()
    3
    """
    import cirq
    import sympy

    qs = list(qubits)
    if not qs or not all(isinstance(q, cirq.GridQubit) for q in qs):
        raise TypeError("qubits must be a non-empty list of cirq.GridQubit (TFQ needs them)")
    layers = check_integer(layers, "layers", minimum=1, maximum=20)
    n = len(qs)
    symbols = sympy.symbols(f"w0:{3 * n * layers}")
    circuit = cirq.Circuit()
    for layer in range(layers):
        circuit.append(_rotation_layer(qs, symbols[3 * n * layer : 3 * n * (layer + 1)]))
        if n > 1 and layer < layers - 1:
            circuit.append(cirq.CZ(a, b) for a, b in itertools.pairwise(qs))
    inp = tf.keras.Input(shape=(), dtype=tf.string)
    out = tfq.layers.PQC(
        circuit,
        cirq.Z(qs[0]),
        differentiator=_differentiator(differentiator),
        initializer=_initializer(),
    )(inp)
    return tf.keras.Model(inputs=inp, outputs=out)


@dataclass(frozen=True)
class DiscriminationResult(ResultMixin):
    """Single-shot state discrimination by a trained PQC against the Helstrom bound.

    Returned by :func:`train_state_discriminator`.

    Parameters
    ----------
    accuracy : float
        Sampled single-shot test accuracy.
    expected_accuracy : float
        Accuracy expected from the model's ⟨Z⟩ on the test states.
    helstrom : float
        The Helstrom bound of the two class states.
    n_test : int
        Test samples.
    history : tuple of float
        Training loss per epoch.
    model : object
        The trained Keras model.

    Examples
    --------
    >>> r = DiscriminationResult(0.8, 0.81, 0.9, 400, (0.3,), None)
    >>> round(r.ratio, 4), r.standard_error
    (0.8889, 0.02)
    """

    accuracy: float
    expected_accuracy: float
    helstrom: float
    n_test: int
    history: tuple[float, ...] = field(repr=False)
    model: Any = field(repr=False, compare=False)

    @property
    def ratio(self) -> float:
        """Test accuracy / Helstrom bound."""
        return self.accuracy / self.helstrom

    @property
    def standard_error(self) -> float:
        """Binomial standard error of the single-shot test accuracy."""
        return float(np.sqrt(self.accuracy * (1 - self.accuracy) / self.n_test))

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Training loss per epoch; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_curves`.
        """
        labels = {"xlabel": "epoch", "ylabel": "training loss"}
        return plot_curves({"training loss": self.history}, ax=ax, **labels, **kwargs)


def _expected_error_loss(y_true: Any, y_pred: Any) -> Any:
    # y_true is the label 0/1; t = 1 − 2y is ±1; P(error) = (1 − t⟨Z⟩)/2.
    t = 1.0 - 2.0 * tf.cast(y_true, tf.float32)
    return tf.reduce_mean((1.0 - t * tf.reshape(y_pred, tf.shape(t))) / 2.0)


def train_state_discriminator(
    train: QuantumDataset,
    test: QuantumDataset,
    *,
    epochs: int = 10,
    learning_rate: float = 0.1,
    batch_size: int = 32,
    differentiator: str = "adjoint",
    seed: SeedLike = None,
) -> DiscriminationResult:
    """Train :func:`pqc_classifier` on :func:`~qnetlab.qnn.datasets.two_state_dataset`.

    The loss is the expected single-shot error ½(1 − t⟨Z⟩) (t = ±1), so the optimum is the
    Helstrom measurement. On the test set every state is measured once (a Born-rule draw
    with probability (1 + ⟨Z⟩)/2 of reading +1, i.e. "class 0"): ``accuracy`` is the
    fraction of right guesses, ``expected_accuracy`` its mean over the Born probabilities.
    The bound uses the class-average states in ``test.info`` and the test set's prior.

    Parameters
    ----------
    train, test : QuantumDataset
        Two-state datasets (labels 0/1, ``info["rho0"]``, ``info["rho1"]``).
    epochs : int, default 10
        Epochs, in [1, 10000].
    learning_rate : float, default 0.1
        Adam step, in (0, 10].
    batch_size : int, default 32
        Batch size, in [1, 10^6].
    differentiator : str, default "adjoint"
        ``"adjoint"`` or ``"parameter_shift"``.
    seed : SeedLike, optional
        Seed of TensorFlow and of the test draws.

    Returns
    -------
    DiscriminationResult

    Raises
    ------
    ValueError
        If a dataset is not a two-state dataset or an argument is out of range.

    Examples
    --------
    >>> from qnetlab.qnn.datasets import two_state_dataset
    >>> r = train_state_discriminator(two_state_dataset(200, seed=1),
    ...                               two_state_dataset(400, seed=2), epochs=5, seed=1)
    >>> r.expected_accuracy > 0.95 * r.helstrom
    True
    """
    train, test = _check_dataset(train, "train"), _check_dataset(test, "test")
    for ds, nm in ((train, "train"), (test, "test")):
        if "rho0" not in ds.info or set(np.unique(ds.labels)) - {0, 1}:
            raise ValueError(f"{nm} must be a two-state dataset (labels 0/1, info['rho0'])")
    epochs = check_size(epochs, "epochs", minimum=1, maximum=10_000)
    lr = check_in_range(learning_rate, "learning_rate", 0.0, 10.0, low_inclusive=False)
    batch_size = check_size(batch_size, "batch_size", minimum=1, maximum=10**6)
    rng = make_rng(seed)
    set_seed(_tf_seed(rng))
    model = pqc_classifier(train.qubits, differentiator=differentiator)
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=lr), loss=_expected_error_loss)
    hist = model.fit(
        circuit_tensor(train.circuits),
        train.labels.astype(np.float32),
        epochs=epochs,
        batch_size=batch_size,
        verbose=0,
    )
    z = model.predict(circuit_tensor(test.circuits), verbose=0).reshape(-1)
    p_plus = np.clip((1 + z) / 2, 0.0, 1.0)
    guess = np.where(rng.random(z.size) < p_plus, 0, 1)
    p_correct = np.where(test.labels == 0, p_plus, 1 - p_plus)
    prior0 = float(np.mean(test.labels == 0))
    return DiscriminationResult(
        accuracy=float(np.mean(guess == test.labels)),
        expected_accuracy=float(np.mean(p_correct)),
        helstrom=helstrom_bound(test.info["rho0"], test.info["rho1"], prior0),
        n_test=len(test),
        history=tuple(float(v) for v in hist.history["loss"]),
        model=model,
    )


# --- hybrid channel identification (noisy circuits) ----------------------------------------


def hybrid_channel_classifier(
    qubits: Any, n_classes: int = 3, *, repetitions: int = 200, hidden: int = 16
) -> Any:
    """Hybrid model: a noisy PQC (TFQ ``NoisyPQC``, Monte Carlo trajectories) measuring
    ⟨X⟩, ⟨Y⟩, ⟨Z⟩ after a trainable rotation, then a dense softmax classifier.

    The quantum layer runs the data circuits *with* their Cirq noise channels
    (``repetitions`` trajectories per circuit); its gradients come from parameter shift.

    Parameters
    ----------
    qubits : list of cirq.GridQubit
        Exactly one probe qubit.
    n_classes : int, default 3
        Classes, in [2, 100].
    repetitions : int, default 200
        Noise trajectories per circuit, in [1, 10^6].
    hidden : int, default 16
        Width of the dense layer, in [1, 4096].

    Returns
    -------
    tf.keras.Model
        Circuits in, class probabilities out.

    Raises
    ------
    TypeError
        If ``qubits`` is not a single grid qubit.
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> m = hybrid_channel_classifier([__import__("cirq").GridQubit(0, 0)], repetitions=10)
    >>> m.output_shape
    (None, 3)
    """
    import cirq
    import sympy

    qs = list(qubits)
    if len(qs) != 1 or not isinstance(qs[0], cirq.GridQubit):
        raise TypeError("qubits must hold exactly one cirq.GridQubit (the probe)")
    n_classes = check_size(n_classes, "n_classes", minimum=2, maximum=100)
    repetitions = check_size(repetitions, "repetitions", minimum=1, maximum=10**6)
    hidden = check_size(hidden, "hidden", minimum=1, maximum=4096)
    (q,) = qs
    symbols = sympy.symbols("v0:3")
    circuit = cirq.Circuit(_rotation_layer([q], symbols))
    inp = tf.keras.Input(shape=(), dtype=tf.string)
    x = tfq.layers.NoisyPQC(
        circuit,
        [cirq.X(q), cirq.Y(q), cirq.Z(q)],
        repetitions=repetitions,
        sample_based=False,
        differentiator=tfq.differentiators.ParameterShift(),
        initializer=tf.keras.initializers.Zeros(),
    )(inp)
    x = tf.keras.layers.Dense(hidden, activation="relu")(x)
    out = tf.keras.layers.Dense(n_classes, activation="softmax")(x)
    return tf.keras.Model(inputs=inp, outputs=out)


@dataclass(frozen=True)
class ChannelIDResult(ResultMixin):
    """Channel identification: hybrid QNN accuracy and a classical baseline.

    The baseline is a scikit-learn MLP of the same width on the exact Bloch vectors (the
    infinite-shot limit). Returned by :func:`train_channel_classifier`.

    Parameters
    ----------
    accuracy : float
        Test accuracy of the hybrid QNN.
    baseline_accuracy : float
        Test accuracy of the classical baseline.
    confusion : numpy.ndarray
        The QNN's confusion matrix (rows: truth).
    history : tuple of float
        Training loss per epoch.
    model : object
        The trained Keras model.

    Examples
    --------
    >>> r = ChannelIDResult(0.9, 0.95, np.eye(3, dtype=int), (1.0, 0.5), None)
    >>> r.accuracy < r.baseline_accuracy, int(np.trace(r.confusion))
    (True, 3)
    """

    accuracy: float
    baseline_accuracy: float
    confusion: np.ndarray = field(repr=False)
    history: tuple[float, ...] = field(repr=False)
    model: Any = field(repr=False, compare=False)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Training loss per epoch; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_curves`.
        """
        labels = {"xlabel": "epoch", "ylabel": "training loss"}
        return plot_curves({"training loss": self.history}, ax=ax, **labels, **kwargs)


def train_channel_classifier(
    train: QuantumDataset,
    test: QuantumDataset,
    *,
    epochs: int = 15,
    learning_rate: float = 0.05,
    repetitions: int = 50,
    seed: SeedLike = None,
) -> ChannelIDResult:
    """Train :func:`hybrid_channel_classifier` on :func:`~qnetlab.qnn.datasets.channel_dataset`.

    Parameters
    ----------
    train, test : QuantumDataset
        Datasets from :func:`~qnetlab.qnn.datasets.channel_dataset`.
    epochs : int, default 15
        Epochs, in [1, 10000].
    learning_rate : float, default 0.05
        Adam step, in (0, 10].
    repetitions : int, default 50
        Noise trajectories per circuit.
    seed : SeedLike, optional
        Seed of TensorFlow and of the test draws.

    Returns
    -------
    ChannelIDResult

    Raises
    ------
    ValueError
        If a dataset does not come from ``channel_dataset`` or an argument is out of range.

    Examples
    --------
    >>> from qnetlab.qnn.datasets import channel_dataset
    >>> r = train_channel_classifier(channel_dataset(20, seed=1), channel_dataset(20, seed=2),
    ...                              epochs=2, repetitions=20, seed=1)
    >>> r.confusion.shape
    (3, 3)
    """
    from sklearn.neural_network import MLPClassifier

    train, test = _check_dataset(train, "train"), _check_dataset(test, "test")
    if "bloch" not in train.info or "bloch" not in test.info:
        raise ValueError("train and test must come from channel_dataset (info['bloch'])")
    epochs = check_size(epochs, "epochs", minimum=1, maximum=10_000)
    lr = check_in_range(learning_rate, "learning_rate", 0.0, 10.0, low_inclusive=False)
    rng = make_rng(seed)
    set_seed(_tf_seed(rng))
    k = int(max(train.labels.max(), test.labels.max())) + 1
    model = hybrid_channel_classifier(train.qubits, k, repetitions=repetitions)
    model.compile(
        optimizer=tf.keras.optimizers.Adam(learning_rate=lr),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    hist = model.fit(
        circuit_tensor(train.circuits), train.labels, epochs=epochs, batch_size=32, verbose=0
    )
    pred = np.argmax(model.predict(circuit_tensor(test.circuits), verbose=0), axis=1)
    conf = np.zeros((k, k), dtype=int)
    np.add.at(conf, (test.labels, pred), 1)
    base = MLPClassifier((16,), max_iter=3000, random_state=_tf_seed(rng)).fit(
        train.info["bloch"], train.labels
    )
    return ChannelIDResult(
        accuracy=float(np.mean(pred == test.labels)),
        baseline_accuracy=float(base.score(test.info["bloch"], test.labels)),
        confusion=conf,
        history=tuple(float(v) for v in hist.history["loss"]),
        model=model,
    )


# --- QCNN ------------------------------------------------------------------------------------


def _one_qubit_unitary(q: Any, s: Any) -> list[Any]:
    import cirq

    return [cirq.X(q) ** s[0], cirq.Y(q) ** s[1], cirq.Z(q) ** s[2]]


def _two_qubit_unitary(a: Any, b: Any, s: Any) -> list[Any]:
    import cirq

    return (
        _one_qubit_unitary(a, s[0:3])
        + _one_qubit_unitary(b, s[3:6])
        + [cirq.ZZ(a, b) ** s[6], cirq.YY(a, b) ** s[7], cirq.XX(a, b) ** s[8]]
        + _one_qubit_unitary(a, s[9:12])
        + _one_qubit_unitary(b, s[12:15])
    )


def _pool(source: Any, sink: Any, s: Any) -> list[Any]:
    import cirq

    sink_sel = cirq.Circuit(_one_qubit_unitary(sink, s[0:3]))
    src_sel = _one_qubit_unitary(source, s[3:6])
    return [
        *sink_sel.all_operations(),
        *src_sel,
        cirq.CNOT(source, sink),
        *list((sink_sel ** (-1)).all_operations()),
    ]


def _conv(qs: list[Any], s: Any) -> list[Any]:
    ops = []
    for a, b in zip(qs[0::2], qs[1::2], strict=False):
        ops += _two_qubit_unitary(a, b, s)
    if len(qs) > 2:
        for a, b in zip(qs[1::2], [*qs[2::2], qs[0]], strict=False):
            ops += _two_qubit_unitary(a, b, s)
    return ops


def qcnn_circuit(qubits: Any, *, stages: int | None = None) -> tuple[Any, Any]:
    """The QCNN circuit of :func:`qcnn_model` and its read-out qubit, to draw or reuse.

    Each stage applies the convolution (a general two-qubit unitary with 15 shared
    ``sympy`` angles, on even then odd neighbouring pairs of a ring) and the pooling (6
    angles: each qubit of the first half is folded into its partner of the second half
    by a CNOT between single-qubit rotations), then keeps the second half. Stage ``k``
    uses the symbols ``q{21k}`` to ``q{21k + 20}``.

    Parameters
    ----------
    qubits : list of cirq.GridQubit
        ``2**k`` qubits (``k >= 1``).
    stages : int or None, optional
        Number of stages to build (default: all ``k``, down to one qubit).

    Returns
    -------
    (cirq.Circuit, cirq.GridQubit)
        The parametrised circuit and the qubit whose ``Z`` is read out.

    Raises
    ------
    ValueError
        If the number of qubits is not a power of two or ``stages`` is out of range.

    Examples
    --------
    >>> import cirq
    >>> circuit, out = qcnn_circuit(cirq.GridQubit.rect(1, 4))
    >>> len(cirq.parameter_names(circuit)), out
    (42, cirq.GridQubit(0, 3))
    """
    import cirq
    import sympy

    qs = list(qubits)
    n = len(qs)
    if n < 2 or n & (n - 1) or not all(isinstance(q, cirq.GridQubit) for q in qs):
        raise ValueError(f"qubits must be 2**k cirq.GridQubit (k >= 1), got {n} qubits")
    n_stages = int(np.log2(n))
    if stages is not None:
        n_stages = check_integer(stages, "stages", minimum=1, maximum=n_stages)
    symbols = sympy.symbols(f"q0:{21 * n_stages}")
    circuit = cirq.Circuit()
    active = qs
    for st in range(n_stages):
        s = symbols[21 * st : 21 * (st + 1)]
        circuit.append(_conv(active, s[:15]))
        half = len(active) // 2
        for src, snk in zip(active[:half], active[half:], strict=True):
            circuit.append(_pool(src, snk, s[15:21]))
        active = active[half:]
    return circuit, active[-1]


def qcnn_model(qubits: Any, *, differentiator: str = "adjoint") -> Any:
    """Quantum convolutional neural network (Cong, Choi & Lukin 2019) on 2**k qubits.

    Convolution (a general two-qubit unitary, 15 shared angles, on neighbouring pairs)
    and pooling (6 angles: measure-free pooling by a controlled rotation) halve the qubits
    until one remains; the output is ⟨Z⟩ of the last qubit, as in the TFQ tutorial
    (Broughton et al. 2020). The circuit is :func:`qcnn_circuit`.

    Parameters
    ----------
    qubits : list of cirq.GridQubit
        2**k qubits, k ≥ 1.
    differentiator : str, default "adjoint"
        ``"adjoint"`` or ``"parameter_shift"``.

    Returns
    -------
    tf.keras.Model
        Circuits in, ⟨Z⟩ of the last qubit out.

    Raises
    ------
    ValueError
        If the number of qubits is not a power of two or ``differentiator`` unknown.

    Examples
    --------
    >>> qcnn_model(__import__("cirq").GridQubit.rect(1, 8)).count_params()
    63
    """
    import cirq

    circuit, readout = qcnn_circuit(qubits)
    inp = tf.keras.Input(shape=(), dtype=tf.string)
    out = tfq.layers.PQC(
        circuit,
        cirq.Z(readout),
        differentiator=_differentiator(differentiator),
        initializer=_initializer(),
    )(inp)
    return tf.keras.Model(inputs=inp, outputs=out)


@dataclass(frozen=True)
class QCNNResult(ResultMixin):
    """QCNN on cluster-state excitations: train/test accuracy (sign of ⟨Z⟩) and loss history.

    Returned by :func:`train_qcnn`.

    Parameters
    ----------
    train_accuracy, test_accuracy : float
        Accuracy of the sign of ⟨Z⟩ on the training and test states.
    history : tuple of float
        Training loss per epoch.
    model : object
        The trained Keras model.

    Examples
    --------
    >>> r = QCNNResult(0.95, 0.9, (0.8, 0.4), None)
    >>> r.test_accuracy, r.history[-1]
    (0.9, 0.4)
    """

    train_accuracy: float
    test_accuracy: float
    history: tuple[float, ...] = field(repr=False)
    model: Any = field(repr=False, compare=False)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Training loss per epoch; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_curves`.
        """
        labels = {"xlabel": "epoch", "ylabel": "training loss"}
        return plot_curves({"training loss": self.history}, ax=ax, **labels, **kwargs)


def train_qcnn(
    train: QuantumDataset,
    test: QuantumDataset,
    *,
    epochs: int = 10,
    learning_rate: float = 0.05,
    final_learning_rate: float | None = None,
    batch_size: int = 16,
    differentiator: str = "adjoint",
    seed: SeedLike = None,
) -> QCNNResult:
    """Train :func:`qcnn_model` with a hinge loss on labels ±1 (label 1 ↦ +1).

    Adam starts at ``learning_rate``; with ``final_learning_rate`` the step size decays
    exponentially to that value over the run (large steps to leave the random start,
    small ones to settle), otherwise it stays constant.

    Parameters
    ----------
    train, test : QuantumDataset
        Datasets from :func:`~qnetlab.qnn.datasets.cluster_state_dataset`.
    epochs : int, default 10
        Epochs, in [1, 10000].
    learning_rate : float, default 0.05
        Initial Adam step, in (0, 10].
    final_learning_rate : float, optional
        Step at the end of an exponential decay, > 0 (constant step without it).
    batch_size : int, default 16
        Batch size, in [1, 10^6].
    differentiator : str, default "adjoint"
        ``"adjoint"`` or ``"parameter_shift"``.
    seed : SeedLike, optional
        Seed of TensorFlow and of the test draws.

    Returns
    -------
    QCNNResult

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> from qnetlab.qnn.datasets import cluster_state_dataset
    >>> r = train_qcnn(cluster_state_dataset(16, 4, seed=0), cluster_state_dataset(16, 4, seed=1),
    ...                epochs=1, seed=0)
    >>> 0.0 <= r.test_accuracy <= 1.0
    True
    """
    train, test = _check_dataset(train, "train"), _check_dataset(test, "test")
    epochs = check_size(epochs, "epochs", minimum=1, maximum=10_000)
    lr = check_in_range(learning_rate, "learning_rate", 0.0, 10.0, low_inclusive=False)
    batch_size = check_size(batch_size, "batch_size", minimum=1, maximum=10**6)
    step_size: Any = lr
    if final_learning_rate is not None:
        final = check_positive(final_learning_rate, "final_learning_rate")
        # The last of the n_steps updates (step n_steps − 1) uses final_learning_rate.
        n_steps = epochs * int(np.ceil(len(train) / batch_size))
        step_size = tf.keras.optimizers.schedules.ExponentialDecay(
            lr, max(n_steps - 1, 1), final / lr
        )
    set_seed(_tf_seed(make_rng(seed)))
    model = qcnn_model(train.qubits, differentiator=differentiator)
    model.compile(
        optimizer=tf.keras.optimizers.Adam(learning_rate=step_size),
        loss=tf.keras.losses.Hinge(),
    )
    y_tr = (2 * train.labels - 1).astype(np.float32)
    hist = model.fit(
        circuit_tensor(train.circuits), y_tr, epochs=epochs, batch_size=batch_size, verbose=0
    )

    def acc(ds: QuantumDataset) -> float:
        z = model.predict(circuit_tensor(ds.circuits), verbose=0).reshape(-1)
        return float(np.mean((z > 0).astype(int) == ds.labels))

    return QCNNResult(acc(train), acc(test), tuple(float(v) for v in hist.history["loss"]), model)
