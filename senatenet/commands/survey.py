"""``senatenet survey``: generate the roster questionnaire for survey tools."""

from __future__ import annotations

import argparse
import sys

from ..errors import InputError

__all__: list[str] = []

DESCRIPTION = """\
Generate a roster questionnaire from a roster: one question per relation, one
answer row per roster member, in the import format of each survey tool, plus
DIR/instrument.json, the codebook that senatenet validate/report --export use to
read the answers back with no mapping to type."""

EPILOG = """\
example:
  senatenet survey --roster roster.csv \\
      --relation advice="How often do you ask each of these colleagues for advice about work?" \\
      --relation knows="Which of these people did you know before the programme?" \\
      --scale frequency --format redcap,qualtrics,html --out instrument
files written (DIR):
  redcap_dictionary.csv     REDCap data dictionary (Project Setup > Data Dictionary)
  qualtrics.qsf             Qualtrics survey file (Import Survey); qualtrics_advanced.txt: fallback
  limesurvey_structure.txt  LimeSurvey tab-separated survey structure (Import survey)
  msforms_build_sheet.html  Microsoft Forms build sheet (printable; also .docx)
  questionnaire.html        offline questionnaire for teams with no survey tool
  instrument.json           the codebook (keep it with the answers)
then read the answers:
  senatenet validate --roster roster.csv --export answers.csv --wave pre \\
      --instrument instrument/instrument.json
exit codes: 0 written, 2 unusable input or options (a message, never a traceback)."""


def _relations(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.strip() or not text.strip():
            raise InputError(f'--relation {item!r}: write NAME="question text"')
        if name.strip() in out:
            raise InputError(f"--relation {name.strip()!r} is given twice")
        out[name.strip()] = text.strip()
    return out


def register(subparsers) -> argparse.ArgumentParser:
    from ..instruments.instrument import INSTRUMENT_FORMATS, RESPONDENT_QUESTION

    p = subparsers.add_parser(
        "survey", help="generate the roster questionnaire for REDCap, Qualtrics, "
        "LimeSurvey, Microsoft Forms or an offline HTML page",
        description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--roster", required=True, metavar="R",
                   help="roster file (CSV or XLSX): person_id, name, organisation")
    p.add_argument("--relation", action="append", required=True, metavar='NAME="TEXT"',
                   help="one roster question: the relation's name and the question "
                   "wording (repeat for several)")
    p.add_argument("--scale", default="frequency", metavar="SCALE",
                   help="answer scale: frequency (Never .. Daily, the default), yes-no, "
                   "or a CSV file with columns label, value (0 = no tie)")
    p.add_argument("--format", default=",".join(INSTRUMENT_FORMATS), metavar="F[,F...]",
                   help=f"tools to write, comma-separated (default: all of "
                   f"{','.join(INSTRUMENT_FORMATS)})")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    p.add_argument("--title", default="Working relationships survey",
                   help="survey title shown to respondents")
    p.add_argument("--respondent-question", default=RESPONDENT_QUESTION, metavar="TEXT",
                   help="wording of the 'who are you' question")
    p.add_argument("--no-organisation", action="store_true",
                   help="show names only, not 'Name (Organisation)'")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    from ..instruments.instrument import make_instrument

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    ins = make_instrument(args.roster, _relations(args.relation), scale=args.scale,
                          formats=formats, out=args.out, title=args.title,
                          show_organisation=not args.no_organisation,
                          respondent_question=args.respondent_question)
    print(ins)
    print(f"Written to {ins.out} (keep instrument.json with the answers).", file=sys.stderr)
    return 0
