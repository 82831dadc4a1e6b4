"""Barren plateaus: the gradient variance of random circuits per qubit number and depth.

McClean et al. (2018): in random parametrised circuits deep enough to form a 2-design, the
variance of any gradient component falls exponentially with the number of qubits, so a
variational algorithm trained from a random start sees a flat landscape.
:func:`barren_plateau_depth_scan` samples Var[∂⟨Z₀Z₁⟩/∂θ₁] over random circuits on a
batched NumPy state-vector simulation, exactly (parameter-shift rule), at several depths
in one pass; :class:`BarrenPlateauResult` fits the decay rate b in Var ∝ 2^(−b n) with
its confidence interval.

These names are also importable from :mod:`qnetlab.qnn.vqa`, where they lived first.

>>> r = barren_plateau_variance((2, 6), layers=60, n_circuits=100, seed=1)
>>> r.variance[0] > 4 * r.variance[1]
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validation import SeedLike, check_integer, check_size, make_rng
from ..plotting_results import plot_curves
from ..results import ResultMixin
from ._sim import _zsign, random_layers_batch, simulate

__all__ = ["BarrenPlateauResult", "barren_plateau_depth_scan", "barren_plateau_variance"]


@dataclass(frozen=True)
class BarrenPlateauResult(ResultMixin):
    """Variance of ∂⟨Z₀Z₁⟩/∂θ₁ over random circuits of ``layers`` layers, per qubit number.

    ``gradients`` holds the sampled gradients (one array per entry of ``n_qubits``), from
    which :meth:`variance_se` and the weighted fit of :meth:`fit` are computed; without them
    the fit is unweighted and has no error bar. :meth:`decay_rate` is b in Var ∝ 2^(−b n)
    and :meth:`decay_interval` its confidence interval.

    Parameters
    ----------
    n_qubits : tuple of int
        Qubit numbers sampled.
    variance : tuple of float
        Sample variance of the gradient at each qubit number.
    layers : int
        Layers of the random circuits.
    n_circuits : int
        Random circuits per qubit number.
    gradients : tuple of numpy.ndarray, default ()
        The sampled gradients, one array per qubit number.

    Examples
    --------
    >>> r = BarrenPlateauResult((2, 4, 6), (0.1, 0.025, 0.00625), layers=50, n_circuits=100)
    >>> round(r.decay_rate(), 6)  # the variance falls by 4 per 2 qubits: b = 1
    1.0
    """

    n_qubits: tuple[int, ...]
    variance: tuple[float, ...]
    layers: int
    n_circuits: int
    gradients: tuple[np.ndarray, ...] = field(default=(), repr=False)

    def variance_se(self) -> np.ndarray:
        """Standard error of each sample variance (delta method, uses the sample kurtosis).

        Var(s²) ≈ (μ₄ − σ⁴ (N − 3)/(N − 1)) / N for N samples with fourth central moment μ₄.

        Returns
        -------
        numpy.ndarray
            One standard error per qubit number (empty without ``gradients``).

        Examples
        --------
        >>> r = barren_plateau_variance((2, 4), layers=10, n_circuits=50, seed=1)
        >>> se = r.variance_se()
        >>> se.shape, bool(np.all((se > 0) & (se < np.asarray(r.variance))))
        ((2,), True)
        """
        out = []
        for g, v in zip(self.gradients, self.variance, strict=True):
            m = g.size
            mu4 = float(np.mean((g - g.mean()) ** 4))
            out.append(np.sqrt(max(mu4 - v**2 * (m - 3) / (m - 1), 1e-300) / m))
        return np.asarray(out)

    def fit(self) -> tuple[float, float, float]:
        """Weighted least-squares fit of log₂ Var = a − b n: returns (b, standard error, a).

        Weights are 1/SE² of log₂ Var (:meth:`variance_se`); the standard error is inflated
        by √(χ²/(k − 2)) when the points scatter more than their errors (k points). Without
        sampled ``gradients`` the fit is unweighted and the standard error is NaN.

        Returns
        -------
        b : float
            Decay rate per qubit, Var ∝ 2^(−b n).
        se : float
            Its standard error (NaN without ``gradients``).
        a : float
            Intercept of log₂ Var.

        Raises
        ------
        ValueError
            If fewer than two qubit numbers were sampled.

        Examples
        --------
        >>> r = BarrenPlateauResult((2, 4), (0.1, 0.025), layers=50, n_circuits=100)
        >>> b, se, a = r.fit()
        >>> round(b, 6), bool(np.isnan(se)), round(a, 4)
        (1.0, True, -1.3219)
        """
        x = np.asarray(self.n_qubits, dtype=float)
        y = np.log2(np.asarray(self.variance))
        if x.size < 2:
            raise ValueError("fit needs at least two qubit numbers")
        if not self.gradients:  # no samples kept: unweighted fit, no error bar
            slope, icpt = np.polyfit(x, y, 1)
            return float(-slope), float("nan"), float(icpt)
        w = (np.asarray(self.variance) * np.log(2) / self.variance_se()) ** 2
        xm = np.sum(w * x) / w.sum()
        ym = np.sum(w * y) / w.sum()
        sxx = np.sum(w * (x - xm) ** 2)
        slope = np.sum(w * (x - xm) * (y - ym)) / sxx
        icpt = ym - slope * xm
        se = np.sqrt(1.0 / sxx)
        if x.size > 2:
            chi2 = float(np.sum(w * (y - icpt - slope * x) ** 2)) / (x.size - 2)
            se *= max(1.0, np.sqrt(chi2))
        return float(-slope), float(se), float(icpt)

    def decay_rate(self) -> float:
        """Fitted b in Var ∝ 2^(−b n) (b ≈ 1 for a 2-design, McClean et al. 2018).

        Returns
        -------
        float
            The first value of :meth:`fit`.

        Raises
        ------
        ValueError
            If fewer than two qubit numbers were sampled.

        Examples
        --------
        >>> r = BarrenPlateauResult((2, 4), (0.1, 0.025), layers=50, n_circuits=100)
        >>> round(r.decay_rate(), 6)
        1.0
        """
        return self.fit()[0]

    def decay_interval(self, level: float = 0.95) -> tuple[float, float]:
        """Normal confidence interval (two-sided, ``level``) for b from :meth:`fit`.

        Parameters
        ----------
        level : float, default 0.95
            Confidence level, in (0, 1).

        Returns
        -------
        tuple of float
            (lower, upper) = b ∓ z·SE with z the normal quantile of (1 + level)/2.

        Raises
        ------
        ValueError
            If ``level`` is outside (0, 1), or fewer than two qubit numbers were sampled.

        Examples
        --------
        >>> r = barren_plateau_variance((2, 4, 6), layers=12, n_circuits=60, seed=1)
        >>> lo, hi = r.decay_interval()
        >>> bool(lo < r.decay_rate() < hi)
        True
        """
        from scipy.stats import norm

        if not 0 < level < 1:
            raise ValueError(f"level must be in (0, 1), got {level}")
        b, se, _ = self.fit()
        z = float(norm.ppf(0.5 + level / 2))
        return b - z * se, b + z * se

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Gradient variance against qubits, log scale, with the fit; returns the axes.

        ``kwargs`` go to :func:`qnetlab.plotting_results.plot_curves`.
        """
        n = np.asarray(self.n_qubits, dtype=float)
        curves = {"sampled variance": np.asarray(self.variance)}
        if n.size > 1:
            b, _, a = self.fit()
            curves[f"fit 2^({a:.2f} - {b:.2f} n)"] = 2.0 ** (a - b * n)
        labels = {"xlabel": "qubits n", "ylabel": "Var(∂⟨Z₀Z₁⟩/∂θ₁)"}
        return plot_curves(curves, x=n, ax=ax, marker="o", logy=True, **labels, **kwargs)


def barren_plateau_depth_scan(
    n_qubits: Any = (2, 4, 6, 8, 10),
    depths: Any = (5, 10, 20, 50, 100),
    *,
    n_circuits: int = 200,
    seed: SeedLike = None,
    progress: bool = False,
) -> list[BarrenPlateauResult]:
    """Gradient variances of random circuits at several depths, in one pass per qubit number.

    Each circuit (McClean et al. 2018): Ry(π/4) on every qubit, then layers of a random
    Pauli rotation (Rx, Ry or Rz, uniform angle) on each qubit and a CZ ladder. The cost is
    E = ⟨Z₀Z₁⟩ and the gradient ∂E/∂θ₁ (first rotation, qubit 0) is exact, by the
    parameter-shift rule (two runs per circuit). The circuits at depth ``depths[i]`` are
    the first layers of those at the largest depth, so one batched NumPy simulation
    (:func:`qnetlab.qnn._sim.random_layers_batch`) serves every depth.

    Parameters
    ----------
    n_qubits : sequence of int, default (2, 4, 6, 8, 10)
        Qubit numbers, each in [2, 12].
    depths : sequence of int, default (5, 10, 20, 50, 100)
        Layers, strictly increasing, each in [1, 1000].
    n_circuits : int, default 200
        Random circuits per qubit number, in [4, 10⁵].
    seed : int, numpy.random.Generator or None, optional
        Gates and angles, normalised by ``make_rng``.
    progress : bool, default False
        Show a tqdm bar over the qubit numbers.

    Returns
    -------
    list of BarrenPlateauResult
        One result per depth, in the order of ``depths``, with the sampled gradients.

    Raises
    ------
    TypeError
        If a qubit number, depth or ``n_circuits`` is not an integer.
    ValueError
        If one is out of range, or ``depths`` is empty or not strictly increasing.

    Examples
    --------
    >>> r = barren_plateau_depth_scan((2, 4), (2, 20), n_circuits=50, seed=1)
    >>> [x.layers for x in r], r[1].n_qubits
    ([2, 20], (2, 4))
    """
    ns = tuple(check_integer(n, "n_qubits", minimum=2, maximum=12) for n in n_qubits)
    ds = tuple(check_integer(d, "depths", minimum=1, maximum=1000) for d in depths)
    if not ds or list(ds) != sorted(set(ds)):
        raise ValueError(f"depths must be strictly increasing, got {ds}")
    n_circuits = check_size(n_circuits, "n_circuits", minimum=4, maximum=10**5)
    rng = make_rng(seed)
    grads: dict[int, list[np.ndarray]] = {d: [] for d in ds}
    if progress:
        from tqdm.auto import tqdm

    for n in tqdm(ns, desc="qubit numbers") if progress else ns:
        zz = _zsign(n, 0) * _zsign(n, 1)
        psi0 = simulate([("ry", (i,), 0) for i in range(n)], [np.pi / 4], n)
        axes = rng.integers(0, 3, size=(n_circuits, ds[-1], n))
        angles = rng.uniform(0, 2 * np.pi, size=(n_circuits, ds[-1], n))
        shifted = np.concatenate([angles, angles])  # parameter shift: θ₁ ± π/2
        shifted[:n_circuits, 0, 0] += np.pi / 2
        shifted[n_circuits:, 0, 0] -= np.pi / 2
        ax2 = np.concatenate([axes, axes])
        psi, done = psi0, 0
        for d in ds:
            psi = random_layers_batch(psi, ax2[:, done:d], shifted[:, done:d])
            done = d
            e = (np.abs(psi) ** 2) @ zz
            grads[d].append(0.5 * (e[:n_circuits] - e[n_circuits:]))
    var = {d: tuple(float(np.var(g)) for g in grads[d]) for d in ds}
    return [BarrenPlateauResult(ns, var[d], d, n_circuits, tuple(grads[d])) for d in ds]


def barren_plateau_variance(
    n_qubits: Any = (2, 4, 6, 8, 10),
    *,
    layers: int = 100,
    n_circuits: int = 200,
    seed: SeedLike = None,
) -> BarrenPlateauResult:
    """Sample Var[∂E/∂θ₁] with E = ⟨Z₀Z₁⟩ over random circuits (McClean et al. 2018).

    The circuits of :func:`barren_plateau_depth_scan` at one depth. The 2-design regime,
    where Var ∝ 2^(−n), needs deep circuits: about ``layers`` ≥ 10 n for this ansatz.

    Parameters
    ----------
    n_qubits : sequence of int, default (2, 4, 6, 8, 10)
        Qubit numbers, each in [2, 12].
    layers : int, default 100
        Layers of every circuit, in [1, 1000].
    n_circuits : int, default 200
        Random circuits per qubit number, in [4, 10⁵].
    seed : int, numpy.random.Generator or None, optional
        Gates and angles, normalised by ``make_rng``.

    Returns
    -------
    BarrenPlateauResult
        Variances per qubit number, with the sampled gradients.

    Raises
    ------
    TypeError
        If a qubit number, ``layers`` or ``n_circuits`` is not an integer.
    ValueError
        If one of them is out of range.

    Examples
    --------
    >>> r = barren_plateau_variance((2, 6), layers=60, n_circuits=100, seed=1)
    >>> r.variance[0] > 4 * r.variance[1]
    True
    """
    layers = check_integer(layers, "layers", minimum=1, maximum=1000)
    return barren_plateau_depth_scan(n_qubits, (layers,), n_circuits=n_circuits, seed=seed)[0]
