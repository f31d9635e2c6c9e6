"""cleaner: turn ASR transcripts into publication-ready, speaker-labelled text.

The library API the command line uses::

    import cleaner
    result = cleaner.clean(open("talk.txt").read(), path="talk.txt")
    result.edits          # every change, with rule, line, offsets, before and after
    cleaner.render(result, "json")
    cleaner.restore(json.loads(...))   # the exact input back from the JSON output
    cleaner.restore_bytes(json.loads(...))   # ... as the exact input bytes
"""

from __future__ import annotations

__version__ = "0.1.0"

from .check.findings import Finding, Severity, check  # noqa: E402
from .errors import CleanerError  # noqa: E402
from .model import Edit, Result, Segment, Transcript, Turn  # noqa: E402
from .correct.packs import load_library as load_packs  # noqa: E402
from .pipeline import Options, clean  # noqa: E402
from .render import render  # noqa: E402
from .restore import restore, restore_bytes  # noqa: E402

__all__ = [
    "CleanerError",
    "Edit",
    "Finding",
    "Options",
    "Result",
    "Segment",
    "Severity",
    "Transcript",
    "Turn",
    "check",
    "clean",
    "load_packs",
    "render",
    "restore",
    "restore_bytes",
]
