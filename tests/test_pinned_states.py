"""qnetlab.states pinned to independent constructions (issue 21).

Werner (PRA 40, 4277, 1989); Bell-diagonal order of Deutsch et al. (PRL 77, 2818, 1996);
Uhlmann fidelity (Rep. Math. Phys. 9, 273, 1976; Jozsa, J. Mod. Opt. 41, 2315, 1994);
Wootters concurrence (PRL 80, 2245, 1998).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.linalg import sqrtm

from qnetlab import states as s

S = 1 / math.sqrt(2)
KETS = {
    "phi+": np.array([S, 0, 0, S]),
    "psi-": np.array([0, S, -S, 0]),
    "psi+": np.array([0, S, S, 0]),
    "phi-": np.array([S, 0, 0, -S]),
}


def random_density(rng, dim: int, rank: int | None = None) -> np.ndarray:
    g = rng.normal(size=(dim, rank or dim)) + 1j * rng.normal(size=(dim, rank or dim))
    m = g @ g.conj().T
    return m / np.trace(m).real


def test_ket_strings_and_sequences():
    np.testing.assert_array_equal(s.ket("0"), [1, 0])
    np.testing.assert_array_equal(s.ket("1"), [0, 1])
    np.testing.assert_array_equal(s.ket([1, 0, 1]), np.eye(8)[5])
    np.testing.assert_array_equal(s.ket((0, 1)), np.eye(4)[1])
    for bad in ("", "012", "ab"):
        with pytest.raises(ValueError, match="bits must be a non-empty string"):
            s.ket(bad)
    for bad in ([], [0, 2], [-1]):
        with pytest.raises(ValueError, match="bits must be a non-empty sequence"):
            s.ket(bad)


@pytest.mark.parametrize("name", list(KETS))
def test_bell_states_and_aliases(name):
    np.testing.assert_allclose(s.bell_state(name), KETS[name], atol=1e-15)
    np.testing.assert_allclose(
        s.bell_state(name, density=True), np.outer(KETS[name], KETS[name]), atol=1e-15
    )
    alias = name.replace("phi", "phi_").replace("psi", "psi_")
    alias = alias.replace("+", "plus").replace("-", "minus")
    np.testing.assert_allclose(s.bell_state(alias), KETS[name], atol=1e-15)
    # the returned ket is a copy: changing it does not change the next call
    k = s.bell_state(name)
    k[:] = 0
    np.testing.assert_allclose(s.bell_state(name), KETS[name], atol=1e-15)
    assert s.BELL_ORDER == ("phi+", "psi-", "psi+", "phi-")


def test_bell_state_unknown_name():
    with pytest.raises(ValueError, match=r"name must be one of .* got 'chi'"):
        s.bell_state("chi")
    np.testing.assert_allclose(s.bell_state("Ψ−"), KETS["psi-"], atol=1e-15)


@pytest.mark.parametrize("f", [0.0, 0.25, 0.5, 0.8, 1.0])
def test_werner_state_pinned(f):
    # ρ_W = F |Φ+⟩⟨Φ+| + (1 − F)/3 (I − |Φ+⟩⟨Φ+|): eigenvalue F on Φ+, (1 − F)/3 thrice.
    phi = np.outer(KETS["phi+"], KETS["phi+"])
    ref = f * phi + (1 - f) / 3 * (np.eye(4) - phi)
    np.testing.assert_allclose(s.werner_state(f), ref, atol=1e-15)
    np.testing.assert_allclose(
        s.bell_diagonal_coefficients(ref), [f] + [(1 - f) / 3] * 3, atol=1e-12
    )
    with pytest.raises(ValueError, match="fidelity"):
        s.werner_state(1.1)


def test_bell_diagonal_state_pinned_and_round_trip():
    lam = [0.6, 0.25, 0.1, 0.05]
    ref = sum(c * np.outer(KETS[n], KETS[n]) for c, n in zip(lam, KETS))
    np.testing.assert_allclose(s.bell_diagonal_state(lam), ref, atol=1e-15)
    np.testing.assert_allclose(s.bell_diagonal_coefficients(ref), lam, atol=1e-12)
    # a ket is accepted, and a non-Bell-diagonal state gives its twirl's coefficients
    np.testing.assert_allclose(s.bell_diagonal_coefficients(KETS["psi+"]), [0, 0, 1, 0])
    np.testing.assert_allclose(
        s.bell_diagonal_coefficients(np.diag([1.0, 0, 0, 0])), [0.5, 0, 0, 0.5], atol=1e-12
    )
    with pytest.raises(ValueError, match=r"two-qubit state \(4x4\)"):
        s.bell_diagonal_coefficients(np.eye(2) / 2)


def test_check_bell_coefficients_edges():
    np.testing.assert_array_equal(s.check_bell_coefficients([1, 0, 0, 0]), [1, 0, 0, 0])
    # tiny negative rounding noise is accepted and clipped to 0
    out = s.check_bell_coefficients([1 + 5e-13, -5e-13, 0, 0])
    assert out.min() == 0.0
    with pytest.raises(ValueError, match="non-negative probabilities"):
        s.check_bell_coefficients([1.1, -0.1, 0, 0])
    with pytest.raises(ValueError, match="non-negative probabilities"):
        s.check_bell_coefficients([np.nan, 0.5, 0.5, 0])
    with pytest.raises(ValueError, match=r"must sum to 1, got 0\.9"):
        s.check_bell_coefficients([0.6, 0.1, 0.1, 0.1])
    s.check_bell_coefficients([0.7, 0.1, 0.1, 0.1 + 5e-10])
    with pytest.raises(ValueError, match="must sum to 1"):
        s.check_bell_coefficients([0.7, 0.1, 0.1, 0.1 + 5e-9])
    with pytest.raises(ValueError, match=r"4 entries .* got shape \(3,\)"):
        s.check_bell_coefficients([0.5, 0.25, 0.25])
    with pytest.raises(TypeError, match="four real numbers"):
        s.check_bell_coefficients(["a", "b", "c", "d"])


def test_fidelity_against_uhlmann_with_scipy():
    # F = (tr √(√ρ σ √ρ))², computed here with scipy.linalg.sqrtm, for mixed states of
    # one and two qubits, and for pure states in either slot.
    rng = np.random.default_rng(2)
    for dim in (2, 4):
        for _ in range(3):
            r, t = random_density(rng, dim), random_density(rng, dim)
            sr = sqrtm(r)
            ref = float(np.real(np.trace(sqrtm(sr @ t @ sr))) ** 2)
            assert s.fidelity(r, t) == pytest.approx(ref, rel=1e-7)
            assert s.fidelity(t, r) == pytest.approx(ref, rel=1e-7)
        psi = rng.normal(size=dim) + 1j * rng.normal(size=dim)
        psi /= np.linalg.norm(psi)
        t = random_density(rng, dim)
        ref = float(np.real(np.vdot(psi, t @ psi)))
        assert s.fidelity(psi, t) == pytest.approx(ref, rel=1e-9)
        assert s.fidelity(t, psi) == pytest.approx(ref, rel=1e-9)
        assert s.fidelity(np.outer(psi, psi.conj()), t) == pytest.approx(ref, rel=1e-9)
    assert s.fidelity([1, 0], [0, 1]) == 0.0
    assert s.fidelity(np.eye(2) / 2, np.eye(2) / 2) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="same dimension"):
        s.fidelity([1, 0], np.eye(4) / 4)


def test_partial_trace_with_n_qubits_and_orders():
    rng = np.random.default_rng(3)
    rho = random_density(rng, 8)
    t = rho.reshape([2] * 6)
    # Independent: sum over the traced indices with einsum on named axes.
    ref_0 = np.einsum("abcdbc->ad", t)
    ref_12 = np.einsum("abcaef->bcef", t).reshape(4, 4)
    ref_20 = np.einsum("abcdbf->cafd", t).reshape(4, 4)  # keep (2, 0): qubit 2 first
    np.testing.assert_allclose(s.partial_trace(rho, [0], n_qubits=3), ref_0, atol=1e-12)
    np.testing.assert_allclose(s.partial_trace(rho, [1, 2]), ref_12, atol=1e-12)
    np.testing.assert_allclose(s.partial_trace(rho, [2, 0], n_qubits=3), ref_20, atol=1e-12)
    np.testing.assert_allclose(s.partial_trace(rho, [0, 1, 2]), rho, atol=1e-12)
    assert s.partial_trace(rho, []).shape == (1, 1)
    assert s.partial_trace(rho, [])[0, 0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="n_qubits=2 does not match rho of dimension 8"):
        s.partial_trace(rho, [0], n_qubits=2)
    with pytest.raises(ValueError, match="n_qubits"):
        s.partial_trace(rho, [0], n_qubits=0)
    with pytest.raises(ValueError, match="keep"):
        s.partial_trace(rho, [3])
    with pytest.raises(ValueError, match="keep"):
        s.partial_trace(rho, [-1])
    with pytest.raises(ValueError, match="must not repeat a qubit"):
        s.partial_trace(rho, [1, 1])
    # a ket is accepted
    np.testing.assert_allclose(
        s.partial_trace(KETS["phi+"], [1], n_qubits=2), np.eye(2) / 2, atol=1e-12
    )


def test_empty_and_non_power_of_two_states_are_refused():
    for fn in (s.purity, s.von_neumann_entropy):
        for bad in ([], [1, 0, 0]):
            with pytest.raises(ValueError, match="power-of-2 length"):
                fn(bad)


def test_purity_entropy_pinned():
    rng = np.random.default_rng(4)
    for dim in (2, 4):
        rho = random_density(rng, dim)
        w = np.linalg.eigvalsh(rho)
        assert s.purity(rho) == pytest.approx(float(np.sum(w**2)), rel=1e-12)
        assert s.von_neumann_entropy(rho) == pytest.approx(-float(np.sum(w * np.log2(w))), rel=1e-9)
    assert s.von_neumann_entropy([1, 0]) == 0.0
    assert s.von_neumann_entropy(np.diag([0.5, 0.5, 0, 0])) == pytest.approx(1.0)
    assert s.von_neumann_entropy(np.diag([0.75, 0.25])) == pytest.approx(
        -(0.75 * math.log2(0.75) + 0.25 * math.log2(0.25))
    )
    assert s.purity(np.diag([0.75, 0.25])) == pytest.approx(0.625)


def test_concurrence_pinned():
    # Wootters (1998): for a pure state |ψ⟩ = a|00⟩ + b|01⟩ + c|10⟩ + d|11⟩, C = 2|ad − bc|;
    # for a Werner state C = max(0, 2F − 1); for Bell-diagonal states C = max(0, 2λmax − 1).
    rng = np.random.default_rng(5)
    for _ in range(4):
        v = rng.normal(size=4) + 1j * rng.normal(size=4)
        v /= np.linalg.norm(v)
        assert s.concurrence(v) == pytest.approx(2 * abs(v[0] * v[3] - v[1] * v[2]), abs=1e-7)
    for f in (0.3, 0.5, 0.6, 0.9):
        assert s.concurrence(s.werner_state(f)) == pytest.approx(max(0, 2 * f - 1), abs=1e-7)
    lam = [0.1, 0.7, 0.15, 0.05]
    assert s.concurrence(s.bell_diagonal_state(lam)) == pytest.approx(0.4, abs=1e-7)
    assert s.concurrence(np.eye(4) / 4) == 0.0
    with pytest.raises(ValueError, match=r"two-qubit state \(4x4\)"):
        s.concurrence(np.eye(2) / 2)


def test_bloch_round_trip_and_validation():
    for r in ([0, 0, 1], [1, 0, 0], [0, -1, 0], [0.3, -0.4, 0.5]):
        rho = s.state_from_bloch(r)
        ref = 0.5 * np.array([[1 + r[2], r[0] - 1j * r[1]], [r[0] + 1j * r[1], 1 - r[2]]])
        np.testing.assert_allclose(rho, ref, atol=1e-15)
        np.testing.assert_allclose(s.bloch_vector(rho), r, atol=1e-12)
    np.testing.assert_allclose(s.bloch_vector([S, 1j * S]), [0, 1, 0], atol=1e-12)
    s.state_from_bloch([0, 0, 1 + 5e-10])
    with pytest.raises(ValueError, match=r"\|vector\|"):
        s.state_from_bloch([0, 0, 1 + 1e-6])
    for bad in ([0, 0], [0, np.nan, 0], [[0, 0, 1]]):
        with pytest.raises(ValueError, match="vector"):
            s.state_from_bloch(bad)
    with pytest.raises(ValueError, match=r"single-qubit state \(2x2\)"):
        s.bloch_vector(np.eye(4) / 4)


def test_density_matrix_from_cirq_paths():
    import cirq

    a, b = cirq.LineQubit.range(2)
    circuit = cirq.Circuit(cirq.H(a), cirq.CNOT(a, b))
    sv = cirq.Simulator().simulate(circuit)
    dm = cirq.DensityMatrixSimulator().simulate(circuit)
    phi = np.outer(KETS["phi+"], KETS["phi+"])
    for res in (sv, dm, KETS["phi+"], phi):
        np.testing.assert_allclose(s.density_matrix_from_cirq(res), phi, atol=1e-6)
        np.testing.assert_allclose(
            s.density_matrix_from_cirq(res, keep=[1]), np.eye(2) / 2, atol=1e-6
        )
    # single-precision trace errors of a simulator are renormalised: 0.99 ρ comes back as ρ

    class Result:
        final_density_matrix = 0.99 * phi

    np.testing.assert_allclose(s.density_matrix_from_cirq(Result()), phi, atol=1e-12)
    with pytest.raises(ValueError, match="result"):
        s.density_matrix_from_cirq([1, 1])


def test_partial_trace_of_four_qubits():
    # Three kept (or traced) qubits: dimensions 2³ = 8, not 2·3.
    rng = np.random.default_rng(6)
    rho = random_density(rng, 16)
    t = rho.reshape([2] * 8)
    ref_012 = np.einsum("abcdefgd->abcefg", t).reshape(8, 8)
    ref_3 = np.einsum("abcdabch->dh", t)
    np.testing.assert_allclose(s.partial_trace(rho, [0, 1, 2]), ref_012, atol=1e-12)
    np.testing.assert_allclose(s.partial_trace(rho, [3], n_qubits=4), ref_3, atol=1e-12)


def test_density_matrix_from_cirq_tolerates_single_precision_only():
    # Simulators work in single precision: eigenvalues down to −1e-5 pass, beyond fails.
    class Result:
        def __init__(self, eps):
            self.final_density_matrix = np.diag([1.0 + eps, -eps])

    np.testing.assert_allclose(
        s.density_matrix_from_cirq(Result(5e-6)), np.diag([1 + 5e-6, -5e-6]), atol=1e-12
    )
    with pytest.raises(ValueError, match="positive semidefinite"):
        s.density_matrix_from_cirq(Result(1.5e-5))


def test_ket_holds_exactly_24_qubits():
    # The documented limit of a dense ket is 24 qubits (2^24 amplitudes, 256 MiB): 24 is
    # allowed and is the basis vector |1…1⟩ = e_(2^24 − 1); 25 is refused.
    psi = s.ket("1" * 24)
    assert psi.size == 2**24 and psi[-1] == 1.0 and np.count_nonzero(psi) == 1
    del psi
    with pytest.raises(ValueError, match="at most 24 qubits"):
        s.ket([0] * 25)


def test_ket_refuses_bytes_mappings_and_scalars():
    for bad in (b"01", {0: 1}, 5):
        with pytest.raises(TypeError, match="bits must be a string or a sequence"):
            s.ket(bad)
    np.testing.assert_array_equal(s.ket((0, 1)), s.ket("01"))
