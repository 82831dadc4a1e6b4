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
    PhotonSplit,
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
from .decoy import DecoyBB84Result, decoy_bounds, run_decoy_bb84
from .finite_key import finite_bb84_secret_fraction
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
from .telemetry import LinkDrift, QKDTelemetry, qkd_telemetry
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

__all__ = [
    "BACKENDS",
    "GYS",
    "THRESHOLDS",
    "BB84Result",
    "BBM92Result",
    "CascadeResult",
    "DecoyBB84Result",
    "InterceptResend",
    "LinkDrift",
    "LinkModel",
    "PhaseCovariantCloner",
    "PhotonNumberSplitting",
    "PhotonSplit",
    "QKDTelemetry",
    "b92_round_circuit",
    "bb84_round_circuit",
    "bbm92_round_circuit",
    "bbm92_werner_rate",
    "binary_entropy",
    "cascade",
    "decoy_bb84_key_rate",
    "decoy_bounds",
    "decoy_vacuum_weak_key_rate",
    "entangled_key_rate",
    "expected_chsh_value",
    "finite_bb84_secret_fraction",
    "finite_decoy_key_rate",
    "fuchs_information",
    "gllp_key_rate",
    "maximum_distance",
    "phase_error_bound",
    "plob_bound",
    "postprocess",
    "qkd_telemetry",
    "repeaterless_bound",
    "run_b92",
    "run_bb84",
    "run_bbm92",
    "run_decoy_bb84",
    "run_six_state",
    "secure_key_length",
    "shor_preskill_rate",
    "single_photon_key_rate",
    "six_state_rate",
    "six_state_round_circuit",
    "tgw_bound",
    "toeplitz_hash",
    "vacuum_weak_bounds",
    "verify_keys",
]
