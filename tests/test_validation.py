"""Argument checks: every bad input gets a clear error naming the argument."""

from __future__ import annotations

import numpy as np
import pytest

from qnetlab import _validation as v


@pytest.mark.parametrize("bad", [-0.1, 1.1, float("nan"), float("inf")])
def test_probability_rejects_out_of_range(bad):
    with pytest.raises(ValueError, match="p "):
        v.check_probability(bad, "p")


@pytest.mark.parametrize("bad", ["0.5", None, True, [0.5]])
def test_probability_rejects_non_numbers(bad):
    with pytest.raises(TypeError, match="p must be a real number"):
        v.check_probability(bad, "p")


def test_numpy_scalars_are_accepted():
    assert v.check_probability(np.float32(0.5), "p") == 0.5
    assert v.check_probability(np.array(0.25), "p") == 0.25
    assert v.check_integer(np.int64(3), "n", minimum=1) == 3


def test_non_negative_and_positive():
    assert v.check_non_negative(0, "length_km") == 0.0
    with pytest.raises(ValueError, match=r"length_km must be non-negative \(>= 0\), got -1"):
        v.check_non_negative(-1, "length_km")
    with pytest.raises(ValueError, match="coherence_time must be positive"):
        v.check_positive(0.0, "coherence_time")


def test_integer_ranges():
    with pytest.raises(ValueError, match=r"n_links must be an integer >= 1, got 0"):
        v.check_integer(0, "n_links", minimum=1)
    with pytest.raises(ValueError, match=r"in \[1, 3\]"):
        v.check_integer(4, "d", minimum=1, maximum=3)
    with pytest.raises(TypeError, match="must be an integer"):
        v.check_integer(True, "n")


def test_in_range_messages_show_the_interval():
    with pytest.raises(ValueError, match=r"fidelity must be in \[0.25, 1\], got 0.2"):
        v.check_in_range(0.2, "fidelity", 0.25, 1.0)
    with pytest.raises(ValueError, match=r"p must be in \(0, 1\]"):
        v.check_in_range(0.0, "p", 0.0, 1.0, low_inclusive=False)


def test_choice():
    with pytest.raises(ValueError, match="backend must be one of 'numpy', 'cirq'; got 'gpu'"):
        v.check_choice("gpu", "backend", ("numpy", "cirq"))


def test_make_rng_normalises_seeds():
    g = np.random.default_rng(3)
    assert v.make_rng(g) is g
    a = v.make_rng(11).random(4)
    b = v.make_rng(11).random(4)
    np.testing.assert_array_equal(a, b)
    assert isinstance(v.make_rng(None), np.random.Generator)
    with pytest.raises(TypeError, match="seed must be an int"):
        v.make_rng(1.5)
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        v.make_rng(-3)


def test_density_matrix_checks():
    with pytest.raises(ValueError, match="Hermitian"):
        v.check_density_matrix([[0.5, 0.5], [0.0, 0.5]])
    with pytest.raises(ValueError, match="unit trace"):
        v.check_density_matrix(np.eye(2))
    with pytest.raises(ValueError, match="positive semidefinite"):
        v.check_density_matrix([[1.5, 0.0], [0.0, -0.5]])
    with pytest.raises(ValueError, match="power of 2"):
        v.check_density_matrix(np.eye(3) / 3)
    with pytest.raises(ValueError, match="square matrix"):
        v.check_density_matrix(np.ones((2, 3)))
    with pytest.raises(ValueError, match="normalised"):
        v.to_density_matrix([1.0, 1.0])
    with pytest.raises(ValueError, match="power-of-2 length"):
        v.to_density_matrix([1.0, 0.0, 0.0])


def test_complex_arrays_are_refused_not_cast():
    """A real cast drops the imaginary part silently (numpy's ComplexWarning): refuse instead."""
    from qnetlab import qdata
    from qnetlab._validation import check_array

    with pytest.raises(TypeError, match="ps must be an array of real numbers, got complex"):
        check_array(np.array([0.1 + 0.5j, 0.2]), "ps")
    assert check_array(np.array([1 + 2j]), "amps", dtype=complex)[0] == 1 + 2j
    with pytest.raises(TypeError, match="X must be an array of real numbers, got complex"):
        qdata.feature_states(np.array([[0.1j, 0.2]]), reps=1)
    with pytest.raises(TypeError, match="X must be an array of real numbers, got list"):
        qdata.feature_states([[0.1], [0.2, 0.3]], reps=1)
