"""Three or more waves: a measure by wave with intervals, and one map per wave.

:func:`plot_trajectory` draws a :class:`senatenet.Trajectory` measure wave by
wave with its person-level interval and the programme period shaded;
:func:`plot_waves` draws one person map per wave on one layout (the union of
every wave), each later panel marking the ties new and lost since the wave
before, among people who were members in both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from ..errors import InputError
from ._common import (
    base_line_width,
    base_node_size,
    edge_alpha,
    figure_legend,
    finish_map_axes,
    get_ax,
    halo,
    is_survey,
    line_collection,
    node_groups,
    node_labels,
    org_handles,
    plain,
    relation_note,
)
from ._docstrings import DOCS
from ._labels import place_labels
from .colors import organisation_colors
from .layout import group_layout
from .network import (
    _draw_people,
    _edge_colours,
    _fontsize,
    _ordered_labels,
    _tie_legend_handles,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_trajectory", "plot_waves", "MEASURE_LABELS"]

#: Axis labels of the trajectory measures.
MEASURE_LABELS: dict[str, str] = {
    "cross_boundary_density": "Share of cross-organisation pairs tied",
    "cross_boundary_pairs": "Ties across organisations",
    "mixing_log_odds_ratio": "Log odds ratio, within vs across\n(0 = no preference for own organisation)",
    "ei": "E-I index (\u22121 all inside, +1 all across)",
    "density": "Density (share of pairs tied)",
    "ties": "Ties",
    "response_rate": "Response rate",
    "members": "Members",
    "ei_expected": "E-I under random mixing",
}


def plot_trajectory(
    trajectory: Any,
    measure: str = "cross_boundary_density",
    *,
    programme: Sequence[str] | None = None,
    color: str = "#0F5499",
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """One measure wave by wave, with its 95 % interval and the programme marked.

    Parameters
    ----------
    trajectory : Trajectory
        From :func:`senatenet.trajectory`.
    measure : str
        A measure of ``trajectory.measures`` (default
        ``"cross_boundary_density"``; ``"mixing_log_odds_ratio"`` shows mixing
        free of the number of ties).
    programme : (str, str), optional
        The programme's first and last wave, shaded (default the first two
        waves); ``()`` for no shading.
    color : str
        Line and marker colour.
    title : str, optional
        Axes title; by default the measure and relation.
    {ax}

    Returns
    -------
    {returns_ax}

    References
    ----------
    .. [1] Snijders, T. A. B. & Borgatti, S. P. (1999). Non-parametric standard
       errors and tests for network statistics. *Connections* 22(2), 161–170.

    Examples
    --------
    >>> import senatenet as sn
    >>> tr = sn.trajectory(sn.load_sample(follow_up=True), spec={{"relation": "advice"}})
    >>> ax = plot_trajectory(tr)
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['pre', 'post', 'follow-up']
    """
    m = getattr(trajectory, "measures", None)
    if m is None or not hasattr(trajectory, "waves"):
        raise InputError("plot_trajectory needs a Trajectory (from senatenet.trajectory)")
    if measure not in set(m["measure"]):
        raise InputError(f"unknown measure {measure!r}; measures: {sorted(set(m['measure']))}")
    waves = list(trajectory.waves)
    rows = m[m["measure"].eq(measure)].set_index("wave").reindex(waves)
    x = np.arange(len(waves), dtype=float)
    y = rows["value"].to_numpy(dtype=float)
    lo, hi = rows["ci_low"].to_numpy(dtype=float), rows["ci_high"].to_numpy(dtype=float)
    ax = get_ax(ax, figsize=(6.0, 4.0))
    period = list(waves[:2]) if programme is None else list(programme)
    if period:
        if len(period) != 2 or any(w not in waves for w in period):
            raise InputError(f"programme must be two of the waves {waves}, not {period!r}")
        a, b = waves.index(period[0]), waves.index(period[1])
        ax.axvspan(a, b, color="#E8E8E8", zorder=0, lw=0, label="programme")
        ax.text((a + b) / 2, 1.0, "programme", transform=ax.get_xaxis_transform(),
                ha="center", va="bottom", fontsize=8.5, color="#444444")
    finite = np.isfinite(y)
    ax.plot(x[finite], y[finite], color=color, marker="o", lw=2, zorder=3,
            label=MEASURE_LABELS.get(measure, measure).split("\n")[0], gid="values")
    has_ci = np.isfinite(lo) & np.isfinite(hi) & finite
    if has_ci.any():
        ax.errorbar(x[has_ci], y[has_ci], yerr=[y[has_ci] - lo[has_ci], hi[has_ci] - y[has_ci]],
                    fmt="none", ecolor=color, elinewidth=1.3, capsize=4, zorder=2,
                    label="95% interval (person-level)", gid="intervals")
    for xi, yi in zip(x[finite], y[finite], strict=True):
        text = f"{yi:.0%}" if measure in ("cross_boundary_density", "density",
                                          "response_rate") else f"{yi:.2g}"
        ax.annotate(text, (xi, yi), textcoords="offset points", xytext=(7, 4), fontsize=8.5)
    ax.set_xticks(x, [plain(w) for w in waves])
    ax.set_xlim(-0.4, len(waves) - 0.6)
    ax.set_ylabel(MEASURE_LABELS.get(measure, measure), fontsize=9)
    if measure in ("cross_boundary_density", "density", "response_rate"):
        from matplotlib.ticker import PercentFormatter

        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_ylim(bottom=0)
    if measure == "mixing_log_odds_ratio":
        ax.axhline(0, color="#777777", lw=0.8, ls=(0, (3, 2)), zorder=1)
    ax.spines[["top", "right"]].set_visible(False)
    rel = relation_note(getattr(trajectory, "relation", None))
    ax.set_title(title if title is not None else
                 f"{MEASURE_LABELS.get(measure, measure).splitlines()[0]}{rel}",
                 loc="left", fontsize=10, pad=14)
    ax.legend(frameon=False, fontsize=8, loc="best")
    return ax


def _pairs(G: nx.Graph) -> set[tuple]:
    order = {v: i for i, v in enumerate(G)}
    return {tuple(sorted((u, v), key=order.get)) for u, v in G.edges() if u != v}


def plot_waves(
    survey: Any,
    waves: Sequence[str] | None = None,
    *,
    relation: str | None = None,
    symmetrize: str = "union",
    min_strength: float | None = None,
    label: bool | str | Mapping = True,
    colors: Mapping[str, str] | None = None,
    group: str = "organisation",
    seed: int = 0,
    max_labels: int = 30,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """One person map per wave, on one layout, with new and lost ties marked.

    Each panel holds the members of its wave (:meth:`Survey.members`). The
    first panel shows its ties; each later panel shows the ties of its wave,
    with those new since the previous wave thick and those lost dashed,
    counting only pairs of people who were members in both waves (a joiner's
    ties are never new, a leaver's never lost: they are drawn thin, like
    ties kept from the wave before). Positions come from
    :func:`group_layout` on the union of every wave, so a person stays in
    place across panels.

    Parameters
    ----------
    survey : Survey
    waves : sequence of str, optional
        Two or more waves in order (default all).
    relation, symmetrize, min_strength
        As :meth:`Survey.person_graph` (default ``symmetrize="union"``).
    {label}
    {colors}
    {group}
    {seed}
    max_labels : int
        Label at most this many people per panel.
    figsize : (float, float), optional
        Size of the figure.

    Returns
    -------
    {returns_fig}

    References
    ----------
    .. [1] Moody, J., McFarland, D. & Bender-deMoll, S. (2005). Dynamic network
       visualization. *American Journal of Sociology* 110(4), 1206–1241.
    .. [2] Huisman, M. & Snijders, T. A. B. (2003). Statistical analysis of
       longitudinal network data with changing composition. *Sociological
       Methods & Research* 32(2), 253–287.

    Examples
    --------
    >>> import senatenet as sn
    >>> fig = plot_waves(sn.load_sample(follow_up=True), relation="advice", label=False)
    >>> [ax.get_title(loc="left").splitlines()[0] for ax in fig.axes]
    ['pre · relation: advice', 'post · relation: advice', 'follow-up · relation: advice']
    """
    import matplotlib.pyplot as plt

    if not is_survey(survey):
        raise InputError("plot_waves needs a Survey (e.g. from read_survey)")
    waves = list(survey.waves if waves is None else waves)
    if len(waves) < 2:
        raise InputError(f"plot_waves needs at least two waves, not {waves}")
    opts = dict(symmetrize=symmetrize, min_strength=min_strength)
    graphs = [survey.person_graph(w, relation, **opts) for w in waves]
    union = nx.Graph()
    for G in graphs:
        union.add_nodes_from(G.nodes(data=True))
        union.add_edges_from(G.edges())
    pos = group_layout(union, group, seed=seed)
    groups = node_groups(union, group)
    colors = dict(colors) if colors is not None else organisation_colors(survey, group)
    k = len(waves)
    size = figsize or (6.5 * k, 7.5)
    fig, axes = plt.subplots(1, k, figsize=size, layout="constrained")
    n = union.number_of_nodes()
    base = base_node_size(n)
    lw0 = 0.92 * base_line_width(n, union.number_of_edges())
    rel = relation_note(graphs[0].graph.get("relation"))
    labels = _ordered_labels(node_labels(union, label), None, union)
    nonresponse = False
    for i, (ax, G, wave) in enumerate(zip(axes, graphs, waves, strict=True)):
        now = _pairs(G)
        cross = sum(groups.get(u) != groups.get(v) for u, v in now)
        title = f"{plain(wave)}{rel}\n{G.number_of_nodes()} members, {len(now)} ties, {cross} across organisations"
        alpha = edge_alpha(len(now))
        if i == 0:
            drawn = sorted(now)
            line_collection(ax, pos, drawn, colors=_edge_colours(drawn, groups, colors),
                            widths=lw0, alpha=alpha, zorder=2, gid="ties")
        else:
            prev = graphs[i - 1]
            both = set(prev) & set(G)
            before = {p for p in _pairs(prev) if p[0] in both and p[1] in both}
            inside = {p for p in now if p[0] in both and p[1] in both}
            new = sorted(inside - before - {p[::-1] for p in before})
            lost = sorted(p for p in before if p not in now and p[::-1] not in now)
            stable = sorted(now - set(new))  # incl. a joiner's ties: never "new"
            line_collection(ax, pos, lost, colors=_edge_colours(lost, groups, colors),
                            widths=lw0, alpha=min(0.55, alpha), linestyle=(0, (3, 2)),
                            zorder=1.5, gid="ties-lost")
            line_collection(ax, pos, stable, colors=_edge_colours(stable, groups, colors),
                            widths=lw0, alpha=alpha, zorder=2, gid="ties-stable")
            lc = line_collection(ax, pos, new, colors=_edge_colours(new, groups, colors),
                                 widths=lw0 * 2.1, alpha=min(1.0, max(2 * alpha, 0.25)),
                                 zorder=3, gid="ties-new")
            if len(new) <= 400:
                lc.set_path_effects(halo())
            title += f"\n{len(new)} new, {len(lost)} lost since {plain(waves[i - 1])}"
        sizes = dict.fromkeys(G, base)
        _, nr = _draw_people(ax, G, pos, groups=groups, colors=colors, sizes=sizes)
        nonresponse = nonresponse or nr
        finish_map_axes(ax, pos)
        ax.set_title(title, fontsize=10.5, loc="left")
        place_labels(ax, pos, {v: t for v, t in labels.items() if v in G}, sizes, groups,
                     fontsize=_fontsize(n), limit=max_labels)
    shown = {g: c for g, c in colors.items() if g in set(groups.values())}
    figure_legend(fig, "lower", handles=org_handles(shown), title="Organisation",
                  ncols=min(len(shown), 3), frameon=False, fontsize=9, title_fontsize=9.5)
    figure_legend(fig, "upper", handles=_tie_legend_handles(
        statuses=("stable", "new", "lost"), base=lw0, nonresponse=nonresponse, strength=False),
        ncols=3 + nonresponse, frameon=False, fontsize=8.5)
    return fig


for _f in (plot_trajectory, plot_waves):
    _f.__doc__ = _f.__doc__.format(**DOCS)
