"""Tests of qnetlab.qkd.telemetry (QKD link telemetry against theory) and of the detectors
and metrics of qnetlab.ai.anomaly and qnetlab.ai.anomaly_evaluation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnetlab.ai import (
    CUSUMDetector,
    Detector,
    IsolationForestDetector,
    QBERThreshold,
    SupervisedDetector,
    detection_at_false_alarm,
    detection_delay,
    detection_study,
    evaluate_detector,
    window_features,
)
from qnetlab.qkd import GYS
from qnetlab.qkd.telemetry import (
    ATTACKS,
    FEATURE_NAMES,
    LinkDrift,
    QKDTelemetry,
    qkd_telemetry,
)

LINK = GYS.with_length(25.0)
MU, NU = 0.48, 0.05
W = 1_000_000
N_SE = 4.0  # tolerance in standard errors


def _pooled(tel: QKDTelemetry, name: str, weights: np.ndarray) -> float:
    return float(np.sum(tel.column(name) * weights) / np.sum(weights))


def _honest_error(e_sig: float, eta_mu: float, y0: float) -> float:
    """E_mu of Lo-Ma-Chen (2005), Eq. for E_mu Q_mu = Y0/2 + e_sig (1 - exp(-eta mu))."""
    click = 1.0 - np.exp(-eta_mu)
    return (0.5 * y0 + e_sig * click) / (y0 + click)


@pytest.fixture(scope="module")
def honest() -> QKDTelemetry:
    return qkd_telemetry(12, window_pulses=W, link=LINK, drift=LinkDrift.none(), seed=11)


def test_honest_gains_and_qber_match_lo_ma_chen(honest: QKDTelemetry) -> None:
    # Q_mu = Y0 + 1 - exp(-eta mu) (Lo, Ma, Chen 2005, Eq. 6), independent recomputation.
    eta = 0.045 * 10 ** (-0.21 * 25.0 / 10)
    n_sig = 0.8 * W * honest.n_windows
    for name, mu, n in (("gain_signal", MU, n_sig), ("gain_decoy", NU, n_sig / 8)):
        q = 1.7e-6 + 1 - np.exp(-eta * mu)
        got = float(np.mean(honest.column(name)))
        assert abs(got - q) < N_SE * np.sqrt(q / n)
    e = _honest_error(0.033, eta * MU, 1.7e-6)
    bits = honest.sifted_signal.sum()
    got = _pooled(honest, "qber", honest.sifted_signal)
    assert abs(got - e) < N_SE * np.sqrt(e * (1 - e) / bits)
    # Both bases see the same misalignment without drift.
    z, x = np.mean(honest.column("qber_z")), np.mean(honest.column("qber_x"))
    assert abs(z - x) < N_SE * np.sqrt(2 * e * (1 - e) / (bits / 2))
    assert honest.leak_bits.sum() == 0.0 and honest.labels.sum() == 0


@pytest.mark.parametrize("fraction", [0.1, 0.4])
def test_intercept_resend_qber_is_e0_plus_f_over_4(fraction: float) -> None:
    # Intercept-resend on a fraction f (Bennett & Brassard 1984 analysis): wrong basis half
    # the time gives error 1/2, so e_sig -> e_d + f (1 - 2 e_d)/4; Eve learns f/2 per bit.
    tel = qkd_telemetry(
        10,
        window_pulses=W,
        link=LINK,
        attack="intercept_resend",
        attack_start=0,
        fraction=fraction,
        drift=LinkDrift.none(),
        seed=3,
    )
    eta = LINK.transmissivity
    e_sig = 0.033 + fraction * (1 - 2 * 0.033) / 4
    e = _honest_error(e_sig, eta * MU, 1.7e-6)
    bits = tel.sifted_signal.sum()
    got = _pooled(tel, "qber", tel.sifted_signal)
    assert abs(got - e) < N_SE * np.sqrt(e * (1 - e) / bits)
    assert abs(got - (0.033 + fraction / 4)) < 0.01 + N_SE * np.sqrt(e * (1 - e) / bits)
    leak = tel.leak_bits.sum() / bits
    assert abs(leak - fraction / 2) < 0.02


def test_cloner_qber_and_fuchs_information() -> None:
    # Phase-covariant cloner at disturbance D (Bruss et al. 2000) on a fraction f:
    # e_sig = e_d + f D (1 - 2 e_d); Eve's information on cloned bits (Fuchs et al. 1997).
    from qnetlab.qkd import fuchs_information

    f, d = 0.5, 0.1
    tel = qkd_telemetry(
        10,
        window_pulses=W,
        link=LINK,
        attack="cloner",
        attack_start=0,
        fraction=f,
        disturbance=d,
        drift=LinkDrift.none(),
        seed=4,
    )
    e = _honest_error(0.033 + f * d * (1 - 2 * 0.033), LINK.transmissivity * MU, 1.7e-6)
    bits = tel.sifted_signal.sum()
    assert abs(_pooled(tel, "qber", tel.sifted_signal) - e) < N_SE * np.sqrt(e * (1 - e) / bits)
    # Eve's information is counted per cloned sifted bit: f I(D) per sifted bit, binomial.
    leak = tel.leak_bits.sum() / bits
    i_f = fuchs_information(d)
    assert abs(leak - f * i_f) < N_SE * i_f * np.sqrt(f * (1 - f) / bits)


def test_pns_keeps_signal_qber_and_gain_but_empties_decoys(honest: QKDTelemetry) -> None:
    # Brassard et al. (2000) PNS: no polarisation disturbance and the signal click rate kept,
    # but weak decoys (mostly single photons, blocked) lose their clicks (Hwang 2003).
    tel = qkd_telemetry(
        12,
        window_pulses=W,
        link=LINK,
        attack="pns",
        attack_start=0,
        fraction=1.0,
        drift=LinkDrift.none(),
        seed=5,
    )
    e = _honest_error(0.033, LINK.transmissivity * MU, 1.7e-6)
    bits = tel.sifted_signal.sum()
    assert abs(_pooled(tel, "qber", tel.sifted_signal) - e) < N_SE * np.sqrt(e * (1 - e) / bits)
    q = LINK.gain(MU)
    assert abs(np.mean(tel.column("gain_signal")) - q) < N_SE * np.sqrt(q / (0.8 * W * 12))
    # Decoy gain under PNS: Y0 + sum_n P_nu(n) s_n (1 - (1 - eta_B)^(n')) with n' = n - 1
    # photons forwarded (prob s_m) for n >= 2 and n' = 1 (prob s_1) for n = 1.
    from scipy.stats import poisson

    from qnetlab.qkd import PhotonNumberSplitting

    s1, sm = PhotonNumberSplitting().forwarding(LINK.transmissivity, 0.045, MU)
    n = np.arange(2, 40)
    q_nu = 1.7e-6 + poisson.pmf(1, NU) * s1 * 0.045
    q_nu += np.sum(poisson.pmf(n, NU) * sm * (1 - (1 - 0.045) ** (n - 1)))
    got = float(np.mean(tel.column("gain_decoy")))
    assert abs(got - q_nu) < N_SE * np.sqrt(q_nu / (0.1 * W * 12))
    assert got < 0.7 * np.mean(honest.column("gain_decoy"))
    # Eve holds a copy of every multi-photon signal bit Bob keeps.
    assert tel.leak_bits.sum() / bits > 0.5


def test_beam_splitting_is_extra_loss_and_leaks_poisson_fraction() -> None:
    # A tap of ratio t splits Poisson(mu) into independent Poisson(t mu) and
    # Poisson((1 - t) mu): Bob's gain is that of a lossier line and Eve holds a photon of a
    # sifted bit with probability 1 - exp(-t mu).
    t = 0.3
    tel = qkd_telemetry(
        10,
        window_pulses=W,
        link=LINK,
        attack="beam_splitting",
        attack_start=0,
        fraction=t,
        drift=LinkDrift.none(),
        seed=6,
    )
    q = 1.7e-6 + 1 - np.exp(-(1 - t) * LINK.transmissivity * MU)
    assert abs(np.mean(tel.column("gain_signal")) - q) < N_SE * np.sqrt(q / (0.8 * W * 10))
    p = 1 - np.exp(-t * MU)
    bits = tel.sifted_signal.sum()
    assert abs(tel.leak_bits.sum() / bits - p) < N_SE * np.sqrt(p * (1 - p) / bits)


def test_drift_moves_the_link_and_labels_follow_attack_start() -> None:
    tel = qkd_telemetry(
        30, window_pulses=50_000, attack="intercept_resend", attack_start=12, seed=8
    )
    assert tel.labels.tolist() == [0] * 12 + [1] * 18
    assert np.std(tel.misalignment_z) > 0 and np.std(tel.loss_db) > 0
    assert not np.allclose(tel.misalignment_z, tel.misalignment_x)
    assert np.allclose(np.diff(tel.times), 50_000 / 1e9)
    assert tel.features.shape == (30, len(FEATURE_NAMES))
    assert "QKDTelemetry(n_windows=30" in repr(tel)
    flat = qkd_telemetry(5, window_pulses=50_000, drift=LinkDrift.none(), seed=1)
    assert np.all(flat.misalignment_z == GYS.misalignment)


def test_reproducible_from_seed() -> None:
    a = qkd_telemetry(4, window_pulses=50_000, attack="pns", attack_start=1, seed=21)
    b = qkd_telemetry(4, window_pulses=50_000, attack="pns", attack_start=1, seed=21)
    c = qkd_telemetry(4, window_pulses=50_000, attack="pns", attack_start=1, seed=22)
    assert np.array_equal(a.features, b.features) and np.array_equal(a.leak_bits, b.leak_bits)
    assert not np.array_equal(a.features, c.features)


@pytest.fixture(scope="module")
def study():
    return detection_study(seed=2026)


def test_detectors_beat_chance_on_qber_attacks(study) -> None:
    for attack in ("intercept_resend", "cloner"):
        for name, ev in study.evaluations[attack].items():
            assert ev.auc > 0.58, (attack, name, ev.auc)
    ir = study.evaluations["intercept_resend"]
    assert ir["CUSUM"].auc > 0.9


def test_cusum_beats_threshold_and_ml_on_small_fraction_attack(study) -> None:
    # 5 % intercept-resend, 1 % false alarms on held-out drifting normal runs: Page's CUSUM
    # integrates the small QBER shift; the per-window detectors do not (chapter III.A.3).
    thr = study.detection("intercept_resend", "QBER threshold")
    cusum = study.detection("intercept_resend", "CUSUM")
    for ml in ("Random forest", "Isolation Forest"):
        assert cusum > study.detection("intercept_resend", ml), ml
    assert cusum > thr + 0.2, (cusum, thr)
    ev = study.evaluations["intercept_resend"]["CUSUM"]
    # Equal run lengths: the pooled detection rate is the mean of the per-run rates.
    assert len(ev.run_detection) == len(study.attacked_test["intercept_resend"])
    assert np.mean(ev.run_detection) == pytest.approx(ev.detection)
    # The protocol's own abort rule (QBER > 11 %) never fires on a 5 % attack.
    runs = study.attacked_test["intercept_resend"]
    assert not any(QBERThreshold().predict(r).any() for r in runs)


def test_pns_is_invisible_to_qber(study) -> None:
    ev = study.evaluations["pns"]["QBER threshold"]
    assert ev.auc < 0.6 and ev.detection < 0.1


def test_study_table_and_leak_accounting(study) -> None:
    rows = study.table()
    assert len(rows) == len(ATTACKS) * 4
    ev = study.evaluations["intercept_resend"]["CUSUM"]
    for tel, d, leak in zip(study.attacked_test["intercept_resend"], ev.delays, ev.leaked_bits):
        stop = tel.n_windows if d is None else tel.attack_start + d + 1
        assert leak == pytest.approx(tel.leak_bits[tel.attack_start : stop].sum())
    assert {r["seen"] for r in rows} == {True, False}


def test_cusum_matches_page_recursion() -> None:
    # Page (1954): S_t = max(0, S_{t-1} + z_t - k), computed here by hand.
    normal = np.zeros((50, len(FEATURE_NAMES)))
    normal[:, 0] = np.r_[np.full(25, 0.03), np.full(25, 0.05)]
    det = CUSUMDetector(k=0.5).fit(normal)
    m, s = 0.04, np.std(normal[:, 0], ddof=1)
    xs = np.array([0.04, 0.06, 0.02, 0.08])
    test = np.zeros((4, len(FEATURE_NAMES)))
    test[:, 0] = xs
    acc, want = 0.0, []
    for x in xs:
        acc = max(0.0, acc + (x - m) / s - 0.5)
        want.append(acc)
    assert np.allclose(det.score(test), want)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.floats(0, 1), min_size=5, max_size=40),
    st.integers(1, 8),
)
def test_window_features_trailing_mean(values: list[float], context: int) -> None:
    x = np.tile(np.asarray(values)[:, None], (1, len(FEATURE_NAMES)))
    out = window_features(x, context)
    for t in range(len(values)):
        lo = max(0, t - context + 1)
        assert out[t, len(FEATURE_NAMES)] == pytest.approx(np.mean(values[lo : t + 1]))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=3, max_size=50), st.floats(0.01, 0.5))
def test_false_alarm_threshold_property(normal: list[float], fa: float) -> None:
    det, thr = detection_at_false_alarm(normal, normal, fa)
    assert det <= fa + 1.0 / len(normal) + 1e-12
    assert thr <= max(normal)


def test_window_features_rejects_strings_and_nested_junk() -> None:
    # Issue 16: a string is a Sequence of strings; it used to recurse until RecursionError.
    for bad in ("abc", b"abc", [], [[1.0, 2.0]], ["abc"], 3.0):
        with pytest.raises(TypeError, match="data must be a QKDTelemetry"):
            window_features(bad)


def test_clicks_only_has_the_per_pulse_law() -> None:
    # The click-level sampler draws, per intensity class, the numbers of pulses with a photon
    # (1 - exp(-eta mu)) and of dark-only clicks ((exp(-eta mu)) Y0): compare with the
    # multinomial expectation over many pulses.
    from qnetlab.qkd.telemetry import _clicks_only

    rng = np.random.default_rng(0)
    n, eta, y0 = 2_000_000, 0.0134, 1e-3
    mus, probs = np.array([0.48, 0.05, 0.0]), np.array([0.8, 0.1, 0.1])
    sent, cls, ph = _clicks_only(n, mus, probs, eta, y0, rng)
    assert sent.sum() == n
    for k in range(3):
        p_ph = 1 - np.exp(-eta * mus[k])
        exp_ph, exp_dark = sent[k] * p_ph, sent[k] * (1 - p_ph) * y0
        got_ph, got_dark = np.sum(ph[cls == k]), np.sum(~ph[cls == k])
        assert abs(got_ph - exp_ph) < N_SE * np.sqrt(exp_ph + 1)
        assert abs(got_dark - exp_dark) < N_SE * np.sqrt(exp_dark + 1)


def test_detection_delay() -> None:
    assert detection_delay([0, 0, 0, 1, 3], 2.0, 1) == 3
    assert detection_delay([0, 0, 0], 2.0, 1) is None


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="attack must be None or one of"):
        qkd_telemetry(3, attack="jamming")
    with pytest.raises(ValueError, match="fraction must be in"):
        qkd_telemetry(3, attack="pns", fraction=0.0)
    with pytest.raises(ValueError, match="fraction must be a probability"):
        qkd_telemetry(3, attack="pns", fraction=1.5)
    with pytest.raises(ValueError, match="attack_start needs an attack"):
        qkd_telemetry(3, attack_start=1)
    with pytest.raises(ValueError, match="attack_start must be an integer in"):
        qkd_telemetry(3, attack="pns", attack_start=3)
    with pytest.raises(ValueError, match="window_pulses must be an integer >= 10000"):
        qkd_telemetry(3, window_pulses=100)
    with pytest.raises(ValueError, match="n_windows"):
        qkd_telemetry(0)
    with pytest.raises(TypeError, match="link must be a LinkModel"):
        qkd_telemetry(3, link="GYS")
    with pytest.raises(TypeError, match="drift must be a LinkDrift"):
        qkd_telemetry(3, drift=0.1)
    with pytest.raises(ValueError, match="0 < nu < mu"):
        qkd_telemetry(3, intensities=(0.1, 0.5))
    with pytest.raises(ValueError, match="sum to 1"):
        qkd_telemetry(3, probabilities=(0.5, 0.2, 0.2))
    with pytest.raises(ValueError, match="misalignment"):
        LinkDrift(misalignment=0.3)
    with pytest.raises(ValueError, match="must be fitted"):
        CUSUMDetector().score(np.zeros((2, len(FEATURE_NAMES))))
    with pytest.raises(ValueError, match="must be fitted"):
        IsolationForestDetector().score(np.zeros((2, len(FEATURE_NAMES))))
    with pytest.raises(ValueError, match="must be fitted"):
        SupervisedDetector().score(np.zeros((2, len(FEATURE_NAMES))))
    normal = qkd_telemetry(6, window_pulses=20_000, seed=0)
    with pytest.raises(ValueError, match="both normal"):
        SupervisedDetector().fit([normal])
    with pytest.raises(ValueError, match="features must have shape"):
        window_features(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="columns must be one of"):
        window_features(normal, columns=("qber_y",))
    with pytest.raises(ValueError, match="attacked must be"):
        evaluate_detector(QBERThreshold(), normal, [normal])
    with pytest.raises(TypeError, match="normal must be"):
        evaluate_detector(QBERThreshold(), [np.zeros(3)], [normal])
    with pytest.raises(ValueError, match="non-empty"):
        detection_at_false_alarm([], [1.0])
    with pytest.raises(ValueError, match="false_alarm"):
        detection_at_false_alarm([1.0], [1.0], 1.5)
    with pytest.raises(TypeError, match="normal_scores"):
        detection_at_false_alarm(["a"], [1.0])
    with pytest.raises(ValueError, match="seen_attacks must be one of"):
        detection_study(seen_attacks=("laser",))
    with pytest.raises(ValueError, match="n_estimators"):
        detection_study(n_estimators=0)


def test_detectors_follow_scikit_learn_conventions() -> None:
    # __init__ stores its parameters as given (no validation, no RNG, no fitted state);
    # fit validates, resolves the seed and sets fitted attributes with a trailing underscore.
    normal = qkd_telemetry(12, window_pulses=20_000, seed=3)
    attacked = qkd_telemetry(
        12, window_pulses=20_000, attack="intercept_resend", fraction=1.0, attack_start=4, seed=4
    )
    detectors = [
        QBERThreshold(),
        CUSUMDetector(k=-1.0),
        IsolationForestDetector(5, seed=-3),
        SupervisedDetector(5, seed=-3),
    ]
    assert detectors[1].k == -1.0 and detectors[2].seed == -3
    for det in detectors:
        assert isinstance(det, Detector)
        assert not [a for a in vars(det) if a.endswith("_")]
    with pytest.raises(ValueError, match="k must be"):
        detectors[1].fit(normal)
    with pytest.raises(ValueError, match="seed must be a non-negative"):
        detectors[2].fit(normal)
    cusum = CUSUMDetector().fit(normal)
    iso = IsolationForestDetector(20, seed=5).fit(normal)
    forest = SupervisedDetector(20, seed=5).fit([normal, attacked])
    assert {"mean_", "std_"} <= set(vars(cusum)) and "model_" in vars(iso)
    # The same int seed gives the same fitted forest, fit after fit.
    again = IsolationForestDetector(20, seed=5).fit(normal)
    assert np.array_equal(iso.score(attacked), again.score(attacked))
    for det in (QBERThreshold(), cusum, iso, forest):
        alarms = det.predict(attacked)
        assert alarms.dtype == bool and alarms.shape == (12,)
    # A full intercept-resend (QBER ~ 25 %) trips the abort rule, CUSUM and the forest.
    assert QBERThreshold().predict(attacked)[4:].all()
    assert cusum.predict(attacked)[5:].all() and not cusum.predict(attacked)[:4].any()
    assert forest.predict(attacked)[4:].mean() > 0.5
