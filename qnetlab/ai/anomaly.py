"""Anomaly detectors for QKD link telemetry: the abort rule, CUSUM and two ML detectors.

The telemetry (windows of decoy BB84 over a drifting link, optionally attacked) is
simulated by :mod:`qnetlab.qkd.telemetry`. Detectors: the protocol's own abort rule
(QBER > 11 %), a QBER threshold calibrated on normal windows, Page's (1954) CUSUM on the
QBER, an Isolation Forest (Liu et al. 2008) trained on normal windows and a supervised
random forest (Breiman 2001). Their evaluation (ROC AUC, detection rate at a fixed
false-alarm rate, detection delay, the key Eve learns before the alarm) is in
:mod:`qnetlab.ai.anomaly_evaluation`.

>>> from qnetlab.qkd import qkd_telemetry
>>> tel = qkd_telemetry(4, window_pulses=200_000, attack="intercept_resend",
...                     attack_start=2, fraction=0.5, seed=1)
>>> bool(CUSUMDetector().fit(qkd_telemetry(10, window_pulses=200_000, seed=2)).score(tel)[-1] > 5)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from .._validation import (
    SeedLike,
    check_choice,
    check_in_range,
    check_integer,
    check_non_negative,
    make_rng,
)
from ..qkd import THRESHOLDS
from ..qkd.telemetry import FEATURE_NAMES, QKDTelemetry

__all__ = [
    "DETECTOR_FEATURES",
    "CUSUMDetector",
    "Detector",
    "IsolationForestDetector",
    "QBERThreshold",
    "SupervisedDetector",
    "window_features",
]

#: The physics-informed subset the ML detectors use by default (the decoy bounds and the
#: key-rate estimate are noisy functions of these at one window's statistics).
DETECTOR_FEATURES: tuple[str, ...] = (
    "qber",
    "qber_z",
    "qber_x",
    "gain_signal",
    "decoy_signal_ratio",
    "error_decoy",
)


def window_features(
    data: Any, context: int = 0, columns: Sequence[str] | None = None
) -> np.ndarray:
    """Design matrix of a detector: per-window features, plus trailing means if ``context``.

    ``data`` is a :class:`QKDTelemetry` (or a (n_windows, n_features) array in time order) or
    a sequence of them (each run gets its own trailing means, then they are stacked). With
    ``context = L > 0`` the mean of every feature over the last L windows (the current one
    included; fewer at the start of a run) is appended: slow drift hardly moves it, the
    statistical noise of one window averages down by √L. ``columns`` selects features
    (names from :data:`FEATURE_NAMES`; default all).

    Parameters
    ----------
    data : QKDTelemetry, array or sequence of them
        One run or several (features in time order).
    context : int, optional
        Trailing windows averaged (0: none).
    columns : sequence of str, optional
        Feature names to keep (default all).

    Returns
    -------
    numpy.ndarray
        Shape (n_windows, n_columns) or (n_windows, 2 n_columns) with ``context``.

    Raises
    ------
    TypeError
        If ``data`` is not telemetry or a feature array.
    ValueError
        If a feature array has the wrong width or a column name is unknown.

    Examples
    --------
    >>> from qnetlab.qkd import qkd_telemetry
    >>> tel = qkd_telemetry(3, window_pulses=50_000, seed=0)
    >>> window_features(tel).shape, window_features([tel, tel], context=2).shape
    ((3, 12), (6, 24))
    >>> window_features(tel, 4, columns=("qber_z", "qber_x")).shape
    (3, 4)
    """
    ctx = check_integer(context, "context", minimum=0)
    if columns is not None:
        for c in columns:
            check_choice(c, "columns", FEATURE_NAMES)
    if isinstance(data, QKDTelemetry | np.ndarray):
        x = _features(data)
        if columns is not None:
            x = x[:, [FEATURE_NAMES.index(c) for c in columns]]
        if ctx == 0:
            return x.copy()
        c = np.cumsum(np.vstack([np.zeros((1, x.shape[1])), x]), axis=0)
        hi = np.arange(1, x.shape[0] + 1)
        lo = np.maximum(hi - ctx, 0)
        return np.hstack([x, (c[hi] - c[lo]) / (hi - lo)[:, None]])
    parts = list(data) if isinstance(data, Sequence) and not isinstance(data, str | bytes) else []
    if not parts or not all(isinstance(p, QKDTelemetry | np.ndarray) for p in parts):
        raise TypeError(
            "data must be a QKDTelemetry, a feature array or a non-empty sequence of them, "
            f"got {type(data).__name__}"
        )
    return np.vstack([window_features(p, ctx, columns) for p in parts])


def _labels(data: Any) -> np.ndarray:
    if isinstance(data, QKDTelemetry):
        return data.labels
    if isinstance(data, Sequence) and data and all(isinstance(p, QKDTelemetry) for p in data):
        return np.concatenate([p.labels for p in data])
    raise TypeError("runs must be a QKDTelemetry or a non-empty sequence of QKDTelemetry")


def _features(data: Any) -> np.ndarray:
    x = data.features if isinstance(data, QKDTelemetry) else np.asarray(data, dtype=float)
    if x.ndim != 2 or x.shape[1] != len(FEATURE_NAMES):
        raise ValueError(
            f"features must have shape (n_windows, {len(FEATURE_NAMES)}), got {x.shape}"
        )
    return x


_QBER = FEATURE_NAMES.index("qber")


@runtime_checkable
class Detector(Protocol):
    """What every anomaly detector of this module offers (scikit-learn style).

    ``__init__`` only stores parameters; :meth:`fit` learns from telemetry (and resolves
    the seed), fitted state ends with an underscore; :meth:`score` gives one anomaly score
    per window (higher = more anomalous) and :meth:`predict` the alarm per window.

    Parameters
    ----------
    data : QKDTelemetry, array or sequence of them
        The one argument of :meth:`fit` (normal windows), :meth:`score` and
        :meth:`predict`: telemetry windows in time order, as :func:`window_features`
        reads them. A protocol is not instantiated; the detectors that follow it take
        their own constructor parameters.

    Attributes
    ----------
    name : str
        The detector's label in tables and figures.

    Raises
    ------
    ValueError
        From :meth:`score` or :meth:`predict` of a detector that must be fitted first.

    Examples
    --------
    >>> isinstance(CUSUMDetector(), Detector), isinstance(object(), Detector)
    (True, False)
    """

    name: str

    def fit(self, data: Any) -> Detector:
        """Learn from telemetry; return the detector."""
        ...

    def score(self, data: Any) -> np.ndarray:
        """Anomaly score per window (higher = more anomalous)."""
        ...

    def predict(self, data: Any) -> np.ndarray:
        """Alarm (True) or not, per window."""
        ...


def _columns(columns: Sequence[str]) -> list[int]:
    return [FEATURE_NAMES.index(check_choice(c, "columns", FEATURE_NAMES)) for c in columns]


def _not_fitted(detector: Any) -> ValueError:
    return ValueError(f"{type(detector).__name__} must be fitted before scoring")


class QBERThreshold:
    """The QKD protocol's own test: score = signal QBER of the window.

    :meth:`predict` applies the abort threshold (Shor–Preskill 11 % by default); as a
    detector at a fixed false-alarm rate the threshold is instead calibrated on normal
    windows (:func:`~qnetlab.ai.anomaly_evaluation.evaluate_detector`). A fixed rule:
    nothing is learned, so it needs no :meth:`fit`.

    Parameters
    ----------
    threshold : float, optional
        Abort threshold on the window QBER, in [0, 0.5].

    Examples
    --------
    >>> from qnetlab.qkd import qkd_telemetry
    >>> tel = qkd_telemetry(3, window_pulses=100_000, seed=0)
    >>> QBERThreshold().predict(tel).tolist()
    [False, False, False]
    """

    name = "QBER threshold"

    def __init__(self, threshold: float = THRESHOLDS["bb84"]) -> None:
        self.threshold = threshold

    def __repr__(self) -> str:
        return f"QBERThreshold(threshold={self.threshold})"

    def fit(self, normal: Any) -> QBERThreshold:
        """Check the parameters and the data; nothing to learn (a uniform interface)."""
        check_in_range(self.threshold, "threshold", 0.0, 0.5)
        window_features(normal)
        return self

    def score(self, data: Any) -> np.ndarray:
        """The QBER of every window."""
        return _features(data)[:, _QBER].copy()

    def predict(self, data: Any) -> np.ndarray:
        """Abort decision per window: QBER above the threshold."""
        return self.score(data) > check_in_range(self.threshold, "threshold", 0.0, 0.5)


class CUSUMDetector:
    """Page's (1954) one-sided CUSUM on the window QBER.

    With the normal mean m and standard deviation s of the QBER (from training windows),
    S_t = max(0, S_{t−1} + (x_t − m)/s − k); the score is S_t and :meth:`predict` raises
    the alarm when S_t > ``h``.

    Parameters
    ----------
    k : float, optional
        Reference value: half the shift, in standard deviations, the chart is tuned for.
    column : str, optional
        The feature of :data:`~qnetlab.qkd.telemetry.FEATURE_NAMES` to watch.
    h : float, optional
        Decision interval of :meth:`predict`, in standard deviations.

    Attributes
    ----------
    mean_, std_ : float
        In-control mean and standard deviation of ``column`` (set by :meth:`fit`).

    Examples
    --------
    >>> det = CUSUMDetector(k=0.5).fit(np.tile([[0.03] * 12, [0.04] * 12], (5, 1)))
    >>> det.score(np.full((3, 12), 0.10)).round(1).tolist()
    [11.8, 23.7, 35.5]
    >>> det.predict(np.full((2, 12), 0.035)).tolist()
    [False, False]
    """

    name = "CUSUM"

    def __init__(self, k: float = 0.5, column: str = "qber", *, h: float = 5.0) -> None:
        self.k = k
        self.column = column
        self.h = h

    def __repr__(self) -> str:
        return f"CUSUMDetector(k={self.k}, column={self.column!r}, h={self.h})"

    def fit(self, normal: Any) -> CUSUMDetector:
        """Estimate the in-control mean and standard deviation from normal windows."""
        check_non_negative(self.k, "k")
        check_non_negative(self.h, "h")
        (col,) = _columns([self.column])
        x = window_features(normal)[:, col]
        if x.size < 2:
            raise ValueError("normal must hold at least 2 windows")
        self.mean_, self.std_ = float(np.mean(x)), float(np.std(x, ddof=1)) or 1e-12
        return self

    def score(self, data: Any) -> np.ndarray:
        """CUSUM statistic along the windows (in time order)."""
        if not hasattr(self, "std_"):
            raise _not_fitted(self)
        (col,) = _columns([self.column])
        z = (_features(data)[:, col] - self.mean_) / self.std_ - self.k
        s = np.empty_like(z)
        acc = 0.0
        for i, v in enumerate(z):
            acc = max(0.0, acc + v)
            s[i] = acc
        return s

    def predict(self, data: Any) -> np.ndarray:
        """Alarm per window: the CUSUM statistic above ``h``."""
        return self.score(data) > self.h


class IsolationForestDetector:
    """Unsupervised: an Isolation Forest (Liu et al. 2008) trained on normal windows only.

    The score is the negated scikit-learn ``score_samples`` (higher = more anomalous) on
    :func:`window_features` with ``context`` trailing windows; :meth:`predict` uses the
    forest's own outlier decision.

    Parameters
    ----------
    n_estimators : int, optional
        Trees in the forest.
    context : int, optional
        Trailing windows averaged into extra features (:func:`window_features`).
    columns : sequence of str, optional
        Features used (names from :data:`~qnetlab.qkd.telemetry.FEATURE_NAMES`).
    seed : int, Generator or None, optional
        Randomness of the forest, drawn when :meth:`fit` runs.

    Attributes
    ----------
    model_ : sklearn.ensemble.IsolationForest
        The fitted forest.

    Examples
    --------
    >>> from qnetlab.qkd import qkd_telemetry
    >>> tel = qkd_telemetry(20, window_pulses=50_000, seed=0)
    >>> IsolationForestDetector(seed=0).fit(tel).score(tel).shape
    (20,)
    """

    name = "Isolation Forest"

    def __init__(
        self,
        n_estimators: int = 300,
        *,
        context: int = 10,
        columns: Sequence[str] = DETECTOR_FEATURES,
        seed: SeedLike = None,
    ) -> None:
        self.n_estimators = n_estimators
        self.context = context
        self.columns = columns
        self.seed = seed

    def __repr__(self) -> str:
        return (
            f"IsolationForestDetector(n_estimators={self.n_estimators}, "
            f"context={self.context}, columns={tuple(self.columns)})"
        )

    def _x(self, data: Any) -> np.ndarray:
        return window_features(data, self.context, tuple(self.columns))

    def fit(self, normal: Any) -> IsolationForestDetector:
        """Train on normal windows (a QKDTelemetry or a sequence of them)."""
        from sklearn.ensemble import IsolationForest

        trees = check_integer(self.n_estimators, "n_estimators", minimum=1)
        check_integer(self.context, "context", minimum=0)
        _columns(self.columns)
        rng = make_rng(self.seed)
        x = self._x(normal)
        self.model_ = IsolationForest(
            n_estimators=trees, random_state=int(rng.integers(2**31 - 1))
        ).fit(x)
        return self

    def score(self, data: Any) -> np.ndarray:
        """Anomaly score per window."""
        if not hasattr(self, "model_"):
            raise _not_fitted(self)
        return -self.model_.score_samples(self._x(data))

    def predict(self, data: Any) -> np.ndarray:
        """Alarm per window: the forest calls the window an outlier."""
        if not hasattr(self, "model_"):
            raise _not_fitted(self)
        return self.model_.predict(self._x(data)) == -1


class SupervisedDetector:
    """Supervised: a random forest (Breiman 2001) trained on labelled telemetry runs.

    The score is the forest's probability of "attack" on :func:`window_features` of the
    ``columns`` with ``context`` trailing windows; :meth:`predict` alarms above 1/2.

    Parameters
    ----------
    n_estimators : int, optional
        Trees in the forest.
    min_samples_leaf : int, optional
        Smallest leaf of a tree.
    context : int, optional
        Trailing windows averaged into extra features (:func:`window_features`).
    columns : sequence of str, optional
        Features used (names from :data:`~qnetlab.qkd.telemetry.FEATURE_NAMES`).
    seed : int, Generator or None, optional
        Randomness of the forest, drawn when :meth:`fit` runs.

    Attributes
    ----------
    model_ : sklearn.ensemble.RandomForestClassifier
        The fitted forest.

    Examples
    --------
    >>> from qnetlab.qkd import qkd_telemetry
    >>> a = qkd_telemetry(20, window_pulses=50_000, attack="intercept_resend",
    ...                   fraction=0.5, attack_start=10, seed=0)
    >>> det = SupervisedDetector(seed=0).fit([a])
    >>> float(det.score(a)[-1]) > 0.5
    True
    """

    name = "Random forest"

    def __init__(
        self,
        n_estimators: int = 300,
        min_samples_leaf: int = 3,
        *,
        context: int = 5,
        columns: Sequence[str] = DETECTOR_FEATURES,
        seed: SeedLike = None,
    ) -> None:
        self.n_estimators = n_estimators
        self.min_samples_leaf = min_samples_leaf
        self.context = context
        self.columns = columns
        self.seed = seed

    def __repr__(self) -> str:
        return (
            f"SupervisedDetector(n_estimators={self.n_estimators}, "
            f"min_samples_leaf={self.min_samples_leaf}, context={self.context}, "
            f"columns={tuple(self.columns)})"
        )

    def _x(self, data: Any) -> np.ndarray:
        return window_features(data, self.context, tuple(self.columns))

    def fit(self, runs: Any) -> SupervisedDetector:
        """Train on labelled telemetry runs (a QKDTelemetry or a sequence; both classes present)."""
        from sklearn.ensemble import RandomForestClassifier

        trees = check_integer(self.n_estimators, "n_estimators", minimum=1)
        leaf = check_integer(self.min_samples_leaf, "min_samples_leaf", minimum=1)
        check_integer(self.context, "context", minimum=0)
        _columns(self.columns)
        rng = make_rng(self.seed)
        x = self._x(runs)
        y = _labels(runs)
        if np.unique(y).size < 2:
            raise ValueError("labels must contain both normal (0) and attack (1) windows")
        self.model_ = RandomForestClassifier(
            n_estimators=trees,
            min_samples_leaf=leaf,
            random_state=int(rng.integers(2**31 - 1)),
            n_jobs=1,
        ).fit(x, y)
        return self

    def score(self, data: Any) -> np.ndarray:
        """Probability of attack per window."""
        if not hasattr(self, "model_"):
            raise _not_fitted(self)
        return self.model_.predict_proba(self._x(data))[:, 1]

    def predict(self, data: Any) -> np.ndarray:
        """Alarm per window: probability of attack above 1/2."""
        return self.score(data) > 0.5
