"""Subcommands of the ``senatenet`` command line; each module has ``register(subparsers)``."""
