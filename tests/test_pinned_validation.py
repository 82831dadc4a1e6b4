"""qnetlab._validation at its boundaries: every check accepts its edge and refuses the next.

Written for issue 21 (mutation testing): each assertion fails if a comparison is flipped
(``<`` ↔ ``<=``), a ``raise`` is dropped or a check returns early.
"""

from __future__ import annotations

import numpy as np
import pytest

from qnetlab import _validation as v


def test_as_real_accepts_zero_d_arrays_and_refuses_other_objects():
    assert v.check_non_negative(np.array(2.5), "x") == 2.5
    assert v.check_non_negative(np.float32(0.5), "x") == 0.5
    for bad in (True, "1", None, np.array([1.0]), np.array(1 + 0j), [1.0]):
        with pytest.raises(TypeError, match="x must be a real number"):
            v.check_non_negative(bad, "x")
    for bad in (np.nan, np.inf, -np.inf, np.array(np.nan)):
        with pytest.raises(ValueError, match="x must be finite"):
            v.check_non_negative(bad, "x")


def test_check_in_range_edges_inclusive_and_exclusive():
    assert v.check_in_range(0.25, "f", 0.25, 1.0) == 0.25
    assert v.check_in_range(1.0, "f", 0.25, 1.0) == 1.0
    with pytest.raises(ValueError, match=r"f must be in \(0.25, 1\], got 0.25"):
        v.check_in_range(0.25, "f", 0.25, 1.0, low_inclusive=False)
    with pytest.raises(ValueError, match=r"f must be in \[0.25, 1\), got 1.0"):
        v.check_in_range(1.0, "f", 0.25, 1.0, high_inclusive=False)
    assert v.check_in_range(0.3, "f", 0.25, 1.0, low_inclusive=False) == 0.3
    assert v.check_in_range(0.9, "f", 0.25, 1.0, high_inclusive=False) == 0.9
    with pytest.raises(ValueError, match=r"f must be in \[0.25, 1\], got 0.2"):
        v.check_in_range(0.2, "f", 0.25, 1.0)
    with pytest.raises(ValueError, match=r"f must be in \[0.25, 1\], got 1.5"):
        v.check_in_range(1.5, "f", 0.25, 1.0)
    with pytest.raises(ValueError, match=r"\[-inf, 0\]"):
        v.check_in_range(1.0, "f", high=0.0)
    with pytest.raises(ValueError, match=r"\[0, inf\]"):
        v.check_in_range(-1.0, "f", low=0.0)
    assert v.check_in_range(-1e300, "f") == -1e300


def test_probability_non_negative_positive_boundaries():
    assert v.check_probability(0.0, "p") == 0.0
    assert v.check_probability(1.0, "p") == 1.0
    for bad in (-1e-12, 1.0 + 1e-12):
        with pytest.raises(ValueError, match="p must be a probability in"):
            v.check_probability(bad, "p")
    assert v.check_non_negative(0.0, "x") == 0.0
    with pytest.raises(ValueError, match="x must be non-negative"):
        v.check_non_negative(-1e-300, "x")
    assert v.check_positive(1e-300, "x") == 1e-300
    with pytest.raises(ValueError, match="x must be positive"):
        v.check_positive(0.0, "x")


def test_check_integer_bounds_and_messages():
    assert v.check_integer(np.int64(3), "n", minimum=3, maximum=3) == 3
    assert v.check_integer(-5, "n") == -5
    with pytest.raises(ValueError, match=r"n must be an integer >= 3, got 2"):
        v.check_integer(2, "n", minimum=3)
    with pytest.raises(ValueError, match=r"n must be an integer in \[3, 5\], got 2"):
        v.check_integer(2, "n", minimum=3, maximum=5)
    with pytest.raises(ValueError, match=r"n must be an integer in \[3, 5\], got 6"):
        v.check_integer(6, "n", minimum=3, maximum=5)
    with pytest.raises(ValueError, match=r"in \[None, 5\], got 6"):
        v.check_integer(6, "n", maximum=5)
    assert v.check_integer(5, "n", maximum=5) == 5
    for bad in (True, 2.0, "2", None):
        with pytest.raises(TypeError, match="n must be an integer"):
            v.check_integer(bad, "n")


def test_check_choice():
    assert v.check_choice("b", "k", ("a", "b")) == "b"
    with pytest.raises(ValueError, match=r"k must be one of 'a', 'b'; got 'c'"):
        v.check_choice("c", "k", ("a", "b"))


def test_make_rng_accepts_generators_ints_and_none_only():
    g = np.random.default_rng(1)
    assert v.make_rng(g) is g
    assert isinstance(v.make_rng(None), np.random.Generator)
    assert v.make_rng(0).integers(1 << 30) == np.random.default_rng(0).integers(1 << 30)
    assert v.make_rng(np.int64(5)).random() == np.random.default_rng(5).random()
    for bad in (1.5, True, "3", np.random.RandomState(0)):
        with pytest.raises(TypeError, match="seed must be an int"):
            v.make_rng(bad)
    with pytest.raises(ValueError, match="seed must be a non-negative integer, got -1"):
        v.make_rng(-1)


def test_check_square_matrix():
    m = v.check_square_matrix([[1, 2], [3, 4]], "m")
    assert m.dtype == complex and m.shape == (2, 2)
    with pytest.raises(TypeError, match="m must be a numeric matrix"):
        v.check_square_matrix([["a", "b"], ["c", "d"]], "m")
    for bad in ([[1, 2, 3], [4, 5, 6]], [1, 2], np.zeros((0, 0)), np.zeros((2, 2, 2))):
        with pytest.raises(ValueError, match="m must be a non-empty square matrix"):
            v.check_square_matrix(bad, "m")
    with pytest.raises(ValueError, match="m must contain only finite numbers"):
        v.check_square_matrix([[1, np.nan], [0, 0]], "m")
    assert v.check_square_matrix([[7]], "m").shape == (1, 1)


def test_check_density_matrix_each_condition():
    plus = np.full((2, 2), 0.5)
    np.testing.assert_allclose(v.check_density_matrix(plus), plus)
    with pytest.raises(ValueError, match=r"\(dimension a power of 2\), got dimension 3"):
        v.check_density_matrix(np.eye(3) / 3)
    with pytest.raises(ValueError, match="rho must be Hermitian"):
        v.check_density_matrix([[0.5, 0.5], [0.0, 0.5]])
    with pytest.raises(ValueError, match=r"rho must have unit trace, got trace 0\.9"):
        v.check_density_matrix(np.diag([0.5, 0.4]))
    with pytest.raises(ValueError, match="positive semidefinite"):
        v.check_density_matrix(np.diag([1.1, -0.1]))
    # The tolerance is used as stated: within atol passes, beyond it fails.
    v.check_density_matrix(np.diag([1.0 + 5e-7, -5e-7]))
    v.check_density_matrix(np.diag([0.5, 0.5 + 5e-7]))
    with pytest.raises(ValueError, match="unit trace"):
        v.check_density_matrix(np.diag([0.5, 0.5 + 5e-6]))
    v.check_density_matrix(np.diag([0.5, 0.5 + 5e-6]), atol=1e-5)
    with pytest.raises(ValueError, match="positive semidefinite"):
        v.check_density_matrix(np.diag([1.0 + 5e-6, -5e-6]))
    assert v.check_density_matrix(np.diag([1.0, 0, 0, 0])).shape == (4, 4)
    assert v.check_density_matrix([[1.0]]).shape == (1, 1)


def test_to_density_matrix_kets_and_errors():
    rho = v.to_density_matrix(np.array([1, 1j]) / np.sqrt(2))
    np.testing.assert_allclose(rho, [[0.5, -0.5j], [0.5j, 0.5]])
    with pytest.raises(TypeError, match="state must be a state vector or a density matrix"):
        v.to_density_matrix(["a", "b"])
    for bad in ([], [1, 0, 0]):
        with pytest.raises(ValueError, match="state must have a power-of-2 length"):
            v.to_density_matrix(bad)
    with pytest.raises(ValueError, match="state must contain only finite numbers"):
        v.to_density_matrix([np.nan, 0])
    with pytest.raises(ValueError, match=r"normalised .* got norm\^2 2"):
        v.to_density_matrix([1, 1])
    v.to_density_matrix([1 + 2e-7, 0])
    with pytest.raises(ValueError, match="normalised"):
        v.to_density_matrix([1 + 5e-6, 0])
    v.to_density_matrix([1 + 5e-6, 0], atol=1e-4)
    with pytest.raises(ValueError, match=r"must be 1-D .* got 3 dimensions"):
        v.to_density_matrix(np.zeros((2, 2, 2)))
    np.testing.assert_allclose(v.to_density_matrix(np.eye(2) / 2, "x"), np.eye(2) / 2)
    assert v.to_density_matrix([1.0]).shape == (1, 1)


def test_tolerances_are_inclusive():
    # An eigenvalue of exactly −atol, or a trace off by exactly atol, is within tolerance.
    m = v.check_density_matrix(np.diag([1.0 + 0.25, -0.25]), atol=0.25)
    assert m.shape == (2, 2)
    v.check_density_matrix(np.diag([0.5, 0.25]), atol=0.25)  # trace 0.75 = 1 − atol


def test_check_size_defaults_and_the_iteration_cap():
    # counts start at 1 and stop at MAX_ITERATIONS = 10^6 unless a caller says otherwise
    assert v.MAX_ITERATIONS == 10**6
    assert v.check_size(1, "epochs") == 1 and v.check_size(10**6, "epochs") == 10**6
    assert v.check_size(4.0, "epochs") == 4
    with pytest.raises(ValueError, match=r"epochs must be an integer >= 1, got 0"):
        v.check_size(0, "epochs")
    with pytest.raises(ValueError, match=r"in \[1, 1000000\], got 1000001; split"):
        v.check_size(10**6 + 1, "epochs", hint="split")


def test_check_memory_refuses_only_above_the_limit():
    v.check_memory(v.MAX_ARRAY_BYTES, "shots", 1)  # exactly the limit is allowed
    with pytest.raises(ValueError, match=r"shots=7 would need about 2 GB .*limit 2 GB\); x"):
        v.check_memory(v.MAX_ARRAY_BYTES + 1, "shots", 7, hint="x")


def test_check_array_shapes():
    a = v.check_array([[1, 2, 3], [4, 5, 6]], "m", shape=(None, 3))
    assert a.shape == (2, 3)
    with pytest.raises(ValueError, match=r"m must have shape \(any, 2\), got shape \(2, 3\)"):
        v.check_array(a, "m", shape=(None, 2))
    with pytest.raises(ValueError, match=r"m must have shape \(2, 3\), got shape \(3,\)"):
        v.check_array([1, 2, 3], "m", shape=(2, 3))
    with pytest.raises(ValueError, match="w must have 4 entries, got shape"):
        v.check_array([1, 2, 3], "w", shape=(4,))
    assert v.check_array([1, 2, 3], "w", shape=(3,)).tolist() == [1.0, 2.0, 3.0]


def test_check_kraus_shapes_and_the_trivial_system():
    # one-dimensional system: K = [[1]] is the (only) channel
    assert len(v.check_kraus([[[1.0]]])) == 1
    amp = [np.diag([1.0, np.sqrt(0.7)]), np.array([[0.0, np.sqrt(0.3)], [0.0, 0.0]])]
    assert len(v.check_kraus(amp, dim=2)) == 2  # amplitude damping with γ = 0.3
    with pytest.raises(ValueError, match="at least one operator"):
        v.check_kraus([])
    with pytest.raises(ValueError, match=r"kraus\[1\] must be a square matrix"):
        v.check_kraus([np.eye(2), np.eye(3)])
    with pytest.raises(ValueError, match="complete"):
        v.check_kraus([np.eye(2), np.eye(2)])


def test_to_density_matrix_default_tolerance_is_1e_6():
    ok = np.array([np.sqrt(1 + 0.9e-6), 0.0])
    np.testing.assert_allclose(v.to_density_matrix(ok), np.diag([1 + 0.9e-6, 0]), atol=1e-15)
    with pytest.raises(ValueError, match="normalised"):
        v.to_density_matrix(np.array([np.sqrt(1 + 1.5e-6), 0.0]))


def test_clip_and_format_value():
    assert v.clip("abcdefghij", 10) == "abcdefghij"
    assert v.clip("abcdefghijk", 10) == "abcdefg..." and len(v.clip("x" * 50, 10)) == 10
    assert v.clip("abcdef", 2) == "a..."
    assert v.format_value(3) == "3" and v.format_value(np.int64(-2)) == "-2"
    assert v.format_value(np.arange(8.0)) == "[0, 1, 2, 3, 4, 5, 6, 7]"  # 8 entries: listed
    assert v.format_value(np.arange(9.0)) == "array(shape=(9,), min=0, max=8)"
    assert v.format_value(np.array(["a"] * 9)) == "array(shape=(9,), dtype=<U1)"
    assert v.format_value((0.5,)) == "(0.5,)" and v.format_value([True, None]) == "[True, None]"


def test_check_size_refuses_fractions_and_booleans():
    for bad in (4.5, True, float("nan"), "3"):
        with pytest.raises(TypeError, match="epochs must be an integer"):
            v.check_size(bad, "epochs")
    assert v.check_size(np.int64(7), "epochs") == 7


def test_check_array_finite_values_and_inclusive_bounds():
    with pytest.raises(ValueError, match="ps must contain only finite numbers, got nan at index 1"):
        v.check_array([0.1, float("nan")], "ps")
    with pytest.raises(ValueError, match=r"m must contain only finite numbers, got inf at index"):
        v.check_array([[0.0, 1.0], [np.inf, 2.0]], "m")
    # low and high are inclusive: a probability array may hold 0 and 1
    assert v.check_array([0.0, 1.0], "ps", low=0.0, high=1.0).tolist() == [0.0, 1.0]
    assert v.check_array([0, 1], "ks", low=0, high=1, dtype=int).tolist() == [0, 1]
    with pytest.raises(ValueError, match="ps"):
        v.check_array([-1e-9, 1.0], "ps", low=0.0, high=1.0)
