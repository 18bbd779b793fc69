"""Replacing one function of a library once, the same way for every fix in this package."""
from __future__ import annotations

__all__ = ["replace", "is_replaced"]


def is_replaced(function) -> bool:
    """Whether ``function`` is one of the kit's replacements (:func:`replace`)."""
    return getattr(function, "_bondlab_replaces", None) is not None


def replace(owner, name: str, wrap) -> bool:
    """Set ``owner.name`` to ``wrap(original)``, once.

    The replacement keeps the original as ``__wrapped__`` and its docstring. Applying it
    again changes nothing (True); an ``owner`` without ``name`` is left alone (False).

    >>> class Lib:
    ...     def hello(self): return "hello"
    >>> replace(Lib, "hello", lambda original: lambda self: original(self) + "!")
    True
    >>> replace(Lib, "hello", lambda original: lambda self: "twice"), Lib().hello()
    (True, 'hello!')
    """
    original = getattr(owner, name, None)
    if original is None:
        return False
    if is_replaced(original):
        return True
    new = wrap(original)
    new._bondlab_replaces = original
    new.__wrapped__ = original
    new.__doc__ = original.__doc__
    setattr(owner, name, new)
    return True
