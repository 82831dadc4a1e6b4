"""Quantum datasets for network tasks, generated in Cirq (no TensorFlow needed).

Every sample is a ``cirq.Circuit`` on ``cirq.GridQubit`` qubits (TFQ needs grid qubits)
that prepares the quantum data point; labels are integers. Noise enters in two ways:

- as explicit **trajectories** (a random Pauli drawn with the channel's probabilities and
  written into the circuit), so that the class ensemble averages to the channel's output
  state and circuits stay unitary (analytic/adjoint gradients work);
- as **Cirq noise channels** in the circuit (:func:`channel_dataset`), for TFQ's noisy
  backend.

>>> ds = two_state_dataset(100, seed=1)
>>> len(ds), sorted(set(ds.labels.tolist()))
(100, [0, 1])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validation import (
    SeedLike,
    check_array,
    check_in_range,
    check_integer,
    check_probability,
    check_size,
    make_rng,
)
from ..channels import amplitude_damp, apply_kraus, dephase, depolarize
from ..states import bloch_vector, concurrence, density_matrix_from_cirq

__all__ = [
    "QuantumDataset",
    "bb84_dataset",
    "channel_dataset",
    "cluster_state_dataset",
    "entanglement_dataset",
    "train_test_split",
    "two_state_dataset",
]


@dataclass(frozen=True, eq=False)
class QuantumDataset:
    """Circuits (one quantum data point each), integer labels, the qubits and extra info.

    Parameters
    ----------
    circuits : tuple of cirq.Circuit
        One circuit per sample, preparing the data point.
    labels : numpy.ndarray
        Integer class labels, one per circuit.
    qubits : tuple of cirq.GridQubit
        The qubits the circuits act on.
    name : str
        The task's name.
    info : dict, optional
        Task-specific arrays (e.g. the class-average density matrices ``rho0`` and
        ``rho1`` for :func:`two_state_dataset`, the channel strengths for
        :func:`channel_dataset`); per-sample arrays are subset by ``subset``.

    Examples
    --------
    >>> ds = two_state_dataset(6, seed=0)
    >>> ds
    QuantumDataset(name='two_state', n_samples=6, n_qubits=1, class_counts=[3, 3])
    >>> ds.subset([0, 1]).labels.tolist()
    [0, 1]
    """

    circuits: tuple[Any, ...] = field(repr=False)
    labels: np.ndarray = field(repr=False)
    qubits: tuple[Any, ...] = field(repr=False)
    name: str
    info: dict[str, Any] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.circuits)

    def __repr__(self) -> str:
        counts = np.bincount(self.labels) if len(self.labels) else []
        return (
            f"QuantumDataset(name={self.name!r}, n_samples={len(self)}, "
            f"n_qubits={len(self.qubits)}, class_counts={list(map(int, counts))})"
        )

    def subset(self, index: Any) -> QuantumDataset:
        """Return the samples at ``index`` (per-sample arrays in ``info`` are subset too)."""
        idx = np.asarray(index, dtype=int)
        info = {
            k: (v[idx] if isinstance(v, np.ndarray) and v.shape[:1] == (len(self),) else v)
            for k, v in self.info.items()
        }
        return QuantumDataset(
            tuple(self.circuits[i] for i in idx), self.labels[idx], self.qubits, self.name, info
        )


def train_test_split(
    dataset: QuantumDataset, test_fraction: float = 0.5, *, seed: SeedLike = None
) -> tuple[QuantumDataset, QuantumDataset]:
    """Shuffle and split a dataset into (train, test).

    Parameters
    ----------
    dataset : QuantumDataset
        The dataset to split.
    test_fraction : float, default 0.5
        Fraction of samples in the test set, in (0, 1) (at least one test sample).
    seed : SeedLike, optional
        Seed or generator of the shuffle, normalised by ``make_rng``.

    Returns
    -------
    tuple of QuantumDataset
        ``(train, test)``.

    Raises
    ------
    TypeError
        If ``dataset`` is not a :class:`QuantumDataset`.
    ValueError
        If ``test_fraction`` is outside (0, 1).

    Examples
    --------
    >>> tr, te = train_test_split(two_state_dataset(10, seed=0), 0.3, seed=0)
    >>> len(tr), len(te)
    (7, 3)
    """
    if not isinstance(dataset, QuantumDataset):
        raise TypeError(f"dataset must be a QuantumDataset, got {type(dataset).__name__}")
    f = check_in_range(
        test_fraction, "test_fraction", 0.0, 1.0, low_inclusive=False, high_inclusive=False
    )
    perm = make_rng(seed).permutation(len(dataset))
    n_test = max(1, round(f * len(dataset)))
    return dataset.subset(perm[n_test:]), dataset.subset(perm[:n_test])


def _grid(n: int) -> list[Any]:
    import cirq

    return cirq.GridQubit.rect(1, n)


def _random_pauli(q: Any, p: float, rng: np.random.Generator) -> list[Any]:
    """A depolarising trajectory: X, Y or Z each with probability p/3 (Cirq's convention)."""
    import cirq

    u = rng.random()
    if u < p / 3:
        return [cirq.X(q)]
    if u < 2 * p / 3:
        return [cirq.Y(q)]
    if u < p:
        return [cirq.Z(q)]
    return []


# --- two-state discrimination -------------------------------------------------------------


def two_state_dataset(
    n_samples: int,
    *,
    separation: float = 2 * np.pi / 3,
    depolarization: float = 0.05,
    seed: SeedLike = None,
) -> QuantumDataset:
    """One qubit, two classes: |ψ_k⟩ = Rz(π/4) Ry(π/3 ∓ δ/2)|0⟩ through a depolarising link.

    The two pure states are non-orthogonal (Bloch vectors an angle δ = ``separation``
    apart, overlap |⟨ψ₀|ψ₁⟩|² = cos²(δ/2)); each sample then suffers a depolarising
    trajectory of strength ``depolarization``. Class averages ρ₀, ρ₁ (in ``info``) are the
    depolarised states, whose Helstrom bound is ½(1 + (1 − 4p/3) sin(δ/2)). Labels are
    balanced (equal priors).

    Parameters
    ----------
    n_samples : int
        Number of samples, in [2, 10^6].
    separation : float, default 2π/3
        Angle δ between the two Bloch vectors, in [0, π].
    depolarization : float, default 0.05
        Depolarising probability p of the link, in [0, 1].
    seed : SeedLike, optional
        Seed or generator of the trajectories, normalised by ``make_rng``.

    Returns
    -------
    QuantumDataset
        Circuits on one grid qubit, labels alternating 0, 1.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> ds = two_state_dataset(4, seed=0)
    >>> ds.labels.tolist()
    [0, 1, 0, 1]
    >>> from qnetlab.qnn.bounds import helstrom_bound
    >>> round(helstrom_bound(ds.info["rho0"], ds.info["rho1"]), 4)  # ½(1 + (1 − 4p/3) sin(δ/2))
    0.9042
    """
    import cirq

    n = check_size(n_samples, "n_samples", minimum=2, maximum=10**6)
    delta = check_in_range(separation, "separation", 0.0, np.pi)
    p = check_probability(depolarization, "depolarization")
    rng = make_rng(seed)
    (q,) = _grid(1)
    # Tilted so that the optimal measurement axis is not a coordinate axis.
    thetas = (np.pi / 3 - delta / 2, np.pi / 3 + delta / 2)
    labels = np.arange(n) % 2
    circuits = []
    for y in labels:
        c = cirq.Circuit(cirq.ry(thetas[y])(q), cirq.rz(np.pi / 4)(q))
        c.append(_random_pauli(q, p, rng))
        circuits.append(c)
    rhos = []
    for t in thetas:
        psi = cirq.Circuit(cirq.ry(t)(q), cirq.rz(np.pi / 4)(q)).final_state_vector(qubit_order=[q])
        rhos.append(apply_kraus(np.asarray(psi, dtype=complex), depolarize(p)))
    return QuantumDataset(
        tuple(circuits),
        labels,
        (q,),
        "two_state",
        {"rho0": rhos[0], "rho1": rhos[1], "separation": delta, "depolarization": p},
    )


# --- channel identification ---------------------------------------------------------------

CHANNELS: tuple[str, ...] = ("depolarizing", "dephasing", "amplitude_damping")


def channel_dataset(
    n_per_class: int,
    *,
    strength_range: tuple[float, float] = (0.1, 0.6),
    seed: SeedLike = None,
) -> QuantumDataset:
    """Which channel hit the probe? Depolarising (0), dephasing (1) or amplitude damping (2).

    A probe qubit with Bloch vector (1, 1, 1)/√3 goes through one of the three channels
    (:mod:`qnetlab.channels`, as Cirq noise channels in the circuit) with a strength drawn
    uniformly from ``strength_range``. ``info`` holds the strengths and the exact Bloch
    vectors of the output states (Cirq density-matrix simulation), which a classical
    baseline can use.

    Parameters
    ----------
    n_per_class : int
        Samples per channel, in [1, 10^6].
    strength_range : tuple of float, default (0.1, 0.6)
        Increasing (low, high) bounds of the channel strength, each in [0, 1].
    seed : SeedLike, optional
        Seed or generator, normalised by ``make_rng``.

    Returns
    -------
    QuantumDataset
        ``3 * n_per_class`` shuffled samples on one grid qubit.

    Raises
    ------
    ValueError
        If ``n_per_class`` or a strength bound is out of range, or the bounds decrease.

    Examples
    --------
    >>> ds = channel_dataset(5, seed=0)
    >>> ds.info["bloch"].shape, ds.info["classes"][2]
    ((15, 3), 'amplitude_damping')
    """
    import cirq

    n = check_size(n_per_class, "n_per_class", minimum=1, maximum=10**6)
    lo, hi = check_array(strength_range, "strength_range", shape=(2,)).tolist()
    lo = check_probability(lo, "strength_range[0]")
    hi = check_probability(hi, "strength_range[1]")
    if lo > hi:
        raise ValueError(f"strength_range must be increasing, got ({lo}, {hi})")
    rng = make_rng(seed)
    (q,) = _grid(1)
    theta = float(np.arccos(1 / np.sqrt(3)))
    makers = (depolarize, dephase, amplitude_damp)
    labels = np.repeat(np.arange(3), n)
    rng.shuffle(labels)
    strengths = rng.uniform(lo, hi, labels.size)
    circuits, bloch = [], []
    sim = cirq.DensityMatrixSimulator()
    for y, s in zip(labels, strengths, strict=True):
        c = cirq.Circuit(cirq.ry(theta)(q), cirq.rz(np.pi / 4)(q), makers[y](s).on(q))
        circuits.append(c)
        bloch.append(bloch_vector(density_matrix_from_cirq(sim.simulate(c))))
    return QuantumDataset(
        tuple(circuits),
        labels,
        (q,),
        "channel",
        {"strength": strengths, "bloch": np.array(bloch), "classes": CHANNELS},
    )


# --- BB84: clean versus eavesdropped -------------------------------------------------------


def bb84_dataset(
    n_samples: int,
    *,
    n_qubits: int = 4,
    depolarization: float = 0.02,
    seed: SeedLike = None,
) -> QuantumDataset:
    """Blocks of ``n_qubits`` sifted BB84 qubits: clean (0) or intercept-resend attacked (1).

    For each qubit Alice draws a bit a and basis b and prepares H^b X^a|0⟩; on label 1 Eve
    measures in a random basis (outcome sampled) and resends; the link depolarises (a
    trajectory of strength ``depolarization``); Bob, knowing the basis after sifting, undoes
    Alice's preparation, so an undisturbed qubit returns to |0⟩. A clean qubit reads 1
    with probability 2p/3, an attacked one with probability ≈ 1/4 (the intercept-resend
    QBER, Bennett & Brassard 1984). The classifier has to spot the higher error rate.

    Parameters
    ----------
    n_samples : int
        Number of blocks, in [2, 10^6].
    n_qubits : int, default 4
        Qubits per block, in [1, 12].
    depolarization : float, default 0.02
        Depolarising probability of the link, in [0, 1].
    seed : SeedLike, optional
        Seed or generator, normalised by ``make_rng``.

    Returns
    -------
    QuantumDataset
        Labels alternating 0, 1; ``info["qber"]`` is each block's exact error rate.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> ds = bb84_dataset(6, seed=1)
    >>> ds.labels.tolist(), ds.info["qber"].shape
    ([0, 1, 0, 1, 0, 1], (6,))
    """
    import cirq

    n = check_size(n_samples, "n_samples", minimum=2, maximum=10**6)
    k = check_integer(n_qubits, "n_qubits", minimum=1, maximum=12)
    p = check_probability(depolarization, "depolarization")
    rng = make_rng(seed)
    qs = _grid(k)
    labels = np.arange(n) % 2
    circuits = []
    errors = np.zeros(n)
    for s, y in enumerate(labels):
        c = cirq.Circuit()
        for q in qs:
            a, b = rng.integers(2), rng.integers(2)
            sent_bit, sent_basis = a, b
            if y == 1:
                e = rng.integers(2)
                sent_bit = a if e == b else rng.integers(2)
                sent_basis = e
            if sent_bit:
                c.append(cirq.X(q))
            if sent_basis:
                c.append(cirq.H(q))
            c.append(_random_pauli(q, p, rng))
            if b:
                c.append(cirq.H(q))
            if a:
                c.append(cirq.X(q))
        circuits.append(c)
        state = np.abs(c.final_state_vector(qubit_order=qs)) ** 2
        bits = ((np.arange(2**k)[:, None] >> np.arange(k - 1, -1, -1)) & 1).sum(1)
        errors[s] = float(state @ bits) / k
    return QuantumDataset(tuple(circuits), labels, tuple(qs), "bb84", {"qber": errors})


# --- entangled versus separable -------------------------------------------------------------


def _random_local(q: Any, rng: np.random.Generator) -> list[Any]:
    import cirq

    a, b, c = rng.uniform(0, 2 * np.pi, 3)
    return [cirq.rz(a)(q), cirq.ry(b)(q), cirq.rz(c)(q)]


def entanglement_dataset(n_samples: int, *, seed: SeedLike = None) -> QuantumDataset:
    """Two-qubit pairs: random product states (0) or Bell pairs under random local unitaries (1).

    Local unitaries do not change entanglement, so class 1 has concurrence 1 and class 0
    concurrence 0 (``info["concurrence"]``, computed from Cirq's state).

    Parameters
    ----------
    n_samples : int
        Number of pairs, in [2, 10^6].
    seed : SeedLike, optional
        Seed or generator of the local unitaries, normalised by ``make_rng``.

    Returns
    -------
    QuantumDataset
        Circuits on two grid qubits, labels alternating 0, 1.

    Raises
    ------
    ValueError
        If ``n_samples`` is outside [2, 10^6].

    Examples
    --------
    >>> ds = entanglement_dataset(4, seed=0)
    >>> ds.info["concurrence"].round(6).tolist()
    [0.0, 1.0, 0.0, 1.0]
    """
    import cirq

    n = check_size(n_samples, "n_samples", minimum=2, maximum=10**6)
    rng = make_rng(seed)
    a, b = _grid(2)
    labels = np.arange(n) % 2
    circuits, conc = [], []
    for y in labels:
        c = cirq.Circuit()
        if y == 1:
            c.append([cirq.H(a), cirq.CNOT(a, b)])
        c.append(_random_local(a, rng) + _random_local(b, rng))
        circuits.append(c)
        psi = np.asarray(c.final_state_vector(qubit_order=[a, b]), dtype=complex)
        conc.append(concurrence(psi / np.linalg.norm(psi)))
    return QuantumDataset(
        tuple(circuits), labels, (a, b), "entanglement", {"concurrence": np.array(conc)}
    )


# --- cluster-state excitations (QCNN) -------------------------------------------------------


def cluster_state_dataset(
    n_samples: int, n_qubits: int = 8, *, seed: SeedLike = None
) -> QuantumDataset:
    """A ring cluster state with an Rx(θ) excitation on one random qubit (Cong et al. 2019).

    θ is uniform in [−π, π]; the label is 1 when |θ| ≤ π/2 (a "small" excitation), else
    0, as in the TensorFlow Quantum QCNN tutorial (Broughton et al. 2020). ``info`` holds
    the angles ``"theta"``, the excited qubit ``"where"`` and, from Cirq's state vector, the
    measured features a classical learner could be given instead of the quantum state:

    - ``"stabilizers"``: the n expectations ⟨K_i⟩ of the cluster stabilisers
      K_i = Z_{i−1} X_i Z_{i+1} (ring). Rx(θ) on qubit w leaves K_w at 1 and turns
      K_{w±1} into cos θ, so these features decide the label linearly;
    - ``"local_paulis"``: the 3n single-qubit expectations ⟨X_i⟩, ⟨Y_i⟩, ⟨Z_i⟩ (a product
      measurement). Every qubit of a cluster state is maximally mixed, before and after the
      excitation, so these are all 0: the label lives in the correlations only.

    Parameters
    ----------
    n_samples : int
        Number of samples, in [2, 10^6].
    n_qubits : int, default 8
        Qubits of the ring, in [2, 16].
    seed : SeedLike, optional
        Seed or generator of the angles and positions, normalised by ``make_rng``.

    Returns
    -------
    QuantumDataset
        Circuits on ``n_qubits`` grid qubits with the features above in ``info``.

    Raises
    ------
    ValueError
        If ``n_samples`` or ``n_qubits`` is out of range.

    Examples
    --------
    >>> ds = cluster_state_dataset(6, 4, seed=0)
    >>> len(ds.qubits), ds.info["stabilizers"].shape, ds.info["local_paulis"].shape
    (4, (6, 4), (6, 12))
    >>> bool(np.allclose(ds.info["local_paulis"], 0, atol=1e-6))
    True
    """
    import cirq

    n = check_size(n_samples, "n_samples", minimum=2, maximum=10**6)
    k = check_integer(n_qubits, "n_qubits", minimum=2, maximum=16)
    rng = make_rng(seed)
    qs = _grid(k)
    cluster = cirq.Circuit(cirq.H.on_each(*qs))
    for a, b in zip(qs, [*qs[1:], qs[0]], strict=True):
        cluster.append(cirq.CZ(a, b))
    thetas = rng.uniform(-np.pi, np.pi, n)
    where = rng.integers(0, k, n)
    circuits = tuple(
        cluster + cirq.Circuit(cirq.rx(t)(qs[w])) for t, w in zip(thetas, where, strict=True)
    )
    labels = (np.abs(thetas) <= np.pi / 2).astype(int)
    # Rx(θ)|C⟩ = cos(θ/2)|C⟩ − i sin(θ/2) X_w|C⟩: Cirq simulates |C⟩ and the k states X_w|C⟩
    # once; each sample's state is their combination (the same state its circuit prepares).
    base = [
        np.asarray((cluster + cirq.Circuit(x)).final_state_vector(qubit_order=qs), dtype=complex)
        for x in ([], *[[cirq.X(q)] for q in qs])
    ]
    stab = np.empty((n, k))
    local = np.empty((n, 3 * k))
    for s, (t, w) in enumerate(zip(thetas, where, strict=True)):
        psi = np.cos(t / 2) * base[0] - 1j * np.sin(t / 2) * base[1 + w]
        psi = psi.reshape((2,) * k)
        for i in range(k):
            stab[s, i] = _pauli_expectation(psi, {(i - 1) % k: "Z", i: "X", (i + 1) % k: "Z"})
            for j, pauli in enumerate("XYZ"):
                local[s, 3 * i + j] = _pauli_expectation(psi, {i: pauli})
    info = {"theta": thetas, "where": where, "stabilizers": stab, "local_paulis": local}
    return QuantumDataset(circuits, labels, tuple(qs), "cluster", info)


def _pauli_expectation(psi: np.ndarray, paulis: dict[int, str]) -> float:
    """⟨ψ|P|ψ⟩ for a Pauli string ``{qubit axis: "X" | "Y" | "Z"}`` on a (2,)*n state tensor."""
    phi = psi
    for axis, pauli in paulis.items():
        if pauli in "XY":
            phi = np.flip(phi, axis=axis)
        if pauli in "YZ":
            sign = np.array([1.0, -1.0]) if pauli == "Z" else np.array([-1j, 1j])
            shape = [1] * psi.ndim
            shape[axis] = 2
            phi = phi * sign.reshape(shape)
    return float(np.vdot(psi, phi).real)
