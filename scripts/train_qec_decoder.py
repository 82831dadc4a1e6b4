"""Train the neural decoders shipped in qnetlab/qec/data/ (reproducible from a seed).

For every (distance, p) in ``qnetlab.qec.PRETRAINED`` this samples detection events of the
rotated surface code Z memory (rounds = distance, circuit-level depolarising noise) with
stim, trains a "neural given MWPM" decoder (:func:`qnetlab.qec.train_neural_decoder`),
checks it on fresh validation shots and writes ``surface_circuit_d{d}_r{d}_p{p}.npz``.

Run: ``python scripts/train_qec_decoder.py`` (about 5-10 minutes on one core).
Options: ``--only 3`` trains only d = 3; ``--out DIR`` writes elsewhere.
stim's samples depend on the stim version and the CPU's SIMD width, so re-trained weights
are statistically, not bitwise, identical to the shipped ones.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

# one BLAS thread: the small matrices train faster without thread hand-offs
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

from qnetlab import qec  # noqa: E402
from qnetlab.qec.decoders import pretrained_name  # noqa: E402

SEED = 2026
#: training settings per distance
SETTINGS = {
    3: {"shots": 4_000_000, "hidden": (128, 64), "epochs": 3, "batch_size": 4096,
        "learning_rate": 3e-3},
    5: {"shots": 4_000_000, "hidden": (128, 64), "epochs": 3, "batch_size": 4096,
        "learning_rate": 3e-3},
}  # fmt: skip
VALIDATION_SHOTS = 200_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", type=int, default=None, help="train only this distance")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "qnetlab/qec/data"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    summary = []
    for d, p in qec.PRETRAINED:
        child = int(rng.integers(0, 2**62))  # drawn for every model so seeds stay fixed
        if args.only is not None and d != args.only:
            continue
        cfg = SETTINGS[d]
        circuit = qec.memory_circuit("rotated_surface", d, p, "circuit", rounds=d)
        t0 = time.perf_counter()
        nd = qec.train_neural_decoder(
            circuit,
            seed=child,
            progress=True,
            metadata={"distance": d, "rounds": d, "p_train": p, "code": "rotated_surface",
                      "noise": "circuit", "basis": "z", "seed": SEED},
            **cfg,
        )  # fmt: skip
        seconds = time.perf_counter() - t0
        det, obs = qec.sample_detectors(circuit, VALIDATION_SHOTS, seed=child + 1)
        mwpm = float((nd.mwpm.decode_batch(det) != obs).mean())
        neural = float((nd.decode_batch(det) != obs).mean())
        nd.metadata.update(
            {"validation_shots": VALIDATION_SHOTS, "validation_mwpm_rate": mwpm,
             "validation_neural_rate": neural, "train_seconds": round(seconds, 1)}
        )  # fmt: skip
        path = args.out / pretrained_name(d, p)
        nd.save(path)
        summary.append({"distance": d, "p": p, "mwpm": mwpm, "neural": neural,
                        "ratio": neural / mwpm, "seconds": round(seconds, 1),
                        "bytes": path.stat().st_size})  # fmt: skip
        print(json.dumps(summary[-1]), flush=True)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
