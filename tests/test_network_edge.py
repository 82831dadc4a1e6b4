"""Edge key pools and the XR budget (qnetlab.network.edge, chapter III.C.2).

Closed forms are recomputed here independently: the demand n b / T of a device class, the
decoy-BB84 supply (Lo, Ma & Chen, PRL 94, 230504, 2005, Eqs. for the infinite-decoy GLLP
rate) times the pulse rate, and the waiting time of one heralded double-click link
(Barrett & Kok, PRA 71, 060310, 2005: p = η²/2 per attempt, a geometric number of attempts).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from qnetlab.network import edge, xr
from qnetlab.qkd.link import GYS

METERS = edge.DeviceClass("meters", 900, 900.0)


def _h(x: float) -> float:
    return -x * math.log2(x) - (1 - x) * math.log2(1 - x)


def test_demand_is_devices_times_key_bits_over_interval():
    classes = [edge.DeviceClass("a", 1000, 60.0), edge.DeviceClass("b", 10, 0.5, key_bits=128)]
    assert edge.key_demand_bps(classes) == pytest.approx(1000 * 256 / 60 + 10 * 128 / 0.5)
    assert METERS.rekeys_per_s == pytest.approx(1.0)


def test_supply_is_lo_ma_chen_rate_times_pulse_rate():
    """Lo, Ma & Chen (2005): R = q{-Q_mu f h(E_mu) + Q_1 [1 - h(e_1)]}, recomputed by hand."""
    d, mu = 25.0, 0.48
    eta = GYS.detector_efficiency * 10 ** (-GYS.attenuation_db_per_km * d / 10)
    y0, e_sig = GYS.dark_count_prob, GYS.signal_error
    q_mu = y0 + 1 - math.exp(-eta * mu)
    e_mu = (0.5 * y0 + e_sig * (1 - math.exp(-eta * mu))) / q_mu
    y1 = y0 + eta
    e1 = (0.5 * y0 + e_sig * eta) / y1
    q1 = y1 * mu * math.exp(-mu)
    rate = 0.5 * (-q_mu * GYS.ec_efficiency * _h(e_mu) + q1 * (1 - _h(e1)))
    assert edge.qkd_key_supply_bps(d, pulse_rate_hz=2e8) == pytest.approx(2e8 * rate, rel=1e-9)


def test_finite_blocks_give_less_key_and_more_with_longer_blocks():
    full = edge.qkd_key_supply_bps(30.0)
    short = edge.qkd_key_supply_bps(30.0, block_s=0.1)
    long = edge.qkd_key_supply_bps(30.0, block_s=10.0)
    assert 0 < short < long < full
    assert edge.qkd_key_supply_bps(200.0) == 0.0


def test_trace_mean_follows_the_two_state_chain():
    c = edge.DeviceClass("v", 200, 1.0, burst_factor=3.0)
    t = edge.key_demand_trace([c], 40_000, slot_s=0.1, switch_probabilities=(0.02, 0.06), seed=4)
    pi_b = 0.02 / 0.08
    expected = 200 * 0.1 * (1 + pi_b * 2.0)
    assert t.burst.mean() == pytest.approx(pi_b, abs=0.03)
    assert t.requests.mean() == pytest.approx(expected, rel=0.03)
    assert t.requests[t.burst[:, 0], 0].mean() > 2.5 * t.requests[~t.burst[:, 0], 0].mean()


def test_pool_serves_everything_with_ample_supply_and_nothing_without():
    t = edge.key_demand_trace(edge.IOT_CLASSES, 100, seed=1)
    ample = 10 * t.demand_bits.max() / t.slot_s
    for policy in (edge.GreedyKeyPool(), edge.StaticKeyPool(edge.proportional_shares(t))):
        assert edge.simulate_key_pool(t, ample, policy, seed=0).outage == 0.0
    none = edge.simulate_key_pool(t, 0.0, edge.GreedyKeyPool(), seed=0)
    assert none.outage == 1.0 and none.served.sum() == 0


def test_served_key_never_exceeds_supplied_key():
    t = edge.key_demand_trace(edge.IOT_CLASSES, 300, seed=2)
    supply = 0.6 * edge.key_demand_bps(edge.IOT_CLASSES)
    for policy in (
        edge.GreedyKeyPool(),
        edge.StaticKeyPool(edge.proportional_shares(t)),
        edge.BanditKeyPool(edge.share_menu(edge.proportional_shares(t)), seed=3),
    ):
        r = edge.simulate_key_pool(t, supply, policy, capacity_s=1.0, seed=5)
        used = float((r.served * t.key_bits).sum())
        supplied = supply * t.slot_s * t.n_slots
        assert used + r.wasted_bits + r.stored_bits[-1] == pytest.approx(supplied, rel=1e-9)
        assert np.all(r.served <= r.requests) and np.all(r.stored_bits <= supply + 1e-6)


def test_short_supply_outage_is_one_minus_supply_over_demand_for_greedy():
    t = edge.key_demand_trace(edge.IOT_CLASSES, 2000, seed=6)
    demand = t.demand_bits.sum() / (t.n_slots * t.slot_s)
    r = edge.simulate_key_pool(t, 0.5 * demand, edge.GreedyKeyPool(), seed=7)
    assert r.outage == pytest.approx(0.5, abs=0.01)


def test_pooling_beats_a_static_partition_near_balance():
    """A shared pool wastes nothing a partition would: paired over five traces."""
    diffs = []
    for s in range(5):
        train = edge.key_demand_trace(edge.IOT_CLASSES, 600, seed=100 + s)
        test = edge.key_demand_trace(edge.IOT_CLASSES, 600, seed=200 + s)
        supply = 1.05 * train.demand_bits.sum() / (train.n_slots * train.slot_s)
        g = edge.simulate_key_pool(test, supply, edge.GreedyKeyPool(), seed=s).outage
        st = edge.StaticKeyPool(edge.proportional_shares(train))
        diffs.append(edge.simulate_key_pool(test, supply, st, seed=s).outage - g)
    assert min(diffs) > 0


def test_bandit_learns_the_arm_that_serves_its_only_class():
    """Two classes, one never asks: the arm that feeds the asking class wins."""
    classes = [edge.DeviceClass("on", 100, 0.1), edge.DeviceClass("off", 1, 1e6)]
    policy = edge.BanditKeyPool([[0.9, 0.1], [0.1, 0.9]], epoch_slots=5, seed=0)
    t = edge.key_demand_trace(classes, 2000, seed=1)
    supply = 0.8 * t.demand_bits.sum() / (t.n_slots * t.slot_s)
    edge.simulate_key_pool(t, supply, policy, seed=2)
    assert policy.bandit.counts[0] > 5 * policy.bandit.counts[1]


def test_share_menu_rows():
    menu = edge.share_menu([1.0, 1.0, 2.0], tilt=2.0)
    assert menu.shape == (4, 3)
    np.testing.assert_allclose(menu.sum(axis=1), 1.0)
    np.testing.assert_allclose(menu[3], [1 / 6, 1 / 6, 2 / 3])  # (1, 1, 4) / 6


def test_xr_key_budget_closed_forms():
    b = xr.XRBudget(frame_rate_hz=120.0, user_rate_bps=2e9)
    out = xr.xr_key_budget(1e6, b, rekeys_per_frame=2.0)
    assert out["key_bits_per_frame"] == pytest.approx(1e6 / 120)
    assert out["sessions"] == pytest.approx(1e6 / (120 * 2 * 256))
    assert out["one_time_pad_fraction"] == pytest.approx(5e-4)
    assert b.bits_per_frame == pytest.approx(2e9 / 120)


def test_one_link_waiting_time_is_geometric_attempts():
    """Barrett-Kok: p = (eta_f(L/2) eta_d)^2 / 2, mean wait = attempt time / p."""
    d, eff = 20.0, 0.5
    eta = 10 ** (-0.2 * d / 2 / 10) * eff
    p = eta**2 / 2
    attempt = d / (299_792.458 / 1.47)
    lat = xr.entanglement_latency(
        d, n_segments=1, detector_efficiency=eff, n_samples=20_000, seed=3
    )
    se = lat.waiting_time_s.std() / math.sqrt(lat.waiting_time_s.size)
    assert abs(lat.mean_s - attempt / p) < 4 * se
    assert lat.fiber_delay_s == pytest.approx(attempt)
    assert lat.quantile_s(0.99) > lat.mean_s > lat.fiber_delay_s
    assert lat.fraction_within(lat.quantile_s(0.5)) == pytest.approx(0.5, abs=0.01)


def test_more_modes_wait_less():
    one = xr.entanglement_latency(50.0, n_modes=1, n_samples=2000, seed=1)
    many = xr.entanglement_latency(50.0, n_modes=50, n_samples=2000, seed=1)
    assert many.mean_s < 0.5 * one.mean_s


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: edge.DeviceClass("a", 0, 1.0), "n_devices"),
        (lambda: edge.DeviceClass("a", 5, 0.0), "rekey_interval_s"),
        (lambda: edge.DeviceClass("a", 5, 1.0, burst_factor=0.5), "burst_factor"),
        (lambda: edge.DeviceClass(3, 5, 1.0), "name"),
        (lambda: edge.key_demand_bps([]), "classes"),
        (lambda: edge.key_demand_bps(METERS), "classes"),
        (lambda: edge.key_demand_bps([1]), "classes"),
        (lambda: edge.qkd_key_supply_bps(-1.0), "distance_km"),
        (lambda: edge.qkd_key_supply_bps(10.0, pulse_rate_hz=0.0), "pulse_rate_hz"),
        (lambda: edge.qkd_key_supply_bps(10.0, block_s=-1.0), "block_s"),
        (lambda: edge.key_demand_trace([METERS], 0), "n_slots"),
        (lambda: edge.key_demand_trace([METERS], 5, slot_s=0.0), "slot_s"),
        (
            lambda: edge.key_demand_trace([METERS], 5, switch_probabilities=(0.0, 0.1)),
            "switch_probabilities",
        ),
        (
            lambda: edge.key_demand_trace([METERS], 5, switch_probabilities=(0.1,)),
            "switch_probabilities",
        ),
        (lambda: edge.proportional_shares("trace"), "trace"),
        (lambda: edge.share_menu([0.0, 0.0]), "base"),
        (lambda: edge.share_menu([1.0, 1.0], tilt=1.0), "tilt"),
        (lambda: edge.StaticKeyPool([0.0, 0.0]), "shares"),
        (lambda: edge.BanditKeyPool([[0.0, 0.0]]), "menu"),
        (lambda: edge.BanditKeyPool([[1.0, 1.0]], kind="oracle"), "kind"),
        (lambda: edge.BanditKeyPool([[1.0, 1.0]], epoch_slots=0), "epoch_slots"),
        (lambda: xr.XRBudget(frame_rate_hz=0.0), "frame_rate_hz"),
        (lambda: xr.XRBudget(air_latency_s=-1.0), "air_latency_s"),
        (lambda: xr.xr_key_budget(-1.0), "supply_bps"),
        (lambda: xr.xr_key_budget(1.0, budget="vr"), "budget"),
        (lambda: xr.xr_key_budget(1.0, rekeys_per_frame=0.0), "rekeys_per_frame"),
        (lambda: xr.entanglement_latency(0.0), "distance_km"),
        (lambda: xr.entanglement_latency(10.0, n_segments=3), "n_segments"),
        (lambda: xr.entanglement_latency(10.0, detector_efficiency=0.0), "detector_efficiency"),
    ],
)
def test_bad_inputs_raise_naming_the_argument(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_policies_check_the_number_of_classes_and_types():
    t = edge.key_demand_trace([METERS, METERS], 5, seed=0)
    with pytest.raises(ValueError, match="shares"):
        edge.simulate_key_pool(t, 1.0, edge.StaticKeyPool([1.0, 1.0, 1.0]))
    with pytest.raises(ValueError, match="menu"):
        edge.simulate_key_pool(t, 1.0, edge.BanditKeyPool([[1.0, 1.0, 1.0]]))
    with pytest.raises(TypeError, match="policy"):
        edge.simulate_key_pool(t, 1.0, "greedy")
    with pytest.raises(ValueError, match="supply_bps"):
        edge.simulate_key_pool(t, -1.0, edge.GreedyKeyPool())
    with pytest.raises(ValueError, match="capacity_s"):
        edge.simulate_key_pool(t, 1.0, edge.GreedyKeyPool(), capacity_s=0.0)
    with pytest.raises(NotImplementedError):
        edge.KeyPoolPolicy().shares(0)


def test_reprs_show_what_they_hold():
    t = edge.key_demand_trace(edge.IOT_CLASSES, 10, seed=0)
    assert "n_slots=10" in repr(t)
    r = edge.simulate_key_pool(t, 1e5, edge.GreedyKeyPool(), seed=0)
    assert "outage=" in repr(r) and "greedy" in repr(r)
    assert "mean=" in repr(xr.entanglement_latency(10.0, n_samples=10, seed=0))
    assert "greedy" in repr(edge.GreedyKeyPool())
