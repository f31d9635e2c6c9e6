"""Shared by the JSON readers (Whisper, Podcasting 2.0): parse the document, and find each
segment's text in the raw file so edits point at the characters they came from.

A JSON string's characters map to their whole escape sequence (``\\u00e9`` is one character
spanning six columns); unpaired surrogate escapes are read as U+FFFD, since they cannot be
written as UTF-8.
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Sequence

import regex

from ..errors import CleanerError
from ..model import Segment
from .labels import split_label
from .lines import mapped_segment, strip_bounds

_SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r",
                   "t": "\t"}
_LONE_SURROGATE = regex.compile(r"[\ud800-\udfff]")


def load_json(raw: str, path: str | None):
    """The parsed document; malformed or absurdly nested JSON is a user error."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        raise CleanerError(f"invalid JSON: {error.msg}", path, error.lineno, error.colno) from None
    except RecursionError:
        raise CleanerError("invalid JSON: nested too deeply", path) from None


def whole(text: str) -> str:
    """Text with any unpaired surrogate as U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


# Longer than any recording (about 115 days): a time past it is a broken file, and would
# overflow the integer milliseconds that SRT and WebVTT timestamps are written in.
MAX_SECONDS = 1e7


def number(value) -> float | None:
    """A JSON number as a float, anything else as None."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def time_value(value, key: str, segment: int, path: str | None, line: int) -> float | None:
    """A segment's time in seconds, None when absent; NaN, infinities, negative or absurdly
    large times are an error naming the segment (JSON parsers accept ``NaN`` and ``1e999``)."""
    seconds = number(value)
    if seconds is None:
        return None
    if not math.isfinite(seconds) or not 0 <= seconds <= MAX_SECONDS:
        raise CleanerError(f"segment {segment}: '{key}' time {value!r} is not a time "
                           f"(must be finite, from 0 to {MAX_SECONDS:.0e} seconds)", path, line)
    return seconds


def locate_segments(lines: Sequence[str], newlines: Sequence[str], key: regex.Pattern,
                    wanted: Sequence[tuple[str, dict]], path: str | None,
                    what: str) -> list[Segment]:
    """Segments for ``wanted`` ``(text, {"start", "end", "speaker"})`` items, in order.

    The ``key`` pattern finds where each string value starts (e.g. ``"text": "``); values are
    matched to the wanted texts in document order, skipping others (such as Whisper's
    top-level full text).
    """
    raw = "".join(line + nl for line, nl in zip(lines, newlines))
    line_starts = [0]
    for line, nl in zip(lines, newlines):
        line_starts.append(line_starts[-1] + len(line) + len(nl))
    # Decoded one at a time as the cursor moves on: each string's column map is a tuple a
    # character, too big to hold for a whole document at once.
    found = (_decode_string(raw, match.end()) for match in key.finditer(raw))
    segments: list[Segment] = []
    for item_number, (text, item) in enumerate(wanted):
        text = whole(text)
        located = next((value for value in found if value[0] == text), None)
        if located is None:
            raise CleanerError(f"could not locate a segment's {what} in the file", path)
        segment = _segment(len(segments), *located, line_starts, item, (item_number, path))
        if segment is not None:
            segments.append(segment)
    return segments


def _segment(index: int, text: str, cols, start: int, line_starts: list[int], item: dict,
             where: tuple[int, str | None]) -> Segment | None:
    lo, hi = strip_bounds(text)
    if cols is None:  # no escapes: character i is at column ``start + i``
        first = start + lo if lo < hi else (start if text else line_starts[-1])
    else:
        first = cols[lo][0] if lo < hi else (cols[0][0] if cols else line_starts[-1])
    line_index = max(bisect.bisect_right(line_starts, first) - 1, 0)
    times = [time_value(item.get(key), key, *where, line_index + 1) for key in ("start", "end")]
    if lo == hi:
        return None
    base = line_starts[line_index]
    speaker = item.get("speaker")
    label = split_label(whole(speaker)) if isinstance(speaker, str) else {}
    if cols is None:
        return Segment(index=index, line=line_index + 1, start=start + lo - base,
                       end=start + hi - base, text=text[lo:hi], start_time=times[0],
                       end_time=times[1], **label)
    local = tuple((a - base, b - base) for a, b in cols[lo:hi])
    return mapped_segment(index, line_index + 1, text[lo:hi], local,
                          start_time=times[0], end_time=times[1], **label)


def _decode_string(raw: str, pos: int) -> tuple[str, tuple[tuple[int, int], ...] | None, int]:
    """The string value starting at ``pos``, the input columns of each character (None when
    it has no escapes: then they are ``pos + i``), and ``pos``."""
    start = pos
    end = raw.find('"', pos)
    end = len(raw) if end < 0 else end
    if raw.find("\\", pos, end) < 0:  # most strings: a plain copy of the input
        return whole(raw[pos:end]), None, start
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
                if 0xDC00 <= low < 0xE000:
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    end += 6
            chars.append(chr(value))
            cols.append((pos, end))
            pos = end
        else:
            chars.append(_SIMPLE_ESCAPES.get(code, code))
            cols.append((pos, pos + 2))
            pos += 2
    return whole("".join(chars)), tuple(cols), start
