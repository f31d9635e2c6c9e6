"""Plain text: every non-blank line is one segment.

Text this tool wrote as Markdown keeps its speakers: a line opening with ``**Name:**`` (or
``**Name** *(check speaker, 42%)*:``) gives that name as a speaker hint to its text and to the
lines after it, up to the next such label, and a ``# title`` and ``**Source:** [link](...)``
line before the first label are the title and source line again, not transcript text. This
applies only when two lines or more carry a label, so one bold ``**Note:**`` in a plain text
changes nothing.
"""

from __future__ import annotations

import regex

from ..model import Segment, Transcript
from .lines import plain_segment

_SOURCE = regex.compile(r"^\*\*[^*\n]+:\*\*\s*\[")
_LABEL = regex.compile(
    r"^\*\*(?P<name>[^*\n\[\]]{1,80}?)(?::\*\*|\*\*\s+\*\([^)\n]*\)\*:)\s+(?=\S)(?!\[)")


def parse(lines: list[str], newlines: list[str], path: str | None = None) -> Transcript:
    """Read one segment per non-blank line."""
    labelled = sum(1 for line in lines if _LABEL.match(line)) >= 2
    segments: list[Segment] = []
    speaker = title = source = None
    for number, line in enumerate(lines, start=1):
        start = 0
        label = _LABEL.match(line) if labelled else None
        if label:
            speaker, start = label.group("name").strip(), label.end()
        elif labelled and speaker is None and not segments:
            if title is None and source is None and line.startswith("# "):
                title = line[2:].strip()
                continue
            if source is None and _SOURCE.match(line):
                source = line.strip()
                continue
        segment = plain_segment(len(segments), number, line, start, speaker_hint=speaker)
        if segment is not None:
            segments.append(segment)
    return Transcript(lines=tuple(lines), newlines=tuple(newlines), segments=tuple(segments),
                      format="plain", path=path, title=title, source_line=source)
