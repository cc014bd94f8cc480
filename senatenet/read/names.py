"""Match typed names (free recall, column headers, respondents) to roster people.

Names are matched in a fixed, documented order and a fuzzy match is never
accepted silently: every name that is not matched exactly is reported (see
:func:`match_problems`), and names below the threshold or fitting several people
get no ``person_id`` at all. A human confirms them in an alias file
(``name, person_id``) that is read on the next run.
"""

from __future__ import annotations

import numbers
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError
from ..problems import problems_frame

__all__ = ["normalise_name", "match_names", "match_problems", "read_aliases"]

TITLES = frozenset(
    ["dr", "doctor", "prof", "professor", "mr", "mrs", "ms", "mx", "miss", "sir", "dame", "rev", "revd"]
)
"""Honorifics removed from the start of a name by :func:`normalise_name`."""

MATCH_COLUMNS = [
    "input", "normalised", "person_id", "matched_name", "score", "method",
    "status", "candidates",
]
_APOSTROPHES = re.compile(r"[\u2019\u2018'`\u00b4]")
_PUNCT = re.compile(r"[^\w\s]|_")


def normalise_name(name: str) -> str:
    """Return a name reduced to a comparable key.

    Steps, in order: Unicode compatibility decomposition with accents removed
    (``"Siân"`` -> ``"Sian"``), case folding, ``"Surname, Forename"`` turned into
    ``"Forename Surname"`` (at the first comma), apostrophes removed
    (``"O'Brien"`` -> ``"obrien"``), other punctuation and underscores turned into
    spaces (``"J. Smith-Jones"`` -> ``"j smith jones"``), leading titles removed
    (:data:`TITLES`: Dr, Doctor, Prof, Professor, Mr, Mrs, Ms, Mx, Miss, Sir,
    Dame, Rev, Revd) and white space collapsed.

    Parameters
    ----------
    name : str
        The name as typed.

    Returns
    -------
    str
        The normalised key (may be empty, e.g. for ``"Dr"``).

    References
    ----------
    .. [1] Unicode Standard Annex #15, Unicode Normalization Forms (NFKD).
    .. [2] Christen, P. (2012). *Data Matching*. Springer, ch. 3 (data
       cleaning and standardisation of personal names).

    Examples
    --------
    >>> normalise_name("Smith, Dr Siân")
    'sian smith'
    >>> normalise_name("PROF. J. O'Brien-Hughes")
    'j obrien hughes'
    """
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    if "," in text:
        surname, _, rest = text.partition(",")
        text = f"{rest} {surname}"
    text = _PUNCT.sub(" ", _APOSTROPHES.sub("", text))
    tokens = text.split()
    while tokens and tokens[0] in TITLES:
        tokens.pop(0)
    return " ".join(tokens)


def _initials_fit(given: list[str], target: list[str]) -> bool:
    """True when typed given names (some single letters) fit the target's, in order."""
    pos = 0
    for token in given:
        while pos < len(target):
            cand = target[pos]
            pos += 1
            if token == cand or (len(token) == 1 and cand.startswith(token)):
                break
        else:
            return False
    return True


def _roster_frame(roster: Any) -> pd.DataFrame:
    """``person_id``, ``name`` (and ``email`` if any) as text from a DataFrame or Survey."""
    people = getattr(roster, "people", roster)
    if isinstance(people, Mapping):
        return pd.DataFrame(
            {"person_id": [str(k) for k in people], "name": [str(v) for v in people.values()]}
        )
    if not isinstance(people, pd.DataFrame):
        raise InputError("roster must be a DataFrame, a Survey or a {person_id: name} dict")
    frame = people.copy()
    cols = {str(c).strip().casefold(): c for c in frame.columns}
    if "person_id" not in cols:
        if frame.index.name == "person_id":
            frame = frame.reset_index()
            cols = {str(c).strip().casefold(): c for c in frame.columns}
        else:
            raise InputError("roster has no person_id column", column="person_id")
    if "name" not in cols:
        raise InputError("roster has no name column", column="name")
    from .tables import to_text

    def text(col: str):  # as displayed: 7.0 -> "7", missing -> ""
        return to_text(frame[cols[col]]).to_numpy(dtype=object)

    out = pd.DataFrame({"person_id": text("person_id"), "name": text("name")})
    if "email" in cols:
        out["email"] = text("email")
    return out[out["person_id"].str.strip().ne("")].reset_index(drop=True)


def read_aliases(source: Any, roster: Any = None) -> pd.DataFrame:
    """Read an alias file: confirmed ``name -> person_id`` pairs.

    Parameters
    ----------
    source : path, DataFrame or dict
        CSV/XLSX or DataFrame with columns ``name`` (or ``input``, as in the
        review file written by ``senatenet match``) and ``person_id``, or a
        ``{name: person_id}`` dict. Rows with a blank ``person_id`` are skipped
        (not yet confirmed). A leading ``'`` added by the Excel-safe writer before
        ``= + - @`` is removed.
    roster : DataFrame or Survey, optional
        When given, every ``person_id`` must be in it.

    Returns
    -------
    DataFrame
        Columns ``name``, ``person_id``, ``normalised``, ``row`` (spreadsheet
        row, header = 1).

    Raises
    ------
    InputError
        Missing columns, a ``person_id`` not in the roster (with a hint when
        Excel dropped leading zeros) or one name confirmed as two people.

    References
    ----------
    .. [1] Christen, P. (2012). *Data Matching*. Springer, ch. 7 (clerical
       review of uncertain matches).

    Examples
    --------
    >>> read_aliases({"J. Smith": "p01"})[["name", "person_id", "normalised"]]
           name person_id normalised
    0  J. Smith       p01    j smith
    """
    label = "<aliases>"
    if isinstance(source, Mapping):
        table = pd.DataFrame({"name": list(source), "person_id": list(source.values())})
    else:  # a DataFrame is read as displayed: an id 7.0 is "7", a blank is ""
        table, label = read_text_table(source)
    cols = {str(c).strip().casefold(): c for c in table.columns}
    name_col = cols.get("name", cols.get("input"))
    if name_col is None or "person_id" not in cols:
        raise InputError(
            "alias file needs columns 'name' (or 'input') and 'person_id'", file=label
        )
    out = pd.DataFrame(
        {
            "name": [_unescape(str(v)) for v in table[name_col]],
            "person_id": [_unescape(str(v)).strip() for v in table[cols["person_id"]]],
            "row": range(2, len(table) + 2),
        }
    )
    out = out[(out["person_id"] != "") & (out["name"].str.strip() != "")]
    out.insert(2, "normalised", [normalise_name(n) for n in out["name"]])
    known = None if roster is None else set(_roster_frame(roster)["person_id"])
    seen: dict[str, str] = {}
    for name, pid, key, row in out[["name", "person_id", "normalised", "row"]].itertuples(
        index=False
    ):
        if known is not None and pid not in known:
            hint = [k for k in known if k.lstrip("0") == pid.lstrip("0")]
            extra = f" (did Excel drop leading zeros? roster has {hint[0]!r})" if hint else ""
            raise InputError(
                f"person_id {pid!r} for {name!r} is not in the roster{extra}",
                file=label, row=int(row), column="person_id",
            )
        if seen.get(key, pid) != pid:
            raise InputError(
                f"name {name!r} is confirmed as two people: {seen[key]!r} and {pid!r}",
                file=label, row=int(row), column="person_id",
            )
        seen[key] = pid
    return out.reset_index(drop=True)


def _unescape(value: str) -> str:
    """Undo the Excel-safe prefix ``'`` written before ``= + - @``, tab or CR."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def read_text_table(
    source: Any, *, header: bool = True, sheet: str | int | None = None
) -> tuple[pd.DataFrame, str]:
    """Read a CSV/XLSX file as text (every cell ``str``, blanks ``""``).

    Returns the table and the file label used in messages. With
    ``header=False`` the first row is data (columns are 0, 1, ...). Files are
    parsed as by :func:`senatenet.read.tables.read_table` (quoted cells may hold
    new lines; ``,``, ``;`` or tab; UTF-8, UTF-16 or Windows-1252). A CSV that is
    not UTF-8 is read as Windows-1252 and ``frame.attrs["encoding"]`` says so
    (callers report it).
    """
    if isinstance(source, pd.DataFrame):
        from .tables import to_text

        frame = pd.DataFrame({k: to_text(source.iloc[:, k]).to_numpy(dtype=object)
                              for k in range(source.shape[1])}, index=source.index)
        frame.columns = source.columns
        return frame.astype(str), "<DataFrame>"
    path = Path(source)
    label = str(source)
    if not path.is_file():
        raise InputError("a folder, not a file" if path.is_dir() else "file not found",
                         file=label)
    from .tables import XLSX_SUFFIXES, _csv_rows, _xlsx_rows, decompress

    data, inner = decompress(path.read_bytes(), label)
    suffix = Path(inner).suffix.casefold() if inner else path.suffix.casefold()
    if suffix in XLSX_SUFFIXES:
        head, body, notes = _xlsx_rows(data, label, sheet)
    else:  # the same parser as read_table: quoted new lines, ; or tab, sep=, UTF-16
        head, body, notes = _csv_rows(data, label, suffix)
    if isinstance(body, pd.DataFrame):
        body = body.to_numpy(dtype=object).tolist()
    for k, row in enumerate(body, start=2):  # e.g. an unquoted "Smith, Jane"
        if len(row) > len(head) and any(str(v).strip() for v in row[len(head):]):
            raise InputError(f"row has {len(row)} cells but the header has {len(head)} "
                             "(a comma in an unquoted cell?)", file=label, row=k)
    rows = [list(head), *map(list, body)]
    if not any(str(cell).strip() for row in rows for cell in row):
        raise InputError("the file is empty", file=label)
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    if header:
        head = rows[0]
        frame = pd.DataFrame(rows[1:], columns=range(width), dtype=object)
        frame.columns = head if len(set(head)) == len(head) else list(range(width))
        if len(set(head)) != len(head):
            frame.attrs["header"] = head
    else:
        frame = pd.DataFrame(rows, columns=range(width), dtype=object)
    frame = frame.astype(str)
    if any(n.get("check") == "encoding" for n in notes):
        frame.attrs["encoding"] = "cp1252"
    return frame, label


ENCODING_NOTE = ("the file is not UTF-8: read as Windows-1252 (check accented names; "
                 "bytes Windows-1252 does not define became \ufffd)")


def decode_text(raw: bytes) -> tuple[str, bool]:
    """UTF-8 (with or without BOM) or UTF-16 (with BOM) text, else Windows-1252;
    and whether it fell back."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), False
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), True


def match_names(
    names: Iterable[str],
    roster: Any,
    *,
    threshold: float = 90.0,
    aliases: Any = None,
    margin: float = 5.0,
    floor: float = 60.0,
    ids: bool = True,
    limit: int = 3,
) -> pd.DataFrame:
    """Match typed names to roster people, never accepting a fuzzy match silently.

    Each name is tried in this order; the first rule that applies decides:

    1. ``alias``: its normalised form is in the alias file (a human confirmed it).
    2. ``id``: it equals a ``person_id`` exactly (when ``ids=True``). A number
       that equals a zero-padded id without its zeros (``"7"`` for ``"007"``, as
       Excel shows it) is only a *suggestion*.
    3. ``exact``: it equals a roster name exactly.
    4. ``normalised``: :func:`normalise_name` of it equals that of a roster name
       (titles, accents, case, punctuation, "Surname, Forename").
    5. ``initials``: same surname and the typed given names are initials of the
       roster person's (``"J. Smith"`` fits ``"Jane Smith"``): a *suggestion*,
       never a match.
    6. ``fuzzy``: rapidfuzz ``token_sort_ratio`` (0-100) of the normalised forms.
       The best candidate is matched when its score is at least ``threshold``
       and the runner-up is more than ``margin`` below it; otherwise the name is
       ambiguous (several within ``margin``) or a suggestion (best score at
       least ``floor``) or unmatched.

    Rules 2-4 that fit several people (duplicated roster names) give
    ``ambiguous``.

    Parameters
    ----------
    names : iterable of str
        Names as typed; one output row each, in order (duplicates kept).
    roster : DataFrame, Survey or dict
        Columns (or index) ``person_id`` and ``name``; a Survey uses ``people``;
        a dict maps person_id to name.
    threshold : float, default 90
        Lowest fuzzy score accepted as a match (still reported as a warning).
        Use a value above 100 to never accept a fuzzy match.
    aliases : path, DataFrame or dict, optional
        Confirmed matches, see :func:`read_aliases`.
    margin : float, default 5
        Candidates within ``margin`` of the best make a fuzzy match ambiguous.
    floor : float, default 60
        Lowest score listed as a candidate.
    ids : bool, default True
        Whether a name equal to a ``person_id`` matches that person.
    limit : int, default 3
        Candidates listed per name.

    Returns
    -------
    DataFrame
        One row per input name with columns ``input``, ``normalised``,
        ``person_id`` (missing unless ``status == "matched"``),
        ``matched_name``, ``score`` (0-100, one decimal; 100 for rules 1-4), ``method``
        (``alias``, ``id``, ``exact``, ``normalised``, ``initials``, ``fuzzy`` or
        ``none``), ``status`` (``matched``, ``ambiguous``, ``suggestion``,
        ``unmatched``) and ``candidates`` (text ``"id: name (score)"`` joined by
        ``"; "``, filled when the match is not exact).

    References
    ----------
    .. [1] Christen, P. (2012). *Data Matching*. Springer (ch. 3 name
       standardisation, ch. 5 approximate string comparison, ch. 7 clerical
       review).
    .. [2] rapidfuzz ``fuzz.token_sort_ratio``: normalised Indel similarity of the
       sorted tokens, https://rapidfuzz.github.io/RapidFuzz/

    Examples
    --------
    >>> roster = {"p1": "Dr Jane Smith", "p2": "John Smith", "p3": "Siân Jones"}
    >>> m = match_names(["Smith, Jane", "J. Smith", "sian jones", "Jane Smtih"], roster)
    >>> m[["input", "person_id", "score", "method", "status"]]
             input person_id  score      method     status
    0  Smith, Jane        p1  100.0  normalised    matched
    1     J. Smith       NaN   82.4    initials  ambiguous
    2   sian jones        p3  100.0  normalised    matched
    3   Jane Smtih        p1   90.0       fuzzy    matched
    """
    from rapidfuzz import fuzz, process

    from .tables import _cell_text as cell_text

    for what, value in (("threshold", threshold), ("margin", margin), ("floor", floor)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != value:
            raise InputError(f"{what}= must be a number (a score 0-100), not {value!r}")
    people = _roster_frame(roster)
    pids = people["person_id"].tolist()
    rnames = people["name"].tolist()
    rnorm = [normalise_name(n) for n in rnames]
    alias_map: dict[str, str] = {}
    if aliases is not None:
        table = read_aliases(aliases, people)
        alias_map = dict(zip(table["normalised"], table["person_id"], strict=True))
    by_id: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    by_norm: dict[str, list[int]] = {}
    for i, (pid, name, key) in enumerate(zip(pids, rnames, rnorm, strict=True)):
        by_id.setdefault(pid, []).append(i)
        by_name.setdefault(name, []).append(i)
        if key:
            by_norm.setdefault(key, []).append(i)
    pos_of = {pid: idxs[0] for pid, idxs in by_id.items()}
    zeros: dict[str, list[int]] = {}
    for i, pid in enumerate(pids):
        if pid.isdigit() and pid.startswith("0"):
            zeros.setdefault(pid.lstrip("0"), []).append(i)

    def describe(hits: list[tuple[int, float]]) -> str:
        return "; ".join(f"{pids[i]}: {rnames[i]} ({score:.0f})" for i, score in hits)

    rows = []
    for raw in names:
        text = cell_text(raw)  # as displayed: missing -> "", 7.0 -> "7"
        key = normalise_name(text)
        row = {"input": text, "normalised": key, "person_id": None, "matched_name": None,
               "score": 0.0, "method": "none", "status": "unmatched", "candidates": ""}
        exact_hits = None
        if key and key in alias_map:
            i = pos_of[alias_map[key]]
            row.update(person_id=pids[i], matched_name=rnames[i], score=100.0,
                       method="alias", status="matched")
            rows.append(row)
            continue
        for method, table, probe in (
            ("id", by_id if ids else {}, text),
            ("exact", by_name, text),
            ("normalised", by_norm, key),
        ):
            hits = table.get(probe) if probe else None
            if hits:
                exact_hits = (method, sorted(set(hits)))
                break
        if exact_hits:
            method, hits = exact_hits
            if method == "id" and text in by_name and set(by_name[text]) != set(hits):
                hits = sorted(set(hits) | set(by_name[text]))
            if len(hits) == 1:
                i = hits[0]
                row.update(person_id=pids[i], matched_name=rnames[i], score=100.0,
                           method=method, status="matched")
            else:
                row.update(score=100.0, method=method, status="ambiguous",
                           candidates=describe([(i, 100.0) for i in hits]))
            rows.append(row)
            continue
        padded = zeros.get(text.lstrip("0")) if ids and text.isdigit() else None
        if padded:  # "7" for "007": Excel drops leading zeros; suggest, never match
            row.update(score=100.0, method="id", status="suggestion",
                       candidates=describe([(i, 100.0) for i in padded]))
            rows.append(row)
            continue
        if not key:
            rows.append(row)
            continue
        tokens = key.split()
        if len(tokens) > 1 and any(len(t) == 1 for t in tokens[:-1]):
            fits = [
                i for i, rk in enumerate(rnorm)
                if rk and rk.split()[-1] == tokens[-1]
                and _initials_fit(tokens[:-1], rk.split()[:-1])
            ]
            if fits:
                hits = [(i, float(fuzz.token_sort_ratio(key, rnorm[i]))) for i in fits]
                hits.sort(key=lambda h: -h[1])
                row.update(score=hits[0][1], method="initials",
                           status="suggestion" if len(fits) == 1 else "ambiguous",
                           candidates=describe(hits[:limit]))
                rows.append(row)
                continue
        found = process.extract(key, rnorm, scorer=fuzz.token_sort_ratio,
                                limit=max(limit, 2), score_cutoff=floor)
        hits = [(i, float(score)) for _, score, i in found]
        if hits:
            best = hits[0][1]
            close = [h for h in hits if h[1] >= best - margin]
            row.update(score=best, method="fuzzy", candidates=describe(hits[:limit]))
            if len(close) > 1:
                row["status"] = "ambiguous"
            elif best >= threshold:
                i = hits[0][0]
                row.update(person_id=pids[i], matched_name=rnames[i], status="matched")
            else:
                row["status"] = "suggestion"
        rows.append(row)
    out = pd.DataFrame(rows, columns=MATCH_COLUMNS)
    out["score"] = out["score"].astype(float).round(1)
    return out


def match_problems(
    matches: pd.DataFrame,
    *,
    file: str | None = None,
    column: str | list[str] | None = None,
    rows: Iterable[int | None] | None = None,
    what: str = "name",
    action: str = "dropped",
) -> pd.DataFrame:
    """Validation-report rows for every name not matched exactly.

    ``ambiguous``, ``suggestion`` and ``unmatched`` names are errors (the value
    is not used: ``action``); fuzzy matches are warnings and ``normalised``/
    ``alias`` matches info (action ``changed``: the text was resolved to a
    person). Exact and id matches give no row.

    Parameters
    ----------
    matches : DataFrame
        Output of :func:`match_names`.
    file : str, optional
        Where the names came from.
    column : str or list of str, optional
        The column of all names, or one per name.
    rows : iterable of int, optional
        Spreadsheet row of each name (same length as ``matches``).
    what : str
        Word used in messages (``"name"``, ``"column header"``, ...).
    action : str
        Action recorded for names that are not used.

    Returns
    -------
    DataFrame
        The validation-report columns (``severity, file, row, column, value,
        problem, action, check``); ``check`` is ``name_<status>`` for names not
        used and ``name_<method>`` for accepted non-exact matches.

    References
    ----------
    .. [1] Christen, P. (2012). *Data Matching*. Springer, ch. 7.

    Examples
    --------
    >>> m = match_names(["J Smith", "Jane Smith"], {"p1": "Jane Smith"})
    >>> match_problems(m, file="recall.csv")[["severity", "value", "action"]]
      severity    value   action
    0    error  J Smith  dropped
    """
    row_list = list(rows) if rows is not None else [None] * len(matches)
    col_list = (list(column) if isinstance(column, (list, tuple))
                else [column] * len(matches))
    out = []
    for rec, row, col in zip(matches.to_dict("records"), row_list, col_list, strict=True):
        status, method, value = rec["status"], rec["method"], rec["input"]
        cands = f"; candidates: {rec['candidates']}" if rec["candidates"] else ""
        if status == "matched":
            if method in ("exact", "id"):
                continue
            severity = "warning" if method == "fuzzy" else "info"
            how = {"fuzzy": f"fuzzy score {rec['score']:.0f}", "alias": "alias file",
                   "normalised": "normalised spelling"}[method]
            problem = (f"{what} {value!r} matched to {rec['person_id']} "
                       f"{rec['matched_name']!r} by {how}")
            act = "changed"
            check = f"name_{method}"
        else:
            severity = "error"
            problem = {
                "ambiguous": f"{what} {value!r} fits more than one roster person",
                "suggestion": (
                    f"{what} {value!r} looks like a person_id without its leading "
                    "zeros (did Excel drop them?); not accepted"
                    if method == "id" else
                    f"{what} {value!r} is not confidently a roster person "
                    f"({method} match, not accepted)"),
                "unmatched": f"{what} {value!r} matches no roster person",
            }[status] + cands
            act = action
            check = f"name_{status}"
        out.append({"severity": severity, "file": file, "row": row, "column": col,
                    "value": value, "problem": problem, "action": act, "check": check})
    return problems_frame(out)
