"""Alt text of the report's figures, written from the numbers they show.

WCAG 2.2 success criterion 1.1.1 (non-text content) asks for a text
alternative that serves the same purpose as the picture: for a chart, what it
shows and its main numbers, with the full numbers one link away (the Government
Analysis Function's chart guidance; NICE: "Download the data for figure 1").
Each function here takes the report content (:class:`ReportContent`) and
returns plain text; the page escapes it (Jinja autoescaping), because names of
people and organisations are survey text. :data:`FIGURE_DATA` names the
``tables/*.csv`` files holding each figure's numbers, linked under the figure.

References
----------
W3C (2023). Web Content Accessibility Guidelines (WCAG) 2.2, SC 1.1.1 and
1.4.11. https://www.w3.org/TR/WCAG22/
Government Analysis Function (2023). Data visualisation: charts (alt text and
data download). https://analysisfunction.civilservice.gov.uk/policy-store/
data-visualisation-charts/
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..compare._format import signed

if TYPE_CHECKING:
    from .content import ReportContent

__all__: list[str] = []

#: Figure name -> the on-page table with its numbers (``table-<section>-<key>``,
#: see :func:`~senatenet.report.html.table_ids`) and the ``tables/<name>.csv``
#: files with all of them.
FIGURE_DATA: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "before_after": ("table-boundaries-ei", ("ties", "turnover")),
    "org_network": ("table-boundaries-org_pairs", ("organisation_pairs",)),
    "block_density": (
        "table-boundaries-org_pairs",
        ("block_density_before", "block_density_after", "block_density_change"),
    ),
    "change": ("table-boundaries-spanners", ("people",)),
    "brokerage": ("table-boundaries-spanners", ("people",)),
    "cohorts": ("table-cohorts-table", ("cohorts",)),
    "trajectory": ("table-follow-up-transitions", ("trajectory",)),
}


def _value(x: Any) -> float | None:
    """``x`` as a float, or None when it is missing, NaN or not a number."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _n(x: Any) -> str:
    """A count as text (``1,234``); ``unknown`` for NaN."""
    v = _value(x)
    return "unknown" if v is None else f"{int(round(v)):,}"


def _d(x: Any, digits: int = 2) -> str:
    """A proportion or index to ``digits`` decimals; ``unknown`` for NaN."""
    v = _value(x)
    return "unknown" if v is None else f"{v:.{digits}f}".replace("-", "\u2212")


def _pct(x: Any) -> str:
    """A share as a whole percentage (``17%``); ``unknown`` for NaN."""
    v = _value(x)
    return "unknown" if v is None else f"{100 * v:.0f}%"


def _waves(c: ReportContent) -> str:
    return f"before ({c.before}) and after ({c.after})"


def cross_pairs_possible(sizes: dict[str, int]) -> int:
    """Pairs of people in different organisations: C(N, 2) − Σ C(n_g, 2).

    Examples
    --------
    >>> cross_pairs_possible({"A": 3, "B": 2})
    6
    """
    n = sum(sizes.values())
    return n * (n - 1) // 2 - sum(k * (k - 1) // 2 for k in sizes.values())


def before_after(c: ReportContent) -> str:
    """The two network maps: how many cross-organisation pairs are tied."""
    k = c.counts()
    n_people = sum(c.sizes.values())
    return (
        f"Two network maps of {n_people:,} people in {len(c.sizes)} organisations, "
        f"{_waves(c)}, each person in the same place in both. Before: "
        f"{k['cb_before']:,} of {cross_pairs_possible(c.sizes):,} possible pairs of "
        f"people in different organisations tied ({k['all_before']:,} tied pairs in "
        f"all); after: {k['cb_after']:,} ({k['all_after']:,} in all); "
        f"{k['cb_new']:,} cross-organisation {'tie is' if k['cb_new'] == 1 else 'ties are'} "
        f"new and {k['cb_lost']:,} {'was' if k['cb_lost'] == 1 else 'were'} lost."
    )


def org_network(c: ReportContent) -> str:
    """The organisation map: the most connected pairs of organisations."""
    pairs = c.org_pairs()
    if "suppressed" in pairs:
        shown = pairs.loc[~pairs["suppressed"].astype(bool).to_numpy()]
    else:
        shown = pairs
    linked_before = int((shown["before"] > 0).sum())
    linked_after = int((shown["after"] > 0).sum())
    top = shown.sort_values("after", ascending=False, kind="stable").head(3)
    most = "; ".join(
        f"{a} and {b}: {_n(bb)} before, {_n(aa)} after"
        for a, b, bb, aa in zip(
            top["organisation_a"], top["organisation_b"], top["before"], top["after"],
            strict=True,
        )
        if float(aa) > 0
    )
    text = (
        f"Map of the {len(c.sizes)} organisations, {_waves(c)}: circles sized by "
        "their number of people, lines as wide as the ties between them. Pairs of "
        f"organisations with at least one tie: {linked_before} before, "
        f"{linked_after} after."
    )
    return text + (f" Most ties after: {most}." if most else "")


def _mean_density(table: pd.DataFrame, diagonal: bool) -> float:
    a = table.astype(float).to_numpy()
    mask = pd.DataFrame(a).notna().to_numpy()
    n = a.shape[0]
    import numpy as np

    on = np.eye(n, dtype=bool)
    sel = mask & (on if diagonal else ~on)
    return float(a[sel].mean()) if sel.any() else float("nan")


def block_density(c: ReportContent) -> str:
    """The heatmaps: mean density within and between, and the largest rise."""
    import numpy as np

    blocks = c.blocks()
    within = [_mean_density(blocks[w], True) for w in ("before", "after")]
    between = [_mean_density(blocks[w], False) for w in ("before", "after")]
    change = blocks["change"].astype(float)
    a = change.to_numpy().copy()
    a[np.tril_indices(len(a), -1)] = np.nan  # each pair once (symmetric table)
    rise = ""
    if np.isfinite(a).any() and np.nanmax(a) > 0:
        i, j = np.unravel_index(np.nanargmax(a), a.shape)
        where = (
            f"within {change.index[i]}"
            if i == j
            else f"between {change.index[i]} and {change.columns[j]}"
        )
        rise = f" Largest rise: {where}, {signed(float(a[i, j]))}."
    hidden = " Cells of organisations below the suppression threshold are hidden (hatched)." if (
        c.small
    ) else ""
    return (
        "Three heatmaps of the density of ties (share of possible ties present, 0 to "
        "1) within each organisation (diagonal) and between each pair of "
        f"organisations: before ({c.before}), after ({c.after}) and the change. "
        "Mean density within "
        f"organisations: {_d(within[0])} before, {_d(within[1])} after; between "
        f"organisations: {_d(between[0])} before, {_d(between[1])} after."
        + rise
        + hidden
    )


def _named(c: ReportContent, people: pd.DataFrame) -> pd.DataFrame:
    """People who may be named: not in an organisation below the suppression
    threshold (their numbers are hidden everywhere else in the report)."""
    if not c.small or "organisation" not in people.columns:
        return people
    return people[~people["organisation"].astype(str).isin(c.small)]


def _people_line(people: pd.DataFrame, col_b: str, col_a: str) -> str:
    return "; ".join(
        f"{r['name']} ({r['organisation']}) {_n(r[col_b])} to {_n(r[col_a])}"
        for _, r in people.iterrows()
    )


def change(c: ReportContent, top: int = 30) -> str:
    """The dumbbell chart: who gained most ties outside their organisation."""
    ppl = c.cmp.people
    col = "external_ties_change"
    if col not in ppl.columns:
        return "Chart of each person's ties outside their organisation, before and after."
    ch = ppl[col].astype(float)
    gained, lost = int((ch > 0).sum()), int((ch < 0).sum())
    best = _named(c, ppl.assign(_c=ch)).sort_values(
        "_c", ascending=False, kind="stable"
    ).head(3)
    best = best[best["_c"] > 0]
    text = (
        "Dumbbell chart of each person's ties to people in other organisations, "
        f"{_waves(c)}, for at most the {top} people whose ties changed most. Of "
        f"{len(ppl):,} people, {gained:,} gained such ties and {lost:,} lost some."
    )
    if len(best):
        text += " Largest gains: " + _people_line(
            best, "external_ties_before", "external_ties_after"
        ) + "."
    return text


def brokerage(c: ReportContent, top: int = 10) -> str:
    """The brokerage bars: the top brokers after the programme."""
    ppl = c.cmp.people
    if "brokerage_after" not in ppl.columns:
        return "Stacked bars of brokerage roles for the people who broker most."
    b = ppl.assign(_b=ppl["brokerage_after"].astype(float))
    b = b[b["_b"] > 0].sort_values("_b", ascending=False, kind="stable")
    head = _named(c, b).head(3)
    text = (
        "Stacked bars of the five brokerage roles (coordinator, itinerant, "
        "representative, gatekeeper, liaison) for the "
        f"{min(top, len(b))} people who broker most after the programme ({c.after})."
    )
    if len(head):
        text += " Most brokerage: " + "; ".join(
            f"{r['name']} ({r['organisation']}) {_n(r['_b'])}"
            for _, r in head.iterrows()
        ) + " (before: " + ", ".join(_n(v) for v in head["brokerage_before"]) + ")."
    return text


def cohorts(c: ReportContent) -> str:
    """The cohort chart: each cohort's change between the waves, with intervals."""
    t = c.cohort_table
    parts = []
    for cohort in t.index:
        row = t.loc[cohort]
        bits = []
        for key, label in (
            ("cross_boundary_formation", "formation"),
            ("cross_boundary_persistence", "persistence"),
        ):
            if key in t.columns:
                bits.append(
                    f"{label} {_pct(row[key])} ({_pct(row[key + '_low'])} to "
                    f"{_pct(row[key + '_high'])})"
                )
        key = "mixing_log_odds_ratio_change"
        if key in t.columns:
            bits.append(
                f"change in the mixing log odds ratio {_d(row[key])} "
                f"({_d(row[key + '_low'])} to {_d(row[key + '_high'])})"
            )
        parts.append(f"{cohort}: " + ", ".join(bits))
    text = (
        f"Charts of each of {len(t)} groups' change between the waves, each estimate "
        "(dot) with its 95% interval (bar): the share of unconnected "
        "cross-organisation pairs that formed a tie, the share of cross-organisation "
        "ties kept, and the change in the log odds ratio of a tie within versus "
        "between organisations."
    )
    return text + (" " + "; ".join(parts) + "." if parts else "")


def trajectory(c: ReportContent) -> str:
    """The follow-up lines: the cross-organisation share at each wave."""
    traj = c.follow_up["trajectory"]
    waves = [str(w) for w in traj.waves]
    m = traj.measures
    share = m[m["measure"] == "cross_boundary_density"].set_index("wave")["value"]
    values = ", ".join(
        f"{w}: {_d(share.get(w, float('nan')), 3)}" for w in waves
    )
    return (
        f"Two line charts over the waves {', '.join(waves)}: the share of pairs of "
        "people in different organisations who are tied, and the log odds ratio of "
        "a tie within versus across organisations, each with 95% intervals; the "
        f"programme period is shaded. Share tied across organisations: {values}."
    )


#: Figure name -> its alt-text function.
ALT: dict[str, Any] = {
    "before_after": before_after,
    "org_network": org_network,
    "block_density": block_density,
    "change": change,
    "brokerage": brokerage,
    "cohorts": cohorts,
    "trajectory": trajectory,
}
