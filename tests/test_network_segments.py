"""Issue 20: routing errors that diagnose, and repeaters placed along long fibres.

The one-link-per-edge model of :mod:`qnetlab.network.routing`: a 392 km edge is one heralded
link (Barrett-Kok double click, p = ½ η_d² 10^(−αL/10) per mode), so a path that also uses
another link waits ~1/r for it while the other pair decays in memory.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import networkx as nx
import numpy as np
import pytest

from qnetlab.channels import C_FIBER_KM_PER_S
from qnetlab.network import NetworkSimulator, segment_long_links
from qnetlab.network.routing import (
    MultipathResult,
    PathMetrics,
    fidelity_constrained_path,
    infeasibility_report,
    link_cost,
    optimal_path,
    path_metrics,
)
from qnetlab.network.topologies import annotate_links, elementary_link_fidelity, validate_topology


def _corridor(long_km: float = 392.0, short_km: float = 60.0) -> nx.Graph:
    g = nx.Graph()
    g.add_node("Berlin", pos=(0.0, 0.0))
    g.add_node("Hamburg", pos=(long_km, 0.0))
    g.add_node("Kiel", pos=(long_km + short_km, 0.0))
    g.add_edge("Berlin", "Hamburg", length_km=long_km)
    g.add_edge("Hamburg", "Kiel", length_km=short_km)
    return annotate_links(g, source_fidelity=0.99, seed=0)


def test_missing_attributes_name_the_call_that_adds_them():
    g = nx.Graph([("Berlin", "Paris")])
    with pytest.raises(ValueError, match=r"node 'Berlin' has no 'memory_qubits'.*annotate_links"):
        validate_topology(g)
    with pytest.raises(ValueError, match=r"'length_km' attribute: set the fibre length"):
        annotate_links(g)
    g.edges["Berlin", "Paris"]["length_km"] = 10.0
    g.nodes["Berlin"]["memory_qubits"] = g.nodes["Paris"]["memory_qubits"] = 2
    with pytest.raises(ValueError, match=r"no 'rate' attribute: .*annotate_links\(graph\)"):
        validate_topology(g)
    h = nx.Graph([("Berlin", "Paris")])
    h.edges["Berlin", "Paris"]["length_km"] = 10.0
    with pytest.raises(ValueError, match=r"node 'Berlin' has no 'memory_qubits'.*annotate_links"):
        NetworkSimulator(h, [("Berlin", "Paris")])


def test_segment_long_links_preserves_length_and_bounds_every_link():
    g = _corridor()
    before = nx.Graph(g)
    h = segment_long_links(g, 100.0, memory_qubits=3)
    assert nx.utils.graphs_equal(g, before)  # the input is not modified
    # 392 km -> ceil(392/100) = 4 segments of 98 km, 3 new nodes; the 60 km link stays
    assert h.number_of_nodes() == 3 + 3
    path = nx.shortest_path(h, "Berlin", "Hamburg")
    assert len(path) == 5
    total = sum(h.edges[u, v]["length_km"] for u, v in itertools.pairwise(path))
    assert total == pytest.approx(392.0, rel=1e-12)
    assert all(d <= 100.0 for *_, d in h.edges(data="length_km"))
    assert h.edges["Hamburg", "Kiel"] == g.edges["Hamburg", "Kiel"]
    for node in path[1:-1]:
        data = h.nodes[node]
        assert data["memory_qubits"] == 3 and data["repeater"] is True
        assert data["pos"][1] == 0.0 and 0.0 < data["pos"][0] < 392.0
    assert [h.nodes[n]["pos"][0] for n in path] == pytest.approx([0, 98, 196, 294, 392])
    validate_topology(h)
    # new links: the physics of annotate_links for a 98 km link, same source fidelity (0.99)
    seg = h.edges[path[0], path[1]]
    expected_f = elementary_link_fidelity(98.0, source_fidelity=0.99)
    assert seg["fidelity"] == pytest.approx(expected_f, abs=1e-12)
    eta = 0.9**2 * 10 ** (-0.2 * 98.0 / 10)  # Barrett-Kok: both arms, η_d² η(L/2)²
    p = 1 - (1 - eta / 2) ** 100  # 100 multiplexed modes
    assert seg["rate"] == pytest.approx(p / (98.0 / C_FIBER_KM_PER_S), rel=1e-9)
    assert seg["segment_of"] == ("Berlin", "Hamburg")


def test_segmenting_a_392_km_edge_makes_the_route_feasible():
    g = _corridor()
    route = ["Berlin", "Hamburg", "Kiel"]
    m = path_metrics(g, route, fidelity_threshold=0.7)
    assert not m.feasible and m.rate < 1e-3  # one 392 km link: ~3e-4 pairs/s
    assert m.fidelity == pytest.approx(0.25, abs=1e-3)  # the 60 km pair waits ~1 h
    with pytest.raises(ValueError, match="binding limit: memory decoherence"):
        optimal_path(g, "Berlin", "Kiel", fidelity_threshold=0.7)
    h = segment_long_links(g, 50.0)
    best = optimal_path(h, "Berlin", "Kiel", fidelity_threshold=0.7)
    assert best.feasible and best.fidelity >= 0.7
    assert best.rate > 1e5 * m.rate
    assert best.distance_km == pytest.approx(452.0)


def test_infeasibility_names_the_best_path_and_the_binding_limit():
    g = _corridor()
    with pytest.raises(ValueError) as err:
        fidelity_constrained_path(g, "Berlin", "Kiel", fidelity_threshold=0.7)
    msg = str(err.value)
    assert "among the 50 cheapest" in msg
    assert "best fidelity found 0.2500" in msg and "['Berlin', 'Hamburg', 'Kiel']" in msg
    # perfect memories: F = 1/4 + 3/4 w1 w2, the herald decay of each link included
    w = np.prod([(4 * f - 1) / 3 for _, _, f in g.edges(data="fidelity")])
    assert f"would reach {0.25 + 0.75 * w:.4f}" in msg
    assert "('Berlin', 'Hamburg') (392 km" in msg and "segment_long_links" in msg
    # too many swaps: five links of F = 0.9 (sources) cannot reach 0.7 even without decay
    line = nx.path_graph(6)
    nx.set_edge_attributes(line, 20.0, "length_km")
    annotate_links(line, source_fidelity=0.9, seed=0)
    with pytest.raises(ValueError, match=r"link fidelity after swapping.*after 4 swap\(s\)"):
        optimal_path(line, 0, 5, fidelity_threshold=0.7)
    # hop limit: the direct 2-hop route crosses a 400 km link, the 4-hop detour passes
    ring = nx.cycle_graph(6)
    nx.set_edge_attributes(ring, 20.0, "length_km")
    ring.edges[0, 5]["length_km"] = 400.0
    annotate_links(ring, source_fidelity=0.99, seed=0)
    with pytest.raises(ValueError, match=r"within max_hops=2.*hop count: .*\[0, 1, 2, 3, 4\]"):
        optimal_path(ring, 0, 4, fidelity_threshold=0.5, max_hops=2)
    report = infeasibility_report(ring, 0, 4, 0.5, 0.05, max_hops=2)
    assert report.startswith("best fidelity found")
    with pytest.raises(ValueError, match="n_candidates"):
        infeasibility_report(ring, 0, 4, 0.5, 0.05, n_candidates=0)


def test_segment_long_links_rejects_bad_input():
    g = _corridor()
    with pytest.raises(ValueError, match="max_length_km"):
        segment_long_links(g, 0.0)
    with pytest.raises(ValueError, match="memory_qubits"):
        segment_long_links(g, 50.0, memory_qubits=1)
    with pytest.raises(ValueError, match="source_fidelity"):
        segment_long_links(g, 50.0, source_fidelity=0.1)
    with pytest.raises(ValueError, match="memory_qubits"):
        segment_long_links(nx.path_graph(2), 50.0)
    h = segment_long_links(g, 50.0, source_fidelity=0.95)
    assert h.edges["Hamburg", ("Hamburg", "Kiel", 1)]["fidelity"] == pytest.approx(
        elementary_link_fidelity(30.0, source_fidelity=0.95)
    )
    assert math.isclose(segment_long_links(g, 1000.0).size(weight="length_km"), 452.0)


def test_result_fields_show_in_dir_and_help():
    for cls in (PathMetrics, MultipathResult):
        names = {f.name for f in dataclasses.fields(cls)}
        assert names <= set(dir(cls)), names - set(dir(cls))
    # slots keep them frozen, picklable (joblib sweeps) and hashable by value
    import pickle

    g = _corridor()
    m = path_metrics(g, ["Hamburg", "Kiel"])
    assert pickle.loads(pickle.dumps(m)) == m
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.hops = 3


def test_routing_env_names_its_observation_columns():
    import inspect

    from qnetlab.network.envs import HOP_FEATURE_NAMES, PATH_FEATURE_NAMES, RoutingEnv
    from qnetlab.network.topologies import metro_mesh

    g = metro_mesh(8, seed=0)
    hop = RoutingEnv([g], mode="next_hop", seed=0)
    obs, info = hop.reset(seed=1)
    assert hop.feature_names == HOP_FEATURE_NAMES and obs.shape[1] == len(HOP_FEATURE_NAMES)
    doc = inspect.getdoc(RoutingEnv)
    for i, name in enumerate(HOP_FEATURE_NAMES):
        assert f"{i}     {name}" in doc, name  # the column table of the docstring
    # the columns mean what the table says: row 0 is Dijkstra's next hop (lowest cost via)
    col = dict(zip(HOP_FEATURE_NAMES, obs[0]))
    assert col["valid"] == 1.0 and col["nodes_walked"] == pytest.approx(0.1)
    valid = obs[obs[:, 0] > 0.5]
    assert col["log_cost_via"] == valid[:, HOP_FEATURE_NAMES.index("log_cost_via")].min()
    edge = g.edges[info["source"], hop._slots[0]]
    assert col["link_fidelity"] == pytest.approx(edge["fidelity"], abs=1e-6)
    path = RoutingEnv([g], seed=0)
    assert path.feature_names == PATH_FEATURE_NAMES
    assert path.reset(seed=1)[0].shape[1] == len(PATH_FEATURE_NAMES)


def test_forwarded_keywords_are_documented_where_they_are_forwarded():
    import inspect

    from qnetlab.network import placement, topologies

    physics = set(inspect.signature(annotate_links).parameters) - {"graph", "seed"}
    for gen in (
        topologies.metro_ring,
        topologies.metro_mesh,
        topologies.grid_network,
        topologies.waxman_network,
    ):
        doc = inspect.getdoc(gen)
        assert all(f"``{k}``" in doc for k in physics), gen.__name__
    for instance, cls in (
        (placement.repeater_placement_instance, placement.RepeaterPlacement),
        (placement.qubit_allocation_instance, placement.QubitAllocation),
    ):
        options = set(inspect.signature(cls).parameters) - {"graph", "candidates", "demands"}
        options -= {"k", "budget"}
        doc = inspect.getdoc(instance)
        assert all(f"``{k}``" in doc for k in options), (instance.__name__, options)


def test_infeasibility_report_boundaries():
    ring = nx.cycle_graph(6)
    nx.set_edge_attributes(ring, 20.0, "length_km")
    ring.edges[0, 5]["length_km"] = 400.0
    annotate_links(ring, source_fidelity=0.99, seed=0)
    # a path of exactly max_hops hops is within the limit: it is the one reported
    msg = infeasibility_report(ring, 0, 4, 0.5, max_hops=2)
    assert "on the 2-hop path [0, 5, 4], of 2 candidate paths" in msg
    # longer paths that fail too do not make the hop count the binding limit
    msg = infeasibility_report(ring, 0, 4, 0.999, max_hops=2)
    assert "hop count" not in msg and "link fidelity after swapping" in msg
    # the candidates: Yen's n_candidates cheapest under -ln w and under 1/r, deduplicated
    mesh = nx.grid_2d_graph(3, 3)
    nx.set_edge_attributes(mesh, 30.0, "length_km")
    annotate_links(mesh, source_fidelity=(0.9, 0.99), seed=4)
    s, d = (0, 0), (2, 2)
    for k in (1, 5):
        expected = set()
        for cost in ("infidelity", "inverse_rate"):
            gen = nx.shortest_simple_paths(
                mesh, s, d, weight=lambda u, v, e, c=cost: link_cost(e, c)
            )
            expected |= {tuple(p) for p in itertools.islice(gen, k)}
        msg = infeasibility_report(mesh, s, d, 0.999, n_candidates=k)
        assert f"of {len(expected)} candidate paths" in msg
    default = infeasibility_report(mesh, s, d, 0.999)
    assert default == msg != infeasibility_report(mesh, s, d, 0.999, n_candidates=6)
    # at the bound F(perfect memories) == threshold the memories are what bind
    g = _corridor(long_km=40.0, short_km=40.0)
    w = np.prod([(4 * f - 1) / 3 for _, _, f in g.edges(data="fidelity")])
    f_links = 0.25 + 0.75 * float(w)
    msg = infeasibility_report(g, "Berlin", "Kiel", f_links)
    assert "memory decoherence" in msg
