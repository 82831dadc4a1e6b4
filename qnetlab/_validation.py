"""Argument checks shared by every qnetlab module, and the readable forms of results.

Every public function validates its inputs here, so that bad input raises a
``ValueError`` or ``TypeError`` that names the argument and the allowed range instead of
producing a silent wrong number or a traceback from deep inside NumPy.

>>> check_probability(0.25, "p")
0.25
>>> check_probability(1.5, "p")
Traceback (most recent call last):
...
ValueError: p must be a probability in [0, 1], got 1.5
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

__all__ = [
    "MAX_ARRAY_BYTES",
    "MAX_ITERATIONS",
    "REPR_WIDTH",
    "SeedLike",
    "check_array",
    "check_bloch_vector",
    "check_callable",
    "check_choice",
    "check_density_matrix",
    "check_in_range",
    "check_integer",
    "check_kraus",
    "check_memory",
    "check_non_negative",
    "check_positive",
    "check_probability",
    "check_probability_vector",
    "check_real",
    "check_size",
    "check_square_matrix",
    "clip",
    "format_value",
    "make_rng",
    "summary_block",
    "to_density_matrix",
]

#: Largest array (bytes) a single call may allocate before it is refused up front.
MAX_ARRAY_BYTES = 2 * 2**30
#: Default upper bound on iteration counts (epochs, restarts, passes, repeats, ...).
MAX_ITERATIONS = 10**6

SeedLike = int | np.integer | np.random.Generator | None


def _as_real(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if isinstance(value, np.ndarray) and value.shape == () and np.isrealobj(value):
            value = value.item()
        else:
            raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    out = float(value)
    if not np.isfinite(out):
        raise ValueError(f"{name} must be finite, got {out}")
    return out


def check_in_range(
    value: Any,
    name: str,
    low: float = -np.inf,
    high: float = np.inf,
    *,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> float:
    """Return ``value`` as a float if it lies in the given interval, else raise.

    >>> check_in_range(0.5, "f", 0.25, 1.0)
    0.5
    >>> check_in_range(0.0, "p", 0.0, 1.0, low_inclusive=False)
    Traceback (most recent call last):
    ...
    ValueError: p must be in (0, 1], got 0.0
    """
    x = _as_real(value, name)
    ok_low = x >= low if low_inclusive else x > low
    ok_high = x <= high if high_inclusive else x < high
    if not (ok_low and ok_high):
        lo = "[" if low_inclusive else "("
        hi = "]" if high_inclusive else ")"
        raise ValueError(f"{name} must be in {lo}{_fmt(low)}, {_fmt(high)}{hi}, got {value}")
    return x


def _fmt(v: float) -> str:
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:g}"


def check_probability(value: Any, name: str) -> float:
    """Return ``value`` as a float in [0, 1], else raise ``ValueError``.

    >>> check_probability(0, "q")
    0.0
    """
    x = _as_real(value, name)
    if not 0.0 <= x <= 1.0:
        raise ValueError(f"{name} must be a probability in [0, 1], got {value}")
    return x


def check_non_negative(value: Any, name: str) -> float:
    """Return ``value`` as a float >= 0, else raise ``ValueError``.

    >>> check_non_negative(3, "length_km")
    3.0
    """
    x = _as_real(value, name)
    if x < 0:
        raise ValueError(f"{name} must be non-negative (>= 0), got {value}")
    return x


def check_positive(value: Any, name: str) -> float:
    """Return ``value`` as a float > 0, else raise ``ValueError``.

    >>> check_positive(2.5, "coherence_time_s")
    2.5
    """
    x = _as_real(value, name)
    if x <= 0:
        raise ValueError(f"{name} must be positive (> 0), got {value}")
    return x


def check_integer(
    value: Any, name: str, minimum: int | None = None, maximum: int | None = None
) -> int:
    """Return ``value`` as an int in ``[minimum, maximum]``, else raise.

    >>> check_integer(4, "n_links", minimum=1)
    4
    >>> check_integer(2.5, "n_links")
    Traceback (most recent call last):
    ...
    TypeError: n_links must be an integer, got float
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    x = int(value)
    if minimum is not None and x < minimum:
        if maximum is None:
            raise ValueError(f"{name} must be an integer >= {minimum}, got {x}")
        raise ValueError(f"{name} must be an integer in [{minimum}, {maximum}], got {x}")
    if maximum is not None and x > maximum:
        raise ValueError(f"{name} must be an integer in [{minimum}, {maximum}], got {x}")
    return x


def check_real(value: Any, name: str) -> float:
    """Return ``value`` as a finite float (any sign), else raise.

    >>> check_real(-0.5, "theta_a")
    -0.5
    >>> check_real(float("nan"), "theta_a")
    Traceback (most recent call last):
    ...
    ValueError: theta_a must be finite, got nan
    """
    return _as_real(value, name)


def check_size(
    value: Any, name: str, minimum: int = 1, maximum: int = MAX_ITERATIONS, *, hint: str = ""
) -> int:
    """Return a count (shots, epochs, restarts, ...) as an int in ``[minimum, maximum]``.

    The upper bound keeps one call's work bounded; ``hint`` says how to proceed when a
    user needs more (for example "split the shots over calls with qnetlab.sweep").

    >>> check_size(10, "epochs")
    10
    >>> check_size(10**12, "shots", maximum=10**8, hint="split them over several calls")
    Traceback (most recent call last):
    ...
    ValueError: shots must be an integer in [1, 100000000], got 1000000000000; split them over several calls
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            f = float(value)
            if np.isfinite(f) and f == int(f):
                value = int(f)
            else:
                raise TypeError(f"{name} must be an integer, got {value!r}")
        else:
            raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    x = int(value)
    if x < minimum:
        raise ValueError(
            f"{name} must be an integer >= {minimum}, got {x} (allowed range [{minimum}, {maximum}])"
        )
    if x > maximum:
        tail = f"; {hint}" if hint else ""
        raise ValueError(f"{name} must be an integer in [{minimum}, {maximum}], got {x}{tail}")
    return x


def check_memory(n_bytes: float, name: str, value: Any, *, hint: str = "") -> None:
    """Refuse up front a call whose arrays would need more than ``MAX_ARRAY_BYTES``.

    >>> check_memory(1e3, "shots", 10)
    >>> check_memory(8e12, "shots", 10**12, hint="split them")
    Traceback (most recent call last):
    ...
    ValueError: shots=1000000000000 would need about 8e+03 GB of memory (limit 2 GB); split them
    """
    if n_bytes > MAX_ARRAY_BYTES:
        tail = f"; {hint}" if hint else ""
        raise ValueError(
            f"{name}={value} would need about {n_bytes / 2**30:.3g} GB of memory "
            f"(limit {MAX_ARRAY_BYTES / 2**30:g} GB){tail}"
        )


def check_callable(value: Any, name: str) -> Any:
    """Return ``value`` if it is callable, else raise ``TypeError``.

    >>> check_callable(abs, "rate") is abs
    True
    """
    if not callable(value):
        raise TypeError(f"{name} must be callable, got {type(value).__name__}")
    return value


def _is_complex(value: Any) -> bool:
    """True when ``value`` holds complex numbers (a real cast would drop their imaginary part)."""
    try:
        return bool(np.iscomplexobj(value))
    except (TypeError, ValueError):  # ragged or not numeric: the cast reports it
        return False


def check_array(
    value: Any,
    name: str,
    *,
    ndim: int | tuple[int, ...] | None = None,
    shape: tuple[int | None, ...] | None = None,
    min_size: int = 1,
    low: float = -np.inf,
    high: float = np.inf,
    dtype: Any = float,
) -> np.ndarray:
    """Return ``value`` as a finite real ndarray with the given shape and range.

    ``shape`` entries that are None match any length. ``low``/``high`` bound every entry
    (inclusive).

    >>> check_array([0.1, 0.2], "ps", ndim=1, low=0, high=1).tolist()
    [0.1, 0.2]
    >>> check_array([0.1, float("nan")], "ps")
    Traceback (most recent call last):
    ...
    ValueError: ps must contain only finite numbers, got nan at index 1
    >>> check_array([[1.0]], "ps", ndim=1)
    Traceback (most recent call last):
    ...
    ValueError: ps must be a 1-D array, got shape (1, 1)
    >>> check_array([1 + 2j], "ps")
    Traceback (most recent call last):
    ...
    TypeError: ps must be an array of real numbers, got complex values
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}")
    if np.dtype(dtype).kind != "c" and _is_complex(value):
        raise TypeError(f"{name} must be an array of real numbers, got complex values")
    try:
        a = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} must be an array of real numbers, got {type(value).__name__}"
        ) from exc
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if a.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be a {want} array, got shape {a.shape}")
    if shape is not None:
        if a.ndim != len(shape) or any(s is not None and s != n for s, n in zip(shape, a.shape)):
            if len(shape) == 1 and shape[0] is not None:
                raise ValueError(f"{name} must have {shape[0]} entries, got shape {a.shape}")
            want = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
            raise ValueError(f"{name} must have shape {want}, got shape {a.shape}")
    if a.size < min_size:
        raise ValueError(f"{name} must have at least {min_size} entries, got {a.size}")
    if a.dtype.kind in "fc":
        bad = ~np.isfinite(a)
        if bad.any():
            i = np.unravel_index(int(np.argmax(bad)), a.shape) if a.ndim else ()
            idx = i[0] if len(i) == 1 else i
            raise ValueError(f"{name} must contain only finite numbers, got {a[i]} at index {idx}")
    if a.dtype.kind in "fiu" and a.size:
        lo, hi = float(a.min()), float(a.max())
        if lo < low or hi > high:
            x = lo if lo < low else hi
            if low == 0 and np.isinf(high):
                raise ValueError(f"{name} must be non-negative (>= 0), got an entry {x:g}")
            raise ValueError(f"{name} entries must be in [{_fmt(low)}, {_fmt(high)}], got {x:g}")
    return a


def check_probability_vector(value: Any, name: str, *, atol: float = 1e-6) -> np.ndarray:
    """Return a 1-D probability vector (entries in [0, 1] summing to one), else raise.

    >>> check_probability_vector([0.25, 0.75], "p").tolist()
    [0.25, 0.75]
    >>> check_probability_vector([0.5, 0.6], "p")
    Traceback (most recent call last):
    ...
    ValueError: p must sum to 1 (a probability vector), got sum 1.1
    """
    a = check_array(value, name, ndim=1, low=0.0, high=1.0)
    total = float(a.sum())
    if abs(total - 1.0) > atol:
        raise ValueError(f"{name} must sum to 1 (a probability vector), got sum {total:.6g}")
    return a


def check_bloch_vector(value: Any, name: str = "r", *, atol: float = 1e-9) -> np.ndarray:
    """Return a Bloch vector (3 finite reals, length <= 1), else raise.

    >>> check_bloch_vector([0, 0, 1]).tolist()
    [0.0, 0.0, 1.0]
    >>> check_bloch_vector([1, 1, 1])
    Traceback (most recent call last):
    ...
    ValueError: r must have length |r| <= 1 (a physical Bloch vector), got |r| = 1.732
    """
    a = check_array(value, name, shape=(3,))
    norm = float(np.linalg.norm(a))
    if norm > 1.0 + atol:
        raise ValueError(
            f"{name} must have length |{name}| <= 1 (a physical Bloch vector), "
            f"got |{name}| = {norm:.4g}"
        )
    return a


def check_kraus(
    value: Any, name: str = "kraus", *, dim: int | None = None, atol: float = 1e-6
) -> list[np.ndarray]:
    """Return Kraus operators as a list of square matrices with sum K^dagger K = 1.

    >>> len(check_kraus([[[1, 0], [0, 1]]]))
    1
    >>> check_kraus([])
    Traceback (most recent call last):
    ...
    ValueError: kraus must hold at least one operator, got 0
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a sequence of matrices, got {type(value).__name__}")
    try:
        ops = [np.asarray(k, dtype=complex) for k in value]
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a sequence of numeric matrices") from exc
    if not ops:
        raise ValueError(f"{name} must hold at least one operator, got 0")
    d = ops[0].shape[0] if ops[0].ndim == 2 else -1
    for i, k in enumerate(ops):
        if k.ndim != 2 or k.shape != (d, d) or d < 1:
            raise ValueError(
                f"{name}[{i}] must be a square matrix like {name}[0], got shape {k.shape}"
            )
        if not np.all(np.isfinite(k)):
            raise ValueError(f"{name}[{i}] must contain only finite numbers")
    if dim is not None and d != dim:
        raise ValueError(f"{name} must act on dimension {dim}, got {d}")
    s = sum(k.conj().T @ k for k in ops)
    dev = float(np.abs(s - np.eye(d)).max())
    if dev > atol:
        raise ValueError(
            f"{name} must be complete (sum K^dagger K = identity within {atol:g}), "
            f"got deviation {dev:.3g}"
        )
    return ops


def check_choice(value: Any, name: str, choices: Sequence[Any]) -> Any:
    """Return ``value`` if it is one of ``choices``, else raise ``ValueError``.

    >>> check_choice("numpy", "backend", ("numpy", "cirq"))
    'numpy'
    """
    allowed = ", ".join(repr(c) for c in choices)
    if all(isinstance(c, str) for c in choices) and not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {allowed}; got {type(value).__name__}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {allowed}; got {value!r}")
    return value


def make_rng(seed: SeedLike = None) -> np.random.Generator:
    """Normalise ``seed`` (int, ``np.random.Generator`` or None) to a Generator.

    A Generator is returned as it is, so that a chapter can pass one ``rng`` through
    every call and get one reproducible stream.

    >>> make_rng(7).integers(0, 10, 3).tolist() == make_rng(7).integers(0, 10, 3).tolist()
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            f"seed must be an int, a numpy.random.Generator or None, got {type(seed).__name__}"
        )
    if int(seed) < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    return np.random.default_rng(int(seed))


def check_square_matrix(matrix: Any, name: str) -> np.ndarray:
    """Return ``matrix`` as a complex square ndarray, else raise.

    >>> check_square_matrix([[1, 0], [0, 0]], "rho").shape
    (2, 2)
    """
    try:
        m = np.asarray(matrix, dtype=complex)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a numeric matrix") from exc
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty square matrix, got shape {m.shape}")
    if not np.all(np.isfinite(m)):
        raise ValueError(f"{name} must contain only finite numbers")
    return m


def check_density_matrix(rho: Any, name: str = "rho", *, atol: float = 1e-6) -> np.ndarray:
    """Return ``rho`` as a density matrix (Hermitian, trace one, positive semidefinite).

    >>> check_density_matrix([[0.5, 0.5], [0.5, 0.5]]).real.tolist()
    [[0.5, 0.5], [0.5, 0.5]]
    >>> check_density_matrix([[1, 1], [0, 0]])
    Traceback (most recent call last):
    ...
    ValueError: rho must be Hermitian (rho == rho^dagger within 1e-06)
    """
    m = check_square_matrix(rho, name)
    d = m.shape[0]
    if d & (d - 1):
        raise ValueError(f"{name} must act on qubits (dimension a power of 2), got dimension {d}")
    if not np.allclose(m, m.conj().T, atol=atol):
        raise ValueError(f"{name} must be Hermitian ({name} == {name}^dagger within {atol:g})")
    tr = np.trace(m).real
    if abs(tr - 1.0) > atol:
        raise ValueError(f"{name} must have unit trace, got trace {tr:.6g}")
    min_eig = float(np.linalg.eigvalsh((m + m.conj().T) / 2).min())
    if min_eig < -atol:
        raise ValueError(
            f"{name} must be positive semidefinite, got smallest eigenvalue {min_eig:.3g}"
        )
    return m


def to_density_matrix(state: Any, name: str = "state", *, atol: float = 1e-6) -> np.ndarray:
    """Return a density matrix from a ket (1-D, normalised) or a density matrix (2-D).

    >>> to_density_matrix([1, 0]).real.tolist()
    [[1.0, 0.0], [0.0, 0.0]]
    """
    try:
        a = np.asarray(state, dtype=complex)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a state vector or a density matrix") from exc
    if a.ndim == 1:
        if a.size == 0 or a.size & (a.size - 1):
            raise ValueError(f"{name} must have a power-of-2 length, got {a.size}")
        if not np.all(np.isfinite(a)):
            raise ValueError(f"{name} must contain only finite numbers")
        norm = float(np.vdot(a, a).real)
        if abs(norm - 1.0) > atol:
            raise ValueError(f"{name} must be normalised (<psi|psi> = 1), got norm^2 {norm:.6g}")
        return np.outer(a, a.conj())
    if a.ndim == 2:
        return check_density_matrix(a, name, atol=atol)
    raise ValueError(f"{name} must be 1-D (ket) or 2-D (density matrix), got {a.ndim} dimensions")


# ------------------------------------------------------------------ readable results
# A result's ``__repr__`` fits a code cell's width (88 characters); its ``summary()`` lists
# every field, one per line, so that printing a result never scrolls sideways in the book.
#: Width of a code line in the book (ruff's line length for the notebooks).
REPR_WIDTH = 88


def clip(text: str, width: int = 32) -> str:
    """``text`` cut to ``width`` characters, ending in ``...`` when it was cut.

    Parameters
    ----------
    text : str
        The text.
    width : int, optional
        Maximum length, at least 4.

    Returns
    -------
    str
        ``text`` itself if short enough, else its start followed by ``...``.

    Examples
    --------
    >>> clip("[0, 1, 2, 3, 4, 5, 6, 7]", 12)
    '[0, 1, 2,...'
    >>> clip("(0, 2)")
    '(0, 2)'
    """
    return text if len(text) <= width else text[: max(width - 3, 1)] + "..."


def format_value(value: Any) -> str:
    """A compact text form of a field value: floats with 6 significant digits, arrays
    summarised by shape and range when they have more than 8 entries.

    Parameters
    ----------
    value : Any
        The value.

    Returns
    -------
    str
        Its text form.

    Examples
    --------
    >>> format_value(0.123456789)
    '0.123457'
    >>> format_value(np.arange(20.0))
    'array(shape=(20,), min=0, max=19)'
    >>> format_value((0.5, 0.25))
    '(0.5, 0.25)'
    """
    if isinstance(value, bool | np.bool_) or value is None or isinstance(value, str):
        return repr(value) if isinstance(value, str) else str(value)
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return f"{float(value):.6g}"
    if isinstance(value, np.ndarray):
        if value.size > 8:
            if value.dtype.kind in "biuf" and value.size:
                return (
                    f"array(shape={value.shape}, min={format_value(value.min())}, "
                    f"max={format_value(value.max())})"
                )
            return f"array(shape={value.shape}, dtype={value.dtype})"
        return format_value(value.tolist())
    if isinstance(value, tuple | list):
        inner = ", ".join(format_value(v) for v in value)
        if isinstance(value, tuple):
            return f"({inner},)" if len(value) == 1 else f"({inner})"
        return f"[{inner}]"
    return repr(value)


def summary_block(title: str, rows: Iterable[tuple[str, Any]]) -> str:
    """A title line then one indented ``name  value`` line per field.

    Parameters
    ----------
    title : str
        The first line (the class name).
    rows : iterable of (str, Any)
        Field names and values; values are formatted by :func:`format_value`.

    Returns
    -------
    str
        The lines joined by newlines.

    Examples
    --------
    >>> print(summary_block("Result", [("rate", 1266.4321), ("path", (0, 1, 2))]))
    Result
      rate  1266.43
      path  (0, 1, 2)
    """
    pairs = [(str(name), format_value(value)) for name, value in rows]
    width = max((len(name) for name, _ in pairs), default=0)
    return "\n".join([title, *(f"  {name:<{width}}  {text}" for name, text in pairs)])
