"""Key-rate theory: entropies and the fundamental limits of point-to-point QKD.

- PLOB bound (Pirandola, Laurenza, Ottaviani, Banchi 2017, Eq. (19)): the two-way assisted
  secret-key capacity of a pure-loss channel of transmissivity η is −log₂(1 − η) bits per
  channel use. No repeaterless protocol can beat it; for small η it is ≈ 1.44 η.
- TGW bound (Takeoka, Guha, Wilde 2014): the squashed-entanglement upper bound
  log₂((1 + η)/(1 − η)), looser than PLOB by up to a factor of 2.

Functions accept a scalar (and return a float) or an array (and return an array).

>>> round(binary_entropy(0.11), 4)
0.4999
>>> round(tgw_bound(0.5) / plob_bound(0.5), 6)
1.584963
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import check_non_negative, check_probability

__all__ = [
    "bbm92_werner_rate",
    "binary_entropy",
    "plob_bound",
    "repeaterless_bound",
    "tgw_bound",
]


def _probabilities(values: Any, name: str) -> tuple[np.ndarray, bool]:
    """Return (array, is_scalar) after checking every entry is in [0, 1]."""
    if np.ndim(values) == 0:
        return np.asarray(check_probability(values, name)), True
    try:
        a = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be real numbers") from exc
    if not np.all(np.isfinite(a)) or np.any((a < 0) | (a > 1)):
        raise ValueError(f"{name} must be probabilities in [0, 1]")
    return a, False


def _out(a: np.ndarray, scalar: bool) -> Any:
    return float(a) if scalar else a


def binary_entropy(p: Any) -> Any:
    """Binary Shannon entropy h(p) = −p log₂ p − (1 − p) log₂(1 − p), with h(0) = h(1) = 0.

    >>> binary_entropy(0.5)
    1.0
    >>> binary_entropy([0.0, 1.0]).tolist()
    [0.0, 0.0]
    """
    a, scalar = _probabilities(p, "p")
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -a * np.log2(a) - (1 - a) * np.log2(1 - a)
    h = np.where((a <= 0) | (a >= 1), 0.0, h)
    return _out(h, scalar)


def plob_bound(eta: Any) -> Any:
    """PLOB repeaterless bound −log₂(1 − η) in secret bits per channel use.

    It diverges at η = 1 (a perfect channel carries unbounded key per use).

    >>> round(plob_bound(0.01), 6)
    0.0145
    """
    a, scalar = _probabilities(eta, "eta")
    with np.errstate(divide="ignore"):
        r = -np.log1p(-a) / np.log(2.0)  # log1p keeps the tiny-η regime exact
    return _out(r + 0.0, scalar)


def tgw_bound(eta: Any) -> Any:
    """TGW (squashed entanglement) bound log₂((1 + η)/(1 − η)) bits per channel use.

    >>> round(tgw_bound(0.01), 6)
    0.028855
    """
    a, scalar = _probabilities(eta, "eta")
    with np.errstate(divide="ignore"):
        r = (np.log1p(a) - np.log1p(-a)) / np.log(2.0)
    return _out(r + 0.0, scalar)


def repeaterless_bound(length_km: Any, attenuation_db_per_km: float = 0.2) -> Any:
    """PLOB bound for a fibre of ``length_km`` (bits per channel use).

    >>> round(repeaterless_bound(100.0), 6)
    0.0145
    """
    from ..channels import fiber_transmissivity

    alpha = check_non_negative(attenuation_db_per_km, "attenuation_db_per_km")
    return plob_bound(fiber_transmissivity(length_km, alpha))


def bbm92_werner_rate(fidelity: Any) -> Any:
    """Asymptotic BBM92 secret fraction per sifted pair shared as a Werner state.

    A Werner state of fidelity F gives the same error rate e = 2(1 − F)/3 in the Z and X
    bases; one-way post-processing then keeps r = 1 − 2 h(e) (Shor–Preskill), clipped at 0.

    >>> round(bbm92_werner_rate(1.0), 6)
    1.0
    >>> bbm92_werner_rate(0.8)
    0.0
    """
    f, scalar = _probabilities(fidelity, "fidelity")
    e = 2.0 * (1.0 - f) / 3.0
    r = np.clip(1.0 - 2.0 * np.asarray(binary_entropy(e)), 0.0, None)
    return _out(r, scalar)
