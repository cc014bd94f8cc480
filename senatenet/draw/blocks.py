"""Heatmaps of organisation x organisation tie density, before, after and change."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import InputError
from ._common import (
    check_graph,
    get_ax,
    graph_title,
    is_comparison,
    plain,
    relation_note,
    title_at_top,
)
from ._docstrings import DOCS
from .colors import organisation_colors

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..compare.waves import WaveComparison

__all__ = ["plot_block_density"]

_PANELS = ("before", "after", "change")


def _wrap(label: str, width: int = 22) -> str:
    return plain("\n".join(textwrap.wrap(str(label), width)) or str(label))


def _heatmap(ax, table: pd.DataFrame, *, norm, cmap, colors, annotate, fmt, title, cbar_label,
             row_labels=True, colorbar=True):
    from matplotlib.colors import to_rgb
    from matplotlib.patches import Rectangle

    values = table.to_numpy(dtype=float)
    k = len(table)
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, norm=norm, aspect="equal")
    image.set_gid("block-density")
    if annotate:
        size = 9 if k <= 6 else 7.5 if k <= 10 else 6
        for i in range(k):
            for j in range(table.shape[1]):
                v = values[i, j]
                if np.isfinite(v):
                    r, g, b = to_rgb(image.cmap(norm(v)))
                    dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5
                    text = format(v, fmt)
                else:
                    dark, text = False, "–"
                # inside its cell, so it cannot widen the axes: left out of the
                # layout pass, which would otherwise measure every number
                ax.text(j, i, text, ha="center", va="center", fontsize=size,
                        color="white" if dark else "#1a1a1a", gid="cell-label",
                        in_layout=False)
    for i in range(min(k, table.shape[1])):  # outline the within-organisation cells
        if table.index[i] == table.columns[i]:
            ax.add_patch(Rectangle((i - 0.5, i - 0.5), 1, 1, fill=False, ec="#1a1a1a",
                                   lw=1.4, zorder=3))
    ax.set_xticks(range(table.shape[1]), [_wrap(c) for c in table.columns], rotation=55,
                  ha="right", rotation_mode="anchor", fontsize=8)
    ax.set_yticks(range(k), [_wrap(r) for r in table.index] if row_labels else [], fontsize=8)
    ax.tick_params(length=0, pad=13)
    for i, g in enumerate(table.index):  # organisation colour keys beside the labels
        ax.add_patch(Rectangle((-0.5 - 0.2, i - 0.4), 0.14, 0.8, color=colors.get(str(g), "#ccc"),
                               clip_on=False, gid="org-key"))
    for j, g in enumerate(table.columns):
        ax.add_patch(Rectangle((j - 0.4, k - 0.5 + 0.06), 0.8, 0.14, color=colors.get(str(g), "#ccc"),
                               clip_on=False, gid="org-key"))
    for spine in ax.spines.values():
        spine.set_visible(False)
    if title:
        title_at_top(ax, title, loc="left", fontsize=11)
    if colorbar:
        cbar = ax.figure.colorbar(image, ax=ax, shrink=0.7, pad=0.02)
        cbar.set_label(cbar_label, fontsize=8.5)
        cbar.ax.tick_params(labelsize=8)
    return image


def _tables(data, which, group, weight) -> tuple[dict[str, pd.DataFrame], dict[str, str], bool]:
    if is_comparison(data):
        tables = dict(data.block_density)
        if "change" not in tables and {"before", "after"} <= set(tables):
            tables["change"] = tables["after"] - tables["before"]
        chosen = _PANELS if which is None else (which,) if isinstance(which, str) else tuple(which)
        bad = [w for w in chosen if w not in _PANELS]
        if bad:
            raise InputError(f"which must be among {list(_PANELS)}, not {bad}")
        b, a = plain(data.before), plain(data.after)
        rel = relation_note(getattr(data, "relation", None))
        names = {"before": f"Before ({b}){rel}", "after": f"After ({a}){rel}",
                 "change": f"Change ({b} \u2192 {a}){rel}"}
        G = data.graphs["before"]
        return {w: tables[w] for w in chosen}, names, G.is_directed()
    if isinstance(data, pd.DataFrame):
        if list(data.index) != list(data.columns):
            raise InputError("a block density table has the same organisations as rows and columns")
        kind = "change" if (data.to_numpy(dtype=float) < 0).any() else "after"
        return {kind: data}, {kind: ""}, False
    check_graph(data, "data")
    from ..measures.blocks import block_density

    return ({"after": block_density(data, group, weight=weight)},
            {"after": graph_title(data)}, data.is_directed())


def plot_block_density(
    data: WaveComparison | nx.Graph | pd.DataFrame,
    *,
    which: str | Sequence[str] | None = None,
    group: str = "organisation",
    weight: str | None = None,
    colors: Mapping[str, str] | None = None,
    annotate: bool = True,
    fmt: str | None = None,
    cmap: str = "Blues",
    diverging_cmap: str = "PuOr",
    figsize: tuple[float, float] | None = None,
    ax: Axes | Sequence[Axes] | None = None,
) -> Axes | Figure:
    """Heatmap(s) of tie density within and between organisations.

    Parameters
    ----------
    data : WaveComparison, networkx graph or DataFrame
        A comparison (its ``block_density`` tables), a person graph (its
        :func:`block_density`), or an organisation x organisation table.
    which : str or sequence of str, optional
        Comparison only: panels among ``"before"``, ``"after"``, ``"change"``
        (default all three).
    {group}
    weight : str, optional
        Graph only: edge attribute for valued density (see :func:`block_density`).
    {colors}
    annotate : bool
        Write each cell's value; "–" marks an undefined cell (one-person
        organisation on the diagonal).
    fmt : str, optional
        Number format of the annotations; by default ``".2f"``, or ``".3f"`` when
        every value shown is below 0.1 (large sparse networks), so that cells
        do not all read 0.00 or 0.01.
    cmap : str
        Sequential colour map of density (colour-blind safe by default).
    diverging_cmap : str
        Colour map of the change, centred at 0 (purple = denser after, orange =
        sparser); any table with negative values uses it.
    figsize : (float, float), optional
        Size of a new figure.
    ax : Axes or sequence of Axes, optional
        One Axes per panel.

    Returns
    -------
    matplotlib.axes.Axes or matplotlib.figure.Figure
        The Axes for one panel, the Figure for several (before and after share
        one colour scale).

    Notes
    -----
    A cell is UCINET's "density by groups": ties present over possible pairs
    (self-pairs excluded on the diagonal, which is outlined). On a directed
    graph rows send and columns receive.

    References
    ----------
    Borgatti, S. P., Everett, M. G. & Freeman, L. C. (2002). UCINET for Windows:
    Network > Cohesion > Density > Density by Groups. Analytic Technologies.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {{"a": "X", "b": "X", "c": "Y"}}, "organisation")
    >>> ax = plot_block_density(G)
    >>> ax.images[0].get_array().tolist()
    [[1.0, 0.5], [0.5, None]]
    """
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes
    from matplotlib.colors import Normalize

    tables, names, directed = _tables(data, which, group, weight)
    if colors is None:
        if is_comparison(data):
            survey = getattr(data, "survey", None)
            colors = organisation_colors(survey if survey is not None else data.graphs["before"], group)
        elif isinstance(data, nx.Graph):
            colors = organisation_colors(data, group)
        else:
            colors = organisation_colors(list(data.index))
    colors = dict(colors)
    k = max(len(t) for t in tables.values())
    if len(tables) == 1:
        if ax is not None and not isinstance(ax, Axes):
            raise InputError("one panel is drawn: pass a single Axes")
        cells = 0.5 * k + 0.6  # about half an inch a cell, plus room for names
        axes = [get_ax(ax, figsize=figsize or (cells + 2.6, cells + 1.8))]
    elif ax is None:
        # compact, so the figure stays legible scaled to a report page's width
        cells = 0.5 * k + 0.3
        _, axes = plt.subplots(1, len(tables), layout="constrained",
                               figsize=figsize or (1.9 + (cells + 0.9) * len(tables), cells + 2.0))
    else:
        axes = list(ax)
        if len(axes) != len(tables):
            raise InputError(f"{len(tables)} panels are drawn: pass {len(tables)} Axes")
    levels = [t.to_numpy(dtype=float) for w, t in tables.items() if w != "change"]
    top = max([np.nanmax(v) for v in levels if np.isfinite(v).any()] + [0.0])
    seq = Normalize(vmin=0.0, vmax=top if top > 0 else 1.0)
    if fmt is None:
        shown = [np.abs(t.to_numpy(dtype=float)) for t in tables.values()]
        biggest = max([np.nanmax(v) for v in shown if np.isfinite(v).any()] + [0.0])
        fmt = ".3f" if 0 < biggest < 0.1 else ".2f"
    for i, (a, (w, table)) in enumerate(zip(axes, tables.items(), strict=True)):
        if w == "change":
            v = table.to_numpy(dtype=float)
            lim = np.nanmax(np.abs(v)) if np.isfinite(v).any() else 0.0
            lim = lim if lim > 0 else 1.0
            norm, cm, label = Normalize(-lim, lim), diverging_cmap, "change in density"
        else:
            norm, cm, label = seq, cmap, "density (share of possible ties)"
        shared = w == "before" and "after" in tables  # one scale: the after panel's bar
        if w == "after" and "before" in tables:
            label = "density, before and after"
        _heatmap(a, table, norm=norm, cmap=plt.get_cmap(cm).with_extremes(bad="#f0f0f0"), colors=colors,
                 annotate=annotate, fmt=fmt, title=names.get(w, ""), cbar_label=label,
                 row_labels=i == 0 or ax is not None, colorbar=not shared)
        if directed:
            if i == 0 or ax is not None:
                a.set_ylabel("from (nominating)", fontsize=8.5)
            a.set_xlabel("to (nominated)", fontsize=8.5)
    return axes[0] if len(axes) == 1 else axes[0].figure


plot_block_density.__doc__ = plot_block_density.__doc__.format(**DOCS)
