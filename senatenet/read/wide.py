"""Wide survey exports: one row per respondent, one column per roster member.

Microsoft Forms, Qualtrics (three header rows), SurveyMonkey (two header rows)
and Google Forms ("Question [Name]" grid columns) exports, or any plain table,
become the tidy ties and respondents that :func:`senatenet.read_survey` takes,
with every dropped or changed cell in the validation report. See
``docs/survey-exports.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pandas as pd

from ..errors import InputError, SurveyError
from ..validation import NO_ORGANISATION, format_problems, problems_frame
from .names import (
    ENCODING_NOTE,
    _roster_frame,
    match_names,
    match_problems,
    read_text_table,
)

if TYPE_CHECKING:
    from ..survey import Survey

__all__ = ["read_wide_survey", "wide_to_long", "WideTables", "SCALES", "excel_serial_date"]

SCALES: dict[str, dict[str, float]] = {
    "frequency": {
        "never": 0, "less than monthly": 1, "rarely": 1, "monthly": 2,
        "fortnightly": 3, "every two weeks": 3, "weekly": 4, "daily": 5,
    },
    "yesno": {"yes": 1, "no": 0, "y": 1, "n": 0, "true": 1, "false": 0},
    "tick": {"1": 1, "x": 1, "\u2713": 1, "\u2714": 1, "yes": 1, "true": 1,
             "0": 0, "no": 0, "false": 0},
}
"""Built-in label scales (labels compared after trimming and case folding).

``frequency``: Never 0 (no tie), Less than monthly / Rarely 1, Monthly 2,
Fortnightly / Every two weeks 3, Weekly 4, Daily 5. ``yesno``: Yes/Y/True 1,
No/N/False 0. ``tick``: a ticked box (1, x, ✓, ✔, Yes, True) 1; 0/No/False 0.
"""

SUMMARY_LABELS = frozenset({"total", "totals", "grand total", "sum", "count", "average", "mean"})
_METADATA = {
    "id", "start time", "completion time", "email", "name", "last modified time",
    "timestamp", "email address", "respondent id", "collector id", "start date",
    "end date", "ip address", "first name", "last name", "custom data 1",
    "startdate", "enddate", "status", "ipaddress", "progress", "duration (in seconds)",
    "finished", "recordeddate", "responseid", "recipientlastname",
    "recipientfirstname", "recipientemail", "externalreference", "locationlatitude",
    "locationlongitude", "distributionchannel", "userlanguage", "wave",
}
"""Known metadata columns of survey exports (ignored with an info line)."""
_BRACKET = re.compile(r"^(?P<q>.*?)[\s_:.\-]*\[(?P<item>[^\[\]]+)\]\s*$")
_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")
_SEP = "_:.- \t[]"


class WideTables(NamedTuple):
    """Tidy tables from a wide export (what :func:`senatenet.read_survey` takes).

    ``ties``: ``wave, respondent, alter, relation, strength, file, source_row,
    source_column``; ``respondents``: ``wave, person_id``; ``problems``: the
    validation rows (``severity, file, row, column, value, problem, action``);
    ``waves``: wave labels in order; ``roster``: the roster used (the one given,
    or the one built from the question columns when none was).
    """

    ties: pd.DataFrame
    respondents: pd.DataFrame
    problems: pd.DataFrame
    waves: tuple[str, ...]
    roster: Any = None


def excel_serial_date(value: str | float) -> str:
    """ISO date of an Excel serial day number (1900 date system).

    Day 1 is 1900-01-01 and Excel counts the non-existent 1900-02-29, so for
    serials after 60 the date is 1899-12-30 plus the serial; fractions (times
    of day) are dropped.

    References
    ----------
    .. [1] Microsoft, "Date systems in Excel" (1900 date system),
       https://support.microsoft.com/office/date-systems-in-excel

    Examples
    --------
    >>> excel_serial_date("41000")
    '2012-04-01'
    """
    days = int(math.floor(float(value)))
    return (dt.date(1899, 12, 30) + dt.timedelta(days=days)).isoformat()


def _raw_rows(source: Any, sheet: Any) -> tuple[list[list[str]], str, str | None]:
    """Rows of a file or DataFrame as text (a DataFrame's columns are row 1), the
    file label, and ``"cp1252"`` when a CSV was not UTF-8."""
    if isinstance(source, pd.DataFrame):
        frame, label = read_text_table(source)
        from .tables import to_text

        head = to_text(pd.Series(list(source.columns), dtype=object)).tolist()
        rows = [head] + frame.to_numpy().tolist()
        return rows, label, None
    frame, label = read_text_table(source, header=False, sheet=sheet)
    return frame.to_numpy().tolist(), label, frame.attrs.get("encoding")


def _detect_style(rows: list[list[str]]) -> str:
    first = {c.strip().casefold() for c in rows[0]}
    if len(rows) > 2 and any('"importid"' in c.casefold() for c in rows[2]):
        return "qualtrics"
    if len(rows) > 1 and ({"responseid", "responseset"} & {c.strip().casefold() for c in rows[1]}
                          or ({"responseid", "v1"} & first
                              and any(" - " in c for c in rows[1]))):
        return "qualtrics"  # the legacy export: two header rows, no ImportId row
    if (len(rows) > 1 and ({"_recordid", "startdate"} <= first
                           or any(re.match(r"qid\d+(_|$)", c) for c in first))
            and any(" - " in c for c in rows[1])):
        return "qualtrics"  # exported with internal ids (QID1_2) as headers: two header rows
    if {"respondent id", "collector id"} <= first:
        return "surveymonkey"
    if "start time" in first and "completion time" in first:
        return "msforms"
    if "timestamp" in first and any(_BRACKET.match(c) for c in rows[0]):
        return "googleforms"
    return "plain"


_HEADER_ROWS = {"plain": 1, "msforms": 1, "googleforms": 1, "qualtrics": 3, "surveymonkey": 2}


def _columns(rows: list[list[str]], style: str) -> list[dict]:
    """Per column: ``label`` (for messages), ``question`` and ``item`` (person text)."""
    out = []
    if style == "qualtrics":
        for top, text in zip(rows[0], rows[1], strict=True):
            question = top.split("_", 1)[0] if "_" in top else top
            item = text.rsplit(" - ", 1)[1].strip() if " - " in text else None
            out.append({"label": top, "question": question, "item": item, "header": top})
    elif style == "surveymonkey":
        question = ""
        for top, sub in zip(rows[0], rows[1], strict=True):
            question = top.strip() or question
            single = sub.strip().casefold() in {"", "response", "open-ended response"}
            item = None if single else sub.strip()
            label = f"{question} / {sub}" if sub.strip() else question
            out.append({"label": label, "question": question, "item": item,
                        "header": top if top.strip() else label})
    else:
        for head in rows[0]:
            m = _BRACKET.match(head)
            out.append({"label": head, "question": m["q"].strip() if m else None,
                        "item": m["item"].strip() if m else None, "header": head})
    return out


def _relation_for(col: dict, relation: str | Mapping[str, str]) -> tuple[str, str] | None:
    """(relation, item) of a column under a relation spec, or None."""
    if isinstance(relation, str):
        return relation, col["item"] if col["item"] is not None else col["header"].strip()
    best = None
    for key, rel in relation.items():
        k = str(key).strip().casefold()
        q = (col["question"] or "").strip().casefold()
        head = col["header"].strip()
        if q and (q == k or (q.startswith(k) and q[len(k)] in _SEP)):
            item = col["item"]
        elif head.casefold().startswith(k) and len(head) > len(k) and head[len(k)] in _SEP:
            item = col["item"] or head[len(k):].strip(_SEP) or None
        else:
            continue
        if item is not None and (best is None or len(k) > best[0]):
            best = (len(k), rel, item)
    return None if best is None else (best[1], best[2])


def _scale_for(scale: Any, relation: str) -> Mapping[str, float] | None:
    if isinstance(scale, Mapping) and scale and all(
        v is None or isinstance(v, (str, Mapping)) for v in scale.values()
    ):
        scale = scale.get(relation)
    if scale is None:
        return None
    if isinstance(scale, str):
        if scale not in SCALES:
            raise InputError(f"unknown scale {scale!r}; built-in scales: {sorted(SCALES)}")
        return SCALES[scale]
    try:
        return {str(k).strip().casefold(): float(v) for k, v in scale.items()}
    except (TypeError, ValueError) as exc:
        raise InputError(f"scale values must be numbers: {exc}") from exc


def _strength(text: str, scale: Mapping[str, float] | None) -> tuple[float | None, str | None]:
    """(strength, problem) of a non-blank cell."""
    if scale is not None:
        key = text.strip().casefold()
        if key not in scale:
            return None, f"unknown label {text!r} (scale labels: {', '.join(scale)})"
        value = float(scale[key])
    else:
        try:
            value = float(text)
        except ValueError:
            return None, f"{text!r} is not a number (pass scale= to map labels)"
    if not math.isfinite(value) or value < 0:
        return None, f"strength {text!r} is not a finite number >= 0"
    return value, None


def _resolve_respondents(values, people, *, threshold, aliases, label, rows, column):
    """person_id per respondent cell (None when not resolved) and problems."""
    emails = {}
    cols = {str(c).strip().casefold(): c for c in people.columns}
    if "email" in cols:
        for pid, mail in zip(people["person_id"], people[cols["email"]], strict=True):
            if str(mail).strip():
                emails.setdefault(str(mail).strip().casefold(), pid)
    unique = list(dict.fromkeys(values))
    resolved, need = {}, []
    for v in unique:
        if "@" in v and v.strip().casefold() in emails:
            resolved[v] = emails[v.strip().casefold()]
        else:
            need.append(v)
    matches = match_names(need, people, threshold=threshold, aliases=aliases)
    resolved.update(dict(zip(need, matches["person_id"].where(matches["status"] == "matched"),
                             strict=True)))
    by_value = dict(zip(need, range(len(need)), strict=True))
    at = [(k, row) for k, (v, row) in enumerate(zip(values, rows, strict=True))
          if v in by_value]
    per_row = matches.iloc[[by_value[values[k]] for k, _ in at]]
    probs = match_problems(per_row, file=label, column=column, rows=[r for _, r in at],
                           what="respondent", action="dropped")
    pid = [None if pd.isna(resolved.get(v)) else resolved.get(v) for v in values]
    return pid, probs


def _read_one(source, wave, *, people, respondent_column, alter_columns, relation,
              recall_columns, scale, wave_column, style, header_rows, sheet,
              threshold, aliases, excel_dates, items_only=False, choice_ids=None,
              multi_select=None):
    rows, label, encoding = _raw_rows(source, sheet)
    style = _detect_style(rows) if style == "auto" else style
    if style not in _HEADER_ROWS:
        raise InputError(f"unknown style {style!r}; one of {sorted(_HEADER_ROWS)}", file=label)
    nhead = header_rows or _HEADER_ROWS[style]
    legacy = (style == "qualtrics" and header_rows is None and len(rows) > 2
              and not any("importid" in c.casefold() for c in rows[2]))
    if legacy:
        nhead = 2
    if len(rows) < nhead:
        raise InputError(f"expected {nhead} header rows", file=label)
    cols = _columns(rows, style)
    head_row = 2 if style in ("qualtrics", "surveymonkey") else 1  # where item text is
    probs: list[pd.DataFrame] = []
    recs: list[dict] = []
    if legacy:
        recs.append({"severity": "info", "file": label, "row": 3, "column": None,
                     "value": None, "problem": "Qualtrics export with two header rows (the "
                     "legacy export, or one with internal ids as headers; row 3 holds no "
                     "ImportId): the data start at row 3", "action": "kept",
                     "check": "qualtrics_legacy"})

    def note(check, severity, problem, action, row=None, column=None, value=None):
        recs.append({"severity": severity, "file": label, "row": row, "column": column,
                     "value": value, "problem": problem, "action": action,
                     "check": check})

    def find(name: str, what: str) -> int:
        key = name.strip().casefold()
        hits = [j for j, c in enumerate(cols)
                if key in {c["label"].strip().casefold(), c["header"].strip().casefold()}]
        if not hits:
            from rapidfuzz import fuzz, process

            near = process.extractOne(name, [c["label"] for c in cols],
                                      scorer=fuzz.WRatio, score_cutoff=70)
            hint = f" (did you mean {near[0]!r}? was it renamed?)" if near else ""
            raise InputError(f"no {what} column {name!r}{hint}", file=label, column=name)
        return hits[0]

    if encoding:
        note("encoding", "warning", ENCODING_NOTE, "changed")
    resp_j = find(respondent_column, "respondent")
    wave_j = find(wave_column, "wave") if wave_column else None
    skip = {resp_j} | ({wave_j} if wave_j is not None else set())
    recall_spec = (dict(recall_columns) if isinstance(recall_columns, Mapping)
                   else dict.fromkeys(recall_columns or []))
    recall_js = {find(str(c), "recall"): rel for c, rel in recall_spec.items()}
    skip |= set(recall_js)

    # which columns hold which person and relation
    explicit: dict[int, str | None] = {}
    if alter_columns is not None:
        pairs = alter_columns.items() if isinstance(alter_columns, Mapping) else (
            (c, None) for c in alter_columns)
        known = None if people is None else set(people["person_id"])
        for name, pid in pairs:
            j = find(str(name), "alter")
            if pid is not None and known is not None and str(pid) not in known:
                raise InputError(f"person_id {pid!r} is not in the roster", file=label,
                                 column=str(name))
            explicit[j] = None if pid is None else str(pid)
    candidates = []  # (j, relation, item)
    restrict = set(explicit) if explicit else None
    for j, col in enumerate(cols):
        if j in skip or (restrict is not None and j not in restrict):
            continue
        found = _relation_for(col, relation)
        blank_item = (style == "qualtrics" and len(rows) > 1 and j < len(rows[1])
                      and rows[1][j].rstrip().endswith("-") and not col["item"])
        if blank_item and isinstance(relation, Mapping):
            q = rows[1][j].rstrip().rstrip("-").strip().casefold()
            rel_name = next((r for k, r in relation.items()
                             if str(k).strip().casefold() in (q, col["question"].casefold())),
                            None)
        else:
            rel_name = relation if isinstance(relation, str) else None
        if blank_item and rel_name is not None:
            import_id = ""
            if not legacy and len(rows) > 2 and j < len(rows[2]):
                m_id = re.search(r'"importid"\s*:\s*"([^"]+)"', rows[2][j], re.I)
                import_id = m_id.group(1) if m_id else ""
            given = dict(choice_ids or {})
            pid = given.get(col["header"].strip()) or given.get(import_id)
            if pid is not None:
                explicit[j] = str(pid)
                candidates.append((j, rel_name, str(pid)))
                note("blank_statement_mapped", "info", f"column {col['label']!r} has no "
                     f"statement text; mapped to {pid!r} by choice_ids", "changed",
                     row=head_row, column=col["label"], value=import_id or None)
                continue
            count = sum(1 for r in rows[nhead:] if j < len(r) and r[j].strip())
            note("blank_statement", "warning" if count else "info",
                 f"column {col['label']!r} ({import_id or 'no ImportId'}) has no statement "
                 f"text, so it does not say who was nominated: {count} nomination(s) not "
                 "read. Map it with choice_ids={" + repr(col['header'].strip()) +
                 ": person_id} (or the ImportId, or an instrument codebook's choice ids)",
                 "ignored", row=head_row, column=col["label"], value=import_id or None)
            continue
        if found is None or not found[1]:
            if col["header"].strip():
                note("not_question_column", "info", f"column {col['label']!r} is not a question column: ignored",
                     "ignored", row=1, column=col["label"])
            elif any(r[j].strip() for r in rows[nhead:] if j < len(r)):
                note("column_ignored", "warning", f"column {j + 1} has data but no header; "
                     "ignored", "ignored", row=1, column=f"(column {j + 1})")
            continue
        candidates.append((j, found[0], found[1]))
    if not candidates and not recall_js:
        heads = ", ".join(repr(c["label"]) for c in cols[:6])
        raise InputError(f"no column belongs to the questions {relation!r}; headers "
                         f"start {heads}", file=label)
    if items_only:  # no roster: people are question items and bare columns named like
        # a respondent (a recognised person); any other column is reported, not a person
        who = [r[resp_j].strip() for r in rows[nhead:] if resp_j < len(r)]
        named = {w.casefold() for w in who if w and w.casefold() not in SUMMARY_LABELS}
        items = []
        for j, _, item in candidates:
            if explicit.get(j) or cols[j]["item"] is not None:
                items.append(explicit.get(j) or item)
            elif cols[j]["header"].strip().casefold() in named:
                items.append(item)
            else:
                count = sum(1 for r in rows[nhead:] if j < len(r) and r[j].strip())
                note("metadata_column", "warning" if count else "info",
                     f"column {cols[j]['label']!r} is not a respondent's name nor a question "
                     f"item, so not made a person ({count} non-blank cells ignored); give a "
                     "roster or alter_columns= if it is a person column", "ignored", row=1,
                     column=cols[j]["label"], value=cols[j]["header"])
        return items, problems_frame(recs)
    pending = [(j, rel, item) for j, rel, item in candidates if explicit.get(j) is None]
    matches = match_names([item for _, _, item in pending], people,
                          threshold=threshold, aliases=aliases)
    mapped: dict[int, tuple[str, str]] = {
        j: (rel, explicit[j]) for j, rel, _ in candidates if explicit.get(j) is not None
    }
    used: list[int] = []
    for k, ((j, rel, _item), m) in enumerate(
            zip(pending, matches.to_dict("records"), strict=True)):
        col = cols[j]
        bare = (isinstance(relation, str) and col["item"] is None and alter_columns is None)
        if bare and m["status"] == "unmatched":
            meta = col["header"].strip().casefold() in _METADATA
            note("column_ignored", "info" if meta else "warning",
                 f"column {col['label']!r} is not a roster member: ignored"
                 + ("" if meta else " (check it is not a renamed person column)"),
                 "ignored", row=1, column=col["label"], value=col["header"])
            continue
        used.append(k)
        if m["status"] == "matched":
            mapped[j] = (rel, m["person_id"])
    probs.append(match_problems(matches.iloc[used], file=label,
                                column=[cols[pending[k][0]]["label"] for k in used],
                                rows=[head_row] * len(used), what="column header"))
    # two columns for one person in one question: keep the first
    seen: dict[tuple[str, str], int] = {}
    for j in sorted(mapped):
        key = mapped[j]
        if key in seen:
            note("duplicate_column", "error", f"columns {cols[seen[key]]['label']!r} and {cols[j]['label']!r} "
                 f"both map to {key[1]} for relation {key[0]!r}; the first is kept",
                 "dropped", row=head_row, column=cols[j]["label"], value=cols[j]["header"])
            del mapped[j]
        else:
            seen[key] = j
    ids = people["person_id"].tolist()
    for rel in dict.fromkeys(r for r, _ in mapped.values()):
        have = {pid for r, pid in mapped.values() if r == rel}
        missing = [p for p in ids if p not in have]
        if missing and len(have) > 0:
            note("missing_person_column", "warning", f"no column for {len(missing)} roster people in relation "
                 f"{rel!r}: {', '.join(missing)} (they cannot be nominated)", "kept",
                 value=", ".join(missing))

    # data rows
    data = rows[nhead:]
    first_row = nhead + 1
    keep_rows, resp_vals, resp_rows = [], [], []
    for k, cells in enumerate(data):
        row = first_row + k
        if not any(c.strip() for c in cells):
            note("blank_row", "info", "blank row", "dropped", row=row)
            continue
        who = cells[resp_j].strip()
        if who.casefold() in SUMMARY_LABELS:
            note("summary_row", "warning", f"summary row {who!r}, not a respondent", "dropped", row=row,
                 column=cols[resp_j]["label"], value=who)
            continue
        if not who:
            note("blank_respondent", "error", "no respondent on this row", "dropped", row=row,
                 column=cols[resp_j]["label"])
            continue
        if who != cells[resp_j]:
            note("whitespace_trimmed", "info", "white space trimmed around the respondent", "changed", row=row,
                 column=cols[resp_j]["label"], value=cells[resp_j])
        keep_rows.append(k)
        resp_vals.append(who)
        resp_rows.append(row)
    pids, rprobs = _resolve_respondents(resp_vals, people, threshold=threshold,
                                        aliases=aliases, label=label, rows=resp_rows,
                                        column=cols[resp_j]["label"])
    probs.append(rprobs)
    # waves per row
    wave_of: dict[int, str] = {}
    converted: dict[str, list[int]] = {}
    for k, row in zip(keep_rows, resp_rows, strict=True):
        if wave_j is None:
            wave_of[k] = wave
            continue
        raw = data[k][wave_j].strip()
        if not raw:
            note("blank_wave", "error", "no wave on this row", "dropped", row=row,
                 column=cols[wave_j]["label"])
            continue
        if excel_dates and _SERIAL.match(raw) and 20000 <= float(raw) <= 80000:
            converted.setdefault(raw, []).append(row)
            raw = excel_serial_date(raw)
        wave_of[k] = raw
    for raw, where in converted.items():
        note("excel_serial_date", "warning", f"Excel serial date {raw} read as wave {excel_serial_date(raw)!r} "
             f"on {len(where)} rows (rows {', '.join(map(str, where))})", "changed",
             column=cols[wave_j]["label"], value=raw)
    # duplicate submissions: the later row wins
    last: dict[tuple[str, str], int] = {}
    for k, pid in zip(keep_rows, pids, strict=True):
        if pid is not None and k in wave_of:
            last[(wave_of[k], pid)] = k
    ties, resp = [], []
    multi = ({str(k).strip().casefold(): (None if v is None else str(v))
              for k, v in multi_select.items()} if multi_select else {})
    scales = {} if multi else {rel: _scale_for(scale, rel) for rel, _ in mapped.values()}
    rel_of_recall = {}
    for j, given in recall_js.items():
        rel = given or (relation if isinstance(relation, str) else None)
        if rel is None:
            found = _relation_for(cols[j], relation)
            rel = found[0] if found else None
        if rel is None:
            raise InputError("recall column needs a relation: give recall_columns as "
                             "{column: relation}", file=label, column=cols[j]["label"])
        rel_of_recall[j] = rel
    recall_cells = []
    for k, pid, row in zip(keep_rows, pids, resp_rows, strict=True):
        if pid is None or k not in wave_of:
            continue
        w = wave_of[k]
        if last[(w, pid)] != k:
            note("duplicate_response", "warning", f"{pid} answered again on row {first_row + last[(w, pid)]} "
                 f"(wave {w!r}); the later answer is kept", "dropped", row=row,
                 column=cols[resp_j]["label"], value=data[k][resp_j])
            continue
        resp.append({"wave": w, "person_id": pid})
        for j, (rel, alter) in mapped.items():
            text = data[k][j].strip()
            if not text:
                continue
            if multi:  # "Advice,Support": one tie per chosen option's relation
                for option in (o.strip() for o in re.split(r"[,;]", text)):
                    if not option:
                        continue
                    if option.casefold() not in multi:
                        note("multi_select_option", "error", f"option {option!r} is not in "
                             f"multi_select ({', '.join(map(repr, multi_select))})",
                             "dropped", row=row, column=cols[j]["label"], value=data[k][j])
                    elif alter == pid:
                        note("self_nomination", "warning", "self-nomination", "dropped",
                             row=row, column=cols[j]["label"], value=data[k][j])
                    elif multi[option.casefold()] is not None:
                        ties.append({"wave": w, "respondent": pid, "alter": alter,
                                     "relation": multi[option.casefold()], "strength": 1.0,
                                     "file": label, "source_row": row,
                                     "source_column": cols[j]["label"]})
                continue
            value, problem = _strength(text, scales[rel])
            if problem:
                note("strength_label", "error", problem, "dropped", row=row, column=cols[j]["label"],
                     value=data[k][j])
                continue
            if value == 0:
                continue
            if alter == pid:
                note("self_nomination", "warning", "self-nomination", "dropped", row=row,
                     column=cols[j]["label"], value=data[k][j])
                continue
            ties.append({"wave": w, "respondent": pid, "alter": alter, "relation": rel,
                         "strength": value, "file": label, "source_row": row,
                         "source_column": cols[j]["label"]})
        for j, rel in rel_of_recall.items():
            for name in re.split(r"[;\n]", data[k][j]):
                if name.strip():
                    recall_cells.append((w, pid, rel, name.strip(), row, j))
    if recall_cells:
        rm = match_names([c[3] for c in recall_cells], people, threshold=threshold,
                         aliases=aliases)
        probs.append(match_problems(rm, file=label,
                                    column=[cols[c[5]]["label"] for c in recall_cells],
                                    rows=[c[4] for c in recall_cells]))
        for (w, pid, rel, name, row, j), m in zip(recall_cells, rm.to_dict("records"),
                                                  strict=True):
            if m["status"] != "matched":
                continue
            if m["person_id"] == pid:
                note("self_nomination", "warning", "self-nomination", "dropped", row=row,
                     column=cols[j]["label"], value=name)
                continue
            ties.append({"wave": w, "respondent": pid, "alter": m["person_id"],
                         "relation": rel, "strength": 1.0, "file": label,
                         "source_row": row, "source_column": cols[j]["label"]})
    ties_df = pd.DataFrame(ties, columns=["wave", "respondent", "alter", "relation",
                                          "strength", "file", "source_row",
                                          "source_column"]).astype({"strength": float})
    key = ["wave", "respondent", "alter", "relation"]
    dup = ties_df.duplicated(key)
    if dup.any():  # a name recalled twice, or recalled and also ticked in a column
        first = ties_df.groupby(key, sort=False)["strength"].transform("first")
        for rec, same in zip(ties_df[dup].to_dict("records"),
                             (ties_df["strength"] == first)[dup], strict=True):
            note("duplicate_nomination", "warning" if same else "error",
                 f"{rec['respondent']} named {rec['alter']} twice for {rec['relation']!r}"
                 f"{'' if same else ' with a different strength'}; the first is kept",
                 "dropped", row=rec["source_row"], column=rec["source_column"])
        ties_df = ties_df[~dup]
    probs.insert(0, problems_frame(recs))
    report = problems_frame(probs)
    report = report.iloc[report["row"].fillna(0).astype(int).argsort(kind="stable")]
    probs = [report.reset_index(drop=True)]
    return ties_df, pd.DataFrame(resp, columns=["wave", "person_id"]), probs


def wide_to_long(
    data: Any,
    *,
    roster: Any = None,
    respondent_column: str,
    alter_columns: Sequence[str] | Mapping[str, str] | None = None,
    relation: str | Mapping[str, str] = "knows",
    recall_columns: Sequence[str] | Mapping[str, str] | None = None,
    scale: str | Mapping[str, Any] | None = None,
    wave: str | None = None,
    wave_column: str | None = None,
    style: str = "auto",
    header_rows: int | None = None,
    sheet: str | int | None = None,
    threshold: float = 90.0,
    aliases: Any = None,
    excel_dates: bool = True,
    choice_ids: Mapping[str, str] | None = None,
    multi_select: Mapping[str, str | None] | None = None,
) -> WideTables:
    """Turn a wide survey export into tidy ties and respondents tables.

    Parameters are those of :func:`read_wide_survey` (except ``strict``).

    Returns
    -------
    WideTables
        ``ties``, ``respondents``, ``problems`` (validation rows) and ``waves``.

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994). *Social Network Analysis*.
       Cambridge University Press, ch. 2 (roster and free-recall name
       generators, valued relations).

    Examples
    --------
    >>> roster = pd.DataFrame({"person_id": ["001", "002"], "name": ["Ann Lee", "Bo Chan"],
    ...                        "organisation": ["A", "B"]})
    >>> export = pd.DataFrame({"Name": ["Ann Lee", "Bo Chan"],
    ...                        "Q3_[Ann Lee]": ["", "Weekly"], "Q3_[Bo Chan]": ["Daily", ""]})
    >>> t = wide_to_long(export, roster=roster, respondent_column="Name",
    ...                  relation={"Q3": "advice"}, scale="frequency", wave="pre")
    >>> t.ties[["wave", "respondent", "alter", "relation", "strength"]]
      wave respondent alter relation  strength
    0  pre        001   002   advice       5.0
    1  pre        002   001   advice       4.0
    """
    options = dict(respondent_column=respondent_column, alter_columns=alter_columns,
                   relation=relation, recall_columns=recall_columns, scale=scale,
                   wave_column=wave_column, style=style, header_rows=header_rows,
                   sheet=sheet, threshold=threshold, aliases=aliases,
                   excel_dates=excel_dates, choice_ids=choice_ids,
                   multi_select=multi_select)
    if isinstance(scale, Mapping) and scale and all(
            v is None or isinstance(v, (str, Mapping)) for v in scale.values()):
        rels = {relation} if isinstance(relation, str) else set(relation.values())
        if isinstance(recall_columns, Mapping):
            rels |= set(recall_columns.values())
        unknown = sorted(set(scale) - rels)
        if unknown:
            raise InputError(f"scale= names scales per relation, but {unknown} are not "
                             f"relations (relations: {sorted(rels)})")
    if isinstance(data, Mapping):
        if wave is not None or wave_column is not None:
            raise InputError("give waves either as the keys of a dict or as wave=/wave_column=")
        sources = [(str(w), src) for w, src in data.items()]
    else:
        if wave is None and wave_column is None:
            raise InputError("give wave= (the wave label) or wave_column=")
        sources = [(None if wave is None else str(wave), data)]
    all_ties, all_resp, all_probs, order = [], [], [], []
    if roster is None:
        items = []
        for w, src in sources:
            found, notes = _read_one(src, w, people=None, items_only=True, **options)
            items += found
            all_probs.append(notes)
        items = list(dict.fromkeys(i.strip() for i in items if i.strip()))
        roster = pd.DataFrame({"person_id": items, "name": items,
                               "organisation": NO_ORGANISATION})
        all_probs.append(problems_frame([{
            "severity": "info", "problem": f"no roster: the {len(items)} people are the "
            f"question items and columns named like respondents, organisation "
            f"{NO_ORGANISATION!r}", "action": "inferred",
            "check": "no_roster"}]))
    people = _roster_frame(_read_roster(roster))
    for w, src in sources:
        ties, resp, probs = _read_one(src, w, people=people, **options)
        all_ties.append(ties)
        all_resp.append(resp)
        all_probs.extend(probs)
        order.extend([w] if w is not None else resp["wave"].tolist())
    ties = pd.concat(all_ties, ignore_index=True)
    problems = problems_frame(all_probs)
    return WideTables(ties, pd.concat(all_resp, ignore_index=True), problems,
                      tuple(dict.fromkeys(order)), roster)


def _read_roster(roster: Any) -> Any:
    """Roster as a DataFrame (a path is read as text)."""
    if isinstance(roster, (str, Path)):
        return read_text_table(roster)[0]
    return roster


def _sha256(source: Any) -> str | None:
    if isinstance(source, (str, Path)) and Path(source).is_file():
        return hashlib.sha256(Path(source).read_bytes()).hexdigest()
    return None


def _point_at_files(report: pd.DataFrame, ties: pd.DataFrame, roster: Any) -> pd.DataFrame:
    """read_survey's lines about the internal tables, pointed at the reader's files."""
    if len(report) == 0:
        return report
    report = report.copy()
    files = list(pd.unique(ties["file"].dropna())) if "file" in ties.columns else []
    internal = report["file"] == "<ties DataFrame>"
    if files and "source_row" in ties.columns:
        for i in report.index[internal]:
            row = report.at[i, "row"]
            if pd.notna(row) and 2 <= int(row) < len(ties) + 2:
                rec = ties.iloc[int(row) - 2]
                report.at[i, "file"] = rec["file"]
                report.at[i, "row"] = rec["source_row"] if pd.notna(rec["source_row"]) \
                    else pd.NA
    if len(files) == 1:  # file-level lines, and respondents derived from that file
        rest = report["file"].isin(["<ties DataFrame>", "<respondents DataFrame>"])
        report.loc[rest, "row"] = pd.NA
        report.loc[rest, "file"] = files[0]
    if isinstance(roster, (str, Path)):
        report.loc[report["file"] == "<roster DataFrame>", "file"] = Path(roster).name
    return report


def build_survey(
    roster: Any,
    ties: pd.DataFrame,
    respondents: pd.DataFrame,
    problems: pd.DataFrame,
    *,
    waves: Sequence[str] | None = None,
    strict: bool = False,
    sources: Mapping[str, Any] | None = None,
) -> Survey:
    """A :class:`Survey` from a reader's tidy tables, its problems first in the report.

    ``roster`` is validated by :func:`senatenet.read_survey`; the reader's
    ``problems`` come first in ``Survey.validation``, then read_survey's own
    lines. ``ties`` may carry ``source_row``: the Survey's ``source_row`` then
    points at the row of the original file. ``sources`` (name -> path or
    DataFrame) replace the ``ties`` and ``respondents`` entries of
    ``Survey.sources`` and add sha256 hashes of files. ``strict=True`` raises
    :class:`SurveyError` when the combined report has an error; so does a file
    from which no nomination could be read (the report is in ``problems``).

    Strengths stay numbers: read_survey validates the rows (membership,
    duplicates, people), and each kept tie then takes the reader's own value,
    never one parsed back from text; identifiers stay text. Lines that
    read_survey writes about its internal tables (``<ties DataFrame>``) point
    at the reader's file and row (``ties.file``, ``ties.source_row``), and
    lines about a roster read from a path name that file.
    """
    from ..validation import raise_for_errors
    from .long import read_survey

    if len(ties) == 0:
        raise SurveyError(
            "no nomination could be read:\n" + format_problems(problems),
            problems=problems.copy(),
        )
    core = ties[["wave", "respondent", "alter", "relation", "strength"]].copy()
    core["strength"] = core["strength"].map(lambda v: f"{v:.17g}")
    resp = respondents if len(respondents) else None
    survey = read_survey(roster, core, respondents=resp, waves=waves, strict=False)
    report = problems_frame([problems, _point_at_files(survey.validation, ties, roster)])
    changes: dict[str, Any] = {"validation": report}
    key = ["wave", "respondent", "alter", "relation"]
    # the first of repeated ties is the one kept, as read_survey keeps it
    typed = [c for c in ("strength", "source_row") if c in ties.columns]
    where = ties[key + typed].copy()
    for col in key:  # as read_survey trims them
        where[col] = where[col].astype(str).str.strip()
    where = where.drop_duplicates(key).rename(columns={"strength": "_typed_strength"})
    merged = survey.ties.drop(columns=["source_row"] if "source_row" in typed else [])
    merged = merged.merge(where, on=key, how="left", validate="many_to_one")
    merged.index = survey.ties.index
    # every kept tie came from ties; should a key ever differ, read_survey's value
    # (written with 17 significant digits, so the same number) is kept
    merged["strength"] = merged.pop("_typed_strength").fillna(merged["strength"]).astype(
        "float64")
    changes["ties"] = merged[list(survey.ties.columns)]
    if sources:
        new_sources = {k: v for k, v in survey.sources.items()
                       if k not in ("ties", "respondents")}
        new_sources.update({k: str(v) if isinstance(v, (str, Path)) else "<DataFrame>"
                            for k, v in sources.items()})
        hashes = {k: v for k, v in survey.hashes.items() if k in new_sources}
        hashes.update({k: h for k, v in sources.items() if (h := _sha256(v))})
        changes.update(sources=new_sources, hashes=hashes)
    survey = survey.replace(**changes)
    if strict:
        raise_for_errors(report)
    return survey


def read_wide_survey(
    data: Any,
    *,
    roster: Any = None,
    respondent_column: str,
    alter_columns: Sequence[str] | Mapping[str, str] | None = None,
    relation: str | Mapping[str, str] = "knows",
    recall_columns: Sequence[str] | Mapping[str, str] | None = None,
    scale: str | Mapping[str, Any] | None = None,
    wave: str | None = None,
    wave_column: str | None = None,
    waves: Sequence[str] | None = None,
    style: str = "auto",
    header_rows: int | None = None,
    sheet: str | int | None = None,
    threshold: float = 90.0,
    aliases: Any = None,
    excel_dates: bool = True,
    choice_ids: Mapping[str, str] | None = None,
    multi_select: Mapping[str, str | None] | None = None,
    strict: bool = False,
) -> Survey:
    """Read a wide (one row per respondent) survey export into a validated Survey.

    Parameters
    ----------
    data : path, DataFrame or dict
        The export (CSV/XLSX path or DataFrame whose columns are header row 1),
        or ``{wave: export}`` for one export per wave.
    roster : path or DataFrame, optional
        The roster (see ``docs/data-format.md``); column headers and respondents
        are matched to its ``person_id``, ``name`` and optional ``email``. Without
        a roster the people are the question columns' items (bracketed or
        multi-row items, or every non-metadata column for a single question),
        in organisation ``"(no organisation)"``, and respondents are matched to
        them by name.
    respondent_column : str
        Header of the column naming the respondent (id, name or e-mail).
    alter_columns : list or dict, optional
        Only these columns hold nominations; a dict maps each header to a
        person_id and skips name matching. Default: every column that is a
        question column (see ``relation``).
    relation : str or dict, default "knows"
        A str: one question; every column whose header (or ``[bracketed]`` item)
        matches a roster person is a nomination of this relation, other columns
        are ignored and reported. A dict maps a question prefix to a relation,
        e.g. ``{"Q3": "advice", "Q4": "knows"}``: a column belongs to a question
        when its question part equals the prefix or its header starts with the
        prefix followed by ``_ : . -``, space or ``[`` (so ``"Q3"`` does not take
        ``"Q30_..."``); the rest of the header names the person.
    recall_columns : list of str or dict, optional
        Free-recall columns: each cell holds typed names (several separated by
        ``;`` or new lines), matched with :func:`senatenet.match_names`; each
        matched name is a tie of strength 1. A dict maps each column to its
        relation; with a list, ``relation`` (a str) is used. Names not matched
        are reported (row, column, candidates) and not used.
    scale : str or dict, optional
        ``None``: cells are numbers (0 = no tie). A name in :data:`SCALES`
        (e.g. ``"frequency"``: Never 0 ... Daily 5) or a ``{label: number}``
        dict (labels compared trimmed and case-folded). A dict of
        ``{relation: scale}`` sets one per relation. A label outside the scale is
        an error (the cell is dropped), never a guess.
    wave, wave_column : str, optional
        The wave label of the whole export, or the column holding it per row.
        Wave values that are Excel serial dates (5-digit numbers 20000-80000)
        become ISO dates, e.g. 41000 -> ``"2012-04-01"`` (reported as a change;
        ``excel_dates=False`` keeps them).
    waves : sequence of str, optional
        Wave order (default: order of appearance).
    style : str, default "auto"
        ``"plain"``, ``"msforms"``, ``"googleforms"``, ``"qualtrics"`` (three
        header rows: ids, question text ending ``" - Person"``, ImportId) or
        ``"surveymonkey"`` (question row, then item row); ``"auto"`` detects it.
    header_rows : int, optional
        Override the number of header rows of the style.
    sheet : str or int, optional
        XLSX sheet (default the first).
    threshold : float, default 90
        Fuzzy-matching threshold for headers and respondents, see
        :func:`senatenet.match_names`.
    aliases : path, DataFrame or dict, optional
        Confirmed ``name -> person_id`` pairs.
    excel_dates : bool, default True
        Convert Excel serial dates in ``wave_column``.
    choice_ids : mapping, optional
        Qualtrics columns whose statement text exported blank (``Friends - ``)
        do not say who was nominated: map each column header or ImportId
        choice id (``"QID1_5"``, from an instrument codebook) to a person_id.
        Unmapped, such a column is never ignored quietly: a warning counts the
        nominations it holds. The older Qualtrics export with two header rows
        (no ImportId row) is detected by its content and reported.
    multi_select : mapping, optional
        Cells listing several options (``"Advice,Support"``): option -> relation
        (``{"Advice": "advice", "Support": "support"}``), so one call reads
        every relation; each chosen option is a tie of strength 1. An option
        not in the mapping is reported (mapped to None: ignored on purpose).
    strict : bool, default False
        Raise :class:`senatenet.SurveyError` when the report has any error.

    Returns
    -------
    Survey
        Respondents are the people with a kept row in each wave (even with no
        nominations). Blank cells and 0 are no tie. Blank rows (info) and
        summary rows such as "Total" (warning) are dropped; rows whose
        respondent matches no one, duplicate submissions (the later row is
        kept), unknown labels and self-nominations are reported and dropped.
        ``ties.source_row`` is the export's spreadsheet row.

    Raises
    ------
    InputError
        Unusable input: missing file or column, unknown style or scale, no
        column belonging to the questions.
    SurveyError
        With ``strict=True`` when the report has an error, or when no
        nomination at all could be read (``problems`` holds the report).

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994). *Social Network Analysis*.
       Cambridge University Press, ch. 2.
    .. [2] Marsden, P. V. (2005). Recent developments in network measurement.
       In *Models and Methods in Social Network Analysis*, 8-30.

    Examples
    --------
    >>> roster = pd.DataFrame({"person_id": ["001", "002"], "name": ["Ann Lee", "Bo Chan"],
    ...                        "organisation": ["A", "B"]})
    >>> export = pd.DataFrame({"Name": ["Ann Lee", "Bo Chan", "Total"],
    ...                        "Ann Lee": ["", "Weekly", "1"], "Bo Chan": ["Daily", "", "1"]})
    >>> s = read_wide_survey(export, roster=roster, respondent_column="Name",
    ...                      relation="advice", scale="frequency", wave="pre")
    >>> len(s.ties), s.waves
    (2, ('pre',))
    """
    tables = wide_to_long(
        data, roster=roster, respondent_column=respondent_column,
        alter_columns=alter_columns, relation=relation, recall_columns=recall_columns,
        scale=scale, wave=wave, wave_column=wave_column, style=style,
        header_rows=header_rows, sheet=sheet, threshold=threshold, aliases=aliases,
        excel_dates=excel_dates, choice_ids=choice_ids, multi_select=multi_select)
    sources = {"roster": roster}
    if isinstance(data, Mapping):
        sources.update({f"export[{w}]": src for w, src in data.items()})
    else:
        sources["export"] = data
    if roster is None:
        del sources["roster"]
    survey = build_survey(tables.roster, tables.ties, tables.respondents, tables.problems,
                          waves=waves or tables.waves, strict=strict, sources=sources)
    if roster is None:  # the roster was built here, not read from anywhere
        survey = survey.replace(sources={k: v for k, v in survey.sources.items()
                                         if k != "roster"})
    return survey
