"""qnetlab.repeaters.chain pinned with deterministic and closed-form cases (issue 21).

Briegel, Dür, Cirac, Zoller, PRL 81, 5932 (1998) for the nested protocol; Shchukin, Schmidt,
van Loock, PRA 100, 032322 (2019) for the two-segment waiting time; Werner visibilities
multiply under swapping and decay as e^(−t/T) in a depolarising memory.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from qnetlab.channels import fiber_delay
from qnetlab.qkd import bbm92_werner_rate
from qnetlab.repeaters import chain as rc
from qnetlab.repeaters import rate_distance as rd
from qnetlab.repeaters.links import ElementaryLink

TAU = 1e-4


def link(p: float = 1.0, f: float = 1.0, length: float = 10.0, modes: int = 1):
    c = np.array([f, (1 - f) / 3, (1 - f) / 3, (1 - f) / 3])
    return ElementaryLink("test", length, p, c, TAU, modes)


def test_expected_waiting_time_pinned():
    # max of n geometrics: n = 1 → 1/p; n = 2 → (3 − 2p)/(p(2 − p)).
    for p in (0.01, 0.3, 0.9):
        assert rc.expected_waiting_time(1, p) == pytest.approx(1 / p, rel=1e-12)
        assert rc.expected_waiting_time(2, p) == pytest.approx(
            (3 - 2 * p) / (p * (2 - p)), rel=1e-12
        )
    assert rc.expected_waiting_time(5, 1.0) == 1.0
    # n > 16 uses the tail sum Σ_t [1 − (1 − (1 − p)^t)^n]: checked against a plain loop.
    for n, p in ((17, 0.5), (40, 0.2)):
        ref = math.fsum(1 - (1 - (1 - p) ** t) ** n for t in range(0, 2000))
        assert rc.expected_waiting_time(n, p) == pytest.approx(ref, rel=1e-12)
    assert rc.expected_waiting_time(16, 0.2) == pytest.approx(
        math.fsum(1 - (1 - 0.8**t) ** 16 for t in range(0, 2000)), rel=1e-9
    )
    with pytest.raises(ValueError, match="p must be in"):
        rc.expected_waiting_time(2, 0.0)
    with pytest.raises(ValueError, match="n_links"):
        rc.expected_waiting_time(0, 0.5)


def test_sample_waiting_times_edges():
    assert rc.sample_waiting_times(3, 1.0, 5, seed=0).tolist() == [1] * 5
    s = rc.sample_waiting_times(1, 0.25, 40_000, seed=1)
    assert s.min() >= 1 and abs(s.mean() - 4.0) < 4 * math.sqrt(12 / 40_000)
    # many links: samples are drawn in chunks of at most 4·10⁶ numbers
    big = rc.sample_waiting_times(3_000_000, 0.999, 3, seed=2)
    assert big.shape == (3,) and np.all(big >= 2)
    with pytest.raises(ValueError, match="n_samples"):
        rc.sample_waiting_times(2, 0.5, 0)


@pytest.mark.parametrize("p", [0.1, 0.5])
@pytest.mark.parametrize("a", [1.0, 0.5, 0.2])
def test_nested_two_segments_pinned(p, a):
    # Shchukin et al. (2019): E[T] = (3 − 2p)/(a p (2 − p)) for two segments.
    ref = (3 - 2 * p) / (a * p * (2 - p))
    assert rc.expected_waiting_time_nested(2, p, a) == pytest.approx(ref, rel=1e-9)
    pmf = rc.nested_waiting_time_pmf(2, p, a)
    assert pmf[0] == pytest.approx(0.0, abs=1e-15) and pmf.sum() == pytest.approx(1, abs=1e-9)


def test_nested_pmf_one_segment_and_four():
    pmf = rc.nested_waiting_time_pmf(1, 0.3)
    t = np.arange(1, 40)
    np.testing.assert_allclose(pmf[1:40], 0.3 * 0.7 ** (t - 1), rtol=1e-9)
    assert rc.expected_waiting_time_nested(1, 0.3) == pytest.approx(1 / 0.3, rel=1e-9)
    # four segments with deterministic swaps: max of four geometrics
    assert rc.expected_waiting_time_nested(4, 0.4) == pytest.approx(
        rc.expected_waiting_time(4, 0.4), rel=1e-9
    )
    for bad in (3, 6):
        with pytest.raises(ValueError, match="power of 2"):
            rc.nested_waiting_time_pmf(bad, 0.5)
    with pytest.raises(ValueError, match="swap_probability"):
        rc.nested_waiting_time_pmf(2, 0.5, 0.0)


@pytest.mark.parametrize("method", ["vectorised", "reference"])
def test_deterministic_chain_times_and_fidelity(method):
    # p = 1 and q = 1: every level finishes at once; the only time added is the classical
    # message of each swap, fibre delay over the block it joins (L, then 2L).
    t = rc.simulate_chain(4, link(), n_samples=3, method=method, seed=0)
    expected = TAU + fiber_delay(10.0) + fiber_delay(20.0)
    np.testing.assert_allclose(t.waiting_time, expected, rtol=1e-12)
    np.testing.assert_allclose(t.fidelity, 1.0)
    no_msg = rc.simulate_chain(
        4, link(), n_samples=3, method=method, classical_communication=False, seed=0
    )
    np.testing.assert_allclose(no_msg.waiting_time, TAU, rtol=1e-12)
    # Depolarising memory of coherence time T: each pair decays while its message travels;
    # swapping multiplies Werner visibilities: v = w1² w2, F = 1/4 + 3v/4.
    tc = 1e-4
    res = rc.simulate_chain(4, link(), n_samples=2, coherence_time_s=tc, method=method, seed=0)
    w1, w2 = math.exp(-fiber_delay(10.0) / tc), math.exp(-fiber_delay(20.0) / tc)
    np.testing.assert_allclose(res.fidelity, 0.25 + 0.75 * w1 * w1 * w2, rtol=1e-12)
    # Werner links of fidelity F: visibility (4F − 1)/3 per link, multiplied four times.
    res = rc.simulate_chain(
        4, link(f=0.95), n_samples=2, classical_communication=False, method=method, seed=0
    )
    v = (4 * 0.95 - 1) / 3
    np.testing.assert_allclose(res.fidelity, 0.25 + 0.75 * v**4, rtol=1e-12)


@pytest.mark.parametrize("method", ["vectorised", "reference"])
def test_dephasing_memory_and_purification_deterministic(method):
    # Dephasing memory: Φ+ → (1 − λ) Φ+ + λ Φ−, λ = (1 − e^(−t/T))/2, for one message delay.
    tc = 2e-4
    res = rc.simulate_chain(
        2, link(), n_samples=2, coherence_time_s=tc, memory="dephasing", method=method, seed=0
    )
    lam = (1 - math.exp(-fiber_delay(10.0) / tc)) / 2
    np.testing.assert_allclose(res.coefficients, [[1 - lam, 0, 0, lam]] * 2, rtol=1e-12)
    # One purification round on perfect pairs always succeeds, and its message adds
    # fiber_delay(L) before the swap's.
    pur = rc.simulate_chain(2, link(), n_samples=2, purification_rounds=1, method=method)
    np.testing.assert_allclose(pur.waiting_time, TAU + 2 * fiber_delay(10.0), rtol=1e-12)
    # ... and on Werner pairs it yields the DEJMPS output fidelity (no message delays).
    from qnetlab.repeaters import dejmps

    res = rc.simulate_chain(
        1,
        link(p=1.0, f=0.9),
        n_samples=4000,
        purification_rounds=1,
        method=method,
        classical_communication=False,
        seed=1,
    )
    ref, p_ok = dejmps([0.9, 0.1 / 3, 0.1 / 3, 0.1 / 3])
    np.testing.assert_allclose(res.fidelity, ref[0], rtol=1e-12)
    # rounds until success are geometric in p_ok: mean waiting TAU / p_ok
    se = TAU * math.sqrt(1 - p_ok) / p_ok / math.sqrt(4000)
    assert abs(res.mean_waiting_time - TAU / p_ok) < 4 * se


@pytest.mark.parametrize("method", ["vectorised", "reference"])
def test_swap_probability_and_zero_cutoff_means(method):
    # Deterministic links, swaps succeed with probability a: rounds of τ + message until
    # the first success, E[T] = (τ + δ)/a.
    n = 3000 if method == "vectorised" else 1500
    a = 0.25
    res = rc.simulate_chain(2, link(), swap_probability=a, n_samples=n, method=method, seed=3)
    d = TAU + fiber_delay(10.0)
    se = d * math.sqrt(1 - a) / a / math.sqrt(n)
    assert abs(res.mean_waiting_time - d / a) < 4 * se
    # Cut-off 0 with links of probability p: a round succeeds only when both links succeed
    # at the same attempt, and otherwise ends at the earlier one. E[T] = τ/p² (memoryless).
    p = 0.5
    res = rc.simulate_chain(
        2,
        link(p=p),
        cutoff=0.0,
        classical_communication=False,
        n_samples=n,
        method=method,
        seed=4,
    )
    mean = TAU / p**2
    assert abs(res.mean_waiting_time - mean) < 4 * res.waiting_time_std_error
    assert abs(res.waiting_time_std_error) < 0.1 * mean


def test_chain_result_properties():
    res = rc.simulate_chain(2, link(p=0.5, f=0.97, modes=4), n_samples=500, seed=5)
    np.testing.assert_allclose(res.attempts, res.waiting_time / TAU)
    assert res.rate == pytest.approx(1 / res.waiting_time.mean())
    assert res.mean_fidelity == pytest.approx(res.coefficients[:, 0].mean())
    sf = float(bbm92_werner_rate(res.mean_fidelity))
    assert res.secret_bits_per_pair == pytest.approx(sf)
    assert res.key_rate == pytest.approx(sf / res.waiting_time.mean())
    assert res.key_rate_per_channel_use == pytest.approx(sf / (4 * res.attempts.mean()))
    assert res.waiting_time_std_error == pytest.approx(
        res.waiting_time.std(ddof=1) / math.sqrt(500)
    )
    one = rc.simulate_chain(2, link(), n_samples=1, seed=0)
    assert one.waiting_time_std_error == math.inf
    assert repr(one).startswith("ChainResult(n_segments=2, samples=1, mean_attempts=")
    assert "method='vectorised'" in repr(one)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"n_segments": 3}, ValueError, "power of 2"),
        ({"n_segments": 0}, ValueError, "n_segments"),
        ({"link": "x"}, TypeError, "link must be an ElementaryLink, got str"),
        ({"link": link(p=0.0)}, ValueError, r"link.success_probability must be in \(0, 1\]"),
        ({"swap_probability": 0.0}, ValueError, "swap_probability"),
        ({"memory": "amnesia"}, ValueError, "memory"),
        ({"cutoff": -1.0}, ValueError, "cutoff"),
        ({"purification_rounds": -1}, ValueError, "purification_rounds"),
        ({"purification": "pumping"}, ValueError, "purification"),
        ({"n_samples": 0}, ValueError, "n_samples"),
        ({"method": "fast"}, ValueError, "method"),
        ({"max_rounds": 0}, ValueError, "max_rounds"),
        ({"coherence_time_s": 0.0}, ValueError, "coherence_time_s"),
    ],
)
def test_bad_input(kwargs, exc, match):
    args = {"n_segments": 2, "link": link(), **kwargs}
    with pytest.raises(exc, match=match):
        rc.simulate_chain(args.pop("n_segments"), args.pop("link"), **args)


def test_zero_attempt_time_is_refused():
    bad = ElementaryLink("test", 1.0, 0.5, np.array([1.0, 0, 0, 0]), 0.0)
    with pytest.raises(ValueError, match=r"link.attempt_time must be positive \(> 0\), got 0"):
        rc.simulate_chain(2, bad)


@pytest.mark.parametrize("method", ["vectorised", "reference"])
def test_max_rounds_timeout(method):
    with pytest.raises(rc.ChainTimeoutError, match="max_rounds=3"):
        rc.simulate_chain(
            2, link(p=0.01), cutoff=0.0, max_rounds=3, n_samples=5, method=method, seed=0
        )
    # exactly enough rounds is not a timeout: deterministic links need one round per level
    res = rc.simulate_chain(4, link(), max_rounds=1, n_samples=2, method=method, seed=0)
    assert res.waiting_time.size == 2


def test_rate_vs_distance_timeouts_and_validation():
    out = rd.rate_vs_distance([10.0, 400.0], 2, n_samples=50, seed=1, cutoff=0.0, max_rounds=20)
    assert out.key_rate_per_channel_use[1] == 0.0 and out.key_rate[1] == 0.0
    assert math.isnan(out.mean_fidelity[1]) and out.mean_waiting_time[1] == math.inf
    np.testing.assert_allclose(out.plob, -np.log2(1 - 10 ** (-0.2 * out.distance_km / 10)))
    assert out.n_segments == 2 and "RateDistanceResult(n_segments=2, points=2" in repr(out)
    for bad in ([-1.0], [np.nan], [[1.0, 2.0]]):
        with pytest.raises(ValueError, match="distance_km"):
            rd.rate_vs_distance(bad, 2)
    with pytest.raises(ValueError, match="n_segments"):
        rd.rate_vs_distance([1.0], 0)


def test_crossover_distance_pinned():
    d = np.array([0.0, 10.0, 20.0, 30.0])
    b = np.array([1.0, 0.1, 0.01, 0.001])
    r = np.array([0.01, 0.05, 0.05, 0.05])
    # log-linear: g = ln r − ln b crosses 0 between 10 and 20 km
    g0, g1 = math.log(0.05 / 0.1), math.log(0.05 / 0.01)
    assert rd.crossover_distance(d, r, b) == pytest.approx(10 - g0 / (g1 - g0) * 10)
    assert rd.crossover_distance(d, b * 2, b) == 0.0  # above from the start
    assert math.isnan(rd.crossover_distance(d, b / 2, b))
    assert rd.crossover_distance(d, b, b) != rd.crossover_distance(d, b, b)  # equal: never
    # a zero rate before the crossing (log −inf) gives the first point above
    assert rd.crossover_distance(d, [0.0, 0.0, 0.05, 0.05], b) == 20.0
    with pytest.raises(ValueError, match="1-D arrays of the same length"):
        rd.crossover_distance(d, r[:3], b)
    with pytest.raises(ValueError, match="1-D array"):
        rd.crossover_distance([[1.0]], [[1.0]], [[1.0]])


def test_std_error_from_two_samples():
    res = rc.simulate_chain(2, link(p=0.3), n_samples=2, seed=1)
    w = res.waiting_time
    assert res.waiting_time_std_error == pytest.approx(abs(w[0] - w[1]) / 2)


def test_expected_waiting_time_tail_sum_over_several_chunks():
    # p = 1e-5 needs more than 2^20 terms of Σ_t P(max > t): the sum runs over chunks.
    n, p = 17, 1e-5
    t = np.arange(0, 8_000_000, dtype=float)
    with np.errstate(divide="ignore"):  # t = 0: log1p(−1) = −inf, P(max > 0) = 1
        ref = float(np.sum(-np.expm1(n * np.log1p(-np.exp(t * math.log1p(-p))))))
    assert rc.expected_waiting_time(n, p) == pytest.approx(ref, rel=1e-9)
    h = sum(1 / k for k in range(1, n + 1))
    assert rc.expected_waiting_time(n, p) == pytest.approx(h / p, rel=1e-4)  # ≈ H_n / p


def test_reference_budget_is_inclusive():
    # Deterministic links (p = 1) and swaps of probability 0.7: a pair needs k rounds with
    # probability 0.3^(k-1) 0.7 (one failed swap restarts both links). The reference
    # simulator allows max_rounds · 2^(L+1) starts per pair (the first start counts): with
    # max_rounds = 1 and L = 1, a pair delivered in exactly 4 rounds is within the budget.
    lk = link()
    res = rc.simulate_chain(
        2, lk, swap_probability=0.7, max_rounds=1, n_samples=100, method="reference", seed=1
    )
    rounds = res.attempts / res.attempts.min()
    np.testing.assert_allclose(rounds, np.rint(rounds), atol=1e-9)
    assert rounds.max() == pytest.approx(4.0)  # the budget, reached and not exceeded
    # geometric: P(1 round) = 0.7, 100 samples, 4 sigma
    assert abs(np.mean(np.rint(rounds) == 1) - 0.7) < 4 * math.sqrt(0.21 / 100)


def test_swap_probability_floor_is_one_over_1000_max_rounds():
    # A swap is retried about 1/a times: below a = 1/(1000 max_rounds) the chain is refused
    # up front; at 0.7 times the floor it is refused, at the floor it runs (and times out).
    for cap in (1, 4):
        floor = 1e-3 / cap
        with pytest.raises(ValueError, match=r"swap_probability must be >= 1/\(1000"):
            rc.simulate_chain(2, link(), swap_probability=0.7 * floor, max_rounds=cap)
        with pytest.raises(rc.ChainTimeoutError):
            rc.simulate_chain(2, link(), swap_probability=floor, max_rounds=cap, seed=0)
    # no swap, no floor: a single segment ignores swap_probability
    one = rc.simulate_chain(1, link(), swap_probability=1e-6, max_rounds=1, n_samples=3)
    assert one.waiting_time.size == 3


def test_nested_pmf_tail_must_be_positive():
    # the grid is sized from log(1/tail): a zero tail (an infinite grid) is refused
    for bad in (0.0, -1e-9, 2e-3):
        with pytest.raises(ValueError, match="tail"):
            rc.nested_waiting_time_pmf(2, 0.5, 1.0, tail=bad)
    pmf = rc.nested_waiting_time_pmf(2, 0.5, 1.0, tail=1e-3)
    assert abs(pmf.sum() - 1.0) < 1e-3


def test_simulate_chain_default_sample_count():
    # the signature's default: 10,000 deliveries (standard error 1 % of the spread);
    # deterministic perfect links deliver each in one round with fidelity 1
    res = rc.simulate_chain(2, link(), seed=0)
    assert res.waiting_time.size == 10_000 and res.coefficients.shape == (10_000, 4)
    np.testing.assert_allclose(res.coefficients[:, 0], 1.0, atol=1e-12)
