"""LimeSurvey tab-separated survey structure of a roster instrument.

LimeSurvey imports a survey from a UTF-8 tab-separated ``.txt`` whose rows are
typed by the ``class`` column: ``S`` (survey setting), ``SL`` (language
setting), ``G`` (group), ``Q`` (question), ``SQ`` (subquestion of the question
above), ``A`` (answer option of the question above); relations between rows are
given by their order, so no ids are needed. The respondent question ``resp`` is
a list drop-down (type ``!``) with one answer per roster member (code
``P001``...); each relation is an Array question (type ``F``) with one
subquestion per roster member (the same codes) and one answer per scale point;
the subquestion relevance ``resp.NAOK != 'P001'`` hides the respondent's own
row. Responses export as ``<question code>[<subquestion code>]``.

References: LimeSurvey Manual, "Tab Separated Value survey structure" and
"Export responses".
"""

from __future__ import annotations

from typing import Any

__all__: list[str] = []

FILE = "limesurvey_structure.txt"
COLUMNS = ("class", "type/scale", "name", "relevance", "text", "help", "language",
           "validation", "mandatory", "other", "default", "same_default")


def _cell(text: Any) -> str:
    return " ".join(str(text).split())  # no tabs or new lines inside a cell


def rows(book: dict[str, Any]) -> list[dict[str, str]]:
    """The structure's rows as dicts of :data:`COLUMNS`."""
    lang = "en"
    tool = book["tools"]["limesurvey"]
    out = [{"class": "S", "name": "language", "text": lang},
           {"class": "S", "name": "format", "text": "G"},
           {"class": "S", "name": "anonymized", "text": "N"},
           {"class": "SL", "name": "surveyls_title", "text": _cell(book["title"]),
            "language": lang},
           {"class": "G", "type/scale": "", "name": tool["group"], "relevance": "1",
            "text": "", "language": lang},
           {"class": "Q", "type/scale": "!", "name": tool["respondent_code"],
            "relevance": "1", "text": _cell(book["respondent_question"]),
            "language": lang, "mandatory": "Y", "other": "N"}]
    for p in book["people"]:
        out.append({"class": "A", "type/scale": "0", "name": p["limesurvey_code"],
                    "text": _cell(p["label"]), "language": lang})
    resp = tool["respondent_code"]
    for rel in book["relations"]:
        out.append({"class": "Q", "type/scale": "F", "name": rel["limesurvey_code"],
                    "relevance": "1", "text": _cell(rel["question"]), "language": lang,
                    "mandatory": "N", "other": "N"})
        for p in book["people"]:
            out.append({"class": "SQ", "type/scale": "0", "name": p["limesurvey_code"],
                        "relevance": f"{resp}.NAOK != '{p['limesurvey_code']}'",
                        "text": _cell(p["label"]), "language": lang})
        for pt in book["scale"]["points"]:
            out.append({"class": "A", "type/scale": "0", "name": pt["code"],
                        "text": _cell(pt["label"]), "language": lang})
    return out


def write_files(book: dict[str, Any]) -> dict[str, bytes]:
    """``{file name: bytes}``: the tab-separated structure (UTF-8 with BOM, as
    LimeSurvey writes it)."""
    lines = ["\t".join(COLUMNS)]
    lines += ["\t".join(r.get(c, "") for c in COLUMNS) for r in rows(book)]
    return {FILE: ("\n".join(lines) + "\n").encode("utf-8-sig")}


def export_headers(book: dict[str, Any]) -> dict[str, list[tuple[str, Any]]]:
    """Headers of LimeSurvey's response export: ``code`` (question code
    headings, ``advice[P001]``) and ``full`` (full question text headings,
    ``question [row]``)."""
    tool = book["tools"]["limesurvey"]
    code = [(tool["respondent_code"], ("respondent",))]
    full = [(_cell(book["respondent_question"]), ("respondent",))]
    for rel in book["relations"]:
        for p in book["people"]:
            target = (rel["name"], p["person_id"])
            code.append((f"{rel['limesurvey_code']}[{p['limesurvey_code']}]", target))
            full.append((f"{_cell(rel['question'])} [{_cell(p['label'])}]", target))
    return {"code": code, "full": full}


METADATA = {"id", "submitdate", "lastpage", "startlanguage", "seed", "startdate",
            "datestamp", "token", "ipaddr", "refurl", "response id", "date submitted",
            "last page", "start language", "date started", "date last action",
            "access code", "ip address", "referrer url"}
