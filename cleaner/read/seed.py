"""The seed's Markdown layout: a ``# title`` line, a ``**Source:** [date](link)`` line, then
one ``*  `` bullet per ASR segment."""

from __future__ import annotations

import regex

from ..model import Segment, Transcript
from .lines import plain_segment, split_lines

_BULLET = regex.compile(r"^[*-][ \t]+")
_SOURCE = regex.compile(r"^\*\*[^*\n]+:\*\*\s*\S")
_HEADING = regex.compile(r"^(#{2,6})\s+(.*\S)\s*$")


_STAR = regex.compile(r"^\*[ \t]+\S")
HEADERLESS_SHARE = 0.8  # of the first lines, starred, for a stretch without a header


def looks_like(text: str) -> bool:
    """True when the text opens with a ``# title`` and has ``*  `` bullets or a source line,
    or, with no header (a stretch pasted on stdin), when nearly all of its first lines (two
    or more) are ``*  `` bullets."""
    lines = split_lines(text[:4000])[0]
    first = next((line for line in lines if line.strip()), "")
    if first.startswith("# "):
        return any(_BULLET.match(line) or _SOURCE.match(line) for line in lines)
    filled = [line for line in lines[:-1] if line.strip()][:40] or \
        [line for line in lines if line.strip()][:40]
    starred = sum(1 for line in filled if _STAR.match(line))
    return starred >= 2 and starred >= HEADERLESS_SHARE * len(filled)


def parse(lines: list[str], newlines: list[str], path: str | None = None) -> Transcript:
    """Read the seed layout; any other non-blank line after the header is a segment too."""
    title = source = None
    segments: list[Segment] = []
    sections: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if title is None and not segments and line.startswith("# "):
            title = line[2:].strip()
            continue
        if source is None and not segments and _SOURCE.match(line):
            source = line.strip()
            continue
        heading = _HEADING.match(line)
        if heading:
            sections.append((len(segments), heading.group(2)))
            continue
        bullet = _BULLET.match(line)
        segment = plain_segment(len(segments), number, line, bullet.end() if bullet else 0)
        if segment is not None:
            segments.append(segment)
    return Transcript(
        lines=tuple(lines), newlines=tuple(newlines), segments=tuple(segments), format="seed",
        path=path, title=title, source_line=source, sections=tuple(sections),
    )
