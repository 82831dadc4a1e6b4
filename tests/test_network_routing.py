"""Tests of qnetlab.network: topologies, routing, link dynamics and the routing environment."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env
from hypothesis import given, settings
from hypothesis import strategies as st

from qnetlab.network.chain_model import expected_max_waiting_time
from qnetlab.network.dynamics import LinkDynamics, estimate_link_probabilities, run_controller
from qnetlab.network.envs import RoutingEnv, candidate_paths
from qnetlab.network.routing import (
    check_endpoints,
    fidelity_constrained_path,
    k_shortest_paths,
    link_cost,
    multipath_routes,
    optimal_path,
    path_metrics,
    shortest_path,
)
from qnetlab.network.topologies import (
    annotate_links,
    elementary_link_fidelity,
    elementary_link_rate,
    grid_network,
    metro_mesh,
    metro_ring,
    validate_topology,
    waxman_network,
)

C_KM_S = 299_792.458 / 1.47


# --- topologies -----------------------------------------------------------------------


def test_elementary_link_rate_matches_barrett_kok_formula():
    # Barrett & Kok (2005): both photons must arrive, p = 1/2 eta_d^2 eta(L/2)^2 per mode
    length, eta_d, m = 60.0, 0.8, 50
    p = 0.5 * eta_d**2 * (10 ** (-0.2 * (length / 2) / 10)) ** 2
    expected = (1 - (1 - p) ** m) / (length / C_KM_S)
    got = elementary_link_rate(length, detector_efficiency=eta_d, n_modes=m)
    assert got == pytest.approx(expected, rel=1e-12)


def test_elementary_link_fidelity_is_depolarising_decay_over_the_herald_time():
    t = 80.0 / C_KM_S
    expected = 0.25 + (0.96 - 0.25) * math.exp(-t / 0.01)
    got = elementary_link_fidelity(80.0, source_fidelity=0.96, coherence_time_s=0.01)
    assert got == pytest.approx(expected, rel=1e-12)


def test_generators_have_expected_structure_and_attributes():
    ring = metro_ring(10, circumference_km=300.0, seed=0)
    assert ring.number_of_edges() == 10
    assert all(d["length_km"] == pytest.approx(30.0) for *_, d in ring.edges(data=True))
    mesh = metro_mesh(10, chord_step=3, seed=0)
    assert mesh.number_of_edges() == 20 and nx.is_connected(mesh)
    grid = grid_network(3, 3, spacing_km=20.0, seed=0)
    assert grid.number_of_edges() == 12
    for g in (ring, mesh, grid, waxman_network(15, seed=4)):
        validate_topology(g)
        for _, d in g.nodes(data=True):
            assert d["memory_qubits"] >= 0
        for *_, d in g.edges(data=True):
            assert d["rate"] > 0 and 0.25 <= d["fidelity"] <= 1


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 25))
def test_waxman_is_connected_and_reproducible(seed, n):
    g1, g2 = waxman_network(n, seed=seed), waxman_network(n, seed=seed)
    assert nx.is_connected(g1) and g1.number_of_nodes() == n
    assert sorted(g1.edges(data="fidelity")) == sorted(g2.edges(data="fidelity"))


def test_memory_range_and_fidelity_range_are_drawn_per_node_and_link():
    g = metro_mesh(12, memory_qubits=(2, 6), source_fidelity=(0.9, 0.99), seed=1)
    mems = {d["memory_qubits"] for _, d in g.nodes(data=True)}
    assert mems <= set(range(2, 7)) and len(mems) > 1
    assert len({round(f, 9) for *_, f in g.edges(data="fidelity")}) > 1


def test_bad_topologies_raise_clear_errors():
    with pytest.raises(ValueError, match="empty graph"):
        validate_topology(nx.Graph())
    with pytest.raises(TypeError, match="undirected"):
        validate_topology(nx.DiGraph([(0, 1)]))
    g = metro_ring(4, seed=0)
    g.edges[0, 1]["length_km"] = -5.0
    with pytest.raises(ValueError, match=r"length_km.*non-negative"):
        validate_topology(g)
    h = nx.path_graph(3)
    nx.set_edge_attributes(h, -1.0, "length_km")
    with pytest.raises(ValueError, match="length_km"):
        annotate_links(h)
    g2 = metro_ring(4, seed=0)
    g2.edges[1, 2]["fidelity"] = 1.2
    with pytest.raises(ValueError, match="fidelity"):
        validate_topology(g2)
    g3 = metro_ring(4, seed=0)
    del g3.nodes[2]["memory_qubits"]
    with pytest.raises(ValueError, match="memory_qubits"):
        validate_topology(g3)
    with pytest.raises(ValueError, match="n_nodes"):
        metro_ring(2)
    with pytest.raises(ValueError, match="circumference_km"):
        metro_ring(5, circumference_km=-1.0)
    with pytest.raises(ValueError, match="source_fidelity"):
        metro_ring(5, source_fidelity=1.5)
    with pytest.raises(TypeError, match="rows"):
        grid_network(2.5, 3)


# --- routing: formulas ------------------------------------------------------------------


def _inclusion_exclusion(rates):
    total = 0.0
    for k in range(1, len(rates) + 1):
        for subset in itertools.combinations(rates, k):
            total += (-1) ** (k + 1) / sum(subset)
    return total


def test_expected_max_waiting_time_formulas_and_monte_carlo():
    # equal rates: E[max of n Exp(r)] = H_n / r (order statistics of exponentials)
    for n in (1, 3, 12, 15):
        h_n = sum(1 / k for k in range(1, n + 1))
        assert expected_max_waiting_time([2.0] * n) == pytest.approx(h_n / 2.0, rel=1e-8)
    rates = [1.0, 3.0, 0.5, 7.0]
    assert expected_max_waiting_time(rates) == pytest.approx(_inclusion_exclusion(rates), rel=1e-12)
    rng = np.random.default_rng(11)
    samples = rng.exponential(1 / np.array(rates), size=(200_000, 4)).max(axis=1)
    se = samples.std() / np.sqrt(samples.size)
    assert abs(samples.mean() - expected_max_waiting_time(rates)) < 4 * se
    # beyond 12 links the numerical integral takes over; it must agree with the exact sum
    many = list(np.linspace(1.0, 4.0, 13))
    assert expected_max_waiting_time(many) == pytest.approx(_inclusion_exclusion(many), rel=1e-7)
    with pytest.raises(ValueError, match="rates"):
        expected_max_waiting_time([1.0, 0.0])
    with pytest.raises(ValueError, match="rates"):
        expected_max_waiting_time([])


def test_path_metrics_match_independent_werner_parameter_calculation():
    # Werner states swap by multiplying their Werner parameters w = (4F-1)/3 (Briegel et al.
    # 1998); depolarising storage multiplies w by exp(-t/T).
    g = metro_ring(8, circumference_km=400.0, source_fidelity=(0.93, 0.99), seed=5)
    g.graph["swap_success"] = 0.8
    path = [0, 1, 2, 3]
    m = path_metrics(g, path, fidelity_threshold=0.5)
    rates = [g.edges[u, v]["rate"] for u, v in itertools.pairwise(path)]
    fids = [g.edges[u, v]["fidelity"] for u, v in itertools.pairwise(path)]
    tc = g.graph["coherence_time_s"]
    wait = _inclusion_exclusion(rates)
    t_cc = 150.0 / C_KM_S
    w = math.exp(-t_cc / tc)
    for r, f in zip(rates, fids):
        w *= (4 * f - 1) / 3 * math.exp(-(wait - 1 / r) / tc)
    assert m.waiting_time_s == pytest.approx(wait, rel=1e-10)
    assert m.fidelity == pytest.approx(0.25 + 0.75 * w, rel=1e-10)
    assert m.rate == pytest.approx(0.8**2 / (wait + t_cc), rel=1e-10)
    assert m.delivered_rate == m.rate and m.feasible
    strict = path_metrics(g, path, fidelity_threshold=min(m.fidelity + 0.01, 1.0))
    assert strict.delivered_rate == 0.0 and not strict.feasible


def test_link_costs():
    d = {"rate": 250.0, "length_km": 40.0, "fidelity": 0.85}
    assert link_cost(d, "inverse_rate") == pytest.approx(0.004)
    assert link_cost(d, "length") == 40.0 and link_cost(d, "hops") == 1.0
    assert link_cost(d, "infidelity") == pytest.approx(-math.log((4 * 0.85 - 1) / 3))
    with pytest.raises(ValueError, match="cost must be one of"):
        link_cost(d, "latency")


# --- routing: algorithms --------------------------------------------------------------


def _brute_force_best(g, s, d, thr):
    best = 0.0
    for p in nx.all_simple_paths(g, s, d):
        if all(g.nodes[n]["memory_qubits"] >= 2 for n in p[1:-1]):
            best = max(best, path_metrics(g, p, fidelity_threshold=thr).delivered_rate)
    return best


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([0.5, 0.8, 0.88]))
def test_optimal_path_equals_brute_force_enumeration(seed, thr):
    g = waxman_network(9, area_km=150.0, memory_qubits=(1, 4), seed=seed)
    s, d = 0, 8
    try:
        check_endpoints(g, s, d)
    except ValueError:
        return
    best = _brute_force_best(g, s, d, thr)
    if best == 0.0:
        with pytest.raises(ValueError, match="fidelity_threshold"):
            optimal_path(g, s, d, fidelity_threshold=thr)
        return
    opt = optimal_path(g, s, d, fidelity_threshold=thr)
    assert opt.delivered_rate == pytest.approx(best, rel=1e-12)
    dij = path_metrics(g, shortest_path(g, s, d), fidelity_threshold=thr)
    assert dij.delivered_rate <= opt.delivered_rate * (1 + 1e-12)


def test_dijkstra_and_yen_order_paths_by_additive_cost():
    g = waxman_network(16, seed=21)
    paths = k_shortest_paths(g, 0, 15, 6, cost="inverse_rate")
    costs = [sum(1 / g.edges[u, v]["rate"] for u, v in itertools.pairwise(p)) for p in paths]
    assert len(paths) == 6 and len({tuple(p) for p in paths}) == 6
    assert costs == sorted(costs)
    assert paths[0] == shortest_path(g, 0, 15, cost="inverse_rate")
    assert shortest_path(metro_ring(6, seed=0), 0, 2, cost="hops") == [0, 1, 2]
    lengths = nx.dijkstra_path_length(g, 0, 15, weight="length_km")
    p_len = shortest_path(g, 0, 15, cost="length")
    assert sum(g.edges[u, v]["length_km"] for u, v in itertools.pairwise(p_len)) == pytest.approx(
        lengths
    )


def test_nodes_without_two_memories_cannot_relay():
    g = metro_ring(6, memory_qubits=4, seed=0)
    g.nodes[1]["memory_qubits"] = 1
    assert shortest_path(g, 0, 2, cost="hops") == [0, 5, 4, 3, 2]
    assert optimal_path(g, 0, 2).path == (0, 5, 4, 3, 2)
    g.nodes[4]["memory_qubits"] = 0
    with pytest.raises(ValueError, match="disconnected"):
        shortest_path(g, 0, 2)
    g.nodes[0]["memory_qubits"] = 0
    with pytest.raises(ValueError, match="source 0 has no free memory"):
        shortest_path(g, 0, 5)


def test_fidelity_constrained_path_meets_threshold_or_raises():
    g = waxman_network(18, seed=2)
    m = fidelity_constrained_path(g, 0, 17, fidelity_threshold=0.75)
    assert m.fidelity >= 0.75
    with pytest.raises(ValueError, match="fidelity_threshold"):
        fidelity_constrained_path(g, 0, 17, fidelity_threshold=0.9999, max_candidates=5)


def test_multipath_is_link_disjoint_and_respects_memories():
    g = metro_mesh(10, memory_qubits=3, seed=3)
    res = multipath_routes(g, 0, 5, n_paths=4, fidelity_threshold=0.6)
    assert len(res.paths) >= 2
    used = [frozenset(e) for p in res.paths for e in zip(p.path[:-1], p.path[1:])]
    assert len(used) == len(set(used))
    load = {n: 0 for n in g}
    for p in res.paths:
        for n in p.path:
            load[n] += 1 if n in (0, 5) else 2
    assert all(load[n] <= g.nodes[n]["memory_qubits"] for n in g)
    assert res.total_rate == pytest.approx(sum(p.delivered_rate for p in res.paths))
    assert res.paths[0].delivered_rate == pytest.approx(
        optimal_path(g, 0, 5, fidelity_threshold=0.6).delivered_rate
    )


def test_routing_input_errors():
    g = metro_ring(6, seed=0)
    with pytest.raises(ValueError, match="source 99 is not a node"):
        shortest_path(g, 99, 1)
    with pytest.raises(ValueError, match="destination 'x' is not a node"):
        optimal_path(g, 0, "x")
    with pytest.raises(ValueError, match="must differ"):
        k_shortest_paths(g, 2, 2, 3)
    two = metro_ring(4, seed=0)
    two.remove_edges_from([(0, 1), (0, 3)])
    with pytest.raises(ValueError, match="disconnected"):
        optimal_path(two, 0, 2)
    with pytest.raises(ValueError, match="missing link"):
        path_metrics(g, [0, 2])
    with pytest.raises(ValueError, match="unknown node"):
        path_metrics(g, [0, 7])
    with pytest.raises(ValueError, match="twice"):
        path_metrics(g, [0, 1, 0])
    with pytest.raises(ValueError, match="at least two"):
        path_metrics(g, [0])
    with pytest.raises(ValueError, match="fidelity_threshold"):
        path_metrics(g, [0, 1], fidelity_threshold=1.5)
    with pytest.raises(ValueError, match="k must be"):
        k_shortest_paths(g, 0, 3, 0)
    with pytest.raises(ValueError, match="empty graph"):
        shortest_path(nx.Graph(), 0, 1)


# --- dynamics ---------------------------------------------------------------------------


def test_link_dynamics_stationary_fractions_match_markov_balance():
    dyn = LinkDynamics(metro_mesh(10, seed=0), p_fade=0.1, p_recover=0.3, p_fail=0.05, p_repair=0.2)
    traj = dyn.sample(4000, seed=3, start_good=False)
    # two-state chain: pi(bad) = p_in / (p_in + p_out)
    assert traj.faded.mean() == pytest.approx(0.1 / 0.4, abs=0.02)
    assert traj.failed.mean() == pytest.approx(0.05 / 0.25, abs=0.02)
    assert dyn.stationary_fade_fraction == pytest.approx(0.25)
    # mean length of a failure is 1 / p_repair slots
    runs = []
    for e in range(traj.failed.shape[1]):
        col = np.concatenate([[False], traj.failed[:, e], [False]]).astype(int)
        starts, ends = np.flatnonzero(np.diff(col) == 1), np.flatnonzero(np.diff(col) == -1)
        runs.extend((ends - starts).tolist())
    assert np.mean(runs) == pytest.approx(1 / 0.2, rel=0.1)


def test_graph_at_applies_fading_and_failures():
    g = metro_ring(5, seed=0)
    dyn = LinkDynamics(
        g, p_fade=1.0, p_recover=0.0, fade_factor=0.2, fade_visibility=0.9, p_fail=0.0, p_repair=1.0
    )
    traj = dyn.sample(2, seed=0)
    h = traj.graph_at(1)
    d0, d1 = g.edges[0, 1], h.edges[0, 1]
    assert d1["rate"] == pytest.approx(0.2 * d0["rate"])
    assert (4 * d1["fidelity"] - 1) / 3 == pytest.approx(0.9 * (4 * d0["fidelity"] - 1) / 3)
    assert traj.graph_at(0).edges[0, 1]["rate"] == d0["rate"]
    with pytest.raises(ValueError, match="t must be"):
        traj.graph_at(2)


def test_controllers_oracle_bounds_every_policy_and_static_is_optimal_without_dynamics():
    g = waxman_network(14, seed=8)
    traj = LinkDynamics(g, p_fail=0.05, p_repair=0.2, p_fade=0.1).sample(60, seed=4)
    res = {
        p: run_controller(traj, 0, 13, policy=p, fidelity_threshold=0.7)
        for p in ("static", "reactive", "adaptive", "oracle")
    }
    for p in ("static", "reactive", "adaptive"):
        assert res["oracle"].total_pairs >= res[p].total_pairs - 1e-9
        assert np.all(res["oracle"].delivered >= res[p].delivered - 1e-9)
    assert res["adaptive"].total_pairs > res["static"].total_pairs
    assert res["static"].reroutes == 0
    calm = LinkDynamics(g, p_fade=0.0, p_recover=1.0, p_fail=0.0, p_repair=1.0).sample(5, seed=0)
    a = run_controller(calm, 0, 13, policy="static", fidelity_threshold=0.7)
    b = run_controller(calm, 0, 13, policy="oracle", fidelity_threshold=0.7)
    assert np.allclose(a.delivered, b.delivered) and a.outage_fraction == 0.0
    with pytest.raises(ValueError, match="policy"):
        run_controller(traj, 0, 13, policy="psychic")
    with pytest.raises(ValueError, match="p_fail"):
        LinkDynamics(g, p_fail=1.5)
    with pytest.raises(TypeError, match="LinkTrajectory"):
        run_controller(g, 0, 1)


def test_multipath_rejects_a_nan_threshold_like_optimal_path():
    # issue 16: a NaN threshold used to return no paths instead of raising
    g = metro_mesh(8, seed=0)
    for bad in (float("nan"), -0.1, 1.5):
        with pytest.raises(ValueError, match="fidelity_threshold"):
            multipath_routes(g, 0, 4, fidelity_threshold=bad)
        with pytest.raises(ValueError, match="fidelity_threshold"):
            optimal_path(g, 0, 4, fidelity_threshold=bad)


def test_link_dynamics_per_link_probabilities_follow_each_links_balance():
    g = metro_ring(4, seed=0)
    p_fail = [0.0, 0.05, 0.1, 0.2]
    dyn = LinkDynamics(g, p_fade=0.1, p_recover=0.3, p_fail=p_fail, p_repair=0.2)
    expected = np.array(p_fail) / (np.array(p_fail) + 0.2)  # two-state balance, link by link
    assert np.allclose(dyn.stationary_down_fraction, expected)
    assert dyn.stationary_fade_fraction == pytest.approx(0.25)
    traj = dyn.sample(6000, seed=5, start_good=False)
    assert np.allclose(traj.failed.mean(axis=0), expected, atol=0.03)
    assert not traj.failed[:, 0].any()
    assert "0..0.2" in repr(dyn)
    with pytest.raises(ValueError, match="one per link"):
        LinkDynamics(g, p_fail=[0.1, 0.2])
    with pytest.raises(ValueError, match="p_fade"):
        LinkDynamics(g, p_fade=[0.1, 0.2, 0.3, 1.2])


def test_estimate_link_probabilities_is_the_transition_count_without_prior():
    g = metro_ring(5, seed=1)
    dyn = LinkDynamics(g, p_fade=[0.05, 0.1, 0.2, 0.3, 0.4], p_fail=0.05, p_repair=0.3)
    traj = dyn.sample(3000, seed=2)
    p_fade, p_fail = estimate_link_probabilities(traj, prior_slots=0.0)
    f, d = traj.faded, traj.failed
    for e in range(5):  # independent count: good -> faded while the link is up in both slots
        up = ~d[:-1, e] & ~d[1:, e]
        good = up & ~f[:-1, e]
        assert p_fade[e] == pytest.approx(np.sum(good & f[1:, e]) / np.sum(good))
        assert p_fail[e] == pytest.approx(np.sum(~d[:-1, e] & d[1:, e]) / np.sum(~d[:-1, e]))
    assert np.allclose(p_fade, [0.05, 0.1, 0.2, 0.3, 0.4], atol=0.05)
    # the prior shrinks every estimate towards the pooled rate
    p_shrunk, _ = estimate_link_probabilities(traj, n_slots=50, prior_slots=1e9)
    assert np.ptp(p_shrunk) < 1e-6
    with pytest.raises(ValueError, match="n_slots"):
        estimate_link_probabilities(traj, n_slots=3001)
    with pytest.raises(TypeError, match="LinkTrajectory"):
        estimate_link_probabilities(g)


def test_predictive_controller_learns_to_avoid_a_flaky_link():
    # two parallel routes 0-1-3 and 0-2-3; the slightly faster one runs over a flaky link
    g = nx.Graph()
    g.add_edge(0, 1, length_km=20.0)
    g.add_edge(1, 3, length_km=20.0)
    g.add_edge(0, 2, length_km=22.0)
    g.add_edge(2, 3, length_km=22.0)
    for n, xy in zip(range(4), [(0, 0), (20, 10), (22, -10), (40, 0)]):
        g.nodes[n]["pos"] = xy
    annotate_links(g, source_fidelity=0.98, seed=0)
    edges = list(g.edges)
    flaky = [e in ((0, 1), (1, 0)) for e in edges]
    dyn = LinkDynamics(
        g,
        p_fade=[0.3 if f else 0.0 for f in flaky],
        p_recover=0.3,
        p_fail=[0.2 if f else 0.0 for f in flaky],
        p_repair=0.3,
    )
    traj = dyn.sample(400, seed=3)
    res = {
        p: run_controller(traj, 0, 3, policy=p, fidelity_threshold=0.7)
        for p in ("adaptive", "predictive", "oracle")
    }
    assert np.all(res["oracle"].delivered >= res["predictive"].delivered - 1e-9)
    assert res["predictive"].total_pairs > 1.1 * res["adaptive"].total_pairs
    assert res["predictive"].reroutes < res["adaptive"].reroutes
    with pytest.raises(ValueError, match="prior_slots"):
        run_controller(traj, 0, 3, policy="predictive", prior_slots=-1.0)
    with pytest.raises(ValueError, match="n_candidates"):
        run_controller(traj, 0, 3, policy="predictive", n_candidates=0)


# --- environment ------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["path", "next_hop"])
def test_routing_env_passes_gymnasium_checker(mode):
    check_env(RoutingEnv(mode=mode, seed=0), skip_render_check=True)


def test_routing_env_is_reproducible_and_rewards_are_normalised():
    e1, e2 = RoutingEnv(seed=0), RoutingEnv(seed=0)
    for s in range(5):
        o1, i1 = e1.reset(seed=s)
        o2, i2 = e2.reset(seed=s)
        assert np.array_equal(o1, o2) and i1["optimal_rate"] == i2["optimal_rate"]
        best = int(np.argmax(i1["candidate_rates"]))
        _, r, term, trunc, info = e1.step(best)
        assert r == pytest.approx(1.0) and term and not trunc
        assert info["delivered_rate"] == pytest.approx(
            info["optimal_rate"]
        )  # optimum is a candidate here
        _, r2, *_ = e2.step(e2.action_space.n - 1)
        assert 0.0 <= r2 <= 1.0


def test_candidate_paths_are_distinct_and_valid():
    g = waxman_network(16, seed=3)
    paths = candidate_paths(g, 0, 15, 8)
    assert len({tuple(p) for p in paths}) == len(paths) <= 8
    assert all(
        p[0] == 0 and p[-1] == 15 and all(g.has_edge(u, v) for u, v in itertools.pairwise(p))
        for p in paths
    )


def test_next_hop_env_following_cost_to_go_reaches_destination():
    env = RoutingEnv([waxman_network(15, seed=s) for s in range(3)], mode="next_hop", seed=1)
    for s in range(5):
        obs, info = env.reset(seed=s)
        done, reward, steps = False, 0.0, 0
        while not done:
            valid = obs[:, 0] > 0.5
            a = int(np.argmin(np.where(valid, obs[:, 4], np.inf)))  # smallest cost-to-go
            obs, reward, term, trunc, info = env.step(a)
            done, steps = term or trunc, steps + 1
        assert info["path"][-1] == env.destination and 0.0 <= reward <= 1.0 + 1e-12
        # walking the cost-to-go gradient is Dijkstra under 1/r
        assert info["path"] == shortest_path(env.graph, env.source, env.destination)
    obs, _ = env.reset(seed=0)
    _, r, term, _, _ = env.step(env.max_degree - 1 if obs[-1, 0] < 0.5 else 0)
    assert term or r == 0.0


def test_routing_env_bad_input():
    with pytest.raises(ValueError, match="mode"):
        RoutingEnv(mode="teleport")
    with pytest.raises(ValueError, match="networks"):
        RoutingEnv([])
    with pytest.raises(ValueError, match="empty graph"):
        RoutingEnv([nx.Graph()])
    env = RoutingEnv(seed=0)
    env.reset(seed=0)
    with pytest.raises(ValueError, match="action"):
        env.step(99)
