"""Intervals and p-values for network estimands: the person-level jackknife,
Welch combination of independent cohorts, and Holm's adjustment.

Why the jackknife over people (and not a bootstrap)? Ties are not independent:
every tie involves two people, and a person who names many colleagues moves
many dyads at once. Resampling *people* respects that dependence (Snijders &
Borgatti 1999). Deleting one person at a time is deterministic (no seed, the
same interval on any machine and any ``n_jobs``), needs only ``n`` re-computations
of a ratio of dyad sums, and never duplicates a person, which the person
bootstrap must (a resampled person drawn twice has a "tie to themself" that has
to be invented or dropped). For sums over dyads the jackknife variance is,
up to a factor (n - 1) / n, the dyadic cluster-robust variance of Aronow,
Samii & Assenova (2015), so it is the natural small-sample choice.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..compare._jackknife import jackknife_interval

__all__ = ["jackknife_interval", "holm_adjust"]


def combine_independent(est1: float, se1: float, df1: float, est2: float, se2: float,
                        df2: float, *, level: float = 0.95) -> dict:
    """Difference of two independent estimates with a Welch-Satterthwaite t
    interval and two-sided p-value (used for programme minus comparison)."""
    diff = est1 - est2
    se = float(np.hypot(se1, se2))
    if not np.isfinite(se) or se == 0 or not np.isfinite(diff):
        p = np.nan if not np.isfinite(diff) or not np.isfinite(se) else (
            1.0 if diff == 0 else 0.0)
        return {"estimate": diff, "se": se, "df": np.nan, "ci_low": diff if se == 0 else np.nan,
                "ci_high": diff if se == 0 else np.nan, "p": p}
    v1, v2 = se1 ** 2, se2 ** 2
    denom = (v1 ** 2 / df1 if df1 > 0 else 0.0) + (v2 ** 2 / df2 if df2 > 0 else 0.0)
    df = (v1 + v2) ** 2 / denom if denom > 0 else max(min(df1, df2), 1)
    # stats.t.ppf / stats.t.sf compute exactly these; importing scipy.stats
    # costs about a second, scipy.special (what they call) much less
    from scipy.special import stdtr, stdtrit

    q = float(stdtrit(df, (1 + level) / 2))
    p = float(2 * stdtr(df, -abs(diff) / se))
    return {"estimate": diff, "se": se, "df": float(df), "ci_low": diff - q * se,
            "ci_high": diff + q * se, "p": p}


def wald_p(estimate: float, se: float, df: float) -> float:
    """Two-sided t-test p-value of estimate / se."""
    if not (np.isfinite(estimate) and np.isfinite(se)) or se <= 0 or df < 1:
        return np.nan
    from scipy.special import stdtr  # = stats.t.sf(x, df) at -x

    return float(2 * stdtr(df, -abs(estimate) / se))


def holm_adjust(p: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjusted p-values (family-wise error control).

    Sort the m defined p-values, multiply the k-th smallest by (m - k + 1),
    take the running maximum and cap at 1. NaN stays NaN and does not count in
    m.

    Parameters
    ----------
    p : sequence of float

    Returns
    -------
    numpy.ndarray
        Adjusted p-values in the input order.

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test
       procedure. *Scandinavian Journal of Statistics* 6(2), 65-70.

    Examples
    --------
    >>> holm_adjust([0.01, 0.04, 0.03, float("nan")]).round(2).tolist()
    [0.03, 0.06, 0.06, nan]
    """
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    m = len(ok)
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    adj = np.minimum(1.0, np.maximum.accumulate(p[order] * (m - np.arange(m))))
    out[order] = adj
    return out
