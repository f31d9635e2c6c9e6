"""WebVTT: cues with timings; a ``<v Name>`` voice span becomes a speaker hint.

Other markup (``<i>``, ``<c.x>``, inline timestamps) is dropped from the text, and entities
are decoded, with a column map so edits still point at the input.
"""

from __future__ import annotations

import regex

from ..errors import CleanerError
from ..model import Segment, Transcript
from .labels import split_label
from .lines import markup_segment
from .timing import TIMING, parse_timing

_VOICE = regex.compile(r"<v(?:\.[\w.-]+)?[ \t]+([^>]+)>")
_BLOCKS = ("NOTE", "STYLE", "REGION")


def parse(lines: list[str], newlines: list[str], path: str | None = None) -> Transcript:
    """Read WebVTT cues; the header and NOTE/STYLE/REGION blocks are not transcript text."""
    if not lines or not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
        raise CleanerError("a WebVTT file must start with 'WEBVTT'", path, 1)
    segments: list[Segment] = []
    number = _skip_block(lines, 0)
    while number < len(lines):
        if not lines[number].strip():
            number += 1
            continue
        if lines[number].split(" ", 1)[0].strip() in _BLOCKS:
            number = _skip_block(lines, number)
            continue
        if not TIMING.match(lines[number]):
            number += 1  # a cue identifier
            if number >= len(lines) or not lines[number].strip():
                continue
        start, end = parse_timing(lines[number], path, number + 1)
        number += 1
        speaker: dict = {}
        while number < len(lines) and lines[number].strip():
            line = lines[number]
            voice = _VOICE.search(line)
            if voice:
                speaker = split_label(voice.group(1))
            segment = markup_segment(len(segments), number + 1, line,
                                     start_time=start, end_time=end, **speaker)
            if segment is not None:
                segments.append(segment)
            number += 1
    return Transcript(lines=tuple(lines), newlines=tuple(newlines), segments=tuple(segments),
                      format="vtt", path=path)


def _skip_block(lines: list[str], number: int) -> int:
    while number < len(lines) and lines[number].strip():
        number += 1
    return number
