"""qnetlab.network.routing pinned: the path model, the finders and their edge cases.

Issue 21. E[max of exponentials] by inclusion–exclusion; Werner parameters w = (4F − 1)/3
multiply under swapping (Briegel et al., PRL 81, 5932 (1998)) and decay as e^(−t/T_c) in a
depolarising memory; the delivered rate p_s^(n−1)/(E[T] + L/c) of the module docstring.
"""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pytest

from qnetlab.channels import C_FIBER_KM_PER_S
from qnetlab.network import routing as rt
from qnetlab.network.chain_model import expected_max_waiting_time


def graph(edges, memory=None, **attrs) -> nx.Graph:
    g = nx.Graph(**attrs)
    for u, v, length, rate, fid in edges:
        g.add_edge(u, v, length_km=length, rate=rate, fidelity=fid)
    for n in g.nodes:
        g.nodes[n]["memory_qubits"] = (memory or {}).get(n, 4)
    return g


# a small mesh: a fast low-fidelity route, a slow high-fidelity one, and a long detour
MESH = [
    ("s", "a", 20.0, 800.0, 0.9),
    ("a", "t", 25.0, 600.0, 0.88),
    ("s", "b", 30.0, 200.0, 0.99),
    ("b", "t", 30.0, 150.0, 0.985),
    ("a", "b", 10.0, 1000.0, 0.97),
    ("b", "c", 15.0, 900.0, 0.97),
    ("c", "t", 15.0, 700.0, 0.96),
]


def werner_path(rates, fids, length, tc, ps):
    """(E[T], rate, fidelity) of the path model, written out from its formulas."""
    n = len(rates)
    wait = 0.0
    for size in range(1, n + 1):
        for sub in itertools.combinations(rates, size):
            wait += (-1) ** (size + 1) / sum(sub)
    t_cc = length / C_FIBER_KM_PER_S
    w = 1.0
    for r, f in zip(rates, fids):
        w *= (4 * f - 1) / 3 * math.exp(-max(wait - 1 / r, 0.0) / tc)
    w *= math.exp(-t_cc / tc)
    return wait, ps ** (n - 1) / (wait + t_cc), 0.25 + 0.75 * w


def test_expected_max_waiting_time_pinned():
    assert expected_max_waiting_time([4.0]) == 0.25
    r1, r2 = 2.0, 3.0
    assert expected_max_waiting_time([r1, r2]) == pytest.approx(1 / r1 + 1 / r2 - 1 / 5)
    # n equal rates: E[max] = H_n / r, exact up to 12 links, by integration beyond
    for n in (3, 12, 13, 20):
        h_n = sum(1 / k for k in range(1, n + 1))
        assert expected_max_waiting_time([5.0] * n) == pytest.approx(h_n / 5, rel=1e-8)
    rng = np.random.default_rng(0)
    rates = rng.uniform(1, 10, 14)
    ref = expected_max_waiting_time(rates[:12])
    assert expected_max_waiting_time(rates) > ref  # more links, longer wait
    for bad in ([], [[1.0, 2.0]]):
        with pytest.raises(ValueError, match="non-empty 1-D sequence"):
            expected_max_waiting_time(bad)
    for bad in ([1.0, 0.0], [1.0, -2.0], [np.nan], [np.inf]):
        with pytest.raises(ValueError, match=r"rates must be positive \(> 0\) and finite"):
            expected_max_waiting_time(bad)


@pytest.mark.parametrize(
    "path", [["s", "a", "t"], ["s", "b", "c", "t"], ["s", "a", "b", "c", "t"], ["s", "b"]]
)
@pytest.mark.parametrize(("tc", "ps"), [(0.01, 1.0), (0.002, 0.6), (1.0, 0.05)])
def test_path_metrics_pinned(path, tc, ps):
    g = graph(MESH)
    m = rt.path_metrics(g, path, coherence_time_s=tc, swap_success=ps, fidelity_threshold=0.0)
    edges = [g.edges[u, v] for u, v in itertools.pairwise(path)]
    rates = [e["rate"] for e in edges]
    fids = [e["fidelity"] for e in edges]
    length = sum(e["length_km"] for e in edges)
    wait, rate, fid = werner_path(rates, fids, length, tc, ps)
    assert m.waiting_time_s == pytest.approx(wait, rel=1e-12)
    assert m.classical_time_s == pytest.approx(length / C_FIBER_KM_PER_S, rel=1e-12)
    assert m.rate == pytest.approx(rate, rel=1e-12)
    assert m.fidelity == pytest.approx(fid, rel=1e-12)
    assert m.delivered_rate == m.rate and m.feasible
    assert m.hops == len(path) - 1 and m.distance_km == pytest.approx(length)
    assert m.link_rates == tuple(rates) and m.link_fidelities == tuple(fids)


def test_path_metrics_threshold_is_inclusive_and_graph_defaults():
    g = graph(MESH, coherence_time_s=0.005, swap_success=0.5)
    m = rt.path_metrics(g, ["s", "b", "t"])
    _, rate, fid = werner_path([200.0, 150.0], [0.99, 0.985], 60.0, 0.005, 0.5)
    assert m.rate == pytest.approx(rate) and m.fidelity == pytest.approx(fid)
    at = rt.path_metrics(g, ["s", "b", "t"], fidelity_threshold=m.fidelity)
    assert at.feasible and at.delivered_rate == at.rate
    above = rt.path_metrics(g, ["s", "b", "t"], fidelity_threshold=m.fidelity + 1e-12)
    assert not above.feasible and above.delivered_rate == 0.0 and above.rate == m.rate
    assert "PathMetrics(path=['s', 'b', 't'], hops=2" in repr(m)


def test_path_metrics_bad_paths():
    g = graph(MESH)
    for bad, match in (
        ("sat", "at least two nodes"),
        (["s"], "at least two nodes"),
        (["s", "z"], "unknown node 'z'"),
        (["s", "a", "s"], "must not visit a node twice"),
        (["s", "c"], r"missing link \('s', 'c'\)"),
    ):
        with pytest.raises(ValueError, match=match):
            rt.path_metrics(g, bad)
    with pytest.raises(ValueError, match="swap_success"):
        rt.path_metrics(g, ["s", "a"], swap_success=0.0)
    with pytest.raises(ValueError, match="coherence_time_s"):
        rt.path_metrics(g, ["s", "a"], coherence_time_s=0.0)
    with pytest.raises(ValueError, match="fidelity_threshold"):
        rt.path_metrics(g, ["s", "a"], fidelity_threshold=1.5)


def test_link_cost_pinned():
    d = {"rate": 250.0, "length_km": 12.5, "fidelity": 0.9}
    assert rt.link_cost(d) == 1 / 250
    assert rt.link_cost(d, "length") == 12.5
    assert rt.link_cost(d, "hops") == 1.0
    assert rt.link_cost(d, "infidelity") == pytest.approx(-math.log((4 * 0.9 - 1) / 3))
    assert rt.link_cost({**d, "fidelity": 1.0}, "infidelity") == 0.0
    assert rt.link_cost({**d, "fidelity": 0.25}, "infidelity") == math.inf
    assert rt.link_cost({**d, "fidelity": 0.3}, "infidelity") == pytest.approx(-math.log(0.2 / 3))
    with pytest.raises(ValueError, match="cost must be one of 'inverse_rate'"):
        rt.link_cost(d, "price")


def test_check_endpoints_each_error():
    g = graph(MESH, memory={"t": 0})
    with pytest.raises(ValueError, match="source 'z' is not a node"):
        rt.check_endpoints(g, "z", "a")
    with pytest.raises(ValueError, match="destination 'z' is not a node"):
        rt.check_endpoints(g, "a", "z")
    with pytest.raises(ValueError, match="must differ, got 'a' twice"):
        rt.check_endpoints(g, "a", "a")
    with pytest.raises(ValueError, match="destination 't' has no free memory qubit"):
        rt.check_endpoints(g, "s", "t")
    with pytest.raises(ValueError, match="source 't' has no free memory qubit"):
        rt.check_endpoints(g, "t", "s")
    # relays need two qubits: with one qubit at a and b, s and t are cut apart
    cut = graph(MESH, memory={"a": 1, "b": 1})
    with pytest.raises(ValueError, match="disconnected"):
        rt.check_endpoints(cut, "s", "t")
    # ... but an endpoint with one qubit is fine
    rt.check_endpoints(cut, "a", "s")
    rt.check_endpoints(graph(MESH, memory={"s": 1, "t": 1}), "s", "t")


def test_finders_respect_costs_and_relays():
    g = graph(MESH)
    assert rt.shortest_path(g, "s", "t") == ["s", "a", "t"]  # 1/800 + 1/600
    assert rt.shortest_path(g, "s", "t", cost="hops") in (["s", "a", "t"], ["s", "b", "t"])
    assert rt.shortest_path(g, "s", "t", cost="length") == ["s", "a", "t"]  # 45 km
    assert rt.shortest_path(g, "s", "t", cost="infidelity") == ["s", "b", "t"]
    # squared lengths: 20² + 10² + 15² + 15² = 950 beats 20² + 25² = 1025
    square = rt.shortest_path(g, "s", "t", cost=lambda u, v, d: d["length_km"] ** 2)
    assert square == ["s", "a", "b", "c", "t"]
    with pytest.raises(ValueError, match="or a callable; got 'price'"):
        rt.shortest_path(g, "s", "t", cost="price")
    # a has one qubit: it cannot relay, so the fastest route goes through b
    no_a = graph(MESH, memory={"a": 1})
    assert "a" not in rt.shortest_path(no_a, "s", "t")
    paths = rt.k_shortest_paths(g, "s", "t", 100, cost="hops")
    assert len(paths) == len(list(nx.all_simple_paths(g, "s", "t")))
    assert [len(p) for p in paths] == sorted(len(p) for p in paths)
    assert len(rt.k_shortest_paths(g, "s", "t", 2)) == 2
    with pytest.raises(ValueError, match="k"):
        rt.k_shortest_paths(g, "s", "t", 0)


def test_fidelity_constrained_path():
    g = graph(MESH, coherence_time_s=1.0)
    fast = rt.path_metrics(g, ["s", "a", "t"])
    m = rt.fidelity_constrained_path(g, "s", "t", fidelity_threshold=fast.fidelity + 1e-9)
    assert m.path != ("s", "a", "t") and m.fidelity >= fast.fidelity + 1e-9
    m0 = rt.fidelity_constrained_path(g, "s", "t", fidelity_threshold=fast.fidelity)
    assert m0.path == ("s", "a", "t")
    with pytest.raises(ValueError, match=r"among the 3 cheapest \(cost=.inverse_rate.\) reaches"):
        rt.fidelity_constrained_path(g, "s", "t", fidelity_threshold=0.99, max_candidates=3)
    with pytest.raises(ValueError, match="max_candidates"):
        rt.fidelity_constrained_path(g, "s", "t", fidelity_threshold=0.5, max_candidates=0)


def brute_force(g, s, t, thr, max_hops=None):
    best = None
    for p in nx.all_simple_paths(g, s, t):
        if max_hops is not None and len(p) - 1 > max_hops:
            continue
        if any(g.nodes[n]["memory_qubits"] < 2 for n in p[1:-1]):
            continue
        m = rt.path_metrics(g, p, fidelity_threshold=thr)
        if m.feasible and (best is None or m.delivered_rate > best.delivered_rate):
            best = m
    return best


@pytest.mark.parametrize("ps", [1.0, 0.3, 0.02])
@pytest.mark.parametrize("thr", [0.5, 0.8, 0.85])
def test_optimal_path_equals_brute_force(ps, thr):
    g = graph(MESH, coherence_time_s=0.003, swap_success=ps)
    ref = brute_force(g, "s", "t", thr)
    if ref is None:
        with pytest.raises(ValueError, match="reaches fidelity_threshold"):
            rt.optimal_path(g, "s", "t", fidelity_threshold=thr)
        return
    got = rt.optimal_path(g, "s", "t", fidelity_threshold=thr)
    assert got.delivered_rate == pytest.approx(ref.delivered_rate, rel=1e-9)
    assert got.path == ref.path


def test_optimal_path_small_swap_probability_prefers_fewer_swaps():
    # At p_s = 0.01 every extra swap costs a factor 100: the single hop wins even though
    # the three-hop path's links are 50 times faster.
    edges = [("s", "t", 50.0, 10.0, 0.95)] + [
        (u, v, 10.0, 500.0, 0.99) for u, v in (("s", "x"), ("x", "y"), ("y", "t"))
    ]
    g = graph(edges, swap_success=0.01, coherence_time_s=1.0)
    assert rt.optimal_path(g, "s", "t").path == ("s", "t")
    g.graph["swap_success"] = 1.0
    assert rt.optimal_path(g, "s", "t").path == ("s", "x", "y", "t")
    assert rt.optimal_path(g, "s", "t", max_hops=1).path == ("s", "t")
    assert rt.optimal_path(g, "s", "t", max_hops=3).path == ("s", "x", "y", "t")
    with pytest.raises(ValueError, match="max_hops"):
        rt.optimal_path(g, "s", "t", max_hops=0)
    # max_hops counts links: two hops cannot use the three-hop path (this was off by one)
    ref = brute_force(g, "s", "t", 0.5, max_hops=2)
    assert rt.optimal_path(g, "s", "t", max_hops=2).path == ref.path == ("s", "t")
    for hops in (2, 3, 4):
        mesh = graph(MESH, coherence_time_s=0.01)
        got = rt.optimal_path(mesh, "s", "t", max_hops=hops)
        assert got.hops <= hops
        assert got.path == brute_force(mesh, "s", "t", 0.5, max_hops=hops).path
    with pytest.raises(ValueError, match="reaches fidelity_threshold"):
        rt.optimal_path(graph(MESH), "s", "t", max_hops=1)  # no direct link


def test_optimal_path_at_the_threshold():
    g = graph([("s", "t", 0.0, 100.0, 0.875)], coherence_time_s=1.0)
    f = rt.path_metrics(g, ["s", "t"]).fidelity
    assert rt.optimal_path(g, "s", "t", fidelity_threshold=f - 1e-12).path == ("s", "t")
    with pytest.raises(ValueError, match="reaches fidelity_threshold"):
        rt.optimal_path(g, "s", "t", fidelity_threshold=f + 1e-9)


def test_multipath_routes_share_memories():
    g = graph(MESH, coherence_time_s=0.01)
    res = rt.multipath_routes(g, "s", "t", n_paths=3)
    links = [set(map(frozenset, itertools.pairwise(p.path))) for p in res.paths]
    for x, y in itertools.combinations(links, 2):
        assert not x & y
    assert res.total_rate == pytest.approx(sum(p.delivered_rate for p in res.paths))
    assert res.paths[0].path == rt.optimal_path(g, "s", "t").path
    assert g.nodes["a"]["memory_qubits"] == 4  # the caller's graph is untouched
    # s has one memory qubit: one path only, however many are asked for
    one = rt.multipath_routes(graph(MESH, memory={"s": 1}), "s", "t", n_paths=3)
    assert len(one.paths) == 1
    # relays use two qubits per path: with two at b, b relays one path at most
    two = rt.multipath_routes(graph(MESH, memory={"b": 2, "a": 2}), "s", "t", n_paths=3)
    for node in ("a", "b"):
        assert sum(node in p.path[1:-1] for p in two.paths) <= 1
    assert repr(one).startswith("MultipathResult(n_paths=1, total_rate=")
    with pytest.raises(ValueError, match="n_paths"):
        rt.multipath_routes(g, "s", "t", n_paths=0)
    with pytest.raises(ValueError, match="fidelity_threshold"):
        rt.multipath_routes(g, "s", "t", fidelity_threshold=float("nan"))
    none = rt.multipath_routes(g, "s", "t", fidelity_threshold=0.999)
    assert none.paths == () and none.total_rate == 0.0


def test_multipath_relay_with_four_qubits_serves_two_paths():
    # Every path through r uses two of its qubits (one per link): four qubits serve two
    # link-disjoint paths, three qubits only one.
    edges = [
        (u, v, 10.0, 500.0, 0.99)
        for u, v in (
            ("s", "a"),
            ("a", "r"),
            ("r", "c"),
            ("c", "t"),
            ("s", "b"),
            ("b", "r"),
            ("r", "d"),
            ("d", "t"),
        )
    ]
    mem = {"s": 2, "t": 2, "r": 4, "a": 2, "b": 2, "c": 2, "d": 2}
    two = rt.multipath_routes(graph(edges, memory=mem, coherence_time_s=1.0), "s", "t", n_paths=3)
    assert len(two.paths) == 2 and all("r" in p.path for p in two.paths)
    one = rt.multipath_routes(
        graph(edges, memory={**mem, "r": 3}, coherence_time_s=1.0), "s", "t", n_paths=3
    )
    assert len(one.paths) == 1


def test_multipath_with_one_path_is_the_optimal_path():
    # n_paths = 1 is the single-path problem: the greedy step is the optimum itself.
    g = graph(MESH, coherence_time_s=0.01)
    res = rt.multipath_routes(g, "s", "t", n_paths=1)
    best = rt.optimal_path(g, "s", "t")
    assert len(res.paths) == 1 and res.paths[0].path == best.path
    assert res.total_rate == pytest.approx(best.delivered_rate, rel=1e-12)


def test_multipath_reserves_every_link_of_a_path():
    # Two routes into r share the last link r-t; r and t have memories to spare, so only
    # the link reservation stops a second path (a link carries one path's pairs).
    edges = [
        ("s", "a", 10.0, 900.0, 0.99),
        ("a", "r", 10.0, 900.0, 0.99),
        ("s", "b", 10.0, 500.0, 0.99),
        ("b", "r", 10.0, 500.0, 0.99),
        ("r", "t", 10.0, 900.0, 0.99),
    ]
    mem = {"s": 8, "t": 8, "r": 8}
    res = rt.multipath_routes(graph(edges, memory=mem, coherence_time_s=1.0), "s", "t", n_paths=3)
    assert [p.path for p in res.paths] == [("s", "a", "r", "t")]


def test_path_metrics_summary_lists_every_field():
    m = rt.path_metrics(graph(MESH), ["s", "a", "t"], fidelity_threshold=0.7)
    lines = m.summary().splitlines()
    assert lines[0] == "PathMetrics"
    rows = {ln.split()[0]: ln.split(None, 1)[1] for ln in lines[1:]}
    assert rows["path"] == "['s', 'a', 't']" and rows["hops"] == "2"
    assert set(rows) >= {"distance_km", "rate", "fidelity", "delivered_rate"}
    assert float(rows["distance_km"]) == pytest.approx(45.0)


def test_one_shortest_path_is_dijkstras():
    # Yen's first path is Dijkstra's shortest path (Yen 1971), for every cost
    g = graph(MESH)
    for cost in ("inverse_rate", "hops", "length"):
        assert rt.k_shortest_paths(g, "s", "t", 1, cost=cost) == [
            rt.shortest_path(g, "s", "t", cost=cost)
        ]
    with pytest.raises(ValueError, match="k"):
        rt.k_shortest_paths(g, "s", "t", 0)
