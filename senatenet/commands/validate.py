"""``senatenet validate``: read a survey and print its validation report.

Exit codes: 0 clean or warnings only (with ``--strict``: clean only), 1 errors
found (with ``--strict``: errors or warnings), 2 unusable input or usage.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from pathlib import Path

import pandas as pd

from ..instruments.cli_inputs import add_export_arguments, read_input_or_export
from ._inputs import add_input_arguments, read_input

__all__: list[str] = []

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_WIDTHS = {"severity": 8, "file": 18, "row": 5, "column": 12, "value": 24, "action": 8}


def console_safe() -> None:
    """Never crash on a name the console cannot encode (e.g. a cp1252 Windows
    console redirected to a file): print it as ``\\xNN`` instead."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a detached stream
                reconfigure(errors="backslashreplace")


def refuse_overwriting_inputs(out: str | Path, *inputs: str | Path | None) -> None:
    """Raise :class:`InputError` when ``out`` is one of the input files."""
    from ..errors import InputError

    target = Path(out).resolve()
    for given in inputs:
        if given is not None and Path(given).resolve() == target:
            raise InputError(f"--out {str(out)!r} is an input file; it would be overwritten")


def clean_text(value: object, width: int | None = None) -> str:
    """Survey text made safe for a terminal: control characters shown as ``\\xNN``,
    optionally shortened to ``width`` characters."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))
    if width is not None and len(text) > width:
        text = text[: width - 3] + "..."
    return text


def format_report(report: pd.DataFrame) -> str:
    """The validation report as a fixed-width text table (problem last, unshortened)."""
    if len(report) == 0:
        return "No problems found."
    columns = [*_WIDTHS, "problem"]
    rows = [[clean_text(rec.get(c), _WIDTHS.get(c)) for c in columns]
            for rec in report.to_dict("records")]
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in [*widths[:-1], min(widths[-1], 40)]))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
              for r in rows]
    return "\n".join(lines)


def counts(report: pd.DataFrame) -> dict[str, int]:
    sev = report["severity"] if len(report) else pd.Series(dtype=str)
    return {s: int((sev == s).sum()) for s in ("error", "warning", "info")}


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def describe(survey) -> str:
    """One paragraph: what was read."""
    people = survey.people
    ties = survey.ties
    parts = [
        _count(len(people), "person", "people")
        + f" in {_count(people['organisation'].nunique(), 'organisation')}",
        _count(len(ties), "nomination") + " kept",
        f"waves: {', '.join(clean_text(w) for w in survey.waves) or '(none)'}",
        f"relations: {', '.join(clean_text(r) for r in survey.relations) or '(none)'}",
    ]
    if survey.respondents_inferred:
        parts.append("respondents inferred from the ties")
    return "; ".join(parts)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "validate",
        help="check survey files and print the validation report",
        description="Read a roster, ties and (optionally) respondents file (or a "
        "UCINET DL, Pajek, adjacency-matrix or wide-export network file), check "
        "them, and print every problem with its file, row and column. Exit code 0: "
        "clean or warnings only; 1: errors found (rows were dropped); 2: unusable "
        "input or usage.",
    )
    add_input_arguments(p)
    add_export_arguments(p)
    p.add_argument("--strict", action="store_true",
                   help="treat warnings as failures too (exit 1 on any warning)")
    p.add_argument("--out", metavar="FILE",
                   help="also write the report to FILE (.csv, Excel-safe, or .xlsx)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..export import write_csv, write_xlsx

    console_safe()
    if args.out:
        refuse_overwriting_inputs(args.out, args.roster, args.ties, args.respondents,
                                  args.aliases)
    survey = read_input_or_export(args, lambda: read_input(args))
    report = survey.validation
    print(f"Read {describe(survey)}.")
    print()
    print(format_report(report))
    n = counts(report)
    print()
    print(f"{n['error']} error(s), {n['warning']} warning(s), {n['info']} note(s).")
    if args.out:
        out = Path(args.out)
        if out.suffix.lower() == ".xlsx":
            write_xlsx({"validation": report}, out)
        else:
            write_csv(report, out)
        print(f"Report written to {out}")
    failed = n["error"] > 0 or (args.strict and n["warning"] > 0)
    if failed:
        why = "errors" if n["error"] else "warnings (--strict)"
        print(f"senatenet validate: {why} found", file=sys.stderr)
    return 1 if failed else 0
