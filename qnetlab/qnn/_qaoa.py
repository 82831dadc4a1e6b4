"""The QAOA fast path shared by :mod:`qnetlab.qnn.vqa` (max-cut) and
:mod:`qnetlab.qnn.qaoa_ising` (any Ising model): the state vector of p layers over a
diagonal cost, ⟨C⟩ with its adjoint gradient, and the multi-start angle optimisation."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import numpy as np


def _mix(psi: np.ndarray, n: int, beta: float) -> np.ndarray:
    """exp(−iβ Σ X_q) = Π rx(2β) on a flat state vector."""
    c, s = np.cos(beta), -1j * np.sin(beta)
    for q in range(n):
        t = psi.reshape(2**q, 2, -1)
        psi = (c * t + s * t[:, ::-1, :]).reshape(-1)
    return psi


def _b_op(psi: np.ndarray, n: int) -> np.ndarray:
    """Σ_q X_q applied to a flat state vector."""
    out = np.zeros_like(psi)
    for q in range(n):
        out += psi.reshape(2**q, 2, -1)[:, ::-1, :].reshape(-1)
    return out


def _qaoa_state(cut: np.ndarray, n: int, gammas: np.ndarray, betas: np.ndarray) -> np.ndarray:
    psi = np.full(2**n, 2 ** (-n / 2), dtype=complex)
    for g, b in zip(gammas, betas, strict=True):
        psi = _mix(psi * np.exp(-1j * g * cut), n, b)
    return psi


def _qaoa_value_grad(x: np.ndarray, cut: np.ndarray, n: int) -> tuple[float, np.ndarray]:
    """⟨C⟩ and its gradient in (γ, β) by adjoint differentiation."""
    p = x.size // 2
    gam, bet = x[:p], x[p:]
    psi = _qaoa_state(cut, n, gam, bet)
    lam = cut * psi
    value = float(np.real(np.vdot(psi, lam)))
    grad = np.zeros_like(x)
    for layer in range(p - 1, -1, -1):
        grad[p + layer] = 2 * np.imag(np.vdot(lam, _b_op(psi, n)))
        psi, lam = _mix(psi, n, -bet[layer]), _mix(lam, n, -bet[layer])
        grad[layer] = 2 * np.imag(np.vdot(lam, cut * psi))
        ph = np.exp(1j * gam[layer] * cut)
        psi, lam = psi * ph, lam * ph
    return value, grad


def check_init(init: Any, p: int) -> tuple[np.ndarray, np.ndarray]:
    """The user's start angles (gammas, betas), each of length ``p``, else ValueError."""
    g0, b0 = np.asarray(init[0], float), np.asarray(init[1], float)
    if g0.shape != (p,) or b0.shape != (p,):
        raise ValueError(f"init must hold two arrays of length p={p}")
    return g0, b0


def maximise_angles(cost: np.ndarray, n: int, starts: Sequence[np.ndarray]) -> tuple[Any, int]:
    """Maximise ⟨C⟩ from each start (L-BFGS-B, exact gradients); the best result, calls."""
    from scipy.optimize import minimize

    if not starts:
        raise ValueError("restarts must be >= 1 when init is None")
    calls = [0]

    def neg(x: np.ndarray) -> tuple[float, np.ndarray]:
        calls[0] += 1
        v, g = _qaoa_value_grad(x, cost, n)
        return -v, -g

    try:  # L-BFGS-B's tiny BLAS calls stall on a busy multi-threaded BLAS
        from threadpoolctl import threadpool_limits  # installed with scikit-learn
    except ImportError:  # pragma: no cover
        threadpool_limits = contextlib.nullcontext  # type: ignore[assignment]
    with threadpool_limits(1):
        best = min(
            (minimize(neg, x0, jac=True, method="L-BFGS-B") for x0 in starts),
            key=lambda r: r.fun,
        )
    return best, calls[0]
