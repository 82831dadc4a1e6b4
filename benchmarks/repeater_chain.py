"""Benchmark: delivered pairs simulated per second, vectorised chain vs event-by-event reference.

Both simulators run the same nested swap-asap protocol (qnetlab.repeaters.simulate_chain):
double-click links over 20 km segments, swap probability 1/2 (linear-optics Bell
measurement), depolarising memories with a 0.1 s pair coherence time, classical messages.
For 2, 4 and 8 segments the script times each path REPEATS times, interleaved (vectorised,
reference, vectorised, ...) so that a change of machine load hits both, takes the median
rate of each, checks that their mean waiting time and fidelity agree (z-scores over the
pooled repeats), and prints one JSON object as the last line, with the speed-up at each
size and ``goal_met``: issue 18's goal of a speed-up of at least 100 at 8 segments.

Run: python benchmarks/repeater_chain.py
"""

from __future__ import annotations

import json
import math
import time

import numpy as np

from qnetlab.repeaters import double_click_link, simulate_chain

SEED = 2026
SEGMENT_KM = 20.0
OPTIONS = dict(swap_probability=0.5, coherence_time_s=0.1, classical_communication=True)
N_VECTORISED = {2: 200_000, 4: 50_000, 8: 10_000}
N_REFERENCE = {2: 4_000, 4: 1_000, 8: 200}
REPEATS = 3
GOAL_SEGMENTS, GOAL_SPEED_UP = 8, 100.0


def _z(a: np.ndarray, b: np.ndarray) -> float:
    se = math.hypot(a.std(ddof=1) / math.sqrt(a.size), b.std(ddof=1) / math.sqrt(b.size))
    return float(abs(a.mean() - b.mean()) / se)


def _timed(n_segments: int, n_samples: int, method: str, seed: int):
    link = double_click_link(SEGMENT_KM)
    start = time.perf_counter()
    res = simulate_chain(n_segments, link, n_samples=n_samples, method=method, seed=seed, **OPTIONS)
    return res, time.perf_counter() - start


def main() -> None:
    out: dict[str, float | bool] = {}
    # Warm-up (imports, first NumPy calls) outside the timings.
    simulate_chain(2, double_click_link(SEGMENT_KM), n_samples=100, seed=0, **OPTIONS)
    for n in (2, 4, 8):
        vec_rates, ref_rates, vecs, refs = [], [], [], []
        for r in range(REPEATS):
            vec, t_vec = _timed(n, N_VECTORISED[n], "vectorised", SEED + n + 1000 * r)
            ref, t_ref = _timed(n, N_REFERENCE[n], "reference", SEED + 100 + n + 1000 * r)
            vec_rates.append(vec.waiting_time.size / t_vec)
            ref_rates.append(ref.waiting_time.size / t_ref)
            vecs.append(vec)
            refs.append(ref)
        rate_vec, rate_ref = float(np.median(vec_rates)), float(np.median(ref_rates))
        t_v = np.concatenate([v.waiting_time for v in vecs])
        t_r = np.concatenate([v.waiting_time for v in refs])
        f_v = np.concatenate([v.fidelity for v in vecs])
        f_r = np.concatenate([v.fidelity for v in refs])
        z_t, z_f = _z(t_v, t_r), _z(f_v, f_r)
        print(
            f"{n} segments: vectorised {rate_vec:,.0f} pairs/s, reference {rate_ref:,.0f} "
            f"pairs/s (medians of {REPEATS}), speed-up {rate_vec / rate_ref:,.1f}x; mean "
            f"waiting time {t_v.mean() * 1e3:.3f} ms vs {t_r.mean() * 1e3:.3f} ms "
            f"(z={z_t:.2f}), fidelity {f_v.mean():.4f} vs {f_r.mean():.4f} (z={z_f:.2f})"
        )
        out[f"vectorised_pairs_per_s_{n}"] = round(rate_vec, 1)
        out[f"reference_pairs_per_s_{n}"] = round(rate_ref, 1)
        out[f"vectorised_over_reference_{n}"] = round(rate_vec / rate_ref, 2)
        out[f"waiting_time_z_{n}"] = round(z_t, 2)
        out[f"fidelity_z_{n}"] = round(z_f, 2)
    out["goal_met"] = bool(out[f"vectorised_over_reference_{GOAL_SEGMENTS}"] >= GOAL_SPEED_UP)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
