"""Benchmark: the blocked Walsh-Hadamard transform behind ``qec.syndrome_distribution``.

The exact syndrome distribution of the d = 3, three-round surface-code memory (chapter
II.B.2) needs two Walsh-Hadamard transforms of length 2^25. ``qnetlab.qec.exact_ml`` applies
the transform six bits at a time as a product with a 64 x 64 Hadamard matrix. This script
times it against the textbook butterfly (one pass over the array per bit, written here as
the reference), checks that both give the same numbers, and times the whole
``syndrome_distribution`` call. The last line printed is one JSON object.

    python benchmarks/walsh_hadamard.py
"""

from __future__ import annotations

import json
import time

import numpy as np

from qnetlab import qec
from qnetlab.qec.exact_ml import _walsh_hadamard

BITS = 25  # 24 detectors + 1 observable: the II.B.2 circuit


def butterfly(a: np.ndarray) -> np.ndarray:
    """Reference: the radix-2 fast Walsh-Hadamard transform, one pass per bit, in place."""
    for k in range(a.size.bit_length() - 1):
        v = a.reshape(-1, 2, 1 << k)
        x0 = v[:, 0, :].copy()
        v[:, 0, :] += v[:, 1, :]
        v[:, 1, :] *= -1.0
        v[:, 1, :] += x0
    return a


def main() -> None:
    x = np.random.default_rng(2026).standard_normal(1 << BITS)
    t = time.perf_counter()
    reference = butterfly(x.copy())
    t_butterfly = time.perf_counter() - t
    t = time.perf_counter()
    blocked = _walsh_hadamard(x)
    t_blocked = time.perf_counter() - t
    rel = float(np.max(np.abs(blocked - reference)) / np.max(np.abs(reference)))

    circuit = qec.memory_circuit("rotated_surface", 3, 0.005, "circuit")
    t = time.perf_counter()
    dist = qec.syndrome_distribution(circuit, min_probability=1e-8)
    t_dist = time.perf_counter() - t

    print(f"2^{BITS} points: butterfly {t_butterfly:.2f} s, blocked {t_blocked:.2f} s")
    print(f"syndrome_distribution (d=3, 3 rounds): {t_dist:.2f} s, {dist!r}")
    print(
        json.dumps(
            {
                "bits": BITS,
                "butterfly_s": round(t_butterfly, 3),
                "blocked_s": round(t_blocked, 3),
                "speedup": round(t_butterfly / t_blocked, 2),
                "max_rel_diff": rel,
                "syndrome_distribution_s": round(t_dist, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
