"""Private: the person-level (pair) jackknife shared by trajectories and evaluations.

Every estimand of :mod:`senatenet.compare.trajectory` and
:mod:`senatenet.evaluation` is a ratio of sums over pairs of people (dyads).
Deleting person i removes row i and column i of every pair matrix, so all n
leave-one-person-out sums come from the row and column sums at once
(:func:`leave_one_out`), and the jackknife standard error and interval
(:func:`jackknife_interval`) follow from the n replicates (Snijders & Borgatti
1999). This is the one implementation; both callers import it from here.

References
----------
Snijders, T. A. B. & Borgatti, S. P. (1999). Non-parametric standard errors
and tests for network statistics. Connections 22(2), 161-170.
Efron, B. & Stein, C. (1981). The jackknife estimate of variance. Annals of
Statistics 9(3), 586-596.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__: list[str] = []

Z_975 = 1.959963984540054  # standard normal 97.5 % quantile (no scipy at import)


def wilson_interval(k: float, n: float) -> tuple[float, float]:
    """95 % Wilson score interval of k successes in n (NaNs when n is 0).

    Used to widen a jackknife interval of a share of pairs that is all or
    nothing (every replicate equal, so the jackknife interval has width 0).

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and
    statistical inference. JASA 22(158), 209-212.
    """
    if n <= 0:
        return np.nan, np.nan
    p = k / n
    denom = 1 + Z_975 ** 2 / n
    centre = (p + Z_975 ** 2 / (2 * n)) / denom
    half = Z_975 * np.sqrt(p * (1 - p) / n + Z_975 ** 2 / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def person_sums(Q: np.ndarray) -> np.ndarray:
    """Sum over the pairs involving each person: row sum + column sum (last two axes).

    For a pair matrix with a zero diagonal this is what deleting the person
    removes from the total.
    """
    return Q.sum(axis=-1) + Q.sum(axis=-2)


def total(Q: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """Sum over the last two axes (pairs), times ``scale``."""
    return Q.sum(axis=(-2, -1)) * scale


def leave_one_out(Q: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """Pair sums with each person's row and column removed (diagonal is 0), times ``scale``.

    ``scale`` is 0.5 for a symmetric matrix of unordered pairs (each counted
    twice) and 1 for ordered pairs.
    """
    return (total(Q)[..., None] - Q.sum(axis=-1) - Q.sum(axis=-2)) * scale


def log_odds_ratio(a, b, c, d, defined) -> np.ndarray:
    """log[(a d) / (b c)] of 2 x 2 counts (arrays broadcast), NaN where not ``defined``.

    a, b are tied and untied pairs within groups, c, d between. When any cell
    is 0, 0.5 is added to every cell (Haldane-Anscombe), so the replicates of a
    jackknife stay finite. The one implementation behind the mixing log odds
    ratio of trajectories and evaluations (``netseg::orwg``; Bojanowski &
    Corten 2014).
    """
    cells = np.stack(np.broadcast_arrays(*map(np.asarray, (a, b, c, d)))).astype(float)
    cells = np.where((cells <= 0).any(axis=0), cells + 0.5, cells)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.log(cells[0]) + np.log(cells[3]) - np.log(cells[1]) - np.log(cells[2])
    return np.where(defined, value, np.nan)


def jackknife_se(estimate: float, replicates: Sequence[float]) -> tuple[float, int]:
    """``(se, m)``: the jackknife standard error over the m finite replicates.

    ``se = sqrt((m - 1) / m * sum((r_i - mean(r))**2))``; NaN when fewer than
    two replicates are finite or the estimate is not.
    """
    r = np.asarray(replicates, dtype=float)
    r = r[np.isfinite(r)]
    m = len(r)
    if m < 2 or not np.isfinite(estimate):
        return np.nan, m
    return float(np.sqrt((m - 1) / m * np.sum((r - r.mean()) ** 2))), m


def jackknife_interval(estimate: float, replicates: Sequence[float], *,
                       level: float = 0.95, quantile: str = "t") -> dict:
    """Person-level jackknife standard error and t interval.

    With :math:`\\hat\\theta_{(i)}` the estimate with person i deleted (all
    their dyads removed) and :math:`\\bar\\theta` their mean over the m people
    whose deletion leaves the estimate defined,

    .. math:: \\widehat{se} = \\sqrt{\\frac{m-1}{m}\\sum_i (\\hat\\theta_{(i)} - \\bar\\theta)^2}

    and the interval is :math:`\\hat\\theta \\pm t_{m-1, (1+level)/2}\\,\\widehat{se}`
    around the full-sample estimate (not bias-corrected).

    Parameters
    ----------
    estimate : float
        The full-sample estimate.
    replicates : sequence of float
        Leave-one-person-out estimates (NaN entries are skipped).
    level : float
        Coverage of the interval (default 0.95).
    quantile : {"t", "normal"}
        Student t with m - 1 degrees of freedom (default) or the standard
        normal quantile (``level`` must then be 0.95).

    Returns
    -------
    dict
        ``se``, ``ci_low``, ``ci_high``, ``df`` (m - 1). All NaN when fewer than
        two replicates are defined or the estimate is NaN.

    References
    ----------
    .. [1] Snijders, T. A. B. & Borgatti, S. P. (1999). Non-parametric standard
       errors and tests for network statistics. *Connections* 22(2), 161-170.
    .. [2] Efron, B. & Stein, C. (1981). The jackknife estimate of variance.
       *Annals of Statistics* 9(3), 586-596.

    Examples
    --------
    >>> out = jackknife_interval(0.5, [0.4, 0.5, 0.6])
    >>> round(out["se"], 4), out["df"]
    (0.1155, 2)
    """
    se, m = jackknife_se(estimate, replicates)
    if se != se:
        return {"se": np.nan, "ci_low": np.nan, "ci_high": np.nan, "df": max(m - 1, 0)}
    if quantile == "normal":
        if abs(level - 0.95) > 1e-12:
            raise ValueError("the normal quantile is only available for level=0.95")
        q = Z_975
    else:
        # t quantile: scipy.stats.t.ppf computes exactly this, but importing
        # scipy.stats costs about a second; scipy.special is what it calls
        from scipy.special import stdtrit

        q = float(stdtrit(m - 1, (1 + level) / 2))
    return {"se": se, "ci_low": float(estimate - q * se), "ci_high": float(estimate + q * se),
            "df": m - 1}
