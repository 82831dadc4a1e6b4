"""Benchmark: the AI of the quantum network layer against its baselines and the optimum.

Routing (this file): a deep Q-network router (:class:`qnetlab.ai.rl.DQNAgent` on
:class:`qnetlab.network.envs.RoutingEnv`, path mode) is trained on random Waxman networks and
tested on held-out ones it has never seen. For every test request it picks one of eight
candidate paths; its delivered entanglement rate is divided by that of the exact optimal path
(branch and bound over all loop-free paths). Dijkstra on the expected link time 1/r and the
first Yen path that meets the fidelity threshold are measured the same way. Timed paths: the
RL decision (candidate generation and a forward pass) against the exact search.

Controllers (``controllers()``): on a metro mesh where a third of the links are flaky, the
learned ``"predictive"`` controller of :mod:`qnetlab.network.dynamics` (per-link reliability
estimated from telemetry) against the ``"adaptive"`` re-planner with the same one-slot-old
measurements and the ``"oracle"``; pairs delivered and the time per slot of each.

Allocation and optimisers: ``run()`` of ``benchmarks/network_allocation.py`` is merged in
(``optimizer_over_exhaustive``, ``allocator_over_greedy``).

Run: ``python benchmarks/network_ai.py``; the last line printed is one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from qnetlab.ai.rl import DQNAgent, train_dqn
from qnetlab.network.dynamics import LinkDynamics, run_controller
from qnetlab.network.envs import RoutingEnv, candidate_paths, path_features
from qnetlab.network.routing import (
    fidelity_constrained_path,
    optimal_path,
    path_metrics,
    shortest_path,
)
from qnetlab.network.topologies import metro_mesh, waxman_network

FIDELITY_THRESHOLD = 0.8


def routing(
    seed: int = 2026,
    *,
    n_train: int = 30,
    n_test: int = 20,
    n_episodes: int = 1000,
    n_requests: int = 200,
) -> dict[str, Any]:
    """Train the DQN router and measure it on held-out topologies."""
    rng = np.random.default_rng(seed)
    train = [waxman_network(int(rng.integers(12, 21)), seed=rng) for _ in range(n_train)]
    test = [waxman_network(int(rng.integers(12, 21)), seed=rng) for _ in range(n_test)]
    env = RoutingEnv(train, fidelity_threshold=FIDELITY_THRESHOLD, compute_optimal=False, seed=rng)
    agent = DQNAgent(
        8, hidden=(32, 32), lr=2e-3, epsilon_decay_steps=n_episodes // 2, learn_start=128, seed=rng
    )
    t0 = time.perf_counter()
    train_dqn(env, agent, n_episodes, seed=rng)
    train_s = time.perf_counter() - t0

    test_env = RoutingEnv(
        test, fidelity_threshold=FIDELITY_THRESHOLD, compute_optimal=False, seed=rng
    )
    rl, dij, fc, opt_rates = [], [], [], []
    rl_time = opt_time = 0.0
    for _ in range(n_requests):
        test_env.reset(seed=int(rng.integers(2**31 - 1)))
        g, s, d = test_env.graph, test_env.source, test_env.destination
        t = time.perf_counter()
        cands = candidate_paths(g, s, d, 8)
        obs = path_features(g, cands, fidelity_threshold=FIDELITY_THRESHOLD, n_rows=8)
        choice = cands[agent.act(obs, greedy=True)]
        rl_time += time.perf_counter() - t
        t = time.perf_counter()
        best = optimal_path(g, s, d, fidelity_threshold=FIDELITY_THRESHOLD)
        opt_time += time.perf_counter() - t
        opt_rates.append(best.delivered_rate)
        rl.append(path_metrics(g, choice, fidelity_threshold=FIDELITY_THRESHOLD).delivered_rate)
        dij.append(
            path_metrics(
                g, shortest_path(g, s, d), fidelity_threshold=FIDELITY_THRESHOLD
            ).delivered_rate
        )
        try:
            fc.append(
                fidelity_constrained_path(
                    g, s, d, fidelity_threshold=FIDELITY_THRESHOLD
                ).delivered_rate
            )
        except ValueError:
            fc.append(0.0)
    opt = np.asarray(opt_rates)
    ratio = np.asarray(rl) / opt
    return {
        "rl_over_optimal": float(ratio.mean()),
        "rl_over_optimal_total": float(np.sum(rl) / opt.sum()),
        "rl_optimal_fraction": float(np.mean(ratio > 0.999)),
        "rl_worst_request": float(ratio.min()),
        "dijkstra_over_optimal": float(np.mean(np.asarray(dij) / opt)),
        "fidelity_constrained_over_optimal": float(np.mean(np.asarray(fc) / opt)),
        "rl_minus_fidelity_constrained": float(np.mean((np.asarray(rl) - np.asarray(fc)) / opt)),
        "rl_train_seconds": train_s,
        "rl_decision_ms": 1e3 * rl_time / n_requests,
        "optimal_search_ms": 1e3 * opt_time / n_requests,
        "optimal_time_over_rl_time": opt_time / max(rl_time, 1e-12),
        "n_test_topologies": n_test,
        "n_test_requests": n_requests,
    }


def controllers(seed: int = 2026, *, n_runs: int = 4, n_slots: int = 150) -> dict[str, Any]:
    """Learned (predictive) against adaptive re-routing on a mesh with flaky links."""
    rng = np.random.default_rng(seed)
    net = metro_mesh(12, circumference_km=360.0, chord_step=3, seed=rng)
    m = net.number_of_edges()
    flaky = np.zeros(m, dtype=bool)
    flaky[rng.choice(m, m // 3, replace=False)] = True
    dyn = LinkDynamics(
        net,
        p_fade=np.where(flaky, 0.25, 0.02),
        p_recover=0.25,
        p_fail=np.where(flaky, 0.05, 0.002),
        p_repair=0.1,
    )
    pairs = {p: 0.0 for p in ("adaptive", "predictive", "oracle")}
    seconds = dict.fromkeys(pairs, 0.0)
    for _ in range(n_runs):
        traj = dyn.sample(n_slots, seed=rng)
        for p in pairs:
            t = time.perf_counter()
            pairs[p] += run_controller(traj, 0, 6, policy=p).total_pairs
            seconds[p] += time.perf_counter() - t
    slots = n_runs * n_slots
    return {
        "predictive_over_adaptive": pairs["predictive"] / pairs["adaptive"],
        "predictive_over_oracle": pairs["predictive"] / pairs["oracle"],
        "adaptive_over_oracle": pairs["adaptive"] / pairs["oracle"],
        "predictive_ms_per_slot": 1e3 * seconds["predictive"] / slots,
        "adaptive_ms_per_slot": 1e3 * seconds["adaptive"] / slots,
        "predictive_time_over_adaptive_time": seconds["predictive"] / seconds["adaptive"],
    }


def main() -> dict[str, Any]:
    """Run the routing benchmark and merge the allocation benchmark if it is present."""
    out = routing()
    print(
        f"routing: RL/optimal {out['rl_over_optimal']:.4f}, Dijkstra/optimal {out['dijkstra_over_optimal']:.4f}"
    )
    out.update(controllers())
    print(f"controllers: predictive/adaptive {out['predictive_over_adaptive']:.3f}")
    here = Path(__file__).resolve().parent
    if (here / "network_allocation.py").exists():
        sys.path.insert(0, str(here))
        from network_allocation import run as run_allocation

        out.update(run_allocation())
    else:  # pragma: no cover - only while the allocation benchmark is missing
        out["optimizer_over_exhaustive"] = None
        out["allocator_over_greedy"] = None
    return out


if __name__ == "__main__":
    os.environ.setdefault("MPLBACKEND", "Agg")
    print(json.dumps(main()))
