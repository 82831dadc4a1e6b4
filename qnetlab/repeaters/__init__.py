"""Entanglement distribution and quantum repeaters.

From one heralded link to a nested repeater chain that beats the repeaterless (PLOB)
bound:

- :mod:`~qnetlab.repeaters.links`: heralded single-click and double-click (Barrett–Kok)
  links with fibre loss, detector efficiency and multiplexing;
- :mod:`~qnetlab.repeaters.swapping`: the Bell-state-measurement circuit in Cirq and
  the closed forms for Werner and Bell-diagonal states;
- :mod:`~qnetlab.repeaters.purification`: BBPSSW and DEJMPS as Cirq circuits and maps;
- :mod:`~qnetlab.repeaters.memory`: depolarising and dephasing decay, cut-offs;
- :mod:`~qnetlab.repeaters.bell_diagonal`: the vectorised kernels of decay, swapping and
  purification on Bell-diagonal coefficients that the chains and the fault models share;
- :mod:`~qnetlab.repeaters.waiting_times`: the waiting time of a chain, in closed form
  (deterministic swaps) and as the exact distribution of the nested protocol;
- :mod:`~qnetlab.repeaters.chain`: waiting times, fidelity and key rate of 2ⁿ-segment
  chains simulated (vectorised NumPy and an event-by-event reference);
- :mod:`~qnetlab.repeaters.rate_distance`: a chain's key rate against distance, beside the
  PLOB bound, and the crossover distance.

>>> from qnetlab import repeaters
>>> round(repeaters.swap_werner(0.95, 0.95), 6)
0.903333
>>> round(repeaters.memory_fidelity(0.95, 0.1, 1.0), 6)
0.883386
"""

from __future__ import annotations

from .bell_diagonal import (
    bilateral_cnot_rows,
    convolve_rows,
    correlators,
    decay_rows,
    purify_rows,
)
from .chain import ChainResult, ChainTimeoutError, simulate_chain
from .links import (
    LINK_SCHEMES,
    ElementaryLink,
    double_click_link,
    double_click_probability,
    elementary_link,
    heralded_link,
    heralding_probability,
    multiplexed_probability,
    single_click_link,
)
from .memory import MEMORY_MODELS, cutoff_for_fidelity, decay_coefficients, memory_fidelity
from .purification import (
    PURIFICATION_PROTOCOLS,
    PurificationResult,
    bbpssw,
    bbpssw_bell_diagonal,
    dejmps,
    purification_circuit,
    purify_cirq,
    purify_recurrence,
)
from .rate_distance import RateDistanceResult, crossover_distance, rate_vs_distance
from .swapping import (
    PAULI_OF_BELL,
    bsm_error_probabilities,
    swap_bell_diagonal,
    swap_circuit,
    swap_cirq,
    swap_werner,
)
from .waiting_times import (
    expected_waiting_time,
    expected_waiting_time_nested,
    nested_waiting_time_pmf,
    sample_waiting_times,
)

__all__ = [
    "LINK_SCHEMES",
    "MEMORY_MODELS",
    "PAULI_OF_BELL",
    "PURIFICATION_PROTOCOLS",
    "ChainResult",
    "ChainTimeoutError",
    "ElementaryLink",
    "PurificationResult",
    "RateDistanceResult",
    "bbpssw",
    "bbpssw_bell_diagonal",
    "bilateral_cnot_rows",
    "bsm_error_probabilities",
    "convolve_rows",
    "correlators",
    "crossover_distance",
    "cutoff_for_fidelity",
    "decay_coefficients",
    "decay_rows",
    "dejmps",
    "double_click_link",
    "double_click_probability",
    "elementary_link",
    "expected_waiting_time",
    "expected_waiting_time_nested",
    "heralded_link",
    "heralding_probability",
    "memory_fidelity",
    "multiplexed_probability",
    "nested_waiting_time_pmf",
    "purification_circuit",
    "purify_cirq",
    "purify_recurrence",
    "purify_rows",
    "rate_vs_distance",
    "sample_waiting_times",
    "simulate_chain",
    "single_click_link",
    "swap_bell_diagonal",
    "swap_circuit",
    "swap_cirq",
    "swap_werner",
]
