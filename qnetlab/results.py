"""Results as dictionaries and tidy tables.

The package returns its results as frozen dataclasses (:class:`qnetlab.qkd.BB84Result`,
:class:`qnetlab.qec.LogicalErrorRate`, ...). They share one small mixin,
:class:`ResultMixin`, which converts a result to plain values and to a
:class:`pandas.DataFrame`:

- :meth:`ResultMixin.to_dict` maps every field to a plain Python value (``int``,
  ``float``, ``bool``, ``str``, ``None``, ``list``, ``dict``) or a NumPy array; NumPy
  scalars become Python scalars, tuples become lists, nested results become dictionaries;
  objects that are not data (a trained Keras model) are kept as they are.
- :meth:`ResultMixin.to_dataframe` follows one rule. The *arrays* of a result are its
  fields that are 1-D sequences of scalars (NumPy arrays, lists, tuples) and are shown in
  its ``repr`` (a field declared ``field(repr=False)`` holds bulk data, such as the key
  bits of a QKD run, and is never spread over rows). When it has
  arrays and they all share one length ``n``, the table has ``n`` rows: each array is a
  column and each scalar field is repeated on every row (a tidy, long table: one
  observation per row). Otherwise (no arrays, or arrays of different lengths) the table has
  one row: scalars are columns and every other field is kept whole in its cell. Fields that
  are neither scalars nor such arrays (matrices, dictionaries, nested results) are left out
  of the ``n``-row table; :meth:`~ResultMixin.to_dict` always has them.

pandas is imported only when a table is asked for, so ``import qnetlab`` stays light.

>>> from dataclasses import dataclass
>>> import numpy as np
>>> @dataclass(frozen=True)
... class Curve(ResultMixin):
...     label: str
...     x: np.ndarray
...     y: np.ndarray
>>> c = Curve("demo", np.array([1.0, 2.0]), np.array([0.5, 0.25]))
>>> c.to_dict()["label"], c.to_dict()["y"].tolist()
('demo', [0.5, 0.25])
>>> c.to_dataframe()
  label    x     y
0  demo  1.0  0.50
1  demo  2.0  0.25
"""

from __future__ import annotations

import dataclasses
import numbers
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["ResultMixin", "deprecated_alias", "to_plain"]


def to_plain(value: Any) -> Any:
    """Convert a value to plain Python values and NumPy arrays (recursively).

    Parameters
    ----------
    value : Any
        A scalar, NumPy scalar or array, sequence, mapping, dataclass or result.

    Returns
    -------
    Any
        NumPy scalars as ``int``/``float``/``complex``/``bool``; NumPy arrays unchanged (a
        copy is not made); tuples and lists as lists; mappings as dicts with converted
        values; dataclasses (results among them) as dicts of their fields. Anything else is
        returned as it is.

    Examples
    --------
    >>> import numpy as np
    >>> to_plain({"n": np.int64(3), "xs": (np.float64(0.5), 1)})
    {'n': 3, 'xs': [0.5, 1]}
    """
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (str, bytes, bool, int, float, complex)) or value is None:
        return value
    if isinstance(value, ResultMixin):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    return value


class deprecated_alias:
    """A read-only old name of an attribute that warns and returns the new one.

    Assigned in a class body (``old = deprecated_alias("new", "what new means")``); reading
    ``obj.old`` emits a :class:`DeprecationWarning` naming ``new`` and returns ``obj.new``.

    Parameters
    ----------
    new : str
        The attribute that replaces the old name.
    meaning : str
        What the value is, with its unit (shown in the warning and the docstring).

    Examples
    --------
    >>> import warnings
    >>> class Run:
    ...     secret_bits_per_pulse = 0.25
    ...     secret_fraction = deprecated_alias("secret_bits_per_pulse", "bits per pulse")
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     value = Run().secret_fraction
    >>> value, "secret_bits_per_pulse" in str(caught[0].message)
    (0.25, True)
    """

    def __init__(self, new: str, meaning: str) -> None:
        self.new = new
        self.meaning = meaning
        self.name = "?"
        self.__doc__ = f"Deprecated alias of :attr:`{new}` ({meaning})."

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        warnings.warn(
            f"{type(obj).__name__}.{self.name} is deprecated: use {self.new} ({self.meaning})",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(obj, self.new)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, bytes, bool, numbers.Number, np.generic))


def _array_length(value: Any) -> int | None:
    """Length of a 1-D sequence of scalars, else None."""
    if isinstance(value, np.ndarray):
        return len(value) if value.ndim == 1 else None
    if isinstance(value, (list, tuple)) and all(_is_scalar(v) for v in value):
        return len(value)
    return None


class ResultMixin:
    """Mixin of the package's frozen result dataclasses: ``to_dict`` and ``to_dataframe``.

    The module docstring of :mod:`qnetlab.results` states the conversion rule.

    Examples
    --------
    >>> from qnetlab.qec import logical_error_rate
    >>> r = logical_error_rate(code="repetition", distance=3, p=0.1,
    ...                        noise="code_capacity", decoder="mwpm", shots=1000,
    ...                        seed=1)
    >>> r.to_dict()["shots"], type(r.to_dict()["rate"]).__name__
    (1000, 'float')
    >>> r.to_dataframe().shape
    (1, 11)
    """

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """The result's fields as plain Python values and NumPy arrays.

        Returns
        -------
        dict
            ``{field name: value}`` in field order (see :func:`to_plain`).

        Examples
        --------
        >>> from qnetlab.qkd import run_bb84
        >>> r = run_bb84(200, seed=1)
        >>> d = r.to_dict()
        >>> d["n_pulses"], type(d["qber"]).__name__
        (200, 'float')
        """
        if not dataclasses.is_dataclass(self):
            raise TypeError(f"{type(self).__name__} must be a dataclass to use ResultMixin")
        return {f.name: to_plain(getattr(self, f.name)) for f in dataclasses.fields(self)}

    def to_dataframe(self) -> Any:
        """The result as a tidy :class:`pandas.DataFrame` (rule in :mod:`qnetlab.results`).

        Returns
        -------
        pandas.DataFrame
            ``n`` rows when the result's 1-D arrays share the length ``n`` (arrays as
            columns, scalars repeated); one row otherwise.

        Examples
        --------
        >>> from qnetlab.repeaters import rate_vs_distance
        >>> t = rate_vs_distance([50.0, 100.0], n_segments=2).to_dataframe()
        >>> t.shape[0], "distance_km" in t.columns
        (2, True)
        """
        import pandas as pd

        data = self.to_dict()
        shown = {f.name for f in dataclasses.fields(self) if f.repr}
        lengths = {k: _array_length(v) if k in shown else None for k, v in data.items()}
        array_lengths = {n for n in lengths.values() if n is not None}
        if len(array_lengths) == 1 and (n := array_lengths.pop()) > 0:
            columns = {}
            for k, v in data.items():
                if lengths[k] is not None:
                    columns[k] = list(v) if not isinstance(v, np.ndarray) else v
                elif _is_scalar(v):
                    columns[k] = [v] * n
            return pd.DataFrame(columns)
        return pd.DataFrame([data])
