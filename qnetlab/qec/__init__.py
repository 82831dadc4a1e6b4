"""Quantum error correction: small codes in Cirq, surface codes in stim, and decoders.

- :mod:`~qnetlab.qec.small_codes`: the 3-qubit bit- and phase-flip codes, Shor's
  [[9,1,3]], Steane's [[7,1,3]] and the five-qubit [[5,1,3]] code as Cirq circuits
  (encoding, syndrome extraction with an ancilla, lookup-table correction) under Cirq noise
  channels.
- :mod:`~qnetlab.qec.textbook`: the textbook encoders and syndrome-extraction circuits
  of the same codes, gate by gate, and one round of the rotated surface code in Cirq.
- :mod:`~qnetlab.qec.stim_codes`: repetition and rotated surface code memory experiments
  in stim under code-capacity, phenomenological and circuit-level noise.
- :mod:`~qnetlab.qec.decoders`: lookup table, minimum-weight perfect matching
  (PyMatching, plain and correlated) and a neural decoder (NumPy MLP on top of MWPM,
  pre-trained weights shipped).
- :mod:`~qnetlab.qec.exact_ml`: the exact syndrome distribution of small circuits (two
  Walsh-Hadamard transforms) and the maximum-likelihood decoder's logical error rate.
- :mod:`~qnetlab.qec.experiments`: logical error rates with confidence intervals,
  thresholds from curve crossings (fitted, with intervals), decoding throughput and
  latency.
- :mod:`~qnetlab.qec.sweeps`: sweeps that stop at ``max_errors``/``max_shots`` and resume
  from sinter-format CSV, through sinter (multi-process) or the package's own engine.
- :mod:`~qnetlab.qec.scaling`: the threshold over all distances (finite-size scaling fit
  with a bootstrap interval) and logical error rates per round.

>>> from qnetlab import qec
>>> r = qec.logical_error_rate(code="repetition", distance=5, p=0.05, noise="code_capacity",
...                            decoder="lookup", shots=5000, seed=1)
>>> r.shots, r.ci_low <= r.rate <= r.ci_high
(5000, True)
"""

from __future__ import annotations

from .decoders import (
    PRETRAINED,
    LookupDecoder,
    MWPMDecoder,
    NeuralDecoder,
    load_pretrained,
    train_neural_decoder,
)
from .exact_ml import SyndromeDistribution, detector_error_model_terms, syndrome_distribution
from .experiments import (
    DECODERS,
    LogicalErrorRate,
    ThresholdEstimate,
    binomial_interval,
    build_decoder,
    count_logical_errors,
    decoding_latency,
    decoding_throughput,
    estimate_threshold,
    exact_logical_error_rate,
    fit_threshold,
    logical_error_curves,
    logical_error_rate,
)
from .scaling import FiniteSizeThreshold, fit_threshold_finite_size, per_round_error_rate
from .small_codes import (
    SMALL_CODES,
    SmallCode,
    SmallCodeResult,
    small_code,
    small_code_circuit,
    small_code_logical_error_rate,
)
from .stim_codes import (
    CODES,
    NOISE_MODELS,
    memory_circuit,
    sample_detectors,
    to_cirq,
)
from .sweeps import (
    collect_logical_errors,
    collect_sinter,
    from_sinter_stats,
    read_stats_csv,
    sinter_tasks,
    task_metadata,
)
from .textbook import (
    TEXTBOOK_CODES,
    encoder_circuit,
    surface_code_round,
    surface_code_stabilizers,
    syndrome_circuit,
    syndrome_table,
)

__all__ = [
    "CODES",
    "DECODERS",
    "NOISE_MODELS",
    "PRETRAINED",
    "SMALL_CODES",
    "TEXTBOOK_CODES",
    "FiniteSizeThreshold",
    "LogicalErrorRate",
    "LookupDecoder",
    "MWPMDecoder",
    "NeuralDecoder",
    "SmallCode",
    "SmallCodeResult",
    "SyndromeDistribution",
    "ThresholdEstimate",
    "binomial_interval",
    "build_decoder",
    "collect_logical_errors",
    "collect_sinter",
    "count_logical_errors",
    "decoding_latency",
    "decoding_throughput",
    "detector_error_model_terms",
    "encoder_circuit",
    "estimate_threshold",
    "exact_logical_error_rate",
    "fit_threshold",
    "fit_threshold_finite_size",
    "from_sinter_stats",
    "load_pretrained",
    "logical_error_curves",
    "logical_error_rate",
    "memory_circuit",
    "per_round_error_rate",
    "read_stats_csv",
    "sample_detectors",
    "sinter_tasks",
    "small_code",
    "small_code_circuit",
    "small_code_logical_error_rate",
    "surface_code_round",
    "surface_code_stabilizers",
    "syndrome_circuit",
    "syndrome_distribution",
    "syndrome_table",
    "task_metadata",
    "to_cirq",
    "train_neural_decoder",
]
