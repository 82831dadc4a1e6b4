"""QKD intrusion detection: the protocol's QBER test against CUSUM and ML detectors.

Held-out, seeded telemetry of a drifting 25 km decoy-BB84 link (GYS parameters, windows of
2·10^5 pulses, NumPy backend): the four detectors of :mod:`qnetlab.ai.anomaly` are trained
(threshold, CUSUM and Isolation Forest on normal runs only; the random forest also on
intercept-resend and PNS runs) and evaluated at 1 % false alarms per window on a 5 %
intercept-resend attack (seen) and a 5 % phase-covariant cloner (unseen), averaged over three
seeds. Timed: the click-level photon sampler of the telemetry (multinomial counts per
intensity class) against its reference, drawing every pulse (class, Poisson photons, dark
count), on the same windows, with the mean clicks per class of both paths; generating
telemetry (windows per second); one full study (training + scoring). The last line printed is
one JSON object with ``click_sampler_speedup``, ``ml_detection_at_1pct_fa``,
``threshold_detection_at_1pct_fa``, ``ml_over_threshold`` (and the same for CUSUM, the
Isolation Forest and the unseen cloner).

Run: ``python benchmarks/qkd_anomaly.py``
"""

from __future__ import annotations

import json
import time

import numpy as np

from qnetlab import ai, qkd

SEEDS = (2026, 2027, 2028)
WINDOW = 200_000


def _per_pulse(n, mus, probs, eta, y0, rng):
    """Reference photon layer: every pulse drawn (class, photons, dark count)."""
    u = rng.random(n)
    cls = (u >= probs[0]).astype(np.int64) + (u >= probs[0] + probs[1])
    photon = rng.poisson(eta * mus[cls]) >= 1
    click = photon | (rng.random(n) < y0)
    return np.bincount(cls, minlength=3), cls[click], photon[click]


def _sampler_benchmark(n_windows: int = 200) -> dict[str, object]:
    from qnetlab.qkd import GYS
    from qnetlab.qkd.telemetry import _clicks_only

    link = GYS.with_length(25.0)
    mus, probs = np.array([0.48, 0.05, 0.0]), np.array([0.8, 0.1, 0.1])
    eta, y0 = link.transmissivity, link.dark_count_prob
    out = {}
    for name, fn in (("per_pulse", _per_pulse), ("click_level", _clicks_only)):
        rng = np.random.default_rng(SEEDS[0])
        clicks = np.zeros(3)
        t0 = time.perf_counter()
        for _ in range(n_windows):
            _, cls, _ = fn(WINDOW, mus, probs, eta, y0, rng)
            clicks += np.bincount(cls, minlength=3)
        out[name] = (time.perf_counter() - t0, (clicks / n_windows).round(2).tolist())
    return {
        "per_pulse_seconds": out["per_pulse"][0],
        "click_level_seconds": out["click_level"][0],
        "click_sampler_speedup": out["per_pulse"][0] / out["click_level"][0],
        "mean_clicks_per_class_per_pulse_path": out["per_pulse"][1],
        "mean_clicks_per_class_click_level": out["click_level"][1],
    }


def main() -> dict[str, object]:
    sampler = _sampler_benchmark()
    t0 = time.perf_counter()
    tel = qkd.qkd_telemetry(100, window_pulses=WINDOW, seed=SEEDS[0])
    t_tel = time.perf_counter() - t0
    t0 = time.perf_counter()
    studies = [ai.detection_study(window_pulses=WINDOW, fraction=0.05, seed=s) for s in SEEDS]
    t_study = (time.perf_counter() - t0) / len(SEEDS)

    def mean(attack: str, detector: str, what: str = "detection") -> float:
        return float(np.mean([getattr(st.evaluations[attack][detector], what) for st in studies]))

    for st in studies:
        for row in st.table():
            print(row)
    thr = mean("intercept_resend", "QBER threshold")
    ml = mean("intercept_resend", "Random forest")
    cusum = mean("intercept_resend", "CUSUM")
    return {
        "window_pulses": WINDOW,
        "seeds": list(SEEDS),
        "attack": "intercept-resend on 5 % of pulses; means over seeds",
        "threshold_detection_at_1pct_fa": thr,
        "cusum_detection_at_1pct_fa": cusum,
        "isolation_forest_detection_at_1pct_fa": mean("intercept_resend", "Isolation Forest"),
        "ml_detection_at_1pct_fa": ml,
        "ml_over_threshold": ml / thr if thr > 0 else float("inf"),
        "cusum_over_threshold": cusum / thr if thr > 0 else float("inf"),
        "unseen_cloner_threshold_detection": mean("cloner", "QBER threshold"),
        "unseen_cloner_ml_detection": mean("cloner", "Random forest"),
        "unseen_cloner_cusum_detection": mean("cloner", "CUSUM"),
        "auc_threshold": mean("intercept_resend", "QBER threshold", "auc"),
        "auc_cusum": mean("intercept_resend", "CUSUM", "auc"),
        "auc_isolation_forest": mean("intercept_resend", "Isolation Forest", "auc"),
        "auc_ml": mean("intercept_resend", "Random forest", "auc"),
        **sampler,
        "telemetry_windows_per_s": tel.n_windows / t_tel,
        "study_seconds": t_study,
    }


if __name__ == "__main__":
    print(json.dumps(main()))
