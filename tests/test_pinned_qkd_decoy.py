"""qnetlab.qkd.decoy: the PNS attack's single-photon path, the finite-size bounds and input.

Issue 21. References: Brassard, Lütkenhaus, Mor, Sanders, PRL 85, 1330 (2000) for the
photon-number-splitting attack; Ma, Qi, Zhao, Lo, PRA 72, 012326 (2005) for the vacuum +
weak decoy bounds with statistical fluctuations.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import poisson

from qnetlab import qkd
from qnetlab.qkd import theory


def binom_se(p: float, n: int) -> float:
    return math.sqrt(max(p * (1 - p), 1e-12) / max(n, 1))


def wilson(k: int, n: int, u: float, sign: int) -> float:
    # (k + u²/2 ± u √(k + u²/4))/N, the n_sigma bound of run_decoy_bb84's docstring; with
    # no trial at all the bound is the whole interval [0, 1].
    if n <= 0:
        return 1.0 if sign > 0 else 0.0
    x = (k + u * u / 2 + sign * u * math.sqrt(k + u * u / 4)) / n
    return min(x, 1.0) if sign > 0 else max(x, 0.0)


def reference_bounds(r, u: float) -> tuple[float, float, float]:
    """(Y1ᴸ, e1ᵁ, key rate) recomputed from the run's raw counts."""
    mu, nu, _ = r.intensities
    clicks = [round(g * n) for g, n in zip(r.gains, r.sent)]
    q_mu_u = wilson(clicks[0], r.sent[0], u, +1)
    q_nu_l = wilson(clicks[1], r.sent[1], u, -1)
    y0_u = wilson(clicks[2], r.sent[2], u, +1)  # Y0 enters Y1ᴸ with a minus sign
    y0_l = wilson(clicks[2], r.sent[2], u, -1)  # ... and e1ᵁ's numerator with a minus sign
    eq_u = min(2 * wilson(r.error_counts[1], r.sent[1], u, +1), 1.0)
    y1 = (
        mu
        / (mu * nu - nu**2)
        * (
            q_nu_l * math.exp(nu)
            - q_mu_u * math.exp(mu) * nu**2 / mu**2
            - (mu**2 - nu**2) / mu**2 * y0_u
        )
    )
    e1 = min(max((eq_u * math.exp(nu) - y0_l / 2) / (y1 * nu), 0.0), 0.5) if y1 > 0 else 0.5
    r_sig = theory.decoy_rate_from_bounds(r.gains[0], r.errors[0], y1, e1, mu, f=1.22)
    p_sig = r.sent[0] / r.n_pulses
    return max(y1, 0.0), e1, r_sig, p_sig


@pytest.mark.parametrize(
    ("n", "d", "u", "seed"),
    [(20_000_000, 25.0, 3.0, 1), (5_000_000, 10.0, 5.0, 2), (300, 10.0, 3.0, 3)],
)
def test_bounds_and_rate_recomputed_from_counts(n, d, u, seed):
    r = qkd.run_decoy_bb84(n, link=qkd.GYS.with_length(d), n_sigma=u, seed=seed)
    y1, e1, r_sig, _ = reference_bounds(r, u)
    assert r.y1_lower == pytest.approx(y1, rel=1e-9, abs=1e-15)
    assert r.e1_upper == pytest.approx(e1, rel=1e-9)
    # the key rate is per pulse sent: the signal fraction p_μ = 0.6 times the signal rate
    assert r.key_rate == pytest.approx(max(0.6 * r_sig, 0.0), rel=1e-9, abs=1e-300)
    assert r.aborted == (r.key_rate <= 0)
    exp = 0.6 * theory.decoy_vacuum_weak_key_rate(d, 0.48, 0.05, link=qkd.GYS)
    assert r.expected_key_rate == pytest.approx(exp, rel=1e-12)


def test_classes_that_sent_nothing_give_the_widest_bounds():
    # One pulse: two of the three classes sent nothing. Their rates are bounded by [0, 1]:
    # Y1ᴸ collapses (reported as 0), e1ᵁ is 1/2, no key.
    for seed in range(4):
        r = qkd.run_decoy_bb84(1, seed=seed)
        assert sum(r.sent) == 1 and r.aborted and r.key_rate == 0.0
        assert r.y1_lower == 0.0 and r.e1_upper == 0.5
        assert all(e == 0.5 for e, s in zip(r.errors, r.sifted_counts) if s == 0)


def test_n_sigma_zero_gives_the_measured_rates():
    r = qkd.run_decoy_bb84(2_000_000, link=qkd.GYS.with_length(5.0), n_sigma=0.0, seed=5)
    y1, e1, _, _ = reference_bounds(r, 0.0)
    clicks = [round(g * n) for g, n in zip(r.gains, r.sent)]
    y1_plain, e1_plain = theory.vacuum_weak_bounds(
        r.gains[0],
        r.gains[1],
        2 * r.error_counts[1] / r.sent[1],
        clicks[2] / r.sent[2],
        0.48,
        0.05,
    )
    assert r.y1_lower == pytest.approx(y1_plain, rel=1e-9) == pytest.approx(y1)
    assert r.e1_upper == pytest.approx(e1_plain, rel=1e-9) == pytest.approx(e1)


def pns_click_probabilities(link, m: float, mu: float) -> tuple[float, float]:
    """(P(click), P(click and Eve holds a photon)) of one pulse of intensity m under PNS.

    Brassard et al. (2000): Eve splits every multi-photon pulse, forwards n − 1 photons with
    probability s_m and single photons with s_1 (tuned on the signal μ); each forwarded
    photon meets Bob's detector η_Bob; dark counts Y0 click on their own.
    """
    eta_b, y0 = link.detector_efficiency, link.dark_count_prob
    s1, sm = qkd.PhotonNumberSplitting().forwarding(link.transmissivity, eta_b, mu)
    n = np.arange(0, 100)
    p = poisson.pmf(n, m)
    single = s1 * eta_b * p[1]
    split_ph = sm * float(np.sum(p[2:] * (1 - (1 - eta_b) ** (n[2:] - 1))))
    photon = single + split_ph
    p_multi = float(np.sum(p[2:]))
    click = y0 + (1 - y0) * photon
    # Eve holds a photon of every multi-photon pulse; it clicks by her forwarded photons
    # or by a dark count.
    eve_click = split_ph + y0 * (p_multi - split_ph)
    return click, eve_click


def test_pns_single_photon_path_at_short_distance():
    # At 10 km of GYS fibre the multi-photon pulses alone cannot reproduce Bob's signal click
    # rate, so Eve also forwards a fraction 0 < s_1 < 1 of the single photons (untouched).
    link = qkd.GYS.with_length(10.0)
    s1, sm = qkd.PhotonNumberSplitting().forwarding(
        link.transmissivity, link.detector_efficiency, 0.48
    )
    assert sm == 1.0 and 0.3 < s1 < 0.95
    r = qkd.run_decoy_bb84(
        40_000_000, link=link, eve=qkd.PhotonNumberSplitting(), n_sigma=3.0, seed=17
    )
    assert r.eve == "photon-number splitting"
    for k, m in enumerate(r.intensities):
        click, _ = pns_click_probabilities(link, m, 0.48)
        assert abs(r.gains[k] - click) < 4 * binom_se(click, r.sent[k])
    # The signal gain is the honest one (that is what Eve tunes s_1 for) ...
    assert abs(r.gains[0] - link.gain(0.48)) < 4 * binom_se(link.gain(0.48), r.sent[0])
    # ... Eve knows exactly the bits of the pulses she split: a fraction of the signal clicks
    click, eve_click = pns_click_probabilities(link, 0.48, 0.48)
    assert r.eve_information == pytest.approx(eve_click / click, abs=0.02)
    assert 0.2 < r.eve_information < 0.6
    # ... and the single photons she forwards cause only the misalignment errors.
    e_ref = (link.dark_count_prob / 2 + 0.033 * (click - link.dark_count_prob)) / click
    assert abs(r.errors[0] - e_ref) < 4 * binom_se(e_ref, r.sifted_counts[0])
    # The weak decoy (mostly single photons) clicks with s_1 η_Bob instead of the fibre's
    # η: here more often than on the honest link, a mismatch the decoy bounds see.
    assert r.gains[1] > link.gain(0.05) + 4 * binom_se(link.gain(0.05), r.sent[1])


def test_pns_with_all_photons_forwarded_near_the_source():
    # At 0 km: s_1 = 1, every single photon is forwarded; Eve still keeps the split ones.
    link = qkd.GYS.with_length(0.0)
    s1, sm = qkd.PhotonNumberSplitting().forwarding(
        link.transmissivity, link.detector_efficiency, 0.48
    )
    assert s1 == 1.0 and sm == 1.0
    r = qkd.run_decoy_bb84(5_000_000, link=link, eve=qkd.PhotonNumberSplitting(), seed=3)
    for k, m in enumerate(r.intensities):
        click, _ = pns_click_probabilities(link, m, 0.48)
        assert abs(r.gains[k] - click) < 4 * binom_se(click, r.sent[k])


def test_pns_with_a_perfect_detector():
    # η_Bob = 1: Bob's detector clicks on every forwarded multi-photon pulse (tail term 0).
    link = qkd.LinkModel(length_km=60.0, detector_efficiency=1.0, dark_count_prob=1e-6)
    r = qkd.run_decoy_bb84(5_000_000, link=link, eve=qkd.PhotonNumberSplitting(), seed=4)
    for k, m in enumerate(r.intensities):
        click, _ = pns_click_probabilities(link, m, 0.48)
        assert abs(r.gains[k] - click) < 4 * binom_se(click, r.sent[k])


def test_intercept_resend_on_decoys():
    # Intercept-resend in a random basis: 25 % errors on the photon clicks of every class.
    link = qkd.LinkModel(detector_efficiency=0.5)
    r = qkd.run_decoy_bb84(400_000, link=link, eve=qkd.InterceptResend(), seed=9)
    for k in range(2):
        assert abs(r.errors[k] - 0.25) < 4 * binom_se(0.25, r.sifted_counts[k])
    assert r.aborted and r.eve_information > 0.3
    honest = qkd.run_decoy_bb84(400_000, link=link, seed=9)
    assert honest.eve_information == 0.0 and honest.eve == ""
    assert not honest.aborted


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"n_pulses": 0}, ValueError, "n_pulses"),
        ({"n_pulses": 1.5}, TypeError, "n_pulses"),
        ({"backend": "qiskit"}, ValueError, "backend"),
        ({"link": {}}, TypeError, "link must be a LinkModel, got dict"),
        ({"eve": "pns"}, TypeError, "eve must be None, PhotonNumberSplitting"),
        ({"intensities": (0.5, 0.1)}, ValueError, "three values"),
        ({"probabilities": (0.5, 0.5)}, ValueError, "three values"),
        ({"intensities": (0.0, 0.1, 0.0)}, ValueError, r"intensities\[0\]"),
        ({"intensities": (0.5, -0.1, 0.0)}, ValueError, r"intensities\[1\]"),
        ({"intensities": (0.1, 0.1, 0.0)}, ValueError, "0 < nu < mu"),
        ({"intensities": (0.1, 0.2, 0.0)}, ValueError, "0 < nu < mu"),
        ({"intensities": (0.5, 0.1, 0.01)}, ValueError, r"intensities\[2\] must be 0"),
        ({"probabilities": (0.6, 0.3, 1.1)}, ValueError, r"probabilities\[2\]"),
        ({"probabilities": (0.6, 0.3, 0.2)}, ValueError, "sum to 1"),
        ({"probabilities": (0.7, 0.3, 0.0)}, ValueError, "positive and sum to 1"),
        ({"n_sigma": -1.0}, ValueError, "n_sigma"),
        ({"seed": -1}, ValueError, "seed"),
    ],
)
def test_bad_input(kwargs, exc, match):
    args = {"n_pulses": 1000, **kwargs}
    with pytest.raises(exc, match=match):
        qkd.run_decoy_bb84(args.pop("n_pulses"), **args)


def test_probability_sum_tolerance():
    # Within 1e-9 of 1 is accepted (rounding of user input), beyond is refused.
    r = qkd.run_decoy_bb84(1000, probabilities=(0.6, 0.3, 0.1 + 5e-10), seed=0)
    assert sum(r.sent) == 1000
    with pytest.raises(ValueError, match="sum to 1"):
        qkd.run_decoy_bb84(1000, probabilities=(0.6, 0.3, 0.1 + 5e-9), seed=0)


def test_repr_and_counts():
    r = qkd.run_decoy_bb84(100_000, link=qkd.GYS.with_length(5.0), seed=1)
    assert r.n_pulses == 100_000 and r.backend == "numpy"
    assert r.intensities == (0.48, 0.05, 0.0)
    assert "DecoyBB84Result(backend='numpy'" in repr(r)
    assert r.sifted_signal <= round(r.gains[0] * r.sent[0])
    for k in range(3):
        assert r.error_counts[k] <= r.sifted_counts[k]
        if r.sifted_counts[k]:
            assert r.errors[k] == r.error_counts[k] / r.sifted_counts[k]
    # the vacuum clicks only by dark counts: random bits, errors about 1/2 if any
    assert r.sifted_counts[2] <= round(r.gains[2] * r.sent[2])


def test_pns_on_the_cirq_backend_agrees_with_numpy():
    # Eve's split-off photon is a second Cirq qubit prepared like the signal and read in
    # the announced basis: she learns the same share of the signal bits on both backends.
    link = qkd.LinkModel(length_km=20.0, detector_efficiency=0.5, dark_count_prob=1e-4)
    kw = {"link": link, "eve": qkd.PhotonNumberSplitting(), "probabilities": (0.8, 0.1, 0.1)}
    c = qkd.run_decoy_bb84(4000, backend="cirq", seed=21, **kw)
    n = qkd.run_decoy_bb84(400_000, backend="numpy", seed=22, **kw)
    click, eve_click = pns_click_probabilities(link, 0.48, 0.48)
    assert n.eve_information == pytest.approx(eve_click / click, abs=0.03)
    assert c.eve_information == pytest.approx(eve_click / click, abs=0.15)
    assert c.eve_information > 0.1 and c.backend == "cirq"


def test_gains_with_many_dark_counts_are_exact_click_probabilities():
    # A pulse clicks unless no photon arrives and no dark count fires:
    # Q = 1 − (1 − Y0) e^(−ημ) = Y0 + (1 − Y0)(1 − e^(−ημ)); Ma et al.'s Y0 + 1 − e^(−ημ)
    # drops the Y0 (1 − e^(−ημ)) overlap, visible only when Y0 is large, as here.
    link = qkd.LinkModel(detector_efficiency=0.3, dark_count_prob=0.3)
    r = qkd.run_decoy_bb84(300_000, link=link, seed=12)
    for k, m in enumerate(r.intensities):
        q = 1 - 0.7 * math.exp(-0.3 * m)
        assert abs(r.gains[k] - q) < 4 * binom_se(q, r.sent[k])
    # dark counts give random bits: the vacuum's sifted error rate is 1/2
    assert abs(r.errors[2] - 0.5) < 4 * binom_se(0.5, r.sifted_counts[2])


def test_result_count_fields_default_to_zero():
    from qnetlab.qkd.decoy import DecoyBB84Result

    r = DecoyBB84Result(
        "numpy",
        0,
        (0.48, 0.05, 0.0),
        (0, 0, 0),
        (0.0,) * 3,
        (0.5,) * 3,
        0,
        0.0,
        0.5,
        0.0,
        0.0,
        True,
        0.0,
    )
    assert r.eve == "" and r.sifted_counts == (0, 0, 0) and r.error_counts == (0, 0, 0)


@pytest.mark.parametrize(("eta_bob", "mu"), [(0.5, 0.5), (1.0, 2.0), (0.05, 0.9)])
def test_memory_refusal_counts_the_expected_clicks(eta_bob, mu):
    # Only clicking pulses get bits and bases (about 100 bytes each): the up-front estimate
    # is 100 B · N · Q_μ with the signal gain Q_μ = 1 − e^(−ημ) + Y₀ (Ma et al. 2005,
    # Eq. (5)), so a run far too large is refused with that figure before anything runs.
    y0 = 1e-3
    link = qkd.LinkModel(detector_efficiency=eta_bob, dark_count_prob=y0)
    n = 3 * 10**10
    gain = 1 - math.exp(-eta_bob * mu) + y0
    with pytest.raises(ValueError, match="n_pulses") as err:
        qkd.run_decoy_bb84(n, link=link, intensities=(mu, 0.1, 0.0))
    gb = float(err.value.args[0].split("about ")[1].split(" GB")[0])
    assert gb == pytest.approx(100 * n * gain / 2**30, rel=5e-3)
