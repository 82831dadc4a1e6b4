"""Every argument check of the AI, network and QNN modules is reached (issue 21).

One test per check that no other test executes (``scripts/check_raises.py`` lists them):
the bad input, the exception type, and the words of the message that tell the caller what
to fix (the argument's name and the allowed range or the call that must come first).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from qnetlab import sweep
from qnetlab.network import (
    allocation,
    chain_model,
    dynamics,
    envs,
    placement,
    routing,
    topologies,
    traffic,
)


def _path(n: int = 3, length: float = 20.0, memory: int = 3) -> nx.Graph:
    g = nx.path_graph(n)
    nx.set_edge_attributes(g, length, "length_km")
    nx.set_node_attributes(g, memory, "memory_qubits")
    return g


# --- sweep ---------------------------------------------------------------------------------
def test_grid_rejects_a_value_that_is_not_a_list():
    with pytest.raises(TypeError, match=r"parameters\['d'\] must be a list of values, got int"):
        sweep.grid({"d": 3})


def test_grid_rejects_an_empty_list():
    with pytest.raises(ValueError, match=r"parameters\['d'\] must not be empty"):
        sweep.grid({"d": []})


def test_grid_rejects_too_many_points():
    big = list(range(sweep.MAX_POINTS + 1))
    with pytest.raises(ValueError, match=r"parameters must span at most \d+ points"):
        sweep.grid({"d": big})


def test_sweep_list_rejects_too_many_points():
    pts = [{"x": 0}] * (sweep.MAX_POINTS + 1)
    with pytest.raises(ValueError, match=r"points must hold at most \d+ points"):
        sweep.sweep_list(lambda x, seed=None: x, pts)


def test_sweep_list_rejects_zero_jobs():
    with pytest.raises(ValueError, match="n_jobs must be a non-zero integer"):
        sweep.sweep_list(lambda x, seed=None: x, [{"x": 1}], n_jobs=0)


# --- network.traffic -----------------------------------------------------------------------
def test_poisson_traffic_rejects_a_threshold_triple():
    with pytest.raises(ValueError, match=r"fidelity_threshold must be a number or a \(low, high\)"):
        traffic.poisson_traffic([(0, 2)], 0.5, 10, fidelity_threshold=(0.8, 0.9, 0.95))


def test_mmpp_mean_rate_rejects_two_zero_switch_probabilities():
    with pytest.raises(ValueError, match="switch_probabilities must not both be 0"):
        traffic.mmpp_mean_rate((0.5, 4.0), (0.0, 0.0))


def test_network_simulator_needs_link_lengths():
    g = _path()
    del g.edges[0, 1]["length_km"]
    with pytest.raises(ValueError, match="length_km"):
        traffic.NetworkSimulator(g, [(0, 2)])


@pytest.mark.parametrize("method", ["view", "admit", "step", "finish"])
def test_network_simulator_needs_reset_first(method):
    sim = traffic.NetworkSimulator(_path(), [(0, 2)])
    args = ([],) if method == "admit" else ()
    with pytest.raises(RuntimeError, match=r"call reset\(traffic\) first"):
        getattr(sim, method)(*args)


def test_network_simulator_step_after_the_trace_is_finished():
    sim = traffic.NetworkSimulator(_path(), [(0, 2)])
    sim.reset(traffic.poisson_traffic([(0, 2)], 0.5, 2, seed=0), seed=0)
    while not sim.done:
        sim.step()
    with pytest.raises(RuntimeError, match="the traffic trace is finished; call reset"):
        sim.step()


# --- network.topologies --------------------------------------------------------------------
def test_annotate_links_rejects_a_reversed_range():
    with pytest.raises(ValueError, match=r"source_fidelity range must have low <= high"):
        topologies.annotate_links(_path(), source_fidelity=(0.99, 0.95), seed=0)


def test_grid_network_needs_two_nodes():
    with pytest.raises(ValueError, match=r"rows \* cols must be at least 2, got 1"):
        topologies.grid_network(1, 1)


# --- network.routing -----------------------------------------------------------------------
def test_link_cost_needs_the_attribute_of_its_cost():
    with pytest.raises(ValueError, match="data must hold the link attribute 'rate'"):
        routing.link_cost({"length_km": 3.0}, "inverse_rate")


# --- network.chain_model -------------------------------------------------------------------
def test_expected_max_waiting_time_rejects_text():
    with pytest.raises(TypeError, match="rates must be a sequence of link rates, got str"):
        chain_model.expected_max_waiting_time("12")


def test_chain_metrics_needs_one_fidelity_per_rate():
    with pytest.raises(ValueError, match="link_rates and link_fidelities must have one length"):
        chain_model.chain_metrics([100.0, 50.0], [0.95], 50.0)


def test_path_fidelity_needs_a_link():
    with pytest.raises(ValueError, match="link_fidelities must not be empty"):
        chain_model.path_fidelity([])


# --- network.dynamics ----------------------------------------------------------------------
def test_link_dynamics_rejects_a_chain_that_never_moves():
    with pytest.raises(ValueError, match=r"p_fade \+ p_recover and p_fail \+ p_repair"):
        dynamics.LinkDynamics(topologies.metro_ring(4, seed=0), p_fail=0.0, p_repair=0.0)


# --- network.envs --------------------------------------------------------------------------
def test_path_features_rejects_a_single_node_path():
    g = topologies.metro_ring(6, seed=0)
    with pytest.raises(ValueError, match="paths must have at least one edge each"):
        envs.path_features(g, [[0]], fidelity_threshold=0.8, n_rows=2)


# --- network.placement ---------------------------------------------------------------------
def test_repeater_placement_checks_candidates_and_demands():
    g = _path(5, 60.0)
    with pytest.raises(ValueError, match="candidates must name at least one node"):
        placement.RepeaterPlacement(g, [], [(0, 4)], k=1)
    with pytest.raises(ValueError, match="candidates must not repeat a node"):
        placement.RepeaterPlacement(g, [1, 1], [(0, 4)], k=1)
    with pytest.raises(ValueError, match="candidate 9 is not a node of the graph"):
        placement.RepeaterPlacement(g, [1, 9], [(0, 4)], k=1)
    with pytest.raises(ValueError, match="a demand must join two different nodes"):
        placement.RepeaterPlacement(g, [1, 2], [(0, 0)], k=1)


def test_repeater_placement_needs_link_lengths():
    g = _path(5, 60.0)
    del g.edges[1, 2]["length_km"]
    with pytest.raises(ValueError, match="length_km"):
        placement.RepeaterPlacement(g, [1, 2, 3], [(0, 4)], k=1)


def test_repeater_placement_rejects_a_site_index_out_of_range():
    prob = placement.RepeaterPlacement(_path(5, 60.0), [1, 2, 3], [(0, 4)], k=1)
    with pytest.raises(ValueError, match=r"site indices must be in \[0, 2\]"):
        prob.rates([3])


def test_solve_placement_needs_a_placement_problem():
    with pytest.raises(TypeError, match="problem must be a RepeaterPlacement"):
        placement.solve_placement("graph", "sa")


def test_qubit_allocation_checks_its_demands():
    g = _path(3, 50.0)
    with pytest.raises(ValueError, match="demand node 7 is not a node of the graph"):
        placement.QubitAllocation(g, [(0, 7)], budget=8)
    with pytest.raises(ValueError, match="a demand must join two different nodes"):
        placement.QubitAllocation(g, [(1, 1)], budget=8)


def test_qubit_allocation_needs_link_lengths():
    g = _path(3, 50.0)
    del g.edges[0, 1]["length_km"]
    with pytest.raises(ValueError, match="length_km"):
        placement.QubitAllocation(g, [(0, 2)], budget=8)


def test_qubit_allocation_rates_check_the_allocation():
    prob = placement.QubitAllocation(_path(3, 50.0), [(0, 2)], budget=8)
    with pytest.raises(ValueError, match="allocation must give qubits for 3 nodes, got 2"):
        prob.rates_batch([[1, 2]])
    with pytest.raises(ValueError, match="allocation must be non-negative"):
        prob.rates_batch([[1, -2, 1]])


# --- network.allocation --------------------------------------------------------------------
def test_allocation_policy_base_class_has_no_order():
    with pytest.raises(NotImplementedError):
        allocation.AllocationPolicy().order(None, np.random.default_rng(0))


@pytest.mark.parametrize("policy", [allocation.StaticPolicy(), allocation.BanditPolicy("ucb")])
def test_policies_need_start_before_order(policy):
    with pytest.raises(RuntimeError, match=r"start\(simulator\) must run first"):
        policy.order(None, np.random.default_rng(0))


def test_compare_policies_needs_a_simulator():
    with pytest.raises(TypeError, match="simulator must be a NetworkSimulator, got str"):
        allocation.compare_policies("sim", None, [allocation.GreedyPolicy()])


def test_allocation_env_checks_traffic_and_reset():
    g = _path()
    with pytest.raises(TypeError, match="traffic must be a callable like bursty_traffic"):
        allocation.AllocationEnv(g, [(0, 2)], traffic=3)
    env = allocation.AllocationEnv(g, [(0, 2)])
    with pytest.raises(RuntimeError, match=r"call reset\(\) before step\(\)"):
        env.step(env.action_space.sample())
