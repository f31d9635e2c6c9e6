"""Plain text: every non-blank line is one segment."""

from __future__ import annotations

from ..model import Segment, Transcript
from .lines import plain_segment


def parse(lines: list[str], newlines: list[str], path: str | None = None) -> Transcript:
    """Read one segment per non-blank line."""
    segments: list[Segment] = []
    for number, line in enumerate(lines, start=1):
        segment = plain_segment(len(segments), number, line)
        if segment is not None:
            segments.append(segment)
    return Transcript(lines=tuple(lines), newlines=tuple(newlines), segments=tuple(segments),
                      format="plain", path=path)
