"""Organisation maps: organisations as nodes, the ties between them as lines."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

from ..errors import InputError
from ._common import (
    NEUTRAL,
    check_graph,
    figure_legend,
    get_ax,
    graph_title,
    is_comparison,
    is_survey,
    node_groups,
    org_handles,
    plain,
    relation_note,
    rim_colour,
    text_backing,
    title_at_top,
)
from ._docstrings import DOCS
from .colors import group_order, organisation_colors

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..compare.waves import WaveComparison
    from ..survey import Survey

__all__ = ["plot_org_network"]


def _organisation_ties(G: nx.Graph, group: str = "organisation") -> nx.Graph:
    """Collapse a person graph to organisations (the quotient graph by ``group``).

    Parameters
    ----------
    G : networkx graph
        Person graph whose nodes carry ``group``. Not modified.
    group : str
        Node attribute naming the organisation.

    Returns
    -------
    networkx.Graph
        One node per organisation (in :func:`group_order`) with ``people`` (number
        of people) and ``internal_ties``; one edge per pair of organisations with
        at least one tie, with ``ties``: the number of person-level ties between
        them (arcs on a digraph, edges on a graph); ``H.graph["unit"]`` is
        ``"nominations"`` or ``"ties"`` accordingly. People without an
        organisation are left out.

    References
    ----------
    Wasserman, S. & Faust, K. (1994). Social Network Analysis, section 10.2
    (reduced graphs / blockmodels). Cambridge University Press.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": "X", "b": "X", "c": "Y", "d": "Y"}, "organisation")
    >>> H = _organisation_ties(G)
    >>> dict(H.nodes(data="people")), H.edges["X", "Y"]["ties"]
    ({'X': 2, 'Y': 2}, 1)
    """
    groups = node_groups(G, group)
    H = nx.Graph(unit="nominations" if G.is_directed() else "ties")
    for g in group_order(G, group):
        H.add_node(g, people=0, internal_ties=0)
    for g in groups.values():
        if g is not None:
            H.nodes[g]["people"] += 1
    for u, v in G.edges():
        gu, gv = groups.get(u), groups.get(v)
        if gu is None or gv is None or u == v:
            continue
        if gu == gv:
            H.nodes[gu]["internal_ties"] += 1
        elif H.has_edge(gu, gv):
            H.edges[gu, gv]["ties"] += 1
        else:
            H.add_edge(gu, gv, ties=1)
    return H


def _is_org_graph(G) -> bool:
    return G.number_of_nodes() > 0 and all("people" in d for _, d in G.nodes(data=True))


def _from_survey_graph(H: nx.Graph) -> nx.Graph:
    """Normalise an org graph from ``Survey.org_graph`` (self-loop = internal ties)."""
    out = nx.Graph()
    for n, d in H.nodes(data=True):
        internal = d.get("internal_ties")
        if internal is None and H.has_edge(n, n):
            internal = H.edges[n, n].get("ties", 0)
        out.add_node(str(n), people=int(d.get("people", 0)), internal_ties=internal)
    for u, v, d in H.edges(data=True):
        if u != v and d.get("ties", 1):
            out.add_edge(str(u), str(v), ties=int(d.get("ties", 1)))
    return out


def _panels(data, wave, relation, group, options) -> list[tuple[str, nx.Graph]]:
    """[(title, organisation graph)] for each wave drawn."""
    if is_comparison(data):
        names = {"before": plain(data.before), "after": plain(data.after)}
        rel = relation_note(getattr(data, "relation", None))
        chosen = ("before", "after") if wave in (None, "both") else (wave,)
        for w in chosen:
            if w not in names:
                raise InputError(f"wave must be 'before', 'after' or 'both', not {w!r}")
        return [(f"{w.capitalize()} ({names[w]}){rel}", _organisation_ties(data.graphs[w], group))
                for w in chosen]
    if is_survey(data):
        waves = list(getattr(data, "waves", ()))
        if wave is None:
            if len(waves) != 1:
                raise InputError(f"pass wave= (one of {waves}) or a pair of waves")
            wave = waves[0]
        chosen = [wave] if isinstance(wave, str) else list(wave)
        out = []
        for w in chosen:
            if w not in waves:
                raise InputError(f"wave {w!r} is not in the survey; waves: {waves}")
            G = data.person_graph(w, relation, **options)
            out.append((f"Wave {plain(w)}{relation_note(relation)}", _organisation_ties(G, group)))
        return out
    if isinstance(data, nx.Graph):
        check_graph(data, "data")
        H = _from_survey_graph(data) if _is_org_graph(data) else _organisation_ties(data, group)
        return [(graph_title(data), H)]
    raise InputError(
        "plot_org_network needs a person or organisation graph, a Survey or a "
        f"WaveComparison, not {type(data).__name__}"
    )


def _positions(orgs: Sequence[str]) -> dict:
    """Organisations on a circle, in the same order and angles as group_layout."""
    k = len(orgs)
    if k == 1:
        return {orgs[0]: (0.0, 0.0)}
    return {g: (math.cos(2 * math.pi * i / k + math.pi / 2),
                math.sin(2 * math.pi * i / k + math.pi / 2)) for i, g in enumerate(orgs)}


def _draw_panel(ax, H, pos, colors, *, max_people, max_ties, previous, edge_labels, title):
    orgs = [g for g in pos if g in H]
    crowd = max(1.0, len(pos) / 8)  # shrink marks as organisations multiply
    taken: list[np.ndarray] = []
    for u, v, d in sorted(H.edges(data=True), key=lambda e: -e[2]["ties"]):
        (x0, y0), (x1, y1) = pos[u], pos[v]
        lw = 0.8 + 11.0 / crowd * d["ties"] / max_ties
        line = ax.plot([x0, x1], [y0, y1], color=NEUTRAL, lw=lw, alpha=0.7 / crowd ** 0.5,
                       solid_capstyle="round", zorder=1)[0]
        line.set_gid("org-tie")
        if edge_labels:
            text = str(d["ties"])
            if previous is not None:
                before = previous.edges[u, v]["ties"] if previous.has_edge(u, v) else 0
                text += f" ({d['ties'] - before:+d})"
            # the midpoint, or a nearby point on the line when another label is there
            for t in (0.5, 0.36, 0.64, 0.26, 0.74):
                at = np.array([x0 + t * (x1 - x0), y0 + t * (y1 - y0)])
                if all(np.hypot(*(at - o)) > 0.2 for o in taken):
                    break
            taken.append(at)
            ax.text(at[0], at[1], text, ha="center", va="center",
                    fontsize=8, color="#111111", zorder=3, gid="org-tie-label",
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))
    xy = np.array([pos[g] for g in orgs], dtype=float)
    people = np.array([H.nodes[g]["people"] for g in orgs], dtype=float)
    area = (250.0 + 2600.0 * people / max_people) / crowd ** 2
    sc = ax.scatter(xy[:, 0], xy[:, 1], s=area, c=[colors[g] for g in orgs],
                    edgecolors=[rim_colour(colors[g]) for g in orgs], linewidths=1.5,
                    zorder=4)  # a darker rim on a pale circle: 3:1 against the page
    sc.set_gid("organisations")
    labels = []
    for g, (x, y), s in zip(orgs, xy, area, strict=True):
        d = np.array([x, y]) / (math.hypot(x, y) or 1.0)
        if not np.isfinite(d).all() or math.hypot(x, y) < 1e-9:
            d = np.array([0.0, -1.0])
        r = math.sqrt(s) / 2 + 4
        internal = H.nodes[g].get("internal_ties")
        sub = f"{H.nodes[g]['people']} people"
        if internal is not None:
            unit = H.graph.get("unit", "ties")
            sub += f", {internal} {unit[:-1] if internal == 1 else unit} within"
        labels.append(ax.annotate(plain("\n".join(textwrap.wrap(g, 22))) + "\n" + sub, xy=(x, y),
                    xytext=(d[0] * r, d[1] * r), textcoords="offset points",
                    ha="left" if d[0] > 0.3 else "right" if d[0] < -0.3 else "center",
                    va="bottom" if d[1] > 0.3 else "top" if d[1] < -0.3 else "center",
                    fontsize=8.5, zorder=5, bbox=text_backing(), annotation_clip=False))
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_xlim(-1.75, 1.75)
    ax.set_ylim(-1.55, 1.55)
    if title:
        total = sum(d["ties"] for *_, d in H.edges(data=True))
        unit = H.graph.get("unit", "ties")
        title_at_top(ax, f"{title}\n{total} {unit} between organisations", loc="left",
                     fontsize=11)
    return labels


def _make_room(panels) -> None:
    """Raise the top of each axes until its organisation labels end below it
    (the title sits on the axes' top edge, so a tall top label would run into
    it). ``panels``: ``(ax, labels)`` pairs of one figure. Runs the layout
    engine first, so the final axes sizes are used; one run serves every panel
    that still needs room (a layout pass measures every text of the figure)."""
    todo = [(ax, labels) for ax, labels in panels if labels and ax.get_title(loc="left")]
    for _ in range(4):
        if not todo:
            return
        fig = todo[0][0].figure
        engine = fig.get_layout_engine()
        if engine is not None:
            engine.execute(fig)
        left = []
        for ax, labels in todo:
            ax.apply_aspect()
            box = ax.get_window_extent()
            over = max(t.get_window_extent().y1 for t in labels) - box.y1
            if over <= 1.0 or box.height <= 0:
                continue
            y0, y1 = ax.get_ylim()
            ax.set_ylim(y0, y1 + 1.1 * over * (y1 - y0) / box.height)
            left.append((ax, labels))
        todo = left


def plot_org_network(
    data: nx.Graph | Survey | WaveComparison,
    *,
    wave: str | Sequence[str] | None = None,
    relation: str | None = None,
    group: str = "organisation",
    colors: Mapping[str, str] | None = None,
    edge_labels: bool | None = None,
    legend: bool = False,
    figsize: tuple[float, float] | None = None,
    ax: Axes | Sequence[Axes] | None = None,
    **graph_options,
) -> Axes | Figure:
    """Draw organisations as nodes (area = people) and ties between them (width = count).

    Parameters
    ----------
    data : networkx graph, Survey or WaveComparison
        A person graph (collapsed with :func:`_organisation_ties`), an
        organisation graph (nodes with ``people``, edges with ``ties``, e.g.
        :meth:`Survey.org_graph`), a :class:`Survey` with ``wave``, or a
        :class:`WaveComparison`.
    wave : str or pair of str, optional
        Survey: the wave, or two waves for a before/after figure. Comparison:
        ``"before"``, ``"after"`` or ``"both"`` (default).
    relation : str, optional
        Survey only: the relation (passed to :meth:`Survey.person_graph`).
    {group}
    {colors}
    edge_labels : bool, optional
        Write the number of ties on each line; in the second of two panels with
        the change since the first, e.g. ``12 (+5)``. By default when at most
        21 pairs of organisations are tied (7 organisations all tied); beyond
        that the numbers crowd the centre.
    legend : bool
        Add an organisation legend (the organisations are also labelled).
    figsize : (float, float), optional
        Size of a new figure.
    ax : Axes or pair of Axes, optional
        Where to draw: one Axes for one wave, two for two.
    **graph_options
        Survey only: options of :meth:`Survey.person_graph` (``min_strength``,
        ``symmetrize``, ``missing``).

    Returns
    -------
    matplotlib.axes.Axes or matplotlib.figure.Figure
        The Axes for one wave; the Figure (two panels on one scale) for two.

    References
    ----------
    Wasserman, S. & Faust, K. (1994). Social Network Analysis, section 10.2.
    Cambridge University Press.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {{"a": "X", "b": "X", "c": "Y"}}, "organisation")
    >>> ax = plot_org_network(G)
    >>> len(ax.collections[0].get_offsets())
    2
    """
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes

    panels = _panels(data, wave, relation, group, graph_options)
    if colors is None:
        if is_comparison(data):
            survey = getattr(data, "survey", None)
            source = survey if survey is not None else data.graphs["before"]
        else:
            source = list(data) if isinstance(data, nx.Graph) and _is_org_graph(data) else data
        colors = organisation_colors(source, group)
    colors = dict(colors)
    orgs = list(dict.fromkeys([g for g in colors] + [g for _, H in panels for g in H]))
    missing = [g for g in orgs if g not in colors]
    if missing:
        colors.update(organisation_colors(orgs))  # unknown organisations: full mapping
    present = [g for g in orgs if any(g in H for _, H in panels)]
    pos = _positions(present)
    max_people = max(max((d["people"] for _, d in H.nodes(data=True)), default=1) for _, H in panels) or 1
    max_ties = max(max((d["ties"] for *_, d in H.edges(data=True)), default=1) for _, H in panels) or 1
    if len(panels) == 1:
        if ax is not None and not isinstance(ax, Axes):
            raise InputError("one wave is drawn: pass a single Axes")
        axes = [get_ax(ax, figsize=figsize or (8.0, 7.0))]
    elif ax is None:
        fig, axes = plt.subplots(1, len(panels), figsize=figsize or (15.0, 7.2), layout="constrained")
    else:
        axes = list(ax)
        if len(axes) != len(panels):
            raise InputError(f"{len(panels)} waves are drawn: pass {len(panels)} Axes")
    if edge_labels is None:
        edge_labels = max(H.number_of_edges() for _, H in panels) <= 21
    previous = None
    drawn = []
    for a, (title, H) in zip(axes, panels, strict=True):
        drawn.append(_draw_panel(a, H, pos, colors, max_people=max_people, max_ties=max_ties,
                                 previous=previous, edge_labels=edge_labels, title=title))
        previous = H
    if legend:
        handles = org_handles({g: colors[g] for g in present})
        if len(axes) == 1:
            axes[0].legend(handles=handles, title="Organisation", loc="upper left",
                           bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8.5)
        else:
            figure_legend(axes[0].figure, "lower", handles=handles, title="Organisation",
                                  ncols=min(len(handles), 3),
                                  frameon=False, fontsize=9)
    _make_room(list(zip(axes, drawn, strict=True)))
    top = max(a.get_ylim()[1] for a in axes)
    for a in axes:  # panels keep one scale
        a.set_ylim(a.get_ylim()[0], top)
    return axes[0] if len(axes) == 1 else axes[0].figure


plot_org_network.__doc__ = plot_org_network.__doc__.format(**DOCS)
