"""AI for QKD: PSO-tuned decoy parameters against a fine grid; the protocol selector."""

from __future__ import annotations

import numpy as np
import pytest

from qnetlab import qkd


@pytest.mark.parametrize("distance", [30.0, 90.0])
def test_pso_matches_fine_grid_with_fewer_evaluations(distance):
    pso = qkd.optimise_decoy_parameters(distance, seed=1, n_particles=15, n_iterations=30)
    grid = qkd.grid_decoy_parameters(distance, resolution=20)
    assert pso.key_rate >= 0.995 * grid.key_rate
    assert pso.n_evaluations < grid.n_evaluations / 10
    assert 0 < pso.nu < pso.mu <= 1.0 and 0 < pso.decoy_fraction < 0.7
    # The tuned rate equals the rate function at the tuned point.
    again = qkd.finite_decoy_key_rate(distance, pso.mu, pso.nu, pso.decoy_fraction)
    assert again == pytest.approx(pso.key_rate)


def test_tuned_parameters_move_with_distance():
    # Further away fewer clicks: the optimiser spends more pulses on decoys.
    near, far = qkd.tuning_curve([20.0, 110.0], seed=2, n_particles=15, n_iterations=30)
    assert far.decoy_fraction > near.decoy_fraction
    assert far.key_rate < near.key_rate


def test_protocol_selector_beats_fixed_choice():
    # Okey et al. (2022): a classifier on link conditions picks the protocol with the highest
    # key rate. Score on held-out links against the oracle.
    sel = qkd.train_protocol_selector(600, seed=3)
    x = qkd.sample_link_conditions(200, seed=4)
    rates = qkd.protocol_key_rates(x)
    score = sel.score(x, rates)
    assert score.accuracy > 0.75
    assert score.accuracy > score.baseline_accuracy + 0.3
    assert score.regret < 0.1 < score.baseline_regret
    pred = sel.predict(x)
    assert set(pred) <= set(qkd.PROTOCOLS) | {"none"}


def test_protocol_rates_consistent_with_theory():
    x = qkd.sample_link_conditions(3, seed=5)
    r = qkd.protocol_key_rates(x)
    assert r.shape == (3, len(qkd.PROTOCOLS)) and np.all(r >= 0)
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
        (lambda: qkd.optimise_decoy_parameters(-1.0), ValueError, "distance_km"),
        (lambda: qkd.grid_decoy_parameters(10.0, resolution=1), ValueError, "resolution"),
        (lambda: qkd.train_protocol_selector(100, model="svm"), ValueError, "model"),
        (lambda: qkd.sample_link_conditions(0), ValueError, "n_links"),
        (lambda: qkd.protocol_key_rates(np.zeros((2, 3))), ValueError, "columns"),
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
        t = qkd.optimise_sample_fraction(n, 0.02, seed=6)
        values = [qkd.finite_bb84_secret_fraction(n, 0.02, s) for s in grid]
        assert t.secret_fraction >= 0.999 * max(values)
        assert t.secret_fraction == pytest.approx(
            qkd.finite_bb84_secret_fraction(n, 0.02, t.sample_fraction)
        )
        best.append(t.sample_fraction)
    assert best[1] < best[0] / 2
    assert qkd.finite_bb84_secret_fraction(10**6, 0.02, 0.05) < qkd.shor_preskill_rate(0.02)
