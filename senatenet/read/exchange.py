"""Exchange formats: adjacency matrices, UCINET DL and Pajek ``.net``.

Readers return a validated :class:`~senatenet.Survey` (every vertex of the file
counts as a respondent, since these formats do not record non-response); writers
take a networkx graph or one wave/relation slice of a Survey, so results
round-trip into UCINET and Pajek. Labels are kept as text exactly as written.
See ``docs/survey-exports.md``.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pandas as pd

from ..errors import InputError
from ..validation import NO_ORGANISATION, problems_frame
from .names import (
    ENCODING_NOTE,
    _roster_frame,
    decode_text,
    match_names,
    match_problems,
)
from .wide import _raw_rows, _read_roster, build_survey

if TYPE_CHECKING:
    from ..survey import Survey

__all__ = [
    "read_adjacency_matrix",
    "read_ucinet_dl",
    "write_ucinet_dl",
    "read_pajek",
    "write_pajek",
]

_TOKEN = re.compile(r'"([^"]*)"|\'([^\']*)\'|([^\s,=]+)')
_DL_FORMATS = {"fullmatrix": "fullmatrix", "fm": "fullmatrix", "edgelist1": "edgelist1",
               "el1": "edgelist1", "edgelist": "edgelist1", "nodelist1": "nodelist1",
               "nl1": "nodelist1", "nodelist": "nodelist1"}


class _Net:
    """What a file says: labels, layers (matrix names) and cells with their lines."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.labels: list[str] = []
        self.layers: list[str] = []
        self.cells: list[tuple[int, str, str, str, int | None]] = []  # layer, i, j, value, line
        self.notes: list[dict] = []

    def note(self, check, severity, problem, action, *, row=None, column=None, value=None):
        self.notes.append({"severity": severity, "file": self.file, "row": row,
                           "column": column, "value": value, "problem": problem,
                           "action": action, "check": check})


def _tokens(text: str) -> list[str]:
    """Items separated by spaces, commas or ``=``; ``"quoted items"`` kept whole."""
    out = []
    for m in _TOKEN.finditer(text):
        dq, sq, bare = m.groups()
        out.append(dq if dq is not None else sq if sq is not None else bare)
    return out


def _line_tokens(lines: Sequence[tuple[int, str]]) -> list[tuple[str, int]]:
    return [(tok, n) for n, line in lines for tok in _tokens(line)]


def _text(source: Any) -> tuple[str, str, bool]:
    """Text, file label and whether the file was read as Windows-1252."""
    if isinstance(source, (str, Path)) and "\n" not in str(source):
        path = Path(source)
        if not path.is_file():
            raise InputError("file not found", file=str(source))
        text, fallback = decode_text(path.read_bytes())
        return text, str(source), fallback
    return str(source), "<text>", False


# --------------------------------------------------------------------- readers
def _parse_dl(text: str, file: str) -> _Net:
    net = _Net(file)
    lines = [(k, line) for k, line in enumerate(text.splitlines(), start=1)]
    split = next((k for k, line in lines if re.match(r"(?i)^\s*data\s*:", line)), None)
    if not lines or not re.match(r"(?i)^\s*dl\b", lines[0][1]):
        raise InputError("not a UCINET DL file: it must start with 'DL'", file=file, row=1)
    if split is None:
        raise InputError("no 'DATA:' line", file=file)
    head = "\n".join(line for k, line in lines if k < split)
    after = re.sub(r"(?i)^\s*data\s*:", "", lines[split - 1][1])
    body = ([(split, after)] if after.strip() else []) + [(k, s) for k, s in lines if k > split]

    def number(key: str) -> int | None:
        m = re.search(rf"(?i)\b{key}\s*=\s*(\d+)", head)
        return int(m.group(1)) if m else None

    n, nr, nc, nm = number("n"), number("nr"), number("nc"), number("nm") or 1
    if nr is not None or nc is not None:
        if nr != nc or (n is not None and nr != n):
            raise InputError("two-mode (rectangular) DL data is not supported", file=file)
        n = nr
    fmt_m = re.search(r"(?i)\bformat\s*=\s*(\w+)", head)
    fmt = _DL_FORMATS.get((fmt_m.group(1) if fmt_m else "fullmatrix").casefold())
    if fmt is None:
        raise InputError(f"DL format {fmt_m.group(1)!r} is not supported (supported: "
                         "fullmatrix, edgelist1, nodelist1)", file=file)
    if re.search(r"(?i)\bdiagonal\s*=\s*absent", head):
        raise InputError("'diagonal = absent' is not supported", file=file)
    embedded = bool(re.search(r"(?i)\blabels\s+embedded", head))
    sections = {}
    keys = r"(row\s+labels|column\s+labels|col\s+labels|matrix\s+labels|labels)\s*:"
    parts = re.split(rf"(?i)\b{keys}", head)
    for name, content in zip(parts[1::2], parts[2::2], strict=True):
        content = re.split(r"(?i)\b(?:format|n|nr|nc|nm|diagonal)\s*=", content)[0]
        sections[re.sub(r"\s+", " ", name.casefold())] = _tokens(content)
    labels = sections.get("labels") or sections.get("row labels") or []
    col = sections.get("column labels") or sections.get("col labels")
    if col is not None and col != labels:
        raise InputError("row and column labels differ (two-mode data is not supported)",
                         file=file)
    net.layers = sections.get("matrix labels") or [str(k) for k in range(1, nm + 1)]
    if len(net.layers) != nm:
        raise InputError(f"NM = {nm} but {len(net.layers)} matrix labels", file=file)
    if n is None and not embedded:
        raise InputError("no 'N =' in the DL header", file=file)
    if labels and n is not None and len(labels) != n:
        raise InputError(f"N = {n} but {len(labels)} labels", file=file)
    blocks: list[list[tuple[int, str]]] = [[]]
    for k, line in body:
        if line.strip() == "!":
            blocks.append([])
        elif line.strip():
            blocks[-1].append((k, line))
    if fmt == "fullmatrix":
        _dl_fullmatrix(net, body, labels, n, nm, embedded)
    else:
        if len(blocks) != nm and (nm == 1 or len(blocks) != 1):
            raise InputError(f"NM = {nm} but {len(blocks)} blocks separated by '!'",
                             file=file)
        _dl_lists(net, blocks, labels, n, fmt, embedded)
    if n is not None and len(net.labels) > n:
        raise InputError(f"N = {n} but {len(net.labels)} different labels in the data",
                         file=file)
    return net


def _dl_fullmatrix(net, body, labels, n, nm, embedded):
    toks = _line_tokens(body)
    pos = 0
    for layer in range(nm):
        if embedded:
            cols = [t for t, _ in toks[pos:pos + n]]
            pos += n
            if labels and cols != labels:
                raise InputError("embedded column labels differ from the labels",
                                 file=net.file)
            labels = cols
        if not labels:
            labels = [str(k) for k in range(1, n + 1)]
        for i in range(n):
            if embedded:
                if pos >= len(toks) or toks[pos][0] != labels[i]:
                    got = toks[pos][0] if pos < len(toks) else "end of file"
                    raise InputError(f"expected row label {labels[i]!r}, found {got!r}",
                                     file=net.file, row=toks[pos][1] if pos < len(toks) else None)
                pos += 1
            row = toks[pos:pos + n]
            if len(row) < n:
                raise InputError(f"matrix {layer + 1} ends early: fewer than {n}x{n} values",
                                 file=net.file)
            pos += n
            for j, (value, line) in enumerate(row):
                net.cells.append((layer, labels[i], labels[j], value, line))
    if pos != len(toks):
        raise InputError(f"{len(toks) - pos} values after the last matrix", file=net.file,
                         row=toks[pos][1])
    net.labels = list(labels)


def _dl_lists(net, blocks, labels, n, fmt, embedded):
    seen: dict[str, None] = dict.fromkeys(labels)

    def node(tok: str, line: int) -> str:
        if embedded:
            seen.setdefault(tok)
            return tok
        if not tok.isdigit() or not 1 <= int(tok) <= (n or 0):
            raise InputError(f"node number {tok!r} is not between 1 and N = {n}",
                             file=net.file, row=line)
        return labels[int(tok) - 1] if labels else tok

    for layer, block in enumerate(blocks):
        for line_no, line in block:
            toks = _tokens(line)
            if fmt == "edgelist1":
                if len(toks) not in (2, 3):
                    raise InputError(f"an edgelist1 line has 2 or 3 items, found {len(toks)}",
                                     file=net.file, row=line_no)
                net.cells.append((layer, node(toks[0], line_no), node(toks[1], line_no),
                                  toks[2] if len(toks) == 3 else "1", line_no))
            else:
                ego = node(toks[0], line_no)
                for tok in toks[1:]:
                    net.cells.append((layer, ego, node(tok, line_no), "1", line_no))
    if embedded:
        net.labels = list(seen)
    else:
        net.labels = list(labels) if labels else [str(k) for k in range(1, (n or 0) + 1)]


def _parse_pajek(text: str, file: str) -> _Net:
    net = _Net(file)
    section, rel_names, n = None, {}, None
    layer_of: dict[str, int] = {}
    vertices: dict[str, str] = {}
    matrix_row = 0

    def label(tok: str, line_no: int) -> str:
        if tok not in vertices:
            raise InputError(f"vertex {tok!r} is not in *Vertices", file=file, row=line_no)
        return vertices[tok]

    for k, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        if line.startswith("*"):
            head = line.split()[0].casefold()
            if head == "*vertices":
                parts = line.split()
                if len(parts) > 2:
                    raise InputError("two-mode Pajek networks are not supported", file=file,
                                     row=k)
                if len(parts) < 2 or not parts[1].isdigit():
                    raise InputError("*Vertices needs the number of vertices", file=file,
                                     row=k)
                n = int(parts[1])
                vertices.clear()
                vertices.update({str(v): str(v) for v in range(1, n + 1)})
                section = "vertices"
            elif head in ("*arcs", "*edges", "*arcslist", "*edgeslist", "*matrix"):
                m = re.match(r"\*\w+\s*(?::\s*(\d+))?\s*(.*)$", line)
                key = m.group(1) or "1"
                name = _tokens(m.group(2))[0] if m.group(2).strip() else None
                rel_names.setdefault(key, name)
                if name and not rel_names[key]:
                    rel_names[key] = name
                layer_of.setdefault(key, len(layer_of))
                section = (head[1:], layer_of[key])
                matrix_row = 0
            elif head == "*network":
                section = None
            else:
                raise InputError(f"Pajek section {line.split()[0]!r} is not supported",
                                 file=file, row=k)
            continue
        toks = _tokens(line)
        if section == "vertices":
            if toks[0] not in vertices:
                raise InputError(f"vertex number {toks[0]!r} is not between 1 and {n}",
                                 file=file, row=k)
            vertices[toks[0]] = toks[1] if len(toks) > 1 else toks[0]
            if len(toks) > 2:
                net.note("pajek_vertex_extra", "info", "vertex coordinates or shapes "
                         "ignored", "ignored", row=k, value=line)
            continue
        if section is None or n is None:
            raise InputError("data before a *Vertices line (or no *Vertices)", file=file,
                             row=k)
        kind, layer = section


        if kind in ("arcs", "edges"):
            if len(toks) < 2:
                raise InputError("an arc or edge needs two vertices", file=file, row=k)
            value = toks[2] if len(toks) > 2 else "1"
            a, b = label(toks[0], k), label(toks[1], k)
            net.cells.append((layer, a, b, value, k))
            if kind == "edges" and a != b:
                net.cells.append((layer, b, a, value, k))
        elif kind in ("arcslist", "edgeslist"):
            ego = label(toks[0], k)
            for tok in toks[1:]:
                net.cells.append((layer, ego, label(tok, k), "1", k))
                if kind == "edgeslist" and label(tok, k) != ego:
                    net.cells.append((layer, label(tok, k), ego, "1", k))
        else:  # matrix
            matrix_row += 1
            order = list(vertices.values())
            if len(toks) != len(order) or matrix_row > len(order):
                raise InputError(f"a *Matrix row needs {len(order)} values", file=file, row=k)
            for j, value in enumerate(toks):
                net.cells.append((layer, order[matrix_row - 1], order[j], value, k))
        if kind == "edges" or kind == "edgeslist":
            net.undirected = True
    if n is None:
        raise InputError("no *Vertices line", file=file)
    net.labels = list(vertices.values())
    net.layers = [rel_names[key] or (key if len(layer_of) > 1 else None)
                  for key in sorted(layer_of, key=layer_of.get)]
    if getattr(net, "undirected", False):
        net.note("pajek_edges", "info", "undirected *Edges read as two reciprocal ties",
                 "changed")
    return net


def _parse_matrix(source: Any, sheet: Any) -> _Net:
    rows, file, encoding = _raw_rows(source, sheet)
    net = _Net(file)
    if encoding:
        net.note("encoding", "warning", ENCODING_NOTE, "changed")
    cols = [c.strip() for c in rows[0][1:]]
    while cols and not cols[-1]:
        cols.pop()
    labels = []
    for k, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            net.note("blank_row", "info", "blank row", "dropped", row=k)
            continue
        lab = row[0].strip()
        if not lab:
            raise InputError("a matrix row has no label", file=file, row=k, column="A")
        labels.append(lab)
        extra = [c for c in row[1 + len(cols):] if c.strip()]
        if extra:
            raise InputError("values beyond the last labelled column", file=file, row=k)
        for j, value in enumerate(row[1:1 + len(cols)]):
            net.cells.append((0, lab, cols[j], value, k))
    for what, seq in (("row", labels), ("column", cols)):
        dup = sorted({x for x in seq if seq.count(x) > 1})
        if dup:
            raise InputError(f"duplicate {what} labels: {dup}", file=file)
    if set(labels) != set(cols):
        only_r, only_c = sorted(set(labels) - set(cols)), sorted(set(cols) - set(labels))
        raise InputError(f"the matrix is not square with matching labels (rows only: "
                         f"{only_r}, columns only: {only_c})", file=file)
    if labels != cols:
        net.note("matrix_order", "info", "column labels are in a different order from row "
                 "labels; matched by label", "kept")
    net.labels = labels
    net.layers = [None]
    return net


def _survey(net: _Net, *, roster, waves_or_relations, wave, relation, threshold, aliases,
            strict, source):
    """Survey from parsed cells: labels -> people, values -> strengths, every problem kept."""
    labels = net.labels
    if len(set(labels)) != len(labels):
        dup = sorted({x for x in labels if labels.count(x) > 1})
        raise InputError(f"duplicate labels {dup}", file=net.file)
    if roster is None:
        roster_df = pd.DataFrame({"person_id": labels, "name": labels,
                                  "organisation": NO_ORGANISATION})
        net.note("no_roster", "info", f"no roster: the {len(labels)} labels are the people, "
                 f"organisation {NO_ORGANISATION!r}", "inferred")
        pid_of = {lab: lab for lab in labels}
    else:
        roster_df = _read_roster(roster)
        people = _roster_frame(roster_df)
        ids = people["person_id"].tolist()
        folded: dict[str, list[str]] = {}
        for p in ids:
            folded.setdefault(p.casefold(), []).append(p)
        pid_of, need = {}, []
        for lab in labels:
            if lab in ids:
                pid_of[lab] = lab
            elif len(folded.get(lab.casefold(), [])) == 1:
                pid_of[lab] = folded[lab.casefold()][0]
                net.note("label_case", "info", f"label {lab!r} matched person_id "
                         f"{pid_of[lab]!r} ignoring case", "changed", value=lab)
            else:
                need.append(lab)
        if need:
            m = match_names(need, people, threshold=threshold, aliases=aliases)
            net.notes.extend(match_problems(m, file=net.file, what="label",
                                            action="dropped").to_dict("records"))
            for lab, pid, status in zip(need, m["person_id"], m["status"], strict=True):
                if status == "matched":
                    pid_of[lab] = pid
        clash = pd.Series(list(pid_of.values())).duplicated()
        if clash.any():
            raise InputError(f"two labels resolve to the same person "
                             f"{pd.Series(list(pid_of.values()))[clash].iloc[0]!r}",
                             file=net.file)
    layer_names = [name if name is not None else
                   (wave if waves_or_relations == "waves" else relation)
                   for name in net.layers]
    if len(set(layer_names)) != len(layer_names):
        raise InputError(f"matrix labels repeat: {layer_names}", file=net.file)
    records, dropped = [], {}
    for layer, a, b, text, line in net.cells:
        value_text = text.strip()
        if value_text == "":
            continue
        try:
            value = float(value_text)
        except ValueError:
            net.note("non_numeric_strength", "error", f"{value_text!r} is not a number",
                     "dropped", row=line, column=b, value=text)
            continue
        if value == 0:
            continue
        if not math.isfinite(value) or value < 0:
            net.note("negative_strength", "error", f"value {value_text} is not a finite "
                     "number > 0", "dropped", row=line, column=b, value=text)
            continue
        if a not in pid_of or b not in pid_of:
            for lab in (a, b):
                if lab not in pid_of:
                    dropped[lab] = dropped.get(lab, 0) + 1
            continue
        if a == b:
            net.note("self_nomination", "warning", f"diagonal value {value_text} for {a!r}",
                     "dropped", row=line, column=b, value=text)
            continue
        layer_name = layer_names[layer]
        w, r = (layer_name, relation) if waves_or_relations == "waves" else (wave, layer_name)
        records.append({"wave": w, "respondent": pid_of[a], "alter": pid_of[b],
                        "relation": r, "strength": value, "source_row": line})
    for lab, count in dropped.items():
        net.note("unresolved_label", "error", f"{count} ties of label {lab!r} dropped (not "
                 "a roster person)", "dropped", value=lab)
    ties = pd.DataFrame(records, columns=["wave", "respondent", "alter", "relation",
                                          "strength", "source_row"])
    key = ["wave", "respondent", "alter", "relation"]
    dup = ties.duplicated(key)
    if dup.any():
        first = ties.groupby(key, sort=False)["strength"].transform("first")
        for rec, same in zip(ties[dup].to_dict("records"),
                             (ties["strength"] == first)[dup], strict=True):
            net.note("duplicate_nomination", "warning" if same else "error",
                     f"tie {rec['respondent']} -> {rec['alter']} given twice"
                     f"{'' if same else ' with a different value'}; the first is kept",
                     "dropped", row=rec["source_row"])
        ties = ties[~dup]
    wave_list = layer_names if waves_or_relations == "waves" else [wave]
    resolved = [pid_of[lab] for lab in labels if lab in pid_of]
    resp = pd.DataFrame([{"wave": w, "person_id": p} for w in wave_list for p in resolved],
                        columns=["wave", "person_id"])
    problems = problems_frame(net.notes)
    survey = build_survey(roster_df, ties, resp, problems, waves=wave_list, strict=strict,
                          sources={"network": source, **({"roster": roster}
                                                         if roster is not None else {})})
    if roster is None:
        survey = survey.replace(sources={k: v for k, v in survey.sources.items()
                                         if k != "roster"})
    return survey


def read_adjacency_matrix(
    source: Any,
    *,
    roster: Any = None,
    wave: str = "1",
    relation: str = "tie",
    sheet: str | int | None = None,
    threshold: float = 90.0,
    aliases: Any = None,
    strict: bool = False,
) -> Survey:
    """Read a square, labelled adjacency matrix (CSV, XLSX or DataFrame).

    Row 1 holds the column labels (cell A1 is ignored), column A the row labels;
    cell (i, j) is the strength of the tie from row i to column j. Blank and 0
    are no tie; other values must be numbers > 0 (else reported and dropped);
    diagonal values are self-nominations (reported, dropped). Row and column
    labels must be the same set (any order); labels stay text.

    Parameters
    ----------
    source : path or DataFrame
        The matrix. A DataFrame is taken as written to a sheet: its column
        names are row 1 and its first column holds the row labels.
    roster : path or DataFrame, optional
        People and organisations; labels are matched to ``person_id`` exactly,
        then ignoring case, then by name (:func:`senatenet.match_names`). Without
        it the labels are the people, in organisation ``"(no organisation)"``.
    wave, relation : str
        Labels given to the ties.
    sheet : str or int, optional
        XLSX sheet.
    threshold, aliases
        Name matching, see :func:`senatenet.match_names`.
    strict : bool
        Raise :class:`senatenet.SurveyError` when the report has an error.

    Returns
    -------
    Survey
        Every label is a respondent of the wave.

    Raises
    ------
    InputError
        Unusable input (not square, duplicate labels, unreadable file).
    SurveyError
        With ``strict=True`` when the report has an error, or when no tie at all
        could be read (``problems`` holds the report). The same holds for the
        other exchange readers.

    References
    ----------
    .. [1] Wasserman, S. & Faust, K. (1994). *Social Network Analysis*, ch. 3.5
       (sociomatrices).

    Examples
    --------
    >>> m = pd.DataFrame({"": ["007", "NA"], "007": ["0", "2"], "NA": ["1", ""]})
    >>> s = read_adjacency_matrix(m, wave="pre", relation="advice")
    >>> s.ties[["respondent", "alter", "strength"]].values.tolist()
    [['007', 'NA', 1.0], ['NA', '007', 2.0]]
    """
    net = _parse_matrix(source, sheet)
    return _survey(net, roster=roster, waves_or_relations="waves", wave=wave,
                   relation=relation, threshold=threshold, aliases=aliases, strict=strict,
                   source=source)


def read_ucinet_dl(
    source: Any,
    *,
    roster: Any = None,
    matrices: str = "waves",
    wave: str = "1",
    relation: str = "tie",
    threshold: float = 90.0,
    aliases: Any = None,
    strict: bool = False,
) -> Survey:
    """Read a UCINET DL file (full matrix, edge list or node list) into a Survey.

    Supported: ``DL N=`` (or square ``NR=``/``NC=``), ``NM=`` (several
    matrices), ``FORMAT = FULLMATRIX | EDGELIST1 | NODELIST1`` (also ``FM``,
    ``EL1``, ``NL1``), ``LABELS:``, ``ROW LABELS:``/``COLUMN LABELS:`` (equal),
    ``MATRIX LABELS:``, ``LABELS EMBEDDED`` and ``DATA:``. Keywords are
    case-insensitive; labels are separated by commas, spaces or new lines and
    may be quoted (``"Jane Smith"``); they are kept as written (UCINET itself
    upper-cases them, so a roster is matched ignoring case). Several edge-list
    matrices are separated by a line holding ``!``. Two-mode data, lower/upper
    half matrices and ``DIAGONAL = ABSENT`` raise :class:`InputError`.

    Parameters
    ----------
    source : path or str
        A ``.dl`` file, or the DL text itself (when it contains a new line).
    roster : path or DataFrame, optional
        See :func:`read_adjacency_matrix`.
    matrices : {"waves", "relations"}
        What the ``NM`` matrices are: waves of ``relation`` (default) or
        relations of ``wave``. Their names are the matrix labels (default
        ``"1"``, ``"2"``, ...).
    wave, relation : str
        The label of the other dimension.
    threshold, aliases, strict
        See :func:`read_adjacency_matrix`.

    Returns
    -------
    Survey

    References
    ----------
    .. [1] Borgatti, S. P., Everett, M. G. & Freeman, L. C. (2002). *UCINET for
       Windows: Software for Social Network Analysis*, DL language
       (http://www.analytictech.com/ucinet/help/hs5000.htm).

    Examples
    --------
    >>> text = "DL N=3\\nFORMAT=EDGELIST1\\nLABELS:\\n007,NA,\\"Jo Lee\\"\\nDATA:\\n1 2\\n3 1 4\\n"
    >>> s = read_ucinet_dl(text, relation="advice")
    >>> s.ties[["respondent", "alter", "strength"]].values.tolist()
    [['007', 'NA', 1.0], ['Jo Lee', '007', 4.0]]
    """
    if matrices not in ("waves", "relations"):
        raise InputError("matrices= must be 'waves' or 'relations'")
    text, file, fallback = _text(source)
    net = _parse_dl(text, file)
    if fallback:
        net.note("encoding", "warning", ENCODING_NOTE, "changed")
    return _survey(net, roster=roster, waves_or_relations=matrices, wave=wave,
                   relation=relation, threshold=threshold, aliases=aliases, strict=strict,
                   source=source if file != "<text>" else "<text>")


def read_pajek(
    source: Any,
    *,
    roster: Any = None,
    wave: str = "1",
    relation: str = "tie",
    threshold: float = 90.0,
    aliases: Any = None,
    strict: bool = False,
) -> Survey:
    """Read a Pajek ``.net`` file into a Survey.

    Supported sections: ``*Vertices n`` (number, optional quoted label; a
    vertex without a line is labelled by its number; coordinates and shapes
    are ignored and reported), ``*Arcs``, ``*Edges``
    (each edge becomes two reciprocal ties, reported), ``*Arcslist``,
    ``*Edgeslist``, ``*Matrix`` and multi-relational ``*Arcs :2 "advice"`` (each
    relation number or name becomes a relation); ``%`` comments and
    ``*Network`` lines are skipped. An arc without a value has strength 1.

    Parameters
    ----------
    source : path or str
        A ``.net`` file, or its text.
    roster : path or DataFrame, optional
        See :func:`read_adjacency_matrix`.
    wave : str
        The wave of all ties.
    relation : str
        The relation when the file names none.
    threshold, aliases, strict
        See :func:`read_adjacency_matrix`.

    Returns
    -------
    Survey

    References
    ----------
    .. [1] de Nooy, W., Mrvar, A. & Batagelj, V. (2018). *Exploratory Social
       Network Analysis with Pajek*, 3rd ed. Cambridge University Press,
       appendix (Pajek file formats).

    Examples
    --------
    >>> text = '*Vertices 3\\n1 "007"\\n2 "NA"\\n3 "Jo Lee"\\n*Arcs\\n1 2 3\\n3 1\\n'
    >>> s = read_pajek(text, wave="pre")
    >>> s.ties[["respondent", "alter", "strength"]].values.tolist()
    [['007', 'NA', 3.0], ['Jo Lee', '007', 1.0]]
    """
    text, file, fallback = _text(source)
    net = _parse_pajek(text, file)
    if fallback:
        net.note("encoding", "warning", ENCODING_NOTE, "changed")
    return _survey(net, roster=roster, waves_or_relations="relations", wave=wave,
                   relation=relation, threshold=threshold, aliases=aliases, strict=strict,
                   source=source if file != "<text>" else "<text>")


# --------------------------------------------------------------------- writers
def _layers(data: Any, wave, relation, weight, label, by: str):
    """Labels and [(layer name, {(i, j): value})] from a graph or a Survey."""
    if isinstance(data, nx.Graph):
        nodes = list(data.nodes)
        if label is None:
            labels = [str(v) for v in nodes]
        else:
            labels = [str(data.nodes[v].get(label, v)) for v in nodes]
        pos = dict(zip(nodes, labels, strict=True))
        cells: dict[tuple[str, str], float] = {}
        for u, v, d in data.edges(data=True):
            value = float(d.get(weight, 1.0)) if weight else 1.0
            cells[(pos[u], pos[v])] = value
            if not data.is_directed():
                cells[(pos[v], pos[u])] = value
        name = data.graph.get("relation" if by == "relations" else "wave")
        layers = [(str(name) if name is not None else "1", cells)]
    elif hasattr(data, "ties") and hasattr(data, "people"):
        people = data.people
        ids = list(people.index)
        labels = ids if label is None else [str(x) for x in people[label].fillna("")]
        pos = dict(zip(ids, labels, strict=True))
        ties = data.ties
        if by == "relations":
            if wave is None:
                if len(data.waves) != 1:
                    raise InputError(f"give wave= (waves: {list(data.waves)})")
                wave = data.waves[0]
            names = [relation] if relation is not None else list(data.relations)
            ties = ties[ties["wave"] == wave]
            column = "relation"
        else:
            if relation is None:
                if len(data.relations) != 1:
                    raise InputError(f"give relation= (relations: {list(data.relations)})")
                relation = data.relations[0]
            names = [wave] if wave is not None else list(data.waves)
            ties = ties[ties["relation"] == relation]
            column = "wave"
        layers = []
        for name in names:
            sel = ties[ties[column] == name]
            layers.append((str(name), {(pos[a], pos[b]): float(s) if weight else 1.0
                                       for a, b, s in zip(sel["respondent"], sel["alter"],
                                                          sel["strength"], strict=True)}))
    else:
        raise InputError("write a networkx graph or a Survey")
    if len(set(labels)) != len(labels):
        raise InputError("labels are not unique; write person ids (label=None)")
    zeros = sum(v == 0 for _, cells in layers for v in cells.values())
    if zeros:  # e.g. "never" = 0 kept as a tie by read_survey
        warnings.warn(f"{zeros} tie(s) of strength 0 are written as 0, which UCINET and "
                      "Pajek read as no tie (use weight=None to write every tie as 1)",
                      UserWarning, stacklevel=3)
    bad = [x for x in labels if '"' in x or "\n" in x or "\r" in x]
    if bad:
        raise InputError(f"label {bad[0]!r} has a double quote or line break, which these "
                         "formats cannot hold")
    return labels, layers


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _quote(text: str) -> str:
    return f'"{text}"'


def write_ucinet_dl(
    data: Any,
    path: str | Path,
    *,
    wave: str | None = None,
    relation: str | None = None,
    format: str = "fullmatrix",
    weight: str | None = "strength",
    label: str | None = None,
) -> Path:
    """Write a graph or Survey as a UCINET DL file.

    A Survey with ``relation`` given (or a single relation) is written as one
    matrix per wave (``MATRIX LABELS`` = waves), or only ``wave`` when given.
    A graph is one matrix in node order (an undirected graph is symmetric).
    Labels are always quoted; values are the ``weight`` edge attribute (Survey:
    ``strength``), integers without a decimal point.

    Parameters
    ----------
    data : networkx graph or Survey
        Not modified.
    path : str or Path
        The ``.dl`` file (UTF-8).
    wave, relation : str, optional
        The Survey slice.
    format : {"fullmatrix", "edgelist1"}
        ``edgelist1`` writes ``i j value`` lines with node numbers and a
        ``LABELS:`` section (so isolates survive), matrices separated by ``!``.
    weight : str or None
        Edge attribute of a graph holding the value (a Survey: any str means
        ``strength``); None writes every tie as 1. A tie of strength 0 is
        written as 0, which UCINET and Pajek read as no tie (with a warning).
    label : str, optional
        Node attribute (graph) or ``people`` column (Survey, e.g. ``"name"``)
        written as labels instead of the ids.

    Returns
    -------
    Path

    References
    ----------
    .. [1] Borgatti, S. P., Everett, M. G. & Freeman, L. C. (2002). *UCINET for
       Windows*, DL language (http://www.analytictech.com/ucinet/help/hs5000.htm).

    Examples
    --------
    >>> import tempfile, os
    >>> G = nx.DiGraph([("007", "NA", {"strength": 2.0})])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_ucinet_dl(G, os.path.join(d, "g.dl"))
    ...     print(Path(p).read_text())
    DL N=2 NM=1
    FORMAT=FULLMATRIX
    LABELS:
    "007","NA"
    MATRIX LABELS:
    "1"
    DATA:
    0 2
    0 0
    <BLANKLINE>
    """
    if format not in ("fullmatrix", "edgelist1"):
        raise InputError("format= must be 'fullmatrix' or 'edgelist1'")
    labels, layers = _layers(data, wave, relation, weight, label, by="waves")
    lines = [f"DL N={len(labels)} NM={len(layers)}", f"FORMAT={format.upper()}", "LABELS:",
             ",".join(_quote(x) for x in labels), "MATRIX LABELS:",
             ",".join(_quote(name) for name, _ in layers), "DATA:"]
    index = {x: k for k, x in enumerate(labels, start=1)}
    for k, (_, cells) in enumerate(layers):
        if format == "fullmatrix":
            lines += [" ".join(_num(cells.get((a, b), 0.0)) for b in labels) for a in labels]
        else:
            if k:
                lines.append("!")
            lines += [f"{index[a]} {index[b]} {_num(v)}" for (a, b), v in
                      sorted(cells.items(), key=lambda c: (index[c[0][0]], index[c[0][1]]))]
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def write_pajek(
    data: Any,
    path: str | Path,
    *,
    wave: str | None = None,
    relation: str | None = None,
    weight: str | None = "strength",
    label: str | None = None,
) -> Path:
    """Write a graph or one wave of a Survey as a Pajek ``.net`` file.

    Vertices are numbered in node (roster) order with quoted labels. A directed
    graph or a Survey gives ``*Arcs``; an undirected graph ``*Edges``. A Survey
    wave with several relations (``relation=None``) is written as a
    multi-relational network (``*Arcs :1 "advice"``, ...).

    Parameters
    ----------
    data : networkx graph or Survey
        Not modified.
    path : str or Path
        The ``.net`` file (UTF-8).
    wave : str, optional
        The Survey wave (required when it has several).
    relation : str, optional
        Only this relation.
    weight, label
        See :func:`write_ucinet_dl`.

    Returns
    -------
    Path

    References
    ----------
    .. [1] de Nooy, W., Mrvar, A. & Batagelj, V. (2018). *Exploratory Social
       Network Analysis with Pajek*, 3rd ed., appendix.

    Examples
    --------
    >>> import tempfile, os
    >>> G = nx.Graph([("007", "NA", {"strength": 2.0})])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     print(Path(write_pajek(G, os.path.join(d, "g.net"))).read_text())
    *Vertices 2
    1 "007"
    2 "NA"
    *Edges
    1 2 2
    <BLANKLINE>
    """
    labels, layers = _layers(data, wave, relation, weight, label, by="relations")
    index = {x: k for k, x in enumerate(labels, start=1)}
    lines = [f"*Vertices {len(labels)}"] + [f"{k} {_quote(x)}" for x, k in index.items()]
    undirected = isinstance(data, nx.Graph) and not data.is_directed()
    head = "*Edges" if undirected else "*Arcs"
    for k, (name, cells) in enumerate(layers, start=1):
        lines.append(f"{head} :{k} {_quote(name)}" if len(layers) > 1 else head)
        for (a, b), v in sorted(cells.items(), key=lambda c: (index[c[0][0]],
                                                                index[c[0][1]])):
            if undirected and index[a] > index[b]:
                continue
            lines.append(f"{index[a]} {index[b]} {_num(v)}")
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out

