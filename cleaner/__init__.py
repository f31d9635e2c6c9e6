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

import importlib

__version__ = "0.1.0"

# Names are imported when first used (PEP 562), so ``import cleaner.cli`` and commands that
# need little (``cleaner check``, ``--version``) do not load every stage and numpy.
_EXPORTS = {
    "CleanerError": ("errors", "CleanerError"),
    "Edit": ("model", "Edit"),
    "Finding": ("check.findings", "Finding"),
    "Options": ("pipeline", "Options"),
    "Result": ("model", "Result"),
    "Segment": ("model", "Segment"),
    "Severity": ("check.findings", "Severity"),
    "Transcript": ("model", "Transcript"),
    "Turn": ("model", "Turn"),
    "check": ("check.findings", "check"),
    "clean": ("pipeline", "clean"),
    "load_packs": ("correct.packs", "load_library"),
    "render": ("render", "render"),
    "restore": ("restore", "restore"),
    "restore_bytes": ("restore", "restore_bytes"),
}


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'cleaner' has no attribute {name!r}")
    module, attribute = _EXPORTS[name]
    value = getattr(importlib.import_module(f".{module}", __name__), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


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
