"""Quantum key distribution: protocols, attacks, post-processing and key-rate theory.

>>> from qnetlab import qkd
>>> round(qkd.plob_bound(0.5), 6)
1.0
"""

from __future__ import annotations

from .theory import (
    bbm92_werner_rate,
    binary_entropy,
    plob_bound,
    repeaterless_bound,
    tgw_bound,
)

__all__ = [
    "bbm92_werner_rate",
    "binary_entropy",
    "plob_bound",
    "repeaterless_bound",
    "tgw_bound",
]
