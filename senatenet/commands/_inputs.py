"""Survey input options shared by ``validate``, ``export`` and ``report``.

The ties may be a tidy ties file (one row per nomination) or a network file in
an exchange format: UCINET DL, Pajek ``.net``/``.paj``, a labelled adjacency
matrix (CSV/XLSX) or a wide survey export. The format is detected from the
extension and the content, or given with ``--format``. Organisations come from
the roster, a Pajek partition, or a roster column named by ``--group``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

__all__: list[str] = []

FORMATS = ("auto", "ties", "dl", "pajek", "matrix", "wide")


def add_input_arguments(parser: argparse.ArgumentParser | argparse._ArgumentGroup, *,
                        ties_help: str | None = None,
                        format_flags: tuple[str, ...] = ("--format", "--input-format")
                        ) -> None:
    """Add ``--roster``, ``--ties``, ``--format``, ``--group`` and their companions."""
    parser.add_argument("--roster", metavar="R",
                        help="roster file (CSV or XLSX): one row per person (required with "
                        "a tidy ties file; optional with a network file)")
    parser.add_argument("--ties", required=True, metavar="T",
                        help=ties_help or "ties file: tidy ties (CSV/XLSX, one row per "
                        "nomination) or a network file (UCINET .dl, Pajek .net/.paj, "
                        "adjacency matrix, wide survey export; see --format); .gz and "
                        "one-file .zip are read")
    parser.add_argument(*format_flags, dest="input_format", choices=FORMATS, default="auto",
                        help="format of --ties (default: detected from the extension "
                        "and content)")
    parser.add_argument("--respondents", metavar="P",
                        help="who answered in each wave (wave, person_id); without it "
                        "respondents are inferred from the ties, with a warning")
    parser.add_argument("--waves", nargs="+", metavar="W",
                        help="the waves in order (default: order of first appearance)")
    parser.add_argument("--group", metavar="NAME",
                        help="organisations from this Pajek partition or roster column "
                        "instead of the roster's organisation column")
    parser.add_argument("--aliases", metavar="FILE",
                        help="alias/review file written by 'senatenet match': names "
                        "in the ties (or labels of a network file) replaced by person ids")
    parser.add_argument("--wave-label", metavar="W", default=None,
                        help="wave of a single-wave network file (default '1')")
    parser.add_argument("--relation-label", metavar="REL", default=None,
                        help="relation of a network file that names none (default 'tie')")
    parser.add_argument("--matrices-as", choices=("waves", "relations"), default=None,
                        help="what the matrices of a DL file or the networks of a Pajek "
                        "project are (DL default: waves; Pajek default: relations)")
    parser.add_argument("--respondent-column", metavar="COL",
                        help="wide export: the column naming the respondent")
    parser.add_argument("--wave-column", metavar="COL",
                        help="wide export: the column holding each row's wave (one export "
                        "with several waves); default: the whole export is --wave-label")


def detect_format(path: str | Path) -> str:
    """``dl``, ``pajek``, ``matrix`` or ``ties`` from the extension, then the content."""
    from ..read.tables import decompress

    p = Path(path)
    name = p.name.lower().removesuffix(".gz")
    if name.endswith(".dl"):
        return "dl"
    if name.endswith((".net", ".paj")):
        return "pajek"
    if not p.is_file():
        return "ties"
    data, _ = decompress(p.read_bytes()[:1_000_000], p.name)
    head = data[:4096].decode("utf-8", errors="replace").lstrip("\ufeff").lstrip()
    if head[:2].casefold() == "dl" and (len(head) == 2 or not head[2].isalnum()):
        return "dl"
    if head.startswith("*") or head.startswith("%"):
        return "pajek"
    if name.endswith((".csv", ".txt", ".tsv")):
        first = head.splitlines()[0] if head else ""
        cells = [c.strip().strip('"') for c in first.replace("\t", ",").split(",")]
        if cells and cells[0] == "" and len(cells) > 2:
            return "matrix"
    return "ties"


def _roster_with_group(roster, group):
    """The roster with ``organisation`` taken from column ``group``."""
    from ..errors import InputError
    from ..read.names import read_text_table

    frame, label = read_text_table(roster)
    if group not in frame.columns:
        raise InputError(f"--group {group!r} is not a roster column (columns: "
                         f"{list(frame.columns)})", file=label)
    frame = frame.copy()
    if "organisation" in frame.columns:
        frame["organisation_roster"] = frame["organisation"]
    frame["organisation"] = frame[group]
    return frame


def read_input(args: argparse.Namespace):
    """The Survey named by :func:`add_input_arguments` options."""
    from ..errors import InputError
    from ..read import (
        read_adjacency_matrix,
        read_pajek,
        read_survey,
        read_ucinet_dl,
        read_wide_survey,
    )

    fmt = getattr(args, "input_format", "auto") or "auto"
    if fmt == "auto":
        fmt = detect_format(args.ties)
        if fmt == "ties" and getattr(args, "respondent_column", None):
            fmt = "wide"  # a table with a respondent column and no respondent/alter pair
    group = getattr(args, "group", None)
    roster = args.roster
    if group and roster is None and fmt != "pajek":
        raise InputError(f"--group {group!r} names a roster column (or, for a Pajek file, a "
                         "partition): give --roster", file=str(args.ties))
    if group and roster is not None and fmt != "pajek":
        roster = _roster_with_group(roster, group)
    if fmt == "ties":
        if roster is None:
            raise InputError("--roster is required with a tidy ties file (or give a "
                             "network file: .dl, .net, an adjacency matrix, --format)",
                             file=str(args.ties))
        return read_survey(roster, args.ties, respondents=args.respondents,
                           waves=args.waves, aliases=getattr(args, "aliases", None))
    common = {"roster": roster, "aliases": getattr(args, "aliases", None)}
    wave = getattr(args, "wave_label", None) or "1"
    relation = getattr(args, "relation_label", None) or "tie"
    as_ = getattr(args, "matrices_as", None)
    if fmt == "dl":
        survey = read_ucinet_dl(args.ties, wave=wave, relation=relation,
                                matrices_as=as_ or "waves", **common)
    elif fmt == "pajek":
        organisation = group if group and roster is None else None
        if group and roster is not None:
            common["roster"] = _roster_with_group(roster, group)
        survey = read_pajek(args.ties, wave=wave, relation=relation,
                            networks_as=as_ or "relations", organisation=organisation,
                            **common)
    elif fmt == "matrix":
        survey = read_adjacency_matrix(args.ties, wave=wave, relation=relation, **common)
    else:
        column = getattr(args, "respondent_column", None)
        if not column:
            raise InputError("a wide export needs --respondent-column COL",
                             file=str(args.ties))
        wave_column = getattr(args, "wave_column", None)
        survey = read_wide_survey(args.ties, respondent_column=column, relation=relation,
                                  wave=None if wave_column else wave,
                                  wave_column=wave_column, waves=args.waves, **common)
    if args.respondents:
        raise InputError("--respondents goes with a tidy ties file; a network file "
                         "makes every vertex a respondent", file=str(args.respondents))
    return survey
