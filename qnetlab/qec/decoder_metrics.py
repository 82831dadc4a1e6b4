"""What a decoder costs and what it achieves exactly: latency, throughput, exact rates.

A decoder's speed is measured two ways: :func:`decoding_throughput` (shots per second, in
batches) and :func:`decoding_latency` (seconds per shot, one shot at a time, the figure a
real-time decoder must meet). :func:`exact_logical_error_rate` enumerates every
combination of a small circuit's error mechanisms, the reference sampled rates of
:mod:`qnetlab.qec.experiments` are checked against. The three are re-exported by
:mod:`qnetlab.qec.experiments`.

>>> from qnetlab.qec import MWPMDecoder, memory_circuit
>>> c = memory_circuit("repetition", 3, 0.1, "code_capacity")
>>> round(exact_logical_error_rate(c, MWPMDecoder.from_circuit(c)), 3)  # 3p² − 2p³
0.028
"""

from __future__ import annotations

import itertools
import math
import time
from typing import Any

import numpy as np

from .._validation import check_array, check_integer, check_size
from .exact_ml import detector_error_model_terms

__all__ = ["decoding_latency", "decoding_throughput", "exact_logical_error_rate"]


def _check_decoder(decoder: Any) -> None:
    if not callable(getattr(decoder, "decode_batch", None)):
        raise TypeError(
            "decoder must be an object with a decode_batch(detectors) method "
            f"(see build_decoder), got {type(decoder).__name__}"
        )


def _check_syndromes(detectors: Any) -> np.ndarray:
    det = check_array(detectors, "detectors", ndim=2, low=0, high=1, min_size=0)
    if det.shape[0] == 0 or det.shape[1] == 0:
        raise ValueError(f"detectors must have shape (shots, n) with shots >= 1, got {det.shape}")
    if np.any((det != 0) & (det != 1)):
        raise ValueError("detectors must hold detection events (0/1 or bool)")
    return det.astype(bool)


def decoding_latency(decoder: Any, detectors: Any, *, shots: int = 200) -> float:
    """Median seconds to decode one shot, handed to ``decoder.decode_batch`` alone.

    At most ``shots`` (<= 10⁶) rows of ``detectors`` (0/1) are timed.

    The latency a real-time decoder needs per syndrome, including the per-call overhead
    that batching hides (:func:`decoding_throughput` measures the batched rate).

    Parameters
    ----------
    decoder : object
        A decoder with ``decode_batch(detectors)``, such as
        :class:`~qnetlab.qec.decoders.MWPMDecoder` (see
        :func:`~qnetlab.qec.experiments.build_decoder`).
    detectors : array_like of bool or {0, 1}
        Detection events, shape ``(shots, detectors)`` with at least one shot.
    shots : int, optional
        Rows timed, the first ones (in [1, 10⁶]; fewer if ``detectors`` has fewer).

    Returns
    -------
    float
        Median wall-clock seconds of one ``decode_batch`` call on one row.

    Raises
    ------
    TypeError
        If ``decoder`` has no ``decode_batch`` or ``shots`` is not an integer.
    ValueError
        If ``detectors`` is not a non-empty 2-D array of 0/1, or ``shots`` is outside
        [1, 10⁶].

    Examples
    --------
    >>> from qnetlab.qec import MWPMDecoder, memory_circuit, sample_detectors
    >>> c = memory_circuit("repetition", 3, 0.05, "circuit")
    >>> det, _ = sample_detectors(c, 50, seed=0)
    >>> 0 < decoding_latency(MWPMDecoder.from_circuit(c), det, shots=20) < 1
    True
    """
    _check_decoder(decoder)
    det = _check_syndromes(detectors)
    n = min(check_size(shots, "shots", maximum=10**6), det.shape[0])
    decoder.decode_batch(det[:1])  # warm-up
    times = np.empty(n)
    for i in range(n):
        row = det[i : i + 1]
        t0 = time.perf_counter()
        decoder.decode_batch(row)
        times[i] = time.perf_counter() - t0
    return float(np.median(times))


def decoding_throughput(decoder: Any, detectors: Any, *, repeats: int = 1) -> float:
    """Shots decoded per second by ``decoder.decode_batch`` (best of ``repeats`` <= 1000).

    Parameters
    ----------
    decoder : object
        A decoder with ``decode_batch(detectors)``, such as
        :class:`~qnetlab.qec.decoders.MWPMDecoder` (see
        :func:`~qnetlab.qec.experiments.build_decoder`).
    detectors : array_like of bool or {0, 1}
        Detection events, shape ``(shots, detectors)`` with at least one shot, decoded
        in one batch.
    repeats : int, optional
        Timed calls (in [1, 1000]); the fastest counts.

    Returns
    -------
    float
        Shots per second of the fastest call.

    Raises
    ------
    TypeError
        If ``decoder`` has no ``decode_batch`` or ``repeats`` is not an integer.
    ValueError
        If ``detectors`` is not a non-empty 2-D array of 0/1, or ``repeats`` is outside
        [1, 1000].

    Examples
    --------
    >>> from qnetlab.qec import MWPMDecoder, memory_circuit, sample_detectors
    >>> c = memory_circuit("repetition", 3, 0.05, "circuit")
    >>> det, _ = sample_detectors(c, 1000, seed=0)
    >>> decoding_throughput(MWPMDecoder.from_circuit(c), det) > 0
    True
    """
    _check_decoder(decoder)
    reps = check_size(repeats, "repeats", maximum=1000, hint="average several calls instead")
    det = _check_syndromes(detectors)
    best = math.inf
    for _ in range(reps):
        t0 = time.perf_counter()
        decoder.decode_batch(det)
        best = min(best, time.perf_counter() - t0)
    return det.shape[0] / max(best, 1e-12)


def exact_logical_error_rate(circuit: Any, decoder: Any, *, max_mechanisms: int = 22) -> float:
    """Exact logical error rate by enumerating every combination of error mechanisms.

    Each of the ``2^m`` combinations of the detector error model's ``m`` independent
    mechanisms is weighted by its probability and decoded by ``decoder``; feasible for
    code-capacity circuits (``m`` = number of data qubits).

    Parameters
    ----------
    circuit : stim.Circuit
        A circuit with detectors and observables.
    decoder : object
        A decoder with ``decode_batch(detectors)``, such as
        :class:`~qnetlab.qec.decoders.MWPMDecoder` (see
        :func:`~qnetlab.qec.experiments.build_decoder`).
    max_mechanisms : int, optional
        Largest ``m`` enumerated (>= 1; the work grows as ``2^m``).

    Returns
    -------
    float
        Total probability of the combinations the decoder gets wrong.

    Raises
    ------
    TypeError
        If ``circuit`` is not a ``stim.Circuit`` or ``decoder`` has no ``decode_batch``.
    ValueError
        If ``max_mechanisms`` < 1 or the circuit has more than ``max_mechanisms``
        mechanisms.

    Examples
    --------
    >>> from qnetlab.qec import MWPMDecoder, memory_circuit
    >>> c = memory_circuit("repetition", 3, 0.1, "code_capacity")
    >>> round(exact_logical_error_rate(c, MWPMDecoder.from_circuit(c)), 6)
    0.028
    """
    _check_decoder(decoder)
    probs, H, L = detector_error_model_terms(circuit)
    m = probs.size
    if m > check_integer(max_mechanisms, "max_mechanisms", minimum=1):
        raise ValueError(f"{m} error mechanisms are too many to enumerate (max {max_mechanisms})")
    patterns = np.array(list(itertools.product((0, 1), repeat=m)), dtype=np.uint8)
    weights = np.prod(np.where(patterns == 1, probs, 1.0 - probs), axis=1)
    det = (patterns @ H.T.astype(np.int64)) % 2
    obs = (patterns @ L.T.astype(np.int64)) % 2
    pred = np.asarray(decoder.decode_batch(det.astype(bool)))
    wrong = np.any(pred != obs.astype(bool), axis=1)
    return float(weights[wrong].sum())
