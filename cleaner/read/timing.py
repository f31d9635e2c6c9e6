"""Cue timings shared by the SRT and WebVTT readers."""

from __future__ import annotations

import regex

from ..errors import CleanerError

_STAMP = r"(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{1,3})"
TIMING = regex.compile(rf"^\s*{_STAMP}\s*-->\s*{_STAMP}(?:\s+(?P<settings>.*))?$")


def seconds(hours: str | None, minutes: str, secs: str, millis: str) -> float:
    """Seconds from the parts of a timestamp."""
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(secs) + int(millis.ljust(3, "0")) / 1000


def parse_timing(line: str, path: str | None, line_no: int) -> tuple[float, float]:
    """``(start, end)`` of a ``start --> end`` line; a clear error when it is malformed."""
    match = TIMING.match(line)
    if not match:
        raise CleanerError(f"broken cue timing {line.strip()!r}", path, line_no)
    parts = match.groups()
    for hours, minutes, secs in (parts[0:3], parts[4:7]):
        if int(secs) >= 60 or (hours is not None and int(minutes) >= 60):
            raise CleanerError(f"broken cue timing {line.strip()!r} (a field over 59)",
                               path, line_no)
    start, end = seconds(*parts[0:4]), seconds(*parts[4:8])
    if end < start:
        raise CleanerError(f"cue ends before it starts: {line.strip()!r}", path, line_no)
    return start, end


# What a caption reader met and read around, by kind: how to say one, and how to say several.
DAMAGE = {
    "timing": ("cue with a broken timing read without times", "cues with broken timings read "
               "without times"),
    "missing": ("cue with no timing line read without times", "cues with no timing line read "
                "without times"),
    "orphan": ("piece of text outside any cue read without times",
               "pieces of text outside any cue read without times"),
    "order": ("cue out of order kept in file order", "cues out of order kept in file order"),
    "overlap": ("cue overlapping the one before", "cues overlapping the one before"),
    "empty": ("empty cue skipped", "empty cues skipped"),
}


def damage_notes(problems: dict[str, list[int]]) -> tuple[str, ...]:
    """One line saying what was met: ``2 cues with broken timings ... (lines 5, 9); ...``."""
    parts = []
    for kind, (one, many) in DAMAGE.items():
        found = problems.get(kind)
        if not found:
            continue
        where = ", ".join(str(n) for n in found[:3]) + (", ..." if len(found) > 3 else "")
        label = "line" if len(found) == 1 else "lines"
        parts.append(f"{len(found)} {one if len(found) == 1 else many} ({label} {where})")
    return ("; ".join(parts),) if parts else ()


# An inline timestamp in transcript text: "[08:01]", "[1:03:45]", "[01:03:45.08]".
INLINE = regex.compile(r"\[(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?\]")


def inline_seconds(match: regex.Match) -> float | None:
    """Seconds of an inline timestamp, or None when a field is out of range ("[07:75]")."""
    hours, minutes, secs, fraction = match.groups()
    if int(secs) >= 60 or (hours is not None and int(minutes) >= 60):
        return None
    whole = int(hours or 0) * 3600 + int(minutes) * 60 + int(secs)
    return whole + (int(fraction) / 10 ** len(fraction) if fraction else 0.0)


def with_inline_times(segments: list) -> list:
    """Segments timed from their inline timestamps, when the format gave no times.

    A segment holding a timestamp that parses starts there; the segments after it, up to the
    next such segment, share the time until then by length; after the last one, time runs
    at 150 words a minute. Segments before the first timestamp stay untimed.
    """
    if any(s.start_time is not None for s in segments) or not any("[" in s.text for s in segments):
        return segments
    stamps: list[tuple[int, float]] = []
    for number, segment in enumerate(segments):
        for match in INLINE.finditer(segment.text):
            time = inline_seconds(match)
            if time is not None:
                if not stamps or time >= stamps[-1][1]:
                    stamps.append((number, time))
                break
    if not stamps:
        return segments
    from dataclasses import replace

    out = list(segments)
    bounds = stamps + [(len(segments), None)]
    for (first, start), (last, following) in zip(bounds, bounds[1:]):
        group = segments[first:last]
        lengths = [max(len(s.text), 1) for s in group]
        if following is None:
            following = start + sum(len(s.text.split()) for s in group) / 2.5
        span = max(following - start, 0.0)
        clock = start
        for offset, (segment, length) in enumerate(zip(group, lengths)):
            end = clock + span * length / sum(lengths)
            out[first + offset] = replace(segment, start_time=round(clock, 3),
                                          end_time=round(end, 3))
            clock = end
    return out
