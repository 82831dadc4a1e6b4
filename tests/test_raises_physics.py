"""Every argument check of the physics modules is reached (issue 21: every ``raise`` covered).

One test per check that no other test of qkd, qec, repeaters and plotting executes
(``scripts/check_raises.py`` lists them): the bad input, the exception type, and the words
of the message that tell the caller what to fix (the argument's name and the allowed range).
"""

from __future__ import annotations

import types

import numpy as np
import pytest
import stim

from qnetlab.qec import decoders, experiments, scaling, sweeps
from qnetlab.qec.stim_codes import memory_circuit
from qnetlab.qkd import attacks, device_attacks, link, postprocessing, telemetry, theory
from qnetlab.repeaters import chain, links, rate_distance


@pytest.fixture(scope="module")
def rep3():
    return memory_circuit("repetition", 3, 0.05, "code_capacity")


# --- qec.decoders --------------------------------------------------------------------------
def test_decoder_rejects_detectors_given_as_a_string(rep3):
    with pytest.raises(TypeError, match="detectors must be a 2-D array of 0/1, got str"):
        decoders.MWPMDecoder.from_circuit(rep3).decode_batch("0101")


def test_decoder_rejects_detectors_that_are_not_numbers(rep3):
    det = np.array([[object(), object()]], dtype=object)
    with pytest.raises(TypeError, match="detectors must be a 2-D array of 0/1, got dtype"):
        decoders.MWPMDecoder.from_circuit(rep3).decode_batch(det)


def test_decoder_rejects_detectors_other_than_0_and_1(rep3):
    mwpm = decoders.MWPMDecoder.from_circuit(rep3)
    with pytest.raises(ValueError, match=r"detectors must hold detection events \(0/1"):
        mwpm.decode_batch(np.full((2, mwpm.num_detectors), 2))


def test_decoder_names_the_expected_detector_shape(rep3):
    mwpm = decoders.MWPMDecoder.from_circuit(rep3)
    n = mwpm.num_detectors
    with pytest.raises(ValueError, match=rf"detectors must have shape \(shots, {n}\)"):
        mwpm.decode_batch(np.zeros((2, n + 1), dtype=bool))


def test_neural_decoder_needs_exactly_one_observable():
    c = stim.Circuit("R 0\nX_ERROR(0.1) 0\nM 0\nDETECTOR rec[-1]")
    with pytest.raises(ValueError, match="exactly one observable"):
        decoders.train_neural_decoder(c, shots=200, hidden=(4,), epochs=1, seed=1)


def test_neural_decoder_init_must_be_a_neural_decoder(rep3):
    with pytest.raises(TypeError, match="init must be a NeuralDecoder or None"):
        decoders.train_neural_decoder(rep3, shots=200, epochs=1, init="weights", seed=1)


def test_neural_decoder_init_must_match_the_detector_count(rep3):
    other = decoders.load_pretrained(3, 0.004)
    assert other.num_detectors != decoders.MWPMDecoder.from_circuit(rep3).num_detectors
    with pytest.raises(ValueError, match=r"init was trained for .* different detector count"):
        decoders.train_neural_decoder(rep3, shots=200, epochs=1, init=other, seed=1)


def test_load_pretrained_names_the_distances_it_has():
    dists = sorted({d for d, _ in decoders.PRETRAINED})
    missing = max(dists) + 2
    with pytest.raises(ValueError, match=rf"distance in \[.*\], got {missing}"):
        decoders.load_pretrained(missing, 0.004)


def test_load_pretrained_needs_rounds_equal_to_distance():
    with pytest.raises(ValueError, match=r"rounds = distance = 3, got 5"):
        decoders.load_pretrained(3, 0.004, rounds=5)


def test_load_pretrained_needs_a_positive_p():
    with pytest.raises(ValueError, match="p must be positive for the neural decoder"):
        decoders.load_pretrained(3, 0.0)


# --- qec.experiments, qec.sweeps, qec.scaling ----------------------------------------------
def test_logical_error_curves_rejects_fractional_distances():
    with pytest.raises(ValueError, match=r"distances must be integers, got \[3.5\]"):
        experiments.logical_error_curves(
            code="repetition", distances=[3.5], ps=[0.1], noise="code_capacity", shots=100
        )


def test_decoding_latency_rejects_zero_shots_of_syndromes(rep3):
    mwpm = decoders.MWPMDecoder.from_circuit(rep3)
    with pytest.raises(ValueError, match=r"detectors must have shape \(shots, n\) with shots >= 1"):
        experiments.decoding_latency(mwpm, np.zeros((0, mwpm.num_detectors)))


def test_decoding_latency_rejects_fractional_detection_events(rep3):
    mwpm = decoders.MWPMDecoder.from_circuit(rep3)
    det = np.full((2, mwpm.num_detectors), 0.5)
    with pytest.raises(ValueError, match=r"detectors must hold detection events \(0/1"):
        experiments.decoding_latency(mwpm, det)


def test_sinter_tasks_rejects_fractional_distances():
    with pytest.raises(ValueError, match=r"distances must be integers, got \[3.5\]"):
        sweeps.sinter_tasks(code="repetition", distances=[3.5], ps=[0.1], noise="code_capacity")


def test_from_sinter_stats_rejects_a_statistic_without_kept_shots():
    import sinter

    meta = sweeps.task_metadata("repetition", 3, 0.1, "code_capacity")
    s = sinter.TaskStats(
        strong_id="x", decoder="pymatching", json_metadata=meta, shots=10, errors=0, discards=10
    )
    with pytest.raises(ValueError, match="a statistic has no kept shots"):
        sweeps.from_sinter_stats([s])


def test_finite_size_fit_rejects_more_errors_than_shots():
    rows = [
        types.SimpleNamespace(p=p, distance=d, errors=50, shots=1000)
        for d in (3, 5)
        for p in (0.05, 0.08, 0.1, 0.12)
    ]
    rows[0].errors = 2000
    with pytest.raises(ValueError, match=r"shots >= 1 and 0 <= errors <= shots"):
        scaling.fit_threshold_finite_size(rows, n_bootstrap=10, seed=1)


def test_finite_size_fit_needs_p_inside_the_unit_interval():
    rows = [
        types.SimpleNamespace(p=p, distance=d, errors=50, shots=1000)
        for d in (3, 5)
        for p in (0.0, 0.08, 0.1, 0.12)
    ]
    with pytest.raises(ValueError, match="every result needs 0 < p < 1"):
        scaling.fit_threshold_finite_size(rows, n_bootstrap=10, seed=1)


# --- qkd -----------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["expected_qber", "information"])
def test_intercept_resend_names_the_protocols_it_knows(method):
    eve = attacks.InterceptResend(fraction=0.5)
    with pytest.raises(ValueError, match=r"protocol must be one of \['bb84'.*got 'b92'"):
        getattr(eve, method)("b92")


def test_link_model_rejects_photon_numbers_that_are_not_numbers():
    with pytest.raises(TypeError, match="n must be real numbers"):
        link.GYS.photon_yield(["one"])


def test_postprocessing_rejects_bits_of_a_non_numeric_dtype():
    with pytest.raises(TypeError, match=r"key must be a 1-D array of bits \(0/1\), got dtype"):
        postprocessing.toeplitz_hash(np.array(["0", "1"]), 1, [0, 1])


def test_decoy_vacuum_weak_needs_the_decoy_below_the_signal():
    with pytest.raises(ValueError, match=r"0 < nu < mu, got mu=0.1, nu=0.5"):
        theory.decoy_vacuum_weak_key_rate(10.0, mu=0.1, nu=0.5)


def test_receiver_detector_must_be_0_or_1():
    with pytest.raises(ValueError, match="detector must be 0 or 1, got 2"):
        device_attacks.Receiver().detector_efficiency(2, 0.0)


def test_receiver_without_offset_has_no_mismatch_to_exploit():
    rx = device_attacks.Receiver(offset_ns=0.0)
    assert rx.shift_for_ratio(1.0) == 0.0
    with pytest.raises(ValueError, match="offset_ns=0 has no efficiency mismatch"):
        rx.shift_for_ratio(0.5)


@pytest.mark.parametrize(
    "func",
    [
        device_attacks.time_shift_information,
        device_attacks.faked_state_qber,
        device_attacks.faked_state_information,
    ],
)
@pytest.mark.parametrize("ratio", [-0.1, 1.5, np.nan])
def test_device_attack_ratio_must_be_in_the_unit_interval(func, ratio):
    with pytest.raises(ValueError, match=r"ratio must be in \[0, 1\]"):
        func(ratio)


@pytest.mark.parametrize("m", [-1.0, np.inf])
def test_trojan_horse_needs_a_non_negative_finite_mean_photon_number(m):
    with pytest.raises(ValueError, match="mean_photons_out must be non-negative and finite"):
        device_attacks.trojan_horse_information(m)


def test_device_telemetry_receiver_must_be_a_receiver():
    with pytest.raises(TypeError, match="receiver must be a Receiver, got str"):
        device_attacks.device_telemetry(2, receiver="apd", seed=1)


def test_bell_test_blinding_must_be_a_bool():
    with pytest.raises(TypeError, match="blinding must be a bool, got str"):
        device_attacks.bell_test_with_detectors(100, blinding="yes", seed=1)


@pytest.mark.parametrize(
    ("chsh", "qber", "message"),
    [
        (4.5, 0.0, r"chsh must be in \[0, 4\], got 4.5"),
        (np.nan, 0.0, r"chsh must be in \[0, 4\]"),
        (2.5, 0.6, r"qber must be in \[0, 0.5\], got 0.6"),
        (2.5, -0.1, r"qber must be in \[0, 0.5\]"),
    ],
)
def test_di_key_rate_checks_its_ranges(chsh, qber, message):
    with pytest.raises(ValueError, match=message):
        device_attacks.di_key_rate(chsh, qber)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"link": "fibre"}, TypeError, "link must be a LinkModel, got str"),
        ({"attack": "dos"}, ValueError, r"attack must be None or one of .*got 'dos'"),
        ({"attack": "pns", "fraction": 0.0}, ValueError, r"fraction must be in \(0, 1\]"),
        ({"attack_start": 1}, ValueError, "attack_start needs an attack"),
        ({"drift": 0.1}, TypeError, "drift must be a LinkDrift or None, got float"),
        ({"intensities": (0.5,)}, ValueError, r"intensities must hold \(mu, nu\)"),
        ({"probabilities": (0.5, 0.5)}, ValueError, "probabilities three values"),
        ({"intensities": (0.1, 0.5)}, ValueError, "0 < nu < mu, got mu=0.1, nu=0.5"),
        ({"probabilities": (0.5, 0.2, 0.2)}, ValueError, r"positive and sum to 1, got \(0.5"),
        ({"probabilities": (1.0, 0.0, 0.0)}, ValueError, "probabilities must be positive"),
    ],
)
def test_qkd_telemetry_checks_its_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        telemetry.qkd_telemetry(4, seed=1, **kwargs)


# --- repeaters -----------------------------------------------------------------------------
def test_expected_waiting_time_refuses_a_tail_sum_too_long():
    with pytest.raises(ValueError, match=r"p=1e-09 is too small for n_links=17"):
        chain.expected_waiting_time(17, 1e-9)


def test_simulate_chain_link_must_be_an_elementary_link():
    with pytest.raises(TypeError, match="link must be an ElementaryLink, got float"):
        chain.simulate_chain(2, 0.3, n_samples=10, seed=1)


def test_multiplexed_probability_rejects_an_array_outside_the_unit_interval():
    with pytest.raises(ValueError, match=r"p must be probabilities in \[0, 1\]"):
        links.multiplexed_probability([0.5, 1.5], 4)


def test_elementary_link_takes_fidelity_or_coefficients_not_both():
    with pytest.raises(ValueError, match="give either fidelity or coefficients, not both"):
        links.elementary_link(0.1, fidelity=0.9, coefficients=[0.9, 0.05, 0.03, 0.02])


def test_crossover_distance_bound_must_not_be_a_string():
    with pytest.raises(TypeError, match="bound must be an array of rates, got str"):
        rate_distance.crossover_distance([0, 10], [1, 2], "plob")


def test_crossover_distance_bound_must_hold_real_numbers():
    with pytest.raises(TypeError, match="bound must be an array of real rates"):
        rate_distance.crossover_distance([0, 10], [1, 2], [object(), 1.0])


# --- plotting ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def grid_table():
    from qnetlab.sweep import table

    return table(
        {"d": [3, 5], "p": [0.1, 0.2], "r": [1, 2]}, [{"rate": float(i)} for i in range(8)]
    )


@pytest.mark.parametrize(("arg", "label"), [("x", "x"), ("y", "y"), ("value", "value")])
def test_plot_heatmap_names_the_missing_column(grid_table, arg, label):
    from qnetlab.plotting import plot_heatmap

    kwargs = {"x": "p", "y": "d", "value": "rate", arg: "q"}
    with pytest.raises(ValueError, match=rf"{label}='q' must be a swept parameter or a column"):
        plot_heatmap(grid_table, **kwargs)


def test_plot_heatmap_needs_each_pair_once(grid_table):
    from qnetlab.plotting import plot_heatmap

    with pytest.raises(ValueError, match=r"every \(p, d\) pair must occur once"):
        plot_heatmap(grid_table, x="p", y="d", value="rate")


def test_per_round_rate_and_stats_file_inputs_are_checked():
    from qnetlab import qec

    with pytest.raises(TypeError, match="rate must be an array of numbers, got str"):
        qec.per_round_error_rate("abc", 3)
    with pytest.raises(TypeError, match=r"path must be a str or os\.PathLike file name, got int"):
        qec.read_stats_csv(3)
