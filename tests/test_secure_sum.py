"""Tests of qnetlab.secure_sum: pairwise-mask secure sum keyed by QKD, and its baseline.

The mask scheme is the pairwise-mask secure aggregation of Bonawitz et al., "Practical
secure aggregation for privacy-preserving machine learning", CCS 2017 (without dropouts);
the baseline is additive secret sharing (Ben-Or, Goldwasser & Wigderson 1988).
"""

from __future__ import annotations

import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from qnetlab import secure_sum as sec


def _random_pool(n, bits, rng):
    return sec.KeyPool(n, {p: rng.integers(0, 2, bits) for p in sec.KeyPool(n, {}).pairs})


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 6), st.integers(1, 4), st.integers(1, 20), st.integers(0, 2**31 - 1))
def test_sum_is_exact_and_consumes_d_b_bits_per_pair(n, d, b, seed):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2**b, size=(n, d))
    pool = _random_pool(n, d * b + 5, rng)
    r = sec.secure_sum(x, pool, modulus_bits=b)
    assert not r.aborted
    assert np.array_equal(r.total, x.sum(axis=0) % 2**b)
    assert r.key_bits_used == n * (n - 1) // 2 * d * b == sec.key_bits_per_sum(n, d, b, "masks")
    assert all(pool.remaining(i, j) == 5 for i, j in pool.pairs)
    a = sec.additive_sharing_sum(x, modulus_bits=b, seed=rng)
    assert np.array_equal(a.total, r.total) and a.messages == n * (n - 1)
    assert a.key_bits_used == 2 * r.key_bits_used


def test_keys_are_never_reused():
    rng = np.random.default_rng(1)
    pool = _random_pool(3, 16, rng)
    first = sec.secure_sum([1, 2, 3], pool, modulus_bits=8)
    second = sec.secure_sum([1, 2, 3], pool, modulus_bits=8)
    assert first.total.tolist() == second.total.tolist() == [6]
    assert not np.array_equal(first.published, second.published)
    third = sec.secure_sum([1, 2, 3], pool, modulus_bits=8)
    assert third.aborted and third.total.size == 0 and third.published.size == 0
    assert "lack key" in third.abort_reason


def test_a_party_learns_only_the_sum():
    """Party 0's view of the others' values has the same law for inputs with equal sums."""
    rng = np.random.default_rng(3)
    b, trials = 2, 4000
    views = {}
    for x in ([0, 1, 2], [0, 3, 0]):  # same x0 and same sum mod 4
        seen = []
        for _ in range(trials):
            r = sec.secure_sum(x, _random_pool(3, b, rng), modulus_bits=b)
            y1, y2 = sec.party_view(r, 0).ravel()
            seen.append(4 * y1 + y2)
        views[tuple(x)] = np.bincount(seen, minlength=16)
    a, c = views.values()
    # u1 + u2 = x1 + x2 = 3 (mod 4): exactly the four pairs with that sum occur ...
    allowed = [4 * u + (3 - u) % 4 for u in range(4)]
    assert set(np.flatnonzero(a)) == set(np.flatnonzero(c)) == set(allowed)
    # ... equally often, and with the same law for both input vectors
    assert stats.chi2_contingency(np.array([a[allowed], c[allowed]]))[1] > 1e-3
    assert stats.chisquare(a[allowed])[1] > 1e-3


def test_additive_sharing_view_reveals_only_the_sum():
    rng = np.random.default_rng(5)
    r = sec.additive_sharing_sum([[3], [9], [4]], modulus_bits=4, seed=rng)
    u = sec.party_view(r, 1)  # y_j minus party 1's share s_1j
    received = r.published[1, 0] - r.own[1, 1, 0]  # shares party 1 received from others
    assert u.shape == (2, 1) and r.total[0] == 0
    assert (u.sum() + received + 9) % 16 == r.total[0]


def test_qkd_pool_keys_are_bb84_keys_and_an_eavesdropped_pair_aborts_the_sum():
    pool = sec.qkd_key_pool(3, 20_000, eavesdropped=[(2, 1)], seed=4)
    assert pool.remaining(1, 2) == 0 and pool.remaining(0, 1) > 1000
    r = sec.secure_sum([[1], [2], [3]], pool, modulus_bits=8)
    assert r.aborted and r.total.size == 0 and r.key_bits_used == 0
    assert pool.used(0, 1) == 0  # nothing is spent on an aborted sum


def test_aggregation_rate_is_set_by_the_slowest_pair():
    rates = np.array([[0, 4e3, 8e3], [4e3, 0, 2e3], [8e3, 2e3, 0]])
    assert sec.aggregation_rate(rates, 10, 20) == 2e3 / 200


def test_bad_input():
    pool = sec.KeyPool(2, {(0, 1): np.ones(64, int)})
    with pytest.raises(TypeError, match="integers"):
        sec.secure_sum([1.5, 2.0], pool)
    with pytest.raises(ValueError, match="2\\*\\*modulus_bits"):
        sec.secure_sum([300, 2], pool, modulus_bits=8)
    with pytest.raises(ValueError, match="pool holds keys for 2"):
        sec.secure_sum([1, 2, 3], pool, modulus_bits=8)
    with pytest.raises(TypeError, match="pool"):
        sec.secure_sum([1, 2], {"keys": 1})
    with pytest.raises(ValueError, match="bits"):
        sec.KeyPool(2, {(0, 1): [0, 2]})
    with pytest.raises(ValueError, match="different parties"):
        pool.take(1, 1, 3)
    with pytest.raises(ValueError, match="key bits left"):
        pool.take(0, 1, 100)
    with pytest.raises(ValueError, match="scheme"):
        sec.key_bits_per_sum(3, 1, 8, "tls")
    with pytest.raises(ValueError, match="symmetric"):
        sec.aggregation_rate([[0, 1], [2, 0]], 1, 8)
    with pytest.raises(ValueError, match="aborted"):
        sec.party_view(sec.secure_sum([1, 2], sec.KeyPool(2, {}), modulus_bits=8), 0)


def test_key_pool_reruns_a_block_that_fails_verification(monkeypatch):
    """A residual Cascade error caught by verification costs a block, not the pair's key."""
    from qnetlab import secure_sum
    from qnetlab.qkd import run_bb84

    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        r = run_bb84(*args, **kwargs)
        if calls["n"] == 1:  # the first block of the first pair fails verification
            return types.SimpleNamespace(
                keys_match=False, abort_reason="error verification failed", key_alice=None
            )
        return r

    monkeypatch.setattr(secure_sum, "run_bb84", flaky)
    pool = secure_sum.qkd_key_pool(2, 10_000, seed=3)
    assert calls["n"] == 2 and pool.remaining(0, 1) > 500
    # an abort on the QBER (intercept-resend on every photon) is not retried
    calls["n"] = 1
    pool = secure_sum.qkd_key_pool(2, 10_000, eavesdropped=[(0, 1)], seed=3)
    assert calls["n"] == 2 and pool.remaining(0, 1) == 0
