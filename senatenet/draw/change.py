"""Dumbbell charts: a measure before and after, per person or per organisation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import InputError
from ._common import (
    FAINT,
    get_ax,
    initials,
    is_comparison,
    is_missing,
    number_repeats,
    org_handles,
    plain,
    relation_note,
    title_at_top,
)
from ._docstrings import DOCS
from .colors import organisation_colors

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..compare.waves import WaveComparison

__all__ = ["plot_change"]

#: Readable names of the measures in ``WaveComparison.people``/``organisations``.
MEASURE_LABELS = {
    "degree": "Degree (number of ties)",
    "external_ties": "Ties to other organisations",
    "internal_ties": "Ties within the organisation",
    "ei": "E-I index (external - internal) / all",
    "betweenness": "Betweenness (raw count)",
    "constraint": "Burt's constraint (lower = more brokerage)",
    "brokerage": "Brokerage (all roles)",
    "response_rate": "Response rate",
}


def _row_labels(table: pd.DataFrame, label, by: str) -> list[str]:
    return [plain(t) for t in _raw_labels(table, label, by)]


def _raw_labels(table: pd.DataFrame, label, by: str) -> list[str]:
    if by == "organisation" or label in (None, False, "id"):
        return [str(i) for i in table.index]
    if isinstance(label, Mapping):
        return [str(label.get(i, i)) for i in table.index]
    if label is True:
        label = "name"
    if label == "initials":
        names = table["name"] if "name" in table else pd.Series(table.index, index=table.index)
        return number_repeats([initials(str(v)) if not is_missing(v) else str(i)
                               for i, v in names.items()])
    if label == "pseudonym" and "pseudonym" not in table:
        width = max(2, len(str(len(table))))
        return [f"P{k + 1:0{width}d}" for k in range(len(table))]
    if label not in table:
        raise InputError(f"label {label!r} is not a column; columns: {list(table.columns)}")
    return [str(i) if is_missing(v) or str(v) == "" else str(v) for i, v in table[label].items()]


def plot_change(
    data: WaveComparison | pd.DataFrame,
    measure: str = "external_ties",
    *,
    by: str = "person",
    label: bool | str | Mapping = "name",
    top: int | None = None,
    sort: str | None = "change",
    group: str = "organisation",
    colors: Mapping[str, str] | None = None,
    legend: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """Dumbbell chart of a measure before -> after, one row per person or organisation.

    Parameters
    ----------
    data : WaveComparison or DataFrame
        A comparison (``people`` or ``organisations`` table) or any table with
        columns ``<measure>_before`` and ``<measure>_after`` (and ``organisation``
        for colours).
    measure : str
        E.g. ``"external_ties"``, ``"degree"``, ``"ei"``, ``"betweenness"``,
        ``"constraint"``, ``"brokerage"`` (per person) or ``"external_ties"``,
        ``"ei"``, ``"response_rate"`` (per organisation).
    by : {{"person", "organisation"}}
        Which table of the comparison.
    label : bool, str or dict
        Row labels for people: ``"name"``, ``"initials"``, ``"pseudonym"``,
        ``"id"``, another column, or ``{{person_id: text}}``.
    top : int, optional
        Show only the rows with the largest absolute change; by default all rows
        up to 40, else the top 30.
    sort : {{"change", "before", "after"}} or None
        Row order, largest first; ``None`` keeps the table order.
    {group}
    {colors}
    legend : bool
        Key to before/after markers and organisation colours.
    {ax}

    Returns
    -------
    {returns_ax}

    Notes
    -----
    The hollow marker is the first wave, the filled marker (organisation colour)
    the second; rows whose value is undefined in a wave (e.g. E-I of an
    isolate) lack that marker and are counted in the title.

    References
    ----------
    Cleveland, W. S. & McGill, R. (1984). Graphical perception. Journal of the
    American Statistical Association 79(387), 531-554 (dot charts).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({{"organisation": ["X", "Y"], "degree_before": [1, 2],
    ...                   "degree_after": [3, 2]}}, index=["a", "b"])
    >>> ax = plot_change(t, "degree", label="id")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['a', 'b']
    """
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator

    if by not in ("person", "organisation"):
        raise InputError(f"by must be 'person' or 'organisation', not {by!r}")
    if is_comparison(data):
        table = data.people if by == "person" else data.organisations
        waves = (plain(data.before), plain(data.after))
        rel = relation_note(getattr(data, "relation", None))
    elif isinstance(data, pd.DataFrame):
        table, waves, rel = data, ("before", "after"), ""
    else:
        raise InputError(f"plot_change needs a WaveComparison or a DataFrame, not {type(data).__name__}")
    cols = (f"{measure}_before", f"{measure}_after")
    if not all(c in table.columns for c in cols):
        options = sorted(c[: -len("_before")] for c in table.columns if str(c).endswith("_before"))
        raise InputError(f"measure {measure!r} has no {cols[0]}/{cols[1]} columns; measures: {options}")
    before = pd.to_numeric(table[cols[0]], errors="coerce").astype(float)
    after = pd.to_numeric(table[cols[1]], errors="coerce").astype(float)
    change = after - before
    lookup = table
    survey = getattr(data, "survey", None) if is_comparison(data) else None
    if (by == "person" and isinstance(label, str) and label not in table
            and survey is not None and label in survey.people):
        # e.g. the ``pseudonym`` column of a pseudonymised survey: same text as the maps
        lookup = table.assign(**{label: survey.people[label].reindex(table.index)})
    labels = pd.Series(_row_labels(lookup, label, by), index=table.index)
    if by == "organisation":
        orgs = pd.Series([str(i) for i in table.index], index=table.index)
    elif group in table:
        orgs = table[group].map(lambda v: None if is_missing(v) else str(v))
    else:
        orgs = pd.Series([None] * len(table), index=table.index)
    if colors is None:
        if is_comparison(data) and getattr(data, "survey", None) is not None:
            colors = organisation_colors(data.survey, group)
        else:
            colors = organisation_colors([o for o in orgs if o is not None])
    colors = dict(colors)
    order = list(table.index)
    if sort == "change":
        key = pd.DataFrame({"c": change, "a": after}).fillna(-np.inf)
        order = list(key.sort_values(["c", "a"], ascending=False, kind="stable").index)
    elif sort in ("before", "after"):
        s = (before if sort == "before" else after).fillna(-np.inf)
        order = list(s.sort_values(ascending=False, kind="stable").index)
    elif sort is not None:
        raise InputError(f"sort must be 'change', 'before', 'after' or None, not {sort!r}")
    total = len(order)
    if top is None and total > 40:
        top = 30
    if top is not None and top < total:
        keep = set(change.abs().fillna(-1).sort_values(ascending=False, kind="stable").index[:top])
        order = [i for i in order if i in keep]
    n = len(order)
    ax = get_ax(ax, figsize=(10.0, 1.4 + 0.27 * max(n, 3)))
    y = np.arange(n)
    b, a = before[order].to_numpy(), after[order].to_numpy()
    for yi, x0, x1 in zip(y, b, a, strict=True):
        if np.isfinite(x0) and np.isfinite(x1):
            ax.plot([x0, x1], [yi, yi], color="#7a7a7a" if x1 >= x0 else "#bdbdbd",
                    lw=2.2, solid_capstyle="round", zorder=1, gid="change-line")
    face = [colors.get(orgs[i], FAINT) if orgs[i] is not None else FAINT for i in order]
    ok_b, ok_a = np.isfinite(b), np.isfinite(a)
    sb = ax.scatter(b[ok_b], y[ok_b], s=46, facecolors="white", edgecolors="#4d4d4d",
                    linewidths=1.3, zorder=2, label=f"before ({waves[0]})")
    sb.set_gid("before")
    sa = ax.scatter(a[ok_a], y[ok_a], s=58, c=[f for f, k in zip(face, ok_a, strict=True) if k],
                    edgecolors="#333333", linewidths=0.6, zorder=3, label=f"after ({waves[1]})")
    sa.set_gid("after")
    ax.set_yticks(y, [labels[i] for i in order], fontsize=8.5 if n <= 40 else 7)
    ax.set_ylim(n - 0.4, -0.6)
    lo = np.nanmin(np.concatenate([b, a, [0.0]])) if n else 0.0
    if lo < 0:
        ax.axvline(0, color="#999999", lw=0.8, zorder=0)
    finite = np.concatenate([b[ok_b], a[ok_a]])
    if len(finite) and np.allclose(finite, np.round(finite)):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x", color="#e5e5e5", lw=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    name = MEASURE_LABELS.get(measure, plain(measure.replace("_", " ")))
    ax.set_xlabel(name)
    undefined = int((~ok_b | ~ok_a).sum())
    title = f"{name}: {waves[0]} \u2192 {waves[1]}{rel}"
    if n < total:
        title += f"\n{n} of {total} {'people' if by == 'person' else 'organisations'} with the largest change"
    if undefined:
        title += f"\n{undefined} undefined value(s) not drawn"
    title_at_top(ax, title, loc="left", fontsize=10.5)
    if legend:
        marks = [
            Line2D([], [], marker="o", ls="none", markersize=7, markerfacecolor="white",
                   markeredgecolor="#4d4d4d", label=f"before ({waves[0]})"),
            Line2D([], [], marker="o", ls="none", markersize=7, markerfacecolor="#9a9a9a",
                   markeredgecolor="#333333", label=f"after ({waves[1]}), organisation colour"),
        ]
        shown = {g: colors[g] for g in colors if g in set(orgs[order])}
        handles = marks + (org_handles(shown, 7) if by == "person" else [])
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0),
                  frameon=False, fontsize=8)
    return ax


plot_change.__doc__ = plot_change.__doc__.format(**DOCS)
