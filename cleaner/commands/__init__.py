"""Subcommands of the ``cleaner`` command: each module has ``add_parser`` and ``run``."""

from __future__ import annotations

from . import clean, learn, suggest

COMMANDS = [clean, learn, suggest]
