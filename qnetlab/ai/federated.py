"""Federated learning across network operators, with QKD-keyed secure aggregation and DP.

Each operator monitors its own QKD link (:func:`qnetlab.ai.qkd_telemetry`, the telemetry
of Chapter III.A.3) and labels windows as normal or attacked. Operators never share raw
telemetry; they train one logistic-regression attack detector together:

- **FedSGD** (``local_steps=1``): in every round each operator sends the sum of its
  per-window gradients, clipped to norm C (Abadi et al. 2016); the server adds them up and
  takes a gradient step. **FedAvg** (``local_steps>1``, McMahan et al. 2017): each operator
  takes several local steps and sends its model weighted by its data size.
- **Secure aggregation**: what operators send is fixed-point encoded and summed with
  :func:`qnetlab.secure_sum.secure_sum`, whose masks are BB84 keys; the server sees only the
  sum. Without a key pool the plain sum is used (same numbers, no privacy).
- **Differential privacy** (Gaussian mechanism, Dwork & Roth 2014): with
  ``noise_multiplier=σ`` every operator adds N(0, σ²C²/K) to its clipped gradient sum, so
  that the aggregated sum carries N(0, σ²C²), the noise of one Gaussian mechanism of
  sensitivity C per round (distributed DP: only the secure sum makes the individual noisy
  shares invisible). Record-level (ε, δ) after T rounds follows from Rényi DP (Mironov 2017):
  ε_α = T α / (2σ²) for the Gaussian mechanism at order α, composed additively, and
  ε = min_α [ε_α + log(1/δ)/(α − 1)] (:func:`dp_epsilon`).

>>> data = operator_datasets(2, 8, window_pulses=200_000, seed=1)
>>> res = federated_train(data, rounds=5, seed=2)
>>> res.weights.shape, res.epsilon(1e-5)
((5,), inf)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_choice,
    check_in_range,
    check_integer,
    check_non_negative,
    check_positive,
    check_probability,
    check_size,
    make_rng,
)
from ..qkd.telemetry import LinkDrift, qkd_telemetry
from ..results import ResultMixin
from ..secure_sum import KeyPool, secure_sum
from .anomaly import window_features

__all__ = [
    "FEDERATED_FEATURES",
    "RDP_ORDERS",
    "FederatedResult",
    "OperatorData",
    "accuracy",
    "dp_epsilon",
    "federated_train",
    "gaussian_rdp",
    "noise_for_epsilon",
    "operator_datasets",
    "pooled",
]

#: Telemetry columns the detector uses (error rates: insensitive to the link's length).
FEDERATED_FEATURES: tuple[str, ...] = ("qber_z", "qber_x", "error_decoy", "e1_upper")

#: Rényi orders of the accountant (as in TensorFlow Privacy's default grid, extended).
RDP_ORDERS: np.ndarray = np.concatenate(
    [1.0 + np.arange(1, 100) / 10.0, np.arange(11, 64), [80, 100, 128, 256, 512, 1024]]
).astype(float)


@dataclass(frozen=True)
class OperatorData:
    """One operator's labelled telemetry, split into training and test windows.

    Parameters
    ----------
    x_train, y_train, x_test, y_test : numpy.ndarray
        Standardised features (:data:`FEDERATED_FEATURES`) and labels (1 = attacked).
    attack : str
        The attack this operator's link suffered.

    Examples
    --------
    >>> d = operator_datasets(2, 8, window_pulses=100_000, seed=0)[0]
    >>> d.attack, d.x_train.shape[1] == len(FEDERATED_FEATURES)
    ('intercept_resend', True)
    """

    x_train: np.ndarray = field(repr=False)
    y_train: np.ndarray = field(repr=False)
    x_test: np.ndarray = field(repr=False)
    y_test: np.ndarray = field(repr=False)
    attack: str

    def __repr__(self) -> str:
        return (
            f"OperatorData(attack={self.attack!r}, train={self.y_train.size}, "
            f"test={self.y_test.size}, attacked_train={int(self.y_train.sum())})"
        )


def operator_datasets(
    n_operators: int,
    n_windows: int = 40,
    *,
    window_pulses: int = 1_000_000,
    fraction: float = 0.1,
    attacks: Sequence[str] = ("intercept_resend", "cloner"),
    seed: SeedLike = None,
) -> list[OperatorData]:
    """Telemetry of ``n_operators`` drifting decoy-BB84 links, half of each run attacked.

    Operator k's link (the default 25 km link of :func:`qnetlab.ai.qkd_telemetry`, with
    its own drift) suffers ``attacks[k % len(attacks)]`` on a ``fraction`` of the pulses
    from window ``n_windows // 2`` on. The windows are shuffled and split in half for
    training and testing. Features are standardised with the mean and spread of a *public*
    reference: normal telemetry of the nominal link simulated from the same seed stream,
    so that no operator's data enters another's preprocessing.

    Parameters
    ----------
    n_operators : int
        Operators (>= 1).
    n_windows : int
        Windows per operator (even, >= 4).
    window_pulses : int
        Pulses per window (>= 10⁴).
    fraction : float
        Attacked fraction of the pulses, in (0, 1].
    attacks : sequence of str
        Attack names from :data:`qnetlab.ai.ATTACKS`.
    seed : int, Generator or None
        Randomness of the telemetry and the split.

    Returns
    -------
    list of OperatorData
        One entry per operator.

    Raises
    ------
    ValueError, TypeError
        On an argument out of range.

    Examples
    --------
    >>> data = operator_datasets(2, 8, window_pulses=100_000, seed=0)
    >>> [d.attack for d in data], data[0].x_train.shape
    (['intercept_resend', 'cloner'], (4, 4))
    """
    k_ops = check_integer(n_operators, "n_operators", minimum=1)
    nw = check_size(
        n_windows, "n_windows", minimum=4, maximum=10**6, hint="split the work over several calls"
    )
    if nw % 2:
        raise ValueError(f"n_windows must be even (half normal, half attacked), got {nw}")
    f = check_in_range(fraction, "fraction", 0.0, 1.0, low_inclusive=False)
    attacks = list(attacks)
    if not attacks:
        raise ValueError("attacks must name at least one attack")
    rng = make_rng(seed)
    ref = qkd_telemetry(nw, window_pulses=window_pulses, drift=LinkDrift.none(), seed=rng)
    ref_x = window_features(ref, columns=FEDERATED_FEATURES)
    mean, std = ref_x.mean(axis=0), ref_x.std(axis=0) + 1e-12
    out = []
    for k in range(k_ops):
        attack = attacks[k % len(attacks)]
        tel = qkd_telemetry(
            nw,
            window_pulses=window_pulses,
            attack=attack,
            attack_start=nw // 2,
            fraction=f,
            seed=rng,
        )
        x = (window_features(tel, columns=FEDERATED_FEATURES) - mean) / std
        order = rng.permutation(nw)
        tr, te = order[: nw // 2], order[nw // 2 :]
        out.append(OperatorData(x[tr], tel.labels[tr], x[te], tel.labels[te], attack))
    return out


def pooled(datasets: Sequence[OperatorData], split: str = "test") -> tuple[np.ndarray, ...]:
    """Stack every operator's ``"train"`` or ``"test"`` windows: (x, y).

    Parameters
    ----------
    datasets : sequence of OperatorData
        The operators' data.
    split : str
        ``"train"`` or ``"test"``.

    Returns
    -------
    tuple of numpy.ndarray
        Features (windows, features) and labels (windows,).

    Raises
    ------
    ValueError, TypeError
        On an unknown split or datasets that are not OperatorData.

    Examples
    --------
    >>> data = operator_datasets(2, 8, window_pulses=100_000, seed=0)
    >>> pooled(data)[0].shape
    (8, 4)
    """
    check_choice(split, "split", ("train", "test"))
    data = _check_datasets(datasets)
    xs = [getattr(d, f"x_{split}") for d in data]
    ys = [getattr(d, f"y_{split}") for d in data]
    return np.vstack(xs), np.concatenate(ys)


def _check_datasets(datasets: Any) -> list[OperatorData]:
    data = list(datasets) if isinstance(datasets, Sequence) else []
    if not data or not all(isinstance(d, OperatorData) for d in data):
        raise TypeError("datasets must be a non-empty sequence of OperatorData")
    return data


def _design(x: np.ndarray) -> np.ndarray:
    return np.hstack([x, np.ones((x.shape[0], 1))])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def accuracy(weights: Any, x: Any, y: Any) -> float:
    """Fraction of windows the logistic model ``weights`` (features, then bias) labels right.

    Parameters
    ----------
    weights : array_like
        Feature weights followed by the bias.
    x : array_like
        Features, shape (windows, features).
    y : array_like
        Labels 0/1.

    Returns
    -------
    float
        Accuracy in [0, 1].

    Raises
    ------
    ValueError
        If ``weights`` does not have one entry per feature plus the bias.

    Examples
    --------
    >>> accuracy([1.0, 0.0], np.array([[2.0], [-1.0]]), np.array([1, 0]))
    1.0
    """
    w = np.asarray(weights, dtype=float)
    xd = _design(np.asarray(x, dtype=float))
    if xd.shape[1] != w.size:
        raise ValueError(f"weights must have {xd.shape[1]} entries, got {w.size}")
    return float(np.mean((xd @ w > 0).astype(int) == np.asarray(y)))


def _clipped_gradient_sum(w: np.ndarray, x: np.ndarray, y: np.ndarray, clip: float):
    xd = _design(x)
    g = (_sigmoid(xd @ w) - y)[:, None] * xd
    if np.isfinite(clip):
        norms = np.linalg.norm(g, axis=1, keepdims=True)
        g = g / np.maximum(1.0, norms / clip)
    return g.sum(axis=0)


def _encode(v: np.ndarray, frac_bits: int, modulus_bits: int) -> np.ndarray:
    mod = np.int64(1) << modulus_bits
    q = np.round(v * 2.0**frac_bits).astype(np.int64)
    if np.any(np.abs(q) >= mod // 2):
        raise ValueError(
            f"a value {float(np.max(np.abs(v)))} overflows the fixed-point range of "
            f"modulus_bits={modulus_bits}, fraction_bits={frac_bits}"
        )
    return q % mod


def _decode(v: np.ndarray, frac_bits: int, modulus_bits: int) -> np.ndarray:
    mod = np.int64(1) << modulus_bits
    v = np.where(v >= mod // 2, v - mod, v)
    return v.astype(float) / 2.0**frac_bits


@dataclass(frozen=True)
class FederatedResult(ResultMixin):
    """A trained federated model and what the training cost.

    Parameters
    ----------
    weights : numpy.ndarray
        Logistic-regression weights (features, then bias).
    rounds : int
        Communication rounds.
    noise_multiplier, clip : float
        σ and C of the Gaussian mechanism (σ = 0: no DP).
    key_bits_used : int
        QKD key bits spent by the secure aggregation (0 without a key pool).
    aborted : bool
        True when the key pool ran dry: training stopped, ``weights`` are those of the
        last completed round.

    Examples
    --------
    >>> r = FederatedResult(np.zeros(3), rounds=5, noise_multiplier=0.0, clip=1.0,
    ...                     key_bits_used=0)
    >>> r.epsilon(1e-5)  # no noise, no differential privacy
    inf
    """

    weights: np.ndarray
    rounds: int
    noise_multiplier: float
    clip: float
    key_bits_used: int
    aborted: bool = False

    def epsilon(self, delta: float) -> float:
        """Record-level ε at ``delta`` of the run (inf without noise)."""
        if self.noise_multiplier == 0:
            return float("inf")
        return dp_epsilon(self.noise_multiplier, self.rounds, delta)


def federated_train(
    datasets: Sequence[OperatorData],
    *,
    rounds: int = 30,
    learning_rate: float = 1.0,
    local_steps: int = 1,
    clip: float = 1.0,
    noise_multiplier: float = 0.0,
    l2: float = 1e-3,
    key_pool: KeyPool | None = None,
    modulus_bits: int = 32,
    fraction_bits: int = 16,
    seed: SeedLike = None,
) -> FederatedResult:
    """Train the logistic attack detector across operators (FedSGD or FedAvg).

    Parameters
    ----------
    datasets : sequence of OperatorData
        One per operator (a single entry is centralised training).
    rounds : int
        Communication rounds (>= 1).
    learning_rate : float
        Gradient step (> 0).
    local_steps : int
        1: FedSGD (gradient sums aggregated; DP possible). > 1: FedAvg with that many local
        full-batch steps per round (no DP).
    clip : float
        Per-window gradient norm bound C (> 0; ``np.inf`` disables clipping, only without
        noise).
    noise_multiplier : float
        σ >= 0 of the Gaussian mechanism.
    l2 : float
        Ridge penalty on the weights.
    key_pool : KeyPool or None
        Pairwise QKD keys between the operators for secure aggregation.
    modulus_bits, fraction_bits : int
        Fixed-point encoding of the aggregated values.
    seed : int, Generator or None
        Randomness of the DP noise.

    Returns
    -------
    FederatedResult
        The model, ε accounting and key spent.

    Raises
    ------
    ValueError, TypeError
        On an argument out of range, DP with FedAvg or without clipping, or a key pool for
        another number of operators.

    Examples
    --------
    >>> data = operator_datasets(3, 8, window_pulses=200_000, seed=4)
    >>> res = federated_train(data, rounds=10, noise_multiplier=2.0, seed=5)
    >>> round(res.epsilon(1e-5), 2)
    8.84
    """
    data = _check_datasets(datasets)
    t_rounds = check_integer(rounds, "rounds", minimum=1)
    lr = check_positive(learning_rate, "learning_rate")
    steps = check_integer(local_steps, "local_steps", minimum=1)
    sigma = check_non_negative(noise_multiplier, "noise_multiplier")
    c = float(clip) if clip == np.inf else check_positive(clip, "clip")
    lam = check_non_negative(l2, "l2")
    b = check_integer(modulus_bits, "modulus_bits", minimum=8, maximum=62)
    fb = check_integer(fraction_bits, "fraction_bits", minimum=0, maximum=b - 2)
    if sigma > 0 and steps > 1:
        raise ValueError("noise_multiplier > 0 needs local_steps=1 (DP-FedSGD)")
    if sigma > 0 and not np.isfinite(c):
        raise ValueError("noise_multiplier > 0 needs a finite clip")
    k_ops = len(data)
    if key_pool is not None:
        if not isinstance(key_pool, KeyPool):
            raise TypeError(f"key_pool must be a KeyPool, got {type(key_pool).__name__}")
        if key_pool.n_parties != k_ops:
            raise ValueError(
                f"key_pool holds keys for {key_pool.n_parties} operators, got {k_ops} datasets"
            )
    rng = make_rng(seed)
    d = data[0].x_train.shape[1] + 1
    n_total = sum(x.y_train.size for x in data)
    w = np.zeros(d)
    used, aborted = 0, False

    def aggregate(values: list[np.ndarray]) -> np.ndarray | None:
        nonlocal used
        if key_pool is None or k_ops < 2:
            return np.sum(values, axis=0)
        enc = np.array([_encode(v, fb, b) for v in values])
        res = secure_sum(enc, key_pool, modulus_bits=b)
        if res.aborted:
            return None
        used += res.key_bits_used
        return _decode(res.total, fb, b)

    for _ in range(t_rounds):
        if steps == 1:
            shares = []
            for op in data:
                g = _clipped_gradient_sum(w, op.x_train, op.y_train, c)
                if sigma > 0:
                    g = g + rng.normal(0.0, sigma * c / np.sqrt(k_ops), size=d)
                shares.append(g)
            total = aggregate(shares)
            if total is None:
                aborted = True
                break
            w = w - lr * (total / n_total + lam * w)
        else:
            shares = []
            for op in data:
                wk = w.copy()
                for _ in range(steps):
                    g = _clipped_gradient_sum(wk, op.x_train, op.y_train, c)
                    wk = wk - lr * (g / op.y_train.size + lam * wk)
                shares.append(op.y_train.size * wk)
            total = aggregate(shares)
            if total is None:
                aborted = True
                break
            w = total / n_total
    return FederatedResult(w, t_rounds, sigma, c, used, aborted)


def gaussian_rdp(orders: Any, noise_multiplier: float, steps: int = 1) -> np.ndarray:
    """Rényi DP of ``steps`` compositions of the Gaussian mechanism: T α / (2σ²).

    Mironov (2017), Proposition 7 (Gaussian mechanism) and Proposition 1 (composition); it
    is also the moments accountant of Abadi et al. (2016) without subsampling.

    Parameters
    ----------
    orders : array_like
        Rényi orders α > 1.
    noise_multiplier : float
        σ > 0 (noise standard deviation over sensitivity).
    steps : int
        Compositions T >= 1.

    Returns
    -------
    numpy.ndarray
        ε_α per order.

    Raises
    ------
    ValueError
        On an order <= 1 or σ <= 0.

    Examples
    --------
    >>> gaussian_rdp([2.0, 10.0], 2.0, steps=4).tolist()
    [1.0, 5.0]
    """
    a = np.asarray(orders, dtype=float)
    if a.size == 0 or np.any(~np.isfinite(a)) or np.any(a <= 1):
        raise ValueError(f"orders must be finite and > 1, got {orders}")
    s = check_positive(noise_multiplier, "noise_multiplier")
    t = check_integer(steps, "steps", minimum=1)
    return t * a / (2.0 * s**2)


def dp_epsilon(
    noise_multiplier: float, steps: int, delta: float, orders: Any = RDP_ORDERS
) -> float:
    """(ε, δ)-DP of ``steps`` Gaussian mechanisms via RDP: min_α ε_α + log(1/δ)/(α − 1).

    The conversion is Mironov (2017), Proposition 3.

    Parameters
    ----------
    noise_multiplier : float
        σ > 0.
    steps : int
        Rounds T >= 1.
    delta : float
        δ in (0, 1).
    orders : array_like
        Rényi orders to optimise over.

    Returns
    -------
    float
        ε.

    Raises
    ------
    ValueError
        On an argument out of range.

    Examples
    --------
    >>> round(dp_epsilon(1.0, 1, 1e-5), 2)
    5.3
    """
    dl = check_probability(delta, "delta")
    if not 0 < dl < 1:
        raise ValueError(f"delta must be in (0, 1), got {delta}")
    a = np.asarray(orders, dtype=float)
    eps = gaussian_rdp(a, noise_multiplier, steps) + np.log(1.0 / dl) / (a - 1.0)
    return float(np.min(eps))


def noise_for_epsilon(epsilon: float, steps: int, delta: float) -> float:
    """The noise multiplier σ that gives ``epsilon`` after ``steps`` rounds at ``delta``.

    Parameters
    ----------
    epsilon : float
        Target ε > 0.
    steps : int
        Rounds T >= 1.
    delta : float
        δ in (0, 1).

    Returns
    -------
    float
        σ with :func:`dp_epsilon` (σ, T, δ) = ε (to 1e-10 in σ).

    Raises
    ------
    ValueError
        On an argument out of range or an ε no σ up to 10⁶ reaches.

    Examples
    --------
    >>> s = noise_for_epsilon(2.0, 30, 1e-5)
    >>> round(dp_epsilon(s, 30, 1e-5), 6)
    2.0
    """
    from scipy.optimize import brentq

    eps = check_positive(epsilon, "epsilon")
    check_integer(steps, "steps", minimum=1)
    lo, hi = 1e-3, 1e6
    if dp_epsilon(hi, steps, delta) > eps:
        raise ValueError(f"epsilon={eps} is below what σ = 1e6 reaches in {steps} steps")
    return float(brentq(lambda s: dp_epsilon(s, steps, delta) - eps, lo, hi, xtol=1e-10))
