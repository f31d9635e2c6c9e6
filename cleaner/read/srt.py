"""SubRip (SRT): numbered cues with a ``start --> end`` line and text lines.

A ``Name: `` prefix on a cue's first line (as our own SRT writer emits) becomes a speaker hint;
a cluster label (``Speaker 0: ``, WhisperX's ``[SPEAKER_00]: ``) becomes the cue's cluster.

Damage is read around, as in WebVTT, never refused and never lost: a cue whose timing is
broken (or missing, a number followed by text) is read without times, text where a cue
should start is read as a cue without times, a missing cue number is no damage at all, and an
empty cue has nothing to read. What was met is said once, in ``Transcript.notes``.
"""

from __future__ import annotations

import regex

from ..errors import CleanerError
from ..model import Segment, Transcript
from .labels import cluster_prefix
from .lines import plain_segment
from .timing import damage_notes, parse_timing

# A timing line whose arrow is damaged ("->", "=>", "—>"): two h:mm:ss stamps and an arrow.
_STAMP = r"\d+:\d\d:\d\d(?:[,.:]\d+)?"
_TIMING_LIKE = regex.compile(rf"^\s*{_STAMP}\s*[-=–—>]{{1,4}}\s*{_STAMP}\s*$")
SPEAKER_PREFIX = regex.compile(r"^(\p{Lu}[\p{L}.'’-]*(?: \p{Lu}[\p{L}.'’-]*){0,3}): (?=\S)")


def parse(lines: list[str], newlines: list[str], path: str | None = None) -> Transcript:
    """Read SRT cues, reading around damage (see above)."""
    segments: list[Segment] = []
    problems: dict[str, list[int]] = {}
    number = 0
    while number < len(lines):
        if not lines[number].strip():
            number += 1
            continue
        start = end = None
        numbered = _opens_cue(lines, number)
        number += numbered  # the cue number
        if numbered or _timing(lines[number]):
            try:
                start, end = parse_timing(lines[number], path, number + 1)
            except CleanerError:
                problems.setdefault("timing", []).append(number + 1)
            number += 1
            if not _is_text(lines, number):
                problems.setdefault("empty", []).append(number)
        elif lines[number].strip().isdigit():  # a cue number, and no timing line after it
            number += 1
            kind = "missing" if number < len(lines) and lines[number].strip() else "empty"
            problems.setdefault(kind, []).append(number)
        else:
            problems.setdefault("orphan", []).append(number + 1)
        speaker: dict = {}
        first = True
        while _is_text(lines, number):
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
                      format="srt", path=path, notes=damage_notes(problems))


def _timing(line: str) -> bool:
    """A timing line, sound or broken (``00:00:04,000 -> 00:00:06,000`` lost a dash); an
    arrow in a line that does not start with a time is cue text ("A --> B")."""
    return bool(_TIMING_LIKE.match(line)) or ("-->" in line and line.lstrip()[:1].isdigit())


def _opens_cue(lines: list[str], number: int) -> bool:
    """A cue number with its timing line (any line with an arrow) under it."""
    return (lines[number].strip().isdigit() and number + 1 < len(lines)
            and ("-->" in lines[number + 1] or _timing(lines[number + 1])))


def _is_text(lines: list[str], number: int) -> bool:
    """A cue text line: not empty, and not the start of the next cue (a text line that runs
    straight into the next cue, with no empty line between, still ends there)."""
    return (number < len(lines) and bool(lines[number].strip()) and not _timing(lines[number])
            and not _opens_cue(lines, number))
