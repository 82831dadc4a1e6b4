"""Detecting and naming device attacks on a QKD receiver from its telemetry.

Two detectors with the same interface (``fit``, ``calibrate``, ``score``, ``predict``),
both trained on the same windows of :func:`qnetlab.qkd.device_attacks.device_telemetry`
and compared at the same false-alarm rate:

- :class:`CountermeasureBank`, the physical countermeasures an engineer builds for each
  known attack, as standardised one-sided tests on normal windows only: Alice's
  **watchdog** (Trojan horse), Bob's **random detector efficiency** ratio and the
  **photocurrent** monitor (blinding), a per-detector **timing monitor** (time shift and
  faked states) and the **basis-dependent QBER** test (intercept-resend and faked
  states). The alarm is the largest standardised statistic, its threshold set on
  held-out normal windows; the attack is named by which test fires (rules in
  :meth:`CountermeasureBank.predict`).
- :class:`AttackClassifier`, a random forest (Breiman 2001) on all telemetry features,
  trained on labelled windows of every attack; the alarm is 1 − P(none), its threshold set
  on the same held-out normal windows, the attack the most probable non-normal class.

:func:`evaluate_attack_detection` reports detection at the fixed false-alarm rate per
attack and the attribution accuracy of the detected windows.

>>> import numpy as np
>>> X, y = telemetry_dataset({"none": 20, "blinding": 10}, fractions=(0.5,), seed=1)
>>> bank = CountermeasureBank().fit(X[y == "none"], y[y == "none"])
>>> bank.calibrate(X[y == "none"], false_alarm=0.05).predict(X[y == "blinding"])[:3]
array(['blinding', 'blinding', 'blinding'], dtype=object)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validation import SeedLike, check_in_range, check_integer, make_rng
from ..qkd.device_attacks import DEVICE_ATTACKS, TELEMETRY_FEATURES, Receiver, device_telemetry
from ..results import ResultMixin

__all__ = [
    "COUNTERMEASURES",
    "AttackClassifier",
    "AttackDetectionReport",
    "CountermeasureBank",
    "evaluate_attack_detection",
    "telemetry_dataset",
]

#: The physical tests of :class:`CountermeasureBank`: (name, features, sign, attacks).
#: A test's statistic is the largest of its features' standardised deviations in the
#: given direction (+1 upwards, 0 either way).
COUNTERMEASURES: tuple[tuple[str, tuple[str, ...], int, tuple[str, ...]], ...] = (
    ("watchdog", ("watchdog",), +1, ("trojan_horse",)),
    ("random efficiency", ("rde_ratio",), +1, ("blinding",)),
    ("photocurrent", ("photocurrent",), +1, ("blinding",)),
    ("dark and double clicks", ("double_clicks",), -1, ("blinding",)),
    ("timing monitor", ("time_0", "time_1", "time_spread"), 0, ("time_shift",)),
    ("basis QBER test", ("qber_z", "qber_x"), +1, ("intercept_resend",)),
)


def _as_features(X: Any) -> np.ndarray:
    a = np.asarray(X, dtype=float)
    if a.ndim != 2 or a.shape[1] != len(TELEMETRY_FEATURES):
        raise ValueError(
            f"X must have shape (n_windows, {len(TELEMETRY_FEATURES)}) "
            f"(TELEMETRY_FEATURES), got {a.shape}"
        )
    if not np.all(np.isfinite(a)):
        raise ValueError("X must be finite")
    return a


def _as_labels(y: Any, n: int) -> np.ndarray:
    lab = np.asarray(y, dtype=object)
    if lab.shape != (n,):
        raise ValueError(f"y must hold one label per window ({n}), got shape {lab.shape}")
    bad = set(lab) - set(DEVICE_ATTACKS)
    if bad:
        raise ValueError(f"y holds unknown labels {sorted(bad)}; allowed: {DEVICE_ATTACKS}")
    return lab


def _threshold(normal_scores: np.ndarray, false_alarm: float) -> float:
    """Smallest threshold with at most ``false_alarm`` of the normal scores above it."""
    return float(np.quantile(normal_scores, 1.0 - false_alarm, method="higher"))


def telemetry_dataset(
    windows: dict[str, int],
    *,
    fractions: Any = (0.1, 0.3, 1.0),
    strengths: dict[str, float] | None = None,
    window_pulses: int = 20_000,
    receiver: Receiver | None = None,
    seed: SeedLike = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Labelled telemetry windows: ``windows[attack]`` windows of each attack.

    Attacked windows are spread evenly over ``fractions`` (the share of pulses Eve
    attacks).

    Parameters
    ----------
    windows : dict of str to int
        Attack name (one of :data:`DEVICE_ATTACKS`, ``"none"`` first) → windows, ≥ 0.
    fractions : sequence of float, default (0.1, 0.3, 1.0)
        Shares of pulses Eve attacks, each in (0, 1].
    strengths : dict of str to float, optional
        Each attack's parameter (see :func:`~qnetlab.qkd.device_attacks.device_telemetry`).
    window_pulses : int, default 20_000
        Pulses per window.
    receiver : Receiver, optional
        Bob's detectors (default: that of :func:`~qnetlab.qkd.device_attacks.device_telemetry`).
    seed : SeedLike, optional
        Seed or generator, normalised by ``make_rng``.

    Returns
    -------
    tuple of numpy.ndarray
        ``(X, y)``: features (n, len(TELEMETRY_FEATURES)) and labels (n,).

    Raises
    ------
    ValueError
        For an unknown attack, a negative count or a fraction outside (0, 1].

    Examples
    --------
    >>> X, y = telemetry_dataset({"none": 3, "time_shift": 4}, fractions=(0.5, 1.0), seed=0)
    >>> X.shape, list(y).count("time_shift")
    ((7, 11), 4)
    """
    if not isinstance(windows, dict) or not windows:
        raise TypeError("windows must be a non-empty dict {attack: number of windows}")
    fr = [check_in_range(f, "fractions", 0.0, 1.0, low_inclusive=False) for f in fractions]
    if not fr:
        raise ValueError("fractions must not be empty")
    strengths = {} if strengths is None else dict(strengths)
    rng = make_rng(seed)
    xs, ys = [], []
    for attack, count in windows.items():
        if attack not in DEVICE_ATTACKS:
            raise ValueError(f"unknown attack {attack!r}; allowed: {DEVICE_ATTACKS}")
        k = check_integer(count, f"windows[{attack!r}]", minimum=0)
        if k == 0:
            continue
        if attack == "none":
            t = device_telemetry(k, window_pulses=window_pulses, receiver=receiver, seed=rng)
            xs.append(t.features)
            ys.append(t.labels)
            continue
        per = np.diff(np.linspace(0, k, len(fr) + 1).round().astype(int))
        for f, m in zip(fr, per, strict=True):
            if m == 0:
                continue
            t = device_telemetry(
                int(m),
                attack=attack,
                fraction=f,
                strength=strengths.get(attack),
                window_pulses=window_pulses,
                receiver=receiver,
                seed=rng,
            )
            xs.append(t.features)
            ys.append(t.labels)
    return np.vstack(xs), np.concatenate(ys).astype(object)


class CountermeasureBank:
    """The physical countermeasures as standardised tests, fitted on normal windows.

    ``fit`` learns each feature's mean and standard deviation on normal windows (the
    attacked ones it is given are ignored: the tests need no attack data);
    ``calibrate`` sets one threshold on the largest test statistic so that a fraction
    ``false_alarm`` of held-out normal windows raise an alarm.

    Examples
    --------
    >>> bank = CountermeasureBank()
    >>> bank
    CountermeasureBank(tests=6, fitted=False)
    """

    def __init__(self) -> None:
        self.mean_: np.ndarray | None = None
        self.std_: np.ndarray | None = None
        self.threshold_: float | None = None

    def __repr__(self) -> str:
        return f"CountermeasureBank(tests={len(COUNTERMEASURES)}, fitted={self.mean_ is not None})"

    def fit(self, X: Any, y: Any = None) -> CountermeasureBank:
        """Learn the normal mean and spread of every feature (from windows labelled "none").

        >>> X, y = telemetry_dataset({"none": 10}, seed=0)
        >>> CountermeasureBank().fit(X, y).mean_.shape
        (11,)
        """
        a = _as_features(X)
        if y is not None:
            a = a[_as_labels(y, a.shape[0]) == "none"]
        if a.shape[0] < 2:
            raise ValueError("fit needs at least two normal windows")
        self.mean_ = a.mean(axis=0)
        self.std_ = np.maximum(a.std(axis=0, ddof=1), 1e-12)
        return self

    def _check_fitted(self) -> None:
        if self.mean_ is None:
            raise ValueError("CountermeasureBank is not fitted: call fit first")

    def test_statistics(self, X: Any) -> np.ndarray:
        """Statistic of every test (columns in :data:`COUNTERMEASURES` order).

        >>> X, y = telemetry_dataset({"none": 10}, seed=0)
        >>> CountermeasureBank().fit(X).test_statistics(X).shape
        (10, 6)
        """
        self._check_fitted()
        z = (_as_features(X) - self.mean_) / self.std_
        cols = []
        for _, feats, sign, _ in COUNTERMEASURES:
            idx = [TELEMETRY_FEATURES.index(f) for f in feats]
            zz = z[:, idx]
            cols.append((np.abs(zz) if sign == 0 else sign * zz).max(axis=1))
        return np.column_stack(cols)

    def score(self, X: Any) -> np.ndarray:
        """Alarm score: the largest test statistic of each window."""
        return self.test_statistics(X).max(axis=1)

    def calibrate(self, X_normal: Any, false_alarm: float = 0.01) -> CountermeasureBank:
        """Set ``threshold_`` at the (1 − false_alarm) quantile of held-out normal scores."""
        fa = check_in_range(false_alarm, "false_alarm", 0.0, 1.0, low_inclusive=False)
        self.threshold_ = _threshold(self.score(X_normal), fa)
        return self

    def alarm(self, X: Any) -> np.ndarray:
        """True where the window raises an alarm."""
        if self.threshold_ is None:
            raise ValueError("CountermeasureBank is not calibrated: call calibrate first")
        return self.score(X) > self.threshold_

    def predict(self, X: Any) -> np.ndarray:
        """Name the attack: "none" without alarm, else by the tests that fire.

        Watchdog → trojan-horse; random efficiency, photocurrent or missing dark counts →
        blinding; the timing monitor → efficiency-mismatch when the QBER test also
        exceeds the threshold, else time-shift; the QBER test alone → intercept-resend.
        """
        stats = self.test_statistics(X)
        if self.threshold_ is None:
            raise ValueError("CountermeasureBank is not calibrated: call calibrate first")
        out = np.full(stats.shape[0], "none", dtype=object)
        top = stats.argmax(axis=1)
        fired = stats.max(axis=1) > self.threshold_
        qber_fires = stats[:, 5] > self.threshold_
        timing_fires = stats[:, 4] > self.threshold_
        names = np.array(
            ["trojan_horse", "blinding", "blinding", "blinding", "time_shift", "intercept_resend"],
            dtype=object,
        )
        out[fired] = names[top[fired]]
        both = fired & timing_fires & qber_fires
        out[both] = "efficiency_mismatch"
        return out


class AttackClassifier:
    """Random forest on the telemetry features, alarm at a calibrated 1 − P(none).

    Parameters
    ----------
    n_estimators : int, default 200
        Trees of the forest, ≥ 1.
    seed : SeedLike, optional
        Seed or generator of the forest.

    Raises
    ------
    ValueError
        If ``n_estimators`` is below 1.

    Examples
    --------
    >>> X, y = telemetry_dataset({"none": 20, "blinding": 10, "trojan_horse": 10}, seed=2)
    >>> clf = AttackClassifier(n_estimators=30, seed=0).fit(X, y)
    >>> clf.calibrate(X[y == "none"], 0.1).predict(X[y == "blinding"][:2]).tolist()
    ['blinding', 'blinding']
    """

    def __init__(self, n_estimators: int = 200, *, seed: SeedLike = None) -> None:
        self.n_estimators = check_integer(n_estimators, "n_estimators", minimum=1)
        self.seed = seed
        self.model_: Any = None
        self.classes_: np.ndarray | None = None
        self.threshold_: float | None = None

    def __repr__(self) -> str:
        return (
            f"AttackClassifier(n_estimators={self.n_estimators}, fitted={self.model_ is not None})"
        )

    def fit(self, X: Any, y: Any) -> AttackClassifier:
        """Train the forest on labelled windows (must include "none")."""
        from sklearn.ensemble import RandomForestClassifier

        a = _as_features(X)
        lab = _as_labels(y, a.shape[0])
        if "none" not in set(lab) or len(set(lab)) < 2:
            raise ValueError('y must contain "none" and at least one attack')
        rs = int(make_rng(self.seed).integers(2**31 - 1))
        self.model_ = RandomForestClassifier(
            n_estimators=self.n_estimators, min_samples_leaf=2, random_state=rs
        ).fit(a, lab.astype(str))
        self.classes_ = np.asarray(self.model_.classes_, dtype=object)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities (columns ``classes_``)."""
        if self.model_ is None:
            raise ValueError("AttackClassifier is not fitted: call fit first")
        return self.model_.predict_proba(_as_features(X))

    def score(self, X: Any) -> np.ndarray:
        """Alarm score 1 − P(none)."""
        p = self.predict_proba(X)
        return 1.0 - p[:, list(self.classes_).index("none")]

    def calibrate(self, X_normal: Any, false_alarm: float = 0.01) -> AttackClassifier:
        """Set ``threshold_`` at the (1 − false_alarm) quantile of held-out normal scores."""
        fa = check_in_range(false_alarm, "false_alarm", 0.0, 1.0, low_inclusive=False)
        self.threshold_ = _threshold(self.score(X_normal), fa)
        return self

    def alarm(self, X: Any) -> np.ndarray:
        """True where the window raises an alarm."""
        if self.threshold_ is None:
            raise ValueError("AttackClassifier is not calibrated: call calibrate first")
        return self.score(X) > self.threshold_

    def predict(self, X: Any) -> np.ndarray:
        """ "none" without alarm, else the most probable attack class."""
        alarm = self.alarm(X)
        p = self.predict_proba(X).copy()
        p[:, list(self.classes_).index("none")] = -1.0
        out = np.full(alarm.shape[0], "none", dtype=object)
        out[alarm] = self.classes_[p[alarm].argmax(axis=1)]
        return out


@dataclass(frozen=True)
class AttackDetectionReport(ResultMixin):
    """Detection and attribution of one detector on held-out windows.

    ``detection[attack]``: fraction of that attack's windows with an alarm;
    ``attribution[attack]``: fraction of them named correctly (alarm and right label);
    ``false_alarm``: alarm rate on the held-out normal windows.

    Returned by :func:`evaluate_attack_detection`.

    Parameters
    ----------
    name : str
        The detector's name.
    false_alarm : float
        Alarm rate on held-out normal windows.
    detection, attribution : dict of str to float
        Per attack, as above.

    Examples
    --------
    >>> r = AttackDetectionReport("bank", 0.1, {"blinding": 1.0, "time_shift": 0.5},
    ...                           {"blinding": 0.8, "time_shift": 0.4})
    >>> r.mean_detection, round(r.mean_attribution, 2)
    (0.75, 0.6)
    """

    name: str
    false_alarm: float
    detection: dict[str, float] = field(default_factory=dict)
    attribution: dict[str, float] = field(default_factory=dict)

    @property
    def mean_detection(self) -> float:
        return float(np.mean(list(self.detection.values())))

    @property
    def mean_attribution(self) -> float:
        return float(np.mean(list(self.attribution.values())))

    def __repr__(self) -> str:
        return (
            f"AttackDetectionReport({self.name!r}, false_alarm={self.false_alarm:.3f}, "
            f"mean_detection={self.mean_detection:.3f}, "
            f"mean_attribution={self.mean_attribution:.3f})"
        )


def evaluate_attack_detection(
    detector: Any, X_normal: Any, X: Any, y: Any, *, name: str | None = None
) -> AttackDetectionReport:
    """Detection and attribution per attack of a calibrated detector on held-out windows.

    Parameters
    ----------
    detector : object
        A calibrated detector with ``alarm(X)`` and ``predict(X)`` (e.g.
        :class:`CountermeasureBank` or :class:`AttackClassifier`).
    X_normal : array_like
        Held-out normal windows, for the false-alarm rate.
    X : array_like
        Held-out windows, (n, len(TELEMETRY_FEATURES)).
    y : array_like
        Their labels (n,).
    name : str, optional
        Name in the report (default: the detector's class name).

    Returns
    -------
    AttackDetectionReport
        Detection and attribution per attack, and the false-alarm rate.

    Raises
    ------
    ValueError
        If ``X`` or ``y`` have the wrong shape.

    Examples
    --------
    >>> X, y = telemetry_dataset({"none": 30, "trojan_horse": 6}, fractions=(1.0,), seed=4)
    >>> bank = CountermeasureBank().fit(X[:15]).calibrate(X[15:30], 0.1)
    >>> evaluate_attack_detection(bank, X[15:30], X[30:], y[30:]).detection
    {'trojan_horse': 1.0}
    """
    a = _as_features(X)
    lab = _as_labels(y, a.shape[0])
    fa = float(np.mean(detector.alarm(X_normal)))
    alarm = detector.alarm(a)
    pred = detector.predict(a)
    det, att = {}, {}
    for attack in DEVICE_ATTACKS[1:]:
        m = lab == attack
        if m.any():
            det[attack] = float(alarm[m].mean())
            att[attack] = float((pred[m] == attack).mean())
    return AttackDetectionReport(
        name=name or type(detector).__name__, false_alarm=fa, detection=det, attribution=att
    )
