"""Commands: the subcommands of ``cleaner``; each module has ``add_parser`` and ``run``.

Takes parsed arguments, calls the library, writes files and returns an exit code; ``batch.py``
runs ``clean`` and ``check`` over many files in worker processes.

A command's module is imported only when that command runs (or for the full help): each
pulls in the stages it needs, and ``cleaner check`` should not pay for speaker models or
``cleaner learn``'s fuzzy matching. So the one-line help of every command lives here.
"""

from __future__ import annotations

import importlib
from types import ModuleType

HELPS = {
    "clean": "correct a transcript and write it with a report of every change",
    "check": ("report known errors, loops and doubtful speakers left in transcripts "
              "(exit 1 on findings)"),
    "rules": "test, lint and list rule packs",
    "learn": "learn rules from a raw transcript and its corrected version",
    "suggest": "suggest likely misspellings of known names, and the rules that would fix them",
    "eval": "score the speakers of a JSON output against a gold labelling (TSV)",
    "restore": "rebuild the exact original input, byte for byte, from a JSON output",
    "review": "open a local review page: fix speakers, accept or reject changes, export",
}
NAMES = tuple(HELPS)


def load(name: str) -> ModuleType:
    """The module of command ``name``."""
    return importlib.import_module(f".{name}", __name__)
