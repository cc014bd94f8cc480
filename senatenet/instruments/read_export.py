"""``read_survey_export``: a survey tool's export of an instrument into a Survey.

The codebook (``instrument.json``) says what every column of every tool's export
of the instrument is called and what every answer code and label means, so
nothing is typed by hand: no column patterns, no scales. The export's tool is
recognised from its header rows; every column and cell that cannot be mapped is
a line in the validation report.
"""

from __future__ import annotations

import html
import json
import re
from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError, SurveyError
from ..validation import NO_ORGANISATION, format_problems, problems_frame
from . import html_form, limesurvey, msforms, qualtrics, redcap
from .instrument import _roster, load_codebook, make_instrument, roster_sha256

__all__ = ["read_survey_export", "export_to_long"]
_ = make_instrument  # used by the doctests

_SCHEMES = (  # (tool, header style, matched by exact key or by label in order)
    ("redcap", "raw", "key"), ("redcap", "label", "label"),
    ("limesurvey", "code", "key"), ("limesurvey", "full", "label"),
    ("qualtrics", "tag", "key"), ("msforms", "label", "label"),
)
_DEDUP = re.compile(r"^(.*)\.(\d+)$")
_NAMES = {"redcap": "REDCap", "qualtrics": "Qualtrics", "limesurvey": "LimeSurvey",
          "msforms": "Microsoft Forms", "html": "HTML questionnaire"}


def _norm(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


def _headers(book: dict) -> dict[tuple[str, str], list[tuple[str, Any]]]:
    out = {}
    for tool, module in (("redcap", redcap), ("qualtrics", qualtrics),
                         ("limesurvey", limesurvey), ("msforms", msforms)):
        for style, pairs in module.export_headers(book).items():
            out[(tool, style)] = pairs
    return out


def _match(heads: list[str], pairs: list[tuple[str, Any]], how: str) -> dict[int, Any]:
    """Column index -> target for one header style."""
    if how == "key":
        keys = {_norm(h): t for h, t in pairs}
        return {j: keys[_norm(h)] for j, h in enumerate(heads) if _norm(h) in keys}
    queues: dict[str, deque] = {}
    for h, t in pairs:
        queues.setdefault(_norm(h), deque()).append(t)
    out = {}
    for j, h in enumerate(heads):
        q = queues.get(_norm(h))
        if not q and (m := _DEDUP.match(h)):  # "Ann.1": pandas' name for a repeat
            q = queues.get(_norm(m[1]))
        if q:
            out[j] = q.popleft()
    return out


def _raw_rows(source: Any) -> tuple[list[list[str]], str]:
    from ..read.names import read_text_table
    from ..read.tables import to_text

    if isinstance(source, pd.DataFrame):
        frame, label = read_text_table(source)
        head = to_text(pd.Series(list(source.columns), dtype=object)).tolist()
        return [head] + frame.to_numpy().tolist(), label
    frame, label = read_text_table(source, header=False)
    return frame.to_numpy().tolist(), label


def _import_ids(row: list[str]) -> list[str] | None:
    ids = []
    found = False
    for cell in row:
        try:
            obj = json.loads(cell) if cell.strip().startswith("{") else None
        except ValueError:
            obj = None
        if isinstance(obj, dict) and "ImportId" in obj:
            ids.append(str(obj["ImportId"]))
            found = True
        else:
            ids.append(cell)
    return ids if found else None


def _files(export: Any) -> list[Any]:
    if isinstance(export, (list, tuple)):
        return [f for e in export for f in _files(e)]
    if isinstance(export, (str, Path)) and Path(export).is_dir():
        found = sorted(p for p in Path(export).iterdir()
                       if p.suffix.casefold() in {".csv", ".xlsx", ".xlsm", ".txt"})
        if not found:
            raise InputError("no CSV or XLSX file in this folder", file=str(export))
        return found
    return [export]


class _Reader:
    def __init__(self, book: dict, wave: str):
        self.book = book
        self.wave = wave
        self.recs: list[dict] = []
        self.ties: list[dict] = []
        self.resp: dict[str, tuple[int, str, str]] = {}  # pid -> (order, file, row)
        self.order = 0
        self.people = {p["person_id"]: p for p in book["people"]}
        pts = book["scale"]["points"]
        self.codes = {p["code"]: float(p["value"]) for p in pts}
        self.labels = {_norm(p["label"]): float(p["value"]) for p in pts}
        self.headers = _headers(book)
        self._codes: dict[str, dict[str, str]] = {}
        self._by_label: dict[str, set[str]] = {}
        for p in book["people"]:
            for shown in (p["label"], html.unescape(redcap._text(p["label"]))):
                self._by_label.setdefault(_norm(shown), set()).add(p["person_id"])

    def note(self, check, severity, problem, action, file, row=None, column=None,
             value=None):
        self.recs.append({"severity": severity, "file": file, "row": row, "column": column,
                          "value": value, "problem": problem, "action": action,
                          "check": check})

    # -- respondent codes per tool
    def who(self, tool: str, text: str) -> str | None:
        """Person id of a respondent-question answer (the tool's code or the label)."""
        key = {"redcap": "redcap_choice", "qualtrics": "qualtrics_choice",
               "limesurvey": "limesurvey_code", "msforms": None, "html": "code"}[tool]
        t = text.strip()
        if key is not None:
            if key not in self._codes:
                self._codes[key] = {p[key]: p["person_id"] for p in self.book["people"]}
            if t in self._codes[key]:
                return self._codes[key][t]
        hits = self._by_label.get(_norm(t), set())
        return next(iter(hits)) if len(hits) == 1 else None

    def add_response(self, pid, file, row, column, value):
        """Record a respondent; a later answer of the same person replaces the earlier."""
        if pid in self.resp:
            _, f0, r0 = self.resp[pid]
            self.note("duplicate_response", "warning",
                      f"{pid} answered again in {file} row {row}; the later answer is kept",
                      "dropped", f0, row=r0, column=column, value=value)
            self.ties = [t for t in self.ties if t["respondent"] != pid]
        self.order += 1
        self.resp[pid] = (self.order, file, row)

    def tie(self, pid, rel, alter, text, file, row, column, mode):
        t = text.strip()
        if not t:
            return
        value = None
        if mode == "codes":
            value = self.codes.get(t, self.labels.get(_norm(t)))
        else:
            value = self.labels.get(_norm(t), self.codes.get(t))
        if value is None:
            self.note("strength_label", "error", f"answer {t!r} is not on the instrument's "
                      f"scale ({', '.join(p['label'] for p in self.book['scale']['points'])})",
                      "dropped", file, row=row, column=column, value=text)
            return
        if value == 0:
            return
        if alter == pid:
            self.note("self_nomination", "warning", "self-nomination (the respondent's own "
                      "row was answered)", "dropped", file, row=row, column=column, value=text)
            return
        self.ties.append({"wave": self.wave, "respondent": pid, "alter": alter,
                          "relation": rel, "strength": value, "source_row": row,
                          "source_column": column, "file": file})

    # -- one file
    def read(self, source: Any) -> None:
        rows, label = _raw_rows(source)
        if not rows:
            raise InputError("the export is empty", file=label)
        if [_norm(c) for c in rows[0][:len(html_form.HEADER)]] == list(html_form.HEADER):
            self.read_html(rows, label)
        else:
            self.read_wide(rows, label)

    def read_html(self, rows, label):
        rel_of = {r["code"]: r["name"] for r in self.book["relations"]}
        pid_of = {p["code"]: p["person_id"] for p in self.book["people"]}
        mark = self.book["roster_sha256"][:16]
        seen: set[str] = set()
        for k, cells in enumerate(rows[1:]):
            row = k + 2
            cells = [*cells, "", "", "", "", ""][:5]
            if not any(c.strip() for c in cells):
                self.note("blank_row", "info", "blank row", "dropped", label, row=row)
                continue
            inst, who, q, person, answer = (c.strip() for c in cells)
            if inst != mark:
                self.note("instrument_mismatch", "error", f"answers to another instrument "
                          f"({inst!r}, this one is {mark!r})", "dropped", label, row=row,
                          column="instrument", value=inst)
                continue
            pid = pid_of.get(who)
            if pid is None:
                self.note("unknown_respondent", "error", f"respondent code {who!r} is not in "
                          "the codebook", "dropped", label, row=row, column="respondent",
                          value=who)
                continue
            if pid not in seen:
                seen.add(pid)
                self.add_response(pid, label, row, "respondent", who)
            rel, alter = rel_of.get(q), pid_of.get(person)
            if rel is None or alter is None:
                bad, col = (q, "question") if rel is None else (person, "person")
                self.note("unknown_code", "error", f"{col} code {bad!r} is not in the codebook",
                          "dropped", label, row=row, column=col, value=bad)
                continue
            self.tie(pid, rel, alter, answer, label, row, "answer", "codes")
        if len(rows) == 1:  # header only: the person answered nothing (cannot tell who)
            self.note("no_answers", "info", "no answers in this file", "kept", label)

    def read_wide(self, rows, label):
        heads = rows[0]
        best = None
        ids = _import_ids(rows[2]) if len(rows) > 2 else None
        candidates = []
        if ids is not None:
            candidates.append((("qualtrics", "importid"), 3,
                               _match(ids, self.headers[("qualtrics", "importid")], "key")))
        for tool, style, how in _SCHEMES:
            candidates.append(((tool, style), 1, _match(heads, self.headers[(tool, style)], how)))
        for scheme, nhead, mapping in candidates:
            score = sum(1 for t in mapping.values() if len(t) == 2)
            if best is None or score > best[3]:
                best = (scheme, nhead, mapping, score)
        (tool, style), nhead, mapping, score = best
        if tool == "qualtrics" and nhead == 1 and len(rows) > 1:
            resp_at = [j for j, t in mapping.items() if t == ("respondent",)]
            if resp_at and _norm(rows[1][resp_at[0]]) == _norm(
                    self.book["respondent_question"]):
                nhead = 2  # an export without the ImportId row: row 2 is question text
        if score == 0:
            raise InputError(
                "no column of this export belongs to the instrument (headers start "
                + ", ".join(repr(h) for h in heads[:5])
                + "); is it the export of another survey, or a different instrument.json?",
                file=label)
        self.note("export_recognised", "info", f"read as a {_NAMES[tool]} export "
                  f"({style} headers, {nhead} header row{'s' if nhead > 1 else ''})", "kept",
                  label)
        shown = [(rows[1] if tool == "qualtrics" and nhead == 3 else heads)[j]
                 for j in range(len(heads))]
        meta = {"redcap": redcap.metadata(self.book), "qualtrics": qualtrics.METADATA,
                "limesurvey": limesurvey.METADATA, "msforms": msforms.METADATA}[tool]
        resp_j = [j for j, t in mapping.items() if t == ("respondent",)]
        pid_j = [j for j, t in mapping.items() if t == ("person_id",)]
        for j, h in enumerate(heads):
            if j in mapping:
                continue
            if _norm(h) in meta or _norm(shown[j]) in meta:
                self.note("metadata_column", "info", f"{_NAMES[tool]} column {h!r} is not "
                          "a question: ignored", "ignored", label, row=1, column=h)
            elif h.strip() or any(j < len(r) and r[j].strip() for r in rows[nhead:]):
                self.note("unknown_column", "warning", f"column {h or j + 1!r} is not in the "
                          "instrument: ignored", "ignored", label, row=1, column=h)
        have = {t for t in mapping.values() if len(t) == 2}
        for rel in self.book["relations"]:
            missing = [p["person_id"] for p in self.book["people"]
                       if (rel["name"], p["person_id"]) not in have]
            if missing:
                self.note("missing_person_column", "warning",
                          f"no column for {len(missing)} people in {rel['name']!r}: "
                          f"{', '.join(missing[:20])}{' ...' if len(missing) > 20 else ''} "
                          "(their answers cannot be read)", "kept", label,
                          value=", ".join(missing))
        if not resp_j and not pid_j:
            raise InputError("the export has no column saying who answered (the "
                             "instrument's respondent question)", file=label)
        cols = {j: t for j, t in mapping.items() if len(t) == 2}
        # answer codes or labels? whichever maps more of the file's answers
        n_code = n_label = 0
        for cells in rows[nhead:]:
            for j in cols:
                t = cells[j].strip() if j < len(cells) else ""
                n_code += t in self.codes
                n_label += _norm(t) in self.labels
        mode = "codes" if n_code >= n_label else "labels"
        for k, cells in enumerate(rows[nhead:]):
            row = nhead + k + 1
            cells = list(cells) + [""] * (len(heads) - len(cells))
            if not any(c.strip() for c in cells):
                self.note("blank_row", "info", "blank row", "dropped", label, row=row)
                continue
            pid = None
            for j in pid_j:  # an id filled in from the invitation link wins
                v = cells[j].strip()
                if v and v in self.people:
                    pid = v
                elif v:
                    self.note("unknown_respondent", "error", f"person id {v!r} from the "
                              "invitation link is not in the codebook", "dropped", label,
                              row=row, column=heads[j], value=v)
            for j in resp_j:
                v = cells[j].strip()
                if not v:
                    continue
                chosen = self.who(tool, v)
                if chosen is None:
                    self.note("unknown_respondent", "error", f"respondent {v!r} is not a "
                              "roster choice of the instrument", "dropped", label, row=row,
                              column=heads[j], value=v)
                elif pid is not None and chosen != pid:
                    self.note("respondent_conflict", "warning", f"chose {chosen} in the "
                              f"respondent question but the invitation link says {pid}; "
                              "the link is used", "changed", label, row=row,
                              column=heads[j], value=v)
                else:
                    pid = chosen
            if pid is None:
                if not any(cells[j].strip() for j in resp_j + pid_j):
                    self.note("blank_respondent", "error", "no respondent on this row",
                              "dropped", label, row=row,
                              column=heads[resp_j[0]] if resp_j else None)
                continue
            self.add_response(pid, label, row, heads[(resp_j or pid_j)[0]], pid)
            for j, (rel, alter) in cols.items():
                self.tie(pid, rel, alter, cells[j], label, row, heads[j], mode)


def export_to_long(export: Any, *, instrument: Any, wave: str | None = None
                   ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict]:
    """Tidy ``ties``, ``respondents`` and ``problems`` of an export, and the codebook.

    Parameters are those of :func:`read_survey_export` (without the roster).

    Returns
    -------
    tuple
        ``ties`` (``wave, respondent, alter, relation, strength, source_row,
        source_column, file``), ``respondents`` (``wave, person_id``), the
        validation lines and the codebook.

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994). *Social Network Analysis*. Cambridge
       University Press, ch. 2.

    Examples
    --------
    >>> roster = pd.DataFrame({"person_id": ["a", "b"], "name": ["Ann", "Bo"]})
    >>> ins = make_instrument(roster, {"advice": "Who?"}, formats=(),
    ...                       show_organisation=False)
    >>> export = pd.DataFrame({"record_id": ["1"], "resp_id": ["1"],
    ...                        "advice_001": [""], "advice_002": ["5"]})
    >>> ties, resp, problems, book = export_to_long(export, instrument=ins.codebook,
    ...                                             wave="pre")
    >>> ties[["respondent", "alter", "relation", "strength"]].values.tolist()
    [['a', 'b', 'advice', 4.0]]
    """
    book = load_codebook(instrument)
    sources = (list(export.items()) if isinstance(export, Mapping)
               else [(wave, export)])
    if isinstance(export, Mapping) and wave is not None:
        raise InputError("give waves either as the keys of a dict or as wave=")
    ties, resp, recs = [], [], []
    for w, src in sources:
        if w is None or not str(w).strip():
            raise InputError("give wave= (the wave label of this export)")
        reader = _Reader(book, str(w))
        for f in _files(src):
            reader.read(f)
        ties += reader.ties
        resp += [{"wave": str(w), "person_id": p}
                 for p, _ in sorted(reader.resp.items(), key=lambda kv: kv[1][0])]
        recs += reader.recs
    cols = ["wave", "respondent", "alter", "relation", "strength", "source_row",
            "source_column", "file"]
    return (pd.DataFrame(ties, columns=cols).astype({"strength": float}),
            pd.DataFrame(resp, columns=["wave", "person_id"]), problems_frame(recs), book)


def _roster_for(book: dict, roster: Any, recs: list[dict]) -> pd.DataFrame:
    if roster is None:
        people = pd.DataFrame({
            "person_id": [p["person_id"] for p in book["people"]],
            "name": [p.get("name") or p["label"] for p in book["people"]],
            "organisation": [p.get("organisation") or NO_ORGANISATION
                             for p in book["people"]]})
        recs.append({"severity": "info", "file": "instrument.json", "problem":
                     "no roster given: the people are the instrument's, "
                     + ("with the organisations it shows" if book.get("show_organisation")
                        else f"organisation {NO_ORGANISATION!r}"),
                     "action": "inferred", "check": "no_roster"})
        return people
    people, label = _roster(roster)
    if roster_sha256(people) != book["roster_sha256"]:
        gone = sorted(set(p["person_id"] for p in book["people"]) - set(people["person_id"]))
        recs.append({"severity": "warning", "file": label, "problem":
                     "the roster differs from the one the instrument was made from"
                     + (f"; people in the instrument but not the roster: {', '.join(gone)}"
                        if gone else ""), "action": "kept", "check": "roster_changed"})
    from ..read.names import read_text_table

    return read_text_table(roster)[0] if not isinstance(roster, pd.DataFrame) else roster


def read_survey_export(export: Any, *, instrument: Any, wave: str | None = None,
                       roster: Any = None, strict: bool = False):
    """Read a survey tool's export of an instrument into a validated Survey.

    Recognises, from the header rows alone, the exports of every instrument
    made by :func:`make_instrument`: REDCap raw (field names, answer codes) and
    label exports (field labels, answer labels), Qualtrics CSV and Excel exports
    (three header rows; the ImportId row is used), LimeSurvey response exports
    (question-code or full-text headings; answer codes or full answers), the
    Microsoft Forms Excel download and the HTML questionnaire's CSV files. Each
    column is mapped to a person and relation, and each answer to its strength,
    through the codebook: no column patterns or scales to type.

    Parameters
    ----------
    export : path, DataFrame, list, folder or dict
        The export file (CSV or XLSX), a list of files or a folder of them (e.g.
        the HTML questionnaire's answer files), or ``{wave: export}``.
    instrument : path or dict
        ``instrument.json`` (or its folder, or the loaded codebook).
    wave : str
        The wave label of the export (not with a dict).
    roster : path or DataFrame, optional
        The roster; without it the people are the instrument's (with the
        organisations it shows). A roster that differs from the instrument's
        is reported.
    strict : bool, default False
        Raise :class:`senatenet.SurveyError` when the report has any error.

    Returns
    -------
    Survey
        Respondents are the people with a kept answer row. Blank answers and
        strength 0 (e.g. "Never") are no tie. Every column not in the
        instrument, unknown answer, unknown or blank respondent, repeated
        submission (the later is kept) and self-nomination is in
        ``Survey.validation``; ``ties.source_row`` is the export's row.

    Raises
    ------
    InputError
        Missing file, not a codebook, an export with no column of the instrument.
    SurveyError
        No answer could be read, or ``strict=True`` and the report has an error.

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994). *Social Network Analysis*. Cambridge
       University Press, ch. 2.
    .. [2] Harris, P. A. et al. (2009). Research electronic data capture (REDCap).
       *Journal of Biomedical Informatics*, 42(2), 377-381.

    Examples
    --------
    >>> roster = pd.DataFrame({"person_id": ["a", "b"], "name": ["Ann", "Bo"],
    ...                        "organisation": ["A", "B"]})
    >>> ins = make_instrument(roster, {"advice": "Who?"}, formats=())
    >>> export = pd.DataFrame({"Record ID": ["1", "2"], "Who are you? Choose your own name.":
    ...                        ["Ann (A)", "Bo (B)"], "Ann (A)": ["", "Weekly"],
    ...                        "Bo (B)": ["Daily", ""]})
    >>> s = read_survey_export(export, instrument=ins.codebook, wave="pre", roster=roster)
    >>> s.ties[["respondent", "alter", "strength"]].values.tolist()
    [['a', 'b', 5.0], ['b', 'a', 4.0]]
    """
    from ..read.long import read_survey
    from ..validation import raise_for_errors

    ties, resp, problems, book = export_to_long(export, instrument=instrument, wave=wave)
    recs: list[dict] = []
    people = _roster_for(book, roster, recs)
    problems = problems_frame([problems_frame(recs), problems])
    if len(ties) == 0:
        raise SurveyError("no nomination could be read:\n" + format_problems(problems),
                          problems=problems.copy())
    core = ties[["wave", "respondent", "alter", "relation", "strength"]].copy()
    core["strength"] = core["strength"].map(lambda v: f"{v:.17g}")
    waves = list(dict.fromkeys(resp["wave"]))
    survey = read_survey(people, core, respondents=resp, waves=waves, strict=False)
    report = problems_frame([problems, survey.validation])
    key = ["wave", "respondent", "alter", "relation"]
    merged = survey.ties.drop(columns=["source_row"]).merge(
        ties[key + ["source_row"]].drop_duplicates(key), on=key, how="left")
    merged.index = survey.ties.index
    src = {"roster": "<instrument>" if roster is None else
           (str(roster) if isinstance(roster, (str, Path)) else "<DataFrame>"),
           "export": str(export) if isinstance(export, (str, Path)) else "<export>",
           "instrument": str(instrument) if isinstance(instrument, (str, Path))
           else "<codebook>"}
    hashes = {}
    import hashlib

    for k, v in (("roster", roster), ("export", export), ("instrument", instrument)):
        if isinstance(v, (str, Path)) and Path(v).is_file():
            hashes[k] = hashlib.sha256(Path(v).read_bytes()).hexdigest()
    survey = survey.replace(ties=merged[list(survey.ties.columns)], validation=report,
                            sources=src, hashes=hashes)
    if strict:
        raise_for_errors(report)
    return survey
