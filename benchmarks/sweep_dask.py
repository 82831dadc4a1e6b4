"""Benchmark: one QEC sweep serially and on a local Dask cluster of two worker processes.

The sweep is the logical error rate of the rotated surface code under circuit-level noise
(MWPM) at distances 3 and 5 and four physical error rates, 20 000 shots per point, through
``qnetlab.sweep.sweep``: once serially, once with ``client=`` a ``LocalCluster`` of two
processes (one thread each, no dashboard, localhost only). The cluster's start-up and a
warm-up of its workers (one point each: imports and first-call set-up) are timed
separately from the sweep, as is the serial path's warm-up. Both tables
must be identical (same per-point seeds); the ratio serial / Dask is the speed-up on this
machine (at most the number of free cores).

Run: python benchmarks/sweep_dask.py
"""

from __future__ import annotations

import functools
import json
import time

from qnetlab.qec import logical_error_rate
from qnetlab.sweep import sweep

POINT = functools.partial(
    logical_error_rate, code="rotated_surface", noise="circuit", decoder="mwpm", shots=20_000
)
GRID = {"distance": [3, 5], "p": [0.002, 0.004, 0.006, 0.008]}


def _warm() -> None:
    POINT(distance=3, p=0.002, seed=0)  # imports and first-call set-up on a worker


def main() -> dict[str, float]:
    from distributed import Client, LocalCluster

    _warm()  # the serial path is warmed the same way
    t0 = time.perf_counter()
    serial = sweep(POINT, GRID, seed=2026)
    t_serial = time.perf_counter() - t0

    t0 = time.perf_counter()
    with (
        LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
            host="127.0.0.1",
        ) as cluster,
        Client(cluster) as client,
    ):  # fmt: skip
        client.run(_warm)
        t_start = time.perf_counter() - t0
        t0 = time.perf_counter()
        dask = sweep(POINT, GRID, seed=2026, client=client)
        t_dask = time.perf_counter() - t0
    assert dask.equals(serial), "the Dask table differs from the serial one"
    return {
        "points": len(serial),
        "shots_per_point": 20_000,
        "serial_s": round(t_serial, 3),
        "dask_2_workers_s": round(t_dask, 3),
        "cluster_start_s": round(t_start, 3),
        "speedup_serial_over_dask": round(t_serial / t_dask, 3),
        "identical_tables": True,
    }


if __name__ == "__main__":
    print(json.dumps(main()))
