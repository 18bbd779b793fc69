r"""The one band the kit draws: the median and the quartiles over simulated people.

Every figure, summary and command shows a spread of people as a median line inside a
band from the 25th to the 75th percentile; :func:`band` computes it, everywhere.
"""

from __future__ import annotations

import numpy as np

__all__ = ["band"]

_QUARTERS = (0.5, 0.25, 0.75)


def band(x, axis=0, nan="propagate"):
    r"""Median, 25th and 75th percentile of ``x`` along ``axis``: ``(median, q25, q75)``.

    The numbers are ``np.percentile(x, [50, 25, 75], axis=axis)`` (or, with
    ``nan="omit"``, ``np.nanpercentile``) exactly, in float64, with numpy's default
    linear interpolation between the sorted values :math:`s_0 \le \dots \le s_{n-1}`:

    .. math:: Q(q) = s_{\lfloor k \rfloor} + (k - \lfloor k \rfloor)\,
              (s_{\lfloor k \rfloor + 1} - s_{\lfloor k \rfloor}),\quad k = q\,(n-1)

    They come from one sort instead of numpy's three partitions (and, for
    ``nanpercentile``, its loop over the columns), which is quicker for the few
    hundred people of a day.  A test checks that they are numpy's, bit for bit.

    Parameters
    ----------
    x : array_like
        Numbers, e.g. people x days.
    axis : int
        The axis to summarise (the people).
    nan : {"propagate", "omit"}
        ``"propagate"``: a NaN along the axis gives NaN; ``"omit"``: NaNs are left out
        (NaN only where every value is NaN).

    Returns
    -------
    (median, q25, q75) : three float64 arrays, of ``x``'s shape without ``axis``
    (numpy float64 scalars for a 1-D ``x``)

    Examples
    --------
    >>> med, q25, q75 = band(np.arange(10.0).reshape(2, 5), axis=1)
    >>> med.tolist(), q25.tolist(), q75.tolist()
    ([2.0, 7.0], [1.0, 6.0], [3.0, 8.0])
    >>> [float(v) for v in band([[1.0, np.nan], [3.0, np.nan], [2.0, 5.0]], nan="omit")[0]]
    [2.0, 5.0]
    """
    if nan not in ("propagate", "omit"):
        raise ValueError(f"The 'nan' argument of band must be 'propagate' or 'omit'. "
                         f"Got {nan!r} instead.")
    x = np.asarray(x)
    if x.ndim == 0 or x.shape[axis] == 0:
        raise ValueError(f"band needs at least one value along axis {axis}. "
                         f"Got an array of shape {x.shape}.")
    s = np.sort(np.moveaxis(x, axis, -1), axis=-1)   # (a NaN sorts last)
    shape = s.shape[:-1]
    s = s.reshape(-1, s.shape[-1])
    n = s.shape[1]
    if nan == "omit" and np.issubdtype(s.dtype, np.floating):
        count = n - np.isnan(s).sum(axis=1)
        empty = count == 0
        last = np.maximum(count - 1, 0)
    else:
        empty = np.isnan(s[:, -1]) if np.issubdtype(s.dtype, np.floating) else None
        last = None
    out = []
    for q in _QUARTERS:
        if last is None:               # the same position in every row
            k = q * (n - 1)
            lo = int(k)
            t = k - lo
            a, b = s[:, lo], s[:, min(lo + 1, n - 1)]
        else:
            k = q * last
            lo = k.astype(np.intp)     # (k >= 0: truncation is the floor)
            t = k - lo
            a = np.take_along_axis(s, lo[:, None], 1)[:, 0]
            b = np.take_along_axis(s, np.minimum(lo + 1, last)[:, None], 1)[:, 0]
        d = (b - a).astype(np.float64)     # (numpy subtracts in the array's own dtype)
        a, b = a.astype(np.float64), b.astype(np.float64)
        # numpy's own lerp: from the nearer end, so the result stays within [a, b]
        if last is None:
            v = a + d * t if t < 0.5 else b - d * (1 - t)
        else:
            v = np.where(t < 0.5, a + d * t, b - d * (1 - t))
        if empty is not None:
            v[empty] = np.nan
        v = v.reshape(shape)
        out.append(v[()] if v.ndim == 0 else v)
    return tuple(out)
