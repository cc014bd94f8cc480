"""``read_survey``: roster, long-format ties and respondents into a :class:`Survey`."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError, SurveyError
from ..survey import Survey
from ..validation import (
    check_membership,
    check_respondents,
    check_roster,
    check_ties,
    file_line,
    format_problems,
    problems_frame,
    raise_for_errors,
    similar_labels,
    sort_report,
)
from .tables import match_columns, read_table

__all__ = ["read_survey"]

ROSTER_ALIASES = {"id": "person_id", "personid": "person_id", "person": "person_id",
                  "organization": "organisation", "org": "organisation"}
TIES_ALIASES = {"ego": "respondent", "source": "respondent", "from": "respondent",
                "nominator": "respondent", "target": "alter", "to": "alter",
                "nominee": "alter", "weight": "strength", "value": "strength",
                "time": "wave", "period": "wave"}
RESPONDENTS_ALIASES = {"id": "person_id", "respondent": "person_id",
                       "person": "person_id", "time": "wave", "period": "wave",
                       "answered": "responded"}

Source = str | Path | pd.DataFrame


def read_survey(
    roster: Source,
    ties: Source,
    *,
    respondents: Source | None = None,
    waves: Iterable[str] | None = None,
    merge_organisations: str = "case",
    aliases: Any = None,
    strict: bool = False,
) -> Survey:
    """Read and validate a roster survey: who is who, who named whom, who answered.

    Every table is read as text (``"007"`` stays ``"007"``, ``"NA"`` is an id),
    checked by the rules in ``docs/data-format.md``, and every dropped or changed
    row is listed in ``Survey.validation`` with its file, spreadsheet row
    (header = 1) and column. ``respondent``/``alter`` may be a ``person_id`` or an
    exact roster name; ids take precedence, and a value matching two people is
    dropped as ambiguous rather than guessed.

    Parameters
    ----------
    roster : path or DataFrame
        One row per person: ``person_id`` and ``organisation`` (required),
        ``name``, ``role``, ``sector``, ``cohort``, ``participant``, optional
        ``first_wave`` / ``last_wave`` (membership: wave labels, blank = from the
        first / to the last wave; ties and responses outside it are dropped with
        a warning, joiners and leavers listed), extra columns.
    ties : path or DataFrame
        One row per nomination: ``wave``, ``respondent``, ``alter`` (required),
        ``relation`` (default ``"tie"``), ``strength`` (default 1).
    respondents : path or DataFrame, optional
        ``wave``, ``person_id``: who answered in each wave (with an optional
        ``responded`` column of true/false, only the true rows count). Without
        it, the respondents of a wave are the people who nominated someone (a
        warning says so).
    waves : sequence of str, optional
        The waves and their order; rows in other waves are dropped as errors.
        Default: order of first appearance in the ties, then the respondents.
    merge_organisations : {"case", "similar", "none"}
        Organisation labels merged into one (each merge is a validation line):
        ``"case"`` (default) merges labels that differ only by case or spaces
        (``Leeds CCG``, ``leeds  ccg``) and lists labels that differ only by
        punctuation (``PC``, ``PC*``) as possible duplicates, kept distinct;
        ``"similar"`` merges those too; ``"none"`` merges nothing.
    aliases : path or DataFrame, optional
        The alias/review file ``senatenet match`` writes (``name``,
        ``person_id``): a ``respondent`` or ``alter`` written as a known alias
        (compared as :func:`senatenet.normalise_name` does) is replaced by its
        person_id, each replacement a validation line; so a typo found once
        is fixed for every run.
    strict : bool
        Raise :class:`~senatenet.SurveyError` when validation finds any error.

    Returns
    -------
    Survey

    Raises
    ------
    InputError
        Unusable input: missing file, empty table, missing required column.
    SurveyError
        With ``strict=True``, when any row had an error.

    References
    ----------
    .. [1] Borgatti, S. P., Everett, M. G. & Johnson, J. C. (2018). *Analyzing
       Social Networks*, 2nd ed., ch. 4 (collecting and cleaning network data).

    Examples
    --------
    >>> roster = pd.DataFrame({"person_id": ["007", "NA", "p3"],
    ...                        "name": ["Ann", "Bo", "Cy"],
    ...                        "organisation": ["Leeds CCG", "leeds ccg", "Trust"]})
    >>> ties = pd.DataFrame({"wave": ["pre", "pre", "post"],
    ...                      "respondent": ["007", "Bo", "007"],
    ...                      "alter": ["NA", "p3", "p3"]})
    >>> s = read_survey(roster, ties)
    >>> s.ties[["wave", "respondent", "alter"]].values.tolist()
    [['pre', '007', 'NA'], ['pre', 'NA', 'p3'], ['post', '007', 'p3']]
    >>> s.people["organisation"].tolist()
    ['Leeds CCG', 'Leeds CCG', 'Trust']
    >>> s.validation_summary()["check"].tolist()[:2]
    ['organisation_spelling', 'respondents_inferred']
    """
    if waves is not None:
        if isinstance(waves, str):
            waves = [waves]
        waves = [str(w).strip() if isinstance(w, int) else w for w in waves]
        if not all(isinstance(w, str) for w in waves):
            raise InputError("waves= must be a list of wave labels (strings)")
        if not waves:
            raise InputError("waves= is empty: give the wave labels in order, or None")
    waves_given = waves
    out: list = []
    tables = {"roster": read_table(roster, name="roster"),
              "ties": read_table(ties, name="ties")}
    if respondents is not None:
        tables["respondents"] = read_table(respondents, name="respondents")
    for kind, table in tables.items():
        out.append(table.problems)
        if len(table.frame) == 0:
            raise InputError(f"the {kind} file has no data rows", file=table.file)

    t = tables["roster"]
    frame, notes = match_columns(
        t, required=["person_id", "organisation"],
        optional=["name", "role", "sector", "cohort", "participant"],
        aliases=ROSTER_ALIASES, keep_extra=True, name="roster")
    out.extend(notes)
    people = check_roster(frame, t.file, out, merge_organisations=merge_organisations)
    ids = frame["person_id"].str.strip()
    roster_rows = pd.Series(frame.index.to_numpy(), index=ids.to_numpy())
    roster_rows = roster_rows[~roster_rows.index.duplicated()].reindex(people.index)
    if len(people) == 0:
        report = problems_frame(out)
        raise SurveyError(
            f"no usable person in the roster {t.file!r}:\n" + format_problems(report),
            problems=report)

    resp = None
    if respondents is not None:
        t = tables["respondents"]
        frame, notes = match_columns(t, required=["wave", "person_id"],
                                     optional=["responded"],
                                     aliases=RESPONDENTS_ALIASES, name="respondents")
        out.extend(notes)
        resp = check_respondents(frame, t.file, people, out, waves=waves)

    t = tables["ties"]
    frame, notes = match_columns(t, required=["wave", "respondent", "alter"],
                                 optional=["relation", "strength"],
                                 aliases=TIES_ALIASES, name="ties")
    out.extend(notes)
    if aliases is not None:
        frame = _apply_aliases(frame, aliases, people, t.file, out)
    tie_table = check_ties(frame, t.file, people, out, waves=waves, respondents=resp)

    if resp is None:
        out.append(file_line(
            t.file, "no respondents table: respondents inferred from the ties, so a "
            "person who answered but named nobody counts as a non-respondent",
            severity="warning", action="inferred", check="respondents_inferred"))
    tie_waves = _labels(tie_table["wave"])
    used = tie_waves | (_labels(resp["wave"]) if resp is not None else set())
    if waves is not None:
        for w in waves:
            if w not in used:
                out.append(file_line(t.file, f"wave {w!r} has no ties and no respondents",
                                     severity="warning", check="empty_wave", value=w))

    else:  # order of first appearance in the files, as written (trimmed)
        raw = [frame["wave"].str.strip()]
        if resp is not None:
            raw.append(resp["wave"])
        waves = [w for w in pd.unique(pd.concat(raw).to_numpy(dtype=object)) if w in used]
        for w in waves:
            if w not in tie_waves:  # e.g. "Post" in one file, "post" in the other
                out.append(file_line(tables["respondents"].file,
                                     f"wave {w!r} has respondents but no ties",
                                     severity="warning", check="empty_wave", value=w))

    people, tie_table, resp = check_membership(
        people, roster_rows, waves, tie_table, resp,
        {k: tb.file for k, tb in tables.items()}, out)
    if waves_given is None:  # given waves already drop any other spelling as an error
        similar_labels(waves, "wave", t.file, out)
    similar_labels(tie_table["relation"], "relation", t.file, out)
    report = sort_report(problems_frame(out))
    if strict:
        raise_for_errors(report)
    return Survey(
        people, tie_table, resp, waves=waves, validation=report,
        sources={k: tb.source for k, tb in tables.items()},
        hashes={k: tb.sha256 for k, tb in tables.items() if tb.sha256},
        respondents_inferred=resp is None,
    )


def _labels(values: pd.Series) -> set:
    """The distinct values of a column (a set of a text column would read it
    cell by cell; 60,000 ties take a fifth of a second)."""
    return set(values.unique().tolist())


def _apply_aliases(frame, aliases, people, file, out):
    """Ties with respondent/alter values that are confirmed aliases replaced by ids."""
    from .names import normalise_name, read_aliases

    table = read_aliases(aliases, people.reset_index())
    lookup = dict(zip(table["normalised"], table["person_id"], strict=True))
    ids = set(people.index)
    frame = frame.copy()
    for col in ("respondent", "alter"):
        values = frame[col].astype(str)
        for pos, value in enumerate(values):
            if value.strip() in ids:
                continue
            pid = lookup.get(normalise_name(value))
            if pid is not None:
                frame.iloc[pos, frame.columns.get_loc(col)] = pid
                out.append({"severity": "info", "file": file, "row": frame.index[pos],
                            "column": col, "value": value, "problem": f"{value!r} is an "
                            f"alias of {pid!r} (aliases file)", "action": "changed",
                            "check": "alias"})
    return frame
