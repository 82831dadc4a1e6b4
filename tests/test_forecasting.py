"""Forecasting operator traces (chapter III.B.2): traces from physics, baselines,
Holt-Winters (Holt 1957, Winters 1960; Hyndman & Athanasopoulos, FPP 2021, §8.3), learned
forecasters, MASE (Hyndman & Koehler 2006) and the proactive entanglement buffer."""

from __future__ import annotations

import numpy as np
import pytest

from qnetlab.ai.forecast_baselines import (
    HoltWinters,
    persistence_forecast,
    seasonal_naive_forecast,
)
from qnetlab.ai.forecast_traces import Trace, memory_trace, qber_trace, request_trace
from qnetlab.ai.forecasting import (
    BASELINES,
    METHODS,
    BufferOutcome,
    ForecastStudy,
    LagForecaster,
    buffer_policy,
    forecast_study,
)
from qnetlab.qkd.link import LinkModel

# --- traces from physics ------------------------------------------------------------------


def test_qber_trace_follows_the_link_model_at_the_drifted_misalignment():
    """e_d = e0 + sin²(κ A cos(2π(h − 15)/24)) without weather and walk; QBER from
    Ma et al. (2005) E_μ = (Y0/2 + e_d (1 − e^(−ημ))) / (Y0 + 1 − e^(−ημ)), by hand here."""
    tr = qber_trace(48, weather_c=0.0, walk_rad=0.0, check_bits=10**12, seed=0)
    h = np.arange(48)
    theta = 0.03 * 4.0 * np.cos(2 * np.pi * (h - 15) / 24)
    e_d = 0.01 + np.sin(theta) ** 2
    eta = 0.2 * 10 ** (-0.2 * 50 / 10)
    y0, mu = 1e-6, 0.5
    q = y0 + 1 - np.exp(-eta * mu)
    expected = (y0 / 2 + e_d * (1 - np.exp(-eta * mu))) / q
    np.testing.assert_allclose(tr.truth, expected, rtol=1e-9)
    np.testing.assert_allclose(tr.values, tr.truth, atol=1e-5)
    assert tr.hour.tolist()[:3] == [0, 1, 2] and tr.kind == "qber"
    # the largest misalignment at the warmest (15 h) and coolest (3 h) hours
    assert {int(np.argmax(tr.truth[:24])), int(np.argmax(tr.truth[24:]))} <= {3, 15}


def test_qber_trace_sampling_noise_is_binomial():
    tr = qber_trace(2000, check_bits=5000, seed=3)
    z = (tr.values - tr.truth) / np.sqrt(tr.truth * (1 - tr.truth) / 5000)
    assert abs(z.mean()) < 0.1 and 0.9 < z.std() < 1.1


def test_memory_trace_is_the_depolarising_decay_of_two_qubits():
    """F = 1/4 + (F0 − 1/4) exp(−2 t / T2): a pair of two qubits decays with T2/2."""
    tr = memory_trace(72, jitter=0.0, n_tests=10**12, ageing_hours=100.0, seed=0)
    t = np.arange(72)
    t2 = 0.5 * (1 - 0.15 * (1 + np.cos(2 * np.pi * (t - 14) / 24)) / 2) * np.exp(-t / 100.0)
    expected = 0.25 + (0.97 - 0.25) * np.exp(-2 * 0.1 / t2)
    np.testing.assert_allclose(tr.truth, expected, rtol=1e-12)
    assert np.all(np.diff(tr.truth[14::24]) < 0)  # ageing: each day's worst hour is worse


def test_request_trace_has_the_diurnal_profile_and_poisson_counts():
    tr = request_trace(24 * 400, mean_rate=50.0, amplitude=0.5, day_to_day=0.0, seed=1)
    prof = tr.values.reshape(-1, 24).mean(axis=0)
    expected = 50 * (1 + 0.5 * np.cos(2 * np.pi * (np.arange(24) - 19) / 24))
    assert np.max(np.abs(prof - expected) / np.sqrt(expected / 400)) < 4.5
    resid = tr.values - tr.truth
    assert abs(np.var(resid) / np.mean(tr.truth) - 1) < 0.05  # Poisson: variance = mean
    busy = request_trace(24 * 400, mean_rate=50.0, day_to_day=0.3, seed=1)
    assert abs(busy.truth.mean() / 50 - 1) < 0.1  # the day factor has mean 1
    assert np.var(busy.values - busy.truth) < np.var(busy.values)


def test_trace_repr_is_one_short_line():
    text = repr(request_trace(30, seed=0))
    assert text.startswith("Trace(kind='requests', n_hours=30") and len(text) <= 88


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: qber_trace(1), "n_hours"),
        (lambda: qber_trace(10, mu=0.0), "mu"),
        (lambda: qber_trace(10, base_misalignment=0.5), "base_misalignment"),
        (lambda: qber_trace(10, check_bits=0), "check_bits"),
        (lambda: qber_trace(10, daily_swing_c=-1.0), "daily_swing_c"),
        (lambda: memory_trace(10, daily_drop=1.0), "daily_drop"),
        (lambda: memory_trace(10, t2_s=0.0), "t2_s"),
        (lambda: memory_trace(10, f0=1.2), "f0"),
        (lambda: request_trace(10, amplitude=1.5), "amplitude"),
        (lambda: request_trace(10, peak_hour=24.0), "peak_hour"),
        (lambda: request_trace(10, mean_rate=-1.0), "mean_rate"),
    ],
)
def test_trace_arguments_are_checked(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_qber_trace_needs_a_link_model():
    with pytest.raises(TypeError, match="link must be a LinkModel"):
        qber_trace(10, link="fibre")
    short = LinkModel(length_km=5.0, detector_efficiency=0.5)
    long_ = LinkModel(length_km=100.0, detector_efficiency=0.5, dark_count_prob=1e-5)
    a = qber_trace(24, link=short, seed=0).truth.mean()
    assert a < qber_trace(24, link=long_, seed=0).truth.mean()  # dark counts add errors


# --- baselines ----------------------------------------------------------------------------


def test_persistence_and_seasonal_naive_are_aligned_on_the_target():
    y = np.arange(10.0)
    np.testing.assert_array_equal(persistence_forecast(y, 3)[3:], y[:7])
    assert np.isnan(persistence_forecast(y, 3)[:3]).all()
    # h = 5, m = 4: the same season position one full season (⌈5/4⌉ = 2 seasons) back
    sn = seasonal_naive_forecast(y, 5, period=4)
    np.testing.assert_array_equal(sn[8:], y[:2])
    assert np.isnan(sn[:8]).all()
    assert np.isnan(persistence_forecast([1.0, 2.0], 2)).all()
    assert np.isnan(seasonal_naive_forecast([1.0, 2.0], 1, period=4)).all()


@pytest.mark.parametrize(
    "call, err, match",
    [
        (lambda: persistence_forecast([1.0, np.nan], 1), ValueError, "y"),
        (lambda: persistence_forecast([1.0, 2.0], 0), ValueError, "horizon"),
        (lambda: seasonal_naive_forecast([1.0, 2.0], 1, period=0), ValueError, "period"),
        (lambda: persistence_forecast([1.0, 2.0], 1.5), TypeError, "horizon"),
    ],
)
def test_baseline_arguments_are_checked(call, err, match):
    with pytest.raises(err, match=match):
        call()


# --- Holt-Winters -------------------------------------------------------------------------


def test_holt_winters_matches_a_hand_computation():
    """Two steps of the additive recursions (FPP §8.3) with α = 0.5, β = 0.2, γ = 0.4,
    φ = 0.9, m = 2, l0 = 10, b0 = 1, s = (−1, 1), worked out by hand."""
    hw = HoltWinters(0.5, 0.2, 0.4, 2, 0.9, 10.0, 1.0, (-1.0, 1.0))
    y = np.array([9.0, 13.0, 12.0])
    # t = 0: ŷ = 10 + 0.9 + (−1) = 9.9; l = 0.5 (9 + 1) + 0.5 (10.9) = 10.45
    #        b = 0.2 (0.45) + 0.8 (0.9) = 0.81; s0 = 0.4 (9 − 10.9) + 0.6 (−1) = −1.36
    # t = 1: ŷ = 10.45 + 0.729 + 1 = 12.179; l = 0.5 (12) + 0.5 (11.179) = 11.5895
    #        b = 0.2 (1.1395) + 0.8 (0.729) = 0.8111; s1 = 0.4 (13 − 11.179) + 0.6 = 1.3284
    # t = 2: ŷ = 11.5895 + 0.9 · 0.8111 + (−1.36) = 10.95949
    np.testing.assert_allclose(hw.fitted(y), [9.9, 12.179, 10.95949], atol=1e-12)
    # two steps ahead of t = 0 (k = 0): l + (φ + φ²) b + s(0 + 2 − 2) = s0, updated at t = 0
    assert hw.forecast(y, 2)[2] == pytest.approx(10.45 + 1.71 * 0.81 - 1.36, abs=1e-12)
    assert np.isnan(hw.forecast(y, 3)).all()


def test_holt_winters_agrees_with_statsmodels():
    """Independent implementation: statsmodels' ExponentialSmoothing (damped additive trend,
    additive season, known initial states, fixed parameters)."""
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    rng = np.random.default_rng(0)
    m = 4
    y = 10 + np.tile([0.0, 2.0, 1.0, -1.0], 8) + 0.1 * np.arange(32) + rng.normal(0, 0.3, 32)
    lv, sl, s0 = HoltWinters.initial_states(y, m)
    hw = HoltWinters(0.4, 0.2, 0.3, m, 0.9, lv, sl, tuple(s0))
    ref = ExponentialSmoothing(
        y,
        trend="add",
        damped_trend=True,
        seasonal="add",
        seasonal_periods=m,
        initialization_method="known",
        initial_level=lv,
        initial_trend=sl,
        initial_seasonal=s0,
    ).fit(
        smoothing_level=0.4,
        smoothing_trend=0.2,
        smoothing_seasonal=0.3,
        damping_trend=0.9,
        optimized=False,
    )
    np.testing.assert_allclose(hw.fitted(y), ref.fittedvalues, atol=1e-10)
    ahead = [hw.forecast(np.r_[y, np.zeros(h)], h)[y.size - 1 + h] for h in (1, 2, 3, 6)]
    np.testing.assert_allclose(ahead, ref.forecast(6)[[0, 1, 2, 5]], atol=1e-10)


def test_holt_winters_fit_learns_a_season_and_beats_seasonal_naive_on_noise():
    rng = np.random.default_rng(1)
    season = np.sin(2 * np.pi * np.arange(24) / 24)
    y = 5 + np.tile(season, 20) + rng.normal(0, 0.3, 480)
    hw = HoltWinters.fit(y[:240], period=24, trend=False)
    assert hw.beta == 0.0 and hw.gamma < 0.3  # a fixed season: little seasonal smoothing
    err_hw = np.mean(np.abs(y[240:] - hw.forecast(y, 6)[240:]))
    err_sn = np.mean(np.abs(y[240:] - seasonal_naive_forecast(y, 6, 24)[240:]))
    # seasonal naive carries one day's noise (√2 σ); smoothing averages it away
    assert err_hw < 0.85 * err_sn
    assert "alpha=" in repr(hw) and len(repr(hw)) <= 88


def test_holt_winters_arguments_are_checked():
    with pytest.raises(ValueError, match="two seasons"):
        HoltWinters.initial_states(np.arange(10.0), 6)
    with pytest.raises(ValueError, match="period"):
        HoltWinters.fit(np.arange(10.0), period=1)
    with pytest.raises(ValueError, match="damping"):
        HoltWinters.fit(np.arange(48.0), period=4, damping=0.0)


# --- learned forecasters and the study ----------------------------------------------------


def test_lag_forecaster_learns_a_seasonal_signal_better_than_persistence():
    rng = np.random.default_rng(2)
    train = [request_trace(24 * 14, seed=rng) for _ in range(4)]
    test = request_trace(24 * 14, seed=rng)
    for model in ("gbm", "mlp"):
        f = LagForecaster(model, horizon=6, seed=0).fit(train)
        p = f.forecast(test)
        assert np.isnan(p[: 23 + 6]).all() and np.isfinite(p[29:]).all()
        e_model = np.mean(np.abs(test.values - p)[29:])
        e_pers = np.mean(np.abs(test.values - persistence_forecast(test.values, 6))[29:])
        assert e_model < 0.5 * e_pers
        assert "fitted" in repr(f)


def test_lag_forecaster_errors():
    f = LagForecaster("gbm", horizon=2, n_lags=4, seed=0)
    assert "not fitted" in repr(f)
    with pytest.raises(RuntimeError, match="fit"):
        f.forecast(np.arange(10.0))
    with pytest.raises(ValueError, match="n_lags \\+ horizon = 6"):
        f.fit([np.arange(5.0)])
    with pytest.raises(ValueError, match="model"):
        LagForecaster("arima")
    f.fit([np.arange(30.0)])
    assert np.isnan(f.forecast(np.arange(3.0))).all()
    with pytest.raises(ValueError, match="hour"):
        f.forecast(np.arange(10.0), hour=np.full(10, 30))


@pytest.fixture(scope="module")
def study() -> ForecastStudy:
    rng = np.random.default_rng(5)
    traces = [request_trace(24 * 12, seed=rng) for _ in range(6)]
    return forecast_study(traces[:3], traces[3:], horizons=(1, 6), history=24 * 8, seed=1)


def test_study_mase_is_the_scaled_error_computed_by_hand(study):
    """MASE (Hyndman & Koehler 2006) with the seasonal naive in-sample MAE as the scale."""
    h0 = study.history
    num, den = [], []
    for v in study.values:
        num.append(np.abs(v[h0:] - v[h0 - 24 : -24]))
        den.append(np.mean(np.abs(v[24:h0] - v[: h0 - 24])))
    expected = np.mean([n / d for n, d in zip(num, den)])
    assert study.mase("seasonal_naive", 6) == pytest.approx(expected, rel=1e-12)
    assert study.methods == METHODS and "n_methods=5" in repr(study)
    # persistence six hours ahead on a diurnal profile is far worse than yesterday's value
    assert study.mase("persistence", 6) > 2 * study.mase("seasonal_naive", 6)
    assert study.mase("gbm", 6) < study.mase("persistence", 6)
    assert study.table().splitlines()[0].split() == ["method", "h=1", "h=6"]
    best = study.best(6)
    assert best in ("seasonal_naive", "holt_winters")
    assert all(study.mase(best, 6) <= study.mase(m, 6) for m in BASELINES)
    assert study.best(6, among=("gbm", "mlp", "sarima")) in ("gbm", "mlp")
    with pytest.raises(ValueError, match="among"):
        study.best(6, among=("sarima",))


def test_study_intervals_cover_the_estimate_and_pair_the_days(study):
    lo, hi = study.interval("holt_winters", 1, seed=0)
    assert lo <= study.mase("holt_winters", 1) <= hi
    assert study.interval("gbm", 6, relative_to="gbm", seed=0) == (1.0, 1.0)
    lo, hi = study.interval("persistence", 6, relative_to="seasonal_naive", seed=0)
    assert lo > 2.0
    with pytest.raises(ValueError, match="level"):
        study.interval("gbm", 1, level=1.0)
    with pytest.raises(ValueError, match="horizon"):
        study.interval("gbm", 24)


def test_study_arguments_are_checked():
    tr = [request_trace(24 * 5, seed=s) for s in range(2)]
    with pytest.raises(TypeError, match="test"):
        forecast_study(tr, [])
    with pytest.raises(ValueError, match="same length"):
        forecast_study(tr, [tr[0], request_trace(24 * 6, seed=0)], history=72)
    with pytest.raises(ValueError, match="history"):
        forecast_study(tr, tr, history=24)
    with pytest.raises(ValueError, match="methods"):
        forecast_study(tr, tr, history=72, methods=("prophet",))
    with pytest.raises(ValueError, match="horizons"):
        forecast_study(tr, tr, history=72, horizons=())
    flat = Trace("requests", np.tile(np.arange(24.0), 5), np.zeros(120), np.arange(120) % 24)
    with pytest.raises(ValueError, match="periodic"):
        forecast_study(tr, [flat], history=72, methods=("persistence",))


# --- the proactive buffer -----------------------------------------------------------------


def test_buffer_policy_scores_the_provision_by_hand(study):
    out = buffer_policy(study, "seasonal_naive", 1, service=0.9, calibration=48)
    h0 = study.history
    y, p = study.values, study.predictions[("seasonal_naive", 1)]
    margin = np.quantile((y[:, h0 - 48 : h0] - p[:, h0 - 48 : h0]).ravel(), 0.9)
    supply = np.maximum(p[:, h0:] + margin, 0)
    d = y[:, h0:]
    assert out.margin == pytest.approx(margin)
    assert out.service_hours == pytest.approx(np.mean(d <= supply))
    assert out.unserved_fraction == pytest.approx(np.sum(np.maximum(d - supply, 0)) / d.sum())
    assert out.spare_fraction == pytest.approx(np.sum(np.maximum(supply - d, 0)) / d.sum())
    assert isinstance(out, BufferOutcome) and len(repr(out)) <= 88


def test_a_better_forecast_needs_fewer_spare_pairs(study):
    reactive = buffer_policy(study, "persistence", 6)
    proactive = buffer_policy(study, "gbm", 6)
    assert proactive.spare_fraction < 0.6 * reactive.spare_fraction
    assert min(reactive.service_hours, proactive.service_hours) > 0.85


def test_buffer_policy_arguments_are_checked(study):
    with pytest.raises(TypeError, match="ForecastStudy"):
        buffer_policy("study", "gbm", 1)
    with pytest.raises(ValueError, match="service"):
        buffer_policy(study, "gbm", 1, service=1.0)
    with pytest.raises(ValueError, match="calibration"):
        buffer_policy(study, "gbm", 1, calibration=10)
    with pytest.raises(ValueError, match="method"):
        buffer_policy(study, "arima", 1)
