"""Benchmark: network optimisers against the exhaustive optimum, learned allocation against greedy.

Two measurements on held-out instances (drawn from ``seed``, never used to tune anything):

1. **Design problems.** Random repeater-placement and qubit-allocation instances small
   enough to enumerate. Exhaustive search gives the optimum; the genetic algorithm,
   simulated annealing and particle swarm (default settings) each get one run.
   ``optimizer_over_exhaustive`` is the *worst* instance's ratio of the best objective the
   three optimisers found to the optimum (1.0 = optimum everywhere). Both paths are timed.
2. **Dynamic allocation.** Metro networks serve bursty (MMPP) entanglement requests.
   A Thompson-sampling bandit allocator first learns on training traces, then serves
   held-out traces; ``allocator_over_greedy`` is its served requests over those of the
   greedy first-come-first-served policy on the same held-out traces with the same link
   randomness. Static partition and the model-based reference are reported too.

Run: ``python benchmarks/network_allocation.py``; the last line is one JSON object.
"""

from __future__ import annotations

import json
import time
from typing import Any

import numpy as np

from qnetlab.network.allocation import (
    BanditPolicy,
    GreedyPolicy,
    ModelBasedPolicy,
    StaticPolicy,
    allocation_scenario,
)
from qnetlab.network.placement import (
    qubit_allocation_instance,
    repeater_placement_instance,
    solve_allocation,
    solve_placement,
)
from qnetlab.network.traffic import NetworkSimulator, bursty_traffic

#: The bursty traffic of the dynamic-allocation experiment (also used by chapter III.B.5).
TRAFFIC = {
    "rates": (0.5, 6.0),
    "switch_probabilities": (0.02, 0.1),
    "fidelity_threshold": (0.8, 0.95),
}
MEMORY_QUBITS = 3
THRESHOLD_BANDS = (0.86, 0.9)


def _design(seed: int, n_instances: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    ratios, per_method = [], {"ga": [], "sa": [], "pso": []}
    t_exh = t_opt = 0.0
    evals_exh = evals_opt = 0
    for _ in range(n_instances):
        for kind in ("placement", "allocation"):
            s = int(rng.integers(2**31))
            if kind == "placement":
                prob = repeater_placement_instance(seed=s)
                solve = solve_placement
            else:
                prob = qubit_allocation_instance(seed=s)
                solve = solve_allocation
            t0 = time.perf_counter()
            best = solve(prob, "exhaustive")
            t_exh += time.perf_counter() - t0
            evals_exh += best.result.n_evaluations
            found = []
            for m in ("ga", "sa", "pso"):
                t0 = time.perf_counter()
                sol = solve(prob, m, seed=int(rng.integers(2**31)))
                t_opt += time.perf_counter() - t0
                evals_opt += sol.result.n_evaluations
                r = sol.utility / best.utility if best.utility > 0 else 1.0
                per_method[m].append(r)
                found.append(sol.utility)
            ratios.append(max(found) / best.utility if best.utility > 0 else 1.0)
    return {
        "optimizer_over_exhaustive": float(min(ratios)),
        "optimizer_over_exhaustive_mean": float(np.mean(ratios)),
        **{f"{m}_over_exhaustive_min": float(min(v)) for m, v in per_method.items()},
        "design_instances": len(ratios),
        "exhaustive_seconds": t_exh,
        "optimizers_seconds": t_opt,
        "exhaustive_evaluations": evals_exh,
        "optimizer_evaluations": evals_opt,
    }


def _allocation(
    seed: int, n_networks: int, n_train: int, n_test: int, n_slots: int
) -> dict[str, Any]:
    rng = np.random.default_rng(seed + 1)
    served = {"greedy": 0, "static": 0, "model": 0, "bandit": 0}
    requests = 0
    t_sim = 0.0
    per_network = []
    for _ in range(n_networks):
        g, pairs = allocation_scenario(memory_qubits=MEMORY_QUBITS, seed=int(rng.integers(2**31)))
        sim = NetworkSimulator(g, pairs)
        bandit = BanditPolicy(
            "thompson", threshold_bands=THRESHOLD_BANDS, seed=int(rng.integers(2**31))
        )
        for _ in range(n_train):  # learning phase on training traces
            trace = bursty_traffic(pairs, n_slots, seed=int(rng.integers(2**31)), **TRAFFIC)
            sim.run(trace, bandit, seed=int(rng.integers(2**31)))
        net = {"greedy": 0, "bandit": 0}
        for _ in range(n_test):  # held-out traces, same link randomness for every policy
            trace = bursty_traffic(pairs, n_slots, seed=int(rng.integers(2**31)), **TRAFFIC)
            s = int(rng.integers(2**31))
            requests += len(trace)
            for name, pol in (
                ("greedy", GreedyPolicy()),
                ("static", StaticPolicy()),
                ("model", ModelBasedPolicy()),
                ("bandit", bandit),
            ):
                t0 = time.perf_counter()
                res = sim.run(trace, pol, seed=s)
                t_sim += time.perf_counter() - t0
                served[name] += res.n_served
                if name in net:
                    net[name] += res.n_served
        per_network.append(net["bandit"] / net["greedy"])
    g0 = served["greedy"]
    return {
        "allocator_over_greedy": served["bandit"] / g0,
        "allocator_over_greedy_per_network": [round(x, 4) for x in per_network],
        "static_over_greedy": served["static"] / g0,
        "model_based_over_greedy": served["model"] / g0,
        "greedy_served_fraction": g0 / requests,
        "held_out_requests": requests,
        "simulation_seconds": t_sim,
    }


def run(
    seed: int = 2026,
    *,
    n_instances: int = 3,
    n_networks: int = 3,
    n_train: int = 2,
    n_test: int = 2,
    n_slots: int = 1500,
) -> dict[str, Any]:
    """Run both measurements; returns a JSON-serialisable dict (see the module docstring)."""
    t0 = time.perf_counter()
    out: dict[str, Any] = {}
    out.update(_design(seed, n_instances))
    out.update(_allocation(seed, n_networks, n_train, n_test, n_slots))
    out["exhaustive_over_optimizers_time"] = out["exhaustive_seconds"] / max(
        out["optimizers_seconds"], 1e-12
    )
    # prefixed so that benchmarks/network_ai.py can merge this dict without key clashes
    out["allocation_benchmark_seed"] = seed
    out["allocation_benchmark_seconds"] = time.perf_counter() - t0
    return out


if __name__ == "__main__":
    result = run()
    for key, value in result.items():
        print(f"{key:40s} {value}")
    print(json.dumps(result))
