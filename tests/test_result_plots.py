"""Issue 20: results plot themselves (``result.plot(ax=None, **kwargs) -> Axes``).

Each case builds a small result and checks that its plot holds exactly the result's data
(the arrays of the lines, bars or image compared with the result's fields), that both axes
are labelled, that a given axes is drawn on and returned, and that a bad ``ax`` is refused
with a TypeError. The functions of :mod:`qnetlab.plotting_results` are tested the same way.
"""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from qnetlab import plotting_results as pr
from qnetlab.ai.anomaly_evaluation import DetectorEvaluation
from qnetlab.ai.bandits import UCB1, run_bandit
from qnetlab.ai.faults_diagnosis import DiagnosisReport
from qnetlab.ai.faults_forecast import reactive_alarms
from qnetlab.ai.optimizers import exhaustive_search
from qnetlab.ai.rl import TrainingHistory
from qnetlab.network.design import DesignSolution
from qnetlab.network.dynamics import ControllerResult
from qnetlab.network.edge import KeyPoolResult
from qnetlab.network.traffic import SimulationResult
from qnetlab.plotting import get_axes
from qnetlab.qec.experiments import ThresholdEstimate, logical_error_curves
from qnetlab.qec.scaling import FiniteSizeThreshold
from qnetlab.repeaters import elementary_link, purify_recurrence, simulate_chain
from qnetlab.repeaters.rate_distance import RateDistanceResult
from qnetlab.sensing import PhaseEstimate


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _line(ax, label):
    (line,) = [ln for ln in ax.lines if ln.get_label() == label]
    return np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)


def _check_curve(ax, label, y, x=None):
    xs, ys = _line(ax, label)
    np.testing.assert_array_equal(ys, np.asarray(y, float))
    expected_x = np.arange(1, len(ys) + 1) if x is None else np.asarray(x, float)
    np.testing.assert_array_equal(xs, expected_x)


def _rate_distance():
    d = np.array([50.0, 100.0, 200.0])
    rate = np.array([1e-2, 0.0, 1e-4])
    plob = np.array([0.9, 0.1, 0.01])
    return RateDistanceResult(2, d, rate, rate * 1e6, np.ones(3), np.ones(3), plob)


def _check_rate_distance(ax, r):
    _check_curve(ax, "2 segments", [1e-2, 1e-4], x=[50.0, 200.0])  # the zero is left out
    _check_curve(ax, "PLOB bound (repeaterless)", r.plob, x=r.distance_km)
    assert ax.get_yscale() == "log"


def _chain():
    return simulate_chain(2, elementary_link(0.5, fidelity=0.95), n_samples=60, seed=0)


def _check_chain(ax, r):
    heights = np.array([p.get_height() for p in ax.patches])
    widths = np.array([p.get_width() for p in ax.patches])
    density, edges = np.histogram(r.waiting_time, bins=40, density=True)
    np.testing.assert_allclose(heights, density)
    np.testing.assert_allclose(widths, np.diff(edges))
    assert _line(ax, "mean")[0][0] == pytest.approx(r.mean_waiting_time)


def _purification():
    return purify_recurrence(0.8, 3, "dejmps")


def _detector():
    roc = (np.array([0.0, 0.05, 0.3, 1.0]), np.array([0.0, 0.7, 0.95, 1.0]))
    return DetectorEvaluation("CUSUM", 0.93, 0.7, 0.05, 1.5, (2, None), (5.0, 9.0), roc)


def _check_detector(ax, r):
    _check_curve(ax, "CUSUM (AUC 0.930)", r.roc[1], x=r.roc[0])
    assert _line(ax, "operating point")[0].tolist() == [0.05]


def _forecast():
    return reactive_alarms([0.95, 0.95, 0.85, 0.85], 0.9, smoothing=1, truth=[1, 1, 0.8, 0.8])


def _check_forecast(ax, r):
    _check_curve(ax, "alarm", r.alarms.astype(float), x=np.arange(r.alarms.size))
    assert _line(ax, "first alarm")[0][0] == r.first_alarm
    assert _line(ax, "threshold crossing")[0][0] == r.crossing


def _diagnosis():
    return DiagnosisReport(0.85, np.array([[8, 2], [1, 9]]), ("normal", "fault"), 0.9, 0.2)


def _check_diagnosis(ax, r):
    m = r.confusion / r.confusion.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(ax.images[0].get_array(), m)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(r.labels)


def _optimize():
    return exhaustive_search(lambda b: float((b[0] - 2) ** 2), [(0, 4)], integer_bounds=True)


def _design():
    return DesignSolution("exhaustive", (0, 2), 2.0, _optimize())


def _phase():
    return PhaseEstimate(np.array([0.1, 0.25, 0.3, 0.2]), 0.2, 10, 4.0)


def _check_phase(ax, r):
    density, _ = np.histogram(r.estimates, bins=40, density=True)
    np.testing.assert_allclose([p.get_height() for p in ax.patches], density)
    assert _line(ax, "true phase")[0][0] == r.phi


def _threshold():
    return ThresholdEstimate(0.1, 0.09, 0.11, 0.05, 2.0, 0.1, 1.0, 1, 0.95)


def _check_threshold(ax, r):
    (line,) = ax.lines
    assert np.asarray(line.get_xdata(), float).tolist() == [r.p, r.p]
    (band,) = ax.patches
    assert (band.get_x(), band.get_x() + band.get_width()) == pytest.approx((r.ci_low, r.ci_high))


def _finite_size():
    return FiniteSizeThreshold(
        0.1, 0.09, 0.11, 1.0, 1.0, 1.0, (0.2, 1.0, 0.0), 0.0, 1, (3, 5), 6, 0, 0.95
    )


def _check_finite_size(ax, r):
    p = np.linspace(0.7 * r.p, 1.3 * r.p, 61)
    for d in r.distances:
        _check_curve(ax, f"fit d = {d}", r.rate(p, d), x=p)
    _check_threshold_line(ax, r)


def _check_threshold_line(ax, r):
    (line,) = [ln for ln in ax.lines if ln.get_label().startswith("threshold")]
    assert np.asarray(line.get_xdata(), float).tolist() == [r.p, r.p]


CASES = {
    "RateDistanceResult": (_rate_distance, _check_rate_distance),
    "ChainResult": (_chain, _check_chain),
    "PurificationResult": (
        _purification,
        lambda ax, r: _check_curve(
            ax, "DEJMPS fidelity", r.fidelities, x=np.arange(r.fidelities.size)
        ),
    ),
    "DetectorEvaluation": (_detector, _check_detector),
    "BanditResult": (
        lambda: run_bandit(UCB1(2, seed=0), [0.2, 0.8], 50, seed=0),
        lambda ax, r: _check_curve(ax, r.name, r.regret),
    ),
    "TrainingHistory": (
        lambda: TrainingHistory(np.array([0.0, 1.0, 3.0]), np.zeros(0)),
        lambda ax, r: _check_curve(ax, "return", r.returns),
    ),
    "OptimizeResult": (_optimize, lambda ax, r: _check_curve(ax, r.method or "best", r.history)),
    "ForecastResult": (_forecast, _check_forecast),
    "DiagnosisReport": (_diagnosis, _check_diagnosis),
    "KeyPoolResult": (
        lambda: KeyPoolResult("greedy", np.ones((3, 2)), np.ones((3, 2)), 0.0, np.arange(3.0)),
        lambda ax, r: _check_curve(ax, "greedy", r.stored_bits),
    ),
    "ControllerResult": (
        lambda: ControllerResult("static", np.array([2, 0, 3]), 1, 1 / 3),
        lambda ax, r: _check_curve(ax, "static", r.delivered),
    ),
    "SimulationResult": (
        lambda: SimulationResult(
            "greedy",
            3,
            2,
            1,
            np.array([True, True, False]),
            np.ma.masked_array([1, 2, 0], [False, False, True]),
            np.ma.masked_array([0.9, 0.8, 0.0], [False, False, True]),
            np.array([0, 1, 1, 0]),
            np.array([2, 1, 1, 0]),
            np.array([0.5, 0.5, 0.2, 0.0]),
        ),
        lambda ax, r: (
            _check_curve(ax, "greedy: waiting requests", r.queue_length, x=np.arange(4)),
            _check_curve(ax, "greedy: pairs delivered", r.served_per_slot, x=np.arange(4)),
        ),
    ),
    "DesignSolution": (_design, lambda ax, r: _check_curve(ax, "exhaustive", r.history)),
    "PhaseEstimate": (_phase, _check_phase),
    "ThresholdEstimate": (_threshold, _check_threshold),
    "FiniteSizeThreshold": (_finite_size, _check_finite_size),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_plot_holds_the_results_data(name):
    make, check = CASES[name]
    result = make()
    ax = result.plot()
    assert type(result).__name__ == name
    check(ax, result)
    assert ax.get_xlabel() and ax.get_ylabel()


@pytest.mark.parametrize("name", sorted(CASES))
def test_plot_draws_on_a_given_axes_and_refuses_a_bad_one(name):
    result = CASES[name][0]()
    fig, ax = plt.subplots()
    assert result.plot(ax=ax) is ax
    assert ax.lines or ax.patches or ax.images
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        result.plot(ax=fig)


def test_plot_passes_options_to_the_plot_function():
    r = _chain()
    ax = r.plot(bins=5)
    assert len(ax.patches) == 5
    assert _rate_distance().plot(ylabel="bits per mode").get_ylabel() == "bits per mode"


def test_barren_plateau_plot_shows_variances_and_their_fit():
    from qnetlab.qnn.vqa import BarrenPlateauResult

    rng = np.random.default_rng(0)
    grads = tuple(rng.normal(0, 2.0 ** (-n / 2), 400) for n in (2, 4, 6))
    r = BarrenPlateauResult((2, 4, 6), tuple(float(g.var(ddof=1)) for g in grads), 3, 1200, grads)
    ax = r.plot()
    _check_curve(ax, "sampled variance", r.variance, x=r.n_qubits)
    b, _, a = r.fit()
    _check_curve(
        ax, f"fit 2^({a:.2f} - {b:.2f} n)", 2.0 ** (a - b * np.array([2, 4, 6])), [2, 4, 6]
    )
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "qubits n"
    one = BarrenPlateauResult((2,), (0.1,), 3, 100)  # one point: no fit line
    assert len(one.plot().lines) == 1


def test_qnn_results_plot_their_histories():
    from qnetlab.qnn.chemistry import DissociationCurve
    from qnetlab.qnn.generative import BornMachineResult, QGANResult
    from qnetlab.qnn.models import ChannelIDResult, DiscriminationResult, QCNNResult
    from qnetlab.qnn.vqa import VQEResult

    loss = (0.9, 0.5, 0.3)
    for r in (
        DiscriminationResult(0.8, 0.82, 0.85, 100, loss, None),
        ChannelIDResult(0.9, 0.7, np.eye(2), loss, None),
        QCNNResult(0.9, 0.88, loss, None),
    ):
        ax = r.plot()
        _check_curve(ax, "training loss", loss)
        assert ax.get_xlabel() == "epoch"
    vqe = VQEResult(-1.1, -1.137, np.zeros(2), 30, (-0.5, -0.9, -1.1), 90)
    ax = vqe.plot()
    _check_curve(ax, "VQE", vqe.history)
    assert _line(ax, "exact ground energy")[1][0] == -1.137
    born = BornMachineResult(np.zeros(2), np.ones(4) / 4, np.ones(4) / 4, 0.0, 0.0, "kl", 2, loss)
    _check_curve(born.plot(), "KL loss", loss)
    qgan = QGANResult(0.95, 0.55, np.zeros(2), np.ones(2) / np.sqrt(2), (0.5, 0.9), (0.8, 0.6))
    ax = qgan.plot()
    _check_curve(ax, "fidelity to target", qgan.fidelity_history)
    _check_curve(ax, "discriminator success", qgan.success_history)
    r = np.array([0.5, 0.74, 1.5])
    curve = DissociationCurve(r, np.array([-1.0, -1.13, -0.9]), np.array([-1.05, -1.137, -0.95]), r)
    ax = curve.plot()
    _check_curve(ax, "VQE", curve.vqe_energies, x=r)
    _check_curve(ax, "exact", curve.exact_energies, x=r)
    assert ax.get_xlabel() == "bond length R (Å)" and ax.get_ylabel() == "energy (Ha)"
    with pytest.raises(TypeError, match="ax must be"):
        vqe.plot(ax="axes")


def test_logical_error_rates_one_line_per_distance_with_threshold_band():
    curves = logical_error_curves(
        code="repetition", distances=[3, 5], ps=[0.05, 0.1, 0.2], noise="code_capacity",
        shots=400, seed=1,
    )  # fmt: skip
    ax = pr.plot_logical_error_rates(curves, threshold=_threshold())
    for d, rs in curves.items():
        kept = [r for r in rs if r.rate > 0]
        _check_curve(ax, f"d = {d}", [r.rate for r in kept], x=[r.p for r in kept])
    assert ax.get_xscale() == ax.get_yscale() == "log"
    assert len(ax.collections) == 2  # one confidence band per distance
    _check_threshold_line(ax, _threshold())
    flat = [r for rs in curves.values() for r in rs]
    assert [ln.get_label() for ln in pr.plot_logical_error_rates(flat).lines] == ["d = 3", "d = 5"]
    with pytest.raises(TypeError, match="distance, p, rate"):
        pr.plot_logical_error_rates([SimpleNamespace(p=0.1)])


def test_plot_functions_refuse_bad_data():
    with pytest.raises(ValueError, match=r"curves\['a'\] must be 1-D"):
        pr.plot_curves({"a": [[1.0, 2.0]]})
    with pytest.raises(ValueError, match="length of x"):
        pr.plot_curves({"a": [1.0, 2.0]}, x=[1.0])
    with pytest.raises(ValueError, match="one shape"):
        pr.plot_roc([0.0, 1.0], [1.0])
    with pytest.raises(ValueError, match="finite value"):
        pr.plot_distribution([np.nan])
    with pytest.raises(ValueError, match="square"):
        pr.plot_confusion([[1, 2, 3]])
    with pytest.raises(ValueError, match="name 2 classes"):
        pr.plot_confusion([[1, 0], [0, 1]], ["a"])
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes or None, got list"):
        get_axes([])


def test_plot_curves_options():
    ax = pr.plot_curves(
        {"a": [1.0, 10.0]}, x=[1.0, 100.0], logx=True, logy=True, vlines={"event": 5.0}
    )
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    assert _line(ax, "event")[0][0] == 5.0
    assert ax.get_legend() is not None
    m = pr.plot_confusion([[2, 0], [0, 0]], normalise=False).images[0].get_array()
    np.testing.assert_array_equal(m, [[2, 0], [0, 0]])
    ax = pr.plot_distribution([1.0, 2.0, np.inf], logy=True, label="x")
    assert ax.get_yscale() == "log" and sum(p.get_height() * p.get_width() for p in ax.patches) == (
        pytest.approx(1.0)
    )
