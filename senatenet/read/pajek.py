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
    """Networks, relations, partitions and vectors of a ``.net`` or ``.paj`` file.

    Each ``*Network`` of a project file is its own layer (with its own
    ``*Vertices``); inside one, each relation number of ``*Arcs :k`` is a layer.
    ``*Partition`` and ``*Vector`` values are kept as person attributes of the
    vertices of the network before them (by position, as Pajek does).
    """
    net = _Net(file)
    net.attributes = {}
    all_labels: dict[str, None] = {}
    layer_of: dict[tuple[int, str], int] = {}
    rel_names: dict[tuple[int, str], str | None] = {}
    net_names: list[str | None] = []
    vertices: dict[str, str] = {}
    section: Any = None
    n = None
    matrix_row = 0
    network = -1
    attr: tuple[str, str, list] | None = None  # (kind, name, values)
    attr_n = None
    order: list[str] = []
    need = ("senatenet reads one-mode networks; a two-mode (affiliation) network would need "
            "to be projected to one mode first (in Pajek: Network > 2-Mode Network > "
            "2-Mode to 1-Mode)")

    def label(tok: str, line_no: int) -> str:
        if tok not in vertices:
            raise InputError(f"vertex {tok!r} is not in *Vertices (1 to {n})", file=file,
                             row=line_no, column=tok)
        return vertices[tok]

    def close_attr(line_no: int) -> None:
        nonlocal attr
        if attr is None:
            return
        kind, name, values = attr
        if attr_n is None:
            raise InputError(f"*{kind} {name!r} needs a *Vertices n line", file=file,
                             row=line_no)
        if len(values) != attr_n:
            raise InputError(f"*{kind} {name!r} declares {attr_n} vertices but has "
                             f"{len(values)} values", file=file, row=line_no)
        if attr_n != len(order):
            raise InputError(f"*{kind} {name!r} has {attr_n} values but the network before "
                             f"it has {len(order)} vertices", file=file, row=line_no)
        if name in net.attributes:
            raise InputError(f"two partitions or vectors are named {name!r}", file=file,
                             row=line_no)
        net.attributes[name] = dict(zip(order, values, strict=True))
        attr = None

    lines = text.splitlines()
    for k, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        if line.startswith("*"):
            head = line.split()[0].casefold()
            rest = line[len(line.split()[0]):].strip()
            if head == "*vertices":
                parts = line.split()
                if len(parts) > 2 and section != "attr":
                    raise InputError(f"two-mode Pajek network ({parts[1]} vertices, the "
                                     f"first {parts[2]} of one mode). " + need, file=file,
                                     row=k)
                if len(parts) < 2 or not parts[1].isdigit():
                    raise InputError("*Vertices needs the number of vertices", file=file,
                                     row=k)
                if section == "attr":
                    attr_n = int(parts[1])
                    continue
                if network < 0 or (order and section != "network"):
                    network += 1
                    net_names.append(None)
                n = int(parts[1])
                vertices = {str(v): str(v) for v in range(1, n + 1)}
                order = list(vertices.values())
                section = "vertices"
            elif head in ("*arcs", "*edges", "*arcslist", "*edgeslist", "*matrix"):
                close_attr(k)
                if n is None:
                    raise InputError(f"{line.split()[0]} before a *Vertices line", file=file,
                                     row=k)
                m = re.match(r"\*\w+\s*(?::\s*(\d+))?\s*(.*)$", line)
                key = (network, m.group(1) or "1")
                name = _tokens(m.group(2))[0] if m.group(2).strip() else None
                if name and not rel_names.get(key):
                    rel_names[key] = name
                rel_names.setdefault(key, None)
                layer_of.setdefault(key, len(layer_of))
                section = (head[1:], layer_of[key])
                matrix_row = 0
            elif head == "*network":
                close_attr(k)
                network += 1
                net_names.append(_tokens(rest)[0] if rest else None)
                n, vertices, order = None, {}, []
                section = "network"
            elif head in ("*partition", "*vector"):
                close_attr(k)
                kind = "Partition" if head == "*partition" else "Vector"
                attr = (kind, _tokens(rest)[0] if rest else f"{kind.lower()}{len(net.attributes) + 1}", [])
                attr_n = None
                section = "attr"
            else:
                raise InputError(f"Pajek section {line.split()[0]!r} is not supported "
                                 "(supported: *Network, *Vertices, *Arcs, *Edges, *Arcslist, "
                                 "*Edgeslist, *Matrix, *Partition, *Vector)", file=file, row=k)
            continue
        toks = _tokens(line)
        if section == "attr":
            if attr_n is None:
                raise InputError("a *Partition or *Vector needs a *Vertices n line",
                                 file=file, row=k)
            attr[2].extend(toks)
            continue
        if section == "vertices":
            if toks[0] not in vertices:
                raise InputError(f"vertex number {toks[0]!r} is not between 1 and {n}",
                                 file=file, row=k, column="1")
            vertices[toks[0]] = toks[1] if len(toks) > 1 else toks[0]
            order = list(vertices.values())
            if len(toks) > 2:
                net.note("pajek_vertex_extra", "info", "vertex coordinates or shapes "
                         "ignored", "ignored", row=k, value=line)
            continue
        if section is None or n is None or section == "network":
            raise InputError("data before a *Vertices line (or no *Vertices)", file=file,
                             row=k)
        kind, layer = section
        if kind in ("arcs", "edges"):
            if len(toks) < 2:
                raise InputError("an arc or edge needs two vertices", file=file, row=k)
            value = toks[2] if len(toks) > 2 else "1"
            if len(toks) > 3:
                net.note("pajek_arc_extra", "info", "arc drawing attributes after the value "
                         "ignored", "ignored", row=k, value=line)
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
            if len(toks) != len(order) or matrix_row > len(order):
                raise InputError(f"a *Matrix row needs {len(order)} values", file=file, row=k)
            for j, value in enumerate(toks):
                net.cells.append((layer, order[matrix_row - 1], order[j], value, k))
        if kind in ("edges", "edgeslist"):
            net.undirected = True
        all_labels.update(dict.fromkeys(order))
    close_attr(len(lines))
    if n is None and not all_labels:
        raise InputError("no *Vertices line", file=file)
    all_labels.update(dict.fromkeys(order))
    net.labels = list(all_labels)
    several = len({key[0] for key in layer_of}) > 1
    names = []
    for key in sorted(layer_of, key=layer_of.get):
        net_name = net_names[key[0]] if 0 <= key[0] < len(net_names) else None
        per_net = sum(1 for k2 in layer_of if k2[0] == key[0]) > 1
        rel = rel_names[key] or (key[1] if per_net else None)
        if several:
            base = net_name or f"network{key[0] + 1}"
            names.append(f"{base}: {rel}" if per_net else base)
        else:
            names.append(rel if rel is not None else (key[1] if len(layer_of) > 1 else None))
    net.layers = names
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
    networks_as: str = "relations",
    organisation: str | None = None,
    threshold: float = 90.0,
    aliases: Any = None,
    strict: bool = False,
) -> Survey:
    """Read a Pajek ``.net`` file or ``.paj`` project file into a Survey.

    Supported sections: ``*Vertices n`` (number, optional quoted label; a
    vertex without a line is labelled by its number; coordinates and shapes
    are ignored and reported), ``*Arcs``, ``*Edges``
    (each edge becomes two reciprocal ties, reported), ``*Arcslist``,
    ``*Edgeslist``, ``*Matrix`` and multi-relational ``*Arcs :2 "advice"`` (each
    relation number or name becomes a relation); ``%`` comments and
    ``*Network``, ``*Partition`` and ``*Vector`` sections are read
    as described under ``networks_as`` and ``organisation``. An arc without a value has strength 1.

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
    networks_as : {"relations", "waves"}
        What the layers are: each ``*Network`` of a project file (and each
        relation number inside one) is its own relation (default) or its own
        wave, named by the network (``"name: relation"`` when a network has
        several relations). A relation without ties is kept in
        ``Survey.relations`` (reported).
    organisation : str, optional
        The ``*Partition`` or ``*Vector`` whose values are the organisations.
        Every partition and vector becomes a column of ``Survey.people``
        (usable as ``group=``), values as written.
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
    if networks_as not in ("relations", "waves"):
        raise InputError("networks_as= must be 'relations' or 'waves'")
    text, file, fallback = _text(source)
    net = _parse_pajek(text, file)
    if fallback:
        net.note("encoding", "warning", ENCODING_NOTE, "changed")
    return _survey(net, roster=roster, waves_or_relations=networks_as, wave=wave,
                   relation=relation, threshold=threshold, aliases=aliases, strict=strict,
                   source=source if file != "<text>" else "<text>", organisation=organisation)



def write_pajek(
    data: Any,
    path: str | Path,
    *,
    wave: str | None = None,
    relation: str | None = None,
    weight: str | None = "auto",
    label: str | None = None,
    parallel: str = "error",
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
    weight, label, parallel
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
    labels, layers = _layers(data, wave, relation, weight, label, by="relations",
                             parallel=parallel)
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

