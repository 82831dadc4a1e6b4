"""BB84 throughput: the vectorised NumPy backend against the Cirq backend, same link.

Both backends simulate the same BB84 physical layer (random bits and bases, a
``cirq.depolarize(0.06)`` channel, Bob's measurement) and sifting; post-processing is off
so that only the quantum simulation is timed. Cirq runs a few thousand rounds (one circuit
per round, batched into wide circuits); NumPy runs 10^6 pulses. The last line printed is
one JSON object with pulses per second for each backend and their ratio
``numpy_over_cirq``, and the throughput of decoy-state BB84 over 25 km of GYS fibre
(``decoy_pulses_per_s``), whose photon layer counts the pulses that do not click instead
of simulating them: with a click probability of about 0.4 %, ``decoy_over_bb84`` shows
what that buys over the per-photon BB84 path.

Run: ``python benchmarks/qkd_throughput.py``
"""

from __future__ import annotations

import json
import math
import time

from qnetlab import qkd

DEPOLARIZATION = 0.06
N_CIRQ = 2000
N_NUMPY = 1_000_000
N_DECOY = 100_000_000


def pulses_per_second(n: int, backend: str, repeats: int) -> tuple[float, float, float]:
    """Best-of-``repeats`` throughput, and the QBER pooled over all runs with its error."""
    best = float("inf")
    errors = sifted = 0
    for r in range(repeats):
        t0 = time.perf_counter()
        res = qkd.run_bb84(
            n, depolarization=DEPOLARIZATION, backend=backend, seed=100 + r, postprocess=False
        )
        best = min(best, time.perf_counter() - t0)
        errors += round(res.qber * res.sifted_length)
        sifted += res.sifted_length
    qber = errors / sifted
    return n / best, qber, math.sqrt(qber * (1 - qber) / sifted)


def main() -> None:
    qkd.run_bb84(100, backend="cirq", seed=0, postprocess=False)  # import Cirq, warm caches
    qkd.run_bb84(1000, backend="numpy", seed=0, postprocess=False)
    cirq_pps, cirq_qber, cirq_se = pulses_per_second(N_CIRQ, "cirq", 3)
    numpy_pps, numpy_qber, numpy_se = pulses_per_second(N_NUMPY, "numpy", 3)
    link = qkd.GYS.with_length(25.0)
    best = float("inf")
    for r in range(3):
        t0 = time.perf_counter()
        qkd.run_decoy_bb84(N_DECOY, link=link, seed=200 + r)
        best = min(best, time.perf_counter() - t0)
    decoy_pps = N_DECOY / best
    print(
        f"cirq : {cirq_pps:12.0f} pulses/s  (n = {N_CIRQ} x 3, QBER {cirq_qber:.4f} ± {cirq_se:.4f})"
    )
    print(
        f"numpy: {numpy_pps:12.0f} pulses/s  (n = {N_NUMPY} x 3, QBER {numpy_qber:.4f} ± {numpy_se:.4f})"
    )
    print(f"theory QBER 2p/3 = {2 * DEPOLARIZATION / 3:.4f}")
    print(f"decoy: {decoy_pps:12.0f} pulses/s  (n = {N_DECOY} x 3, GYS, 25 km)")
    print(
        json.dumps(
            {
                "cirq_pulses_per_s": round(cirq_pps, 1),
                "numpy_pulses_per_s": round(numpy_pps, 1),
                "numpy_over_cirq": round(numpy_pps / cirq_pps, 1),
                "decoy_pulses_per_s": round(decoy_pps, 1),
                "decoy_over_bb84": round(decoy_pps / numpy_pps, 1),
                "cirq_qber": round(cirq_qber, 5),
                "numpy_qber": round(numpy_qber, 5),
                "depolarization": DEPOLARIZATION,
                "n_cirq": N_CIRQ,
                "n_numpy": N_NUMPY,
            }
        )
    )


if __name__ == "__main__":
    main()
