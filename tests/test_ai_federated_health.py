"""Federated diagnosis with QKD-keyed secure aggregation (qnetlab.ai.federated_health)."""

from __future__ import annotations

import numpy as np
import pytest

from qnetlab.ai.federated import federated_train
from qnetlab.ai.federated_health import hospital_datasets, key_bits_per_round, rounds_per_second
from qnetlab.secure_sum import KeyPool


def test_split_covers_every_record_once():
    data = hospital_datasets(4, seed=2)
    n = sum(d.y_train.size + d.y_test.size for d in data)
    assert n == 569  # Wisconsin diagnostic breast-cancer set
    malignant = sum(d.y_train.sum() + d.y_test.sum() for d in data)
    assert malignant == 212
    x = np.concatenate([d.x_train for d in data])
    assert np.allclose(x.mean(axis=0), 0, atol=1e-9) and np.allclose(x.std(axis=0), 1, atol=1e-6)


def test_key_spent_by_secure_aggregation_equals_the_formula():
    data = hospital_datasets(3, seed=1)
    rounds = 4
    need = key_bits_per_round(3, 31, 32) * rounds
    assert need == 3 * 31 * 32 * rounds
    rng = np.random.default_rng(0)
    pool = KeyPool(3, {(i, j): rng.integers(0, 2, need) for i in range(3) for j in range(i + 1, 3)})
    res = federated_train(data, rounds=rounds, key_pool=pool, seed=1)
    assert res.key_bits_used == need and not res.aborted


def test_rounds_per_second():
    assert rounds_per_second(1e-3, 1e9, 3, 100, 32) == pytest.approx(1e6 / 3200)
    assert rounds_per_second(0.0, 1e9, 3, 100) == 0.0


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: hospital_datasets(0), "n_hospitals"),
        (lambda: hospital_datasets(2, test_fraction=1.0), "test_fraction"),
        (lambda: key_bits_per_round(1, 10), "n_hospitals"),
        (lambda: key_bits_per_round(2, 10, 4), "modulus_bits"),
        (lambda: rounds_per_second(1e-3, 0.0, 2, 10), "pulse_rate_hz"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
