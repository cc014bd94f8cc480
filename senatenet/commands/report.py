"""``senatenet report``: the programme report from survey files, in one command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import InputError
from ..instruments.cli_inputs import add_export_arguments, read_input_or_export
from ._inputs import add_input_arguments, read_input

__all__: list[str] = []

#: senatenet.evaluation.evaluation.PRIMARY_CHOICES (not imported here: the
#: command line starts without numpy and pandas; a test checks they agree)
PRIMARY_CHOICES = ("cross_boundary_formation", "cross_boundary_persistence",
                   "cross_boundary_change", "mixing_log_odds_ratio")

DESCRIPTION = """\
Write the programme report: DIR/report.html (one self-contained file that opens
offline), DIR/map.html, DIR/figures/ (PNG and SVG), DIR/tables/ (CSV safe for
Excel and one XLSX workbook) and DIR/manifest.json (versions, options, seeds,
input file hashes)."""

EPILOG = """\
example:
  senatenet report --roster roster.csv --ties ties.csv --respondents respondents.csv \\
      --before pre --after post --relation advice --out leeds-report
  senatenet report ... --waves pre post follow-up   (did the new ties last?)
  senatenet report ... --compare-with other/roster.csv other/ties.csv other/respondents.csv
evaluation design (detected; the report's first sentence states what it supports):
  comparison cohort with --compare-with; participants vs non-participants when the
  roster's participant column holds both; otherwise a single cohort (change, never
  cause). --primary declares the primary estimand.
sharing the report:
  --pseudonymise --key-file KEY replaces every name and id by a stable code
  (HMAC-SHA256 with the key in KEY; keep KEY private and out of DIR);
  --suppress-below K hides organisation-level numbers based on fewer than K people.
exit codes: 0 written, 2 unusable input or options (a message, never a traceback)."""


def register(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "report",
        help="write the offline HTML programme report and its folder",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    data = p.add_argument_group("survey files")
    add_input_arguments(data)  # --roster, --ties (or a DL/Pajek/matrix file), --format, ...
    add_export_arguments(p)  # --export FILE --instrument JSON instead of --ties
    what = p.add_argument_group("what to compare")
    what.add_argument(
        "--before", metavar="W1", help="wave label before the programme"
    )
    what.add_argument(
        "--after", metavar="W2", help="wave label after the programme"
    )
    # --waves (from the input arguments: the waves in order) also chooses what to
    # compare: the first two define the programme, later ones are follow-ups
    what.add_argument(
        "--relation",
        metavar="REL",
        help="relation to analyse (needed when there are several)",
    )
    what.add_argument(
        "--min-strength",
        type=_strength,
        default="auto",
        metavar="X",
        help="keep ties of at least this strength; 'all': every nomination "
        "(default 'auto': on the 1-5 frequency scale strength 1 means 'rarely or "
        "never', so ties need 2 or more; stated in the report)",
    )
    what.add_argument(
        "--symmetrize",
        choices=("union", "reciprocal"),
        help="union: either person named the other; reciprocal: both did (default: who named whom)",
    )
    what.add_argument(
        "--missing",
        choices=("absent", "reconstruct", "panel"),
        default="absent",
        help="people who did not answer a wave (default: absent)",
    )
    what.add_argument(
        "--compare-with",
        action="append",
        nargs="+",
        metavar="FILE",
        default=[],
        help="a comparison cohort surveyed at the same waves: ROSTER2 TIES2 "
        "[RESPONDENTS2] (the evaluation then uses the comparison-cohort design); "
        "repeat for more cohorts",
    )
    what.add_argument(
        "--compare-name",
        action="append",
        default=[],
        metavar="NAME",
        help="name of each --compare-with cohort, in the same order (default: file names)",
    )
    what.add_argument(
        "--primary",
        choices=PRIMARY_CHOICES,
        default="cross_boundary_formation",
        help="the declared primary estimand of the evaluation (default: "
        "cross_boundary_formation); the others are secondary",
    )
    what.add_argument(
        "--cohort-name",
        default="Programme",
        metavar="NAME",
        help="name of this cohort (default: Programme)",
    )
    priv = p.add_argument_group("privacy")
    priv.add_argument(
        "--pseudonymise",
        "--pseudonymize",
        action="store_true",
        help="replace names and ids by keyed codes",
    )
    priv.add_argument(
        "--key-file", metavar="K", help="secret key file for --pseudonymise"
    )
    priv.add_argument(
        "--suppress-below",
        type=int,
        metavar="K",
        help="hide organisation-level numbers based on fewer than K people",
    )
    run = p.add_argument_group("run")
    run.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="seed of every random step (default 0)",
    )
    run.add_argument(
        "--permutations",
        type=int,
        default=1000,
        metavar="N",
        help="permutations per test (default 1000)",
    )
    run.add_argument(
        "--random-graphs",
        type=int,
        default=None,
        metavar="N",
        help="deprecated and ignored (cohorts are compared on their change, with "
        "jackknife intervals); giving it prints a note; it will be removed",
    )
    run.add_argument(
        "--power-simulations",
        type=int,
        default=100,
        metavar="N",
        help="simulations per effect size for the minimum detectable effect shown "
        "beside a null or inconclusive result (default 100; 0: skip)",
    )
    run.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="processes for the permutation tests (default 1; -1: every core); "
        "results are identical for every N",
    )
    run.add_argument("--title", help="title of the report")
    run.add_argument(
        "--svg",
        action="store_true",
        help="also save each figure as SVG (vector, text kept as text) beside its "
        "PNG in figures/",
    )
    run.add_argument("--quiet", action="store_true", help="no progress messages")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder")
    p.set_defaults(func=run_report)
    return p


def _strength(text: str) -> float | str | None:
    """``--min-strength``: a number, ``all`` (every nomination) or ``auto``."""
    word = text.strip().lower()
    if word in ("all", "none"):
        return None
    if word == "auto":
        return "auto"
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number, 'all' or 'auto', not {text!r}"
        ) from None
    if value != value:  # NaN
        raise argparse.ArgumentTypeError("expected a number, 'all' or 'auto', not nan")
    return value


def _comparison_names(cohorts: list[list[str]], names: list[str]) -> list[str]:
    if len(names) > len(cohorts):
        raise InputError(
            f"{len(names)} --compare-name given for {len(cohorts)} --compare-with cohorts"
        )
    out = []
    for i, files in enumerate(cohorts):
        if i < len(names):
            out.append(names[i])
            continue
        roster = Path(files[0])
        guess = (
            roster.stem
            if roster.stem.lower() not in {"roster", "people"}
            else roster.parent.name
        )
        out.append(guess or f"Comparison {i + 1}")
    seen: dict[str, int] = {}
    for i, name in enumerate(out):  # keep names distinct
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            out[i] = f"{name} ({seen[name]})"
    return out


def _command_line() -> list[str] | None:
    """The command as typed (paths reduced to file names), when run as the
    ``senatenet`` console script."""
    argv = sys.argv or [""]
    if Path(argv[0]).name.startswith("senatenet") or argv[0].endswith("-m"):
        # file names only: folders often hold a user's name
        args = argv[1:]
        return [
            "senatenet",
            *(
                Path(a).name if i and args[i - 1] == "--out" else _file_name(a)
                for i, a in enumerate(args)
            ),
        ]
    return None


def _file_name(arg: str) -> str:
    """An argument naming an existing file or folder, reduced to its name."""
    try:
        exists = Path(arg).exists()
    except OSError:
        exists = False
    return Path(arg).name if exists and not arg.startswith("-") else arg


def run_report(args: argparse.Namespace) -> int:
    from ..read import read_survey
    from ..report import build_report

    def say(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    if args.pseudonymise and not args.key_file:
        raise InputError(
            "--pseudonymise needs --key-file K (a file holding your secret key)"
        )
    if args.key_file and not args.pseudonymise:
        raise InputError(
            "--key-file is only used with --pseudonymise; add --pseudonymise"
        )
    if args.suppress_below is not None and args.suppress_below < 1:
        raise InputError("--suppress-below must be at least 1")
    if args.permutations < 0:
        raise InputError("--permutations must be 0 or more")
    if args.power_simulations < 0:
        raise InputError("--power-simulations must be 0 or more")
    if args.random_graphs is not None:
        print("note: --random-graphs is no longer used (cohorts are compared on their "
              "change, with jackknife intervals) and will be removed; leave it out",
              file=sys.stderr)
    for files in args.compare_with:
        if len(files) not in (2, 3):
            raise InputError(
                "--compare-with takes ROSTER2 TIES2 [RESPONDENTS2], "
                f"got {len(files)} file(s): {' '.join(files)}"
            )
    names = _comparison_names(args.compare_with, args.compare_name)
    if args.waves is None and (args.before is None or args.after is None):
        raise InputError("give the waves to compare: --before W1 --after W2, or "
                         "--waves W1 W2 [FOLLOW-UP ...]")
    if args.waves is not None and len(args.waves) < 2:
        raise InputError("--waves needs at least two waves: before and after the programme")

    say(f"Reading {args.ties or ' and '.join(args.export or [])} ...")
    survey = read_input_or_export(args, lambda: read_input(args))
    comparisons = {}
    for name, files in zip(names, args.compare_with, strict=True):
        say(f"Reading comparison cohort {name!r} ...")
        comparisons[name] = read_survey(
            files[0], files[1], respondents=files[2] if len(files) > 2 else None
        )
    if args.relation is None and len(survey.relations) > 1:
        raise InputError(
            f"the ties file has several relations {list(survey.relations)}; "
            "choose one with --relation (they are never merged)"
        )
    problems = survey.validation
    if len(problems) and "severity" in problems.columns:
        n_err = int((problems["severity"] == "error").sum())
        n_warn = int((problems["severity"] == "warning").sum())
        if n_err or n_warn:
            say(
                f"Note: the survey has {n_err} validation error(s) and {n_warn} "
                "warning(s); they are summarised at the top of the report."
            )
    path = build_report(
        survey,
        args.before,
        args.after,
        out_dir=args.out,
        relation=args.relation,
        min_strength=args.min_strength,
        symmetrize=args.symmetrize,
        missing=args.missing,
        comparison_surveys=comparisons or None,
        cohort_name=args.cohort_name,
        pseudonymise_key=args.key_file if args.pseudonymise else None,
        suppress_below=args.suppress_below,
        n_permutations=args.permutations,
        seed=args.seed,
        n_jobs=args.jobs,
        title=args.title,
        command=_command_line(),
        progress=say,
        # --waves alone: the programme's two waves, then follow-ups; with
        # --before/--after it only gives the order in which waves are read
        waves=args.waves if args.before is None and args.after is None else None,
        primary=args.primary,
        n_power=args.power_simulations,
        figure_formats=("png", "svg") if args.svg else ("png",),
    )
    print(f"Report written to {path}")
    print(
        f"Open it in a web browser; tables, figures and map.html are in {path.parent}"
    )
    return 0
