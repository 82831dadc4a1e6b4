"""Faults and telemetry of a quantum repeater chain: what a network operator observes.

A network operator never sees the physical parameters of a repeater chain; it sees
*telemetry*: how often each link heralds a pair, how often each detector arm clicks, the
Pauli correlators of a few sacrificed test pairs, how fast stored coherence decays, how
often swaps succeed. This module turns the package's physics into such telemetry and
builds the tools to read it.

**The model** (:class:`ChainModel`): a chain of ``n_links`` double-click (Barrett–Kok)
links between ``n_links + 1`` nodes (:func:`qnetlab.repeaters.double_click_link`). Per
monitoring window and link, with arm efficiency η_a = 10^(−α(L/2)/10) 10^(−ℓ_a/10) η_d:

- heralding probability p = η_a η_b / 2 and per-arm click probabilities η_a, η_b
  (``attempts_per_window`` attempts);
- the heralded pair c = (Φ+, Ψ−, Ψ+, Φ−) = ((1 + V)/2, 0, 0, (1 − V)/2), depolarised by
  the source to Werner weight w_s = (4F_s − 1)/3, then dephased in the two end memories
  for a storage time t with pair coherence time 1/(1/T₂,a + 1/T₂,b)
  (:func:`qnetlab.repeaters.decay_coefficients`, model ``"dephasing"``);
- ``test_pairs`` pairs per Pauli basis measured in XX, YY, ZZ after ``storage_short_s``
  and in XX after ``storage_long_s``: the operator's estimates of QBER, fidelity
  F = (1 + ⟨XX⟩ − ⟨YY⟩ + ⟨ZZ⟩)/4, CHSH value S = √2 (⟨XX⟩ + ⟨ZZ⟩) (the standard
  settings; equal to the Horodecki maximum 2√2 (4F − 1)/3 for a Werner pair) and
  the coherence ratio ⟨XX⟩_long/⟨XX⟩_short = e^(−Δt/T_pair) (a memory-decay estimate);
- at each repeater node, swap success counts and the fidelity of the swapped pair
  (:func:`qnetlab.repeaters.swap_bell_diagonal` with the node's ``gate_noise``).

Healthy windows jitter (fibre attenuation with temperature, detector efficiency, source
fidelity, visibility, T₂, gate noise) on top of the finite-sample noise.

**Faults** (:class:`Fault`) are component failures mapped to parameters: ``"detector"``
(η_d drops at a link's heralding station), ``"fiber_loss"`` (extra loss on arm a of a
link: a bend or bad splice), ``"source"`` (source fidelity drops), ``"misalignment"``
(interferometric visibility drops: polarisation/phase drift), ``"memory_t2"`` (T₂ of a
node's memory shortens) and ``"gate_noise"`` (depolarising gate noise of a repeater's
Bell measurement grows). A fault can be abrupt or a linear ramp over ``ramp`` windows.

**Here**: :func:`network_telemetry` (a time series with scheduled faults),
:func:`fault_dataset` (labelled windows, one random fault each) and
:func:`expected_features` (the noise-free prediction of the physics model). The tools that
read the telemetry sit on top: :mod:`qnetlab.ai.faults_diagnosis` (detection and diagnosis:
a physics-based matched-signature test and scikit-learn classifiers) and
:mod:`qnetlab.ai.faults_forecast` (predictive maintenance: alarms before a degrading link
crosses a service threshold).

>>> tel = network_telemetry(20, faults=[Fault("detector", 1, start=10)], seed=0)
>>> tel.features.shape
(20, 38)
>>> str(tel.kind[9]), str(tel.kind[10]), str(tel.component[10])
('healthy', 'detector', 'link 1')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._validation import (
    SeedLike,
    check_choice,
    check_in_range,
    check_integer,
    check_non_negative,
    check_positive,
    check_probability,
    check_real,
    check_size,
    make_rng,
    summary_block,
)
from ..channels import fiber_transmissivity
from ..repeaters.bell_diagonal import convolve_rows, correlators, decay_rows
from ..repeaters.links import heralding_probability
from ..repeaters.swapping import bsm_error_probabilities

__all__ = [
    "FAULT_KINDS",
    "LINK_FAULTS",
    "NODE_FAULTS",
    "ChainModel",
    "Fault",
    "NetworkTelemetry",
    "expected_features",
    "fault_dataset",
    "network_telemetry",
]

#: Faults located on a link (its source, fibre, heralding station).
LINK_FAULTS: tuple[str, ...] = ("detector", "fiber_loss", "source", "misalignment")
#: Faults located at a node (its memory or its Bell-measurement gates).
NODE_FAULTS: tuple[str, ...] = ("memory_t2", "gate_noise")
#: Every fault kind, plus ``"healthy"`` used as the label of fault-free windows.
FAULT_KINDS: tuple[str, ...] = LINK_FAULTS + NODE_FAULTS

_LINK_SIGNALS = (
    "herald_rate",
    "click_a",
    "click_b",
    "qber_z",
    "qber_x",
    "fidelity",
    "chsh",
    "coherence_ratio",
)
_NODE_SIGNALS = ("swap_success", "swap_fidelity")


@dataclass(frozen=True)
class ChainModel:
    """Nominal physics of the monitored repeater chain and of its monitoring.

    Times in seconds, lengths in km. ``t2_s`` is the single-qubit T₂ of every memory;
    ``jitter`` holds the relative (``attenuation``, ``detector``, ``t2``) or absolute
    (``visibility``, ``source``, ``gate_noise``, ``swap``) standard deviations of the
    healthy window-to-window variability. ``severity`` holds each fault's nominal size:
    the fractional drop of η_d, the extra loss in dB, the drop of source fidelity, the
    drop of visibility, the fractional drop of T₂ and the added gate noise.

    Parameters
    ----------
    n_links : int, optional
        Elementary links of the chain, in [2, 16] (``n_links + 1`` nodes).
    link_length_km : float, optional
        Length of each link (> 0).
    attenuation_db_per_km : float, optional
        Fibre loss (>= 0).
    detector_efficiency : float, optional
        Heralding detector efficiency η_d, in (0, 1].
    visibility : float, optional
        Interference visibility of the heralding measurement, in [0, 1].
    source_fidelity : float, optional
        Fidelity of the emitted pairs, in [0.25, 1].
    t2_s : float, optional
        Memory T₂ (> 0).
    gate_noise, swap_success : float, optional
        Depolarising probability of a swap's gates; probability a swap succeeds (in [0, 1]).
    attempts_per_window, test_pairs : int, optional
        Heralding attempts, and test pairs per Pauli basis, per link and window (>= 10).
    storage_short_s, storage_long_s : float, optional
        The two storage times of the memory test (0 <= short < long, long > 0).
    jitter : dict of str to float, optional
        Healthy window-to-window standard deviations (each >= 0), keys as above.
    severity : dict of str to float, optional
        Nominal size of each fault kind of :data:`FAULT_KINDS` (all must be present).

    Raises
    ------
    ValueError
        If a number is out of its range, ``storage_long_s <= storage_short_s``, or
        ``severity`` lacks a fault kind.
    TypeError
        If an integer field is not an integer, or ``jitter`` or ``severity`` is not a
        mapping.

    Examples
    --------
    >>> m = ChainModel()
    >>> m.n_links, m.n_nodes, m.repeaters
    (4, 5, (1, 2, 3))
    >>> round(m.herald_probability(), 4)
    0.1281
    """

    n_links: int = 4
    link_length_km: float = 25.0
    attenuation_db_per_km: float = 0.2
    detector_efficiency: float = 0.9
    visibility: float = 0.97
    source_fidelity: float = 0.98
    t2_s: float = 20e-3
    gate_noise: float = 0.005
    swap_success: float = 0.9
    attempts_per_window: int = 4000
    test_pairs: int = 150
    storage_short_s: float = 0.5e-3
    storage_long_s: float = 5e-3
    jitter: dict[str, float] = field(
        default_factory=lambda: {
            "attenuation": 0.02,
            "detector": 0.01,
            "visibility": 0.004,
            "source": 0.003,
            "t2": 0.08,
            "gate_noise": 0.001,
            "swap": 0.01,
        }
    )
    severity: dict[str, float] = field(
        default_factory=lambda: {
            "detector": 0.25,
            "fiber_loss": 1.5,
            "source": 0.05,
            "misalignment": 0.12,
            "memory_t2": 0.75,
            "gate_noise": 0.06,
        }
    )

    def __post_init__(self) -> None:
        check_integer(self.n_links, "n_links", minimum=2, maximum=16)
        check_positive(self.link_length_km, "link_length_km")
        check_non_negative(self.attenuation_db_per_km, "attenuation_db_per_km")
        check_in_range(
            self.detector_efficiency, "detector_efficiency", 0.0, 1.0, low_inclusive=False
        )
        check_probability(self.visibility, "visibility")
        check_in_range(self.source_fidelity, "source_fidelity", 0.25, 1.0)
        check_positive(self.t2_s, "t2_s")
        check_probability(self.gate_noise, "gate_noise")
        check_probability(self.swap_success, "swap_success")
        check_integer(self.attempts_per_window, "attempts_per_window", minimum=10)
        check_integer(self.test_pairs, "test_pairs", minimum=10)
        short = check_non_negative(self.storage_short_s, "storage_short_s")
        long = check_positive(self.storage_long_s, "storage_long_s")
        if not long > short:
            raise ValueError(
                f"storage_long_s must be greater than storage_short_s ({short:g}), got {long:g}"
            )
        for name in ("jitter", "severity"):
            if not isinstance(getattr(self, name), Mapping):
                raise TypeError(
                    f"{name} must be a dict from name to number, "
                    f"got {type(getattr(self, name)).__name__}"
                )
        for k, v in self.jitter.items():
            check_non_negative(v, f"jitter[{k!r}]")
        for k, v in self.severity.items():
            check_real(v, f"severity[{k!r}]")
        missing = set(FAULT_KINDS) - set(self.severity)
        if missing:
            raise ValueError(f"severity must give a size for every fault kind; missing {missing}")

    @property
    def n_nodes(self) -> int:
        """Number of nodes (end nodes and repeaters)."""
        return self.n_links + 1

    @property
    def repeaters(self) -> tuple[int, ...]:
        """Indices of the repeater nodes (those that swap)."""
        return tuple(range(1, self.n_links))

    @property
    def feature_names(self) -> tuple[str, ...]:
        """Names of the telemetry features, in the column order of ``NetworkTelemetry.features``."""
        names = [f"{s}[link {i}]" for i in range(self.n_links) for s in _LINK_SIGNALS]
        names += [f"{s}[node {r}]" for r in self.repeaters for s in _NODE_SIGNALS]
        return tuple(names)

    def herald_probability(self, extra_loss_db: float = 0.0, detector_scale: float = 1.0) -> float:
        """Nominal heralding probability η_a η_b / 2 of one link (Barrett–Kok).

        >>> round(ChainModel().herald_probability(extra_loss_db=3.0), 4)
        0.0641
        """
        eta = _arm(self.link_length_km, self.attenuation_db_per_km, self.detector_efficiency)
        eta *= detector_scale
        extra = fiber_transmissivity(extra_loss_db, 1.0)  # extra_loss_db dB at 1 dB/km
        return float(heralding_probability(eta * extra, eta))

    def hypotheses(self) -> tuple[str, ...]:
        """Every diagnosis label ``"kind@component"`` (``"healthy"`` first).

        >>> len(ChainModel().hypotheses())
        25
        """
        out = ["healthy"]
        for kind in LINK_FAULTS:
            out += [f"{kind}@link {i}" for i in range(self.n_links)]
        out += [f"memory_t2@node {j}" for j in range(self.n_nodes)]
        out += [f"gate_noise@node {r}" for r in self.repeaters]
        return tuple(out)

    def __repr__(self) -> str:
        """Short, one-line form; :meth:`summary` lists every parameter.

        >>> ChainModel()
        ChainModel(n_links=4, link_length_km=25, detector_efficiency=0.9, t2_s=0.02, ...)
        """
        return (
            f"ChainModel(n_links={self.n_links}, link_length_km={self.link_length_km:g}, "
            f"detector_efficiency={self.detector_efficiency:g}, t2_s={self.t2_s:g}, ...)"
        )

    def summary(self) -> str:
        """Every parameter of the model, one per line (a readable form of the full state).

        Returns
        -------
        str
            Lines ``name  value``; the ``jitter`` and ``severity`` entries appear as
            ``jitter[key]`` and ``severity[key]``.

        Examples
        --------
        >>> print(ChainModel(jitter={"t2": 0.1}).summary())
        ChainModel
          n_links                4
          link_length_km         25
        ...
          jitter[t2]             0.1
          severity[detector]     0.25
        ...
        """
        rows: list[tuple[str, Any]] = []
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, dict):
                rows += [(f"{f.name}[{k}]", v) for k, v in value.items()]
            else:
                rows.append((f.name, value))
        return summary_block("ChainModel", rows)


def _arm(length_km: float, attenuation: Any, eta_d: Any) -> Any:
    """Efficiency of one arm: L/2 of fibre (per-window attenuation α) and the detector."""
    # the arm's loss is α L/2 dB: the transmissivity of that many km at 1 dB/km
    loss_db = np.asarray(attenuation, dtype=float) * (length_km / 2)
    return fiber_transmissivity(loss_db, 1.0) * np.asarray(eta_d)


@dataclass(frozen=True)
class Fault:
    """A component failure: ``kind`` at ``location`` (a link index, or a node index for
    ``"memory_t2"``/``"gate_noise"``), starting at window ``start``.

    Parameters
    ----------
    kind : str
        One of :data:`FAULT_KINDS`.
    location : int
        Link index for :data:`LINK_FAULTS`, node index for :data:`NODE_FAULTS`.
    start : int, optional
        First window with the fault.
    ramp : int, optional
        0: abrupt; otherwise the size grows linearly and reaches ``severity`` after
        ``ramp`` windows.
    severity : float, optional
        Full size of the fault (default: the model's nominal size for ``kind``).

    Raises
    ------
    ValueError
        If ``kind`` is unknown or a number is negative.

    Examples
    --------
    >>> Fault("memory_t2", 2, start=5, ramp=10).fraction(np.arange(4, 17)).round(2).tolist()
    [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.0, 1.0]
    """

    kind: str
    location: int
    start: int = 0
    ramp: int = 0
    severity: float | None = None

    def __post_init__(self) -> None:
        check_choice(self.kind, "kind", FAULT_KINDS)
        check_integer(self.location, "location", minimum=0)
        check_integer(self.start, "start", minimum=0)
        check_integer(self.ramp, "ramp", minimum=0)
        if self.severity is not None:
            check_non_negative(self.severity, "severity")

    @property
    def component(self) -> str:
        """``"link i"`` or ``"node j"``."""
        return f"{'node' if self.kind in NODE_FAULTS else 'link'} {self.location}"

    def fraction(self, windows: ArrayLike) -> np.ndarray:
        """Fraction of the full fault present in each window (0 before ``start``)."""
        w = np.asarray(windows, dtype=float)
        if self.ramp == 0:
            return (w >= self.start).astype(float)
        return np.clip((w - self.start + 1) / self.ramp, 0.0, 1.0)


@dataclass(frozen=True)
class NetworkTelemetry:
    """Monitoring windows of a repeater chain and the ground truth behind them.

    Parameters
    ----------
    features : numpy.ndarray
        What the operator sees, shape (n_windows, n_features).
    feature_names : tuple of str
        The column names of ``features``.
    kind, component : numpy.ndarray
        Label of each window (``"healthy"``/``"none"`` when no fault is active).
    true_fidelity : numpy.ndarray
        Fidelity of each link's test pairs (after ``storage_short_s``) for the nominal
        parameters with the faults but without the healthy jitter, shape
        (n_windows, n_links): the trend a forecast is scored against.
    model : ChainModel
        The chain the telemetry comes from.

    Examples
    --------
    >>> tel = network_telemetry(4, faults=[Fault("source", 0, start=2)], seed=0)
    >>> tel.label.tolist()
    ['healthy', 'healthy', 'source@link 0', 'source@link 0']
    """

    features: np.ndarray
    feature_names: tuple[str, ...]
    kind: np.ndarray
    component: np.ndarray
    true_fidelity: np.ndarray
    model: ChainModel

    @property
    def n_windows(self) -> int:
        return int(self.features.shape[0])

    @property
    def label(self) -> np.ndarray:
        """Diagnosis labels ``"kind@component"`` (``"healthy"`` for healthy windows)."""
        return np.array(
            [k if k == "healthy" else f"{k}@{c}" for k, c in zip(self.kind, self.component)]
        )

    def signal(self, name: str) -> np.ndarray:
        """One feature column by name, e.g. ``"fidelity[link 2]"``.

        >>> network_telemetry(4, seed=0).signal("herald_rate[link 0]").shape
        (4,)
        """
        check_choice(name, "name", self.feature_names)
        return self.features[:, self.feature_names.index(name)]

    def __repr__(self) -> str:
        n_faulty = int(np.sum(self.kind != "healthy"))
        return (
            f"NetworkTelemetry(n_windows={self.n_windows}, n_features={len(self.feature_names)}, "
            f"faulty_windows={n_faulty})"
        )


# ---------------------------------------------------------------------------------------
# Physics: parameters per window -> signal means -> sampled telemetry
# ---------------------------------------------------------------------------------------


def _nominal_params(model: ChainModel, n: int) -> dict[str, np.ndarray]:
    L, N = model.n_links, model.n_nodes
    return {
        "attenuation": np.full((n, L), model.attenuation_db_per_km),
        "extra_loss_db": np.zeros((n, L)),
        "eta_d": np.full((n, L), model.detector_efficiency),
        "visibility": np.full((n, L), model.visibility),
        "source": np.full((n, L), model.source_fidelity),
        "t2": np.full((n, N), model.t2_s),
        "gate_noise": np.full((n, N), model.gate_noise),
        "swap": np.full((n, N), model.swap_success),
    }


def _jitter(model: ChainModel, p: dict[str, np.ndarray], rng: np.random.Generator) -> None:
    j = model.jitter
    p["attenuation"] *= 1 + j.get("attenuation", 0) * rng.standard_normal(p["attenuation"].shape)
    p["eta_d"] *= 1 + j.get("detector", 0) * rng.standard_normal(p["eta_d"].shape)
    p["visibility"] += j.get("visibility", 0) * rng.standard_normal(p["visibility"].shape)
    p["source"] += j.get("source", 0) * rng.standard_normal(p["source"].shape)
    p["t2"] *= np.exp(j.get("t2", 0) * rng.standard_normal(p["t2"].shape))
    p["gate_noise"] += j.get("gate_noise", 0) * rng.standard_normal(p["gate_noise"].shape)
    p["swap"] += j.get("swap", 0) * rng.standard_normal(p["swap"].shape)


def _apply_fault(p: dict[str, np.ndarray], kind: str, loc: int, rows: Any, size: Any) -> None:
    if kind == "detector":
        p["eta_d"][rows, loc] *= 1 - size
    elif kind == "fiber_loss":
        p["extra_loss_db"][rows, loc] += size
    elif kind == "source":
        p["source"][rows, loc] -= size
    elif kind == "misalignment":
        p["visibility"][rows, loc] -= size
    elif kind == "memory_t2":
        p["t2"][rows, loc] *= 1 - size
    else:  # gate_noise
        p["gate_noise"][rows, loc] += size


def _clip(p: dict[str, np.ndarray]) -> None:
    np.clip(p["eta_d"], 1e-6, 1.0, out=p["eta_d"])
    np.clip(p["visibility"], 0.0, 1.0, out=p["visibility"])
    np.clip(p["source"], 0.25, 1.0, out=p["source"])
    np.clip(p["t2"], 1e-9, None, out=p["t2"])
    np.clip(p["gate_noise"], 0.0, 1.0, out=p["gate_noise"])
    np.clip(p["swap"], 0.0, 1.0, out=p["swap"])
    np.clip(p["attenuation"], 0.0, None, out=p["attenuation"])


def _link_states(model: ChainModel, p: dict[str, np.ndarray], t: float) -> np.ndarray:
    """Bell-diagonal coefficients (n, L, 4) of each link's pair after storage ``t``."""
    n, L = p["visibility"].shape
    v = p["visibility"]
    c = np.stack([(1 + v) / 2, 0 * v, 0 * v, (1 - v) / 2], axis=-1)
    w = (4 * p["source"] - 1) / 3
    c = w[..., None] * c + (1 - w[..., None]) / 4
    rate = 1 / p["t2"][:, :-1] + 1 / p["t2"][:, 1:]  # two memories per link
    # decay_rows takes one coherence time: fold each pair's decay rate into its time instead.
    flat = decay_rows(c.reshape(-1, 4), (t * rate).reshape(-1), 1.0, "dephasing")
    return flat.reshape(n, L, 4)


def _signal_means(model: ChainModel, p: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    eta = _arm(model.link_length_km, p["attenuation"], p["eta_d"])
    eta_a = eta * fiber_transmissivity(p["extra_loss_db"], 1.0)  # extra loss in dB
    c_short = _link_states(model, p, model.storage_short_s)
    c_long = _link_states(model, p, model.storage_long_s)
    swapped = []
    for r in model.repeaters:
        s = convolve_rows(c_short[:, r - 1], c_short[:, r])
        noise = np.array([bsm_error_probabilities(float(g), 0.0) for g in p["gate_noise"][:, r]])
        swapped.append(convolve_rows(s, noise))
    return {
        "eta_a": eta_a,
        "eta_b": eta,
        "corr_short": correlators(c_short),
        "corr_long_xx": correlators(c_long)[..., 0],
        "corr_swap": correlators(np.stack(swapped, axis=1)),
        "swap": p["swap"][:, 1:-1],
    }


def _features_from(
    model: ChainModel, m: dict[str, np.ndarray], rng: np.random.Generator | None
) -> np.ndarray:
    """NetworkTelemetry features; ``rng=None`` gives the noise-free means (expected telemetry)."""
    n_att, n_t = model.attempts_per_window, model.test_pairs

    def binom(k: int, prob: np.ndarray) -> np.ndarray:
        prob = np.clip(prob, 0.0, 1.0)
        return prob if rng is None else rng.binomial(k, prob) / k

    def corr(e: np.ndarray) -> np.ndarray:  # estimate of a ±1 correlator from n_t shots
        return 2 * binom(n_t, (1 + e) / 2) - 1

    herald = binom(n_att, heralding_probability(m["eta_a"], m["eta_b"]))
    click_a = binom(n_att, m["eta_a"])
    click_b = binom(n_att, m["eta_b"])
    xx, yy, zz = (corr(m["corr_short"][..., k]) for k in range(3))
    xx_long = corr(m["corr_long_xx"])
    fid = (1 + xx - yy + zz) / 4
    chsh = np.sqrt(2) * (xx + zz)  # standard settings: E(a,b)+E(a,b')+E(a',b)−E(a',b')
    ratio = xx_long / np.maximum(np.abs(xx), 0.05)
    link = np.stack([herald, click_a, click_b, (1 - zz) / 2, (1 - xx) / 2, fid, chsh, ratio], -1)
    sxx, syy, szz = (corr(m["corr_swap"][..., k]) for k in range(3))
    swap_fid = (1 + sxx - syy + szz) / 4
    swap_ok = binom(n_t, m["swap"])
    node = np.stack([swap_ok, swap_fid], -1)
    n = link.shape[0]
    return np.concatenate([link.reshape(n, -1), node.reshape(n, -1)], axis=1)


def _check_model(model: ChainModel | None) -> ChainModel:
    if model is None:
        return ChainModel()
    if not isinstance(model, ChainModel):
        raise TypeError(f"model must be a ChainModel or None, got {type(model).__name__}")
    return model


def _check_fault_location(model: ChainModel, fault: Fault) -> None:
    if fault.kind in LINK_FAULTS:
        check_integer(fault.location, "fault.location", 0, model.n_links - 1)
    elif fault.kind == "memory_t2":
        check_integer(fault.location, "fault.location", 0, model.n_nodes - 1)
    else:
        check_integer(fault.location, "fault.location", 1, model.n_links - 1)


def network_telemetry(
    n_windows: int,
    *,
    faults: Sequence[Fault] = (),
    model: ChainModel | None = None,
    jitter: bool = True,
    seed: SeedLike = None,
) -> NetworkTelemetry:
    """Simulate ``n_windows`` monitoring windows of a repeater chain with scheduled faults.

    Each window draws healthy parameter jitter (unless ``jitter=False``), applies the
    faults active in it, and samples the telemetry (herald and click counts out of
    ``attempts_per_window``; Pauli correlators of ``test_pairs`` pairs per basis). A
    window is labelled by the first active fault (faults may overlap; the label then
    names the earliest in ``faults``).

    Parameters
    ----------
    n_windows : int
        Number of monitoring windows, at least 1.
    faults : sequence of Fault, optional
        Scheduled faults (their locations must exist in ``model``).
    model : ChainModel, optional
        The monitored chain (default: ``ChainModel()``).
    jitter : bool, optional
        Draw the healthy window-to-window variability.
    seed : int, numpy.random.Generator or None, optional
        Seed of the jitter and the sampling noise.

    Returns
    -------
    NetworkTelemetry
        Features, labels and the noise-free fidelity trend of every window.

    Raises
    ------
    TypeError
        If ``faults`` holds something other than :class:`Fault` or ``model`` is not a
        :class:`ChainModel`.
    ValueError
        If ``n_windows`` or a fault location is out of range.

    Examples
    --------
    >>> tel = network_telemetry(3, seed=1)
    >>> tel.kind.tolist(), round(float(tel.signal("fidelity[link 0]").mean()), 1)
    (['healthy', 'healthy', 'healthy'], 1.0)
    """
    n = check_size(
        n_windows, "n_windows", minimum=1, maximum=10**6, hint="split the work over several calls"
    )
    model = _check_model(model)
    faults = tuple(faults)
    for f in faults:
        if not isinstance(f, Fault):
            raise TypeError(f"faults must hold Fault objects, got {type(f).__name__}")
        _check_fault_location(model, f)
    rng = make_rng(seed)
    p = _nominal_params(model, n)
    p0 = _nominal_params(model, n)  # no jitter: the trend an operator wants to track
    if jitter:
        _jitter(model, p, rng)
    kind = np.full(n, "healthy", dtype=object)
    comp = np.full(n, "none", dtype=object)
    w = np.arange(n)
    for f in reversed(faults):
        frac = f.fraction(w)
        size = model.severity[f.kind] if f.severity is None else f.severity
        for q in (p, p0):
            _apply_fault(q, f.kind, f.location, slice(None), frac * size)
        active = frac > 0
        kind[active], comp[active] = f.kind, f.component
    _clip(p)
    _clip(p0)
    means = _signal_means(model, p)
    feats = _features_from(model, means, rng)
    truth = _link_states(model, p0, model.storage_short_s)[..., 0]
    return NetworkTelemetry(
        features=feats,
        feature_names=model.feature_names,
        kind=kind.astype(str),
        component=comp.astype(str),
        true_fidelity=truth,
        model=model,
    )


def fault_dataset(
    n_per_class: int,
    *,
    model: ChainModel | None = None,
    severity_range: tuple[float, float] = (0.4, 1.5),
    seed: SeedLike = None,
) -> NetworkTelemetry:
    """Labelled windows for training and testing diagnosers: ``n_per_class`` per hypothesis.

    Every hypothesis of :meth:`ChainModel.hypotheses` (healthy, each link fault on each
    link, each node fault on each node) gets ``n_per_class`` independent windows; a faulty
    window's size is the nominal severity times a factor drawn uniformly from
    ``severity_range``, so small faults hide in the healthy jitter. Rows are shuffled.

    Parameters
    ----------
    n_per_class : int
        Windows per hypothesis, at least 1.
    model : ChainModel, optional
        The monitored chain (default: ``ChainModel()``).
    severity_range : tuple of float, optional
        (low, high) range of the factor on each fault's nominal severity.
    seed : int, numpy.random.Generator or None, optional
        Seed of the jitter, the fault sizes, the sampling noise and the shuffle.

    Returns
    -------
    NetworkTelemetry
        ``n_per_class × len(model.hypotheses())`` labelled windows.

    Raises
    ------
    ValueError
        If ``n_per_class`` or ``severity_range`` is out of range.

    Examples
    --------
    >>> data = fault_dataset(2, seed=0)
    >>> data.n_windows, len(set(data.label))
    (50, 25)
    """
    k = check_size(
        n_per_class,
        "n_per_class",
        minimum=1,
        maximum=10**5,
        hint="draw several smaller datasets and concatenate them",
    )
    model = _check_model(model)
    if isinstance(severity_range, (str, bytes)) or np.shape(severity_range) != (2,):
        raise ValueError(f"severity_range must be a (low, high) pair, got {severity_range!r}")
    lo = check_non_negative(severity_range[0], "severity_range[0]")
    hi = check_non_negative(severity_range[1], "severity_range[1]")
    if hi < lo:
        raise ValueError(
            f"severity_range must be (low, high) with low <= high, got {severity_range}"
        )
    rng = make_rng(seed)
    hyps = model.hypotheses()
    labels = np.repeat(np.array(hyps), k)
    n = labels.size
    p = _nominal_params(model, n)
    p0 = _nominal_params(model, n)
    _jitter(model, p, rng)
    kind = np.full(n, "healthy", dtype=object)
    comp = np.full(n, "none", dtype=object)
    factor = rng.uniform(lo, hi, n)
    for h in hyps[1:]:
        fk, where = h.split("@")
        rows = np.flatnonzero(labels == h)
        loc = int(where.split()[1])
        for q in (p, p0):
            _apply_fault(q, fk, loc, rows, factor[rows] * model.severity[fk])
        kind[rows], comp[rows] = fk, where
    _clip(p)
    _clip(p0)
    means = _signal_means(model, p)
    feats = _features_from(model, means, rng)
    truth = _link_states(model, p0, model.storage_short_s)[..., 0]
    order = rng.permutation(n)
    return NetworkTelemetry(
        features=feats[order],
        feature_names=model.feature_names,
        kind=kind.astype(str)[order],
        component=comp.astype(str)[order],
        true_fidelity=truth[order],
        model=model,
    )


def expected_features(model: ChainModel | None = None, fault: Fault | None = None) -> np.ndarray:
    """Noise-free telemetry of the nominal chain (with ``fault`` at full size if given).

    The physics model's prediction of every feature, in ``model.feature_names`` order.

    Parameters
    ----------
    model : ChainModel, optional
        The monitored chain (default: ``ChainModel()``).
    fault : Fault, optional
        A fault applied at its full size (its ``severity``, else the model's nominal one).

    Returns
    -------
    numpy.ndarray
        The expected feature vector.

    Raises
    ------
    TypeError
        If ``model`` is not a :class:`ChainModel`.
    ValueError
        If the fault's location is not in the chain.

    Examples
    --------
    >>> m = ChainModel()
    >>> i = m.feature_names.index("click_a[link 0]")
    >>> x0, x1 = expected_features(m), expected_features(m, Fault("fiber_loss", 0, severity=3.0))
    >>> round(float(x1[i] / x0[i]), 4)
    0.5012
    """
    model = _check_model(model)
    p = _nominal_params(model, 1)
    if fault is not None:
        _check_fault_location(model, fault)
        size = model.severity[fault.kind] if fault.severity is None else fault.severity
        _apply_fault(p, fault.kind, fault.location, slice(None), size)
    _clip(p)
    return _features_from(model, _signal_means(model, p), None)[0]
