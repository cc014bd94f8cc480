"""``make_instrument``: a roster questionnaire for each survey tool, and its codebook.

One relation is one roster question: "How often do you talk to each of these
colleagues about work?" with one answer row per roster member. Every tool's file
is generated from the same codebook (``instrument.json``), which maps each tool's
field name, choice id or subquestion code back to a person id, each question back
to a relation and each answer code back to a number, so that
:func:`senatenet.read_survey_export` reads the answers without any typed mapping.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError

__all__ = ["make_instrument", "Instrument", "instrument_scale", "load_codebook",
           "INSTRUMENT_FORMATS", "INSTRUMENT_SCALES"]

INSTRUMENT_FORMATS = ("redcap", "qualtrics", "limesurvey", "msforms", "html")
"""The survey tools :func:`make_instrument` writes files for."""

INSTRUMENT_SCALES: dict[str, tuple[tuple[str, float], ...]] = {
    "frequency": (("Never", 0.0), ("Less than monthly", 1.0), ("Monthly", 2.0),
                  ("Fortnightly", 3.0), ("Weekly", 4.0), ("Daily", 5.0)),
    "yes-no": (("No", 0.0), ("Yes", 1.0)),
}
"""Built-in answer scales: (label, strength) in the order shown; strength 0 is no tie."""

CODEBOOK_NAME = "instrument.json"
CODEBOOK_FORMAT = "senatenet-instrument"
RESPONDENT_QUESTION = "Who are you? Choose your own name."
_RESERVED = {"record_id", "resp", "resp_id", "pid", "id", "token", "respondent"}
_CODE_BAD = re.compile(r"[^a-z0-9]+")


def instrument_scale(scale: str | Path | Mapping[str, float]
                     | Sequence[tuple[str, float]] = "frequency") -> dict[str, Any]:
    """The answer scale of an instrument: labels in order, their strengths and codes.

    Parameters
    ----------
    scale : str, path, dict or list of pairs
        ``"frequency"`` (Never 0, Less than monthly 1, Monthly 2, Fortnightly 3,
        Weekly 4, Daily 5), ``"yes-no"`` (No 0, Yes 1), a CSV file with columns
        ``label`` and ``value`` (one row per answer, in the order shown), a
        ``{label: value}`` dict or a list of ``(label, value)`` pairs. A value
        of 0 means "no tie"; values must be finite numbers >= 0 and labels unique.

    Returns
    -------
    dict
        ``name`` and ``points``: a list of ``{"code", "label", "value"}`` where
        ``code`` is the answer's code in every tool ("1", "2", ... in order).

    Raises
    ------
    InputError
        Unknown scale name, unreadable file, duplicate label, bad value.

    References
    ----------
    .. [1] Marsden, P. V. (1990). Network data and measurement. *Annual Review
       of Sociology*, 16, 435-463 (frequency of contact as tie strength).

    Examples
    --------
    >>> [(p["code"], p["label"], p["value"]) for p in instrument_scale("yes-no")["points"]]
    [('1', 'No', 0.0), ('2', 'Yes', 1.0)]
    """
    name = "custom"
    if isinstance(scale, str) and scale in INSTRUMENT_SCALES:
        name, pairs = scale, list(INSTRUMENT_SCALES[scale])
    elif isinstance(scale, (str, Path)):
        if not Path(scale).is_file():
            raise InputError(f"unknown scale {str(scale)!r}: give one of "
                             f"{sorted(INSTRUMENT_SCALES)} or a CSV file with columns "
                             "label, value", file=str(scale))
        from ..read.names import read_text_table

        frame, label = read_text_table(scale)
        cols = {str(c).strip().casefold(): c for c in frame.columns}
        if not {"label", "value"} <= set(cols):
            raise InputError("a scale file needs the columns label and value", file=label)
        name = Path(scale).stem
        pairs = []
        for k, (lab, val) in enumerate(zip(frame[cols["label"]], frame[cols["value"]],
                                           strict=True)):
            try:
                pairs.append((lab, float(val)))
            except ValueError:
                raise InputError(f"value {val!r} is not a number", file=label, row=k + 2,
                                 column=str(cols["value"])) from None
    elif isinstance(scale, Mapping):
        pairs = list(scale.items())
    else:
        pairs = list(scale)
    points = []
    seen: set[str] = set()
    for k, (lab, val) in enumerate(pairs):
        lab = str(lab).strip()
        try:
            val = float(val)
        except (TypeError, ValueError):
            raise InputError(f"scale value {val!r} of {lab!r} is not a number") from None
        if not lab:
            raise InputError(f"scale point {k + 1} has no label")
        if lab.casefold() in seen:
            raise InputError(f"scale label {lab!r} appears twice")
        if not math.isfinite(val) or val < 0:
            raise InputError(f"scale value {val!r} of {lab!r} must be a finite number >= 0")
        seen.add(lab.casefold())
        points.append({"code": str(k + 1), "label": lab, "value": val})
    if len(points) < 2:
        raise InputError("a scale needs at least two answers")
    return {"name": name, "points": points}


def _code(text: str, used: set[str], width: int) -> str:
    """A tool-safe code (``^[a-z][a-z0-9_]*$``, at most ``width`` characters)."""
    base = _CODE_BAD.sub("_", str(text).casefold()).strip("_") or "rel"
    if not base[0].isalpha():
        base = "r" + base
    base = base[:width].rstrip("_")
    code, k = base, 2
    while code in used or code in _RESERVED:
        suffix = str(k)
        code, k = base[: width - len(suffix)] + suffix, k + 1
    used.add(code)
    return code


def _roster(roster: Any) -> tuple[pd.DataFrame, str]:
    from ..read.names import read_text_table

    frame, label = read_text_table(roster)
    cols = {str(c).strip().casefold(): c for c in frame.columns}
    pid = cols.get("person_id") or cols.get("id")
    if pid is None:
        raise InputError("the roster needs a person_id column", file=label)
    out = pd.DataFrame({"person_id": frame[pid].str.strip()})
    out["name"] = frame[cols["name"]].str.strip() if "name" in cols else out["person_id"]
    org = cols.get("organisation") or cols.get("organization")
    out["organisation"] = frame[org].str.strip() if org is not None else ""
    for k, p in enumerate(out["person_id"]):
        if not p:
            raise InputError("blank person_id", file=label, row=k + 2, column=str(pid))
    dup = out["person_id"].duplicated()
    if dup.any():
        k = int(dup.to_numpy().argmax())
        raise InputError(f"person_id {out['person_id'].iloc[k]!r} appears twice", file=label,
                         row=k + 2, column=str(pid))
    if len(out) < 2:
        raise InputError("the roster needs at least two people", file=label)
    return out.reset_index(drop=True), label


def roster_sha256(people: pd.DataFrame) -> str:
    """sha256 of the roster's ids, names and organisations (order kept)."""
    text = "\n".join("\t".join(r) for r in
                     people[["person_id", "name", "organisation"]].to_numpy().tolist())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _labels(people: pd.DataFrame, show_organisation: bool) -> list[str]:
    labels = [n or p for n, p in zip(people["name"], people["person_id"], strict=True)]
    if show_organisation:
        labels = [f"{lab} ({org})" if org else lab
                  for lab, org in zip(labels, people["organisation"], strict=True)]
    counts = pd.Series(labels).value_counts()
    return [f"{lab} [{pid}]" if counts[lab] > 1 else lab
            for lab, pid in zip(labels, people["person_id"], strict=True)]


def build_codebook(roster: Any, relations: Mapping[str, str], *, scale: Any = "frequency",
                   title: str = "Working relationships survey",
                   show_organisation: bool = True,
                   respondent_question: str = RESPONDENT_QUESTION) -> dict[str, Any]:
    """The codebook (``instrument.json`` content) of an instrument."""
    from .._version import __version__

    if isinstance(relations, str) or not isinstance(relations, Mapping) or not relations:
        raise InputError('relations must be a non-empty {name: "question text"} dict')
    people, label = _roster(roster)
    n = len(people)
    width = max(3, len(str(n)))
    labels = _labels(people, show_organisation)
    plist = []
    for k, (pid, name, lab, org) in enumerate(zip(people["person_id"], people["name"], labels,
                                                  people["organisation"], strict=True)):
        idx = k + 1
        rec = {"person_id": pid, "name": name, "label": lab, "index": idx, "code": f"P{idx:0{width}d}",
               "redcap_choice": str(idx), "qualtrics_choice": str(idx),
               "limesurvey_code": f"P{idx:0{width}d}"}
        if show_organisation:
            rec["organisation"] = org
        plist.append(rec)
    used: set[str] = set()
    used_ls: set[str] = set()
    rels = []
    for q, (name, text) in enumerate(relations.items()):
        name, text = str(name).strip(), str(text).strip()
        if not name or not text:
            raise InputError(f"relation {name!r} needs a name and a question text")
        code = _code(name, used, 25 - width)
        ls_code = _code(code.replace("_", ""), used_ls, 15)
        rels.append({
            "name": name, "question": text, "code": code,
            "redcap_matrix_group": code,
            "redcap_fields": {p["person_id"]: f"{code}_{p['index']:0{width}d}" for p in plist},
            "qualtrics_qid": f"QID{q + 2}", "qualtrics_tag": code,
            "limesurvey_code": ls_code,
        })
    if len({r["name"] for r in rels}) < len(rels):
        raise InputError("two relations have the same name")
    return {
        "format": CODEBOOK_FORMAT, "format_version": 1,
        "senatenet_version": __version__,
        "title": str(title),
        "roster_sha256": roster_sha256(people),
        "roster_people": n,
        "respondent_question": str(respondent_question),
        "show_organisation": bool(show_organisation),
        "scale": instrument_scale(scale),
        "people": plist,
        "relations": rels,
        "tools": {
            "redcap": {"form": "network_survey", "record_id": "record_id",
                       "respondent_field": "resp_id"},
            "qualtrics": {"respondent_qid": "QID1", "respondent_tag": "resp",
                          "id_field": "pid"},
            "limesurvey": {"respondent_code": "resp", "group": "Network"},
            "msforms": {},
            "html": {"format": "senatenet-html-answers"},
        },
        "files": {},
    }


def load_codebook(source: str | Path | Mapping[str, Any]) -> dict[str, Any]:
    """Read ``instrument.json`` (a path, or an already loaded dict).

    Parameters
    ----------
    source : path or dict
        The codebook written by :func:`make_instrument` (or its folder).

    Returns
    -------
    dict
        The codebook.

    Raises
    ------
    InputError
        Not a senatenet instrument codebook.

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994). *Social Network Analysis*. Cambridge
       University Press, ch. 2 (roster name generators).

    Examples
    --------
    >>> roster = pd.DataFrame({"person_id": ["a", "b"], "name": ["Ann", "Bo"]})
    >>> book = make_instrument(roster, {"advice": "Who do you ask for advice?"},
    ...                        formats=()).codebook
    >>> load_codebook(book)["relations"][0]["name"]
    'advice'
    """
    if isinstance(source, Mapping):
        book, label = dict(source), "<codebook>"
    else:
        path = Path(source)
        if path.is_dir():
            path = path / CODEBOOK_NAME
        label = str(path)
        if not path.is_file():
            raise InputError("instrument codebook not found", file=label)
        try:
            book = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError(f"not a JSON file: {exc}", file=label) from None
    if not isinstance(book, dict) or book.get("format") != CODEBOOK_FORMAT:
        raise InputError("not a senatenet instrument codebook (instrument.json written "
                         "by senatenet survey)", file=label)
    return book


@dataclass(frozen=True)
class Instrument:
    """A generated questionnaire: the codebook and each tool's files.

    Attributes
    ----------
    codebook : dict
        The content of ``instrument.json``.
    files : dict
        ``{file name: bytes}`` of every generated file (the codebook included).
    out : Path or None
        The folder the files were written to.

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994). *Social Network Analysis*. Cambridge
       University Press, ch. 2 (roster name generators).

    Examples
    --------
    >>> roster = pd.DataFrame({"person_id": ["a", "b"], "name": ["Ann", "Bo"]})
    >>> ins = make_instrument(roster, {"advice": "Who do you ask?"}, formats=("redcap",))
    >>> sorted(ins.files)
    ['instrument.json', 'redcap_dictionary.csv']
    """

    codebook: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    out: Path | None = None

    def write(self, out: str | Path) -> Instrument:
        """Write every file into ``out`` (created if needed); returns a copy with ``out``."""
        folder = Path(out)
        if folder.exists() and not folder.is_dir():
            raise InputError("--out is a file, not a folder", file=str(out))
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in self.files.items():
            (folder / name).write_bytes(data)
        return Instrument(self.codebook, self.files, folder)

    def __str__(self) -> str:
        book = self.codebook
        rels = ", ".join(r["name"] for r in book["relations"])
        lines = [f"Instrument {book['title']!r}: {book['roster_people']} people, "
                 f"relations {rels}, scale {book['scale']['name']} "
                 f"({', '.join(p['label'] for p in book['scale']['points'])})"]
        for tool, names in book["files"].items():
            lines.append(f"  {tool}: {', '.join(names)}")
        return "\n".join(lines)


def make_instrument(
    roster: Any,
    relations: Mapping[str, str],
    *,
    scale: Any = "frequency",
    formats: Iterable[str] = INSTRUMENT_FORMATS,
    out: str | Path | None = None,
    title: str = "Working relationships survey",
    show_organisation: bool = True,
    respondent_question: str = RESPONDENT_QUESTION,
) -> Instrument:
    """Generate a roster questionnaire in the survey tools' import formats.

    Each relation becomes one roster question with one answer row per roster
    member on the same answer scale. The respondent picks their own name from a
    roster drop-down first; their own row is then hidden (REDCap branching logic,
    Qualtrics choice display logic, LimeSurvey subquestion relevance, the HTML
    questionnaire) or, in Microsoft Forms, which cannot hide it, the form asks
    them to skip it (a self-nomination is dropped with a validation line).

    Parameters
    ----------
    roster : path or DataFrame
        ``person_id`` (required, text), ``name`` and ``organisation``.
    relations : dict
        ``{relation name: question text}``, in the order asked.
    scale : str, path, dict or list, default "frequency"
        See :func:`instrument_scale`.
    formats : iterable of str
        Any of ``redcap`` (``redcap_dictionary.csv``), ``qualtrics``
        (``qualtrics.qsf`` and ``qualtrics_advanced.txt``), ``limesurvey``
        (``limesurvey_structure.txt``), ``msforms`` (``msforms_build_sheet.html``
        and ``.docx``), ``html`` (``questionnaire.html``). The codebook
        ``instrument.json`` is always written.
    out : path, optional
        Folder to write the files into.
    title : str
        The survey title shown to respondents.
    show_organisation : bool, default True
        Show each person as "Name (Organisation)"; the codebook then records the
        organisations, so answers can be read back without the roster.
    respondent_question : str
        The wording of the "who are you" question.

    Returns
    -------
    Instrument

    Raises
    ------
    InputError
        Bad roster (missing, blank or duplicate ``person_id``), relations, scale
        or format name.

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994). *Social Network Analysis*. Cambridge
       University Press, ch. 2 (roster name generators, valued relations).
    .. [2] Marsden, P. V. (1990). Network data and measurement. *Annual Review of
       Sociology*, 16, 435-463.

    Examples
    --------
    >>> roster = pd.DataFrame({"person_id": ["007", "NA"], "name": ["Ann Lee", "Bo Chan"],
    ...                        "organisation": ["Trust", "Council"]})
    >>> ins = make_instrument(roster, {"advice": "How often do you ask them for advice?"},
    ...                       formats=("redcap", "html"))
    >>> ins.codebook["relations"][0]["redcap_fields"]
    {'007': 'advice_001', 'NA': 'advice_002'}
    >>> [p["label"] for p in ins.codebook["people"]]
    ['Ann Lee (Trust)', 'Bo Chan (Council)']
    """
    formats = [formats] if isinstance(formats, str) else list(formats)
    unknown = sorted(set(formats) - set(INSTRUMENT_FORMATS))
    if unknown:
        raise InputError(f"unknown format(s) {unknown}; choose from {list(INSTRUMENT_FORMATS)}")
    book = build_codebook(roster, relations, scale=scale, title=title,
                          show_organisation=show_organisation,
                          respondent_question=respondent_question)
    from . import html_form, limesurvey, msforms, qualtrics, redcap

    writers = {"redcap": redcap.write_files, "qualtrics": qualtrics.write_files,
               "limesurvey": limesurvey.write_files, "msforms": msforms.write_files,
               "html": html_form.write_files}
    files: dict[str, bytes] = {}
    for tool in INSTRUMENT_FORMATS:
        if tool in formats:
            made = writers[tool](book)
            book["files"][tool] = list(made)
            files.update(made)
    files[CODEBOOK_NAME] = (json.dumps(book, indent=1, ensure_ascii=False) + "\n").encode()
    ins = Instrument(book, files)
    return ins.write(out) if out is not None else ins
