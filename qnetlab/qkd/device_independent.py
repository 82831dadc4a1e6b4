"""The device-independent alternative: a CHSH test with real detectors, and its key rate.

Device attacks (:mod:`qnetlab.qkd.device_attacks`) break the device model a BB84 proof
assumes; device-independent QKD certifies the key from a Bell violation alone.
:func:`bell_test_with_detectors` runs a CHSH test with Bob's finite detection efficiency,
with fair sampling or without, optionally under detector blinding (cf. Gerhardt et al.,
PRL 107, 170404, 2011: post-selected, a blinded receiver fakes the quantum value), and
:func:`di_key_rate` gives the key per round against collective attacks (Acín et al., PRL
98, 230501, 2007; Pironio et al., NJP 11, 045021, 2009). Both are re-exported by
:mod:`qnetlab.qkd.device_attacks`.

>>> round(float(di_key_rate(2.7, 0.02)), 3)
0.587
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_choice,
    check_integer,
    check_probability,
    make_rng,
)
from ..protocols import CHSH_ANGLES, CHSHResult, chsh_correlation
from ..states import werner_state
from .secret_fractions import binary_entropy

__all__ = ["bell_test_with_detectors", "di_key_rate"]


def bell_test_with_detectors(
    n_pairs: int,
    *,
    efficiency: float = 1.0,
    depolarization: float = 0.0,
    no_click: str = "discard",
    blinding: bool = False,
    seed: SeedLike = None,
) -> CHSHResult:
    """CHSH test on Φ+ pairs with Alice's detector perfect and Bob's of ``efficiency``.

    Honest pairs (a Werner state of fidelity 1 − p after ``depolarize(p)``) give the
    correlators E(a, b) of :func:`qnetlab.protocols.chsh_correlation` at the settings
    :data:`qnetlab.protocols.CHSH_ANGLES`; Bob's detector misses a photon with
    probability 1 − η. ``no_click="discard"`` keeps only clicks (fair sampling, as
    post-selected QKD tests do); ``"assign"`` counts a no-click as outcome +1 (no
    loophole: S = η S_q, above 2 only for η > 1/√2). With ``blinding=True`` Eve measures
    Bob's photon at a setting she guesses and forces Bob's click only when he chose the
    same setting (Gerhardt et al. 2011): post-selected, S equals the quantum value; with
    no-clicks assigned, S = S_q/2 ≤ √2.

    Parameters
    ----------
    n_pairs : int
        Pairs sent (>= 8), each with uniformly random settings for Alice and Bob.
    efficiency : float, optional
        Bob's detection efficiency η, in [0, 1] (ignored under ``blinding``: Eve decides
        the clicks).
    depolarization : float, optional
        Depolarising probability p of the pairs, in [0, 1].
    no_click : {"discard", "assign"}, optional
        Drop rounds where Bob's detector did not click (fair sampling) or count them as
        outcome +1.
    blinding : bool, optional
        Eve blinds Bob's detector and forces its clicks.
    seed : int, numpy.random.Generator or None, optional
        Randomness of settings, outcomes and clicks.

    Returns
    -------
    CHSHResult
        S with its standard error, the four correlators and the kept rounds per setting.

    Raises
    ------
    ValueError
        If ``n_pairs`` < 8, ``efficiency`` or ``depolarization`` is outside [0, 1], or
        ``no_click`` is not "discard" or "assign".
    TypeError
        If ``n_pairs`` is not an integer or ``blinding`` is not a bool.

    Examples
    --------
    >>> r = bell_test_with_detectors(40_000, blinding=True, seed=2)
    >>> bool(r.value > 2.7)
    True
    >>> r = bell_test_with_detectors(40_000, blinding=True, no_click="assign", seed=2)
    >>> bool(r.value < 1.6)
    True
    """
    n = check_integer(n_pairs, "n_pairs", minimum=8)
    eta = check_probability(efficiency, "efficiency")
    p = check_probability(depolarization, "depolarization")
    check_choice(no_click, "no_click", ("discard", "assign"))
    if not isinstance(blinding, bool | np.bool_):
        raise TypeError(f"blinding must be a bool, got {type(blinding).__name__}")
    rng = make_rng(seed)
    rho = werner_state(1.0 - p)
    a_set = rng.integers(0, 2, n)
    b_set = rng.integers(0, 2, n)
    angles_a = np.array(CHSH_ANGLES[:2])
    angles_b = np.array(CHSH_ANGLES[2:])
    corr = np.array([[chsh_correlation(rho, ta, tb) for tb in angles_b] for ta in angles_a])
    a_out = rng.choice(np.array([-1, 1]), n)
    if blinding:
        e_set = rng.integers(0, 2, n)  # Eve's guess of Bob's setting
        agree = rng.random(n) < (1.0 + corr[a_set, e_set]) / 2.0
        b_out = np.where(agree, a_out, -a_out)
        click = e_set == b_set  # threshold trick: a wrong guess makes no click
    else:
        agree = rng.random(n) < (1.0 + corr[a_set, b_set]) / 2.0
        b_out = np.where(agree, a_out, -a_out)
        click = rng.random(n) < eta
    if no_click == "assign":
        b_out = np.where(click, b_out, 1)
        keep = np.ones(n, bool)
    else:
        keep = click
    cs, vs = [], []
    for sa, sb in ((0, 0), (0, 1), (1, 0), (1, 1)):
        m = keep & (a_set == sa) & (b_set == sb)
        k = int(m.sum())
        if k < 2:
            cs.append(0.0)
            vs.append(1.0)
            continue
        prod = (a_out[m] * b_out[m]).astype(float)
        cs.append(float(prod.mean()))
        vs.append(float(prod.var(ddof=1) / k))
    value = cs[0] + cs[1] + cs[2] - cs[3]
    per_setting = int(keep.sum() // 4)
    return CHSHResult(
        value=value,
        std_error=float(np.sqrt(sum(vs))),
        correlators=(cs[0], cs[1], cs[2], cs[3]),
        shots_per_setting=max(per_setting, 1),
    )


def di_key_rate(chsh: Any, qber: Any) -> Any:
    """Device-independent key per key round against collective attacks, r = 1 − h(Q) − h(·).

    r = 1 − h(Q) − h((1 + √((S/2)² − 1))/2) for S > 2 (Acín et al. 2007, Eq. (12);
    Pironio et al. 2009); zero at S ≤ 2 or when the expression is negative.

    Parameters
    ----------
    chsh : float or array_like of float
        CHSH value S, in [0, 4] (quantum values ≤ 2√2).
    qber : float or array_like of float
        Error rate Q of the key rounds, in [0, 1/2].

    Returns
    -------
    float or numpy.ndarray
        Secret bits per key round, ≥ 0.

    Examples
    --------
    >>> round(float(di_key_rate(2 * 2**0.5, 0.0)), 6)
    1.0
    >>> float(di_key_rate(2.0, 0.0))
    0.0
    """
    s = np.asarray(chsh, dtype=float)
    q = np.asarray(qber, dtype=float)
    if np.any(~np.isfinite(s)) or np.any(s < 0) or np.any(s > 4):
        raise ValueError(f"chsh must be in [0, 4], got {chsh}")
    if np.any(~np.isfinite(q)) or np.any(q < 0) or np.any(q > 0.5):
        raise ValueError(f"qber must be in [0, 0.5], got {qber}")
    sc = np.clip(s, 2.0, 2.0 * np.sqrt(2.0))
    x = np.sqrt(np.maximum((sc / 2.0) ** 2 - 1.0, 0.0))
    r = 1.0 - binary_entropy(q) - binary_entropy((1.0 + x) / 2.0)
    out = np.where(s > 2.0, np.maximum(r, 0.0), 0.0)
    return float(out) if np.ndim(out) == 0 else out
