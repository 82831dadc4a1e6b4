"""Key rate of a repeater chain against distance, beside the repeaterless PLOB bound.

:func:`rate_vs_distance` simulates a chain (:func:`qnetlab.repeaters.simulate_chain`) of
``n_segments`` heralded links (:func:`qnetlab.repeaters.heralded_link`) at every total
distance of a grid and converts the delivered pairs into BBM92 key; the PLOB bound
−log₂(1 − η) (Pirandola et al. 2017) caps any repeaterless link over the same fibre.
:func:`crossover_distance` finds where the chain's rate rises above the bound.

>>> r = rate_vs_distance([100, 300], 4, n_samples=500, seed=0)
>>> bool(r.key_rate_per_channel_use[1] > r.plob[1])
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._validation import SeedLike, check_array, check_in_range, check_integer, make_rng
from ..plotting import get_axes, plot_rate_vs_distance
from ..qkd.theory import repeaterless_bound
from ..results import ResultMixin
from .chain import ChainTimeoutError, simulate_chain
from .links import heralded_link

__all__ = ["RateDistanceResult", "crossover_distance", "rate_vs_distance"]


@dataclass(frozen=True)
class RateDistanceResult(ResultMixin):
    """Secret-key rate of a chain against total distance, beside the PLOB bound.

    Returned by :func:`rate_vs_distance`. ``mean_fidelity`` is NaN (explicitly, not masked)
    at a distance where the simulation delivered no end-to-end pair: there is no fidelity
    to average, and the key rates there are 0. Use ``numpy.nanmean`` or mask with
    ``numpy.isfinite`` when aggregating.

    Parameters
    ----------
    n_segments : int
        Segments of the chain.
    distance_km : numpy.ndarray
        Total distances (km).
    key_rate_per_channel_use : numpy.ndarray
        BBM92 secret bits per use of an elementary channel (per attempt and mode).
    key_rate : numpy.ndarray
        Secret bits per second.
    mean_fidelity : numpy.ndarray
        Mean fidelity of the delivered pairs (NaN where none was delivered).
    mean_waiting_time : numpy.ndarray
        Mean time per delivered pair (s; inf where none was delivered).
    plob : numpy.ndarray
        The PLOB bound −log₂(1 − η) at each distance (bits per channel use).

    Examples
    --------
    >>> r = rate_vs_distance([50.0, 400.0], 2, n_samples=200, seed=1)
    >>> r.n_segments, r.distance_km.tolist(), bool(r.key_rate[0] > r.key_rate[1])
    (2, [50.0, 400.0], True)
    """

    n_segments: int
    distance_km: np.ndarray
    key_rate_per_channel_use: np.ndarray
    key_rate: np.ndarray
    mean_fidelity: np.ndarray
    mean_waiting_time: np.ndarray
    plob: np.ndarray

    @property
    def crossover_km(self) -> float:
        """Distance beyond which the chain beats PLOB (nan if it never does on the grid)."""
        return crossover_distance(self.distance_km, self.key_rate_per_channel_use, self.plob)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Key rate per channel use against distance (log scale), beside the PLOB bound.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on (a new figure in the book's style if omitted).
        **kwargs
            Passed to :func:`qnetlab.plotting.plot_rate_vs_distance` (``ylabel``).

        Returns
        -------
        matplotlib.axes.Axes
            The axes with the chain's rate (points where it is positive) and PLOB.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> ax = rate_vs_distance([100.0, 200.0], n_segments=2, seed=1).plot()
        >>> len(ax.lines)
        2
        """
        curve = {f"{self.n_segments} segments": self.key_rate_per_channel_use}
        return plot_rate_vs_distance(
            get_axes(ax), self.distance_km, curve, bound=self.plob, **kwargs
        )

    def __repr__(self) -> str:
        return (
            f"RateDistanceResult(n_segments={self.n_segments}, points={self.distance_km.size}, "
            f"crossover_km={self.crossover_km:.4g})"
        )


def rate_vs_distance(
    distance_km: ArrayLike,
    n_segments: int,
    *,
    scheme: str = "double_click",
    link_options: dict[str, Any] | None = None,
    attenuation_db_per_km: float = 0.2,
    n_samples: int = 2_000,
    seed: SeedLike = None,
    progress: bool = False,
    coherence_time_s: float = np.inf,
    memory: str = "depolarizing",
    cutoff: float | None = None,
    swap_probability: float = 1.0,
    swap_gate_noise: float = 0.0,
    swap_measurement_noise: float = 0.0,
    purification_rounds: int = 0,
    purification: str = "dejmps",
    classical_communication: bool = True,
    method: str = "vectorised",
    max_rounds: int = 100_000,
) -> RateDistanceResult:
    """Key rate of a ``n_segments`` chain at every total distance in ``distance_km``.

    Each segment is a heralded link (``scheme``, ``link_options``) of length
    distance / n_segments, simulated by :func:`~qnetlab.repeaters.simulate_chain` (the
    keywords from ``coherence_time_s`` on are passed to it unchanged). The PLOB bound
    −log₂(1 − η_total) is evaluated for the same total distance. Where the chain
    practically never delivers (:class:`~qnetlab.repeaters.ChainTimeoutError`) the rate is 0.

    Parameters
    ----------
    distance_km : float or array_like
        Total distances (km), non-negative.
    n_segments : int
        Elementary segments of the chain, a power of 2 (1: a direct link).
    scheme : {"double_click", "single_click"}, optional
        Heralding scheme of every segment.
    link_options : dict, optional
        Keywords of the scheme's link function (``detector_efficiency``, ``n_modes``,
        ``visibility``, ``dark_count_prob``, ...; see :func:`~qnetlab.repeaters.heralded_link`).
    attenuation_db_per_km : float, optional
        Fibre attenuation (dB/km), for the links and the PLOB bound.
    n_samples : int, optional
        Delivered pairs simulated per distance, at least 1.
    seed : int, Generator or None, optional
        Randomness of the simulation.
    progress : bool, optional
        Show a tqdm bar over the distances.
    coherence_time_s : float, optional
        Memory coherence time (s) of a stored pair; ``np.inf``: perfect memories.
    memory : {"depolarizing", "dephasing"}, optional
        Memory decay model.
    cutoff : float or None, optional
        Longest time (s) a pair may wait for its partner before both restart.
    swap_probability : float, optional
        Success probability of one swap, in (0, 1].
    swap_gate_noise, swap_measurement_noise : float, optional
        Depolarising noise of the swap's gates and flip probability of its measurements.
    purification_rounds : int, optional
        Rounds of recurrence purification of each elementary pair.
    purification : {"dejmps", "bbpssw"}, optional
        Purification protocol.
    classical_communication : bool, optional
        Add the one-way delay of every swap and purification message.
    method : {"vectorised", "reference"}, optional
        NumPy simulator or the event-by-event reference.
    max_rounds : int, optional
        Rounds per operation before a distance counts as never delivering.

    Returns
    -------
    RateDistanceResult
        Key per channel use and per second, fidelity, waiting time and PLOB per distance.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> r = rate_vs_distance([100, 300], 4, n_samples=500, coherence_time_s=1.0, seed=0)
    >>> bool(r.key_rate_per_channel_use[1] > r.plob[1])
    True
    """
    chain_options = {
        "coherence_time_s": coherence_time_s,
        "memory": memory,
        "cutoff": cutoff,
        "swap_probability": swap_probability,
        "swap_gate_noise": swap_gate_noise,
        "swap_measurement_noise": swap_measurement_noise,
        "purification_rounds": purification_rounds,
        "purification": purification,
        "classical_communication": classical_communication,
        "method": method,
        "max_rounds": max_rounds,
    }
    d = np.atleast_1d(check_array(distance_km, "distance_km", ndim=(0, 1), low=0.0))
    check_in_range(attenuation_db_per_km, "attenuation_db_per_km", 0.0, 100.0)
    n_seg = check_integer(n_segments, "n_segments", minimum=1)
    opts = dict(link_options or {})
    opts.setdefault("attenuation_db_per_km", attenuation_db_per_km)
    rng = make_rng(seed)
    per_use, per_s, fid, wait = [], [], [], []
    iterator: Any = d
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(d, desc=f"{n_seg} segments")
    for dist in iterator:
        link = heralded_link(scheme, float(dist) / n_seg, **opts)
        try:
            res = simulate_chain(n_seg, link, n_samples=n_samples, seed=rng, **chain_options)
        except ChainTimeoutError:  # the chain practically never delivers here
            per_use.append(0.0)
            per_s.append(0.0)
            fid.append(np.nan)
            wait.append(np.inf)
            continue
        per_use.append(res.key_rate_per_channel_use)
        per_s.append(res.key_rate)
        fid.append(res.mean_fidelity)
        wait.append(res.mean_waiting_time)
    return RateDistanceResult(
        n_segments=n_seg,
        distance_km=d,
        key_rate_per_channel_use=np.array(per_use),
        key_rate=np.array(per_s),
        mean_fidelity=np.array(fid),
        mean_waiting_time=np.array(wait),
        plob=np.asarray(repeaterless_bound(d, attenuation_db_per_km), dtype=float),
    )


def _bound_array(bound: Any) -> np.ndarray:
    """``bound`` may be +inf (PLOB at zero distance) but not NaN or negative."""
    if isinstance(bound, (str, bytes)):
        raise TypeError(f"bound must be an array of rates, got {type(bound).__name__}")
    try:
        b = np.asarray(bound, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError("bound must be an array of real rates") from exc
    if np.any(np.isnan(b)) or np.any(b < 0):
        raise ValueError(f"bound must hold rates >= 0 (inf allowed), got {b.tolist()[:8]}")
    return b


def crossover_distance(distance_km: ArrayLike, rate: ArrayLike, bound: ArrayLike) -> float:
    """First distance at which ``rate`` rises above ``bound`` (log-linear interpolation).

    Parameters
    ----------
    distance_km : array_like
        Increasing distances (km), 1-D, non-negative.
    rate : array_like
        The rate at each distance, non-negative.
    bound : array_like
        The bound at each distance, non-negative (inf allowed).

    Returns
    -------
    float
        The crossover distance: the left end if the rate is above the bound from the
        start, NaN if it never is.

    Raises
    ------
    ValueError
        If the arrays differ in length or hold negative values or NaN.

    Examples
    --------
    >>> crossover_distance([0, 10, 20], [1, 2, 4], [2, 2, 2])
    10.0
    """
    d = check_array(distance_km, "distance_km", ndim=1, low=0.0)
    r = check_array(rate, "rate", ndim=1, low=0.0)
    b = _bound_array(bound)
    if not (d.shape == r.shape == b.shape) or d.ndim != 1:
        raise ValueError("distance_km, rate and bound must be 1-D arrays of the same length")
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.log(r) - np.log(b)
    above = np.where(np.isfinite(g), g > 0, False)
    idx = np.flatnonzero(above)
    if idx.size == 0:
        return float("nan")
    i = int(idx[0])
    if i == 0 or not np.isfinite(g[i - 1]):
        return float(d[i])
    frac = -g[i - 1] / (g[i] - g[i - 1])
    return float(d[i - 1] + frac * (d[i] - d[i - 1]))
