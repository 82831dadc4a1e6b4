"""Vectorised kernels on Bell-diagonal coefficients: decay, swapping, purification.

A two-qubit state diagonal in the Bell basis is four numbers, its coefficients ordered
(Φ+, Ψ−, Ψ+, Φ−) (:data:`qnetlab.states.BELL_ORDER`). Every operation a repeater performs
on such a pair maps coefficients to coefficients, and the kernels below apply these maps
to many pairs at once: an array of shape (..., 4) holds one pair per row. They check only
shape and finiteness (they run in inner loops); the fully checked, single-pair functions are
:func:`qnetlab.repeaters.decay_coefficients`, :func:`qnetlab.repeaters.swap_bell_diagonal`,
:func:`qnetlab.repeaters.dejmps` and :func:`qnetlab.repeaters.bbpssw`, which call them.

- :func:`decay_rows`: storage in memory, depolarising (c → e^(−t/T) c + (1 − e^(−t/T))/4)
  or dephasing (Φ+ ↔ Φ−, Ψ+ ↔ Ψ− with probability (1 − e^(−t/T))/2);
- :func:`convolve_rows`: a Bell state is a Pauli error on Φ+ (Φ+ ↔ I, Ψ+ ↔ X, Φ− ↔ Z,
  Ψ− ↔ Y); swapping two pairs multiplies their errors, so the output coefficients are the
  convolution of the inputs over the Pauli group modulo phases;
- :func:`purify_rows`: one round of BBPSSW (Bennett et al. 1996) or DEJMPS (Deutsch et
  al. 1996) on two pairs, the output coefficients and the success probability;
- :func:`correlators`: the Pauli correlators ⟨XX⟩, ⟨YY⟩, ⟨ZZ⟩ an operator measures.

>>> c = np.array([[0.9, 0.0, 0.1, 0.0]])
>>> convolve_rows(c, c).round(6).tolist()  # two X errors cancel
[[0.82, 0.0, 0.18, 0.0]]
>>> correlators(np.array([1.0, 0.0, 0.0, 0.0])).tolist()  # Φ+: XX = ZZ = 1, YY = −1
[1.0, -1.0, 1.0]
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "PAULI_OF_BELL",
    "bilateral_cnot_rows",
    "convolve_rows",
    "correlators",
    "decay_rows",
    "purify_rows",
]

#: Pauli error (x bit, z bit) that turns Φ+ into each Bell state, in (Φ+, Ψ−, Ψ+, Φ−) order.
PAULI_OF_BELL: tuple[tuple[int, int], ...] = ((0, 0), (1, 1), (1, 0), (0, 1))

_CODE = np.array([2 * x + z for x, z in PAULI_OF_BELL])
_INDEX_OF_CODE = {int(c): i for i, c in enumerate(_CODE)}
#: _PRODUCT[i, j] = index of the Bell state whose Pauli is the product of those of i and j.
_PRODUCT = np.array(
    [[_INDEX_OF_CODE[int(_CODE[i] ^ _CODE[j])] for j in range(4)] for i in range(4)]
)

# Indices in (Φ+, Ψ−, Ψ+, Φ−) order.
_PP, _PSM, _PSP, _PM = 0, 1, 2, 3
#: DEJMPS's bilateral rotation exchanges the Ψ− and Φ− coefficients.
_DEJMPS_PERMUTATION = np.array([_PP, _PM, _PSP, _PSM])
#: Signs of ⟨XX⟩, ⟨YY⟩, ⟨ZZ⟩ on each Bell state (rows), in (Φ+, Ψ−, Ψ+, Φ−) order.
_CORRELATOR_SIGNS = np.array([[1, -1, 1, -1], [-1, -1, 1, 1], [1, -1, -1, 1]], dtype=float)


def _rows(c: ArrayLike, name: str) -> np.ndarray:
    """``c`` as a float array of shape (..., 4) with finite entries, else a ValueError."""
    try:
        a = np.asarray(c, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of real coefficients, got {c!r:.40}") from exc
    if a.ndim == 0 or a.shape[-1] != 4:
        raise ValueError(f"{name} must hold Bell-diagonal rows of 4 coefficients, got {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite, got a non-finite coefficient")
    return a


def decay_rows(c: np.ndarray, t: ArrayLike, coherence_time_s: float, model: str) -> np.ndarray:
    """Decay of rows of coefficients ``c`` (n, 4) stored for times ``t`` (n,).

    Parameters
    ----------
    c : numpy.ndarray
        Bell-diagonal coefficients, shape (n, 4).
    t : array_like
        Storage time of each row, shape (n,), in the unit of ``coherence_time_s``.
    coherence_time_s : float
        Decay time T of the pair (``np.inf``: a perfect memory, ``c`` is returned).
    model : str
        ``"depolarizing"`` or ``"dephasing"``.

    Returns
    -------
    numpy.ndarray
        The coefficients after storage, shape (n, 4).

    Examples
    --------
    >>> decay_rows(np.array([[1.0, 0, 0, 0]]), [np.log(2)], 1.0, "depolarizing").tolist()
    [[0.625, 0.125, 0.125, 0.125]]
    """
    c = _rows(c, "c")
    t = np.asarray(t, dtype=float)
    if not np.all(np.isfinite(t)) or np.any(t < 0):
        raise ValueError("t must be finite storage times >= 0")
    if np.isnan(coherence_time_s) or coherence_time_s <= 0:
        raise ValueError(f"coherence_time_s must be positive (> 0), got {coherence_time_s}")
    if np.isinf(coherence_time_s):
        return c
    w = np.exp(-np.asarray(t, dtype=float) / coherence_time_s)[:, None]
    if model == "depolarizing":
        return w * c + (1.0 - w) / 4.0
    if model != "dephasing":
        raise ValueError(f"model must be 'depolarizing' or 'dephasing', got {model!r}")
    lam = (1.0 - w) / 2.0
    swapped = c[:, [3, 2, 1, 0]]  # Φ+ <-> Φ−, Ψ− <-> Ψ+
    return (1.0 - lam) * c + lam * swapped


def convolve_rows(c1: np.ndarray, c2: np.ndarray) -> np.ndarray:
    """Pauli-group convolution of rows of Bell-diagonal coefficients (…, 4) × (…, 4).

    The coefficients of the pair left after swapping pairs ``c1`` and ``c2`` with a
    perfect Bell measurement; convolving with :func:`qnetlab.repeaters.bsm_error_probabilities`
    adds the errors of a noisy one. Shapes broadcast.

    Parameters
    ----------
    c1, c2 : numpy.ndarray
        Bell-diagonal coefficients, shape (..., 4).

    Returns
    -------
    numpy.ndarray
        The convolution, of the broadcast shape.

    Examples
    --------
    >>> convolve_rows(np.array([0.5, 0.5, 0, 0]), np.array([0, 0, 1.0, 0])).tolist()
    [0.0, 0.0, 0.5, 0.5]
    """
    c1, c2 = _rows(c1, "c1"), _rows(c2, "c2")
    out = np.zeros(np.broadcast_shapes(c1.shape, c2.shape))
    for i in range(4):
        for j in range(4):
            out[..., _PRODUCT[i, j]] += c1[..., i] * c2[..., j]
    return out


def bilateral_cnot_rows(c1: np.ndarray, c2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bilateral CNOT from pair ``c1`` to pair ``c2`` and agreement of the Z outcomes.

    Parameters
    ----------
    c1, c2 : numpy.ndarray
        Bell-diagonal coefficients of the kept and the sacrificed pair, shape (..., 4).

    Returns
    -------
    kept : numpy.ndarray
        Unnormalised coefficients of the kept pair when the outcomes agree, shape (..., 4).
    success : numpy.ndarray
        Probability that the outcomes agree (the sum of ``kept``), shape (...).

    Examples
    --------
    >>> kept, p = bilateral_cnot_rows(np.array([0.7, 0.1, 0.1, 0.1]), np.array([0.7, 0.1, 0.1, 0.1]))
    >>> round(float(p), 6), round(float(kept[0] / p), 6)
    (0.68, 0.735294)
    """
    c1, c2 = _rows(c1, "c1"), _rows(c2, "c2")
    out = np.empty(np.broadcast_shapes(c1.shape, c2.shape))
    out[..., _PP] = c1[..., _PP] * c2[..., _PP] + c1[..., _PM] * c2[..., _PM]
    out[..., _PM] = c1[..., _PP] * c2[..., _PM] + c1[..., _PM] * c2[..., _PP]
    out[..., _PSP] = c1[..., _PSP] * c2[..., _PSP] + c1[..., _PSM] * c2[..., _PSM]
    out[..., _PSM] = c1[..., _PSP] * c2[..., _PSM] + c1[..., _PSM] * c2[..., _PSP]
    norm = out.sum(axis=-1)
    return out, norm


def purify_rows(c1: np.ndarray, c2: np.ndarray, protocol: str) -> tuple[np.ndarray, np.ndarray]:
    """One purification round on rows of pairs: normalised output and success probability.

    Parameters
    ----------
    c1, c2 : numpy.ndarray
        Bell-diagonal coefficients of the two input pairs, shape (..., 4).
    protocol : str
        ``"dejmps"`` (bilateral rotation first, no twirl) or ``"bbpssw"`` (twirled back to
        a Werner state).

    Returns
    -------
    out : numpy.ndarray
        Coefficients of the kept pair, shape (..., 4) (undefined where ``success`` is 0).
    success : numpy.ndarray
        Success probability, shape (...).

    Examples
    --------
    >>> out, p = purify_rows(np.array([0.75, 1 / 12, 1 / 12, 1 / 12]),
    ...                      np.array([0.75, 1 / 12, 1 / 12, 1 / 12]), "bbpssw")
    >>> round(float(out[0]), 6), round(float(p), 6)
    (0.788462, 0.722222)
    """
    c1, c2 = _rows(c1, "c1"), _rows(c2, "c2")
    if protocol not in ("dejmps", "bbpssw"):
        raise ValueError(f"protocol must be 'dejmps' or 'bbpssw', got {protocol!r}")
    if protocol == "dejmps":
        c1, c2 = c1[..., _DEJMPS_PERMUTATION], c2[..., _DEJMPS_PERMUTATION]
    out, norm = bilateral_cnot_rows(c1, c2)
    safe = np.where(norm > 0, norm, 1.0)
    out = out / safe[..., None]
    if protocol == "bbpssw":  # twirl back to a Werner state
        f = out[..., _PP]
        out = np.stack([f, (1 - f) / 3, (1 - f) / 3, (1 - f) / 3], axis=-1)
    return out, norm


def correlators(c: ArrayLike) -> np.ndarray:
    """Pauli correlators ⟨XX⟩, ⟨YY⟩, ⟨ZZ⟩ of Bell-diagonal coefficients (…, 4).

    Parameters
    ----------
    c : array_like
        Bell-diagonal coefficients ordered (Φ+, Ψ−, Ψ+, Φ−), shape (..., 4).

    Returns
    -------
    numpy.ndarray
        The three correlators, shape (..., 3). The fidelity to Φ+ is
        (1 + ⟨XX⟩ − ⟨YY⟩ + ⟨ZZ⟩)/4.

    Examples
    --------
    >>> correlators(np.array([0.25, 0.25, 0.25, 0.25])).tolist()
    [0.0, 0.0, 0.0]
    """
    return _rows(c, "c") @ _CORRELATOR_SIGNS.T
