"""Reference readers for the real-file tests: UCINET DL and Pajek, written from the
formats' documentation, sharing no code with senatenet's readers.

They return what a file *says* (labels, layers, cells with their values and lines)
and :func:`expected` turns that into what a Survey must then hold, by the rules
of docs/data-format.md: a value of 0 or a blank is no tie; a self-tie, a negative
value or a repeated pair is not kept and has one validation line each; undirected
edges are two reciprocal ties.

References: Borgatti, Everett & Freeman, *UCINET for Windows* (DL language,
analytictech.com/ucinet/help/hs5000.htm); Batagelj & Mrvar, *Pajek manual*
(vlado.fmf.uni-lj.si/pub/networks/pajek/doc/pajekman.pdf), section on input files;
de Nooy, Mrvar & Batagelj (2018), *Exploratory Social Network Analysis with
Pajek*, 3rd ed., appendix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Ref", "expected", "ref_dl", "ref_pajek"]


@dataclass
class Ref:
    """What a file says."""

    labels: list[str] = field(default_factory=list)
    layers: list[str | None] = field(default_factory=list)
    cells: list[tuple[int, str, str, float]] = field(default_factory=list)  # layer, a, b, v
    two_mode: str | None = None  # why, when the file is two-mode
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _split(line: str) -> list[str]:
    """Whitespace-separated items, ``"quoted items"`` whole (quotes removed)."""
    return [m.group(1) if m.group(1) is not None else m.group(2)
            for m in re.finditer(r'"([^"]*)"|(\S+)', line)]


def _number(token: str) -> float | None:
    try:
        return float(token)
    except ValueError:
        return None


# ---------------------------------------------------------------- Pajek

def ref_pajek(text: str) -> Ref:
    """A Pajek .net/.paj file: every *Network, its *Vertices, and each relation
    (``*Arcs :k``, ``*Edges :k`` or a ``k:`` prefix on an arc line) a layer."""
    ref = Ref()
    networks: list[dict] = []
    net: dict | None = None
    section = None
    rel_key = None
    matrix_row = 0
    pending_attr = None
    attrs: list[dict] = []

    def new_network(name):
        d = {"name": name, "n": None, "labels": {}, "rels": {}, "order": []}
        networks.append(d)
        return d

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        if line.startswith("*"):
            word = line.split()[0].lower()
            rest = line[len(line.split()[0]):].strip()
            if word in ("*vertices", "*nodes"):  # *Nodes: JUNG's spelling
                parts = rest.split()
                if section == "attr":
                    pending_attr["n"] = int(parts[0])
                    continue
                if len(parts) > 1 and ref.two_mode is None:
                    ref.two_mode = f"*Vertices {parts[0]} {parts[1]}"
                if net is None or net["n"] is not None:
                    net = new_network(None)
                net["n"] = int(parts[0])
                net["labels"] = {str(i): str(i) for i in range(1, net["n"] + 1)}
                section = "vertices"
            elif word == "*network":
                net = new_network(_unquote(rest) or None)
                section = None
            elif word in ("*arcs", "*edges", "*arcslist", "*edgeslist", "*matrix"):
                m = re.match(r":\s*(\d+)\s*(.*)$", rest)
                key, name = (m.group(1), _unquote(m.group(2)) or None) if m else ("1", None)
                if not m and rest:
                    name = _unquote(rest)
                net["rels"].setdefault(key, {"name": None, "cells": [], "kind": word})
                if name and net["rels"][key]["name"] is None:
                    net["rels"][key]["name"] = name
                section, rel_key, matrix_row = word[1:], key, 0
            elif word in ("*partition", "*vector"):
                pending_attr = {"name": _unquote(rest), "n": None, "values": [],
                                "after": len(networks) - 1}
                attrs.append(pending_attr)
                section = "attr"
            else:
                raise ValueError(f"reference reader: unknown section {word}")
            continue
        toks = _split(line)
        if section == "attr":
            pending_attr["values"].extend(toks)
        elif section == "vertices":
            if len(toks) > 1 and toks[1].strip():  # labels are trimmed, as all text
                net["labels"][toks[0]] = toks[1].strip()
        elif section in ("arcs", "edges"):
            key = rel_key
            if toks[0].endswith(":"):  # "k: a b w" puts the arc in relation k
                key = toks[0][:-1]
                toks = toks[1:]
                net["rels"].setdefault(key, {"name": None, "cells": [], "kind": section})
            v = _number(toks[2]) if len(toks) > 2 else None
            v = 1.0 if v is None else v
            net["rels"][key]["cells"].append((toks[0], toks[1], v, section == "edges"))
        elif section in ("arcslist", "edgeslist"):
            for b in toks[1:]:
                net["rels"][rel_key]["cells"].append((toks[0], b, 1.0,
                                                      section == "edgeslist"))
        elif section == "matrix":
            matrix_row += 1
            for j, v in enumerate(toks, start=1):
                net["rels"][rel_key]["cells"].append((str(matrix_row), str(j), float(v),
                                                      False))
    # labels: a vertex is its number; a label that repeats within a network gets
    # the number added, so two vertices are never one person
    all_labels: dict[str, None] = {}
    for d in networks:
        if d["n"] is None:
            continue
        counts: dict[str, int] = {}
        for lab in d["labels"].values():
            counts[lab] = counts.get(lab, 0) + 1
        d["labels"] = {i: (f"{lab} [{i}]" if counts[lab] > 1 else lab)
                       for i, lab in d["labels"].items()}
        all_labels.update(dict.fromkeys(d["labels"].values()))
    ref.labels = list(all_labels)
    with_rels = [d for d in networks if d["rels"]]
    several = len(with_rels) > 1
    names = []
    for d in with_rels:
        for key, rel in d["rels"].items():
            own = rel["name"] or (key if len(d["rels"]) > 1 else None)
            if several:
                base = d["name"] or f"network{networks.index(d) + 1}"
                names.append(f"{base}: {own}" if len(d["rels"]) > 1 else base)
            else:
                names.append(own)
            layer = len(names) - 1
            for a, b, v, undirected in rel["cells"]:
                la, lb = d["labels"][a], d["labels"][b]
                ref.cells.append((layer, la, lb, v))
                if undirected and la != lb:
                    ref.cells.append((layer, lb, la, v))
    ref.layers = _unique(names)
    for attr in attrs:
        fits = [d for d in networks if d["n"] == attr["n"]]
        before = [d for d in fits if networks.index(d) <= attr["after"]]
        target = before[-1] if before else fits[0] if fits else None
        if target is not None:
            ref.attributes.setdefault(attr["name"], {}).update(
                zip(target["labels"].values(), attr["values"], strict=True))
    return ref


def _unique(names: list) -> list:
    out, seen = [], {}
    for name in names:
        if name is not None and name in seen:
            seen[name] += 1
            out.append(f"{name} ({seen[name]})")
        else:
            seen.setdefault(name, 1)
            out.append(name)
    return out


# ---------------------------------------------------------------- UCINET DL

_KEYWORDS = re.compile(
    r"(?i)\b(row\s+labels\s+embedded|col(?:umn)?\s+labels\s+embedded|labels\s+embedded"
    r"|row\s+labels\s*:|col(?:umn)?\s+labels\s*:|(?:level|matrix)\s+labels\s*:|labels\s*:"
    r"|(?:nr|nc|nm|n|format|diagonal)\s*=\s*[^\s,]+)")


def ref_dl(text: str) -> Ref:
    """A UCINET DL file: full matrix (also lower/upper half), edge list 1 or node
    list 1; NM matrices (named by LEVEL/MATRIX LABELS)."""
    ref = Ref()
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if re.match(r"(?i)\s*data\s*:", line))
    head = " ".join(lines[:at])
    head = re.sub(r"(?i)^\s*dl\b", "", head)
    data_lines = [re.sub(r"(?i)^\s*data\s*:", "", lines[at])] + lines[at + 1:]
    opts: dict[str, str] = {}
    sections: dict[str, list[str]] = {}
    embedded = set()
    parts = list(_KEYWORDS.finditer(head))
    for m, nxt in zip(parts, [*parts[1:], None], strict=True):
        word = re.sub(r"\s+", " ", m.group(1).lower())
        if "embedded" in word:
            embedded |= ({"row"} if word.startswith("row") else {"col"}
                         if word.startswith("col") else {"row", "col"})
        elif word.endswith(":"):
            name = word.rstrip(": ").replace("column", "col").replace("level", "matrix")
            body = head[m.end():nxt.start() if nxt else len(head)]
            sections[name] = [m.group(1) if m.group(1) is not None else m.group(2)
                              for m in re.finditer(r'"([^"]*)"|([^\s,]+)', body)]
        else:
            k, v = re.split(r"\s*=\s*", word)
            opts[k] = v
    fmt = {"fm": "fullmatrix", "el1": "edgelist1", "nl1": "nodelist1", "lh": "lowerhalf",
           "uh": "upperhalf"}.get(opts.get("format", "fullmatrix"),
                                  opts.get("format", "fullmatrix"))
    nm = int(opts.get("nm", 1))
    n = int(opts["n"]) if "n" in opts else None
    if "nr" in opts or "nc" in opts:
        if opts.get("nr") != opts.get("nc"):
            ref.two_mode = f"NR = {opts.get('nr')}, NC = {opts.get('nc')}"
            return ref
        n = int(opts["nr"])
    rows = sections.get("labels") or sections.get("row labels")
    cols = sections.get("col labels")
    if rows and cols and [x.upper() for x in rows] != [x.upper() for x in cols]:
        ref.two_mode = "row and column labels differ"
        return ref
    labels = rows or cols
    ref.layers = sections.get("matrix labels") or ([None] if nm == 1 else
                                                   [str(k + 1) for k in range(nm)])
    seen: dict[str, str] = {}

    def person(lab: str) -> str:  # labels compared as UCINET compares them: upper-cased
        lab = lab.strip()
        return seen.setdefault(lab.upper(), lab)

    if labels:
        for lab in labels:
            person(lab)
    if fmt in ("fullmatrix", "lowerhalf", "upperhalf"):
        diag = opts.get("diagonal", "present") == "present"
        toks = [t for line in data_lines for t in _split(line)]
        pos = 0
        col_labels = labels
        for layer in range(nm):
            if "col" in embedded:
                col_labels = [person(x) for x in toks[pos:pos + n]]
                pos += n
            for i in range(n):
                if "row" in embedded:
                    row_label = toks[pos]
                    pos += 1
                else:
                    row_label = labels[i] if labels else str(i + 1)
                if fmt == "fullmatrix":
                    js = [j for j in range(n) if diag or j != i]
                elif fmt == "lowerhalf":
                    js = list(range(i + 1 if diag else i))
                else:
                    js = list(range(i if diag else i + 1, n))
                for j in js:
                    v = float(toks[pos])
                    pos += 1
                    col = col_labels[j] if col_labels else str(j + 1)
                    a, b = person(row_label), person(col)
                    ref.cells.append((layer, a, b, v))
                    if fmt != "fullmatrix" and a != b:
                        ref.cells.append((layer, b, a, v))
    else:
        blocks: list[list[list[str]]] = [[]]
        for line in data_lines:
            if line.strip() == "!":
                blocks.append([])
            elif line.strip():
                blocks[-1].append(_split(line))
        blocks = [b for b in blocks if b] or [[]]
        for layer, block in enumerate(blocks):
            for toks in block:
                def name(tok):
                    if embedded or not labels:
                        return person(tok)
                    return person(labels[int(tok) - 1])
                if fmt == "edgelist1":
                    v = float(toks[2]) if len(toks) > 2 else 1.0
                    ref.cells.append((layer, name(toks[0]), name(toks[1]), v))
                else:
                    for b in toks[1:]:
                        ref.cells.append((layer, name(toks[0]), name(b), 1.0))
    if n is not None and not labels and not embedded:
        for i in range(1, n + 1):
            person(str(i))
    ref.labels = list(seen.values())
    return ref


# ---------------------------------------------------------------- expectation

def expected(ref: Ref) -> dict:
    """What a one-mode file must give: ties per layer, and the lines for what is
    not kept (self-ties, negative values, repeated pairs)."""
    ties: list[dict[tuple[str, str], float]] = [{} for _ in ref.layers]
    loops = negative = repeated = 0
    for layer, a, b, v in ref.cells:
        if v == 0:
            continue
        if v < 0:
            negative += 1
        elif a == b:
            loops += 1
        elif (a, b) in ties[layer]:
            repeated += 1
        else:
            ties[layer][(a, b)] = v
    return {"ties": ties, "self_nomination": loops, "negative_strength": negative,
            "duplicate_nomination": repeated, "people": set(ref.labels)}
