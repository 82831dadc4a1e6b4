"""Repeaterless bounds and entropies (the foundation part of qnetlab.qkd)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from qnetlab import qkd


def test_binary_entropy_values():
    assert qkd.binary_entropy(0.5) == 1.0
    assert qkd.binary_entropy(0.0) == 0.0
    p = 0.11
    assert qkd.binary_entropy(p) == pytest.approx(-p * math.log2(p) - (1 - p) * math.log2(1 - p))
    np.testing.assert_allclose(qkd.binary_entropy(np.array([0.1, 0.9])), [0.4689955935892812] * 2)


def test_plob_bound():
    # Pirandola et al., Nat. Commun. 8, 15043 (2017), Eq. (19): K = -log2(1 - η).
    for eta in (1e-4, 0.01, 0.3, 0.9):
        assert qkd.plob_bound(eta) == pytest.approx(-math.log(1 - eta) / math.log(2))
    # High-loss limit: ≈ 1.44 η.
    assert qkd.plob_bound(1e-6) / 1e-6 == pytest.approx(1 / math.log(2), rel=1e-5)
    assert math.isinf(qkd.plob_bound(1.0))


def test_tgw_bound_is_looser_than_plob():
    # Takeoka, Guha, Wilde, Nat. Commun. 5, 5235 (2014): log2((1+η)/(1−η)).
    etas = np.linspace(0.001, 0.99, 50)
    tgw = qkd.tgw_bound(etas)
    np.testing.assert_allclose(tgw, np.log2((1 + etas) / (1 - etas)))
    assert np.all(tgw >= qkd.plob_bound(etas))
    # In the high-loss limit TGW/PLOB → 2.
    assert qkd.tgw_bound(1e-6) / qkd.plob_bound(1e-6) == pytest.approx(2.0, rel=1e-5)


def test_repeaterless_bound_over_fibre():
    d = np.array([0.0, 100.0, 200.0])
    with np.errstate(divide="ignore"):
        expected = -np.log2(1 - 10 ** (-0.02 * d))
    np.testing.assert_allclose(qkd.repeaterless_bound(d), expected)


def test_bbm92_werner_rate():
    # e = 2(1-F)/3; r = 1 - 2h(e); zero at e ≈ 11 % (F ≈ 0.835).
    f = 0.95
    e = 2 * (1 - f) / 3
    h = -e * math.log2(e) - (1 - e) * math.log2(1 - e)
    assert qkd.bbm92_werner_rate(f) == pytest.approx(1 - 2 * h)
    assert qkd.bbm92_werner_rate(0.83) == 0.0
    assert qkd.bbm92_werner_rate(0.84) > 0.0


@pytest.mark.parametrize(
    "fn", [qkd.plob_bound, qkd.tgw_bound, qkd.binary_entropy, qkd.bbm92_werner_rate]
)
def test_bad_input(fn):
    with pytest.raises(ValueError, match="must be a probability"):
        fn(-0.1)
    with pytest.raises(ValueError, match="must be probabilities"):
        fn([0.5, 1.5])


def test_bounds_stay_accurate_at_continental_distances():
    # 1000 km of 0.2 dB/km fibre: η = 1e-20, where 1 - η rounds to 1 in floating point.
    eta = 1e-20
    assert qkd.plob_bound(eta) == pytest.approx(eta / math.log(2), rel=1e-12)
    assert qkd.tgw_bound(eta) == pytest.approx(2 * eta / math.log(2), rel=1e-12)
    assert qkd.repeaterless_bound(1000.0) == pytest.approx(eta / math.log(2), rel=1e-9)
