"""Helpers shared by the static figures: axes, labels, sizes, legends, lines."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pandas as pd

from .._protocols import ComparisonLike, SurveyLike
from ..errors import InputError

if TYPE_CHECKING:  # matplotlib is imported when a figure is drawn, not with senatenet
    from matplotlib.lines import Line2D

NEUTRAL = "#3b3b3b"  # cross-boundary ties, text
FAINT = "#9a9a9a"


def halo() -> list:
    """A white outline that keeps text and highlighted lines legible over ties."""
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=2.6, foreground="white", alpha=0.9)]


def text_backing() -> dict:
    """A white, slightly transparent box behind a label, keeping it legible over ties.

    Used for text instead of :func:`halo`: matplotlib draws text with a path
    effect as outlines, so in SVG a haloed label is no longer text (not
    searchable, not read by screen readers, and about 100 times larger) and it
    costs more to draw in both formats.
    """
    return {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none",
            "alpha": 0.8}

_TITLES = {"dr", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame"}


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
MAX_LABEL = 60  # characters per line of survey text on a figure


def plain(text) -> str:
    """Survey text shown literally on a figure.

    ``$`` would start matplotlib mathtext (and a malformed formula stops the
    figure from rendering), so it is escaped; control characters (e.g. an Excel
    vertical tab) become U+FFFD, which fonts can draw and SVG can hold; a line
    longer than :data:`MAX_LABEL` characters is cut with an ellipsis, so that one
    very long name cannot squash the figure. Only the display changes.
    """
    lines = _CONTROL.sub("\ufffd", str(text)).split("\n")
    lines = [ln if len(ln) <= MAX_LABEL else ln[: MAX_LABEL - 1] + "\u2026" for ln in lines]
    return "\n".join(lines).replace("$", r"\$")


def relation_note(relation) -> str:
    """`` · relation: advice`` for a figure title, or ``""`` when the figure shows
    every relation (``None``), so a pasted figure says which ties it shows."""
    if is_missing(relation) or str(relation) == "":
        return ""
    return f" \u00b7 relation: {plain(relation)}"


def graph_title(G) -> str:
    """``Wave post · relation: advice`` from what ``G.graph`` records, else ``""``."""
    wave, relation = G.graph.get("wave"), G.graph.get("relation")
    if is_missing(wave):
        return plain(relation).capitalize() if not is_missing(relation) else ""
    return f"Wave {plain(wave)}{relation_note(relation)}"


def contrast_ratio(colour: str, background: str = "white") -> float:
    """WCAG 2 contrast ratio (L1 + 0.05) / (L2 + 0.05) of two colours (1 to 21).

    Examples
    --------
    >>> round(contrast_ratio("black"), 1), round(contrast_ratio("#777777"), 2)
    (21.0, 4.48)
    """
    from matplotlib.colors import to_rgb

    def lum(c):
        lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in to_rgb(c)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(colour), lum(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def line_colour(colour: str) -> str:
    """A light colour (e.g. yellow) darkened so thin lines stay visible on white:
    the same hue, at least 3:1 contrast with the page (WCAG 2.2 SC 1.4.11)."""
    from matplotlib.colors import to_hex, to_rgb

    r, g, b = to_rgb(colour)
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    if lum > 0.55:
        f = 0.55 / lum
        r, g, b = r * f, g * f, b * f
    f = 1.0
    while contrast_ratio((r * f, g * f, b * f)) < 3.0 and f > 0:
        f -= 0.02
    return to_hex((r * f, g * f, b * f))


def rim_colour(colour: str) -> str:
    """Marker outline: white, but a darker rim of its own hue for a colour with
    less than 3:1 contrast with a white page (yellow, orange, sky blue), so that
    the marker stands out from it (WCAG 2.2 SC 1.4.11)."""
    return "white" if contrast_ratio(colour) >= 3.0 else line_colour(colour)


def get_ax(ax, figsize=(8.0, 6.5)):
    """``ax``; else the current Axes if nothing is drawn on it yet (e.g. right
    after ``plt.subplots()``), or a new Axes on an empty current figure; else a
    new figure of ``figsize`` with constrained layout (maps are never overlaid)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    if plt.get_fignums():
        fig = plt.gcf()
        if not fig.axes:
            return fig.add_subplot()
        current = fig.gca()
        if not (current.has_data() or current.texts or current.get_legend()):
            return current
    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def title_at_top(ax, title: str, **kwargs):
    """``ax.set_title`` at the top of the axes (``y=1``, plus the usual pad).

    Only for axes with nothing above them: maps (no axis drawn), or x ticks at
    the bottom and y tick labels that are names (so no offset text such as
    "1e6"). There matplotlib's automatic title position is this same place, but
    finding it measures every y tick label again at each layout pass and draw
    (a tenth of a CPU second per chart of 30 names).
    """
    return ax.set_title(title, y=1.0, **kwargs)


def is_comparison(obj) -> bool:
    """A :class:`~senatenet._protocols.ComparisonLike` (e.g. a WaveComparison)."""
    return isinstance(obj, ComparisonLike)


def is_survey(obj) -> bool:
    """A :class:`~senatenet._protocols.SurveyLike` (e.g. a Survey)."""
    return isinstance(obj, SurveyLike)


def check_graph(G, what: str = "G") -> None:
    """A networkx graph with at least one node, else :class:`InputError`."""
    if not isinstance(G, nx.Graph):
        raise InputError(f"{what} must be a networkx graph, not {type(G).__name__}")
    if G.number_of_nodes() == 0:
        raise InputError(f"{what} has no people (nodes) to draw")


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        value is pd.NA
    )


def node_groups(G, group: str) -> dict:
    """``{node: group label as str, or None}``."""
    return {
        n: (None if is_missing(d.get(group)) else str(d.get(group)))
        for n, d in G.nodes(data=True)
    }


def initials(name: str) -> str:
    parts = [p for p in re.split(r"[\s\-]+", name.strip()) if p]
    parts = [p for p in parts if p.strip(".").lower() not in _TITLES] or parts
    return "".join(p.strip(".'")[:1].upper() for p in parts if p.strip(".'"))


def number_repeats(texts: list[str]) -> list[str]:
    """Repeated texts numbered in order (``OM``, ``OM`` -> ``OM1``, ``OM2``), so that
    two people with the same initials stay apart on a map and in a chart."""
    counts: dict[str, int] = {}
    for t in texts:
        counts[t] = counts.get(t, 0) + 1
    seen: dict[str, int] = {}
    out = []
    for t in texts:
        if counts[t] > 1:
            seen[t] = seen.get(t, 0) + 1
            t = f"{t}{seen[t]}"
        out.append(t)
    return out


def node_labels(G, label) -> dict:
    """``{node: text}`` for a ``label`` choice (see the ``label`` parameter),
    escaped for matplotlib (see :func:`plain`)."""
    return {n: plain(t) for n, t in _node_labels(G, label).items()}


def _node_labels(G, label) -> dict:
    if label is None or label is False:
        return {}
    if isinstance(label, Mapping):
        return {n: str(label[n]) for n in G if n in label and not is_missing(label[n])}
    if label is True:
        label = "name"
    if not isinstance(label, str):
        raise InputError(f"label must be True/False, a string or a mapping, not {label!r}")
    if label == "id":
        return {n: str(n) for n in G}
    if label == "initials":
        out = {}
        for n, d in G.nodes(data=True):
            name = d.get("name")
            out[n] = initials(str(name)) if not is_missing(name) and str(name) else str(n)
        return dict(zip(out, number_repeats(list(out.values())), strict=True))
    if label == "pseudonym":
        if any("pseudonym" in d for _, d in G.nodes(data=True)):
            return {
                n: str(d["pseudonym"])
                for n, d in G.nodes(data=True)
                if not is_missing(d.get("pseudonym"))
            }
        width = max(2, len(str(G.number_of_nodes())))
        return {n: f"P{i + 1:0{width}d}" for i, n in enumerate(G)}
    present = any(label in d for _, d in G.nodes(data=True))
    if not present and label != "name":
        raise InputError(
            f"label {label!r} is not a node attribute; use True, 'name', 'initials', "
            "'pseudonym', 'id', a node attribute or a mapping"
        )
    out = {}
    for n, d in G.nodes(data=True):
        value = d.get(label)
        out[n] = str(n) if is_missing(value) or str(value) == "" else str(value)
    return out


_BUILTIN = {
    "degree": lambda G: dict(G.degree()),
    "in_degree": lambda G: dict(G.in_degree()) if G.is_directed() else dict(G.degree()),
    "out_degree": lambda G: dict(G.out_degree()) if G.is_directed() else dict(G.degree()),
    "betweenness": lambda G: nx.betweenness_centrality(G, normalized=False),
}


def node_values(G, size_by, group: str = "organisation") -> dict:
    """``{node: float}`` for a ``size_by`` choice (NaN where unknown)."""
    if isinstance(size_by, pd.Series | Mapping):
        return {n: _float(size_by.get(n, np.nan)) for n in G}
    if not isinstance(size_by, str):
        raise InputError(f"size_by must be a string, a mapping or a Series, not {size_by!r}")
    if any(size_by in d for _, d in G.nodes(data=True)):
        return {n: _float(d.get(size_by, np.nan)) for n, d in G.nodes(data=True)}
    if size_by in _BUILTIN:
        return {n: float(v) for n, v in _BUILTIN[size_by](G).items()}
    from ..measures.centrality import node_table

    table = node_table(G, group)
    if size_by not in table.columns:
        options = sorted(set(_BUILTIN) | set(table.columns))
        raise InputError(
            f"size_by {size_by!r} is neither a node attribute nor a measure; "
            f"measures: {', '.join(options)}"
        )
    return {n: _float(table[size_by].get(n, np.nan)) for n in G}


def _float(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def base_node_size(n: int) -> float:
    """Marker area (pt^2) that stays legible from 10 to a few thousand people."""
    return float(np.clip(7000.0 / max(n, 1), 12.0, 260.0))


def scale_sizes(values: list[float], base: float) -> np.ndarray:
    """Marker areas proportional to value, from ``0.35*base`` to ``2.2*base``."""
    v = np.asarray(values, dtype=float)
    finite = np.isfinite(v)
    out = np.full(v.shape, 0.35 * base)
    if finite.any():
        lo, hi = np.nanmin(v[finite]), np.nanmax(v[finite])
        rel = (v[finite] - lo) / (hi - lo) if hi > lo else np.full(finite.sum(), 0.5)
        out[finite] = base * (0.35 + 1.85 * rel)
    return out


def size_handles(values, base: float, name: str) -> list[Line2D]:
    """Legend markers for the smallest, middle and largest value of ``values``,
    sized exactly as :func:`scale_sizes` draws them."""
    from matplotlib.lines import Line2D

    v = np.asarray(list(values), dtype=float)
    v = v[np.isfinite(v)]
    if len(v) == 0:
        return []
    lo, hi = float(v.min()), float(v.max())
    points = [lo, (lo + hi) / 2, hi] if hi > lo else [lo]
    areas = scale_sizes(points + [lo, hi], base)[: len(points)]
    span = max(abs(lo), abs(hi))
    digits = 0 if span >= 10 or np.allclose(v, np.round(v)) else 1 if span >= 1 else 2
    fmt = f"{{:.{digits}f}}".format
    return [Line2D([], [], marker="o", ls="none", markersize=float(np.sqrt(a)),
                   markerfacecolor="#d9d9d9", markeredgecolor="#777777",
                   label=f"{name} {fmt(x)}") for x, a in zip(points, areas, strict=True)]


def edge_alpha(m: int) -> float:
    """Edge opacity falling with the number of ties drawn."""
    return float(np.clip(12.0 / math.sqrt(max(m, 1)), 0.04, 0.85))


def strength_widths(strengths, base: float) -> np.ndarray:
    """Line widths from ``0.6*base`` (weakest) to ``2.2*base`` (strongest)."""
    s = np.asarray(strengths, dtype=float)
    out = np.full(s.shape, base)
    finite = np.isfinite(s)
    if finite.any():
        lo, hi = s[finite].min(), s[finite].max()
        if hi > lo:
            out[finite] = base * (0.6 + 1.6 * (s[finite] - lo) / (hi - lo))
    return out


def line_collection(ax, pos, pairs, *, colors, widths, alpha, linestyle="solid",
                    zorder=1.0, gid=None, label=None):
    """Draw straight ties as one LineCollection (fast at thousands of ties)."""
    from matplotlib.collections import LineCollection
    from matplotlib.colors import to_rgba_array

    segs = np.array([(pos[u], pos[v]) for u, v in pairs], dtype=float).reshape(-1, 2, 2)
    if isinstance(colors, list | tuple) and colors and all(isinstance(c, str) for c in colors):
        # each distinct colour converted once (matplotlib would parse every
        # tie's colour name; 10,000 ties on a 300-person map)
        names, which = np.unique(np.asarray(colors, dtype=str), return_inverse=True)
        colors = to_rgba_array(list(names))[which]
    lc = LineCollection(segs, colors=colors, linewidths=widths, alpha=alpha,
                        linestyles=linestyle, zorder=zorder, capstyle="round")
    if gid:
        lc.set_gid(gid)
    if label:
        lc.set_label(label)
    ax.add_collection(lc, autolim=False)
    return lc


def org_handles(colors: Mapping[str, str], size: float = 8.0, *,
                unassigned: bool = False) -> list[Line2D]:
    """Legend markers, one per organisation (and one for people without one)."""
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], marker="o", linestyle="none", markersize=size,
               markerfacecolor=c, markeredgecolor=rim_colour(c), label=plain(g))
        for g, c in colors.items()
    ]
    if unassigned:
        handles.append(Line2D([], [], marker="o", linestyle="none", markersize=size,
                              markerfacecolor=FAINT, markeredgecolor="white",
                              label="(no organisation)"))
    return handles


def legend_columns(k: int, per_column: int = 14) -> int:
    return max(1, math.ceil(k / per_column))


#: Above this many ties on one map panel, vector outputs (SVG, PDF) hold the
#: panel's tie lines as an image at the figure's resolution (people, labels and
#: legend stay vector): thousands of separate path elements make a file of
#: megabytes that editors and browsers handle slowly, and cost seconds to write.
RASTER_TIES_ABOVE = 2000


def finish_map_axes(ax, pos) -> None:
    """Equal aspect, no frame, limits with room for markers and labels; tie
    lines rasterised in vector outputs above :data:`RASTER_TIES_ABOVE` ties."""
    from matplotlib.collections import LineCollection

    lines = [c for c in ax.collections if type(c) is LineCollection]
    if sum(len(c.get_paths()) for c in lines) > RASTER_TIES_ABOVE:
        for c in lines:
            c.set_rasterized(True)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if pos:
        xy = np.array(list(pos.values()), dtype=float)
        lo, hi = xy.min(axis=0), xy.max(axis=0)
        pad = 0.1 * max(float((hi - lo).max()), 1e-9)
        ax.set_xlim(lo[0] - pad, hi[0] + pad)
        ax.set_ylim(lo[1] - pad, hi[1] + pad)


def figure_legend(fig, where: str, **kwargs):
    """``fig.legend`` outside the panels (``where`` = "lower"/"upper") when the
    figure uses constrained layout, else at the figure edge."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    if isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
        return fig.legend(loc=f"outside {where} center", **kwargs)
    return fig.legend(loc=f"{where} center", **kwargs)


def base_line_width(n: int, m: int) -> float:
    """Tie line width falling with the number of people and ties drawn."""
    if n <= 60 and m <= 400:
        return 1.3
    if n <= 300 and m <= 1500:
        return 0.9
    return 0.5 if m <= 5000 else 0.3
