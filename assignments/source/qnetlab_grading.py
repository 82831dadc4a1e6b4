"""Grading helper shipped with the autograder of every assignment (not with the student copy).

The hidden tests call :func:`forbidden` before they grade a function: a task that says "write
it yourself" must not be answered by a call to the packaged reference (or to any function of a
module the task rules out). The check follows the names the function's code uses, through
nested functions and through the student's own helper functions defined in the notebook, and
resolves them in the notebook's globals, so aliases (``import ... as``) are caught too.
"""

from __future__ import annotations

import types

__all__ = ["forbidden"]


def _code_objects(code: types.CodeType):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_objects(const)


def _is_banned(obj, name: str, names: set[str], modules: tuple[str, ...]) -> bool:
    if name in names or getattr(obj, "__name__", None) in names:
        return True
    owner = obj.__name__ if isinstance(obj, types.ModuleType) else getattr(obj, "__module__", "")
    return bool(modules) and isinstance(owner, str) and owner.startswith(modules)


def forbidden(func, names=(), modules=()) -> list[str]:
    """The names ``func`` uses that a task rules out (empty when the function is clean).

    Parameters
    ----------
    func : callable
        The student's function.
    names : iterable of str
        Function names that must not be called (e.g. ``"optimal_path"``).
    modules : iterable of str
        Module prefixes none of whose objects may be used (e.g. ``"qnetlab.ai"``).

    Returns
    -------
    list of str
        The offending names, sorted.

    Examples
    --------
    >>> import math
    >>> def f(x):
    ...     return math.sqrt(x)
    >>> forbidden(f, names=["sqrt"])
    ['sqrt']
    >>> forbidden(f, modules=["numpy"])
    []
    """
    names, modules = set(names), tuple(modules)
    found: set[str] = set()
    seen: set[int] = set()
    stack = [func]
    while stack:
        fn = stack.pop()
        code = getattr(fn, "__code__", None)
        if code is None or id(code) in seen:
            continue
        seen.add(id(code))
        env = getattr(fn, "__globals__", {})
        for co in _code_objects(code):
            for name in co.co_names + co.co_freevars:
                obj = env.get(name, None)
                if isinstance(obj, types.FunctionType) and obj.__module__ == fn.__module__:
                    stack.append(obj)  # a function the student wrote: follow it
                elif _is_banned(obj, name, names, modules):
                    found.add(name)
    return sorted(found)
