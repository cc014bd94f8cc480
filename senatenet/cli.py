"""The ``senatenet`` command line.

Each subcommand lives in :mod:`senatenet.commands` and registers itself with
``register(subparsers)``; its parser sets ``func`` to a callable taking the parsed
arguments and returning an exit code. Exit codes: 0 success, 1 the input has
validation errors (``validate``), 2 unusable input or usage. A library error
(:class:`~senatenet.SenatenetError`) or an unreadable file becomes a one-line
message on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings
from collections.abc import Sequence

from .errors import SenatenetError

__all__: list[str] = []

COMMANDS = ("demo", "validate", "report", "match", "export", "survey", "model")


def build_parser() -> argparse.ArgumentParser:
    from ._version import __version__

    parser = argparse.ArgumentParser(
        prog="senatenet",
        description="Show, with evidence, whether a programme connected people "
        "across organisational boundaries.",
    )
    parser.add_argument("--version", action="version", version=f"senatenet {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"senatenet.commands.{name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (also used by the console script)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or usage error (2)
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            return int(args.func(args) or 0)
    except SenatenetError as exc:
        print(f"senatenet {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # missing file, folder in the way, no permission...
        print(f"senatenet {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
