"""Rendering the report page: autoescaped Jinja, tables, embedded figures, CSP.

Every survey string reaches the page through Jinja's autoescaping (never
``|safe``); figures are embedded as ``data:`` URIs; the interactive map is an
escaped ``srcdoc`` iframe; the Content-Security-Policy forbids every network
fetch, so the single file works on a PC with no internet connection.
"""

from __future__ import annotations

import base64
import io
import math
import re
import struct
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # jinja2 loads when a page is rendered, not with senatenet
    import jinja2

__all__ = ["REPORT_CSP", "render_report", "table_view", "format_value", "png_data_uri"]

#: Content-Security-Policy of ``report.html``: nothing may be fetched; inline
#: styles, inline scripts of the embedded map, ``data:`` images only.
REPORT_CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "script-src 'unsafe-inline'; font-src data:; frame-src 'self' data: about:; "
    "child-src 'self' data: about:; connect-src 'none'; base-uri 'none'; "
    "form-action 'none'"
)

_env: jinja2.Environment | None = None


def _environment() -> jinja2.Environment:
    global _env
    if _env is None:
        import jinja2
        import markupsafe

        _env = jinja2.Environment(
            loader=jinja2.PackageLoader("senatenet.report", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=False,
            lstrip_blocks=False,
        )
        # only letters, digits, spaces, escapes and the quotes are left: Markup
        # keeps Jinja from turning the quotes into entities inside <style>
        _env.filters["css_string"] = lambda t: markupsafe.Markup(css_string(t))
    return _env


def css_string(text: Any) -> str:
    r"""``text`` as a quoted CSS string in which every character other than an
    ASCII letter, digit or space is a six-digit CSS escape (``\00003c`` for ``<``).

    Safe for survey text inside ``<style>``: no quote, backslash, ``<`` or
    newline survives, so the string cannot end early or close the element.

    Examples
    --------
    >>> print(css_string("A & B </style>"))
    "A \000026 B \00003c\00002fstyle\00003e"
    """
    out = []
    for ch in str(text):
        if ch.isascii() and (ch.isalnum() or ch == " "):
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):06x}")
    return '"' + "".join(out) + '"'



def _is_table(value: Any) -> bool:
    return isinstance(value, Mapping) and "columns" in value and "rows" in value


def link_tables(sections: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The sections with ids on their tables and figures linked to them.

    Every on-page table without an id gets ``table-<section>-<key>`` (e.g.
    ``table-boundaries-org_pairs``); every figure gets ``data_files`` (the
    ``tables/*.csv`` with its numbers) and ``data_table`` (the id of the
    on-page table with them, when that table is on the page; see
    :data:`~senatenet.report.alt_text.FIGURE_DATA`). Returns copies.
    """
    from .alt_text import FIGURE_DATA

    out, ids = [], set()
    for s in sections:
        s = dict(s)
        for key, value in list(s.items()):
            if _is_table(value):
                value = dict(value)
                value["id"] = value.get("id") or f"table-{s.get('id', 'page')}-{key}"
                ids.add(value["id"])
                s[key] = value
        out.append(s)
    for s in out:
        figures = {}
        for name, f in (s.get("figures") or {}).items():
            anchor, files = FIGURE_DATA.get(f.get("name", name), (None, ()))
            figures[name] = {
                **f,
                "data_files": [f"tables/{t}.csv" for t in files],
                "data_table": anchor if anchor in ids else None,
            }
        if "figures" in s:
            s["figures"] = figures
    return out


def render_report(context: Mapping[str, Any]) -> str:
    """Render ``report.html.j2`` with ``context`` (autoescaped)."""
    context = dict(context)
    context["sections"] = link_tables(context.get("sections", ()))
    return (
        _environment().get_template("report.html.j2").render(csp=REPORT_CSP, **context)
    )


def format_value(value: Any, kind: str | None = None) -> str:
    """A cell as text: integers without decimals, floats to 3 significant
    decimals, p-values as ``< 0.001``, proportions as percentages; missing as "–".

    Examples
    --------
    >>> format_value(3.0), format_value(0.123456), format_value(0.0004, "p")
    ('3', '0.123', '< 0.001')
    >>> format_value(0.5, "pct"), format_value(float("nan")), format_value("007")
    ('50%', '–', '007')
    >>> format_value(-2.0, "change"), format_value(0.25, "change"), format_value(-0.4, "pp")
    ('−2', '+0.250', '−40 points')
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return "–"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        v = float(value)
        if math.isnan(v):
            return "–"
        if math.isinf(v):
            return "∞" if v > 0 else "−∞"
        if kind == "p":
            return "< 0.001" if v < 0.001 else f"{v:.3f}"
        if kind == "pct":
            return f"{v:.0%}"
        if kind == "signed":
            return f"{v:+.3f}".replace("-", "−")
        if kind == "change":  # whole numbers stay whole: +14, −2, 0
            text = f"{v:+,.0f}" if v.is_integer() else f"{v:+.3f}"
            return "0" if v == 0 else text.replace("-", "−")
        if kind == "pp":  # a change of a proportion, in percentage points
            return (
                "0"
                if round(v * 100) == 0
                else f"{v * 100:+.0f} points".replace("-", "−")
            )
        if v.is_integer() and abs(v) < 1e12:
            return f"{int(v):,}"
        return f"{v:.3f}"
    return str(value)


def _is_num(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def table_view(
    df: pd.DataFrame,
    *,
    index: str | None = None,
    columns: Mapping[str, str] | Sequence[str] | None = None,
    kinds: Mapping[str, str] | None = None,
    highlight: Sequence[bool] | None = None,
    suppressed: Sequence[bool] | None = None,
    suppress_columns: Sequence[str] = (),
    caption: str | None = None,
    note: str | None = None,
    max_rows: int | None = None,
    id: str | None = None,
) -> dict[str, Any] | None:
    """A DataFrame as a plain structure for the template's ``table`` macro.

    Values become text here (:func:`format_value`) and are escaped by Jinja.

    Parameters
    ----------
    df : DataFrame
    index : str, optional
        Header for the index, which is then shown as the first column.
    columns : mapping or sequence, optional
        Columns to show (mapping: column -> header).
    kinds : mapping, optional
        Column -> ``"p"``, ``"pct"``, ``"signed"``, ``"change"`` (``+14``,
        ``−0.250``) or ``"pp"`` (percentage points) formatting.
    highlight : sequence of bool, optional
        Rows to highlight (e.g. a flipped conclusion).
    suppressed : sequence of bool, optional
        Rows whose ``suppress_columns`` read "suppressed" instead of a number.
    max_rows : int, optional
        Show the first rows only and say how many were left out.
    """
    if df is None:
        return None
    if columns is None:
        columns = {c: pretty(c) for c in df.columns}
    elif not isinstance(columns, Mapping):
        columns = {c: pretty(c) for c in columns}
    columns = {c: h for c, h in columns.items() if c in df.columns}
    kinds = dict(kinds or {})
    n = len(df)
    shown = df if max_rows is None else df.iloc[:max_rows]
    rows = []
    for i, (idx, rec) in enumerate(shown.iterrows()):
        cells = []
        if index is not None:
            cells.append({"text": format_value(idx), "cls": "", "title": ""})
        for c in columns:
            v = rec[c]
            if suppressed is not None and suppressed[i] and c in suppress_columns:
                cells.append(
                    {
                        "text": "suppressed",
                        "cls": "sup",
                        "title": "fewer people than the suppression threshold",
                    }
                )
                continue
            cells.append(
                {
                    "text": format_value(v, kinds.get(c)),
                    "cls": "num" if _is_num(v) else "",
                    "title": "",
                }
            )
        cls = "flip" if highlight is not None and bool(highlight[i]) else ""
        rows.append({"cells": cells, "cls": cls})
    if max_rows is not None and n > max_rows:
        extra = (
            f"Showing {max_rows} of {n} rows; the full table is in the tables folder."
        )
        note = f"{note} {extra}" if note else extra
    headers = ([index] if index is not None else []) + list(columns.values())
    return {
        "columns": headers,
        "rows": rows,
        "caption": caption,
        "note": note,
        "id": id,
    }


def pretty(column) -> str:
    """A column name as a header: ``ei_before`` -> ``E-I before``.

    Examples
    --------
    >>> pretty("external_ties_change"), pretty("p_two_sided"), pretty("n")
    ('external ties change', 'p (two-sided)', 'n')
    """
    text = str(column)
    for raw, nice in (
        ("p_two_sided", "p (two-sided)"),
        ("p_greater", "p (greater)"),
        ("p_less", "p (less)"),
        ("n_permutations", "permutations"),
    ):
        text = text.replace(raw, nice)
    text = text.replace("_", " ")
    return re.sub(r"\bei\b", "E-I", text)


def png_data_uri(png: bytes) -> tuple[str, int, int]:
    """``data:image/png;base64,...`` and the image's pixel width and height."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", png[16:24])
    return (
        "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
        width,
        height,
    )


def figure_png(fig, *, dpi: int = 110) -> bytes:
    """A matplotlib figure as PNG bytes (no metadata beyond the software name)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    return buf.getvalue()
