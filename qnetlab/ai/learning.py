"""Classical machine learning on quantum measurement records (survey Section II.A.1).

A network learns about its links from finite-shot measurements. This module turns quantum
states into the feature matrices that standard tools (scikit-learn) consume, and gives the
physics baseline a learned entanglement classifier is compared with:

- :func:`pauli_frequency_features`: measure each state in all 3ⁿ Pauli bases with
  :func:`qnetlab.tomography.measure_pauli` and stack the relative outcome frequencies,
  one row per state (3ⁿ·2ⁿ columns);
- :func:`min_partial_transpose_eigenvalue`: the smallest eigenvalue of ρ^{T_B}; negative
  means entangled (Peres–Horodecki PPT criterion, exact for two qubits).

>>> from qnetlab.states import bell_state, ket
>>> x = pauli_frequency_features([bell_state("phi+"), ket("00")], 50, seed=0)
>>> x.shape
(2, 36)
>>> round(min_partial_transpose_eigenvalue(bell_state("phi+")), 6)
-0.5
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._validation import (
    SeedLike,
    check_choice,
    check_size,
    make_rng,
    to_density_matrix,
)
from ..tomography import measure_pauli

__all__ = ["min_partial_transpose_eigenvalue", "pauli_frequency_features"]


def pauli_frequency_features(
    states: Sequence[Any],
    shots_per_setting: int,
    *,
    backend: str = "numpy",
    seed: SeedLike = None,
) -> np.ndarray:
    """Finite-shot Pauli measurement records of ``states`` as a feature matrix.

    Row ``i`` holds ``measure_pauli(states[i], shots_per_setting).frequencies`` flattened
    (settings in the order XX…, XY…, …; outcomes with qubit 0 most significant). All states
    must have the same number of qubits (1 to 4). ``backend`` is passed to
    :func:`~qnetlab.tomography.measure_pauli` (``"cirq"`` simulates the rotations in Cirq,
    ``"numpy"`` computes the same probabilities with matrices); one generator drawn from
    ``seed`` samples every record.

    Parameters
    ----------
    states : sequence of state vectors or density matrices
        States of 1 to 4 qubits, all of the same size.
    shots_per_setting : int
        Shots per Pauli setting (>= 1).
    backend : {"numpy", "cirq"}, optional
        Simulator of the records.
    seed : int, Generator or None, optional
        Randomness of the records.

    Returns
    -------
    numpy.ndarray
        Shape (len(states), 3^n 2^n): the frequencies of every record.

    Raises
    ------
    TypeError
        If ``states`` is a single 2-D array.
    ValueError
        If ``states`` is empty or the states differ in size.

    Examples
    --------
    >>> from qnetlab.states import ket
    >>> pauli_frequency_features([ket("0")], 10, seed=1).tolist()[0][-2:]
    [1.0, 0.0]
    """
    if isinstance(states, np.ndarray) and states.ndim == 2:
        raise TypeError("states must be a sequence of states, got a single 2-D array")
    rows = list(states)
    if not rows:
        raise ValueError("states must contain at least one state")
    shots = check_size(shots_per_setting, "shots_per_setting", minimum=1, maximum=10**9)
    check_choice(backend, "backend", ("cirq", "numpy"))
    rng = make_rng(seed)
    out = []
    dim = None
    for i, state in enumerate(rows):
        rho = to_density_matrix(state, f"states[{i}]")
        if dim is None:
            dim = rho.shape[0]
        elif rho.shape[0] != dim:
            raise ValueError(
                f"states must all have the same dimension; states[{i}] has {rho.shape[0]}, "
                f"expected {dim}"
            )
        out.append(measure_pauli(rho, shots, backend=backend, seed=rng).frequencies.ravel())
    return np.array(out)


def min_partial_transpose_eigenvalue(rho: ArrayLike) -> float:
    """Smallest eigenvalue of the partial transpose ρ^{T_B} of a two-qubit state.

    For two qubits ρ is entangled if and only if this is negative (Peres 1996; Horodecki,
    Horodecki & Horodecki 1996). The argument may be an unphysical estimate (for example a
    linear-inversion reconstruction, which can have negative eigenvalues), but it must be
    what such an estimate is: a finite, Hermitian 4 × 4 matrix of unit trace, or a
    normalised ket of length 4. Anything else raises ``ValueError`` (or ``TypeError`` for
    non-numbers).

    Parameters
    ----------
    rho : array_like
        A 4 × 4 Hermitian matrix of unit trace or a normalised ket of length 4.

    Returns
    -------
    float
        The smallest eigenvalue of ρ^{T_B}.

    Raises
    ------
    TypeError
        If ``rho`` is not numeric.
    ValueError
        If ``rho`` is not a two-qubit state estimate.

    Examples
    --------
    >>> from qnetlab.states import werner_state
    >>> round(min_partial_transpose_eigenvalue(werner_state(0.5)), 6)
    0.0
    >>> min_partial_transpose_eigenvalue(5 * np.eye(4))
    Traceback (most recent call last):
    ...
    ValueError: rho must have unit trace (a state or an estimate of one), got trace 20
    """
    try:
        m = np.asarray(rho, dtype=complex)
    except (TypeError, ValueError) as exc:
        raise TypeError("rho must be a 4 x 4 matrix or a ket of length 4") from exc
    if m.shape == (4,):
        m = to_density_matrix(m, "rho")
    if m.shape != (4, 4):
        raise ValueError(f"rho must be a 4 x 4 (two-qubit) matrix, got shape {m.shape}")
    if not np.all(np.isfinite(m)):
        raise ValueError("rho must contain only finite numbers")
    if not np.allclose(m, m.conj().T, atol=1e-8):
        raise ValueError("rho must be Hermitian")
    trace = float(np.trace(m).real)
    if abs(trace - 1.0) > 1e-6:
        raise ValueError(
            f"rho must have unit trace (a state or an estimate of one), got trace {trace:.6g}"
        )
    pt = m.reshape(2, 2, 2, 2).transpose(0, 3, 2, 1).reshape(4, 4)
    return float(np.linalg.eigvalsh(pt)[0])
