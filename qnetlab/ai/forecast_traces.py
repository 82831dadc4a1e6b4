"""Hourly operator traces of a quantum network, generated from physics, for forecasting.

Three quantities an operator must see coming (chapter III.B.2), one value per hour:

- :func:`qber_trace` — the QBER of a decoy-BB84 link whose polarisation drifts with the
  fibre's temperature. The temperature has a daily cycle and weather (an Ornstein–Uhlenbeck
  process, as :class:`qnetlab.qkd.telemetry.LinkDrift`); the polarisation rotation angle is
  θ = κ (T − T_cal) + w with a slow random walk w (stress, ageing), the misalignment is
  e_d = e₀ + sin² θ, and the QBER is :meth:`qnetlab.qkd.link.LinkModel.error_rate` at that
  misalignment, estimated from ``check_bits`` disclosed sifted bits (binomial noise).
- :func:`memory_trace` — the fidelity of a Bell pair stored for ``storage_s`` in two
  memories whose T₂ follows the lab temperature (daily) and slowly degrades (ageing of the
  control, a drifting magnetic field): :func:`qnetlab.repeaters.memory_fidelity` with the
  pair's decay time T₂/2, estimated from ``n_tests`` Bell tests.
- :func:`request_trace` — entanglement requests per hour: Poisson counts with a diurnal
  profile λ(h) = λ̄ (1 + a cos(2π (h − h_peak)/24)) and a day-to-day multiplicative
  log-normal factor (busy and quiet days).

Every trace is a :class:`Trace` with the measured ``values``, the noise-free ``truth`` and
the hour of day of each point.

>>> tr = qber_trace(48, seed=1)
>>> tr.values.shape, tr.period, bool(0.0 < tr.values.mean() < 0.11)
((48,), 24, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import (
    SeedLike,
    check_in_range,
    check_integer,
    check_non_negative,
    check_positive,
    make_rng,
)
from ..qkd.link import LinkModel
from ..repeaters.memory import memory_fidelity

__all__ = ["TRACE_KINDS", "Trace", "memory_trace", "qber_trace", "request_trace"]

#: The kinds of trace this module generates.
TRACE_KINDS: tuple[str, ...] = ("qber", "memory", "requests")

_MAX_HOURS = 10**6


@dataclass(frozen=True)
class Trace:
    """One hourly trace.

    Parameters
    ----------
    kind : str
        One of :data:`TRACE_KINDS`.
    values : numpy.ndarray
        What the operator measures, one value per hour.
    truth : numpy.ndarray
        The noise-free quantity (expected QBER, true fidelity, Poisson mean).
    hour : numpy.ndarray
        Hour of day (0–23) of each point.
    period : int
        The season length in points (24: one day).

    Examples
    --------
    >>> request_trace(30, seed=0).hour[22:26].tolist()
    [22, 23, 0, 1]
    """

    kind: str
    values: np.ndarray
    truth: np.ndarray
    hour: np.ndarray
    period: int = 24

    def __len__(self) -> int:
        return int(self.values.size)

    def __repr__(self) -> str:
        return (
            f"Trace(kind={self.kind!r}, n_hours={len(self)}, "
            f"mean={float(np.mean(self.values)):.4g}, std={float(np.std(self.values)):.3g})"
        )


def _hours(n_hours: int) -> int:
    return check_integer(n_hours, "n_hours", minimum=2, maximum=_MAX_HOURS)


def _ou(n: int, correlation_hours: float, rng: np.random.Generator) -> np.ndarray:
    """A unit-variance Ornstein–Uhlenbeck path sampled hourly (stationary start)."""
    rho = float(np.exp(-1.0 / correlation_hours))
    eps = rng.standard_normal(n)
    out = np.empty(n)
    out[0] = eps[0]
    s = np.sqrt(1.0 - rho**2)
    for t in range(1, n):
        out[t] = rho * out[t - 1] + s * eps[t]
    return out


def _daily(n: int, peak_hour: float) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(n)
    return t % 24, np.cos(2.0 * np.pi * (t - peak_hour) / 24.0)


def qber_trace(
    n_hours: int,
    *,
    link: LinkModel | None = None,
    mu: float = 0.5,
    daily_swing_c: float = 4.0,
    weather_c: float = 1.5,
    kappa_rad_per_c: float = 0.03,
    walk_rad: float = 0.004,
    base_misalignment: float = 0.01,
    check_bits: int = 20_000,
    seed: SeedLike = None,
) -> Trace:
    """Hourly QBER of a decoy-BB84 link whose polarisation drifts with temperature.

    T(t) = ``daily_swing_c`` cos(2π (h − 15)/24) + ``weather_c`` · OU(6 h) (°C about the
    calibration temperature); θ(t) = κ T(t) + w(t), w a random walk with step
    ``walk_rad``; e_d = e₀ + sin² θ; QBER E_μ from :meth:`LinkModel.error_rate`.

    Parameters
    ----------
    n_hours : int
        Length of the trace, at least 2.
    link : LinkModel, optional
        The link (default: 50 km, η_Bob = 0.2, Y₀ = 10⁻⁶); its ``misalignment`` is replaced.
    mu : float, optional
        Mean photon number of the signal pulses, in (0, 10].
    daily_swing_c : float, optional
        Amplitude of the daily temperature cycle (°C), non-negative.
    weather_c : float, optional
        Standard deviation of the weather term (°C), non-negative.
    kappa_rad_per_c : float, optional
        Polarisation rotation per degree (rad/°C), non-negative.
    walk_rad : float, optional
        Standard deviation of the hourly random-walk step of the rotation (rad).
    base_misalignment : float, optional
        e₀, the misalignment at calibration, in [0, 0.5).
    check_bits : int, optional
        Sifted bits disclosed per hour to estimate the QBER, at least 1.
    seed : int, numpy.random.Generator or None, optional
        Randomness.

    Returns
    -------
    Trace
        ``values`` the estimated QBER, ``truth`` the expected one.

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> tr = qber_trace(24, walk_rad=0.0, weather_c=0.0, check_bits=10**9, seed=0)
    >>> bool(abs(tr.values - tr.truth).max() < 1e-4), round(float(tr.truth.min()), 3)
    (True, 0.01)
    """
    n = _hours(n_hours)
    mu = check_in_range(mu, "mu", 0.0, 10.0, low_inclusive=False)
    swing = check_non_negative(daily_swing_c, "daily_swing_c")
    weather = check_non_negative(weather_c, "weather_c")
    kappa = check_non_negative(kappa_rad_per_c, "kappa_rad_per_c")
    walk = check_non_negative(walk_rad, "walk_rad")
    e0 = check_in_range(base_misalignment, "base_misalignment", 0.0, 0.5, high_inclusive=False)
    bits = check_integer(check_bits, "check_bits", minimum=1)
    if link is None:
        link = LinkModel(length_km=50.0, detector_efficiency=0.2, dark_count_prob=1e-6)
    elif not isinstance(link, LinkModel):
        raise TypeError(f"link must be a LinkModel, got {type(link).__name__}")
    rng = make_rng(seed)
    hour, cycle = _daily(n, 15.0)
    temp = swing * cycle + weather * _ou(n, 6.0, rng)
    theta = kappa * temp + np.cumsum(walk * rng.standard_normal(n))
    e_d = np.minimum(e0 + np.sin(theta) ** 2, 0.5)
    truth = np.array([link.replace(misalignment=float(e)).error_rate(mu) for e in e_d])
    values = rng.binomial(bits, truth) / bits
    return Trace("qber", values, truth, hour)


def memory_trace(
    n_hours: int,
    *,
    t2_s: float = 0.5,
    daily_drop: float = 0.15,
    ageing_hours: float = 2000.0,
    jitter: float = 0.05,
    f0: float = 0.97,
    storage_s: float = 0.1,
    n_tests: int = 4000,
    seed: SeedLike = None,
) -> Trace:
    """Hourly fidelity of a Bell pair stored in two memories whose T₂ drifts.

    T₂(t) = ``t2_s`` (1 − ``daily_drop`` (1 + cos(2π (h − 14)/24))/2) e^(−t/``ageing_hours``)
    e^(``jitter`` · OU(4 h)); the pair (two qubits) decays with T₂/2
    (:func:`qnetlab.repeaters.memory_fidelity`), and the operator estimates its fidelity
    after ``storage_s`` from ``n_tests`` Bell tests.

    Parameters
    ----------
    n_hours : int
        Length of the trace, at least 2.
    t2_s : float, optional
        T₂ of one memory qubit at the coolest hour of a fresh system (s), positive.
    daily_drop : float, optional
        Relative drop of T₂ at the warmest hour, in [0, 1).
    ageing_hours : float, optional
        Time constant of the slow degradation (hours), positive (``np.inf``: none).
    jitter : float, optional
        Standard deviation of the log-T₂ fluctuation, non-negative.
    f0 : float, optional
        Fidelity of the fresh pair, in [1/4, 1].
    storage_s : float, optional
        Storage time of the test pairs (s), non-negative.
    n_tests : int, optional
        Bell tests per hour, at least 1.
    seed : int, numpy.random.Generator or None, optional
        Randomness.

    Returns
    -------
    Trace
        ``values`` the estimated fidelity, ``truth`` the true one.

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> tr = memory_trace(48, jitter=0.0, n_tests=10**9, seed=0)
    >>> bool(tr.truth[14] < tr.truth[2]), bool(abs(tr.values - tr.truth).max() < 1e-3)
    (True, True)
    """
    n = _hours(n_hours)
    t2 = check_positive(t2_s, "t2_s")
    drop = check_in_range(daily_drop, "daily_drop", 0.0, 1.0, high_inclusive=False)
    ageing = check_positive(ageing_hours, "ageing_hours")
    jit = check_non_negative(jitter, "jitter")
    f0 = check_in_range(f0, "f0", 0.25, 1.0)
    storage = check_non_negative(storage_s, "storage_s")
    tests = check_integer(n_tests, "n_tests", minimum=1)
    rng = make_rng(seed)
    hour, cycle = _daily(n, 14.0)
    t = np.arange(n)
    t2_t = t2 * (1.0 - drop * (1.0 + cycle) / 2.0) * np.exp(-t / ageing)
    t2_t = t2_t * np.exp(jit * _ou(n, 4.0, rng))
    truth = np.array([memory_fidelity(f0, storage, float(x) / 2.0) for x in t2_t])
    values = rng.binomial(tests, truth) / tests
    return Trace("memory", values, truth, hour)


def request_trace(
    n_hours: int,
    *,
    mean_rate: float = 200.0,
    amplitude: float = 0.6,
    peak_hour: float = 19.0,
    day_to_day: float = 0.15,
    seed: SeedLike = None,
) -> Trace:
    """Entanglement requests per hour with a diurnal profile.

    Counts are Poisson with mean λ(t) = ``mean_rate`` (1 + ``amplitude``
    cos(2π (h − ``peak_hour``)/24)) · D(t), where the busy/quiet-day factor D is
    log-normal with mean 1: log D is ``day_to_day`` times an Ornstein–Uhlenbeck process of
    correlation time 24 h.

    Parameters
    ----------
    n_hours : int
        Length of the trace, at least 2.
    mean_rate : float, optional
        Mean requests per hour, positive.
    amplitude : float, optional
        Relative diurnal amplitude, in [0, 1].
    peak_hour : float, optional
        Hour of the daily peak, in [0, 24).
    day_to_day : float, optional
        Log-standard deviation of the busy/quiet-day factor, non-negative.
    seed : int, numpy.random.Generator or None, optional
        Randomness.

    Returns
    -------
    Trace
        ``values`` the counts (as floats), ``truth`` the Poisson means.

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> tr = request_trace(24 * 200, day_to_day=0.0, seed=0)
    >>> bool(abs(tr.values.mean() / 200 - 1) < 0.01), int(np.argmax(tr.truth[:24]))
    (True, 19)
    """
    n = _hours(n_hours)
    rate = check_in_range(mean_rate, "mean_rate", 0.0, 1e9, low_inclusive=False)
    amp = check_in_range(amplitude, "amplitude", 0.0, 1.0)
    peak = check_in_range(peak_hour, "peak_hour", 0.0, 24.0, high_inclusive=False)
    d2d = check_non_negative(day_to_day, "day_to_day")
    rng = make_rng(seed)
    hour, cycle = _daily(n, peak)
    day = np.exp(d2d * _ou(n, 24.0, rng) - d2d**2 / 2.0)
    truth = rate * (1.0 + amp * cycle) * day
    values = rng.poisson(truth).astype(float)
    return Trace("requests", values, truth, hour)
