"""A machine-learning QKD protocol selector (after Okey et al. 2022, the survey's ref. [17]).

Which protocol gives the most secret key depends on the link: distance and fibre loss,
detector efficiency and dark counts, misalignment, and which sources are available.
The selector learns that map from simulated links. For every link the *oracle* evaluates
the key-rate theory of each candidate protocol (:mod:`qnetlab.qkd.theory`) and labels
the link with the best one (or ``"none"`` when no protocol makes key); a scikit-learn
classifier is trained on the link parameters and scored on held-out links by accuracy
and by *regret*: the key rate lost against the oracle.

Candidates (bits per source trigger):

- ``decoy_bb84`` — weak coherent pulses with vacuum + weak decoys (μ tuned per link);
- ``bb84_wcp`` — weak coherent pulses without decoys (GLLP, μ tuned per link);
- ``bb84_sps`` / ``six_state_sps`` — a single-photon source of efficiency p_sps;
- ``bbm92`` — an entangled-pair source of efficiency p_pair in the middle of the link.

>>> sel = train_protocol_selector(400, seed=0)
>>> score = sel.evaluate(200, seed=1)
>>> score.accuracy > score.baseline_accuracy
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._validation import SeedLike, check_choice, check_integer, check_size, make_rng
from ..qkd.link import LinkModel
from ..qkd.theory import (
    decoy_vacuum_weak_key_rate,
    entangled_key_rate,
    gllp_key_rate,
    single_photon_key_rate,
)
from ..results import ResultMixin

__all__ = [
    "FEATURES",
    "PROTOCOLS",
    "SELECTOR_METHODS",
    "LossRule",
    "ProtocolSelector",
    "SelectorScore",
    "link_regret",
    "protocol_key_rates",
    "sample_link_conditions",
    "score_choices",
    "train_protocol_selector",
]

PROTOCOLS: tuple[str, ...] = ("decoy_bb84", "bb84_wcp", "bb84_sps", "six_state_sps", "bbm92")
FEATURES: tuple[str, ...] = (
    "distance_km",
    "attenuation_db_per_km",
    "detector_efficiency",
    "log10_dark_count",
    "misalignment",
    "sps_efficiency",
    "pair_efficiency",
)
#: Sampling ranges of the simulated links (uniform; the dark count is log-uniform).
RANGES: dict[str, tuple[float, float]] = {
    "distance_km": (0.0, 250.0),
    "attenuation_db_per_km": (0.16, 0.35),
    "detector_efficiency": (0.05, 0.9),
    "log10_dark_count": (-7.0, -4.0),
    "misalignment": (0.0, 0.06),
    "sps_efficiency": (0.02, 0.6),
    "pair_efficiency": (0.02, 0.6),
}
_MU_GRID = np.geomspace(0.02, 1.0, 10)
#: Selector methods of :func:`train_protocol_selector` (as ``train_diagnoser``'s ``method``).
SELECTOR_METHODS: tuple[str, ...] = ("random_forest", "gradient_boosting", "loss_rule")


def sample_link_conditions(n_links: int, *, seed: SeedLike = None) -> np.ndarray:
    """Draw ``n_links`` random link conditions, one row per link, columns :data:`FEATURES`.

    Parameters
    ----------
    n_links : int
        Links to draw (>= 1).
    seed : int, Generator or None, optional
        Randomness of the draw.

    Returns
    -------
    numpy.ndarray
        Shape (n_links, 7), columns :data:`FEATURES`, uniform in :data:`RANGES`.

    Examples
    --------
    >>> sample_link_conditions(3, seed=0).shape
    (3, 7)
    """
    n = check_size(
        n_links, "n_links", minimum=1, maximum=10**6, hint="sample several smaller batches"
    )
    rng = make_rng(seed)
    return np.column_stack([rng.uniform(*RANGES[f], size=n) for f in FEATURES])


def _link_of(row: np.ndarray) -> LinkModel:
    d, alpha, eta_d, logy0, ed, _, _ = (float(x) for x in row)
    return LinkModel(
        length_km=d,
        attenuation_db_per_km=alpha,
        detector_efficiency=eta_d,
        dark_count_prob=10.0**logy0,
        misalignment=ed,
        ec_efficiency=1.16,
    )


def protocol_key_rates(conditions: ArrayLike) -> np.ndarray:
    """Key rate of every protocol in :data:`PROTOCOLS` on every link (rows of ``conditions``).

    Parameters
    ----------
    conditions : array_like
        Link conditions, shape (n_links, 7), columns :data:`FEATURES`.

    Returns
    -------
    numpy.ndarray
        Shape (n_links, 5): the key rate (bits per source trigger) of each protocol.

    Raises
    ------
    ValueError
        If ``conditions`` has the wrong number of columns.

    Examples
    --------
    >>> protocol_key_rates(sample_link_conditions(2, seed=0)).shape
    (2, 5)
    """
    x = _as_float_array(conditions, "conditions")
    if x.shape[1] != len(FEATURES):
        raise ValueError(
            f"conditions must have {len(FEATURES)} columns {FEATURES}, got {x.shape[1]}"
        )
    out = np.zeros((x.shape[0], len(PROTOCOLS)))
    for i, row in enumerate(x):
        try:
            link = _link_of(row)
        except ValueError as exc:
            raise ValueError(f"conditions row {i} is not a valid link: {exc}") from None
        d = link.length_km
        out[i, 0] = max(
            decoy_vacuum_weak_key_rate(d, float(m), min(0.05, 0.5 * float(m)), link=link)
            for m in _MU_GRID
        )
        out[i, 1] = max(gllp_key_rate(d, float(m), link=link) for m in _MU_GRID)
        out[i, 2] = single_photon_key_rate(d, link=link, protocol="bb84", source_efficiency=row[5])
        out[i, 3] = single_photon_key_rate(
            d, link=link, protocol="six_state", source_efficiency=row[5]
        )
        out[i, 4] = entangled_key_rate(d, link=link, source_efficiency=row[6])
    return out


def _labels(rates: np.ndarray) -> np.ndarray:
    names = np.array((*PROTOCOLS, "none"))
    best = np.argmax(rates, axis=1)
    best = np.where(rates.max(axis=1) > 0, best, len(PROTOCOLS))
    return names[best]


def _features(conditions: np.ndarray) -> np.ndarray:
    x = np.atleast_2d(conditions)
    if x.ndim != 2 or x.shape[1] != len(FEATURES):
        raise ValueError(
            f"conditions must have {len(FEATURES)} columns {FEATURES}, got shape {x.shape}"
        )
    loss_db = x[:, 0] * x[:, 1] - 10 * np.log10(x[:, 2])
    return np.column_stack([x, loss_db])


def _as_float_array(value: Any, name: str) -> np.ndarray:
    try:
        x = np.atleast_2d(np.asarray(value, dtype=float))
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a 2-D array of numbers, got {type(value).__name__}"
        ) from None
    if x.ndim != 2:
        raise ValueError(f"{name} must be 2-D, got shape {x.shape}")
    return x


def _check_rates(rates: Any) -> np.ndarray:
    r = _as_float_array(rates, "rates")
    if r.shape[1] != len(PROTOCOLS):
        raise ValueError(f"rates must have shape (n_links, {len(PROTOCOLS)}), got {r.shape}")
    if not np.all(np.isfinite(r)) or np.any(r < 0):
        raise ValueError("rates must be finite and non-negative")
    return r


def _chosen_rates(choices: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """Key rate of each link's chosen protocol ("none" makes no key)."""
    names = list(PROTOCOLS)
    bad = sorted({str(p) for p in choices.tolist() if p not in names and p != "none"})
    if bad:
        raise ValueError(
            f"choices must be protocol names of {(*PROTOCOLS, 'none')}; got {bad[0]!r}"
        )
    idx = np.array([names.index(p) if p in names else -1 for p in choices.tolist()], dtype=int)
    return np.where(idx >= 0, rates[np.arange(len(rates)), np.clip(idx, 0, None)], 0.0)


def link_regret(choices: ArrayLike, rates: ArrayLike) -> np.ndarray:
    """Per-link regret: the fraction of the oracle's key rate lost on each link.

    ``choices`` are protocol names of :data:`PROTOCOLS` or ``"none"`` (makes no key);
    ``rates`` the oracle's table from :func:`protocol_key_rates`. Links where no protocol
    makes key (the oracle's "none") are dropped: there is nothing to lose there.

    Parameters
    ----------
    choices : array_like of str
        One protocol name per link.
    rates : array_like
        The oracle's rates, shape (n_links, 5).

    Returns
    -------
    numpy.ndarray
        Regret in [0, 1] per link where some protocol makes key.

    Raises
    ------
    ValueError
        If the shapes do not match, a rate is negative or a choice is not a protocol
        name of :data:`PROTOCOLS` or ``"none"``.

    Examples
    --------
    >>> r = np.array([[4.0, 1.0, 0, 0, 0], [0.0, 0, 0, 0, 0], [1.0, 3.0, 0, 0, 0]])
    >>> link_regret(["decoy_bb84", "none", "decoy_bb84"], r).tolist()
    [0.0, 0.6666666666666667]
    """
    r = _check_rates(rates)
    c = np.atleast_1d(np.asarray(choices))
    if c.shape != (r.shape[0],):
        raise ValueError(
            f"rates must have shape (n_links, {len(PROTOCOLS)}) and choices one name per link, "
            f"got {r.shape} and {c.shape}"
        )
    chosen = _chosen_rates(c, r)
    oracle = r.max(axis=1)
    ok = oracle > 0
    return 1.0 - chosen[ok] / oracle[ok]


@dataclass(frozen=True)
class SelectorScore(ResultMixin):
    """Held-out performance of a protocol selector against the oracle.

    ``regret`` is the fraction of the oracle's total key rate lost by following the
    selector (key-weighted: dominated by the short, high-rate links); ``link_regrets`` is
    the fraction lost on each link where some protocol makes key (:func:`link_regret`), so
    that a long link whose key is wasted counts as much as a short one. The ``baseline_*``
    numbers are for always choosing decoy BB84.

    Parameters
    ----------
    n_links : int
        Links scored.
    accuracy : float
        Fraction of links where the choice is the oracle's.
    regret : float
        Key-weighted fraction of the oracle's key lost.
    baseline_accuracy, baseline_regret : float
        The same for always choosing decoy BB84.
    link_regrets : numpy.ndarray, optional
        Fraction of key lost on each link where some protocol makes key.

    Examples
    --------
    >>> s = SelectorScore(4, 0.75, 0.1, 0.5, 0.3, np.array([0.0, 0.0, 0.0, 0.4]))
    >>> s.median_link_regret, s.worst5_link_regret, s.lossless_fraction
    (0.0, 0.4, 0.75)
    """

    n_links: int
    accuracy: float
    regret: float
    baseline_accuracy: float
    baseline_regret: float
    link_regrets: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False, compare=False)

    @property
    def median_link_regret(self) -> float:
        """Median per-link regret."""
        return float(np.median(self.link_regrets)) if self.link_regrets.size else 0.0

    @property
    def worst5_link_regret(self) -> float:
        """Mean per-link regret over the worst 5 % of links (their expected shortfall)."""
        x = np.sort(self.link_regrets)[::-1]
        if x.size == 0:
            return 0.0
        return float(np.mean(x[: max(1, int(np.ceil(0.05 * x.size)))]))

    @property
    def lossless_fraction(self) -> float:
        """Fraction of links where the choice loses no key (regret below 10⁻⁹)."""
        return float(np.mean(self.link_regrets < 1e-9)) if self.link_regrets.size else 1.0


def score_choices(choices: ArrayLike, rates: ArrayLike) -> SelectorScore:
    """Accuracy, key-weighted regret and per-link regrets of any per-link protocol choice.

    Parameters
    ----------
    choices : array_like of str
        One protocol name per link.
    rates : array_like
        The oracle's rates, shape (n_links, 5).

    Returns
    -------
    SelectorScore
        Accuracy, regrets and the always-decoy-BB84 baseline.

    Raises
    ------
    ValueError
        As :func:`link_regret`: shapes, negative rates or an unknown protocol name.

    Examples
    --------
    >>> r = np.array([[4.0, 1.0, 0, 0, 0], [1.0, 3.0, 0, 0, 0]])
    >>> s = score_choices(["decoy_bb84", "decoy_bb84"], r)
    >>> s.accuracy, round(s.regret, 3), s.link_regrets.round(3).tolist()
    (0.5, 0.286, [0.0, 0.667])
    """
    r = _check_rates(rates)
    c = np.atleast_1d(np.asarray(choices))
    per_link = link_regret(c, r)
    truth = _labels(r)
    chosen = _chosen_rates(c, r)
    total = r.max(axis=1).sum()
    base = r[:, 0]
    return SelectorScore(
        n_links=len(r),
        accuracy=float(np.mean(c == truth)),
        regret=float(1.0 - chosen.sum() / total) if total > 0 else 0.0,
        baseline_accuracy=float(np.mean(truth == PROTOCOLS[0])),
        baseline_regret=float(1.0 - base.sum() / total) if total > 0 else 0.0,
        link_regrets=per_link,
    )


class LossRule:
    """A classical rule of thumb: the best protocol per bin of total loss (dB).

    Training links are cut into ``n_bins`` quantile bins of the total loss
    (fibre + detector, the last column of the selector's features); each bin gets the
    protocol with the most key summed over its training links (``"none"`` if none makes
    key). Prediction looks up the bin. One feature, no learning beyond a lookup table:
    the baseline the classifier must beat with the same training links.

    Parameters
    ----------
    n_bins : int, default 20
        Quantile bins of the total loss, ≥ 1.

    Raises
    ------
    ValueError
        If ``n_bins`` is below 1.

    Examples
    --------
    >>> x = sample_link_conditions(300, seed=0)
    >>> rule = LossRule().fit(_features(x), protocol_key_rates(x))
    >>> rule.predict(_features(x[:2])).shape
    (2,)
    """

    def __init__(self, n_bins: int = 20) -> None:
        self.n_bins = check_integer(n_bins, "n_bins", minimum=1)
        self.edges: np.ndarray | None = None
        self.labels: np.ndarray | None = None

    def fit(self, features: ArrayLike, rates: ArrayLike) -> LossRule:
        """Bin the training links by total loss and label every bin."""
        f = _as_float_array(features, "features")
        r = _check_rates(rates)
        if f.shape[0] != r.shape[0] or f.shape[0] == 0:
            raise ValueError(
                f"features and rates must have the same (non-zero) number of rows, "
                f"got {f.shape[0]} and {r.shape[0]}"
            )
        loss = f[:, -1]
        edges = np.unique(np.quantile(loss, np.linspace(0, 1, self.n_bins + 1)[1:-1]))
        b = np.searchsorted(edges, loss)
        names = np.array((*PROTOCOLS, "none"))
        labels = []
        for k in range(edges.size + 1):
            tot = r[b == k].sum(axis=0)
            labels.append(names[int(np.argmax(tot))] if tot.max() > 0 else "none")
        self.edges, self.labels = edges, np.array(labels)
        return self

    def predict(self, features: ArrayLike) -> np.ndarray:
        """The bin's protocol for every link."""
        if self.edges is None or self.labels is None:
            raise ValueError("LossRule must be fitted before predicting")
        f = _as_float_array(features, "features")
        return self.labels[np.searchsorted(self.edges, f[:, -1])]


class ProtocolSelector:
    """A fitted classifier from link conditions to the best protocol's name.

    Built by :func:`train_protocol_selector`.

    Parameters
    ----------
    model : object
        A fitted scikit-learn classifier on the selector's link features.

    Examples
    --------
    >>> sel = train_protocol_selector(300, seed=2)
    >>> sel.predict(sample_link_conditions(2, seed=3)).shape
    (2,)
    """

    def __init__(self, model: Any) -> None:
        self.model = model

    def predict(self, conditions: ArrayLike) -> np.ndarray:
        """Predicted protocol name per link."""
        return self.model.predict(_features(np.asarray(conditions, dtype=float)))

    def score(self, conditions: ArrayLike, rates: ArrayLike) -> SelectorScore:
        """Accuracy and key-rate regret on links with known ``rates`` (from the oracle)."""
        return score_choices(self.predict(conditions), rates)

    def evaluate(self, n_links: int = 500, *, seed: SeedLike = None) -> SelectorScore:
        """Score on ``n_links`` fresh random links."""
        x = sample_link_conditions(n_links, seed=seed)
        return self.score(x, protocol_key_rates(x))

    def __repr__(self) -> str:
        return f"ProtocolSelector(model={type(self.model).__name__})"


def train_protocol_selector(
    n_links: int = 2000,
    *,
    method: str = "random_forest",
    seed: SeedLike = None,
) -> ProtocolSelector:
    """Simulate ``n_links`` links, label them with the oracle and fit a classifier.

    ``method`` is ``"random_forest"`` (scikit-learn ``RandomForestClassifier``, 200 trees),
    ``"gradient_boosting"`` (``HistGradientBoostingClassifier``) or ``"loss_rule"``
    (the classical :class:`LossRule` on the same links).

    Parameters
    ----------
    n_links : int, optional
        Training links (>= 10).
    method : {"random_forest", "gradient_boosting", "loss_rule"}, optional
        The classifier (:data:`SELECTOR_METHODS`).
    seed : int, Generator or None, optional
        Randomness of the links and of the classifier.

    Returns
    -------
    ProtocolSelector
        The fitted selector.

    Raises
    ------
    ValueError
        If ``n_links`` is below 10 or ``method`` unknown.

    Examples
    --------
    >>> train_protocol_selector(100, seed=0)
    ProtocolSelector(model=RandomForestClassifier)
    """
    n = check_size(
        n_links, "n_links", minimum=10, maximum=10**6, hint="sample several smaller batches"
    )
    check_choice(method, "method", SELECTOR_METHODS)
    rng = make_rng(seed)
    x = sample_link_conditions(n, seed=rng)
    rates = protocol_key_rates(x)
    if method == "loss_rule":
        return ProtocolSelector(LossRule().fit(_features(x), rates))
    y = _labels(rates)
    state = int(rng.integers(0, 2**31 - 1))
    if method == "random_forest":
        from sklearn.ensemble import RandomForestClassifier

        clf: Any = RandomForestClassifier(n_estimators=200, random_state=state, n_jobs=1)
    else:
        from sklearn.ensemble import HistGradientBoostingClassifier

        clf = HistGradientBoostingClassifier(random_state=state)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # small data: threads only contend with other work
        clf.fit(_features(x), y)
    return ProtocolSelector(clf)
