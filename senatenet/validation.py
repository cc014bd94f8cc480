"""The validation report: every dropped, changed or suspicious row, with its place.

The report is a DataFrame with one row per problem and the columns

``severity``
    ``"error"`` (the row was dropped or is unusable), ``"warning"`` (kept or
    changed, but suspicious) or ``"info"`` (a harmless normalisation).
``file``
    The file name (or ``"<ties DataFrame>"``) the problem is in.
``row``
    Spreadsheet row (header = row 1, first data row = 2); missing for a
    problem about the whole file.
``column``, ``value``
    The column and the value as written (missing when not applicable).
``problem``
    What is wrong, in plain words.
``action``
    What senatenet did: ``dropped``, ``kept``, ``changed``, ``merged``,
    ``renamed``, ``ignored`` or ``inferred``.
``check``
    A short code of the rule that fired (e.g. ``duplicate_person_id``), for
    filtering and counting.

The rules themselves (``check_roster``, ``check_ties``, ``check_respondents``)
are applied by :func:`senatenet.read_survey`; ``docs/data-format.md`` lists them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from .errors import SurveyError
from .problems import SEVERITIES, VALIDATION_COLUMNS, problems_frame

__all__ = [
    "VALIDATION_COLUMNS",
    "problems_frame",
    "validation_summary",
    "format_problems",
    "raise_for_errors",
]

NO_ORGANISATION = "(no organisation)"
DEFAULT_RELATION = "tie"
RESERVED_ATTRIBUTES = {
    "responded": "whether the person answered the wave",
    "kind": "person or organisation, in the affiliation graph",
    "bipartite": "0 or 1, in the affiliation graph",
}
"""Node attributes the graphs set themselves (an extra roster column of that name loses)."""
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}


def sort_report(report: pd.DataFrame) -> pd.DataFrame:
    """Order lines by file (first appearance), then row (file-level lines first).

    The sort is stable, so lines about the same row keep the order of the rules.
    """
    if len(report) == 0:
        return report
    files = {f: i for i, f in enumerate(pd.unique(report["file"].to_numpy(dtype=object)))}
    key = pd.DataFrame({
        "f": report["file"].map(files).to_numpy(),
        "r": report["row"].fillna(0).to_numpy(dtype="int64"),
    })
    order = key.sort_values(["f", "r"], kind="stable").index
    return report.iloc[order].reset_index(drop=True)


def validation_summary(report: pd.DataFrame) -> pd.DataFrame:
    """Count validation lines by severity, check and action.

    Returns
    -------
    pandas.DataFrame
        Columns ``severity``, ``check``, ``action``, ``count``, most severe first.

    References
    ----------
    .. [1] Wickham, H. (2014). Tidy data. *Journal of Statistical Software*
       59(10), 1–23. doi:10.18637/jss.v059.i10

    Examples
    --------
    >>> rep = problems_frame([{"severity": "warning", "check": "x", "action": "kept"}] * 2)
    >>> validation_summary(rep).to_dict("records")
    [{'severity': 'warning', 'check': 'x', 'action': 'kept', 'count': 2}]
    """
    cols = ["severity", "check", "action"]
    if len(report) == 0:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in cols}).assign(
            count=pd.Series(dtype="int64")
        )
    counts = (
        report.fillna({"check": "", "action": ""})
        .groupby(cols, sort=False)
        .size()
        .rename("count")
        .reset_index()
    )
    rank = counts["severity"].map({s: i for i, s in enumerate(SEVERITIES)})
    return (
        counts.assign(_r=rank)
        .sort_values(["_r", "count"], ascending=[True, False], kind="stable")
        .drop(columns="_r")
        .reset_index(drop=True)
    )


def format_problems(report: pd.DataFrame, limit: int | None = 20) -> str:
    """Render validation lines as text, one per line, with file, row and column.

    References
    ----------
    .. [1] Wickham, H. (2014). Tidy data. *Journal of Statistical Software*
       59(10), 1–23. doi:10.18637/jss.v059.i10

    Examples
    --------
    >>> rep = problems_frame([{"severity": "error", "file": "ties.csv", "row": 4,
    ...     "column": "alter", "value": "P9", "problem": "unknown alter",
    ...     "action": "dropped"}])
    >>> print(format_problems(rep))
    error: file 'ties.csv', row 4, column 'alter', value 'P9': unknown alter (dropped)
    """
    lines = []
    shown = report if limit is None else report.head(limit)
    for rec in shown.itertuples(index=False):
        where = []
        if isinstance(rec.file, str):
            where.append(f"file {rec.file!r}")
        if not pd.isna(rec.row):
            where.append(f"row {int(rec.row)}")
        if isinstance(rec.column, str):
            where.append(f"column {rec.column!r}")
        if isinstance(rec.value, str):
            where.append(f"value {rec.value!r}")
        action = f" ({rec.action})" if isinstance(rec.action, str) else ""
        lines.append(f"{rec.severity}: {', '.join(where)}: {rec.problem}{action}")
    if limit is not None and len(report) > limit:
        lines.append(f"... and {len(report) - limit} more")
    return "\n".join(lines)


def raise_for_errors(report: pd.DataFrame) -> None:
    """Raise :class:`~senatenet.SurveyError` when the report holds any error.

    The message lists the first 20 errors with file, row, column and value; the
    exception's ``problems`` attribute holds the whole report.

    References
    ----------
    .. [1] Borgatti, S. P., Everett, M. G. & Johnson, J. C. (2018). *Analyzing
       Social Networks*, 2nd ed., ch. 4 (cleaning network data). SAGE.

    Examples
    --------
    >>> raise_for_errors(problems_frame([]))  # nothing to raise
    """
    errors = report[report["severity"].eq("error")]
    if len(errors):
        raise SurveyError(
            f"{len(errors)} error(s) in the survey data (strict=True):\n"
            + format_problems(errors),
            problems=report.copy(),
        )


# --------------------------------------------------------------------------- rules


def lines(
    file: str,
    rows: pd.Index | Sequence[int],
    *,
    severity: str,
    column: str | None,
    values,
    problem,
    action: str,
    check: str,
) -> pd.DataFrame:
    """Validation lines for many rows at once (vectorised)."""
    n = len(rows)
    return pd.DataFrame({
        "severity": [severity] * n,
        "file": [file] * n,
        "row": np.asarray(rows, dtype="int64"),
        "column": [column] * n,
        "value": _objects(values, n),
        "problem": _objects(problem, n),
        "action": [action] * n,
        "check": [check] * n,
    })


def _objects(values, n: int) -> np.ndarray:
    if isinstance(values, str):
        return np.full(n, values, dtype=object)
    if isinstance(values, (pd.Series, pd.Index)):
        return values.to_numpy(dtype=object)
    return np.asarray(list(values), dtype=object)


def file_line(file, problem, *, severity="info", action="kept", check, column=None,
              value=None) -> dict:
    """One validation line about a whole file."""
    return {"severity": severity, "file": file, "row": None, "column": column,
            "value": value, "problem": problem, "action": action, "check": check}


def trim(frame: pd.DataFrame, columns: Iterable[str], file: str, out: list) -> pd.DataFrame:
    """Strip surrounding whitespace from ``columns``, one ``info`` line per change."""
    frame = frame.copy()
    for col in columns:
        if col not in frame.columns:
            continue
        values = frame[col].to_numpy(dtype=object)
        stripped = np.array([v.strip() for v in values], dtype=object)
        changed = pd.Series(stripped != values, index=frame.index)
        if changed.any():
            stripped = pd.Series(stripped, index=frame.index, dtype="str")
            out.append(lines(
                file, frame.index[changed], severity="info", column=col,
                values=frame[col][changed], problem="surrounding whitespace trimmed",
                action="changed", check="whitespace_trimmed",
            ))
            frame[col] = stripped
    return frame


def _blank_to_missing(values: pd.Series) -> pd.Series:
    return values.where(values.ne(""), np.nan).astype("str")


def organisation_key(name: str) -> str:
    """Spelling key: case-folded, without whitespace or punctuation.

    >>> organisation_key(" Leeds Teaching-Hospitals. ")
    'leedsteachinghospitals'
    """
    key = re.sub(r"[\W_]+", "", name.casefold())
    return key or name


def similar_labels(labels: Iterable[str], what: str, file: str, out: list) -> None:
    """Warn about wave or relation labels that differ only by case, spaces or
    punctuation (``pre`` and ``Pre``): they are kept apart, never merged."""
    groups: dict[str, list[str]] = {}
    if isinstance(labels, pd.Series):  # distinct values first, not cell by cell
        labels = labels.unique().tolist()
    for label in dict.fromkeys(labels):
        groups.setdefault(organisation_key(label), []).append(label)
    for group in groups.values():
        if len(group) > 1:
            out.append(file_line(
                file, f"{what}s {', '.join(map(repr, group))} differ only by case, spaces "
                f"or punctuation; kept as {len(group)} different {what}s (a typo?)",
                severity="warning", check=f"similar_{what}", column=what,
                value=", ".join(group)))


def check_roster(frame: pd.DataFrame, file: str, out: list, *,
                 merge_organisations: str = "case") -> pd.DataFrame:
    """Apply the roster rules; return the ``people`` table (index ``person_id``)."""
    known = ["person_id", "name", "organisation", "role", "sector", "cohort", "participant"]
    frame = trim(frame, known, file, out)
    blank = frame["person_id"].eq("")
    if blank.any():
        out.append(lines(
            file, frame.index[blank], severity="error", column="person_id", values="",
            problem="blank person_id", action="dropped", check="blank_id",
        ))
        frame = frame[~blank]
    ids = frame["person_id"]
    dup = ids.duplicated(keep="first")
    if dup.any():
        first_row = pd.Series(frame.index, index=frame.index).groupby(ids.to_numpy()).transform("first")
        out.append(lines(
            file, frame.index[dup], severity="error", column="person_id",
            values=ids[dup],
            problem=("duplicate person_id (first at row " + first_row[dup].astype(str) + ")"),
            action="dropped", check="duplicate_person_id",
        ))
        frame = frame[~dup]
    people = pd.DataFrame(index=pd.Index(frame["person_id"].to_numpy(), name="person_id",
                                         dtype="str"))
    rows = pd.Series(frame.index.to_numpy(), index=people.index)

    if "name" in frame.columns:
        names = frame["name"].set_axis(people.index)
        blank_name = names.eq("")
        if blank_name.any():
            out.append(lines(
                file, rows[blank_name], severity="info", column="name", values="",
                problem="blank name; the person is shown by person_id",
                action="kept", check="blank_name",
            ))
        people["name"] = _blank_to_missing(names)
    else:
        out.append(file_line(file, "no name column; people can be named only by person_id",
                             check="no_name_column"))
        people["name"] = pd.Series(np.nan, index=people.index, dtype="str")

    org = frame["organisation"].set_axis(people.index)
    no_org = org.eq("")
    if no_org.any():
        out.append(lines(
            file, rows[no_org], severity="warning", column="organisation", values="",
            problem=f"person has no organisation; placed in {NO_ORGANISATION!r}, "
            "which measures treat as one group",
            action="changed", check="no_organisation",
        ))
        org = org.where(~no_org, NO_ORGANISATION)
    people["organisation"] = _merge_spellings(org, rows, file, out,
                                              merge_organisations).astype("str")

    for col in ("role", "sector", "cohort"):
        people[col] = (_blank_to_missing(frame[col].set_axis(people.index))
                       if col in frame.columns
                       else pd.Series(np.nan, index=people.index, dtype="str"))
    people["participant"] = _participant(frame, people.index, rows, file, out)
    for col in frame.columns:
        if col not in known:
            people[col] = frame[col].set_axis(people.index).astype("str")
            if col in RESERVED_ATTRIBUTES:
                out.append(file_line(
                    file, f"column {col!r} is kept in Survey.people, but graphs set their "
                    f"own {col!r} node attribute ({RESERVED_ATTRIBUTES[col]}); rename the "
                    "column to keep it in the graphs", severity="warning",
                    check="reserved_column", column=col))
    _check_names(people, rows, file, out)
    return people


def _case_key(name: str) -> str:
    """Organisation key for the default merge: case-folded, whitespace collapsed."""
    return " ".join(name.casefold().split())


def _merge_spellings(org: pd.Series, rows: pd.Series, file: str, out: list,
                     how: str = "case") -> pd.Series:
    """Merge organisation labels differing only by case and whitespace (``how="case"``)
    or also by punctuation (``how="similar"``); suggest the latter otherwise."""
    if how not in ("case", "similar", "none"):
        raise ValueError("merge_organisations must be 'case', 'similar' or 'none'")
    key_of = organisation_key if how == "similar" else _case_key
    if how == "none":
        merged = org
    else:
        keys = org.map(key_of)
        if keys.nunique() == org.nunique():
            merged = org
        else:
            order = pd.DataFrame({"org": org.to_numpy(), "key": keys.to_numpy()})
            stats = order.groupby(["key", "org"], sort=False).size().rename("n").reset_index()
            stats["first"] = range(len(stats))  # groupby(sort=False) keeps first appearance
            stats = stats.sort_values(["key", "n", "first"], ascending=[True, False, True])
            canonical = stats.drop_duplicates("key").set_index("key")["org"]
            merged = keys.map(canonical)
            changed = merged.ne(org)
            if changed.any():
                what = ("case, spaces or punctuation" if how == "similar"
                        else "case or spaces")
                out.append(lines(
                    file, rows[changed], severity="warning", column="organisation",
                    values=org[changed],
                    problem=f"organisation spelling differs only by {what}; merged into "
                    + merged[changed].map(repr),
                    action="merged", check="organisation_spelling",
                ))
    if how != "similar":  # labels differing otherwise stay distinct: suggest only
        groups: dict[str, list[str]] = {}
        for label in dict.fromkeys(merged):
            groups.setdefault(organisation_key(label), []).append(label)
        for group in groups.values():
            if len(group) > 1:
                out.append(file_line(
                    file, f"organisations {', '.join(map(repr, group))} differ only by "
                    "punctuation; kept as different organisations (possible duplicates: "
                    "merge_organisations='similar' merges them)", severity="info",
                    check="possible_duplicate_organisation", column="organisation",
                    value=", ".join(group)))
    return merged


def _participant(frame, index, rows, file, out) -> pd.Series:
    if "participant" not in frame.columns:
        return pd.Series(pd.NA, index=index, dtype="boolean")
    raw = frame["participant"].set_axis(index)
    low = raw.str.casefold()
    value = pd.Series(pd.NA, index=index, dtype="boolean")
    value[low.isin(_TRUE)] = True
    value[low.isin(_FALSE)] = False
    bad = raw.ne("") & value.isna()
    if bad.any():
        out.append(lines(
            file, rows[bad], severity="warning", column="participant", values=raw[bad],
            problem="participant is not true/false (or yes/no, 1/0); set to missing",
            action="changed", check="participant_value",
        ))
    return value


def _check_names(people: pd.DataFrame, rows: pd.Series, file: str, out: list) -> None:
    names = people["name"]
    shared = names.notna() & names.duplicated(keep=False)
    if shared.any():
        counts = names[shared].map(names[shared].value_counts())
        out.append(lines(
            file, rows[shared], severity="warning", column="name", values=names[shared],
            problem="name shared by " + counts.astype(str) + " people; ties naming them "
            "by name (not person_id) are dropped as ambiguous",
            action="kept", check="shared_name",
        ))
    ids = pd.Series(people.index, index=people.index)
    clash = names.notna() & names.isin(people.index) & names.ne(ids)
    if clash.any():
        out.append(lines(
            file, rows[clash], severity="warning", column="name", values=names[clash],
            problem="name is also another person's person_id; ties using it are dropped "
            "as ambiguous",
            action="kept", check="name_is_other_id",
        ))


def resolver(people: pd.DataFrame) -> dict[str, tuple[str | None, str]]:
    """Map names to ``(person_id or None, how)``; ``how`` is ``name`` or ``ambiguous``.

    Ids are handled by the caller (an id resolves to itself unless it is also the
    name of another person, which is ambiguous).
    """
    names = people["name"].dropna()
    shared = names.duplicated(keep=False).to_numpy()
    table: dict[str, tuple[str | None, str]] = {
        name: (pid, "name") for name, pid in zip(
            names.to_numpy(dtype=object)[~shared], names.index.to_numpy(dtype=object)[~shared],
            strict=True)
    }
    table.update((name, (None, "ambiguous")) for name in names.to_numpy(dtype=object)[shared])
    return table


def resolve(values: pd.Series, people: pd.DataFrame, names: dict) -> tuple[pd.Series, pd.Series]:
    """Resolve person_id-or-name values: return ``(ids, how)`` Series.

    ``how`` is ``id``, ``name``, ``ambiguous`` or ``unknown``.
    """
    ids = set(people.index.to_numpy(dtype=object).tolist())
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    resolved = np.empty(len(uniques), dtype=object)
    how = np.empty(len(uniques), dtype=object)
    for i, v in enumerate(uniques.tolist()):
        by_name = names.get(v)
        if v in ids:
            ok = by_name is None or by_name[0] == v
            resolved[i], how[i] = (v, "id") if ok else (None, "ambiguous")
        elif by_name is not None:
            resolved[i], how[i] = by_name
        else:
            resolved[i], how[i] = None, "unknown"
    resolved = pd.Series(resolved[codes], index=values.index, dtype=object)
    how = pd.Series(how[codes], index=values.index, dtype=object)
    return resolved, how


def _hints(values: pd.Series, people: pd.DataFrame) -> pd.Series:
    """A "did you mean" hint per unknown value whose spelling, ignoring titles,
    case, accents and punctuation (or leading zeros of an id), fits one person.
    Only a hint: the row is still dropped, never matched by a guess."""
    from .read.names import normalise_name

    def keys(text: str) -> set[str]:
        key = normalise_name(text)
        return {key, key.lstrip("0")} if key.isdigit() else {key}

    fits: dict[str, set[str]] = {}
    for pid, name in zip(people.index, people["name"], strict=True):
        for text in (pid, name):
            if isinstance(text, str):
                for key in keys(text) - {""}:
                    fits.setdefault(key, set()).add(pid)
    hint = {}
    for v in pd.unique(values.to_numpy(dtype=object)):
        found = set().union(*(fits.get(k, set()) for k in keys(v)))
        pid = next(iter(found)) if len(found) == 1 else None
        name = people["name"].get(pid) if pid is not None else None
        hint[v] = ("" if pid is None else f"; did you mean {pid!r}"
                   + (f" ({name})" if isinstance(name, str) else "") + "?")
    return values.map(hint)


def _drop_unresolved(frame, col, how, file, out, role, people=None) -> pd.Series:
    """Report unknown/ambiguous values of ``col``; return the rows to keep."""
    for status, severity, problem in (
        ("unknown", "error", f"unknown {role}: not a person_id or name on the roster"),
        ("ambiguous", "error", f"ambiguous {role}: matches more than one roster person "
         "(shared name, or the name of one person and the id of another)"),
    ):
        bad = how.eq(status)
        if bad.any():
            if status == "unknown" and people is not None:
                problem = problem + _hints(frame[col][bad], people)
            out.append(lines(
                file, frame.index[bad], severity=severity, column=col,
                values=frame[col][bad], problem=problem, action="dropped",
                check=f"{status}_person",
            ))
    return how.isin(["id", "name"])


def _report_names(frame, col, how, resolved, file, out) -> None:
    by_name = how.eq("name")
    if not by_name.any():
        return
    sub = pd.DataFrame({"v": frame[col][by_name], "id": resolved[by_name],
                        "row": frame.index[by_name]})
    first = sub.groupby("v", sort=False).agg(id=("id", "first"), row=("row", "first"),
                                              n=("row", "size"))
    out.append(lines(
        file, first["row"], severity="info", column=col, values=first.index,
        problem="name resolved to person_id " + first["id"].map(repr) + " ("
        + first["n"].astype(str) + " row(s))",
        action="changed", check="name_resolved",
    ))


def _blank_required(frame, columns, file, out) -> pd.DataFrame:
    keep = pd.Series(True, index=frame.index)
    for col in columns:
        blank = keep & frame[col].eq("")
        if blank.any():
            out.append(lines(
                file, frame.index[blank], severity="error", column=col, values="",
                problem=f"blank {col}", action="dropped", check=f"blank_{col}",
            ))
            keep &= ~blank
    return frame[keep]


def _unknown_waves(frame, waves, file, out) -> pd.DataFrame:
    if waves is None:
        return frame
    bad = ~frame["wave"].isin(waves)
    if bad.any():
        out.append(lines(
            file, frame.index[bad], severity="error", column="wave",
            values=frame["wave"][bad],
            problem="wave not among waves= " + repr(list(waves)), action="dropped",
            check="unknown_wave",
        ))
    return frame[~bad]


def check_ties(
    frame: pd.DataFrame,
    file: str,
    people: pd.DataFrame,
    out: list,
    *,
    waves: Sequence[str] | None = None,
    respondents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Apply the ties rules; return the tidy ``ties`` table."""
    frame = frame.copy()
    if "relation" not in frame.columns:
        out.append(file_line(file, f"no relation column; every tie is {DEFAULT_RELATION!r}",
                             check="default_relation"))
        frame["relation"] = DEFAULT_RELATION
    elif frame["relation"].str.strip().eq("").all():
        out.append(file_line(file, f"relation column is empty; every tie is "
                             f"{DEFAULT_RELATION!r}", check="default_relation",
                             column="relation"))
        frame["relation"] = DEFAULT_RELATION
    if "strength" not in frame.columns:
        out.append(file_line(file, "no strength column; every tie has strength 1",
                             check="default_strength"))
        frame["strength"] = "1"
    frame = trim(frame, ["wave", "respondent", "alter", "relation", "strength"], file, out)
    frame = _blank_required(frame, ["wave", "respondent", "alter", "relation"], file, out)
    frame = _unknown_waves(frame, waves, file, out)
    strength, frame = _strength(frame, file, out)

    names = resolver(people)
    src, src_how = resolve(frame["respondent"], people, names)
    dst, dst_how = resolve(frame["alter"], people, names)
    keep = _drop_unresolved(frame, "respondent", src_how, file, out, "respondent", people)
    keep &= _drop_unresolved(frame[keep], "alter", dst_how[keep], file, out, "alter", people
                             ).reindex(frame.index, fill_value=False)
    _report_names(frame[keep], "respondent", src_how[keep], src[keep], file, out)
    _report_names(frame[keep], "alter", dst_how[keep], dst[keep], file, out)

    ties = pd.DataFrame({
        "wave": frame["wave"], "respondent": src, "alter": dst,
        "relation": frame["relation"], "strength": strength,
        "source_row": frame.index.to_numpy(),
    }, index=frame.index)[keep]

    self_tie = ties["respondent"].eq(ties["alter"])
    if self_tie.any():
        out.append(lines(
            file, ties.index[self_tie], severity="error", column="alter",
            values=frame["alter"][self_tie[self_tie].index],
            problem="self-nomination (respondent named themself)", action="dropped",
            check="self_nomination",
        ))
        ties = ties[~self_tie]

    ties = _duplicates(ties, frame["alter"], file, out)
    if respondents is not None:
        _not_responded(ties, respondents, frame, file, out)
    ties = ties.reset_index(drop=True)
    for col in ("wave", "respondent", "alter", "relation"):
        ties[col] = ties[col].astype("str")
    ties["strength"] = ties["strength"].astype("float64")
    ties["source_row"] = ties["source_row"].astype("int64")
    return ties


def _strength(frame, file, out):
    raw = frame["strength"]
    blank = raw.eq("")
    if blank.any():
        out.append(lines(
            file, frame.index[blank], severity="info", column="strength", values="",
            problem="blank strength taken as 1", action="changed", check="blank_strength",
        ))
    value = pd.to_numeric(raw.where(~blank, "1"), errors="coerce").astype("float64")
    bad = value.isna() | ~np.isfinite(value.fillna(0))
    if bad.any():
        out.append(lines(
            file, frame.index[bad], severity="error", column="strength", values=raw[bad],
            problem="strength is not a number", action="dropped",
            check="non_numeric_strength",
        ))
    neg = ~bad & value.lt(0)
    if neg.any():
        out.append(lines(
            file, frame.index[neg], severity="error", column="strength", values=raw[neg],
            problem="negative strength", action="dropped", check="negative_strength",
        ))
    zero = ~bad & value.eq(0)
    if zero.any():
        out.append(lines(
            file, frame.index[zero], severity="warning", column="strength",
            values=raw[zero],
            problem="strength 0 kept as a tie; use min_strength to exclude it",
            action="kept", check="zero_strength",
        ))
    keep = ~(bad | neg)
    return value[keep], frame[keep]


def _duplicates(ties: pd.DataFrame, raw: pd.Series, file: str, out: list) -> pd.DataFrame:
    key = ["wave", "respondent", "alter", "relation"]
    dup = ties.duplicated(key, keep="first")
    if not dup.any():
        return ties
    first = ties.groupby(key, sort=False)[["strength", "source_row"]].transform("first")
    same = ties["strength"].eq(first["strength"])
    for severity, mask, what in (
        ("warning", dup & same, "the same strength"),
        ("error", dup & ~same, "a different strength"),
    ):
        if mask.any():
            out.append(lines(
                file, ties.index[mask], severity=severity, column="alter",
                values=raw.reindex(ties.index[mask]),
                problem="duplicate nomination (same wave, respondent, alter, relation) "
                f"with {what}; the first, at row " + first["source_row"][mask].astype(str)
                + ", is kept",
                action="dropped", check="duplicate_nomination",
            ))
    return ties[~dup]


def _not_responded(ties, respondents, frame, file, out) -> None:
    pairs = pd.MultiIndex.from_frame(respondents[["wave", "person_id"]])
    mask = ~pd.MultiIndex.from_arrays([ties["wave"], ties["respondent"]]).isin(pairs)
    if mask.any():
        out.append(lines(
            file, ties.index[mask], severity="warning", column="respondent",
            values=frame["respondent"].reindex(ties.index[mask]),
            problem="tie from a person not listed as responding in wave "
            + ties["wave"][mask].map(repr) + "; kept",
            action="kept", check="tie_from_non_respondent",
        ))


def _responded_only(frame: pd.DataFrame, file: str, out: list) -> pd.DataFrame:
    """Keep the rows whose ``responded`` is true; report the others."""
    raw = frame["responded"]
    low = raw.str.strip().str.casefold()
    no, yes = low.isin(_FALSE), low.isin(_TRUE)
    if no.any():
        out.append(lines(
            file, frame.index[no], severity="info", column="responded", values=raw[no],
            problem="listed as not responding in this wave", action="dropped",
            check="not_responded",
        ))
    bad = ~(yes | no)
    if bad.any():
        out.append(lines(
            file, frame.index[bad], severity="error", column="responded",
            values=raw[bad], problem="responded is not true/false (or yes/no, 1/0); "
            "the person counts as a non-respondent", action="dropped",
            check="responded_value",
        ))
    return frame[yes]


def check_respondents(
    frame: pd.DataFrame,
    file: str,
    people: pd.DataFrame,
    out: list,
    *,
    waves: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Apply the respondents rules; return columns ``wave``, ``person_id``."""
    frame = trim(frame, ["wave", "person_id"], file, out)
    frame = _blank_required(frame, ["wave", "person_id"], file, out)
    frame = _unknown_waves(frame, waves, file, out)
    if "responded" in frame.columns:  # a list of everyone, with yes/no
        frame = _responded_only(frame, file, out)
    ids, how = resolve(frame["person_id"], people, resolver(people))
    keep = _drop_unresolved(frame, "person_id", how, file, out, "respondent", people)
    _report_names(frame[keep], "person_id", how[keep], ids[keep], file, out)
    resp = pd.DataFrame({"wave": frame["wave"], "person_id": ids}, index=frame.index)[keep]
    dup = resp.duplicated(keep="first")
    if dup.any():
        out.append(lines(
            file, resp.index[dup], severity="info", column="person_id",
            values=frame["person_id"][dup[dup].index],
            problem="respondent listed twice in the same wave", action="dropped",
            check="duplicate_respondent",
        ))
        resp = resp[~dup]
    resp = resp.assign(source_row=resp.index.to_numpy(dtype="int64")).reset_index(drop=True)
    return resp.astype({"wave": "str", "person_id": "str"})


MEMBERSHIP_COLUMNS = ("first_wave", "last_wave")


def check_membership(
    people: pd.DataFrame,
    rows: pd.Series,
    waves: Sequence[str],
    ties: pd.DataFrame,
    respondents: pd.DataFrame | None,
    files: dict[str, str],
    out: list,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """Apply the membership rules (roster ``first_wave``/``last_wave``).

    Unknown wave labels and a first wave after the last are errors (the cells
    are blanked, so the person is a member throughout); a tie or a respondent
    in a wave where the person is not a member is dropped with a warning
    (their ties there are structurally absent); joiners and leavers are listed
    as ``info`` lines, one per person and wave. ``rows`` maps person_id to
    the roster's spreadsheet row. Returns ``(people, ties, respondents)``.
    """
    present = [c for c in MEMBERSHIP_COLUMNS if c in people.columns]
    if not present:
        return people, ties, respondents
    people = people.copy()
    roster = files["roster"]
    order = {w: i for i, w in enumerate(waves)}
    pos = {}
    for col, default in zip(MEMBERSHIP_COLUMNS, (0, len(waves) - 1), strict=True):
        if col not in people.columns:
            people[col] = pd.Series(np.nan, index=people.index, dtype="str")
        values = people[col].astype("object").where(people[col].notna(), "")
        values = values.map(lambda v: str(v).strip())
        bad = values.ne("") & ~values.isin(list(waves))
        if bad.any():
            out.append(lines(
                roster, rows[bad.to_numpy()], severity="error", column=col, values=values[bad],
                problem=f"{col} is not one of the waves {list(waves)}; treated as blank "
                f"({'member from the first wave' if col == 'first_wave' else 'member to the last wave'})",
                action="changed", check="unknown_membership_wave"))
            values = values.where(~bad, "")
        people[col] = _blank_to_missing(values)
        pos[col] = values.map(lambda v, d=default: order.get(v, d)).to_numpy(dtype="int64").copy()
    reversed_ = pos["first_wave"] > pos["last_wave"]
    if reversed_.any():
        out.append(lines(
            roster, rows[reversed_], severity="error", column="first_wave",
            values=people["first_wave"][reversed_],
            problem="first_wave comes after last_wave " + people["last_wave"][reversed_].map(repr)
            + "; both treated as blank (a member in every wave)",
            action="changed", check="membership_order"))
        for col in MEMBERSHIP_COLUMNS:
            people.loc[reversed_, col] = np.nan
        pos["first_wave"][reversed_] = 0
        pos["last_wave"][reversed_] = len(waves) - 1
    first = pd.Series(pos["first_wave"], index=people.index)
    last = pd.Series(pos["last_wave"], index=people.index)

    def outside(wave: pd.Series, who: pd.Series) -> np.ndarray:
        k = wave.map(order).to_numpy(dtype="int64")
        return ((first.reindex(who).to_numpy() > k) | (last.reindex(who).to_numpy() < k))

    def span(pid: str) -> str:
        a, b = waves[first[pid]], waves[last[pid]]
        return f"a member only in wave {a!r}" if a == b else f"a member from wave {a!r} to {b!r}"

    if len(ties):
        out_r = outside(ties["wave"], ties["respondent"])
        out_a = outside(ties["wave"], ties["alter"])
        drop = out_r | out_a
        if drop.any():
            who = np.where(out_r, ties["respondent"], ties["alter"])[drop]
            out.append(lines(
                files["ties"], ties["source_row"][drop], severity="warning",
                column=None, values=pd.Series(who),
                problem=[f"tie in wave {w!r} involves {p!r}, who is not a member then "
                         f"({span(p)}); structurally absent, dropped"
                         for w, p in zip(ties["wave"][drop], who, strict=True)],
                action="dropped", check="tie_outside_membership"))
            for rec, col in zip(out[-1].index, np.where(out_r, "respondent", "alter")[drop],
                                strict=True):
                out[-1].at[rec, "column"] = col
            # a dropped row needs no "tie from a non-respondent" line as well
            gone = set(ties["source_row"][drop].tolist())
            for k, rec in enumerate(out[:-1]):
                if isinstance(rec, pd.DataFrame) and len(rec) and "check" in rec:
                    same = rec["check"].eq("tie_from_non_respondent") & rec["row"].isin(gone)
                    if same.any():
                        out[k] = rec[~same]
            ties = ties[~drop].reset_index(drop=True)
    if respondents is not None and len(respondents):
        drop = outside(respondents["wave"], respondents["person_id"])
        if drop.any():
            sub = respondents[drop]
            out.append(lines(
                files["respondents"], sub["source_row"], severity="warning",
                column="person_id", values=sub["person_id"],
                problem=[f"listed as responding in wave {w!r}, but not a member then "
                         f"({span(p)}); dropped" for w, p in
                         zip(sub["wave"], sub["person_id"], strict=True)],
                action="dropped", check="respondent_outside_membership"))
            respondents = respondents[~drop].reset_index(drop=True)
    for k, wave in enumerate(waves):
        if k == 0:
            continue
        for change, mask in (("joined", first.eq(k)), ("left", last.eq(k - 1))):
            if mask.any():
                out.append(lines(
                    roster, rows[mask.to_numpy()], severity="info",
                    column="first_wave" if change == "joined" else "last_wave",
                    values=people.index[mask.to_numpy()],
                    problem=f"{change} the group in wave {wave!r}: "
                    + ("not a member before, so no tie of theirs counts as new"
                       if change == "joined" else
                       "not a member from then on, so no tie of theirs counts as lost"),
                    action="kept", check=f"member_{change}"))
    return people, ties, respondents
