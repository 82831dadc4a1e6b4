"""Evaluation of QKD anomaly detectors: false-alarm thresholds, delay, leaked key, studies.

A fitted detector of :mod:`qnetlab.ai.anomaly` is scored on held-out telemetry of
:mod:`qnetlab.qkd.telemetry`: ROC AUC, detection rate at a fixed false-alarm rate, detection
delay and the key Eve learns before the alarm (:func:`evaluate_detector`);
:func:`detection_study` runs the standard experiment over every attack.

>>> detection_delay([0, 5, 0, 0, 3, 9], 2.0, 2)
2
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._validation import (
    SeedLike,
    check_choice,
    check_in_range,
    check_integer,
    check_probability,
    check_size,
    make_rng,
)
from ..plotting_results import plot_roc
from ..qkd.link import LinkModel
from ..qkd.telemetry import ATTACKS, LinkDrift, QKDTelemetry, qkd_telemetry
from ..results import ResultMixin
from .anomaly import CUSUMDetector, IsolationForestDetector, QBERThreshold, SupervisedDetector

__all__ = [
    "DetectionStudy",
    "DetectorEvaluation",
    "detection_at_false_alarm",
    "detection_delay",
    "detection_study",
    "evaluate_detector",
]


def detection_at_false_alarm(
    normal_scores: ArrayLike, attack_scores: ArrayLike, false_alarm: float = 0.01
) -> tuple[float, float]:
    """Detection rate of attacked windows at a threshold giving ``false_alarm`` on normal ones.

    The threshold is the (1 − false_alarm) quantile of ``normal_scores`` (held-out normal
    windows); returns (detection rate, threshold).

    Parameters
    ----------
    normal_scores, attack_scores : array_like
        Scores of held-out normal windows and of attacked windows.
    false_alarm : float, optional
        False-alarm rate per window, in [0, 1].

    Returns
    -------
    tuple of float
        (detection rate, threshold).

    Raises
    ------
    TypeError
        If the scores are not numbers.
    ValueError
        If a score list is empty or ``false_alarm`` is out of range.

    Examples
    --------
    >>> detection_at_false_alarm(np.arange(100.0), [50.0, 99.5, 120.0], 0.01)
    (0.6666666666666666, 98.01)
    """
    fa = check_in_range(false_alarm, "false_alarm", 0.0, 1.0)
    n = _scores(normal_scores, "normal_scores")
    a = _scores(attack_scores, "attack_scores")
    thr = float(np.quantile(n, 1.0 - fa))
    return float(np.mean(a > thr)), thr


def _scores(value: ArrayLike, name: str) -> np.ndarray:
    """Scores as a non-empty flat float array without NaN (±inf allowed), else raise."""
    try:
        x = np.asarray(value, dtype=float).ravel()
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a sequence of numbers, got {type(value).__name__}"
        ) from None
    if x.size == 0:
        raise ValueError(f"{name} must be non-empty")
    if np.any(np.isnan(x)):
        raise ValueError(f"{name} must not contain NaN (entry {int(np.argmax(np.isnan(x)))})")
    return x


def detection_delay(scores: ArrayLike, threshold: float, attack_start: int) -> int | None:
    """Windows from ``attack_start`` to the first alarm (score > threshold); None if never.

    Parameters
    ----------
    scores : array_like
        Scores of one run, in time order.
    threshold : float
        Alarm threshold.
    attack_start : int
        First attacked window.

    Returns
    -------
    int or None
        Windows from the attack start to the first alarm; None if no alarm.

    Examples
    --------
    >>> detection_delay([0, 5, 0, 0, 3, 9], 2.0, 2)
    2
    """
    s = _scores(scores, "scores")
    thr = check_in_range(threshold, "threshold", -np.inf, np.inf)
    start = check_integer(attack_start, "attack_start", minimum=0, maximum=s.size - 1)
    hits = np.flatnonzero(s[start:] > thr)
    return int(hits[0]) if hits.size else None


@dataclass(frozen=True)
class DetectorEvaluation(ResultMixin):
    """A detector on held-out telemetry (returned by :func:`evaluate_detector`).

    Parameters
    ----------
    detector : str
        The detector's name.
    auc : float
        ROC AUC, attacked vs normal windows.
    detection : float
        Detection rate at ``false_alarm`` on held-out normal windows.
    false_alarm : float
        The false-alarm rate the threshold was set for.
    threshold : float
        The threshold used.
    delays : tuple of int or None
        Windows to the first alarm per attacked run (None when never).
    leaked_bits : tuple of float
        Eve's information before and including the alarm window, per run (all attacked
        windows if never).
    roc : tuple of numpy.ndarray
        (false-alarm rates, detection rates).
    run_detection : tuple of float, optional
        Detection rate per attacked run, at the same threshold: the unit for paired
        comparisons, since windows of one run share its drift.

    Examples
    --------
    >>> ev = DetectorEvaluation("QBER threshold", 0.98, 0.9, 0.01, 0.05, (2, 4), (10.0, 30.0),
    ...                         (np.array([0.0, 1.0]), np.array([0.0, 1.0])))
    >>> ev.mean_delay, ev.detection
    (3.0, 0.9)
    """

    detector: str
    auc: float
    detection: float
    false_alarm: float
    threshold: float
    delays: tuple[int | None, ...]
    leaked_bits: tuple[float, ...]
    roc: tuple[np.ndarray, np.ndarray] = field(repr=False)
    run_detection: tuple[float, ...] = field(default=(), repr=False)

    @property
    def mean_delay(self) -> float:
        """Mean delay over runs, counting a miss as the run's length after the start."""
        return float(np.mean([np.inf if d is None else d for d in self.delays]))

    def __repr__(self) -> str:
        return (
            f"DetectorEvaluation({self.detector!r}, auc={self.auc:.3f}, "
            f"detection@{self.false_alarm:g}={self.detection:.3f}, "
            f"delays={list(self.delays)}, leaked_bits={[round(b) for b in self.leaked_bits]})"
        )

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """ROC curve with the operating point; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_roc`.
        """
        label = f"{self.detector} (AUC {self.auc:.3f})"
        point = (self.false_alarm, self.detection)
        return plot_roc(*self.roc, ax=ax, label=label, operating_point=point, **kwargs)


def evaluate_detector(
    detector: Any,
    normal: QKDTelemetry | Sequence[QKDTelemetry],
    attacked: Sequence[QKDTelemetry],
    *,
    false_alarm: float = 0.01,
) -> DetectorEvaluation:
    """Score a fitted ``detector`` on held-out ``normal`` runs and ``attacked`` runs.

    The false-alarm threshold comes from the windows of the ``normal`` runs (pool several
    runs: the drift differs from run to run). Per-window metrics pool the attacked windows of all runs; delay and leak are per run
    (each run's own timeline, so CUSUM sees the attack start as it would in service).

    Parameters
    ----------
    detector : Detector
        A fitted detector (anything with ``score``).
    normal : QKDTelemetry or sequence of QKDTelemetry
        Held-out runs without attack (they set the threshold).
    attacked : sequence of QKDTelemetry
        Held-out attacked runs.
    false_alarm : float, optional
        False-alarm rate per window.

    Returns
    -------
    DetectorEvaluation
        AUC, detection rate, threshold, delays and leaked bits.

    Raises
    ------
    TypeError
        If ``normal`` holds anything but unattacked telemetry.
    ValueError
        If ``attacked`` is empty or holds unattacked runs.

    Examples
    --------
    >>> n = qkd_telemetry(30, window_pulses=50_000, seed=1)
    >>> a = qkd_telemetry(10, window_pulses=50_000, attack="intercept_resend",
    ...                   fraction=1.0, attack_start=2, seed=2)
    >>> ev = evaluate_detector(QBERThreshold(), n, [a])
    >>> ev.detection, ev.delays
    (1.0, (0,))
    """
    from sklearn.metrics import roc_auc_score, roc_curve

    normals = [normal] if isinstance(normal, QKDTelemetry) else list(normal)
    if not normals or not all(isinstance(t, QKDTelemetry) and not t.attack for t in normals):
        raise TypeError(
            "normal must be a QKDTelemetry or a sequence of QKDTelemetry without attack"
        )
    attacked = list(attacked)
    if not attacked or not all(isinstance(t, QKDTelemetry) and t.attack for t in attacked):
        raise ValueError("attacked must be a non-empty sequence of attacked QKDTelemetry")
    s_norm = np.concatenate([detector.score(t) for t in normals])
    scores = [np.asarray(detector.score(tel), dtype=float) for tel in attacked]
    pos = [s[tel.labels == 1] for s, tel in zip(scores, attacked)]
    s_pos = np.concatenate(pos)
    det, thr = detection_at_false_alarm(s_norm, s_pos, false_alarm)
    delays, leaks = [], []
    for s, tel in zip(scores, attacked):
        assert tel.attack_start is not None
        d = detection_delay(s, thr, tel.attack_start)
        delays.append(d)
        stop = tel.n_windows if d is None else tel.attack_start + d + 1
        leaks.append(float(tel.leak_bits[tel.attack_start : stop].sum()))
    y = np.r_[np.zeros(s_norm.size), np.ones(s_pos.size)]
    sc = np.r_[s_norm, s_pos]
    fpr, tpr, _ = roc_curve(y, sc)
    return DetectorEvaluation(
        getattr(detector, "name", type(detector).__name__),
        float(roc_auc_score(y, sc)),
        det,
        float(false_alarm),
        thr,
        tuple(delays),
        tuple(leaks),
        (fpr, tpr),
        tuple(float(np.mean(p > thr)) for p in pos),
    )


class _Memo:
    """A fitted detector whose scores are cached per telemetry run (by identity)."""

    def __init__(self, detector: Any) -> None:
        self.detector = detector
        self.name = getattr(detector, "name", type(detector).__name__)
        self._cache: dict[int, tuple[Any, np.ndarray]] = {}

    def score(self, data: Any) -> np.ndarray:
        hit = self._cache.get(id(data))
        if hit is None or hit[0] is not data:
            hit = (data, self.detector.score(data))
            self._cache[id(data)] = hit
        return hit[1]


@dataclass(frozen=True)
class DetectionStudy:
    """The standard experiment of :func:`detection_study`.

    Parameters
    ----------
    evaluations
        ``{attack: {detector name: DetectorEvaluation}}`` on held-out runs.
    detectors
        the fitted detectors (threshold, CUSUM, Isolation Forest, supervised).
    normal_test
        the held-out normal runs; ``attacked_test``: ``{attack: runs}``.
    seen_attacks
        attacks in the supervised training set (the others are unseen).
    fraction, false_alarm, window_pulses
        the settings.

    Examples
    --------
    >>> ev = DetectorEvaluation("QBER threshold", 0.98, 0.9, 0.01, 0.05, (2,), (10.0,),
    ...                         (np.array([0.0, 1.0]), np.array([0.0, 1.0])))
    >>> st = DetectionStudy({"pns": {"QBER threshold": ev}}, (), (), {}, ("pns",), 0.5,
    ...                     0.01, 50_000)
    >>> st.detection("pns", "QBER threshold")
    0.9
    """

    evaluations: dict[str, dict[str, DetectorEvaluation]] = field(repr=False)
    detectors: tuple[Any, ...] = field(repr=False)
    normal_test: tuple[QKDTelemetry, ...] = field(repr=False)
    attacked_test: dict[str, tuple[QKDTelemetry, ...]] = field(repr=False)
    seen_attacks: tuple[str, ...]
    fraction: float
    false_alarm: float
    window_pulses: int

    def detection(self, attack: str, detector: str) -> float:
        """Detection rate of ``detector`` on ``attack`` at the study's false-alarm rate."""
        check_choice(attack, "attack", tuple(self.evaluations))
        check_choice(detector, "detector", tuple(self.evaluations[attack]))
        return self.evaluations[attack][detector].detection

    def table(self) -> list[dict[str, Any]]:
        """One row per (attack, detector): AUC, detection, mean delay, mean leaked bits."""
        rows = []
        for att, evs in self.evaluations.items():
            for name, ev in evs.items():
                rows.append(
                    {
                        "attack": att,
                        "seen": att in self.seen_attacks,
                        "detector": name,
                        "auc": round(ev.auc, 3),
                        f"detection@{self.false_alarm:g}": round(ev.detection, 3),
                        "mean_delay": ev.mean_delay,
                        "leaked_bits": round(float(np.mean(ev.leaked_bits)), 1),
                    }
                )
        return rows


def detection_study(
    *,
    window_pulses: int = 200_000,
    n_runs: int = 8,
    run_windows: int = 40,
    attack_start: int = 10,
    fraction: float = 0.05,
    attack_fractions: dict[str, float] | None = None,
    seen_attacks: Sequence[str] = ("intercept_resend", "pns"),
    train_fractions: Sequence[float] = (0.02, 0.04, 0.06, 0.1),
    test_runs: int = 3,
    false_alarm: float = 0.01,
    link: LinkModel | None = None,
    drift: LinkDrift | None = None,
    n_estimators: int = 300,
    seed: SeedLike = None,
) -> DetectionStudy:
    """Train the four detectors and evaluate them on held-out runs of every attack.

    Training: ``n_runs`` normal runs of ``run_windows`` windows (threshold, CUSUM and
    Isolation Forest learn from these only); the supervised detector also sees one run
    per (seen attack, training fraction). Test: ``n_runs`` fresh normal runs set the
    false-alarm threshold; ``test_runs`` runs per attack in :data:`ATTACKS`, attacked
    from window ``attack_start`` on a ``fraction`` of the pulses (``attack_fractions``
    overrides it per attack). Attacks outside ``seen_attacks`` are unseen by the
    supervised detector. ``n_estimators`` trees in each forest.

    Parameters
    ----------
    window_pulses : int, optional
        Pulses per window (>= 10⁴).
    n_runs, run_windows, attack_start, test_runs : int, optional
        Normal runs for training and for the threshold, windows per run, first attacked
        window, attacked test runs per attack.
    fraction : float, optional
        Attacked fraction of the pulses (``attack_fractions`` overrides it per attack).
    attack_fractions : dict, optional
        Per-attack fraction.
    seen_attacks : sequence of str, optional
        Attacks in the supervised training set.
    train_fractions : sequence of float, optional
        Attack fractions of the supervised training runs.
    false_alarm : float, optional
        False-alarm rate per window.
    link : LinkModel, optional
        The nominal link (default ``GYS.with_length(25)``).
    drift : LinkDrift, optional
        Benign drift (default ``LinkDrift()``).
    n_estimators : int, optional
        Trees in each forest.
    seed : int, Generator or None, optional
        One stream for all runs and detectors.

    Returns
    -------
    DetectionStudy
        Evaluations per attack and detector, the fitted detectors and the test runs.

    Raises
    ------
    ValueError
        If an argument is out of range or an attack name unknown.

    Examples
    --------
    >>> st = detection_study(window_pulses=50_000, n_runs=2, run_windows=12, attack_start=4,
    ...                      fraction=0.5, train_fractions=(0.5,), test_runs=1, seed=3)
    >>> st.detection("intercept_resend", "QBER threshold") > 0.5
    True
    """
    npulse = check_size(
        window_pulses,
        "window_pulses",
        minimum=10_000,
        maximum=10**10,
        hint="use fewer pulses per window",
    )
    nr = check_integer(n_runs, "n_runs", minimum=1)
    nw = check_integer(run_windows, "run_windows", minimum=4)
    start = check_integer(attack_start, "attack_start", minimum=1, maximum=nw - 1)
    nt = check_integer(test_runs, "test_runs", minimum=1)
    frac = check_probability(fraction, "fraction")
    fractions = {a: frac for a in ATTACKS}
    for a, f in (attack_fractions or {}).items():
        check_choice(a, "attack_fractions key", ATTACKS)
        fractions[a] = check_probability(f, f"attack_fractions[{a!r}]")
    seen = tuple(check_choice(a, "seen_attacks", ATTACKS) for a in seen_attacks)
    if not seen:
        raise ValueError("seen_attacks must name at least one attack")
    trees = check_integer(n_estimators, "n_estimators", minimum=1)
    tf = [check_probability(f, "train_fractions") for f in train_fractions]
    if not tf:
        raise ValueError("train_fractions must hold at least one fraction")
    rng = make_rng(seed)

    def run(attack: str | None = None, f: float = 0.0) -> QKDTelemetry:
        return qkd_telemetry(
            nw,
            window_pulses=npulse,
            link=link,
            attack=attack,
            attack_start=start if attack else None,
            fraction=f if attack else 0.05,
            drift=drift,
            seed=rng,
        )

    train_normal = [run() for _ in range(nr)]
    train_attacked = [run(a, f) for a in seen for f in tf]
    test_normal = tuple(run() for _ in range(nr))
    test_attacked = {a: tuple(run(a, fractions[a]) for _ in range(nt)) for a in ATTACKS}
    detectors = (
        QBERThreshold().fit(train_normal),
        CUSUMDetector().fit(train_normal),
        IsolationForestDetector(trees, seed=rng).fit(train_normal),
        SupervisedDetector(trees, seed=rng).fit(train_normal + train_attacked),
    )
    memo = [_Memo(d) for d in detectors]  # score every held-out run once per detector
    evaluations = {
        a: {d.name: evaluate_detector(d, test_normal, runs, false_alarm=false_alarm) for d in memo}
        for a, runs in test_attacked.items()
    }
    return DetectionStudy(
        evaluations,
        detectors,
        test_normal,
        test_attacked,
        seen,
        frac,
        float(false_alarm),
        npulse,
    )
