"""Repeaterless bounds on the secret key of a lossy channel, and shared input checks.

- PLOB bound (Pirandola, Laurenza, Ottaviani, Banchi 2017, Eq. (19)): the two-way assisted
  secret-key capacity of a pure-loss channel of transmissivity η is −log₂(1 − η) bits per
  channel use. No repeaterless protocol can beat it; for small η it is ≈ 1.44 η.
- TGW bound (Takeoka, Guha, Wilde 2014): the squashed-entanglement upper bound
  log₂((1 + η)/(1 − η)), looser than PLOB by up to a factor of 2.

Every bound takes its loss from a :class:`~qnetlab.qkd.link.LinkModel` when one is given
(``link=``); an explicit value that disagrees with the link raises. Without a link the
fibre loss is :data:`DEFAULT_ATTENUATION_DB_PER_KM` = 0.2 dB/km, the same default as
:class:`~qnetlab.qkd.link.LinkModel` (the :data:`~qnetlab.qkd.link.GYS` preset has its
measured 0.21 dB/km). Also imported by :mod:`qnetlab.qkd.theory`, which re-exports them.

>>> round(tgw_bound(0.5) / plob_bound(0.5), 6)
1.584963
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import check_non_negative, check_probability
from ..channels import fiber_transmissivity
from .link import LinkModel

__all__ = [
    "DEFAULT_ATTENUATION_DB_PER_KM",
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


def _out(a: np.ndarray, scalar: bool) -> Any:
    return float(a) if scalar else a


def _link(link: Any) -> Any:
    if not isinstance(link, LinkModel):
        raise TypeError(f"link must be a LinkModel, got {type(link).__name__}")
    return link


def _distances(distance_km: Any) -> tuple[np.ndarray, bool]:
    if np.ndim(distance_km) == 0:
        return np.asarray(check_non_negative(distance_km, "distance_km")), True
    try:
        d = np.asarray(distance_km, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError("distance_km must be real numbers") from exc
    if not np.all(np.isfinite(d)) or np.any(d < 0):
        raise ValueError("distance_km must be non-negative (>= 0) and finite")
    return d, False


def _link_distances(distance_km: Any, link: LinkModel) -> tuple[np.ndarray, bool]:
    """Distances from ``distance_km``, or from ``link.length_km`` when it is None.

    A link with ``length_km`` > 0 fixes the distance: a ``distance_km`` that disagrees
    raises. A link of length 0 (the presets, like :data:`GYS`) takes any ``distance_km``.
    """
    if distance_km is None:
        return np.asarray(float(link.length_km)), True
    d, scalar = _distances(distance_km)
    if link.length_km > 0 and np.any(np.abs(d - link.length_km) > 1e-9 * link.length_km):
        raise ValueError(
            f"distance_km={distance_km} disagrees with link.length_km={link.length_km}; "
            "give the distance once (omit distance_km, or use a link of length 0)"
        )
    return d, scalar


def _bound_eta(eta: Any, link: Any) -> tuple[np.ndarray, bool]:
    """η from ``eta`` or from the link's fibre (both given must agree)."""
    if link is None:
        if eta is None:
            raise ValueError("give eta or link")
        return _probabilities(eta, "eta")
    link = _link(link)
    t = link.channel_transmissivity
    if eta is not None:
        a = _probabilities(eta, "eta")[0]
        if np.any(np.abs(a - t) > 1e-12):
            raise ValueError(
                f"eta={eta} disagrees with the link's fibre transmissivity {t:.6g}; give one"
            )
    return np.asarray(t), True


def plob_bound(eta: Any = None, *, link: LinkModel | None = None) -> Any:
    """PLOB repeaterless bound −log₂(1 − η) in secret bits per channel use.

    It diverges at η = 1 (a perfect channel carries unbounded key per use).

    Parameters
    ----------
    eta : float, array_like or None, optional
        Channel transmissivity in [0, 1]; None takes it from ``link``.
    link : LinkModel or None, optional
        Take η from the link's fibre, 10^(−αL/10) with its own α and length (Bob's
        detector efficiency is inside his trusted lab and does not count).

    Returns
    -------
    float or numpy.ndarray
        The bound, shaped like ``eta``.

    Raises
    ------
    ValueError
        If η is outside [0, 1], neither is given, or both are given and disagree.

    Examples
    --------
    >>> round(plob_bound(0.01), 6)
    0.0145
    >>> from qnetlab.qkd import GYS
    >>> round(plob_bound(link=GYS.with_length(100.0)), 6)  # GYS fibre: 0.21 dB/km
    0.011505
    """
    a, scalar = _bound_eta(eta, link)
    with np.errstate(divide="ignore"):
        r = -np.log1p(-a) / np.log(2.0)  # log1p keeps the tiny-η regime exact
    return _out(r + 0.0, scalar)


def tgw_bound(eta: Any = None, *, link: LinkModel | None = None) -> Any:
    """TGW (squashed entanglement) bound log₂((1 + η)/(1 − η)) bits per channel use.

    Parameters
    ----------
    eta : float, array_like or None, optional
        Channel transmissivity in [0, 1]; None takes it from ``link``.
    link : LinkModel or None, optional
        Take η from the link's fibre, as :func:`plob_bound` does.

    Returns
    -------
    float or numpy.ndarray
        The bound, shaped like ``eta``.

    Raises
    ------
    ValueError
        If η is outside [0, 1], neither is given, or both are given and disagree.

    Examples
    --------
    >>> round(tgw_bound(0.01), 6)
    0.028855
    """
    a, scalar = _bound_eta(eta, link)
    with np.errstate(divide="ignore"):
        r = (np.log1p(a) - np.log1p(-a)) / np.log(2.0)
    return _out(r + 0.0, scalar)


#: Fibre loss (dB/km) of :func:`repeaterless_bound` without a link; the same as
#: :class:`LinkModel`'s default (standard single-mode fibre at 1550 nm). :data:`GYS`
#: uses its measured 0.21 dB/km: pass ``link=GYS`` to bound that fibre.
DEFAULT_ATTENUATION_DB_PER_KM = 0.2


def repeaterless_bound(
    length_km: Any = None,
    attenuation_db_per_km: float | None = None,
    *,
    link: LinkModel | None = None,
) -> Any:
    """PLOB bound for a fibre of ``length_km`` (bits per channel use).

    Parameters
    ----------
    length_km : float, array_like or None, optional
        Fibre length(s) in km, >= 0; None takes ``link.length_km``. A link whose
        ``length_km`` is > 0 fixes the length and a different value raises.
    attenuation_db_per_km : float or None, optional
        Fibre loss α; None takes the link's α, or
        :data:`DEFAULT_ATTENUATION_DB_PER_KM` (0.2, :class:`LinkModel`'s default)
        without a link. A value that disagrees with the link's α raises.
    link : LinkModel or None, optional
        The link whose fibre (length and loss) is bounded.

    Returns
    -------
    float or numpy.ndarray
        −log₂(1 − η), shaped like ``length_km``.

    Raises
    ------
    ValueError
        If an argument is outside its range, neither a length nor a link is given, or
        an argument disagrees with the link.

    Examples
    --------
    >>> round(repeaterless_bound(100.0), 6)
    0.0145
    >>> from qnetlab.qkd import GYS
    >>> repeaterless_bound(100.0, link=GYS) == plob_bound(link=GYS.with_length(100.0))
    True
    """
    if link is not None:
        link = _link(link)
        if attenuation_db_per_km is not None and not np.isclose(
            check_non_negative(attenuation_db_per_km, "attenuation_db_per_km"),
            link.attenuation_db_per_km,
            rtol=1e-12,
            atol=0.0,
        ):
            raise ValueError(
                f"attenuation_db_per_km={attenuation_db_per_km} disagrees with the link's "
                f"{link.attenuation_db_per_km}; give one"
            )
        alpha = link.attenuation_db_per_km
        length_km = (
            _link_distances(length_km, link)[0] if length_km is not None else (link.length_km)
        )
    elif length_km is None:
        raise ValueError("give length_km or link")
    alpha = check_non_negative(
        DEFAULT_ATTENUATION_DB_PER_KM
        if attenuation_db_per_km is None and link is None
        else (link.attenuation_db_per_km if link is not None else attenuation_db_per_km),
        "attenuation_db_per_km",
    )
    eta = np.asarray(fiber_transmissivity(length_km, alpha))  # checks length_km
    # Short or nearly lossless links: 1 - eta from expm1 keeps its precision; long links:
    # log1p(-eta) keeps the tiny-eta regime exact (as plob_bound does).
    loss = -np.expm1(-np.asarray(length_km, dtype=float) * alpha * np.log(10.0) / 10.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(eta < 0.5, -np.log1p(-eta) / np.log(2.0), -np.log2(loss)) + 0.0
    return float(r) if np.ndim(eta) == 0 else r
