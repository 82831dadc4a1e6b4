"""Security parameters and detector settings of the prepare-and-measure runners.

- the security parameters a runner passes through to
  :func:`~qnetlab.qkd.postprocessing.postprocess` (checked even when post-processing is off);
- after an abort for too few bits, the number of pulses a key would need at the run's
  sifted fraction and QBER (the finite-size key length of Tomamichel et al. 2012 with a
  Cascade leak of 1.2 h(e) per bit);
- the detector settings of the click-first sampler (:mod:`qnetlab.qkd._detection`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._validation import check_in_range, check_non_negative, check_positive, check_size
from ._detection import dead_slots
from .postprocessing import (
    MAX_CASCADE_PASSES,
    MAX_HASH_BITS,
    phase_error_bound,
    secure_key_length,
)
from .theory import MAX_MEAN_PHOTON_NUMBER, binary_entropy

__all__: list[str] = []


#: Defaults of the security parameters a runner passes to the post-processing chain.
SECURITY_DEFAULTS: dict[str, Any] = {
    "epsilon_pe": 1e-10,
    "epsilon_pa": 1e-10,
    "verification_bits": 40,
    "cascade_passes": 4,
}


def check_security(
    epsilon_pe: float, epsilon_pa: float, verification_bits: int, cascade_passes: int
) -> dict[str, Any]:
    for eps, eps_name in ((epsilon_pe, "epsilon_pe"), (epsilon_pa, "epsilon_pa")):
        check_in_range(eps, eps_name, 0.0, 1.0, low_inclusive=False, high_inclusive=False)
    return {
        "epsilon_pe": float(epsilon_pe),
        "epsilon_pa": float(epsilon_pa),
        "verification_bits": check_size(
            verification_bits, "verification_bits", maximum=MAX_HASH_BITS
        ),
        "cascade_passes": check_size(cascade_passes, "cascade_passes", maximum=MAX_CASCADE_PASSES),
    }


def _key_length_at(
    n_sifted: int, e: float, sample_fraction: float, protocol: str, sec: dict
) -> int:
    """Expected final length from ``n_sifted`` bits at QBER ``e`` (Cascade leak 1.2 h(e))."""
    k = math.ceil(sample_fraction * n_sifted)
    rest = n_sifted - k
    if k < 1 or rest < 1:
        return 0
    e_up = phase_error_bound(round(e * k), k, rest, sec["epsilon_pe"])
    leak = 1.2 * float(binary_entropy(min(e, 0.5))) * rest
    return secure_key_length(
        rest,
        e_up,
        leak,
        sec["verification_bits"],
        epsilon_pa=sec["epsilon_pa"],
        protocol=protocol,
    )


def pulses_needed(
    n: int, sifted: int, e: float, sample_fraction: float, protocol: str, sec: dict
) -> int:
    """Pulses at this run's sifted fraction and QBER for a positive key (0: none helps)."""
    if sifted == 0 or not np.isfinite(e):
        return 0
    e = max(e, 1.0 / sifted)
    hi = max(sifted, 16)
    while _key_length_at(hi, e, sample_fraction, protocol, sec) <= 0:
        hi *= 2
        if hi > 10**16:
            return 0
    lo = hi // 2
    while hi - lo > max(hi // 100, 1):  # 1 % is precise enough for an estimate
        mid = (lo + hi) // 2
        if _key_length_at(mid, e, sample_fraction, protocol, sec) > 0:
            hi = mid
        else:
            lo = mid
    return math.ceil(hi * n / sifted)


def check_detector(
    mu: float | None,
    dead_time_s: float,
    repetition_rate_hz: float | None,
    afterpulse_prob: float,
) -> tuple[float | None, int, float]:
    if mu is not None:
        mu = check_in_range(mu, "mu", 0.0, MAX_MEAN_PHOTON_NUMBER, low_inclusive=False)
    tau = check_non_negative(dead_time_s, "dead_time_s")
    if repetition_rate_hz is not None:
        repetition_rate_hz = check_positive(repetition_rate_hz, "repetition_rate_hz")
    if tau > 0 and repetition_rate_hz is None:
        raise ValueError(
            f"dead_time_s={tau} needs repetition_rate_hz (the pulse rate sets how many "
            "pulses a click blinds)"
        )
    ap = check_in_range(afterpulse_prob, "afterpulse_prob", 0.0, 1.0)
    return mu, dead_slots(tau, repetition_rate_hz), ap
