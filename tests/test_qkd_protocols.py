"""QKD protocols on both backends: Cirq (ground truth) against the vectorised NumPy path.

Agreement tests compare a few thousand Cirq rounds with 2·10^5 NumPy rounds (fixed
seeds) and require |difference| < 4 combined binomial standard errors.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnetlab import qkd

N_CIRQ = 1500
N_NUMPY = 200_000


def binom_se(p: float, n: int) -> float:
    return math.sqrt(max(p * (1 - p), 1.0 / n) / n)


def agree(x_c: float, n_c: int, x_n: float, n_n: int, k: float = 4.0) -> bool:
    return abs(x_c - x_n) < k * math.hypot(binom_se(x_c, n_c), binom_se(x_n, n_n))


def h(p: float) -> float:
    return 0.0 if p in (0.0, 1.0) else -p * math.log2(p) - (1 - p) * math.log2(1 - p)


# --- BB84 -------------------------------------------------------------------------------


@pytest.mark.parametrize("p", [0.0, 0.03, 0.09, 0.15])
def test_bb84_depolarisation_gives_qber_two_thirds_p(p):
    # cirq.depolarize(p) applies X, Y, Z with p/3 each; X and Y flip a Z (or X) bit: 2p/3.
    r = qkd.run_bb84(N_NUMPY, depolarization=p, seed=11, postprocess=False)
    assert abs(r.qber - 2 * p / 3) < 4 * binom_se(2 * p / 3, r.sifted_length)
    assert abs(r.sifted_fraction - 0.5) < 4 * binom_se(0.5, N_NUMPY)


@pytest.mark.parametrize(
    "eve",
    [None, qkd.InterceptResend(1.0), qkd.PhaseCovariantCloner(0.1)],
    ids=["no-eve", "intercept-resend", "cloner"],
)
def test_bb84_cirq_and_numpy_agree(eve):
    c = qkd.run_bb84(
        N_CIRQ, depolarization=0.09, eve=eve, backend="cirq", seed=21, postprocess=False
    )
    n = qkd.run_bb84(
        N_NUMPY, depolarization=0.09, eve=eve, backend="numpy", seed=22, postprocess=False
    )
    assert agree(c.qber, c.sifted_length, n.qber, n.sifted_length)
    assert agree(c.sifted_fraction, N_CIRQ, n.sifted_fraction, N_NUMPY)


def test_full_intercept_resend_gives_quarter_qber_and_aborts():
    r = qkd.run_bb84(N_NUMPY, eve=qkd.InterceptResend(1.0), seed=5)
    assert abs(r.qber - 0.25) < 4 * binom_se(0.25, r.sifted_length)
    assert r.aborted and "threshold" in r.abort_reason
    assert r.final_length == 0 and r.key_alice.size == 0 and r.key_bob.size == 0
    assert not r.keys_match
    # Eve learns the bits where she guessed the basis: half of the sifted key.
    assert r.eve_information == pytest.approx(0.5, abs=0.01)


def test_clean_link_keys_identical_and_as_long_as_theory_allows():
    r = qkd.run_bb84(N_NUMPY, seed=3)
    assert not r.aborted and r.keys_match and r.final_length > 0
    assert r.qber == 0.0 and r.qber_estimate == 0.0
    # Final length = ⌊n (1 − h(e_U)) − leak − 2 log2(1/(2 ε_PA))⌋ with the Tomamichel et al.
    # (2012) sampling bound e_U = e_k + √((n + k)(k + 1) ln(1/ε_PE) / (n k²)), ε = 1e-10.
    k = r.sample_length
    n = r.sifted_length - k
    assert k == math.ceil(0.1 * r.sifted_length)
    e_u = math.sqrt((n + k) * (k + 1) * math.log(1e10) / (n * k * k))
    assert r.qber_upper == pytest.approx(e_u)
    expected = math.floor(n * (1 - h(e_u)) - r.leaked_bits - 2 * math.log2(1 / 2e-10))
    assert r.final_length == expected
    assert r.key_alice.size == r.final_length


def test_noisy_link_corrects_errors_and_counts_leakage():
    r = qkd.run_bb84(N_NUMPY, depolarization=0.06, seed=4)
    assert not r.aborted and r.keys_match
    n = r.sifted_length - r.sample_length
    # Cascade discloses more than the Shannon limit n h(e) but not wildly more.
    assert 1.0 < r.leaked_bits / (n * h(r.qber)) < 1.6
    assert r.final_length < n * qkd.shor_preskill_rate(r.qber)


@given(st.floats(min_value=0.5, max_value=1.0), st.integers(min_value=0, max_value=1000))
@settings(max_examples=8, deadline=None)
def test_never_a_key_after_abort(fraction, seed):
    r = qkd.run_bb84(20_000, eve=qkd.InterceptResend(fraction), seed=seed)
    if r.aborted:
        assert r.key_alice.size == 0 and r.key_bob.size == 0 and r.final_length == 0
    else:
        assert r.keys_match


def test_cloner_attack_qber_and_information():
    # Phase-covariant cloner at disturbance D: QBER D and Eve's information
    # 1 − h(1/2 − √(D(1−D))) (Fuchs et al. 1997).
    att = qkd.PhaseCovariantCloner(0.1)
    r = qkd.run_bb84(N_NUMPY, eve=att, seed=8, postprocess=False)
    assert abs(r.qber - 0.1) < 4 * binom_se(0.1, r.sifted_length)
    assert r.eve_information == pytest.approx(att.information(), abs=0.01)


def test_partial_intercept_resend():
    att = qkd.InterceptResend(0.4)
    r = qkd.run_bb84(N_NUMPY, eve=att, seed=9, postprocess=False)
    assert abs(r.qber - att.expected_qber()) < 4 * binom_se(0.1, r.sifted_length)
    assert r.eve_information == pytest.approx(att.information(), abs=0.01)


def test_lossy_link_rates():
    link = qkd.LinkModel(
        length_km=20.0, detector_efficiency=0.2, dark_count_prob=1e-3, misalignment=0.02
    )
    r = qkd.run_bb84(N_NUMPY, link=link, seed=10, postprocess=False)
    click = link.photon_yield(1) - link.dark_count_prob * link.transmissivity
    assert abs(r.raw_length / N_NUMPY - click) < 4 * binom_se(click, N_NUMPY)
    assert abs(r.qber - link.photon_error(1)) < 4 * binom_se(link.photon_error(1), r.sifted_length)


# --- six-state, B92, BBM92 ---------------------------------------------------------------


def test_six_state_both_backends():
    c = qkd.run_six_state(N_CIRQ, depolarization=0.09, backend="cirq", seed=31, postprocess=False)
    n = qkd.run_six_state(N_NUMPY, depolarization=0.09, backend="numpy", seed=32, postprocess=False)
    assert abs(n.qber - 0.06) < 4 * binom_se(0.06, n.sifted_length)
    assert abs(n.sifted_fraction - 1 / 3) < 4 * binom_se(1 / 3, N_NUMPY)
    assert agree(c.qber, c.sifted_length, n.qber, n.sifted_length)
    assert agree(c.sifted_fraction, N_CIRQ, n.sifted_fraction, N_NUMPY)
    ir = qkd.run_six_state(N_NUMPY, eve=qkd.InterceptResend(), seed=33)
    assert abs(ir.qber - 1 / 3) < 4 * binom_se(1 / 3, ir.sifted_length) and ir.aborted


def test_six_state_keeps_key_where_bb84_aborts():
    # QBER 12 %: above Shor–Preskill's 11 %, below the six-state 12.6 % (Lo 2001).
    p = 1.5 * 0.12
    bb84 = qkd.run_bb84(400_000, depolarization=p, seed=34)
    assert bb84.aborted and "threshold" in bb84.abort_reason
    six = qkd.run_six_state(600_000, depolarization=p, seed=35, postprocess=False)
    assert six.qber + 3 * binom_se(0.12, six.sifted_length) < qkd.THRESHOLDS["six_state"]
    assert qkd.six_state_rate(six.qber) > 0 == qkd.shor_preskill_rate(six.qber)


def test_b92_both_backends():
    # Conclusive fraction 1/4 on a clean channel; QBER (p/3) / (p/3 + 1/4) with depolarisation.
    p = 0.06
    expected = (p / 3) / (p / 3 + 0.25)
    c = qkd.run_b92(N_CIRQ, depolarization=p, backend="cirq", seed=41, postprocess=False)
    n = qkd.run_b92(N_NUMPY, depolarization=p, backend="numpy", seed=42, postprocess=False)
    assert abs(n.qber - expected) < 4 * binom_se(expected, n.sifted_length)
    assert abs(n.sifted_fraction - (0.25 + p / 3)) < 4 * binom_se(0.25, N_NUMPY)
    assert agree(c.qber, c.sifted_length, n.qber, n.sifted_length)
    assert agree(c.sifted_fraction, N_CIRQ, n.sifted_fraction, N_NUMPY)


def test_bbm92_both_backends_and_chsh():
    p = 0.06
    c = qkd.run_bbm92(N_CIRQ, depolarization=p, backend="cirq", seed=51, postprocess=False)
    n = qkd.run_bbm92(N_NUMPY, depolarization=p, backend="numpy", seed=52)
    assert abs(n.qber - 2 * p / 3) < 4 * binom_se(2 * p / 3, n.sifted_length)
    assert agree(c.qber, c.sifted_length, n.qber, n.sifted_length)
    assert agree(c.sifted_fraction, N_CIRQ, n.sifted_fraction, N_NUMPY)
    # CHSH: 2√2 (1 − 4p/3) for a Werner pair (Horodecki criterion, qnetlab.protocols.chsh_value).
    s_exp = 2 * math.sqrt(2) * (1 - 4 * p / 3)
    assert n.chsh_expected == pytest.approx(s_exp)
    assert abs(n.chsh_value - s_exp) < 4 * n.chsh_std_error
    assert abs(c.chsh_value - s_exp) < 4 * c.chsh_std_error
    assert not n.aborted and n.keys_match


def test_bbm92_intercept_resend_breaks_bell_violation():
    r = qkd.run_bbm92(N_NUMPY, eve=qkd.InterceptResend(), seed=53)
    assert r.chsh_value < 2.0 - 3 * r.chsh_std_error
    assert r.aborted and r.key_alice.size == 0
    c = qkd.run_bbm92(N_CIRQ, eve=qkd.InterceptResend(), backend="cirq", seed=54, postprocess=False)
    assert c.chsh_value < 2.0


# --- decoy BB84 and photon-number splitting ----------------------------------------------


def test_decoy_backends_agree():
    link = qkd.LinkModel(detector_efficiency=0.5, misalignment=0.03, dark_count_prob=1e-3)
    kw = {"link": link, "probabilities": (0.6, 0.3, 0.1)}
    c = qkd.run_decoy_bb84(N_CIRQ, backend="cirq", seed=61, **kw)
    n = qkd.run_decoy_bb84(N_NUMPY, backend="numpy", seed=62, **kw)
    for k in range(2):
        assert agree(c.gains[k], c.sent[k], n.gains[k], n.sent[k])
    sig_c = round(c.gains[0] * c.sent[0] / 2)
    assert agree(c.errors[0], sig_c, n.errors[0], round(n.gains[0] * n.sent[0] / 2))
    assert abs(n.gains[0] - link.gain(0.48)) < 4 * binom_se(link.gain(0.48), n.sent[0])


def test_decoy_states_expose_photon_number_splitting():
    # At 40 km of GYS fibre Eve can keep Bob's signal click rate with multi-photon pulses
    # alone (Brassard et al. 2000); GLLP without decoys would give no key here at all.
    link = qkd.GYS.with_length(40.0)
    kw = {"link": link, "probabilities": (0.6, 0.3, 0.1)}
    honest = qkd.run_decoy_bb84(50_000_000, seed=71, **kw)
    pns = qkd.run_decoy_bb84(50_000_000, eve=qkd.PhotonNumberSplitting(), seed=72, **kw)
    assert not honest.aborted and honest.key_rate > 0
    assert 0.2 < honest.key_rate / honest.expected_key_rate < 1.5
    # Without decoys the attack is invisible: the signal click rate and error rate stay put ...
    assert agree(pns.gains[0], pns.sent[0], honest.gains[0], honest.sent[0])
    # ... while Eve knows almost every signal bit (multi-photon pulses only).
    assert pns.eve_information > 0.9
    # The decoys' click rate does not fit: the single-photon bound collapses; abort.
    assert pns.gains[1] < honest.gains[1] / 3
    assert pns.aborted and pns.key_rate == 0.0
    assert pns.y1_lower < 0.2 * honest.y1_lower


def test_decoy_photon_layer_matches_the_link_model():
    # Gains and errors of each intensity against Ma et al. (2005), Q = Y0 + 1 − e^(−ημ) and
    # E Q = Y0/2 + e_d (1 − e^(−ημ)), over 10^8 pulses (clicks counted, not sampled per pulse).
    link = qkd.GYS.with_length(25.0)
    r = qkd.run_decoy_bb84(100_000_000, link=link, seed=63)
    for k, m in enumerate(r.intensities):
        q = link.gain(m)
        assert abs(r.gains[k] - q) < 4 * binom_se(q, r.sent[k])
    for k in range(2):
        e = link.error_rate(r.intensities[k])
        assert abs(r.errors[k] - e) < 4 * binom_se(e, r.sifted_counts[k])
    assert sum(r.sent) == r.n_pulses
    assert abs(r.sent[1] / r.n_pulses - 0.3) < 4 * binom_se(0.3, r.n_pulses)


def test_decoy_gains_under_photon_number_splitting():
    # Brassard et al. (2000) PNS against each intensity, summed photon number by photon
    # number (independently of the closed form in qnetlab.qkd.decoy): Eve forwards n − 1
    # photons of a multi-photon pulse with probability s_m and a single photon with s_1;
    # Bob's detector sees each with η_Bob; dark counts Y0 on top.
    from scipy.stats import poisson

    link = qkd.GYS.with_length(40.0)
    eta_b, y0 = link.detector_efficiency, link.dark_count_prob
    s1, sm = qkd.PhotonNumberSplitting().forwarding(link.transmissivity, eta_b, 0.48)
    r = qkd.run_decoy_bb84(100_000_000, link=link, eve=qkd.PhotonNumberSplitting(), seed=65)
    n = np.arange(0, 80)
    for k, m in enumerate(r.intensities):
        p = poisson.pmf(n, m)
        photon = s1 * eta_b * p[1] + sm * np.sum(p[2:] * (1 - (1 - eta_b) ** (n[2:] - 1)))
        q = y0 + (1 - y0) * photon
        assert abs(r.gains[k] - q) < 4 * binom_se(q, r.sent[k])
    # Eve knows the signal bits she split and causes no errors beyond misalignment (3.3 %).
    assert r.eve_information > 0.9
    assert abs(r.errors[0] - 0.033) < 4 * binom_se(0.033, r.sifted_counts[0])


@pytest.mark.parametrize("seed", range(8))
def test_decoy_default_settings_give_a_key_at_25_km(seed):
    # The finite-size regime of the module docstring: with the default intensities and
    # probabilities, 2·10^7 pulses over 25 km of GYS fibre give a key at every seed, within
    # a factor of about three of the asymptotic vacuum + weak rate.
    r = qkd.run_decoy_bb84(20_000_000, link=qkd.GYS.with_length(25.0), seed=100 + seed)
    assert not r.aborted
    assert 0.3 < r.key_rate / r.expected_key_rate < 1.0


def _wilson(k: int, n: int, u: float, sign: int) -> float:
    return (k + u * u / 2 + sign * u * math.sqrt(k + u * u / 4)) / n


def test_decoy_bounds_recomputed_from_the_counts():
    # Ma, Qi, Zhao, Lo, PRA 72, 012326 (2005), vacuum + weak decoy with statistical
    # fluctuations: Y1^L takes Q_mu^U, Q_nu^L and Y0^U; e1^U = (E_nu Q_nu e^nu − Y0^L/2)/(Y1^L nu)
    # takes the *lower* vacuum yield (Y0 enters with a minus sign). Recomputed here from the
    # raw counts of the run.
    link = qkd.GYS.with_length(30.0)
    u = 3.0
    r = qkd.run_decoy_bb84(30_000_000, link=link, n_sigma=u, seed=64)
    mu, nu, _ = r.intensities
    clicks = [round(g * n) for g, n in zip(r.gains, r.sent)]
    assert clicks[2] > 0  # the vacuum clicked: Y0^L > 0, so the sign matters
    q_mu_u = _wilson(clicks[0], r.sent[0], u, +1)
    q_nu_l = _wilson(clicks[1], r.sent[1], u, -1)
    y0_u = _wilson(clicks[2], r.sent[2], u, +1)
    y0_l = _wilson(clicks[2], r.sent[2], u, -1)
    # E_nu Q_nu = 2 P(click, sifted, error): the bases are independent fair coins
    eq_u = 2 * _wilson(r.error_counts[1], r.sent[1], u, +1)
    y1 = (
        mu
        / (mu * nu - nu**2)
        * (
            q_nu_l * math.exp(nu)
            - q_mu_u * math.exp(mu) * nu**2 / mu**2
            - (mu**2 - nu**2) / mu**2 * y0_u
        )
    )
    e1 = (eq_u * math.exp(nu) - y0_l / 2) / (y1 * nu)
    assert r.y1_lower == pytest.approx(y1, rel=1e-9)
    assert r.e1_upper == pytest.approx(e1, rel=1e-9)
    # The sign of the fluctuation: with Y0^U in e1 the error bound would be smaller (unsafe).
    assert (eq_u * math.exp(nu) - y0_u / 2) / (y1 * nu) < r.e1_upper
    # More margin can only loosen both bounds (same data: same seed).
    loose = qkd.run_decoy_bb84(30_000_000, link=link, n_sigma=5.0, seed=64)
    exact = qkd.run_decoy_bb84(30_000_000, link=link, n_sigma=0.0, seed=64)
    assert loose.y1_lower < r.y1_lower < exact.y1_lower
    assert loose.e1_upper > r.e1_upper > exact.e1_upper


def test_decoy_yield_bound_is_never_negative():
    # Too few pulses for any bound: no key, and the reported Y1^L is 0 rather than negative.
    for seed in range(5):
        r = qkd.run_decoy_bb84(2_000, link=qkd.GYS.with_length(60.0), seed=seed)
        assert r.aborted and r.key_rate == 0.0
        assert r.y1_lower >= 0.0 and 0.0 <= r.e1_upper <= 0.5


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: qkd.run_bb84(0), ValueError, "n_pulses"),
        (lambda: qkd.run_bb84(10.5), TypeError, "n_pulses"),
        (lambda: qkd.run_bb84(100, backend="qiskit"), ValueError, "backend"),
        (lambda: qkd.run_bb84(100, depolarization=1.5), ValueError, "depolarization"),
        (lambda: qkd.run_bb84(100, eve="eve"), TypeError, "eve"),
        (lambda: qkd.run_bb84(100, eve=qkd.PhotonNumberSplitting()), ValueError, "eve"),
        (lambda: qkd.run_bb84(100, link=3), TypeError, "link"),
        (lambda: qkd.run_bb84(100, seed=-1), ValueError, "seed"),
        (lambda: qkd.run_six_state(-3), ValueError, "n_pulses"),
        (lambda: qkd.run_b92(100, backend="gpu"), ValueError, "backend"),
        (lambda: qkd.run_bbm92(100, chsh_fraction=1.0), ValueError, "chsh_fraction"),
        (lambda: qkd.InterceptResend(-0.1), ValueError, "fraction"),
        (lambda: qkd.PhaseCovariantCloner(0.7), ValueError, "disturbance"),
        (lambda: qkd.run_decoy_bb84(100, intensities=(0.1, 0.2, 0.0)), ValueError, "nu"),
        (lambda: qkd.run_decoy_bb84(100, intensities=(0.5, 0.1, 0.01)), ValueError, "vacuum"),
        (lambda: qkd.run_decoy_bb84(100, probabilities=(0.5, 0.5, 0.5)), ValueError, "sum to 1"),
        (lambda: qkd.run_decoy_bb84(0), ValueError, "n_pulses"),
        (lambda: qkd.run_decoy_bb84(100, eve=qkd.PhaseCovariantCloner()), TypeError, "eve"),
    ],
)
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_result_repr_is_readable():
    r = qkd.run_bb84(2000, seed=1)
    text = repr(r)
    assert text.startswith("BB84Result(") and "qber=" in text and len(text) < 400
    assert np.asarray(r.key_alice).dtype == np.int8


def test_decoy_bounds_follow_ma_et_al_with_fluctuations():
    # Ma, Qi, Zhao, Lo, PRA 72, 012326 (2005): vacuum + weak decoy bounds, every rate moved
    # u standard deviations to its worst case, (k + u^2/2 +- u sqrt(k + u^2/4)) / N; Y0 up in
    # Y1's bound and down in e1's. Recomputed here from the counts.
    mu, nu, u = 0.48, 0.05, 3.0
    clicks, sent, k_err = (48_000, 5_100, 20), (6_000_000, 3_000_000, 1_000_000), 150

    def up(k, n):
        return (k + u * u / 2 + u * np.sqrt(k + u * u / 4)) / n

    def lo(k, n):
        return (k + u * u / 2 - u * np.sqrt(k + u * u / 4)) / n

    q_mu, q_nu, y0_u, y0_l = up(48_000, 6e6), lo(5_100, 3e6), up(20, 1e6), lo(20, 1e6)
    y1 = (
        mu
        / (mu * nu - nu**2)
        * (q_nu * np.exp(nu) - q_mu * np.exp(mu) * nu**2 / mu**2 - (mu**2 - nu**2) / mu**2 * y0_u)
    )
    e1 = (2 * up(k_err, 3e6) * np.exp(nu) - 0.5 * y0_l) / (y1 * nu)
    got = qkd.decoy_bounds(clicks, sent, k_err, mu, nu, n_sigma=u)
    assert got == pytest.approx((y1, e1), rel=1e-12)
    # Without margins: the asymptotic bounds of the measured rates.
    y1_0, e1_0 = qkd.decoy_bounds(clicks, sent, k_err, mu, nu, n_sigma=0.0)
    assert y1_0 > got[0] and e1_0 < got[1]
    with pytest.raises(ValueError, match="three counts"):
        qkd.decoy_bounds((1, 2), sent, 0, mu, nu)
    with pytest.raises(ValueError, match="0 < nu < mu"):
        qkd.decoy_bounds(clicks, sent, 0, nu, mu)
