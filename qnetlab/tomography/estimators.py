"""State estimators from Pauli tomography counts, with no learning.

- :func:`linear_inversion`: ρ = Σ ⟨P⟩ P / 2ⁿ from the measured frequencies (James et al.
  2001), through :func:`state_from_pauli_expectations`. Unbiased, but can be unphysical at
  low counts; :func:`project_to_density_matrix` (Smolin, Gambetta, Smith 2012) repairs it.
- :func:`maximum_likelihood`: the iterative RρR algorithm (Hradil 1997), with dilution
  (Řeháček et al. 2007) so it always converges; always physical.
- :func:`bell_diagonal_estimate`: the prior of a network's links built in: a Bell-diagonal
  state from the ⟨XX⟩, ⟨YY⟩, ⟨ZZ⟩ correlations alone.

>>> from qnetlab.states import werner_state, fidelity
>>> from qnetlab.tomography import measure_pauli
>>> data = measure_pauli(werner_state(0.9), 500, backend="numpy", seed=1)
>>> fidelity(linear_inversion(data), werner_state(0.9)) > 0.95
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from .._validation import (
    check_array,
    check_in_range,
    check_integer,
    check_positive,
    check_size,
    check_square_matrix,
)
from .measurement import (
    TomographyData,
    _check_data,
    _pauli_matrix,
    _rotation_unitary,
    pauli_expectations,
    pauli_labels,
)

__all__ = [
    "bell_diagonal_estimate",
    "linear_inversion",
    "maximum_likelihood",
    "project_to_density_matrix",
    "state_from_pauli_expectations",
]


def state_from_pauli_expectations(
    expectations: dict[str, float] | np.ndarray, n_qubits: int
) -> np.ndarray:
    """ρ = Σ_P ⟨P⟩ P / 2ⁿ from a dict label → value, or an array over ``pauli_labels(n)[1:]``.

    The inversion of James et al. (2001): Pauli strings missing from the dict count 0, and
    ⟨I…I⟩ is 1 whatever is given. The result is Hermitian with unit trace, and positive only
    when the expectations come from a state (:func:`project_to_density_matrix` repairs it).

    Parameters
    ----------
    expectations : dict of str to float, or array_like
        ⟨P⟩ in [−1, 1] by Pauli label, or the 4ⁿ − 1 values of the non-identity strings in
        the order of :func:`~qnetlab.tomography.measurement.pauli_labels`.
    n_qubits : int
        Qubits, in [1, 4].

    Returns
    -------
    numpy.ndarray
        The 2ⁿ × 2ⁿ matrix.

    Raises
    ------
    TypeError
        If ``n_qubits`` is not an integer or the array does not hold numbers.
    ValueError
        If ``n_qubits`` is outside [1, 4], the array has the wrong length, a label is not a
        Pauli string on n qubits, or a value is outside [−1, 1].

    Examples
    --------
    >>> rho = state_from_pauli_expectations({"Z": 1.0}, 1)
    >>> rho.real.tolist()
    [[1.0, 0.0], [0.0, 0.0]]
    >>> state_from_pauli_expectations(np.zeros(15), 2).real.diagonal().tolist()
    [0.25, 0.25, 0.25, 0.25]
    """
    n = check_integer(n_qubits, "n_qubits", minimum=1, maximum=4)
    labels = pauli_labels(n)
    if not isinstance(expectations, dict):
        arr = check_array(expectations, "expectations", shape=(len(labels) - 1,))
        expectations = dict(zip(labels[1:], arr.tolist()))
    rho = np.eye(2**n, dtype=complex) / 2**n
    for label, value in expectations.items():
        if label not in labels:
            raise ValueError(f"expectations has an unknown Pauli label {label!r} for {n} qubits")
        v = check_in_range(value, f"expectations[{label!r}]", -1.0, 1.0)
        if set(label) == {"I"}:
            continue
        rho = rho + v * _pauli_matrix(label) / 2**n
    return rho


def linear_inversion(data: TomographyData) -> np.ndarray:
    """Linear-inversion estimate ρ = Σ ⟨P⟩ P / 2ⁿ (Hermitian, unit trace, maybe not positive).

    Parameters
    ----------
    data : TomographyData
        Counts from :func:`measure_pauli`.

    Returns
    -------
    numpy.ndarray
        The 2ⁿ × 2ⁿ estimate.

    Raises
    ------
    TypeError
        If ``data`` is not a :class:`TomographyData`.

    Examples
    --------
    >>> from qnetlab.states import werner_state
    >>> from qnetlab.tomography import measure_pauli
    >>> rho = linear_inversion(measure_pauli(werner_state(0.7), 4000, seed=2))
    >>> round(float(np.trace(rho).real), 6)
    1.0
    """
    d = _check_data(data)
    return state_from_pauli_expectations(pauli_expectations(d), d.n_qubits)


def project_to_density_matrix(matrix: ArrayLike) -> np.ndarray:
    """Closest density matrix (in the 2-norm of eigenvalues) to a Hermitian, unit-trace matrix.

    The algorithm of Smolin, Gambetta and Smith (PRL 108, 070502, 2012): sort eigenvalues,
    zero the negative ones and spread their weight equally over the rest. A trace other than
    1 is first normalised away; the eigenvectors are kept.

    Parameters
    ----------
    matrix : array_like
        A square Hermitian matrix (for example a linear-inversion estimate).

    Returns
    -------
    numpy.ndarray
        A positive semidefinite matrix of unit trace, the same shape.

    Raises
    ------
    TypeError
        If ``matrix`` does not hold numbers.
    ValueError
        If it is not square, not finite or not Hermitian (to 1e-8), or its trace is not
        positive.

    Examples
    --------
    >>> project_to_density_matrix(np.diag([1.2, -0.2])).real.round(6).tolist()
    [[1.0, 0.0], [0.0, 0.0]]
    """
    m = check_square_matrix(matrix, "matrix")
    if not np.allclose(m, m.conj().T, atol=1e-8):
        raise ValueError("matrix must be Hermitian")
    w, v = np.linalg.eigh((m + m.conj().T) / 2)
    if not w.sum() > 1e-12:  # dividing by a trace <= 0 would give NaN or flip the spectrum
        raise ValueError(f"matrix must have a positive trace, got {w.sum():.3g}")
    w = w / w.sum() if abs(w.sum() - 1) > 1e-12 else w
    order = np.argsort(w)[::-1]
    w, v = w[order], v[:, order]
    lam = w.copy()
    acc = 0.0
    i = len(lam) - 1
    while i >= 0 and lam[i] + acc / (i + 1) < 0:
        acc += lam[i]
        lam[i] = 0.0
        i -= 1
    lam[: i + 1] += acc / (i + 1)
    return (v * lam) @ v.conj().T


def _projectors(n: int, settings: tuple[str, ...]) -> np.ndarray:
    """Π[s, k] = U_s† |k⟩⟨k| U_s, shape (settings, 2ⁿ, 2ⁿ, 2ⁿ)."""
    dim = 2**n
    out = np.empty((len(settings), dim, dim, dim), dtype=complex)
    for s, setting in enumerate(settings):
        u = _rotation_unitary(setting)
        for k in range(dim):
            out[s, k] = np.outer(u[k].conj(), u[k])
    return out


def maximum_likelihood(
    data: TomographyData | Sequence[TomographyData],
    *,
    n_iterations: int = 2000,
    tol: float = 1e-8,
    dilution: float = 0.5,
) -> np.ndarray:
    """Maximum-likelihood state by the diluted RρR iteration (Hradil 1997; Řeháček et al. 2007).

    ρ ← (I + εR) ρ (I + εR) / tr(·) with R = Σ f_sk / p_sk(ρ) Π_sk; stops when the
    log-likelihood changes by less than ``tol``
    or after ``n_iterations`` steps, whichever comes first. The step is computed as
    (I + εR)/(1 + ε), which is the same after normalisation and cannot overflow, so any
    finite ``dilution`` ε > 0 works (large ε approaches the undiluted RρR step).

    ``data`` may be one record (returns a 2ⁿ × 2ⁿ matrix) or a sequence of records with
    the same qubit number and settings (returns an array of shape (m, 2ⁿ, 2ⁿ), iterated
    together, each record stopping at its own convergence: the same as one call each,
    only faster).

    Parameters
    ----------
    data : TomographyData or sequence of TomographyData
        One record, or records with the same qubit number and settings.
    n_iterations : int, default 2000
        Maximum iterations, ≥ 1.
    tol : float, default 1e-8
        Stop when the log-likelihood changes by less, > 0.
    dilution : float, default 0.5
        Step ε, finite and > 0.

    Returns
    -------
    numpy.ndarray
        The estimate(s), shape (2ⁿ, 2ⁿ) or (m, 2ⁿ, 2ⁿ).

    Raises
    ------
    TypeError
        If ``data`` is not a record or a non-empty sequence of records.
    ValueError
        If records disagree or an argument is out of range.

    Examples
    --------
    >>> from qnetlab.states import bell_state, fidelity
    >>> from qnetlab.tomography import measure_pauli
    >>> rho = maximum_likelihood(measure_pauli(bell_state("psi-"), 300, seed=5))
    >>> round(fidelity(rho, bell_state("psi-")), 2)
    1.0
    >>> maximum_likelihood([measure_pauli(bell_state("phi+"), 50, seed=s) for s in (1, 2)]).shape
    (2, 4, 4)
    """
    single = isinstance(data, TomographyData)
    records = [data] if single else list(data) if isinstance(data, Sequence) else None
    if not records:
        raise TypeError(
            "data must be a TomographyData (from measure_pauli) or a non-empty sequence of them"
        )
    records = [_check_data(d) for d in records]
    first = records[0]
    if any(d.n_qubits != first.n_qubits or d.settings != first.settings for d in records):
        raise ValueError("data records must all have the same number of qubits and settings")
    check_size(n_iterations, "n_iterations", minimum=1, maximum=10**6)
    check_positive(tol, "tol")
    eps = check_positive(dilution, "dilution")  # finite: check_positive rejects inf
    n = first.n_qubits
    dim = 2**n
    pis = _projectors(n, first.settings)
    n_set = len(first.settings)
    pis_flat = pis.reshape(n_set * dim, dim * dim)  # row sk holds Π_sk[a, b] at a·dim + b
    counts = np.array([d.counts for d in records], dtype=float)
    freqs = counts / counts.sum(axis=(1, 2), keepdims=True)  # joint frequencies per record
    m = len(records)
    rho = np.tile(np.eye(dim, dtype=complex) / dim, (m, 1, 1))
    last = np.full(m, -np.inf)
    active = np.ones(m, dtype=bool)
    eye = np.eye(dim)
    w_id, w_r = 1.0 / (1.0 + eps), eps / (1.0 + eps)
    for _ in range(n_iterations):
        idx = np.flatnonzero(active)
        r_act = rho[idx]
        # p[m, s, k] = tr(Π_sk ρ_m) = Σ_ab Π_sk[a, b] ρ_m[b, a], as one matrix product
        flat_t = np.swapaxes(r_act, 1, 2).reshape(len(idx), dim * dim)
        p = np.clip(np.real(flat_t @ pis_flat.T), 1e-15, None).reshape(len(idx), n_set, dim)
        loglik = np.sum(freqs[idx] * np.log(p), axis=(1, 2))
        done = np.abs(loglik - last[idx]) < tol
        last[idx] = loglik
        active[idx[done]] = False
        idx, p, r_act = idx[~done], p[~done], r_act[~done]
        if idx.size == 0:
            break
        ratio = (freqs[idx] / p).reshape(len(idx), n_set * dim)
        r = (ratio @ pis_flat).reshape(len(idx), dim, dim) / n_set
        a = w_id * eye + w_r * r
        new = a @ r_act @ np.conj(np.swapaxes(a, 1, 2))
        new = (new + np.conj(np.swapaxes(new, 1, 2))) / 2
        rho[idx] = new / np.trace(new, axis1=1, axis2=2).real[:, None, None]
    return rho[0] if single else rho


def bell_diagonal_estimate(data: TomographyData) -> np.ndarray:
    """Tomography with the Bell-diagonal prior: a Bell-diagonal state from ⟨XX⟩, ⟨YY⟩, ⟨ZZ⟩.

    A Bell-diagonal two-qubit state ρ = Σ_i c_i |B_i⟩⟨B_i| is fixed by its three
    correlations t = (⟨XX⟩, ⟨YY⟩, ⟨ZZ⟩): ρ = (I + Σ_j t_j σ_j ⊗ σ_j)/4 (Horodecki &
    Horodecki 1996), with coefficients, in the order (Φ+, Ψ−, Ψ+, Φ−),

    c = ((1 + t_x − t_y + t_z), (1 − t_x − t_y − t_z), (1 + t_x + t_y − t_z),
    (1 − t_x + t_y + t_z)) / 4.

    The correlations are read from the XX, YY and ZZ settings only (the others carry no
    information about a Bell-diagonal state); a negative coefficient vector is projected onto
    the probability simplex, which is :func:`project_to_density_matrix` in the Bell basis.
    This is the prior of the noisy-Bell link family of :func:`random_states` (depolarised
    and dephased Bell pairs are Bell-diagonal), built in instead of learned.

    Parameters
    ----------
    data : TomographyData
        Counts of a two-qubit state from :func:`measure_pauli`.

    Returns
    -------
    numpy.ndarray
        The 4x4 Bell-diagonal estimate.

    Raises
    ------
    TypeError
        If ``data`` is not a :class:`TomographyData`.
    ValueError
        If ``data`` does not come from two qubits.

    Examples
    --------
    >>> from qnetlab.states import werner_state, fidelity
    >>> from qnetlab.tomography import measure_pauli
    >>> rho = bell_diagonal_estimate(measure_pauli(werner_state(0.9), 500, seed=1))
    >>> fidelity(rho, werner_state(0.9)) > 0.99
    True
    """
    d = _check_data(data)
    if d.n_qubits != 2:
        raise ValueError(f"data must come from a two-qubit state, got {d.n_qubits} qubits")
    parity = np.array([1.0, -1.0, -1.0, 1.0])  # eigenvalue of σ⊗σ for outcomes 00, 01, 10, 11
    t = [float(d.frequencies[d.settings.index(b + b)] @ parity) for b in "XYZ"]
    rho = state_from_pauli_expectations(dict(zip(("XX", "YY", "ZZ"), t)), 2)
    return project_to_density_matrix(rho)
