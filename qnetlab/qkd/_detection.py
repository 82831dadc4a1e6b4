"""Bob's two-detector layer of BB84 and the six-state protocol, sampled click-first.

A pulse is sent in every time slot. Its photons (one, or Poisson(μ) for a weak coherent
source) survive fibre and detector with probability η each. Bob has one detector per
outcome; a photon of a pulse measured in Alice's basis reaches the *wrong* detector with
probability e (misalignment and depolarisation), in the other basis either detector with
probability ½. With a Poisson source the photon numbers at the two detectors are
independent Poisson variables (thinning), so the detectors fire independently; each also
fires on a dark count with probability p_d, where 1 − (1 − p_d)² = Y₀ is the link's
dark-count probability per pulse. A double click is *squashed* to a random bit.

Pulses on which no detector fires carry nothing but their number, so the sampler draws
the number of firing pulses first (exact binomial thinning: one multinomial draw, or
geometric gaps between firing slots when the detectors have a memory) and draws bits,
bases and outcomes only for them.

Detector memory, per detector:

- dead time: after a click the detector is blind for ``dead_slots`` further slots
  (non-paralysable: a photon arriving while it is dead is lost and does not extend it);
- afterpulsing: with probability ``afterpulse_prob`` a click is followed by a spurious
  click of the same detector in the first slot after its dead time (first order: an
  afterpulse does not trigger another one).

The registered clicks of one detector follow from its candidate clicks by a greedy scan
(each candidate is registered when the detector is live); the scan is evaluated for all
candidates at once by pointer doubling (O(m log m) for m candidates).
"""

from __future__ import annotations

import math

import numpy as np

__all__: list[str] = []


def dead_slots(dead_time_s: float, repetition_rate_hz: float | None) -> int:
    """Slots after a click that fall inside the dead time [0, τ): ⌈τ f⌉ − 1 (>= 0)."""
    if dead_time_s <= 0 or repetition_rate_hz is None:
        return 0
    x = dead_time_s * repetition_rate_hz
    return max(math.ceil(x - 1e-9) - 1, 0)


def fire_probabilities(eta: float, mu: float | None, p_dark: float, error: float) -> np.ndarray:
    """P(neither, right only, wrong only, both) of one pulse; ``error`` = P(wrong detector)."""
    keep = (1.0 - p_dark) ** 2
    if mu is None:  # one photon: it reaches the right, the wrong or no detector
        ph_r, ph_w = eta * (1.0 - error), eta * error
        none = (1.0 - eta) * keep
        r_only = ph_r * (1.0 - p_dark) + (1.0 - eta) * p_dark * (1.0 - p_dark)
        w_only = ph_w * (1.0 - p_dark) + (1.0 - eta) * p_dark * (1.0 - p_dark)
        both = 1.0 - none - r_only - w_only
        out = np.array([none, r_only, w_only, both])
    else:  # Poisson photon numbers at the two detectors are independent
        f_r = 1.0 - (1.0 - p_dark) * math.exp(-eta * mu * (1.0 - error))
        f_w = 1.0 - (1.0 - p_dark) * math.exp(-eta * mu * error)
        out = np.array([(1 - f_r) * (1 - f_w), f_r * (1 - f_w), f_w * (1 - f_r), f_r * f_w])
    out = np.clip(out, 0.0, None)
    return out / out.sum()


def _geometric_positions(n: int, p: float, rng: np.random.Generator) -> np.ndarray:
    """Sorted slots < n of an i.i.d. Bernoulli(p) process, from geometric gaps."""
    if p <= 0 or n == 0:
        return np.zeros(0, dtype=np.int64)
    if p >= 1:
        return np.arange(n, dtype=np.int64)
    # Geometric(p) gaps as ⌊E / λ⌋ + 1 with E ~ Exp(1), λ = −ln(1 − p) (exact, and
    # the ziggurat exponential is faster than NumPy's geometric sampler).
    scale = 1.0 / -math.log1p(-p)
    chunks, last = [], -1
    while True:
        size = int(n * p + 6 * math.sqrt(n * p) + 16)
        e = rng.standard_exponential(size)
        e *= scale
        gaps = e.astype(np.int64)
        gaps += 1
        pos = np.cumsum(gaps, out=gaps)
        pos += last
        if pos[-1] >= n:
            chunks.append(pos[: np.searchsorted(pos, n)])
            break
        chunks.append(pos)
        last = int(pos[-1])
    return chunks[0] if len(chunks) == 1 else np.concatenate(chunks)


def registered(pos: np.ndarray, coin: np.ndarray, d: int) -> tuple[np.ndarray, np.ndarray]:
    """Greedy dead-time scan of one detector's candidate clicks (sorted slots ``pos``).

    Returns (registered mask over ``pos``, slots of the registered afterpulses). A
    registered candidate with ``coin`` True is followed by an afterpulse d + 1 slots later.
    """
    m = pos.size
    if m == 0:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=np.int64)
    if d == 0 and not coin.any():
        return np.ones(m, dtype=bool), np.zeros(0, dtype=np.int64)
    # Only candidates within 2d + 1 slots of a neighbour can be blocked: scan those.
    close = np.diff(pos) <= 2 * d + 1
    busy = np.zeros(m, dtype=bool)
    busy[1:] |= close
    busy[:-1] |= close
    reg = np.ones(m, dtype=bool)
    ap_reg = coin.copy()
    if busy.any():
        reg[busy], ap_reg[busy] = _scan(pos[busy], coin[busy], d)
    return reg, pos[ap_reg] + d + 1


def _scan(pos: np.ndarray, coin: np.ndarray, d: int) -> tuple[np.ndarray, np.ndarray]:
    """Registered candidates and registered afterpulses, by pointer doubling."""
    m = pos.size
    sentinel = 2 * m
    nxt = np.searchsorted(pos, pos + d, side="right")
    after_ap = np.searchsorted(pos, pos + 2 * d + 1, side="right")
    nxt = np.where(nxt >= m, sentinel, nxt)
    after_ap = np.where(after_ap >= m, sentinel, after_ap)
    g = np.empty(2 * m + 1, dtype=np.int64)
    g[:m] = np.where(coin, np.arange(m, 2 * m), nxt)
    g[m : 2 * m] = after_ap
    g[sentinel] = sentinel
    reach = np.zeros(2 * m + 1, dtype=bool)
    # A candidate more than 2d + 1 slots after the previous one finds the detector live.
    reach[0] = True
    reach[1:m] = np.diff(pos) > 2 * d + 1
    # Invariant: reach holds f^j(head) for j < 2^r, where g = f^(2^r).
    while True:
        tgt = g[np.flatnonzero(reach)]
        tgt = tgt[tgt != sentinel]
        if tgt.size == 0:
            break
        reach[tgt] = True
        g = g[g]
    return reach[:m], reach[m : 2 * m]


def sample_sifted(
    n: int,
    *,
    n_bases: int,
    eta: float,
    mu: float | None,
    dark_prob: float,
    error: float,
    dead: int,
    afterpulse_prob: float,
    rng: np.random.Generator,
) -> tuple[int, int, np.ndarray, np.ndarray]:
    """(clicking pulses, double clicks, Alice's sifted key, Bob's sifted key) of n pulses."""
    p_dark = 1.0 - math.sqrt(max(1.0 - dark_prob, 0.0))
    f_same = fire_probabilities(eta, mu, p_dark, error)
    f_other = fire_probabilities(eta, mu, p_dark, 0.5)
    q = 1.0 / n_bases
    if dead == 0 and afterpulse_prob == 0:
        p_sift = q * (1.0 - f_same[0])
        p_other = (1 - q) * (1.0 - f_other[0])
        p_other_double = (1 - q) * f_other[3]
        probs = np.array([p_sift, p_other - p_other_double, p_other_double, 0.0])
        probs[3] = max(1.0 - probs.sum(), 0.0)
        counts = rng.multinomial(n, probs / probs.sum())
        m = int(counts[0])
        # each sifted click: right, wrong or double (squashed: wrong in its upper half)
        c = np.cumsum(f_same[1:]) / (1.0 - f_same[0])
        u = rng.random(m)
        wrong = ((u >= c[0]) & (u < c[1])) | (u >= 0.5 * (c[1] + 1.0))
        doubles = int(counts[2]) + int(np.sum(u >= c[1]))
        ka = rng.integers(0, 2, size=m, dtype=np.int8)
        return int(counts[:3].sum()), doubles, ka, ka ^ wrong.astype(np.int8)
    p_any = q * (1 - f_same[0]) + (1 - q) * (1 - f_other[0])
    pos = _geometric_positions(n, p_any, rng)
    m = pos.size
    # Code of a candidate slot: 2 kind + Alice's bit, kind 0-2 sifted (the right
    # detector, the wrong one, both fire), 3-5 not sifted (same, the "right" one being
    # the detector of Alice's bit). One uniform draws both.
    w = np.repeat(np.concatenate([q * f_same[1:], (1 - q) * f_other[1:]]), 2)
    cdf = np.cumsum(w / w.sum())[:-1]
    code = np.searchsorted(cdf, rng.random(m), side="right").astype(np.int8)
    kind3, bit = np.arange(12) // 2 % 3, np.arange(12) % 2
    right, wrong = kind3 != 1, kind3 != 0
    fire0 = (right & (bit == 0)) | (wrong & (bit == 1))
    fires = (fire0[code], (~fire0 | (kind3 == 2))[code])
    value = (code & 1).astype(np.int8)
    kind = code // 2
    reg = np.zeros((2, m), dtype=bool)
    extra_slots, extra_det = [], []  # afterpulses in slots where no detector would fire
    for j in (0, 1):
        idx = np.flatnonzero(fires[j])
        coin = rng.random(idx.size) < afterpulse_prob
        r, ap = registered(pos[idx], coin, dead)
        reg[j, idx[r]] = True
        ap = ap[ap < n]
        k = np.searchsorted(pos, ap)
        hit = k < m
        hit[hit] = pos[k[hit]] == ap[hit]
        reg[j, k[hit]] = True
        extra_slots.append(ap[~hit])
        extra_det.append(np.full(int((~hit).sum()), j, dtype=np.int8))
    both = reg[0] & reg[1]
    sift = (kind < 3) & (reg[0] | reg[1])
    bob = np.where(both, rng.integers(0, 2, size=m, dtype=np.int8), reg[1].astype(np.int8))
    ka, kb = value[sift], bob[sift]
    raw, doubles = int(np.sum(reg[0] | reg[1])), int(both.sum())
    es = np.concatenate(extra_slots)
    if es.size:  # fresh pulses: Bob's bit is the afterpulsing detector's
        slots, first, count = np.unique(es, return_index=True, return_counts=True)
        e_both = count == 2
        det = np.concatenate(extra_det)[first]
        e_bob = np.where(e_both, rng.integers(0, 2, size=slots.size), det).astype(np.int8)
        e_sift = rng.random(slots.size) < q
        e_alice = rng.integers(0, 2, size=slots.size, dtype=np.int8)
        at = np.searchsorted(pos[sift], slots[e_sift])  # keep the key in time order
        ka = np.insert(ka, at, e_alice[e_sift])
        kb = np.insert(kb, at, e_bob[e_sift])
        raw += int(slots.size)
        doubles += int(e_both.sum())
    return raw, doubles, ka, kb
