"""Benchmark: neural decoder against MWPM on the rotated surface code memory.

For d = 3 and d = 5 (rounds = d) under circuit-level depolarising noise at p = 0.003 and
0.005, both decoders decode the *same* stim test shots (fresh seeds, never seen in
training). Printed: logical error rates with Wilson 95 % intervals, whether the intervals
separate, the paired disagreement counts (McNemar), the ratio neural / MWPM and both
decoders' throughput (shots per second, single process). The last line is one JSON object.

Run: ``python benchmarks/qec_decoders.py`` (about a minute on one free core).
"""

from __future__ import annotations

import json
import time

import numpy as np
from scipy import stats

from qnetlab import qec

SEED = 2026
SHOTS = {3: 1_000_000, 5: 300_000}


def main() -> dict[str, float]:
    rng = np.random.default_rng(SEED)
    out: dict[str, float] = {}
    print(f"{'d':>2} {'p':>6} {'shots':>8} {'MWPM':>22} {'neural':>22} {'ratio':>6} {'sep':>4}")
    for d in (3, 5):
        for p in (0.003, 0.005):
            c = qec.memory_circuit("rotated_surface", d, p, "circuit", rounds=d)
            nd = qec.load_pretrained(d, p)
            det, obs = qec.sample_detectors(c, SHOTS[d], seed=rng)
            t0 = time.perf_counter()
            pred_m = nd.mwpm.decode_batch(det)
            t_m = time.perf_counter() - t0
            t0 = time.perf_counter()
            pred_n = nd.decode_batch(det)  # includes its own MWPM call
            t_n = time.perf_counter() - t0
            wrong_m = pred_m[:, 0] != obs[:, 0]
            wrong_n = pred_n[:, 0] != obs[:, 0]
            n = len(obs)
            em, en = int(wrong_m.sum()), int(wrong_n.sum())
            lo_m, hi_m = qec.binomial_interval(em, n)
            lo_n, hi_n = qec.binomial_interval(en, n)
            only_m = int((wrong_m & ~wrong_n).sum())
            only_n = int((wrong_n & ~wrong_m).sum())
            mcnemar = (
                stats.binomtest(only_m, only_m + only_n, 0.5).pvalue if only_m + only_n else 1.0
            )
            ratio = en / em if em else float("nan")
            separated = hi_n < lo_m or hi_m < lo_n
            key = f"d{d}_p{p}"
            out[f"neural_over_mwpm_{key}"] = round(ratio, 4)
            out[f"mwpm_rate_{key}"] = em / n
            out[f"neural_rate_{key}"] = en / n
            out[f"cis_separated_{key}"] = bool(separated)
            out[f"mcnemar_pvalue_{key}"] = float(f"{mcnemar:.3g}")
            out[f"mwpm_shots_per_s_{key}"] = round(n / t_m)
            out[f"neural_shots_per_s_{key}"] = round(n / t_n)
            print(
                f"{d:>2} {p:>6} {n:>8} {em / n:.5f} [{lo_m:.5f},{hi_m:.5f}] "
                f"{en / n:.5f} [{lo_n:.5f},{hi_n:.5f}] {ratio:6.3f} {'yes' if separated else 'no':>4}"
                f"  (MWPM-only errors {only_m}, neural-only {only_n}; "
                f"{n / t_m:,.0f} vs {n / t_n:,.0f} shots/s)"
            )
    return out


if __name__ == "__main__":
    t_start = time.perf_counter()
    result = main()
    result["total_seconds"] = round(time.perf_counter() - t_start, 1)
    print(json.dumps(result))
