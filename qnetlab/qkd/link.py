"""The QKD link: fibre, detectors, dark counts, misalignment and channel noise.

:class:`LinkModel` collects the numbers that set a QKD link's key rate and gives the
standard photon-counting model of Lo, Ma and Chen (2005) and Ma et al. (2005):

- total transmittance η = η_Bob · 10^(−α L / 10) (fibre and detector together);
- yield of an n-photon pulse Y_n = Y₀ + 1 − (1 − η)^n;
- gain of a weak coherent pulse of mean photon number μ: Q_μ = Y₀ + 1 − e^(−ημ);
- error of the signal part e_sig = e_d (1 − 2p/3) + (2p/3)(1 − e_d), combining the
  detector misalignment e_d and Cirq's channel depolarisation p, and errors of the dark
  counts 1/2: E_μ Q_μ = Y₀/2 + e_sig (1 − e^(−ημ)).

:data:`GYS` is the parameter set of the Gobby–Yuan–Shields experiment (APL 84, 3762,
2004) that Lo–Ma–Chen and Ma et al. use for their decoy-state curves.

>>> GYS.detector_efficiency, GYS.dark_count_prob, GYS.misalignment
(0.045, 1.7e-06, 0.033)
>>> round(GYS.with_length(50.0).transmissivity, 6)
0.004011
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import check_in_range, check_non_negative, check_probability
from ..channels import fiber_transmissivity

__all__ = ["GYS", "LinkModel"]


def _non_negative(values: Any, name: str) -> np.ndarray:
    """``values`` as a float array, every entry finite and >= 0, else ``ValueError``."""
    try:
        a = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be real numbers") from exc
    if not np.all(np.isfinite(a)) or np.any(a < 0):
        raise ValueError(f"{name} must be non-negative (>= 0) and finite, got {values}")
    return a


@dataclass(frozen=True)
class LinkModel:
    """A point-to-point QKD link.

    Parameters
    ----------
    length_km : float, optional
        Fibre length L (km), non-negative.
    attenuation_db_per_km : float, optional
        Fibre loss α (dB/km); 0.2 at 1550 nm.
    detector_efficiency : float, optional
        η_Bob, Bob's detection efficiency including his optics, in [0, 1].
    dark_count_prob : float, optional
        Y₀, probability of a (dark or background) click per pulse, in [0, 1].
    misalignment : float, optional
        e_d, probability that a photon hits the wrong detector, in [0, 1].
    depolarization : float, optional
        p of ``cirq.depolarize(p)`` on the channel (bit error 2p/3), in [0, 1].
    ec_efficiency : float, optional
        f ≥ 1, error-correction inefficiency (leak = f h(E) per bit).

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> link = LinkModel(length_km=25.0, detector_efficiency=0.5)
    >>> round(link.transmissivity, 6)
    0.158114
    """

    length_km: float = 0.0
    attenuation_db_per_km: float = 0.2
    detector_efficiency: float = 1.0
    dark_count_prob: float = 0.0
    misalignment: float = 0.0
    depolarization: float = 0.0
    ec_efficiency: float = 1.0

    def __post_init__(self) -> None:
        check_non_negative(self.length_km, "length_km")
        check_non_negative(self.attenuation_db_per_km, "attenuation_db_per_km")
        check_probability(self.detector_efficiency, "detector_efficiency")
        check_probability(self.dark_count_prob, "dark_count_prob")
        check_in_range(self.misalignment, "misalignment", 0.0, 0.5)
        check_probability(self.depolarization, "depolarization")
        check_in_range(self.ec_efficiency, "ec_efficiency", 1.0, 10.0)

    def with_length(self, length_km: float) -> LinkModel:
        """Return a copy of the link with a new fibre length.

        >>> LinkModel().with_length(10.0).length_km
        10.0
        """
        return dataclasses.replace(self, length_km=check_non_negative(length_km, "length_km"))

    def replace(self, **changes: Any) -> LinkModel:
        """Return a copy with some fields changed (validated again).

        >>> LinkModel().replace(misalignment=0.01).misalignment
        0.01
        """
        return dataclasses.replace(self, **changes)

    @property
    def channel_transmissivity(self) -> float:
        """Fibre transmissivity 10^(−αL/10) (no detector)."""
        return fiber_transmissivity(self.length_km, self.attenuation_db_per_km)

    @property
    def transmissivity(self) -> float:
        """Total transmittance η = η_Bob · 10^(−αL/10)."""
        return self.detector_efficiency * self.channel_transmissivity

    @property
    def signal_error(self) -> float:
        """Error probability of a detected photon: misalignment combined with depolarisation.

        >>> round(LinkModel(misalignment=0.01, depolarization=0.03).signal_error, 6)
        0.0296
        """
        flip = 2.0 * self.depolarization / 3.0
        return self.misalignment * (1.0 - flip) + flip * (1.0 - self.misalignment)

    def photon_yield(self, n: Any) -> Any:
        """Yield Y_n = Y₀ + 1 − (1 − η)^n of an n-photon pulse (Ma et al. 2005).

        >>> round(LinkModel(detector_efficiency=0.1, dark_count_prob=1e-5).photon_yield(1), 6)
        0.10001
        """
        n_arr = _non_negative(n, "n")
        y0, eta = self.dark_count_prob, self.transmissivity
        y = y0 + (1.0 - (1.0 - eta) ** n_arr)
        return float(y) if n_arr.ndim == 0 else y

    def photon_error(self, n: Any) -> Any:
        """Error rate e_n = (Y₀/2 + e_sig (1 − (1 − η)^n)) / Y_n of n-photon pulses.

        >>> round(LinkModel(misalignment=0.02).photon_error(1), 6)
        0.02
        """
        n_arr = _non_negative(n, "n")
        y_n = np.asarray(self.photon_yield(n_arr), dtype=float)
        click = 1.0 - (1.0 - self.transmissivity) ** n_arr
        with np.errstate(invalid="ignore", divide="ignore"):
            e = np.where(
                y_n > 0, (0.5 * self.dark_count_prob + self.signal_error * click) / y_n, 0.5
            )
        return float(e) if n_arr.ndim == 0 else e

    def gain(self, mu: Any) -> Any:
        """Gain Q_μ = Y₀ + 1 − e^(−ημ) of a coherent pulse of mean photon number μ.

        >>> round(LinkModel(detector_efficiency=0.1).gain(0.5), 6)
        0.048771
        """
        m = _non_negative(mu, "mu")
        q = self.dark_count_prob + (-np.expm1(-self.transmissivity * m))
        return float(q) if m.ndim == 0 else q

    def error_rate(self, mu: Any) -> Any:
        """Overall QBER E_μ of coherent pulses: (Y₀/2 + e_sig (1 − e^(−ημ))) / Q_μ.

        >>> round(LinkModel(detector_efficiency=0.1, misalignment=0.03).error_rate(0.5), 6)
        0.03
        """
        m = _non_negative(mu, "mu")
        q = np.asarray(self.gain(m), dtype=float)
        num = 0.5 * self.dark_count_prob + self.signal_error * (-np.expm1(-self.transmissivity * m))
        with np.errstate(invalid="ignore", divide="ignore"):
            e = np.where(q > 0, num / q, 0.5)
        return float(e) if m.ndim == 0 else e


#: Gobby, Yuan, Shields, APL 84, 3762 (2004), as used by Lo, Ma, Chen PRL 94, 230504 (2005)
#: and Ma et al. PRA 72, 012326 (2005): α = 0.21 dB/km, η_Bob = 4.5 %, Y₀ = 1.7e-6,
#: e_detector = 3.3 %, f = 1.22 (Cascade), 1550 nm.
GYS: LinkModel = LinkModel(
    length_km=0.0,
    attenuation_db_per_km=0.21,
    detector_efficiency=0.045,
    dark_count_prob=1.7e-6,
    misalignment=0.033,
    depolarization=0.0,
    ec_efficiency=1.22,
)
