"""Secure sum of private inputs with pairwise one-time-pad masks drawn from QKD keys.

Parties 0…n−1 each hold a private vector xᵢ of integers modulo M = 2^b. Every pair (i, j),
i < j, shares a QKD key (:func:`qkd_key_pool` runs :func:`qnetlab.qkd.run_bb84` on each
pair's link). For each aggregation the pair draws a fresh mask m_ij of b bits per entry from
its key, and party i publishes

yᵢ = xᵢ + Σ_{j>i} m_ij − Σ_{j<i} m_ji  (mod M).

The masks cancel in Σᵢ yᵢ = Σᵢ xᵢ (mod M). Each yᵢ alone is uniformly distributed (a
one-time pad); what a party learns from all published values, beyond the sum, is nothing:
given its own input and masks, the other parties' published values are uniform on the set
with the right sum (:func:`party_view`). The cost is b key bits per pair per entry: each
party spends (n − 1) b key bits per aggregated entry, the network n(n − 1)/2 · b.

The baseline, :func:`additive_sharing_sum`, is classical additive secret sharing
(Ben-Or, Goldwasser & Wigderson 1988): party i splits xᵢ into n random shares summing to xᵢ,
sends share j to party j over a private channel, and every party publishes the sum of the
shares it received. It needs n(n − 1) private messages per aggregation: over channels
encrypted with QKD one-time pads that is twice the key of the mask scheme; over classical
authenticated encryption (TLS) it needs no QKD key but its privacy is computational.

If a pair has too little key left, or its QKD run aborted, :func:`secure_sum` aborts and
publishes nothing.

>>> pool = qkd_key_pool(3, 20_000, seed=1)
>>> res = secure_sum([[5], [7], [11]], pool, modulus_bits=8)
>>> res.total.tolist(), res.key_bits_used
([23], 24)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._validation import (
    SeedLike,
    check_choice,
    check_integer,
    check_non_negative,
    check_probability,
    check_size,
    make_rng,
    summary_block,
)
from .qkd import InterceptResend, run_bb84
from .results import ResultMixin

__all__ = [
    "KeyPool",
    "SecureSumResult",
    "additive_sharing_sum",
    "aggregation_rate",
    "key_bits_per_sum",
    "party_view",
    "qkd_key_pool",
    "secure_sum",
]


def _pair(i: int, j: int, n: int) -> tuple[int, int]:
    i = check_integer(i, "i", minimum=0, maximum=n - 1)
    j = check_integer(j, "j", minimum=0, maximum=n - 1)
    if i == j:
        raise ValueError(f"a key is shared by two different parties, got i = j = {i}")
    return (i, j) if i < j else (j, i)


class KeyPool:
    """Pairwise secret keys between ``n_parties`` nodes, consumed bit by bit.

    Parameters
    ----------
    n_parties : int
        Number of nodes (>= 2).
    keys : dict
        ``{(i, j): bits}`` for i < j; a missing pair holds no key.

    Examples
    --------
    >>> pool = KeyPool(2, {(0, 1): np.array([1, 0, 1, 1])})
    >>> pool.take(0, 1, 3).tolist(), pool.remaining(0, 1)
    ([1, 0, 1], 1)
    """

    def __init__(self, n_parties: int, keys: dict[tuple[int, int], Any]) -> None:
        self.n_parties = check_size(n_parties, "n_parties", minimum=2, maximum=1000)
        self._keys: dict[tuple[int, int], np.ndarray] = {}
        self._used: dict[tuple[int, int], int] = {}
        for (i, j), bits in keys.items():
            pair = _pair(i, j, self.n_parties)
            arr = np.asarray(bits)
            if arr.ndim != 1 or not np.isin(arr, (0, 1)).all():
                raise ValueError(f"key of pair {pair} must be a 1-D array of bits")
            self._keys[pair] = arr.astype(np.uint8)
            self._used[pair] = 0

    @property
    def pairs(self) -> list[tuple[int, int]]:
        """All pairs i < j."""
        n = self.n_parties
        return [(i, j) for i in range(n) for j in range(i + 1, n)]

    def remaining(self, i: int, j: int) -> int:
        """Unused key bits of pair (i, j)."""
        pair = _pair(i, j, self.n_parties)
        return int(self._keys.get(pair, np.zeros(0)).size - self._used.get(pair, 0))

    def used(self, i: int, j: int) -> int:
        """Key bits pair (i, j) has spent."""
        return int(self._used.get(_pair(i, j, self.n_parties), 0))

    def take(self, i: int, j: int, n_bits: int) -> np.ndarray:
        """Consume the next ``n_bits`` key bits of pair (i, j); never reuses a bit."""
        pair = _pair(i, j, self.n_parties)
        n_bits = check_integer(n_bits, "n_bits", minimum=0)
        if self.remaining(*pair) < n_bits:
            raise ValueError(
                f"pair {pair} has {self.remaining(*pair)} key bits left, {n_bits} requested"
            )
        start = self._used[pair]
        self._used[pair] = start + n_bits
        return self._keys[pair][start : start + n_bits].copy()

    def __repr__(self) -> str:
        """Short, one-line form (key bits left: least and most over the pairs).

        >>> qkd_key_pool(4, 20_000, seed=0)
        KeyPool(n_parties=4, pairs=6, remaining=...)
        """
        left = [self.remaining(*p) for p in self.pairs]
        return (
            f"KeyPool(n_parties={self.n_parties}, pairs={len(left)}, "
            f"remaining={min(left)}..{max(left)} bits)"
        )

    def summary(self) -> str:
        """Key bits left for each pair, one per line.

        Returns
        -------
        str
            A title line, then ``pair  bits`` lines.

        Examples
        --------
        >>> print(qkd_key_pool(3, 20_000, seed=0).summary())
        KeyPool
          n_parties  3
          (0, 1)     ...
          (0, 2)     ...
          (1, 2)     ...
        """
        rows: list[tuple[str, Any]] = [("n_parties", self.n_parties)]
        rows += [(str(p), self.remaining(*p)) for p in self.pairs]
        return summary_block("KeyPool", rows)


#: Extra BB84 blocks a pair runs when a block fails error verification (qkd_key_pool).
VERIFY_RETRIES = 2


def qkd_key_pool(
    n_parties: int,
    n_pulses: int,
    *,
    depolarization: float = 0.0,
    link: Any = None,
    eavesdropped: Sequence[tuple[int, int]] = (),
    seed: SeedLike = None,
) -> KeyPool:
    """Run BB84 (:func:`qnetlab.qkd.run_bb84`) on every pair's link and pool the keys.

    A block whose error verification fails (Cascade left a residual error, which the
    verification hash caught) is discarded and the link runs another block, as a real
    system would, up to ``VERIFY_RETRIES`` more times; an abort on the QBER is final.

    Parameters
    ----------
    n_parties : int
        Number of nodes (>= 2); every pair gets a link.
    n_pulses : int
        Photons per link.
    depolarization : float
        Channel depolarisation on every link.
    link : LinkModel, dict or None
        One :class:`~qnetlab.qkd.LinkModel` for all pairs, or ``{(i, j): LinkModel}``.
    eavesdropped : sequence of pairs
        Pairs on which an intercept-resend attacker measures every photon: their BB84 run
        aborts and the pair holds no key.
    seed : int, Generator or None
        Randomness of every run.

    Returns
    -------
    KeyPool
        Alice's final key of each pair (identical to Bob's after verification).

    Raises
    ------
    ValueError, TypeError
        On an argument out of range.

    Examples
    --------
    >>> pool = qkd_key_pool(3, 10_000, seed=2)
    >>> min(pool.remaining(i, j) for i, j in pool.pairs) > 500
    True
    """
    n = check_size(n_parties, "n_parties", minimum=2, maximum=64)
    n_pulses = check_integer(n_pulses, "n_pulses", minimum=1)
    check_probability(depolarization, "depolarization")
    rng = make_rng(seed)
    try:
        bad = {_pair(i, j, n) for i, j in eavesdropped}
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"eavesdropped must be a sequence of (i, j) party pairs, got {eavesdropped!r}"
        ) from exc
    keys = {}
    for i in range(n):
        for j in range(i + 1, n):
            lk = link.get((i, j)) if isinstance(link, dict) else link
            eve = InterceptResend(1.0) if (i, j) in bad else None
            for _ in range(1 + VERIFY_RETRIES):
                r = run_bb84(n_pulses, depolarization=depolarization, link=lk, eve=eve, seed=rng)
                if r.keys_match:
                    keys[(i, j)] = r.key_alice
                if r.keys_match or r.abort_reason != "error verification failed":
                    break
    return KeyPool(n, keys)


def _inputs(inputs: Any, modulus_bits: int) -> tuple[np.ndarray, int]:
    b = check_integer(modulus_bits, "modulus_bits", minimum=1, maximum=62)
    try:
        x = np.asarray(inputs)
    except (TypeError, ValueError) as exc:  # pragma: no cover - ragged input
        raise TypeError("inputs must be an (n_parties, n_values) array of integers") from exc
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 1:
        raise ValueError(f"inputs must have shape (n_parties >= 2, n_values), got {x.shape}")
    if not np.issubdtype(x.dtype, np.integer):
        raise TypeError(f"inputs must be integers (fixed-point encode floats), got {x.dtype}")
    if np.any(x < 0) or np.any(x >= 2**b):
        raise ValueError(f"inputs must lie in [0, 2**modulus_bits) = [0, {2**b}), got {x}")
    return x.astype(np.int64), b


def _mask_values(bits: np.ndarray, n_values: int, b: int) -> np.ndarray:
    weights = (1 << np.arange(b, dtype=np.int64))[::-1]
    return bits.reshape(n_values, b).astype(np.int64) @ weights


@dataclass(frozen=True)
class SecureSumResult(ResultMixin):
    """Outcome of :func:`secure_sum` or :func:`additive_sharing_sum`.

    Parameters
    ----------
    total : numpy.ndarray
        Σᵢ xᵢ mod 2^b per entry (empty after an abort).
    published : numpy.ndarray
        What the parties published, shape (n_parties, n_values) (empty after an abort).
    modulus_bits : int
        b.
    key_bits_used : int
        QKD key bits consumed over all pairs.
    messages : int
        Point-to-point private messages sent (0 for the mask scheme).
    aborted : bool
        Whether a pair lacked key.
    abort_reason : str
        Why.
    own : numpy.ndarray
        Shape (n, n, n_values): ``own[j, k]`` is the part of party j's published value that
        party k put there (its mask ±m_kj, or its share s_kj); used by :func:`party_view`.

    Examples
    --------
    >>> pool = KeyPool(2, {(0, 1): np.ones(8, dtype=int)})
    >>> r = secure_sum([3, 4], pool, modulus_bits=4)
    >>> r.total.tolist(), r.key_bits_used, r.messages, r.published.shape
    ([7], 4, 0, (2, 1))
    """

    total: np.ndarray
    published: np.ndarray = field(repr=False)
    modulus_bits: int
    key_bits_used: int
    messages: int
    aborted: bool
    abort_reason: str = ""
    own: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 0), np.int64), repr=False)


def secure_sum(inputs: Any, pool: KeyPool, *, modulus_bits: int = 32) -> SecureSumResult:
    """Aggregate private integer vectors with pairwise masks from QKD keys.

    Parameters
    ----------
    inputs : array_like of int
        Shape (n_parties, n_values) (or (n_parties,)), entries in [0, 2^b).
    pool : KeyPool
        Pairwise keys; each pair spends ``n_values * modulus_bits`` bits.
    modulus_bits : int
        b, the bit width of the sum (1…62).

    Returns
    -------
    SecureSumResult
        The sum and the published masked values, or an abort with neither.

    Raises
    ------
    ValueError, TypeError
        On inputs of the wrong shape, type or range, or a pool for another number of
        parties.

    Examples
    --------
    >>> pool = KeyPool(2, {(0, 1): np.ones(8, dtype=int)})
    >>> secure_sum([3, 4], pool, modulus_bits=4).total.tolist()
    [7]
    """
    x, b = _inputs(inputs, modulus_bits)
    if not isinstance(pool, KeyPool):
        raise TypeError(f"pool must be a KeyPool, got {type(pool).__name__}")
    n, d = x.shape
    if pool.n_parties != n:
        raise ValueError(f"pool holds keys for {pool.n_parties} parties, inputs for {n}")
    need = d * b
    short = [p for p in pool.pairs if pool.remaining(*p) < need]
    empty = np.zeros((0,), dtype=np.int64)
    if short:
        return SecureSumResult(
            empty, np.zeros((0, d), np.int64), b, 0, 0, True, f"pairs {short} lack key"
        )
    mod = np.int64(1) << b
    y = x.copy()
    own = np.zeros((n, n, d), dtype=np.int64)
    for i, j in pool.pairs:
        m = _mask_values(pool.take(i, j, need), d, b)
        y[i] = (y[i] + m) % mod
        y[j] = (y[j] - m) % mod
        own[j, i], own[i, j] = -m % mod, m  # i's mask inside y_j, j's mask inside y_i
    total = y.sum(axis=0) % mod
    return SecureSumResult(total, y, b, need * len(pool.pairs), 0, False, "", own)


def additive_sharing_sum(
    inputs: Any, *, modulus_bits: int = 32, seed: SeedLike = None
) -> SecureSumResult:
    """Classical additive secret sharing: n shares per input, n(n − 1) private messages.

    Party i draws shares s_i1…s_in uniformly with Σⱼ s_ij = xᵢ (mod 2^b), sends s_ij to party
    j, and party j publishes Σᵢ s_ij. ``key_bits_used`` counts the one-time-pad key that the
    n(n − 1) messages would consume over QKD-encrypted channels.

    Parameters
    ----------
    inputs : array_like of int
        Shape (n_parties, n_values), entries in [0, 2^b).
    modulus_bits : int
        b (1…62).
    seed : int, Generator or None
        Randomness of the shares.

    Returns
    -------
    SecureSumResult
        The sum and the published partial sums.

    Raises
    ------
    ValueError, TypeError
        On inputs of the wrong shape, type or range.

    Examples
    --------
    >>> r = additive_sharing_sum([[5], [7], [11]], modulus_bits=8, seed=1)
    >>> r.total.tolist(), r.messages, r.key_bits_used
    ([23], 6, 48)
    """
    x, b = _inputs(inputs, modulus_bits)
    rng = make_rng(seed)
    n, d = x.shape
    mod = np.int64(1) << b
    shares = rng.integers(0, mod, size=(n, n, d), dtype=np.int64)
    shares[:, -1] = (x - shares[:, :-1].sum(axis=1)) % mod
    published = shares.sum(axis=0) % mod  # party j publishes the shares it received
    total = published.sum(axis=0) % mod
    own = np.transpose(shares, (1, 0, 2)).copy()  # own[j, k] = s_kj, k's share sent to j
    return SecureSumResult(total, published, b, n * (n - 1) * d * b, n * (n - 1), False, "", own)


def party_view(result: SecureSumResult, party: int) -> np.ndarray:
    """What ``party`` learns of the others: uⱼ = yⱼ minus what the party itself put in yⱼ.

    The party knows its own masks (or shares), so its view of party j's published value
    reduces to uⱼ; for the mask scheme Σⱼ uⱼ = Σ x − x_party, and the uⱼ are uniform on that
    set whatever the inputs: the view reveals the sum and nothing else.

    Parameters
    ----------
    result : SecureSumResult
        A completed (not aborted) aggregation.
    party : int
        The observing party (0-based).

    Returns
    -------
    numpy.ndarray
        Shape (n − 1, n_values), the uⱼ for j ≠ party, modulo 2^b.

    Raises
    ------
    ValueError
        After an abort or for a party out of range.

    Examples
    --------
    >>> pool = KeyPool(3, {(0, 1): np.ones(4, int), (0, 2): np.ones(4, int),
    ...                    (1, 2): np.zeros(4, int)})
    >>> party_view(secure_sum([1, 2, 3], pool, modulus_bits=4), 0).ravel().tolist()
    [2, 3]
    """
    if not isinstance(result, SecureSumResult):
        raise TypeError(f"result must be a SecureSumResult, got {type(result).__name__}")
    if result.aborted:
        raise ValueError("an aborted aggregation published nothing")
    n = result.published.shape[0]
    party = check_integer(party, "party", minimum=0, maximum=n - 1)
    u = (result.published - result.own[:, party]) % (np.int64(1) << result.modulus_bits)
    return np.delete(u, party, axis=0)


def key_bits_per_sum(n_parties: int, n_values: int, modulus_bits: int, scheme: str) -> int:
    """QKD key bits one aggregation consumes over the whole network.

    ``"masks"``: n(n − 1)/2 · d · b; ``"additive"`` (shares sent under one-time pads):
    n(n − 1) · d · b.

    Parameters
    ----------
    n_parties, n_values, modulus_bits : int
        n (>= 2), d (>= 1), b (1…62).
    scheme : str
        ``"masks"`` or ``"additive"``.

    Returns
    -------
    int
        Key bits.

    Raises
    ------
    ValueError
        On an unknown scheme or a count out of range.

    Examples
    --------
    >>> key_bits_per_sum(5, 13, 32, "masks"), key_bits_per_sum(5, 13, 32, "additive")
    (4160, 8320)
    """
    n = check_size(n_parties, "n_parties", minimum=2, maximum=1000)
    d = check_integer(n_values, "n_values", minimum=1)
    b = check_integer(modulus_bits, "modulus_bits", minimum=1, maximum=62)
    check_choice(scheme, "scheme", ("masks", "additive"))
    pairs = n * (n - 1) // 2
    return pairs * d * b * (1 if scheme == "masks" else 2)


def aggregation_rate(key_rates_bps: Any, n_values: int, modulus_bits: int) -> float:
    """Aggregations per second the pairwise key rates sustain with the mask scheme.

    Every pair spends d·b bits per aggregation, so the slowest pair sets the rate
    min_{i<j} R_ij / (d b).

    Parameters
    ----------
    key_rates_bps : array_like
        Symmetric (n, n) matrix of secret-key rates, bits per second (diagonal ignored).
    n_values, modulus_bits : int
        d and b.

    Returns
    -------
    float
        Aggregations per second.

    Raises
    ------
    ValueError
        On a non-square, asymmetric or negative rate matrix.

    Examples
    --------
    >>> aggregation_rate([[0, 1000, 2000], [1000, 0, 500], [2000, 500, 0]], 1, 10)
    50.0
    """
    try:
        r = np.asarray(key_rates_bps, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"key_rates_bps must be an (n, n) matrix of numbers, got {key_rates_bps!r}"
        ) from None
    if r.ndim != 2 or r.shape[0] != r.shape[1] or r.shape[0] < 2:
        raise ValueError(f"key_rates_bps must be a square (n, n) matrix, got shape {r.shape}")
    if not np.all(np.isfinite(r)) or not np.allclose(r, r.T):
        raise ValueError("key_rates_bps must be finite and symmetric")
    off = r[~np.eye(r.shape[0], dtype=bool)]
    check_non_negative(float(off.min()), "key_rates_bps")
    d = check_integer(n_values, "n_values", minimum=1)
    b = check_integer(modulus_bits, "modulus_bits", minimum=1, maximum=62)
    return float(off.min() / (d * b))
