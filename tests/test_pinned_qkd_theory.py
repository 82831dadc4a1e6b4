"""qnetlab.qkd.theory: every key-rate formula pinned to an independent scalar computation.

Issue 21: tests that only check "below the asymptotic rate" cannot catch a changed power or
sign. Each reference below is written from the paper's formula with ``math`` (no call into
the package except the function under test) and compared at several points.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from qnetlab import qkd
from qnetlab.qkd import theory
from qnetlab.qkd.link import GYS, LinkModel

# A link where every term is large enough to matter at the 1e-9 level: many dark counts,
# strong misalignment, a lossy detector (none of the GYS numbers is special).
NOISY = LinkModel(
    attenuation_db_per_km=0.2,
    detector_efficiency=0.2,
    dark_count_prob=3e-4,
    misalignment=0.02,
    depolarization=0.03,
    ec_efficiency=1.16,
)
LINKS = (GYS, NOISY)


def h(p: float) -> float:
    if p <= 0.0 or p >= 1.0:
        return 0.0
    return -p * math.log2(p) - (1 - p) * math.log2(1 - p)


def eta_of(link: LinkModel, d: float) -> float:
    return link.detector_efficiency * 10 ** (-link.attenuation_db_per_km * d / 10)


def e_sig(link: LinkModel) -> float:
    flip = 2 * link.depolarization / 3
    return link.misalignment * (1 - flip) + flip * (1 - link.misalignment)


def gain_error(link: LinkModel, eta: float, mu: float) -> tuple[float, float]:
    # Ma, Qi, Zhao, Lo, PRA 72, 012326 (2005), Eqs. (5)-(6).
    y0 = link.dark_count_prob
    q = y0 + 1 - math.exp(-eta * mu)
    return q, (y0 / 2 + e_sig(link) * (1 - math.exp(-eta * mu))) / q


# --- entropies and the repeaterless bounds --------------------------------------------------


@pytest.mark.parametrize("p", [1e-6, 0.01, 0.11, 0.3, 0.5, 0.77, 0.999])
def test_binary_entropy_pinned(p):
    assert theory.binary_entropy(p) == pytest.approx(h(p), rel=1e-12)
    assert theory.binary_entropy(1 - p) == pytest.approx(h(p), rel=1e-9)  # symmetry


def test_plob_and_tgw_pinned():
    # Pirandola et al., Nat. Commun. 8, 15043 (2017), Eq. (19); Takeoka, Guha, Wilde,
    # Nat. Commun. 5, 5235 (2014).
    for eta in (1e-9, 1e-3, 0.1, 0.5, 0.9):
        assert qkd.plob_bound(eta) == pytest.approx(-math.log2(1 - eta), rel=1e-12)
        assert qkd.tgw_bound(eta) == pytest.approx(math.log2((1 + eta) / (1 - eta)), rel=1e-12)
    assert qkd.plob_bound(0.0) == 0.0 and qkd.tgw_bound(0.0) == 0.0
    assert qkd.plob_bound(1.0) == math.inf and qkd.tgw_bound(1.0) == math.inf
    out = qkd.plob_bound(np.array([0.25, 0.75]))
    np.testing.assert_allclose(out, [math.log2(4 / 3), 2.0], rtol=1e-12)
    assert isinstance(qkd.plob_bound(0.5), float)


@pytest.mark.parametrize("alpha", [0.0, 0.16, 0.2, 0.35])
def test_repeaterless_bound_uses_the_attenuation(alpha):
    for d in (0.5, 50.0, 300.0):
        eta = 10 ** (-alpha * d / 10)
        if eta < 1:
            ref = -math.log2(1 - eta)
            assert qkd.repeaterless_bound(d, alpha) == pytest.approx(ref, rel=1e-9)


def test_six_state_rate_and_privacy_cost_pinned():
    # Lo, QIC 1, 81 (2001): r = 1 + (1 − 3e/2) log2(1 − 3e/2) + (3e/2) log2(e/2), and the
    # privacy cost H(λ) − h(e) with λ = (1 − 3e/2, e/2, e/2, e/2).
    for e in (0.001, 0.03, 0.08, 0.12):
        a = 1 - 1.5 * e
        r = 1 + a * math.log2(a) + 1.5 * e * math.log2(e / 2)
        assert qkd.six_state_rate(e) == pytest.approx(max(r, 0.0), rel=1e-9, abs=1e-15)
        ent = -a * math.log2(a) - 3 * (e / 2) * math.log2(e / 2)
        assert theory.six_state_privacy_cost(e) == pytest.approx(ent - h(e), rel=1e-9)
    assert qkd.six_state_rate(0.13) == 0.0  # above the 12.6 % threshold
    assert theory.six_state_privacy_cost(0.0) == 0.0
    # At e = 2/3, λ = (0, 1/3, 1/3, 1/3): H(λ) = log2(3).
    ref = math.log2(3) - h(2 / 3)
    assert theory.six_state_privacy_cost(2 / 3) == pytest.approx(ref, rel=1e-9)
    assert qkd.six_state_rate(2 / 3) == 0.0
    np.testing.assert_allclose(
        qkd.six_state_rate(np.array([0.0, 0.05])), [1.0, qkd.six_state_rate(0.05)]
    )
    for bad in (0.7, np.array([0.1, 0.7])):
        with pytest.raises(ValueError, match=r"qber must be in \[0, 2/3\]"):
            qkd.six_state_rate(bad)
    assert qkd.six_state_rate(0.6666) == 0.0


def test_bbm92_werner_rate_pinned():
    # Werner state of fidelity F: e = 2(1 − F)/3 in both bases; r = 1 − 2h(e).
    for f in (1.0, 0.98, 0.9, 0.85):
        e = 2 * (1 - f) / 3
        assert qkd.bbm92_werner_rate(f) == pytest.approx(max(1 - 2 * h(e), 0.0), abs=1e-12)
    np.testing.assert_allclose(qkd.bbm92_werner_rate(np.array([1.0, 0.5])), [1.0, 0.0])


# --- probabilities and distances given as arrays -------------------------------------------


@pytest.mark.parametrize(
    "fn",
    [qkd.binary_entropy, qkd.plob_bound, qkd.tgw_bound, qkd.shor_preskill_rate],
)
def test_probability_arrays_are_validated(fn):
    for bad in ([0.1, -0.1], [0.1, 1.5], [0.1, np.nan], [np.inf]):
        with pytest.raises(ValueError, match="must be probabilities in"):
            fn(np.array(bad))
    with pytest.raises(TypeError, match="must be real numbers"):
        fn(["a", "b"])
    np.testing.assert_array_equal(fn(np.array([0.0])), [fn(0.0)])
    assert np.asarray(fn(np.array([0.0, 1.0]))).shape == (2,)


@pytest.mark.parametrize(
    "fn",
    [
        qkd.decoy_bb84_key_rate,
        qkd.gllp_key_rate,
        theory.decoy_vacuum_weak_key_rate,
        theory.single_photon_key_rate,
        theory.entangled_key_rate,
    ],
)
def test_distance_arrays_are_validated(fn):
    for bad in ([10.0, -1.0], [np.nan], [np.inf, 1.0]):
        with pytest.raises(ValueError, match="distance_km must be non-negative"):
            fn(np.array(bad))
    with pytest.raises(TypeError, match="distance_km must be real numbers"):
        fn(["x"])
    with pytest.raises(ValueError, match="distance_km"):
        fn(-1.0)
    out = fn(np.array([0.0, 20.0]))
    assert out.shape == (2,)
    np.testing.assert_allclose(out, [fn(0.0), fn(20.0)], rtol=1e-12)
    with pytest.raises(TypeError, match="link must be a LinkModel, got dict"):
        fn(10.0, link={})


# --- decoy states --------------------------------------------------------------------------


@pytest.mark.parametrize("link", LINKS)
@pytest.mark.parametrize("d", [0.0, 25.0, 80.0, 120.0])
@pytest.mark.parametrize("mu", [0.3, 0.48])
def test_infinite_decoy_rate_pinned(link, d, mu):
    # Lo, Ma, Chen, PRL 94, 230504 (2005), Eq. (1) with Y1 = Y0 + η and
    # e1 = (Y0/2 + e_sig η)/Y1: R = q {−Q_μ f h(E_μ) + Q1 [1 − h(e1)]}.
    eta = eta_of(link, d)
    q_mu, e_mu = gain_error(link, eta, mu)
    y1 = link.dark_count_prob + eta
    e1 = (link.dark_count_prob / 2 + e_sig(link) * eta) / y1
    q1 = y1 * mu * math.exp(-mu)
    for q in (0.5, 0.9):
        ref = q * (-q_mu * link.ec_efficiency * h(e_mu) + q1 * (1 - h(e1)))
        got = qkd.decoy_bb84_key_rate(d, mu, link=link, q=q)
        assert got == pytest.approx(max(ref, 0.0), rel=1e-9, abs=1e-300)


@pytest.mark.parametrize("link", LINKS)
@pytest.mark.parametrize("d", [0.0, 10.0, 30.0])
@pytest.mark.parametrize("mu", [0.05, 0.1])
def test_gllp_rate_pinned(link, d, mu):
    # Gottesman, Lo, Lütkenhaus, Preskill, QIC 4, 325 (2004): Δ = P(n ≥ 2)/Q_μ,
    # R = q Q_μ {(1 − Δ)[1 − h(E_μ/(1 − Δ))] − f h(E_μ)}.
    eta = eta_of(link, d)
    q_mu, e_mu = gain_error(link, eta, mu)
    p_multi = 1 - math.exp(-mu) - mu * math.exp(-mu)
    frac1 = min(max(1 - p_multi / q_mu, 0.0), 1.0)
    e1 = min(e_mu / frac1, 0.5) if frac1 > 0 else 0.5
    ref = 0.5 * q_mu * (frac1 * (1 - h(e1)) - link.ec_efficiency * h(e_mu))
    got = qkd.gllp_key_rate(d, mu, link=link)
    assert got == pytest.approx(max(ref, 0.0), rel=1e-9, abs=1e-300)


def test_gllp_zero_when_multiphoton_clicks_dominate():
    # At μ = 0.5 on a long GYS link the multi-photon probability exceeds the gain: Δ ≥ 1,
    # nothing is secure.
    assert qkd.gllp_key_rate(60.0, 0.5) == 0.0
    assert qkd.gllp_key_rate(np.array([0.0, 60.0]), 0.5)[1] == 0.0


def ref_vacuum_weak(q_mu, q_nu, eq_nu, y0, mu, nu, y0_err=None):
    # Ma, Qi, Zhao, Lo, PRA 72, 012326 (2005), Eqs. (34) and (37).
    y0_err = y0 if y0_err is None else y0_err
    y1 = (
        mu
        / (mu * nu - nu * nu)
        * (
            q_nu * math.exp(nu)
            - q_mu * math.exp(mu) * nu * nu / (mu * mu)
            - (mu * mu - nu * nu) / (mu * mu) * y0
        )
    )
    e1 = (eq_nu * math.exp(nu) - y0_err / 2) / (y1 * nu) if y1 > 0 else 0.5
    return y1, min(max(e1, 0.0), 0.5)


@pytest.mark.parametrize("link", LINKS)
@pytest.mark.parametrize("d", [5.0, 60.0])
@pytest.mark.parametrize(("mu", "nu"), [(0.48, 0.05), (0.6, 0.2), (0.3, 0.1)])
def test_vacuum_weak_bounds_pinned(link, d, mu, nu):
    eta = eta_of(link, d)
    q_mu, _ = gain_error(link, eta, mu)
    q_nu, e_nu = gain_error(link, eta, nu)
    y0 = link.dark_count_prob
    for y0_u, y0_l in ((y0, None), (1.5 * y0, 0.5 * y0)):
        ref = ref_vacuum_weak(q_mu, q_nu, e_nu * q_nu, y0_u, mu, nu, y0_l)
        got = theory.vacuum_weak_bounds(q_mu, q_nu, e_nu * q_nu, y0_u, mu, nu, y0_error=y0_l)
        assert got == pytest.approx(ref, rel=1e-9)
        assert isinstance(got[0], float) and isinstance(got[1], float)


def test_vacuum_weak_bounds_edge_cases():
    # The vacuum term (μ² − ν²)/μ² Y0 alone: with Q_ν e^ν = Q_μ e^μ ν²/μ², Y1ᴸ is
    # −μ/(μν − ν²)·(μ² − ν²)/μ²·Y0 < 0, and the error bound is then 0.5 by convention.
    mu, nu, y0 = 0.5, 0.1, 0.01
    q_mu = 0.2
    q_nu = q_mu * math.exp(mu) * nu**2 / mu**2 / math.exp(nu)
    y1, e1 = theory.vacuum_weak_bounds(q_mu, q_nu, 0.0, y0, mu, nu)
    assert y1 == pytest.approx(-mu / (mu * nu - nu**2) * (mu**2 - nu**2) / mu**2 * y0)
    assert e1 == 0.5
    with pytest.raises(ValueError, match="nu must be smaller than mu"):
        theory.vacuum_weak_bounds(0.1, 0.1, 0.0, 0.0, 0.2, 0.2)
    with pytest.raises(ValueError, match="y0_error"):
        theory.vacuum_weak_bounds(0.1, 0.01, 0.0, 0.0, 0.5, 0.1, y0_error=np.array([2.0]))
    y1a, e1a = theory.vacuum_weak_bounds(
        np.array([0.02, 0.03]), np.array([0.003, 0.004]), np.array([1e-4, 1e-4]), 0.0, 0.5, 0.1
    )
    assert y1a.shape == (2,) and e1a.shape == (2,)
    for i, (qm, qn) in enumerate(((0.02, 0.003), (0.03, 0.004))):
        ref = ref_vacuum_weak(qm, qn, 1e-4, 0.0, 0.5, 0.1)
        assert (y1a[i], e1a[i]) == pytest.approx(ref, rel=1e-9)
    # the error bound is clipped to [0, 0.5]
    _, e_hi = theory.vacuum_weak_bounds(0.01, 0.005, 0.005, 0.0, 0.5, 0.1)
    _, e_lo = theory.vacuum_weak_bounds(0.01, 0.005, 0.0, 0.001, 0.5, 0.1)
    assert e_hi == 0.5 and e_lo == 0.0


def test_decoy_rate_from_bounds_pinned():
    # R = q{−Q_μ f h(E_μ) + Y1ᴸ μ e^(−μ) [1 − h(e1ᵁ)]}, not clipped.
    for qm, em, y1, e1, mu, f, q in (
        (0.01, 0.03, 0.02, 0.03, 0.5, 1.22, 0.5),
        (0.002, 0.05, 0.004, 0.07, 0.3, 1.0, 0.8),
        (0.05, 0.2, 0.01, 0.3, 0.6, 1.5, 0.5),
        (0.01, 0.03, -0.02, 0.03, 0.5, 1.22, 0.5),
    ):
        ref = q * (-qm * f * h(em) + max(y1, 0) * mu * math.exp(-mu) * (1 - h(e1)))
        got = theory.decoy_rate_from_bounds(qm, em, y1, e1, mu, f=f, q=q)
        assert got == pytest.approx(ref, rel=1e-12)
    assert theory.decoy_rate_from_bounds(0.05, 0.2, 0.01, 0.3, 0.6) < 0  # not clipped
    # Error rates beyond 1/2 count as 1/2 (one bit per bit), not as their mirror image.
    assert theory.decoy_rate_from_bounds(0.01, 0.9, 0.0, 0.0, 0.5, f=1.0) == pytest.approx(
        0.5 * -0.01
    )
    assert theory.decoy_rate_from_bounds(0.0, 0.0, 0.01, 0.9, 0.5, f=1.0) == 0.0
    out = theory.decoy_rate_from_bounds(np.array([0.01, 0.0]), 0.03, 0.02, 0.03, 0.5)
    assert out.shape == (2,)
    with pytest.raises(ValueError, match="f must be in"):
        theory.decoy_rate_from_bounds(0.01, 0.03, 0.02, 0.03, 0.5, f=0.99)
    assert theory.decoy_rate_from_bounds(0.0, 0.0, 0.0, 0.0, 0.5, f=10.0) == 0.0
    with pytest.raises(ValueError, match="q must be in"):
        theory.decoy_rate_from_bounds(0.01, 0.03, 0.02, 0.03, 0.5, q=0.0)
    assert theory.decoy_rate_from_bounds(0.0, 0.0, 0.1, 0.0, 0.5, q=1.0) == pytest.approx(
        0.1 * 0.5 * math.exp(-0.5)
    )


@pytest.mark.parametrize("link", LINKS)
@pytest.mark.parametrize("d", [0.0, 40.0, 90.0])
def test_vacuum_weak_key_rate_pinned(link, d):
    mu, nu = 0.48, 0.1
    eta = eta_of(link, d)
    q_mu, e_mu = gain_error(link, eta, mu)
    q_nu, e_nu = gain_error(link, eta, nu)
    y1, e1 = ref_vacuum_weak(q_mu, q_nu, e_nu * q_nu, link.dark_count_prob, mu, nu)
    ref = 0.5 * (
        -q_mu * link.ec_efficiency * h(e_mu) + max(y1, 0) * mu * math.exp(-mu) * (1 - h(e1))
    )
    got = theory.decoy_vacuum_weak_key_rate(d, mu, nu, link=link)
    assert got == pytest.approx(max(ref, 0.0), rel=1e-9, abs=1e-300)


def ref_finite(d, mu, nu, fd, n, u, link, q=0.5):
    # Ma, Qi, Zhao, Lo (2005), Sec. "statistical fluctuations": the worst case of every
    # measured quantity at u standard deviations, then Eqs. (34), (37) and the GLLP rate.
    eta = eta_of(link, d)
    q_mu, e_mu = gain_error(link, eta, mu)
    q_nu, e_nu = gain_error(link, eta, nu)
    y0 = link.dark_count_prob
    n_mu, n_nu, n_0 = (1 - fd) * n, fd * n / 2, fd * n / 2
    q_nu_l = q_nu * (1 - u / math.sqrt(n_nu * q_nu))
    q_mu_u = q_mu * (1 + u / math.sqrt(n_mu * q_mu))
    y0_u = y0 * (1 + u / math.sqrt(n_0 * y0)) if y0 > 0 else 0.0
    y0_l = max(y0 * (1 - u / math.sqrt(n_0 * y0)), 0.0) if y0 > 0 else 0.0
    eq_u = e_nu * q_nu * (1 + u / math.sqrt(n_nu * e_nu * q_nu))
    vacuum_term = (mu**2 - nu**2) / mu**2 * y0_u
    y1 = (
        mu
        / (mu * nu - nu**2)
        * (q_nu_l * math.exp(nu) - q_mu_u * math.exp(mu) * nu**2 / mu**2 - vacuum_term)
    )
    if y1 <= 0:
        return 0.0
    e1 = min((eq_u * math.exp(nu) - y0_l / 2) / (y1 * nu), 0.5)
    r = q * (-q_mu * link.ec_efficiency * h(e_mu) + y1 * mu * math.exp(-mu) * (1 - h(e1)))
    return max((1 - fd) * r, 0.0)


@pytest.mark.parametrize("link", LINKS)
@pytest.mark.parametrize(
    ("d", "mu", "nu", "fd", "n", "u"),
    [
        (10.0, 0.48, 0.05, 0.2, 1e10, 5.0),
        (40.0, 0.5, 0.1, 0.3, 1e9, 3.0),
        (20.0, 0.6, 0.2, 0.1, 1e11, 5.0),
        (5.0, 0.4, 0.1, 0.5, 1e12, 0.0),
    ],
)
def test_finite_decoy_rate_pinned(link, d, mu, nu, fd, n, u):
    got = qkd.finite_decoy_key_rate(d, mu, nu, fd, n_pulses=n, n_sigma=u, link=link)
    ref = ref_finite(d, mu, nu, fd, n, u, link)
    assert got == pytest.approx(ref, rel=1e-9, abs=1e-300)


def test_finite_decoy_vacuum_term_matters_at_the_stated_precision():
    # The vacuum term (μ² − ν²)/μ² Y0ᵁ is pinned: on the noisy link at 30 km dropping it or
    # changing a power moves the rate by far more than the tolerance of the test above.
    link, d, mu, nu = NOISY, 30.0, 0.5, 0.2
    with_term = ref_finite(d, mu, nu, 0.2, 1e11, 3.0, link)
    no_dark = ref_finite(d, mu, nu, 0.2, 1e11, 3.0, link.replace(dark_count_prob=1e-12))
    assert with_term > 0 and abs(with_term - no_dark) / with_term > 1e-3
    got = qkd.finite_decoy_key_rate(d, mu, nu, 0.2, n_pulses=1e11, n_sigma=3.0, link=link)
    assert got == pytest.approx(with_term, rel=1e-9)


def test_finite_decoy_rate_boundaries():
    # ν ≥ μ gives no bound (0), as does a link so short of data that Y1ᴸ ≤ 0.
    assert qkd.finite_decoy_key_rate(10.0, 0.1, 0.1, 0.2) == 0.0
    assert qkd.finite_decoy_key_rate(10.0, 0.1, 0.2, 0.2) == 0.0
    assert qkd.finite_decoy_key_rate(100.0, 0.48, 0.05, 0.2, n_pulses=1e5) == 0.0
    ref = ref_finite(20.0, 0.48, 0.1, 0.2, 1e12, 5.0, GYS.replace(dark_count_prob=0.0))
    got = qkd.finite_decoy_key_rate(
        20.0, 0.48, 0.1, 0.2, n_pulses=1e12, link=GYS.replace(dark_count_prob=0.0)
    )
    assert got == pytest.approx(ref, rel=1e-9) and got > 0
    for fd in (0.0, 1.0):
        with pytest.raises(ValueError, match="decoy_fraction must be in"):
            qkd.finite_decoy_key_rate(10.0, 0.48, 0.05, fd)
    with pytest.raises(ValueError, match="n_pulses"):
        qkd.finite_decoy_key_rate(10.0, 0.48, 0.05, 0.2, n_pulses=0)
    with pytest.raises(ValueError, match="n_sigma"):
        qkd.finite_decoy_key_rate(10.0, 0.48, 0.05, 0.2, n_sigma=-1)
    assert qkd.finite_decoy_key_rate(10.0, 0.48, 0.05, 0.2, n_sigma=0) > 0


# --- single-photon and entangled sources ----------------------------------------------------


@pytest.mark.parametrize("link", LINKS)
@pytest.mark.parametrize("d", [0.0, 3.0, 30.0, 90.0])
@pytest.mark.parametrize("ps", [1.0, 0.6, 0.1])
def test_single_photon_rate_pinned(link, d, ps):
    # GLLP credit for single-photon clicks only; six-state privacy cost from Lo (2001).
    eta = eta_of(link, d)
    y0 = link.dark_count_prob
    y1 = y0 + eta
    q1 = ps * y1
    qt = q1 + (1 - ps) * y0
    e1 = min((y0 / 2 + e_sig(link) * eta) / y1, 0.5)
    e_tot = min((y0 / 2 + ps * e_sig(link) * eta) / qt, 0.5)
    f = link.ec_efficiency
    ref_bb84 = 0.5 * (q1 * (1 - h(e1)) - f * qt * h(e_tot))
    a = 1 - 1.5 * e1
    cost6 = -a * math.log2(a) - 1.5 * e1 * math.log2(e1 / 2) - h(e1) if e1 > 0 else 0.0
    ref_six = (q1 * (1 - cost6) - f * qt * h(e_tot)) / 3
    got_bb84 = theory.single_photon_key_rate(d, link=link, source_efficiency=ps)
    got_six = theory.single_photon_key_rate(
        d, link=link, protocol="six_state", source_efficiency=ps
    )
    assert got_bb84 == pytest.approx(max(ref_bb84, 0.0), rel=1e-9, abs=1e-300)
    assert got_six == pytest.approx(max(ref_six, 0.0), rel=1e-9, abs=1e-300)


def test_single_photon_rate_without_source_or_noise():
    assert theory.single_photon_key_rate(10.0, source_efficiency=0.0) == 0.0
    ideal = LinkModel(detector_efficiency=0.5)
    eta = 0.5 * 10 ** (-0.2)
    assert theory.single_photon_key_rate(10.0, link=ideal) == pytest.approx(eta / 2)
    assert theory.single_photon_key_rate(10.0, link=ideal, protocol="six_state") == pytest.approx(
        eta / 3
    )
    with pytest.raises(ValueError, match="protocol must be one of"):
        theory.single_photon_key_rate(10.0, protocol="b92")


@pytest.mark.parametrize("link", LINKS)
@pytest.mark.parametrize("d", [0.0, 20.0, 100.0, 200.0])
@pytest.mark.parametrize("ps", [1.0, 0.5, 0.05])
def test_entangled_rate_pinned_with_its_misalignment_term(link, d, ps):
    # BBM92 with the source in the middle (Ma, Fung, Lo, PRA 76, 012307 (2007), Sec. III):
    # each photon crosses d/2; coincidences Q = p(η_h + Y0)² + (1 − p) Y0²; errors
    # e_sig η_h² from misalignment on true pairs, 1/2 on every coincidence with a dark
    # count; R = Q [1 − h(E) − f h(E)] / 2.
    eta_h = eta_of(link, d / 2)
    y0 = link.dark_count_prob
    q_pair = (eta_h + y0) ** 2
    qt = ps * q_pair + (1 - ps) * y0 * y0
    misalignment = e_sig(link) * eta_h * eta_h
    err = ps * (misalignment + (q_pair - eta_h * eta_h) / 2) + (1 - ps) * y0 * y0 / 2
    e = min(err / qt, 0.5)
    ref = 0.5 * qt * (1 - h(e) - link.ec_efficiency * h(e))
    got = theory.entangled_key_rate(d, link=link, source_efficiency=ps)
    assert got == pytest.approx(max(ref, 0.0), rel=1e-9, abs=1e-300)


def test_entangled_rate_of_a_noiseless_link_and_no_source():
    ideal = LinkModel(detector_efficiency=1.0)
    assert theory.entangled_key_rate(0.0, link=ideal) == pytest.approx(0.5)
    assert theory.entangled_key_rate(20.0, link=ideal) == pytest.approx(0.5 * 10 ** (-0.4))
    assert theory.entangled_key_rate(20.0, link=ideal, source_efficiency=0.0) == 0.0
    # Misalignment only: E = e_sig exactly, at any distance.
    mis = LinkModel(misalignment=0.05)
    for d in (0.0, 50.0):
        q = 10 ** (-0.2 * d / 10)
        ref = 0.5 * q * (1 - 2 * h(0.05))
        assert theory.entangled_key_rate(d, link=mis) == pytest.approx(ref, rel=1e-12)


# --- maximum distance ------------------------------------------------------------------------


def test_maximum_distance_bisection():
    assert theory.maximum_distance(lambda d: 73.25 - d) == pytest.approx(73.25, abs=1e-3)
    assert theory.maximum_distance(lambda d: 73.25 - d, tol=10.0) == pytest.approx(73.25, abs=10.0)
    assert theory.maximum_distance(lambda d: 1.0, d_max=12.0) == 12.0
    assert theory.maximum_distance(lambda d: 0.0) == 0.0
    assert theory.maximum_distance(lambda d: -1.0) == 0.0
    # "positive" is strict: a rate that is exactly 0 beyond 40 km ends at 40 km.
    assert theory.maximum_distance(lambda d: 1.0 if d < 40 else 0.0) == pytest.approx(
        40.0, abs=1e-3
    )
    assert theory.maximum_distance(lambda d: 1.0 if d <= 40 else 0.0) == pytest.approx(
        40.0, abs=1e-3
    )
    assert theory.maximum_distance(lambda d: 5.0 - d, d_max=5.0) == pytest.approx(5.0, abs=1e-3)
    ref = qkd.decoy_bb84_key_rate
    d_star = theory.maximum_distance(ref)
    assert ref(d_star - 0.01) > 0 and ref(d_star + 0.01) == 0.0
    with pytest.raises(TypeError, match="rate must be callable"):
        theory.maximum_distance(3.0)
    with pytest.raises(ValueError, match="tol"):
        theory.maximum_distance(ref, tol=0.0)
    with pytest.raises(ValueError, match="d_max"):
        theory.maximum_distance(ref, d_max=-1.0)


def test_finite_decoy_defaults_are_the_documented_ones():
    # n_pulses = 1e10, n_sigma = 5, GYS, q = 1/2
    for d in (10.0, 60.0):
        ref = ref_finite(d, 0.48, 0.1, 0.3, 1e10, 5.0, GYS)
        assert qkd.finite_decoy_key_rate(d, 0.48, 0.1, 0.3) == pytest.approx(ref, rel=1e-9)
