"""Cohorts side by side: size-robust measures against their random-graph reference."""

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
    "density": "Density",
    "ei": "E-I index",
    "ei_rescaled": "E-I index, rescaled",
    "ei_expected": "E-I under random mixing",
    "block_contrast": "Block-density contrast",
    "block_density_contrast": "Block-density contrast",
    "jaccard": "Jaccard (tie stability)",
    "degree_centralization": "Degree centralization",
    "betweenness_centralization": "Betweenness centralization",
    "cross_boundary_share": "Share of ties across organisations",
}


def _label(m: str) -> str:
    if m in _LABELS:
        return _LABELS[m]
    if m.startswith("centralization_"):
        return f"{m.removeprefix('centralization_').replace('_', ' ').capitalize()} centralization"
    return plain(m.replace("_", " "))


def _measures(table: pd.DataFrame, measures) -> list[str]:
    found = [c for c in table.columns if f"{c}_random_mean" in table.columns]
    if measures is None:
        if not found:
            raise InputError(
                "no measure with a random reference: expected columns m and "
                "m_random_mean (from compare_cohorts)"
            )
        return found
    chosen = [measures] if isinstance(measures, str) else list(measures)
    bad = [m for m in chosen if m not in table.columns]
    if bad:
        raise InputError(f"measures {bad} are not in the table; measures: {found}")
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
    """One small panel per measure: each cohort's value and its random-graph range.

    Parameters
    ----------
    table : DataFrame
        From :func:`compare_cohorts`: index = cohort; for each measure m the
        columns ``m`` and, when available, ``m_random_mean``, ``m_random_sd``,
        ``m_z``; optionally ``n`` (people).
    measures : str or sequence of str, optional
        Which measures; by default every one with a random reference.
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
    The black dot is the cohort's observed value; the grey bar spans the mean of
    the random graphs (same size, density and organisation sizes) +/- 2 SD, and
    the z-score is written above. Values compared against their own random
    reference are comparable across cohorts of different sizes; raw density is
    not.

    References
    ----------
    Anderson, B. S., Butts, C. & Carley, K. (1999). The interaction of size and
    density with graph-level indices. Social Networks 21(3), 239-267.

    Examples
    --------
    >>> t = pd.DataFrame({{"n": [26, 40], "ei": [0.1, -0.4], "ei_random_mean": [0.7, 0.7],
    ...                   "ei_random_sd": [0.1, 0.08], "ei_z": [-6.0, -13.8]}},
    ...                  index=["Senate", "Comparison"])
    >>> fig = plot_cohorts(t)
    >>> [ax.get_title(loc="left") for ax in fig.axes]
    ['E-I index']
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
        width = max(3.2, 0.9 + 1.1 * len(table))
        fig, grid = plt.subplots(rows, cols, squeeze=False, layout="constrained",
                                 figsize=figsize or (width * cols, 3.4 * rows + 0.5))
        axes = list(grid.ravel())
        for extra in axes[k:]:
            extra.set_axis_off()
        axes = axes[:k]
        relation = table.attrs.get("relation")
        if not is_missing(relation):
            fig.suptitle(f"Cohorts compared{relation_note(relation)}", x=0.01, ha="left",
                         fontsize=11.5)
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
        mean_col, sd_col, z_col = f"{m}_random_mean", f"{m}_random_sd", f"{m}_z"
        if mean_col in table:
            mean = pd.to_numeric(table[mean_col], errors="coerce").to_numpy(dtype=float)
            sd = (pd.to_numeric(table[sd_col], errors="coerce").to_numpy(dtype=float)
                  if sd_col in table else np.zeros_like(mean))
            bars = ax.bar(x, 4 * sd, bottom=mean - 2 * sd, width=0.5, color="#d9d9d9",
                          edgecolor="none", zorder=1, gid="random-range")
            for bar in bars:
                bar.sticky_edges.y.clear()  # let the margins give the dots room
            ax.scatter(x, mean, marker="_", s=500, color="#7a7a7a", zorder=2, gid="random-mean")
        ax.scatter(x, obs, s=60, color="#111111", zorder=3, gid="observed")
        if z_col in table:
            for xi, v, z in zip(x, obs, table[z_col], strict=True):
                if np.isfinite(v) and pd.notna(z):
                    ax.annotate(f"z = {float(z):.1f}", (xi, v), xytext=(9, 0),
                                textcoords="offset points", va="center", fontsize=8.5)
        ax.set_xticks(x, ticks, fontsize=8.5)
        ax.set_xlim(-0.6, len(table) - 0.1)
        ax.set_title(_label(m), loc="left", fontsize=10.5)
        ax.margins(y=0.18)
        ax.grid(axis="y", color="#e5e5e5", lw=0.8)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    runs = ""
    if "n_random" in table and table["n_random"].notna().any():
        runs = f"{int(table['n_random'].dropna().iloc[0])} "
        if "seed" in table and table["seed"].notna().any():
            runs += f"(seed {table['seed'].dropna().iloc[0]}) "
    handles = [
        Line2D([], [], marker="o", ls="none", color="#111111", label="observed"),
        Line2D([], [], marker="s", ls="none", markersize=10, color="#d9d9d9",
               label=f"{runs}random graphs: mean \u00b1 2 SD (same size, density, organisations)"),
    ]
    figure_legend(fig, "lower", handles=handles, ncols=2, frameon=False, fontsize=8.5)
    return fig


plot_cohorts.__doc__ = plot_cohorts.__doc__.format(**DOCS)
