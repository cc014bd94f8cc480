"""Command-line options for reading a survey tool's export of an instrument.

``senatenet validate`` and ``senatenet report`` take ``--export [WAVE=]FILE``
(repeatable) with ``--instrument DIR/instrument.json`` instead of ``--ties``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import InputError

__all__: list[str] = []


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--export``, ``--instrument`` and ``--wave``; ``--ties`` becomes optional
    (one of ``--ties`` or ``--export`` is needed)."""
    for action in parser._actions:
        if "--ties" in action.option_strings:
            action.required = False
            action.help = (action.help or "") + " (or --export with --instrument)"
    group = parser.add_argument_group(
        "survey tool export (instead of --ties; see senatenet survey)")
    group.add_argument(
        "--export", action="append", metavar="[WAVE=]FILE",
        help="the survey tool's export (REDCap, Qualtrics, LimeSurvey, Microsoft Forms) "
        "or a folder of the HTML questionnaire's answer files; repeat as WAVE=FILE for "
        "several waves")
    group.add_argument("--instrument", metavar="JSON",
                       help="the instrument.json written by senatenet survey")
    if not any("--wave" in a.option_strings for a in parser._actions):
        group.add_argument("--wave", metavar="W",
                           help="wave label of a single --export given without WAVE=")


def _exports(args: argparse.Namespace) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in args.export:
        if "=" in item and not Path(item).exists():
            wave, _, path = item.partition("=")
            wave = wave.strip()
        else:
            wave, path = args.wave, item
        if not wave:
            raise InputError(f"--export {item!r}: give the wave as --wave W or WAVE=FILE")
        if wave in out:
            raise InputError(f"--export: wave {wave!r} is given twice")
        out[wave] = path
    return out


def read_input_or_export(args: argparse.Namespace, read: Callable[[], Any]) -> Any:
    """The Survey named by ``--export``/``--instrument`` or, without them, by ``read()``."""
    export = getattr(args, "export", None)
    if not export:
        if getattr(args, "instrument", None):
            raise InputError("--instrument is used with --export FILE")
        if not getattr(args, "ties", None):
            raise InputError("give --ties T, or --export FILE with --instrument JSON")
        return read()
    if getattr(args, "ties", None):
        raise InputError("give either --ties or --export, not both")
    if not args.instrument:
        raise InputError("--export needs --instrument DIR/instrument.json")
    from .read_export import read_survey_export

    return read_survey_export(_exports(args), instrument=args.instrument,
                              roster=getattr(args, "roster", None))
