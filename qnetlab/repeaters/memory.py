"""Quantum memories: decay of a stored pair over time, and cut-offs.

A pair whose two qubits wait in memories loses fidelity. Two models, both acting on the
Bell-diagonal coefficients ordered (Φ+, Ψ−, Ψ+, Φ−) (:data:`qnetlab.states.BELL_ORDER`):

- **depolarising**: the Werner parameter w = (4F − 1)/3 decays as e^(−t/T), so
  F(t) = 1/4 + (F₀ − 1/4) e^(−t/T) and the pair tends to the maximally mixed state;
- **dephasing**: phase flips exchange Φ+ ↔ Φ− and Ψ+ ↔ Ψ− with probability
  λ(t) = (1 − e^(−t/T))/2, so the coherence of the pair decays as e^(−t/T) and F → 1/2.

``coherence_time_s`` T is the decay time of the *pair*. For two qubits with single-qubit
depolarising (or dephasing, T₂) time T_q each, the pair decays with T = T_q / 2.

A **cut-off** discards a stored pair once it has waited longer than a set time, trading
rate for fidelity; :func:`cutoff_for_fidelity` gives the storage time after which a
depolarising pair falls below a target fidelity.

>>> round(memory_fidelity(1.0, 0.5, 1.0), 6)
0.704898
>>> round(cutoff_for_fidelity(0.95, 0.9, 1.0), 6)
0.074108
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._validation import check_choice, check_in_range, check_non_negative, check_positive
from ..states import check_bell_coefficients
from .bell_diagonal import decay_rows

__all__ = [
    "MEMORY_MODELS",
    "cutoff_for_fidelity",
    "decay_coefficients",
    "memory_fidelity",
]

#: Decoherence models of a stored pair.
MEMORY_MODELS: tuple[str, str] = ("depolarizing", "dephasing")


def _check_coherence_time(coherence_time_s: Any) -> float:
    if isinstance(coherence_time_s, float | int) and not isinstance(coherence_time_s, bool):
        if coherence_time_s == np.inf:
            return np.inf
    return check_positive(coherence_time_s, "coherence_time_s")


def memory_fidelity(f0: float, t: float, coherence_time_s: float) -> float:
    """Fidelity of a Werner pair of fidelity ``f0`` after storage time ``t``.

    Depolarising decay: F(t) = 1/4 + (F₀ − 1/4) e^(−t/T) with T = ``coherence_time_s``.

    Parameters
    ----------
    f0 : float
        Werner fidelity of the fresh pair, in [1/4, 1].
    t : float
        Storage time (s), non-negative.
    coherence_time_s : float
        Decay time T of the pair (s), positive; ``np.inf`` for a perfect memory.

    Returns
    -------
    float
        The fidelity after storage.

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> memory_fidelity(0.9, 0.0, 1.0)
    0.9
    >>> round(memory_fidelity(0.9, 100.0, 1.0), 6)
    0.25
    """
    f = check_in_range(f0, "f0", 0.25, 1.0)
    t = check_non_negative(t, "t")
    tc = _check_coherence_time(coherence_time_s)
    return float(0.25 + (f - 0.25) * np.exp(-t / tc))


def decay_coefficients(
    coefficients: ArrayLike, t: float, coherence_time_s: float, model: str = "depolarizing"
) -> np.ndarray:
    """Bell-diagonal coefficients (Φ+, Ψ−, Ψ+, Φ−) after storing the pair for ``t``.

    Parameters
    ----------
    coefficients : array_like
        Bell-diagonal coefficients of the stored pair (four non-negative numbers, sum 1).
    t : float
        Storage time (s), non-negative.
    coherence_time_s : float
        Decay time T of the pair (s), positive; ``np.inf`` for a perfect memory.
    model : str, optional
        ``"depolarizing"`` (c → e^(−t/T) c + (1 − e^(−t/T))/4) or ``"dephasing"``
        (Φ+ ↔ Φ−, Ψ+ ↔ Ψ− with probability (1 − e^(−t/T))/2).

    Returns
    -------
    numpy.ndarray
        The four coefficients after storage.

    Raises
    ------
    ValueError
        If the coefficients are not a Bell-diagonal state or an argument is out of range.

    Examples
    --------
    >>> decay_coefficients([1, 0, 0, 0], 1e9, 1.0, "dephasing").round(6).tolist()
    [0.5, 0.0, 0.0, 0.5]
    """
    c = check_bell_coefficients(coefficients)
    t = check_non_negative(t, "t")
    tc = _check_coherence_time(coherence_time_s)
    check_choice(model, "model", MEMORY_MODELS)
    return decay_rows(c[None, :], np.array([t]), tc, model)[0]


def cutoff_for_fidelity(f0: float, f_min: float, coherence_time_s: float) -> float:
    """Storage time after which a depolarising pair of fidelity ``f0`` drops to ``f_min``.

    Solves 1/4 + (F₀ − 1/4) e^(−t/T) = F_min: t = T ln((F₀ − 1/4)/(F_min − 1/4)).
    A pair that has waited longer should be discarded (a cut-off).

    Parameters
    ----------
    f0 : float
        Fidelity of the fresh pair, in (1/4, 1].
    f_min : float
        Lowest acceptable fidelity, in (1/4, ``f0``].
    coherence_time_s : float
        Decay time T of the pair (s), positive; ``np.inf`` gives ``np.inf``.

    Returns
    -------
    float
        The cut-off time (s).

    Raises
    ------
    ValueError
        If an argument is outside its range.

    Examples
    --------
    >>> round(cutoff_for_fidelity(1.0, 0.25 + 0.75 / np.e, 2.0), 6)
    2.0
    """
    f = check_in_range(f0, "f0", 0.25, 1.0, low_inclusive=False)
    fm = check_in_range(f_min, "f_min", 0.25, f, low_inclusive=False)
    tc = _check_coherence_time(coherence_time_s)
    if np.isinf(tc):
        return np.inf
    return float(tc * np.log((f - 0.25) / (fm - 0.25)))
