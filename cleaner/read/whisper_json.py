"""Whisper JSON: ``{"segments": [{"start", "end", "text"}, ...]}``.

Segment texts are located in the raw file, so edits point at the characters of the JSON
string they came from (escapes such as ``\\u00e9`` map to their whole escape sequence).
"""

from __future__ import annotations

import bisect
import json

import regex

from ..errors import CleanerError
from ..model import Segment, Transcript
from .lines import mapped_segment

_TEXT_KEY = regex.compile(r'"text"\s*:\s*"')
_SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r",
                   "t": "\t"}


def parse(lines: list[str], newlines: list[str], path: str | None = None) -> Transcript:
    """Read Whisper's JSON output; a file that is not such JSON is an error."""
    raw = "".join(line + nl for line, nl in zip(lines, newlines))
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise CleanerError(f"invalid JSON: {error.msg}", path, error.lineno, error.colno) from None
    except RecursionError:
        raise CleanerError("invalid JSON: nested too deeply", path) from None
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        raise CleanerError("JSON input needs a 'segments' list (Whisper output)", path)
    wanted = []
    for number, item in enumerate(data["segments"]):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise CleanerError(f"segment {number} has no 'text' string", path)
        wanted.append(dict(item, text=_whole(item["text"])))
    line_starts = [0]
    for line, nl in zip(lines, newlines):
        line_starts.append(line_starts[-1] + len(line) + len(nl))
    segments: list[Segment] = []
    found = _string_values(raw)
    cursor = 0
    for item in wanted:
        while cursor < len(found) and found[cursor][0] != item["text"]:
            cursor += 1
        if cursor == len(found):
            raise CleanerError("could not locate a segment's text in the file", path)
        text, cols = found[cursor]
        cursor += 1
        segment = _segment(len(segments), text, cols, line_starts, item)
        if segment is not None:
            segments.append(segment)
    return Transcript(lines=tuple(lines), newlines=tuple(newlines), segments=tuple(segments),
                      format="whisper-json", path=path)


def _segment(index, text, cols, line_starts, item) -> Segment | None:
    lo, hi = 0, len(text)
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    if lo == hi:
        return None
    first = cols[lo][0]
    line_index = bisect.bisect_right(line_starts, first) - 1
    base = line_starts[line_index]
    local = tuple((a - base, b - base) for a, b in cols[lo:hi])
    return mapped_segment(index, line_index + 1, text[lo:hi], local,
                          start_time=_number(item.get("start")), end_time=_number(item.get("end")),
                          speaker_hint=(_whole(item["speaker"])
                                        if isinstance(item.get("speaker"), str) else None))


_LONE_SURROGATE = regex.compile(r"[\ud800-\udfff]")


def _whole(text: str) -> str:
    """Text with any unpaired surrogate escape (``\\ud800``) as U+FFFD: such a character
    cannot be written as UTF-8, and JSON allows it."""
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _string_values(raw: str, key=_TEXT_KEY) -> list[tuple[str, tuple[tuple[int, int], ...]]]:
    """Every ``"text": "..."`` value in the file (or another ``key`` pattern's), decoded, with
    the raw span of each char."""
    values = []
    for match in key.finditer(raw):
        values.append(_decode_string(raw, match.end()))
    return values


# For readers of other JSON transcript formats (see podcast_json).
string_values = _string_values
make_segment = _segment


def _decode_string(raw: str, pos: int) -> tuple[str, tuple[tuple[int, int], ...]]:
    chars: list[str] = []
    cols: list[tuple[int, int]] = []
    while pos < len(raw) and raw[pos] != '"':
        if raw[pos] != "\\":
            chars.append(raw[pos])
            cols.append((pos, pos + 1))
            pos += 1
            continue
        code = raw[pos + 1] if pos + 1 < len(raw) else ""
        if code == "u":
            value = int(raw[pos + 2 : pos + 6], 16)
            end = pos + 6
            if 0xD800 <= value < 0xDC00 and raw[end : end + 2] == "\\u":
                low = int(raw[end + 2 : end + 6], 16)
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                end += 6
            chars.append(chr(value))
            cols.append((pos, end))
            pos = end
        else:
            chars.append(_SIMPLE_ESCAPES.get(code, code))
            cols.append((pos, pos + 2))
            pos += 2
    return _whole("".join(chars)), tuple(cols)
