"""Commands: the subcommands of ``cleaner``; each module has ``add_parser`` and ``run``.

Takes parsed arguments, calls the library, writes files and returns an exit code; ``batch.py``
runs ``clean`` and ``check`` over many files in worker processes.
"""

from __future__ import annotations

from . import check, clean, eval, learn, restore, review, rules, suggest

COMMANDS = [clean, check, rules, learn, suggest, eval, restore, review]
