"""Tests of qnetlab.ai.attack_detection: calibration to the false-alarm rate, detection
and attribution on clear cases, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from qnetlab.ai import attack_detection as ad
from qnetlab.qkd.device_attacks import DEVICE_ATTACKS, TELEMETRY_FEATURES


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(3)
    attacks = DEVICE_ATTACKS[1:]
    train = ad.telemetry_dataset(
        {"none": 60, **{a: 12 for a in attacks}}, fractions=(0.5, 1.0), seed=rng
    )
    calib = ad.telemetry_dataset({"none": 60}, seed=rng)[0]
    normal = ad.telemetry_dataset({"none": 60}, seed=rng)[0]
    test = ad.telemetry_dataset({a: 8 for a in attacks}, fractions=(0.7,), seed=rng)
    return train, calib, normal, test


def test_threshold_holds_the_false_alarm_rate_on_calibration_data(data):
    (X, y), calib, _, _ = data
    for det in (ad.CountermeasureBank().fit(X, y), ad.AttackClassifier(50, seed=0).fit(X, y)):
        det.calibrate(calib, 0.05)
        assert det.alarm(calib).mean() <= 0.05


def test_physical_tests_catch_strong_attacks_and_name_them(data):
    (X, y), calib, normal, (Xt, yt) = data
    bank = ad.CountermeasureBank().fit(X, y).calibrate(calib, 0.02)
    rep = ad.evaluate_attack_detection(bank, normal, Xt, yt)
    # At 70 % of the pulses every attack leaves a many-sigma signature.
    assert min(rep.detection.values()) > 0.9, rep.detection
    for attack in ("trojan_horse", "blinding", "time_shift", "intercept_resend"):
        assert rep.attribution[attack] > 0.8, (attack, rep.attribution)
    assert rep.false_alarm < 0.15


def test_classifier_detects_and_attributes(data):
    (X, y), calib, normal, (Xt, yt) = data
    clf = ad.AttackClassifier(100, seed=1).fit(X, y).calibrate(calib, 0.02)
    rep = ad.evaluate_attack_detection(clf, normal, Xt, yt, name="forest")
    assert rep.name == "forest" and rep.mean_detection > 0.9 and rep.mean_attribution > 0.8
    assert "mean_detection" in repr(rep)


def test_bank_ignores_attack_windows_when_fitting(data):
    (X, y), _, _, _ = data
    a = ad.CountermeasureBank().fit(X, y)
    b = ad.CountermeasureBank().fit(X[y == "none"])
    assert np.allclose(a.mean_, b.mean_) and np.allclose(a.std_, b.std_)


def test_statistics_have_one_column_per_countermeasure(data):
    (X, y), _, _, _ = data
    bank = ad.CountermeasureBank().fit(X, y)
    s = bank.test_statistics(X)
    assert s.shape == (X.shape[0], len(ad.COUNTERMEASURES))
    assert np.allclose(bank.score(X), s.max(axis=1))


def test_bad_input(data):
    (X, y), calib, _, _ = data
    with pytest.raises(ValueError, match="X must have shape"):
        ad.CountermeasureBank().fit(X[:, :3])
    with pytest.raises(ValueError, match="not fitted"):
        ad.CountermeasureBank().score(X)
    with pytest.raises(ValueError, match="not calibrated"):
        ad.CountermeasureBank().fit(X, y).alarm(X)
    with pytest.raises(ValueError, match="false_alarm"):
        ad.CountermeasureBank().fit(X, y).calibrate(calib, 0.0)
    with pytest.raises(ValueError, match="unknown labels"):
        ad.AttackClassifier(5).fit(X, np.array(["x"] * len(y), dtype=object))
    with pytest.raises(ValueError, match='"none"'):
        ad.AttackClassifier(5).fit(X[y != "none"], y[y != "none"])
    with pytest.raises(ValueError, match="not fitted"):
        ad.AttackClassifier(5).score(X)
    with pytest.raises(ValueError, match="unknown attack"):
        ad.telemetry_dataset({"laser": 3})
    with pytest.raises(TypeError, match="windows"):
        ad.telemetry_dataset([("none", 3)])
    with pytest.raises(ValueError, match="fractions"):
        ad.telemetry_dataset({"blinding": 3}, fractions=(0.0,))
    with pytest.raises(ValueError, match="finite"):
        bad = X.copy()
        bad[0, 0] = np.nan
        ad.CountermeasureBank().fit(bad)
    assert X.shape[1] == len(TELEMETRY_FEATURES)
