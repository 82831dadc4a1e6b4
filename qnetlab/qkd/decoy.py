"""Decoy-state BB84 with weak coherent pulses, and the photon-number-splitting attack.

Alice's laser emits coherent pulses: the photon number of a pulse of intensity μ is
Poisson(μ). Each pulse is a signal (μ), a weak decoy (ν) or a vacuum decoy (0), chosen at
random and announced only after Bob's detections (Hwang 2003; Lo, Ma, Chen 2005). Every
photon of a pulse carries the same BB84 polarisation (one qubit per pulse in the
simulation; on ``backend="cirq"`` a Cirq circuit per pulse, as in
:func:`~qnetlab.qkd.bb84.run_bb84`). Each photon survives fibre and detector with
probability η; dark counts click with probability Y₀ and give a random bit.

From the measured gains Q_μ, Q_ν, Y₀ and the decoy error E_ν, Alice and Bob bound the
single-photon yield and error (vacuum + weak decoy, Ma et al. 2005) and the secret key
rate. A photon-number-splitting Eve who keeps Bob's signal click rate unchanged cannot
also reproduce the decoys' click rates: the single-photon yield bound collapses and no
key is extracted.

>>> from qnetlab.qkd import GYS
>>> r = run_decoy_bb84(2_000_000, link=GYS.with_length(25.0), seed=7)
>>> r.aborted, r.key_rate > 0
(False, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_choice,
    check_integer,
    check_non_negative,
    check_positive,
    check_probability,
    make_rng,
)
from ._engine import X_AXIS, Z_AXIS, mutual_information, simulate_rounds
from .attacks import Attack, InterceptResend, PhotonNumberSplitting
from .bb84 import BACKENDS
from .link import GYS, LinkModel
from .theory import decoy_rate_from_bounds, decoy_vacuum_weak_key_rate, vacuum_weak_bounds

__all__ = ["DecoyBB84Result", "run_decoy_bb84"]


class _Split(Attack):
    """Qubit-level part of PNS: Eve's register is another photon of the same pulse."""

    name = "photon-number splitting"
    copies_source = True

    def choice_probabilities(self, n_axes: int) -> np.ndarray:
        return np.array([1.0, 0.0])

    def numpy_state(self, rho: np.ndarray, choice: int, axes: list[np.ndarray]) -> np.ndarray:
        return np.kron(rho, rho) if choice else np.kron(rho, np.eye(2) / 2.0)

    def cirq_ops(
        self, signal: Any, probe: Any, choice: int, axes: list[Any], key: str
    ) -> tuple[list[Any], bool]:
        return [], False

    def probe_axis_is_public(self) -> bool:
        return True


@dataclass(frozen=True)
class DecoyBB84Result:
    """Result of a decoy-state BB84 run.

    Per intensity (signal, decoy, vacuum): ``intensities``, pulses ``sent``, gains
    ``gains`` (clicks per pulse) and error rates ``errors`` (on sifted bits). From them:
    ``y1_lower`` and ``e1_upper`` (vacuum + weak decoy bounds), the estimated secret key
    rate ``key_rate`` (bits per pulse sent, all intensities counted) and the rate the
    honest link would give, ``expected_key_rate``. ``aborted`` when ``key_rate`` is 0.
    ``eve_information`` is Eve's information per sifted signal bit.
    """

    backend: str
    n_pulses: int
    intensities: tuple[float, float, float]
    sent: tuple[int, int, int]
    gains: tuple[float, float, float]
    errors: tuple[float, float, float]
    sifted_signal: int
    y1_lower: float
    e1_upper: float
    key_rate: float
    expected_key_rate: float
    aborted: bool
    eve_information: float
    eve: str = ""

    def __repr__(self) -> str:
        g = ", ".join(f"{x:.3g}" for x in self.gains)
        e = ", ".join(f"{x:.3g}" for x in self.errors)
        return (
            f"DecoyBB84Result(backend={self.backend!r}, n_pulses={self.n_pulses}, "
            f"gains=({g}), errors=({e}), y1_lower={self.y1_lower:.3g}, "
            f"e1_upper={self.e1_upper:.3g}, key_rate={self.key_rate:.3g}, "
            f"expected={self.expected_key_rate:.3g}, aborted={self.aborted}, "
            f"eve_information={self.eve_information:.3f})"
        )


def run_decoy_bb84(
    n_pulses: int,
    *,
    link: LinkModel = GYS,
    intensities: tuple[float, float, float] = (0.48, 0.05, 0.0),
    probabilities: tuple[float, float, float] = (0.8, 0.1, 0.1),
    eve: Any = None,
    backend: str = "numpy",
    n_sigma: float = 3.0,
    seed: SeedLike = None,
) -> DecoyBB84Result:
    """Run decoy-state BB84 (signal μ, weak decoy ν, vacuum) over ``link``.

    Args:
        n_pulses: pulses sent (>= 1).
        link: the :class:`~qnetlab.qkd.link.LinkModel` (default :data:`GYS` at 0 km; use
            ``GYS.with_length(d)``).
        intensities: (μ, ν, 0) with 0 < ν < μ; the third must be 0 (vacuum).
        probabilities: how often each intensity is sent (sum 1).
        eve: None, :class:`~qnetlab.qkd.attacks.PhotonNumberSplitting` or
            :class:`~qnetlab.qkd.attacks.InterceptResend`.
        backend: ``"numpy"`` or ``"cirq"``.
        n_sigma: statistical fluctuations: measured gains are moved ``n_sigma`` standard
            deviations to their worst case before the bounds (Ma et al. 2005, statistical-fluctuation analysis).
        seed: int, Generator or None.

    >>> from qnetlab.qkd import PhotonNumberSplitting
    >>> r = run_decoy_bb84(2_000_000, link=GYS.with_length(60.0), eve=PhotonNumberSplitting(), seed=8)
    >>> r.aborted, r.key_rate
    (True, 0.0)
    """
    n = check_integer(n_pulses, "n_pulses", minimum=1)
    check_choice(backend, "backend", BACKENDS)
    if not isinstance(link, LinkModel):
        raise TypeError(f"link must be a LinkModel, got {type(link).__name__}")
    if eve is not None and not isinstance(eve, PhotonNumberSplitting | InterceptResend):
        raise TypeError("eve must be None, PhotonNumberSplitting or InterceptResend")
    if len(intensities) != 3 or len(probabilities) != 3:
        raise ValueError(
            "intensities and probabilities must each hold three values (signal, decoy, vacuum)"
        )
    mu = check_positive(intensities[0], "intensities[0]")
    nu = check_positive(intensities[1], "intensities[1]")
    if not nu < mu:
        raise ValueError(f"intensities must satisfy 0 < nu < mu, got mu={mu}, nu={nu}")
    if intensities[2] != 0:
        raise ValueError(f"intensities[2] must be 0 (the vacuum decoy), got {intensities[2]}")
    probs = np.array(
        [check_probability(x, f"probabilities[{i}]") for i, x in enumerate(probabilities)]
    )
    if abs(probs.sum() - 1.0) > 1e-9 or np.any(probs == 0):
        raise ValueError(f"probabilities must be positive and sum to 1, got {tuple(probabilities)}")
    u = check_non_negative(n_sigma, "n_sigma")
    rng = make_rng(seed)
    mus = np.array([mu, nu, 0.0])
    cls = rng.choice(3, size=n, p=probs)
    photons = rng.poisson(mus[cls])
    eta, eta_bob = link.transmissivity, link.detector_efficiency
    split = np.zeros(n, dtype=np.int64)
    if isinstance(eve, PhotonNumberSplitting):
        s1, sm = eve.forwarding(eta, eta_bob, mu)
        multi = photons >= 2
        single = photons == 1
        fwd = (multi & (rng.random(n) < sm)) | (single & (rng.random(n) < s1))
        n_fwd = np.where(multi, photons - 1, photons) * fwd
        arrived = rng.binomial(n_fwd, eta_bob)
        split[multi] = 1
    else:
        arrived = rng.binomial(photons, eta)
    photon = arrived >= 1
    dark = rng.random(n) < link.dark_count_prob
    click = photon | dark
    a_axis = rng.integers(0, 2, size=n)
    a_value = rng.integers(0, 2, size=n)
    b_axis = rng.integers(0, 2, size=n)
    # The qubit layer: Cirq runs every pulse (ground truth); NumPy only those that matter.
    sim_mask = np.ones(n, dtype=bool) if backend == "cirq" else (photon | (split == 1))
    idx = np.flatnonzero(sim_mask)
    qubit_eve: Attack | None
    choice = None
    if isinstance(eve, PhotonNumberSplitting):
        qubit_eve, choice = _Split(), split[idx]
    else:
        qubit_eve = eve
    out = simulate_rounds(
        [Z_AXIS, X_AXIS],
        a_axis[idx],
        b_axis[idx],
        a_value[idx],
        depolarization=link.depolarization,
        misalignment=link.misalignment,
        eve=qubit_eve,
        eve_axes=[0, 1],
        public_axis=a_axis[idx],
        entangled=False,
        backend=backend,
        rng=rng,
        choice=choice,
    )
    bob = rng.integers(0, 2, size=n).astype(np.int8)
    bob[idx] = np.where(photon[idx], out.bob_value, bob[idx])
    eve_val = np.zeros(n, dtype=np.int64)
    eve_ch = np.zeros(n, dtype=np.int64)
    eve_val[idx] = out.eve_value
    eve_ch[idx] = out.eve_choice
    sifted = click & (a_axis == b_axis)
    sent, gains, errs = [], [], []
    for k in range(3):
        m = cls == k
        sent.append(int(m.sum()))
        gains.append(float(click[m].mean()) if m.any() else 0.0)
        ms = m & sifted
        errs.append(float(np.mean(a_value[ms] != bob[ms])) if ms.any() else 0.5)
    q_mu, q_nu, y0 = gains
    n_mu, n_nu, n_0 = sent

    def dev(x: float, count: int) -> float:
        return u * np.sqrt(max(x, 0.0) / max(count, 1))

    y1, e1 = vacuum_weak_bounds(
        q_mu + dev(q_mu, n_mu),
        max(q_nu - dev(q_nu, n_nu), 0.0),
        errs[1] * q_nu + dev(errs[1] * q_nu, n_nu),
        y0 + dev(y0, n_0),
        mu,
        nu,
    )
    r_sig = decoy_rate_from_bounds(q_mu, errs[0], y1, e1, mu, f=link.ec_efficiency, q=0.5)
    key_rate = float(max(probs[0] * r_sig, 0.0))
    expected = float(probs[0] * decoy_vacuum_weak_key_rate(link.length_km, mu, nu, link=link))
    sig_keep = sifted & (cls == 0)
    eve_info = 0.0
    if eve is not None and sig_keep.any():
        eve_info = mutual_information(
            a_value[sig_keep], eve_ch[sig_keep] * 2 + eve_val[sig_keep], a_axis[sig_keep]
        )
    return DecoyBB84Result(
        backend,
        n,
        (mu, nu, 0.0),
        (n_mu, n_nu, n_0),
        (q_mu, q_nu, y0),
        (errs[0], errs[1], errs[2]),
        int(sig_keep.sum()),
        float(y1),
        float(e1),
        key_rate,
        expected,
        key_rate <= 0.0,
        eve_info,
        "" if eve is None else eve.name,
    )
