"""Read CSV, XLSX or DataFrame input into all-text tables, loudly.

Every cell is read as text exactly as written, so ``"007"`` stays ``"007"`` and a
person called ``"NA"`` is not a missing value. Rows are numbered as a person
counts them in a spreadsheet: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..problems import problems_frame

__all__ = ["Table", "read_table", "normalize_header", "match_columns", "to_text"]

XLSX_SUFFIXES = (".xlsx", ".xlsm")
_ZERO_PADDED = re.compile(r"^0+$")


@dataclass(frozen=True)
class Table:
    """An all-text table read from a file or a DataFrame.

    Attributes
    ----------
    frame : pandas.DataFrame
        Every column holds ``str`` (a blank cell is ``""``). The index, named
        ``row``, is the spreadsheet row of each record (header = row 1).
    file : str
        The label used in messages: the file name, or ``"<name DataFrame>"``.
    source : str
        The full path, or ``"<DataFrame>"``.
    sha256 : str or None
        Hash of the file's bytes (``None`` for a DataFrame).
    problems : pandas.DataFrame
        Validation lines raised while reading (encoding fallback, blank rows...).
    """

    frame: pd.DataFrame
    file: str
    source: str
    sha256: str | None = None
    problems: pd.DataFrame = field(default_factory=lambda: problems_frame([]))


def normalize_header(name: Any) -> str:
    """Canonical form of a column header: trimmed, case-folded, ``_`` for gaps.

    References
    ----------
    .. [1] Wickham, H. (2014). Tidy data. *Journal of Statistical Software*
       59(10), 1–23. doi:10.18637/jss.v059.i10

    Examples
    --------
    >>> normalize_header("  Person ID ")
    'person_id'
    >>> normalize_header("Organisation-Name")
    'organisation_name'
    """
    text = str(name).strip().casefold()
    return re.sub(r"[\s\-]+", "_", text)


def to_text(values: pd.Series) -> pd.Series:
    """Convert a column to text as a person would read it in a spreadsheet.

    Missing values become ``""``; whole floats lose their ``.0`` (``7.0`` ->
    ``"7"``); strings are kept exactly. The input is not modified.

    References
    ----------
    .. [1] ECMA-376 (2021). *Office Open XML File Formats*, Part 1, §18.8.30
       (number formats: how a cell value is displayed).

    Examples
    --------
    >>> to_text(pd.Series([7.0, 2.5, None])).tolist()
    ['7', '2.5', '']
    >>> to_text(pd.Series(["007", "NA"])).tolist()
    ['007', 'NA']
    """
    if isinstance(values.dtype, pd.StringDtype):
        out = values.to_numpy(dtype=object, na_value="")
    else:
        small_float = values.dtype.kind == "f" and values.dtype.itemsize < 8
        cells = values.to_numpy() if small_float else values.to_numpy(dtype=object)
        out = np.array([_cell_text(v) for v in cells], dtype=object)
    return pd.Series(out, index=values.index, dtype="str")


def _cell_text(value: Any, number_format: str | None = None) -> str:
    """Text of one spreadsheet or DataFrame cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return "TRUE" if value else "FALSE"
    if value is pd.NaT:  # a datetime instance that has no date
        return ""
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, (int, np.integer)):
        text = str(int(value))
    elif isinstance(value, (float, np.floating)):
        if float(value).is_integer():
            text = str(int(value))
        else:  # numpy's str gives float32 0.1 as "0.1", not 0.10000000149011612
            text = repr(float(value)) if isinstance(value, float) else str(value)
    else:
        return str(value)
    if number_format and _ZERO_PADDED.match(number_format) and text.isdigit():
        text = text.zfill(len(number_format))  # an id shown as 007 stays "007"
    return text


def read_table(
    source: str | Path | pd.DataFrame,
    *,
    name: str = "table",
    sheet: str | int | None = None,
) -> Table:
    """Read a CSV file, an XLSX workbook or a DataFrame as an all-text table.

    CSV files may be UTF-8 (with or without BOM), UTF-16 with BOM, or
    Windows-1252 (read with a warning in ``problems``). The delimiter is
    ``,``, ``;`` or tab, whichever the header line uses most, unless Excel's
    ``sep=;`` first line names it (that line is skipped, as Excel does). XLSX cells are read
    as displayed where possible: ``7.0`` becomes ``"7"``, a number formatted
    ``000`` becomes ``"007"``, a date becomes ``"2012-03-01"``. Rows that are
    entirely blank are dropped with an ``info`` line. A DataFrame is copied, never
    modified, and numbered as if written to a spreadsheet (first row = row 2); a
    named index (such as ``Survey.people``'s ``person_id``) is its first column.

    Parameters
    ----------
    source : str, pathlib.Path or pandas.DataFrame
        The file (``.csv``, ``.tsv``, ``.txt``, ``.xlsx``, ``.xlsm``) or table.
    name : str
        What the table is (``"roster"``, ``"ties"``...), used in messages.
    sheet : str or int, optional
        XLSX sheet name or 0-based position; default the first sheet.

    Returns
    -------
    Table

    Raises
    ------
    InputError
        When the file is missing, unreadable, empty, or has ragged rows.

    References
    ----------
    .. [1] RFC 4180, "Common Format and MIME Type for Comma-Separated Values".

    Examples
    --------
    >>> t = read_table(pd.DataFrame({"person_id": ["007", "NA"]}), name="roster")
    >>> t.frame["person_id"].tolist(), t.frame.index.tolist()
    (['007', 'NA'], [2, 3])
    """
    if isinstance(source, pd.DataFrame):
        return _from_frame(source, name)
    if not isinstance(source, (str, Path)):
        raise InputError(
            f"the {name} must be a file path or a pandas DataFrame, "
            f"not {type(source).__name__}"
        )
    path = Path(source)
    label = path.name or str(source)
    if path.is_dir():
        raise InputError(f"a folder, not a {name} file", file=str(source))
    if not path.is_file():
        raise InputError(f"the {name} file does not exist", file=str(source))
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    data, inner = decompress(data, label)
    suffix = Path(inner).suffix.lower() if inner else path.suffix.lower()
    if suffix == ".xls":
        raise InputError(
            "old-style .xls workbooks are not supported; save as .xlsx or CSV",
            file=label,
        )
    if suffix in XLSX_SUFFIXES:
        header, rows, notes = _xlsx_rows(data, label, sheet)
    else:
        header, rows, notes = _csv_rows(data, label, suffix)
    frame, more = _build(header, rows, label, name)
    problems = problems_frame(notes + more)
    return Table(frame=frame, file=label, source=str(source), sha256=digest, problems=problems)


def decompress(data: bytes, label: str) -> tuple[bytes, str | None]:
    """Bytes of a ``.gz`` file or of the one file in a ``.zip``, and the inner name.

    Plain bytes are returned unchanged (inner name None). A zip holding several
    files, or an unreadable archive, raises :class:`InputError` naming the
    compression.
    """
    import gzip
    import zipfile

    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data), label[:-3] if label.lower().endswith(".gz") else ""
        except (OSError, EOFError) as exc:
            raise InputError(f"a gzip-compressed file that cannot be decompressed ({exc})",
                             file=label) from None
    if data[:4] == b"PK\x03\x04" and not label.lower().endswith((".xlsx", ".xlsm")):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = [i.filename for i in z.infolist() if not i.is_dir()]
                if len(names) != 1 and not any(n.startswith("xl/") for n in names):
                    raise InputError(f"a zip archive holding {len(names)} files; senatenet "
                                     "reads a zip holding exactly one file (unzip it and "
                                     "give the file you mean)", file=label)
                if len(names) == 1:
                    return z.read(names[0]), names[0]
        except zipfile.BadZipFile as exc:
            raise InputError(f"a zip archive that cannot be read ({exc})", file=label) from None
    return data, None


def _note(file: str, problem: str, check: str, *, severity="info", action="kept", **kw):
    return {"severity": severity, "file": file, "problem": problem, "check": check,
            "action": action, **kw}


def _decode(data: bytes, label: str) -> tuple[str, list[dict]]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"cannot decode the file as UTF-8 or Windows-1252 (byte {exc.start})",
            file=label,
        ) from None
    note = _note(
        label,
        "file is not UTF-8; read as Windows-1252 (check accented names)",
        "encoding",
        severity="warning",
        action="changed",
        value="windows-1252",
    )
    return text, [note]


def _csv_rows(data: bytes, label: str, suffix: str):
    try:
        text, notes = _decode(data, label)
    except UnicodeError as exc:
        raise InputError(f"cannot decode the file: {exc}", file=label) from None
    if not text.strip():
        raise InputError("the file is empty", file=label)
    first = text.split("\n", 1)[0]
    hint = re.fullmatch(r"sep=(.)\r?", first)
    if hint:  # Excel's separator line; Excel hides it, so the header stays row 1
        sep = hint.group(1)
        text = text.split("\n", 1)[1] if "\n" in text else ""
        if not text.strip():
            raise InputError("the file is empty", file=label)
    else:
        counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
        sep = "\t" if suffix == ".tsv" else max(counts, key=lambda s: (counts[s], s == ","))
    if sep != ",":
        notes.append(_note(label, f"columns separated by {sep!r}", "delimiter", value=sep))
    try:  # fast path: pandas' C parser, all cells as text
        raw = pd.read_csv(
            io.StringIO(text), header=None, sep=sep, dtype=object,
            keep_default_na=False, na_filter=False, skip_blank_lines=False,
        )
    except (pd.errors.ParserError, ValueError):
        raw = None  # ragged rows: the csv module below finds the exact row
    if raw is not None and len(raw):
        return [str(h) for h in raw.iloc[0]], raw.iloc[1:], notes
    rows: list[list[str]] = []
    try:  # strict: a quote never closed is an error, not the rest of the file in one cell
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True):
            rows.append(row)
    except csv.Error as exc:
        hint = " (a quote opened in this row is never closed)" if "end of data" in str(
            exc) else ""
        raise InputError(f"cannot parse the CSV file: {exc}{hint}", file=label,
                         row=len(rows) + 1) from None
    return rows[0], rows[1:], notes


def _xlsx_rows(data: bytes, label: str, sheet):
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a bad workbook
        raise InputError(f"cannot open the workbook: {exc}", file=label) from None
    try:
        names = book.sheetnames
        if sheet is None:
            ws = book[names[0]]
        elif isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise InputError(f"no sheet number {sheet}; sheets: {names}", file=label)
            ws = book[names[sheet]]
        elif sheet in names:
            ws = book[sheet]
        else:
            raise InputError(f"no sheet {sheet!r}; sheets: {names}", file=label)
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # do not trust (or scan for) the stored size
        rows = [
            [_cell_text(c.value, getattr(c, "number_format", None)) for c in row]
            for row in ws.iter_rows()
        ]
    finally:
        book.close()
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    while rows and not any(v.strip() for v in rows[-1]):
        rows.pop()  # trailing formatted-but-empty rows hold no data
    if not rows:
        raise InputError("the sheet is empty", file=label)
    return rows[0], rows[1:], []


def _build(header: list[str], rows, label: str, name: str):
    notes: list[dict] = []
    if not header or not any(h.strip() for h in header):
        raise InputError("the header row is empty: the column names must be in row 1 "
                         "(delete any blank or title rows above them)", file=label, row=1)
    width = len(header)
    if isinstance(rows, pd.DataFrame):  # already rectangular (pandas parser)
        index = pd.RangeIndex(2, len(rows) + 2, name="row")
        frame = pd.DataFrame(
            {i: pd.Series(rows.iloc[:, i].to_numpy(), index=index, dtype="str")
             for i in range(width)},
            index=index,
        )
        return _name_columns(frame, header, label, notes)
    fixed = []
    for i, row in enumerate(rows):
        if len(row) > width and any(v.strip() for v in row[width:]):
            raise InputError(
                f"row has {len(row)} cells but the header has {width}",
                file=label,
                row=i + 2,
            )
        fixed.append(row[:width] + [""] * (width - len(row)))
    index = pd.RangeIndex(2, len(fixed) + 2, name="row")
    cols = list(zip(*fixed, strict=True)) if fixed else [()] * width
    frame = pd.DataFrame(
        {i: pd.Series(list(c), index=index, dtype=object).astype(str) for i, c in enumerate(cols)},
        index=index,
    )
    return _name_columns(frame, header, label, notes)


def _name_columns(frame, header, label, notes):
    names = [h.lstrip("\ufeff").strip() for h in header]
    for i, h in enumerate(names):
        if h and h in names[:i]:
            raise InputError("duplicate column name", file=label, row=1, column=h)
    keep = []
    for i, h in enumerate(names):
        if h:
            keep.append(i)
        elif frame[i].str.strip().ne("").any():
            notes.append(_note(
                label, f"column {i + 1} has data but no header; ignored",
                "column_ignored", severity="warning", action="ignored",
                column=f"(column {i + 1})",
            ))
    frame = frame[keep]
    frame.columns = [names[i] for i in keep]
    return _drop_blank_rows(frame, label, notes)


def _from_frame(df: pd.DataFrame, name: str) -> Table:
    label = f"<{name} DataFrame>"
    named = [n for n in df.index.names if n is not None and n not in df.columns]
    if named and len(named) == df.index.nlevels:  # e.g. Survey.people: person_id index
        df = df.reset_index()
    if len(df.columns) == 0:
        raise InputError(f"the {name} table has no columns", file=label)
    index = pd.RangeIndex(2, len(df) + 2, name="row")
    frame = pd.DataFrame(
        {i: to_text(df.iloc[:, i]).set_axis(index) for i in range(len(df.columns))},
        index=index,
    )
    header = [_cell_text(c) for c in df.columns]
    frame, notes = _name_columns(frame, header, label, [])
    return Table(frame=frame, file=label, source="<DataFrame>", problems=problems_frame(notes))


def _drop_blank_rows(frame: pd.DataFrame, label: str, notes: list[dict]):
    blank = np.full(len(frame), len(frame.columns) > 0)
    for c in frame.columns:  # narrow the candidates column by column
        pos = np.flatnonzero(blank)
        if not len(pos):
            break
        values = frame[c].to_numpy(dtype=object)[pos]
        blank[pos] = [not v.strip() for v in values]
    for row in frame.index[blank]:
        notes.append(_note(label, "blank row", "blank_row", action="dropped", row=int(row)))
    return frame.loc[~blank], notes


def match_columns(
    table: Table,
    *,
    required: Iterable[str],
    optional: Iterable[str] = (),
    aliases: Mapping[str, str] | None = None,
    keep_extra: bool = False,
    name: str = "table",
) -> tuple[pd.DataFrame, list[dict]]:
    """Rename a table's columns to canonical names, checking the required ones.

    Headers are matched after :func:`normalize_header`; an alias (for example
    ``ego`` for ``respondent``) is used only when the canonical name is absent,
    with an ``info`` line (action ``renamed``). Unknown columns are kept when
    ``keep_extra`` (under their trimmed header) and otherwise reported as ignored.

    Parameters
    ----------
    table : Table
    required, optional : iterable of str
        Canonical column names.
    aliases : mapping, optional
        Normalised alternative header -> canonical name.
    keep_extra : bool
        Keep unknown columns (e.g. extra roster attributes).
    name : str
        What the table is, for messages.

    Returns
    -------
    frame : pandas.DataFrame
        Canonical columns first (those present), then the extra ones.
    notes : list of dict
        Validation lines.

    Raises
    ------
    InputError
        A required column is missing, or two headers mean the same column.

    References
    ----------
    .. [1] Wickham, H. (2014). Tidy data. *Journal of Statistical Software*
       59(10), 1–23. doi:10.18637/jss.v059.i10

    Examples
    --------
    >>> t = read_table(pd.DataFrame({" Person ID": ["1"], "Org": ["A"]}))
    >>> frame, notes = match_columns(
    ...     t, required=["person_id", "organisation"], aliases={"org": "organisation"}
    ... )
    >>> list(frame.columns), notes[0]["action"]
    (['person_id', 'organisation'], 'renamed')
    """
    required, optional = list(required), list(optional)
    known = required + optional
    aliases = dict(aliases or {})
    notes: list[dict] = []
    norm = {col: normalize_header(col) for col in table.frame.columns}
    present = set(norm.values())
    mapping: dict[str, str] = {}
    seen: dict[str, str] = {}
    for col, key in norm.items():
        target = key if key in known else None
        if target is None and key in aliases and aliases[key] not in present:
            target = aliases[key]
            notes.append(_note(
                table.file, f"column {col!r} read as {target!r}", "column_renamed",
                action="renamed", column=str(col), value=str(col),
            ))
        if target is None:
            continue
        if target in seen:
            raise InputError(
                f"columns {seen[target]!r} and {col!r} both mean {target!r}",
                file=table.file, row=1, column=str(col),
            )
        seen[target] = col
        mapping[col] = target
    for col in required:
        if col not in seen:
            raise InputError(
                f"the {name} has no {col!r} column (columns found: "
                f"{', '.join(map(repr, table.frame.columns))})",
                file=table.file, row=1, column=col,
            )
    extra = [c for c in table.frame.columns if c not in mapping]
    if not keep_extra:
        for col in extra:
            has_data = table.frame[col].str.strip().ne("").any()
            notes.append(_note(
                table.file, "unknown column ignored", "column_ignored",
                severity="warning" if has_data else "info", action="ignored",
                column=str(col),
            ))
    frame = table.frame.rename(columns=mapping)
    ordered = [c for c in known if c in frame.columns]
    return frame[ordered + (extra if keep_extra else [])], notes
