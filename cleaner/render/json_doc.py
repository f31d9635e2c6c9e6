"""The JSON output: the documented contract other tools and ``restore`` read."""

from __future__ import annotations

import json

from ..model import Result
from ..restore import frame_pieces, newline_runs

SCHEMA = "cleaner/transcript@1"


def to_dict(result: Result) -> dict:
    """The result as a JSON-ready dict (see README, "JSON output")."""
    transcript = result.transcript
    return {
        "schema": SCHEMA,
        "source": {
            "path": transcript.path,
            "format": transcript.format,
            "title": transcript.title,
            "encoding": transcript.encoding,
            "bom": transcript.bom,
            "newlines": newline_runs(transcript.newlines),
            "frame": [list(piece) for piece in frame_pieces(transcript)],
        },
        "packs": list(result.packs),
        "turns": [turn.to_dict() for turn in result.turns],
        "edits": [edit.to_dict() for edit in result.edits],
        "dropped": [item.to_dict() for item in result.dropped],
        **({"loops": result.options["loops"]} if result.options.get("loops") else {}),
        **_diarization(result),
        **({"warnings": result.options["warnings"]} if result.options.get("warnings") else {}),
    }


def _diarization(result: Result) -> dict:
    """A diarized input's ``clusters`` (label, name, confidence, evidence), ``repairs``
    (edit-like records) and ``warnings``; nothing for other inputs."""
    diarization = result.options.get("diarization")
    if not diarization:
        return {}
    return {"clusters": diarization["clusters"], "repairs": diarization["repairs"],
            "diarization_warnings": diarization["warnings"]}


def render(result: Result) -> str:
    """The JSON document: stable key order, one list item per line (diff-friendly)."""
    return dumps(to_dict(result))


def dumps(document: dict) -> str:
    """Serialise a document with each top-level list item on its own line."""
    lines = []
    items = list(document.items())
    for number, (key, value) in enumerate(items):
        comma = "," if number < len(items) - 1 else ""
        name = json.dumps(key, allow_nan=False)
        if isinstance(value, list) and value:
            inner = ",\n".join("  " + _compact(item) for item in value)
            lines.append(f" {name}: [\n{inner}\n ]{comma}")
        else:
            lines.append(f" {name}: {_compact(value)}{comma}")
    return "{\n" + "\n".join(lines) + "\n}\n"


# One encoder for every item: ``json.dumps`` with options builds a new one per call, which
# was a fifth of the time of writing a million-line transcript.
_compact = json.JSONEncoder(ensure_ascii=False, allow_nan=False,
                            separators=(", ", ": ")).encode
