"""Parameter sweeps as tables, serial, on local cores (joblib) or on a Dask cluster.

:func:`sweep` maps a function over a grid of keyword arguments and returns a
:class:`pandas.DataFrame` indexed by the grid (a ``MultiIndex`` of the swept parameters,
a plain index for one parameter). Each grid point gets its own seed, drawn in grid order
from one parent seed, so the table is the same whether the points run serially
(``n_jobs=1``, the default), on all local cores (``n_jobs=-1``, joblib) or on a Dask
distributed cluster (``client=``: a :class:`distributed.Client`, or a scheduler address
such as ``"tcp://10.0.0.5:8786"``). :func:`sweep_list` returns the raw values in grid
order instead of a table, and :func:`table` builds the table from values computed
elsewhere.

Columns of the table: a result with ``to_dict()`` (every result dataclass of the package,
see :mod:`qnetlab.results`) gives one column per field; a mapping one column per key; any
other value one column ``"value"``. A field named like a swept parameter and equal to it
is dropped (the index holds it).

The same sweep on a laptop and on a cluster::

    table = sweep(point, {"p": ps, "d": ds}, seed=2026)                  # serial
    table = sweep(point, {"p": ps, "d": ds}, seed=2026, client="tcp://scheduler:8786")

With ``progress=True`` a serial or joblib sweep shows a tqdm bar and a Dask sweep Dask's
own progress bar (the cluster's dashboard, ``client.dashboard_link``, shows the tasks).

>>> def square(x, seed):
...     return x * x
>>> sweep(square, {"x": [1, 2, 3]}, seed=0)
   value
x
1      1
2      4
3      9
"""

from __future__ import annotations

import functools
import inspect
import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from ._validation import SeedLike, check_integer, make_rng

__all__ = ["MAX_POINTS", "grid", "sweep", "sweep_list", "table"]


#: Largest number of points one sweep evaluates (split bigger sweeps into several calls).
MAX_POINTS = 10**7


def grid(parameters: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Cartesian product of parameter lists as a list of keyword dictionaries.

    Parameters
    ----------
    parameters : mapping of str to sequence
        Parameter name -> the values it takes; the last name varies fastest.

    Returns
    -------
    list of dict
        One keyword dictionary per grid point.

    Raises
    ------
    ValueError
        If ``parameters`` is empty, a list of values is empty, or the grid has more than
        :data:`MAX_POINTS` points.
    TypeError
        If a value of ``parameters`` is not a list of values.

    Examples
    --------
    >>> grid({"d": [3, 5], "p": [0.1]})
    [{'d': 3, 'p': 0.1}, {'d': 5, 'p': 0.1}]
    """
    if not isinstance(parameters, Mapping) or not parameters:
        raise ValueError("parameters must be a non-empty mapping of name -> list of values")
    names = list(parameters)
    values = []
    for n in names:
        if isinstance(parameters[n], (str, bytes)) or not hasattr(parameters[n], "__iter__"):
            raise TypeError(
                f"parameters[{n!r}] must be a list of values, got {type(parameters[n]).__name__}"
            )
        v = list(parameters[n])
        if not v:
            raise ValueError(f"parameters[{n!r}] must not be empty")
        values.append(v)
    size = math.prod(len(v) for v in values)
    if size > MAX_POINTS:
        raise ValueError(
            f"parameters must span at most {MAX_POINTS} points, got {size}; split the grid"
        )
    return [dict(zip(names, combo)) for combo in itertools.product(*values)]


def _points(points: Any) -> list[dict[str, Any]]:
    if isinstance(points, Mapping):
        return grid(points)
    if isinstance(points, (str, bytes)) or not hasattr(points, "__iter__"):
        raise TypeError(
            "points must be a mapping name -> values or an iterable of keyword dicts, "
            f"got {type(points).__name__}"
        )
    pts = []
    for p in points:
        if not isinstance(p, Mapping):
            raise TypeError(f"points must hold keyword dicts, got {type(p).__name__}")
        pts.append(dict(p))
        if len(pts) > MAX_POINTS:
            raise ValueError(f"points must hold at most {MAX_POINTS} points; split them")
    if not pts:
        raise ValueError("points must not be empty")
    return pts


def _check_signature(func: Callable[..., Any], pts: list[dict[str, Any]]) -> None:
    """Refuse, before any work, a function that cannot take a point and its seed."""
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):  # pragma: no cover - builtins without a signature
        return
    name = getattr(func, "__name__", type(func).__name__)
    takes_kwargs = any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values())
    if "seed" not in signature.parameters and not takes_kwargs:
        raise TypeError(
            f"func must accept a keyword argument seed (sweep gives every point its own "
            f"seed), but {name}{signature} does not; add seed=None to its parameters "
            f"(and pass it on to the random draws)"
        )
    for keys in {tuple(p) for p in pts}:
        try:
            signature.bind(**dict.fromkeys(keys), seed=None)
        except TypeError as exc:
            raise TypeError(
                f"func {name}{signature} cannot be called with the swept parameters "
                f"{list(keys)} and seed: {exc}"
            ) from None


def _call(func: Callable[..., Any], point: dict[str, Any], seed: int) -> Any:
    return func(**point, seed=seed)


def _run_dask(
    func: Callable[..., Any], pts: list[dict[str, Any]], seeds: list[int], client: Any, *,
    progress: bool,
) -> list[Any]:  # fmt: skip
    from distributed import Client
    from distributed import progress as dask_progress

    if isinstance(client, str):
        owned = Client(client)
    elif isinstance(client, Client):
        owned = None
    else:
        raise TypeError(
            "client must be a distributed.Client or a scheduler address such as "
            f"'tcp://host:8786', got {type(client).__name__}"
        )
    c = owned or client
    try:
        futures = c.map(functools.partial(_call, func), pts, seeds, pure=False)
        if progress:
            dask_progress(futures)
        return c.gather(futures)
    finally:
        if owned is not None:
            owned.close()


def sweep_list(
    func: Callable[..., Any],
    points: Mapping[str, Sequence[Any]] | Iterable[Mapping[str, Any]],
    *,
    seed: SeedLike = None,
    n_jobs: int = 1,
    client: Any = None,
    progress: bool = False,
) -> list[Any]:
    """Evaluate ``func(**point, seed=child_seed)`` at every point; values in point order.

    Parameters
    ----------
    func : callable
        Called as ``func(**point, seed=s)``; it must accept the keyword ``seed`` (an
        ``int``, drawn for this point from ``seed``).
    points : mapping of str to sequence, or iterable of dict
        A grid (name -> values, expanded with :func:`grid`) or explicit keyword dicts.
    seed : int, numpy.random.Generator or None, optional
        Parent seed of the per-point seeds (drawn in point order).
    n_jobs : int, optional
        joblib workers: 1 runs serially (default), -1 uses all local cores.
    client : distributed.Client or str, optional
        Run on this Dask cluster (a client, or a scheduler address, for which a client is
        opened and closed). Excludes ``n_jobs``.
    progress : bool, optional
        Show a tqdm bar (Dask's progress bar with ``client``).

    Returns
    -------
    list
        ``func``'s values, in point order; the same for every ``n_jobs`` and ``client``.

    Raises
    ------
    TypeError
        If ``func`` is not callable, cannot take the swept parameters and ``seed``, or
        ``points`` or ``client`` has the wrong type.
    ValueError
        If ``points`` is empty or too large, ``n_jobs`` is 0, or both ``n_jobs`` and
        ``client`` are given.

    Examples
    --------
    >>> def noisy(x, seed):
    ...     return x + int(np.random.default_rng(seed).integers(10))
    >>> sweep_list(noisy, {"x": [0, 100]}, seed=1) == sweep_list(noisy, [{"x": 0},
    ...     {"x": 100}], seed=1, n_jobs=2)
    True
    """
    if not callable(func):
        raise TypeError(f"func must be callable, got {type(func).__name__}")
    pts = _points(points)
    n_jobs = check_integer(n_jobs, "n_jobs")
    if n_jobs == 0:
        raise ValueError("n_jobs must be a non-zero integer (1 serial, -1 all cores), got 0")
    if client is not None and n_jobs != 1:
        raise ValueError(f"give n_jobs or client, not both (got n_jobs={n_jobs} and a client)")
    _check_signature(func, pts)
    rng = make_rng(seed)
    seeds = rng.integers(0, np.iinfo(np.int64).max, size=len(pts)).tolist()
    if client is not None:
        return _run_dask(func, pts, seeds, client, progress=progress)
    iterator: Iterable[tuple[dict[str, Any], int]] = zip(pts, seeds)
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(list(iterator), desc=getattr(func, "__name__", "sweep"))
    if n_jobs == 1:
        return [func(**p, seed=s) for p, s in iterator]
    from joblib import Parallel, delayed

    return Parallel(n_jobs=n_jobs)(delayed(func)(**p, seed=s) for p, s in iterator)


def _row(value: Any) -> dict[str, Any]:
    if hasattr(value, "to_dict") and callable(value.to_dict) and not isinstance(value, Mapping):
        out = value.to_dict()
        if isinstance(out, Mapping):
            return dict(out)
    if isinstance(value, Mapping):
        return dict(value)
    return {"value": value}


def table(
    points: Mapping[str, Sequence[Any]] | Iterable[Mapping[str, Any]], values: Sequence[Any]
) -> Any:
    """A table of ``values`` indexed by their ``points`` (the table :func:`sweep` returns).

    Parameters
    ----------
    points : mapping of str to sequence, or iterable of dict
        The grid or the keyword dicts the values were computed at, in the same order.
    values : sequence
        One value per point: a result with ``to_dict()`` (one column per field), a
        mapping (one column per key) or anything else (one column ``"value"``).

    Returns
    -------
    pandas.DataFrame
        One row per point, indexed by the swept parameters (a ``MultiIndex`` for two or
        more, a plain index for one). A column named like a parameter and equal to it on
        every row is dropped.

    Raises
    ------
    ValueError
        If ``values`` and ``points`` differ in length.

    Examples
    --------
    >>> table({"d": [3, 5], "p": [0.1, 0.2]}, [{"rate": r} for r in (1, 2, 3, 4)])
               rate
    d p
    3 0.1     1
      0.2     2
    5 0.1     3
      0.2     4
    """
    import pandas as pd

    pts = _points(points)
    values = list(values)
    if len(values) != len(pts):
        raise ValueError(
            f"values must hold one value per point ({len(pts)} points), got {len(values)}"
        )
    names = list(dict.fromkeys(k for p in pts for k in p))
    rows = [_row(v) for v in values]
    frame = pd.DataFrame(rows)
    for name in names:
        if name in frame.columns:
            same = [r.get(name) == p.get(name) for r, p in zip(rows, pts)]
            if all(isinstance(s, (bool, np.bool_)) and s for s in same):
                frame = frame.drop(columns=name)
    if len(names) == 1:
        index = pd.Index([p.get(names[0]) for p in pts], name=names[0])
    else:
        index = pd.MultiIndex.from_tuples([tuple(p.get(n) for n in names) for p in pts])
        index.names = names
    frame.index = index
    return frame


def sweep(
    func: Callable[..., Any],
    points: Mapping[str, Sequence[Any]] | Iterable[Mapping[str, Any]],
    *,
    seed: SeedLike = None,
    n_jobs: int = 1,
    client: Any = None,
    progress: bool = False,
) -> Any:
    """Evaluate ``func(**point, seed=child_seed)`` at every point; a table indexed by them.

    Parameters
    ----------
    func : callable
        Called as ``func(**point, seed=s)``; it must accept the keyword ``seed``.
    points : mapping of str to sequence, or iterable of dict
        A grid (name -> values, expanded with :func:`grid`) or explicit keyword dicts.
    seed : int, numpy.random.Generator or None, optional
        Parent seed of the per-point seeds (drawn in point order).
    n_jobs : int, optional
        joblib workers: 1 runs serially (default), -1 uses all local cores.
    client : distributed.Client or str, optional
        Run on this Dask cluster (a client or a scheduler address). Excludes ``n_jobs``.
    progress : bool, optional
        Show a tqdm bar (Dask's progress bar with ``client``).

    Returns
    -------
    pandas.DataFrame
        :func:`table` of the values: one row per point, indexed by the swept parameters;
        identical for every ``n_jobs`` and ``client``.

    Raises
    ------
    TypeError
        If ``func`` cannot take the swept parameters and ``seed`` (said before any work).
    ValueError
        As :func:`sweep_list`.

    Examples
    --------
    >>> def coin(n, bias, seed):
    ...     return {"heads": int(np.random.default_rng(seed).binomial(n, bias))}
    >>> t = sweep(coin, {"n": [10, 1000], "bias": [0.0, 1.0]}, seed=3)
    >>> int(t.loc[(1000, 1.0), "heads"]), list(t.index.names)
    (1000, ['n', 'bias'])
    >>> sweep(lambda n: n, {"n": [1]})
    Traceback (most recent call last):
    ...
    TypeError: func must accept a keyword argument seed (sweep gives every point its own ...
    """
    pts = points if isinstance(points, Mapping) else _points(points)
    values = sweep_list(func, pts, seed=seed, n_jobs=n_jobs, client=client, progress=progress)
    return table(pts, values)
