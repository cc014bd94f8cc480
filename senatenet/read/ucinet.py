"""UCINET DL: reader and writer. See ``docs/survey-exports.md``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ._assemble import (
    _layers,
    _line_tokens,
    _Net,
    _num,
    _quote,
    _survey,
    _text,
    _tokens,
)
from .names import (
    ENCODING_NOTE,
)

if TYPE_CHECKING:
    from ..survey import Survey

__all__ = ['read_ucinet_dl', 'write_ucinet_dl']

_DL_FORMATS = {"fullmatrix": "fullmatrix", "fm": "fullmatrix", "edgelist1": "edgelist1",
               "el1": "edgelist1", "edgelist": "edgelist1", "nodelist1": "nodelist1",
               "nl1": "nodelist1", "nodelist": "nodelist1", "lowerhalf": "lowerhalf",
               "lh": "lowerhalf", "upperhalf": "upperhalf", "uh": "upperhalf"}
# Header keywords, longest first; a label section runs to the next keyword.
_DL_KEY = re.compile(
    r"(?i)(?:\b(?P<emb>(?:(?:row|col|column)\s+)?labels\s+embedded|embedded)\b\s*:?"
    r"|\b(?P<sec>(?:row|col|column|matrix|level)\s+labels|labels)\s*:"
    r"|\b(?P<key>nr|nc|nm|n|format|diagonal)\s*=\s*(?P<val>[^\s,]+))")


def _same(a: list[str], b: list[str]) -> bool:
    """Labels compared as UCINET compares them: ignoring case (it upper-cases them)."""
    return [x.casefold() for x in a] == [x.casefold() for x in b]


def _parse_dl(text: str, file: str) -> _Net:
    net = _Net(file)
    lines = [(k, line) for k, line in enumerate(text.splitlines(), start=1)]
    split = next((k for k, line in lines if re.match(r"(?i)^\s*data\s*:", line)), None)
    if not lines or not re.match(r"(?i)^\s*dl\b", lines[0][1]):
        raise InputError("not a UCINET DL file: it must start with 'DL'", file=file, row=1)
    if split is None:
        raise InputError("no 'DATA:' line", file=file)
    head = re.sub(r"(?i)^\s*dl\b", "", "\n".join(line for k, line in lines if k < split))
    after = re.sub(r"(?i)^\s*data\s*:", "", lines[split - 1][1])
    body = ([(split, after)] if after.strip() else []) + [(k, s) for k, s in lines if k > split]

    keys: dict[str, str] = {}
    sections: dict[str, list[str]] = {}
    emb_row = emb_col = False
    marks = list(_DL_KEY.finditer(head))
    for m, nxt in zip(marks, [*marks[1:], None], strict=True):
        if m.group("emb"):
            kind = re.sub(r"\s+", " ", m.group("emb").casefold())
            emb_row |= not kind.startswith(("col", "column"))
            emb_col |= not kind.startswith("row")
        elif m.group("sec"):
            name = re.sub(r"\s+", " ", m.group("sec").casefold()).replace("col ", "column ")
            name = "matrix labels" if name == "level labels" else name
            sections[name] = _tokens(head[m.end():nxt.start() if nxt else len(head)])
        else:
            keys[m.group("key").casefold()] = m.group("val")

    def number(key: str) -> int | None:
        if key not in keys:
            return None
        if not keys[key].isdigit():
            raise InputError(f"{key.upper()} = {keys[key]!r} is not a whole number",
                             file=file, row=1)
        return int(keys[key])

    n, nr, nc, nm = number("n"), number("nr"), number("nc"), number("nm") or 1
    need = ("senatenet reads one-mode networks (the same people as rows and columns); "
            "two-mode data would need to be projected to one mode first, e.g. in UCINET "
            "(Data > Affiliations)")
    if nr is not None or nc is not None:
        if nr != nc or (n is not None and nr != n):
            raise InputError(f"two-mode (rectangular) DL data: NR = {nr}, NC = {nc}. " + need,
                             file=file, row=1)
        n = nr
    fmt_text = keys.get("format", "fullmatrix")
    fmt = _DL_FORMATS.get(fmt_text.casefold())
    if fmt is None:
        raise InputError(f"DL format {fmt_text!r} is not supported (supported: fullmatrix, "
                         "lowerhalf, upperhalf, edgelist1, nodelist1)", file=file, row=1)
    diagonal = keys.get("diagonal", "present").casefold()
    if diagonal not in ("present", "absent"):
        raise InputError(f"DIAGONAL = {keys['diagonal']!r}: expected PRESENT or ABSENT",
                         file=file, row=1)
    labels = sections.get("labels") or sections.get("row labels") or []
    col = sections.get("column labels")
    if col is not None and labels and not _same(col, labels):
        raise InputError("row labels and column labels differ, so this is two-mode data. "
                         + need, file=file, row=1)
    labels = labels or col or []
    if len(set(x.casefold() for x in labels)) != len(labels):
        dup = sorted({x for x in labels if [y.casefold() for y in labels].count(x.casefold()) > 1})
        raise InputError(f"labels repeat (ignoring case, as UCINET does): {dup}", file=file,
                         row=1)
    if "matrix labels" in sections:
        net.layers = sections["matrix labels"]
        if len(net.layers) != nm:
            raise InputError(f"NM = {nm} but {len(net.layers)} matrix labels "
                             f"({net.layers[:5]}{' ...' if len(net.layers) > 5 else ''})",
                             file=file, row=1)
    else:
        net.layers = [None] if nm == 1 else [str(k) for k in range(1, nm + 1)]
    embedded = emb_row or emb_col
    if n is None and not embedded:
        raise InputError("no 'N =' in the DL header", file=file, row=1)
    if labels and n is not None and len(labels) != n:
        raise InputError(f"N = {n} but {len(labels)} labels", file=file, row=1)
    if fmt in ("fullmatrix", "lowerhalf", "upperhalf"):
        if n is None:
            raise InputError("a matrix format needs 'N =' in the DL header", file=file, row=1)
        _dl_matrix(net, body, labels, n, nm, emb_row, emb_col, fmt, diagonal == "present")
    else:
        blocks: list[list[tuple[int, str]]] = [[]]
        for k, line in body:
            if line.strip() == "!":
                blocks.append([])
            elif line.strip():
                blocks[-1].append((k, line))
        while len(blocks) > max(nm, 1) and not blocks[-1]:
            blocks.pop()  # a '!' after the last matrix separates nothing
            net.note("dl_trailing_separator", "info", "a '!' after the last matrix "
                     "ignored", "ignored")
        if len(blocks) != nm and (nm == 1 or len(blocks) != 1):
            raise InputError(f"NM = {nm} but {len(blocks)} blocks separated by '!'",
                             file=file)
        _dl_lists(net, blocks, labels, n, fmt, embedded)
    if n is not None and len(net.labels) > n:
        raise InputError(f"N = {n} but {len(net.labels)} different labels in the data",
                         file=file)
    if fmt in ("lowerhalf", "upperhalf"):
        net.note("dl_half", "info", f"{fmt} matrix read as symmetric: each value is the tie "
                 "in both directions", "changed")
    return net


def _dl_matrix(net, body, labels, n, nm, emb_row, emb_col, fmt, diagonal):
    """Full, lower- or upper-half matrices, diagonal present or absent, labels embedded."""
    toks = _line_tokens(body)
    pos = 0
    cells: list[tuple[int, int, int, str, int]] = []

    def take(count: int, what: str) -> list[tuple[str, int]]:
        nonlocal pos
        got = toks[pos:pos + count]
        if len(got) < count:
            raise InputError(f"the data end early: expected {what}", file=net.file,
                             row=toks[-1][1] if toks else None)
        pos += count
        return got

    def check(found: str, line: int, k: int, what: str) -> None:
        if labels and found.casefold() != labels[k].casefold():
            raise InputError(f"embedded {what} label {found!r} differs from label "
                             f"{labels[k]!r} (labels are compared ignoring case, as UCINET "
                             "does)", file=net.file, row=line)

    for layer in range(nm):
        if emb_col:
            cols = take(n, f"{n} column labels of matrix {layer + 1}")
            if not labels:
                labels = [t for t, _ in cols]
            for k, (t, line) in enumerate(cols):
                check(t, line, k, "column")
        for i in range(n):
            if emb_row:
                (t, line), = take(1, f"the label of row {i + 1} of matrix {layer + 1}")
                if not labels:
                    labels = [None] * n  # filled from the rows
                if labels[i] is None:
                    labels[i] = t
                check(t, line, i, "row")
            if fmt == "fullmatrix":
                js = [j for j in range(n) if diagonal or j != i]
            elif fmt == "lowerhalf":
                js = list(range(0, i + 1 if diagonal else i))
            else:
                js = list(range(i if diagonal else i + 1, n))
            row = take(len(js), f"{len(js)} values in row {i + 1} of matrix {layer + 1}")
            for j, (value, line) in zip(js, row, strict=True):
                cells.append((layer, i, j, value, line))
                if fmt != "fullmatrix" and i != j:
                    cells.append((layer, j, i, value, line))
    if pos != len(toks):
        raise InputError(f"{len(toks) - pos} values after the last matrix (check N, NM, "
                         "FORMAT and DIAGONAL)", file=net.file, row=toks[pos][1])
    if not labels:
        labels = [str(k) for k in range(1, n + 1)]
    net.labels = list(labels)
    net.cells = [(layer, labels[i], labels[j], v, line) for layer, i, j, v, line in cells]


def _dl_lists(net, blocks, labels, n, fmt, embedded):
    seen: dict[str, str] = {x.casefold(): x for x in labels}

    def node(tok: str, line: int) -> str:
        if embedded:  # compared ignoring case, as UCINET does; first spelling kept
            return seen.setdefault(tok.casefold(), tok)
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
        net.labels = list(seen.values())
    else:
        net.labels = list(labels) if labels else [str(k) for k in range(1, (n or 0) + 1)]


def read_ucinet_dl(
    source: Any,
    *,
    roster: Any = None,
    matrices: str = "waves",
    matrices_as: str | None = None,
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
    matrices are separated by a line holding ``!`` (one after the last matrix is
    ignored, with a line). ``FORMAT = LOWERHALF | UPPERHALF`` (symmetric, each
    value both ways) and ``DIAGONAL = ABSENT`` are read; two-mode data raises
    :class:`InputError`.

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
    if matrices_as is not None:
        matrices = matrices_as
    if matrices not in ("waves", "relations"):
        raise InputError("matrices_as= must be 'waves' or 'relations'")
    text, file, fallback = _text(source)
    net = _parse_dl(text, file)
    if fallback:
        net.note("encoding", "warning", ENCODING_NOTE, "changed")
    return _survey(net, roster=roster, waves_or_relations=matrices, wave=wave,
                   relation=relation, threshold=threshold, aliases=aliases, strict=strict,
                   source=source if file != "<text>" else "<text>")



def write_ucinet_dl(
    data: Any,
    path: str | Path,
    *,
    wave: str | None = None,
    relation: str | None = None,
    format: str = "fullmatrix",
    weight: str | None = "auto",
    label: str | None = None,
    parallel: str = "error",
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
        ``strength``); ``"auto"`` (default) takes ``strength`` or ``weight``,
        whichever the edges have (an error when they have both; every tie is 1
        when neither); None writes every tie as 1. A tie of strength 0 is
        written as 0, which UCINET and Pajek read as no tie (with a warning).
    parallel : {"error", "sum"}
        Parallel edges of a MultiGraph: refused (default) or their values
        summed; never collapsed to one.
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
    >>> import networkx as nx
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
    labels, layers = _layers(data, wave, relation, weight, label, by="waves",
                             parallel=parallel)
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


