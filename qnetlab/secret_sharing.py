"""Quantum secret sharing on GHZ states (Hillery, Bužek & Berthiaume 1999), in Cirq.

A dealer prepares the n-qubit GHZ state (|0…0⟩ + |1…1⟩)/√2, keeps one qubit and sends one to
each of the n − 1 players over fibre. Every party measures its qubit in X or Y at random and
announces the basis (not the outcome). With k the number of Y measurements,

⟨X^{⊗(n−k)} Y^{⊗k}⟩_GHZ = cos(kπ/2),

so the rounds with an even k are *valid*: the dealer's bit equals the XOR of all the players'
bits, flipped when k ≡ 2 (mod 4) (a public correction). Half the rounds are valid. Any proper
subset of the players sees uniformly random bits independent of the dealer's: the secret
(the dealer's key) is recovered only by all players together.

Noise and attacks show in the error rate of the valid rounds:

- depolarisation p on each of the n − 1 sent qubits shrinks the correlator by (1 − 4p/3)
  per qubit: e = [1 − (1 − 4p/3)^{n−1}]/2;
- an eavesdropper who intercepts a fraction f of one player's qubits, measures each in X or
  Y and resends the eigenstate, destroys the correlation whenever she guessed the wrong
  basis: e = f/4;
- a cheating player who does the same to every other player's qubit (to learn the secret
  alone) raises it to e = (1 − 2^{−m})/2 for m intercepted qubits, and guesses the secret
  with probability 1/2 + 2^{−m−1}.

The parties publish a random sample of the valid rounds, estimate the error rate and abort
(no key, no shares) above ``threshold``. Over lossy links a round counts only when all n − 1
photons arrive: the key per distributed GHZ state is

R = ½ · ∏ᵢ ηᵢ · [1 − 2h(e)]

(Shor–Preskill's fraction, as for BB84). :func:`xor_sharing_rate` is the classical
baseline at equal channel use: pairwise BB84 between the dealer and each player, and an XOR
split of the secret sent under one-time pads, limited by the slowest link.

>>> r = run_hbb(2_000, n_parties=3, seed=1)
>>> r.aborted, r.error_rate, bool(np.array_equal(r.recover(), r.dealer_key))
(False, 0.0, True)
>>> round(hbb_error_rate(3, intercept_fraction=1.0), 3)
0.25
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from ._validation import (
    SeedLike,
    check_array,
    check_choice,
    check_integer,
    check_non_negative,
    check_probability,
    check_size,
    make_rng,
    summary_block,
)
from .channels import fiber_transmissivity
from .qkd.theory import shor_preskill_rate
from .results import ResultMixin, deprecated_alias

__all__ = [
    "SecretSharingResult",
    "ghz_correlator",
    "hbb_circuit",
    "hbb_error_rate",
    "hbb_key_rate",
    "run_hbb",
    "xor_sharing_rate",
]

_BASES = ("X", "Y")


def _check_parties(n_parties: Any) -> int:
    return check_integer(n_parties, "n_parties", minimum=3, maximum=8)


def ghz_correlator(bases: Sequence[str]) -> int:
    """The GHZ expectation value of a product of X and Y measurements, cos(kπ/2).

    Parameters
    ----------
    bases : sequence of str
        One of ``"X"``, ``"Y"`` per qubit (at least two).

    Returns
    -------
    int
        +1 or −1 for an even number k of Y's (k ≡ 0 or 2 mod 4), 0 for an odd k.

    Raises
    ------
    ValueError
        If a basis is not ``"X"`` or ``"Y"`` or fewer than two are given.

    Examples
    --------
    >>> ghz_correlator("XXX"), ghz_correlator("XYY"), ghz_correlator("XXY")
    (1, -1, 0)
    """
    bases = list(bases)
    if len(bases) < 2:
        raise ValueError(f"bases must name at least two qubits, got {len(bases)}")
    for b in bases:
        check_choice(b, "bases", _BASES)
    k = bases.count("Y")
    return (1, 0, -1, 0)[k % 4]


def hbb_circuit(
    bases: Sequence[str],
    *,
    depolarization: float = 0.0,
    intercepted: Sequence[int] = (),
    eve_bases: Sequence[str] = (),
) -> Any:
    """One HBB round as a Cirq circuit: GHZ preparation, channels, attack, measurements.

    Qubit 0 is the dealer's; qubits 1…n−1 travel to the players through
    ``cirq.depolarize(depolarization)``. An intercept-resend measurement of qubit ``t`` in
    Eve's basis is written with the deferred-measurement principle: the qubit is rotated to
    her basis, copied by a CNOT onto an ancilla (her record, measured under key ``"eve"``) and
    rotated back, which leaves it in the eigenstate she found, exactly what she resends.
    Each party's qubit is then rotated to its basis (X: H; Y: S† then H) and measured under
    key ``"m"``.

    Parameters
    ----------
    bases : sequence of str
        ``"X"`` or ``"Y"`` for every party, dealer first (n >= 3).
    depolarization : float
        Depolarising probability on each sent qubit, in [0, 1].
    intercepted : sequence of int
        Player qubits (1…n−1) that are measured and resent in transit.
    eve_bases : sequence of str
        The interceptor's basis for each qubit of ``intercepted``.

    Returns
    -------
    cirq.Circuit
        The round's circuit.

    Raises
    ------
    ValueError
        On fewer than three parties, an unknown basis, a qubit index out of range or a
        length mismatch between ``intercepted`` and ``eve_bases``.

    Examples
    --------
    >>> c = hbb_circuit("XXY", intercepted=[2], eve_bases="Y")
    >>> len(c.all_qubits()), sorted(c.all_measurement_key_names())
    (4, ['eve', 'm'])
    """
    import cirq

    bases = list(bases)
    if not 3 <= len(bases) <= 8:
        raise ValueError(f"bases must give one basis per party (3 to 8), got {len(bases)}")
    n = _check_parties(len(bases))
    for b in bases:
        check_choice(b, "bases", _BASES)
    p = check_probability(depolarization, "depolarization")
    intercepted = [check_integer(t, "intercepted", minimum=1, maximum=n - 1) for t in intercepted]
    eve_bases = list(eve_bases)
    if len(eve_bases) != len(intercepted):
        raise ValueError(
            f"eve_bases must give one basis per intercepted qubit ({len(intercepted)}), "
            f"got {len(eve_bases)}"
        )
    for b in eve_bases:
        check_choice(b, "eve_bases", _BASES)
    if len(set(intercepted)) != len(intercepted):
        raise ValueError(f"intercepted must not repeat a qubit, got {intercepted}")
    q = cirq.LineQubit.range(n)
    anc = cirq.LineQubit.range(n, n + len(intercepted))
    ops: list[Any] = [cirq.H(q[0])] + [cirq.CNOT(q[0], q[i]) for i in range(1, n)]
    if p > 0:
        ops += [cirq.depolarize(p).on(q[i]) for i in range(1, n)]

    def to_basis(qubit: Any, basis: str) -> list[Any]:
        return [cirq.H(qubit)] if basis == "X" else [cirq.S(qubit) ** -1, cirq.H(qubit)]

    def from_basis(qubit: Any, basis: str) -> list[Any]:
        return [cirq.H(qubit)] if basis == "X" else [cirq.H(qubit), cirq.S(qubit)]

    for t, b, a in zip(intercepted, eve_bases, anc, strict=True):
        ops += [*to_basis(q[t], b), cirq.CNOT(q[t], a), *from_basis(q[t], b)]
    for qubit, b in zip(q, bases, strict=True):
        ops += to_basis(qubit, b)
    ops.append(cirq.measure(*q, key="m"))
    if intercepted:
        ops.append(cirq.measure(*anc, key="eve"))
    return cirq.Circuit(ops)


def hbb_error_rate(
    n_parties: int,
    *,
    depolarization: float = 0.0,
    intercept_fraction: float = 0.0,
    cheater: bool = False,
) -> float:
    """Expected error rate of the valid HBB rounds (dealer's bit vs the players' XOR).

    Correlator C = (1 − 4p/3)^{n−1} · (1 − f/2) for an eavesdropper on a fraction f of one
    player's qubits, or · 2^{−(n−2)} for a cheating player intercepting all n − 2 other
    players' qubits; e = (1 − C)/2.

    Parameters
    ----------
    n_parties : int
        Dealer plus players, 3 to 8.
    depolarization : float
        Depolarising probability per sent qubit, in [0, 1].
    intercept_fraction : float
        Fraction of one player's qubits an outsider intercepts and resends, in [0, 1].
    cheater : bool
        A player intercepts every other player's qubit (excludes ``intercept_fraction``).

    Returns
    -------
    float
        The error rate e in [0, 1/2].

    Raises
    ------
    ValueError
        On an argument out of range, or both an eavesdropper and a cheater.

    Examples
    --------
    >>> round(hbb_error_rate(3, depolarization=0.03), 4)
    0.0392
    >>> hbb_error_rate(3, cheater=True)
    0.25
    """
    n = _check_parties(n_parties)
    p = check_probability(depolarization, "depolarization")
    f = check_probability(intercept_fraction, "intercept_fraction")
    if cheater and f > 0:
        raise ValueError("choose an outside eavesdropper (intercept_fraction) or a cheater")
    c = (1.0 - 4.0 * p / 3.0) ** (n - 1)
    c *= 2.0 ** (-(n - 2)) if cheater else 1.0 - f / 2.0
    return float((1.0 - c) / 2.0)


@dataclass(frozen=True)
class SecretSharingResult(ResultMixin):
    """Outcome of :func:`run_hbb`.

    Parameters
    ----------
    n_parties, n_rounds : int
        Parties (dealer first) and GHZ states distributed.
    detected : int
        Rounds in which every player's photon arrived.
    valid : int
        Detected rounds with an even number of Y measurements.
    error_rate : float
        Error rate over all valid rounds (the simulator's ground truth).
    error_estimate : float
        Error rate on the published sample.
    sample_length : int
        Valid rounds published for the estimate.
    dealer_key : numpy.ndarray
        The dealer's secret bits (empty after an abort).
    player_bits : tuple of numpy.ndarray
        Each player's share, aligned with ``dealer_key`` (empty after an abort).
    flips : numpy.ndarray
        The public correction, 1 where k ≡ 2 (mod 4).
    aborted : bool
        Whether the sampled error rate exceeded the threshold.
    cheater_guess : float
        Fraction of the key a cheating player guesses alone (nan without a cheater).

    Examples
    --------
    >>> r = run_hbb(2_000, n_parties=3, seed=1)
    >>> r.valid <= r.detected <= r.n_rounds, r.aborted, r.error_rate
    (True, False, 0.0)
    """

    n_parties: int
    n_rounds: int
    detected: int
    valid: int
    error_rate: float
    error_estimate: float
    sample_length: int
    dealer_key: np.ndarray = field(repr=False)
    player_bits: tuple[np.ndarray, ...] = field(repr=False)
    flips: np.ndarray = field(repr=False)
    aborted: bool
    cheater_guess: float = float("nan")

    def __repr__(self) -> str:
        """Short, one-line form; :meth:`summary` lists every field but the bits.

        >>> run_hbb(4_000, seed=0)
        SecretSharingResult(n_parties=3, valid=..., error_rate=..., aborted=False)
        """
        return (
            f"SecretSharingResult(n_parties={self.n_parties}, valid={self.valid}, "
            f"error_rate={self.error_rate:.4f}, aborted={self.aborted})"
        )

    def summary(self) -> str:
        """Every field but the key, bit and flip arrays, one per line.

        Returns
        -------
        str
            A title line, then ``name  value`` lines.

        Examples
        --------
        >>> print(run_hbb(4_000, seed=0).summary())
        SecretSharingResult
          n_parties       3
          n_rounds        4000
        ...
          aborted         False
          cheater_guess   nan
        """
        skip = ("dealer_key", "player_bits", "flips")
        rows = [(f.name, getattr(self, f.name)) for f in fields(self) if f.name not in skip]
        return summary_block("SecretSharingResult", rows)

    def recover(self, players: Sequence[int] | None = None) -> np.ndarray:
        """The secret as reconstructed by ``players`` with the public flips.

        Parameters
        ----------
        players : sequence of int or None
            Player indices 1…n−1 (default: all). A proper subset gets bits uncorrelated
            with the dealer's key.

        Returns
        -------
        numpy.ndarray
            XOR of the chosen players' bits and the flips.

        Raises
        ------
        ValueError
            On a player index out of range.

        Examples
        --------
        >>> r = run_hbb(400, seed=5)
        >>> bool(np.array_equal(r.recover([1, 2]), r.dealer_key))
        True
        """
        n = self.n_parties
        idx = list(range(1, n)) if players is None else list(players)
        for i in idx:
            check_integer(i, "players", minimum=1, maximum=n - 1)
        out = self.flips.copy()
        for i in idx:
            out ^= self.player_bits[i - 1]
        return out

    @property
    def key_length(self) -> int:
        """Length of the shared secret (0 after an abort)."""
        return int(self.dealer_key.size)

    @property
    def secret_bits_per_state(self) -> float:
        """Asymptotic secret bits per distributed GHZ state, ½·(detected/rounds)·[1 − 2h(e)]."""
        if self.aborted or self.valid == 0:
            return 0.0
        return float(self.valid / self.n_rounds * shor_preskill_rate(self.error_estimate))

    secret_fraction = deprecated_alias("secret_bits_per_state", "secret bits per GHZ state")

    def error_std(self) -> float:
        """Binomial standard error of :attr:`error_rate`."""
        n = max(self.valid, 1)
        return float(np.sqrt(max(self.error_rate * (1 - self.error_rate), 1.0 / n) / n))


def _sample_configs(
    n: int, counts: dict[tuple[str, ...], int], p: float, intercepted: list[int], rng: Any
) -> dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]]:
    import cirq

    out = {}
    m = len(intercepted)
    noisy = p > 0
    for cfg, reps in counts.items():
        if reps == 0:
            continue
        circuit = hbb_circuit(
            cfg[:n], depolarization=p, intercepted=intercepted, eve_bases=cfg[n : n + m]
        )
        seed = int(rng.integers(2**31 - 1))
        sim = cirq.DensityMatrixSimulator(seed=seed) if noisy else cirq.Simulator(seed=seed)
        res = sim.run(circuit, repetitions=reps)
        eve = res.measurements["eve"] if m else np.zeros((reps, 0), dtype=np.int8)
        out[cfg] = (res.measurements["m"].astype(np.int8), eve.astype(np.int8))
    return out


def run_hbb(
    n_rounds: int,
    *,
    n_parties: int = 3,
    depolarization: float = 0.0,
    intercept_fraction: float = 0.0,
    eve_target: int = 1,
    cheater: int | None = None,
    lengths_km: Sequence[float] | None = None,
    attenuation_db_per_km: float = 0.2,
    detector_efficiency: float = 1.0,
    sample_fraction: float = 0.2,
    threshold: float = 0.11,
    seed: SeedLike = None,
) -> SecretSharingResult:
    """Run the HBB secret-sharing protocol for ``n_rounds`` GHZ states, on Cirq.

    Rounds are grouped by their basis choices (and the interceptor's), and each group runs
    as one Cirq circuit (:func:`hbb_circuit`) with as many repetitions as it has rounds: the
    state-vector simulator without noise, the density-matrix simulator with it.

    Parameters
    ----------
    n_rounds : int
        GHZ states the dealer distributes (>= 1).
    n_parties : int
        Dealer plus players, 3 to 8.
    depolarization : float
        ``cirq.depolarize`` probability on each sent qubit.
    intercept_fraction : float
        Fraction of the rounds in which an outside eavesdropper intercepts and resends the
        qubit of player ``eve_target``.
    eve_target : int
        The player (1…n−1) the eavesdropper attacks.
    cheater : int or None
        A player (1…n−1) who intercepts and resends every other player's qubit in every
        round; the result reports how much of the key it guesses alone.
    lengths_km : sequence of float or None
        Fibre length to each player (n − 1 values); a round counts only if all photons
        arrive (transmissivity ``channels.fiber_transmissivity`` times
        ``detector_efficiency``). None: lossless.
    attenuation_db_per_km, detector_efficiency : float
        Fibre loss and detector efficiency.
    sample_fraction : float
        Fraction of the valid rounds published to estimate the error rate, in (0, 1).
    threshold : float
        Abort when the sampled error rate exceeds it (default 11 %).
    seed : int, Generator or None
        Randomness for bases, loss, sampling and the simulator.

    Returns
    -------
    SecretSharingResult
        Keys and shares (empty after an abort) and the error statistics.

    Raises
    ------
    ValueError, TypeError
        On any argument out of range or of the wrong type.

    Examples
    --------
    >>> r = run_hbb(4_000, n_parties=3, intercept_fraction=1.0, seed=3)
    >>> abs(r.error_rate - 0.25) < 0.04, r.aborted, r.key_length, len(r.player_bits[0])
    (True, True, 0, 0)
    """
    n_rounds = check_size(n_rounds, "n_rounds", minimum=1, maximum=10**7)
    n = _check_parties(n_parties)
    p = check_probability(depolarization, "depolarization")
    f = check_probability(intercept_fraction, "intercept_fraction")
    eve_target = check_integer(eve_target, "eve_target", minimum=1, maximum=n - 1)
    if cheater is not None:
        cheater = check_integer(cheater, "cheater", minimum=1, maximum=n - 1)
        if f > 0:
            raise ValueError("choose an outside eavesdropper (intercept_fraction) or a cheater")
    sf = check_probability(sample_fraction, "sample_fraction")
    if not 0 < sf < 1:
        raise ValueError(f"sample_fraction must be in (0, 1), got {sample_fraction}")
    thr = check_probability(threshold, "threshold")
    eta_det = check_probability(detector_efficiency, "detector_efficiency")
    alpha = check_non_negative(attenuation_db_per_km, "attenuation_db_per_km")
    if lengths_km is None:
        etas = np.ones(n - 1)
    else:
        lengths = [check_non_negative(x, "lengths_km") for x in lengths_km]
        if len(lengths) != n - 1:
            raise ValueError(f"lengths_km must give n_parties - 1 = {n - 1} lengths")
        etas = np.asarray(fiber_transmissivity(np.array(lengths), alpha)) * eta_det
    rng = make_rng(seed)

    if cheater is not None:
        intercepted = [i for i in range(1, n) if i != cheater]
    else:
        intercepted = [eve_target]
    m = len(intercepted)
    arrived = np.all(rng.random((n_rounds, n - 1)) < etas, axis=1)
    nd = int(arrived.sum())
    bases = rng.integers(0, 2, size=(nd, n))
    eve_b = rng.integers(0, 2, size=(nd, m))
    attacked = np.ones(nd, bool) if cheater is not None else rng.random(nd) < f
    if not attacked.any():
        intercepted, m, eve_b = [], 0, eve_b[:, :0]
    codes = np.concatenate([bases, np.where(attacked[:, None], eve_b, 2)], axis=1)
    # group rounds: one circuit per (bases, eve bases or "not attacked")
    keys, inverse = np.unique(codes, axis=0, return_inverse=True)
    inverse = np.asarray(inverse).reshape(-1)
    meas = np.zeros((nd, n), dtype=np.int8)
    eve_rec = np.zeros((nd, m), dtype=np.int8)
    for g, key in enumerate(keys):
        rows = np.flatnonzero(inverse == g)
        cfg_bases = tuple(_BASES[b] for b in key[:n])
        hit = key[n:] != 2
        targets = [t for t, h in zip(intercepted, hit, strict=True) if h]
        eb = tuple(_BASES[b] for b, h in zip(key[n:], hit, strict=True) if h)
        sampled = _sample_configs(n, {cfg_bases + eb: rows.size}, p, targets, rng)
        mm, ee = sampled[cfg_bases + eb]
        meas[rows] = mm
        if targets:
            cols = [intercepted.index(t) for t in targets]
            eve_rec[np.ix_(rows, cols)] = ee
    k = bases.sum(axis=1)
    valid = k % 2 == 0
    nv = int(valid.sum())
    flips = ((k[valid] % 4) == 2).astype(np.int8)
    dealer = meas[valid, 0]
    players = meas[valid, 1:]
    err = dealer ^ (np.bitwise_xor.reduce(players, axis=1) if nv else 0) ^ flips
    error_rate = float(err.mean()) if nv else 0.0
    guess = float("nan")
    if cheater is not None and nv:
        # the cheater XORs its own bit with what it intercepted; where its basis guess
        # missed a player's announced basis that bit is a coin toss, so it guesses at random
        eb_v, b_v, rec_v = eve_b[valid], bases[valid], eve_rec[valid]
        cols = intercepted
        match = np.all(eb_v == b_v[:, cols], axis=1)
        est = players[:, cheater - 1] ^ np.bitwise_xor.reduce(rec_v, axis=1) ^ flips
        est = np.where(match, est, rng.integers(0, 2, nv))
        guess = float(np.mean(est == dealer))
    sample = rng.random(nv) < sf
    ns = int(sample.sum())
    estimate = float(err[sample].mean()) if ns else 1.0
    aborted = nv == 0 or ns == 0 or estimate > thr
    keep = ~sample
    empty = np.zeros(0, dtype=np.int8)
    if aborted:
        dealer_key, shares, flips_out = empty, tuple(empty for _ in range(n - 1)), empty
    else:
        dealer_key = dealer[keep]
        shares = tuple(players[keep, i] for i in range(n - 1))
        flips_out = flips[keep]
    return SecretSharingResult(
        n_parties=n,
        n_rounds=n_rounds,
        detected=nd,
        valid=nv,
        error_rate=error_rate,
        error_estimate=estimate,
        sample_length=ns,
        dealer_key=dealer_key,
        player_bits=shares,
        flips=flips_out,
        aborted=bool(aborted),
        cheater_guess=guess,
    )


def _etas(lengths_km: Any, attenuation_db_per_km: float, detector_efficiency: float) -> Any:
    lengths = check_array(lengths_km, "lengths_km", ndim=1, low=0.0)
    if lengths.size < 2:
        raise ValueError("lengths_km must give at least two link lengths (n_parties >= 3)")
    alpha = check_non_negative(attenuation_db_per_km, "attenuation_db_per_km")
    eta_det = check_probability(detector_efficiency, "detector_efficiency")
    return np.asarray(fiber_transmissivity(lengths, alpha)) * eta_det


def hbb_key_rate(
    lengths_km: Sequence[float],
    *,
    depolarization: float = 0.0,
    attenuation_db_per_km: float = 0.2,
    detector_efficiency: float = 1.0,
) -> float:
    """Asymptotic HBB key per distributed GHZ state: ½ ∏ηᵢ [1 − 2h(e)].

    Parameters
    ----------
    lengths_km : sequence of float
        Fibre length from the dealer to each player (n − 1 >= 2 values).
    depolarization : float
        Depolarising probability per sent qubit (sets e by :func:`hbb_error_rate`).
    attenuation_db_per_km, detector_efficiency : float
        Fibre loss and detector efficiency.

    Returns
    -------
    float
        Secret bits per GHZ state, 0 when e exceeds 11 %.

    Raises
    ------
    ValueError
        On a negative length or an argument out of range.

    Examples
    --------
    >>> hbb_key_rate([0, 0])
    0.5
    >>> round(hbb_key_rate([50, 50]), 4)
    0.005
    """
    etas = _etas(lengths_km, attenuation_db_per_km, detector_efficiency)
    e = hbb_error_rate(etas.size + 1, depolarization=depolarization)
    return float(0.5 * np.prod(etas) * shor_preskill_rate(e))


def xor_sharing_rate(
    lengths_km: Sequence[float],
    *,
    depolarization: float = 0.0,
    attenuation_db_per_km: float = 0.2,
    detector_efficiency: float = 1.0,
) -> float:
    """Classical baseline: shared secret bits per channel use from pairwise BB84 keys.

    The dealer runs single-photon BB84 with each player over the same links (one photon per
    link per channel use, QBER 2p/3 per link) and splits each secret bit into n − 1 random
    shares whose XOR is the secret, each sent under a one-time pad: one key bit per player
    per secret bit, so the slowest link sets the rate ½ minᵢ ηᵢ [1 − 2h(2p/3)].

    Parameters
    ----------
    lengths_km : sequence of float
        Fibre length from the dealer to each player (n − 1 >= 2 values).
    depolarization : float
        Depolarising probability per photon.
    attenuation_db_per_km, detector_efficiency : float
        Fibre loss and detector efficiency.

    Returns
    -------
    float
        Secret bits per channel use.

    Raises
    ------
    ValueError
        On a negative length or an argument out of range.

    Examples
    --------
    >>> round(xor_sharing_rate([50, 50]), 4)
    0.05
    """
    etas = _etas(lengths_km, attenuation_db_per_km, detector_efficiency)
    p = check_probability(depolarization, "depolarization")
    return float(0.5 * np.min(etas) * shor_preskill_rate(2.0 * p / 3.0))
