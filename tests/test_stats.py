"""bondlab.stats.band: numpy's percentiles, bit for bit, from one sort."""

import warnings

import numpy as np
import pytest

from bondlab.stats import band


def _data(people, days, dtype, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((people, days)) * 10.0 ** rng.integers(-3, 4, (1, days))
    x[::3] = np.round(x[::3], 1)                          # ties
    if np.issubdtype(dtype, np.integer):
        return (x * 100).astype(dtype)
    x = x.astype(dtype)
    x[rng.random(x.shape) < 0.2] = np.nan                 # missing values
    x[:, -1] = np.nan                                     # a day with no value at all
    return x


@pytest.mark.parametrize("people", [1, 2, 3, 4, 7, 20, 301])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
@pytest.mark.parametrize("axis", [0, 1])
def test_band_is_numpys_percentile_and_nanpercentile(people, dtype, axis):
    x = _data(people, 9, dtype, people)
    got = band(x, axis=axis)
    want = np.percentile(x, [50, 25, 75], axis=axis)
    assert all(g.dtype == np.float64 and np.array_equal(g, w, equal_nan=True)
               for g, w in zip(got, want))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # (numpy: "All-NaN slice")
        want = np.nanpercentile(x, [50, 25, 75], axis=axis)
    got = band(x, axis=axis, nan="omit")
    assert all(np.array_equal(g, w, equal_nan=True) for g, w in zip(got, want))


def test_band_nan_handling_and_order_by_hand():
    x = np.array([[1.0, np.nan, 4.0], [3.0, np.nan, 8.0], [2.0, 5.0, 6.0], [np.nan, 7.0, 2.0]])
    med, q25, q75 = band(x, nan="omit")
    assert med.tolist() == [2.0, 6.0, 5.0]            # (1, 2, 3) (5, 7) (2, 4, 6, 8)
    assert q25.tolist() == [1.5, 5.5, 3.5] and q75.tolist() == [2.5, 6.5, 6.5]
    med, q25, q75 = band(x)                            # a NaN in a column: NaN
    assert np.isnan(med).tolist() == [True, True, False] and med[2] == 5.0
    one = band([4.0, 1.0, 3.0, 2.0])                   # 1-D: scalars, as np.percentile
    assert [float(v) for v in one] == [2.5, 1.75, 3.25] and np.ndim(one[0]) == 0


def test_band_refuses_what_it_cannot_summarise():
    with pytest.raises(ValueError, match="'nan' argument of band"):
        band([1.0], nan="drop")
    with pytest.raises(ValueError, match="at least one value"):
        band(np.empty((0, 3)))
