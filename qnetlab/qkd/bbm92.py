"""BBM92: entanglement-based QKD with a CHSH (E91) test of the source.

Alice holds one half of a Φ+ pair and sends the other to Bob through the channel
(``cirq.depolarize(p)`` on Bob's photon, optional loss, dark counts and misalignment).
In key rounds both measure Z or X at random and keep equal bases (Bennett, Brassard,
Mermin 1992). In a fraction ``chsh_fraction`` of the rounds Alice measures at 0 or π/2
and Bob at ±π/4 in the X–Z plane (:data:`qnetlab.protocols.CHSH_ANGLES`): the CHSH value S
of these rounds certifies entanglement as in Ekert's protocol (1991). Quantum mechanics
allows S up to 2√2; an intercept-resend Eve breaks the entanglement and S falls to
√2 at most, below the local bound 2, so the run aborts.

On ``backend="cirq"`` each round is the circuit H, CNOT, (Eve), depolarise, rotate,
measure, with Alice measuring her qubit; ``backend="numpy"`` uses that measuring
Alice's half of Φ+ along R with outcome a leaves Bob's half in conj(R)|a⟩.

>>> r = run_bbm92(40_000, depolarization=0.03, seed=5)
>>> r.chsh_value > 2.6, abs(r.qber - 0.02) < 0.006, r.aborted
(True, True, False)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import SeedLike, check_in_range, check_probability, make_rng
from ..channels import apply_kraus, kraus_operators
from ..protocols import CHSH_ANGLES, chsh_value
from ..states import bell_state
from ._engine import X_AXIS, Z_AXIS, mutual_information, ry_axis, simulate_rounds
from ._security import check_security
from .attacks import Attack
from .bb84 import BB84Result, _check_common, _clicks, _finish
from .link import LinkModel

__all__ = ["BBM92Result", "expected_chsh_value", "run_bbm92"]


@dataclass(frozen=True, repr=False)
class BBM92Result(BB84Result):
    """:class:`~qnetlab.qkd.bb84.BB84Result` plus the CHSH test of the source.

    Its fields are those of :class:`~qnetlab.qkd.bb84.BB84Result` followed by the
    three below (returned by :func:`run_bbm92`).

    Parameters
    ----------
    chsh_value : float
        CHSH value S measured on the test rounds.
    chsh_std_error : float
        Its standard error.
    chsh_expected : float
        The value the honest channel would give (:func:`expected_chsh_value`).

    Examples
    --------
    >>> r = run_bbm92(20_000, depolarization=0.05, seed=0)
    >>> bool(abs(r.chsh_value - r.chsh_expected) < 3 * r.chsh_std_error)
    True
    >>> round(r.chsh_expected, 4)
    2.6399
    """

    chsh_value: float = float("nan")
    chsh_std_error: float = float("nan")
    chsh_expected: float = float("nan")

    def _title(self) -> str:
        return "BBM92Result"

    def __repr__(self) -> str:
        """Short, one-line form (the CHSH value added); :meth:`summary` lists every field.

        >>> run_bbm92(20_000, depolarization=0.05, seed=0)
        BBM92Result(n_pulses=20000, sifted=..., qber=0.0..., final_length=..., chsh=2.6...)
        """
        return (
            f"BBM92Result(n_pulses={self.n_pulses}, sifted={self.sifted_length}, "
            f"qber={self.qber:.4f}, final_length={self.final_length}, "
            f"chsh={self.chsh_value:.3f})"
        )


def expected_chsh_value(depolarization: float = 0.0, misalignment: float = 0.0) -> float:
    """CHSH value at the standard angles of Φ+ after ``cirq.depolarize(p)`` on one photon.

    The pair becomes a Werner state of fidelity 1 − p, whose Horodecki maximum
    (:func:`qnetlab.protocols.chsh_value`) is 2√2 (1 − 4p/3); misalignment scales every
    correlator by 1 − 2 e_d.

    Parameters
    ----------
    depolarization : float, optional
        Probability p of ``cirq.depolarize`` on one photon.
    misalignment : float, optional
        Misalignment e_d of the measurement bases, in [0, 0.5].

    Returns
    -------
    float
        The CHSH value S.

    Examples
    --------
    >>> round(expected_chsh_value(0.0), 6)
    2.828427
    >>> round(expected_chsh_value(0.3), 6)
    1.697056
    """
    p = check_probability(depolarization, "depolarization")
    ed = check_in_range(misalignment, "misalignment", 0.0, 0.5)
    import cirq

    ks = [np.kron(np.eye(2), k) for k in kraus_operators(cirq.depolarize(p))]
    rho = apply_kraus(bell_state("phi+", density=True), ks)
    return float(chsh_value(rho) * (1.0 - 2.0 * ed))


def run_bbm92(
    n_pulses: int,
    *,
    depolarization: float = 0.0,
    eve: Attack | None = None,
    backend: str = "numpy",
    seed: SeedLike = None,
    link: LinkModel | None = None,
    chsh_fraction: float = 0.25,
    postprocess: bool = True,
    threshold: float | None = None,
    sample_fraction: float = 0.1,
    epsilon_pe: float = 1e-10,
    epsilon_pa: float = 1e-10,
    verification_bits: int = 40,
    cascade_passes: int = 4,
) -> BBM92Result:
    """Run BBM92 with a CHSH check; abort unless S exceeds 2 by three standard errors.

    Parameters
    ----------
    n_pulses : int
        Photons (or pairs) sent, at least 1.
    depolarization : float, optional
        ``cirq.depolarize(p)`` on each photon in the channel, p in [0, 1].
    eve : Attack or None, optional
        An attack (:class:`~qnetlab.qkd.attacks.InterceptResend`, ...) or None.
    backend : {"numpy", "cirq"}, optional
        Vectorised NumPy or a Cirq circuit per round.
    seed : int, Generator or None, optional
        Randomness of the run.
    link : LinkModel or None, optional
        A :class:`~qnetlab.qkd.link.LinkModel` adding loss, detector efficiency, dark
        counts, misalignment and its own depolarization.
    chsh_fraction : float, optional
        Fraction of the pairs spent on the Bell test, in (0, 1).
    postprocess : bool, optional
        Run estimation, Cascade, verification and privacy amplification.
    threshold : float or None, optional
        Abort threshold on the sampled QBER (default 11 %, Shor–Preskill).
    sample_fraction : float, optional
        Fraction of the sifted bits published for estimation, in (0, 1).
    epsilon_pe, epsilon_pa : float, optional
        Security parameters of parameter estimation and privacy amplification, in
        (0, 1), passed to :func:`~qnetlab.qkd.postprocessing.postprocess` (default 1e-10).
    verification_bits : int, optional
        Length of the verification hash, passed to ``postprocess`` (default 40).
    cascade_passes : int, optional
        Passes of Cascade, passed to ``postprocess`` (default 4).

    Returns
    -------
    BBM92Result
        Keys, QBER, CHSH value and abort decision.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> from qnetlab.qkd import InterceptResend
    >>> r = run_bbm92(20_000, eve=InterceptResend(), seed=6)
    >>> r.chsh_value < 2, r.aborted, r.key_alice.size
    (True, True, 0)
    """
    n, p = _check_common(n_pulses, depolarization, eve, backend, link)
    security = check_security(epsilon_pe, epsilon_pa, verification_bits, cascade_passes)
    frac = check_in_range(
        chsh_fraction, "chsh_fraction", 0.0, 1.0, low_inclusive=False, high_inclusive=False
    )
    rng = make_rng(seed)
    ed = 0.0 if link is None else link.misalignment
    a0, a1, b0, b1 = CHSH_ANGLES
    assert a0 == 0.0 and a1 == np.pi / 2  # Alice's CHSH settings are the key bases Z and X
    axes = [Z_AXIS, X_AXIS, ry_axis(b0), ry_axis(b1)]
    test = rng.random(n) < frac
    a_axis = rng.integers(0, 2, size=n)
    b_axis = np.where(test, 2 + rng.integers(0, 2, size=n), rng.integers(0, 2, size=n))
    out = simulate_rounds(
        axes,
        a_axis,
        b_axis,
        None,
        depolarization=p,
        misalignment=ed,
        eve=eve,
        eve_axes=[0, 1],
        public_axis=a_axis,
        entangled=True,
        backend=backend,
        rng=rng,
    )
    click, photon = _clicks(n, link, rng)
    bob = np.where(photon, out.bob_value, rng.integers(0, 2, size=n)).astype(np.int8)
    alice = out.alice_value.astype(np.int8)
    # CHSH estimate from the test rounds with a click.
    corr, var = [], []
    for sa, sb in ((0, 2), (0, 3), (1, 2), (1, 3)):
        m = test & click & (a_axis == sa) & (b_axis == sb)
        k = int(m.sum())
        if k < 2:
            corr.append(0.0)
            var.append(1.0)
            continue
        s = 1.0 - 2.0 * (alice[m] ^ bob[m])
        corr.append(float(s.mean()))
        var.append(float(s.var(ddof=1) / k))
    s_val = corr[0] + corr[1] + corr[2] - corr[3]
    s_err = float(np.sqrt(sum(var)))
    keep = (~test) & click & (a_axis == b_axis)
    ka, kb = alice[keep], bob[keep]
    eve_info = 0.0
    if eve is not None and ka.size:
        eve_info = mutual_information(
            ka, out.eve_choice[keep] * 2 + out.eve_value[keep], a_axis[keep]
        )
    res = _finish(
        "bbm92",
        backend=backend,
        n=n,
        raw=int(click.sum()),
        ka=ka,
        kb=kb,
        eve_info=eve_info,
        eve=eve,
        do_postprocess=postprocess,
        threshold=threshold,
        sample_fraction=sample_fraction,
        rng=rng,
        security=security,
    )
    fields = {f: getattr(res, f) for f in res.__dataclass_fields__}
    if postprocess and not res.aborted and not (s_val - 3.0 * s_err > 2.0):
        empty = np.zeros(0, dtype=np.int8)
        fields.update(
            aborted=True,
            abort_reason=f"CHSH value {s_val:.3f} ± {s_err:.3f} does not violate the local bound 2",
            final_length=0,
            key_alice=empty,
            key_bob=empty,
        )
    elif postprocess and res.aborted and s_val - 3.0 * s_err <= 2.0:
        fields["abort_reason"] = res.abort_reason + f"; CHSH value {s_val:.3f} ± {s_err:.3f} <= 2"
    return BBM92Result(
        **fields, chsh_value=s_val, chsh_std_error=s_err, chsh_expected=expected_chsh_value(p, ed)
    )
