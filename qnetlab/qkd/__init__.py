"""Quantum key distribution: protocols, attacks, post-processing and key-rate theory.

>>> from qnetlab import qkd
>>> round(qkd.plob_bound(0.5), 6)
1.0
"""

from __future__ import annotations

from .attacks import (
    InterceptResend,
    PhaseCovariantCloner,
    PhotonNumberSplitting,
    fuchs_information,
)
from .bb84 import (
    BACKENDS,
    THRESHOLDS,
    BB84Result,
    bb84_round_circuit,
    run_b92,
    run_bb84,
    run_six_state,
)
from .bbm92 import BBM92Result, expected_chsh_value, run_bbm92
from .circuits import b92_round_circuit, bbm92_round_circuit, six_state_round_circuit
from .decoy import DecoyBB84Result, run_decoy_bb84
from .link import GYS, LinkModel
from .postprocessing import (
    CascadeResult,
    cascade,
    phase_error_bound,
    postprocess,
    secure_key_length,
    toeplitz_hash,
    verify_keys,
)
from .selector import (
    PROTOCOLS,
    ProtocolSelector,
    SelectorScore,
    protocol_key_rates,
    sample_link_conditions,
    train_protocol_selector,
)
from .theory import (
    bbm92_werner_rate,
    binary_entropy,
    decoy_bb84_key_rate,
    decoy_vacuum_weak_key_rate,
    entangled_key_rate,
    finite_decoy_key_rate,
    gllp_key_rate,
    maximum_distance,
    plob_bound,
    repeaterless_bound,
    shor_preskill_rate,
    single_photon_key_rate,
    six_state_rate,
    tgw_bound,
    vacuum_weak_bounds,
)
from .tuning import (
    DecoyTuning,
    SampleFractionTuning,
    finite_bb84_secret_fraction,
    grid_decoy_parameters,
    optimise_decoy_parameters,
    optimise_sample_fraction,
    tuning_curve,
)

__all__ = [
    "BACKENDS",
    "GYS",
    "PROTOCOLS",
    "THRESHOLDS",
    "BB84Result",
    "BBM92Result",
    "CascadeResult",
    "DecoyBB84Result",
    "DecoyTuning",
    "InterceptResend",
    "LinkModel",
    "PhaseCovariantCloner",
    "PhotonNumberSplitting",
    "ProtocolSelector",
    "SampleFractionTuning",
    "SelectorScore",
    "b92_round_circuit",
    "bb84_round_circuit",
    "bbm92_round_circuit",
    "bbm92_werner_rate",
    "binary_entropy",
    "cascade",
    "decoy_bb84_key_rate",
    "decoy_vacuum_weak_key_rate",
    "entangled_key_rate",
    "expected_chsh_value",
    "finite_bb84_secret_fraction",
    "finite_decoy_key_rate",
    "fuchs_information",
    "gllp_key_rate",
    "grid_decoy_parameters",
    "maximum_distance",
    "optimise_decoy_parameters",
    "optimise_sample_fraction",
    "phase_error_bound",
    "plob_bound",
    "postprocess",
    "protocol_key_rates",
    "repeaterless_bound",
    "run_b92",
    "run_bb84",
    "run_bbm92",
    "run_decoy_bb84",
    "run_six_state",
    "sample_link_conditions",
    "secure_key_length",
    "shor_preskill_rate",
    "single_photon_key_rate",
    "six_state_rate",
    "six_state_round_circuit",
    "tgw_bound",
    "toeplitz_hash",
    "train_protocol_selector",
    "tuning_curve",
    "vacuum_weak_bounds",
    "verify_keys",
]
