"""Routing and RL on an own 8-city fibre graph (example 3 of the README).

Cities with coordinates; fibre length = great-circle distance x 1.3 (fibre follows roads);
``annotate_links`` adds the link physics, ``segment_long_links`` places repeater nodes every
<= 100 km (each edge of the routing model is one elementary link, see
``help(qnetlab.network.routing)``). Every city pair is routed by Dijkstra (cost 1/r), by
Yen + fidelity constraint and by the package's RL router (a DQN that picks among candidate
paths, trained on random requests of the same graph), each scored against the exact
optimum (branch and bound).

    python examples/routing_eight_cities.py [--quick] [--seed N]

The last line reads ``RESULT dijkstra=<mean ratio> yen=<...> dqn=<...> pairs=<n>``.
"""

from __future__ import annotations

import argparse
import itertools
import math

import networkx as nx
import numpy as np

from qnetlab.ai.rl import DQNAgent, train_dqn
from qnetlab.network import (
    RoutingEnv,
    annotate_links,
    candidate_paths,
    fidelity_constrained_path,
    optimal_path,
    path_features,
    path_metrics,
    segment_long_links,
    shortest_path,
)

CITIES = {  # latitude, longitude (degrees)
    "Amsterdam": (52.37, 4.90),
    "Berlin": (52.52, 13.40),
    "Frankfurt": (50.11, 8.68),
    "Hamburg": (53.55, 9.99),
    "Munich": (48.14, 11.58),
    "Paris": (48.86, 2.35),
    "Prague": (50.08, 14.44),
    "Vienna": (48.21, 16.37),
}
FIBRES = [
    ("Amsterdam", "Hamburg"), ("Amsterdam", "Frankfurt"), ("Amsterdam", "Paris"),
    ("Berlin", "Hamburg"), ("Berlin", "Prague"), ("Berlin", "Frankfurt"),
    ("Frankfurt", "Hamburg"), ("Frankfurt", "Munich"), ("Frankfurt", "Paris"),
    ("Munich", "Prague"), ("Munich", "Vienna"), ("Prague", "Vienna"),
]  # fmt: skip
ROAD_FACTOR = 1.3
THRESHOLD = 0.6


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Haversine distance on a 6371 km sphere."""
    (p1, l1), (p2, l2) = (tuple(map(math.radians, x)) for x in (a, b))
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def city_graph(seed: np.random.Generator) -> nx.Graph:
    g = nx.Graph()
    for name, (lat, lon) in CITIES.items():
        g.add_node(name, pos=(lon, lat))
    for u, v in FIBRES:
        g.add_edge(u, v, length_km=ROAD_FACTOR * great_circle_km(CITIES[u], CITIES[v]))
    return annotate_links(g, source_fidelity=0.995, memory_qubits=8, seed=seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small training budget")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    cities = city_graph(rng)
    graph = segment_long_links(cities, 100.0, memory_qubits=4)
    print(
        f"{cities.number_of_edges()} fibres, {cities.size(weight='length_km'):.0f} km; "
        f"segmented: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} links"
    )
    env = RoutingEnv([graph], fidelity_threshold=THRESHOLD, compute_optimal=False, seed=rng)
    agent = DQNAgent(8, hidden=(32, 32), lr=2e-3, learn_start=64, seed=rng,
                     epsilon_decay_steps=150 if args.quick else 400)  # fmt: skip
    train_dqn(env, agent, 200 if args.quick else 600, seed=rng)

    def dqn(s: str, d: str) -> list:
        cands = candidate_paths(graph, s, d, 8)
        obs = path_features(graph, cands, fidelity_threshold=THRESHOLD, n_rows=8)
        return cands[agent.act(obs, greedy=True)]

    def yen(s: str, d: str) -> list:
        return list(fidelity_constrained_path(graph, s, d, fidelity_threshold=THRESHOLD).path)

    routers = {"dijkstra": lambda s, d: shortest_path(graph, s, d), "yen": yen, "dqn": dqn}
    ratios: dict[str, list[float]] = {name: [] for name in routers}
    for s, d in itertools.combinations(CITIES, 2):
        try:
            best = optimal_path(graph, s, d, fidelity_threshold=THRESHOLD)
        except ValueError as err:  # the error says why: best fidelity and binding limit
            print(f"{s}-{d}: infeasible ({str(err).split('; ')[1][:90]}...)")
            continue
        for name, router in routers.items():
            m = path_metrics(graph, router(s, d), fidelity_threshold=THRESHOLD)
            ratios[name].append(m.delivered_rate / best.delivered_rate)
    means = {name: float(np.mean(r)) for name, r in ratios.items()}
    for name, r in ratios.items():
        print(f"{name:9s} mean {means[name]:.3f} of the optimum, optimal on "
              f"{np.mean(np.asarray(r) > 0.999):.0%} of {len(r)} city pairs")  # fmt: skip
    verdict = "beats" if means["dqn"] > max(means["dijkstra"], means["yen"]) else "does not beat"
    print(f"verdict: the DQN {verdict} the best classical router (Dijkstra / Yen) here")
    print(
        f"RESULT dijkstra={means['dijkstra']:.4f} yen={means['yen']:.4f} "
        f"dqn={means['dqn']:.4f} pairs={len(ratios['dqn'])}"
    )


if __name__ == "__main__":
    main()
