"""The report's follow-up section: three or more waves, and whether new ties lasted.

With waves ``[before, after, follow-up, ...]`` the first two define the
programme and the later ones are follow-ups. The section adds a trajectory
figure (cross-organisation ties and mixing by wave, with person-level
intervals, the programme shaded), the persistence table of
:meth:`senatenet.Trajectory.persistence` and a plain-words finding. The data
quality section lists who joined and who left (:func:`membership_text`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..errors import InputError
from .html import table_view

__all__: list[str] = []


def resolve_waves(
    survey: Any,
    before: str | None,
    after: str | None,
    waves: Sequence[str] | None,
) -> tuple[str | None, str | None, list[str], str | None]:
    """``(before, after, follow_ups, note)`` from the report's wave options.

    ``waves`` (two or more) gives the programme's two waves then the
    follow-ups; it cannot be combined with a different ``before``/``after``.
    Without any of them, a survey of three or more waves is read the same way
    (first two = programme, the rest = follow-ups) and ``note`` says so,
    instead of silently comparing the first wave with the last.
    """
    all_waves = list(getattr(survey, "waves", ()))
    if waves is not None:
        waves = [waves] if isinstance(waves, str) else [str(w) for w in waves]
        if len(waves) < 2:
            raise InputError(f"waves= needs at least two waves (before, after), not {waves}")
        bad = [w for w in waves if w not in all_waves]
        if bad:
            raise InputError(f"wave(s) {bad} are not in the survey; its waves are {all_waves}")
        if len(set(waves)) != len(waves):
            raise InputError(f"a wave is repeated in waves= {waves}")
        for label, given, w in (("before", before, waves[0]), ("after", after, waves[1])):
            if given is not None and str(given) != w:
                raise InputError(f"{label}={given!r} disagrees with waves= {waves}; give one")
        return waves[0], waves[1], waves[2:], None
    if before is None and after is None and len(all_waves) >= 3:
        note = (f"The survey has {len(all_waves)} waves: the first two "
                f"(“{all_waves[0]}”, “{all_waves[1]}”) are taken as before and after the "
                f"programme and the others ({', '.join(all_waves[2:])}) as follow-ups. "
                "Choose other waves with waves= (--waves).")
        return all_waves[0], all_waves[1], all_waves[2:], note
    return before, after, [], None


def membership_text(survey: Any) -> str | None:
    """Who joined and who left, wave by wave, in words (None when nobody did)."""
    changes = getattr(survey, "membership_changes", None)
    if changes is None:
        return None
    table = changes()
    if not len(table):
        return None
    parts = []
    for wave, part in table.groupby("wave", sort=False):
        for change, who in part.groupby("change", sort=False):
            names = [n if isinstance(n, str) else p
                     for n, p in zip(who["name"], who["person_id"], strict=True)]
            verb = "joined in" if change == "joined" else "was no longer a member in"
            parts.append(f"{', '.join(names)} {verb} wave “{wave}”")
    return ("Membership changed: " + "; ".join(parts) + ". Outside their membership "
            "people are neither respondents nor non-respondents: their ties there are "
            "left out (never counted as lost or new) and they are not counted in that "
            "wave's response rates or densities.")


def follow_up_section(
    survey: Any,
    before: str,
    after: str,
    follow_ups: Sequence[str],
    *,
    relation: str | None,
    min_strength: float | None,
    symmetrize: str | None,
    missing: str,
    seed: int,
    comparisons: dict[str, Any] | None = None,
    cohort_name: str = "Programme",
) -> dict[str, Any]:
    """Compute the trajectory and persistence for the report (no drawing).

    A comparison cohort surveyed in the same waves gets its own persistence
    rows (column ``cohort``), so the programme's ties can be read against ties
    formed over the same period without a programme.
    """
    from ..compare.trajectory import trajectory

    spec = {"relation": relation, "min_strength": min_strength,
            "symmetrize": symmetrize or "union",
            "missing": "absent" if missing == "panel" else missing}
    waves = [before, after, *follow_ups]
    traj = trajectory(survey, waves, spec=spec, seed=seed)
    persistence = traj.persistence((before, after), follow_ups[0])
    sentence = traj.persistence_sentence(persistence)
    parts = [persistence.assign(cohort=cohort_name)]
    for name, other in (comparisons or {}).items():
        if not all(w in getattr(other, "waves", ()) for w in waves):
            continue
        p = trajectory(other, waves, spec=spec, seed=seed).persistence(
            (before, after), follow_ups[0])
        parts.append(p.assign(cohort=name))
        row = p[p["ties"].eq("new during programme") & p["boundary"].eq("cross_boundary")
                & p["pairs"].eq("all")].iloc[0]
        if row["n"]:
            sentence += (f" In the comparison group {name}, {row['still_present']} of "
                         f"{row['n']} cross-organisation ties formed over the same period "
                         f"lasted ({row['rate']:.0%}, 95% interval {row['ci_low']:.0%} to "
                         f"{row['ci_high']:.0%}).")
        else:
            sentence += (f" In the comparison group {name}, no cross-organisation ties "
                         "formed over the same period.")
    table = pd.concat(parts, ignore_index=True)
    table = table[["cohort", *[c for c in table.columns if c != "cohort"]]]
    return {"trajectory": traj, "persistence": table, "sentence": sentence, "spec": spec,
            "cohort_name": cohort_name}


TRAJECTORY_CAPTION = (
    "Left: of all pairs of people in different organisations, the share with a tie. "
    "Right: how much more likely a tie is inside an organisation than across (log "
    "odds ratio; 0 = no preference). Bars: 95% person-level intervals. Shaded: the "
    "programme.")


def trajectory_alt(content: Any) -> str:
    """Alt text of the trajectory figure."""
    waves = list(content.follow_up["trajectory"].waves)
    return (f"Two line charts over the waves {', '.join(waves)}: the share of pairs of "
            "people in different organisations who are tied, and the log odds ratio of "
            "a tie within versus across organisations, each with 95% intervals; the "
            "programme period is shaded")


def draw_trajectory(content: Any, seed: int):
    """The trajectory figure: cross-organisation share and mixing, by wave."""
    import matplotlib.pyplot as plt

    from ..draw.waves import plot_trajectory

    traj = content.follow_up["trajectory"]
    fig, axes = plt.subplots(1, 2, figsize=(11.5, 4.4), layout="constrained")
    plot_trajectory(traj, "cross_boundary_density", ax=axes[0])
    plot_trajectory(traj, "mixing_log_odds_ratio", ax=axes[1], color="#B5527A")
    return fig


def follow_up_tables(section: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """CSV tables of the section."""
    traj = section["trajectory"]
    return {"trajectory": traj.measures, "transitions": traj.transitions,
            "persistence": section["persistence"]}


def section_context(content: Any) -> dict:
    """What the follow-up section shows (``templates/sections/follow-up.html.j2``)."""
    section = content.follow_up
    traj = section["trajectory"]
    p = section["persistence"]
    p = p[p["pairs"].eq("all")]
    several = p["cohort"].nunique() > 1
    t = traj.transitions
    trans = pd.DataFrame({
        "from": t["before"], "to": t["after"], "members": t["members"],
        "new": t["new"], "lost": t["lost"], "kept": t["stable"],
        "formed across organisations": [
            _rate(r, "formation_cross") for r in t.to_dict("records")],
        "lasted across organisations": [
            _rate(r, "persistence_cross") for r in t.to_dict("records")],
    })
    persist = pd.DataFrame({
        **({"cohort": p["cohort"]} if several else {}),
        "ties": p["ties"], "between": p["boundary"].map(
            {"cross_boundary": "different organisations", "within": "same organisation",
             "all": "all"}),
        "ties at the end of the programme": p["n"],
        f"still there at {p['checked'].iloc[0]}": p["still_present"],
        "share (95% interval)": [
            "–" if r["n"] == 0 else
            f"{r['rate']:.0%} ({r['ci_low']:.0%} to {r['ci_high']:.0%})"
            for r in p.to_dict("records")],
    })
    return {
        "text": section["sentence"],
        "waves": ", ".join(traj.waves),
        "persistence": table_view(
            persist, caption="Did the ties formed during the programme last? Only people "
            "who were members in all three waves count.", id="persistence-table"),
        "transitions": table_view(
            trans, caption="Ties from one wave to the next, among people who were "
            "members in both waves (formation: of the pairs not tied before, the share "
            "tied after; lasted: of the pairs tied before, the share still tied).",
            id="transitions-table"),
    }


def _rate(r: dict, key: str) -> str:
    if r[f"{key}_n"] == 0:
        return "–"
    return (f"{r[key]:.0%} of {r[f'{key}_n']} "
            f"({r[f'{key}_low']:.0%} to {r[f'{key}_high']:.0%})")
