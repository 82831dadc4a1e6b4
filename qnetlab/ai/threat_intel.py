"""Threat intelligence for a QKD network: a threat taxonomy, shared indicators, fusion.

Each link of a network (a :class:`networkx.Graph` whose edges carry a transmitter ``tx``,
a receiver ``rx`` and a fibre ``duct``) is watched by the per-link countermeasure bank of
:mod:`qnetlab.ai.attack_detection`, fed with telemetry windows of
:func:`qnetlab.qkd.device_attacks.device_telemetry`. Nodes share **indicators**, the
per-link test statistics of every window (:func:`share_indicators`). An attack
**campaign** is one threat of the taxonomy :data:`THREATS` at one location: a fibre duct
(all links through it), a node (all links it receives on, or transmits on) or one link.

Two analysts read the same indicators:

- :class:`PerLinkThresholds`: every link alarms on its own (largest test statistic above a
  threshold); the campaign is named from the strongest link alone (its threat of scope
  "link") and located at the set of links that alarm.
- :class:`GraphFusion`: enumerates every (threat, location) hypothesis the graph allows and
  scores it by the matched-filter statistic Σ z / √k of the threat's signature test over
  its k links (the likelihood-ratio statistic of a common shift), accumulated over windows
  by Page's CUSUM; it alarms on the best hypothesis and names threat and location at once.

The taxonomy, the network helpers, the telemetry pool, campaigns and indicators live in
:mod:`qnetlab.ai.threat_campaigns` and are re-exported here. Both thresholds are set on
normal windows for the same network-wide false-alarm rate.
:func:`evaluate_campaigns` measures attribution accuracy and time to detection on
campaigns neither analyst has seen.

>>> net = metro_network()
>>> net.number_of_edges(), len(ducts(net))
(12, 9)
>>> [t.name for t in THREATS][:2]
['duct_tap', 'receiver_blinding']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from .._validation import SeedLike, check_in_range, check_integer, check_non_negative, make_rng
from ..results import ResultMixin
from .attack_detection import COUNTERMEASURES, CountermeasureBank
from .threat_campaigns import (
    _TESTS,
    THREATS,
    Campaign,
    Indicator,
    TelemetryPool,
    Threat,
    _check_network,
    _threat,
    affected_links,
    ducts,
    hypotheses,
    metro_network,
    random_campaigns,
    run_campaign,
    share_indicators,
)

__all__ = [
    "THREATS",
    "Campaign",
    "CampaignResult",
    "GraphFusion",
    "Indicator",
    "LearnedPerLink",
    "PerLinkThresholds",
    "TelemetryPool",
    "Threat",
    "affected_links",
    "ducts",
    "evaluate_campaigns",
    "hypotheses",
    "metro_network",
    "random_campaigns",
    "run_campaign",
    "share_indicators",
]


def _stats(bank: CountermeasureBank, X: np.ndarray) -> np.ndarray:
    """Test statistics (steps, links, tests) of a history."""
    s, m, f = X.shape
    return bank.test_statistics(X.reshape(s * m, f)).reshape(s, m, -1)


_SCOPE_OF = {"intercept_resend": "link_intercept", "time_shift": "link_time_shift"}
_LINK_NAME = {
    "intercept_resend": "link_intercept",
    "blinding": "receiver_blinding",
    "trojan_horse": "transmitter_trojan",
    "time_shift": "link_time_shift",
    "efficiency_mismatch": "link_time_shift",
}


class PerLinkThresholds:
    """Baseline analyst: each link alarms on its own largest statistic.

    Calibrated on normal histories so that a fraction ``false_alarm`` of the windows
    raise a network alarm (any link above the threshold). The alarm names the threat of
    the strongest link's firing test (as a single-link threat for QBER and timing, as
    the node threat for blinding and the Trojan horse) and locates it at the set of
    alarming links.

    :meth:`fit` (``normal_histories``: histories of :func:`run_campaign` without a
    campaign; ``false_alarm`` in (0, 1]) sets ``threshold_``; :meth:`analyse` returns, per
    window of a history, None or the alarm's ``(threat, location, links)``.

    Parameters
    ----------
    network : networkx.Graph
        Edges carry ``tx``, ``rx`` and ``duct`` (as :func:`metro_network`'s).
    bank : CountermeasureBank
        A countermeasure bank of :mod:`qnetlab.ai.attack_detection` fitted on normal
        windows.

    Raises
    ------
    TypeError
        If ``network`` is not a :class:`networkx.Graph`.
    ValueError
        If an edge lacks ``tx``, ``rx`` or ``duct``; :meth:`fit` if ``false_alarm`` is
        outside (0, 1]; :meth:`analyse` before :meth:`fit`.

    Examples
    --------
    >>> from qnetlab.ai.attack_detection import CountermeasureBank
    >>> net = metro_network()
    >>> pool = TelemetryPool(n_normal=40, n_attacked=10, attacks=("blinding",),
    ...                      fractions=(0.4,), seed=0)
    >>> bank = CountermeasureBank().fit(pool.windows[("none", 0.0)])
    >>> normal = [run_campaign(net, pool, None, 10, seed=s) for s in range(3)]
    >>> X = run_campaign(net, pool, Campaign("receiver_blinding", 1, 0.4, 2), 5, seed=3)
    >>> calls = PerLinkThresholds(net, bank).fit(normal, 0.05).analyse(X)
    >>> [c is not None for c in calls], calls[-1]
    ([False, False, True, True, True], ('receiver_blinding', 1, (0, 7)))
    """

    def __init__(self, network: nx.Graph, bank: CountermeasureBank) -> None:
        self.network = _check_network(network)
        self.bank = bank
        self.threshold_: float | None = None

    def __repr__(self) -> str:
        return f"PerLinkThresholds(links={self.network.number_of_edges()}, threshold={self.threshold_})"

    def fit(
        self, normal_histories: Sequence[np.ndarray], false_alarm: float = 0.01
    ) -> PerLinkThresholds:
        """Set the threshold for ``false_alarm`` network alarms per window."""
        fa = check_in_range(false_alarm, "false_alarm", 0.0, 1.0, low_inclusive=False)
        scores = np.concatenate([_stats(self.bank, X).max(axis=(1, 2)) for X in normal_histories])
        self.threshold_ = float(np.quantile(scores, 1 - fa, method="higher"))
        return self

    def analyse(self, X: np.ndarray) -> list[tuple[str, Any, tuple[int, ...]] | None]:
        """Per window: None, or (threat, location, links) of the alarm."""
        if self.threshold_ is None:
            raise ValueError("PerLinkThresholds is not fitted: call fit first")
        st = _stats(self.bank, X)
        out: list[tuple[str, Any, tuple[int, ...]] | None] = []
        data = [d for _, _, d in self.network.edges(data=True)]
        for s in range(st.shape[0]):
            top = st[s].max(axis=1)
            if top.max() <= self.threshold_:
                out.append(None)
                continue
            link = int(top.argmax())
            test = int(st[s, link].argmax())
            attack = COUNTERMEASURES[test][3][0]
            name = _LINK_NAME[attack]
            links = tuple(int(i) for i in np.flatnonzero(top > self.threshold_))
            loc: Any = link
            if name == "receiver_blinding":
                loc = data[link]["rx"]
            elif name == "transmitter_trojan":
                loc = data[link]["tx"]
            out.append((name, loc, links))
        return out


class LearnedPerLink:
    """Learned analyst: a per-link random forest (:class:`~qnetlab.ai.attack_detection.AttackClassifier`).

    Each link's window is scored 1 − P(none) by the forest (trained on labelled windows of
    single links); the network alarms when any link exceeds the threshold calibrated on
    normal histories, names the threat from the strongest link's most probable attack and
    locates it at the alarming links, like :class:`PerLinkThresholds`.

    :meth:`fit` (``normal_histories``: histories of :func:`run_campaign` without a
    campaign; ``false_alarm`` in (0, 1]) sets ``threshold_``; :meth:`analyse` returns, per
    window of a history, None or the alarm's ``(threat, location, links)``.

    Parameters
    ----------
    network : networkx.Graph
        Edges carry ``tx``, ``rx`` and ``duct`` (as :func:`metro_network`'s).
    classifier : object
        A fitted classifier with ``predict_proba`` and ``classes_`` (``"none"`` among
        them), such as :class:`~qnetlab.ai.attack_detection.AttackClassifier`.

    Raises
    ------
    TypeError
        If ``network`` is not a :class:`networkx.Graph`.
    ValueError
        If an edge lacks ``tx``, ``rx`` or ``duct``; :meth:`fit` if ``false_alarm`` is
        outside (0, 1]; :meth:`analyse` before :meth:`fit`.

    Examples
    --------
    >>> from qnetlab.ai.attack_detection import AttackClassifier
    >>> net = metro_network()
    >>> pool = TelemetryPool(n_normal=40, n_attacked=10, attacks=("blinding",),
    ...                      fractions=(0.4,), seed=0)
    >>> W = np.vstack([pool.windows[("none", 0.0)], pool.windows[("blinding", 0.4)]])
    >>> clf = AttackClassifier(10, seed=0).fit(W, ["none"] * 40 + ["blinding"] * 10)
    >>> normal = [run_campaign(net, pool, None, 10, seed=s) for s in range(3)]
    >>> X = run_campaign(net, pool, Campaign("receiver_blinding", 1, 0.4, 2), 5, seed=3)
    >>> calls = LearnedPerLink(net, clf).fit(normal, 0.05).analyse(X)
    >>> [c is not None for c in calls], calls[-1][:2]
    ([False, False, True, True, True], ('receiver_blinding', 1))
    """

    def __init__(self, network: nx.Graph, classifier: Any) -> None:
        self.network = _check_network(network)
        self.classifier = classifier
        self.threshold_: float | None = None

    def __repr__(self) -> str:
        return (
            f"LearnedPerLink(links={self.network.number_of_edges()}, threshold={self.threshold_})"
        )

    def fit(
        self, normal_histories: Sequence[np.ndarray], false_alarm: float = 0.01
    ) -> LearnedPerLink:
        """Set the threshold for ``false_alarm`` network alarms per window."""
        fa = check_in_range(false_alarm, "false_alarm", 0.0, 1.0, low_inclusive=False)
        scores = np.concatenate([self._scores(X)[0].max(axis=1) for X in normal_histories])
        self.threshold_ = float(np.quantile(scores, 1 - fa, method="higher"))
        return self

    def _scores(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Scores 1 − P(none) (steps, links) and probabilities (steps, links, classes)."""
        s, m, f = X.shape
        p = self.classifier.predict_proba(X.reshape(s * m, f)).reshape(s, m, -1)
        none = list(self.classifier.classes_).index("none")
        return 1.0 - p[:, :, none], p

    def analyse(self, X: np.ndarray) -> list[tuple[str, Any, tuple[int, ...]] | None]:
        """Per window: None, or (threat, location, links) of the alarm."""
        if self.threshold_ is None:
            raise ValueError("LearnedPerLink is not fitted: call fit first")
        data = [d for _, _, d in self.network.edges(data=True)]
        classes = list(self.classifier.classes_)
        scores, probs = self._scores(X)
        out: list[tuple[str, Any, tuple[int, ...]] | None] = []
        for score, p in zip(scores, probs, strict=True):
            p = p.copy()
            if score.max() <= self.threshold_:
                out.append(None)
                continue
            link = int(score.argmax())
            p[:, classes.index("none")] = -1.0
            name = _LINK_NAME[classes[int(p[link].argmax())]]
            links = tuple(int(i) for i in np.flatnonzero(score > self.threshold_))
            loc: Any = link
            if name == "receiver_blinding":
                loc = data[link]["rx"]
            elif name == "transmitter_trojan":
                loc = data[link]["tx"]
            out.append((name, loc, links))
        return out


class GraphFusion:
    """Graph-aware analyst: matched filters over (threat, location) hypotheses + CUSUM.

    For hypothesis h with k links and signature test j, the window statistic is
    x_h = Σ_{l ∈ h} z_{l,j} / √k; Page's CUSUM C_h ← max(0, C_h + x_h − ``drift``)
    accumulates it. The alarm fires when max_h C_h exceeds the threshold calibrated on
    normal histories; the best hypothesis names the threat and its location.

    :meth:`fit` (``normal_histories``: histories of :func:`run_campaign` without a
    campaign; ``false_alarm`` in (0, 1]) sets ``threshold_``; :meth:`analyse` returns, per
    window of a history, None or the alarm's ``(threat, location, links)``.

    Parameters
    ----------
    network : networkx.Graph
        Edges carry ``tx``, ``rx`` and ``duct`` (as :func:`metro_network`'s).
    bank : CountermeasureBank
        A countermeasure bank of :mod:`qnetlab.ai.attack_detection` fitted on normal
        windows.
    drift : float, optional
        CUSUM drift subtracted per window (>= 0).

    Raises
    ------
    TypeError
        If ``network`` is not a :class:`networkx.Graph`.
    ValueError
        If an edge lacks ``tx``, ``rx`` or ``duct`` or ``drift`` is negative;
        :meth:`fit` if ``false_alarm`` is outside (0, 1]; :meth:`analyse` before
        :meth:`fit`.

    Examples
    --------
    >>> from qnetlab.ai.attack_detection import CountermeasureBank
    >>> net = metro_network()
    >>> pool = TelemetryPool(n_normal=40, n_attacked=10, attacks=("blinding",),
    ...                      fractions=(0.4,), seed=0)
    >>> bank = CountermeasureBank().fit(pool.windows[("none", 0.0)])
    >>> normal = [run_campaign(net, pool, None, 10, seed=s) for s in range(3)]
    >>> X = run_campaign(net, pool, Campaign("receiver_blinding", 1, 0.4, 2), 5, seed=3)
    >>> fusion = GraphFusion(net, bank).fit(normal, 0.05)
    >>> len(fusion.hypotheses), [c is not None for c in fusion.analyse(X)]
    (40, [False, False, True, True, True])
    """

    def __init__(self, network: nx.Graph, bank: CountermeasureBank, drift: float = 1.0) -> None:
        self.network = _check_network(network)
        self.bank = bank
        self.drift = check_non_negative(drift, "drift")
        self.hypotheses = hypotheses(network)
        m = network.number_of_edges()
        self._w = np.zeros((len(self.hypotheses), m, len(_TESTS)))
        for i, (name, _, links) in enumerate(self.hypotheses):
            j = _TESTS.index(_threat(name).signature)
            self._w[i, list(links), j] = 1.0 / np.sqrt(len(links))
        self.threshold_: float | None = None

    def __repr__(self) -> str:
        return f"GraphFusion(hypotheses={len(self.hypotheses)}, drift={self.drift}, threshold={self.threshold_})"

    def _cusum(self, X: np.ndarray) -> np.ndarray:
        st = _stats(self.bank, X)
        x = np.einsum("hlt,slt->sh", self._w, st)
        c = np.zeros_like(x)
        acc = np.zeros(x.shape[1])
        for s in range(x.shape[0]):
            acc = np.maximum(0.0, acc + x[s] - self.drift)
            c[s] = acc
        return c

    def fit(self, normal_histories: Sequence[np.ndarray], false_alarm: float = 0.01) -> GraphFusion:
        """Set the threshold for ``false_alarm`` network alarms per window."""
        fa = check_in_range(false_alarm, "false_alarm", 0.0, 1.0, low_inclusive=False)
        scores = np.concatenate([self._cusum(X).max(axis=1) for X in normal_histories])
        self.threshold_ = float(np.quantile(scores, 1 - fa, method="higher"))
        return self

    def analyse(self, X: np.ndarray) -> list[tuple[str, Any, tuple[int, ...]] | None]:
        """Per window: None, or the best (threat, location, links) once the alarm fires."""
        if self.threshold_ is None:
            raise ValueError("GraphFusion is not fitted: call fit first")
        c = self._cusum(X)
        out: list[tuple[str, Any, tuple[int, ...]] | None] = []
        for s in range(c.shape[0]):
            if c[s].max() <= self.threshold_:
                out.append(None)
            else:
                out.append(self.hypotheses[int(c[s].argmax())])
        return out


@dataclass(frozen=True)
class CampaignResult(ResultMixin):
    """Attribution and delay of one analyst over campaigns.

    ``detected``: campaigns with an alarm after their start; ``attributed``: the first
    such alarm named the threat and its set of links exactly; ``delays``: windows from
    the start to the first alarm (None if never); ``early_alarms``: false alarms before
    the start, per window.

    Parameters
    ----------
    name : str
        The analyst's name.
    detected, attributed, type_correct : float
        Fractions of campaigns detected, attributed exactly, and with the right threat.
    delays : tuple of int or None
        Windows from each campaign's start to its first alarm.
    early_alarms : float
        False alarms before the start, per window.

    Examples
    --------
    >>> r = CampaignResult("graph", 1.0, 0.5, 0.75, (1, 3, None), 0.01)
    >>> r.median_delay
    2.0
    """

    name: str
    detected: float
    attributed: float
    type_correct: float
    delays: tuple[int | None, ...] = field(repr=False)
    early_alarms: float

    @property
    def median_delay(self) -> float:
        """Median delay over detected campaigns (inf if none)."""
        d = [x for x in self.delays if x is not None]
        return float(np.median(d)) if d else float("inf")


def evaluate_campaigns(
    analyst: Any,
    network: nx.Graph,
    pool: TelemetryPool,
    campaigns: Sequence[Campaign],
    n_steps: int = 20,
    *,
    name: str | None = None,
    seed: SeedLike = None,
) -> CampaignResult:
    """Run each campaign and score the analyst's first alarm after its start.

    Parameters
    ----------
    analyst : object
        A fitted analyst with ``analyse(X)`` (:class:`PerLinkThresholds`,
        :class:`LearnedPerLink`, :class:`GraphFusion`).
    network : networkx.Graph
        Edges carry ``tx``, ``rx`` and ``duct`` (as :func:`metro_network`'s).
    pool : TelemetryPool
        Windows to draw from; it must hold every campaign's attack at its fraction.
    campaigns : sequence of Campaign
        The campaigns, each run on a fresh history.
    n_steps : int, optional
        Windows per history (>= 2).
    name : str or None, optional
        The analyst's name in the result (default: its class name).
    seed : int, numpy.random.Generator or None, optional
        Randomness of the histories.

    Returns
    -------
    CampaignResult
        Fractions detected, attributed (threat and links exact) and with the right
        threat; delays; early alarms per window.

    Raises
    ------
    TypeError
        If ``network`` is not a :class:`networkx.Graph`.
    ValueError
        If ``n_steps`` < 2, a campaign is invalid for the network or the pool, or the
        analyst is not fitted.

    Examples
    --------
    >>> net = metro_network()
    >>> pool = TelemetryPool(n_normal=60, n_attacked=10, fractions=(0.4,), seed=0)
    >>> bank = CountermeasureBank().fit(pool.windows[("none", 0.0)])
    >>> rng = np.random.default_rng(1)
    >>> normal = [run_campaign(net, pool, None, 20, seed=rng) for _ in range(5)]
    >>> fusion = GraphFusion(net, bank).fit(normal, 0.01)
    >>> res = evaluate_campaigns(fusion, net, pool, [Campaign("transmitter_trojan", 0, 0.4, 5)], seed=2)
    >>> res.attributed
    1.0
    """
    g = _check_network(network)
    steps = check_integer(n_steps, "n_steps", minimum=2)
    rng = make_rng(seed)
    det = att = typ = 0
    delays: list[int | None] = []
    early = []
    for c in campaigns:
        X = run_campaign(g, pool, c, steps, seed=rng)
        calls = analyst.analyse(X)
        early.append(np.mean([x is not None for x in calls[: c.start]]) if c.start else 0.0)
        truth = affected_links(g, c.threat, c.location)
        first = next(((s, x) for s, x in enumerate(calls) if s >= c.start and x is not None), None)
        if first is None:
            delays.append(None)
            continue
        det += 1
        delays.append(first[0] - c.start)
        typ += first[1][0] == c.threat
        att += first[1][0] == c.threat and tuple(first[1][2]) == truth
    n = max(len(campaigns), 1)
    return CampaignResult(
        name=name or type(analyst).__name__,
        detected=det / n,
        attributed=att / n,
        type_correct=typ / n,
        delays=tuple(delays),
        early_alarms=float(np.mean(early)) if early else 0.0,
    )
