"""Benchmark: fault diagnosis on a 4-link repeater chain, ML classifier vs physics baseline.

Telemetry comes from qnetlab.ai.faults (diagnosers in ai.faults_diagnosis, alarms in
ai.faults_forecast; double-click links of 25 km, dephasing memories,
noisy Bell measurements; 25 hypotheses: healthy, four link faults on four links, memory
T2 on five nodes, gate noise on three repeaters; fault sizes 0.4–1.5 times nominal).
The physics baseline (matched-signature likelihood ratio, calibrated on healthy windows
only) and a random forest (trained on labelled windows) diagnose the same held-out
windows; both paths are timed (fit + predict). Both are also compared at the same false-alarm
rate (1 % on fresh healthy windows), where the forest's advantage disappears. A second part forecasts a memory-T2
degradation ramp crossing the fidelity threshold 0.9 and reports the mean lead time of
the trend forecaster and of the reactive policy over seeded runs.

Run: python benchmarks/fault_diagnosis.py
"""

from __future__ import annotations

import json
import time

import numpy as np

from qnetlab.ai import detection_at_false_alarm
from qnetlab.ai.faults import (
    Fault,
    fault_dataset,
    network_telemetry,
)
from qnetlab.ai.faults_diagnosis import (
    PhysicsDiagnoser,
    evaluate_diagnosis,
    train_diagnoser,
)
from qnetlab.ai.faults_forecast import (
    forecast_alarms,
    reactive_alarms,
)

SEED = 2026
THRESHOLD = 0.9


def main() -> None:
    rng = np.random.default_rng(SEED)
    train = fault_dataset(80, seed=rng)
    test = fault_dataset(60, seed=rng)
    healthy = network_telemetry(500, seed=rng)

    start = time.perf_counter()
    base = PhysicsDiagnoser().fit(healthy)
    base_pred = base.diagnose(test.features)
    t_base = time.perf_counter() - start

    start = time.perf_counter()
    clf = train_diagnoser(train, method="random_forest", seed=rng)
    ml_pred = clf.predict(test.features)
    t_ml = time.perf_counter() - start

    bl = evaluate_diagnosis(test.label, base_pred)
    ml = evaluate_diagnosis(test.label, ml_pred)
    faulty = test.kind != "healthy"

    # Equal false alarms: detection rate of the faulty test windows at thresholds giving 1 %
    # false alarms on fresh healthy windows (physics statistic vs 1 - P_forest(healthy)).
    quiet = network_telemetry(2000, seed=rng)
    col = list(clf.classes_).index("healthy")
    det_at_1pc = {}
    for name, score in (
        ("baseline", base.statistic),
        ("forest", lambda x: 1 - clf.predict_proba(x)[:, col]),
    ):
        det_at_1pc[name], _ = detection_at_false_alarm(
            score(quiet.features), score(test.features[faulty]), 0.01
        )
    print(f"detection at 1 % false alarms: {det_at_1pc}")
    print(f"test windows: {test.n_windows} ({len(set(test.label))} hypotheses)")
    print(f"physics baseline: {bl}  time {t_base:.2f} s")
    print(f"random forest:    {ml}  time {t_ml:.2f} s")
    for name, pred in (("baseline", base_pred), ("forest", ml_pred)):
        acc = float(np.mean(pred[faulty] == test.label[faulty]))
        print(f"  {name}: accuracy on faulty windows {acc:.3f}")

    ramp = Fault("memory_t2", 2, start=60, ramp=200, severity=0.9)
    lead_f, lead_r, fa_f, fa_r = [], [], [], []
    start = time.perf_counter()
    for _ in range(20):
        tel = network_telemetry(300, faults=[ramp], seed=rng)
        y, truth = tel.signal("fidelity[link 2]"), tel.true_fidelity[:, 2]
        f = forecast_alarms(y, THRESHOLD, history=40, horizon=30, truth=truth)
        r = reactive_alarms(y, THRESHOLD, truth=truth, horizon=30)
        lead_f.append(f.lead_windows)
        lead_r.append(r.lead_windows)
        fa_f.append(f.false_alarms)
        fa_r.append(r.false_alarms)
    t_fc = time.perf_counter() - start
    print(
        f"forecast: mean lead {np.nanmean(lead_f):.1f} windows (false alarms {np.mean(fa_f):.2f}"
        f" per run); reactive: {np.nanmean(lead_r):.1f} ({np.mean(fa_r):.2f}); {t_fc:.2f} s"
    )
    print(
        json.dumps(
            {
                "ml_accuracy": round(ml.accuracy, 4),
                "baseline_accuracy": round(bl.accuracy, 4),
                "ml_over_baseline": round(ml.accuracy / bl.accuracy, 4),
                "ml_false_alarm_rate": round(ml.false_alarm_rate, 4),
                "baseline_false_alarm_rate": round(bl.false_alarm_rate, 4),
                "ml_detection_at_1pc_false_alarms": round(det_at_1pc["forest"], 4),
                "baseline_detection_at_1pc_false_alarms": round(det_at_1pc["baseline"], 4),
                "baseline_seconds": round(t_base, 3),
                "ml_seconds": round(t_ml, 3),
                "forecast_lead_windows": round(float(np.nanmean(lead_f)), 2),
                "reactive_lead_windows": round(float(np.nanmean(lead_r)), 2),
                "forecast_false_alarms_per_run": round(float(np.mean(fa_f)), 2),
                "reactive_false_alarms_per_run": round(float(np.mean(fa_r)), 2),
            }
        )
    )


if __name__ == "__main__":
    main()
