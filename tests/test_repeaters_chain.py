"""Tests of qnetlab.repeaters.chain: waiting times, fidelities and rates of repeater chains.

Monte Carlo means are compared with exact values within 3 standard errors (fixed seeds);
the vectorised simulator is compared with the event-by-event reference and, for two
segments, with Cirq density matrices.
"""

from __future__ import annotations

import math

import cirq
import numpy as np
import pytest
from scipy.optimize import brentq

from qnetlab.channels import fiber_delay
from qnetlab.qkd import bbm92_werner_rate, repeaterless_bound
from qnetlab.repeaters import (
    ChainTimeoutError,
    crossover_distance,
    double_click_link,
    elementary_link,
    expected_waiting_time,
    expected_waiting_time_nested,
    nested_waiting_time_pmf,
    rate_vs_distance,
    sample_waiting_times,
    simulate_chain,
    swap_circuit,
)
from qnetlab.states import bell_state, fidelity, partial_trace, werner_state

Z = 3.0  # standard errors allowed for a Monte Carlo mean


def _series_max_geometric(n: int, p: float) -> float:
    """E[max of n geometrics] = Σ_{t≥0} P(max > t), summed directly."""
    t = np.arange(0, 200_000)
    return float(np.sum(1.0 - (1.0 - (1.0 - p) ** t) ** n))


def _z(a: np.ndarray, b: np.ndarray) -> float:
    se = math.hypot(a.std(ddof=1) / math.sqrt(a.size), b.std(ddof=1) / math.sqrt(b.size))
    return abs(a.mean() - b.mean()) / se


# --- Exact waiting times ---------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 16, 17, 32])
@pytest.mark.parametrize("p", [0.02, 0.3, 0.9])
def test_expected_waiting_time_equals_tail_sum(n: int, p: float) -> None:
    assert expected_waiting_time(n, p) == pytest.approx(_series_max_geometric(n, p), rel=1e-9)


def test_expected_waiting_time_small_cases() -> None:
    p = 0.17
    assert expected_waiting_time(1, p) == pytest.approx(1 / p)
    # Two links: E[max] = (3 - 2p) / (p (2 - p)).
    assert expected_waiting_time(2, p) == pytest.approx((3 - 2 * p) / (p * (2 - p)))
    assert expected_waiting_time(7, 1.0) == 1.0
    # For small p, E[max] ≈ H_n / p (harmonic number).
    h8 = sum(1 / k for k in range(1, 9))
    assert expected_waiting_time(8, 1e-4) * 1e-4 == pytest.approx(h8, rel=1e-3)


@pytest.mark.parametrize("n, p", [(1, 0.1), (2, 0.05), (4, 0.2), (8, 0.01), (64, 0.3)])
def test_sample_waiting_times_mean_within_3_standard_errors(n: int, p: float) -> None:
    t = sample_waiting_times(n, p, 40_000, seed=11)
    assert t.dtype.kind == "i" and t.min() >= 1
    se = t.std(ddof=1) / math.sqrt(t.size)
    assert abs(t.mean() - expected_waiting_time(n, p)) < Z * se


def test_nested_pmf_two_segments_matches_shchukin_2019() -> None:
    # Shchukin, Schmidt, van Loock, PRA 100, 032322 (2019): two segments with swap
    # probability a: K = (3 - 2p) / (a p (2 - p)).
    for p, a in [(0.1, 0.5), (0.3, 0.8), (0.05, 1.0)]:
        assert expected_waiting_time_nested(2, p, a) == pytest.approx(
            (3 - 2 * p) / (a * p * (2 - p)), rel=1e-9
        )


@pytest.mark.parametrize("n_segments", [1, 2, 4, 8])
def test_nested_with_deterministic_swaps_is_max_of_geometrics(n_segments: int) -> None:
    pmf = nested_waiting_time_pmf(n_segments, 0.2, 1.0)
    assert pmf.sum() == pytest.approx(1.0, abs=1e-10)
    t = np.arange(pmf.size)
    cdf_exact = (1 - 0.8**t) ** n_segments
    assert np.allclose(np.cumsum(pmf)[:200], cdf_exact[:200], atol=1e-10)
    assert expected_waiting_time_nested(n_segments, 0.2) == pytest.approx(
        expected_waiting_time(n_segments, 0.2), rel=1e-9
    )


def test_nested_wald_identity() -> None:
    # T_k = Σ_{j ≤ N} M_j with N ~ Geometric(a): E[T_k] = E[M_k] / a (Wald).
    p, a = 0.25, 0.6
    pmf2 = nested_waiting_time_pmf(2, p, a)
    cdf = np.cumsum(pmf2)
    e_max = float(np.sum(1 - cdf**2))
    assert expected_waiting_time_nested(4, p, a) == pytest.approx(e_max / a, rel=1e-8)


# --- Monte Carlo against exact -----------------------------------------------------------------


@pytest.mark.parametrize(
    "n_segments, p, q", [(2, 0.1, 0.5), (4, 0.2, 0.5), (8, 0.3, 0.7), (4, 0.15, 1.0), (8, 0.1, 1.0)]
)
def test_vectorised_chain_mean_within_3_standard_errors_of_exact(
    n_segments: int, p: float, q: float
) -> None:
    res = simulate_chain(
        n_segments, elementary_link(p), swap_probability=q, n_samples=20_000, seed=7
    )
    exact = expected_waiting_time_nested(n_segments, p, q)
    assert abs(res.attempts.mean() - exact) < Z * res.waiting_time_std_error
    if q == 1.0:
        assert np.all(res.attempts == np.round(res.attempts))  # whole attempts


@pytest.mark.parametrize("n_segments, p, q", [(2, 0.2, 0.5), (4, 0.3, 0.6)])
def test_reference_chain_mean_within_3_standard_errors_of_exact(
    n_segments: int, p: float, q: float
) -> None:
    res = simulate_chain(
        n_segments,
        elementary_link(p),
        swap_probability=q,
        n_samples=1500,
        method="reference",
        seed=8,
    )
    exact = expected_waiting_time_nested(n_segments, p, q)
    assert abs(res.attempts.mean() - exact) < Z * res.waiting_time_std_error


@pytest.mark.parametrize(
    "n_segments, options",
    [
        (4, dict(coherence_time_s=20.0, cutoff=4.0, swap_probability=0.8)),
        (
            2,
            dict(
                coherence_time_s=30.0,
                purification_rounds=1,
                memory="dephasing",
                swap_gate_noise=0.01,
            ),
        ),
        (2, dict(coherence_time_s=15.0, cutoff=3.0, purification_rounds=1, purification="bbpssw")),
        (4, dict(coherence_time_s=25.0, swap_probability=0.5, swap_measurement_noise=0.01)),
    ],
)
def test_vectorised_agrees_with_event_by_event_reference(n_segments: int, options: dict) -> None:
    link = elementary_link(0.3, fidelity=0.95, attempt_time=1.0)
    v = simulate_chain(n_segments, link, n_samples=20_000, seed=21, **options)
    r = simulate_chain(n_segments, link, n_samples=1500, seed=22, method="reference", **options)
    assert _z(v.waiting_time, r.waiting_time) < Z
    assert _z(v.fidelity, r.fidelity) < Z
    assert v.mean_fidelity < 0.95  # memory decay and swaps cost fidelity


def test_vectorised_agrees_with_reference_with_classical_messages() -> None:
    link = double_click_link(50.0)  # 0.25 ms attempts, messages of 0.25-0.5 ms
    opts = dict(coherence_time_s=0.05, cutoff=0.01, swap_probability=0.5)
    v = simulate_chain(4, link, n_samples=8_000, seed=31, **opts)
    r = simulate_chain(4, link, n_samples=600, seed=32, method="reference", **opts)
    assert _z(v.waiting_time, r.waiting_time) < Z
    assert _z(v.fidelity, r.fidelity) < Z


def test_classical_messages_add_their_delays() -> None:
    # Deterministic swaps: T = max of the link times + Σ_k delay(2^{k-1} segments).
    link = double_click_link(25.0)
    with_msgs = simulate_chain(8, link, n_samples=500, seed=3)
    without = simulate_chain(8, link, n_samples=500, seed=3, classical_communication=False)
    extra = fiber_delay(25.0) + fiber_delay(50.0) + fiber_delay(100.0)
    assert np.allclose(with_msgs.waiting_time - without.waiting_time, extra)


def test_two_segment_chain_fidelity_matches_cirq_density_matrices() -> None:
    # Two segments, deterministic swap, depolarising memories. The earlier pair waits
    # D = |G1 - G2| attempts: P(D=0) = p/(2-p), P(D=d) = 2p(1-p)^d/(2-p). For every d the
    # delivered state is computed with Cirq (memory as a depolarising channel on one
    # qubit, then the Bell-measurement circuit) and averaged with these weights.
    p, f0, tc = 0.3, 0.95, 8.0
    circuit, qubits = swap_circuit()
    a = qubits[0]
    sim = cirq.DensityMatrixSimulator(dtype=np.complex128)
    initial = np.kron(werner_state(f0), werner_state(f0))
    exact, total_weight = 0.0, 0.0
    for d in range(0, 90):
        weight = p / (2 - p) if d == 0 else 2 * p * (1 - p) ** d / (2 - p)
        p_dep = 0.75 * (1 - np.exp(-d / tc))
        full = cirq.Circuit(cirq.depolarize(p_dep).on(a)) + circuit
        rho = sim.simulate(
            full, qubit_order=list(qubits), initial_state=initial
        ).final_density_matrix
        exact += weight * fidelity(partial_trace(np.asarray(rho), [0, 3]), bell_state("phi+"))
        total_weight += weight
    assert total_weight == pytest.approx(1.0, abs=1e-12)
    res = simulate_chain(
        2, elementary_link(p, fidelity=f0), coherence_time_s=tc, n_samples=40_000, seed=5
    )
    se = res.fidelity.std(ddof=1) / math.sqrt(res.fidelity.size)
    assert abs(res.mean_fidelity - exact) < Z * se


def test_purification_in_chain_raises_fidelity() -> None:
    link = elementary_link(0.5, fidelity=0.85)
    plain = simulate_chain(4, link, n_samples=4000, seed=1)
    purified = simulate_chain(4, link, purification_rounds=2, n_samples=4000, seed=1)
    assert purified.mean_fidelity > plain.mean_fidelity + 0.05
    assert purified.mean_waiting_time > plain.mean_waiting_time


def test_cutoff_trades_rate_for_fidelity() -> None:
    link = elementary_link(0.05, fidelity=0.98)
    loose = simulate_chain(4, link, coherence_time_s=50.0, n_samples=4000, seed=2)
    tight = simulate_chain(4, link, coherence_time_s=50.0, cutoff=10.0, n_samples=4000, seed=2)
    assert tight.mean_fidelity > loose.mean_fidelity
    assert tight.mean_waiting_time > loose.mean_waiting_time
    assert np.all(tight.fidelity >= 0.25)


# --- Key rate and PLOB --------------------------------------------------------------------------


def test_key_rate_uses_bbm92_on_mean_fidelity() -> None:
    res = simulate_chain(2, double_click_link(40.0, visibility=0.97), n_samples=3000, seed=4)
    assert res.secret_bits_per_pair == pytest.approx(bbm92_werner_rate(res.mean_fidelity))
    assert res.key_rate == pytest.approx(res.secret_bits_per_pair / res.mean_waiting_time)
    assert res.key_rate_per_channel_use == pytest.approx(
        res.secret_bits_per_pair / res.attempts.mean()
    )


def test_chain_beats_plob_beyond_crossover_and_direct_link_never_does() -> None:
    d = np.linspace(20, 600, 30)
    direct = rate_vs_distance(
        d, 1, n_samples=2000, seed=1, link_options=dict(detector_efficiency=1.0)
    )
    assert np.all(direct.key_rate_per_channel_use < direct.plob)
    assert math.isnan(direct.crossover_km)
    chain = rate_vs_distance(d, 4, n_samples=2000, seed=1, classical_communication=False)
    x = chain.crossover_km
    assert 50 < x < 400
    beyond = d > x + 20
    assert np.all(chain.key_rate_per_channel_use[beyond] > chain.plob[beyond])
    assert np.all(chain.key_rate_per_channel_use[d < x - 20] < chain.plob[d < x - 20])


def test_two_segment_crossover_matches_exact_rate() -> None:
    # Perfect pairs (secret fraction 1), deterministic swaps, perfect memories, no
    # message delays: the rate per channel use is 1 / E[max of two geometrics]; solve
    # rate = PLOB exactly. (The swap's message would add about 3 km to the crossover.)
    def exact_gap(length: float) -> float:
        p = double_click_link(length / 2, detector_efficiency=1.0).success_probability
        return math.log(1 / expected_waiting_time(2, p)) - math.log(repeaterless_bound(length))

    x_exact = brentq(exact_gap, 10.0, 400.0)
    d = np.linspace(x_exact - 20, x_exact + 20, 9)
    res = rate_vs_distance(
        d,
        2,
        n_samples=40_000,
        seed=2,
        classical_communication=False,
        link_options=dict(detector_efficiency=1.0),
    )
    assert res.crossover_km == pytest.approx(x_exact, abs=1.0)


def test_crossover_distance_interpolates() -> None:
    d = [0.0, 100.0, 200.0]
    assert crossover_distance(d, [1e-3, 1e-3, 1e-3], [1e-1, 1e-3 / np.e, 1e-5]) == pytest.approx(
        0.0 + 100.0 * (np.log(100)) / (np.log(100) + 1.0)
    )
    assert math.isnan(crossover_distance(d, [1, 1, 1], [2, 2, 2]))
    assert crossover_distance(d, [3, 3, 3], [2, 2, 2]) == 0.0


def test_same_seed_same_result() -> None:
    link = elementary_link(0.2, fidelity=0.9)
    a = simulate_chain(4, link, coherence_time_s=10.0, n_samples=300, seed=9)
    b = simulate_chain(4, link, coherence_time_s=10.0, n_samples=300, seed=9)
    assert np.array_equal(a.waiting_time, b.waiting_time)
    assert np.array_equal(a.fidelity, b.fidelity)
    assert "ChainResult(n_segments=4" in repr(a)


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: expected_waiting_time(0, 0.5), ValueError, "n_links must be an integer >= 1"),
        (lambda: expected_waiting_time(2, 0.0), ValueError, r"p must be in \(0, 1\]"),
        (lambda: expected_waiting_time(2, 1.5), ValueError, r"p must be in \(0, 1\]"),
        (lambda: expected_waiting_time(2.0, 0.5), TypeError, "n_links must be an integer"),
        (lambda: sample_waiting_times(3, -0.1, 10), ValueError, r"p must be in \(0, 1\]"),
        (lambda: sample_waiting_times(0, 0.5, 10), ValueError, "n_links must be an integer >= 1"),
        (lambda: sample_waiting_times(3, 0.5, 0), ValueError, "n_samples must be an integer >= 1"),
        (
            lambda: expected_waiting_time_nested(3, 0.5),
            ValueError,
            "n_segments must be a power of 2",
        ),
        (
            lambda: expected_waiting_time_nested(2, 0.5, 0.0),
            ValueError,
            r"swap_probability must be in \(0, 1\]",
        ),
        (
            lambda: simulate_chain(6, elementary_link(0.5)),
            ValueError,
            "n_segments must be a power of 2",
        ),
        (
            lambda: simulate_chain(0, elementary_link(0.5)),
            ValueError,
            "n_segments must be an integer >= 1",
        ),
        (
            lambda: simulate_chain(2, elementary_link(0.5), cutoff=-1.0),
            ValueError,
            "cutoff must be non-negative",
        ),
        (
            lambda: simulate_chain(2, elementary_link(0.5), coherence_time_s=-2.0),
            ValueError,
            "coherence_time_s must be positive",
        ),
        (
            lambda: simulate_chain(2, elementary_link(0.5), swap_probability=1.2),
            ValueError,
            r"swap_probability must be in \(0, 1\]",
        ),
        (
            lambda: simulate_chain(2, elementary_link(0.5), method="fast"),
            ValueError,
            "method must be one of",
        ),
        (
            lambda: simulate_chain(2, elementary_link(0.5), memory="amplitude"),
            ValueError,
            "memory must be one of",
        ),
        (
            lambda: simulate_chain(2, elementary_link(0.5, attempt_time=0.0)),
            ValueError,
            "attempt_time must be positive",
        ),
        (lambda: simulate_chain(2, 0.5), TypeError, "link must be an ElementaryLink"),
        (lambda: rate_vs_distance([-10.0], 2), ValueError, "distance_km must be non-negative"),
        (lambda: crossover_distance([1, 2], [1, 2, 3], [1, 2]), ValueError, "same length"),
    ],
)
def test_chain_bad_input(call, exc, match: str) -> None:
    with pytest.raises(exc, match=match):
        call()


def test_cutoff_that_never_delivers_raises_timeout() -> None:
    link = elementary_link(1e-4)
    with pytest.raises(ChainTimeoutError, match="max_rounds"):
        simulate_chain(2, link, cutoff=0.0, n_samples=50, max_rounds=200, seed=1)
    # rate_vs_distance reports a zero rate instead.
    r = rate_vs_distance([900.0], 2, cutoff=0.0, n_samples=20, max_rounds=50, seed=1)
    assert r.key_rate[0] == 0.0


# --- The batched vectorised simulator (issue 18, goal 5) --------------------------------------


def test_vectorised_agrees_with_reference_at_eight_segments() -> None:
    # The benchmark's chain (benchmarks/repeater_chain.py): 8 segments of 20 km, swaps of
    # probability 1/2, 0.1 s memories, classical messages. Mean waiting time and mean
    # fidelity within 4 combined standard errors of the event-by-event reference.
    link = double_click_link(20.0)
    opts = dict(swap_probability=0.5, coherence_time_s=0.1, classical_communication=True)
    v = simulate_chain(8, link, n_samples=20_000, seed=81, **opts)
    r = simulate_chain(8, link, n_samples=300, seed=82, method="reference", **opts)
    assert _z(v.waiting_time, r.waiting_time) < 4.0
    assert _z(v.fidelity, r.fidelity) < 4.0
    assert v.mean_fidelity < link.fidelity  # memories and swaps cost fidelity


def test_small_batches_give_the_same_statistics(monkeypatch: pytest.MonkeyPatch) -> None:
    # Attempts are simulated in batches of at most chain._BATCH: with batches of 64 the
    # rounds of one sample span several batches, and the statistics must not change.
    from qnetlab.repeaters import chain

    link = elementary_link(0.3, fidelity=0.95, attempt_time=1.0)
    opts = dict(coherence_time_s=20.0, cutoff=4.0, swap_probability=0.8, purification_rounds=1)
    big = simulate_chain(4, link, n_samples=4000, seed=41, **opts)
    monkeypatch.setattr(chain, "_BATCH", 64)
    small = simulate_chain(4, link, n_samples=4000, seed=42, **opts)
    assert _z(big.waiting_time, small.waiting_time) < 4.0
    assert _z(big.fidelity, small.fidelity) < 4.0
    assert small.coefficients.shape == (4000, 4) and np.all(small.waiting_time > 0)


def test_vectorised_counts_rounds_per_sample() -> None:
    # max_rounds bounds the rounds of each sample: with swaps of probability 1/2 and one
    # round allowed, 60 samples all succeeding at once has probability 2^-60.
    with pytest.raises(ChainTimeoutError, match="max_rounds=1"):
        simulate_chain(2, elementary_link(1.0), swap_probability=0.5, max_rounds=1, n_samples=60)
    # ... and with 40 rounds allowed (2^-40 per sample to need more) it delivers.
    res = simulate_chain(
        2, elementary_link(1.0), swap_probability=0.5, max_rounds=40, n_samples=60, seed=0
    )
    assert res.waiting_time.size == 60
