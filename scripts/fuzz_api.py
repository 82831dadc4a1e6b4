"""Call every public qnetlab callable with bad inputs, one argument at a time.

For each callable a valid baseline call is built (the callable's own defaults plus the table
``VALID`` below); then each parameter in turn is replaced by a bad value (negative, NaN, inf,
out-of-range probability, huge size, wrong type, empty or wrong-shaped array, non-physical
state, unknown name). Each case is classified as

- ``clean``: ``ValueError``/``TypeError`` whose message names the parameter;
- ``unclear``: any other exception, or a ``ValueError``/``TypeError`` not naming it;
- ``garbage``: returned a NaN/inf (or a non-finite value nested in the result);
- ``memory``: ``MemoryError`` (or the address-space limit was hit);
- ``hang``: did not return within the time limit;
- ``crash``: the process died (segfault) -- only seen by the parent in ``--isolate`` mode;
- ``accepted``: returned a finite result (the bad value was harmless or legitimately valid).

The goal of issue 16: 0 crash, 0 hang, 0 garbage, 0 memory and >= 97 % of rejections clean.

Usage::

    python scripts/fuzz_api.py                  # every module, each in its own process
    python scripts/fuzz_api.py --modules states channels --list-failures

The table of counts is printed, and one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import dataclasses
import faulthandler
import importlib
import inspect
import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np

MODULES = (
    "states",
    "channels",
    "protocols",
    "tomography",
    "sweep",
    "qkd",
    "repeaters",
    "qec",
    "network",
    "ai",
    "qnn",
    "blind",
    "qdata",
    "qsearch",
    "secret_sharing",
    "secure_sum",
)
KINDS = ("clean", "unclear", "garbage", "memory", "hang", "crash", "accepted")
FAILURES = ("unclear", "garbage", "memory", "hang", "crash")
SKIP_CALLABLES = {
    # not meant to be called with user data / side effects only
    "qnn.set_seed",
    "repeaters.ChainTimeoutError",
}
SKIP_PARAMS = {"progress", "n_jobs", "self"}


class _Timeout(BaseException):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout


# ----------------------------------------------------------------------------------------
# valid arguments
# ----------------------------------------------------------------------------------------


def _bell() -> np.ndarray:
    from qnetlab import states

    return states.bell_state("phi+", density=True)


def _werner() -> np.ndarray:
    from qnetlab import states

    return states.werner_state(0.9)


def _rep_circuit() -> Any:
    from qnetlab import qec

    return qec.memory_circuit("repetition", 3, 0.05, "code_capacity")


def _surface_circuit() -> Any:
    from qnetlab import qec

    return qec.memory_circuit("surface", 3, 0.005, "circuit", rounds=2)


def _tomo_data() -> Any:
    from qnetlab import tomography

    return tomography.measure_pauli(_werner(), 200, backend="numpy", seed=1)


def _link() -> Any:
    from qnetlab import repeaters

    return repeaters.elementary_link(0.3, fidelity=0.95)


def _graph() -> Any:
    from qnetlab import network

    return network.metro_ring(5, seed=1)


def _keys() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    a = rng.integers(0, 2, 2000).astype(np.uint8)
    b = a.copy()
    flip = rng.random(2000) < 0.03
    b[flip] ^= 1
    return a, b


def _telemetry() -> Any:
    from qnetlab import qkd

    return qkd.qkd_telemetry(30, window_pulses=20000, seed=1)


def _net_telemetry() -> Any:
    from qnetlab import ai

    return ai.network_telemetry(20, seed=1)


def _dataset() -> Any:
    from qnetlab import qnn

    return qnn.two_state_dataset(8, seed=1)


def _channel_ds() -> Any:
    from qnetlab import qnn

    return qnn.channel_dataset(3, seed=1)


def _qubits(n: int = 1) -> Any:
    import cirq

    return cirq.GridQubit.rect(1, n)


def _ham() -> Any:
    from qnetlab import qnn

    return qnn.tfim_hamiltonian(2)


def _env() -> Any:
    from qnetlab import network

    return network.RoutingEnv(seed=1)


def _rate_fn(d: Any) -> Any:
    from qnetlab import qkd

    return qkd.gllp_key_rate(d)


def _sim_traffic() -> tuple[Any, Any]:
    from qnetlab import network

    g = _graph()
    pairs = [(0, 2), (1, 3)]
    sim = network.NetworkSimulator(g, pairs)
    tr = network.poisson_traffic(pairs, 0.5, 20, seed=1)
    return sim, tr


def _ident(a: Any, seed: Any = None) -> Any:
    return a


def _stats_csv() -> str:
    """A small statistics file in sinter's CSV format (for read_stats_csv)."""
    import tempfile

    from qnetlab import qec

    path = os.path.join(tempfile.mkdtemp(prefix="qnetlab-fuzz-"), "stats.csv")
    qec.collect_logical_errors(
        code="repetition",
        distances=[3],
        ps=[0.05],
        noise="code_capacity",
        max_shots=200,
        save_resume_filepath=path,
        seed=1,
    )
    return path


def _mwpm() -> Any:
    from qnetlab import qec

    return qec.MWPMDecoder.from_circuit(_rep_circuit())


def _sq(x: np.ndarray) -> float:
    return float(np.sum(x**2))


# Generic valid values by parameter name (lazy: a callable is called on use).
BY_NAME: dict[str, Any] = {
    "rho": _bell,
    "sigma": _werner,
    "rho0": _bell,
    "rho1": _werner,
    "rho2": _werner,
    "state": lambda: np.array([1, 0], dtype=complex),
    "resource": _bell,
    "bits": "0101",
    "coefficients": lambda: np.array([0.9, 0.05, 0.03, 0.02]),
    "c1": lambda: np.array([0.9, 0.05, 0.03, 0.02]),
    "c2": lambda: np.array([0.9, 0.05, 0.03, 0.02]),
    "initial": lambda: np.array([0.8, 0.1, 0.05, 0.05]),
    "vector": lambda: np.array([0.0, 0.0, 0.5]),
    "r": lambda: np.array([0.0, 0.6, 0.0]),
    "keep": [0],
    "fidelity": 0.9,
    "f0": 0.95,
    "f1": 0.9,
    "f2": 0.9,
    "f_min": 0.8,
    "t": 0.01,
    "t1": 1.0,
    "t2": 0.5,
    "gamma": 0.1,
    "p": 0.05,
    "eta": 0.1,
    "length_km": 10.0,
    "distance_km": 20.0,
    "distances_km": lambda: np.array([10.0, 30.0]),
    "qber": 0.03,
    "disturbance": 0.1,
    "n_pulses": 2000,
    "n_sifted": 10000,
    "sample_fraction": 0.1,
    "n": 10000,
    "e_upper": 0.05,
    "leak_ec": 2000,
    "leak_verification": 40,
    "sample_errors": 10,
    "k": 3,
    "mu": 0.48,
    "nu": 0.05,
    "decoy_fraction": 0.2,
    "q_mu": 0.01,
    "q_nu": 0.002,
    "en_q_nu": 1e-4,
    "y0": 1e-5,
    "theta_a": 0.0,
    "theta_b": 0.5,
    "shots_per_setting": 50,
    "data": _tomo_data,
    "expectations": lambda: {"II": 1.0, "ZZ": 0.8, "XX": 0.8, "YY": -0.8},
    "matrix": lambda: np.eye(2) / 2,
    "n_qubits": 2,
    "n_states": 2,
    "circuit": _rep_circuit,
    "shots": 200,
    "code": "repetition",
    "distance": 3,
    "noise": "code_capacity",
    "decoder": "mwpm",
    "errors": 3,
    "ps": lambda: np.array([0.01, 0.02, 0.03, 0.04]),
    "rates_small": lambda: np.array([0.001, 0.004, 0.009, 0.016]),
    "rates_large": lambda: np.array([0.0002, 0.0016, 0.0054, 0.0128]),
    "rate": _rate_fn,
    "link": _link,
    "n_segments": 2,
    "n_links": 3,
    "n_samples": 8,
    "coherence_time_s": 1.0,
    "rounds": 2,
    "scheme": "double_click",
    "n_modes": 2,
    "graph": _graph,
    "source": 0,
    "destination": 2,
    "path": [0, 1, 2],
    "paths": [[0, 1, 2]],
    "link_rates": [100.0, 200.0],
    "link_fidelities": [0.95, 0.97],
    "rates": [1.0, 2.0],
    "total_length_km": 50.0,
    "total": 4,
    "parts": 2,
    "rows": 2,
    "cols": 2,
    "n_nodes": 6,
    "pairs": [(0, 2), (1, 3)],
    "n_slots": 10,
    "switch_probabilities": [0.1, 0.2],
    "weights": [1.0, 2.0],
    "objective": _sq,
    "bounds": [(-1.0, 1.0), (-1.0, 1.0)],
    "genes": 4,
    "x0": lambda: np.array([0.5, 0.5]),
    "n_arms": 3,
    "n_actions": 3,
    "n_features": 4,
    "sizes": [2, 4, 1],
    "probabilities": [0.2, 0.5, 0.7],
    "n_rounds": 20,
    "capacity": 10,
    "obs_shape": (2,),
    "series": lambda: np.linspace(0.01, 0.05, 60),
    "threshold": 0.11,
    "scores": lambda: np.linspace(0, 1, 20),
    "attack_start": 5,
    "normal_scores": lambda: np.linspace(0, 1, 50),
    "attack_scores": lambda: np.linspace(0.5, 1.5, 50),
    "truth": [0, 1, 1, 0],
    "predicted": [0, 1, 0, 0],
    "n_windows": 20,
    "n_per_class": 3,
    "hamiltonian": _ham,
    "target": lambda: np.array([0.5, 0.0, 0.0, 0.5]),
    "target_state": lambda: np.array([1, 1], dtype=complex) / np.sqrt(2),
    "q": lambda: np.array([0.25, 0.25, 0.25, 0.25]),
    "layers": 1,
    "prior0": 0.5,
    "alice": lambda: _keys()[0],
    "bob": lambda: _keys()[1],
    "key": lambda: np.random.default_rng(1).integers(0, 2, 64).astype(np.uint8),
    "out_length": 16,
    "seed_bits": lambda: np.random.default_rng(2).integers(0, 2, 64 + 16 - 1).astype(np.uint8),
    "qber_estimate": 0.03,
    "conditions": lambda: np.array([[20.0, 0.01, 0.05]]),
    "name": "phi+",
    "channel": "bit_flip",
    "bit": 0,
    "alice_basis": "Z",
    "bob_basis": "Z",
    "ncols": 1,
    "nrows": 1,
    "parameters": {"a": [1, 2]},
    "points": {"a": [1, 2]},
    "func": _ident,
    "cost": "inverse_rate",
    "env": _env,
    "n_episodes": 1,
    "trajectory": None,
}

# Per-callable overrides (qualified by subpackage).
OVERRIDES: dict[str, dict[str, Any]] = {
    "states.bell_state": {"name": "phi+"},
    "states.ket": {"bits": "01"},
    "states.partial_trace": {"rho": _bell, "keep": [0]},
    "states.density_matrix_from_cirq": {"result": _bell},
    "channels.kraus_operators": {"channel": lambda: __import__("cirq").depolarize(0.1)},
    "channels.apply_kraus": {
        "rho": lambda: np.eye(2) / 2,
        "kraus": lambda: [np.eye(2)],
    },
    "channels.memory_decoherence": {"t": 0.1, "t1": 1.0, "t2": 0.5},
    "channels.MemoryDecoherenceChannel": {"t": 0.1, "t1": 1.0, "t2": 0.5},
    "channels.amplitude_damp": {"gamma": 0.1},
    "channels.dephase": {"p": 0.1},
    "channels.depolarize": {"p": 0.1},
    "channels.pure_loss": {"eta": 0.5},
    "channels.transmissivity_to_db": {"eta": 0.5},
    "channels.fiber_delay": {"length_km": 10.0},
    "states.bloch_vector": {"rho": lambda: np.eye(2) / 2},
    "protocols.chsh_experiment": {"shots_per_setting": 50},
    "protocols.teleport": {"state": lambda: np.array([1, 0], dtype=complex)},
    "tomography.TomographyData": None,
    "tomography.NeuralTomography": {},
    "tomography.random_states": {"n_states": 2},
    "tomography.measure_pauli": {"state": _werner, "shots_per_setting": 50, "backend": "numpy"},
    "tomography.state_from_pauli_expectations": {"n_qubits": 2},
    "tomography.pauli_labels": {"n_qubits": 2},
    "tomography.maximum_likelihood": {"n_iterations": 50},
    "sweep.sweep": {"func": _ident, "points": {"a": [1, 2]}},
    "sweep.grid": {"parameters": {"a": [1, 2]}},
    "sweep.sweep_list": {"func": _ident, "points": {"a": [1, 2]}},
    "sweep.table": {"points": {"a": [1, 2]}, "values": [1, 2]},
    "qkd.phase_error_bound": {"sample_errors": 10, "k": 500, "n": 5000},
    "qkd.maximum_distance": {"rate": _rate_fn},
    "qkd.cascade": {"qber_estimate": 0.03},
    "qkd.toeplitz_hash": {"out_length": 16},
    "qkd.verify_keys": {"alice": lambda: _keys()[0], "bob": lambda: _keys()[0]},
    "qkd.postprocess": {"threshold": 0.11},
    "qkd.plob_bound": {"eta": 0.5},
    "qkd.tgw_bound": {"eta": 0.5},
    "qkd.repeaterless_bound": {"length_km": 50.0},
    "qkd.bb84_round_circuit": {"bit": 0, "alice_basis": "Z", "bob_basis": "Z"},
    "ai.protocol_key_rates": {
        "conditions": lambda: np.array([[20.0, 0.2, 0.5, -6.0, 0.01, 0.5, 0.5]])
    },
    "ai.sample_link_conditions": {"n_links": 3},
    "ai.train_protocol_selector": {"n_links": 60},
    "ai.ProtocolSelector": None,
    "ai.SelectorScore": None,
    "ai.tuning_curve": {"distances_km": [20.0], "n_pulses": 1e10},
    "ai.optimize_sample_fraction": {"n_particles": 4, "n_iterations": 3},
    "ai.optimize_decoy_parameters": {"distance_km": 20.0},
    "ai.grid_decoy_parameters": {"distance_km": 20.0},
    "qkd.finite_decoy_key_rate": {
        "distance_km": 20.0,
        "mu": 0.5,
        "nu": 0.1,
        "decoy_fraction": 0.2,
    },
    "qkd.finite_bb84_secret_fraction": {"n_sifted": 100000, "qber": 0.02, "sample_fraction": 0.1},
    "qkd.secure_key_length": {"n": 100000, "e_upper": 0.05, "leak_ec": 30000},
    "qkd.run_decoy_bb84": {"n_pulses": 20000},
    "qkd.vacuum_weak_bounds": {
        "q_mu": 0.01,
        "q_nu": 0.002,
        "en_q_nu": 1e-4,
        "y0": 1e-5,
        "mu": 0.48,
        "nu": 0.05,
    },
    "repeaters.ElementaryLink": {
        "scheme": "custom",
        "length_km": 10.0,
        "success_probability": 0.3,
        "coefficients": lambda: np.array([0.9, 0.05, 0.03, 0.02]),
        "attempt_time": 1e-4,
    },
    "repeaters.ChainResult": None,
    "repeaters.PurificationResult": None,
    "repeaters.RateDistanceResult": None,
    "repeaters.elementary_link": {"success_probability": 0.3, "fidelity": 0.9},
    "repeaters.heralded_link": {"scheme": "double_click", "length_km": 10.0},
    "repeaters.double_click_link": {"length_km": 10.0},
    "repeaters.single_click_link": {"length_km": 10.0},
    "repeaters.expected_waiting_time": {"n_links": 3, "p": 0.3},
    "repeaters.expected_waiting_time_nested": {"n_segments": 4, "p": 0.3},
    "repeaters.nested_waiting_time_pmf": {"n_segments": 4, "p": 0.3},
    "repeaters.sample_waiting_times": {"n_links": 3, "p": 0.3, "n_samples": 50},
    "repeaters.multiplexed_probability": {"p": 0.1, "n_modes": 4},
    "repeaters.simulate_chain": {"n_segments": 2, "link": _link, "n_samples": 50},
    "repeaters.rate_vs_distance": {"distance_km": [50.0, 100.0], "n_segments": 2},
    "repeaters.crossover_distance": {
        "distance_km": lambda: np.array([10.0, 50.0, 100.0, 200.0]),
        "rate": lambda: np.array([1e-3, 1e-3, 1e-3, 1e-3]),
        "bound": lambda: np.array([1e-1, 1e-2, 1e-3 * 0.5, 1e-5]),
    },
    "repeaters.cutoff_for_fidelity": {"f0": 0.95, "f_min": 0.8, "coherence_time_s": 1.0},
    "repeaters.memory_fidelity": {"f0": 0.95, "t": 0.1, "coherence_time_s": 1.0},
    "repeaters.decay_coefficients": {"t": 0.1, "coherence_time_s": 1.0},
    "repeaters.purify_cirq": {"rho1": _werner, "rho2": _werner},
    "repeaters.purify_recurrence": {"rounds": 2},
    "repeaters.swap_cirq": {"rho1": _werner, "rho2": _werner},
    "repeaters.swap_werner": {"f1": 0.9, "f2": 0.9},
    "repeaters.bbpssw": {"fidelity": 0.9},
    "qec.LogicalErrorRate": None,
    "qec.LookupDecoder": None,
    "qec.MWPMDecoder": None,
    "qec.NeuralDecoder": None,
    "qec.SmallCode": None,
    "qec.SmallCodeResult": None,
    "qec.SyndromeDistribution": None,
    "qec.ThresholdEstimate": None,
    "qec.binomial_interval": {"errors": 3, "shots": 100},
    "qec.build_decoder": {
        "decoder": "mwpm",
        "circuit": _rep_circuit,
        "code": "repetition",
        "distance": 3,
        "p": 0.05,
        "noise": "code_capacity",
        "rounds": 1,
    },
    "qec.decoding_latency": {
        "decoder": lambda: __import__("qnetlab").qec.build_decoder(
            "mwpm",
            _rep_circuit(),
            code="repetition",
            distance=3,
            p=0.05,
            noise="code_capacity",
            rounds=1,
        ),
        "detectors": lambda: __import__("qnetlab").qec.sample_detectors(_rep_circuit(), 50, seed=1)[
            0
        ],
        "shots": 20,
    },
    "qec.decoding_throughput": {
        "decoder": lambda: __import__("qnetlab").qec.build_decoder(
            "mwpm",
            _rep_circuit(),
            code="repetition",
            distance=3,
            p=0.05,
            noise="code_capacity",
            rounds=1,
        ),
        "detectors": lambda: __import__("qnetlab").qec.sample_detectors(_rep_circuit(), 50, seed=1)[
            0
        ],
    },
    "qec.exact_logical_error_rate": {"decoder": _mwpm},
    "qec.fit_threshold": None,
    "qec.load_pretrained": {"distance": 3, "p": 0.005},
    "qec.logical_error_curves": {
        "code": "repetition",
        "distances": [3, 5],
        "ps": [0.05],
        "noise": "code_capacity",
        "shots": 200,
    },
    "qec.count_logical_errors": {"circuit": _rep_circuit, "decoder": _mwpm, "shots": 100},
    "qec.per_round_error_rate": {"rate": 0.1, "rounds": 3},
    "qec.read_stats_csv": {"path": _stats_csv},
    "qec.logical_error_rate": {
        "code": "repetition",
        "distance": 3,
        "p": 0.05,
        "noise": "code_capacity",
        "decoder": "mwpm",
        "shots": 200,
    },
    "qec.memory_circuit": {
        "code": "repetition",
        "distance": 3,
        "p": 0.05,
        "noise": "code_capacity",
    },
    "qec.small_code": {"name": "steane"},
    "qec.small_code_circuit": {"code": "steane", "channel": "depolarize", "p": 0.05},
    "qec.small_code_logical_error_rate": {
        "code": "steane",
        "channel": "depolarize",
        "p": 0.05,
        "shots": 50,
        "backend": "stim",
    },
    "qec.syndrome_distribution": {"circuit": _rep_circuit},
    "qec.train_neural_decoder": {
        "circuit": _rep_circuit,
        "shots": 500,
        "hidden": (8,),
        "epochs": 1,
        "batch_size": 64,
    },
    "network.chain_metrics_batch": {
        "link_rates": lambda: np.array([[100.0, 200.0], [150.0, 120.0]]),
        "link_fidelities": lambda: np.array([[0.95, 0.97], [0.96, 0.94]]),
        "distance_km": lambda: np.array([20.0, 30.0]),
    },
    "network.path_features": {"fidelity_threshold": 0.5, "n_rows": 4},
    "network.fidelity_constrained_path": {"fidelity_threshold": 0.5},
    "network.k_shortest_paths": {"k": 2},
    "network.candidate_paths": {"n_candidates": 2},
    "network.link_cost": {"data": {"rate": 100.0, "fidelity": 0.95, "length_km": 10.0}},
    "network.link_success_per_slot": {"length_km": 10.0, "slot_s": 1e-3},
    "network.poisson_traffic": {"rate": 0.5, "n_slots": 10},
    "network.bursty_traffic": {"n_slots": 10},
    "network.compare_policies": None,
    "network.run_controller": None,
    "network.solve_allocation": None,
    "network.solve_placement": None,
    "network.grid_network": {"rows": 2, "cols": 3},
    "network.connected_geometric_graph": {"n_nodes": 6, "area_km": 100.0, "radius": 0.6},
    "network.default_network_factory": {"rng": lambda: np.random.default_rng(1)},
    "network.make_policy": {"name": "greedy"},
    "network.qubit_allocation_instance": {"n_nodes": 6, "n_demands": 2, "budget": 12},
    "network.repeater_placement_instance": {"n_nodes": 10, "n_demands": 2, "k": 2},
    "network.allocation_scenario": {"n_nodes": 6, "n_pairs": 2},
    "network.expected_max_waiting_time": {"rates": [1.0, 2.0]},
    "network.waxman_network": {"n_nodes": 6},
    "network.metro_mesh": {"n_nodes": 6},
    "network.metro_ring": {"n_nodes": 6},
    "ai.MLP": {"sizes": [2, 4, 1]},
    "ai.box_neighbour": {"bounds": [(-1.0, 1.0)]},
    "ai.particle_swarm": {"n_particles": 5, "n_iterations": 5},
    "ai.genetic_algorithm": {"genes": 4, "population_size": 6, "n_generations": 3},
    "ai.simulated_annealing": {
        "x0": lambda: np.array([0.5, 0.5]),
        "bounds": [(-1.0, 1.0), (-1.0, 1.0)],
        "n_iterations": 20,
    },
    "ai.exhaustive_search": {"candidates": [(0, 1), (1, 0)]},
    "ai.detection_study": None,
    "ai.evaluate_detector": None,
    "ai.train_dqn": None,
    "ai.train_q_learning": None,
    "ai.evaluate_policy": None,
    "ai.window_features": {"data": _telemetry},
    "qkd.qkd_telemetry": {"n_windows": 5, "window_pulses": 20000},
    "ai.network_telemetry": {"n_windows": 5},
    "ai.fault_dataset": {"n_per_class": 2},
    "ai.train_diagnoser": {"data": _net_telemetry},
    "ai.forecast_alarms": {"threshold": 0.04},
    "ai.reactive_alarms": {"threshold": 0.04},
    "ai.detection_delay": {"threshold": 0.5, "attack_start": 5},
    "ai.run_bandit": {
        "bandit": lambda: __import__("qnetlab").ai.UCB1(3, seed=1),
        "probabilities": [0.2, 0.5, 0.7],
        "n_rounds": 20,
    },
    "ai.make_bandit": {"kind": "ucb", "n_arms": 3},
    "ai.pauli_frequency_features": {"states": lambda: [_werner()], "shots_per_setting": 20},
    "ai.min_partial_transpose_eigenvalue": {"rho": _werner},
    "qnn.empirical_distribution": {"bits": lambda: np.array([[0, 1], [1, 0], [1, 1]])},
    "qnn.independent_distribution": {"bits": lambda: np.array([[0, 1], [1, 0], [1, 1]])},
    "qnn.kl_divergence": {
        "p": lambda: np.array([0.5, 0.5]),
        "q": lambda: np.array([0.25, 0.75]),
    },
    "qnn.mmd": {"p": lambda: np.array([0.5, 0.0, 0.0, 0.5]), "q": lambda: np.full(4, 0.25)},
    "qnn.helstrom_bound": {"rho0": _bell, "rho1": _werner},
    "qnn.helstrom_measurement": {"rho0": _bell, "rho1": _werner},
    "qnn.trace_distance": {"rho0": _bell, "rho1": _werner},
    "qnn.two_state_dataset": {"n_samples": 4},
    "qnn.bb84_dataset": {"n_samples": 4},
    "qnn.channel_dataset": {"n_per_class": 2},
    "qnn.cluster_state_dataset": {"n_samples": 4, "n_qubits": 4},
    "qnn.entanglement_dataset": {"n_samples": 4},
    "qnn.traffic_bitstrings": {"n_samples": 10},
    "qnn.train_test_split": {"dataset": _dataset},
    "qnn.circuit_tensor": {"circuits": lambda: list(_dataset().circuits)},
    "qnn.network_graph": {"n_nodes": 4, "degree": 2},
    "qnn.brute_force_maxcut": {"graph": lambda: __import__("networkx").cycle_graph(4)},
    "qnn.maxcut_qubo": {"graph": lambda: __import__("networkx").cycle_graph(4)},
    "qnn.qaoa_circuit": {"graph": lambda: __import__("networkx").cycle_graph(4)},
    "qnn.run_qaoa": {"graph": lambda: __import__("networkx").cycle_graph(4), "restarts": 1},
    "qnn.qaoa_depth_sweep": {
        "graph": lambda: __import__("networkx").cycle_graph(4),
        "p_max": 1,
        "restarts": 1,
    },
    "qnn.run_vqe": {"hamiltonian": _ham, "layers": 1, "restarts": 1, "maxiter": 10},
    "qnn.exact_ground_energy": {"hamiltonian": _ham},
    "qnn.tfim_hamiltonian": {"n_qubits": 2},
    "qnn.heisenberg_hamiltonian": {"n_qubits": 2},
    "qnn.vqe_circuit": {"n_qubits": 2, "layers": 1},
    "qnn.born_machine_circuit": {"n_qubits": 2, "layers": 1},
    "qnn.train_born_machine": {
        "target": lambda: np.array([0.5, 0.0, 0.0, 0.5]),
        "layers": 1,
        "maxiter": 10,
    },
    "qnn.barren_plateau_variance": {"n_qubits": (2,), "layers": 2, "n_circuits": 4},
    "qnn.train_qgan": {
        "target_state": lambda: np.array([1, 1], dtype=complex) / np.sqrt(2),
        "generator_layers": 1,
        "discriminator_layers": 1,
        "steps": 2,
        "discriminator_steps": 1,
    },
    "qnn.pqc_classifier": {"qubits": lambda: _qubits(1)},
    "qnn.qcnn_model": {"qubits": lambda: _qubits(4)},
    "qnn.hybrid_channel_classifier": {"qubits": lambda: _qubits(1), "repetitions": 10},
    "qnn.train_state_discriminator": {"train": _dataset, "test": _dataset, "epochs": 1},
    "qnn.train_qcnn": None,
    "qnn.train_channel_classifier": {
        "train": _channel_ds,
        "test": _channel_ds,
        "epochs": 1,
        "repetitions": 5,
    },
    "blind.bfk_circuit": {"thetas": [0.0, 0.5], "deltas": [0.25, 0.75]},
    "blind.mbqc_output_probability": {"angle_steps": [0, 2]},
    "blind.run_blind": {"angle_steps": [0, 2], "n_runs": 20},
    "blind.server_view_pvalue": {
        "a": lambda: __import__("qnetlab").blind.run_blind([0, 2], 20, seed=1),
        "b": lambda: __import__("qnetlab").blind.run_blind([1, 3], 20, seed=2),
    },
    "qsearch.amplitude_estimation_probability": {"a": 0.3, "iterations": 2},
    "qsearch.classical_search_queries": {"n_items": 16, "marked": [3], "trials": 20},
    "qdata.feature_states": {"X": lambda: np.array([[0.1, 0.2], [0.3, 0.4]])},
    "qdata.fidelity_kernel": {
        "states_a": lambda: __import__("qnetlab").qdata.feature_states(
            np.array([[0.1, 0.2], [0.3, 0.4]])
        )
    },
    "qdata.projected_kernel": {
        "states_a": lambda: __import__("qnetlab").qdata.feature_states(
            np.array([[0.1, 0.2], [0.3, 0.4]])
        )
    },
    "qdata.one_qubit_rdms": {
        "states": lambda: __import__("qnetlab").qdata.feature_states(
            np.array([[0.1, 0.2], [0.3, 0.4]])
        )
    },
    "qsearch.grover_circuit": {"n_qubits": 3, "marked": [5], "iterations": 2},
    "qsearch.grover_resources": {"n_qubits": 3, "marked": [5], "iterations": 2},
    "qsearch.grover_success_probability": {"n_qubits": 3, "marked": [5], "iterations": 2},
    "qsearch.grover_theory": {"n_items": 16, "n_marked": 1, "iterations": 3},
    "qsearch.ml_amplitude_estimation": {"a": 0.3, "max_power": 3, "shots": 20},
    "qsearch.optimal_grover_iterations": {"n_items": 16, "n_marked": 1},
    "qdata.zz_feature_map": {"x": lambda: np.array([0.1, 0.2])},
    "qsearch.AmplitudeEstimate": None,
    "qsearch.GroverResources": None,
    "secret_sharing.ghz_correlator": {"bases": ["X", "X", "X"]},
    "secret_sharing.hbb_circuit": {"bases": ["X", "Y", "Y"]},
    "secret_sharing.hbb_error_rate": {"n_parties": 3},
    "secret_sharing.hbb_key_rate": {"lengths_km": [10.0, 20.0]},
    "secret_sharing.xor_sharing_rate": {"lengths_km": [10.0, 20.0]},
    "secret_sharing.SecretSharingResult": None,
    "secure_sum.additive_sharing_sum": {"inputs": lambda: np.array([[1, 2], [3, 4], [5, 6]])},
    "secure_sum.aggregation_rate": {
        "key_rates_bps": lambda: np.full((3, 3), 1000.0),
        "n_values": 4,
        "modulus_bits": 16,
    },
    "secure_sum.key_bits_per_sum": {
        "n_parties": 3,
        "n_values": 4,
        "modulus_bits": 16,
        "scheme": "masks",
    },
    "secure_sum.qkd_key_pool": {"n_parties": 3, "n_pulses": 4000},
    "secure_sum.secure_sum": {
        "inputs": lambda: np.array([[1, 2], [3, 4], [5, 6]]),
        "pool": lambda: __import__("qnetlab").secure_sum.qkd_key_pool(3, 20000, seed=1),
    },
    "secure_sum.party_view": {
        "result": lambda: __import__("qnetlab").secure_sum.additive_sharing_sum(
            np.array([[1, 2], [3, 4], [5, 6]]), seed=1
        ),
        "party": 0,
    },
    "secure_sum.KeyPool": None,
    "secure_sum.SecureSumResult": None,
}

# Result dataclasses and objects that are not user inputs: constructed only via the table.
_RESULT_SUFFIXES = ("Result", "Estimate", "Tuning", "History", "Score", "Report", "Evaluation")


def _resolve(v: Any) -> Any:
    if callable(v) and getattr(v, "__name__", "") == "<lambda>":
        return v()
    if callable(v) and v in _FACTORIES:
        return v()
    return v


_FACTORIES = {
    _bell,
    _werner,
    _rep_circuit,
    _surface_circuit,
    _tomo_data,
    _link,
    _graph,
    _telemetry,
    _net_telemetry,
    _dataset,
    _channel_ds,
    _ham,
    _env,
    _mwpm,
    _stats_csv,
}


def public_callables(modules: tuple[str, ...] = MODULES) -> list[tuple[str, Callable]]:
    """Return ``(qualified name, object)`` for every callable in each module's ``__all__``."""
    out = []
    for m in modules:
        mod = importlib.import_module(f"qnetlab.{m}")
        for name in getattr(mod, "__all__", []):
            obj = getattr(mod, name, None)
            if obj is None or not callable(obj) or isinstance(obj, type(np)):
                continue
            if inspect.isclass(obj) and issubclass(obj, BaseException):
                continue
            out.append((f"{m}.{name}", obj))
    return out


def _params(obj: Callable) -> list[inspect.Parameter]:
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return []
    return [
        p
        for p in sig.parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.name not in ("self",)
    ]


def baseline_kwargs(qual: str, obj: Callable) -> dict[str, Any] | None:
    """Valid keyword arguments for ``obj`` (None when no baseline is known)."""
    over = OVERRIDES.get(qual, {})
    if over is None:
        return None
    short = qual.split(".", 1)[1]
    if (
        inspect.isclass(obj)
        and dataclasses.is_dataclass(obj)
        and short.endswith(_RESULT_SUFFIXES)
        and qual not in OVERRIDES
    ):
        return None
    kw: dict[str, Any] = {}
    for p in _params(obj):
        if p.name in over:
            kw[p.name] = _resolve(over[p.name])
        elif p.default is not inspect.Parameter.empty:
            continue
        elif p.name in BY_NAME:
            kw[p.name] = _resolve(BY_NAME[p.name])
        else:
            return None
    return kw


# ----------------------------------------------------------------------------------------
# bad values
# ----------------------------------------------------------------------------------------

_SIZE_WORDS = (
    "shots",
    "n_",
    "epochs",
    "restarts",
    "repeats",
    "rounds",
    "iterations",
    "steps",
    "layers",
    "size",
    "samples",
    "qubits",
    "episodes",
    "capacity",
    "window",
    "n",
    "k",
    "distance",
    "maxiter",
    "p_max",
    "budget",
    "total",
    "parts",
    "rows",
    "cols",
    "degree",
    "repetitions",
    "hidden",
    "max_",
)


def _kind(p: inspect.Parameter, valid: Any) -> str:
    ann = str(p.annotation)
    if p.name == "seed":
        return "seed"
    if isinstance(valid, bool) or ann == "bool":
        return "bool"
    if isinstance(valid, str):
        return "str"
    if isinstance(valid, (int, np.integer)) and not isinstance(valid, bool):
        return "int"
    if isinstance(valid, (float, np.floating)):
        return "float"
    if isinstance(valid, np.ndarray):
        if valid.ndim == 2 and valid.shape[0] == valid.shape[1] and valid.shape[0] in (2, 4):
            return "state"
        return "array"
    if isinstance(valid, (list, tuple)):
        return "array"
    if callable(valid) and not inspect.isclass(valid):
        return "callable"
    if valid is None:
        return "none"
    return "object"


def bad_values(p: inspect.Parameter, valid: Any) -> list[tuple[str, Any]]:
    """The bad values fed to parameter ``p`` whose valid value is ``valid``."""
    k = _kind(p, valid)
    nan, inf = float("nan"), float("inf")
    if k == "seed":
        return [("negative", -1), ("wrong type", "abc")]
    if k == "bool":
        return []
    if k == "str":
        return [("unknown name", "bogus"), ("wrong type", 3)]
    if k == "int":
        out = [("negative", -1), ("zero", 0), ("float", 2.5), ("nan", nan), ("wrong type", "abc")]
        out.append(("bool", True))
        out.append(("huge", 10**12))
        return out
    if k == "float":
        out = [
            ("negative", -1.0),
            ("nan", nan),
            ("inf", inf),
            ("-inf", -inf),
            ("huge", 1e300),
            ("wrong type", "abc"),
        ]
        if 0.0 <= float(valid) <= 1.0:
            out.append(("above one", 1.5))
        out.append(("tiny", 1e-300))
        out.append(("list", [float(valid)]))
        return out
    if k == "state":
        v = np.asarray(valid)
        bad_state = v.copy() * 2.0
        neg = np.diag(np.r_[1.5, -0.5, np.zeros(v.shape[0] - 2)]).astype(complex)
        return [
            ("empty", np.array([])),
            ("wrong shape", np.ones((3, 5))),
            ("nan", np.full(v.shape, nan)),
            ("trace 2", bad_state),
            ("negative eigenvalue", neg),
            ("wrong type", "abc"),
        ]
    if k == "array":
        v = np.asarray(valid, dtype=object) if not isinstance(valid, np.ndarray) else valid
        out = [("empty", []), ("wrong type", "abc")]
        try:
            fv = np.asarray(np.real(np.asarray(valid)), dtype=float)
            out.append(("nan", np.full(fv.shape, nan)))
            out.append(("negative", -np.abs(fv) - 1.0))
            out.append(("wrong shape", np.ones((*fv.shape, 3))))
        except (TypeError, ValueError):
            del v
        return out
    if k == "callable":
        return [("wrong type", "abc")]
    if k == "none":
        return []
    return [("wrong type", "abc"), ("none", None)]


# ----------------------------------------------------------------------------------------
# classification
# ----------------------------------------------------------------------------------------


# Result fields whose docstring defines NaN as "not applicable" (a missing lead time, no
# cheater, no delivered pair): a NaN there is the documented answer, not garbage. Every
# other non-finite value anywhere in a result counts as garbage.
NAN_SENTINELS = {
    "ForecastResult.lead_windows",
    "SecretSharingResult.cheater_guess",
    "RateDistanceResult.mean_fidelity",
    "DiagnosisReport.detection_rate",
    "DiagnosisReport.false_alarm_rate",
    "DecoyTuning.mu",
    "DecoyTuning.nu",
    "DecoyTuning.decoy_fraction",
}


def _non_finite(x: Any, depth: int = 0) -> bool:
    if depth > 4:
        return False
    if isinstance(x, bool):
        return False
    if isinstance(x, (float, np.floating, complex, np.complexfloating)):
        return not np.isfinite(x)
    if isinstance(x, np.ndarray):
        if x.dtype.kind in "fc" and x.size:
            return not bool(np.all(np.isfinite(x)))
        return False
    if isinstance(x, (list, tuple)):
        return any(_non_finite(e, depth + 1) for e in list(x)[:1000])
    if isinstance(x, dict):
        return any(_non_finite(e, depth + 1) for e in list(x.values())[:1000])
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return any(
            _non_finite(getattr(x, f.name, None), depth + 1)
            for f in dataclasses.fields(x)
            if f"{type(x).__name__}.{f.name}" not in NAN_SENTINELS
        )
    return False


def _clean(exc: BaseException, pname: str) -> bool:
    if type(exc) not in (ValueError, TypeError) and not (
        isinstance(exc, (ValueError, TypeError)) and type(exc).__module__.startswith("qnetlab")
    ):
        return False
    return pname in str(exc)


def run_case(obj: Callable, kwargs: dict[str, Any], pname: str, timeout: float) -> tuple[str, str]:
    """Call ``obj(**kwargs)`` under a time limit and classify the outcome."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    faulthandler.dump_traceback_later(timeout + 10, exit=True)
    try:
        with np.errstate(all="ignore"):
            out = obj(**kwargs)
    except _Timeout:
        return "hang", f"> {timeout:g} s"
    except MemoryError as exc:
        return "memory", f"MemoryError {exc}"[:200]
    except RecursionError as exc:
        return "unclear", f"RecursionError {exc}"[:200]
    except Exception as exc:
        msg = f"{type(exc).__name__}: {exc}"[:300]
        return ("clean" if _clean(exc, pname) else "unclear"), msg
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        faulthandler.cancel_dump_traceback_later()
    try:
        bad = _non_finite(out)
    except Exception:
        bad = False
    return ("garbage", "non-finite result") if bad else ("accepted", "")


def _fmt(v: Any) -> str:
    if isinstance(v, np.ndarray):
        return f"array{v.shape}"
    r = repr(v)
    return r if len(r) < 40 else r[:37] + "..."


def _limit_memory(gb: float) -> None:
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        resource.setrlimit(resource.RLIMIT_DATA, (int(gb * 2**30), hard))
    except (ValueError, OSError):
        pass


def cases(modules: tuple[str, ...]) -> list[tuple[str, str, str, Any]]:
    """Every ``(callable, parameter, label, bad value)`` for ``modules`` (no calls made)."""
    out = []
    for qual, obj in public_callables(modules):
        if qual in SKIP_CALLABLES:
            continue
        kw = baseline_kwargs(qual, obj)
        if kw is None:
            continue
        for p in _params(obj):
            if p.name in SKIP_PARAMS:
                continue
            valid = kw.get(p.name, p.default)
            for label, bad in bad_values(p, valid):
                out.append((qual, p.name, label, bad))
    return out


def run_module(
    module: str,
    timeout: float = 8.0,
    journal: str | None = None,
    skip: set[tuple[str, str, str]] | None = None,
    only: set[str] | None = None,
) -> list[dict[str, Any]]:
    """Run every case of one module in this process and return one record per case."""
    records: list[dict[str, Any]] = []
    jf = open(journal, "a") if journal else None
    for qual, obj in public_callables((module,)):
        if qual in SKIP_CALLABLES or (only and qual not in only):
            continue
        try:
            kw = baseline_kwargs(qual, obj)
        except Exception as exc:
            records.append({"callable": qual, "kind": "no-baseline", "message": repr(exc)})
            continue
        if kw is None:
            records.append({"callable": qual, "kind": "no-baseline", "message": "not in table"})
            continue
        t0 = time.perf_counter()
        base_kind, base_msg = run_case(obj, dict(kw), "", max(timeout, 30.0))
        dt = time.perf_counter() - t0
        if base_kind not in ("accepted", "garbage"):
            records.append({"callable": qual, "kind": "no-baseline", "message": base_msg[:200]})
            continue
        limit = max(timeout, 4.0 * dt)
        for p in _params(obj):
            if p.name in SKIP_PARAMS:
                continue
            valid = kw.get(p.name, p.default)
            for label, bad in bad_values(p, valid):
                key = (qual, p.name, label)
                if skip and key in skip:
                    continue
                if jf:
                    jf.write(json.dumps({"start": list(key)}) + "\n")
                    jf.flush()
                args = dict(kw)
                args[p.name] = bad
                kind, msg = run_case(obj, args, p.name, limit)
                rec = {
                    "callable": qual,
                    "param": p.name,
                    "case": label,
                    "value": _fmt(bad),
                    "kind": kind,
                    "message": msg,
                }
                records.append(rec)
                if jf:
                    jf.write(json.dumps({"done": rec}) + "\n")
                    jf.flush()
    if jf:
        jf.close()
    return records


def _run_isolated(module: str, timeout: float, tmpdir: str) -> list[dict[str, Any]]:
    journal = os.path.join(tmpdir, f"{module}.jsonl")
    if os.path.exists(journal):
        os.remove(journal)
    records: list[dict[str, Any]] = []
    skip: set[tuple[str, str, str]] = set()
    for _attempt in range(60):
        cmd = [
            sys.executable,
            __file__,
            "--child",
            module,
            "--timeout",
            str(timeout),
            "--journal",
            journal,
            "--skip",
            json.dumps(sorted(skip)),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        started = None
        done_keys = set()
        if os.path.exists(journal):
            with open(journal) as fh:
                for line in fh:
                    ev = json.loads(line)
                    if "start" in ev:
                        started = tuple(ev["start"])
                    else:
                        r = ev["done"]
                        done_keys.add((r["callable"], r["param"], r["case"]))
        if proc.returncode == 0:
            try:
                child = json.loads(proc.stdout.strip().splitlines()[-1])
            except (IndexError, json.JSONDecodeError):
                child = []
            records.extend(r for r in child if r.get("kind") == "no-baseline")
            break
        # the child died on `started` (segfault, or faulthandler's hang exit)
        if started is None or started in skip:
            records.append(
                {"callable": module, "kind": "no-baseline", "message": proc.stderr[-300:]}
            )
            break
        kind = "crash" if proc.returncode < 0 else "hang"
        records.append(
            {
                "callable": started[0],
                "param": started[1],
                "case": started[2],
                "value": "",
                "kind": kind,
                "message": f"exit {proc.returncode}",
            }
        )
        skip |= done_keys | {started}
    if os.path.exists(journal):
        with open(journal) as fh:
            for line in fh:
                ev = json.loads(line)
                if "done" in ev:
                    records.append(ev["done"])
    return records


def summarise(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts by kind, the share of clean rejections and the callables covered."""
    counts = Counter(r["kind"] for r in records if r["kind"] != "no-baseline")
    rejected = counts["clean"] + counts["unclear"]
    return {
        "cases": sum(counts.values()),
        "callables": len({r["callable"] for r in records if r["kind"] != "no-baseline"}),
        "no_baseline": sorted({r["callable"] for r in records if r["kind"] == "no-baseline"}),
        **{k: counts.get(k, 0) for k in KINDS},
        "clean_share": round(counts["clean"] / rejected, 4) if rejected else 1.0,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--modules", nargs="*", default=list(MODULES))
    ap.add_argument("--timeout", type=float, default=8.0)
    ap.add_argument("--memory-gb", type=float, default=6.0)
    ap.add_argument("--list-failures", action="store_true")
    ap.add_argument("--in-process", action="store_true", help="no child processes")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--journal", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--skip", default="[]", help=argparse.SUPPRESS)
    ap.add_argument("--output", default=None, help="write every record as JSON here")
    args = ap.parse_args(argv)
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if args.child:
        _limit_memory(args.memory_gb)
        skip = {tuple(x) for x in json.loads(args.skip)}
        recs = run_module(args.child, args.timeout, args.journal, skip)
        print(json.dumps([r for r in recs if r["kind"] == "no-baseline"]))
        return 0
    records: list[dict[str, Any]] = []
    if args.in_process:
        _limit_memory(args.memory_gb)
        for m in args.modules:
            records.extend(run_module(m, args.timeout))
    else:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            for m in args.modules:
                t0 = time.perf_counter()
                records.extend(_run_isolated(m, args.timeout, tmp))
                print(f"# {m}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    if args.output:
        with open(args.output, "w") as fh:
            json.dump(records, fh, indent=1)
    by_mod: dict[str, Counter] = {}
    for r in records:
        if r["kind"] == "no-baseline":
            continue
        by_mod.setdefault(r["callable"].split(".")[0], Counter())[r["kind"]] += 1
    print(f"{'module':12s}" + "".join(f"{k:>10s}" for k in KINDS))
    for m, c in by_mod.items():
        print(f"{m:12s}" + "".join(f"{c.get(k, 0):10d}" for k in KINDS))
    if args.list_failures:
        for r in records:
            if r["kind"] in FAILURES:
                print(
                    f"{r['kind']:8s} {r['callable']}({r['param']}={r['value']}) "
                    f"[{r['case']}]: {r['message'][:160]}"
                )
    summary = summarise(records)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
