"""Parameter sweeps that scale out on joblib.

One helper, :func:`sweep`, maps a function over a grid of keyword arguments. It runs
serially by default (reproducible, no process start-up), on all local cores with
``n_jobs=-1``, and on a cluster inside ``joblib.parallel_backend("dask")`` or ray.
Each grid point gets its own seed, drawn from one parent seed, so results do not depend
on how the work is split.

>>> def square(x, seed):
...     return x * x
>>> sweep(square, {"x": [1, 2, 3]}, seed=0)
[1, 4, 9]
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from ._validation import SeedLike, check_integer, make_rng

__all__ = ["grid", "sweep"]


#: Largest number of points one sweep evaluates (split bigger sweeps into several calls).
MAX_POINTS = 10**7


def grid(parameters: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Cartesian product of parameter lists as a list of keyword dictionaries.

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


def sweep(
    func: Callable[..., Any],
    points: Mapping[str, Sequence[Any]] | Iterable[Mapping[str, Any]],
    *,
    seed: SeedLike = None,
    n_jobs: int = 1,
    progress: bool = False,
) -> list[Any]:
    """Evaluate ``func(**point, seed=child_seed)`` at every point, in order.

    ``points`` is either a mapping name -> values (expanded with :func:`grid`) or an
    iterable of keyword dictionaries. ``n_jobs`` follows joblib (1 serial, -1 all cores).
    ``progress=True`` shows a tqdm bar.
    """
    if not callable(func):
        raise TypeError("func must be callable")
    if isinstance(points, Mapping):
        pts = grid(points)
    else:
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
    n_jobs = check_integer(n_jobs, "n_jobs")
    if n_jobs == 0:
        raise ValueError("n_jobs must be a non-zero integer (1 serial, -1 all cores)")
    rng = make_rng(seed)
    seeds = rng.integers(0, np.iinfo(np.int64).max, size=len(pts)).tolist()
    iterator: Iterable[tuple[dict[str, Any], int]] = zip(pts, seeds)
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(list(iterator), desc=getattr(func, "__name__", "sweep"))
    if n_jobs == 1:
        return [func(**p, seed=s) for p, s in iterator]
    from joblib import Parallel, delayed

    return Parallel(n_jobs=n_jobs)(delayed(func)(**p, seed=s) for p, s in iterator)
