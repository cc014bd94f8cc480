"""Stacked bars of Gould-Fernandez brokerage roles for the top brokers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

from ..errors import InputError
from ._common import (
    FAINT,
    check_graph,
    get_ax,
    is_comparison,
    node_groups,
    node_labels,
    plain,
    relation_note,
    title_at_top,
)
from ._docstrings import DOCS
from .colors import organisation_colors

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..compare.waves import WaveComparison

__all__ = ["ROLE_COLORS", "plot_brokerage"]

#: Roles in sna's order, coloured from grey (brokering inside one organisation)
#: through light to dark blue (spanning more boundaries); distinct in lightness,
#: so they also read in greyscale and for colour-blind readers.
ROLE_COLORS: dict[str, str] = {
    "coordinator": "#cfcfcf",
    "itinerant": "#9ecae1",
    "representative": "#4292c6",
    "gatekeeper": "#1c5a99",
    "liaison": "#08224a",
}
_ROLE_TEXT = {
    "coordinator": "coordinator: all three in one organisation",
    "itinerant": "itinerant: links two people of another organisation",
    "representative": "representative: passes from own organisation out",
    "gatekeeper": "gatekeeper: passes into own organisation",
    "liaison": "liaison: three different organisations",
}


def plot_brokerage(
    data: nx.Graph | WaveComparison,
    *,
    wave: str = "after",
    top: int = 10,
    group: str = "organisation",
    label: bool | str | Mapping = "name",
    colors: Mapping[str, str] | None = None,
    legend: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """Stacked bars of the five brokerage roles for the people who broker most.

    Parameters
    ----------
    data : networkx graph or WaveComparison
        A person graph (roles from :func:`brokerage`) or a comparison: roles in
        ``comparison.graphs[wave]``, with each person's total in the other wave
        marked for reference.
    wave : {{"after", "before"}}
        Comparison only: the wave whose roles are drawn.
    top : int
        Number of brokers shown (by total; people with no brokerage are left out).
    {group}
    label : bool, str or dict
        Names on the bars, as for :func:`plot_network` (``"name"``,
        ``"initials"``, ``"pseudonym"``, ``"id"``, ...).
    {colors}
    legend : bool
        Key to the roles (and the reference marker).
    {ax}

    Returns
    -------
    {returns_ax}

    Notes
    -----
    A broker b sits on a path a -> b -> c with no tie a -> c; the role depends on
    which of a, b, c share an organisation (Gould & Fernandez 1989), counted as
    ``sna::brokerage``. On an undirected graph every open path is counted in both
    directions, so representative equals gatekeeper; the title says so. The
    small square left of each name is the broker's organisation colour.

    References
    ----------
    Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a formal
    approach to brokerage in transaction networks. Sociological Methodology 19,
    89-126.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {{"a": "X", "b": "Y", "c": "Z"}}, "organisation")
    >>> ax = plot_brokerage(G, label="id")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['b']
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.transforms import blended_transform_factory

    from ..measures.brokerage import brokerage

    reference = None
    if is_comparison(data):
        if wave not in ("before", "after"):
            raise InputError(f"wave must be 'before' or 'after', not {wave!r}")
        G = data.graphs[wave]
        other = "before" if wave == "after" else "after"
        reference = brokerage(data.graphs[other], group)["total"]
        names = {"before": plain(data.before), "after": plain(data.after)}
        title = f"Top brokers, {wave} ({names[wave]}){relation_note(getattr(data, 'relation', None))}"
        survey = getattr(data, "survey", None)
        default_colors = organisation_colors(survey if survey is not None else G, group)
    elif isinstance(data, nx.Graph):
        check_graph(data, "data")
        G = data
        wave_name = G.graph.get("wave")
        title = "Top brokers" + (f", wave {plain(wave_name)}" if wave_name is not None else "")
        title += relation_note(G.graph.get("relation"))
        default_colors = organisation_colors(G, group)
    else:
        raise InputError(f"plot_brokerage needs a graph or a WaveComparison, not {type(data).__name__}")
    colors = dict(colors) if colors is not None else default_colors
    roles = brokerage(G, group)
    totals = roles["total"].astype(float)
    chosen = totals[totals > 0].sort_values(ascending=False, kind="stable").index[:top]
    n = len(chosen)
    ax = get_ax(ax, figsize=(9.5, 1.6 + 0.38 * max(n, 3)))
    labels = node_labels(G, label) if label is not False else {v: str(v) for v in G}
    y = np.arange(n)
    left = np.zeros(n)
    for role, colour in ROLE_COLORS.items():
        values = roles.loc[chosen, role].to_numpy(dtype=float)
        bars = ax.barh(y, values, left=left, color=colour, edgecolor="white", linewidth=0.6,
                       height=0.72, label=role)
        for bar in bars:
            bar.set_gid(f"role-{role}")
        left += values
    if reference is not None:
        ref = reference.reindex(chosen).to_numpy(dtype=float)
        ax.scatter(ref, y, marker="D", s=34, facecolors="white", edgecolors="#111111",
                   linewidths=1.4, zorder=4, gid="reference-total", clip_on=False)
    ax.set_yticks(y, [labels.get(v, str(v)) for v in chosen], fontsize=9)
    ax.set_ylim(n - 0.4, -0.6)
    groups = node_groups(G, group)
    trans = blended_transform_factory(ax.transAxes, ax.transData)
    ax.scatter(np.full(n, -0.028), y, s=40, marker="s", transform=trans, clip_on=False,
               c=[colors.get(groups.get(v), FAINT) for v in chosen], gid="org-key")
    ax.tick_params(axis="y", length=0, pad=20)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color="#e5e5e5", lw=0.8)
    ax.set_axisbelow(True)
    ax.set_xlabel("brokerage (number of open two-paths through the person)")
    if not G.is_directed():
        title += "\nundirected ties: each path counted both ways, representative = gatekeeper"
    if n == 0:
        title += "\nnobody brokers: no open two-paths"
    title_at_top(ax, title, loc="left", fontsize=10.5)
    if legend:
        handles = [Patch(facecolor=c, edgecolor="white", label=_ROLE_TEXT[r])
                   for r, c in ROLE_COLORS.items()]
        if reference is not None:
            handles.append(Line2D([], [], marker="D", ls="none", markerfacecolor="white",
                                  markeredgecolor="#111111", markeredgewidth=1.4,
                                  label=f"total {other} ({names[other]})"))
        shown = {groups.get(v) for v in chosen}
        orgs = {g: c for g, c in colors.items() if g in shown}
        if orgs:  # the squares before the names
            handles.append(Line2D([], [], lw=0, label="\nsquare before a name: organisation"))
            handles += [Line2D([], [], marker="s", ls="none", markersize=6.5, markerfacecolor=c,
                               markeredgecolor="none", label=plain(g)) for g, c in orgs.items()]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
                  fontsize=8)
    return ax


plot_brokerage.__doc__ = plot_brokerage.__doc__.format(**DOCS)
