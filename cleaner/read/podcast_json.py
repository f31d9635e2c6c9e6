"""Podcasting 2.0 JSON transcripts: ``{"version": "1.0.0", "segments": [{"speaker",
"startTime", "endTime", "body"}, ...]}``.

Bodies are located in the raw file as Whisper JSON texts are, so edits point at the
characters of the JSON string they came from; ``speaker`` becomes a speaker hint.
"""

from __future__ import annotations

import json

import regex

from ..errors import CleanerError
from ..model import Segment, Transcript
from .whisper_json import make_segment, string_values

_BODY_KEY = regex.compile(r'"body"\s*:\s*"')


def looks_like(text: str) -> bool:
    """True for a JSON object whose segments carry a ``body`` (Whisper's carry ``text``)."""
    return text.lstrip("\ufeff \t\r\n").startswith("{") and bool(_BODY_KEY.search(text))


def parse(lines: list[str], newlines: list[str], path: str | None = None) -> Transcript:
    """Read a Podcasting 2.0 JSON transcript; anything else is an error naming the problem."""
    raw = "".join(line + nl for line, nl in zip(lines, newlines))
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise CleanerError(f"invalid JSON: {error.msg}", path, error.lineno, error.colno) from None
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        raise CleanerError("Podcasting 2.0 JSON needs a 'segments' list", path)
    wanted = []
    for number, item in enumerate(data["segments"]):
        if not isinstance(item, dict) or not isinstance(item.get("body"), str):
            raise CleanerError(f"segment {number} has no 'body' string", path)
        speaker = item.get("speaker")
        wanted.append((item["body"], {"start": item.get("startTime"), "end": item.get("endTime"),
                                      "speaker": speaker if isinstance(speaker, str) else None}))
    line_starts = [0]
    for line, nl in zip(lines, newlines):
        line_starts.append(line_starts[-1] + len(line) + len(nl))
    found = string_values(raw, _BODY_KEY)
    segments: list[Segment] = []
    cursor = 0
    for body, item in wanted:
        while cursor < len(found) and found[cursor][0] != body:
            cursor += 1
        if cursor == len(found):
            raise CleanerError("could not locate a segment's body in the file", path)
        text, cols = found[cursor]
        cursor += 1
        segment = make_segment(len(segments), text, cols, line_starts, item)
        if segment is not None:
            segments.append(segment)
    return Transcript(lines=tuple(lines), newlines=tuple(newlines), segments=tuple(segments),
                      format="podcast-json", path=path)
