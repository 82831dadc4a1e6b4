"""qnetlab.qec.experiments pinned: intervals, threshold crossings and exact enumeration.

Issue 21. Clopper & Pearson, Biometrika 26, 404 (1934) and Wilson, JASA 22, 209 (1927),
both checked against scipy.stats.binomtest's own implementation and against the beta
quantiles at α/2; the threshold fit is weighted least squares written out with numpy.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from qnetlab.qec import decoder_metrics as dm
from qnetlab.qec import experiments as ex
from qnetlab.qec.decoders import MWPMDecoder
from qnetlab.qec.stim_codes import memory_circuit

CASES = [(0, 10), (1, 10), (7, 40), (20, 40), (39, 40), (40, 40), (3, 1000), (500, 1000)]


@pytest.mark.parametrize(("k", "n"), CASES)
@pytest.mark.parametrize("conf", [0.68, 0.95, 0.99])
def test_clopper_pearson_against_scipy(k, n, conf):
    low, high = ex.binomial_interval(k, n, confidence=conf, method="clopper_pearson")
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=conf, method="exact")
    assert (low, high) == pytest.approx((ci.low, ci.high), abs=1e-12)
    # the defining tails: α/2 on each side (beta quantiles)
    alpha = 1 - conf
    if 0 < k:
        assert low == pytest.approx(stats.beta.ppf(alpha / 2, k, n - k + 1), rel=1e-12)
        assert stats.binom.sf(k - 1, n, low) == pytest.approx(alpha / 2, rel=1e-6)
    if k < n:
        assert high == pytest.approx(stats.beta.ppf(1 - alpha / 2, k + 1, n - k), rel=1e-12)
        assert stats.binom.cdf(k, n, high) == pytest.approx(alpha / 2, rel=1e-6)


@pytest.mark.parametrize(("k", "n"), CASES)
@pytest.mark.parametrize("conf", [0.68, 0.95, 0.99])
def test_wilson_against_scipy(k, n, conf):
    low, high = ex.binomial_interval(k, n, confidence=conf)
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=conf, method="wilson")
    assert low == pytest.approx(ci.low, abs=1e-12) and high == pytest.approx(ci.high, abs=1e-12)
    assert low <= k / n <= high
    assert (low == 0.0) == (k == 0) and (high == 1.0) == (k == n)


def test_interval_validation():
    with pytest.raises(ValueError, match="shots"):
        ex.binomial_interval(0, 0)
    with pytest.raises(ValueError, match="errors"):
        ex.binomial_interval(11, 10)
    with pytest.raises(ValueError, match="errors"):
        ex.binomial_interval(-1, 10)
    for conf in (0.0, 1.0):
        with pytest.raises(ValueError, match="confidence"):
            ex.binomial_interval(1, 10, confidence=conf)
    with pytest.raises(ValueError, match="method"):
        ex.binomial_interval(1, 10, method="jeffreys")


def test_estimate_threshold_pinned():
    ps = [0.01, 0.02, 0.04, 0.08]
    small = [1e-3, 4e-3, 1.6e-2, 6.4e-2]
    # g = log(large/small) = [-2, -1, 0.5, 1]: first crossing between 0.02 and 0.04
    large = [s * math.exp(g) for s, g in zip(small, (-2.0, -1.0, 0.5, 1.0))]
    t = 1 / 1.5
    ref = math.exp(math.log(0.02) + t * (math.log(0.04) - math.log(0.02)))
    assert ex.estimate_threshold(ps, small, large) == pytest.approx(ref, rel=1e-12)
    # exactly 0 at a grid point counts as the crossing (g[i] < 0 <= g[i + 1])
    at = [s * math.exp(g) for s, g in zip(small, (-2.0, -1.0, 0.0, 1.0))]
    assert ex.estimate_threshold(ps, small, at) == pytest.approx(0.04, rel=1e-12)
    assert math.isnan(ex.estimate_threshold(ps, small, [s / 2 for s in small]))
    assert math.isnan(ex.estimate_threshold(ps, small, [s * 2 for s in small]))
    # points where either rate is 0 are skipped
    zero = [0.0, *large[1:]]
    assert ex.estimate_threshold(ps, small, zero) == pytest.approx(ref, rel=1e-12)
    # ... in either curve: a 0 in the smaller code's curve is not a jump to +inf
    gap = [small[0], 0.0, *small[2:]]
    t = 2.0 / 2.5
    ref_gap = math.exp(math.log(0.01) + t * (math.log(0.04) - math.log(0.01)))
    assert ex.estimate_threshold(ps, gap, large) == pytest.approx(ref_gap, rel=1e-12)
    for bad in (([0.1], [1.0], [1.0]), ([0.1, 0.2], [1.0], [1.0, 2.0])):
        with pytest.raises(ValueError, match="1-D of the same length >= 2"):
            ex.estimate_threshold(*bad)
    for bad_ps in ([0.0, 0.1], [0.2, 0.1], [0.1, 0.1]):
        with pytest.raises(ValueError, match="positive and strictly increasing"):
            ex.estimate_threshold(bad_ps, [1, 1], [1, 1])


def result(p, errors, shots, d):
    return ex.LogicalErrorRate(
        "repetition", d, p, "code_capacity", "mwpm", 1, shots, errors, errors / shots, 0.0, 1.0
    )


def test_fit_threshold_pinned_against_weighted_least_squares():
    ps = np.array([0.05, 0.07, 0.1, 0.13, 0.16])
    ea = np.array([40, 90, 180, 300, 420])
    eb = np.array([15, 60, 170, 330, 520])
    shots = 2000
    small = [result(p, int(e), shots, 3) for p, e in zip(ps, ea)]
    large = [result(p, int(e), shots, 5) for p, e in zip(ps, eb)]
    fit = ex.fit_threshold(small, large, confidence=0.9)
    ra, rb = ea / shots, eb / shots
    x, g = np.log(ps), np.log(rb / ra)
    w = 1 / ((1 - ra) / ea + (1 - rb) / eb)
    X = np.stack([np.ones_like(x), x], axis=1)
    cov = np.linalg.inv(X.T @ (w[:, None] * X))
    a, b = cov @ X.T @ (w * g)
    xs = -a / b
    grad = np.array([-1 / b, a / b**2])  # d(−a/b)/d(a, b)
    se = math.sqrt(grad @ cov @ grad)
    z = stats.norm.ppf(0.95)
    assert fit.slope == pytest.approx(b, rel=1e-10)
    assert fit.slope_stderr == pytest.approx(math.sqrt(cov[1, 1]), rel=1e-10)
    assert fit.p == pytest.approx(math.exp(xs), rel=1e-10)
    assert fit.stderr_log == pytest.approx(se, rel=1e-8)
    assert (fit.ci_low, fit.ci_high) == pytest.approx(
        (math.exp(xs - z * se), math.exp(xs + z * se)), rel=1e-8
    )
    assert fit.chi2 == pytest.approx(float(np.sum(w * (g - a - b * x) ** 2)), rel=1e-8)
    assert fit.dof == 3 and fit.confidence == 0.9


def test_fit_threshold_validation():
    good_a = [result(p, 10, 100, 3) for p in (0.1, 0.2, 0.3)]
    good_b = [result(p, e, 100, 5) for p, e in zip((0.1, 0.2, 0.3), (5, 10, 20))]
    assert ex.fit_threshold(good_a, good_b).dof == 1
    with pytest.raises(ValueError, match="same >= 3 values of p"):
        ex.fit_threshold(good_a[:2], good_b[:2])
    with pytest.raises(ValueError, match="same >= 3 values of p"):
        ex.fit_threshold(good_a, good_b[:2])
    with pytest.raises(TypeError, match="LogicalErrorRate"):
        ex.fit_threshold([*good_a[:2], 0.3], good_b)
    with pytest.raises(ValueError, match=r"share p values, got 0\.3 and 0\.4"):
        ex.fit_threshold(good_a, [*good_b[:2], result(0.4, 20, 100, 5)])
    for bad in (0, 100):
        with pytest.raises(ValueError, match="0 < errors < shots"):
            ex.fit_threshold(good_a, [*good_b[:2], result(0.3, bad, 100, 5)])
    with pytest.raises(ValueError, match="slope <= 0"):
        ex.fit_threshold(good_a, [result(p, 5, 100, 5) for p in (0.1, 0.2, 0.3)])
    flipped = [result(p, e, 100, 3) for p, e in zip((0.3, 0.2, 0.1), (10, 10, 10))]
    with pytest.raises(ValueError, match="positive and strictly increasing"):
        ex.fit_threshold(flipped, [result(p, 10, 100, 5) for p in (0.3, 0.2, 0.1)])
    with pytest.raises(ValueError, match="confidence"):
        ex.fit_threshold(good_a, good_b, confidence=1.0)


@pytest.mark.parametrize("p", [0.01, 0.1, 0.3])
def test_exact_enumeration_of_the_repetition_code(p):
    # d = 3 code capacity: majority vote fails with 3p²(1 − p) + p³.
    c = memory_circuit("repetition", 3, p, "code_capacity", rounds=1)
    rate = ex.exact_logical_error_rate(c, MWPMDecoder.from_circuit(c))
    assert rate == pytest.approx(3 * p * p * (1 - p) + p**3, rel=1e-9)
    c5 = memory_circuit("repetition", 5, p, "code_capacity", rounds=1)
    tail = sum(math.comb(5, k) * p**k * (1 - p) ** (5 - k) for k in range(3, 6))
    assert ex.exact_logical_error_rate(c5, MWPMDecoder.from_circuit(c5)) == pytest.approx(
        tail, rel=1e-9
    )
    with pytest.raises(ValueError, match="5 error mechanisms are too many to enumerate"):
        ex.exact_logical_error_rate(c5, MWPMDecoder.from_circuit(c5), max_mechanisms=4)
    assert ex.exact_logical_error_rate(c5, MWPMDecoder.from_circuit(c5), max_mechanisms=5) > 0


def test_logical_error_rate_fields_and_sampled_value():
    r = ex.logical_error_rate(
        code="repetition",
        distance=3,
        p=0.2,
        noise="code_capacity",
        decoder="lookup",
        shots=20_000,
        seed=3,
    )
    exact = 3 * 0.04 * 0.8 + 0.008
    assert abs(r.rate - exact) < 4 * math.sqrt(exact * (1 - exact) / 20_000)
    assert (r.code, r.distance, r.p, r.noise, r.decoder, r.rounds, r.shots) == (
        "repetition",
        3,
        0.2,
        "code_capacity",
        "lookup",
        1,
        20_000,
    )
    assert r.rate == r.errors / r.shots
    assert (r.ci_low, r.ci_high) == ex.binomial_interval(r.errors, r.shots)


def test_build_decoder_choices():
    c = memory_circuit("repetition", 3, 0.1, "code_capacity", rounds=1)
    kw = {"code": "repetition", "distance": 3, "p": 0.1, "noise": "code_capacity", "rounds": 1}

    class Mine:
        def decode_batch(self, det):
            return np.zeros((len(det), 1), dtype=bool)

    mine = Mine()
    assert ex.build_decoder(mine, c, **kw) is mine
    with pytest.raises(TypeError, match="decoder must be a name or an object with decode"):
        ex.build_decoder(object(), c, **kw)
    with pytest.raises(ValueError, match="decoder"):
        ex.build_decoder("bp", c, **kw)
    assert type(ex.build_decoder("lookup", c, **kw)).__name__ == "LookupDecoder"
    assert isinstance(ex.build_decoder("mwpm", c, **kw), MWPMDecoder)
    assert isinstance(ex.build_decoder("mwpm_correlated", c, **kw), MWPMDecoder)
    for over in ({"noise": "phenomenological"}, {"rounds": 2}):
        with pytest.raises(ValueError, match="decoder 'lookup' applies only"):
            ex.build_decoder("lookup", c, **{**kw, **over})
    for over in (
        {},
        {"code": "rotated_surface", "noise": "circuit", "rounds": 2},
        {"code": "rotated_surface", "noise": "circuit", "rounds": 3, "distance": 3, "p": 0.001}
        | {"noise": "phenomenological"},
        {"code": "rotated_surface", "noise": "circuit", "rounds": 4, "distance": 4},
    ):
        with pytest.raises(ValueError, match="decoder 'neural' applies to"):
            ex.build_decoder("neural", c, **{**kw, **over})
    r = ex.logical_error_rate(
        code="repetition", distance=3, p=0.1, noise="code_capacity", decoder=mine, shots=100, seed=0
    )
    assert r.decoder == "Mine"


def test_curves_and_timing_validation():
    with pytest.raises(ValueError, match=r"distances|ps"):
        ex.logical_error_curves(
            code="repetition", distances=[], ps=[0.1], noise="code_capacity", shots=10
        )
    with pytest.raises(ValueError, match=r"distances|ps"):
        ex.logical_error_curves(
            code="repetition", distances=[3], ps=[], noise="code_capacity", shots=10
        )
    out = ex.logical_error_curves(
        code="repetition",
        distances=[3, 5],
        ps=[0.05, 0.1],
        noise="code_capacity",
        shots=200,
        seed=1,
    )
    assert sorted(out) == [3, 5] and [r.p for r in out[5]] == [0.05, 0.1]
    assert all(r.distance == d for d in out for r in out[d])

    calls = []

    class Counter:
        def decode_batch(self, det):
            calls.append(len(det))
            return np.zeros((len(det), 1), dtype=bool)

    det = np.zeros((7, 4), dtype=bool)
    assert ex.decoding_latency(Counter(), det, shots=3) >= 0
    assert calls == [1, 1, 1, 1]  # warm-up, then one shot per call
    calls.clear()
    assert ex.decoding_latency(Counter(), det, shots=50) >= 0 and len(calls) == 8
    for bad in (np.zeros((0, 4)), np.zeros(4)):
        with pytest.raises(ValueError, match="detectors must"):
            ex.decoding_latency(Counter(), bad)
    with pytest.raises(ValueError, match="shots"):
        ex.decoding_latency(Counter(), det, shots=0)
    calls.clear()
    assert ex.decoding_throughput(Counter(), det, repeats=3) > 0 and calls == [7, 7, 7]
    with pytest.raises(ValueError, match="repeats"):
        ex.decoding_throughput(Counter(), det, repeats=0)


def test_throughput_and_latency_arithmetic_with_a_fake_clock(monkeypatch):
    # A clock that advances 0.25 s per reading: every decode_batch call "takes" 0.25 s.
    ticks = iter(np.arange(0, 1000, 0.25))
    monkeypatch.setattr(dm.time, "perf_counter", lambda: float(next(ticks)))

    class Null:
        def decode_batch(self, det):
            return np.zeros((len(det), 1), dtype=bool)

    det = np.zeros((8, 3), dtype=bool)
    assert ex.decoding_throughput(Null(), det, repeats=2) == pytest.approx(8 / 0.25)
    assert ex.decoding_latency(Null(), det, shots=5) == pytest.approx(0.25)


def test_logical_error_rate_is_reproducible_with_a_seed():
    # A seed fixes the stim sampler: the same seed gives the same count (with about 60
    # expected errors in 600 shots, two independent runs agree with probability < 6%,
    # and three pairs of seeds all agreeing by chance is below 1e-3).
    kw = dict(code="rotated_surface", distance=3, p=0.06, noise="code_capacity")
    for seed in (3, 4, 5):
        a = ex.logical_error_rate(**kw, decoder="mwpm", shots=600, seed=seed)
        b = ex.logical_error_rate(**kw, decoder="mwpm", shots=600, seed=seed)
        assert a.errors == b.errors and a.errors > 0


def test_threshold_and_confidence_reject_out_of_range_inputs():
    # a physical error rate is a probability: ps above 1 is refused, not extrapolated
    with pytest.raises(ValueError, match="ps"):
        ex.estimate_threshold([0.5, 1.5], [0.1, 0.2], [0.05, 0.3])
    kw = dict(code="repetition", distance=3, p=0.1, noise="code_capacity", decoder="mwpm")
    for bad in (0, 1, np.float32(1.5)):  # not Python floats: checked on every call
        with pytest.raises(ValueError, match="confidence"):
            ex.logical_error_rate(**kw, shots=10, seed=0, confidence=bad)
    r32 = ex.logical_error_rate(**kw, shots=200, seed=0, confidence=np.float32(0.5))
    r64 = ex.logical_error_rate(**kw, shots=200, seed=0, confidence=0.5)
    assert r32.errors == r64.errors
    assert r32.ci_low == pytest.approx(r64.ci_low, abs=1e-6)
