"""H₂ on two qubits (qnetlab.qnn.chemistry), O'Malley et al., PRX 6, 031007 (2016), Table I."""

from __future__ import annotations

import numpy as np
import pytest

from qnetlab.qnn import chemistry
from qnetlab.qnn.vqa import exact_ground_energy


def _matrix(g):
    z = np.diag([1.0, -1.0])
    x = np.array([[0.0, 1.0], [1.0, 0.0]])
    y = np.array([[0.0, -1j], [1j, 0.0]])
    i2 = np.eye(2)
    return (
        g[0] * np.eye(4)
        + g[1] * np.kron(z, i2)
        + g[2] * np.kron(i2, z)
        + g[3] * np.kron(z, z)
        + g[4] * np.kron(y, y)
        + g[5] * np.kron(x, x)
    )


def test_table_has_54_rows_from_0_20_to_2_85():
    t = chemistry.H2_OMALLEY_TABLE
    assert t.shape == (54, 7)
    assert np.allclose(np.diff(t[:, 0]), 0.05)
    assert t[0, 0] == pytest.approx(0.20) and t[-1, 0] == pytest.approx(2.85)
    assert np.array_equal(t[:, 5], t[:, 6])  # g4 = g5


@pytest.mark.parametrize("r", [0.2, 0.75, 1.5, 2.85])
def test_hamiltonian_matches_an_independent_matrix(r):
    g = chemistry.h2_coefficients(r)
    e = np.linalg.eigvalsh(_matrix(g))[0]
    assert exact_ground_energy(chemistry.h2_hamiltonian(r)) == pytest.approx(e, abs=1e-12)


def test_energies_match_the_papers_curve():
    # O'Malley et al. Fig. 3: the minimum of the tabulated curve is at 0.75 Å, about
    # -1.1456 Ha; stretched, the energy approaches that of two STO-3G hydrogen atoms,
    # 2 × (-0.46658) = -0.9332 Ha, from below.
    e = [exact_ground_energy(chemistry.h2_hamiltonian(r)) for r in chemistry.H2_OMALLEY_TABLE[:, 0]]
    assert chemistry.H2_OMALLEY_TABLE[int(np.argmin(e)), 0] == pytest.approx(0.75)
    assert min(e) == pytest.approx(-1.1456, abs=2e-4)
    assert -0.9332 - 0.015 < e[-1] < -0.9332
    assert np.all(np.diff(e[np.argmin(e) :]) > 0)  # rises monotonically once stretched


def test_vqe_reaches_chemical_accuracy_and_product_ansatz_fails_when_stretched():
    curve = chemistry.h2_dissociation_curve([0.5, 0.75, 1.5, 2.5], seed=3)
    assert curve.within_chemical_accuracy.all()
    assert (curve.vqe_energies >= curve.exact_energies - 1e-9).all()  # variational
    flat = chemistry.h2_dissociation_curve([2.5], layers=0, seed=3)
    assert flat.errors[0] > 10 * chemistry.CHEMICAL_ACCURACY_HA
    assert "equilibrium" in repr(curve)


def test_shots_for_accuracy_against_direct_variance():
    r = 0.75
    g = chemistry.h2_coefficients(r)
    h = _matrix(g)
    psi = np.linalg.eigh(h)[1][:, 0]
    z = np.diag([1.0, -1.0])
    i2 = np.eye(2)
    zpart = g[1] * np.kron(z, i2) + g[2] * np.kron(i2, z) + g[3] * np.kron(z, z)
    xx = g[5] * np.kron([[0, 1], [1, 0]], [[0, 1], [1, 0]])
    yy = _matrix([0, 0, 0, 0, g[4], 0])
    sig = [np.sqrt(np.real(psi @ o @ o @ psi - (psi @ o @ psi) ** 2)) for o in (zpart, xx, yy)]
    assert chemistry.shots_for_accuracy(r, 1e-3) == pytest.approx(sum(sig) ** 2 / 1e-6, rel=1e-9)


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: chemistry.h2_coefficients(0.77), "bond_length"),
        (lambda: chemistry.h2_coefficients(3.5), "bond_length"),
        (lambda: chemistry.shots_for_accuracy(0.75, 0.0), "accuracy"),
        (lambda: chemistry.h2_dissociation_curve([0.75], layers=-1), "layers"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
