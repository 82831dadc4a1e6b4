"""Printed results fit the book's code column (issue 15 item 3).

A result's ``repr`` is one line of at most 88 characters with its key fields, even for
large values (long paths, many nodes, attacks); ``summary()`` lists every field, one per line.
"""

from __future__ import annotations

import pytest

from qnetlab import qkd
from qnetlab._validation import REPR_WIDTH
from qnetlab.ai.faults import ChainModel
from qnetlab.ai.faults_diagnosis import evaluate_diagnosis
from qnetlab.network.dynamics import LinkDynamics
from qnetlab.network.placement import (
    qubit_allocation_instance,
    repeater_placement_instance,
    solve_allocation,
    solve_placement,
)
from qnetlab.network.routing import path_metrics
from qnetlab.network.topologies import metro_ring
from qnetlab.qkd.device_attacks import Receiver
from qnetlab.qkd.telemetry import qkd_telemetry
from qnetlab.secret_sharing import run_hbb
from qnetlab.secure_sum import qkd_key_pool


def _cases():
    ring = metro_ring(16, seed=0)
    labels = [f"{k}@link {i}" for k in ("loss", "misalignment") for i in range(12)]
    yield (
        "QKDTelemetry",
        qkd_telemetry(6, window_pulses=100_000, attack="intercept_resend", fraction=0.25, seed=0),
        ("window_pulses", "attack_start", "mean_qber", "total_leak_bits"),
    )
    yield (
        "PathMetrics",
        path_metrics(ring, list(range(12)), fidelity_threshold=0.5),
        (
            "link_rates",
            "waiting_time_s",
            "fidelity_threshold",
        ),
    )
    yield (
        "LinkDynamics",
        LinkDynamics(ring, p_fail=[0.01 * i for i in range(16)]),
        (
            "p_recover",
            "fade_visibility",
        ),
    )
    yield (
        "DiagnosisReport",
        evaluate_diagnosis(["healthy", *labels], ["healthy", *labels[::-1]]),
        ("detection_rate", "confusion", "misalignment@link 11"),
    )
    yield (
        "DesignSolution",
        solve_placement(repeater_placement_instance(12, 2, 2, seed=1), "exhaustive"),
        ("utility", "evaluations"),
    )
    alloc = solve_allocation(qubit_allocation_instance(12, 4, 40, seed=0), "ga", budget=40, seed=0)
    yield "DesignSolution", alloc, ("solution",)
    yield "BB84Result", qkd.run_bb84(200_000, depolarization=0.3, seed=0), ("abort_reason",)
    yield "BBM92Result", qkd.run_bbm92(200_000, seed=0), ("chsh_std_error", "qber_upper")
    yield "Receiver", Receiver(), ("watchdog_gain",)
    yield "SecretSharingResult", run_hbb(4_000, n_parties=5, seed=0), ("error_estimate",)
    yield "KeyPool", qkd_key_pool(6, 20_000, seed=0), ("(4, 5)",)
    yield "ChainModel", ChainModel(n_links=12, jitter={"t2": 0.1}), ("jitter[t2]",)


@pytest.mark.parametrize("name, obj, fields", list(_cases()), ids=lambda x: str(x)[:20])
def test_short_repr_and_full_summary(name, obj, fields):
    text = repr(obj)
    assert text.startswith(f"{name}(") and "\n" not in text
    assert len(text) <= REPR_WIDTH, f"{len(text)} characters: {text}"
    lines = obj.summary().splitlines()
    assert lines[0] == name
    for field in fields:
        assert any(field in line for line in lines[1:]), f"{field} missing from summary()"
