"""Issue 16: the bad-input harness (``scripts/fuzz_api.py``) run in-process on the physics API.

Every public callable of the modules below is called with bad values, one argument at a
time (negative, NaN, inf, out-of-range probabilities, huge sizes, wrong types, empty or
wrong-shaped arrays, non-physical states, unknown names). None may crash, hang, return
NaN/inf or try to allocate more than the memory limit, and every rejection must be a
``ValueError``/``TypeError`` naming the argument -- except the known failures listed in
``ELSEWHERE`` (files owned by other work in progress), which are reported, not hidden:
the test fails when a failure appears outside that list.

The full run over every subpackage (``qnn`` and ``ai`` included) is
``python scripts/fuzz_api.py`` (a few minutes; prints a table and JSON on the last line).
"""

from __future__ import annotations

import importlib.util
import resource
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = ("states", "channels", "protocols", "tomography", "sweep", "repeaters", "qec")
QKD_CALLABLES = {
    "qkd.binary_entropy",
    "qkd.shor_preskill_rate",
    "qkd.six_state_rate",
    "qkd.bbm92_werner_rate",
    "qkd.plob_bound",
    "qkd.tgw_bound",
    "qkd.repeaterless_bound",
    "qkd.fuchs_information",
    "qkd.decoy_bb84_key_rate",
    "qkd.gllp_key_rate",
    "qkd.vacuum_weak_bounds",
    "qkd.finite_decoy_key_rate",
    "qkd.finite_bb84_secret_fraction",
    "qkd.expected_chsh_value",
    "qkd.single_photon_key_rate",
    "qkd.entangled_key_rate",
    "qkd.maximum_distance",
    "qkd.phase_error_bound",
    "qkd.secure_key_length",
    "qkd.cascade",
    "qkd.toeplitz_hash",
    "qkd.verify_keys",
    "qkd.postprocess",
    "qkd.LinkModel",
    "qkd.InterceptResend",
    "qkd.PhaseCovariantCloner",
    "qkd.run_bb84",
    "qkd.run_decoy_bb84",
}
# Known failures left (reported, not hidden): the test fails when a failure appears outside
# this list. Issue 16, second pass: purification, swapping and the network layer are fixed.
ELSEWHERE = {
    "tomography.NeuralTomography",  # class body restructured elsewhere
    "repeaters.cutoff_for_fidelity",  # coherence_time_s=inf gives an infinite cutoff
}
# Second pass (issue 16): the network layer and the new cryptographic modules, in full.
EXTRA_MODULES = ("network", "secret_sharing", "secure_sum", "blind", "qdata", "qsearch")


def _harness():
    spec = importlib.util.spec_from_file_location("fuzz_api", ROOT / "scripts" / "fuzz_api.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _vm_data_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmData:"):
            return int(line.split()[1]) * 1024
    return 0


@pytest.fixture(scope="module")
def records():
    fz = _harness()
    old = resource.getrlimit(resource.RLIMIT_DATA)
    limit = _vm_data_bytes() + 6 * 2**30
    if old[1] == resource.RLIM_INFINITY or limit < old[1]:
        resource.setrlimit(resource.RLIMIT_DATA, (limit, old[1]))
    try:
        out = []
        for m in MODULES:
            out.extend(fz.run_module(m, timeout=20.0))
        out.extend(fz.run_module("qkd", timeout=20.0, only=QKD_CALLABLES))
        for m in EXTRA_MODULES:
            out.extend(fz.run_module(m, timeout=20.0))
    finally:
        resource.setrlimit(resource.RLIMIT_DATA, old)
    return fz, out


def test_every_callable_has_a_baseline(records):
    _, recs = records
    missing = sorted(
        r["callable"] for r in recs if r["kind"] == "no-baseline" and r["message"] != "not in table"
    )
    assert missing == []
    assert len({r["callable"] for r in recs if r["kind"] != "no-baseline"}) >= 90


def test_no_crash_hang_garbage_or_memory_blow_up(records):
    _fz, recs = records
    bad = [
        f"{r['kind']} {r['callable']}({r['param']}={r['value']}) [{r['case']}] {r['message']}"
        for r in recs
        if r["kind"] in ("garbage", "memory", "hang", "crash") and r["callable"] not in ELSEWHERE
    ]
    assert bad == []


def test_rejections_name_the_argument(records):
    fz, recs = records
    unclear = [
        f"{r['callable']}({r['param']}={r['value']}) [{r['case']}] {r['message']}"
        for r in recs
        if r["kind"] == "unclear" and r["callable"] not in ELSEWHERE
    ]
    assert unclear == []
    summary = fz.summarise(recs)
    assert summary["clean_share"] >= 0.97, summary


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (lambda q: q.repeaters.purify_recurrence(0.8, 10**12), "rounds"),
        (lambda q: q.network.qubit_allocation_instance(6, 10**12, 12), "n_demands"),
        (lambda q: q.network.grid_network(10**12, 2), "rows"),
        (lambda q: q.network.poisson_traffic([(0, 1)], 0.5, 10**12), "n_slots"),
        (lambda q: q.network.poisson_traffic([(float("nan"), 1)], 0.5, 10), "pairs"),
        (lambda q: q.network.compositions(2, 10**12), "parts"),
        (
            lambda q: q.network.chain_metrics([1.0, 2.0], [float("nan"), 0.9], 10.0),
            "link_fidelities",
        ),
        (lambda q: q.network.default_network_factory(None), "rng"),
        (lambda q: q.network.connected_geometric_graph(6, 1e300, 0.6), "area_km"),
        (lambda q: q.ai.ChainModel(storage_long_s=float("inf")), "storage_long_s"),
        (lambda q: q.ai.fault_dataset(2, severity_range=[]), "severity_range"),
        (lambda q: q.ai.evaluate_diagnosis([float("nan"), 1.0], [0.0, 1.0]), "truth"),
        (
            lambda q: q.ai.detection_at_false_alarm([float("nan"), 1.0], [1.0, 2.0], 0.1),
            "normal_scores",
        ),
        (lambda q: q.ai.forecast_alarms([0.9, 0.8, 0.7], 1.5), "threshold"),
        (lambda q: q.ai.reactive_alarms([0.9, 0.8, 0.7], 0.85, smoothing=10**12), "smoothing"),
        (lambda q: q.ai.UCB1(10**12), "n_arms"),
        (lambda q: q.ai.grid_decoy_parameters(20.0, resolution=10**12), "resolution"),
        (lambda q: q.ai.tuning_curve([float("nan")]), "distances_km"),
        (lambda q: q.qkd.qkd_telemetry(10**12), "n_windows"),
        (lambda q: q.qsearch.grover_circuit(3, [5], 10**12), "iterations"),
        (lambda q: q.secret_sharing.run_hbb(10**12), "n_rounds"),
        (lambda q: q.secure_sum.qkd_key_pool(10**12, 4000), "n_parties"),
        (lambda q: q.qdata.fidelity_kernel([[float("nan"), 0.0]]), "states_a"),
        (lambda q: q.qsearch.grover_theory(16, 1, float("nan")), "iterations"),
    ],
)
def test_second_pass_regressions(call, needle):
    """Issue 16 (second pass): each former hang, blow-up or garbage is a clean error now."""
    import qnetlab
    import qnetlab.qdata
    import qnetlab.qsearch
    import qnetlab.secret_sharing
    import qnetlab.secure_sum

    with pytest.raises((ValueError, TypeError), match=needle):
        call(qnetlab)
