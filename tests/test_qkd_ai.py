"""AI for QKD: PSO-tuned decoy parameters against a fine grid; the protocol selector."""

from __future__ import annotations

import numpy as np
import pytest

from qnetlab import ai, qkd


@pytest.mark.parametrize("distance", [30.0, 90.0])
def test_pso_matches_fine_grid_with_fewer_evaluations(distance):
    pso = ai.optimize_decoy_parameters(distance, seed=1, n_particles=15, n_iterations=30)
    grid = ai.grid_decoy_parameters(distance, resolution=20)
    assert pso.key_rate >= 0.995 * grid.key_rate
    assert pso.n_evaluations < grid.n_evaluations / 10
    assert 0 < pso.nu < pso.mu <= 1.0 and 0 < pso.decoy_fraction < 0.7
    # The tuned rate equals the rate function at the tuned point.
    again = qkd.finite_decoy_key_rate(distance, pso.mu, pso.nu, pso.decoy_fraction)
    assert again == pytest.approx(pso.key_rate)


def test_tuned_parameters_move_with_distance():
    # Further away fewer clicks: the optimiser spends more pulses on decoys.
    near, far = ai.tuning_curve([20.0, 110.0], seed=2, n_particles=15, n_iterations=30)
    assert far.decoy_fraction > near.decoy_fraction
    assert far.key_rate < near.key_rate


def test_protocol_selector_beats_fixed_choice():
    # Okey et al. (2022): a classifier on link conditions picks the protocol with the highest
    # key rate. Score on held-out links against the oracle.
    sel = ai.train_protocol_selector(600, seed=3)
    x = ai.sample_link_conditions(200, seed=4)
    rates = ai.protocol_key_rates(x)
    score = sel.score(x, rates)
    assert score.accuracy > 0.75
    assert score.accuracy > score.baseline_accuracy + 0.3
    assert score.regret < 0.1 < score.baseline_regret
    pred = sel.predict(x)
    assert set(pred) <= set(ai.PROTOCOLS) | {"none"}


def test_protocol_rates_consistent_with_theory():
    x = ai.sample_link_conditions(3, seed=5)
    r = ai.protocol_key_rates(x)
    assert r.shape == (3, len(ai.PROTOCOLS)) and np.all(r >= 0)
    row = x[0]
    link = qkd.LinkModel(
        length_km=row[0],
        attenuation_db_per_km=row[1],
        detector_efficiency=row[2],
        dark_count_prob=10 ** row[3],
        misalignment=row[4],
        ec_efficiency=1.16,
    )
    assert r[0, 2] == pytest.approx(
        qkd.single_photon_key_rate(row[0], link=link, source_efficiency=row[5])
    )


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: ai.optimize_decoy_parameters(-1.0), ValueError, "distance_km"),
        (lambda: ai.grid_decoy_parameters(10.0, resolution=1), ValueError, "resolution"),
        (lambda: ai.train_protocol_selector(100, method="svm"), ValueError, "method"),
        (lambda: ai.sample_link_conditions(0), ValueError, "n_links"),
        (lambda: ai.protocol_key_rates(np.zeros((2, 3))), ValueError, "columns"),
    ],
)
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_sample_fraction_tuning_matches_grid_and_shrinks_with_block_size():
    # Finite-key BB84 (Tomamichel et al. 2012 sampling bound): the best estimation sample
    # shrinks as the block grows; PSO finds the fine-grid optimum.
    grid = np.linspace(1e-4, 0.5, 1500)
    best = []
    for n in (10**4, 10**6):
        t = ai.optimize_sample_fraction(n, 0.02, seed=6)
        values = [qkd.finite_bb84_secret_fraction(n, 0.02, s) for s in grid]
        assert t.secret_bits_per_sifted_bit >= 0.999 * max(values)
        assert t.secret_bits_per_sifted_bit == pytest.approx(
            qkd.finite_bb84_secret_fraction(n, 0.02, t.sample_fraction)
        )
        best.append(t.sample_fraction)
    assert best[1] < best[0] / 2
    assert qkd.finite_bb84_secret_fraction(10**6, 0.02, 0.05) < qkd.shor_preskill_rate(0.02)


def test_equal_budget_baselines_for_decoy_tuning():
    # Random search and a coarse grid polished by Nelder-Mead (1965) spend exactly the budget
    # they are given; the polished grid reaches the optimum of a fine 20^3 grid (computed
    # here independently) and PSO beats a grid of the same size.
    d, budget = 50.0, 465
    rs = ai.qkd_tuning.random_search_decoy_parameters(d, budget, seed=7)
    again = ai.qkd_tuning.random_search_decoy_parameters(d, budget, seed=7)
    assert rs.n_evaluations == budget and rs == again and rs.method == "random_search"
    pol = ai.qkd_tuning.polished_grid_decoy_parameters(d, budget)
    assert pol.n_evaluations <= budget and pol.method == "grid+nelder_mead"
    axes = [np.linspace(lo, hi, 20) for lo, hi in ai.qkd_tuning.DECOY_BOUNDS]
    best = max(
        qkd.finite_decoy_key_rate(d, m, n, f) if n < m else 0.0
        for m in axes[0]
        for n in axes[1]
        for f in axes[2]
    )
    assert pol.key_rate >= 0.999 * best
    assert pol.key_rate == pytest.approx(
        qkd.finite_decoy_key_rate(d, pol.mu, pol.nu, pol.decoy_fraction)
    )
    pso = ai.optimize_decoy_parameters(d, seed=8, n_particles=15, n_iterations=30)
    assert pso.n_evaluations == budget
    assert pso.key_rate > 1.005 * ai.grid_decoy_parameters(d, resolution=7).key_rate
    assert pso.key_rate >= rs.key_rate


def test_link_regret_and_score_choices_by_hand():
    r = np.array(
        [
            [4.0, 1.0, 0.0, 0.0, 0.0],  # decoy best
            [1.0, 3.0, 0.0, 0.0, 0.0],  # wcp best
            [0.0, 0.0, 0.0, 0.0, 0.0],  # no protocol makes key: dropped
            [0.0, 0.0, 2.0, 1.0, 0.0],  # sps best
        ]
    )
    choice = ["decoy_bb84", "decoy_bb84", "none", "none"]
    assert ai.qkd_selector.link_regret(choice, r).tolist() == pytest.approx([0.0, 2 / 3, 1.0])
    s = ai.qkd_selector.score_choices(choice, r)
    # Key-weighted: lost (0 + 2 + 2) of the oracle's 4 + 3 + 2 = 9.
    assert s.regret == pytest.approx(4 / 9)
    assert s.accuracy == pytest.approx(2 / 4)  # rows 0 and 2 ("none" is right on row 2)
    assert s.median_link_regret == pytest.approx(2 / 3)
    assert s.worst5_link_regret == pytest.approx(1.0)  # ceil(5 % of 3) = 1 link
    assert s.lossless_fraction == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="rates must have shape"):
        ai.qkd_selector.link_regret(["decoy_bb84"], r)
    # a protocol name outside PROTOCOLS (e.g. the old spelling "decoy-bb84") is rejected,
    # not silently scored as "none"; the message lists the allowed names
    for call in (ai.qkd_selector.link_regret, ai.qkd_selector.score_choices):
        with pytest.raises(ValueError, match=r"choices must be .*'decoy_bb84'.*'decoy-bb84'"):
            call(["decoy-bb84", "decoy_bb84", "none", "none"], r)


def test_loss_rule_recovers_a_step_in_loss():
    # Synthetic rates: decoy BB84 best below 20 dB, BBM92 above; the rule must learn the step.
    loss = np.linspace(0, 40, 400)
    features = np.column_stack([np.zeros((400, 7)), loss])
    rates = np.zeros((400, 5))
    rates[:, 0] = np.where(loss < 20, 2.0, 0.5)
    rates[:, 4] = 1.0
    rule = ai.qkd_selector.LossRule(n_bins=10).fit(features, rates)
    pred = rule.predict(np.column_stack([np.zeros((4, 7)), [5.0, 15.0, 25.0, 35.0]]))
    assert pred.tolist() == ["decoy_bb84", "decoy_bb84", "bbm92", "bbm92"]
    with pytest.raises(ValueError, match="fitted"):
        ai.qkd_selector.LossRule().predict(features)


def test_forest_beats_the_loss_rule_per_link():
    # Same 600 training links for both; per-link regret on 300 held-out links.
    forest = ai.train_protocol_selector(600, seed=9)
    rule = ai.train_protocol_selector(600, method="loss_rule", seed=9)
    assert repr(rule) == "ProtocolSelector(model=LossRule)"
    x = ai.sample_link_conditions(300, seed=10)
    rates = ai.protocol_key_rates(x)
    f, r = forest.score(x, rates), rule.score(x, rates)
    assert f.regret < r.regret and f.lossless_fraction > r.lossless_fraction + 0.1
    assert f.link_regrets.size == int(np.sum(rates.max(axis=1) > 0))
    assert 0 <= f.worst5_link_regret <= 1 and f.worst5_link_regret >= f.median_link_regret


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: ai.qkd_tuning.random_search_decoy_parameters(10.0, 0), "n_evaluations"),
        (lambda: ai.qkd_tuning.polished_grid_decoy_parameters(10.0, 64), "n_evaluations"),
        (lambda: ai.qkd_selector.LossRule(n_bins=0), "n_bins"),
        (lambda: ai.train_protocol_selector(50).predict(np.zeros((2, 3))), "columns"),
        (lambda: ai.tuning_curve([]), "distances_km"),
        (
            lambda: qkd.finite_bb84_secret_fraction(10**6, 0.02, 0.05, verification_bits=-5),
            "verification_bits",
        ),
        (lambda: ai.qkd_selector.link_regret(["decoy_bb84"], -np.ones((1, 5))), "non-negative"),
        (lambda: ai.qkd_selector.LossRule().fit(np.zeros((3, 8)), np.zeros((2, 5))), "same"),
    ],
)
def test_bad_input_of_the_baselines(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: ai.tuning_curve("abc"), "distances_km"),
        (lambda: ai.protocol_key_rates("abc"), "conditions"),
        (lambda: ai.qkd_selector.score_choices(["decoy_bb84"], "abc"), "rates"),
        (lambda: ai.qkd_selector.LossRule().fit("abc", np.zeros((1, 5))), "features"),
    ],
)
def test_non_numeric_input_raises_type_error(call, match):
    # Issue 16: junk input names the argument instead of a NumPy conversion error.
    with pytest.raises(TypeError, match=match):
        call()
