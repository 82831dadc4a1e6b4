"""Every argument check of the AI, network and QNN modules is reached (issue 21).

One test per check that no other test executes (``scripts/check_raises.py`` lists them):
the bad input, the exception type, and the words of the message that tell the caller what
to fix (the argument's name and the allowed range or the call that must come first).
"""

from __future__ import annotations

import dataclasses
import sys

import cirq
import networkx as nx
import numpy as np
import pytest

from qnetlab import secure_sum, sweep
from qnetlab.ai import (
    anomaly,
    anomaly_evaluation,
    attack_detection,
    bandits,
    faults,
    faults_diagnosis,
    federated,
    optimizers,
    qkd_selector,
    qkd_tuning,
    rl,
    threat_intel,
)
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
from qnetlab.qnn import _sim as qsim
from qnetlab.qnn import _tf as qtf
from qnetlab.qnn import chemistry, datasets


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


def test_grid_rejects_too_many_points(monkeypatch):
    monkeypatch.setattr(sweep, "MAX_POINTS", 4)
    with pytest.raises(ValueError, match=r"parameters must span at most 4 points, got 6"):
        sweep.grid({"d": [1, 2, 3], "p": [0.1, 0.2]})


def test_sweep_list_rejects_too_many_points(monkeypatch):
    monkeypatch.setattr(sweep, "MAX_POINTS", 4)
    with pytest.raises(ValueError, match=r"points must hold at most 4 points; split them"):
        sweep.sweep_list(lambda x, seed=None: x, [{"x": i} for i in range(5)])


def test_sweep_list_rejects_zero_jobs():
    with pytest.raises(ValueError, match="n_jobs must be a non-zero integer"):
        sweep.sweep_list(lambda x, seed=None: x, [{"x": 1}], n_jobs=0)


# --- network.traffic -----------------------------------------------------------------------
def test_poisson_traffic_checks_the_threshold_range():
    with pytest.raises(ValueError, match=r"fidelity_threshold must be a number or a \(low, high\)"):
        traffic.poisson_traffic([(0, 2)], 0.5, 10, fidelity_threshold=(0.8, 0.9, 0.95))
    with pytest.raises(ValueError, match="fidelity_threshold range must have low <= high"):
        traffic.poisson_traffic([(0, 2)], 0.5, 10, fidelity_threshold=(0.95, 0.8))


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


def test_expected_max_waiting_time_rejects_words_in_a_list():
    with pytest.raises(TypeError, match="rates must be a sequence of real link rates"):
        chain_model.expected_max_waiting_time(["fast", "slow"])


def test_chain_metrics_needs_one_fidelity_per_rate():
    with pytest.raises(ValueError, match="link_rates and link_fidelities must have one length"):
        chain_model.chain_metrics([100.0, 50.0], [0.95], 50.0)


def test_path_fidelity_needs_a_link():
    with pytest.raises(ValueError, match="link_fidelities must not be empty"):
        chain_model.path_fidelity([])
    with pytest.raises(ValueError, match="ages_s must have one storage time per link"):
        chain_model.path_fidelity([0.9, 0.9], ages_s=[0.1])


# --- network.dynamics ----------------------------------------------------------------------
def test_link_dynamics_rejects_a_chain_that_never_moves():
    with pytest.raises(ValueError, match=r"p_fade \+ p_recover and p_fail \+ p_repair"):
        dynamics.LinkDynamics(topologies.metro_ring(4, seed=0), p_fail=0.0, p_repair=0.0)


# --- network.envs --------------------------------------------------------------------------
def test_path_features_rejects_a_single_node_path():
    g = topologies.metro_ring(6, seed=0)
    with pytest.raises(ValueError, match="paths must have at least one edge each"):
        envs.path_features(g, [[0]], fidelity_threshold=0.8, n_rows=2)


def test_routing_env_gives_up_on_an_unroutable_network():
    env = envs.RoutingEnv([topologies.metro_ring(4, seed=0)], fidelity_threshold=1.0, seed=0)
    with pytest.raises(RuntimeError, match="could not draw a routable request"):
        env.reset(seed=0)


# --- network.placement ---------------------------------------------------------------------
def test_repeater_placement_checks_candidates_and_demands():
    g = _path(5, 60.0)
    with pytest.raises(ValueError, match="candidates must name at least one node"):
        placement.RepeaterPlacement(g, [], [(0, 4)], k=1)
    with pytest.raises(ValueError, match="candidates must not repeat a node"):
        placement.RepeaterPlacement(g, [1, 1], [(0, 4)], k=1)
    with pytest.raises(ValueError, match="candidates must hold at most 20 sites, got 21"):
        placement.RepeaterPlacement(nx.path_graph(23), range(1, 22), [(0, 22)], k=1)
    with pytest.raises(ValueError, match="demands must contain at least one"):
        placement.RepeaterPlacement(g, [1, 2], [], k=1)
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


def test_repeater_placement_instance_gives_up_on_ties():
    with pytest.raises(ValueError, match="no draw had few enough optimal placements"):
        placement.repeater_placement_instance(
            5, 1, 1, radius=2.0, max_optimal_placements=1, fidelity_threshold=0.9999, seed=0
        )


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


def test_allocation_scenario_gives_up_without_long_pairs():
    with pytest.raises(ValueError, match="no network with long_pairs=1 pairs of at least"):
        allocation.allocation_scenario(
            n_nodes=4, n_pairs=1, radius=2.0, long_pairs=1, long_hops=3, attempts=1, seed=0
        )


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


# --- ai.anomaly ----------------------------------------------------------------------------
def test_supervised_detector_needs_labelled_telemetry():
    with pytest.raises(TypeError, match="runs must be a QKDTelemetry or a non-empty sequence"):
        anomaly.SupervisedDetector(seed=0).fit(np.full((4, 12), 0.03))


def test_cusum_needs_two_normal_windows():
    with pytest.raises(ValueError, match="normal must hold at least 2 windows"):
        anomaly.CUSUMDetector().fit(np.full((1, 12), 0.03))


def test_isolation_forest_predict_needs_fit():
    with pytest.raises(Exception, match="fit"):
        anomaly.IsolationForestDetector().predict(np.full((2, 12), 0.03))


# --- ai.anomaly_evaluation -----------------------------------------------------------------
def test_detection_study_needs_a_seen_attack_and_a_train_fraction():
    with pytest.raises(ValueError, match="seen_attacks must name at least one attack"):
        anomaly_evaluation.detection_study(seen_attacks=())
    with pytest.raises(ValueError, match="train_fractions must hold at least one fraction"):
        anomaly_evaluation.detection_study(train_fractions=())


# --- ai.attack_detection -------------------------------------------------------------------
def test_telemetry_dataset_needs_a_fraction():
    with pytest.raises(ValueError, match="fractions must not be empty"):
        attack_detection.telemetry_dataset({"none": 2}, fractions=())


def test_countermeasure_bank_checks_labels_windows_and_calibration():
    X = np.full((3, 11), 0.01)
    bank = attack_detection.CountermeasureBank()
    with pytest.raises(ValueError, match=r"y must hold one label per window \(3\)"):
        bank.fit(X, ["none"])
    with pytest.raises(ValueError, match="fit needs at least two normal windows"):
        bank.fit(X[:1])
    with pytest.raises(ValueError, match="CountermeasureBank is not calibrated: call calibrate"):
        bank.fit(X).predict(X)


def test_attack_classifier_alarm_needs_calibration():
    with pytest.raises(ValueError, match="AttackClassifier is not calibrated: call calibrate"):
        attack_detection.AttackClassifier(n_estimators=2, seed=0).alarm(np.zeros((1, 11)))


# --- ai.bandits ----------------------------------------------------------------------------
def test_bandit_base_class_has_no_scores():
    with pytest.raises(NotImplementedError):
        bandits.Bandit(2, seed=0).scores()


# --- ai.faults and ai.faults_diagnosis -----------------------------------------------------
def test_chain_model_checks_jitter_and_severity():
    with pytest.raises(TypeError, match="jitter must be a dict from name to number"):
        faults.ChainModel(jitter=0.1)
    with pytest.raises(ValueError, match="severity must give a size for every fault kind"):
        faults.ChainModel(severity={})


def test_network_telemetry_needs_a_chain_model():
    with pytest.raises(TypeError, match="model must be a ChainModel or None, got str"):
        faults.network_telemetry(2, model="chain")


def test_physics_diagnoser_needs_enough_healthy_telemetry():
    with pytest.raises(TypeError, match="healthy must be NetworkTelemetry, got ndarray"):
        faults_diagnosis.PhysicsDiagnoser().fit(np.zeros((10, 3)))
    with pytest.raises(ValueError, match="healthy must hold at least 10 windows, got 3"):
        faults_diagnosis.PhysicsDiagnoser().fit(faults.network_telemetry(3, seed=0))


def test_train_diagnoser_needs_telemetry():
    with pytest.raises(TypeError, match="data must be NetworkTelemetry, got list"):
        faults_diagnosis.train_diagnoser([1, 2])


# --- ai.federated --------------------------------------------------------------------------
def test_operator_datasets_needs_an_attack():
    with pytest.raises(ValueError, match="attacks must name at least one attack"):
        federated.operator_datasets(2, 8, attacks=())


def test_accuracy_needs_one_weight_per_feature_and_bias():
    with pytest.raises(ValueError, match="weights must have 2 entries, got 3"):
        federated.accuracy([1.0, 0.0, 2.0], np.array([[2.0], [-1.0]]), np.array([1, 0]))


def test_federated_train_checks_the_key_pool():
    data = federated.operator_datasets(2, 8, window_pulses=100_000, seed=0)
    with pytest.raises(TypeError, match="key_pool must be a KeyPool, got dict"):
        federated.federated_train(data, rounds=1, key_pool={}, seed=0)
    pool = secure_sum.KeyPool(2, {(0, 1): np.zeros(10**5, int)})
    big = [dataclasses.replace(d, x_train=1e3 * d.x_train) for d in data]
    with pytest.raises(ValueError, match="overflows the fixed-point range"):
        federated.federated_train(
            big, rounds=1, clip=np.inf, key_pool=pool, modulus_bits=8, fraction_bits=6, seed=0
        )


def test_noise_for_epsilon_rejects_an_unreachable_epsilon():
    with pytest.raises(ValueError, match=r"epsilon=1e-12 is below what σ = 1e6 reaches"):
        federated.noise_for_epsilon(1e-12, 10**6, 1e-5)


# --- ai.optimizers -------------------------------------------------------------------------
def test_simulated_annealing_needs_a_start_state():
    with pytest.raises(ValueError, match="x0 must be a non-empty array-like state"):
        optimizers.simulated_annealing(lambda x: 0.0, [], neighbour=lambda x, r: x, seed=0)
    with pytest.raises(ValueError, match=r"x0 must contain only finite numbers, got \[nan\]"):
        optimizers.simulated_annealing(lambda x: 0.0, [np.nan], neighbour=lambda x, r: x, seed=0)


# --- ai.rl ---------------------------------------------------------------------------------
def test_replay_buffer_rejects_a_text_shape():
    with pytest.raises(TypeError, match="obs_shape must be a tuple of positive ints, got str"):
        rl.ReplayBuffer(3, "2x4", seed=0)


def test_evaluate_policy_needs_a_callable():
    with pytest.raises(TypeError, match=r"policy must be callable \(obs, info\) -> action"):
        rl.evaluate_policy(envs.RoutingEnv(seed=0), "first", 2, seed=0)


# --- ai.threat_intel -----------------------------------------------------------------------
def test_affected_links_rejects_a_node_that_receives_on_no_link():
    with pytest.raises(ValueError, match="threat 'receiver_blinding' at 0 reaches no link"):
        threat_intel.affected_links(threat_intel.metro_network(), "receiver_blinding", 0)


def test_per_link_analysts_need_fit_first():
    net = threat_intel.metro_network()
    X = np.zeros((net.number_of_edges(), 11))
    with pytest.raises(ValueError, match="PerLinkThresholds is not fitted: call fit first"):
        threat_intel.PerLinkThresholds(net, attack_detection.CountermeasureBank()).analyse(X)
    with pytest.raises(ValueError, match="LearnedPerLink is not fitted: call fit first"):
        threat_intel.LearnedPerLink(net, None).analyse(X)


# --- ai.qkd_selector -----------------------------------------------------------------------
def test_protocol_key_rates_checks_the_conditions():
    with pytest.raises(TypeError, match="conditions must be a 2-D array of numbers, got str"):
        qkd_selector.protocol_key_rates("long")
    with pytest.raises(ValueError, match=r"conditions must be 2-D, got shape \(1, 1, 7\)"):
        qkd_selector.protocol_key_rates(np.zeros((1, 1, 7)))
    with pytest.raises(ValueError, match="conditions must have 7 columns"):
        qkd_selector.protocol_key_rates(np.zeros((2, 3)))
    bad = qkd_selector.sample_link_conditions(2, seed=0)
    bad[1, 0] = -5.0
    with pytest.raises(ValueError, match="conditions row 1 is not a valid link"):
        qkd_selector.protocol_key_rates(bad)


def test_selector_predict_checks_the_number_of_features():
    rule = qkd_selector.ProtocolSelector(qkd_selector.LossRule())
    with pytest.raises(ValueError, match="conditions must have 7 columns"):
        rule.predict(np.zeros((2, 3)))


def test_link_regret_checks_rates_and_choices():
    rates = np.ones((2, len(qkd_selector.PROTOCOLS)))
    with pytest.raises(ValueError, match=r"rates must have shape \(n_links, 5\), got \(2, 3\)"):
        qkd_selector.link_regret(["bbm92", "bbm92"], np.ones((2, 3)))
    with pytest.raises(ValueError, match="rates must be finite and non-negative"):
        qkd_selector.link_regret(["bbm92", "bbm92"], -rates)
    with pytest.raises(ValueError, match="choices one name per link"):
        qkd_selector.link_regret(["bbm92"], rates)


def test_loss_rule_checks_rows_and_fit():
    rates = np.ones((2, len(qkd_selector.PROTOCOLS)))
    with pytest.raises(ValueError, match="features and rates must have the same"):
        qkd_selector.LossRule().fit(np.zeros((3, 4)), rates)
    with pytest.raises(ValueError, match="LossRule must be fitted before predicting"):
        qkd_selector.LossRule().predict(np.zeros((3, 4)))


# --- ai.qkd_tuning -------------------------------------------------------------------------
def test_optimize_decoy_parameters_needs_a_link_model():
    with pytest.raises(TypeError, match="link must be a LinkModel, got str"):
        qkd_tuning.optimize_decoy_parameters(10.0, link="fibre")


def test_tuning_curve_checks_the_distances():
    with pytest.raises(TypeError, match="distances_km must be a number or a sequence"):
        qkd_tuning.tuning_curve(["far"])
    with pytest.raises(ValueError, match=r"distances_km must be a non-empty 1-D sequence"):
        qkd_tuning.tuning_curve([])


# --- qnn._sim, qnn.chemistry, qnn._tf ------------------------------------------------------
def test_statevector_simulator_rejects_an_unknown_gate():
    with pytest.raises(ValueError, match="unknown gate 'swap'"):
        qsim.simulate([("swap", (0, 1), None)], [], 2)
    with pytest.raises(ValueError, match="unknown gate 'swap'"):
        qsim.to_cirq([("swap", (0, 1), None)], [], cirq.LineQubit.range(2))


def test_rotation_batch_and_layered_ops_check_shapes():
    with pytest.raises(ValueError, match="axes and angles must be 1-D of equal length"):
        qsim.rotation_batch(np.array([0]), np.array([0.1, 0.2]))
    with pytest.raises(ValueError, match=r"axes and angles must both have shape \(L, n\)"):
        qsim.layered_ops(np.array([0, 2]), np.zeros(2))


def test_h2_coefficients_need_a_tabulated_bond_length():
    with pytest.raises(ValueError, match="bond_length must be a tabulated value"):
        chemistry.h2_coefficients(0.77)


def test_load_names_the_missing_tensorflow(monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorflow", None)
    with pytest.raises(ImportError, match=r"need TensorFlow, which is not installed"):
        qtf.load()


# --- qnn.models (TensorFlow Quantum; each check fails before any training) -----------------
@pytest.fixture(scope="module")
def models():
    return pytest.importorskip("qnetlab.qnn.models")


def test_load_names_the_missing_tfq(models, monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorflow_quantum", None)
    with pytest.raises(ImportError, match=r"need TensorFlow Quantum, which is not installed"):
        qtf.load()


def test_circuit_tensor_needs_circuits(models):
    with pytest.raises(TypeError, match=r"circuits must be a sequence of cirq\.Circuit, got str"):
        models.circuit_tensor("H 0")
    with pytest.raises(TypeError, match=r"circuits must be a non-empty sequence of cirq\.Circuit"):
        models.circuit_tensor([])


def test_pqc_classifier_needs_grid_qubits(models):
    with pytest.raises(TypeError, match=r"qubits must be a non-empty list of cirq\.GridQubit"):
        models.pqc_classifier(cirq.LineQubit.range(2))


def test_train_state_discriminator_checks_its_datasets(models):
    with pytest.raises(TypeError, match="train must be a QuantumDataset, got list"):
        models.train_state_discriminator([], [], seed=0)
    ds = datasets.channel_dataset(4, seed=0)
    with pytest.raises(ValueError, match="train must be a two-state dataset"):
        models.train_state_discriminator(ds, ds, seed=0)


def test_channel_classifier_checks_probe_and_datasets(models):
    with pytest.raises(TypeError, match=r"qubits must hold exactly one cirq\.GridQubit"):
        models.hybrid_channel_classifier(cirq.GridQubit.rect(1, 2), 3)
    ds = datasets.two_state_dataset(4, seed=0)
    with pytest.raises(ValueError, match=r"train and test must come from channel_dataset"):
        models.train_channel_classifier(ds, ds, seed=0)


def test_qcnn_circuit_needs_a_power_of_two_qubits(models):
    with pytest.raises(ValueError, match=r"qubits must be 2\*\*k cirq.GridQubit .* got 3"):
        models.qcnn_circuit(cirq.GridQubit.rect(1, 3))
