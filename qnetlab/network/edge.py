"""Quantum keys at the 6G edge: the key pool of an edge node that serves many IoT devices.

An edge node receives secret key from a metro QKD link and hands AES-256 keys to the
devices it serves (the survey's Section III.C.2, edge computing and IoT). Does the key supply of a decoy-BB84 link
(:func:`qnetlab.qkd.theory.decoy_bb84_key_rate`, or the finite-size
:func:`qnetlab.qkd.theory.finite_decoy_key_rate`) cover the rekeying demand of many
devices, and how should the node share a short supply among device classes? A class of
``n`` devices that rekeys every ``T`` seconds with ``b``-bit keys needs ``n b / T`` bit/s on
average; :func:`key_demand_trace` draws bursty rekey requests per time slot (a two-state
Markov chain per class, as in :mod:`qnetlab.network.traffic`); :func:`simulate_key_pool`
plays an allocation policy against a trace and counts the *outage*, the rekeys that find
no key:

- :class:`GreedyKeyPool`: one shared key store, first come first served;
- :class:`StaticKeyPool`: one store per class, fed in fixed shares (proportional to the
  mean demand);
- :class:`BanditKeyPool`: one store per class, fed in shares that a bandit
  (:mod:`qnetlab.ai.bandits`) chooses epoch by epoch from a menu, rewarded by the fraction
  of rekeys served.

The budget of an extended-reality session is in :mod:`qnetlab.network.xr`.

>>> round(DeviceClass("meters", 900, 900.0).demand_bps, 6)  # 900 devices, 256 bits / 900 s
256.0
>>> supply = qkd_key_supply_bps(20.0)
>>> 9e5 < supply < 1e6  # about 0.96 Mbit/s at 20 km with a 1 GHz source
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_array,
    check_in_range,
    check_integer,
    check_non_negative,
    check_positive,
    check_size,
    make_rng,
)
from ..ai.bandits import BANDITS, make_bandit
from ..plotting_results import plot_curves
from ..qkd.link import GYS, LinkModel
from ..qkd.theory import decoy_bb84_key_rate, finite_decoy_key_rate
from ..results import ResultMixin

__all__ = [
    "IOT_CLASSES",
    "BanditKeyPool",
    "DeviceClass",
    "GreedyKeyPool",
    "KeyDemandTrace",
    "KeyPoolPolicy",
    "KeyPoolResult",
    "StaticKeyPool",
    "key_demand_bps",
    "key_demand_trace",
    "proportional_shares",
    "qkd_key_supply_bps",
    "share_menu",
    "simulate_key_pool",
]

#: Most device classes a trace may hold.
MAX_CLASSES = 64


@dataclass(frozen=True)
class DeviceClass:
    """A class of devices behind an edge node that rekey at a common interval.

    Parameters
    ----------
    name : str
        Label of the class.
    n_devices : int
        Number of devices, at least 1.
    rekey_interval_s : float
        Seconds between two rekeys of one device, positive.
    key_bits : int, optional
        Bits of one key (256 for AES-256).
    burst_factor : float, optional
        Factor (>= 1) by which the class's rekey rate grows in its burst state.

    Raises
    ------
    ValueError
        If a field is outside its range.
    TypeError
        If ``name`` is not a string or a count is not an integer.

    Examples
    --------
    >>> DeviceClass("vehicles", 500, 1.0).demand_bps
    128000.0
    """

    name: str
    n_devices: int
    rekey_interval_s: float
    key_bits: int = 256
    burst_factor: float = 1.0

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a string, got {type(self.name).__name__}")
        set_ = object.__setattr__
        set_(self, "n_devices", check_integer(self.n_devices, "n_devices", minimum=1))
        set_(self, "rekey_interval_s", check_positive(self.rekey_interval_s, "rekey_interval_s"))
        set_(self, "key_bits", check_integer(self.key_bits, "key_bits", minimum=1, maximum=2**20))
        set_(self, "burst_factor", check_in_range(self.burst_factor, "burst_factor", 1.0, 1e3))

    @property
    def rekeys_per_s(self) -> float:
        """Mean rekeys per second outside bursts, n / T."""
        return self.n_devices / self.rekey_interval_s

    @property
    def demand_bps(self) -> float:
        """Mean key demand outside bursts, n b / T bits per second."""
        return self.rekeys_per_s * self.key_bits


#: Four device classes of a metro edge node (AES-256 keys): smart meters rekeying every
#: 15 minutes, industrial sensors every 10 s, connected vehicles every second and XR
#: headsets ten times a second; the last three come in bursts.
IOT_CLASSES: tuple[DeviceClass, ...] = (
    DeviceClass("smart meters", 20_000, 900.0),
    DeviceClass("industrial sensors", 2_000, 10.0, burst_factor=2.0),
    DeviceClass("vehicles", 500, 1.0, burst_factor=2.5),
    DeviceClass("XR headsets", 50, 0.1, burst_factor=2.5),
)


def _classes(classes: Sequence[DeviceClass]) -> tuple[DeviceClass, ...]:
    if isinstance(classes, DeviceClass) or not isinstance(classes, Sequence):
        raise TypeError(f"classes must be a sequence of DeviceClass, got {type(classes).__name__}")
    out = tuple(classes)
    if not 1 <= len(out) <= MAX_CLASSES:
        raise ValueError(f"classes must hold 1 to {MAX_CLASSES} device classes, got {len(out)}")
    for c in out:
        if not isinstance(c, DeviceClass):
            raise TypeError(f"classes must hold DeviceClass objects, got {type(c).__name__}")
    return out


def key_demand_bps(classes: Sequence[DeviceClass]) -> float:
    """Mean key demand of device classes outside bursts, Σ n b / T (bits per second).

    Parameters
    ----------
    classes : sequence of DeviceClass
        The device classes.

    Returns
    -------
    float
        Bits per second.

    Raises
    ------
    TypeError
        If ``classes`` is not a sequence of :class:`DeviceClass`.
    ValueError
        If it is empty.

    Examples
    --------
    >>> round(key_demand_bps(IOT_CLASSES))  # 5689 + 51200 + 128000 + 128000
    312889
    """
    return float(sum(c.demand_bps for c in _classes(classes)))


def qkd_key_supply_bps(
    distance_km: float,
    *,
    pulse_rate_hz: float = 1e9,
    block_s: float | None = None,
    mu: float = 0.48,
    nu: float = 0.05,
    decoy_fraction: float = 0.2,
    link: LinkModel = GYS,
) -> float:
    """Secret-key bits per second of a decoy-BB84 link: pulse rate × key rate per pulse.

    With ``block_s=None`` the infinite-decoy rate of Lo, Ma & Chen (2005)
    (:func:`qnetlab.qkd.theory.decoy_bb84_key_rate`); otherwise the vacuum + weak decoy
    rate with the statistical fluctuations of a block of ``pulse_rate_hz * block_s``
    pulses (:func:`qnetlab.qkd.theory.finite_decoy_key_rate`, Ma et al. 2005).

    Parameters
    ----------
    distance_km : float
        Fibre length, non-negative.
    pulse_rate_hz : float, optional
        Pulses per second, positive (1 GHz by default).
    block_s : float or None, optional
        Seconds of pulses in one finite-size block, positive; None for the asymptotic rate.
    mu, nu : float, optional
        Signal and weak-decoy mean photon numbers (``nu`` is used only for finite blocks).
    decoy_fraction : float, optional
        Fraction of pulses spent on decoys in a finite block, in (0, 1).
    link : LinkModel, optional
        Detector and fibre parameters (Gobby–Yuan–Shields by default).

    Returns
    -------
    float
        Secret-key bits per second (0 beyond the link's reach).

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> asymptotic = qkd_key_supply_bps(20.0)
    >>> finite = qkd_key_supply_bps(20.0, block_s=1.0)
    >>> 0 < finite < asymptotic
    True
    """
    rate_hz = check_in_range(pulse_rate_hz, "pulse_rate_hz", 0.0, 1e12, low_inclusive=False)
    if block_s is None:
        return float(decoy_bb84_key_rate(distance_km, mu, link=link)) * rate_hz
    block = check_in_range(block_s, "block_s", 0.0, 1e6, low_inclusive=False)
    per_pulse = finite_decoy_key_rate(
        distance_km, mu, nu, decoy_fraction, n_pulses=rate_hz * block, link=link
    )
    return float(per_pulse) * rate_hz


@dataclass(frozen=True, eq=False)
class KeyDemandTrace:
    """Rekey requests per time slot and device class.

    Parameters
    ----------
    classes : tuple of DeviceClass
        The device classes (columns).
    requests : numpy.ndarray
        Rekey requests, shape (n_slots, n_classes).
    burst : numpy.ndarray
        Whether each class is in its burst state in each slot (same shape).
    slot_s : float
        Slot length in seconds.

    Examples
    --------
    >>> t = key_demand_trace(IOT_CLASSES, 50, seed=1)
    >>> t.requests.shape, t.n_slots
    ((50, 4), 50)
    """

    classes: tuple[DeviceClass, ...]
    requests: np.ndarray = field(repr=False)
    burst: np.ndarray = field(repr=False)
    slot_s: float

    @property
    def n_slots(self) -> int:
        return int(self.requests.shape[0])

    @property
    def key_bits(self) -> np.ndarray:
        """Bits of one key per class."""
        return np.array([c.key_bits for c in self.classes], dtype=float)

    @property
    def demand_bits(self) -> np.ndarray:
        """Bits requested per slot and class."""
        return self.requests * self.key_bits

    def __repr__(self) -> str:
        return (
            f"KeyDemandTrace(classes={[c.name for c in self.classes]}, n_slots={self.n_slots}, "
            f"slot_s={self.slot_s:g}, requests={int(self.requests.sum())}, "
            f"mean_demand_bps={self.demand_bits.sum() / (self.n_slots * self.slot_s):.4g})"
        )


def key_demand_trace(
    classes: Sequence[DeviceClass],
    n_slots: int,
    *,
    slot_s: float = 0.1,
    switch_probabilities: tuple[float, float] = (0.01, 0.05),
    seed: SeedLike = None,
) -> KeyDemandTrace:
    """Draw bursty rekey requests: Poisson per slot, rate modulated by a two-state chain.

    Each class has its own hidden quiet/burst chain, switching quiet → burst with
    probability p_qb and back with p_bq per slot (started in its stationary law); in a slot
    it sends Poisson(n Δt / T × (burst_factor if in a burst else 1)) requests. The mean
    rate is n/T × (1 + π_b (burst_factor − 1)), π_b = p_qb / (p_qb + p_bq).

    Parameters
    ----------
    classes : sequence of DeviceClass
        The device classes.
    n_slots : int
        Number of slots, at least 1.
    slot_s : float, optional
        Slot length Δt in seconds, positive.
    switch_probabilities : tuple of float, optional
        (p_qb, p_bq), each in (0, 1].
    seed : int, numpy.random.Generator or None, optional
        Seed of the draws.

    Returns
    -------
    KeyDemandTrace
        Requests and burst states per slot and class.

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> t = key_demand_trace([DeviceClass("a", 100, 1.0)], 2000, seed=0)
    >>> bool(abs(t.requests.mean() - 10.0) < 0.5)  # 100 devices x 0.1 s / 1 s
    True
    """
    cls = _classes(classes)
    n = check_size(n_slots, "n_slots", minimum=1, maximum=10**7)
    dt = check_positive(slot_s, "slot_s")
    if len(switch_probabilities) != 2:
        raise ValueError("switch_probabilities must be a pair (p_qb, p_bq)")
    p_qb, p_bq = (
        check_in_range(p, "switch_probabilities", 0.0, 1.0, low_inclusive=False)
        for p in switch_probabilities
    )
    rng = make_rng(seed)
    k = len(cls)
    base = np.array([c.rekeys_per_s * dt for c in cls])
    factor = np.array([c.burst_factor for c in cls])
    burst = np.empty((n, k), dtype=bool)
    state = rng.random(k) < p_qb / (p_qb + p_bq)
    for t in range(n):
        burst[t] = state
        flip = rng.random(k)
        state = np.where(state, flip >= p_bq, flip < p_qb)
    rates = base * np.where(burst, factor, 1.0)
    return KeyDemandTrace(classes=cls, requests=rng.poisson(rates), burst=burst, slot_s=dt)


def proportional_shares(trace: KeyDemandTrace) -> np.ndarray:
    """Shares of the key supply proportional to each class's mean demand in ``trace``.

    Parameters
    ----------
    trace : KeyDemandTrace
        A (training) trace.

    Returns
    -------
    numpy.ndarray
        One share per class, summing to 1 (equal shares if nothing was requested).

    Raises
    ------
    TypeError
        If ``trace`` is not a :class:`KeyDemandTrace`.

    Examples
    --------
    >>> t = key_demand_trace([DeviceClass("a", 10, 1.0), DeviceClass("b", 30, 1.0)], 4000,
    ...                      seed=0)
    >>> np.round(proportional_shares(t), 2).tolist()
    [0.25, 0.75]
    """
    _trace(trace)
    bits = trace.demand_bits.sum(axis=0)
    total = bits.sum()
    return bits / total if total > 0 else np.full(bits.size, 1.0 / bits.size)


def share_menu(base: Sequence[float], tilt: float = 2.0) -> np.ndarray:
    """The bandit's arms: ``base`` shares, and ``base`` with one class's share × ``tilt``.

    Parameters
    ----------
    base : sequence of float
        Non-negative shares, one per class, not all zero (normalised here).
    tilt : float, optional
        Factor (> 1) applied to one class's share before renormalising.

    Returns
    -------
    numpy.ndarray
        Shape (n_classes + 1, n_classes); row 0 is ``base``, row 1 + c favours class c.

    Raises
    ------
    ValueError
        If ``base`` is empty, negative or all zero, or ``tilt`` <= 1.

    Examples
    --------
    >>> share_menu([0.5, 0.5], tilt=3.0).tolist()
    [[0.5, 0.5], [0.75, 0.25], [0.25, 0.75]]
    """
    b = check_array(base, "base", ndim=1, low=0.0)
    if b.sum() <= 0:
        raise ValueError("base must hold at least one positive share")
    f = check_in_range(tilt, "tilt", 1.0, 1e3, low_inclusive=False)
    rows = [b]
    for c in range(b.size):
        row = b.copy()
        row[c] *= f
        rows.append(row)
    menu = np.array(rows)
    return menu / menu.sum(axis=1, keepdims=True)


def _trace(trace: KeyDemandTrace) -> KeyDemandTrace:
    if not isinstance(trace, KeyDemandTrace):
        raise TypeError(f"trace must be a KeyDemandTrace, got {type(trace).__name__}")
    return trace


class KeyPoolPolicy:
    """Base class: how the edge node stores the incoming key and hands it out.

    ``pooled`` policies keep one shared store; the others keep one store per class and
    feed it the share :meth:`shares` returns for the coming slot. :meth:`feedback` receives
    the rekeys served and requested in each slot.

    Examples
    --------
    >>> class FirstClassOnly(KeyPoolPolicy):
    ...     name = "first class only"
    ...     def shares(self, slot):
    ...         return np.array([1.0, 0.0])
    >>> FirstClassOnly().shares(0).tolist(), FirstClassOnly().pooled
    ([1.0, 0.0], False)
    """

    name = "policy"
    pooled = False

    def start(self, n_classes: int, rng: np.random.Generator) -> None:
        """Called before a run."""

    def shares(self, slot: int) -> np.ndarray:
        """Shares of the slot's key supply per class (partitioned policies)."""
        raise NotImplementedError

    def feedback(self, served: np.ndarray, requested: np.ndarray) -> None:
        """Rekeys served and requested per class in the slot just played."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


class GreedyKeyPool(KeyPoolPolicy):
    """One shared key store: every rekey is served, in random arrival order, while key lasts.

    Examples
    --------
    >>> GreedyKeyPool().pooled
    True
    """

    name = "greedy (shared pool)"
    pooled = True


class StaticKeyPool(KeyPoolPolicy):
    """One store per class, fed in fixed shares (e.g. :func:`proportional_shares`).

    Parameters
    ----------
    shares : sequence of float
        Non-negative shares per class, not all zero (normalised).

    Raises
    ------
    ValueError
        If ``shares`` is empty, negative or all zero.

    Examples
    --------
    >>> StaticKeyPool([1, 3]).shares(0).tolist()
    [0.25, 0.75]
    """

    name = "static (proportional)"

    def __init__(self, shares: Sequence[float]) -> None:
        s = check_array(shares, "shares", ndim=1, low=0.0)
        if s.sum() <= 0:
            raise ValueError("shares must hold at least one positive share")
        self._shares = s / s.sum()

    def start(self, n_classes: int, rng: np.random.Generator) -> None:
        if self._shares.size != n_classes:
            raise ValueError(
                f"shares must have one entry per class ({n_classes}), got {self._shares.size}"
            )

    def shares(self, slot: int) -> np.ndarray:
        return self._shares


class BanditKeyPool(KeyPoolPolicy):
    """One store per class, fed in shares a bandit picks from ``menu`` every epoch.

    Each row of ``menu`` is an arm. At the start of an epoch of ``epoch_slots`` slots the
    bandit (:func:`qnetlab.ai.bandits.make_bandit`) picks a row; at its end the reward is
    the fraction of the epoch's rekeys that were served (1 if none was requested). The
    bandit keeps learning across runs (train it on some traces, then test it).

    Parameters
    ----------
    menu : array_like
        Shape (n_arms, n_classes): non-negative shares per arm (each row normalised).
    kind : str, optional
        ``"thompson"``, ``"ucb"`` or ``"epsilon"``.
    epoch_slots : int, optional
        Slots per decision, at least 1.
    seed : int, numpy.random.Generator or None, optional
        Seed of the bandit.

    Raises
    ------
    ValueError
        If ``menu`` has a row without a positive share, or an argument is out of range.

    Examples
    --------
    >>> policy = BanditKeyPool(share_menu([0.5, 0.5]), seed=0)
    >>> policy.bandit.n_arms, policy.name
    (3, 'bandit (Thompson sampling)')
    """

    def __init__(
        self,
        menu: Sequence[Sequence[float]] | np.ndarray,
        *,
        kind: str = "thompson",
        epoch_slots: int = 10,
        seed: SeedLike = None,
    ) -> None:
        m = check_array(menu, "menu", ndim=2, low=0.0)
        if np.any(m.sum(axis=1) <= 0):
            raise ValueError("menu must hold at least one positive share in every row")
        self.menu = m / m.sum(axis=1, keepdims=True)
        if kind not in BANDITS:
            raise ValueError(f"kind must be one of {tuple(BANDITS)}, got {kind!r}")
        self.bandit = make_bandit(kind, m.shape[0], seed=seed)
        self.epoch_slots = check_integer(epoch_slots, "epoch_slots", minimum=1, maximum=10**6)
        self.name = f"bandit ({self.bandit.name})"
        self._arm, self._served, self._requested, self._slot = 0, 0.0, 0.0, 0

    def start(self, n_classes: int, rng: np.random.Generator) -> None:
        if self.menu.shape[1] != n_classes:
            raise ValueError(
                f"menu must have one column per class ({n_classes}), got {self.menu.shape[1]}"
            )
        self._served, self._requested, self._slot = 0.0, 0.0, 0

    def shares(self, slot: int) -> np.ndarray:
        if self._slot == 0:
            self._arm = self.bandit.select()
        return self.menu[self._arm]

    def feedback(self, served: np.ndarray, requested: np.ndarray) -> None:
        self._served += float(served.sum())
        self._requested += float(requested.sum())
        self._slot += 1
        if self._slot == self.epoch_slots:
            reward = self._served / self._requested if self._requested else 1.0
            self.bandit.update(self._arm, reward)
            self._served, self._requested, self._slot = 0.0, 0.0, 0


@dataclass(frozen=True, eq=False)
class KeyPoolResult(ResultMixin):
    """Rekeys served and missed per slot and class by one policy on one trace.

    Parameters
    ----------
    name : str
        The policy's name.
    requests, served : numpy.ndarray
        Rekeys requested and served, shape (n_slots, n_classes).
    wasted_bits : float
        Key bits discarded because a store was full.
    stored_bits : numpy.ndarray
        Key bits held after each slot (all stores together).

    Examples
    --------
    >>> t = key_demand_trace(IOT_CLASSES, 20, seed=0)
    >>> r = simulate_key_pool(t, 1e6, GreedyKeyPool(), seed=0)
    >>> r.outage
    0.0
    """

    name: str
    requests: np.ndarray = field(repr=False)
    served: np.ndarray = field(repr=False)
    wasted_bits: float
    stored_bits: np.ndarray = field(repr=False)

    @property
    def missed(self) -> np.ndarray:
        """Rekeys that found no key, per slot and class."""
        return self.requests - self.served

    @property
    def outage(self) -> float:
        """Fraction of all rekeys that found no key."""
        total = self.requests.sum()
        return float(self.missed.sum() / total) if total else 0.0

    @property
    def class_outage(self) -> np.ndarray:
        """Fraction of each class's rekeys that found no key (0 where none was asked)."""
        req = self.requests.sum(axis=0)
        return np.where(req > 0, self.missed.sum(axis=0) / np.maximum(req, 1), 0.0)

    def __repr__(self) -> str:
        return (
            f"KeyPoolResult(name={self.name!r}, requests={int(self.requests.sum())}, "
            f"outage={self.outage:.4g}, class_outage={np.round(self.class_outage, 4).tolist()}, "
            f"wasted_bits={self.wasted_bits:.4g})"
        )

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Stored key after each slot; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_curves`.
        """
        labels = {"xlabel": "time slot", "ylabel": "stored key (bits)"}
        return plot_curves({self.name: self.stored_bits}, ax=ax, **labels, **kwargs)


def simulate_key_pool(
    trace: KeyDemandTrace,
    supply_bps: float,
    policy: KeyPoolPolicy,
    *,
    capacity_s: float = 2.0,
    seed: SeedLike = None,
) -> KeyPoolResult:
    """Play ``policy`` on ``trace`` with a constant key supply; count the missed rekeys.

    Each slot, ``supply_bps × slot_s`` key bits arrive. A pooled policy adds them to one
    store of ``capacity_s × supply_bps`` bits and serves the slot's rekeys in random order
    while a key is left. A partitioned policy splits them by its shares into one store per
    class (capacity split the same way) and each class is served from its own store. Key
    that does not fit a full store is wasted; a rekey that finds no key is missed (the
    device keeps its old key: an outage).

    Parameters
    ----------
    trace : KeyDemandTrace
        The rekey requests.
    supply_bps : float
        Secret-key bits per second from the QKD link, non-negative.
    policy : KeyPoolPolicy
        The allocation policy.
    capacity_s : float, optional
        Store capacity in seconds of supply, positive.
    seed : int, numpy.random.Generator or None, optional
        Seed of the arrival order (pooled policies).

    Returns
    -------
    KeyPoolResult
        Requests, served rekeys, wasted and stored key.

    Raises
    ------
    TypeError
        If ``trace`` or ``policy`` has the wrong type.
    ValueError
        If a number is out of range.

    Examples
    --------
    >>> t = key_demand_trace(IOT_CLASSES, 200, seed=0)
    >>> short = 0.5 * key_demand_bps(IOT_CLASSES)
    >>> r = simulate_key_pool(t, short, GreedyKeyPool(), seed=0)
    >>> bool(r.outage > 0.4)  # half the mean demand cannot serve more than half
    True
    """
    _trace(trace)
    if not isinstance(policy, KeyPoolPolicy):
        raise TypeError(f"policy must be a KeyPoolPolicy, got {type(policy).__name__}")
    supply = check_non_negative(supply_bps, "supply_bps")
    cap_s = check_in_range(capacity_s, "capacity_s", 0.0, 1e6, low_inclusive=False)
    rng = make_rng(seed)
    n, k = trace.requests.shape
    bits = trace.key_bits
    per_slot = supply * trace.slot_s
    capacity = cap_s * supply
    policy.start(k, rng)
    served = np.zeros((n, k), dtype=np.int64)
    stored = np.empty(n)
    wasted = 0.0
    store = np.zeros(1 if policy.pooled else k)
    for t in range(n):
        req = trace.requests[t]
        if policy.pooled:
            store[0] += per_slot
            wasted += max(store[0] - capacity, 0.0)
            store[0] = min(store[0], capacity)
            order = rng.permutation(np.repeat(np.arange(k), req))
            fits = np.cumsum(bits[order]) <= store[0] + 1e-9
            first_miss = int(np.argmin(fits)) if not fits.all() else order.size
            got = order[:first_miss]
            served[t] = np.bincount(got, minlength=k)
            store[0] -= float(bits[got].sum())
        else:
            share = np.asarray(policy.shares(t), dtype=float)
            store += share * per_slot
            wasted += float(np.maximum(store - share * capacity, 0.0).sum())
            store = np.minimum(store, share * capacity)
            served[t] = np.minimum(req, np.floor(store / bits + 1e-9)).astype(np.int64)
            store -= served[t] * bits
        stored[t] = float(store.sum())
        policy.feedback(served[t], req)
    return KeyPoolResult(
        name=policy.name,
        requests=trace.requests.copy(),
        served=served,
        wasted_bits=wasted,
        stored_bits=stored,
    )
