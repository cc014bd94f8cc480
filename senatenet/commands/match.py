"""``senatenet match``: match typed names to the roster and write a review file.

``senatenet match --roster R --names FILE [--column C] [--aliases A]
[--threshold T] --out REVIEW.csv``

The review file (Excel-safe CSV) has one row per name with ``input``,
``person_id`` (filled only for accepted matches), ``matched_name``, ``status``,
``method``, ``score`` and ``candidates``. A person fills or corrects
``person_id`` and passes the file back as ``--aliases`` (or to
``match_names(..., aliases=...)`` / ``read_wide_survey(..., aliases=...)``):
rows with a ``person_id`` become confirmed matches. Exit codes: 0 when every
name is matched, 1 when some need review, 2 unusable input or usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import InputError

__all__: list[str] = []

REVIEW_COLUMNS = ["row", "input", "person_id", "matched_name", "status", "method", "score",
                  "candidates"]


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "match",
        help="match typed names to the roster and write a review file",
        description="Match free-text names (with titles, initials, typos) to roster "
        "people. Never accepts an uncertain match: ambiguous or low-scoring names "
        "get candidates and no person_id. Edit the review file (fill person_id) and "
        "pass it back with --aliases.",
    )
    parser.add_argument("--roster", required=True, metavar="R",
                        help="roster file (CSV or XLSX) with person_id and name")
    parser.add_argument("--names", required=True, metavar="FILE",
                        help="names to match: CSV/XLSX (column 'name', or --column) or a "
                        ".txt file with one name per line")
    parser.add_argument("--column", metavar="C", help="column of --names holding the names")
    parser.add_argument("--aliases", metavar="A",
                        help="alias file (name, person_id), e.g. an edited review file")
    parser.add_argument("--threshold", type=float, default=90.0, metavar="T",
                        help="lowest fuzzy score (0-100) accepted as a match (default 90)")
    parser.add_argument("--out", required=True, metavar="REVIEW.csv",
                        help="review file to write (Excel-safe CSV)")
    parser.set_defaults(func=run)


def read_names(path: str, column: str | None) -> tuple[list[str], list[int]]:
    """Names and their spreadsheet rows (header = 1; a .txt file has no header)."""
    from ..read.names import ENCODING_NOTE, decode_text, read_text_table

    if Path(path).suffix.casefold() == ".txt":
        if not Path(path).is_file():
            raise InputError("file not found", file=path)
        text, fallback = decode_text(Path(path).read_bytes())
        if fallback:
            print(f"senatenet match: warning: {path}: {ENCODING_NOTE}", file=sys.stderr)
        lines = text.splitlines()
        kept = [(line.strip(), k) for k, line in enumerate(lines, start=1) if line.strip()]
        return [n for n, _ in kept], [k for _, k in kept]
    table, label = read_text_table(path)
    cols = {str(c).strip().casefold(): c for c in table.columns}
    want = (column or "name").strip().casefold()
    if want not in cols:
        if column is None and len(table.columns) == 1:
            want = str(table.columns[0]).strip().casefold()
        else:
            raise InputError(f"no column {column or 'name'!r} (columns: "
                             f"{', '.join(map(str, table.columns))})", file=label,
                             column=column or "name")
    values = table[cols[want]].tolist()
    kept = [(v.strip(), k) for k, v in enumerate(values, start=2) if v.strip()]
    return [n for n, _ in kept], [k for _, k in kept]


def run(args: argparse.Namespace) -> int:
    from ..export import write_csv
    from ..read.names import match_names, read_text_table
    from .validate import refuse_overwriting_inputs

    refuse_overwriting_inputs(args.out, args.roster, args.names)
    roster, _ = read_text_table(args.roster)
    names, rows = read_names(args.names, args.column)
    if not names:
        raise InputError("no names to match", file=args.names)
    result = match_names(names, roster, threshold=args.threshold, aliases=args.aliases)
    result.insert(0, "row", rows)
    review = result[REVIEW_COLUMNS]
    out = write_csv(review, args.out, index=False)
    counts = review["status"].value_counts()
    summary = ", ".join(f"{counts.get(s, 0)} {s}"
                        for s in ("matched", "suggestion", "ambiguous", "unmatched"))
    fuzzy = int(((review["status"] == "matched") & (review["method"] == "fuzzy")).sum())
    print(f"{len(review)} names: {summary} ({fuzzy} fuzzy matches to check).")
    print(f"Review file: {out}")
    todo = review["status"] != "matched"
    if todo.any():
        print("Fill person_id for the rows to confirm, then pass the file back with "
              "--aliases.", file=sys.stderr)
    return 1 if todo.any() else 0

