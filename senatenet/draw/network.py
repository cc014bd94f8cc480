"""Person networks: who is connected to whom, and what changed between waves.

Encoding used by every person map (and described in its legends): a marker per
person coloured by organisation (:func:`organisation_colors`), ties within an
organisation drawn in that organisation's colour, ties across organisations in
dark grey; in before/after maps new ties are thick and opaque, lost ties dashed
and faint, stable ties thin. Positions come from :func:`group_layout` computed
on the union of the waves shown, so a person stays in place across panels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import InputError
from ._common import (
    FAINT,
    NEUTRAL,
    base_line_width,
    base_node_size,
    check_graph,
    edge_alpha,
    figure_legend,
    finish_map_axes,
    get_ax,
    graph_title,
    halo,
    is_comparison,
    legend_columns,
    line_collection,
    line_colour,
    node_groups,
    node_labels,
    node_values,
    org_handles,
    plain,
    relation_note,
    rim_colour,
    scale_sizes,
    size_handles,
    strength_widths,
    title_at_top,
)
from ._docstrings import DOCS
from ._labels import place_labels
from .colors import organisation_colors
from .layout import group_layout

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from ..compare.waves import WaveComparison

__all__ = ["plot_network", "plot_before_after"]


def _edge_colours(pairs, groups, colors) -> list[str]:
    line = {}  # organisation -> its line colour, worked out once
    out = []
    for u, v in pairs:
        gu, gv = groups.get(u), groups.get(v)
        if gu is not None and gu == gv:
            if gu not in line:
                line[gu] = line_colour(colors.get(gu, FAINT))
            out.append(line[gu])
        else:
            out.append(NEUTRAL)
    return out


def _ordered_labels(labels: dict, values: dict | None, G) -> dict:
    """Labels in priority order: largest marker (else highest degree) first."""
    rank = values if values else dict(G.degree())
    keep = sorted(labels, key=lambda n: -np.nan_to_num(rank.get(n, 0.0), nan=-1.0))
    return {n: labels[n] for n in keep}


def _fontsize(n: int) -> float:
    return 8.0 if n <= 40 else 7.0 if n <= 120 else 6.0


def _check_pos(G, pos) -> None:
    missing = [n for n in G if n not in pos]
    if missing:
        raise InputError(f"pos has no position for {len(missing)} node(s), e.g. {missing[0]!r}")


def _draw_people(ax, G, pos, *, groups, colors, sizes):
    nodes = list(G)
    xy = np.array([pos[n] for n in nodes], dtype=float).reshape(-1, 2)
    face = [colors.get(groups[n], FAINT) if groups[n] is not None else FAINT for n in nodes]
    responded = [G.nodes[n].get("responded", True) is not False for n in nodes]
    # white rims, but a pale marker (yellow) gets a darker rim of its own colour
    # so that it stands out from the white page
    edge = [rim_colour(f) if r else "#111111" for f, r in zip(face, responded, strict=True)]
    style = ["solid" if r else (0, (1.5, 1.2)) for r in responded]
    area = np.array([sizes[n] for n in nodes])
    # a heavy outline would turn the small markers of a large map into black dots
    widths = [0.9 if r else float(np.clip(0.09 * np.sqrt(a), 0.6, 1.3))
              for r, a in zip(responded, area, strict=True)]
    sc = ax.scatter(xy[:, 0], xy[:, 1], s=area, c=face, edgecolors=edge,
                    linewidths=widths, zorder=4)
    sc.set_linestyle(style)
    sc.set_gid("people")
    return sc, not all(responded)


def _size_name(size_by) -> str:
    return plain(size_by.replace("_", " ")) if isinstance(size_by, str) else "value"


def _tie_legend_handles(*, statuses: Sequence[str], base: float, nonresponse: bool,
                        strength: bool, sizes: Sequence[Line2D] = ()) -> list[Line2D]:
    from matplotlib.lines import Line2D

    base = max(base, 1.1)  # legible in the key even when the map uses hairlines
    h = [
        Line2D([], [], color=FAINT, lw=2.0, label="tie within an organisation\n(organisation colour)"),
        Line2D([], [], color=NEUTRAL, lw=2.0, label="tie across organisations"),
    ]
    styles = {
        "stable": dict(lw=base, alpha=0.8, label="tie in both waves"),
        "new": dict(lw=base * 2.1, alpha=1.0, label="new tie"),
        "lost": dict(lw=base, alpha=0.6, ls=(0, (3, 2)), label="lost tie"),
    }
    for s in statuses:
        h.append(Line2D([], [], color=NEUTRAL, **styles[s]))
    if strength:
        h.append(Line2D([], [], color=NEUTRAL, lw=0, label="line width: tie strength"))
    if nonresponse:
        h.append(Line2D([], [], marker="o", ls="none", markersize=8, markerfacecolor="#dddddd",
                        markeredgecolor="#111111", markeredgewidth=1.3, label="did not respond"))
    return h + list(sizes)


def _add_key(ax, org, handles, *, rows: int) -> None:
    """The tie key right of the organisation legend (no taller than it), or,
    when it would touch an organisation's name (many or long names), under it."""
    from matplotlib.legend import Legend
    from matplotlib.transforms import offset_copy

    fig = ax.figure
    labels = [h.get_label() for h in handles]
    key = Legend(ax, handles, labels, loc="upper right", bbox_to_anchor=(1.0, -0.01),
                 bbox_transform=ax.transAxes, frameon=False, fontsize=8,
                 ncols=-(-len(handles) // max(rows - 2, 4)))
    key.set_figure(fig)
    fig.draw_without_rendering()  # final axes size and legend text positions
    pad = 6 * fig.dpi / 72
    box = key.get_window_extent().padded(pad)
    names = [t.get_window_extent() for t in org.get_texts()]
    if any(box.overlaps(b) for b in names):
        # below the organisation legend, a fixed distance under it whatever the axes size
        drop = org.get_window_extent().height * 72 / fig.dpi + 4
        key = Legend(ax, handles, labels, loc="upper left", bbox_to_anchor=(0.0, -0.01),
                     bbox_transform=offset_copy(ax.transAxes, fig=fig, y=-drop, units="points"),
                     frameon=False, fontsize=8, ncols=min(len(handles), 3))
    key.set_gid("tie-key")
    key.set_clip_on(False)  # else layout and tight bounding boxes ignore it
    ax.add_artist(key)


def plot_network(
    G: nx.Graph,
    group: str = "organisation",
    *,
    size_by: str | Mapping | pd.Series | None = None,
    label: bool | str | Mapping = True,
    pos: Mapping | None = None,
    weight: str | None = "strength",
    colors: Mapping[str, str] | None = None,
    seed: int = 0,
    arrows: bool | None = None,
    max_labels: int = 40,
    legend: bool = True,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw people coloured by organisation, with their ties.

    Parameters
    ----------
    G : networkx graph
        A person graph (e.g. :meth:`Survey.person_graph`); nodes carry ``group``.
        Not modified.
    {group}
    {size_by}
    {label}
    {pos}
    weight : str or None
        Edge attribute setting line width (default ``"strength"``); ties without
        it, or ``None``, give equal widths.
    {colors}
    {seed}
    arrows : bool, optional
        Arrow heads on a directed graph; by default when it has at most 150 ties.
        Without arrows, a pair who named each other is one line (width: the
        stronger direction).
    max_labels : int
        Label at most this many people (the largest); keeps big maps readable.
    legend : bool
        Organisation legend and a key to the tie styles, right of the map.
    title : str, optional
        Axes title (left-aligned). By default the wave and relation recorded in
        ``G.graph`` (e.g. "Wave post · relation: advice"); ``""`` for none.
    {ax}

    Returns
    -------
    {returns_ax}

    Notes
    -----
    Ties within an organisation take its colour and ties across organisations are
    dark grey, so boundary-spanning ties stand out. People who did not respond in
    the wave (node attribute ``responded`` False) have a dotted dark outline: their
    own nominations are unknown.

    References
    ----------
    Okabe, M. & Ito, K. (2008). Color Universal Design. https://jfly.uni-koeln.de/color/
    Hoppe, B. & Reinelt, C. (2010). Social network analysis and the evaluation of
    leadership networks. The Leadership Quarterly 21(4), 600-619.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {{"a": "X", "b": "X", "c": "Y"}}, "organisation")
    >>> ax = plot_network(G, label="id")
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['X', 'Y']
    """
    check_graph(G)
    ax = get_ax(ax, figsize=(9.0, 8.5))
    groups = node_groups(G, group)
    colors = dict(colors) if colors is not None else organisation_colors(G, group)
    if pos is None:
        pos = group_layout(G, group, seed=seed)
    _check_pos(G, pos)
    n, m = G.number_of_nodes(), G.number_of_edges()
    values = node_values(G, size_by, group) if size_by is not None else None
    base = base_node_size(n)
    area = scale_sizes([values[v] for v in G], base) if values else np.full(n, base)
    sizes = dict(zip(G, area, strict=True))

    if arrows is None:
        arrows = G.is_directed() and m <= 150
    arrows = bool(arrows) and G.is_directed()
    strength_of = {}  # one entry per arc, or per pair when drawn as plain lines
    for u, v, d in G.edges(data=True):
        if u == v:
            continue
        value = float(d.get(weight, np.nan)) if weight else np.nan
        key = (u, v) if arrows else (v, u) if (v, u) in strength_of else (u, v)
        strength_of[key] = np.fmax(strength_of.get(key, np.nan), value)  # strongest direction
    pairs = list(strength_of)
    strengths = list(strength_of.values())
    lw0 = base_line_width(n, len(pairs))
    widths = strength_widths(strengths, lw0)
    has_strength = bool(weight) and len(set(np.asarray(strengths)[np.isfinite(strengths)])) > 1
    cols = _edge_colours(pairs, groups, colors)
    alpha = edge_alpha(len(pairs))
    if arrows and pairs:
        patches = nx.draw_networkx_edges(
            G, pos, edgelist=pairs, width=list(widths), edge_color=cols, alpha=alpha,
            arrows=True, arrowsize=7 if n <= 60 else 5, node_size=[sizes[u] for u in G],
            nodelist=list(G), connectionstyle="arc3,rad=0.08", ax=ax,
        )
        for p in patches:
            p.set_gid("ties")
    elif pairs:
        # one line per pair of people; cross-boundary ties above internal ones
        order = np.argsort([c == NEUTRAL for c in cols], kind="stable")
        line_collection(ax, pos, [pairs[i] for i in order],
                        colors=[cols[i] for i in order], widths=widths[order],
                        alpha=alpha, zorder=2, gid="ties")
    _, nonresponse = _draw_people(ax, G, pos, groups=groups, colors=colors, sizes=sizes)
    finish_map_axes(ax, pos)
    title = graph_title(G) if title is None else title
    if title:
        title_at_top(ax, title, loc="left", fontsize=11)
    if legend:
        shown = {g: c for g, c in colors.items() if g in set(groups.values())}
        unassigned = None in set(groups.values())
        org_cols = legend_columns(len(shown) + unassigned, 8)
        org_rows = -(-(len(shown) + unassigned) // org_cols) + 1  # + title
        handles = _tie_legend_handles(
            statuses=(), base=lw0, nonresponse=nonresponse, strength=has_strength,
            sizes=size_handles(values.values(), base, _size_name(size_by)) if values else ())
        org = ax.legend(handles=org_handles(shown, unassigned=unassigned), title="Organisation",
                        loc="upper left", bbox_to_anchor=(0.0, -0.01), frameon=False,
                        fontsize=8.5, title_fontsize=9, alignment="left", ncols=org_cols)
        _add_key(ax, org, handles, rows=org_rows)
    place_labels(ax, pos, _ordered_labels(node_labels(G, label), values, G), sizes, groups,
                 fontsize=_fontsize(n), limit=max_labels)
    return ax


def _panel_values(comparison, G, size_by, wave, group):
    people = getattr(comparison, "people", None)
    if isinstance(size_by, str) and people is not None and f"{size_by}_{wave}" in people:
        col = people[f"{size_by}_{wave}"]
        return {n: float(col.get(n, np.nan)) for n in G}
    return node_values(G, size_by, group)


def _tie_dyads(ties: pd.DataFrame) -> pd.DataFrame:
    """One row per pair of people from a ``WaveComparison.ties`` table.

    On a directed comparison the table has one row per nomination (arc); a pair
    is tied in a wave when either person named the other. Its status is
    ``stable`` (tied in both waves), ``new`` (only after) or ``lost`` (only
    before); on an undirected comparison this is the table itself.
    """
    if ties.empty:
        return pd.DataFrame({"source": [], "target": [], "status": [], "cross_boundary": []})
    src, tgt = ties["source"].tolist(), ties["target"].tolist()
    first: dict = {}
    for u, v, st, cb in zip(src, tgt, ties["status"], ties["cross_boundary"], strict=True):
        key = frozenset((u, v))
        was, now = st in ("stable", "lost"), st in ("stable", "new")
        if key in first:
            a, b, w, nw, c = first[key]
            first[key] = (a, b, w or was, nw or now, c)
        else:
            first[key] = (u, v, was, now, bool(cb))
    rows = [(a, b, "stable" if w and nw else "new" if nw else "lost", c)
            for a, b, w, nw, c in first.values()]
    return pd.DataFrame(rows, columns=["source", "target", "status", "cross_boundary"])


def plot_before_after(
    comparison: WaveComparison,
    *,
    size_by: str | Mapping | pd.Series | None = None,
    label: bool | str | Mapping = True,
    pos: Mapping | None = None,
    colors: Mapping[str, str] | None = None,
    group: str = "organisation",
    seed: int = 0,
    max_labels: int = 40,
    figsize: tuple[float, float] | None = None,
    axes: Sequence[Axes] | None = None,
) -> Figure:
    """Two maps, before and after, on one layout, with new and lost ties marked.

    Parameters
    ----------
    comparison : WaveComparison
        From :func:`compare_waves`; uses ``graphs``, ``ties`` (``status``,
        ``cross_boundary``), ``people`` and ``layout()``.
    size_by : str, dict or Series, optional
        As in :func:`plot_network`; a measure with ``<m>_before``/``<m>_after``
        columns in ``comparison.people`` is taken from there, each panel its own
        wave, on one common size scale.
    {label}
    pos : dict, optional
        ``{{node: (x, y)}}``; by default ``comparison.layout(seed=seed)``
        (:func:`group_layout` on the union of both waves).
    {colors}
    {group}
    {seed}
    max_labels : int
        Label at most this many people per panel: the largest in either wave
        (by ``size_by``, else by number of ties), the same people in both
        panels as far as they fit.
    figsize : (float, float), optional
        Size of the new figure (ignored with ``axes``).
    axes : pair of Axes, optional
        Draw the two panels here instead of a new figure.

    Returns
    -------
    {returns_fig}

    Notes
    -----
    Lines join pairs of people: on a directed comparison a pair counts as tied
    when either named the other (the titles also give the nominations). The
    "before" panel shows every tie of the first wave. The "after" panel
    shows ties of both waves (thin), new ties (thick, opaque) and lost ties
    (dashed, faint), so the change is read off one picture.

    References
    ----------
    Moody, J., McFarland, D. & Bender-deMoll, S. (2005). Dynamic network
    visualization. American Journal of Sociology 110(4), 1206-1241.

    Examples
    --------
    >>> import senatenet as sn
    >>> c = sn.compare_waves(sn.load_sample(), "pre", "post", relation="knows",
    ...                      n_permutations=0)
    >>> fig = plot_before_after(c, label=False)
    >>> [ax.get_title(loc="left").splitlines()[0] for ax in fig.axes]
    ['Before (pre) · relation: knows', 'After (post) · relation: knows']
    """
    import matplotlib.pyplot as plt

    if not is_comparison(comparison):
        raise InputError("plot_before_after needs a WaveComparison (from compare_waves)")
    G1, G2 = comparison.graphs["before"], comparison.graphs["after"]
    if axes is None:
        n = G1.number_of_nodes()
        size = figsize or ((14.0, 8.0) if n <= 60 else (16.0, 9.0))
        fig, axes = plt.subplots(1, 2, figsize=size, layout="constrained")
    else:
        if len(axes) != 2:
            raise InputError("axes must be a pair of Axes (before, after)")
        fig = axes[0].figure
    if pos is None:
        pos = (comparison.layout(seed=seed) if hasattr(comparison, "layout")
               else group_layout(nx.compose(G1.to_undirected(), G2.to_undirected()), group, seed=seed))
    _check_pos(G1, pos)
    _check_pos(G2, pos)
    groups = node_groups(G1, group)
    groups.update({k: v for k, v in node_groups(G2, group).items() if v is not None})
    if colors is None:
        survey = getattr(comparison, "survey", None)
        colors = organisation_colors(survey if survey is not None else G1, group)
    colors = dict(colors)
    base = base_node_size(G1.number_of_nodes())
    if size_by is not None:
        v1 = _panel_values(comparison, G1, size_by, "before", group)
        v2 = _panel_values(comparison, G2, size_by, "after", group)
        both = scale_sizes([v1[n] for n in G1] + [v2[n] for n in G2], base)
        sizes = [dict(zip(G1, both[: len(G1)], strict=True)), dict(zip(G2, both[len(G1):], strict=True))]
        values = [v1, v2]
    else:
        sizes = [dict.fromkeys(G1, base), dict.fromkeys(G2, base)]
        values = [None, None]

    dyads = _tie_dyads(comparison.ties)
    pairs_by = {st: list(zip(dyads["source"][dyads["status"] == st],
                             dyads["target"][dyads["status"] == st], strict=True))
                for st in ("stable", "new", "lost")}
    cross = dyads["cross_boundary"]
    count = {st: int((dyads["status"] == st).sum()) for st in ("stable", "new", "lost")}
    cross_count = {st: int(((dyads["status"] == st) & cross).sum())
                   for st in ("stable", "new", "lost")}
    n = G1.number_of_nodes()
    lw0 = 0.92 * base_line_width(n, len(dyads))
    alpha = edge_alpha(len(dyads))
    labels = node_labels(G1, label)
    before, after = plain(comparison.before), plain(comparison.after)
    rel = relation_note(getattr(comparison, "relation", None))
    unit = "pairs tied" if G1.is_directed() else "ties"
    titles = [
        f"Before ({before}){rel}\n{count['stable'] + count['lost']} {unit}, "
        f"{cross_count['stable'] + cross_count['lost']} across organisations",
        f"After ({after}){rel}\n{count['stable'] + count['new']} {unit}, "
        f"{cross_count['stable'] + cross_count['new']} across organisations "
        f"({count['new']} new, {count['lost']} lost)",
    ]
    if G1.is_directed():
        arcs = comparison.ties["status"]
        titles[0] += f"\nfrom {int(arcs.isin(['stable', 'lost']).sum())} nominations, either direction"
        titles[1] += f"\nfrom {int(arcs.isin(['stable', 'new']).sum())} nominations, either direction"
    nonresponse = False
    for i, (ax, G) in enumerate(zip(axes, (G1, G2), strict=True)):
        if i == 0:
            drawn = pairs_by["stable"] + pairs_by["lost"]
            line_collection(ax, pos, drawn, colors=_edge_colours(drawn, groups, colors),
                            widths=lw0, alpha=alpha, zorder=2, gid="ties-before")
        else:
            lost = pairs_by["lost"]
            line_collection(ax, pos, lost, colors=_edge_colours(lost, groups, colors),
                            widths=lw0, alpha=min(0.55, alpha), linestyle=(0, (3, 2)),
                            zorder=1.5, gid="ties-lost", label="lost tie")
            stable = pairs_by["stable"]
            line_collection(ax, pos, stable, colors=_edge_colours(stable, groups, colors),
                            widths=lw0, alpha=alpha, zorder=2, gid="ties-stable",
                            label="tie in both waves")
            new = sorted(pairs_by["new"], key=lambda e: groups.get(e[0]) != groups.get(e[1]))
            # opaque and haloed on legible maps; on dense maps still the strongest layer
            lc = line_collection(ax, pos, new, colors=_edge_colours(new, groups, colors),
                                 widths=lw0 * 2.1, alpha=min(1.0, max(2 * alpha, 0.25)),
                                 zorder=3, gid="ties-new", label="new tie")
            if len(new) <= 400:
                lc.set_path_effects(halo())
        _, nr = _draw_people(ax, G, pos, groups=groups, colors=colors, sizes=sizes[i])
        nonresponse = nonresponse or nr
        finish_map_axes(ax, pos)
        title_at_top(ax, titles[i], fontsize=11, loc="left")
    shown = {g: c for g, c in colors.items() if g in set(groups.values())}
    unassigned = None in set(groups.values())
    figure_legend(fig, "lower", handles=org_handles(shown, unassigned=unassigned), title="Organisation",
               ncols=min(len(shown), 3), frameon=False, fontsize=9, title_fontsize=9.5)
    keys = size_handles(list(values[0].values()) + list(values[1].values()), base,
                        _size_name(size_by)) if size_by is not None else []
    figure_legend(fig, "upper", handles=_tie_legend_handles(statuses=("stable", "new", "lost"), base=lw0,
                                           nonresponse=nonresponse, strength=False, sizes=keys),
               ncols=3 + nonresponse + bool(keys), frameon=False, fontsize=8.5)
    # one priority for both panels (largest in either wave), so that on big maps
    # the same people are labelled before and after
    ranks = [values[i] if values[i] else dict(G.degree()) for i, G in enumerate((G1, G2))]
    rank = {v: np.fmax(ranks[0].get(v, np.nan), ranks[1].get(v, np.nan)) for v in G1}
    ordered = _ordered_labels(labels, rank, G1)
    engine = fig.get_layout_engine()
    if ordered and max_labels > 0 and engine is not None:
        engine.execute(fig)  # once for both panels: labels are not in the layout
    for i, ax in enumerate(axes):
        place_labels(ax, pos, ordered, sizes[i], groups, fontsize=_fontsize(n), limit=max_labels,
                     lay_out=False)
    return fig


for _f in (plot_network, plot_before_after):
    _f.__doc__ = _f.__doc__.format(**DOCS)
