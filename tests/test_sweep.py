"""Sweeps as tables, on Dask (issue 18), and results as dicts and tables (issue 20).

The Dask tests start a LocalCluster of two worker processes on localhost (no dashboard) and
check that a QKD sweep and a QEC sweep give the same table as the serial run: every grid
point gets the same seed whatever runs it.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import pkgutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import qnetlab
from qnetlab.qec import logical_error_rate
from qnetlab.qkd import LinkModel, run_bb84
from qnetlab.results import ResultMixin, to_plain
from qnetlab.sweep import sweep, sweep_list, table


def bb84_point(depolarization: float, distance_km: float, seed: int) -> object:
    """One BB84 run of 4000 pulses over ``distance_km`` of fibre (a sweep point)."""
    return run_bb84(
        4000, depolarization=depolarization, link=LinkModel(length_km=distance_km), seed=seed
    )


QKD_GRID = {"depolarization": [0.0, 0.06, 0.15], "distance_km": [0.0, 10.0]}
QEC_POINT = functools.partial(
    logical_error_rate, code="repetition", noise="code_capacity", decoder="mwpm", shots=2000
)
QEC_GRID = {"distance": [3, 5], "p": [0.05, 0.2]}
QKD_COLUMNS = ["raw_length", "sifted_length", "qber", "final_length"]


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    import cloudpickle

    # workers import qnetlab; this test module's own functions travel by value
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    local = distributed.LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        dashboard_address=None,
        host="127.0.0.1",
        silence_logs=50,
    )
    client = distributed.Client(local)
    try:
        yield client
    finally:
        client.close()
        local.close()
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


def test_qkd_sweep_on_a_local_dask_cluster_equals_the_serial_sweep(cluster):
    serial = sweep(bb84_point, QKD_GRID, seed=2026)
    dask = sweep(bb84_point, QKD_GRID, seed=2026, client=cluster)
    assert dask.index.names == ["depolarization", "distance_km"]
    assert len(dask) == 6
    pd.testing.assert_frame_equal(serial[QKD_COLUMNS], dask[QKD_COLUMNS])
    # the values are BB84's: QBER = 2p/3 for depolarisation p (Bennett & Brassard 1984
    # with a depolarising channel), within 5 binomial standard errors at every point
    for (p, _), row in dask.iterrows():
        sd = np.sqrt(max(2 * p / 3 * (1 - 2 * p / 3), 1e-4) / row["sifted_length"])
        assert abs(row["qber"] - 2 * p / 3) < 5 * sd + 1e-3


def test_qec_sweep_on_a_dask_scheduler_address_equals_the_serial_sweep(cluster):
    address = cluster.scheduler.address
    serial = sweep(QEC_POINT, QEC_GRID, seed=7)
    dask = sweep(QEC_POINT, QEC_GRID, seed=7, client=address, progress=True)  # Dask's bar
    pd.testing.assert_frame_equal(serial, dask)
    # distance and p are the index (the equal columns of the result were dropped)
    assert dask.index.names == ["distance", "p"] and "p" not in dask.columns
    assert (dask["shots"] == 2000).all()
    # below threshold, d = 5 beats d = 3 (code capacity, p = 0.05: 0.0073 against 0.0012)
    assert dask.loc[(5, 0.05), "errors"] < dask.loc[(3, 0.05), "errors"]


def test_sweep_list_returns_the_results_in_grid_order():
    a = sweep_list(QEC_POINT, QEC_GRID, seed=11)
    assert [(r.distance, r.p) for r in a] == [(d, p) for d in [3, 5] for p in [0.05, 0.2]]
    assert [r.errors for r in a] == sweep(QEC_POINT, QEC_GRID, seed=11)["errors"].tolist()


def test_sweep_refuses_a_function_without_seed_before_any_work():
    calls = []

    def no_seed(x):
        calls.append(x)
        return x

    with pytest.raises(TypeError, match=r"func must accept a keyword argument seed"):
        sweep(no_seed, {"x": [1, 2]})
    assert calls == []

    def wrong_names(y, seed):
        return y

    with pytest.raises(TypeError, match=r"cannot be called with the swept parameters \['x'\]"):
        sweep(wrong_names, {"x": [1]})
    # **kwargs is enough, and a seed keyword with a default is fine
    assert sweep(lambda **kw: kw["x"], {"x": [4]}, seed=0)["value"].tolist() == [4]
    with pytest.raises(TypeError, match="func must be callable, got int"):
        sweep(3, {"x": [1]})


def test_sweep_argument_errors_name_the_argument():
    def f(x, seed):
        return x

    with pytest.raises(ValueError, match="give n_jobs or client, not both"):
        sweep(f, {"x": [1]}, n_jobs=2, client="tcp://127.0.0.1:1")
    with pytest.raises(TypeError, match=r"client must be a distributed\.Client"):
        sweep(f, {"x": [1]}, client=42)
    with pytest.raises(TypeError, match="points must be a mapping"):
        sweep(f, 5)
    with pytest.raises(TypeError, match="points must hold keyword dicts"):
        sweep(f, [1, 2])
    with pytest.raises(ValueError, match="points must not be empty"):
        sweep(f, [])
    with pytest.raises(ValueError, match="values must hold one value per point"):
        table({"x": [1, 2]}, [1])


def test_table_is_indexed_by_the_grid_and_keeps_columns_that_differ():
    t = table({"x": [2, 1]}, [{"x": 2, "y": 5}, {"x": 0, "y": 6}])
    assert t.index.name == "x" and t.index.tolist() == [2, 1]
    # "x" differs from the swept x on the second row: it stays a column
    assert t["x"].tolist() == [2, 0] and t["y"].tolist() == [5, 6]
    t2 = table([{"a": 1, "b": "u"}, {"a": 2, "b": "v"}], [1.5, 2.5])
    assert isinstance(t2.index, pd.MultiIndex) and t2.loc[(2, "v"), "value"] == 2.5


def test_a_generator_of_points_is_read_once():
    def f(x, seed):
        return x * 2

    t = sweep(f, ({"x": x} for x in range(3)), seed=1)
    assert t["value"].tolist() == [0, 2, 4]


# --- results ---------------------------------------------------------------------------


def _result_classes() -> list[type]:
    for info in pkgutil.walk_packages(qnetlab.__path__, "qnetlab."):
        if info.name != "qnetlab.qnn" and not info.name.startswith("qnetlab.qnn."):
            importlib.import_module(info.name)
    seen, todo = set(), list(ResultMixin.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls not in seen:
            seen.add(cls)
            todo.extend(cls.__subclasses__())
    return sorted(seen, key=lambda c: c.__qualname__)


def test_every_result_class_is_a_frozen_dataclass_with_the_mixin():
    classes = {c.__name__ for c in _result_classes()}
    for name in ("BB84Result", "DecoyBB84Result", "LogicalErrorRate", "RateDistanceResult",
                 "PurificationResult", "CHSHResult", "OptimizeResult", "MultipathResult"):  # fmt: skip
        assert name in classes
    for cls in _result_classes():
        assert dataclasses.is_dataclass(cls), cls
        assert cls.__dataclass_params__.frozen, cls


def test_to_dict_gives_plain_values_and_nested_results_as_dicts():
    r = logical_error_rate(
        code="repetition", distance=3, p=0.1, noise="code_capacity", decoder="mwpm",
        shots=500, seed=3,
    )  # fmt: skip
    d = r.to_dict()
    assert list(d) == [f.name for f in dataclasses.fields(r)]
    assert all(type(v) in (int, float, str) for v in d.values()), d
    assert d["errors"] == r.errors and d["rate"] == r.errors / 500
    assert to_plain((np.float32(0.5), {"k": np.bool_(True)})) == [0.5, {"k": True}]

    class NotADataclass(ResultMixin):
        pass

    with pytest.raises(TypeError, match="NotADataclass must be a dataclass"):
        NotADataclass().to_dict()
    from qnetlab.repeaters import heralded_link, simulate_chain

    chain = simulate_chain(2, heralded_link("double_click", 10.0), n_samples=100, seed=1)
    cd = chain.to_dict()
    assert isinstance(cd["link"], dict) and cd["link"]["length_km"] == 10.0
    assert isinstance(cd["waiting_time"], np.ndarray)


def test_to_dataframe_spreads_arrays_of_one_length_and_keeps_one_row_otherwise():
    from qnetlab.repeaters import rate_vs_distance

    rd = rate_vs_distance([50.0, 100.0, 150.0], n_segments=2, n_samples=200, seed=1)
    t = rd.to_dataframe()
    assert t.shape == (3, 7)
    assert t["distance_km"].tolist() == [50.0, 100.0, 150.0]
    assert (t["n_segments"] == 2).all()
    np.testing.assert_array_equal(t["plob"], rd.plob)

    @dataclasses.dataclass(frozen=True)
    class Ragged(ResultMixin):
        name: str
        a: np.ndarray
        b: tuple

    one = Ragged("r", np.arange(3), (1, 2)).to_dataframe()
    assert one.shape == (1, 3) and one.loc[0, "b"] == [1, 2]
    # key bits (repr=False) are bulk data, never spread over rows
    bb = run_bb84(20000, seed=5)
    assert bb.final_length > 0
    assert bb.to_dataframe().shape[0] == 1


def test_rate_distance_result_plots_itself():
    import matplotlib

    matplotlib.use("Agg")
    from qnetlab.repeaters import rate_vs_distance

    ax = rate_vs_distance([100.0, 300.0], n_segments=2, n_samples=200, seed=2).plot()
    assert ax.get_yscale() == "log" and len(ax.lines) == 2
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), [100.0, 300.0])


def test_plot_heatmap_draws_the_grid_and_refuses_ambiguous_tables():
    import matplotlib

    matplotlib.use("Agg")
    from qnetlab.plotting import plot_heatmap

    t = table({"d": [3, 5], "p": [0.1, 0.2, 0.3]}, [{"rate": float(r)} for r in range(6)])
    ax = plot_heatmap(t, x="p", y="d", value="rate")
    np.testing.assert_array_equal(ax.images[0].get_array(), [[0, 1, 2], [3, 4, 5]])
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["0.1", "0.2", "0.3"]
    ax = plot_heatmap(t, x="p", y="d", value="rate", log=True)
    assert bool(ax.images[0].get_array().mask[0, 0])  # rate 0 left blank on a log scale
    with pytest.raises(ValueError, match="value='qber' must be a swept parameter or a column"):
        plot_heatmap(t, x="p", y="d", value="qber")
    t3 = table({"a": [1, 2], "b": [1, 2], "c": [1, 2]}, [{"v": 1.0}] * 8)
    with pytest.raises(ValueError, match=r"every \(a, b\) pair must occur once"):
        plot_heatmap(t3, x="a", y="b", value="v")


def test_importing_the_package_does_not_import_pandas():
    code = (
        "import sys, qnetlab, qnetlab.sweep, qnetlab.results, qnetlab.qkd, qnetlab.qec;"
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
