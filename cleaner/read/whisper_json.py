"""Whisper JSON: ``{"segments": [{"start", "end", "text"}, ...]}``.

Segment texts are located in the raw file (see ``json_strings``), so edits point at the
characters of the JSON string they came from.
"""

from __future__ import annotations

import regex

from ..errors import CleanerError
from ..model import Transcript
from .json_strings import load_json, locate_segments

_TEXT_KEY = regex.compile(r'"text"\s*:\s*"')


def parse(lines: list[str], newlines: list[str], path: str | None = None) -> Transcript:
    """Read Whisper's JSON output; a file that is not such JSON is an error."""
    data = load_json("".join(line + nl for line, nl in zip(lines, newlines)), path)
    if isinstance(data, dict) and str(data.get("schema", "")).startswith("cleaner/"):
        raise CleanerError(
            f"this is cleaner's own JSON output ({data['schema']}), not a transcript to clean: "
            "`cleaner restore` rebuilds the input it came from (clean that), or clean its "
            ".md or .txt output", path)
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        raise CleanerError("JSON input needs a 'segments' list (Whisper output)", path)
    wanted = []
    for number, item in enumerate(data["segments"]):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise CleanerError(f"segment {number} has no 'text' string", path)
        wanted.append((item["text"], item))
    segments = locate_segments(lines, newlines, _TEXT_KEY, wanted, path, "text")
    return Transcript(lines=tuple(lines), newlines=tuple(newlines), segments=tuple(segments),
                      format="whisper-json", path=path)
