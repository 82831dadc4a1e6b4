"""Fault detection and diagnosis on repeater-chain telemetry: physics residuals and ML.

The telemetry of :mod:`qnetlab.ai.faults` is read two ways:

- :class:`PhysicsDiagnoser` (model-based, needs no fault labels): residuals of every
  feature against the healthy physics model, a χ² omnibus statistic and a
  matched-signature generalised likelihood ratio per fault hypothesis;
- :func:`train_diagnoser`: a scikit-learn classifier (random forest, gradient boosting or
  an MLP) trained on labelled windows of :func:`qnetlab.ai.faults.fault_dataset`.

:func:`evaluate_diagnosis` scores either: accuracy, confusion matrix, detection and
false-alarm rates.

>>> from qnetlab.ai.faults import Fault, network_telemetry
>>> diag = PhysicsDiagnoser().fit(network_telemetry(200, seed=0))
>>> diag.diagnose(network_telemetry(3, faults=[Fault("detector", 1)], seed=1).features).tolist()
['detector@link 1', 'detector@link 1', 'detector@link 1']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._validation import SeedLike, check_choice, check_in_range, make_rng, summary_block
from ..plotting_results import plot_confusion
from ..results import ResultMixin
from .faults import (
    ChainModel,
    Fault,
    NetworkTelemetry,
    _check_model,
    expected_features,
)

__all__ = [
    "DIAGNOSER_METHODS",
    "DiagnosisReport",
    "PhysicsDiagnoser",
    "evaluate_diagnosis",
    "train_diagnoser",
]

#: Machine-learning diagnosers offered by :func:`train_diagnoser`.
DIAGNOSER_METHODS: tuple[str, ...] = ("random_forest", "gradient_boosting", "mlp")


class PhysicsDiagnoser:
    """Model-based detection and diagnosis: residuals against the healthy physics model.

    :meth:`fit` takes healthy telemetry only (no fault labels): it keeps the noise-free
    healthy prediction μ of every feature (:func:`expected_features`) and the healthy
    spread σ of the residuals zᵢ = (xᵢ − μᵢ)/σᵢ. For each hypothesis h the model gives
    a signature sₕ = (μ(h) − μ)/σ at nominal fault size, and the generalised likelihood
    ratio of h against "healthy" under Gaussian noise with a free, non-negative fault
    size is Λₕ = max(z·sₕ, 0)²/|sₕ|² (a matched filter). The detection statistic is
    maxₕ Λₕ, with a threshold set so that a fraction ``false_alarm_rate`` of the healthy
    calibration windows alarm; :meth:`diagnose` returns "healthy" below it, else argmaxₕ Λₕ.

    Parameters
    ----------
    model : ChainModel, optional
        The monitored chain (default: ``ChainModel()``).
    false_alarm_rate : float, optional
        Fraction of healthy calibration windows allowed to alarm, in (0, 1).

    Attributes
    ----------
    mean_, scale_ : numpy.ndarray
        Healthy prediction μ and residual spread σ of every feature (after :meth:`fit`).
    signatures_ : numpy.ndarray
        Signature sₕ of every fault hypothesis, shape (n_hypotheses − 1, n_features).
    threshold_ : float
        Detection threshold on the statistic.

    Examples
    --------
    >>> from qnetlab.ai.faults import Fault, network_telemetry
    >>> diag = PhysicsDiagnoser().fit(network_telemetry(200, seed=0))
    >>> tel = network_telemetry(5, faults=[Fault("fiber_loss", 2)], seed=1)
    >>> diag.diagnose(tel.features).tolist()[:2]
    ['fiber_loss@link 2', 'fiber_loss@link 2']
    """

    def __init__(self, model: ChainModel | None = None, *, false_alarm_rate: float = 0.01) -> None:
        self.model = _check_model(model)
        self.false_alarm_rate = check_in_range(
            false_alarm_rate,
            "false_alarm_rate",
            0.0,
            1.0,
            low_inclusive=False,
            high_inclusive=False,
        )
        self.hypotheses = self.model.hypotheses()
        self._fitted = False

    def __repr__(self) -> str:
        return f"PhysicsDiagnoser(n_hypotheses={len(self.hypotheses)}, fitted={self._fitted})"

    def fit(self, healthy: NetworkTelemetry) -> PhysicsDiagnoser:
        """Calibrate σ and the χ² threshold on healthy telemetry; returns ``self``."""
        if not isinstance(healthy, NetworkTelemetry):
            raise TypeError(f"healthy must be NetworkTelemetry, got {type(healthy).__name__}")
        if healthy.n_windows < 10:
            raise ValueError(f"healthy must hold at least 10 windows, got {healthy.n_windows}")
        if healthy.feature_names != self.model.feature_names:
            raise ValueError("healthy telemetry must come from a chain with the diagnoser's layout")
        x = healthy.features
        self.mean_ = expected_features(self.model)
        self.scale_ = np.maximum(x.std(axis=0, ddof=1), 1e-9)
        sigs = []
        for h in self.hypotheses[1:]:
            kind, where = h.split("@")
            f = Fault(kind, int(where.split()[1]))
            sigs.append((expected_features(self.model, f) - self.mean_) / self.scale_)
        self.signatures_ = np.array(sigs)
        self._fitted = True
        stat = self.statistic(x)
        self.threshold_ = float(np.quantile(stat, 1 - self.false_alarm_rate))
        return self

    def _z(self, features: ArrayLike) -> np.ndarray:
        if not self._fitted:
            raise RuntimeError("call fit() before detect() or diagnose()")
        x = np.asarray(features, dtype=float)
        if x.ndim != 2 or x.shape[1] != self.mean_.size:
            raise ValueError(f"features must have shape (n, {self.mean_.size}), got {x.shape}")
        return (x - self.mean_) / self.scale_

    def _scores(self, z: np.ndarray) -> np.ndarray:
        proj = z @ self.signatures_.T
        return np.maximum(proj, 0) ** 2 / np.sum(self.signatures_**2, axis=1)

    def chi2(self, features: ArrayLike) -> np.ndarray:
        """The χ² residual statistic Σ zᵢ² of each window (an omnibus test)."""
        return np.sum(self._z(features) ** 2, axis=1)

    def statistic(self, features: ArrayLike) -> np.ndarray:
        """The detection statistic: the largest matched-signature GLR score per window."""
        return np.max(self._scores(self._z(features)), axis=1)

    def detect(self, features: ArrayLike) -> np.ndarray:
        """True where the window's statistic exceeds the calibrated threshold."""
        return self.statistic(features) > self.threshold_

    def diagnose(self, features: ArrayLike) -> np.ndarray:
        """Diagnosis label per window: ``"healthy"`` or ``"kind@component"``."""
        score = self._scores(self._z(features))
        best = np.array(self.hypotheses[1:])[np.argmax(score, axis=1)]
        return np.where(np.max(score, axis=1) > self.threshold_, best, "healthy")


def train_diagnoser(
    data: NetworkTelemetry,
    *,
    method: str = "random_forest",
    target: str = "label",
    seed: SeedLike = None,
) -> Any:
    """Fit a scikit-learn classifier on labelled telemetry; returns the fitted pipeline.

    Features are standardised first.

    Parameters
    ----------
    data : NetworkTelemetry
        Labelled windows (e.g. :func:`qnetlab.ai.faults.fault_dataset`).
    method : str, optional
        One of :data:`DIAGNOSER_METHODS`.
    target : str, optional
        ``"label"`` (kind and location), ``"kind"`` or ``"component"``.
    seed : int, numpy.random.Generator or None, optional
        Seed of the classifier's randomness.

    Returns
    -------
    sklearn.pipeline.Pipeline
        The fitted scaler + classifier; ``predict(features)`` gives labels.

    Raises
    ------
    TypeError
        If ``data`` is not :class:`~qnetlab.ai.faults.NetworkTelemetry`.
    ValueError
        If ``method`` or ``target`` is unknown.

    Examples
    --------
    >>> from qnetlab.ai.faults import Fault, fault_dataset, network_telemetry
    >>> clf = train_diagnoser(fault_dataset(4, seed=0), method="random_forest", seed=0)
    >>> clf.predict(network_telemetry(2, faults=[Fault("detector", 3)], seed=2).features).shape
    (2,)
    """
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if not isinstance(data, NetworkTelemetry):
        raise TypeError(f"data must be NetworkTelemetry, got {type(data).__name__}")
    check_choice(method, "method", DIAGNOSER_METHODS)
    check_choice(target, "target", ("label", "kind", "component"))
    rs = int(make_rng(seed).integers(2**31 - 1))
    if method == "random_forest":
        clf: Any = RandomForestClassifier(n_estimators=150, random_state=rs, n_jobs=1)
    elif method == "gradient_boosting":
        clf = HistGradientBoostingClassifier(
            max_iter=40, learning_rate=0.2, max_leaf_nodes=15, random_state=rs
        )
    else:
        clf = MLPClassifier(hidden_layer_sizes=(64,), max_iter=400, alpha=1e-3, random_state=rs)
    y = {"label": data.label, "kind": data.kind, "component": data.component}[target]
    return make_pipeline(StandardScaler(), clf).fit(data.features, y)


@dataclass(frozen=True)
class DiagnosisReport(ResultMixin):
    """Scores of a diagnoser on labelled windows.

    Parameters
    ----------
    accuracy : float
        Fraction of windows labelled exactly right.
    confusion : numpy.ndarray
        Confusion matrix (rows: truth, columns: prediction, in ``labels`` order).
    labels : tuple of str
        The labels of the rows and columns.
    detection_rate : float
        Fraction of faulty windows not called ``"healthy"`` (NaN without faulty windows).
    false_alarm_rate : float
        Fraction of healthy windows called faulty (NaN without healthy windows).

    Examples
    --------
    >>> evaluate_diagnosis(["healthy", "a"], ["a", "a"]).confusion.tolist()
    [[1, 0], [1, 0]]
    """

    accuracy: float
    confusion: np.ndarray
    labels: tuple[str, ...]
    detection_rate: float
    false_alarm_rate: float

    def __repr__(self) -> str:
        """Short, one-line form; :meth:`summary` adds the confusion matrix.

        >>> evaluate_diagnosis(["healthy", "a", "b"], ["healthy", "a", "healthy"])
        DiagnosisReport(accuracy=0.667, detection=0.500, false_alarm=0.000, n_labels=3)
        """
        return (
            f"DiagnosisReport(accuracy={self.accuracy:.3f}, detection="
            f"{self.detection_rate:.3f}, false_alarm={self.false_alarm_rate:.3f}, "
            f"n_labels={len(self.labels)})"
        )

    def summary(self) -> str:
        """The rates, then the confusion matrix one true label per line.

        Returns
        -------
        str
            A title line, the rates, and ``truth -> predicted counts`` lines.

        Examples
        --------
        >>> truth, predicted = ["healthy", "a", "b"], ["healthy", "a", "healthy"]
        >>> print(evaluate_diagnosis(truth, predicted, labels=["healthy", "a", "b"]).summary())
        DiagnosisReport
          accuracy          0.666667
          detection_rate    0.5
          false_alarm_rate  0
          n_labels          3
          confusion (rows: truth; columns: healthy, a, b)
            healthy  [1, 0, 0]
            a        [0, 1, 0]
            b        [1, 0, 0]
        """
        head = summary_block(
            "DiagnosisReport",
            [
                ("accuracy", self.accuracy),
                ("detection_rate", self.detection_rate),
                ("false_alarm_rate", self.false_alarm_rate),
                ("n_labels", len(self.labels)),
            ],
        )
        width = max((len(lab) for lab in self.labels), default=0)
        lines = [head, f"  confusion (rows: truth; columns: {', '.join(self.labels)})"]
        lines += [
            f"    {lab:<{width}}  {np.asarray(row).tolist()}"
            for lab, row in zip(self.labels, self.confusion, strict=True)
        ]
        return "\n".join(lines)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Confusion matrix; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_confusion`.
        """
        return plot_confusion(self.confusion, self.labels, ax=ax, **kwargs)


def evaluate_diagnosis(
    truth: ArrayLike, predicted: ArrayLike, labels: Sequence[str] | None = None
) -> DiagnosisReport:
    """Score diagnosis labels: accuracy, confusion matrix, detection and false-alarm rates.

    Detection rate = fraction of faulty windows not called ``"healthy"``; false-alarm rate
    = fraction of healthy windows called faulty.

    Parameters
    ----------
    truth, predicted : array_like
        True and predicted labels per window (1-D, equal length, non-empty).
    labels : sequence of str, optional
        Order of the confusion matrix (default: every label seen, sorted).

    Returns
    -------
    DiagnosisReport
        Accuracy, confusion matrix, detection and false-alarm rates.

    Raises
    ------
    ValueError
        If ``truth`` and ``predicted`` are not equal-length, non-empty 1-D arrays.

    Examples
    --------
    >>> r = evaluate_diagnosis(["healthy", "a", "b"], ["healthy", "a", "healthy"])
    >>> round(r.accuracy, 3), r.detection_rate, r.false_alarm_rate
    (0.667, 0.5, 0.0)
    """
    for name, value in (("truth", truth), ("predicted", predicted)):
        arr = np.asarray(value)
        if arr.dtype.kind in "fc" and not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must hold class labels, got a non-finite entry")
    t = np.asarray(truth).astype(str)
    p = np.asarray(predicted).astype(str)
    if t.shape != p.shape or t.ndim != 1 or t.size == 0:
        raise ValueError(
            f"truth and predicted must be equal-length 1-D, got {t.shape} and {p.shape}"
        )
    labs = tuple(sorted(set(t) | set(p))) if labels is None else tuple(labels)
    index = {lab: i for i, lab in enumerate(labs)}
    conf = np.zeros((len(labs), len(labs)), dtype=int)
    for a, b in zip(t, p):
        if a in index and b in index:
            conf[index[a], index[b]] += 1
    faulty = t != "healthy"
    det = float(np.mean(p[faulty] != "healthy")) if faulty.any() else float("nan")
    fa = float(np.mean(p[~faulty] != "healthy")) if (~faulty).any() else float("nan")
    return DiagnosisReport(float(np.mean(t == p)), conf, labs, det, fa)
