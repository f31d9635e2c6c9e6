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
