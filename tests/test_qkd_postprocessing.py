"""Post-processing: Cascade, hashing, the sampling bound and the secure key length."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qnetlab import qkd


def h(p: float) -> float:
    return 0.0 if p in (0.0, 1.0) else -p * math.log2(p) - (1 - p) * math.log2(1 - p)


@given(st.floats(min_value=0.005, max_value=0.08), st.integers(min_value=0, max_value=10_000))
@settings(max_examples=15, deadline=None)
def test_cascade_corrects_and_counts_leakage(e, seed):
    # Brassard & Salvail (1994): four passes correct essentially every error; the parity
    # bits disclosed exceed the Shannon limit n h(e) (error correction cannot beat it).
    rng = np.random.default_rng(seed)
    n = 8000
    a = rng.integers(0, 2, n, dtype=np.int8)
    b = a.copy()
    flips = rng.random(n) < e
    b[flips] ^= 1
    res = qkd.cascade(a, b, max(flips.mean(), 1 / n), seed=seed + 1)
    assert np.array_equal(res.corrected, a)
    assert res.leaked_bits >= n * h(flips.mean())
    assert res.leaked_bits < 2.0 * n * h(max(flips.mean(), 1 / n)) + 4 * n / res.first_block_size


def test_cascade_first_block_size():
    a = np.zeros(1000, dtype=np.int8)
    assert qkd.cascade(a, a, 0.01, seed=0).first_block_size == 73  # ⌈0.73 / e⌉
    assert qkd.cascade(a, a, 0.01, seed=0).leaked_bits == sum(
        math.ceil(1000 / min(73 * 2**i, 1000)) for i in range(4)
    )


def test_toeplitz_hash_matches_explicit_matrix():
    rng = np.random.default_rng(0)
    for n, m in ((7, 3), (50, 20), (300, 299)):
        x = rng.integers(0, 2, n)
        s = rng.integers(0, 2, m + n - 1)
        t = np.array([[s[i - j + n - 1] for j in range(n)] for i in range(m)])
        assert np.array_equal(qkd.toeplitz_hash(x, m, s), (t @ x) % 2)


def test_toeplitz_hash_is_linear_and_large_inputs_work():
    rng = np.random.default_rng(1)
    n, m = 200_000, 150_000
    x, y = rng.integers(0, 2, n), rng.integers(0, 2, n)
    s = rng.integers(0, 2, m + n - 1)
    hx, hy, hxy = (qkd.toeplitz_hash(v, m, s) for v in (x, y, x ^ y))
    assert np.array_equal(hx ^ hy, hxy)


def test_verification_detects_one_wrong_bit():
    rng = np.random.default_rng(2)
    a = rng.integers(0, 2, 5000)
    b = a.copy()
    b[1234] ^= 1
    assert qkd.verify_keys(a, a.copy(), seed=3)
    assert not any(qkd.verify_keys(a, b, seed=s) for s in range(20))


def test_phase_error_bound_formula():
    # Tomamichel et al., Nat. Commun. 3, 634 (2012): e_U = e_k + √((n+k)(k+1) ln(1/ε) / (n k²)).
    k, n, errs, eps = 5000, 45_000, 150, 1e-10
    mu = math.sqrt((n + k) / (n * k) * (k + 1) / k * math.log(1 / eps))
    assert qkd.phase_error_bound(errs, k, n, eps) == pytest.approx(errs / k + mu)
    assert qkd.phase_error_bound(k, k, n) == 0.5


def test_secure_key_length_formula():
    n, e, leak, ver, eps = 100_000, 0.03, 25_000, 40, 1e-10
    expected = math.floor(n * (1 - h(e)) - leak - ver - 2 * math.log2(1 / (2 * eps)))
    assert qkd.secure_key_length(n, e, leak, ver, epsilon_pa=eps) == expected
    assert qkd.secure_key_length(100, 0.2, 90, 40) == 0


def test_postprocess_aborts_and_returns_no_key():
    rng = np.random.default_rng(4)
    a = rng.integers(0, 2, 20_000, dtype=np.int8)
    b = a ^ (rng.random(20_000) < 0.2).astype(np.int8)
    out = qkd.postprocess(a, b, threshold=0.11, seed=5)
    assert (
        out.aborted and out.key_alice.size == 0 and out.key_bob.size == 0 and out.final_length == 0
    )


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: qkd.cascade([0, 1], [0], 0.1), ValueError, "same length"),
        (lambda: qkd.cascade([0, 2], [0, 1], 0.1), ValueError, "0 and 1"),
        (lambda: qkd.cascade([0, 1], [0, 1], 1.5), ValueError, "qber_estimate"),
        (lambda: qkd.toeplitz_hash([1, 0], 2, [1, 0]), ValueError, "seed_bits"),
        (lambda: qkd.phase_error_bound(5, 0, 10), ValueError, "k"),
        (
            lambda: qkd.postprocess([0, 1, 1], [0, 1, 1], threshold=0.1, sample_fraction=0.0),
            ValueError,
            "sample_fraction",
        ),
    ],
)
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
