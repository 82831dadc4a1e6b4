"""Key-rate theory of qnetlab.qkd against the papers' formulas and worked numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from qnetlab import qkd
from qnetlab.qkd import theory


def h(p: float) -> float:
    if p in (0.0, 1.0):
        return 0.0
    return -p * math.log2(p) - (1 - p) * math.log2(1 - p)


# --- Shor–Preskill and six-state ----------------------------------------------------------


def test_shor_preskill_formula_and_threshold():
    # Shor & Preskill, PRL 85, 441 (2000): r = 1 − 2h(e); zero at e ≈ 11.0 %.
    for e in (0.0, 0.01, 0.05, 0.1):
        assert qkd.shor_preskill_rate(e) == pytest.approx(1 - 2 * h(e))
    root = brentq(lambda e: 1 - 2 * h(e), 0.05, 0.2)
    assert root == pytest.approx(0.110028, abs=1e-5)
    assert qkd.shor_preskill_rate(root - 1e-4) > 0
    assert qkd.shor_preskill_rate(root + 1e-4) == 0.0
    np.testing.assert_allclose(qkd.shor_preskill_rate(np.array([0.0, 0.2])), [1.0, 0.0])


@pytest.mark.parametrize("e", [0.111, 0.2, 0.5, 0.6, 0.89, 0.95, 1.0])
def test_rates_are_zero_above_the_threshold(e):
    # 1 − 2h(e) is symmetric about 1/2; the key rate is not: no key above ≈ 11 %.
    assert qkd.shor_preskill_rate(e) == 0.0
    assert qkd.bbm92_werner_rate(max(1 - 1.5 * e, 0.0)) == 0.0
    if 0.127 < e <= 2 / 3:
        assert qkd.six_state_rate(e) == 0.0
    np.testing.assert_array_equal(qkd.shor_preskill_rate(np.array([e, 0.99])), [0.0, 0.0])


def test_six_state_rate_at_tiny_error_rates():
    # log2(e/2) = log2(e) − 1: the smallest subnormal e must not underflow to e/2 = 0.
    assert qkd.six_state_rate(5e-324) == pytest.approx(1.0)
    e = 1e-300
    expected = 1 + (1 - 1.5 * e) * math.log2(1 - 1.5 * e) + 1.5 * e * (math.log2(e) - 1)
    assert qkd.six_state_rate(e) == pytest.approx(expected)
    assert 0 < 1 - qkd.six_state_rate(1e-12) < 1e-9


def test_six_state_formula_and_threshold():
    # Lo, QIC 1, 81 (2001): one-way six-state rate 1 − S(ρ) for the Bell-diagonal state
    # with weights (1 − 3e/2, e/2, e/2, e/2); threshold ≈ 12.6 %.
    for e in (0.01, 0.05, 0.1):
        lam = np.array([1 - 1.5 * e, e / 2, e / 2, e / 2])
        expected = 1 + float(np.sum(lam * np.log2(lam)))
        assert qkd.six_state_rate(e) == pytest.approx(expected, rel=1e-12)
    root = brentq(
        lambda e: 1 + (1 - 1.5 * e) * math.log2(1 - 1.5 * e) + 1.5 * e * math.log2(e / 2), 0.05, 0.2
    )
    assert 0.126 < root < 0.127
    assert qkd.six_state_rate(0.12) > 0.0
    assert qkd.six_state_rate(0.128) == 0.0


@given(st.floats(min_value=0.001, max_value=0.11))
@settings(max_examples=30, deadline=None)
def test_six_state_beats_bb84(e):
    # The third basis tells Alice and Bob more about Eve: six-state keeps more key.
    assert qkd.six_state_rate(e) > qkd.shor_preskill_rate(e)


def test_bbm92_werner_rate_equals_shor_preskill_of_werner_qber():
    for f in (0.9, 0.95, 0.99):
        assert qkd.bbm92_werner_rate(f) == pytest.approx(qkd.shor_preskill_rate(2 * (1 - f) / 3))


# --- Decoy states with the GYS link --------------------------------------------------------


def test_gys_preset_matches_the_papers():
    # Gobby, Yuan, Shields APL 84, 3762 (2004) as used by Lo–Ma–Chen PRL 94, 230504 (2005)
    # and Ma et al. PRA 72, 012326 (2005): α = 0.21 dB/km, η_Bob = 4.5 %, Y0 = 1.7e-6,
    # e_detector = 3.3 %, f = 1.22.
    g = qkd.GYS
    assert (g.attenuation_db_per_km, g.detector_efficiency, g.dark_count_prob) == (
        0.21,
        0.045,
        1.7e-6,
    )
    assert (g.misalignment, g.ec_efficiency) == (0.033, 1.22)


def _lmc_rate(d: float, mu: float = 0.48) -> float:
    """Lo–Ma–Chen PRL 94, 230504 (2005): GLLP rate R = q{−Q_μ f h(E_μ) + Q1[1 − h(e1)]}, infinite decoys, GYS numbers, written out independently."""
    eta = 0.045 * 10 ** (-0.21 * d / 10)
    y0, ed, f = 1.7e-6, 0.033, 1.22
    q_mu = y0 + 1 - math.exp(-eta * mu)
    e_mu = (0.5 * y0 + ed * (1 - math.exp(-eta * mu))) / q_mu
    y1 = y0 + eta
    e1 = (0.5 * y0 + ed * eta) / y1
    q1 = y1 * mu * math.exp(-mu)
    return 0.5 * (-q_mu * f * h(e_mu) + q1 * (1 - h(e1)))


@pytest.mark.parametrize("d", [0.0, 25.0, 50.0, 100.0, 130.0])
def test_decoy_infinite_rate_matches_lo_ma_chen(d):
    assert qkd.decoy_bb84_key_rate(d) == pytest.approx(_lmc_rate(d), rel=1e-10)


def test_decoy_rate_reaches_zero_near_142_km():
    # Lo–Ma–Chen report a maximum distance of about 142 km for GYS with infinite decoys.
    d_max = qkd.maximum_distance(lambda d: qkd.decoy_bb84_key_rate(d))
    assert 140.0 < d_max < 144.0
    assert brentq(_lmc_rate, 100, 200) == pytest.approx(d_max, abs=0.01)
    assert qkd.decoy_bb84_key_rate(d_max + 1.0) == 0.0
    # μ = 0.48 is close to optimal: a much dimmer or brighter signal does not reach as far.
    for mu in (0.2, 0.9):
        assert qkd.maximum_distance(lambda d, m=mu: qkd.decoy_bb84_key_rate(d, m)) < d_max


def test_vacuum_weak_decoy_close_to_infinite_decoys():
    # Ma et al. PRA 72, 012326 (2005), vacuum + weak decoy bounds on Y1 and e1: vacuum + a weak decoy ν → 0 approaches the asymptotic case.
    d_inf = qkd.maximum_distance(lambda d: qkd.decoy_bb84_key_rate(d))
    d_vw = qkd.maximum_distance(lambda d: qkd.decoy_vacuum_weak_key_rate(d, 0.48, 0.05))
    assert d_inf - 3.0 < d_vw <= d_inf
    ratio = qkd.decoy_vacuum_weak_key_rate(80.0, 0.48, 0.01) / qkd.decoy_bb84_key_rate(80.0)
    assert 0.95 < ratio <= 1.0


@given(st.floats(min_value=0.0, max_value=130.0), st.floats(min_value=0.01, max_value=0.3))
@settings(max_examples=25, deadline=None)
def test_vacuum_weak_bounds_are_bounds(d, nu):
    # Y1^L ≤ Y1 and e1^U ≥ e1 for the true yields of the link model.
    link = qkd.GYS.with_length(d)
    mu = 0.48
    if nu >= mu:
        return
    y1, e1 = qkd.vacuum_weak_bounds(
        link.gain(mu),
        link.gain(nu),
        link.gain(nu) * link.error_rate(nu),
        link.dark_count_prob,
        mu,
        nu,
    )
    assert y1 <= link.photon_yield(1) * (1 + 1e-9)
    assert e1 >= link.photon_error(1) - 1e-9


def test_e1_upper_bound_takes_the_lower_vacuum_yield():
    # Ma, Qi, Zhao, Lo, PRA 72, 012326 (2005), vacuum + weak decoy: Y1^L falls with Y0,
    # so its worst case uses Y0^U; e1^U = (E_nu Q_nu e^nu − Y0/2) / (Y1^L nu) falls with Y0 too,
    # so its worst case uses Y0^L. Values of the GYS link at 50 km, fluctuated by hand.
    mu, nu = 0.48, 0.1
    eta = 0.045 * 10 ** (-0.21 * 50 / 10)
    y0 = 1.7e-6
    q_mu = y0 + 1 - math.exp(-eta * mu)
    q_nu = y0 + 1 - math.exp(-eta * nu)
    eq_nu = 0.5 * y0 + 0.033 * (1 - math.exp(-eta * nu))
    y0_u, y0_l = 1.5 * y0, 0.5 * y0
    y1 = (
        mu
        / (mu * nu - nu**2)
        * (
            q_nu * math.exp(nu)
            - q_mu * math.exp(mu) * nu**2 / mu**2
            - (mu**2 - nu**2) / mu**2 * y0_u
        )
    )
    e1 = (eq_nu * math.exp(nu) - 0.5 * y0_l) / (y1 * nu)
    got_y1, got_e1 = qkd.vacuum_weak_bounds(q_mu, q_nu, eq_nu, y0_u, mu, nu, y0_error=y0_l)
    assert got_y1 == pytest.approx(y1, rel=1e-12)
    assert got_e1 == pytest.approx(e1, rel=1e-12)
    # The upper Y0 in the error bound would understate e1 (the bug this test pins).
    _, e1_wrong = qkd.vacuum_weak_bounds(q_mu, q_nu, eq_nu, y0_u, mu, nu)
    assert e1_wrong < got_e1
    # Without a separate value both bounds use y0 (backwards compatible).
    assert qkd.vacuum_weak_bounds(q_mu, q_nu, eq_nu, y0, mu, nu) == qkd.vacuum_weak_bounds(
        q_mu, q_nu, eq_nu, y0, mu, nu, y0_error=y0
    )


def test_gllp_without_decoys_is_much_shorter():
    # Without decoys every multi-photon click is lost to Eve: GLLP reaches only a few tens of km.
    d_gllp = max(
        qkd.maximum_distance(lambda d, m=m: qkd.gllp_key_rate(d, m))
        for m in np.linspace(0.02, 0.3, 15)
    )
    assert 15.0 < d_gllp < 50.0
    assert qkd.gllp_key_rate(20.0, 0.1) < qkd.decoy_bb84_key_rate(20.0)


def test_decoy_rates_below_plob():
    # No repeaterless protocol beats −log2(1 − η) (Pirandola et al. 2017).
    d = np.linspace(0, 140, 29)
    eta = 0.045 * 10 ** (-0.21 * d / 10)
    assert np.all(qkd.decoy_bb84_key_rate(d) < qkd.plob_bound(eta))
    assert np.all(qkd.entangled_key_rate(d, source_efficiency=1.0) < qkd.plob_bound(eta))


def test_finite_size_rate_below_asymptotic_and_grows_with_data():
    rates = [
        qkd.finite_decoy_key_rate(50.0, 0.48, 0.05, 0.2, n_pulses=n) for n in (1e8, 1e10, 1e12)
    ]
    assert rates[0] < rates[1] < rates[2] < qkd.decoy_vacuum_weak_key_rate(50.0, 0.48, 0.05)
    assert qkd.finite_decoy_key_rate(50.0, 0.05, 0.1, 0.2) == 0.0  # needs ν < μ


def test_single_photon_and_entangled_rates():
    # With a perfect single-photon source BB84 follows Shor–Preskill on the single-photon
    # error: R = q Y1 [1 − (1 + f) h(e1)] when all clicks are single-photon clicks.
    link = qkd.GYS.with_length(40.0)
    y1, e1 = link.photon_yield(1), link.photon_error(1)
    expected = 0.5 * y1 * (1 - h(e1) - 1.22 * h(e1))
    assert qkd.single_photon_key_rate(40.0, source_efficiency=1.0) == pytest.approx(
        expected, rel=1e-9
    )
    # The entangled source in the middle tolerates dark counts far better (coincidences).
    assert qkd.maximum_distance(lambda d: qkd.entangled_key_rate(d, source_efficiency=0.5)) > 200.0


def test_fuchs_information():
    # Fuchs et al. PRA 56, 1163 (1997): I_AE = 1 − h(1/2 − √(D(1−D))).
    for d in (0.05, 0.1, 0.2):
        assert qkd.fuchs_information(d) == pytest.approx(1 - h(0.5 - math.sqrt(d * (1 - d))))
    d_eq = 0.5 - 0.5 / math.sqrt(2)
    assert qkd.fuchs_information(d_eq) == pytest.approx(1 - h(d_eq))


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: qkd.decoy_bb84_key_rate(-1.0), ValueError, "distance_km"),
        (lambda: qkd.decoy_bb84_key_rate(10.0, mu=0.0), ValueError, "mu"),
        (lambda: qkd.decoy_bb84_key_rate(10.0, link="GYS"), TypeError, "link"),
        (lambda: qkd.decoy_bb84_key_rate(10.0, q=1.5), ValueError, "q"),
        (lambda: qkd.shor_preskill_rate(1.2), ValueError, "qber"),
        (lambda: qkd.six_state_rate(0.9), ValueError, "qber"),
        (lambda: qkd.vacuum_weak_bounds(0.1, 0.1, 0.01, 0.0, 0.1, 0.2), ValueError, "nu"),
        (lambda: qkd.vacuum_weak_bounds(0.1, -1.0, 0.01, 0.0, 0.5, 0.1), ValueError, "q_nu"),
        (lambda: qkd.vacuum_weak_bounds(1.5, 0.1, 0.01, 0.0, 0.5, 0.1), ValueError, "q_mu"),
        (lambda: qkd.vacuum_weak_bounds(0.1, 0.1, -0.01, 0.0, 0.5, 0.1), ValueError, "en_q_nu"),
        (lambda: qkd.vacuum_weak_bounds(0.1, 0.1, 0.01, -1e-6, 0.5, 0.1), ValueError, "y0"),
        (
            lambda: qkd.vacuum_weak_bounds(0.1, 0.1, 0.01, 0.0, 0.5, 0.1, y0_error=2.0),
            ValueError,
            "y0_error",
        ),
        (lambda: qkd.maximum_distance(lambda d: 1.0, tol=-1.0), ValueError, "tol"),
        (
            lambda: theory.decoy_rate_from_bounds(0.01, 0.03, 0.02, 0.03, 0.5, f=0.5),
            ValueError,
            "f",
        ),
        (lambda: theory.decoy_rate_from_bounds(0.01, 0.03, 0.02, 0.03, -0.5), ValueError, "mu"),
        (lambda: qkd.fuchs_information(np.array([np.nan])), ValueError, "disturbance"),
        (lambda: qkd.PhotonNumberSplitting().forwarding(-1.0, 0.045, 0.48), ValueError, "eta_link"),
        (lambda: qkd.PhotonNumberSplitting().forwarding(1e-3, 0.045, 0.0), ValueError, "mu_target"),
        (lambda: qkd.LinkModel().photon_yield(-3), ValueError, "n"),
        (lambda: qkd.LinkModel().gain(-1.0), ValueError, "mu"),
        (lambda: qkd.LinkModel().error_rate([0.1, np.nan]), ValueError, "mu"),
        (lambda: qkd.maximum_distance(lambda d: 1.0, tol=0.0), ValueError, "tol"),
        (lambda: qkd.maximum_distance(lambda d: 1.0, tol=float("nan")), ValueError, "tol"),
        (lambda: qkd.LinkModel(length_km=-5), ValueError, "length_km"),
        (lambda: qkd.LinkModel(detector_efficiency=1.5), ValueError, "detector_efficiency"),
        (lambda: qkd.LinkModel(misalignment=0.7), ValueError, "misalignment"),
        (lambda: qkd.single_photon_key_rate(10.0, protocol="e91"), ValueError, "protocol"),
        (lambda: qkd.fuchs_information(0.6), ValueError, "disturbance"),
    ],
)
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_link_model_formulas():
    # Ma et al. PRA 72, 012326 (2005), channel model: Y_n = Y0 + 1 − (1−η)^n, Q_μ = Y0 + 1 − e^(−ημ), E_μ Q_μ = Y0/2 + e_d (1 − e^(−ημ)).
    link = qkd.GYS.with_length(30.0)
    eta = 0.045 * 10 ** (-0.21 * 3)
    assert link.transmissivity == pytest.approx(eta)
    assert link.photon_yield(2) == pytest.approx(1.7e-6 + 1 - (1 - eta) ** 2)
    assert link.gain(0.5) == pytest.approx(1.7e-6 + 1 - math.exp(-0.5 * eta))
    assert link.error_rate(0.5) * link.gain(0.5) == pytest.approx(
        0.5 * 1.7e-6 + 0.033 * (1 - math.exp(-0.5 * eta))
    )
    assert theory.maximum_distance(lambda d: 1.0) == 500.0
