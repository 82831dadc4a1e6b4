"""Blind quantum computation (Broadbent, Fitzsimons & Kashefi 2009) on a few qubits, in Cirq.

A client who can only prepare single qubits delegates a measurement-based computation
(Raussendorf & Briegel 2001) to a server without revealing it. The computation is a chain of
m qubits (one row of the brickwork state) with measurement angles φ₁…φ_m, multiples of π/4:
starting from |+⟩, measuring qubit k in the basis |±_φ⟩ = (|0⟩ ± e^{iφ}|1⟩)/√2 applies
X^{s_k} H R_z(−φ_k) to the next qubit (R_z(φ) = diag(1, e^{iφ})), and the last measurement,
corrected, is the output bit. The client adapts each angle to the earlier outcomes,
φ'_k = (−1)^{x_k} φ_k, and tracks the byproducts (x, z) ← (s ⊕ z, x).

The protocol hides φ:

1. the client sends qubit k as |+_{θ_k}⟩ with θ_k uniform in {0, π/4, …, 7π/4};
2. the server entangles the chain with CZ gates;
3. for each k the client sends δ_k = φ'_k + θ_k + r_k π (r_k a secret random bit), the
   server measures qubit k in |±_{δ_k}⟩ and returns b_k;
4. the client sets s_k = b_k ⊕ r_k (θ_k cancels because R_z commutes with CZ).

Each δ_k is uniform over the eight angles and each b_k a fair coin whatever φ is: the server's
view is independent of the computation, while the client's output has the distribution of
the computation (:func:`mbqc_output_probability`).

>>> res = run_blind([0, 0, 0], 50, seed=1)
>>> res.outputs.tolist() == [0] * 50
True
>>> round(mbqc_output_probability([0, 0, 4]), 6)
1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._validation import SeedLike, check_array, check_integer, check_size, make_rng
from .results import ResultMixin

__all__ = [
    "ANGLES",
    "BlindResult",
    "bfk_circuit",
    "mbqc_output_probability",
    "run_blind",
    "server_view_pvalue",
]

#: The eight measurement angles kπ/4 of the protocol.
ANGLES: np.ndarray = np.arange(8) * np.pi / 4


def _steps(angle_steps: Any) -> np.ndarray:
    steps = list(angle_steps)
    if not 2 <= len(steps) <= 6:
        raise ValueError(f"angle_steps must give 2 to 6 angles (qubits), got {len(steps)}")
    return np.array([check_integer(k, "angle_steps", minimum=0, maximum=7) for k in steps])


def mbqc_output_probability(angle_steps: Sequence[int]) -> float:
    """Probability that the ideal computation outputs 1 (no byproducts, no blinding).

    |ψ₁⟩ = |+⟩, |ψ_{k+1}⟩ = H R_z(−φ_k)|ψ_k⟩, output 1 when |ψ_m⟩ is found in |−_{φ_m}⟩.

    Parameters
    ----------
    angle_steps : sequence of int
        φ_k = k·π/4 with k in 0…7, one per qubit (2 to 6 qubits).

    Returns
    -------
    float
        P(output = 1).

    Raises
    ------
    ValueError, TypeError
        On a step outside 0…7, a non-integer, or a chain length outside 2…6.

    Examples
    --------
    >>> round(mbqc_output_probability([0, 0, 1]), 4)
    0.1464
    """
    phis = _steps(angle_steps) * np.pi / 4
    psi = np.array([1.0, 1.0], complex) / np.sqrt(2)
    had = np.array([[1, 1], [1, -1]]) / np.sqrt(2)
    for phi in phis[:-1]:
        psi = had @ (np.array([1.0, np.exp(-1j * phi)]) * psi)
    minus = np.array([1.0, -np.exp(1j * phis[-1])]) / np.sqrt(2)
    return float(abs(minus.conj() @ psi) ** 2)


def bfk_circuit(thetas: Sequence[float], deltas: Sequence[float]) -> Any:
    """The server's circuit for given preparation angles θ and announced angles δ.

    The client's preparations |+_θ⟩ (H then Z^{θ/π}), the CZ chain, and the measurement of
    each qubit in |±_δ⟩ (Z^{−δ/π}, H, measure). In the protocol the δ's are sent one at a
    time (they depend on earlier outcomes); this drawing shows one run with them filled in.

    Parameters
    ----------
    thetas, deltas : sequence of float
        One angle per qubit (radians), same length, 2 to 6.

    Returns
    -------
    cirq.Circuit
        The circuit; measurement keys ``"b0"``, ``"b1"``, ….

    Raises
    ------
    ValueError
        On lengths that differ or lie outside 2…6, or non-finite angles.

    Examples
    --------
    >>> c = bfk_circuit([0.0, np.pi / 4], [np.pi / 2, 0.0])
    >>> len(c.all_qubits()), sorted(c.all_measurement_key_names())
    (2, ['b0', 'b1'])
    """
    import cirq

    th = check_array(thetas, "thetas", ndim=1)
    de = check_array(deltas, "deltas", ndim=1)
    if th.ndim != 1 or th.shape != de.shape or not 2 <= th.size <= 6:
        raise ValueError(
            f"thetas and deltas must be two equal lists of 2 to 6 angles, got {th.shape}, "
            f"{de.shape}"
        )
    q = cirq.LineQubit.range(th.size)
    ops: list[Any] = []
    for qubit, t in zip(q, th, strict=True):
        ops += [cirq.H(qubit), cirq.ZPowGate(exponent=t / np.pi).on(qubit)]
    ops += [cirq.CZ(q[k], q[k + 1]) for k in range(th.size - 1)]
    for k, (qubit, d) in enumerate(zip(q, de, strict=True)):
        ops += [
            cirq.ZPowGate(exponent=-d / np.pi).on(qubit),
            cirq.H(qubit),
            cirq.measure(qubit, key=f"b{k}"),
        ]
    return cirq.Circuit(ops)


@dataclass(frozen=True)
class BlindResult(ResultMixin):
    """Runs of the protocol: what the client gets and what the server sees.

    Parameters
    ----------
    angle_steps : numpy.ndarray
        The secret computation, φ_k = k·π/4.
    outputs : numpy.ndarray
        The client's output bit per run.
    deltas : numpy.ndarray
        Shape (runs, m): the angles the server received, in units of π/4 (0…7).
    server_bits : numpy.ndarray
        Shape (runs, m): the outcomes the server returned.
    blind : bool
        Whether the client blinded (θ and r random) or sent φ' in the clear.

    Examples
    --------
    >>> r = run_blind([0, 0, 4], 40, seed=2)
    >>> r.outputs.shape, r.deltas.shape, r.output_frequency
    ((40,), (40, 3), 1.0)
    """

    angle_steps: np.ndarray
    outputs: np.ndarray = field(repr=False)
    deltas: np.ndarray = field(repr=False)
    server_bits: np.ndarray = field(repr=False)
    blind: bool = True

    @property
    def output_frequency(self) -> float:
        """Fraction of runs with output 1."""
        return float(self.outputs.mean())

    def __repr__(self) -> str:
        return (
            f"BlindResult(angle_steps={self.angle_steps.tolist()}, runs={self.outputs.size}, "
            f"output_frequency={self.output_frequency:.3f}, blind={self.blind})"
        )


def run_blind(
    angle_steps: Sequence[int],
    n_runs: int,
    *,
    blind: bool = True,
    mask_outcomes: bool = True,
    seed: SeedLike = None,
) -> BlindResult:
    """Run the BFK protocol ``n_runs`` times; the server is a Cirq state-vector simulation.

    Per run, the client draws θ_k and r_k, the server prepares nothing itself: it receives
    the qubits |+_{θ_k}⟩, applies the CZ chain, and measures qubit k in |±_{δ_k}⟩ as each
    δ_k arrives (one Cirq simulation step per measurement, continuing from the collapsed
    state); the client computes the next δ from the corrected outcomes.

    Parameters
    ----------
    angle_steps : sequence of int
        The computation, φ_k = k·π/4 (k in 0…7), 2 to 6 qubits.
    n_runs : int
        Independent runs (>= 1).
    blind : bool
        False sends θ = 0 and r = 0, i.e. the adapted angles φ' in the clear (to show what
        the blinding hides).
    mask_outcomes : bool
        False keeps θ random but sets every r = 0 (a careless client): the angles stay
        hidden, the returned bits are the true outcomes.
    seed : int, Generator or None
        Client randomness and the simulator's.

    Returns
    -------
    BlindResult
        The client's outputs and the server's view.

    Raises
    ------
    ValueError, TypeError
        On angles outside 0…7, a chain length outside 2…6, or ``n_runs`` < 1.

    Examples
    --------
    >>> r = run_blind([0, 0, 4], 40, seed=2)
    >>> r.output_frequency
    1.0
    """
    import cirq

    steps = _steps(angle_steps)
    n_runs = check_size(n_runs, "n_runs", minimum=1, maximum=10**7)
    for name, flag in (("blind", blind), ("mask_outcomes", mask_outcomes)):
        if not isinstance(flag, bool):
            raise TypeError(f"{name} must be a bool, got {type(flag).__name__}")
    rng = make_rng(seed)
    m = steps.size
    q = cirq.LineQubit.range(m)
    sim = cirq.Simulator(seed=int(rng.integers(2**31 - 1)))
    outputs = np.zeros(n_runs, dtype=np.int8)
    deltas = np.zeros((n_runs, m), dtype=np.int8)
    bits = np.zeros((n_runs, m), dtype=np.int8)
    for run in range(n_runs):
        thetas = rng.integers(0, 8, m) if blind else np.zeros(m, dtype=int)
        rs = rng.integers(0, 2, m) if blind and mask_outcomes else np.zeros(m, dtype=int)
        prep = [cirq.H.on_each(*q)]
        prep += [cirq.ZPowGate(exponent=t / 4).on(qubit) for qubit, t in zip(q, thetas)]
        prep += [cirq.CZ(q[k], q[k + 1]) for k in range(m - 1)]
        state = sim.simulate(cirq.Circuit(prep), qubit_order=q).final_state_vector
        x = z = 0
        for k in range(m):
            adapted = (-steps[k]) % 8 if x else steps[k]
            delta = (adapted + thetas[k] + 4 * rs[k]) % 8
            step = cirq.Circuit(
                [
                    cirq.ZPowGate(exponent=-delta / 4).on(q[k]),
                    cirq.H(q[k]),
                    cirq.measure(q[k], key="b"),
                ]
            )
            res = sim.simulate(step, qubit_order=q, initial_state=state)
            state = res.final_state_vector
            b = int(res.measurements["b"][0])
            s = b ^ int(rs[k])
            deltas[run, k], bits[run, k] = delta, b
            if k < m - 1:
                x, z = s ^ z, x
            else:
                outputs[run] = s ^ z
    return BlindResult(steps, outputs, deltas, bits, blind)


def server_view_pvalue(a: BlindResult, b: BlindResult) -> float:
    """Smallest chi-square p-value comparing the server's views of two computations.

    For every qubit, the counts of the announced angle δ_k (8 values) and of the returned bit
    b_k (2 values) under computation ``a`` are compared with those under ``b`` by a
    chi-square test of homogeneity. A large p-value: the server cannot tell the two apart.

    Parameters
    ----------
    a, b : BlindResult
        Runs of two computations on chains of the same length.

    Returns
    -------
    float
        The smallest p-value over the 2m tests (1 if no test has two outcomes seen).

    Raises
    ------
    ValueError
        If the chains differ in length.

    Examples
    --------
    >>> a = run_blind([0, 0, 0], 200, seed=3)
    >>> b = run_blind([0, 0, 4], 200, seed=4)
    >>> server_view_pvalue(a, b) > 1e-4
    True
    """
    from scipy.stats import chi2_contingency

    for name, value in (("a", a), ("b", b)):
        if not isinstance(value, BlindResult):
            raise TypeError(f"{name} must be a BlindResult, got {type(value).__name__}")
    if a.deltas.shape[1] != b.deltas.shape[1]:
        raise ValueError(
            f"the runs must use chains of the same length, got {a.deltas.shape[1]} and "
            f"{b.deltas.shape[1]}"
        )
    pvals = [1.0]
    for k in range(a.deltas.shape[1]):
        for attr, size in (("deltas", 8), ("server_bits", 2)):
            table = np.array([np.bincount(getattr(r, attr)[:, k], minlength=size) for r in (a, b)])
            table = table[:, table.sum(axis=0) > 0]
            if table.shape[1] > 1:
                pvals.append(float(chi2_contingency(table)[1]))
    return min(pvals)
