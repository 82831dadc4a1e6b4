"""The H₂ molecule on two qubits: VQE along the dissociation curve against exact diagonalisation.

O'Malley et al. (PRX 6, 031007, 2016) reduce the STO-3G Hamiltonian of molecular hydrogen,
by the Bravyi–Kitaev transformation and two symmetries, to two qubits:

    H(R) = g₀ I + g₁ Z₀ + g₂ Z₁ + g₃ Z₀Z₁ + g₄ Y₀Y₁ + g₅ X₀X₁,

with the coefficients of their Table I for bond lengths R = 0.20 … 2.85 Å (g₀ includes the
nuclear repulsion, so the lowest eigenvalue is the total energy in hartree). The table is
typed in :data:`H2_OMALLEY_TABLE` as published (four decimals). VQE runs with
:func:`qnetlab.qnn.vqe.run_vqe` (the real hardware-efficient ansatz of
:func:`qnetlab.qnn.vqe.vqe_circuit`: the Hamiltonian is real, so is its ground state) and is
judged against exact diagonalisation with the chemists' criterion, chemical accuracy
1.6 mHa (1 kcal/mol).

>>> round(exact_ground_energy(h2_hamiltonian(0.75)), 4)
-1.1456
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validation import SeedLike, check_in_range, check_integer, check_size, make_rng
from ..plotting_results import plot_curves
from ..results import ResultMixin
from .vqe import _qubits, exact_ground_energy, run_vqe

__all__ = [
    "CHEMICAL_ACCURACY_HA",
    "H2_OMALLEY_TABLE",
    "DissociationCurve",
    "h2_coefficients",
    "h2_dissociation_curve",
    "h2_hamiltonian",
    "shots_for_accuracy",
]

#: Chemical accuracy, 1 kcal/mol, in hartree.
CHEMICAL_ACCURACY_HA: float = 1.6e-3

# O'Malley et al., "Scalable Quantum Simulation of Molecular Energies", Phys. Rev. X 6,
# 031007 (2016), Table I (arXiv:1512.06860v2): R (Å), then the coefficients of I, Z0, Z1,
# Z0Z1, X0X1 and Y0Y1 (hartree; g4 = g5 at every R). Typed as published, four decimals.
_TABLE_I = """
0.20  2.8489 0.5678 -1.4508 0.6799 0.0791
0.25  2.1868 0.5449 -1.2870 0.6719 0.0798
0.30  1.7252 0.5215 -1.1458 0.6631 0.0806
0.35  1.3827 0.4982 -1.0226 0.6537 0.0815
0.40  1.1182 0.4754 -0.9145 0.6438 0.0825
0.45  0.9083 0.4534 -0.8194 0.6336 0.0835
0.50  0.7381 0.4325 -0.7355 0.6233 0.0846
0.55  0.5979 0.4125 -0.6612 0.6129 0.0858
0.60  0.4808 0.3937 -0.5950 0.6025 0.0870
0.65  0.3819 0.3760 -0.5358 0.5921 0.0883
0.70  0.2976 0.3593 -0.4826 0.5818 0.0896
0.75  0.2252 0.3435 -0.4347 0.5716 0.0910
0.80  0.1626 0.3288 -0.3915 0.5616 0.0925
0.85  0.1083 0.3149 -0.3523 0.5518 0.0939
0.90  0.0609 0.3018 -0.3168 0.5421 0.0954
0.95  0.0193 0.2895 -0.2845 0.5327 0.0970
1.00 -0.0172 0.2779 -0.2550 0.5235 0.0986
1.05 -0.0493 0.2669 -0.2282 0.5146 0.1002
1.10 -0.0778 0.2565 -0.2036 0.5059 0.1018
1.15 -0.1029 0.2467 -0.1810 0.4974 0.1034
1.20 -0.1253 0.2374 -0.1603 0.4892 0.1050
1.25 -0.1452 0.2286 -0.1413 0.4812 0.1067
1.30 -0.1629 0.2203 -0.1238 0.4735 0.1083
1.35 -0.1786 0.2123 -0.1077 0.4660 0.1100
1.40 -0.1927 0.2048 -0.0929 0.4588 0.1116
1.45 -0.2053 0.1976 -0.0792 0.4518 0.1133
1.50 -0.2165 0.1908 -0.0666 0.4451 0.1149
1.55 -0.2265 0.1843 -0.0549 0.4386 0.1165
1.60 -0.2355 0.1782 -0.0442 0.4323 0.1181
1.65 -0.2436 0.1723 -0.0342 0.4262 0.1196
1.70 -0.2508 0.1667 -0.0251 0.4204 0.1211
1.75 -0.2573 0.1615 -0.0166 0.4148 0.1226
1.80 -0.2632 0.1565 -0.0088 0.4094 0.1241
1.85 -0.2684 0.1517 -0.0015 0.4042 0.1256
1.90 -0.2731 0.1472  0.0052 0.3992 0.1270
1.95 -0.2774 0.1430  0.0114 0.3944 0.1284
2.00 -0.2812 0.1390  0.0171 0.3898 0.1297
2.05 -0.2847 0.1352  0.0223 0.3853 0.1310
2.10 -0.2879 0.1316  0.0272 0.3811 0.1323
2.15 -0.2908 0.1282  0.0317 0.3769 0.1335
2.20 -0.2934 0.1251  0.0359 0.3730 0.1347
2.25 -0.2958 0.1221  0.0397 0.3692 0.1359
2.30 -0.2980 0.1193  0.0432 0.3655 0.1370
2.35 -0.3000 0.1167  0.0465 0.3620 0.1381
2.40 -0.3018 0.1142  0.0495 0.3586 0.1392
2.45 -0.3035 0.1119  0.0523 0.3553 0.1402
2.50 -0.3051 0.1098  0.0549 0.3521 0.1412
2.55 -0.3066 0.1078  0.0572 0.3491 0.1422
2.60 -0.3079 0.1059  0.0594 0.3461 0.1432
2.65 -0.3092 0.1042  0.0614 0.3433 0.1441
2.70 -0.3104 0.1026  0.0632 0.3406 0.1450
2.75 -0.3115 0.1011  0.0649 0.3379 0.1458
2.80 -0.3125 0.0997  0.0665 0.3354 0.1467
2.85 -0.3135 0.0984  0.0679 0.3329 0.1475
"""


def _parse(text: str) -> np.ndarray:
    rows = np.array([[float(x) for x in line.split()] for line in text.strip().splitlines()])
    return np.column_stack([rows, rows[:, -1]])  # g5 = g4


#: Table I of O'Malley et al. (2016): columns R (Å), g0, g1, g2, g3, g4, g5 (hartree).
H2_OMALLEY_TABLE: np.ndarray = _parse(_TABLE_I)
H2_OMALLEY_TABLE.setflags(write=False)


def h2_coefficients(bond_length: float) -> np.ndarray:
    """The six coefficients g₀…g₅ (hartree) of the tabulated bond length nearest R.

    Parameters
    ----------
    bond_length : float
        R in ångström; must be one of the tabulated values 0.20, 0.25, …, 2.85 (to 10⁻⁶).

    Returns
    -------
    numpy.ndarray
        g₀ (I, with nuclear repulsion), g₁ (Z₀), g₂ (Z₁), g₃ (Z₀Z₁), g₄ (Y₀Y₁), g₅ (X₀X₁).

    Raises
    ------
    ValueError, TypeError
        When R is not a tabulated bond length.

    Examples
    --------
    >>> h2_coefficients(0.75).tolist()
    [0.2252, 0.3435, -0.4347, 0.5716, 0.091, 0.091]
    """
    r = check_in_range(bond_length, "bond_length", 0.2 - 1e-6, 2.85 + 1e-6)
    i = int(np.argmin(np.abs(H2_OMALLEY_TABLE[:, 0] - r)))
    if abs(H2_OMALLEY_TABLE[i, 0] - r) > 1e-6:
        raise ValueError(
            f"bond_length must be a tabulated value 0.20, 0.25, ..., 2.85 Å, got {bond_length}"
        )
    return H2_OMALLEY_TABLE[i, 1:].copy()


def h2_hamiltonian(bond_length: float) -> Any:
    """H(R) = g₀ + g₁Z₀ + g₂Z₁ + g₃Z₀Z₁ + g₄Y₀Y₁ + g₅X₀X₁ as a ``cirq.PauliSum``.

    Qubits are ``cirq.GridQubit(0, 0)`` and ``(0, 1)``, as for :func:`run_vqe`.

    Parameters
    ----------
    bond_length : float
        A tabulated R in ångström (:func:`h2_coefficients`).

    Returns
    -------
    cirq.PauliSum
        The two-qubit Hamiltonian in hartree.

    Raises
    ------
    ValueError, TypeError
        When R is not tabulated.

    Examples
    --------
    >>> len(h2_hamiltonian(0.75))
    6
    """
    import cirq

    g = h2_coefficients(bond_length)
    q0, q1 = _qubits(2)
    return (
        g[0] * cirq.PauliString(cirq.I(q0))
        + g[1] * cirq.Z(q0)
        + g[2] * cirq.Z(q1)
        + g[3] * cirq.Z(q0) * cirq.Z(q1)
        + g[4] * cirq.Y(q0) * cirq.Y(q1)
        + g[5] * cirq.X(q0) * cirq.X(q1)
    )


@dataclass(frozen=True)
class DissociationCurve(ResultMixin):
    """VQE and exact energies along the H₂ dissociation curve (hartree).

    Parameters
    ----------
    bond_lengths, vqe_energies, exact_energies : numpy.ndarray
        R (Å) and the two energies at each R.
    n_circuits : numpy.ndarray
        Circuit executions VQE spent at each R (parameter-shift accounting, all restarts).

    Examples
    --------
    >>> c = DissociationCurve(np.array([0.7, 0.75]), np.array([-1.1, -1.14]),
    ...                       np.array([-1.1, -1.1456]), np.array([10, 10]))
    >>> c.within_chemical_accuracy.tolist(), c.equilibrium
    ([True, False], 0.75)
    """

    bond_lengths: np.ndarray = field(repr=False)
    vqe_energies: np.ndarray = field(repr=False)
    exact_energies: np.ndarray = field(repr=False)
    n_circuits: np.ndarray = field(repr=False)

    @property
    def errors(self) -> np.ndarray:
        """|E_VQE − E_exact| at each R."""
        return np.abs(self.vqe_energies - self.exact_energies)

    @property
    def within_chemical_accuracy(self) -> np.ndarray:
        """Whether each error is below 1.6 mHa."""
        return self.errors < CHEMICAL_ACCURACY_HA

    @property
    def equilibrium(self) -> float:
        """Bond length (Å) of the lowest exact energy on the grid."""
        return float(self.bond_lengths[int(np.argmin(self.exact_energies))])

    def __repr__(self) -> str:
        return (
            f"DissociationCurve(points={self.bond_lengths.size}, "
            f"max_error={self.errors.max():.2e} Ha, "
            f"within_chemical_accuracy={int(self.within_chemical_accuracy.sum())}"
            f"/{self.bond_lengths.size}, equilibrium={self.equilibrium:.2f} Å)"
        )

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """VQE and exact energy against bond length; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_curves`.
        """
        e = {"VQE": self.vqe_energies, "exact": self.exact_energies}
        labels = {"xlabel": "bond length R (Å)", "ylabel": "energy (Ha)"}
        return plot_curves(e, x=self.bond_lengths, ax=ax, marker="o", **labels, **kwargs)


def h2_dissociation_curve(
    bond_lengths: Any = None,
    *,
    layers: int = 1,
    restarts: int = 2,
    seed: SeedLike = None,
) -> DissociationCurve:
    """Run VQE at each bond length and diagonalise H(R) exactly.

    Parameters
    ----------
    bond_lengths : array_like or None
        Tabulated R values (Å); None takes all 54 rows of Table I.
    layers : int
        Entangling layers of the ansatz (0 to 10; one suffices for two real qubits).
    restarts : int
        Random starts of the optimiser per bond length.
    seed : int, Generator or None
        Randomness of the starting points.

    Returns
    -------
    DissociationCurve
        Energies, errors and circuit counts.

    Raises
    ------
    ValueError, TypeError
        On a bond length that is not tabulated or an argument out of range.

    Examples
    --------
    >>> curve = h2_dissociation_curve([0.5, 0.75, 2.0], seed=1)
    >>> bool(curve.within_chemical_accuracy.all())
    True
    """
    rs = H2_OMALLEY_TABLE[:, 0] if bond_lengths is None else np.atleast_1d(bond_lengths)
    layers = check_integer(layers, "layers", minimum=0, maximum=10)
    restarts = check_size(restarts, "restarts", maximum=100)
    rng = make_rng(seed)
    vqe, exact, circ = [], [], []
    for r in rs:
        ham = h2_hamiltonian(float(r))
        res = run_vqe(ham, layers=layers, restarts=restarts, seed=rng)
        vqe.append(res.energy)
        exact.append(exact_ground_energy(ham))
        circ.append(res.n_circuits)
    return DissociationCurve(
        np.asarray(rs, dtype=float), np.array(vqe), np.array(exact), np.array(circ)
    )


def shots_for_accuracy(bond_length: float, accuracy: float = CHEMICAL_ACCURACY_HA) -> float:
    """Shots needed to estimate ⟨H⟩ in the exact ground state to a standard error ``accuracy``.

    The Hamiltonian is measured in three settings (Z₀, Z₁, Z₀Z₁ together; X₀X₁; Y₀Y₁), each
    with the variance σ_k² of its part of H in the ground state. With the shots split in
    proportion to σ_k (the optimal split), the total is (Σ_k σ_k)² / accuracy².

    Parameters
    ----------
    bond_length : float
        A tabulated R in ångström.
    accuracy : float
        Target standard error in hartree, > 0.

    Returns
    -------
    float
        The number of shots (before rounding up).

    Raises
    ------
    ValueError, TypeError
        On an argument out of range.

    Examples
    --------
    >>> 1e4 < shots_for_accuracy(0.75) < 1e6
    True
    """
    eps = check_in_range(accuracy, "accuracy", 0.0, low_inclusive=False)
    g = h2_coefficients(bond_length)
    z = np.diag([1.0, -1.0])
    x = np.array([[0.0, 1.0], [1.0, 0.0]])
    y = np.array([[0.0, -1j], [1j, 0.0]])
    eye = np.eye(2)
    groups = [
        g[1] * np.kron(z, eye) + g[2] * np.kron(eye, z) + g[3] * np.kron(z, z),
        g[4] * np.kron(y, y),
        g[5] * np.kron(x, x),
    ]
    h = g[0] * np.eye(4) + sum(groups)
    _, vec = np.linalg.eigh(h)
    psi = vec[:, 0]
    sig = [
        np.sqrt(max(np.real(psi.conj() @ o @ o @ psi) - np.real(psi.conj() @ o @ psi) ** 2, 0))
        for o in groups
    ]
    return float(sum(sig) ** 2 / eps**2)
