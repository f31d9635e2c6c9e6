"""Plain text: every non-blank line is one segment.

Text this tool wrote as Markdown keeps its speakers: a line opening with ``**Name:**`` (or
``**Name** *(check speaker, 42%)*:``) gives that name as a speaker hint to its text and to the
lines after it, up to the next such label, and a ``# title`` and ``**Source:** [link](...)``
line before the first label are the title and source line again, not transcript text. This
applies only when two lines or more carry a label, so one bold ``**Note:**`` in a plain text
changes nothing.

Diarized text works the same way: a line opening with a cluster label and a colon
(``Speaker 0: ``, ``SPEAKER_00: ``, WhisperX's ``[SPEAKER_00]: ``, ``Speaker A: ``,
``spk_0: ``; see ``labels.py``) gives that cluster to its text and the lines after it, when
two lines or more carry one. A label alone on its line (``Speaker 1:``) opens the lines below.
"""

from __future__ import annotations

import regex

from ..model import Segment, Transcript
from .labels import cluster_prefix, split_label
from .lines import plain_segment

_SOURCE = regex.compile(r"^\*\*[^*\n]+:\*\*\s*\[")
_LABEL = regex.compile(
    r"^\*\*(?P<name>[^*\n\[\]]{1,80}?)(?::\*\*|\*\*\s+\*\([^)\n]*\)\*:)\s+(?=\S)(?!\[)")


def parse(lines: list[str], newlines: list[str], path: str | None = None) -> Transcript:
    """Read one segment per non-blank line."""
    labelled = sum(1 for line in lines if _LABEL.match(line)) >= 2
    clustered = sum(1 for line in lines if cluster_prefix(line)) >= 2
    segments: list[Segment] = []
    speaker: dict = {}
    title = source = None
    for number, line in enumerate(lines, start=1):
        start = 0
        label = _LABEL.match(line) if labelled else None
        cluster = cluster_prefix(line) if clustered and not label else None
        if label:
            speaker, start = split_label(label.group("name")), label.end()
        elif cluster:
            speaker, start = {"cluster": cluster[0]}, cluster[1]
        elif (labelled or clustered) and not speaker and not segments:
            if title is None and source is None and line.startswith("# "):
                title = line[2:].strip()
                continue
            if source is None and _SOURCE.match(line):
                source = line.strip()
                continue
        segment = plain_segment(len(segments), number, line, start, **speaker)
        if segment is not None:
            segments.append(segment)
    return Transcript(lines=tuple(lines), newlines=tuple(newlines), segments=tuple(segments),
                      format="plain", path=path, title=title, source_line=source)
