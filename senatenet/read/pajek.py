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

def _rest_name(rest: str) -> str | None:
    """The name after a section keyword: the rest of the line, quotes removed."""
    rest = rest.strip()
    if len(rest) >= 2 and rest[0] == rest[-1] and rest[0] in "\"'":
        rest = rest[1:-1].strip()
    return rest or None


def _unique_names(names: list, net: _Net, what: str) -> list:
    """Names made unique by `` (2)``, `` (3)`` ..., each renaming reported."""
    out, seen = [], {}
    for name in names:
        if name is not None and name in seen:
            seen[name] += 1
            new = f"{name} ({seen[name]})"
            net.note("pajek_name_repeated", "info", f"{what} {name!r} repeats; this one is "
                     f"read as {new!r}", "changed", value=name)
            out.append(new)
        else:
            seen.setdefault(name, 1)
            out.append(name)
    return out


def _parse_pajek(text: str, file: str) -> _Net:
    """Networks, relations, partitions and vectors of a ``.net`` or ``.paj`` file.

    Each ``*Network`` of a project file is its own layer (with its own
    ``*Vertices``); inside one, each relation number (``*Arcs :k`` or a ``k:``
    prefix on an arc line) is a layer. A vertex is its number: a label that
    repeats within a network (or is blank) is made unique by the number.
    ``*Partition`` and ``*Vector`` values are person attributes of the vertices
    of the network with as many vertices (the last one before them, else the
    first after them), by position, as Pajek does.
    """
    net = _Net(file)
    net.attributes = {}
    if not text.strip():
        raise InputError("the file is empty", file=file)
    # one dict per network: name, n, vertex number -> label, first line
    networks: list[dict] = []
    layer_of: dict[tuple[int, str], int] = {}
    rel_names: dict[tuple[int, str], str | None] = {}
    cells: list[tuple[int, str, str, str, int]] = []  # layer, vertex a, vertex b, value, line
    attrs: list[dict] = []
    section: Any = None
    cur: dict | None = None
    rel_key = "1"
    matrix_row = 0
    need = ("senatenet reads one-mode networks; a two-mode (affiliation) network would need "
            "to be projected to one mode first (in Pajek: Network > 2-Mode Network > "
            "2-Mode to 1-Mode)")
    supported = ("*Network, *Vertices, *Arcs, *Edges, *Arcslist, *Edgeslist, *Matrix, "
                 "*Partition, *Vector")

    def vertex(tok: str, line_no: int) -> str:
        if tok not in cur["labels"]:
            raise InputError(f"vertex {tok!r} is not in *Vertices (1 to {cur['n']})",
                             file=file, row=line_no, column=tok)
        return tok

    def layer(key: str) -> int:
        full = (len(networks) - 1, key)
        rel_names.setdefault(full, None)
        layer_of.setdefault(full, len(layer_of))
        return layer_of[full]

    lines = text.splitlines()
    for k, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        if line.startswith("*"):
            word = line.split()[0]
            head = word.casefold()
            rest = line[len(word):].strip()
            if head in ("*vertices", "*nodes"):
                parts = rest.split()
                if section == "attr":
                    if not parts or not parts[0].isdigit():
                        raise InputError(f"{word} needs the number of values", file=file,
                                         row=k)
                    attrs[-1]["n"] = int(parts[0])
                    continue
                if len(parts) > 1:
                    raise InputError(f"two-mode Pajek network ({parts[0]} vertices, the "
                                     f"first {parts[1]} of one mode). " + need, file=file,
                                     row=k)
                if not parts or not parts[0].isdigit():
                    raise InputError(f"{word} needs the number of vertices", file=file, row=k)
                if head == "*nodes":
                    net.note("pajek_dialect", "info", "'*Nodes' (JUNG's spelling) read as "
                             "*Vertices", "changed", row=k)
                if cur is None or cur["n"] is not None:
                    networks.append({"name": None, "n": None, "labels": {}, "line": k})
                    cur = networks[-1]
                cur["n"] = int(parts[0])
                cur["labels"] = {str(v): "" for v in range(1, cur["n"] + 1)}
                section = "vertices"
            elif head in ("*arcs", "*edges", "*arcslist", "*edgeslist", "*matrix"):
                if cur is None or cur["n"] is None:
                    raise InputError(f"{word} before a *Vertices line", file=file, row=k)
                m = re.match(r":\s*(\d+)\s*(.*)$", rest)
                rel_key, name = (m.group(1), _rest_name(m.group(2))) if m else \
                    ("1", _rest_name(rest))
                layer(rel_key)
                full = (len(networks) - 1, rel_key)
                if name and not rel_names.get(full):
                    rel_names[full] = name
                section = head[1:]
                matrix_row = 0
            elif head == "*network":
                networks.append({"name": _rest_name(rest), "n": None, "labels": {},
                                 "line": k})
                cur = networks[-1]
                section = "network"
            elif head in ("*partition", "*vector"):
                kind = "Partition" if head == "*partition" else "Vector"
                attrs.append({"kind": kind, "name": _rest_name(rest) or
                              f"{kind.lower()}{len(attrs) + 1}", "n": None, "values": [],
                              "line": k, "after": len(networks) - 1})
                section = "attr"
            else:
                raise InputError(f"Pajek section {word!r} is not supported (supported: "
                                 f"{supported})", file=file, row=k)
            continue
        toks = _tokens(line)
        if section == "attr":
            if attrs[-1]["n"] is None:
                raise InputError("a *Partition or *Vector needs a *Vertices n line",
                                 file=file, row=k)
            attrs[-1]["values"].extend(toks)
            continue
        if section == "vertices":
            if toks[0] not in cur["labels"]:
                raise InputError(f"vertex number {toks[0]!r} is not between 1 and "
                                 f"{cur['n']}", file=file, row=k, column="1")
            cur["labels"][toks[0]] = toks[1].strip() if len(toks) > 1 else ""
            if len(toks) > 2:
                net.note("pajek_vertex_extra", "info", "vertex coordinates or shapes "
                         "ignored", "ignored", row=k, value=line)
            continue
        if section is None or section == "network" or cur is None or cur["n"] is None:
            raise InputError("data before a *Vertices line (or no *Vertices)", file=file,
                             row=k)
        key = rel_key
        if section in ("arcs", "edges") and toks[0].endswith(":") and toks[0][:-1].isdigit():
            key = toks[0][:-1]  # "k: a b w": an arc of relation k
            toks = toks[1:]
        lay = layer(key)
        if section in ("arcs", "edges"):
            if len(toks) < 2:
                raise InputError("an arc or edge needs two vertices", file=file, row=k)
            value = toks[2] if len(toks) > 2 else "1"
            if len(toks) > 2 and not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?",
                                                  value):
                value = "1"  # no value: the third item is a drawing keyword
            if len(toks) > 3:
                net.note("pajek_arc_extra", "info", "arc drawing attributes after the value "
                         "ignored", "ignored", row=k, value=line)
            a, b = vertex(toks[0], k), vertex(toks[1], k)
            cells.append((lay, a, b, value, k))
            if section == "edges" and a != b:
                cells.append((lay, b, a, value, k))
        elif section in ("arcslist", "edgeslist"):
            ego = vertex(toks[0], k)
            for tok in toks[1:]:
                alter = vertex(tok, k)
                cells.append((lay, ego, alter, "1", k))
                if section == "edgeslist" and alter != ego:
                    cells.append((lay, alter, ego, "1", k))
        else:  # matrix
            matrix_row += 1
            if len(toks) != cur["n"] or matrix_row > cur["n"]:
                raise InputError(f"a *Matrix row needs {cur['n']} values", file=file, row=k)
            for j, value in enumerate(toks, start=1):
                cells.append((lay, str(matrix_row), str(j), value, k))
        if section in ("edges", "edgeslist"):
            net.undirected = True
    if not networks or all(d["n"] is None for d in networks):
        raise InputError("no *Vertices line", file=file)
    # labels: a vertex is its number; blank labels are the number, and a label that
    # repeats within a network gets the number added, so two vertices are never merged
    label_of: list[dict[str, str]] = []
    all_labels: dict[str, None] = {}
    for d in networks:
        counts: dict[str, int] = {}
        for num, lab in d["labels"].items():
            lab = lab or num
            counts[lab] = counts.get(lab, 0) + 1
        mapping = {}
        for num, lab in d["labels"].items():
            lab = lab or num
            mapping[num] = f"{lab} [{num}]" if counts[lab] > 1 else lab
        repeated = sorted(lab for lab, c in counts.items() if c > 1)
        if repeated:
            net.note("pajek_label_repeated", "warning", f"{len(repeated)} vertex label(s) "
                     f"repeat within a network ({repeated[:3]}"
                     f"{' ...' if len(repeated) > 3 else ''}); each such vertex is read "
                     "as 'label [number]', not merged", "changed", row=d["line"])
        label_of.append(mapping)
        all_labels.update(dict.fromkeys(mapping.values()))
    net.labels = list(all_labels)
    net_of_layer = {lay: key[0] for key, lay in layer_of.items()}
    net.cells = [(lay, label_of[net_of_layer[lay]][a], label_of[net_of_layer[lay]][b], v, k)
                 for lay, a, b, v, k in cells]
    several = len({key[0] for key in layer_of}) > 1
    names = []
    for key in sorted(layer_of, key=layer_of.get):
        net_name = networks[key[0]]["name"] if 0 <= key[0] < len(networks) else None
        per_net = sum(1 for k2 in layer_of if k2[0] == key[0]) > 1
        rel = rel_names[key] or (key[1] if per_net else None)
        if several:
            base = net_name or f"network{key[0] + 1}"
            names.append(f"{base}: {rel}" if per_net else base)
        else:
            names.append(rel if rel is not None else (key[1] if len(layer_of) > 1 else None))
    net.layers = _unique_names(names, net, "network or relation name")
    # partitions and vectors: to the network with as many vertices
    attr_names = _unique_names([a["name"] for a in attrs], net, "partition or vector name")
    net.unplaced = []
    for a, name in zip(attrs, attr_names, strict=True):
        if a["n"] is None:
            raise InputError(f"*{a['kind']} {a['name']!r} needs a *Vertices n line",
                             file=file, row=a["line"])
        if len(a["values"]) != a["n"]:
            raise InputError(f"*{a['kind']} {a['name']!r} declares {a['n']} vertices but "
                             f"has {len(a['values'])} values", file=file, row=a["line"])
        fits = [i for i, d in enumerate(networks) if d["n"] == a["n"]]
        before = [i for i in fits if i <= a["after"]]
        target = before[-1] if before else fits[0] if fits else None
        if target is None:
            net.unplaced.append(name)
            net.note("pajek_attribute_unplaced", "warning", f"*{a['kind']} {name!r} has "
                     f"{a['n']} values but no network has {a['n']} vertices; not read",
                     "ignored", row=a["line"], value=name)
            continue
        nums = list(networks[target]["labels"])
        net.attributes[name] = {label_of[target][num]: v
                                for num, v in zip(nums, a["values"], strict=True)}
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

    Supported sections: ``*Vertices n`` (also JUNG's ``*Nodes n``, reported;
    number, optional quoted label; a vertex without a line or with a blank label
    is labelled by its number; coordinates and shapes are ignored and
    reported), ``*Arcs``, ``*Edges`` (each edge becomes two reciprocal ties,
    reported), ``*Arcslist``, ``*Edgeslist``, ``*Matrix`` and multi-relational
    ``*Arcs :2 "advice"`` or arc lines ``2: 1 3`` (each relation number or name
    becomes a relation); ``%`` comments and ``*Network``, ``*Partition`` and
    ``*Vector`` sections are read as described under ``networks_as`` and
    ``organisation``. An arc without a value (or with a drawing keyword in its
    place) has strength 1. A vertex is its number: a label repeated within a
    network is read as ``"label [number]"`` for each such vertex (a warning),
    never merged. Names (``*Network``, ``*Partition``) run to the end of the
    line; a repeated name is read as ``"name (2)"`` (reported).

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
        (usable as ``group=``), values as written. As in Pajek, a partition
        belongs to the network with as many vertices (the last before it, else
        the first after it); one that fits no network is reported, not read.
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

