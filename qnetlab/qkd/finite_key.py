"""Finite-key BB84: the secret fraction when a sample of the sifted bits is published.

Parameter estimation spends a fraction of the sifted bits: a bigger sample bounds the
phase error more tightly but leaves fewer bits for the key. :func:`finite_bb84_secret_fraction`
is the key length per sifted bit of Tomamichel et al. (2012) as a function of that fraction;
:func:`qnetlab.ai.optimize_sample_fraction` tunes it.

>>> round(finite_bb84_secret_fraction(10**6, 0.02, 0.05), 4)
0.5551
"""

from __future__ import annotations

import math

from .._validation import check_in_range, check_integer, check_probability
from .postprocessing import phase_error_bound
from .theory import binary_entropy

__all__ = ["finite_bb84_secret_fraction"]


def finite_bb84_secret_fraction(
    n_sifted: int,
    qber: float,
    sample_fraction: float,
    *,
    ec_efficiency: float = 1.16,
    epsilon: float = 1e-10,
    verification_bits: int = 40,
) -> float:
    """Secret bits per sifted bit of finite-key BB84 when ``sample_fraction`` is published.

    k = ⌈s N⌉ bits are sampled, n = N − k kept; the phase error is bounded by
    e_U = e + √((n + k)(k + 1) ln(1/ε) / (n k²)) (Tomamichel et al. 2012) and error correction
    leaks f h(e) per bit, so ℓ = n [1 − h(e_U) − f h(e)] − leak_ver − 2 log₂(1/(2ε)). A bigger
    sample tightens e_U but leaves fewer key bits: the trade-off an optimiser tunes.

    Parameters
    ----------
    n_sifted : int
        Sifted bits N (>= 2).
    qber : float
        Measured QBER e.
    sample_fraction : float
        Fraction s of the sifted bits published, in (0, 1).
    ec_efficiency : float, optional
        Error-correction inefficiency f, in [1, 10].
    epsilon : float, optional
        Failure probability of the phase-error bound.
    verification_bits : int, optional
        Bits of the verification hash.

    Returns
    -------
    float
        Secret bits per sifted bit (>= 0).

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> round(finite_bb84_secret_fraction(10**6, 0.02, 0.05), 4)
    0.5551
    """
    big_n = check_integer(n_sifted, "n_sifted", minimum=2)
    e = check_probability(qber, "qber")
    s = check_in_range(
        sample_fraction, "sample_fraction", 0.0, 1.0, low_inclusive=False, high_inclusive=False
    )
    f = check_in_range(ec_efficiency, "ec_efficiency", 1.0, 10.0)
    leak_ver = check_integer(verification_bits, "verification_bits", minimum=0)
    k = min(max(math.ceil(s * big_n), 1), big_n - 1)
    n = big_n - k
    e_u = phase_error_bound(min(round(e * k), k), k, n, epsilon)
    ell = (
        n * (1 - binary_entropy(e_u) - f * binary_entropy(e))
        - leak_ver
        - 2 * math.log2(1 / (2 * epsilon))
    )
    return max(ell, 0.0) / big_n
