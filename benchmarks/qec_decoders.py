"""Benchmark: neural decoder against plain and correlated MWPM on the rotated surface code.

For d = 3 and d = 5 (rounds = d) under circuit-level depolarising noise at p = 0.003 and
0.005, the three decoders decode the *same* stim test shots (fresh seeds, never seen in
training):

- ``mwpm``: PyMatching's minimum-weight perfect matching;
- ``correlated``: PyMatching's correlated matching (two-pass, ``enable_correlations=True``,
  PyMatching >= 2.2; Fowler 2013);
- ``neural``: the shipped "neural given MWPM" decoder (MWPM plus a perceptron).

Printed per point: logical error rates with Wilson 95 % intervals, the paired disagreement
counts and sign-test z-scores (McNemar) of the neural decoder against both matchings, the
ratios, each decoder's batch throughput (shots per second, 100k shots per call, single
process) and its latency (median seconds to decode one shot handed over alone). The last line
is one JSON object.

Run: ``python benchmarks/qec_decoders.py`` (about a minute on one free core). Measured: at d = 3,
p = 0.003 correlated matching is *worse* than plain matching (ratio about 1.06).
"""

from __future__ import annotations

import json
import time

import numpy as np

from qnetlab import qec

SEED = 2026
SHOTS = {3: 1_000_000, 5: 300_000}
LATENCY_SHOTS = 500


def _paired(wrong_a: np.ndarray, wrong_b: np.ndarray) -> tuple[int, int, float]:
    """Shots only a gets wrong, only b gets wrong, and the sign-test z-score (a worse: z > 0)."""
    only_a = int((wrong_a & ~wrong_b).sum())
    only_b = int((wrong_b & ~wrong_a).sum())
    return only_a, only_b, (only_a - only_b) / np.sqrt(max(only_a + only_b, 1))


def main() -> dict[str, float]:
    rng = np.random.default_rng(SEED)
    out: dict[str, float] = {}
    for d in (3, 5):
        for p in (0.003, 0.005):
            c = qec.memory_circuit("rotated_surface", d, p, "circuit", rounds=d)
            nd = qec.load_pretrained(d, p)
            decoders = {
                "mwpm": nd.mwpm,
                "correlated": qec.MWPMDecoder.from_circuit(c, correlated=True),
                "neural": nd,
            }
            det, obs = qec.sample_detectors(c, SHOTS[d], seed=rng)
            n = len(obs)
            key = f"d{d}_p{p}"
            wrong = {}
            print(f"d = {d}, p = {p}, {n:,} shots")
            for name, dec in decoders.items():
                t0 = time.perf_counter()
                pred = dec.decode_batch(det)
                seconds = time.perf_counter() - t0
                wrong[name] = pred[:, 0] != obs[:, 0]
                errors = int(wrong[name].sum())
                lo, hi = qec.binomial_interval(errors, n)
                batch = qec.decoding_throughput(dec, det[:100_000])
                latency = qec.decoding_latency(dec, det, shots=LATENCY_SHOTS)
                out[f"{name}_rate_{key}"] = errors / n
                out[f"{name}_full_run_shots_per_s_{key}"] = round(n / seconds)
                out[f"{name}_batch_shots_per_s_{key}"] = round(batch)
                out[f"{name}_latency_us_{key}"] = round(latency * 1e6, 2)
                print(
                    f"  {name:>10}: p_L = {errors / n:.5f} [{lo:.5f}, {hi:.5f}]  "
                    f"{batch:>11,.0f} shots/s in batches, {latency * 1e6:7.1f} µs per single shot"
                )
            for base in ("mwpm", "correlated"):
                only_b, only_n, z = _paired(wrong[base], wrong["neural"])
                ratio = wrong["neural"].mean() / max(wrong[base].mean(), 1e-12)
                out[f"neural_over_{base}_{key}"] = round(float(ratio), 4)
                out[f"z_neural_vs_{base}_{key}"] = round(float(z), 2)
                print(
                    f"  neural / {base}: {ratio:.3f}  (only {base} wrong {only_b}, only neural "
                    f"{only_n}, z = {z:+.1f}: positive = neural better)"
                )
            _, _, z_mc = _paired(wrong["mwpm"], wrong["correlated"])
            out[f"correlated_over_mwpm_{key}"] = round(
                float(wrong["correlated"].mean() / max(wrong["mwpm"].mean(), 1e-12)), 4
            )
            out[f"z_correlated_vs_mwpm_{key}"] = round(float(z_mc), 2)
            out[f"neural_latency_over_mwpm_{key}"] = round(
                out[f"neural_latency_us_{key}"] / out[f"mwpm_latency_us_{key}"], 2
            )
            out[f"mwpm_batch_over_neural_{key}"] = round(
                out[f"mwpm_batch_shots_per_s_{key}"] / out[f"neural_batch_shots_per_s_{key}"], 2
            )
    return out


if __name__ == "__main__":
    t_start = time.perf_counter()
    result = main()
    result["total_seconds"] = round(time.perf_counter() - t_start, 1)
    print(json.dumps(result))
