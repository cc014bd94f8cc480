"""REDCap data dictionary of a roster instrument.

REDCap imports a data dictionary: a CSV with 18 columns in a fixed order, one row
per field, the record id field first. Each roster member is one ``radio`` field
per relation; the fields of one relation share a Matrix Group Name, so REDCap
shows them as one grid with the question as the matrix header (the Section Header
of the group's first field). The respondent picks their own name in the
``resp_id`` drop-down; branching logic ``[resp_id] <> 'k'`` hides their own row.

References: REDCap Data Dictionary instructions (Project Setup > Data Dictionary >
"Data Dictionary instructions", Vanderbilt University); Harris et al. (2009),
*J Biomed Inform* 42(2), 377-381.
"""

from __future__ import annotations

import html
import io
from typing import Any

import pandas as pd

__all__: list[str] = []

FILE = "redcap_dictionary.csv"
COLUMNS = (
    "Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
    "Choices, Calculations, OR Slider Labels", "Field Note",
    "Text Validation Type OR Show Slider Number", "Text Validation Min",
    "Text Validation Max", "Identifier?", "Branching Logic (Show field only if...)",
    "Required Field?", "Custom Alignment", "Question Number (surveys only)",
    "Matrix Group Name", "Matrix Ranking?", "Field Annotation",
)
"""The 18 data-dictionary columns, in REDCap's order."""


def _text(text: str) -> str:
    return html.escape(" ".join(str(text).replace("|", "/").split()), quote=False)


def label(text: str) -> str:
    """Text as a REDCap label or choice label: HTML escaped (REDCap renders
    labels as HTML), ``|`` (the choice separator) replaced by ``/``, new lines
    removed; a leading ``= + - @`` is prefixed with ``'`` (Excel-safe CSV)."""
    text = _text(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text  # Excel-safe as written


def choices(pairs: list[tuple[str, str]]) -> str:
    """``code, label | code, label`` as REDCap writes choices."""
    return " | ".join(f"{code}, {_text(text)}" for code, text in pairs)


def dictionary(book: dict[str, Any]) -> pd.DataFrame:
    """The data dictionary as a DataFrame with the 18 columns."""
    tool = book["tools"]["redcap"]
    form, rid, resp = tool["form"], tool["record_id"], tool["respondent_field"]
    people = book["people"]
    scale = choices([(p["code"], p["label"]) for p in book["scale"]["points"]])
    rows = [{"Variable / Field Name": rid, "Form Name": form, "Field Type": "text",
             "Field Label": "Record ID"},
            {"Variable / Field Name": resp, "Form Name": form,
             "Section Header": label(book["title"]), "Field Type": "dropdown",
             "Field Label": label(book["respondent_question"]),
             "Choices, Calculations, OR Slider Labels":
                 choices([(p["redcap_choice"], p["label"]) for p in people]),
             "Required Field?": "y"}]
    for rel in book["relations"]:
        for k, p in enumerate(people):
            rows.append({
                "Variable / Field Name": rel["redcap_fields"][p["person_id"]],
                "Form Name": form,
                "Section Header": label(rel["question"]) if k == 0 else "",
                "Field Type": "radio", "Field Label": label(p["label"]),
                "Choices, Calculations, OR Slider Labels": scale,
                "Branching Logic (Show field only if...)":
                    f"[{resp}] <> '{p['redcap_choice']}'",
                "Matrix Group Name": rel["redcap_matrix_group"],
            })
    return pd.DataFrame(rows, columns=list(COLUMNS), dtype=object).fillna("")


def write_files(book: dict[str, Any]) -> dict[str, bytes]:
    """``{file name: bytes}`` of the REDCap instrument (UTF-8 CSV, Excel-safe)."""
    from ..export import to_excel_safe

    buf = io.StringIO()
    to_excel_safe(dictionary(book)).to_csv(buf, index=False, lineterminator="\n")
    return {FILE: buf.getvalue().encode("utf-8-sig")}


def export_headers(book: dict[str, Any]) -> dict[str, list[tuple[str, Any]]]:
    """What REDCap's exports of this instrument call each column.

    ``raw``: field names; ``label``: field labels. Each is a list of
    ``(header, target)``, target ``("respondent",)`` or ``(relation, person_id)``,
    in the dictionary's order (labels may repeat: they are matched in order).
    """
    tool = book["tools"]["redcap"]
    raw = [(tool["respondent_field"], ("respondent",))]
    lab = [(html.unescape(label(book["respondent_question"])), ("respondent",))]
    for rel in book["relations"]:
        for p in book["people"]:
            target = (rel["name"], p["person_id"])
            raw.append((rel["redcap_fields"][p["person_id"]], target))
            lab.append((html.unescape(label(p["label"])), target))
    return {"raw": raw, "label": lab}


def metadata(book: dict[str, Any]) -> set[str]:
    """Headers of REDCap's own export columns (ignored with an info line)."""
    form = book["tools"]["redcap"]["form"]
    return {book["tools"]["redcap"]["record_id"], "record id", "redcap_survey_identifier",
            "survey identifier", f"{form}_timestamp", "survey timestamp",
            f"{form}_complete", "complete?", "redcap_event_name", "event name",
            "redcap_repeat_instrument", "redcap_repeat_instance",
            "repeat instrument", "repeat instance", "redcap_data_access_group",
            "data access group"}
