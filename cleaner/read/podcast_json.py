"""Podcasting 2.0 JSON transcripts: ``{"version": "1.0.0", "segments": [{"speaker",
"startTime", "endTime", "body"}, ...]}``.

Bodies are located in the raw file as Whisper JSON texts are, so edits point at the
characters of the JSON string they came from; ``speaker`` becomes a speaker hint.
"""

from __future__ import annotations

import regex

from ..errors import CleanerError
from ..model import Transcript
from .json_strings import load_json, locate_segments

_BODY_KEY = regex.compile(r'"body"\s*:\s*"')


def looks_like(text: str) -> bool:
    """True for a JSON object whose segments carry a ``body`` (Whisper's carry ``text``)."""
    return text.lstrip("\ufeff \t\r\n").startswith("{") and bool(_BODY_KEY.search(text))


def parse(lines: list[str], newlines: list[str], path: str | None = None) -> Transcript:
    """Read a Podcasting 2.0 JSON transcript; anything else is an error naming the problem."""
    data = load_json("".join(line + nl for line, nl in zip(lines, newlines)), path)
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        raise CleanerError("Podcasting 2.0 JSON needs a 'segments' list", path)
    wanted = []
    for number, item in enumerate(data["segments"]):
        if not isinstance(item, dict) or not isinstance(item.get("body"), str):
            raise CleanerError(f"segment {number} has no 'body' string", path)
        wanted.append((item["body"], {"start": item.get("startTime"), "end": item.get("endTime"),
                                      "speaker": item.get("speaker")}))
    segments = locate_segments(lines, newlines, _BODY_KEY, wanted, path, "body")
    return Transcript(lines=tuple(lines), newlines=tuple(newlines), segments=tuple(segments),
                      format="podcast-json", path=path)
