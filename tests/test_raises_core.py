"""Every argument check of the core modules is reached (issue 21: every ``raise`` covered).

One test per check that no other test executes (``make raises`` lists them): the bad input,
the exception type, and the words of the message that tell the caller what to fix (the
argument's name and the allowed range).
"""

from __future__ import annotations

import cirq
import networkx as nx
import numpy as np
import pytest

from qnetlab import _validation as v
from qnetlab import blind, secret_sharing, states, tomography
from qnetlab.qnn import generative, vqa


# --- _validation ---------------------------------------------------------------------------
def test_check_callable_rejects_a_number():
    with pytest.raises(TypeError, match="rate must be callable, got int"):
        v.check_callable(3, "rate")


def test_check_array_rejects_objects_that_are_not_numbers():
    with pytest.raises(TypeError, match="ps must be an array of real numbers"):
        v.check_array([object(), {}], "ps")


@pytest.mark.parametrize(
    ("shape", "message"),
    [((3,), "ps must have 3 entries, got shape"), ((2, None), r"ps must have shape \(2, any\)")],
)
def test_check_array_names_the_expected_shape(shape, message):
    with pytest.raises(ValueError, match=message):
        v.check_array([1.0, 2.0], "ps", shape=shape)


def test_check_probability_vector_must_sum_to_one():
    with pytest.raises(ValueError, match=r"p must sum to 1 .* got sum 0.5"):
        v.check_probability_vector([0.25, 0.25], "p")


def test_check_kraus_rejects_a_string():
    with pytest.raises(TypeError, match="kraus must be a sequence of matrices, got str"):
        v.check_kraus("X")


# --- states --------------------------------------------------------------------------------
def test_ket_rejects_bits_that_are_not_integers():
    with pytest.raises(TypeError, match="bits must be a sequence of 0s and 1s"):
        states.ket([0, "x"])


def test_ket_rejects_more_than_24_qubits():
    with pytest.raises(ValueError, match=r"at most 24 qubits .* got 25"):
        states.ket("0" * 25)


# --- tomography ----------------------------------------------------------------------------
def test_state_from_pauli_expectations_rejects_an_unknown_label():
    with pytest.raises(ValueError, match="unknown Pauli label 'XQ' for 2 qubits"):
        tomography.state_from_pauli_expectations({"XQ": 0.5}, 2)


def test_maximum_likelihood_rejects_an_infinite_dilution():
    data = tomography.measure_pauli(states.bell_state("phi+", density=True), 50, seed=1)
    with pytest.raises(ValueError, match="dilution must be finite, got inf"):
        tomography.maximum_likelihood(data, dilution=np.inf)


def test_neural_tomography_checks_its_layers_and_training_set():
    rho = states.bell_state("phi+", density=True)
    with pytest.raises(TypeError, match="hidden must be a tuple of layer sizes"):
        tomography.NeuralTomography(hidden=5, seed=0).fit([rho, rho], 10)
    with pytest.raises(ValueError, match="hidden must be a non-empty tuple"):
        tomography.NeuralTomography(hidden=(), seed=0).fit([rho, rho], 10)
    with pytest.raises(ValueError, match="training_states must hold at least two states"):
        tomography.NeuralTomography(hidden=(4,), seed=0).fit([rho], 10)
    one_qubit = np.eye(2) / 2
    with pytest.raises(ValueError, match="the same number of qubits"):
        tomography.NeuralTomography(hidden=(4,), seed=0).fit([rho, one_qubit], 10)


def test_neural_tomography_predicts_only_states_of_its_size():
    training = tomography.random_states(20, seed=0)  # noisy Bell pairs: 2 qubits
    model = tomography.NeuralTomography(hidden=(4,), seed=0).fit(training, 10)
    one_qubit = tomography.measure_pauli(np.eye(2) / 2, 10, seed=1)
    with pytest.raises(ValueError, match="data has 1 qubits, the model was trained on 2"):
        model.predict_expectations(one_qubit)


def test_blind_and_sharing_inputs_must_be_finite():
    with pytest.raises(ValueError, match="thetas must contain only finite numbers"):
        blind.bfk_circuit([np.nan, 0.0], [0.0, 0.0])
    with pytest.raises(ValueError, match="lengths_km"):
        secret_sharing.xor_sharing_rate([10.0, -1.0])


def test_neural_tomography_must_be_fitted_before_predicting():
    data = tomography.measure_pauli(states.bell_state("phi+", density=True), 10, seed=1)
    with pytest.raises(ValueError, match=r"not fitted: call fit\(\) first"):
        tomography.NeuralTomography(seed=0).predict_expectations(data)


# --- secret sharing ------------------------------------------------------------------------
def test_hbb_circuit_rejects_a_repeated_intercepted_qubit():
    with pytest.raises(ValueError, match="intercepted must not repeat a qubit"):
        secret_sharing.hbb_circuit(["X", "X", "X"], intercepted=[1, 1], eve_bases=["X", "X"])


def test_hbb_error_rate_takes_an_outside_eavesdropper_or_a_cheater():
    with pytest.raises(ValueError, match=r"outside eavesdropper .* or a cheater"):
        secret_sharing.hbb_error_rate(3, intercept_fraction=0.5, cheater=True)


def test_sharing_rates_need_two_links():
    with pytest.raises(ValueError, match="lengths_km must give at least two link lengths"):
        secret_sharing.xor_sharing_rate([10.0])


# --- qnn.generative ------------------------------------------------------------------------
def test_bitstring_inputs_are_checked():
    with pytest.raises(TypeError, match="bits must be a 2-D array of 0/1, got str"):
        generative.empirical_distribution("0101")
    with pytest.raises(ValueError, match=r"samples, 1..16 bits"):
        generative.empirical_distribution(np.zeros((4, 17), dtype=int))


def test_distributions_must_cover_a_power_of_two_outcomes():
    with pytest.raises(ValueError, match="p"):
        generative.kl_divergence([0.5, 0.25, 0.25], [0.5, 0.25, 0.25])


def test_kl_and_mmd_need_equal_lengths():
    with pytest.raises(ValueError, match="p and q must have the same length, got 2 and 4"):
        generative.kl_divergence([0.5, 0.5], [0.25] * 4)
    with pytest.raises(ValueError, match="p and q must have the same length"):
        generative.mmd([0.5, 0.5], [0.25] * 4)


def test_mmd_checks_its_kernel_widths_and_size():
    with pytest.raises(ValueError, match="sigmas must hold 1 to 100 kernel widths > 0"):
        generative.mmd([0.5, 0.5], [0.5, 0.5], sigmas=[0.0])
    big = np.full(2**13, 2.0**-13)
    with pytest.raises(ValueError, match=r"at most 2\*\*12 outcomes"):
        generative.mmd(big, big)


def test_born_machine_checks_its_parameters_and_size():
    with pytest.raises(ValueError, match="params must have 8 entries, got 3"):
        generative.born_machine_circuit(2, 1, [0.1, 0.2, 0.3])
    target = np.full(2**17, 2.0**-17)
    with pytest.raises(ValueError, match="at most 16 bits"):
        generative.train_born_machine(target, seed=0)


# --- qnn.vqa -------------------------------------------------------------------------------
def test_hamiltonians_are_checked():
    q = cirq.LineQubit.range(13)
    big = cirq.PauliSum.from_pauli_strings([cirq.Z(qi) for qi in q])
    with pytest.raises(ValueError, match="hamiltonian must act on 1 to 12 qubits, got 13"):
        vqa.exact_ground_energy(big)
    with pytest.raises(TypeError, match=r"hamiltonian must be a cirq\.PauliSum, got str"):
        vqa.measurement_settings("ZZ")


def test_vqe_circuit_checks_its_parameter_count():
    with pytest.raises(ValueError, match="params must have 4 entries for this ansatz, got 1"):
        vqa.vqe_circuit(2, 1, [0.3])


def test_network_graph_needs_an_even_degree_sum():
    with pytest.raises(ValueError, match="n_nodes \\* degree must be even"):
        vqa.network_graph(5, degree=3, seed=0)


def test_maxcut_graphs_are_checked():
    with pytest.raises(ValueError, match=r"graph nodes must be labelled 0 \.\. n-1"):
        vqa.maxcut_qubo(nx.relabel_nodes(nx.path_graph(3), {0: "a", 1: "b", 2: "c"}))
    with pytest.raises(ValueError, match="graph must have between 2 and 16 nodes, got 17"):
        vqa.maxcut_qubo(nx.path_graph(17))
    with pytest.raises(ValueError, match="graph must have at least one edge"):
        vqa.maxcut_qubo(nx.empty_graph(3))


def test_qaoa_checks_its_angles_and_starts():
    g = nx.cycle_graph(4)
    with pytest.raises(ValueError, match="gammas and betas must be non-empty and of equal"):
        vqa.qaoa_circuit(g, [0.1, 0.2], [0.3])
    with pytest.raises(ValueError, match="init must hold two arrays of length p=2"):
        vqa.run_qaoa(g, p=2, init=([0.1], [0.2]), seed=0)
    with pytest.raises(ValueError, match="restarts must be >= 1 when init is None"):
        vqa.run_qaoa(g, p=1, restarts=0, seed=0)


def test_barren_plateau_fit_needs_two_sizes():
    result = vqa.barren_plateau_variance((2,), layers=2, n_circuits=10, seed=0)
    with pytest.raises(ValueError, match="fit needs at least two qubit numbers"):
        result.fit()
