"""Tests of qnetlab.ai.faults: telemetry physics, diagnosis and forecasting.

Formula tests compare telemetry means with values computed independently here from the
papers' formulas (Barrett & Kok 2005 heralding; Werner/Bell-diagonal correlators;
Horodecki et al. 1995 CHSH criterion) and with the package's reference functions.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnetlab.ai.faults import (
    ChainModel,
    Fault,
    NetworkTelemetry,
    expected_features,
    fault_dataset,
    network_telemetry,
)
from qnetlab.ai.faults_diagnosis import (
    PhysicsDiagnoser,
    evaluate_diagnosis,
    train_diagnoser,
)
from qnetlab.ai.faults_forecast import (
    forecast_alarms,
    reactive_alarms,
)
from qnetlab.protocols import chsh_experiment, chsh_value
from qnetlab.repeaters import decay_coefficients, double_click_link, swap_bell_diagonal
from qnetlab.states import bell_diagonal_state
from qnetlab.tomography import measure_pauli, pauli_expectations

NO_JITTER = ChainModel(jitter={})


def _mean_and_se(x: np.ndarray) -> tuple[float, float]:
    return float(x.mean()), float(x.std(ddof=1) / np.sqrt(x.size))


def test_herald_and_click_rates_match_barrett_kok():
    # Barrett & Kok (2005): p = η²/2 with η = 10^(−α L/20) η_d per arm.
    m = NO_JITTER
    tel = network_telemetry(400, model=m, jitter=False, seed=1)
    eta = 10 ** (-0.2 * 25.0 / 2 / 10) * 0.9
    assert double_click_link(25.0, detector_efficiency=0.9).success_probability == pytest.approx(
        eta**2 / 2
    )
    for name, expected in (("herald_rate[link 1]", eta**2 / 2), ("click_a[link 1]", eta)):
        mean, se = _mean_and_se(tel.signal(name))
        assert abs(mean - expected) < 4 * se


def test_fiber_loss_lowers_one_arm_and_detector_both():
    m = NO_JITTER
    tel_f = network_telemetry(
        300, faults=[Fault("fiber_loss", 0, severity=3.0)], jitter=False, seed=2
    )
    tel_d = network_telemetry(
        300, faults=[Fault("detector", 0, severity=0.3)], jitter=False, seed=3
    )
    eta = 10 ** (-0.25) * 0.9
    # 3 dB on arm a halves its clicks (10^(−0.3)); arm b untouched.
    for tel, a, b in ((tel_f, eta * 10**-0.3, eta), (tel_d, 0.7 * eta, 0.7 * eta)):
        for name, expected in (("click_a[link 0]", a), ("click_b[link 0]", b)):
            mean, se = _mean_and_se(tel.signal(name))
            assert abs(mean - expected) < 4 * se
        mean, se = _mean_and_se(tel.signal("herald_rate[link 0]"))
        assert abs(mean - a * b / 2) < 4 * se
    assert m.herald_probability(extra_loss_db=3.0) == pytest.approx(eta**2 * 10**-0.3 / 2)


def _link_coefficients(v: float, fs: float, t: float, t2a: float, t2b: float) -> np.ndarray:
    c = np.array([(1 + v) / 2, 0.0, 0.0, (1 - v) / 2])
    w = (4 * fs - 1) / 3
    c = w * c + (1 - w) / 4
    return decay_coefficients(c, t, 1 / (1 / t2a + 1 / t2b), "dephasing")


def test_fidelity_follows_memory_decay():
    # F after dephasing storage t: Φ+ ↔ Φ− mixing with λ = (1 − e^(−t/T_pair))/2, 1/T_pair = Σ 1/T₂.
    m = NO_JITTER
    f = Fault("memory_t2", 1, severity=0.75)
    tel = network_telemetry(400, faults=[f], jitter=False, seed=4)
    t2 = m.t2_s
    for link, (t2a, t2b) in ((0, (t2, t2 / 4)), (3, (t2, t2))):
        c = _link_coefficients(m.visibility, m.source_fidelity, m.storage_short_s, t2a, t2b)
        # independent closed form of the same coefficient
        w = (4 * m.source_fidelity - 1) / 3
        a0, a3 = w * (1 + m.visibility) / 2 + (1 - w) / 4, w * (1 - m.visibility) / 2 + (1 - w) / 4
        lam = (1 - np.exp(-m.storage_short_s * (1 / t2a + 1 / t2b))) / 2
        assert c[0] == pytest.approx((1 - lam) * a0 + lam * a3)
        assert tel.true_fidelity[0, link] == pytest.approx(c[0])
        mean, se = _mean_and_se(tel.signal(f"fidelity[link {link}]"))
        assert abs(mean - c[0]) < 4 * se
        # memory-decay estimate: <XX>_long / <XX>_short = e^(−Δt/T_pair) (for the means)
        ratio = np.exp(-(m.storage_long_s - m.storage_short_s) * (1 / t2a + 1 / t2b))
        mean, se = _mean_and_se(tel.signal(f"coherence_ratio[link {link}]"))
        assert abs(mean - ratio) < 4 * se + 0.01  # ratio of estimates: small bias allowed


def test_chsh_matches_horodecki_for_werner_source():
    # Horodecki: S = 2√2 (4F − 1)/3 for a Werner pair (visibility 1, no memory decay).
    m = ChainModel(jitter={}, visibility=1.0, t2_s=1e6, source_fidelity=0.9)
    tel = network_telemetry(400, model=m, jitter=False, seed=5)
    expected = 2 * np.sqrt(2) * (4 * 0.9 - 1) / 3
    c = _link_coefficients(1.0, 0.9, 0.0, 1e6, 1e6)
    assert chsh_value(bell_diagonal_state(c)) == pytest.approx(expected, abs=1e-6)
    mean, se = _mean_and_se(tel.signal("chsh[link 2]"))
    assert abs(mean - expected) < 4 * se


def test_test_pair_statistics_match_cirq_measurements():
    # The fast path samples ±1 correlators from Bell-diagonal coefficients; Cirq measures
    # the same density matrix in the Pauli bases (qnetlab.tomography) and runs CHSH.
    m = NO_JITTER
    f = Fault("misalignment", 0, severity=0.2)
    tel = network_telemetry(300, faults=[f], jitter=False, seed=8)
    c = _link_coefficients(m.visibility - 0.2, m.source_fidelity, m.storage_short_s, m.t2_s, m.t2_s)
    rho = bell_diagonal_state(c)
    shots = 20000
    e = pauli_expectations(measure_pauli(rho, shots, backend="cirq", seed=9))
    for name, cirq_value in (
        ("qber_x[link 0]", (1 - e["XX"]) / 2),
        ("qber_z[link 0]", (1 - e["ZZ"]) / 2),
        ("fidelity[link 0]", (1 + e["XX"] - e["YY"] + e["ZZ"]) / 4),
    ):
        mean, se = _mean_and_se(tel.signal(name))
        se_cirq = 1 / np.sqrt(shots)  # ≥ the standard error of each Cirq estimate
        assert abs(mean - cirq_value) < 4 * np.hypot(se, se_cirq), name
    chsh = chsh_experiment(rho, shots, seed=10)
    mean, se = _mean_and_se(tel.signal("chsh[link 0]"))
    assert abs(mean - chsh.value) < 4 * np.hypot(se, chsh.std_error)


def test_swap_fidelity_and_gate_noise_match_package():
    m = NO_JITTER
    tel = network_telemetry(
        400, faults=[Fault("gate_noise", 2, severity=0.05)], jitter=False, seed=6
    )
    c = _link_coefficients(m.visibility, m.source_fidelity, m.storage_short_s, m.t2_s, m.t2_s)
    for node, g in ((2, m.gate_noise + 0.05), (1, m.gate_noise)):
        expected = swap_bell_diagonal(c, c, gate_noise=g)[0]
        mean, se = _mean_and_se(tel.signal(f"swap_fidelity[node {node}]"))
        assert abs(mean - expected) < 4 * se
    assert expected_features(m)[m.feature_names.index("swap_fidelity[node 1]")] == pytest.approx(
        swap_bell_diagonal(c, c, gate_noise=m.gate_noise)[0]
    )


def test_fault_schedule_labels_and_ramp():
    f = Fault("source", 3, start=10, ramp=20)
    tel = network_telemetry(40, faults=[f], seed=7)
    assert (tel.kind[:10] == "healthy").all() and (tel.kind[10:] == "source").all()
    assert set(tel.component[10:]) == {"link 3"}
    assert tel.label[15] == "source@link 3"
    clean = network_telemetry(40, faults=[f], jitter=False, seed=7).true_fidelity[:, 3]
    assert np.all(np.diff(clean[10:30]) < 0) and clean[35] == pytest.approx(clean[39])


def test_reproducible():
    a = network_telemetry(30, faults=[Fault("misalignment", 1, start=5)], seed=11)
    b = network_telemetry(30, faults=[Fault("misalignment", 1, start=5)], seed=11)
    np.testing.assert_array_equal(a.features, b.features)
    d1, d2 = fault_dataset(3, seed=12), fault_dataset(3, seed=12)
    np.testing.assert_array_equal(d1.features, d2.features)
    np.testing.assert_array_equal(d1.label, d2.label)
    assert not np.array_equal(a.features, network_telemetry(30, seed=13).features)


@pytest.fixture(scope="module")
def diagnosis():
    train = fault_dataset(60, seed=21)
    test = fault_dataset(40, seed=22)
    base = PhysicsDiagnoser().fit(network_telemetry(400, seed=23))
    clf = train_diagnoser(train, method="random_forest", seed=24)
    return test, base, clf


def test_ml_beats_physics_baseline_and_chance(diagnosis):
    test, base, clf = diagnosis
    ml = evaluate_diagnosis(test.label, clf.predict(test.features))
    bl = evaluate_diagnosis(test.label, base.diagnose(test.features))
    chance = 1 / 25
    assert bl.accuracy > 10 * chance and ml.accuracy > 10 * chance
    # Seeded result: random forest ≈ 0.77, matched-signature baseline ≈ 0.65.
    assert ml.accuracy > bl.accuracy + 0.05
    assert ml.confusion.sum() == test.n_windows
    assert np.trace(ml.confusion) == round(ml.accuracy * test.n_windows)


def test_baseline_is_calibrated_and_localises_big_faults(diagnosis):
    _, base, _ = diagnosis
    healthy = network_telemetry(500, seed=25)
    assert base.detect(healthy.features).mean() < 0.04  # calibrated at 1 %
    for f in (Fault("fiber_loss", 2), Fault("memory_t2", 2), Fault("gate_noise", 1, severity=0.1)):
        tel = network_telemetry(30, faults=[f], seed=26)
        hit = np.mean(base.diagnose(tel.features) == f"{f.kind}@{f.component}")
        assert hit > 0.7, f


def test_forecaster_leads_on_ramps_without_false_alarms_on_healthy():
    ramp = Fault("memory_t2", 2, start=60, ramp=200, severity=0.9)
    leads_f, leads_r = [], []
    for s in range(6):
        tel = network_telemetry(300, faults=[ramp], seed=100 + s)
        y, truth = tel.signal("fidelity[link 2]"), tel.true_fidelity[:, 2]
        f = forecast_alarms(y, 0.9, history=40, horizon=30, truth=truth)
        r = reactive_alarms(y, 0.9, truth=truth, horizon=30)
        assert f.crossing > 200
        leads_f.append(f.lead_windows)
        leads_r.append(r.lead_windows)
    assert np.nanmedian(leads_f) > 5
    assert np.nanmean(leads_f) > np.nanmean(leads_r)
    healthy = network_telemetry(600, seed=120).signal("fidelity[link 2]")
    assert forecast_alarms(healthy, 0.9, history=40, horizon=30).false_alarms == 0


@settings(max_examples=15, deadline=None)
@given(slope=st.floats(0.0005, 0.01), thr=st.floats(0.6, 0.9))
def test_forecast_on_noise_free_lines_warns_before_crossing(slope, thr):
    y = np.r_[np.full(40, 0.95), 0.95 - slope * np.arange(1, 200)]
    r = forecast_alarms(y, thr, history=10, horizon=15, confirm=1, truth=y)
    if r.crossing >= 0:
        assert r.lead_windows >= 14 or r.first_alarm <= 49
        assert r.false_alarms == 0 or r.crossing - 15 < 49


def test_bad_inputs():
    with pytest.raises(ValueError, match="kind"):
        Fault("bad_kind", 0)
    with pytest.raises(ValueError, match="location"):
        network_telemetry(5, faults=[Fault("source", 9)])
    with pytest.raises(ValueError, match="location"):
        network_telemetry(5, faults=[Fault("gate_noise", 0)])  # end nodes do not swap
    with pytest.raises(TypeError, match="faults"):
        network_telemetry(5, faults=["source"])
    with pytest.raises(ValueError, match="n_windows"):
        network_telemetry(0)
    with pytest.raises(TypeError, match="seed"):
        network_telemetry(3, seed=1.5)
    with pytest.raises(ValueError, match="n_links"):
        ChainModel(n_links=1)
    with pytest.raises(ValueError, match="storage_long_s"):
        ChainModel(storage_long_s=1e-4, storage_short_s=1e-3)
    with pytest.raises(ValueError, match="severity_range"):
        fault_dataset(2, severity_range=(1.0, 0.5))
    with pytest.raises(ValueError, match="method"):
        train_diagnoser(fault_dataset(1, seed=0), method="svm")
    with pytest.raises(RuntimeError, match="fit"):
        PhysicsDiagnoser().diagnose(np.zeros((1, 38)))
    with pytest.raises(ValueError, match="features"):
        PhysicsDiagnoser().fit(network_telemetry(20, seed=0)).diagnose(np.zeros((1, 5)))
    with pytest.raises(ValueError, match="layout"):
        PhysicsDiagnoser().fit(network_telemetry(20, model=ChainModel(n_links=3), seed=0))
    with pytest.raises(ValueError, match="name"):
        network_telemetry(2, seed=0).signal("nonsense")
    with pytest.raises(ValueError, match="series"):
        forecast_alarms([0.9], 0.5)
    with pytest.raises(ValueError, match="history"):
        forecast_alarms(np.ones(10), 0.5, history=1)
    with pytest.raises(ValueError, match="truth"):
        reactive_alarms(np.ones(10), 0.5, truth=np.ones(3))
    with pytest.raises(ValueError, match="truth and predicted"):
        evaluate_diagnosis(["a"], ["a", "b"])
    assert isinstance(network_telemetry(2, seed=0), NetworkTelemetry)
    assert "NetworkTelemetry(n_windows=2" in repr(network_telemetry(2, seed=0))
