"""QEC sweeps that stop at a target number of errors and resume from sinter-format CSV.

Two engines run the same sweep of memory experiments (codes x distances x physical error
rates) and return the same :class:`~qnetlab.qec.experiments.LogicalErrorRate` results:

- :func:`collect_sinter` hands the tasks to sinter, stim's sweep runner (Gidney 2021):
  ``num_workers`` processes, stopping at ``max_shots`` or ``max_errors`` per task, resumable
  from its CSV file (``save_resume_filepath``). Its sampling is not seeded: compare its
  statistics, never its bits. Needs ``sinter`` (``pip install qnetlab[cluster]``).
- :func:`collect_logical_errors` is the package's own engine, in one process: batches of
  ``batch_size`` shots until ``max_shots`` or ``max_errors``, any decoder of
  :data:`~qnetlab.qec.experiments.DECODERS`, every batch seeded from ``seed`` and its index
  (a resumed run gives the totals of an uninterrupted one, shot for shot), and the same CSV
  format as sinter (one row per batch; the same ``strong_id`` as sinter for MWPM), so either
  engine resumes, extends or reads the other's file.

:func:`read_stats_csv` reads such a file (no sinter needed) and :func:`from_sinter_stats`
converts sinter's ``TaskStats``. The threshold over all distances is
:func:`~qnetlab.qec.scaling.fit_threshold_finite_size`.

>>> res = collect_logical_errors(code="repetition", distances=[3], ps=[0.1],
...                              noise="code_capacity", max_shots=4000, batch_size=1000,
...                              seed=1)
>>> res[0].shots, res[0].ci_low < 0.028 < res[0].ci_high
(4000, True)
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from .._validation import SeedLike, check_array, check_choice, check_integer, make_rng
from .experiments import (
    DECODERS,
    LogicalErrorRate,
    binomial_interval,
    build_decoder,
    count_logical_errors,
)
from .stim_codes import _MAX_DISTANCE, check_code_arguments, memory_circuit

__all__ = [
    "CSV_COLUMNS",
    "collect_logical_errors",
    "collect_sinter",
    "from_sinter_stats",
    "read_stats_csv",
    "sinter_tasks",
    "task_metadata",
    "task_strong_id",
]

#: Columns of sinter's CSV format (``sinter.CSV_HEADER``), in order.
CSV_COLUMNS: tuple[str, ...] = (
    "shots",
    "errors",
    "discards",
    "seconds",
    "decoder",
    "strong_id",
    "json_metadata",
    "custom_counts",
)

#: Decoder names in the CSV: sinter's name for PyMatching, the package's names otherwise.
_CSV_DECODER = {"mwpm": "pymatching"}
_OUR_DECODER = {"pymatching": "mwpm"}


def task_metadata(
    code: str, distance: int, p: float, noise: str, rounds: int | None = None, basis: str = "z"
) -> dict[str, Any]:
    """The ``json_metadata`` that identifies a memory experiment in a sweep's CSV.

    Parameters
    ----------
    code, distance, p, noise, rounds, basis
        As for :func:`~qnetlab.qec.stim_codes.memory_circuit` (``rounds`` defaults to 1
        for code capacity and to ``distance`` otherwise).

    Returns
    -------
    dict
        ``{"basis", "code", "d", "noise", "p", "r"}``.

    Raises
    ------
    ValueError
        If an argument is out of range (see
        :func:`~qnetlab.qec.stim_codes.check_code_arguments`).

    Examples
    --------
    >>> task_metadata("rotated_surface", 3, 0.005, "circuit")
    {'basis': 'z', 'code': 'rotated_surface', 'd': 3, 'noise': 'circuit', 'p': 0.005, 'r': 3}
    """
    code, d, prob, noise, r = check_code_arguments(code, distance, p, noise, rounds)
    check_choice(basis, "basis", ("z", "x"))
    return {"basis": basis, "code": code, "d": d, "noise": noise, "p": prob, "r": r}


def task_strong_id(circuit: Any, decoder: str, metadata: Any) -> str:
    """sinter's ``strong_id`` of a task: SHA-256 of its circuit, decoder, model and metadata.

    The detector error model is computed as sinter computes it (``decompose_errors=True,
    approximate_disjoint_errors=True``), so the id equals ``sinter.Task(...).strong_id()``.

    Parameters
    ----------
    circuit : stim.Circuit
        The task's circuit.
    decoder : str
        Decoder name as written in the CSV (``"pymatching"`` for MWPM).
    metadata : dict
        The task's ``json_metadata``.

    Returns
    -------
    str
        64 hexadecimal digits.

    Raises
    ------
    TypeError
        If ``circuit`` is not a stim circuit or ``decoder`` not a string.

    Examples
    --------
    >>> c = memory_circuit("repetition", 3, 0.1, "code_capacity")
    >>> len(task_strong_id(c, "pymatching", {"d": 3}))
    64
    """
    import stim

    if not isinstance(circuit, stim.Circuit):
        raise TypeError(f"circuit must be a stim.Circuit, got {type(circuit).__name__}")
    if not isinstance(decoder, str):
        raise TypeError(f"decoder must be a str, got {type(decoder).__name__}")
    dem = circuit.detector_error_model(decompose_errors=True, approximate_disjoint_errors=True)
    value = {
        "circuit": str(circuit),
        "decoder": decoder,
        "decoder_error_model": str(dem),
        "postselection_mask": None,
        "json_metadata": metadata,
    }
    return hashlib.sha256(json.dumps(value).encode("utf8")).hexdigest()


def _grid(
    code: str, distances: Any, ps: Any, noise: str, rounds: int | None, basis: str
) -> list[dict[str, Any]]:
    dist = check_array(distances, "distances", ndim=1, low=3, high=_MAX_DISTANCE)
    if np.any(dist != np.round(dist)):
        raise ValueError(f"distances must be integers, got {dist.tolist()}")
    p_list = check_array(ps, "ps", ndim=1, low=0.0, high=1.0).tolist()
    return [
        task_metadata(code, int(d), float(p), noise, rounds, basis) for d in dist for p in p_list
    ]


def _result(meta: dict[str, Any], decoder: str, shots: int, errors: int) -> LogicalErrorRate:
    low, high = binomial_interval(errors, shots)
    return LogicalErrorRate(
        meta["code"], meta["d"], meta["p"], meta["noise"], decoder, meta["r"],
        shots, errors, errors / shots, low, high,
    )  # fmt: skip


def read_stats_csv(path: str | Path) -> list[LogicalErrorRate]:
    """Totals per task of a sinter-format CSV file (sinter's or this module's).

    Rows of the same task (same ``strong_id``) are summed; rows whose metadata are not a
    memory experiment of this package (:func:`task_metadata`) are skipped.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file.

    Returns
    -------
    list of LogicalErrorRate
        One result per task, sorted by code, noise, decoder, distance, rounds and ``p``
        (sinter writes tasks in the order they finish).

    Raises
    ------
    ValueError
        If the file lacks one of sinter's columns.

    Examples
    --------
    >>> import os, tempfile
    >>> f = os.path.join(tempfile.mkdtemp(), "s.csv")
    >>> _ = collect_logical_errors(code="repetition", distances=[3], ps=[0.1],
    ...     noise="code_capacity", max_shots=2000, batch_size=1000, seed=1,
    ...     save_resume_filepath=f)
    >>> [(r.distance, r.shots) for r in read_stats_csv(f)]
    [(3, 2000)]
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike file name, got {type(path).__name__}")
    totals = _read_totals(Path(path))
    out = [_result(meta, dec, shots, errors) for meta, dec, shots, errors, _ in totals.values()]
    return sorted(out, key=lambda r: (r.code, r.noise, r.decoder, r.distance, r.rounds, r.p))


def _read_totals(path: Path) -> dict[str, list[Any]]:
    """``strong_id -> [metadata, decoder, shots, errors, rows]`` from a CSV file."""
    totals: dict[str, list[Any]] = {}
    if not path.exists():
        return totals
    with path.open(newline="") as fh:
        reader = csv.DictReader(fh, skipinitialspace=True)
        fields = {f.strip() for f in reader.fieldnames or ()}
        missing = set(CSV_COLUMNS[:-1]) - fields
        if missing:
            raise ValueError(f"{path} is not a sinter CSV file: columns {sorted(missing)} missing")
        for row in reader:
            row = {k.strip(): (v.strip() if isinstance(v, str) else v) for k, v in row.items()}
            meta = json.loads(row["json_metadata"])
            if not isinstance(meta, dict) or not {"code", "d", "p", "noise", "r"} <= set(meta):
                continue
            meta.setdefault("basis", "z")
            entry = totals.setdefault(
                row["strong_id"], [meta, _OUR_DECODER.get(row["decoder"], row["decoder"]), 0, 0, 0]
            )
            entry[2] += int(row["shots"]) - int(row["discards"])
            entry[3] += int(row["errors"])
            entry[4] += 1
    return totals


def _csv_row(shots: int, errors: int, seconds: float, decoder: str, sid: str, meta: Any) -> str:
    meta_text = json.dumps(meta, separators=(",", ":"), sort_keys=True)
    out = [shots, errors, 0, f"{seconds:.3f}", decoder, sid, meta_text, ""]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(out)
    return buf.getvalue()


def collect_logical_errors(
    *,
    code: str,
    distances: Any,
    ps: Any,
    noise: str,
    max_shots: int,
    max_errors: int | None = None,
    decoder: str = "mwpm",
    rounds: int | None = None,
    basis: str = "z",
    batch_size: int = 10_000,
    save_resume_filepath: str | Path | None = None,
    seed: SeedLike = None,
    progress: bool = False,
) -> list[LogicalErrorRate]:
    """Sweep memory experiments in batches until ``max_shots`` or ``max_errors`` per task.

    Every task (distance x p) runs batches of ``batch_size`` shots (the last one cut to
    ``max_shots``) and stops after the batch in which its errors reach ``max_errors``:
    it overshoots by less than one batch. With ``save_resume_filepath`` every batch is
    appended to that CSV file in sinter's format, and the totals already there count: a call
    resumes where an interrupted one stopped. Batch ``i`` of a task is seeded by ``seed``,
    the task and ``i``, so a run resumed with the same ``seed`` gives exactly the totals of
    an uninterrupted one.

    Parameters
    ----------
    code, noise, rounds, basis
        As for :func:`~qnetlab.qec.stim_codes.memory_circuit`.
    distances, ps : array_like
        Odd distances and physical error rates; the grid is their product.
    max_shots : int
        Shots per task (>= 1), counting those already in the file.
    max_errors : int or None
        Stop a task once it has this many logical errors (>= 1); None: only ``max_shots``.
    decoder : str
        A name in :data:`~qnetlab.qec.experiments.DECODERS` (written ``"pymatching"`` in
        the CSV for ``"mwpm"``, as sinter does).
    batch_size : int
        Shots per batch, in [1, 10**7].
    save_resume_filepath : str, pathlib.Path or None
        CSV file to resume from and append to.
    seed : int, numpy.random.Generator or None
        Seed of all batches.
    progress : bool
        Show a tqdm bar over the tasks.

    Returns
    -------
    list of LogicalErrorRate
        One result per task (distance-major), with the totals including earlier runs.

    Raises
    ------
    ValueError
        If an argument is out of range or the file is not a sinter CSV file.
    TypeError
        If an integer argument is not an integer.

    Examples
    --------
    >>> res = collect_logical_errors(code="repetition", distances=[3, 5], ps=[0.2],
    ...     noise="code_capacity", max_shots=10**6, max_errors=50, batch_size=500, seed=2)
    >>> [50 <= r.errors < 50 + 500 and r.shots < 10**6 for r in res]
    [True, True]
    """
    from tqdm.auto import tqdm

    n_max = check_integer(max_shots, "max_shots", minimum=1)
    e_max = None if max_errors is None else check_integer(max_errors, "max_errors", minimum=1)
    batch = check_integer(batch_size, "batch_size", minimum=1, maximum=10**7)
    check_choice(decoder, "decoder", DECODERS)
    tasks = _grid(code, distances, ps, noise, rounds, basis)
    path = None if save_resume_filepath is None else Path(save_resume_filepath)
    totals = _read_totals(path) if path is not None else {}
    base = int(make_rng(seed).integers(2**62))
    csv_decoder = _CSV_DECODER.get(decoder, decoder)
    if path is not None and not path.exists():
        path.write_text(",".join(CSV_COLUMNS) + "\n")
    out = []
    for meta in tqdm(tasks, disable=not progress, desc="QEC tasks"):
        circuit = memory_circuit(
            meta["code"], meta["d"], meta["p"], meta["noise"], rounds=meta["r"],
            basis=meta["basis"],
        )  # fmt: skip
        sid = task_strong_id(circuit, csv_decoder, meta)
        _, _, shots, errors, index = totals.get(sid, [meta, decoder, 0, 0, 0])
        dec = None
        while shots < n_max and (e_max is None or errors < e_max):
            if dec is None:
                dec = build_decoder(
                    decoder, circuit, code=meta["code"], distance=meta["d"], p=meta["p"],
                    noise=meta["noise"], rounds=meta["r"],
                )  # fmt: skip
            n = min(batch, n_max - shots)
            child = np.random.SeedSequence([base, int(sid[:15], 16), index])
            t0 = time.perf_counter()
            k = count_logical_errors(circuit, dec, n, seed=np.random.default_rng(child))
            seconds = time.perf_counter() - t0
            shots, errors, index = shots + n, errors + k, index + 1
            if path is not None:
                with path.open("a") as fh:
                    fh.write(_csv_row(n, k, seconds, csv_decoder, sid, meta))
        out.append(_result(meta, decoder, shots, errors))
    return out


def sinter_tasks(
    *,
    code: str,
    distances: Any,
    ps: Any,
    noise: str,
    rounds: int | None = None,
    basis: str = "z",
) -> list[Any]:
    """The sweep's memory experiments as ``sinter.Task`` objects (with their metadata).

    Parameters
    ----------
    code, distances, ps, noise, rounds, basis
        As for :func:`collect_logical_errors`.

    Returns
    -------
    list of sinter.Task
        One task per (distance, p), decoder ``"pymatching"``, ``json_metadata`` from
        :func:`task_metadata`.

    Raises
    ------
    ImportError
        If sinter is not installed.
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> tasks = sinter_tasks(code="repetition", distances=[3, 5], ps=[0.1],
    ...                      noise="code_capacity")
    >>> [t.json_metadata["d"] for t in tasks]
    [3, 5]
    """
    sinter = _import_sinter()
    out = []
    for meta in _grid(code, distances, ps, noise, rounds, basis):
        circuit = memory_circuit(
            meta["code"], meta["d"], meta["p"], meta["noise"], rounds=meta["r"],
            basis=meta["basis"],
        )  # fmt: skip
        dem = circuit.detector_error_model(decompose_errors=True, approximate_disjoint_errors=True)
        out.append(
            sinter.Task(
                circuit=circuit,
                decoder="pymatching",
                detector_error_model=dem,
                json_metadata=meta,
            )
        )
    return out


def _import_sinter() -> Any:
    try:
        import sinter
    except ImportError as exc:  # pragma: no cover - sinter is installed in the test venv
        raise ImportError(
            "collect_sinter needs sinter (pip install 'sinter>=1.16'), or use "
            "collect_logical_errors, the package's own engine"
        ) from exc
    return sinter


def from_sinter_stats(stats: Iterable[Any]) -> list[LogicalErrorRate]:
    """Convert sinter's ``TaskStats`` of memory experiments into ``LogicalErrorRate``.

    Parameters
    ----------
    stats : iterable of sinter.TaskStats
        Statistics whose ``json_metadata`` came from :func:`task_metadata`.

    Returns
    -------
    list of LogicalErrorRate
        One result per statistic (discarded shots left out; ``"pymatching"`` named
        ``"mwpm"``).

    Raises
    ------
    ValueError
        If a statistic's metadata do not describe a memory experiment.

    Examples
    --------
    >>> import sinter
    >>> meta = task_metadata("repetition", 3, 0.1, "code_capacity")
    >>> s = sinter.TaskStats(strong_id="x", decoder="pymatching", json_metadata=meta,
    ...                      shots=1000, errors=28)
    >>> r = from_sinter_stats([s])[0]
    >>> r.decoder, r.distance, r.rate
    ('mwpm', 3, 0.028)
    """
    out = []
    for s in stats:
        meta = dict(s.json_metadata or {})
        if not {"code", "d", "p", "noise", "r"} <= set(meta):
            raise ValueError(
                f"json_metadata must describe a memory experiment (task_metadata), got {meta}"
            )
        shots = int(s.shots) - int(s.discards)
        if shots < 1:
            raise ValueError(f"a statistic has no kept shots: {s!r}")
        out.append(_result(meta, _OUR_DECODER.get(s.decoder, s.decoder), shots, int(s.errors)))
    return out


def collect_sinter(
    *,
    code: str,
    distances: Any,
    ps: Any,
    noise: str,
    max_shots: int,
    max_errors: int | None = None,
    rounds: int | None = None,
    basis: str = "z",
    num_workers: int = 2,
    save_resume_filepath: str | Path | None = None,
    progress: bool = False,
) -> list[LogicalErrorRate]:
    """Run the sweep through sinter (``num_workers`` processes, MWPM by PyMatching).

    sinter samples each task in batches it sizes itself until ``max_shots`` or
    ``max_errors`` (it may overshoot by its last batches, one per worker) and appends every
    batch to ``save_resume_filepath``, from which a later call resumes. Its sampling is not
    seeded. The results come back in the order of the grid (distance-major).

    Parameters
    ----------
    code, distances, ps, noise, rounds, basis
        As for :func:`collect_logical_errors`.
    max_shots : int
        Shots per task (>= 1).
    max_errors : int or None
        Errors per task after which sinter stops it (>= 1).
    num_workers : int
        Worker processes, in [1, 256].
    save_resume_filepath : str, pathlib.Path or None
        sinter's resume file.
    progress : bool
        Print sinter's progress.

    Returns
    -------
    list of LogicalErrorRate
        One result per task.

    Raises
    ------
    ImportError
        If sinter is not installed.
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> res = collect_sinter(code="repetition", distances=[3], ps=[0.1],
    ...                      noise="code_capacity", max_shots=2000, num_workers=1)
    >>> res[0].decoder, res[0].shots >= 2000
    ('mwpm', True)
    """
    sinter = _import_sinter()
    n_max = check_integer(max_shots, "max_shots", minimum=1)
    e_max = None if max_errors is None else check_integer(max_errors, "max_errors", minimum=1)
    workers = check_integer(num_workers, "num_workers", minimum=1, maximum=256)
    tasks = sinter_tasks(code=code, distances=distances, ps=ps, noise=noise, rounds=rounds,
                         basis=basis)  # fmt: skip
    stats = sinter.collect(
        num_workers=workers,
        tasks=tasks,
        max_shots=n_max,
        max_errors=e_max,
        save_resume_filepath=None if save_resume_filepath is None else str(save_resume_filepath),
        print_progress=bool(progress),
    )
    by_id = {s.strong_id: s for s in stats}
    ids = [t.strong_id() for t in tasks]
    ordered = [by_id[i] for i in ids if i in by_id]
    return from_sinter_stats(ordered)
