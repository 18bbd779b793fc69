"""Parameter tables and validation, shared by every model in the engine.

Every model class declares ONE table, ``parameters``, mapping a parameter
name to a :class:`Param`.  That table is the single source of truth for

* validation (``ValueError`` naming the parameter and its allowed range), and
* the user interface (slider ranges, defaults, plain-language labels).

The style follows scikit-learn's ``_parameter_constraints``: ``__init__``
only stores its keyword arguments; checking happens when the model is used
(or when :meth:`Model.validate` is called).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

#: The one floating-point type used for every simulated array.
DTYPE = np.float32

#: Refuse runs whose arrays would need more than this many bytes.
MEMORY_LIMIT_BYTES = 1 << 30


class RunTooLarge(ValueError):
    """A run would need more memory than :data:`MEMORY_LIMIT_BYTES`."""


def check_memory(n_values, what="This run"):
    """Refuse runs that would need more than about 1 GB.

    Parameters
    ----------
    n_values : int
        Number of array elements (of :data:`DTYPE`) the run will hold.
    what : str
        Name used in the message.

    Raises
    ------
    RunTooLarge
        If ``n_values`` elements would exceed :data:`MEMORY_LIMIT_BYTES`.
    """
    need = float(n_values) * np.dtype(DTYPE).itemsize
    if need > MEMORY_LIMIT_BYTES:
        raise RunTooLarge(
            f"{what} would need about {need / 1e9:.1f} GB of memory; the limit is "
            f"{MEMORY_LIMIT_BYTES / 1e9:.1f} GB. Use fewer people or fewer days."
        )


def _show(value):
    """Format a rejected value for an error message (plain, not numpy repr)."""
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if isinstance(value, numbers.Integral):
        return repr(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return repr(list(value))
    return repr(value) if len(repr(value)) < 60 else type(value).__name__


def _fmt(x):
    if x is None:
        return "inf"
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


class _Invalid(Exception):
    """Internal: a value failed :meth:`Param.check`."""


class Param:
    """One entry in a model's table of allowed parameter values.

    Parameters
    ----------
    kind : {float, int, bool, str, "days"} or type
        ``float``/``int``: a number in the closed range [low, high]
        (booleans, strings, NaN and infinities are refused);
        ``bool``: True/False; ``str``: one of ``choices``;
        ``"days"``: a list of whole numbers each in [low, high];
        a class: an instance of that class (e.g. a Partner).
    low, high : float or int, optional
        Closed range for numbers (also for each item of ``"days"``).
    default : object
        Default value (what ``__init__`` uses).
    label : str
        Short plain-language label for a slider or a table.
    help : str
        One sentence saying what the parameter does, in the workshop's words.
    unit : str
        Unit shown next to a slider ("days", "per week", ...).
    step : float, optional
        Suggested slider step.
    slider : (low, high), optional
        The range a slider offers when it is narrower than what the engine accepts (a
        slider over 1 to 10000 is not usable); inside ``[low, high]``. Default: the whole
        accepted range (:attr:`slider_range`).
    choices : tuple of str, optional
        Allowed values when ``kind`` is ``str``.
    none_ok : bool
        Whether ``None`` is allowed (e.g. a seed).

    Examples
    --------
    >>> p = Param(float, 0, 1, default=0.5, label="Chance of warmth")
    >>> p.check(0.25)
    0.25
    >>> p.describe()
    'a float in the range [0, 1]'
    >>> Param(int, 1, 1000, default=5, label="n", slider=(1, 30)).slider_range
    (1, 30)
    """

    def __init__(self, kind, low=None, high=None, *, default, label, help="",
                 unit="", step=None, choices=None, none_ok=False, slider=None):
        self.kind = kind
        self.low = low
        self.high = high
        self.default = default
        self.label = label
        self.help = help
        self.unit = unit
        self.step = step
        self.choices = tuple(choices) if choices else None
        self.none_ok = none_ok
        if slider is not None:
            lo, hi = slider
            if ((low is not None and lo < low) or (high is not None and hi > high)
                    or lo > hi):
                raise ValueError(f"Param {label!r}: slider range {slider!r} must lie inside "
                                 f"[{_fmt(low)}, {_fmt(high)}]")
            slider = (lo, hi)
        self.slider = slider

    @property
    def slider_range(self):
        """(low, high) a slider offers: :attr:`slider` when set, else the accepted range."""
        return self.slider if self.slider is not None else (self.low, self.high)

    def __repr__(self):
        k = self.kind if isinstance(self.kind, str) else self.kind.__name__
        return (f"Param({k}, {self.low}, {self.high}, default={self.default!r}, "
                f"label={self.label!r})")

    @property
    def kind_name(self):
        """'float', 'int', 'bool', 'str', 'days' or the class name."""
        return self.kind if isinstance(self.kind, str) else self.kind.__name__

    def describe(self):
        """Plain description of the allowed values, used in error messages."""
        k = self.kind
        tail = " (or None)" if self.none_ok else ""
        if k is float:
            return f"a float in the range [{_fmt(self.low)}, {_fmt(self.high)}]" + tail
        if k is int:
            return f"an int in the range [{_fmt(self.low)}, {_fmt(self.high)}]" + tail
        if k is bool:
            return "a bool (True or False)"
        if k is str:
            return "one of " + ", ".join(repr(c) for c in self.choices) + tail
        if k == "days":
            return (f"a list of whole numbers of days, each in the range "
                    f"[{_fmt(self.low)}, {_fmt(self.high)}]")
        return f"a {k.__name__} object" + tail

    def short(self):
        """Short description used in preset-file errors: 'a float in [0, 1]'."""
        return self.describe().replace(" the range ", " ")

    def _number(self, value, want_int):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise _Invalid
        if want_int:
            if isinstance(value, numbers.Integral):
                value = int(value)
            elif math.isfinite(float(value)) and float(value).is_integer():
                value = int(value)
            else:
                raise _Invalid
        else:
            value = float(value)
            if not math.isfinite(value):
                raise _Invalid
        if self.low is not None and value < self.low:
            raise _Invalid
        if self.high is not None and value > self.high:
            raise _Invalid
        return value

    def check(self, value):
        """Return the value, normalised (e.g. int 1 -> 1.0 for a float).

        Raises ``_Invalid`` (internal) when the value is not allowed; models
        turn that into a ``ValueError`` naming the parameter.
        """
        if value is None:
            if self.none_ok:
                return None
            raise _Invalid
        k = self.kind
        if k is float:
            return self._number(value, False)
        if k is int:
            return self._number(value, True)
        if k is bool:
            if isinstance(value, (bool, np.bool_)):
                return bool(value)
            raise _Invalid
        if k is str:
            if isinstance(value, str) and value in self.choices:
                return value
            raise _Invalid
        if k == "days":
            if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
                raise _Invalid
            out = []
            for v in value:
                if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
                    raise _Invalid
                if not (math.isfinite(float(v)) and float(v).is_integer()):
                    raise _Invalid
                v = int(v)
                if (self.low is not None and v < self.low) or (
                        self.high is not None and v > self.high):
                    raise _Invalid
                out.append(v)
            return tuple(sorted(out))
        if isinstance(value, k):
            return value
        raise _Invalid

    def as_dict(self):
        """JSON-friendly description (for widgets and the lecture view)."""
        return {
            "kind": self.kind_name, "low": self.low, "high": self.high,
            "default": self.default if not hasattr(self.default, "get_params")
            else type(self.default).__name__,
            "label": self.label, "help": self.help, "unit": self.unit,
            "step": self.step, "choices": list(self.choices) if self.choices else None,
            "slider": list(self.slider_range),
        }


def check_value(owner, name, param, value):
    """Check one value against ``param``; raise the house-style ``ValueError``.

    Examples
    --------
    >>> check_value("RandomRatio", "p", Param(float, 0, 1, default=.5, label="p"), 1.7)
    Traceback (most recent call last):
    ...
    ValueError: The 'p' parameter of RandomRatio must be a float in the range [0, 1]. Got 1.7 instead.
    """
    try:
        return param.check(value)
    except _Invalid:
        raise ValueError(
            f"The {name!r} parameter of {owner} must be {param.describe()}. "
            f"Got {_show(value)} instead.") from None


class Model:
    """Base class: stores keyword parameters, validates them against ``parameters``.

    Subclasses define ``parameters`` (a dict of :class:`Param`), an explicit
    ``__init__`` whose keyword defaults equal the table's defaults (a test
    checks this), ``citation`` and ``equations`` (LaTeX strings).
    """

    parameters: dict = {}
    citation: str = ""
    equations: tuple = ()
    #: Plain-language name for the workshop pages.
    label: str = ""

    def get_params(self):
        """Current parameter values as a dict (scikit-learn style)."""
        return {k: getattr(self, k) for k in self.parameters}

    def set_params(self, **params):
        """Set parameters by name; unknown names raise ``ValueError``. Returns self."""
        for k, v in params.items():
            if k not in self.parameters:
                raise ValueError(
                    f"Unknown parameter {k!r} for {type(self).__name__}. "
                    f"Valid parameters: {', '.join(self.parameters)}.")
            setattr(self, k, v)
        return self

    def validate(self):
        """Check every parameter; return a dict of normalised values.

        Raises
        ------
        ValueError
            Naming the first invalid parameter and its allowed range.
        """
        name = type(self).__name__
        return {k: check_value(name, k, p, getattr(self, k))
                for k, p in self.parameters.items()}

    def clone(self, **changes):
        """A copy with some parameters changed."""
        params = self.get_params()
        params.update(changes)
        new = type(self)(**{k: v for k, v in params.items() if k in self.parameters})
        return new

    @classmethod
    def describe(cls):
        """Everything the lecture view needs: label, citation, equations, parameters."""
        return {
            "name": cls.__name__, "label": cls.label, "citation": cls.citation,
            "equations": list(cls.equations),
            "parameters": {k: p.as_dict() for k, p in cls.parameters.items()},
        }

    def __repr__(self):
        parts = []
        for k, p in self.parameters.items():
            v = getattr(self, k, None)
            if v is not p.default and not (isinstance(v, (int, float, str, bool, tuple))
                                           and v == p.default):
                parts.append(f"{k}={v!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def __eq__(self, other):
        return type(self) is type(other) and self.get_params() == other.get_params()

    __hash__ = object.__hash__


def make_rng(seed):
    """One random generator per run: ``np.random.default_rng(seed)``.

    A ``Generator`` passed in is used as is (so a caller can pass one down).
    """
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


#: Resolution of :func:`uniform16` draws: 2**16 levels.
U16_LEVELS = 1 << 16


def uniform16(rng, shape):
    """Whole numbers uniform on 0..65535 (``uint16``), straight from the raw bit stream.

    Each 64-bit output of the generator gives four numbers, least significant
    16 bits first, the same on every machine (whatever its byte order) and
    every NumPy version (raw bit streams are stable; ``Generator.random`` is
    not promised to be).  About seven times faster than
    ``rng.random(dtype=float32)``: enough resolution for a chance per day
    (:func:`chance16`) or a small noise innovation.

    Examples
    --------
    >>> u = uniform16(np.random.default_rng(0), (2, 3))
    >>> u.dtype.name, u.shape
    ('uint16', (2, 3))
    """
    n = int(np.prod(shape, dtype=np.int64))
    raw = rng.bit_generator.random_raw((n + 3) // 4)
    u = raw.astype("<u8", copy=False).view("<u2").astype(np.uint16, copy=False)
    return u[:n].reshape(shape)


def uniform16_rows(rng, rows, width):
    """Like :func:`uniform16` for shape (rows, width), each row starting on a fresh
    64-bit output, so the numbers for row *k* do not depend on how the rows are
    split between calls (a scenario draws its days chunk by chunk).
    """
    per = (width + 3) // 4
    raw = rng.bit_generator.random_raw(rows * per)
    u = raw.astype("<u8", copy=False).view("<u2").astype(np.uint16, copy=False)
    return u.reshape(rows, 4 * per)[:, :width]


def chance16(u, p, out=None):
    """``True`` with chance ``p`` for each :func:`uniform16` number in ``u``.

    The chance is rounded to a multiple of 1/65536 (at most 0.0000077 off).

    Examples
    --------
    >>> chance16(np.array([0, 32767, 32768, 65535], np.uint16), 0.5).tolist()
    [True, True, False, False]
    """
    k = int(round(float(p) * U16_LEVELS))
    if k >= U16_LEVELS:
        if out is None:
            return np.ones(u.shape, bool)
        out[...] = True
        return out
    return np.less(u, np.uint16(k), out=out)


def spread_factors(rng, people, spread):
    """Per-person multipliers with median 1: ``exp(spread * N(0, 1))``.

    ``spread`` = 0 gives identical people (all ones).
    """
    if spread <= 0:
        return np.ones(people, dtype=DTYPE)
    return np.exp(spread * rng.standard_normal(people)).astype(DTYPE)
