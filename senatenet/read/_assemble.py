"""Shared by the exchange-format readers and writers (UCINET DL, Pajek, matrix).

Each format module parses its file into a :class:`_Net` (labels, layers and typed
cells with their line numbers); :func:`_survey` is the one assembler that turns it
into a validated Survey, reporting every cell it does not keep. :func:`_layers`
gives the writers labels and tie values from a graph or a Survey.
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
    _roster_frame,
    decode_text,
    match_names,
    match_problems,
)
from .wide import _read_roster, build_survey

if TYPE_CHECKING:
    pass

__all__ = []

_TOKEN = re.compile(r'"([^"]*)"|\'([^\']*)\'|([^\s,=]+)')


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
        from .tables import decompress

        data, _ = decompress(path.read_bytes(), str(source))
        try:
            text, fallback = decode_text(data)
        except (UnicodeDecodeError, ValueError) as exc:
            raise InputError(f"the file is not text ({exc}); if it is compressed other than "
                             "as .gz or a one-file .zip, decompress it first",
                             file=str(source)) from None
        return text, str(source), fallback
    return str(source), "<text>", False



def _survey(net: _Net, *, roster, waves_or_relations, wave, relation, threshold, aliases,
            strict, source, organisation=None):
    """Survey from parsed cells: labels -> people, values -> strengths, every problem kept."""
    labels = net.labels
    if len(set(labels)) != len(labels):
        dup = sorted({x for x in labels if labels.count(x) > 1})
        raise InputError(f"duplicate labels {dup}", file=net.file)
    if roster is None:
        roster_df = pd.DataFrame({"person_id": labels, "name": labels,
                                  "organisation": NO_ORGANISATION})
        org_text = (f"organisations from {organisation!r}" if organisation is not None
                    else f"organisation {NO_ORGANISATION!r}")
        net.note("no_roster", "info", f"no roster: the {len(labels)} labels are the people, "
                 + org_text, "inferred")
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
    attributes = getattr(net, "attributes", {})
    if organisation is not None and organisation in getattr(net, "unplaced", ()):
        raise InputError(f"organisation={organisation!r}: that partition fits no network of "
                         "the file (its number of values is no network's number of "
                         "vertices)", file=net.file)
    if organisation is not None and organisation not in attributes:
        raise InputError(f"organisation={organisation!r} is not a partition or vector of the "
                         f"file (it has: {sorted(attributes) or 'none'})", file=net.file)
    if attributes:
        roster_df = roster_df.copy()
        by_pid = {pid_of[lab]: lab for lab in labels if lab in pid_of}
        for name, values in attributes.items():
            column = "organisation" if name == organisation else name
            if column in roster_df.columns and column != "organisation":
                net.note("attribute_clash", "warning", f"file attribute {name!r} not added: "
                         "the roster already has that column", "ignored", column=name)
                continue
            if column == "organisation" and roster is not None:
                net.note("organisation_from_file", "info", f"organisation taken from "
                         f"{name!r} of the file, not the roster", "changed", column=name)
            roster_df[column] = [str(values.get(by_pid.get(p), "")) or
                                 (NO_ORGANISATION if column == "organisation" else "")
                                 for p in roster_df["person_id"].astype(str)]
            net.note("file_attribute", "info", f"{name!r} read as a person attribute"
                     f"{' (the organisation)' if column == 'organisation' else ''}", "kept",
                     column=name)
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
                        "relation": r, "strength": value, "source_row": line,
                        "file": net.file})
    for lab, count in dropped.items():
        net.note("unresolved_label", "error", f"{count} ties of label {lab!r} dropped (not "
                 "a roster person)", "dropped", value=lab)
    ties = pd.DataFrame(records, columns=["wave", "respondent", "alter", "relation",
                                          "strength", "source_row", "file"])
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
    survey = build_survey(roster if isinstance(roster, (str, Path)) and not attributes
                          else roster_df, ties, resp, problems, waves=wave_list, strict=strict,
                          sources={"network": source, **({"roster": roster}
                                                         if roster is not None else {})})
    if roster is None:
        survey = survey.replace(sources={k: v for k, v in survey.sources.items()
                                         if k != "roster"})
    if waves_or_relations == "relations":
        empty = [r for r in layer_names if r not in survey.relations]
        if empty:  # a relation with no tie is data too: keep it in Survey.relations
            extra = problems_frame([{"severity": "info", "file": net.file, "row": None,
                                     "column": None, "value": r, "problem": f"relation {r!r} "
                                     "has no tie in the file; kept (empty)", "action": "kept",
                                     "check": "empty_relation"} for r in empty])
            survey = survey.replace(relations=tuple(layer_names),
                                    validation=problems_frame([survey.validation, extra]))
    return survey



def _weight_key(G: nx.Graph, weight: str | None) -> str | None:
    """The edge attribute holding tie values: ``strength`` or ``weight`` when "auto"."""
    if weight != "auto":
        if weight is not None and G.number_of_edges() and not any(
                weight in d for *_, d in G.edges(data=True)):
            other = [k for k in ("strength", "weight") if k != weight and
                     any(k in d for *_, d in G.edges(data=True))]
            if other:
                raise InputError(f"no edge has the attribute {weight!r} but edges have "
                                 f"{other[0]!r}: give weight={other[0]!r} (or weight=None "
                                 "to write every tie as 1)")
        return weight
    found = [k for k in ("strength", "weight") if any(k in d for *_, d in G.edges(data=True))]
    if len(found) == 2:
        raise InputError("edges have both 'strength' and 'weight' attributes: give "
                         "weight='strength' or weight='weight' to say which holds the values")
    return found[0] if found else None


def _layers(data: Any, wave, relation, weight, label, by: str, parallel: str = "error"):
    """Labels and [(layer name, {(i, j): value})] from a graph or a Survey."""
    if parallel not in ("error", "sum"):
        raise InputError("parallel= must be 'error' or 'sum'")
    if isinstance(data, nx.Graph):
        nodes = list(data.nodes)
        if label is None:
            labels = [str(v) for v in nodes]
        else:
            labels = [str(data.nodes[v].get(label, v)) for v in nodes]
        pos = dict(zip(nodes, labels, strict=True))
        cells: dict[tuple[str, str], float] = {}
        key = _weight_key(data, weight)
        if data.is_multigraph() and parallel == "error":
            many = sum(1 for u, v in {(u, v) for u, v in data.edges()}
                       if data.number_of_edges(u, v) > 1)
            if many:
                raise InputError(f"the MultiGraph has parallel edges between {many} pair(s), "
                                 "which DL and Pajek hold once: give parallel='sum' to add "
                                 "their values, or collapse them first")
        for u, v, d in data.edges(data=True):
            value = float(d.get(key, 1.0)) if key else 1.0
            pairs = [(pos[u], pos[v])] + ([(pos[v], pos[u])] if not data.is_directed()
                                          and u != v else [])
            for pair in pairs:
                cells[pair] = cells.get(pair, 0.0) + value if data.is_multigraph() else value
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


