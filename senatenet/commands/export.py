"""``senatenet export``: write one wave's networks as GraphML, GEXF, CSV or XLSX.

Without ``--relation`` every relation is exported, one file (or pair of tables)
per relation: relations are never merged. Exit codes: 0 written (validation
errors in the input are reported on stderr; the rows they dropped are not in the
output), 2 unusable input, an unknown wave or relation, or usage.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..errors import InputError
from ._inputs import add_input_arguments, read_input
from .validate import clean_text, console_safe, counts

__all__: list[str] = []

FORMATS = ("graphml", "gexf", "csv", "xlsx")


def safe_name(text: str) -> str:
    """A file-name fragment from survey text (letters, digits, ``.-_`` only)."""
    name = re.sub(r"[^A-Za-z0-9.\-]+", "_", text).strip("._") or "x"
    return name[:60]


def graph_options(args: argparse.Namespace) -> dict:
    return {"min_strength": args.min_strength, "symmetrize": args.symmetrize,
            "missing": args.missing}


def write_graph(G, stem: Path, fmt: str, *, index_name: str) -> list[Path]:
    """Write ``G`` as ``stem.<fmt>`` (graph formats) or node/edge tables."""
    from ..export import (
        edge_table_frame,
        node_table_frame,
        write_csv,
        write_gexf,
        write_graphml,
        write_xlsx,
    )

    if fmt == "graphml":
        return [write_graphml(G, stem.with_suffix(".graphml"))]
    if fmt == "gexf":
        return [write_gexf(G, stem.with_suffix(".gexf"))]
    nodes = node_table_frame(G, index_name=index_name)
    edges = edge_table_frame(G)
    if fmt == "xlsx":
        return [write_xlsx({"nodes": nodes, "edges": edges}, stem.with_suffix(".xlsx"))]
    return [
        write_csv(nodes, stem.with_name(stem.name + "_nodes.csv")),
        write_csv(edges, stem.with_name(stem.name + "_edges.csv"), index=False),
    ]


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "export",
        help="write a wave's network as GraphML, GEXF (Gephi), CSV or XLSX",
        description="Read and validate a survey, build the network of one wave "
        "and write it for Gephi, yEd, R or Excel. Without --relation, every "
        "relation is written to its own file.",
    )
    add_input_arguments(p, format_flags=("--input-format",))
    p.add_argument("--wave", required=True, help="the wave to export, as written")
    p.add_argument("--relation", help="the relation to export (default: each one)")
    p.add_argument("--format", choices=FORMATS, default="graphml",
                   help="graphml (default), gexf, csv (node and edge tables, "
                   "Excel-safe) or xlsx")
    p.add_argument("--level", choices=("person", "organisation"), default="person",
                   help="people (default) or organisations as nodes")
    p.add_argument("--min-strength", type=float, metavar="S",
                   help="keep ties with strength >= S")
    p.add_argument("--symmetrize", choices=("union", "reciprocal"),
                   help="undirected: a tie if either (union) or both (reciprocal) named it")
    p.add_argument("--missing", choices=("absent", "reconstruct", "panel"),
                   default="absent", help="how non-respondents' ties are treated")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    console_safe()
    survey = read_input(args)
    if args.wave not in survey.waves:
        raise InputError(
            f"wave {args.wave!r} is not in the survey (waves: "
            f"{', '.join(map(repr, survey.waves)) or 'none'})"
        )
    if args.relation is not None and args.relation not in survey.relations:
        raise InputError(
            f"relation {args.relation!r} is not in the survey (relations: "
            f"{', '.join(map(repr, survey.relations)) or 'none'})"
        )
    relations = [args.relation] if args.relation is not None else list(survey.relations)
    if not relations:
        raise InputError("the survey has no ties to export")
    stems = [f"{args.level}_{safe_name(args.wave)}_{safe_name(r)}" for r in relations]
    if len(set(stems)) != len(stems):  # relations differing only by punctuation
        stems = [f"{s}_{k + 1}" for k, s in enumerate(stems)]
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {str(out)!r} exists and is not a folder")
    written: list[Path] = []
    for relation, stem in zip(relations, stems, strict=True):
        if args.level == "person":
            G = survey.person_graph(args.wave, relation, **graph_options(args))
        else:
            G = survey.org_graph(args.wave, relation, **graph_options(args))
        index_name = "person_id" if args.level == "person" else "organisation"
        written += write_graph(G, out / stem, args.format, index_name=index_name)
    n = counts(survey.validation)
    if n["error"]:
        print(f"senatenet export: warning: the input has {n['error']} validation "
              "error(s); those rows are not in the output (run senatenet validate)",
              file=sys.stderr)
    print(f"Wrote {len(written)} file(s):")
    for path in written:
        print(f"  {clean_text(str(path))}")
    return 0
