"""Learned tomography: a neural network trained on simulated records of a family of states.

:func:`random_states` draws the training family (noisy Bell pairs of network links, or
unstructured random mixed states); :class:`NeuralTomography` simulates one measurement
record per state (:func:`~qnetlab.tomography.measurement.measure_pauli`) and fits a
multilayer perceptron (scikit-learn) from Pauli frequencies to Pauli expectations. It learns
the family's prior, which is what makes it beat linear inversion and maximum likelihood at
low shot counts on that family, and what can mislead it elsewhere.

>>> len(random_states(3, seed=0))
3
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_choice,
    check_integer,
    check_size,
    make_rng,
    to_density_matrix,
)
from ..states import BELL_ORDER, bell_state
from .estimators import project_to_density_matrix, state_from_pauli_expectations
from .measurement import (
    _I,
    _Z,
    TomographyData,
    _check_data,
    _pauli_matrix,
    measure_pauli,
    pauli_labels,
)

__all__ = ["NeuralTomography", "random_states"]


def random_states(
    n_states: int,
    *,
    kind: str = "noisy_bell",
    seed: SeedLike = None,
) -> list[np.ndarray]:
    """Random two-qubit states of a chosen family, as a data set for learned tomography.

    - ``"noisy_bell"``: a random Bell state (Φ± or Ψ±) after the noise of a network link:
      depolarising (mixing with I/4) of strength in [0, 0.6], then dephasing of the first
      qubit with probability in [0, 0.3]. These states are Bell-diagonal.
    - ``"haar"``: random mixed states of rank 1–4 (Ginibre ensemble), no structure.

    Parameters
    ----------
    n_states : int
        Number of states, in [1, 10⁶].
    kind : {"noisy_bell", "haar"}, default "noisy_bell"
        The family.
    seed : int, numpy.random.Generator or None, optional
        The draws, normalised by ``make_rng``.

    Returns
    -------
    list of numpy.ndarray
        ``n_states`` density matrices, 4 × 4.

    Raises
    ------
    TypeError
        If ``n_states`` is not an integer or ``kind`` not a string.
    ValueError
        If ``n_states`` is out of range or ``kind`` unknown.

    Examples
    --------
    >>> states = random_states(5, seed=0)
    >>> len(states), states[0].shape, round(float(np.trace(states[0]).real), 6)
    (5, (4, 4), 1.0)
    >>> bool(min(np.linalg.eigvalsh(random_states(1, kind="haar", seed=0)[0])) > -1e-12)
    True
    """
    count = check_size(n_states, "n_states", minimum=1, maximum=10**6)
    check_choice(kind, "kind", ("noisy_bell", "haar"))
    rng = make_rng(seed)
    out = []
    for _ in range(count):
        if kind == "haar":
            rank = int(rng.integers(1, 5))
            g = rng.normal(size=(4, rank)) + 1j * rng.normal(size=(4, rank))
            rho = g @ g.conj().T
            out.append(rho / np.trace(rho).real)
            continue
        rho = bell_state(BELL_ORDER[int(rng.integers(4))], density=True)
        p = rng.uniform(0.0, 0.6)
        rho = (1 - p) * rho + p * np.eye(4) / 4
        q = rng.uniform(0.0, 0.3)
        z1 = np.kron(_Z, _I)
        out.append((1 - q) * rho + q * z1 @ rho @ z1)
    return out


class NeuralTomography:
    """Learned tomography: a multilayer perceptron from Pauli frequencies to ⟨P⟩.

    Trained on simulated measurement records of a family of states (see
    :func:`random_states`); the prediction is turned into a density matrix with
    :func:`project_to_density_matrix`. Follows scikit-learn: ``__init__`` stores the
    parameters, :meth:`fit` validates them and resolves ``seed``, fitted state ends with
    an underscore.

    Parameters
    ----------
    hidden : tuple of int, optional
        Sizes of the hidden layers.
    seed : int, Generator or None, optional
        Initialisation of the network's weights, drawn when :meth:`fit` runs.

    Attributes
    ----------
    model_ : sklearn.neural_network.MLPRegressor
        The fitted network.
    n_qubits_ : int
        Qubits of the training states.
    shots_per_setting_ : int
        Shots per Pauli setting of the training records.

    Examples
    --------
    >>> from qnetlab.states import werner_state, fidelity
    >>> model = NeuralTomography(hidden=(32,), seed=0).fit(random_states(200, seed=1), 100, seed=2)
    >>> rho = model.predict(measure_pauli(werner_state(0.8), 100, seed=3))
    >>> fidelity(rho, werner_state(0.8)) > 0.9
    True
    """

    def __init__(self, hidden: tuple[int, ...] = (128, 128), *, seed: SeedLike = None) -> None:
        self.hidden = hidden
        self.seed = seed

    def __repr__(self) -> str:
        state = "fitted" if hasattr(self, "model_") else "not fitted"
        return f"NeuralTomography(hidden={self.hidden!r}, {state})"

    @staticmethod
    def _features(data: TomographyData) -> np.ndarray:
        return data.frequencies.ravel()

    def fit(
        self,
        training_states: Sequence[Any],
        shots_per_setting: int,
        *,
        backend: str = "numpy",
        n_iterations: int = 400,
        seed: SeedLike = None,
    ) -> NeuralTomography:
        """Simulate one measurement record per training state and fit the network.

        One record per state (:func:`~qnetlab.tomography.measurement.measure_pauli`) gives
        the features (the 3ⁿ × 2ⁿ relative frequencies) and the state's exact Pauli
        expectations the targets of a scikit-learn ``MLPRegressor`` with early stopping.

        Parameters
        ----------
        training_states : sequence of state vectors or density matrices
            At least two states of the same number of qubits.
        shots_per_setting : int
            Shots per Pauli setting of each simulated record (>= 1).
        backend : {"numpy", "cirq"}, optional
            Simulator of the records (:func:`measure_pauli`).
        n_iterations : int, optional
            Cap on the training epochs (early stopping may end sooner).
        seed : int, Generator or None, optional
            Randomness of the simulated records.

        Returns
        -------
        NeuralTomography
            The fitted estimator.

        Raises
        ------
        TypeError
            If ``hidden`` is not a sequence of integers, or a count is not an integer.
        ValueError
            If ``hidden`` is not a non-empty tuple of positive sizes, fewer than two states
            are given, a state is not a state of 1 to 4 qubits, the states differ in size,
            a count is out of range or ``backend`` is unknown.

        Examples
        --------
        >>> model = NeuralTomography(hidden=(8,), seed=0)
        >>> model.fit(random_states(20, seed=1), 50, seed=2)
        NeuralTomography(hidden=(8,), fitted)
        >>> model.n_qubits_, model.shots_per_setting_
        (2, 50)
        """
        from sklearn.neural_network import MLPRegressor

        try:
            layers = tuple(self.hidden)
        except TypeError:
            raise TypeError(f"hidden must be a tuple of layer sizes, got {self.hidden!r}") from None
        if not layers or any(check_integer(h, "hidden", minimum=1) <= 0 for h in layers):
            raise ValueError("hidden must be a non-empty tuple of positive layer sizes")
        init_rng = make_rng(self.seed)
        if len(training_states) < 2:
            raise ValueError("training_states must hold at least two states")
        shots = check_size(shots_per_setting, "shots_per_setting", minimum=1, maximum=10**9)
        epochs = check_size(n_iterations, "n_iterations", minimum=1, maximum=10**6)
        rng = make_rng(seed)
        features, targets = [], []
        n = None
        for s in training_states:
            rho = to_density_matrix(s, "training state")
            data = measure_pauli(rho, shots, backend=backend, seed=rng)
            if n is None:
                n = data.n_qubits
            elif data.n_qubits != n:
                raise ValueError("training states must all have the same number of qubits")
            features.append(self._features(data))
            targets.append(_true_expectations(rho, n))
        model = MLPRegressor(
            hidden_layer_sizes=tuple(int(h) for h in layers),
            max_iter=epochs,
            early_stopping=True,
            random_state=int(init_rng.integers(2**31 - 1)),
            tol=1e-6,
        )
        model.fit(np.array(features), np.array(targets))
        self.model_, self.n_qubits_, self.shots_per_setting_ = model, n, shots
        return self

    def predict_expectations(self, data: TomographyData) -> np.ndarray:
        """Predicted ⟨P⟩ for the non-identity Pauli strings, clipped to [−1, 1].

        Parameters
        ----------
        data : TomographyData
            A record from :func:`~qnetlab.tomography.measurement.measure_pauli`, on as many
            qubits as the training states.

        Returns
        -------
        numpy.ndarray
            4ⁿ − 1 values, in the order of ``pauli_labels(n)[1:]``.

        Raises
        ------
        TypeError
            If ``data`` is not a :class:`~qnetlab.tomography.measurement.TomographyData`.
        ValueError
            If the model is not fitted or ``data`` has another number of qubits.

        Examples
        --------
        >>> model = NeuralTomography(hidden=(8,), seed=0).fit(
        ...     random_states(20, seed=1), 50, seed=2)
        >>> e = model.predict_expectations(measure_pauli(random_states(1, seed=3)[0], 50, seed=4))
        >>> e.shape, bool(np.all(np.abs(e) <= 1))
        ((15,), True)
        """
        d = _check_data(data)
        if not hasattr(self, "model_"):
            raise ValueError("the model is not fitted: call fit() first")
        if d.n_qubits != self.n_qubits_:
            raise ValueError(
                f"data has {d.n_qubits} qubits, the model was trained on {self.n_qubits_}"
            )
        return np.clip(self.model_.predict(self._features(d)[None, :])[0], -1.0, 1.0)

    def predict(self, data: TomographyData) -> np.ndarray:
        """Predicted density matrix (physical, by projection).

        The expectations of :meth:`predict_expectations` inverted to a matrix
        (:func:`~qnetlab.tomography.estimators.state_from_pauli_expectations`) and projected on
        the density matrices (:func:`~qnetlab.tomography.estimators.project_to_density_matrix`).

        Parameters
        ----------
        data : TomographyData
            A record on as many qubits as the training states.

        Returns
        -------
        numpy.ndarray
            The 2ⁿ × 2ⁿ estimate: Hermitian, unit trace, positive semidefinite.

        Raises
        ------
        TypeError
            If ``data`` is not a :class:`~qnetlab.tomography.measurement.TomographyData`.
        ValueError
            If the model is not fitted or ``data`` has another number of qubits.

        Examples
        --------
        >>> model = NeuralTomography(hidden=(8,), seed=0).fit(
        ...     random_states(20, seed=1), 50, seed=2)
        >>> rho = model.predict(measure_pauli(random_states(1, seed=3)[0], 50, seed=4))
        >>> round(float(np.trace(rho).real), 6), bool(np.linalg.eigvalsh(rho).min() > -1e-9)
        (1.0, True)
        """
        e = self.predict_expectations(data)
        return project_to_density_matrix(state_from_pauli_expectations(e, self.n_qubits_))


def _true_expectations(rho: np.ndarray, n: int) -> np.ndarray:
    return np.array(
        [np.real(np.trace(rho @ _pauli_matrix(label))) for label in pauli_labels(n)[1:]]
    )
