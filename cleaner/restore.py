"""Rebuild the exact input from a result or its JSON output ("nothing is lost")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from .edits import edits_within
from .errors import CleanerError
from .model import Result, Transcript
from .read import encode


def frame_pieces(transcript: Transcript) -> list[tuple[int, int, int, str]]:
    """The parts of the input that are not transcript text: ``(line, start, end, text)``.

    Headers, bullet prefixes, cue numbers and timings, JSON syntax: everything a segment does
    not cover.
    """
    covered: dict[int, list[tuple[int, int]]] = {}
    for segment in transcript.segments:
        covered.setdefault(segment.line, []).append((segment.start, segment.end))
    pieces = []
    for number, line in enumerate(transcript.lines, start=1):
        position = 0
        for start, end in sorted(covered.get(number, ())):
            if start > position:
                pieces.append((number, position, start, line[position:start]))
            position = max(position, end)
        if position < len(line):
            pieces.append((number, position, len(line), line[position:]))
    return pieces


def newline_runs(newlines: tuple[str, ...]) -> list[list]:
    """Line endings, run-length encoded: ``[[ending, count], ...]``."""
    runs: list[list] = []
    for ending in newlines:
        if runs and runs[-1][0] == ending:
            runs[-1][1] += 1
        else:
            runs.append([ending, 1])
    return runs


def restore_lines(result: Result) -> list[str]:
    """The input lines rebuilt from the result's frame, turn spans and edits."""
    data = {
        "source": {"newlines": newline_runs(result.transcript.newlines),
                   "frame": [list(p) for p in frame_pieces(result.transcript)]},
        "turns": [{"spans": [list(s) for s in t.spans], "span_text": list(t.span_text)}
                  for t in result.turns],
        "edits": [e.to_dict() for e in result.edits],
    }
    return _rebuild(data)


def restore(data: Mapping) -> str:
    """The original input text, rebuilt from a JSON output document (as loaded by ``json``).

    A document that is not a cleaner JSON output, or whose parts do not fit together,
    raises ``CleanerError``.
    """
    try:
        lines = _rebuild(data)
        endings = [ending for ending, count in data["source"]["newlines"] for _ in range(count)]
        if not all(isinstance(ending, str) for ending in endings):
            raise TypeError("line endings must be strings")
        return "".join(line + ending for line, ending in zip(lines, endings))
    except _MALFORMED as error:
        raise CleanerError(f"not a cleaner JSON output (missing or bad field: {error})") from None


def input_lines(data: Mapping) -> list[str]:
    """The input's lines (without line endings), rebuilt from a JSON output document."""
    return _rebuild(data)


def restore_bytes(data: Mapping) -> bytes:
    """The original input bytes (encoding and byte-order mark included)."""
    text = restore(data)
    source = data["source"]
    encoding = source.get("encoding", "utf-8")
    try:
        return encode(text, encoding, bool(source.get("bom")))
    except _MALFORMED as error:
        raise CleanerError(f"cannot encode the restored text as {encoding!r}: {error}") from None


# What a damaged or foreign document makes the code below raise.
_MALFORMED = (LookupError, TypeError, ValueError, AttributeError)


def _rebuild(data: Mapping) -> list[str]:
    try:
        count = sum(run[1] for run in data["source"]["newlines"])
        pieces: dict[int, list[tuple[int, int, str]]] = {}
        for line, start, end, text in data["source"]["frame"]:
            pieces.setdefault(line, []).append((start, end, text))
        edits: dict[int, list[_Change]] = {}
        for edit in data["edits"]:
            change = _Change(edit["start"], edit["end"], edit["before"], edit["after"])
            edits.setdefault(edit["line"], []).append(change)
        for line_edits in edits.values():
            line_edits.sort(key=lambda change: (change.start, change.end))
        for turn in data["turns"]:
            for (line, start, end), text in zip(turn["spans"], turn["span_text"]):
                inside = edits_within(edits.get(line, ()), start, end)
                pieces.setdefault(line, []).append((start, end, _unapply(text, start, inside)))
    except _MALFORMED as error:
        raise CleanerError(f"not a cleaner JSON output (missing or bad field: {error})") from None
    lines = []
    for number in range(1, count + 1):
        parts = sorted(pieces.get(number, ()))
        position = 0
        out = []
        for start, end, text in parts:
            if start != position or len(text) != end - start:
                raise CleanerError(f"cannot restore line {number}: spans do not tile the line")
            out.append(text)
            position = end
        lines.append("".join(out))
    return lines


class _Change(NamedTuple):
    """An edit as the JSON output records it (what undoing it needs)."""

    start: int
    end: int
    before: str
    after: str


def _unapply(text: str, start: int, edits: list[_Change]) -> str:
    """Undo edits (sorted) on a span's text: put each ``before`` back in place of its ``after``."""
    out = []
    cursor_text = 0
    cursor_input = start
    for edit in edits:
        keep = edit.start - cursor_input
        out.append(text[cursor_text : cursor_text + keep])
        out.append(edit.before)
        cursor_text += keep + len(edit.after)
        cursor_input = edit.end
    out.append(text[cursor_text:])
    return "".join(out)
