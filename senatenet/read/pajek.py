"""Pajek ``.net``/``.paj``: reader and writer. See ``docs/survey-exports.md``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..errors import InputError
from ._assemble import (
    _layers,
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

__all__ = ['read_pajek', 'write_pajek']

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

