"""The researcher's example scripts in ``examples/`` run (small budget) and print their result.

Each script is run as a user would (``python examples/NAME.py --quick``); the test asserts
exit code 0 and checks the physics of the ``RESULT key=value ...`` line it prints last.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def run_example(name: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg", TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / name), "--quick", "--seed", "11"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    last = proc.stdout.strip().splitlines()[-1]
    assert last.startswith("RESULT "), last
    return dict(item.split("=", 1) for item in last.split()[1:])


def test_every_example_is_tested_and_listed_in_the_readme():
    scripts = sorted(p.name for p in EXAMPLES.glob("*.py"))
    tested = sorted(n for n, _ in CHECKS)
    assert scripts == tested
    readme = (ROOT / "README.md").read_text()
    assert "## Examples" in readme
    for name in scripts:
        assert f"examples/{name}" in readme, name


def check_key_rate(r: dict[str, str]) -> None:
    # an 8-segment chain beats PLOB (-log2(1 - eta)) from ~150 km on, to the end of the grid
    assert 50.0 < float(r["crossover_km"]) < 400.0
    assert float(r["beats_plob_at_km"]) == 800.0


def check_threshold(r: dict[str, str]) -> None:
    # circuit-level rotated surface code under MWPM: crossings near 0.6-0.8 %
    for key in ("p_th_35", "p_th_57"):
        assert 0.004 < float(r[key]) < 0.01, r


def check_routing(r: dict[str, str]) -> None:
    assert int(r["pairs"]) >= 15  # most of the 28 city pairs are feasible at F >= 0.6
    for key in ("dijkstra", "yen", "dqn"):
        assert 0.0 <= float(r[key]) <= 1.0 + 1e-9
    assert float(r["yen"]) > 0.95 and float(r["dqn"]) > 0.8


def check_bb84(r: dict[str, str]) -> None:
    # 30 % intercept-resend: QBER = 0.3 / 4 = 0.075 (std. error ~4e-4 on 5e5 sifted bits)
    assert abs(float(r["qber"]) - 0.075) < 0.003
    assert int(r["final_bits"]) > 0 and r["keys_match"] == "True"


def check_sweep(r: dict[str, str]) -> None:
    assert int(r["points"]) == 12
    assert abs(float(r["max_qber"]) - 2 * 0.15 / 3) < 0.01  # QBER = 2p/3 at p = 0.15
    assert 3 <= int(r["keys"]) < 12  # low noise gives key, p = 0.15 gives none


CHECKS = [
    ("bb84_intercept_resend.py", check_bb84),
    ("depolarisation_distance_sweep.py", check_sweep),
    ("key_rate_vs_distance.py", check_key_rate),
    ("routing_eight_cities.py", check_routing),
    ("surface_code_threshold.py", check_threshold),
]


@pytest.mark.parametrize(("name", "check"), CHECKS, ids=[n for n, _ in CHECKS])
def test_example_runs_and_prints_its_result(name, check):
    check(run_example(name))
