"""SubRip (SRT): numbered cues with a ``start --> end`` line and text lines.

A ``Name: `` prefix on a cue's first line (as our own SRT writer emits) becomes a speaker hint;
a cluster label (``Speaker 0: ``, WhisperX's ``[SPEAKER_00]: ``) becomes the cue's cluster.
"""

from __future__ import annotations

import regex

from ..errors import CleanerError
from ..model import Segment, Transcript
from .labels import cluster_prefix
from .lines import plain_segment
from .timing import parse_timing

SPEAKER_PREFIX = regex.compile(r"^(\p{Lu}[\p{L}.'’-]*(?: \p{Lu}[\p{L}.'’-]*){0,3}): (?=\S)")


def parse(lines: list[str], newlines: list[str], path: str | None = None) -> Transcript:
    """Read SRT cues; broken timings are an error naming the line."""
    segments: list[Segment] = []
    number = 0
    while number < len(lines):
        line = lines[number]
        if not line.strip():
            number += 1
            continue
        if not line.strip().isdigit():
            raise CleanerError(f"expected a cue number, found {line.strip()[:40]!r}", path, number + 1)
        if number + 1 >= len(lines):
            raise CleanerError("cue number without a timing line", path, number + 1)
        start, end = parse_timing(lines[number + 1], path, number + 2)
        number += 2
        speaker: dict = {}
        first = True
        while number < len(lines) and lines[number].strip():
            text_line = lines[number]
            begin = 0
            if first:
                cluster = cluster_prefix(text_line)
                prefix = None if cluster else SPEAKER_PREFIX.match(text_line)
                if cluster:
                    speaker, begin = {"cluster": cluster[0]}, cluster[1]
                elif prefix:
                    speaker, begin = {"speaker_hint": prefix.group(1)}, prefix.end()
            segment = plain_segment(len(segments), number + 1, text_line, begin,
                                    start_time=start, end_time=end, **speaker)
            if segment is not None:
                segments.append(segment)
            first = False
            number += 1
    return Transcript(lines=tuple(lines), newlines=tuple(newlines), segments=tuple(segments),
                      format="srt", path=path)
