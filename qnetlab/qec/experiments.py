"""Logical error rates, confidence intervals, thresholds and decoding throughput.

:func:`logical_error_rate` samples a memory experiment in stim, decodes it and returns the
fraction of shots whose logical observable was predicted wrongly, with a binomial
confidence interval. :func:`logical_error_curves` sweeps distances and physical error
rates; :func:`estimate_threshold` finds where the curves of two distances cross and
:func:`fit_threshold` fits that crossing with a confidence interval. A decoder's speed
(:func:`decoding_throughput`, :func:`decoding_latency`) and the exact rate of a small
circuit (:func:`exact_logical_error_rate`) live in :mod:`qnetlab.qec.decoder_metrics` and
are re-exported here.

>>> r = logical_error_rate(code="repetition", distance=3, p=0.1, noise="code_capacity",
...                        decoder="mwpm", shots=20000, seed=1)
>>> r.ci_low < 3 * 0.1**2 - 2 * 0.1**3 < r.ci_high
True
"""

from __future__ import annotations

import functools
import math
import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import (
    MAX_ARRAY_BYTES,
    SeedLike,
    check_array,
    check_choice,
    check_in_range,
    check_integer,
    check_memory,
)
from ..plotting_results import plot_threshold
from ..results import ResultMixin
from ..sweep import sweep_list as sweep
from .decoder_metrics import (
    _check_decoder,
    decoding_latency,
    decoding_throughput,
    exact_logical_error_rate,
)
from .decoders import (
    PRETRAINED,
    LookupDecoder,
    MWPMDecoder,
    load_pretrained,
)
from .stim_codes import (
    _MAX_DISTANCE,
    SPLIT_SHOTS_HINT,
    check_code_arguments,
    memory_circuit,
    sample_detectors,
    stim_seed,
)

__all__ = [
    "DECODERS",
    "LogicalErrorRate",
    "ThresholdEstimate",
    "binomial_interval",
    "build_decoder",
    "count_logical_errors",
    "decoding_latency",
    "decoding_throughput",
    "estimate_threshold",
    "exact_logical_error_rate",
    "fit_threshold",
    "logical_error_curves",
    "logical_error_rate",
]

#: Decoder names accepted by :func:`logical_error_rate`.
DECODERS: tuple[str, ...] = ("lookup", "mwpm", "mwpm_correlated", "neural")


@dataclass(frozen=True)
class LogicalErrorRate(ResultMixin):
    """Result of :func:`logical_error_rate`: ``errors`` wrong shots out of ``shots``.

    Parameters
    ----------
    code, noise, decoder : str
        The experiment's code, noise model and decoder name.
    distance, rounds : int
        Code distance and syndrome rounds.
    p : float
        Physical error rate.
    shots, errors : int
        Shots sampled and logical errors among them.
    rate : float
        ``errors / shots`` (per shot, not per round).
    ci_low, ci_high : float
        Wilson interval of the rate.

    Examples
    --------
    >>> r = logical_error_rate(code="repetition", distance=3, p=0.1, noise="code_capacity",
    ...                        decoder="mwpm", shots=4000, seed=1)
    >>> r.ci_low < 0.028 < r.ci_high, r.rate == r.errors / r.shots  # 3p² − 2p³
    (True, True)
    """

    code: str
    distance: int
    p: float
    noise: str
    decoder: str
    rounds: int
    shots: int
    errors: int
    rate: float
    ci_low: float
    ci_high: float


@functools.lru_cache(maxsize=64)
def _normal_quantile(q: float) -> float:
    from scipy import stats

    return float(stats.norm.ppf(q))


def binomial_interval(
    errors: int, shots: int, *, confidence: float = 0.95, method: str = "wilson"
) -> tuple[float, float]:
    """Confidence interval for a binomial proportion (Wilson score or Clopper–Pearson).

    Parameters
    ----------
    errors : int
        Successes k, in [0, shots].
    shots : int
        Trials n, ≥ 1.
    confidence : float, default 0.95
        Two-sided confidence level, in (0, 1).
    method : str, default "wilson"
        ``"wilson"`` (score interval) or ``"clopper_pearson"`` (exact).

    Returns
    -------
    tuple of float
        (low, high), containing k/n.

    Raises
    ------
    ValueError
        If an argument is out of range or ``method`` unknown.

    Examples
    --------
    >>> [round(x, 4) for x in binomial_interval(10, 100)]
    [0.0552, 0.1744]
    >>> [round(x, 4) for x in binomial_interval(0, 100, method="clopper_pearson")]
    [0.0, 0.0362]
    """
    n = check_integer(shots, "shots", minimum=1)
    k = check_integer(errors, "errors", minimum=0, maximum=n)
    conf = check_in_range(
        confidence, "confidence", 0.0, 1.0, low_inclusive=False, high_inclusive=False
    )
    check_choice(method, "method", ("wilson", "clopper_pearson"))
    alpha = 1.0 - conf
    if method == "clopper_pearson":
        from scipy import stats

        low = 0.0 if k == 0 else float(stats.beta.ppf(alpha / 2, k, n - k + 1))
        high = 1.0 if k == n else float(stats.beta.ppf(1 - alpha / 2, k + 1, n - k))
        return low, high
    return _wilson(k, n, _normal_quantile(1 - alpha / 2))


@functools.lru_cache(maxsize=64)
def _wilson_z(confidence: float) -> float:
    """The normal quantile of a checked two-sided ``confidence`` (cached per value)."""
    conf = check_in_range(
        confidence, "confidence", 0.0, 1.0, low_inclusive=False, high_inclusive=False
    )
    return _normal_quantile(1 - (1.0 - conf) / 2)  # as in binomial_interval, bit for bit


def _wilson(k: int, n: int, z: float) -> tuple[float, float]:
    """Wilson score interval of ``k`` successes in ``n`` trials at normal quantile ``z``."""
    phat = k / n
    denom = 1 + z * z / n
    centre = (phat + z * z / (2 * n)) / denom
    half = z * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / denom
    # clip rounding: the Wilson interval contains k/n, and is [0, .] at k=0, [., 1] at k=n
    low = 0.0 if k == 0 else min(max(0.0, centre - half), phat)
    high = 1.0 if k == n else max(min(1.0, centre + half), phat)
    return low, high


def build_decoder(
    decoder: Any, circuit: Any, *, code: str, distance: int, p: float, noise: str, rounds: int
) -> Any:
    """Decoder object for a named decoder and a memory circuit (checks that it applies).

    ``"lookup"`` applies to code-capacity noise with one round; ``"neural"`` to the rotated
    surface code under circuit-level noise with ``rounds = distance`` (pre-trained weights
    for the distances in :data:`~qnetlab.qec.decoders.PRETRAINED`); ``"mwpm"`` and
    ``"mwpm_correlated"`` (PyMatching's correlated matching) to all.
    A decoder object with ``decode_batch`` is returned as it is.

    Parameters
    ----------
    decoder : str or object
        ``"lookup"``, ``"mwpm"``, ``"mwpm_correlated"``, ``"neural"``, or an object with
        ``decode_batch(detectors)``.
    circuit : stim.Circuit
        The memory circuit.
    code, noise : str
        The circuit's code and noise model.
    distance, rounds : int
        The circuit's distance and rounds.
    p : float
        The circuit's physical error rate.

    Returns
    -------
    object
        A decoder with ``decode_batch``.

    Raises
    ------
    TypeError
        If ``decoder`` is neither a name nor has ``decode_batch``.
    ValueError
        If the named decoder does not apply to these settings.

    Examples
    --------
    >>> from qnetlab.qec.stim_codes import memory_circuit
    >>> c = memory_circuit("repetition", 3, 0.1, "code_capacity")
    >>> build_decoder("lookup", c, code="repetition", distance=3, p=0.1,
    ...               noise="code_capacity", rounds=1)
    LookupDecoder(num_detectors=4, syndromes=4)
    """
    if not isinstance(decoder, str):
        if not hasattr(decoder, "decode_batch"):
            raise TypeError("decoder must be a name or an object with decode_batch(detectors)")
        return decoder
    check_choice(decoder, "decoder", DECODERS)
    if decoder == "mwpm":
        return MWPMDecoder.from_circuit(circuit)
    if decoder == "mwpm_correlated":
        return MWPMDecoder.from_circuit(circuit, correlated=True)
    if decoder == "lookup":
        if noise != "code_capacity" or rounds != 1:
            raise ValueError(
                "decoder 'lookup' applies only to noise='code_capacity' with rounds=1 "
                f"(a table over all syndromes); got noise={noise!r}, rounds={rounds}"
            )
        return LookupDecoder.from_circuit(circuit)
    dists = sorted({d for d, _ in PRETRAINED})
    if (
        code != "rotated_surface"
        or noise != "circuit"
        or rounds != distance
        or distance not in dists
    ):
        raise ValueError(
            "decoder 'neural' applies to code='rotated_surface', noise='circuit', "
            f"rounds=distance, distance in {dists} (pre-trained weights); got code={code!r}, "
            f"noise={noise!r}, distance={distance}, rounds={rounds}. Train one for other "
            "settings with qnetlab.qec.train_neural_decoder and pass it as decoder="
        )
    return load_pretrained(distance, p)


def logical_error_rate(
    *,
    code: str,
    distance: int,
    p: float,
    noise: str,
    decoder: Any,
    shots: int,
    rounds: int | None = None,
    seed: SeedLike = None,
    basis: str = "z",
    confidence: float = 0.95,
) -> LogicalErrorRate:
    """Logical error rate of a memory experiment, with a Wilson confidence interval.

    ``code`` in {"repetition", "rotated_surface"}, ``noise`` in {"code_capacity",
    "phenomenological", "circuit"} (conventions in :mod:`qnetlab.qec.stim_codes`),
    ``decoder`` in {"lookup", "mwpm", "mwpm_correlated", "neural"} where it applies (or a
    decoder object).
    ``rounds`` defaults to 1 for code capacity and to ``distance`` otherwise. The rate is
    per shot (the whole memory experiment), not per round
    (:func:`~qnetlab.qec.scaling.per_round_error_rate` converts it).

    The circuit and a named decoder are built once per parameter set and cached, and MWPM
    decodes stim's bit-packed samples directly, so repeated calls cost what calling stim and
    PyMatching directly costs (``benchmarks/qec_overhead.py``). A ``seed`` compiles a fresh
    stim sampler (reproducible statistics); ``seed=None`` reuses one sampler per circuit.

    Parameters
    ----------
    code, distance, p, noise : str, int, float, str
        As in :func:`~qnetlab.qec.stim_codes.memory_circuit` (odd distance in [3, 25]).
    decoder : str or object
        A decoder name or an object with ``decode_batch`` (see :func:`build_decoder`).
    shots : int
        Shots, ≥ 1.
    rounds : int, optional
        Syndrome rounds (default 1 for code capacity, else ``distance``).
    seed : SeedLike, optional
        Seed or generator of the stim sampler.
    basis : str, default "z"
        Logical basis, ``"z"`` or ``"x"`` (surface code).
    confidence : float, default 0.95
        Level of the Wilson interval, in (0, 1).

    Returns
    -------
    LogicalErrorRate
        Errors, rate and interval.

    Raises
    ------
    TypeError
        If the decoder object has no ``decode_batch``.
    ValueError
        If an argument is out of range or the decoder does not apply.

    Examples
    --------
    >>> r = logical_error_rate(code="rotated_surface", distance=3, p=0.0, noise="circuit",
    ...                        decoder="mwpm", shots=100, seed=0)
    >>> r.errors, r.rate
    (0, 0.0)
    """
    n = check_integer(shots, "shots", minimum=1)
    args = (code, distance, p, noise, rounds, basis, decoder)
    try:  # the types are part of the key: 3.0 must not hit the entry of 3
        key, circuit, dec = _prepared(args, tuple(map(type, args)))
    except TypeError as exc:
        if "unhashable" not in str(exc):
            raise
        key, circuit, dec = _prepare(*args)
    code, d, prob, noise, r, basis = key
    if type(confidence) is not float:  # a cached float is checked once; others every time
        confidence = check_in_range(
            confidence, "confidence", 0.0, 1.0, low_inclusive=False, high_inclusive=False
        )
    z = _wilson_z(confidence)
    if seed is None and isinstance(dec, MWPMDecoder):
        sampler, max_shots = _unseeded_sampler(key, circuit)
        if n > max_shots:
            _check_packed_memory(circuit, n)
        errors = _count_packed(sampler, dec, n)
    else:
        errors = count_logical_errors(circuit, dec, n, seed=seed)
    low, high = _wilson(errors, n, z)
    name = decoder if isinstance(decoder, str) else type(decoder).__name__
    return LogicalErrorRate(code, d, prob, noise, name, r, n, errors, errors / n, low, high)


def _prepare(
    code: Any, distance: Any, p: Any, noise: Any, rounds: Any, basis: Any, decoder: Any
) -> tuple[tuple[Any, ...], Any, Any]:
    """Checked parameters, the memory circuit and the decoder of one experiment."""
    code, d, prob, noise, r = check_code_arguments(code, distance, p, noise, rounds)
    check_choice(basis, "basis", ("z", "x"))
    key = (code, d, prob, noise, r, basis)
    circuit = _cached_circuit(*key)
    if isinstance(decoder, str):
        check_choice(decoder, "decoder", DECODERS)
        return key, circuit, _cached_decoder(decoder, *key)
    dec = build_decoder(decoder, circuit, code=code, distance=d, p=prob, noise=noise, rounds=r)
    return key, circuit, dec


@functools.lru_cache(maxsize=256)
def _prepared(args: tuple[Any, ...], types: tuple[type, ...]) -> tuple[tuple[Any, ...], Any, Any]:
    """:func:`_prepare`, cached: repeated calls skip the checks and the building."""
    return _prepare(*args)


@functools.lru_cache(maxsize=128)
def _cached_circuit(code: str, d: int, p: float, noise: str, r: int, basis: str) -> Any:
    """The memory circuit of a normalised parameter set, built once (never handed out)."""
    return memory_circuit(code, d, p, noise, rounds=r, basis=basis)


@functools.lru_cache(maxsize=64)
def _cached_decoder(name: str, code: str, d: int, p: float, noise: str, r: int, basis: str) -> Any:
    """A named decoder for a normalised parameter set, built once (decoders are immutable).

    Building the matching graph costs about a millisecond at d = 3, three times what
    sampling and decoding 1,000 shots cost: repeated calls reuse it.
    """
    circuit = _cached_circuit(code, d, p, noise, r, basis)
    return build_decoder(name, circuit, code=code, distance=d, p=p, noise=noise, rounds=r)


def count_logical_errors(circuit: Any, decoder: Any, shots: int, *, seed: SeedLike = None) -> int:
    """Sample ``shots`` shots of ``circuit`` and count those ``decoder`` gets wrong.

    A shot is wrong when any predicted observable flip differs from the actual one. For an
    :class:`~qnetlab.qec.decoders.MWPMDecoder` the detection events stay bit-packed from
    stim's sampler to PyMatching (the fastest path, as fast as calling the two libraries
    directly); any other decoder gets bool arrays through ``decode_batch``.

    Parameters
    ----------
    circuit : stim.Circuit
        Circuit with detectors and observables.
    decoder : object
        Decoder with ``decode_batch(detectors)`` (see :func:`build_decoder`).
    shots : int
        Number of shots (>= 1).
    seed : int, numpy.random.Generator or None
        Seed of stim's sampler (statistics, not bits, are reproducible across stim
        versions and CPUs).

    Returns
    -------
    int
        Number of wrong shots.

    Raises
    ------
    TypeError
        If ``circuit`` is not a stim circuit or ``decoder`` has no ``decode_batch``.
    ValueError
        If ``shots`` is not a positive integer or the samples would not fit in memory.

    Examples
    --------
    >>> c = memory_circuit("repetition", 3, 0.0, "circuit")
    >>> count_logical_errors(c, MWPMDecoder.from_circuit(c), 100, seed=1)
    0
    """
    import stim

    if not isinstance(circuit, stim.Circuit):
        raise TypeError(f"circuit must be a stim.Circuit, got {type(circuit).__name__}")
    _check_decoder(decoder)
    n = check_integer(shots, "shots", minimum=1)
    if not isinstance(decoder, MWPMDecoder):
        det, obs = sample_detectors(circuit, n, seed=seed)
        pred = np.asarray(decoder.decode_batch(det))
        return int(np.count_nonzero(np.any(pred != obs, axis=1)))
    if decoder.num_detectors != circuit.num_detectors:
        raise ValueError(
            f"decoder expects {decoder.num_detectors} detectors, the circuit has "
            f"{circuit.num_detectors}"
        )
    _check_packed_memory(circuit, n)
    return _count_packed(circuit.compile_detector_sampler(seed=stim_seed(seed)), decoder, n)


def _count_packed(sampler: Any, decoder: MWPMDecoder, shots: int) -> int:
    """Wrong shots of ``decoder`` on ``shots`` bit-packed samples of ``sampler``.

    The samples come from stim in the layout the matching expects, so they go to PyMatching
    unchecked; with one byte of observables per shot the wrong shots are the differing bytes.
    """
    det, obs = sampler.sample(shots, separate_observables=True, bit_packed=True)
    kwargs = {"enable_correlations": True} if decoder.correlated else {}
    pred = decoder.matching.decode_batch(
        det, bit_packed_shots=True, bit_packed_predictions=True, **kwargs
    )
    if obs.shape[1] == 1:
        return int(np.count_nonzero(pred.reshape(-1) != obs.reshape(-1)))
    return int(np.count_nonzero(np.any(pred != obs, axis=1)))


def _check_packed_memory(circuit: Any, shots: int) -> None:
    width = (circuit.num_detectors + 7) // 8 + (circuit.num_observables + 7) // 8
    need = 2.2 * shots * max(width, 1)
    if need > MAX_ARRAY_BYTES:  # check_memory raises with the full message
        check_memory(need, "shots", shots, hint=SPLIT_SHOTS_HINT)


_UNSEEDED_SAMPLERS: dict[tuple[Any, ...], tuple[int, Any, float]] = {}


def _unseeded_sampler(key: tuple[Any, ...], circuit: Any) -> tuple[Any, float]:
    """One sampler per circuit for ``seed=None``, seeded from OS entropy once per process.

    A freshly compiled stim sampler samples its first batch more slowly than a reused one
    (about 20 % at 200,000 shots of the d = 3 memory), so calls without a seed reuse one;
    the process id guards against a forked worker continuing its parent's stream. Returned
    with the number of shots whose bit-packed samples surely fit the memory limit.
    """
    pid = os.getpid()
    hit = _UNSEEDED_SAMPLERS.get(key)
    if hit is None or hit[0] != pid:
        if len(_UNSEEDED_SAMPLERS) >= 64:
            _UNSEEDED_SAMPLERS.clear()
        width = (circuit.num_detectors + 7) // 8 + (circuit.num_observables + 7) // 8
        max_shots = MAX_ARRAY_BYTES / (2.2 * max(width, 1))
        hit = (pid, circuit.compile_detector_sampler(seed=stim_seed(None)), max_shots)
        _UNSEEDED_SAMPLERS[key] = hit
    return hit[1], hit[2]


def logical_error_curves(
    *,
    code: str,
    distances: Any,
    ps: Any,
    noise: str,
    decoder: Any = "mwpm",
    shots: int,
    rounds: int | None = None,
    seed: SeedLike = None,
    n_jobs: int = 1,
    progress: bool = False,
) -> dict[int, list[LogicalErrorRate]]:
    """:func:`logical_error_rate` for every distance and physical error rate.

    Runs through :func:`qnetlab.sweep.sweep` (joblib; ``n_jobs=-1`` uses all cores).

    Parameters
    ----------
    code, noise : str
        The code and noise model, as in :func:`logical_error_rate`.
    distances : array_like of int
        Code distances, 1-D, each an integer >= 3.
    ps : array_like of float
        Physical error rates, 1-D, each in [0, 1].
    decoder : str or object, optional
        A name of :data:`DECODERS` or a decoder object, as in :func:`logical_error_rate`.
    shots : int
        Shots per point (>= 1).
    rounds : int or None, optional
        Syndrome rounds (default 1 for code capacity, else the distance).
    seed : int, numpy.random.Generator or None, optional
        Each grid point gets its own seed drawn from it.
    n_jobs : int, optional
        Worker processes (joblib; -1 for all cores).
    progress : bool, optional
        Show a progress bar.

    Returns
    -------
    dict of int to list of LogicalErrorRate
        ``{distance: [result per p]}``, ``p`` in the order given.

    Raises
    ------
    ValueError
        If ``distances`` or ``ps`` is not 1-D or out of range, a distance is not an
        integer, ``shots`` < 1, or :func:`logical_error_rate` rejects a point.
    TypeError
        If ``shots`` is not an integer.

    Examples
    --------
    >>> curves = logical_error_curves(code="repetition", distances=[3, 5], ps=[0.05, 0.2],
    ...                               noise="code_capacity", shots=2000, seed=1)
    >>> sorted(curves), len(curves[3])
    ([3, 5], 2)
    """
    dist_arr = check_array(distances, "distances", ndim=1, low=3, high=_MAX_DISTANCE)
    if np.any(dist_arr != np.round(dist_arr)):
        raise ValueError(f"distances must be integers, got {dist_arr.tolist()}")
    dist_list = [int(d) for d in dist_arr]
    p_list = check_array(ps, "ps", ndim=1, low=0.0, high=1.0).tolist()
    check_integer(shots, "shots", minimum=1)

    def point(distance: int, p: float, seed: Any) -> LogicalErrorRate:
        return logical_error_rate(
            code=code, distance=distance, p=p, noise=noise, decoder=decoder,
            shots=shots, rounds=rounds, seed=seed,
        )  # fmt: skip

    results = sweep(
        point, {"distance": dist_list, "p": p_list}, seed=seed, n_jobs=n_jobs, progress=progress
    )
    out: dict[int, list[LogicalErrorRate]] = {d: [] for d in dist_list}
    for res in results:
        out[res.distance].append(res)
    return out


def estimate_threshold(ps: Any, rates_small: Any, rates_large: Any) -> float:
    """Physical error rate where the larger code stops beating the smaller one.

    Interpolates ``log(rate_large / rate_small)`` linearly in ``log p`` and returns its
    first zero crossing from below (NaN if the curves do not cross in the range).

    Parameters
    ----------
    ps : array_like of float
        Positive, strictly increasing physical error rates (at least two).
    rates_small, rates_large : array_like of float
        Logical error rates of the smaller and the larger code at ``ps``.

    Returns
    -------
    float
        The crossing, or NaN if the curves do not cross in the range.

    Raises
    ------
    ValueError
        If the arrays differ in length, have fewer than two points, or ``ps`` is not
        positive and increasing.

    Examples
    --------
    >>> p = np.array([0.05, 0.08, 0.12, 0.16])
    >>> round(estimate_threshold(p, p**2 / 0.1, p**3 / 0.01), 4)
    0.1
    """
    p = check_array(ps, "ps", ndim=1, low=0.0, high=1.0)
    a = check_array(rates_small, "rates_small", ndim=1, low=0.0)
    b = check_array(rates_large, "rates_large", ndim=1, low=0.0)
    if p.ndim != 1 or p.shape != a.shape or p.shape != b.shape or p.size < 2:
        raise ValueError("ps, rates_small and rates_large must be 1-D of the same length >= 2")
    if np.any(p <= 0) or np.any(np.diff(p) <= 0):
        raise ValueError("ps must be positive and strictly increasing")
    ok = (a > 0) & (b > 0)
    lp = np.log(p[ok])
    g = np.log(b[ok]) - np.log(a[ok])
    for i in range(len(g) - 1):
        if g[i] < 0 <= g[i + 1]:
            t = -g[i] / (g[i + 1] - g[i])
            return float(np.exp(lp[i] + t * (lp[i + 1] - lp[i])))
    return float("nan")


@dataclass(frozen=True)
class ThresholdEstimate(ResultMixin):
    """Crossing of two distances' logical-error curves, fitted with a confidence interval.

    ``p`` is the estimate, ``[ci_low, ci_high]`` its interval at ``confidence``,
    ``stderr_log`` the standard error of ``log p``; ``slope`` (standard error
    ``slope_stderr``) is the fitted slope of ``log(rate_large / rate_small)`` against
    ``log p``: positive when the larger code wins below the crossing and loses above it.
    ``chi2``/``dof`` measure the fit's goodness (``chi2`` near ``dof`` when a straight line
    describes the points).

    Parameters
    ----------
    p : float
        The crossing (threshold estimate).
    ci_low, ci_high : float
        Its confidence interval.
    stderr_log : float
        Standard error of ``log p``.
    slope, slope_stderr : float
        Fitted slope of the log ratio against ``log p`` and its standard error.
    chi2 : float
        Weighted sum of squared residuals.
    dof : int
        Degrees of freedom (points − 2).
    confidence : float
        Level of the interval, in (0, 1).

    Examples
    --------
    >>> est = ThresholdEstimate(0.1, 0.09, 0.11, 0.05, 2.0, 0.2, 1.5, 2, 0.95)
    >>> est.ci_low < est.p < est.ci_high, est.dof
    (True, 2)
    """

    p: float
    ci_low: float
    ci_high: float
    stderr_log: float
    slope: float
    slope_stderr: float
    chi2: float
    dof: int
    confidence: float

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """The estimate in its confidence band; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_threshold`.
        """
        return plot_threshold(self.p, self.ci_low, self.ci_high, ax=ax, **kwargs)


def fit_threshold(small: Any, large: Any, *, confidence: float = 0.95) -> ThresholdEstimate:
    """Fit where the larger code's curve crosses the smaller one's, with an interval.

    ``small`` and ``large`` are lists of :class:`LogicalErrorRate` at the same increasing
    ``p`` values (as returned by :func:`logical_error_curves`). The log ratio
    ``g_i = log(rate_large / rate_small)`` is fitted by weighted least squares with a
    straight line in ``log p`` (weights from the binomial variances, delta method:
    ``var(log r) = (1 - r) / errors``); the crossing is where the line is zero, and its
    standard error follows from the fit's covariance (delta method). Use points close to
    the crossing, where the line is a good model. Every point needs at least one error in
    both codes.

    Parameters
    ----------
    small, large : sequence of LogicalErrorRate
        Results of the smaller and the larger code at the same >= 3 positive, strictly
        increasing values of ``p``, each with ``0 < errors < shots``.
    confidence : float, optional
        Level of the interval, in (0, 1).

    Returns
    -------
    ThresholdEstimate
        The crossing, its interval, the fitted slope and the fit's ``chi2``/``dof``.

    Raises
    ------
    TypeError
        If ``small`` or ``large`` holds anything but :class:`LogicalErrorRate`.
    ValueError
        If ``confidence`` is outside (0, 1), the lists differ in length or hold fewer
        than 3 points, their ``p`` differ or do not increase, a point has no error (or
        only errors), or the fitted slope is not positive (no crossing).

    Examples
    --------
    >>> curves = logical_error_curves(code="rotated_surface", distances=[3, 5],
    ...                               ps=[0.08, 0.09, 0.1, 0.11], noise="code_capacity",
    ...                               shots=20000, seed=1)
    >>> est = fit_threshold(curves[3], curves[5])
    >>> bool(0.085 < est.p < 0.1 and est.ci_low < est.p < est.ci_high)  # d = 3/5: about 9.3 %
    True
    """
    from scipy import stats

    conf = check_in_range(
        confidence, "confidence", 0.0, 1.0, low_inclusive=False, high_inclusive=False
    )
    a_list, b_list = list(small), list(large)
    if len(a_list) != len(b_list) or len(a_list) < 3:
        raise ValueError("small and large must hold results at the same >= 3 values of p")
    for ra, rb in zip(a_list, b_list):
        if not isinstance(ra, LogicalErrorRate) or not isinstance(rb, LogicalErrorRate):
            raise TypeError("small and large must hold LogicalErrorRate results")
        if ra.p != rb.p:
            raise ValueError(f"small and large must share p values, got {ra.p} and {rb.p}")
        for r in (ra, rb):
            if r.errors == 0 or r.errors == r.shots:
                raise ValueError(
                    f"every point needs 0 < errors < shots to fit; got {r.errors} of "
                    f"{r.shots} at p={r.p}, distance {r.distance}"
                )
    p = np.array([r.p for r in a_list], dtype=float)
    if np.any(p <= 0) or np.any(np.diff(p) <= 0):
        raise ValueError("the p values must be positive and strictly increasing")
    x = np.log(p)
    ra = np.array([r.rate for r in a_list])
    rb = np.array([r.rate for r in b_list])
    ea = np.array([r.errors for r in a_list], dtype=float)
    eb = np.array([r.errors for r in b_list], dtype=float)
    g = np.log(rb) - np.log(ra)
    w = 1.0 / ((1 - ra) / ea + (1 - rb) / eb)
    sw = w.sum()
    xm = float((w * x).sum() / sw)
    gm = float((w * g).sum() / sw)
    sxx = float((w * (x - xm) ** 2).sum())
    slope = float((w * (x - xm) * (g - gm)).sum() / sxx)
    if slope <= 0:
        raise ValueError(
            "the larger code does not lose ground as p grows in this range (slope <= 0): "
            "no crossing to fit"
        )
    intercept = gm - slope * xm
    xs = -intercept / slope
    var_b = 1.0 / sxx
    var_a = 1.0 / sw + xm**2 / sxx
    cov_ab = -xm / sxx
    se = math.sqrt(max(var_a + 2 * xs * cov_ab + xs**2 * var_b, 0.0)) / slope
    z = float(stats.norm.ppf(0.5 + conf / 2))
    chi2 = float((w * (g - intercept - slope * x) ** 2).sum())
    return ThresholdEstimate(
        p=float(math.exp(xs)),
        ci_low=float(math.exp(xs - z * se)),
        ci_high=float(math.exp(xs + z * se)),
        stderr_log=float(se),
        slope=slope,
        slope_stderr=float(math.sqrt(var_b)),
        chi2=chi2,
        dof=len(p) - 2,
        confidence=conf,
    )
