"""Federated diagnosis across hospitals, and what its QKD-keyed secure aggregation costs in key.

Hospitals train one diagnostic model (the logistic regression of
:func:`qnetlab.ai.federated.federated_train`) without sharing patient records. The data are
the Wisconsin diagnostic breast-cancer set (Street, Wolberg & Mangasarian 1993; 569 biopsies,
30 features of the cell nuclei, malignant or benign), shipped with scikit-learn, split at
random between the hospitals. Secure aggregation masks every value of every update with
pairwise keys (:func:`qnetlab.secure_sum.secure_sum`): each pair of the K hospitals spends
``n_values * modulus_bits`` key bits per round, so one round costs

    K (K − 1) / 2 · n_values · b  bits

of QKD key, which :func:`key_bits_per_round` computes and :func:`rounds_per_second`
compares with a link's key rate.

>>> key_bits_per_round(4, 31, 32)
5952
"""

from __future__ import annotations

import numpy as np

from .._validation import (
    SeedLike,
    check_in_range,
    check_integer,
    check_non_negative,
    check_positive,
    make_rng,
)
from .federated import OperatorData

__all__ = ["hospital_datasets", "key_bits_per_round", "rounds_per_second"]


def hospital_datasets(
    n_hospitals: int, *, test_fraction: float = 0.3, seed: SeedLike = None
) -> list[OperatorData]:
    """The breast-cancer diagnosis data split at random between ``n_hospitals`` hospitals.

    Each hospital's records are split into training and test sets. Features are
    log-transformed (they are positive sizes and textures) and standardised with the
    mean and spread of the training records of all hospitals; in a deployment these would be
    published reference ranges, the one statistic the hospitals agree to share.

    Parameters
    ----------
    n_hospitals : int
        Hospitals, 1 to 20.
    test_fraction : float
        Fraction of each hospital's records kept for testing, in (0, 1).
    seed : int, Generator or None
        Randomness of the split.

    Returns
    -------
    list of OperatorData
        One entry per hospital (label 1 = malignant; ``attack`` holds the hospital's name).

    Raises
    ------
    ValueError, TypeError
        On an argument out of range.

    Examples
    --------
    >>> data = hospital_datasets(3, seed=0)
    >>> len(data), data[0].x_train.shape[1]
    (3, 30)
    """
    from sklearn.datasets import load_breast_cancer

    k = check_integer(n_hospitals, "n_hospitals", minimum=1, maximum=20)
    f = check_in_range(
        test_fraction, "test_fraction", 0.0, 1.0, low_inclusive=False, high_inclusive=False
    )
    rng = make_rng(seed)
    raw = load_breast_cancer()
    x = np.log1p(raw.data)
    y = (raw.target == 0).astype(int)  # sklearn codes malignant as 0
    order = rng.permutation(y.size)
    parts = np.array_split(order, k)
    splits = []
    for idx in parts:
        n_test = max(1, round(f * idx.size))
        splits.append((idx[n_test:], idx[:n_test]))
    train_all = np.concatenate([tr for tr, _ in splits])
    mean, std = x[train_all].mean(axis=0), x[train_all].std(axis=0) + 1e-12
    z = (x - mean) / std
    return [
        OperatorData(z[tr], y[tr], z[te], y[te], f"hospital {h}")
        for h, (tr, te) in enumerate(splits)
    ]


def key_bits_per_round(n_hospitals: int, n_values: int, modulus_bits: int = 32) -> int:
    """QKD key bits one round of pairwise-masked secure aggregation spends.

    Every pair of the K hospitals shares one mask of ``modulus_bits`` bits per value:
    K (K − 1) / 2 · n_values · b bits per round.

    Parameters
    ----------
    n_hospitals : int
        K >= 2.
    n_values : int
        Values each hospital sends per round (the model's size), >= 1.
    modulus_bits : int
        b, bits per value (8 to 62).

    Returns
    -------
    int
        Key bits per round.

    Raises
    ------
    ValueError, TypeError
        On an argument out of range.

    Examples
    --------
    >>> key_bits_per_round(2, 1_000_000, 32)
    32000000
    """
    k = check_integer(n_hospitals, "n_hospitals", minimum=2)
    v = check_integer(n_values, "n_values", minimum=1)
    b = check_integer(modulus_bits, "modulus_bits", minimum=8, maximum=62)
    return k * (k - 1) // 2 * v * b


def rounds_per_second(
    key_rate_bits_per_pulse: float,
    pulse_rate_hz: float,
    n_hospitals: int,
    n_values: int,
    modulus_bits: int = 32,
) -> float:
    """Aggregation rounds per second one QKD link's key sustains for every pair.

    Each pair has its own link with the same secret-key rate R·f (bits per pulse times
    pulses per second) and spends n_values · b bits per round.

    Parameters
    ----------
    key_rate_bits_per_pulse : float
        R >= 0, for example :func:`qnetlab.qkd.theory.decoy_bb84_key_rate`.
    pulse_rate_hz : float
        f > 0, the source's repetition rate.
    n_hospitals : int
        K >= 2 (only to check the pairwise cost is per link).
    n_values : int
        Model size, >= 1.
    modulus_bits : int
        Bits per value.

    Returns
    -------
    float
        Rounds per second.

    Raises
    ------
    ValueError, TypeError
        On an argument out of range.

    Examples
    --------
    >>> rounds_per_second(1e-3, 1e9, 4, 31, 32)
    1008.0645161290323
    """
    r = check_non_negative(key_rate_bits_per_pulse, "key_rate_bits_per_pulse")
    f = check_positive(pulse_rate_hz, "pulse_rate_hz")
    k = check_integer(n_hospitals, "n_hospitals", minimum=2)
    per_pair = key_bits_per_round(k, n_values, modulus_bits) / (k * (k - 1) // 2)
    return float(r * f / per_pair)
