"""Interactive offline network maps: one self-contained, safe HTML page.

The map is a vis-network drawing (inlined from the installed pyvis package, so
nothing is fetched from the web) rendered through senatenet's own escaped Jinja
template. :class:`InteractiveMap` keeps a pyvis ``Network`` that users can
customise; its nodes, edges, heading and options are read when the page is
rendered. People keep the positions of the shared :func:`~senatenet.group_layout`
and the colours of :func:`~senatenet.organisation_colors`, so the map agrees with
the static figures. For a :class:`~senatenet.WaveComparison` the page switches
between the before, after and difference views (new, lost and stable ties).

References
----------
visjs contributors (2022). vis-network 9.1.2. https://visjs.github.io/vis-network/
(dual licensed Apache-2.0 / MIT; the licence header is kept in every page).
Damerau, F. J. (1964). A technique for computer detection and correction of
spelling errors. Communications of the ACM 7(3), 171-176 (the search's near
matches: insertions, deletions, substitutions and swapped neighbours).
W3C (2023). Web Content Accessibility Guidelines (WCAG) 2.2.
https://www.w3.org/TR/WCAG22/
Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational
crises: an experimental simulation. Social Psychology Quarterly 51(2), 123-140
(internal versus external ties).
"""

from __future__ import annotations

import functools
import html as _html
import json
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from .._protocols import ComparisonLike, SurveyLike, TrajectoryLike
from ..errors import InputError
from ..layout import close_pairs
from .colors import organisation_colors
from .layout import group_layout

__all__ = ["interactive_map", "InteractiveMap"]

#: Above this many people the browser's physics simulation is off by default.
PHYSICS_MAX_NODES = 300

CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; "
    "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
)

# Measures that are cheap enough to compute for any size of graph.
_CHEAP = ("degree", "internal_ties", "external_ties")
_MEASURE_LABELS = {
    "degree": "Degree",
    "internal_ties": "Ties inside own organisation",
    "external_ties": "Cross-boundary ties",
    "ei": "E-I index",
    "betweenness": "Betweenness",
    "constraint": "Constraint",
    "brokerage": "Brokerage",
}
#: What each measure means, in the words shown in the map's tooltips.
_MEASURE_HELP = {
    "degree": "number of ties; on directed ties, sent plus received",
    "in_degree": "ties received",
    "out_degree": "ties sent",
    "internal_ties": "people tied to in their own organisation",
    "external_ties": "people tied to in other organisations",
    "ei": "ties outside minus ties inside their organisation, divided by all "
    "their ties: from -1 (all inside) to +1 (all outside)",
    "betweenness": "how often this person lies on the shortest path between "
    "two others",
    "constraint": "how much their contacts are tied to each other; lower means "
    "more brokerage opportunity",
    "effective_size": "contacts who are not tied to each other",
    "brokerage": "times this person links two others who are not tied to each "
    "other (Gould-Fernandez roles, all five)",
    "closeness": "how close this person is to everyone else (1 / average distance)",
    "harmonic_closeness": "how close this person is to everyone else "
    "(average of 1 / distance)",
    "eigenvector": "tied to people who are themselves well connected",
    "pagerank": "tied to people who are themselves well connected (PageRank)",
}
_NO_ORG_COLOUR = "#BBBBBB"
_COLOUR = re.compile(r"^(#[0-9A-Fa-f]{3,8}|[A-Za-z]{3,20})$")
_EDGE_STYLE = {
    # (colour, width) of ties in the wave views; the difference view is styled
    # in the page from each tie's status (see interactive_map.js).
    "internal": ("#858B94", 1.3),  # 3.4:1 on white (WCAG 1.4.11 asks 3:1)
    "external": ("#4A4F57", 2.2),
}


# --------------------------------------------------------------------------- model
@dataclass(slots=True)
class _Tie:
    u: str
    v: str
    relation: str | None
    views: dict[str, float] = field(default_factory=dict)  # view -> strength
    status: str | None = None
    statuses: dict[str, str] = field(default_factory=dict)  # change view -> status


@dataclass
class _Model:
    kind: str  # "graph", "survey" or "comparison"
    people: list  # original node ids in roster order
    attrs: dict  # node -> attribute dict (read only)
    views: list[tuple[str, str]]  # (key, label)
    view: str  # initial view key
    ties: list[_Tie]
    measure_graphs: dict  # view key -> graph the measures are computed on
    measure_tables: dict  # view key -> DataFrame already computed (comparison)
    layout_graph: nx.Graph
    relations: list[str]
    title: str
    comparison: Any = None
    responded: dict = field(default_factory=dict)  # view -> {person: bool}
    measure_note: str = ""
    wave_names: dict = field(default_factory=dict)  # view key -> wave name
    change_views: list = field(default_factory=list)  # trajectory: pair-of-wave views


def _is_missing(value) -> bool:
    return (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or (value is pd.NA)
    )


def _is_bool(value) -> bool:
    return isinstance(value, (bool, np.bool_))


def _text(value) -> str | None:
    return None if _is_missing(value) else str(value)


def _node_ids(people: Iterable) -> dict:
    """Original node -> page id (text); refuse ids that collide once written."""
    ids: dict = {}
    seen: dict[str, Any] = {}
    for n in people:
        key = n if isinstance(n, str) else str(n)
        if key in seen:
            raise InputError(
                f"node ids {seen[key]!r} and {n!r} are the same once written as "
                "text; give every person a distinct text id"
            )
        seen[key] = n
        ids[n] = key
    return ids


def _dyads(G: nx.Graph, relation_attr: str = "relation", relation=None):
    """Yield ``(u, v, relation, strength)`` once per pair (and relation)."""
    order = {n: i for i, n in enumerate(G)}
    best: dict = {}
    for u, v, d in G.edges(data=True):
        if u == v:
            continue
        rel = d.get(relation_attr)
        if rel is not None:
            rel = _text(rel)
            if relation is not None and rel is not None and rel != relation:
                continue
        if order[u] > order[v]:
            u, v = v, u
        s = d.get("strength")
        if s is None:
            s = d.get("weight", 1.0)
        s = float(s) if s is not None and s == s else 1.0
        key = (u, v, rel)
        old = best.get(key)
        if old is None or s > old:
            best[key] = s
    for (u, v, rel), s in best.items():
        yield u, v, rel, s


def _only(G: nx.Graph, relation: str) -> nx.Graph:
    """A read-only view of ``G`` without the ties of other relations."""

    def keep(d) -> bool:
        return _text(d.get("relation")) in (None, relation)

    if G.is_multigraph():
        return nx.subgraph_view(G, filter_edge=lambda u, v, k: keep(G.edges[u, v, k]))
    return nx.subgraph_view(G, filter_edge=lambda u, v: keep(G.edges[u, v]))


def _from_graph(G, group, relation, title) -> _Model:
    people = list(G)
    ties = [
        _Tie(u, v, rel, {"graph": s}) for u, v, rel, s in _dyads(G, relation=relation)
    ]
    relations = sorted({t.relation for t in ties if t.relation is not None})
    name = _text(G.graph.get("name")) or "Network map"
    return _Model(
        kind="graph",
        people=people,
        attrs={n: G.nodes[n] for n in people},
        views=[("graph", "Ties")],
        view="graph",
        ties=ties,
        measure_graphs={"graph": G if relation is None else _only(G, relation)},
        responded={"graph": {n: G.nodes[n].get("responded") for n in people}},
        measure_tables={},
        layout_graph=G,
        relations=relations,
        title=title if title is not None else name,
    )


def _as_list(value) -> list | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return list(value)


def _pooled(graphs: list[nx.Graph]) -> nx.Graph:
    """Ties of any relation (strength: the largest), for node measures only."""
    pooled = graphs[0].__class__()
    pooled.add_nodes_from(graphs[0].nodes(data=True))
    for H in graphs:
        for u, v, d in H.edges(data=True):
            s = d.get("strength", 1.0)
            old = pooled.get_edge_data(u, v, {}).get("strength")
            pooled.add_edge(u, v, strength=s if old is None else max(old, s))
    return pooled


def _from_survey(survey, group, wave, relation, title) -> _Model:
    waves = _as_list(wave) or list(survey.waves)
    for w in waves:
        if w not in survey.waves:
            raise InputError(
                f"wave {w!r} is not in the survey; waves: {list(survey.waves)}"
            )
    if relation is not None and relation not in survey.relations:
        raise InputError(
            f"relation {relation!r} is not in the survey; "
            f"relations: {list(survey.relations)}"
        )
    drawn = [relation] if relation is not None else list(survey.relations)
    ties: dict = {}
    measure_graphs = {}
    responded = {}
    people: list = []
    attrs: dict = {}
    union = nx.Graph()
    for w in waves:
        graphs = [survey.person_graph(w, r) for r in drawn]
        G = graphs[0] if len(graphs) == 1 else _pooled(graphs)
        measure_graphs[w] = G
        responded[w] = {n: G.nodes[n].get("responded") for n in G}
        for n in G:  # members of any wave (a joiner is absent from earlier waves)
            if n not in attrs:
                attrs[n] = G.nodes[n]
                union.add_node(n, **G.nodes[n])
        for r, H in zip(drawn, graphs, strict=True):
            for u, v, _, s in _dyads(H, relation_attr="\0none"):
                tie = ties.setdefault((u, v, r), _Tie(u, v, r))
                tie.views[w] = s
                union.add_edge(u, v)
    people = [n for n in survey.people.index if n in attrs]  # roster order
    relations = drawn if len(drawn) > 1 else []
    rel_text = f" ({relation})" if relation is not None else ""
    return _Model(
        kind="survey",
        people=people,
        attrs=attrs,
        views=[(w, f"Wave {w}") for w in waves],
        view=waves[-1],
        ties=list(ties.values()),
        measure_graphs=measure_graphs,
        measure_tables={},
        layout_graph=union,
        relations=relations,
        title=title
        if title is not None
        else f"Who is connected to whom{rel_text}: {', '.join(waves)}",
        responded=responded,
        measure_note="ties of any relation" if len(drawn) > 1 else "",
    )


def _pairs(table: pd.DataFrame) -> dict[tuple, dict[str, float]]:
    """One entry per pair of people from a comparison's tie table.

    A directed comparison lists each nomination (i -> j and j -> i separately);
    the map draws one line per pair, as the report counts ties: the pair is tied
    in a wave when either direction is, with the stronger direction's strength
    (1 when a row has a status but no strengths).
    """
    pairs: dict[tuple, dict[str, float]] = {}
    for row in table.itertuples(index=False):
        key = (row.source, row.target)
        if key not in pairs and (row.target, row.source) in pairs:
            key = (row.target, row.source)
        views = pairs.setdefault(key, {})
        found = {
            wave: float(value)
            for wave, value in (("before", row.strength_before), ("after", row.strength_after))
            if not _is_missing(value)
        }
        if not found:  # status without strengths: trust the status
            status = str(row.status)
            found = {
                wave: 1.0
                for wave, ok in (
                    ("before", status in ("lost", "stable")),
                    ("after", status in ("new", "stable")),
                )
                if ok
            }
        for wave, value in found.items():
            views[wave] = max(views.get(wave, value), value)
    return pairs


def _from_comparison(comp, group, title) -> _Model:
    before_g, after_g = comp.graphs["before"], comp.graphs["after"]
    people = list(before_g)
    attrs = {n: before_g.nodes[n] for n in people}
    rel = _text(getattr(comp, "relation", None))
    ties = []
    for (u, v), strengths in _pairs(comp.ties).items():
        status = (
            "stable" if "before" in strengths and "after" in strengths
            else "lost" if "before" in strengths else "new"
        )
        tie = _Tie(u, v, rel, status=status)
        tie.views.update(strengths)
        tie.views["difference"] = tie.views.get("after", tie.views.get("before", 1.0))
        ties.append(tie)
    union = nx.Graph()
    union.add_nodes_from(before_g.nodes(data=True))
    union.add_edges_from((t.u, t.v) for t in ties)
    before, after = str(comp.before), str(comp.after)
    tables = {}
    people_table = getattr(comp, "people", None)
    if isinstance(people_table, pd.DataFrame):
        for view in ("before", "after"):
            cols = {
                c[: -len(view) - 1]: c
                for c in people_table.columns
                if c.endswith("_" + view)
            }
            tables[view] = people_table[list(cols.values())].rename(
                columns={v: k for k, v in cols.items()}
            )
        tables["difference"] = tables["after"]
    return _Model(
        kind="comparison",
        people=people,
        attrs=attrs,
        views=[
            ("before", f"Before ({before})"),
            ("after", f"After ({after})"),
            ("difference", "Change: new, lost and stable ties"),
        ],
        view="difference",
        ties=ties,
        measure_graphs={"before": before_g, "after": after_g, "difference": after_g},
        measure_tables=tables,
        layout_graph=union,
        relations=[],
        title=title
        if title is not None
        else f"Ties before and after the programme{f' ({rel})' if rel else ''}: "
        f"{before} to {after}",
        comparison=comp,
        wave_names={"before": before, "after": after},
        responded={
            key: {n: g.nodes[n].get("responded") for n in g}
            for key, g in (("before", before_g), ("after", after_g))
        },
    )


def _from_trajectory(traj, group, title) -> _Model:
    """One view per wave and a change view for every pair of waves.

    A change view shows a pair's status (new, lost, stable) only when both
    people were members in both waves; other ties are hidden there.
    """
    survey, waves, opts = traj.survey, list(traj.waves), traj.options
    graphs = {
        w: survey.person_graph(w, opts["relation"], min_strength=opts["min_strength"],
                               symmetrize=opts["symmetrize"], missing=opts["missing"])
        for w in waves
    }
    attrs: dict = {}
    union = nx.Graph()
    ties: dict = {}
    for w, G in graphs.items():
        for n in G:
            if n not in attrs:
                attrs[n] = G.nodes[n]
                union.add_node(n, **G.nodes[n])
        for u, v, _, strength in _dyads(G, relation_attr="\0none"):
            key = (u, v) if (v, u) not in ties else (v, u)
            ties.setdefault(key, _Tie(key[0], key[1], None)).views[w] = strength
            union.add_edge(u, v)
    people = [n for n in survey.people.index if n in attrs]
    changes = []
    measure_graphs = dict(graphs)
    responded = {w: {n: G.nodes[n].get("responded") for n in G} for w, G in graphs.items()}
    names = {w: w for w in waves}
    for i, a in enumerate(waves):
        for b in waves[i + 1:]:
            key = f"{a} \u2192 {b}"
            changes.append((key, f"Change {a} \u2192 {b}: new, lost and stable ties"))
            both = survey.members(a) & survey.members(b)
            for t in ties.values():
                if t.u in both and t.v in both and (a in t.views or b in t.views):
                    t.statuses[key] = ("stable" if a in t.views and b in t.views
                                       else "lost" if a in t.views else "new")
                    t.views[key] = t.views.get(b, t.views.get(a, 1.0))
            measure_graphs[key] = graphs[b]
            names[key] = f"{a}\u2192{b}"
    rel = _text(getattr(traj, "relation", None))
    return _Model(
        kind="trajectory",
        people=people,
        attrs=attrs,
        views=[(w, f"Wave {w}") for w in waves] + changes,
        view=changes[0][0] if changes else waves[-1],
        ties=list(ties.values()),
        measure_graphs=measure_graphs,
        measure_tables={},
        layout_graph=union,
        relations=[],
        title=title if title is not None
        else f"Who is connected to whom{f' ({rel})' if rel else ''}: {', '.join(waves)}",
        responded=responded,
        wave_names=names,
        change_views=[k for k, _ in changes],
    )


def _model(data, group, wave, relation, title) -> _Model:
    if isinstance(data, nx.Graph):
        if wave is not None:
            raise InputError("wave= applies to a Survey, not to a graph")
        return _from_graph(data, group, relation, title)
    if isinstance(data, ComparisonLike):
        return _from_comparison(data, group, title)
    if isinstance(data, TrajectoryLike):
        if wave is not None or relation is not None:
            raise InputError("wave= and relation= apply to a Survey; a Trajectory "
                             "shows its own waves and relation")
        return _from_trajectory(data, group, title)
    if isinstance(data, SurveyLike) and hasattr(data, "waves"):
        return _from_survey(data, group, wave, relation, title)
    raise InputError(
        "interactive_map() takes a networkx graph, a Survey or a WaveComparison, "
        f"not {type(data).__name__}"
    )


# ------------------------------------------------------------------------ measures
def _cheap_measures(G: nx.Graph, group: str) -> pd.DataFrame:
    """Degree (sna's: in + out on a digraph) and ties inside/outside the group.

    The same definitions as :func:`senatenet.node_table`, without its costlier
    columns: ``internal_ties``/``external_ties`` count distinct neighbours (the
    union-symmetrised graph) in the same/another organisation.
    """
    directed = G.is_directed()
    U = G.to_undirected(as_view=True) if directed else G
    org = {n: _text(d.get(group)) for n, d in G.nodes(data=True)}
    rows = {}
    for n in G:
        nbrs = [m for m in U[n] if m != n]
        mine = org[n]
        ext = sum(1 for m in nbrs if org[m] != mine)
        if directed:
            # count by iterating: len() of a filtered multigraph view can
            # include neighbours whose every tie was filtered out (networkx 3.6)
            degree = sum(1 for m in G.succ[n] if m != n) + sum(
                1 for m in G.pred[n] if m != n
            )
        else:
            degree = len(nbrs)
        rows[n] = (degree, len(nbrs) - ext, ext)
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(_CHEAP))


def _full_measures(G: nx.Graph, group: str, wanted: list[str]) -> pd.DataFrame:
    """The wanted measures of :func:`senatenet.node_table` (only those are computed)."""
    from ..measures.centrality import NODE_COLUMNS, node_table

    return node_table(G, group=group, columns=[m for m in wanted if m in NODE_COLUMNS])


def _measure_table(model: _Model, view: str, group: str, wanted: list[str]):
    table = model.measure_tables.get(view)
    if table is not None and all(m in table.columns for m in wanted):
        return table
    G = model.measure_graphs[view]
    if all(m in _CHEAP for m in wanted):
        return _cheap_measures(G, group)
    full = _full_measures(G, group, wanted)
    if table is not None:  # keep what the comparison already computed
        full = table.combine_first(full)
    return full


# ---------------------------------------------------------------------- formatting
#: Longest label drawn on the map; the tooltip keeps the text in full.
LABEL_MAX = 60


def _short(text: str) -> str:
    """A label cut to ``LABEL_MAX`` characters (a 3,000-character name would
    otherwise zoom the whole map out to a dot)."""
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "\u2026"


def _fmt(value) -> str:
    if _is_missing(value):
        return "n/a"
    value = float(value)
    if value == int(value) and abs(value) < 1e9:
        return str(int(value))
    return f"{value:.3g}"


def _darker(colour: str, amount: float = 0.35) -> str:
    """``colour`` darkened by ``amount``, and further (in steps of 0.05) until it
    has 3:1 contrast with the white map, so that every person's outline meets
    WCAG 1.4.11 (non-text contrast) whatever their organisation's colour."""
    from ._common import contrast_ratio

    c = colour.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    if not re.fullmatch(r"[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?", c):
        return colour
    rgb = [int(c[i : i + 2], 16) for i in (0, 2, 4)]
    while True:
        out = "#" + "".join(f"{round(x * (1 - amount)):02X}" for x in rgb)
        if amount >= 1 or contrast_ratio(out, "#FFFFFF") >= 3:
            return out
        amount = min(1.0, amount + 0.05)


def _sizes(values: pd.Series) -> pd.Series:
    """Map measure values to node radii in pixels (area grows with the value)."""
    v = pd.to_numeric(values, errors="coerce").astype(float)
    finite = v[np.isfinite(v)]
    if finite.empty or finite.max() == finite.min():
        return pd.Series(14.0, index=v.index)
    lo = min(finite.min(), 0.0)
    share = ((v - lo) / (finite.max() - lo)).clip(0, 1).fillna(0.0)
    return 9.0 + 21.0 * np.sqrt(share)


def _pixels(pos: dict, people: list, gap: float = 90.0) -> dict:
    """Layout units to screen pixels, with overlapping people pushed apart.

    The layout is scaled so that the page has room for every person at about
    ``gap`` pixels apart, then pairs closer than ``0.8 * gap`` are moved apart
    symmetrically (a few deterministic passes), so labels stay legible while
    each organisation keeps its region.
    """
    if not people:
        return {}
    xy = np.array([pos[p] for p in people], dtype=float)
    xy *= max(250.0, 0.9 * gap * math.sqrt(len(people)))
    xy[:, 1] *= -1  # screen y grows downwards
    if len(people) > 1:
        least = 0.8 * gap
        for _ in range(30):
            pairs = close_pairs(xy, least)
            if len(pairs) == 0:
                break
            i, j = pairs[:, 0], pairs[:, 1]
            delta = xy[j] - xy[i]
            dist = np.hypot(delta[:, 0], delta[:, 1])
            same = dist < 1e-9
            delta[same] = np.column_stack(
                [np.cos(i[same] * 2.4), np.sin(i[same] * 2.4)]
            )
            dist[same] = 1.0
            push = ((least - dist) / 2 / dist)[:, None] * delta
            move = np.zeros_like(xy)
            np.add.at(move, i, -push)
            np.add.at(move, j, push)
            xy += move
    return {
        p: (round(float(x), 1), round(float(y), 1))
        for p, (x, y) in zip(people, xy, strict=True)
    }


def _codes(n: int) -> list[str]:
    width = max(2, len(str(n)))
    return [f"P{i + 1:0{width}d}" for i in range(n)]


# -------------------------------------------------------------------------- result
class InteractiveMap:
    """An offline interactive network map.

    Attributes
    ----------
    network : pyvis.network.Network
        The map's nodes (``network.nodes``), ties (``network.edges``), heading
        (``network.heading``) and vis.js options (``network.options``). Change
        them freely: :attr:`html` reads them each time. Never call pyvis's
        ``show``/``write_html`` (they load Bootstrap from the web and write a
        ``lib/`` folder); use :meth:`save`.
    views : list of (key, label)
        The views the page can switch between.
    positions : dict
        ``{person: (x, y)}`` from :func:`~senatenet.group_layout` (layout units).
    options : dict
        Every option used to build the map (``seed``, ``size_by``, ...).
    meta : dict
        What the page's controls show: views, organisations and their colours,
        relations, counts.

    References
    ----------
    visjs contributors (2022). vis-network 9.1.2. https://visjs.github.io/vis-network/

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b")])
    >>> nx.set_node_attributes(G, {"a": "X", "b": "Y"}, "organisation")
    >>> m = interactive_map(G, size_by=None)
    >>> m.network.heading = "Renamed"  # customise, then save
    >>> "<title>Renamed</title>" in m.html
    True
    """

    def __init__(self, network, meta: dict, positions: dict, options: dict) -> None:
        self.network = network
        self.meta = meta
        self.positions = positions
        self.options = options

    @property
    def views(self) -> list[tuple[str, str]]:
        return [(v["key"], v["label"]) for v in self.meta["views"]]

    @property
    def html(self) -> str:
        """The page: one self-contained HTML document (str)."""
        return _render(self.network, self.meta)

    def save(self, path: str | os.PathLike) -> Path:
        """Write the page to ``path`` (nothing else is written); return the path."""
        path = Path(path)
        page = self.html
        try:
            path.write_text(page, encoding="utf-8")
        except OSError as exc:
            raise InputError(
                f"cannot write the map: {exc.strerror}", file=str(path)
            ) from exc
        return path

    def _repr_html_(self) -> str:
        height = str(self.network.height)
        if not re.fullmatch(r"\d+(\.\d+)?(px|vh|em|rem)", height):
            height = "640px"
        return (
            f'<iframe srcdoc="{_html.escape(self.html, quote=True)}" '
            'sandbox="allow-scripts" '
            f'style="width: 100%; height: {height}; border: 1px solid #ddd;" '
            f'title="{_html.escape(self.network.heading or "network map")}">'
            "</iframe>"
        )

    def __repr__(self) -> str:
        return (
            f"<InteractiveMap {self.network.heading!r}: "
            f"{_people(len(self.network.nodes))}, {len(self.network.edges)} ties, views "
            f"{[key for key, _ in self.views]}>"
        )


# ------------------------------------------------------------------------- builder
def interactive_map(
    data,
    group: str = "organisation",
    *,
    size_by: str | Mapping | pd.Series | None = "betweenness",
    label: str = "name",
    title: str | None = None,
    wave: str | Sequence[str] | None = None,
    relation: str | None = None,
    seed: int = 0,
    physics: bool | None = None,
    colors: Mapping[str, str] | None = None,
    view: str | None = None,
    tooltip_measures: Sequence[str] | None = None,
    height: str = "640px",
) -> InteractiveMap:
    """Build an offline, interactive map of who is connected to whom.

    Parameters
    ----------
    data : networkx graph, Survey or WaveComparison
        A graph whose nodes carry ``group`` (and ideally ``name``, ``role``);
        a :class:`~senatenet.Survey` (one view per wave, or only ``wave``); or a
        :class:`~senatenet.WaveComparison` (before, after and difference views).
    group : str
        Node attribute naming the organisation (colours, legend, filter).
    size_by : str, mapping, Series or None
        Node size: a measure of :func:`~senatenet.node_table` (e.g.
        ``"betweenness"``, ``"degree"``, ``"external_ties"``), a numeric node
        attribute, or precomputed values ``{person: value}``; None draws all
        people the same size. Sizes follow each view's own values.
    label : str
        ``"name"`` (default) labels people by name with a toggle to pseudonyms;
        ``"pseudonym"`` writes no names into the page at all; any other node
        attribute (or ``"id"``) is used as the label. Pseudonyms come from the
        node attribute ``pseudonym``, else codes P01, P02, ... in roster order.
    title : str, optional
        Page heading (escaped). Stored as ``network.heading``.
    wave, relation : optional
        For a Survey: the wave(s) to show (default all, one view each) and the
        relation (default every relation, with a relation filter). For a graph,
        ``relation`` drops ties whose ``relation`` attribute names another one.
    seed : int
        Seed of :func:`~senatenet.group_layout`.
    physics : bool, optional
        Browser physics. Default: on up to :data:`PHYSICS_MAX_NODES` people,
        off above, so that large maps open at once. It is collision-only (ties
        do not pull): people stay where the shared layout put them and are
        pushed aside when someone is dragged onto them.
    colors : mapping, optional
        ``{organisation: colour}``; default :func:`~senatenet.organisation_colors`.
    view : str, optional
        The view shown first (default: the difference view of a comparison,
        else the last wave).
    tooltip_measures : sequence of str, optional
        Measures listed in each person's tooltip (default: degree, cross-boundary
        ties and ``size_by``).
    height : str
        Height of the inline notebook display (``_repr_html_``).

    Returns
    -------
    InteractiveMap
        With ``.network`` (pyvis), ``.html``, ``.save(path)`` and inline display.
        The input is never modified.

    Notes
    -----
    Ties are drawn once per pair of people (a nomination in either direction),
    per relation; the tie's tooltip gives its strength in each wave (the larger
    of the two directions). The page embeds vis-network
    9.1.2 from pyvis, carries a Content-Security-Policy that forbids any network
    access and exposes ``window.senatenetMap`` for tests and power users: the vis
    ``nodes`` and ``edges`` DataSets, the vis ``network``, ``meta``, ``state``,
    ``timing`` (ms after navigation: data parsed, network created, first frame
    drawn), ``ready``, and ``setView(key)``, ``setOrganisationVisible(i, bool)``,
    ``setRelationVisible(i, bool)``, ``setPseudonyms(bool)``, ``search(text)``,
    ``findPeople(text)``, ``selectPerson(id)``, ``describePerson(id)``,
    ``showTable(bool)``, ``tableHeader()``, ``tableRows()``, ``summary()``,
    ``visibleNodeIds()``, ``visibleEdgeIds()``. People who did not answer in
    the wave shown have a dashed outline. Every survey string is escaped;
    tooltips are plain text.

    Accessibility (WCAG 2.2 AA; see ``docs/accessibility.md``): the map can be
    used without a mouse (Tab through the controls; on the map, arrow keys pan,
    ``+``/``-`` zoom, ``0`` fits, N and P select the next and previous person
    and Escape clears the selection; the navigation buttons are named buttons
    in the tab order). Search ignores case and accents, accepts part of a name and
    near spellings (edit distance, Damerau 1964; up to 1 typo in a word of 4-7
    letters, 2 from 8); a person found or selected is described, with their
    ties in the view shown, in a live region. "Show as a table" replaces the
    picture with the ties shown, one row each (and new, lost or kept in a
    change view); a summary states the people, ties and cross-boundary ties
    shown. Tie status is a line style as well as a colour (new solid, lost
    dashed, kept dotted), and tooltips say what each measure means.

    References
    ----------
    visjs contributors (2022). vis-network 9.1.2. https://visjs.github.io/vis-network/

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {"a": "X", "b": "X", "c": "Y"}, "organisation")
    >>> m = interactive_map(G, size_by="degree", title="Demo")
    >>> len(m.network.nodes), len(m.network.edges)
    (3, 2)
    >>> "<iframe srcdoc=" in m._repr_html_()
    True
    """
    model = _model(data, group, wave, relation, title)
    keys = [k for k, _ in model.views]
    if view is not None and view not in keys:
        raise InputError(f"view {view!r} is not one of {keys}")
    start = view if view is not None else model.view

    ids = _node_ids(model.people)
    n = len(model.people)

    # colours -------------------------------------------------------------
    palette, orgs_present = _palette(model, group, colors)

    # layout --------------------------------------------------------------
    comp_layout = getattr(model.comparison, "layout", None)
    if callable(comp_layout) and group == getattr(model.comparison, "options", {}).get(
        "group", group
    ):
        pos = comp_layout(seed=seed)  # the comparison's own shared layout
    else:
        pos = group_layout(model.layout_graph, group, seed=seed)
    pixels = _pixels(pos, model.people)

    # measures ------------------------------------------------------------
    size_name = size_by if isinstance(size_by, str) or size_by is None else "value"
    shown = (
        list(tooltip_measures)
        if tooltip_measures is not None
        else [
            "degree",
            "external_ties",
        ]
        + (
            [size_name]
            if size_name and size_name not in ("degree", "external_ties")
            else []
        )
    )
    shown = list(dict.fromkeys(shown))
    attr_names = {k for p in model.people for k in model.attrs[p]}
    wanted = [m for m in shown if m not in attr_names and m != "value"]
    tables: dict[str, pd.DataFrame] = {}
    for key, _ in model.views:
        if wanted:
            tables[key] = _measure_table(model, key, group, wanted)
    for m in wanted:
        if not all(m in t.columns for t in tables.values()):
            known = sorted(set().union(*(t.columns for t in tables.values())))
            what = f"size_by={m!r}" if m == size_name else f"tooltip measure {m!r}"
            raise InputError(
                f"{what} is neither a measure ({known}) nor a node attribute"
            )
    values: dict[str, pd.Series] = {}
    for key, _ in model.views:
        if size_by is None:
            values[key] = pd.Series(1.0, index=model.people)
        elif not isinstance(size_by, str):
            values[key] = pd.Series(dict(size_by)).reindex(model.people)
        elif size_by in attr_names:
            values[key] = pd.Series(
                {p: model.attrs[p].get(size_by) for p in model.people}
            )
        elif key in tables and size_by in tables[key].columns:
            values[key] = tables[key][size_by].reindex(model.people)
        else:
            available = sorted(set(tables[key].columns) if key in tables else _CHEAP)
            raise InputError(
                f"size_by={size_by!r} is neither a measure ({available}) nor a node attribute"
            )
    sizes = {key: _sizes(v) for key, v in values.items()}

    # nodes ---------------------------------------------------------------
    codes = _codes(n)
    pseudonyms = {
        p: _text(model.attrs[p].get("pseudonym")) or codes[i]
        for i, p in enumerate(model.people)
    }
    measure_views = [k for k, _ in model.views
                     if k != "difference" and k not in model.change_views]

    def column(key: str, m: str) -> dict:
        if m == "value" or (m == size_name and not isinstance(size_by, str)):
            raw = values[key].to_dict()
        elif m in attr_names:
            raw = {p: model.attrs[p].get(m) for p in model.people}
        else:
            t = tables.get(key)
            raw = t[m].to_dict() if t is not None and m in t.columns else {}
        return {p: v if isinstance(v, str) else _fmt(v) for p, v in raw.items()}

    def measure_label(m: str) -> str:
        name = _MEASURE_LABELS.get(m, m.replace("_", " ").capitalize())
        help_text = _MEASURE_HELP.get(m)
        return f"{name} ({help_text})" if help_text and m not in attr_names else name

    formatted = [
        (measure_label(m), [column(key, m) for key in measure_views]) for m in shown
    ]

    def tooltip(p, shown_name: str) -> str:
        a = model.attrs[p]
        lines = [shown_name]
        role = _text(a.get("role"))
        if role:
            lines.append(f"Role: {role}")
        org = _text(a.get(group))
        lines.append(f"Organisation: {org if org is not None else 'not recorded'}")
        answered = [model.responded.get(key, {}).get(p) for key in measure_views]
        if any(_is_bool(r) for r in answered):
            words = ["yes" if r else "no" if r is not None else "n/a" for r in answered]
            if len(words) > 1:
                names = [model.wave_names.get(k, k) for k in measure_views]
                words = [f"{k} {w}" for k, w in zip(names, words, strict=True)]
            lines.append("Answered the survey: " + ", ".join(words))
        for label_m, columns in formatted:
            per_view = [column.get(p, "n/a") for column in columns]
            if len(set(per_view)) > 1:
                lines.append(f"{label_m}: " + " \u2192 ".join(per_view))
            else:
                lines.append(f"{label_m}: {per_view[0]}")
        if model.measure_note and shown:
            lines.append(f"(measures count {model.measure_note})")
        return "\n".join(lines)

    from pyvis.network import Network

    net = Network(
        height=height, width="100%", heading=model.title, cdn_resources="in_line"
    )
    net.directed = False
    nodes = []
    nonrespondents = 0
    for p in model.people:
        a = model.attrs[p]
        org = _text(a.get(group))
        colour = palette.get(org, _NO_ORG_COLOUR) if org is not None else _NO_ORG_COLOUR
        if label == "name":
            shown_label = _text(a.get("name")) or ids[p]
        elif label == "pseudonym":
            shown_label = pseudonyms[p]
        elif label == "id":
            shown_label = ids[p]
        else:
            shown_label = _text(a.get(label)) or ids[p]
        x, y = pixels[p]
        node = {
            "id": ids[p],
            "label": _short(shown_label),
            "title": tooltip(p, shown_label),
            "shape": "dot",
            "size": round(float(sizes[start][p]), 2),
            "x": x,
            "y": y,
            "color": {
                "background": colour,
                "border": _darker(colour),
                "highlight": {"background": colour, "border": "#000000"},
                "hover": {"background": colour, "border": "#000000"},
            },
            "organisation": org,
        }
        if label != "pseudonym":
            node["alt_label"] = _short(pseudonyms[p])
            node["alt_title"] = tooltip(p, pseudonyms[p])
        if len(model.views) > 1:
            node["sizes"] = {k: round(float(sizes[k][p]), 2) for k, _ in model.views}
        answered = {
            k: bool(model.responded[k][p])
            for k in measure_views
            if _is_bool(model.responded.get(k, {}).get(p))
        }
        if answered:
            if "difference" in keys and len(answered) == len(measure_views):
                answered["difference"] = all(answered.values())
            node["responded"] = answered
            nonrespondents += not all(answered.values())
        nodes.append(node)
    net.nodes = nodes
    net.node_ids = [nd["id"] for nd in nodes]
    net.node_map = {nd["id"]: nd for nd in nodes}

    # edges ---------------------------------------------------------------
    org_of = {p: _text(model.attrs[p].get(group)) for p in model.people}
    net.edges, counts, status_counts = _edges(model, ids, org_of)

    # options (kept as pyvis's Options object so its toggles keep working) --
    use_physics = n <= PHYSICS_MAX_NODES if physics is None else bool(physics)
    _vis_options(net.options, use_physics, len(net.edges))

    # page metadata ---------------------------------------------------------
    org_counts: dict = {}
    for p in model.people:
        org_counts[org_of[p]] = org_counts.get(org_of[p], 0) + 1
    organisations = [
        {
            "name": o,
            "label": o if o is not None else "(organisation not recorded)",
            "color": palette.get(o, _NO_ORG_COLOUR)
            if o is not None
            else _NO_ORG_COLOUR,
            "count": org_counts[o],
        }
        for o in orgs_present
    ]
    meta = {
        "kind": model.kind,
        "views": [
            {
                "key": k,
                "label": lab,
                "ties": counts[k]["ties"],
                "cross": counts[k]["cross"],
            }
            for k, lab in model.views
        ],
        "view": start,
        "organisations": organisations,
        "relations": model.relations,
        "people": n,
        "pseudonym_toggle": label != "pseudonym",
        "label_mode": label,
        "subtitle": _subtitle(model, n, organisations, counts, status_counts),
        "status_counts": {
            s: {
                "all": sum(c for (st, _), c in status_counts.items() if st == s),
                "cross": status_counts.get((s, True), 0),
            }
            for s in ("new", "lost", "stable")
        }
        if model.kind == "comparison"
        else None,
        "edge_style": _EDGE_STYLE,
        "change_views": list(model.change_views),
        "size_label": _size_label(size_by, size_name, model),
        "measure_note": model.measure_note,
        "nonrespondents": nonrespondents,
    }
    options = {
        "group": group,
        "size_by": size_by
        if isinstance(size_by, str) or size_by is None
        else "<values>",
        "label": label,
        "wave": wave,
        "relation": relation,
        "seed": seed,
        "physics": use_physics,
        "view": start,
        "tooltip_measures": shown,
    }
    return InteractiveMap(net, meta, pos, options)


def _palette(model: _Model, group: str, colors) -> tuple[dict, list]:
    """Organisation colours (checked) and the organisations in roster order."""
    palette = organisation_colors(
        colors if colors is not None else model.layout_graph, group
    )
    present: dict = {}
    for p in model.people:
        present.setdefault(_text(model.attrs[p].get(group)), None)
    missing = [o for o in present if o is not None and o not in palette]
    if missing:
        raise InputError(f"colors= has no colour for organisations {missing}")
    for org, colour in palette.items():
        if not _COLOUR.match(str(colour)):
            raise InputError(
                f"colour {colour!r} of organisation {org!r} is not a hex or named colour"
            )
    return palette, list(present)


def _edges(model: _Model, ids: dict, org_of: dict) -> tuple[list, dict, dict]:
    """vis edges (base style, plain-text tooltip) and tie counts per view."""
    keys = [k for k, _ in model.views]
    all_views = set(keys)
    rel_rank = {r: k for k, r in enumerate(model.relations)}
    strength_views = [k for k in keys if k != "difference" and k not in model.change_views]
    counts = {k: {"ties": 0, "cross": 0} for k in keys}
    status_counts: dict = {}
    edges = []
    for i, t in enumerate(model.ties):
        if t.u not in ids or t.v not in ids:
            raise InputError(
                f"tie {t.u!r}-{t.v!r} names a person who is not in the map"
            )
        cross = org_of[t.u] != org_of[t.v]
        colour, width = _EDGE_STYLE["external" if cross else "internal"]
        kind = "cross-boundary tie" if cross else "tie within one organisation"
        if t.status:
            parts = [f"{t.status.capitalize()} {kind}"]
            status_counts[(t.status, cross)] = (
                status_counts.get((t.status, cross), 0) + 1
            )
        else:
            parts = [kind[0].upper() + kind[1:]]
        if t.relation is not None:
            parts.append(f"Relation: {t.relation}")
        if len(strength_views) > 1:
            parts.append(
                "Strength: "
                + ", ".join(
                    f"{model.wave_names.get(k, k)} "
                    + (_fmt(t.views[k]) if k in t.views else "none")
                    for k in strength_views
                )
            )
        elif t.views:
            parts.append(f"Strength: {_fmt(next(iter(t.views.values())))}")
        edge = {
            "id": f"e{i}",
            "from": ids[t.u],
            "to": ids[t.v],
            "color": colour,
            "width": width,
            "title": "\n".join(parts),
            "cross_boundary": cross,
        }
        if t.relation is not None:
            edge["relation"] = t.relation
            k = rel_rank.get(t.relation, 0)
            if k:  # bend the 2nd, 3rd, ... relation so parallel ties stay visible
                edge["smooth"] = {
                    "enabled": True,
                    "type": "curvedCW",
                    "roundness": 0.15 * k,
                }
        if t.status is not None:
            edge["status"] = t.status
        if t.statuses:
            edge["statuses"] = dict(t.statuses)
            parts.append("Change: " + ", ".join(
                f"{model.wave_names.get(k, k)} {st}" for k, st in t.statuses.items()))
            edge["title"] = "\n".join(parts)
        if set(t.views) != all_views:
            edge["views"] = [k for k in keys if k in t.views]
        for k in t.views:
            counts[k]["ties"] += 1
            counts[k]["cross"] += cross
        edges.append(edge)
    return edges, counts, status_counts


def _vis_options(opts, physics: bool, n_edges: int) -> None:
    """Set vis.js options on pyvis's ``Options`` object (its toggles keep working)."""
    opts.physics.enabled = physics
    opts.physics.stabilization.iterations = 50
    opts.physics.stabilization.fit = True
    opts.edges.smooth.enabled = False
    opts.edges.color.inherit = False
    opts.interaction.hideEdgesOnDrag = n_edges > 5000
    opts.interaction.hover = True
    opts.interaction.tooltipDelay = 120
    # keyboard: the page's script (interactive_map.js) moves the map one fixed
    # step per key press while the map has the focus, so a tap always moves it
    # by the same amount; vis-network's own keys (which move the view for as
    # long as a key is held, by an amount that depends on the frame rate) are
    # off. The frame stays focusable, and the page gives the navigation
    # buttons a role, a name and a place in the tab order.
    opts.interaction.navigationButtons = True
    opts.interaction.keyboard = {"enabled": False}
    opts.layout = {"improvedLayout": False}
    opts.nodes = {
        "borderWidth": 1.5,
        "font": {
            "size": 14,
            "color": "#1F2328",
            "strokeWidth": 4,
            "strokeColor": "#FFFFFF",
        },
        "scaling": {"label": {"drawThreshold": 7}},
    }
    if physics:
        # collision only: people keep the shared layout (ties exert no pull) and
        # push each other aside when dragged close
        opts.physics.use_repulsion(
            {
                "node_distance": 70,
                "central_gravity": 0.0,
                "spring_length": 200,
                "spring_strength": 0.0,
                "damping": 0.6,
            }
        )


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def _size_label(size_by, size_name, model: _Model) -> str:
    if size_by is None:
        return "all the same"
    if not isinstance(size_by, str):
        return "the values given"
    text = _MEASURE_LABELS.get(size_name, str(size_name).replace("_", " ")).lower()
    if model.kind == "comparison":
        return f"{text} in the wave shown (after, in the change view)"
    if len(model.views) > 1:
        return f"{text} in the wave shown"
    return text


def _subtitle(model, n, organisations, counts, status_counts) -> str:
    k = sum(1 for o in organisations if o["name"] is not None)
    head = f"{_people(n)} in {k} organisation{'s' if k != 1 else ''}"
    if model.kind == "comparison":

        def part(status):
            total = sum(c for (s, _), c in status_counts.items() if s == status)
            return f"{total} {status} ({status_counts.get((status, True), 0)} cross-boundary)"

        return (
            f"{head}. Ties: "
            + ", ".join(part(s) for s in ("new", "lost", "stable"))
            + "."
        )
    per = [
        f"{counts[key]['ties']} ties, {counts[key]['cross']} cross-boundary"
        for key, _ in model.views
    ]
    if len(per) > 1:
        per = [
            f"{lab}: {text}" for (_, lab), text in zip(model.views, per, strict=True)
        ]
    note = " (a pair tied in several relations counts once per relation)"
    return (
        f"{head}. " + "; ".join(per) + "." + (note if len(model.relations) > 1 else "")
    )


# ------------------------------------------------------------------------ rendering
_TEMPLATES = Path(__file__).with_name("templates")
#: Characters written as ``\\u`` escapes in JSON inside ``<script>``.
_JS_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def script_json(value) -> str:
    """JSON safe inside an HTML ``<script>`` element.

    ``<``, ``>``, ``&`` and the JavaScript line separators U+2028/U+2029 are
    written as ``\\u`` escapes, so survey text such as ``</script>`` cannot end
    the element. The result is valid JSON for ``JSON.parse``.
    """
    try:
        text = json.dumps(
            value,
            ensure_ascii=False,
            separators=(",", ":"),
            allow_nan=False,
            default=_json_default,
        )
    except ValueError as exc:
        raise InputError(f"the map holds a value JSON cannot represent: {exc}") from exc
    # one str.replace per character: str.translate with a dict looks up every
    # character of the text in Python (0.3 CPU s for a 300-person map)
    for char, escape in _JS_ESCAPES:
        text = text.replace(char, escape)
    return text


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if hasattr(value, "__dict__"):  # pyvis option objects
        return value.__dict__
    raise TypeError(f"cannot write {type(value).__name__} into the map")


@functools.lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    for name, text, closing in (("js", js, "</script"), ("css", css, "</style")):
        if closing in text.lower():  # pragma: no cover - guards a future pyvis
            raise RuntimeError(
                f"vis-network {name} contains {closing}; cannot inline it"
            )
    app = (_TEMPLATES / "interactive_map.js").read_text(encoding="utf-8")
    style = (_TEMPLATES / "interactive_map.css").read_text(encoding="utf-8")
    return {"vis_js": js, "vis_css": css, "app_js": app, "app_css": style}


def _options_dict(options) -> dict:
    return json.loads(json.dumps(options, default=_json_default))


def _render(network, meta: dict) -> str:
    from markupsafe import Markup

    from .._version import __version__

    options = _options_dict(network.options)
    heading = str(network.heading or "Network map")
    payload = {
        "nodes": network.nodes,
        "edges": network.edges,
        "options": options,
        "meta": meta,
    }
    assets = _assets()
    return (
        _environment()
        .get_template("interactive_map.html.j2")
        .render(
            heading=heading,
            meta=meta,
            csp=CSP,
            version=__version__,
            background=network.bgcolor
            if _COLOUR.match(str(network.bgcolor))
            else "#ffffff",
            data_json=Markup(script_json(payload)),
            vis_js=Markup(assets["vis_js"]),
            vis_css=Markup(assets["vis_css"]),
            app_js=Markup(assets["app_js"]),
            app_css=Markup(assets["app_css"]),
        )
    )
