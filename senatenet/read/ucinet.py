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
               "nl1": "nodelist1", "nodelist": "nodelist1"}


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


