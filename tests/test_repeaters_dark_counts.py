"""Dark counts on heralded links (issue 20): the closed forms at small and large loss.

Model (module docstring of :mod:`qnetlab.repeaters.links`): two detectors, a gate heralds
when exactly one clicks; p_d per detector and gate. Barrett & Kok, PRA 71, 060310 (2005)
for the double-click scheme; Cabrillo et al., PRA 59, 1025 (1999) for the single click.
"""

from __future__ import annotations

import numpy as np
import pytest

from qnetlab.channels import fiber_transmissivity
from qnetlab.repeaters import double_click_link, heralded_link, single_click_link


@pytest.mark.parametrize("scheme", ["single_click", "double_click"])
def test_no_dark_counts_is_the_old_link(scheme):
    base = heralded_link(scheme, 80.0)
    zero = heralded_link(scheme, 80.0, dark_count_prob=0.0)
    assert zero.success_probability == base.success_probability
    np.testing.assert_array_equal(zero.coefficients, base.coefficients)


def test_double_click_small_loss_closed_form():
    # eta = 1 (no fibre, perfect detectors): a dark count can only spoil a gate, so
    # p = (1 - p_d)^2 / 2 and the heralded pair keeps F = (1 + V)/2
    for pd in (1e-6, 1e-3, 0.05):
        link = double_click_link(0.0, detector_efficiency=1.0, visibility=0.9, dark_count_prob=pd)
        assert link.success_probability == pytest.approx((1 - pd) ** 2 / 2, rel=1e-12)
        assert link.fidelity == pytest.approx(0.95, abs=1e-12)


def test_double_click_intermediate_and_large_loss():
    pd = 1e-5
    for length in (100.0, 300.0, 500.0):
        eta = fiber_transmissivity(length / 2) * 0.9
        a, b = eta * (1 - pd), (1 - eta) * 2 * pd * (1 - pd)
        p_t, p_f = a * a / 2, (2 * a * b + b * b) / 2
        link = double_click_link(length, dark_count_prob=pd)
        assert link.success_probability == pytest.approx(p_t + p_f, rel=1e-9)
        assert link.fidelity == pytest.approx((p_t + p_f / 4) / (p_t + p_f), rel=1e-9)
    # eta -> 0: only dark counts herald, p -> 2 p_d^2 (1 - p_d)^2, no entanglement left
    far = double_click_link(2000.0, dark_count_prob=pd)
    assert far.success_probability == pytest.approx(2 * pd**2 * (1 - pd) ** 2, rel=1e-6)
    assert far.fidelity == pytest.approx(0.25, abs=1e-6)
    # small loss: the false heralds are a fraction ~ 2 b / a ~ 4 p_d (1 - eta) / eta
    near = double_click_link(10.0, dark_count_prob=pd)
    eta = fiber_transmissivity(5.0) * 0.9
    assert 1 - near.fidelity == pytest.approx(0.75 * 4 * pd * (1 - eta) / eta, rel=0.01)


def test_single_click_limits():
    alpha, pd = 0.1, 1e-4
    # eta -> 0: p -> 2 p_d (1 - p_d), the memories hold the no-click mixture: F = alpha(1-alpha)
    far = single_click_link(3000.0, bright_state_population=alpha, dark_count_prob=pd)
    assert far.success_probability == pytest.approx(2 * pd * (1 - pd), rel=1e-6)
    assert far.fidelity == pytest.approx(alpha * (1 - alpha), rel=1e-6)
    # eta = 1: a false herald needs both nodes dark (|00>), which has no Phi+ weight
    clean = single_click_link(0.0, bright_state_population=alpha, detector_efficiency=1.0)
    near = single_click_link(
        0.0, bright_state_population=alpha, detector_efficiency=1.0, dark_count_prob=pd
    )
    p_t = (1 - (1 - alpha) ** 2) * (1 - pd)
    p_f = (1 - alpha) ** 2 * 2 * pd * (1 - pd)
    assert near.success_probability == pytest.approx(p_t + p_f, rel=1e-12)
    assert near.fidelity == pytest.approx(clean.fidelity * p_t / (p_t + p_f), rel=1e-12)


@pytest.mark.parametrize("scheme", ["single_click", "double_click"])
def test_fidelity_falls_as_dark_counts_rise(scheme):
    fids = [heralded_link(scheme, 200.0, dark_count_prob=pd).fidelity for pd in (0, 1e-7, 1e-5)]
    assert fids[0] > fids[1] > fids[2]
    with pytest.raises(ValueError, match="dark_count_prob"):
        heralded_link(scheme, 10.0, dark_count_prob=1.5)


def test_rate_vs_distance_names_the_chain_keywords():
    import inspect

    from qnetlab.repeaters import rate_vs_distance, simulate_chain

    forwarded = set(inspect.signature(simulate_chain).parameters) - {
        "n_segments", "link", "n_samples", "seed", "progress"
    }  # fmt: skip
    params = inspect.signature(rate_vs_distance).parameters
    assert forwarded <= set(params)
    assert not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    doc = inspect.getdoc(rate_vs_distance)
    for name in forwarded:
        assert f"{name} :" in doc or f", {name} :" in doc or f"{name}, " in doc, name
    # the keywords reach the simulator: shorter memories give lower fidelity
    slow = rate_vs_distance([200.0], 4, n_samples=300, seed=3, coherence_time_s=10.0)
    fast = rate_vs_distance([200.0], 4, n_samples=300, seed=3, coherence_time_s=0.01)
    assert fast.mean_fidelity[0] < slow.mean_fidelity[0] - 0.05


def test_chain_result_names_its_secret_fraction_per_pair():
    from qnetlab.qkd import bbm92_werner_rate
    from qnetlab.repeaters import elementary_link, simulate_chain

    res = simulate_chain(2, elementary_link(0.5, fidelity=0.95), n_samples=200, seed=0)
    assert res.secret_bits_per_pair == pytest.approx(bbm92_werner_rate(res.mean_fidelity))
    with pytest.warns(DeprecationWarning, match="use secret_bits_per_pair"):
        assert res.secret_fraction == res.secret_bits_per_pair  # documented old name
    assert res.key_rate == pytest.approx(res.secret_bits_per_pair * res.rate)


def test_single_click_intermediate_loss_closed_form():
    # Cabrillo et al. (1999) heralded state, mixed with the no-click state of a false herald
    alpha, pd, v = 0.2, 1e-4, 0.95
    for length in (30.0, 120.0):
        eta = fiber_transmissivity(length / 2) * 0.9
        a = alpha * (1 - alpha) * eta
        b = alpha**2 * eta * (2 - eta) / 2
        true_f = a * (1 + v) / 2 / (a + b)
        p_t = (1 - (1 - alpha * eta) ** 2) * (1 - pd)
        p_f = (1 - alpha * eta) ** 2 * 2 * pd * (1 - pd)
        w00, w01, w11 = (1 - alpha) ** 2, alpha * (1 - alpha) * (1 - eta), (alpha * (1 - eta)) ** 2
        false_f = w01 / (w00 + 2 * w01 + w11)  # after the X map, |01>,|10> carry Phi+ weight
        link = single_click_link(
            length, bright_state_population=alpha, visibility=v, dark_count_prob=pd
        )
        assert link.success_probability == pytest.approx(p_t + p_f, rel=1e-12)
        assert link.fidelity == pytest.approx((p_t * true_f + p_f * false_f) / (p_t + p_f))
        assert link.coefficients.sum() == pytest.approx(1.0)


def test_link_functions_default_to_no_dark_counts():
    for fn in (single_click_link, double_click_link):
        assert fn(150.0).fidelity == fn(150.0, dark_count_prob=0.0).fidelity
        assert fn(150.0).success_probability == fn(150.0, dark_count_prob=0.0).success_probability


@pytest.mark.parametrize("scheme", ["single_click", "double_click"])
def test_detectors_that_always_click_never_herald(scheme):
    # p_d = 1: both detectors click in every gate, so no gate has exactly one click
    link = heralded_link(scheme, 50.0, dark_count_prob=1.0)
    assert link.success_probability == 0.0
    assert link.fidelity == heralded_link(scheme, 50.0).fidelity  # never used
