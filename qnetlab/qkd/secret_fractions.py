"""Secret fractions per sifted bit or pair: entropies and one-way rates from the error rate.

- Shor–Preskill (PRL 85, 441, 2000): BB84 keeps r = 1 − 2 h(e) secret bits per sifted bit
  with one-way post-processing, zero above e ≈ 11.0 %.
- Six-state, one-way (Lo, QIC 1, 81, 2001): r = 1 + (1 − 3e/2) log₂(1 − 3e/2) + (3e/2)
  log₂(e/2), zero above e ≈ 12.6 %.
- BBM92 with Werner pairs of fidelity F: e = 2(1 − F)/3 in both bases, then Shor–Preskill.

The link-level key rates built on these (decoy states, finite size, entanglement-based
links) are in :mod:`qnetlab.qkd.theory`, which re-exports everything here. Functions
accept a scalar (and return a float) or an array (and return an array).

>>> round(binary_entropy(0.11), 4)
0.4999
>>> round(shor_preskill_rate(0.05), 4), round(six_state_rate(0.05), 4)
(0.4272, 0.4968)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .bounds import _out, _probabilities

__all__ = [
    "bbm92_werner_rate",
    "binary_entropy",
    "shor_preskill_rate",
    "six_state_privacy_cost",
    "six_state_rate",
]


def binary_entropy(p: Any) -> Any:
    """Binary Shannon entropy h(p) = −p log₂ p − (1 − p) log₂(1 − p), with h(0) = h(1) = 0.

    Parameters
    ----------
    p : float or array_like of float
        Probabilities in [0, 1].

    Returns
    -------
    float or numpy.ndarray
        h(p) in bits.

    Examples
    --------
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


def bbm92_werner_rate(fidelity: Any) -> Any:
    """Asymptotic BBM92 secret fraction per sifted pair shared as a Werner state.

    A Werner state of fidelity F gives the same error rate e = 2(1 − F)/3 in the Z and X
    bases; one-way post-processing then keeps r = 1 − 2 h(e) (Shor–Preskill), clipped at 0.

    Parameters
    ----------
    fidelity : float or array_like of float
        Werner-state fidelities F in [0, 1].

    Returns
    -------
    float or numpy.ndarray
        Secret bits per sifted pair.

    Raises
    ------
    ValueError
        If a fidelity is outside [0, 1] or not finite.
    TypeError
        If ``fidelity`` is not real numbers.

    Examples
    --------
    >>> round(bbm92_werner_rate(1.0), 6)
    1.0
    >>> bbm92_werner_rate(0.8)
    0.0
    """
    f, scalar = _probabilities(fidelity, "fidelity")
    e = 2.0 * (1.0 - f) / 3.0
    r = np.asarray(shor_preskill_rate(e))
    return _out(r, scalar)


# --- Rates per sifted bit ------------------------------------------------------------------


def shor_preskill_rate(qber: Any) -> Any:
    """Shor–Preskill BB84 secret fraction r = 1 − 2 h(e) per sifted bit, 0 where negative.

    Shor & Preskill, PRL 85, 441 (2000): with one-way error correction and privacy
    amplification BB84 is secure up to e ≈ 11.0 %.

    Parameters
    ----------
    qber : float or array_like of float
        Error rates e in [0, 1].

    Returns
    -------
    float or numpy.ndarray
        Secret bits per sifted bit.

    Examples
    --------
    >>> shor_preskill_rate(0.0)
    1.0
    >>> round(shor_preskill_rate(0.05), 6)
    0.427206
    >>> shor_preskill_rate(0.12)
    0.0

    The rate is 0 for every error rate above the threshold (1 − 2h(e) is symmetric about
    1/2, the key rate is not):

    >>> shor_preskill_rate(0.95)
    0.0
    """
    e, scalar = _probabilities(qber, "qber")
    r = np.clip(1.0 - 2.0 * np.asarray(binary_entropy(e)), 0.0, None)
    r = np.where(e < 0.5, r, 0.0)
    return _out(r, scalar)


def six_state_rate(qber: Any) -> Any:
    """Six-state one-way secret fraction per sifted bit (Lo 2001), 0 where negative.

    With the same error rate e in all three bases the shared state is Bell-diagonal with
    weights (1 − 3e/2, e/2, e/2, e/2); the one-way rate is 1 minus its entropy:
    r = 1 + (1 − 3e/2) log₂(1 − 3e/2) + (3e/2) log₂(e/2). Zero above e ≈ 12.6 %.

    Parameters
    ----------
    qber : float or array_like of float
        Error rates e in [0, 1].

    Returns
    -------
    float or numpy.ndarray
        Secret bits per sifted bit.

    Examples
    --------
    >>> six_state_rate(0.0)
    1.0
    >>> round(six_state_rate(0.05), 6)
    0.496816
    >>> six_state_rate(5e-324) > 0.999  # log₂(e/2) = log₂ e − 1: no underflow
    True
    """
    e, scalar = _probabilities(qber, "qber")
    if np.any(e > 2.0 / 3.0):
        raise ValueError("qber must be in [0, 2/3] for the six-state protocol")
    a = 1.0 - 1.5 * e
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * np.log2(np.where(a > 0, a, 1.0)), 0.0)
        t2 = np.where(e > 0, 1.5 * e * (np.log2(np.where(e > 0, e, 1.0)) - 1.0), 0.0)
    r = np.clip(1.0 + t1 + t2, 0.0, None)
    r = np.where(e < 0.5, r, 0.0)
    return _out(r, scalar)


def six_state_privacy_cost(qber: Any) -> Any:
    """Privacy-amplification cost per bit of the six-state protocol: H(λ) − h(e).

    The six-state rate is 1 − h(e) (error correction) minus this cost; for BB84 the cost
    is h(e). Used by the link-level rates of :mod:`qnetlab.qkd.theory`.

    Parameters
    ----------
    qber : float or array_like of float
        Error rates e in [0, 1] (the same in all three bases).

    Returns
    -------
    float or numpy.ndarray
        Bits per sifted bit that privacy amplification removes.

    Raises
    ------
    ValueError
        If an error rate is outside [0, 1] or not finite.
    TypeError
        If ``qber`` is not real numbers.

    Examples
    --------
    >>> round(six_state_privacy_cost(0.05) + binary_entropy(0.05) + six_state_rate(0.05), 6)
    1.0
    """
    e, scalar = _probabilities(qber, "qber")
    a = np.clip(1.0 - 1.5 * e, 0.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, -a * np.log2(np.where(a > 0, a, 1.0)), 0.0)
        t2 = np.where(e > 0, -1.5 * e * (np.log2(np.where(e > 0, e, 1.0)) - 1.0), 0.0)
    cost = t1 + t2 - np.asarray(binary_entropy(np.clip(e, 0, 1)))
    return _out(cost, scalar)
