"""Benchmark: overhead of ``qec.logical_error_rate`` against raw stim + PyMatching (issue 18).

The task: the d = 3 rotated surface code memory, 3 rounds, circuit-level noise p = 0.005,
decoded by MWPM. Two paths count the logical errors of the same number of shots:

- ``raw``: what a careful user writes with the two libraries directly: one compiled stim
  sampler and one PyMatching graph, built once outside the timed region; every call samples
  bit-packed detection events, decodes them bit-packed and counts the wrong shots;
- ``wrapper``: ``qec.logical_error_rate(...)`` without a seed: argument checks, the cached
  circuit, matching graph and sampler (built at the first call only), the Wilson interval
  and the result object;
- ``raw_seeded`` and ``wrapper_seeded``: the same, but every call compiles a sampler with its
  own seed (``seed=rng`` in the wrapper, as the chapters call it: reproducible statistics).
  A freshly compiled stim sampler is slower on its first batch than a reused one, so the
  seeded paths are compared with each other.

The two paths alternate (interleaved repeats, so a change of load on the machine hits both),
and each figure is the median over the repeats. The overhead is
``median(wrapper) / median(raw) - 1`` at 1,000 and at 200,000 shots per call; the goals of
issue 18 are at most 10 % and 3 %. The last line is one JSON object.

Run: ``python benchmarks/qec_overhead.py`` (about 20 s on one free core). Measured on the
shared 2-core machine (load average 4-6, so the figures move by a few per cent from run to
run): at 1,000 shots +2.8 % unseeded and +4.2 % seeded (was +7 % to +14 % before the
wrapper handed stim's packed samples to PyMatching unchecked and cached the memory bound
with the sampler); at 200,000 shots -11 % unseeded (the wrapper counts wrong shots of a
one-byte observable without numpy's ``any`` reduction, which the raw path keeps) and
+2.3 % seeded.
"""

from __future__ import annotations

import json
import time

import numpy as np

from qnetlab import qec

SEED = 2026
TASK = {"code": "rotated_surface", "distance": 3, "p": 0.005, "noise": "circuit", "rounds": 3}
REPEATS = {1_000: 400, 200_000: 16}


def main() -> dict[str, float]:
    import pymatching

    rng = np.random.default_rng(SEED)
    circuit = qec.memory_circuit(
        TASK["code"], TASK["distance"], TASK["p"], TASK["noise"], rounds=TASK["rounds"]
    )
    sampler = circuit.compile_detector_sampler(seed=int(rng.integers(2**62)))
    matching = pymatching.Matching.from_detector_error_model(
        circuit.detector_error_model(decompose_errors=True)
    )

    def raw(shots: int) -> int:
        det, obs = sampler.sample(shots, separate_observables=True, bit_packed=True)
        pred = matching.decode_batch(det, bit_packed_shots=True, bit_packed_predictions=True)
        return int(np.count_nonzero(np.any(pred != obs, axis=1)))

    def raw_seeded(shots: int) -> int:
        fresh = circuit.compile_detector_sampler(seed=int(rng.integers(2**62)))
        det, obs = fresh.sample(shots, separate_observables=True, bit_packed=True)
        pred = matching.decode_batch(det, bit_packed_shots=True, bit_packed_predictions=True)
        return int(np.count_nonzero(np.any(pred != obs, axis=1)))

    def wrapper(shots: int) -> int:
        return qec.logical_error_rate(decoder="mwpm", shots=shots, **TASK).errors

    def wrapper_seeded(shots: int) -> int:
        return qec.logical_error_rate(decoder="mwpm", shots=shots, seed=rng, **TASK).errors

    paths = {
        "raw": raw,
        "wrapper": wrapper,
        "raw_seeded": raw_seeded,
        "wrapper_seeded": wrapper_seeded,
    }

    out: dict[str, float] = {}
    for shots, repeats in REPEATS.items():
        for func in paths.values():  # warm-up: the wrapper builds and caches its matching
            func(shots)
        times: dict[str, list[float]] = {k: [] for k in paths}
        errors = dict.fromkeys(paths, 0)
        names = list(paths)
        for i in range(repeats):
            for name in names[i % 4 :] + names[: i % 4]:  # rotate the order
                t0 = time.perf_counter()
                errors[name] += paths[name](shots)
                times[name].append(time.perf_counter() - t0)
        med = {k: float(np.median(v)) for k, v in times.items()}
        total = shots * repeats
        rate = {k: v / total for k, v in errors.items()}
        se = np.sqrt(max(rate["raw"], 1e-12) * (1 - rate["raw"]) / total)
        for name in paths:
            out[f"{name}_shots_per_s_{shots}"] = round(shots / med[name])
        for kind in ("", "_seeded"):
            ratio = med[f"wrapper{kind}"] / med[f"raw{kind}"]
            out[f"overhead{kind}_{shots}"] = round(ratio - 1, 4)
        # the same physics: every path's rate within 4 standard errors of raw's
        out[f"rates_agree_{shots}"] = bool(
            all(abs(rate[k] - rate["raw"]) < 4 * np.sqrt(2) * se for k in paths)
        )
        print(
            f"{shots:>7,} shots per call, {repeats} interleaved repeats (shots/s): "
            + ", ".join(f"{k} {shots / med[k]:,.0f}" for k in paths)
            + f"; overhead {out[f'overhead_{shots}']:+.1%} unseeded, "
            f"{out[f'overhead_seeded_{shots}']:+.1%} seeded; p_L "
            + ", ".join(f"{rate[k]:.5f}" for k in paths)
        )
    out["goal_met"] = bool(
        all(out[f"overhead{k}_1000"] <= 0.10 for k in ("", "_seeded"))
        and all(out[f"overhead{k}_200000"] <= 0.03 for k in ("", "_seeded"))
    )
    return out


if __name__ == "__main__":
    t_start = time.perf_counter()
    result = main()
    result["total_seconds"] = round(time.perf_counter() - t_start, 1)
    print(json.dumps(result))
