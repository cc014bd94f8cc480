"""Cohorts side by side: their change between waves, each with its interval."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import InputError
from ._common import figure_legend, is_missing, plain, relation_note
from ._docstrings import DOCS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_cohorts"]

_LABELS = {
    "cross_boundary_formation": "Cross-organisation pairs that formed a tie\n(share of pairs not tied before)",
    "cross_boundary_persistence": "Cross-organisation ties kept\n(share of ties before)",
    "cross_boundary_change": "Change in the share of cross-organisation\npairs tied",
    "mixing_log_odds_ratio_before": "Log odds ratio within vs between,\nbefore (baseline balance)",
    "mixing_log_odds_ratio_after": "Log odds ratio within vs between, after",
    "mixing_log_odds_ratio_change": "Change in the log odds ratio\nwithin vs between organisations",
    "formation_difference": "Difference in formation,\nprogramme minus cohort",
    "mixing_change_difference": "Difference in the change of the\nlog odds ratio, programme minus cohort",
}
#: Drawn by default, when present.
DEFAULT_MEASURES = ("cross_boundary_formation", "cross_boundary_persistence",
                    "mixing_log_odds_ratio_change")
#: Measures whose "no change" value is 0 (a reference line is drawn).
_ZERO = ("cross_boundary_change", "mixing_log_odds_ratio_change", "formation_difference",
         "mixing_change_difference")


def _label(m: str) -> str:
    return _LABELS.get(m, plain(m.replace("_", " ")))


def _measures(table: pd.DataFrame, measures) -> list[str]:
    found = [c for c in table.columns
             if f"{c}_low" in table.columns and f"{c}_high" in table.columns]
    if measures is None:
        chosen = [m for m in DEFAULT_MEASURES if m in found]
        if not chosen:
            raise InputError(
                "no measure with an interval: expected columns m, m_low and m_high "
                "(from compare_cohorts)"
            )
        return chosen
    chosen = [measures] if isinstance(measures, str) else list(measures)
    bad = [m for m in chosen if m not in found]
    if bad:
        raise InputError(f"measures {bad} are not in the table with an interval; "
                         f"measures: {found}")
    return chosen


def _wrap(cohort, width: int = 14) -> str:
    """A cohort name on short lines, so neighbouring tick labels do not collide."""
    return plain("\n".join(textwrap.wrap(str(cohort), width)) or str(cohort))


def plot_cohorts(
    table: pd.DataFrame,
    *,
    measures: str | Sequence[str] | None = None,
    ncols: int = 3,
    figsize: tuple[float, float] | None = None,
    axes: Sequence[Axes] | None = None,
) -> Figure:
    """One small panel per measure: each cohort's estimate with its interval.

    Parameters
    ----------
    table : DataFrame
        From :func:`compare_cohorts`: index = cohort; for each measure m the
        columns ``m``, ``m_low`` and ``m_high``; optionally ``n`` (people).
    measures : str or sequence of str, optional
        Which measures; by default the formation rate among cross-organisation
        pairs at risk, the persistence of cross-organisation ties and the
        change in the mixing log odds ratio.
    ncols : int
        Panels per row.
    figsize : (float, float), optional
        Size of the new figure.
    axes : sequence of Axes, optional
        One Axes per measure, instead of a new figure.

    Returns
    -------
    {returns_fig}

    Notes
    -----
    The black dot is the cohort's estimate and the bar its interval (person-
    level jackknife, see :func:`compare_cohorts`). Change measures have a
    dashed line at 0 (no change). The cohorts are compared on their change,
    not on post-wave levels, which confound baseline differences.

    References
    ----------
    Snijders, T. A. B. & Borgatti, S. P. (1999). Non-parametric standard errors
    and tests for network statistics. Connections 22(2), 161-170.

    Examples
    --------
    >>> t = pd.DataFrame({{"n": [26, 40], "cross_boundary_formation": [0.11, 0.01],
    ...                   "cross_boundary_formation_low": [0.07, 0.0],
    ...                   "cross_boundary_formation_high": [0.14, 0.02]}},
    ...                  index=["Senate", "Comparison"])
    >>> fig = plot_cohorts(t)
    >>> [ax.get_title(loc="left").splitlines()[0] for ax in fig.axes]
    ['Cross-organisation pairs that formed a tie']
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    if not isinstance(table, pd.DataFrame) or table.empty:
        raise InputError("plot_cohorts needs the (non-empty) DataFrame from compare_cohorts")
    chosen = _measures(table, measures)
    k = len(chosen)
    if axes is None:
        cols = min(ncols, k)
        rows = math.ceil(k / cols)
        width = max(3.4, 1.2 + 1.1 * len(table))
        fig, grid = plt.subplots(rows, cols, squeeze=False, layout="constrained",
                                 figsize=figsize or (width * cols, 3.6 * rows + 0.5))
        axes = list(grid.ravel())
        for extra in axes[k:]:
            extra.set_axis_off()
        axes = axes[:k]
        relation = table.attrs.get("relation")
        if not is_missing(relation):
            fig.suptitle(f"Cohorts compared on their change{relation_note(relation)}",
                         x=0.01, ha="left", fontsize=11.5)
    else:
        axes = list(axes)
        if len(axes) != k:
            raise InputError(f"{k} measures are drawn: pass {k} Axes")
        fig = axes[0].figure
    x = np.arange(len(table))
    ticks = [f"{_wrap(c)}\n(n = {int(n)})" if "n" in table and pd.notna(n) else _wrap(c)
             for c, n in zip(table.index, table["n"] if "n" in table else [None] * len(table),
                             strict=True)]
    for ax, m in zip(axes, chosen, strict=True):
        obs = pd.to_numeric(table[m], errors="coerce").to_numpy(dtype=float)
        lo = pd.to_numeric(table[f"{m}_low"], errors="coerce").to_numpy(dtype=float)
        hi = pd.to_numeric(table[f"{m}_high"], errors="coerce").to_numpy(dtype=float)
        ok = np.isfinite(obs) & np.isfinite(lo) & np.isfinite(hi)
        if ok.any():
            bars = ax.errorbar(x[ok], obs[ok], yerr=[obs[ok] - lo[ok], hi[ok] - obs[ok]],
                               fmt="none", ecolor="#555555", elinewidth=2, capsize=5,
                               zorder=2)
            bars.lines[2][0].set_gid("interval")
        ax.scatter(x, obs, s=60, color="#111111", zorder=3, gid="observed")
        if m in _ZERO:
            ax.axhline(0, color="#7a7a7a", lw=1, ls="--", zorder=1)
        ax.set_xticks(x, ticks, fontsize=8.5)
        ax.set_xlim(-0.6, len(table) - 0.4)
        ax.set_title(_label(m), loc="left", fontsize=10)
        ax.margins(y=0.18)
        ax.grid(axis="y", color="#e5e5e5", lw=0.8)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    level = table.attrs.get("level", 0.95)
    handles = [
        Line2D([], [], marker="o", ls="none", color="#111111", label="estimate"),
        Line2D([], [], color="#555555", lw=2,
               label=f"{round(100 * float(level))}% interval (person-level jackknife)"),
    ]
    figure_legend(fig, "lower", handles=handles, ncols=2, frameon=False, fontsize=8.5)
    return fig


plot_cohorts.__doc__ = plot_cohorts.__doc__.format(**DOCS)
