"""Classical post-processing: estimation, Cascade, verification, privacy amplification.

The chain every protocol runner applies to its sifted key:

1. **Parameter estimation** — Alice and Bob publish a random sample of ``k`` sifted bits,
   count the errors and bound the phase-error rate of the other ``n`` bits with the
   sampling bound of Tomamichel et al. (Nat. Commun. 3, 634, 2012):
   e_U = e_sample + √((n + k)(k + 1) ln(1/ε_PE) / (n k²)).
   They abort above the protocol's threshold.
2. **Error correction** — Cascade (Brassard & Salvail 1994): passes of block parities
   with a binary search for every odd block and the cascade back to earlier passes.
   Every parity bit Alice discloses is counted as leaked.
3. **Verification** — Alice sends a random 2-universal (Toeplitz) hash of her key,
   ``ceil(log₂(1/ε_cor))`` bits; Bob compares. A mismatch aborts.
4. **Privacy amplification** — both apply the same random Toeplitz matrix, compressing
   to ℓ = ⌊n (1 − c(e_U)) − leak_EC − leak_ver − 2 log₂(1/(2ε_PA))⌋ bits, where c(e) is
   the protocol's phase-error entropy (h(e) for BB84; H(λ) − h(e) for six-state).

>>> rng = np.random.default_rng(0)
>>> a = rng.integers(0, 2, 2000, dtype=np.int8)
>>> b = a.copy(); b[rng.choice(2000, 40, replace=False)] ^= 1
>>> res = cascade(a, b, 0.02, seed=1)
>>> bool(np.array_equal(res.corrected, a)), res.leaked_bits > 0
(True, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_choice,
    check_in_range,
    check_integer,
    check_memory,
    check_non_negative,
    check_probability,
    check_size,
    make_rng,
)
from ..results import ResultMixin
from .theory import binary_entropy, six_state_privacy_cost

#: Privacy-amplification costs :func:`privacy_cost` knows: BB84-type and six-state.
PRIVACY_COSTS: tuple[str, str] = ("bb84", "six_state")

__all__ = [
    "PRIVACY_COSTS",
    "CascadeResult",
    "PostProcessingResult",
    "cascade",
    "phase_error_bound",
    "postprocess",
    "privacy_cost",
    "secure_key_length",
    "toeplitz_hash",
    "verify_keys",
]


#: Upper bound on Cascade passes (four to six are used in practice; each pass costs O(n)).
MAX_CASCADE_PASSES = 64
#: Upper bound on verification hash bits (2^-4096 collision probability is far beyond need).
MAX_HASH_BITS = 4096


def _bits(x: Any, name: str) -> np.ndarray:
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be a 1-D array of bits (0/1), got {type(x).__name__}")
    a = np.asarray(x)
    if a.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of bits, got shape {a.shape}")
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a 1-D array of bits (0/1), got dtype {a.dtype}")
    if a.size and not np.all((a == 0) | (a == 1)):
        raise ValueError(f"{name} must contain only 0 and 1")
    return a.astype(np.int8)


# --- parameter estimation --------------------------------------------------------------


def phase_error_bound(sample_errors: int, k: int, n: int, epsilon: float = 1e-10) -> float:
    """Upper bound on the error rate of ``n`` unsampled bits from ``sample_errors`` in ``k``.

    Tomamichel, Lim, Gisin, Renner, Nat. Commun. 3, 634 (2012), sampling bound:
    e_U = e_k + μ,  μ = √((n + k)/(n k) · (k + 1)/k · ln(1/ε)). Capped at 1/2 (where the
    privacy cost is already one bit per bit), but never below the sample's own error rate
    e_k: a sample above 1/2 gives min(e_k + μ, 1).

    Parameters
    ----------
    sample_errors : int
        Errors found in the sample, in [0, k].
    k : int
        Sample size, at least 1.
    n : int
        Number of unsampled bits, at least 1.
    epsilon : float, optional
        Failure probability ε of the bound, in (0, 1).

    Returns
    -------
    float
        The upper bound e_U, at most 1/2.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> round(phase_error_bound(100, 10_000, 90_000, 1e-10), 5)
    0.06058
    >>> phase_error_bound(60, 100, 1000) >= 0.6
    True
    """
    k = check_integer(k, "k", minimum=1)
    n = check_integer(n, "n", minimum=1)
    errs = check_integer(sample_errors, "sample_errors", minimum=0, maximum=k)
    eps = check_in_range(epsilon, "epsilon", 0.0, 1.0, low_inclusive=False, high_inclusive=False)
    mu = math.sqrt((n + k) / (n * k) * (k + 1) / k * math.log(1.0 / eps))
    e_k = errs / k
    return min(e_k + mu, 0.5) if e_k <= 0.5 else min(e_k + mu, 1.0)


def privacy_cost(e: float, protocol: str = "bb84") -> float:
    """Phase-error entropy per bit removed by privacy amplification.

    h(e) for BB84-type protocols (Shor–Preskill); H(λ) − h(e) for six-state (Lo 2001).

    Parameters
    ----------
    e : float
        Phase-error rate, in [0, 1].
    protocol : {"bb84", "six_state"}, optional
        BB84-type (h(e)) or six-state (Lo's formula).

    Returns
    -------
    float
        Bits removed per bit.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> privacy_cost(0.5)
    1.0
    """
    e = check_probability(e, "e")
    check_choice(protocol, "protocol", PRIVACY_COSTS)
    if protocol == "six_state":
        return float(max(six_state_privacy_cost(min(e, 2.0 / 3.0)), 0.0))
    return float(binary_entropy(min(e, 0.5)))


def secure_key_length(
    n: int,
    e_upper: float,
    leak_ec: int,
    leak_verification: int,
    *,
    epsilon_pa: float = 1e-10,
    protocol: str = "bb84",
) -> int:
    """Length ℓ of the final key: ⌊n (1 − c(e_U)) − leak_EC − leak_ver − 2 log₂(1/(2ε_PA))⌋, ≥ 0.

    The leaks are numbers of disclosed bits (>= 0); ℓ never exceeds n.

    Parameters
    ----------
    n : int
        Length of the key before privacy amplification, non-negative.
    e_upper : float
        Upper bound on the phase-error rate, in [0, 1].
    leak_ec, leak_verification : int
        Bits disclosed by error correction and verification, non-negative.
    epsilon_pa : float, optional
        Privacy-amplification security parameter, in (0, 1).
    protocol : {"bb84", "six_state"}, optional
        The privacy cost (see :func:`privacy_cost`).

    Returns
    -------
    int
        The final key length ℓ, in [0, n].

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> secure_key_length(100_000, 0.05, 30_000, 40)
    41255
    >>> secure_key_length(100_000, 0.05, -1_000_000, 40)
    Traceback (most recent call last):
    ...
    ValueError: leak_ec must be non-negative (>= 0), got -1000000
    """
    n = check_integer(n, "n", minimum=0)
    check_probability(e_upper, "e_upper")
    check_choice(protocol, "protocol", PRIVACY_COSTS)
    leak_ec = check_non_negative(leak_ec, "leak_ec")
    leak_verification = check_non_negative(leak_verification, "leak_verification")
    eps = check_in_range(
        epsilon_pa, "epsilon_pa", 0.0, 1.0, low_inclusive=False, high_inclusive=False
    )
    raw = (
        n * (1.0 - privacy_cost(e_upper, protocol))
        - leak_ec
        - leak_verification
        - 2.0 * math.log2(1.0 / (2.0 * eps))
    )
    return min(max(math.floor(raw), 0), n)


# --- Cascade -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CascadeResult(ResultMixin):
    """Outcome of Cascade: Bob's corrected key and the parity bits Alice disclosed.

    Parameters
    ----------
    corrected : numpy.ndarray
        Bob's key after correction.
    leaked_bits : int
        Parity bits disclosed.
    n_passes : int
        Passes run.
    first_block_size : int
        Block size of the first pass.

    Examples
    --------
    >>> r = cascade([0, 1, 1, 0] * 8, [0, 1, 1, 0] * 8, 0.05, seed=0)
    >>> r.corrected.tolist() == [0, 1, 1, 0] * 8, r.n_passes
    (True, 4)
    """

    corrected: np.ndarray
    leaked_bits: int
    n_passes: int
    first_block_size: int

    def __repr__(self) -> str:
        return (
            f"CascadeResult(length={self.corrected.size}, leaked_bits={self.leaked_bits}, "
            f"n_passes={self.n_passes}, first_block_size={self.first_block_size})"
        )


def cascade(
    alice: Any,
    bob: Any,
    qber_estimate: float,
    *,
    n_passes: int = 4,
    seed: SeedLike = None,
) -> CascadeResult:
    """Correct ``bob`` towards ``alice`` with Cascade (Brassard & Salvail 1994).

    ``n_passes`` is at most ``MAX_CASCADE_PASSES`` (64). Pass 1 uses blocks of
    k₁ = ⌈0.73 / e⌉ bits, each later pass doubles the block size
    and shuffles the key with a fresh public permutation. Every block whose parities
    differ is bisected (one disclosed parity per step) down to the wrong bit; each
    correction flips the parity of the blocks holding that bit in the other passes, and
    those are bisected in turn (the cascade). ``leaked_bits`` counts every parity Alice
    discloses. Only Alice's key is read for her parities, as in the real protocol.

    Cascade does not guarantee an error-free key: an even number of errors that share a
    block in every pass is invisible to it (at e ≈ 1 % and 8000 bits, about one key in
    10³ keeps two errors after four passes). At the end every block of every pass has
    equal parities, so residual errors come in even numbers; the verification hash of
    :func:`postprocess` catches them and aborts.

    Parameters
    ----------
    alice, bob : array_like
        The two sifted keys (bits), of equal length.
    qber_estimate : float
        Estimated error rate, sets the first block size; in [0, 1].
    n_passes : int, optional
        Number of passes, in [1, 64].
    seed : int, Generator or None, optional
        Randomness of the public choices.

    Returns
    -------
    CascadeResult
        Bob's corrected key and the disclosed parity count.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> a = np.array([0, 1, 1, 0, 1, 0, 0, 1], dtype=np.int8)
    >>> b = a.copy(); b[5] ^= 1
    >>> r = cascade(a, b, 0.1, seed=0)
    >>> r.corrected.tolist() == a.tolist()
    True
    """
    a = _bits(alice, "alice")
    b = _bits(bob, "bob").copy()
    if a.size != b.size:
        raise ValueError(f"alice and bob must have the same length, got {a.size} and {b.size}")
    e = check_probability(qber_estimate, "qber_estimate")
    n_passes = check_size(n_passes, "n_passes", maximum=MAX_CASCADE_PASSES)
    rng = make_rng(seed)
    n = a.size
    if n == 0:
        return CascadeResult(b, 0, n_passes, 0)
    k1 = int(min(max(math.ceil(0.73 / max(e, 1e-12)), 4), n))
    perms: list[np.ndarray] = []
    invs: list[np.ndarray] = []
    sizes: list[int] = []
    err_par: list[np.ndarray] = []  # per pass, per block: parity(alice ^ bob)
    leaked = 0

    def bisect(pass_idx: int, block: int) -> int:
        nonlocal leaked
        k = sizes[pass_idx]
        pos = perms[pass_idx][block * k : (block + 1) * k]
        while pos.size > 1:
            half = pos[: pos.size // 2]
            leaked += 1  # Alice discloses the parity of the first half
            if (int(a[half].sum()) + int(b[half].sum())) % 2:
                pos = half
            else:
                pos = pos[pos.size // 2 :]
        return int(pos[0])

    for i in range(n_passes):
        k = min(k1 * 2**i, n)
        perm = np.arange(n) if i == 0 else rng.permutation(n)
        inv = np.empty(n, dtype=np.int64)
        inv[perm] = np.arange(n)
        perms.append(perm)
        invs.append(inv)
        sizes.append(k)
        diff = (a ^ b)[perm].astype(np.int64)
        starts = np.arange(0, n, k)
        err_par.append(np.add.reduceat(diff, starts) % 2)
        leaked += starts.size  # one parity per block
        queue = [(i, int(blk)) for blk in np.flatnonzero(err_par[i])]
        while queue:
            j, blk = queue.pop()
            if not err_par[j][blk]:
                continue
            x = bisect(j, blk)
            b[x] ^= 1
            for m in range(i + 1):
                bm = int(invs[m][x] // sizes[m])
                err_par[m][bm] ^= 1
                if err_par[m][bm]:
                    queue.append((m, bm))
    return CascadeResult(b, leaked, n_passes, k1)


# --- hashing -----------------------------------------------------------------------------


def toeplitz_hash(key: Any, out_length: int, seed_bits: Any) -> np.ndarray:
    """Multiply ``key`` (n bits) by the m × n Toeplitz matrix defined by ``seed_bits``.

    ``seed_bits`` holds the m + n − 1 bits of the matrix's first column and row
    (T[i, j] = s[i − j + n − 1]); the product is a convolution, computed with an FFT,
    so compressing 10⁶ bits takes a fraction of a second. Toeplitz matrices form a
    2-universal family (Carter & Wegman 1979), as the leftover hash lemma needs.

    Parameters
    ----------
    key : array_like
        The n bits to compress.
    out_length : int
        Output length m, non-negative.
    seed_bits : array_like
        The m + n − 1 bits that define the matrix.

    Returns
    -------
    numpy.ndarray
        The m hashed bits.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> toeplitz_hash([1, 0, 1], 2, [1, 1, 0, 1]).tolist()
    [1, 0]
    """
    from scipy.signal import oaconvolve

    x = _bits(key, "key")
    m = check_integer(out_length, "out_length", minimum=0)
    s = _bits(seed_bits, "seed_bits")
    n = x.size
    check_memory(24.0 * (m + n), "out_length", m)  # the float FFT convolution
    if m == 0 or n == 0:
        return np.zeros(m, dtype=np.int8)
    if s.size != m + n - 1:
        raise ValueError(
            f"seed_bits must have out_length + len(key) - 1 = {m + n - 1} bits, got {s.size}"
        )
    conv = oaconvolve(s.astype(float), x.astype(float))[n - 1 : n - 1 + m]
    return (np.rint(conv).astype(np.int64) % 2).astype(np.int8)


def verify_keys(alice: Any, bob: Any, *, n_bits: int = 40, seed: SeedLike = None) -> bool:
    """Error verification: compare ``n_bits``-bit random Toeplitz hashes of both keys.

    Two different keys collide with probability 2^(−n_bits); ``n_bits`` is at most
    ``MAX_HASH_BITS`` (4096).

    Parameters
    ----------
    alice, bob : array_like
        The two keys (bits).
    n_bits : int, optional
        Hash length, in [1, 4096].
    seed : int, Generator or None, optional
        Randomness of the public choices.

    Returns
    -------
    bool
        True when the hashes agree.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> verify_keys([0, 1, 1, 0], [0, 1, 1, 0], seed=0), verify_keys([0, 1, 1, 0], [0, 1, 1, 1], seed=0)
    (True, False)
    """
    a, b = _bits(alice, "alice"), _bits(bob, "bob")
    if a.size != b.size:
        return False
    n_bits = check_size(n_bits, "n_bits", maximum=MAX_HASH_BITS)
    rng = make_rng(seed)
    s = rng.integers(0, 2, size=n_bits + a.size - 1, dtype=np.int8)
    return bool(np.array_equal(toeplitz_hash(a, n_bits, s), toeplitz_hash(b, n_bits, s)))


# --- the whole chain ---------------------------------------------------------------------


@dataclass(frozen=True)
class PostProcessingResult(ResultMixin):
    """Everything the post-processing chain produces (see :func:`postprocess`).

    Parameters
    ----------
    qber_estimate, qber_upper : float
        Sampled QBER and its finite-size upper bound.
    sample_length : int
        Bits published for estimation.
    key_length_before_pa : int
        Bits left after sampling.
    leaked_ec, leaked_verification : int
        Bits disclosed by error correction and verification.
    final_length : int
        Length of the final keys.
    key_alice, key_bob : numpy.ndarray
        The final keys (empty when aborted).
    aborted : bool
        Whether the run aborted.
    abort_reason : str
        Why it aborted (empty otherwise).

    Examples
    --------
    >>> key = np.random.default_rng(0).integers(0, 2, 20_000)
    >>> r = postprocess(key, key.copy(), threshold=0.11, seed=0)
    >>> r.aborted, r.final_length == r.key_alice.size > 0
    (False, True)
    """

    qber_estimate: float
    qber_upper: float
    sample_length: int
    key_length_before_pa: int
    leaked_ec: int
    leaked_verification: int
    final_length: int
    key_alice: np.ndarray
    key_bob: np.ndarray
    aborted: bool
    abort_reason: str


def postprocess(
    alice: Any,
    bob: Any,
    *,
    threshold: float,
    protocol: str = "bb84",
    sample_fraction: float = 0.1,
    epsilon_pe: float = 1e-10,
    epsilon_pa: float = 1e-10,
    verification_bits: int = 40,
    cascade_passes: int = 4,
    seed: SeedLike = None,
) -> PostProcessingResult:
    """Run estimation, Cascade, verification and Toeplitz privacy amplification.

    Returns empty keys and ``aborted=True`` when the sampled QBER exceeds ``threshold``,
    when the finite-size bound leaves no secret bits, or when verification fails.

    Parameters
    ----------
    alice, bob : array_like
        The two sifted keys (bits), of equal length.
    threshold : float
        Abort threshold on the sampled QBER, in [0, 1].
    protocol : {"bb84", "six_state"}, optional
        The privacy cost (see :func:`privacy_cost`).
    sample_fraction : float, optional
        Fraction of the sifted bits published for estimation, in (0, 1).
    epsilon_pe, epsilon_pa : float, optional
        Security parameters of parameter estimation and privacy amplification, in (0, 1).
    verification_bits : int, optional
        Hash length of the verification step.
    cascade_passes : int, optional
        Passes of Cascade.
    seed : int, Generator or None, optional
        Randomness of the public choices.

    Returns
    -------
    PostProcessingResult
        The final keys, their length, the leaks and the abort decision.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> a = rng.integers(0, 2, 50_000, dtype=np.int8)
    >>> out = postprocess(a, a.copy(), threshold=0.11, seed=4)
    >>> out.aborted, bool(np.array_equal(out.key_alice, out.key_bob)), out.final_length > 25_000
    (False, True, True)
    """
    a, b = _bits(alice, "alice"), _bits(bob, "bob")
    if a.size != b.size:
        raise ValueError("alice and bob must have the same length")
    thr = check_probability(threshold, "threshold")
    check_choice(protocol, "protocol", PRIVACY_COSTS)
    frac = check_in_range(
        sample_fraction, "sample_fraction", 0.0, 1.0, low_inclusive=False, high_inclusive=False
    )
    for eps, eps_name in ((epsilon_pe, "epsilon_pe"), (epsilon_pa, "epsilon_pa")):
        check_in_range(eps, eps_name, 0.0, 1.0, low_inclusive=False, high_inclusive=False)
    ver_bits = check_size(verification_bits, "verification_bits", maximum=MAX_HASH_BITS)
    cascade_passes = check_size(cascade_passes, "cascade_passes", maximum=MAX_CASCADE_PASSES)
    rng = make_rng(seed)
    empty = np.zeros(0, dtype=np.int8)
    n_total = a.size
    k = math.ceil(frac * n_total)
    if n_total < 2 or k < 1 or k >= n_total:
        return PostProcessingResult(
            float("nan"), 0.5, 0, 0, 0, 0, 0, empty, empty, True, "too few sifted bits"
        )
    sample = np.zeros(n_total, dtype=bool)
    sample[rng.choice(n_total, size=k, replace=False)] = True
    errs = int(np.sum(a[sample] != b[sample]))
    e_est = errs / k
    rest_a, rest_b = a[~sample], b[~sample]
    n = rest_a.size
    e_up = phase_error_bound(errs, k, n, epsilon_pe)
    if e_est > thr:
        return PostProcessingResult(
            e_est,
            e_up,
            k,
            n,
            0,
            0,
            0,
            empty,
            empty,
            True,
            f"QBER estimate {e_est:.4f} above threshold {thr:.4f}",
        )
    casc = cascade(rest_a, rest_b, max(e_est, 1.0 / n), n_passes=cascade_passes, seed=rng)
    length = secure_key_length(
        n, e_up, casc.leaked_bits, ver_bits, epsilon_pa=epsilon_pa, protocol=protocol
    )
    if length <= 0:
        return PostProcessingResult(
            e_est,
            e_up,
            k,
            n,
            casc.leaked_bits,
            ver_bits,
            0,
            empty,
            empty,
            True,
            "finite-size bound leaves no secret key",
        )
    if not verify_keys(rest_a, casc.corrected, n_bits=ver_bits, seed=rng):
        return PostProcessingResult(
            e_est,
            e_up,
            k,
            n,
            casc.leaked_bits,
            ver_bits,
            0,
            empty,
            empty,
            True,
            "error verification failed",
        )
    seed_bits = rng.integers(0, 2, size=length + n - 1, dtype=np.int8)
    ka = toeplitz_hash(rest_a, length, seed_bits)
    kb = toeplitz_hash(casc.corrected, length, seed_bits)
    return PostProcessingResult(
        e_est, e_up, k, n, casc.leaked_bits, ver_bits, length, ka, kb, False, ""
    )
