"""Entanglement purification: BBPSSW and DEJMPS as Cirq circuits and as maps.

Two noisy pairs are turned into one better pair. Alice and Bob each apply a CNOT from
their half of the first (kept) pair to their half of the second (sacrificed) pair — a
*bilateral* CNOT — measure the second pair in Z and keep the first pair when the two
outcomes agree. In the Φ+ convention (a Bell state is a Pauli error on Φ+), bit errors
spread from control to target and phase errors from target to control, so the outcomes
agree exactly when both pairs carry a bit error or neither does.

- **BBPSSW** (Bennett et al. 1996) works on Werner pairs: after each round the pair is
  twirled back to a Werner state. For F the input fidelity,

  F' = (F² + ((1 − F)/3)²) / N,  N = F² + 2F(1 − F)/3 + 5((1 − F)/3)²,

  and N is the success probability. It improves any F > 1/2.
- **DEJMPS** (Deutsch et al. 1996) first rotates Alice's qubits by R_x(π/2) and Bob's by
  R_x(−π/2), which exchanges the Ψ− and Φ− coefficients, and needs no twirl. With
  coefficients (A, B, C, D) for (Φ+, Ψ−, Ψ+, Φ−):

  A' = (A² + B²)/N, B' = 2CD/N, C' = (C² + D²)/N, D' = 2AB/N, N = (A + B)² + (C + D)².

Both maps are checked against the Cirq circuits of :func:`purification_circuit`.

>>> f, p = bbpssw(0.75)
>>> round(f, 6), round(p, 6)
(0.788462, 0.722222)
>>> c, p = dejmps([0.75, 1 / 12, 1 / 12, 1 / 12])
>>> round(float(c[0]), 6)  # the same as BBPSSW on a Werner input
0.788462
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._validation import (
    check_choice,
    check_in_range,
    check_probability,
    check_size,
)
from ..plotting_results import plot_curves
from ..results import ResultMixin
from ..states import check_bell_coefficients
from .bell_diagonal import bilateral_cnot_rows, purify_rows
from .swapping import _as_pair

__all__ = [
    "PURIFICATION_PROTOCOLS",
    "PurificationResult",
    "bbpssw",
    "bbpssw_bell_diagonal",
    "dejmps",
    "purification_circuit",
    "purify_cirq",
    "purify_recurrence",
]

#: Largest ``rounds`` accepted by :func:`purify_recurrence`: each round at least doubles
#: the pairs consumed, so 64 rounds already cost more than 10^19 input pairs.
MAX_ROUNDS = 64

#: Recurrence purification protocols.
PURIFICATION_PROTOCOLS: tuple[str, str] = ("bbpssw", "dejmps")


def bbpssw(fidelity: float) -> tuple[float, float]:
    """One round of BBPSSW on two Werner pairs: (output fidelity, success probability).

    Bennett et al., PRL 76, 722 (1996): F' = (F² + ((1−F)/3)²)/N with
    N = F² + 2F(1−F)/3 + 5((1−F)/3)².

    Parameters
    ----------
    fidelity : float
        Werner fidelity of each input pair, in [1/4, 1].

    Returns
    -------
    tuple of float
        The output fidelity F' and the success probability N.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> bbpssw(1.0)
    (1.0, 1.0)
    >>> f, p = bbpssw(0.5)
    >>> round(f, 6)
    0.5
    """
    f = check_in_range(fidelity, "fidelity", 0.25, 1.0)
    e = (1.0 - f) / 3.0
    norm = f * f + 2.0 * f * e + 5.0 * e * e
    return float((f * f + e * e) / norm), float(norm)


def bbpssw_bell_diagonal(coefficients: ArrayLike) -> tuple[np.ndarray, float]:
    """Bilateral CNOT + post-selection on two copies of a Bell-diagonal pair (no twirl).

    This is what the BBPSSW circuit does before the twirl; its Φ+ coefficient is the
    BBPSSW output fidelity.

    Parameters
    ----------
    coefficients : array_like
        Bell-diagonal coefficients (Φ+, Ψ−, Ψ+, Φ−) of each input pair.

    Returns
    -------
    tuple of (numpy.ndarray, float)
        The coefficients of the kept pair and the success probability.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> c, p = bbpssw_bell_diagonal([0.7, 0.1, 0.1, 0.1])
    >>> round(float(c[0]), 6), round(p, 6)
    (0.735294, 0.68)
    """
    c = check_bell_coefficients(coefficients)
    out, norm = bilateral_cnot_rows(c, c)
    return out / norm, float(norm)


def dejmps(coefficients: ArrayLike) -> tuple[np.ndarray, float]:
    """One round of DEJMPS on two copies of a Bell-diagonal pair.

    Coefficients ordered (Φ+, Ψ−, Ψ+, Φ−) = (A, B, C, D) as in Deutsch et al.,
    PRL 77, 2818 (1996): A' = (A²+B²)/N, B' = 2CD/N, C' = (C²+D²)/N, D' = 2AB/N,
    N = (A+B)² + (C+D)².

    Parameters
    ----------
    coefficients : array_like
        Bell-diagonal coefficients (A, B, C, D) of each input pair.

    Returns
    -------
    tuple of (numpy.ndarray, float)
        The output coefficients and the success probability N.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> c, p = dejmps([1, 0, 0, 0])
    >>> c.tolist(), p
    ([1.0, 0.0, 0.0, 0.0], 1.0)
    """
    c = check_bell_coefficients(coefficients)
    out, norm = purify_rows(c, c, "dejmps")
    return out, float(norm)


def purification_circuit(
    protocol: str = "dejmps",
    *,
    gate_noise: float = 0.0,
    measurement_noise: float = 0.0,
    measure: bool = True,
) -> tuple[Any, tuple[Any, Any, Any, Any]]:
    """Cirq circuit of one purification round and its qubits (a₁, b₁, a₂, b₂).

    Pair 1 (kept) is (a₁, b₁), pair 2 (measured) is (a₂, b₂); Alice holds the a's, Bob
    the b's. DEJMPS starts with R_x(π/2) on Alice's and R_x(−π/2) on Bob's qubits. Then
    CNOT(a₁, a₂) and CNOT(b₁, b₂), each followed by ``cirq.depolarize(gate_noise)`` on
    both qubits, bit flips of probability ``measurement_noise``, and (``measure=True``)
    measurements of a₂ and b₂: the pair is kept when they agree.

    Parameters
    ----------
    protocol : {"dejmps", "bbpssw"}, optional
        The purification protocol.
    gate_noise : float, optional
        Depolarizing probability after each CNOT, in [0, 1].
    measurement_noise : float, optional
        Bit-flip probability before each measurement, in [0, 1].
    measure : bool, optional
        Append the measurements of a₂ and b₂ (keys ``"a2"``, ``"b2"``).

    Returns
    -------
    tuple
        The ``cirq.Circuit`` and the qubits (a₁, b₁, a₂, b₂).

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> c, qubits = purification_circuit("bbpssw")
    >>> sorted(c.all_measurement_key_names())
    ['a2', 'b2']
    """
    import cirq

    check_choice(protocol, "protocol", PURIFICATION_PROTOCOLS)
    p = check_probability(gate_noise, "gate_noise")
    q = check_probability(measurement_noise, "measurement_noise")
    a1, b1, a2, b2 = cirq.LineQubit.range(4)
    ops: list[Any] = []
    if protocol == "dejmps":
        ops += [cirq.rx(np.pi / 2).on_each(a1, a2), cirq.rx(-np.pi / 2).on_each(b1, b2)]
    ops += [cirq.CNOT(a1, a2), cirq.CNOT(b1, b2)]
    if p:
        ops.append(cirq.depolarize(p).on_each(a1, a2, b1, b2))
    if q:
        ops.append(cirq.bit_flip(q).on_each(a2, b2))
    if measure:
        ops += [cirq.measure(a2, key="a2"), cirq.measure(b2, key="b2")]
    return cirq.Circuit(ops), (a1, b1, a2, b2)


def purify_cirq(
    rho1: Any,
    rho2: Any | None = None,
    protocol: str = "dejmps",
    *,
    gate_noise: float = 0.0,
    measurement_noise: float = 0.0,
) -> tuple[np.ndarray, float]:
    """Run one purification round in Cirq; return (kept pair's ρ, success probability).

    The density-matrix simulator runs :func:`purification_circuit` without the final
    measurements; the state is then projected on equal outcomes of a₂ and b₂ (exact
    post-selection), the measured pair traced out (by the projection itself) and the
    result renormalised. No twirl is applied (BBPSSW's twirl does not change the fidelity).

    Parameters
    ----------
    rho1 : array_like
        Density matrix (4 × 4) of the kept pair.
    rho2 : array_like, optional
        Density matrix of the sacrificed pair; defaults to ``rho1``.
    protocol : {"dejmps", "bbpssw"}, optional
        The purification protocol.
    gate_noise : float, optional
        Depolarizing probability after each CNOT, in [0, 1].
    measurement_noise : float, optional
        Bit-flip probability before each measurement, in [0, 1].

    Returns
    -------
    tuple of (numpy.ndarray, float)
        The kept pair's density matrix and the success probability.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> from qnetlab.states import werner_state, fidelity, bell_state
    >>> rho, p = purify_cirq(werner_state(0.75), protocol="bbpssw")
    >>> round(fidelity(rho, bell_state("phi+")), 6), round(p, 6)
    (0.788462, 0.722222)
    """
    import cirq

    r1 = _as_pair(rho1, "rho1")
    r2 = r1 if rho2 is None else _as_pair(rho2, "rho2")
    circuit, qubits = purification_circuit(
        protocol, gate_noise=gate_noise, measurement_noise=measurement_noise, measure=False
    )
    sim = cirq.DensityMatrixSimulator(dtype=np.complex128)
    res = sim.simulate(circuit, qubit_order=list(qubits), initial_state=np.kron(r1, r2))
    rho = np.asarray(res.final_density_matrix).reshape([2] * 8)
    # Keep the blocks where a2 == b2 (axes 2, 3 are the rows of a2, b2; 6, 7 the columns).
    kept = rho[:, :, 0, 0, :, :, 0, 0] + rho[:, :, 1, 1, :, :, 1, 1]
    kept = kept.reshape(4, 4)
    p_success = float(np.real(np.trace(kept)))
    out = kept / p_success
    return (out + out.conj().T) / 2, p_success


@dataclass(frozen=True)
class PurificationResult(ResultMixin):
    """Recurrence purification over several rounds (returned by :func:`purify_recurrence`).

    Parameters
    ----------
    protocol : str
        The protocol, ``"dejmps"`` or ``"bbpssw"``.
    coefficients : numpy.ndarray
        ``coefficients[k]``: Bell-diagonal coefficients after k rounds (k = 0 is the input).
    fidelities : numpy.ndarray
        ``fidelities[k]``: fidelity to Φ+ after k rounds.
    success_probabilities : numpy.ndarray
        ``success_probabilities[k]``: success probability of round k + 1.
    pairs_per_output : numpy.ndarray
        ``pairs_per_output[k]``: expected input pairs consumed per pair after k rounds
        (2/p per round, with a large enough pool and perfect memories).

    Examples
    --------
    >>> r = purify_recurrence(0.9, 2, "bbpssw")
    >>> r.fidelities.shape, float(r.pairs_per_output[0])
    ((3,), 1.0)
    """

    protocol: str
    coefficients: np.ndarray
    fidelities: np.ndarray
    success_probabilities: np.ndarray
    pairs_per_output: np.ndarray

    @property
    def rounds(self) -> int:
        return len(self.success_probabilities)

    def __repr__(self) -> str:
        fs = ", ".join(f"{f:.4f}" for f in self.fidelities)
        return f"PurificationResult(protocol={self.protocol!r}, rounds={self.rounds}, fidelities=[{fs}])"

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Fidelity against purification rounds; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_curves`.
        """
        f = {f"{self.protocol.upper()} fidelity": self.fidelities}
        x = np.arange(self.fidelities.size)
        labels = {"xlabel": "purification rounds", "ylabel": "fidelity to Φ+"}
        return plot_curves(f, x=x, ax=ax, marker="o", **labels, **kwargs)


def purify_recurrence(
    initial: ArrayLike, rounds: int, protocol: str = "dejmps"
) -> PurificationResult:
    """Apply ``rounds`` rounds of recurrence purification (identical pairs each round).

    ``initial`` is a Werner fidelity (a float in [1/4, 1]) or Bell-diagonal coefficients.
    BBPSSW twirls to a Werner state after each round, DEJMPS does not. ``rounds`` is an
    integer in [0, ``MAX_ROUNDS``] (64); a ``ValueError`` says so otherwise.

    Parameters
    ----------
    initial : float or array_like
        A Werner fidelity (a float in [1/4, 1]) or Bell-diagonal coefficients.
    rounds : int
        Number of rounds, non-negative.
    protocol : {"dejmps", "bbpssw"}, optional
        The purification protocol.

    Returns
    -------
    PurificationResult
        Coefficients, fidelities, success probabilities and pair cost per round.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> r = purify_recurrence(0.8, 3, "dejmps")
    >>> bool(r.fidelities[-1] > 0.97)
    True
    """
    check_choice(protocol, "protocol", PURIFICATION_PROTOCOLS)
    n = check_size(
        rounds,
        "rounds",
        minimum=0,
        maximum=MAX_ROUNDS,
        hint="each round at least doubles the pairs consumed and the fidelity converges "
        "within a few rounds; use fewer rounds",
    )
    if np.ndim(initial) == 0:
        f = check_in_range(initial, "initial", 0.25, 1.0)
        c = np.array([f, (1 - f) / 3, (1 - f) / 3, (1 - f) / 3])
    else:
        c = check_bell_coefficients(initial, "initial")
    coeffs, probs, cost = [c], [], [1.0]
    for _ in range(n):
        c, p = purify_rows(c, c, protocol)
        coeffs.append(c)
        probs.append(float(p))
        cost.append(2.0 * cost[-1] / p if p > 0 else np.inf)
    arr = np.array(coeffs)
    return PurificationResult(
        protocol=protocol,
        coefficients=arr,
        fidelities=arr[:, 0].copy(),
        success_probabilities=np.array(probs),
        pairs_per_output=np.array(cost),
    )
