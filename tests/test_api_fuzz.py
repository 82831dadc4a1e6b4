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
# Failures in files that other branches are refactoring (handed on, see the issue-16 report).
ELSEWHERE = {
    "tomography.NeuralTomography",  # class body restructured elsewhere
    "repeaters.swap_bell_diagonal",  # repeaters/swapping.py: names "coefficients"
    "repeaters.purify_recurrence",  # repeaters/purification.py: names "coefficients", rounds
    "repeaters.bbpssw_bell_diagonal",
    "repeaters.dejmps",
    "repeaters.cutoff_for_fidelity",  # repeaters/memory.py: coherence_time=inf gives inf
    "repeaters.decay_coefficients",
    "repeaters.memory_fidelity",
    "repeaters.purify_cirq",
    "repeaters.swap_cirq",
}


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
