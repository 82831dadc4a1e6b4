"""BB84's click-first sampler and Bob's detectors (issue 18), and the pass-through of
security parameters, sifted keys and link lengths (issue 20).

Exactness: the click-first sampler (draw the number of clicking pulses, then simulate only
those) is compared with the per-pulse NumPy engine and with the Cirq backend on the same
lossy, noisy link: QBER, sifted fraction and click rate agree within 4 combined binomial
standard errors (fixed seeds). Detector physics is compared with closed forms computed
here: non-paralysable dead time (the discrete-pulse renewal rate p / (1 + d p) per
detector, and its continuous limit r / (1 + r τ)), the Poisson statistics of double
clicks with dark counts, squashing (a double click is a random bit, error ½) and
afterpulsing (errors ½ on a fraction p_ap / (1 + p_ap) of the clicks).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from qnetlab import qkd
from qnetlab.qkd import bb84 as bb84_mod
from qnetlab.qkd import theory
from qnetlab.qkd._detection import dead_slots, registered

LINK = qkd.LinkModel(
    length_km=20.0, detector_efficiency=0.5, dark_count_prob=2e-3, misalignment=0.02
)


def se(p: float, n: int) -> float:
    return math.sqrt(max(p * (1 - p), 1.0 / n) / n)


def agree(a: float, na: int, b: float, nb: int, k: float = 4.0) -> bool:
    return abs(a - b) < k * math.hypot(se(a, na), se(b, nb))


def run(n: int, seed: int, **kw):
    return qkd.run_bb84(n, postprocess=False, seed=seed, **kw)


@pytest.mark.parametrize("seed", [1, 2])
def test_click_first_sampler_agrees_with_the_per_pulse_engine(seed: int) -> None:
    n = 300_000
    fast = run(n, seed, depolarization=0.05, link=LINK)
    slow = bb84_mod._run_prepare_measure(
        "bb84",
        n_pulses=n,
        depolarization=0.05,
        eve=None,
        backend="numpy",
        seed=seed + 100,
        link=LINK,
        do_postprocess=False,
        threshold=None,
        sample_fraction=0.1,
        fast=False,
    )
    assert agree(fast.qber, fast.sifted_length, slow.qber, slow.sifted_length)
    assert agree(fast.sifted_fraction, n, slow.sifted_fraction, n)
    assert agree(fast.raw_length / n, n, slow.raw_length / n, n)
    # the expected QBER: signal error and dark counts (error 1/2), LinkModel.error_rate
    eta = LINK.transmissivity
    e_sig = LINK.misalignment * (1 - 1 / 30) + (1 / 30) * (1 - LINK.misalignment)
    y0 = LINK.dark_count_prob
    expected = (e_sig * eta + 0.5 * y0 * (1 - eta)) / (eta + y0 * (1 - eta))
    assert abs(fast.qber - expected) < 4 * se(expected, fast.sifted_length)


def test_click_first_sampler_agrees_with_cirq() -> None:
    link = qkd.LinkModel(detector_efficiency=0.6, dark_count_prob=0.01, misalignment=0.03)
    c = run(1200, 5, depolarization=0.09, link=link, backend="cirq")
    f = run(200_000, 6, depolarization=0.09, link=link)
    assert agree(c.qber, c.sifted_length, f.qber, f.sifted_length)
    assert agree(c.sifted_fraction, 1200, f.sifted_fraction, 200_000)
    assert agree(c.raw_length / 1200, 1200, f.raw_length / 200_000, 200_000)


def test_six_state_sampler_keeps_a_third_and_the_depolarising_qber() -> None:
    r = qkd.run_six_state(300_000, depolarization=0.12, postprocess=False, seed=3)
    assert abs(r.sifted_fraction - 1 / 3) < 4 * se(1 / 3, r.n_pulses)
    assert abs(r.qber - 0.08) < 4 * se(0.08, r.sifted_length)


@pytest.mark.parametrize("d", [1, 3])
def test_dead_time_gives_the_discrete_renewal_rate(d: int) -> None:
    # Single photons, no dark counts: each detector sees Bernoulli(eta/2) candidates and
    # the two never fire together, so each registers p / (1 + d p) per slot, p = eta/2.
    eta = 0.3
    link = qkd.LinkModel(detector_efficiency=eta)
    rate = 1e9
    tau = (d + 0.5) / rate  # d blind slots after each click
    assert dead_slots(tau, rate) == d
    r = run(1_000_000, 10 + d, link=link, dead_time_s=tau, repetition_rate_hz=rate)
    p = eta / 2
    expected = 2 * p / (1 + d * p)
    assert abs(r.raw_length / r.n_pulses - expected) < 4 * se(expected, r.n_pulses)
    assert r.raw_length / r.n_pulses < eta - 10 * se(eta, r.n_pulses)  # dead time costs
    assert r.qber == 0.0  # it removes clicks, it does not make errors


def test_dead_time_continuous_limit_r_over_1_plus_r_tau() -> None:
    # 1 GHz pulses, 100 ns dead time: per detector r = f eta/2, detected r / (1 + r tau).
    f, tau, eta = 1e9, 100e-9, 0.01
    r = run(
        2_000_000,
        21,
        link=qkd.LinkModel(detector_efficiency=eta),
        dead_time_s=tau,
        repetition_rate_hz=f,
    )
    rate = f * eta / 2
    expected_per_s = 2 * rate / (1 + rate * tau)
    measured = r.raw_length / r.n_pulses * f
    assert abs(measured / expected_per_s - 1) < 0.02  # discrete vs continuous: < 1 %


def test_registered_scan_matches_a_sequential_scan() -> None:
    rng = np.random.default_rng(0)
    for d in (0, 1, 4, 30):
        pos = np.sort(rng.choice(5000, size=900, replace=False))
        coin = rng.random(900) < 0.3
        reg, ap = registered(pos, coin, d)
        free, ref_reg, ref_ap = -1, np.zeros(900, bool), []
        for i, s in enumerate(pos):
            if s >= free:
                ref_reg[i] = True
                free = s + d + 1
                if coin[i]:
                    ref_ap.append(s + d + 1)
                    free = s + 2 * d + 2
        assert np.array_equal(reg, ref_reg)
        assert np.array_equal(np.sort(ap), np.array(ref_ap, dtype=np.int64))


def test_double_clicks_follow_poisson_statistics_with_dark_counts() -> None:
    # Poisson photon numbers split independently: P(dc) = P_r P_w per basis choice,
    # P_x = 1 - (1 - p_d) exp(-eta mu e_x), p_d per detector with 1 - (1 - p_d)^2 = Y0.
    mu, eta, e, y0 = 0.8, 0.5, 0.1, 0.01
    link = qkd.LinkModel(detector_efficiency=eta, misalignment=e, dark_count_prob=y0)
    r = run(1_000_000, 31, link=link, mu=mu)
    pd = 1 - math.sqrt(1 - y0)

    def fire(x: float) -> float:
        return 1 - (1 - pd) * math.exp(-eta * mu * x)

    pr, pw, ph = fire(1 - e), fire(e), fire(0.5)
    p_dc = 0.5 * pr * pw + 0.5 * ph * ph
    assert abs(r.double_clicks / r.n_pulses - p_dc) < 4 * se(p_dc, r.n_pulses)
    # squashing: a double click is a random bit, error 1/2
    p_any = 1 - (1 - pr) * (1 - pw)
    qber = (pw * (1 - pr) + 0.5 * pr * pw) / p_any
    assert abs(r.qber - qber) < 4 * se(qber, r.sifted_length)
    # ... and not Bob's right bit (a rule that would drop the double clicks' errors)
    assert abs(r.qber - pw * (1 - pr) / p_any) > 8 * se(qber, r.sifted_length)


def test_poisson_source_gain_is_the_coherent_gain() -> None:
    link = qkd.LinkModel(length_km=10.0, detector_efficiency=0.3, dark_count_prob=1e-4)
    r = run(2_000_000, 41, link=link, mu=0.5)
    q_mu = link.gain(0.5)  # Y0 + 1 - exp(-eta mu), to first order in Y0
    assert abs(r.raw_length / r.n_pulses - q_mu) < 4 * se(q_mu, r.n_pulses) + 1e-6


@pytest.mark.parametrize("seed", [51, 52])
def test_afterpulsing_adds_p_ap_clicks_with_error_one_half(seed: int) -> None:
    eta, p_ap, e = 0.01, 0.1, 0.02
    link = qkd.LinkModel(detector_efficiency=eta, misalignment=e)
    r = run(4_000_000, seed, link=link, afterpulse_prob=p_ap)
    click = eta * (1 + p_ap)  # to first order in eta
    assert abs(r.raw_length / r.n_pulses / click - 1) < 0.04
    qber = (e + p_ap / 2) / (1 + p_ap)
    assert abs(r.qber - qber) < 4 * se(qber, r.sifted_length) + eta * p_ap


def test_sequence_link_dead_time_costs_about_four_percent() -> None:
    # SeQUeNCe's example: 1 km, mu = 0.1, 80 MHz, efficiency 0.8, 10 Hz dark, 20 ns dead.
    link = qkd.LinkModel(length_km=1.0, detector_efficiency=0.8, dark_count_prob=2 * 10 / 80e6)
    kw = dict(link=link, mu=0.1, repetition_rate_hz=80e6)
    dead = run(4_000_000, 61, dead_time_s=20e-9, **kw)
    free = run(4_000_000, 62, **kw)
    loss = 1 - dead.sifted_fraction / free.sifted_fraction
    assert 0.025 < loss < 0.05


def test_sifted_keys_are_returned_and_feed_postprocess() -> None:
    r = qkd.run_bb84(50_000, depolarization=0.03, postprocess=False, seed=7)
    assert r.sifted_alice.size == r.sifted_bob.size == r.sifted_length > 20_000
    assert r.key_alice.size == 0
    assert np.mean(r.sifted_alice != r.sifted_bob) == pytest.approx(r.qber)
    pp = qkd.postprocess(r.sifted_alice, r.sifted_bob, threshold=0.11, seed=8)
    assert not pp.aborted and np.array_equal(pp.key_alice, pp.key_bob)
    full = qkd.run_bb84(50_000, depolarization=0.03, seed=7)
    assert np.array_equal(full.sifted_alice, r.sifted_alice)
    b92 = qkd.run_b92(20_000, postprocess=False, seed=9, eve=qkd.InterceptResend(0.5))
    assert b92.sifted_alice.size == b92.sifted_length > 0


def test_security_parameters_pass_through() -> None:
    kw = dict(depolarization=0.03, seed=11)
    base = qkd.run_bb84(100_000, **kw)
    loose = qkd.run_bb84(100_000, epsilon_pa=1e-3, **kw)
    # the privacy-amplification term 2 log2(1/(2 eps)) shrinks by 2 log2(1e7) = 46.5 bits
    assert loose.final_length - base.final_length in (46, 47)
    ver = qkd.run_bb84(100_000, verification_bits=100, **kw)
    assert ver.leaked_bits - base.leaked_bits == 60
    one = qkd.run_bb84(100_000, cascade_passes=1, **kw)
    assert one.leaked_bits < base.leaked_bits
    strict = qkd.run_bb84(100_000, epsilon_pe=1e-30, **kw)
    assert strict.qber_upper > base.qber_upper
    bbm = qkd.run_bbm92(100_000, seed=12)
    bbm_ver = qkd.run_bbm92(100_000, verification_bits=100, seed=12)
    assert bbm_ver.leaked_bits - bbm.leaked_bits == 60
    with pytest.raises(ValueError, match="epsilon_pe"):
        qkd.run_bbm92(1000, epsilon_pe=1.0)
    with pytest.raises(ValueError, match="epsilon_pa"):
        qkd.run_bb84(1000, epsilon_pa=0.0, postprocess=False)
    with pytest.raises(ValueError, match="cascade_passes"):
        qkd.run_six_state(1000, cascade_passes=0)


def test_abort_states_the_pulses_a_key_needs() -> None:
    link = qkd.LinkModel(
        length_km=50, detector_efficiency=0.2, misalignment=0.01, dark_count_prob=1e-5
    )
    r = qkd.run_bb84(200_000, link=link, seed=1)
    assert r.aborted and r.final_length == 0
    assert "a key needs about" in r.abort_reason
    need = r.pulses_needed
    assert 1e5 < need < 1e6
    assert all(qkd.run_bb84(int(0.7 * need), link=link, seed=s).aborted for s in range(3))
    assert not any(qkd.run_bb84(int(1.5 * need), link=link, seed=s).aborted for s in range(3))
    # an abort for a high QBER names no number of pulses: none would help
    bad = qkd.run_bb84(20_000, eve=qkd.InterceptResend(1.0), seed=2)
    assert bad.aborted and bad.pulses_needed == 0 and "needs" not in bad.abort_reason


def test_detector_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="repetition_rate_hz"):
        qkd.run_bb84(100, dead_time_s=1e-8)
    with pytest.raises(ValueError, match="mu"):
        qkd.run_bb84(100, mu=-0.1)
    with pytest.raises(ValueError, match="afterpulse_prob"):
        qkd.run_bb84(100, afterpulse_prob=1.5)
    with pytest.raises(ValueError, match="eve"):
        qkd.run_bb84(100, mu=0.5, eve=qkd.InterceptResend(1.0))
    with pytest.raises(ValueError, match="backend"):
        qkd.run_bb84(100, afterpulse_prob=0.1, backend="cirq")


def test_link_length_and_distance_must_agree() -> None:
    link = qkd.GYS.with_length(100.0)
    with pytest.raises(ValueError, match=r"disagrees with link\.length_km=100\.0"):
        qkd.decoy_bb84_key_rate(10, link=link)
    assert qkd.decoy_bb84_key_rate(link=link) == qkd.decoy_bb84_key_rate(100.0, link=qkd.GYS)
    assert qkd.decoy_bb84_key_rate(100.0, link=link) == qkd.decoy_bb84_key_rate(link=link)
    for f in (
        qkd.gllp_key_rate,
        qkd.decoy_vacuum_weak_key_rate,
        qkd.single_photon_key_rate,
        qkd.entangled_key_rate,
    ):
        with pytest.raises(ValueError, match="disagrees"):
            f(50.0, link=link)
        assert f(link=link) == f(100.0, link=qkd.GYS)
    with pytest.raises(ValueError, match="disagrees"):
        qkd.finite_decoy_key_rate(50.0, 0.48, 0.05, 0.2, link=link)
    assert qkd.finite_decoy_key_rate(None, 0.48, 0.05, 0.2, link=link) == (
        qkd.finite_decoy_key_rate(100.0, 0.48, 0.05, 0.2, link=qkd.GYS)
    )


def test_bounds_take_their_loss_from_the_link() -> None:
    # PLOB (Pirandola et al. 2017, Eq. 19): -log2(1 - eta), eta = 10^(-alpha L / 10)
    link = qkd.GYS.with_length(100.0)
    eta = 10 ** (-0.21 * 100 / 10)
    assert qkd.plob_bound(link=link) == pytest.approx(-math.log2(1 - eta), rel=1e-12)
    assert qkd.repeaterless_bound(link=link) == pytest.approx(-math.log2(1 - eta), rel=1e-12)
    assert qkd.repeaterless_bound(100.0, link=qkd.GYS) == pytest.approx(
        -math.log2(1 - eta), rel=1e-12
    )
    assert qkd.tgw_bound(link=link) == pytest.approx(math.log2((1 + eta) / (1 - eta)))
    # the defaults agree: 0.2 dB/km without a link, as LinkModel's default
    assert theory.DEFAULT_ATTENUATION_DB_PER_KM == qkd.LinkModel().attenuation_db_per_km
    assert qkd.repeaterless_bound(100.0) == qkd.repeaterless_bound(
        link=qkd.LinkModel(length_km=100.0)
    )
    with pytest.raises(ValueError, match="disagrees"):
        qkd.repeaterless_bound(100.0, 0.2, link=qkd.GYS)
    with pytest.raises(ValueError, match="disagrees"):
        qkd.plob_bound(0.5, link=link)
    with pytest.raises(ValueError, match="give eta or link"):
        qkd.plob_bound()
    with pytest.raises(ValueError, match="give length_km or link"):
        qkd.repeaterless_bound()
