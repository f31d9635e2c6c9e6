"""Helpers every reader shares: line splitting and building segments."""

from __future__ import annotations

import html
from collections.abc import Sequence

import regex

from ..model import Segment

_NEWLINE = regex.compile(r"\r\n|\r|\n")
_TAG_OR_ENTITY = regex.compile(r"<[^<>\n]*>|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")


def split_lines(text: str) -> tuple[list[str], list[str]]:
    """Split text into lines and the line ending after each ('' after the last line).

    Only CR, LF and CRLF end a line (unlike ``str.splitlines``), so form feeds and Unicode
    separators stay inside the text, and ``''.join(l + n)`` gives back the input exactly.
    """
    lines: list[str] = []
    newlines: list[str] = []
    pos = 0
    for match in _NEWLINE.finditer(text):
        lines.append(text[pos : match.start()])
        newlines.append(match.group())
        pos = match.end()
    if pos < len(text) or not lines:
        lines.append(text[pos:])
        newlines.append("")
    return lines, newlines


def trimmed(line: str, start: int = 0, end: int | None = None) -> tuple[int, int]:
    """The range ``[start, end)`` of ``line`` without surrounding whitespace."""
    end = len(line) if end is None else end
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return start, end


def plain_segment(
    index: int, line_no: int, line: str, start: int = 0, end: int | None = None, **extra
) -> Segment | None:
    """A segment for ``line[start:end]`` trimmed of whitespace, or None if nothing is left."""
    start, end = trimmed(line, start, end)
    if start == end:
        return None
    return Segment(index=index, line=line_no, start=start, end=end, text=line[start:end], **extra)


def markup_segment(
    index: int, line_no: int, line: str, start: int = 0, end: int | None = None, **extra
) -> Segment | None:
    """Like ``plain_segment`` but drops ``<tags>`` and decodes ``&entities;`` (WebVTT, HTML).

    The segment then carries a column map so edits still point at the input.
    """
    start, end = trimmed(line, start, end)
    raw = line[start:end]
    if "<" not in raw and "&" not in raw:
        return plain_segment(index, line_no, line, start, end, **extra)
    chars: list[str] = []
    cols: list[tuple[int, int]] = []
    pos = 0
    for match in _TAG_OR_ENTITY.finditer(raw):
        for offset in range(pos, match.start()):
            chars.append(raw[offset])
            cols.append((start + offset, start + offset + 1))
        decoded = html.unescape(match.group()) if match.group().startswith("&") else ""
        if len(decoded) == 1:
            chars.append(decoded)
            cols.append((start + match.start(), start + match.end()))
        elif decoded:
            # An unknown entity ("&Amp;"), or one that stands for several characters, is kept
            # as written: characters sharing one input span could be edited apart, and such
            # edits would overlap in the input.
            for offset in range(match.start(), match.end()):
                chars.append(raw[offset])
                cols.append((start + offset, start + offset + 1))
        pos = match.end()
    for offset in range(pos, len(raw)):
        chars.append(raw[offset])
        cols.append((start + offset, start + offset + 1))
    return trimmed_mapped_segment(index, line_no, chars, cols, **extra)


def strip_bounds(chars: Sequence[str]) -> tuple[int, int]:
    """``(lo, hi)`` such that ``chars[lo:hi]`` is ``chars`` without whitespace at its edges."""
    lo, hi = 0, len(chars)
    while lo < hi and chars[lo].isspace():
        lo += 1
    while hi > lo and chars[hi - 1].isspace():
        hi -= 1
    return lo, hi


def trimmed_mapped_segment(index: int, line_no: int, chars: list[str],
                           cols: list[tuple[int, int]], **extra) -> Segment | None:
    """A mapped segment of the kept characters without the whitespace at their edges (left
    once markup is gone), or None if nothing is left."""
    lo, hi = strip_bounds(chars)
    if lo == hi:
        return None
    return mapped_segment(index, line_no, "".join(chars[lo:hi]), tuple(cols[lo:hi]), **extra)


def mapped_segment(
    index: int, line_no: int, text: str, cols: tuple[tuple[int, int], ...],
    **extra,
) -> Segment:
    """A segment whose characters came from the given input columns."""
    seg_start, seg_end = cols[0][0], cols[-1][1]
    colmap = None if all(c == (seg_start + i, seg_start + i + 1) for i, c in enumerate(cols)) else cols
    return Segment(index=index, line=line_no, start=seg_start, end=seg_end, text=text,
                   colmap=colmap, **extra)
