"""Subcommands of the ``cleaner`` command: each module has ``add_parser`` and ``run``."""

from __future__ import annotations

from . import check, clean, eval, learn, restore, rules, suggest

COMMANDS = [clean, check, rules, learn, suggest, eval, restore]
