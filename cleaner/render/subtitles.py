"""Subtitles: SubRip (``Name:`` prefix per cue) and WebVTT (``<v Name>`` voice spans).

Cues come from ``layout.cues``: the input's own times where it had them. Both formats read
back through our readers with the same text and speakers.
"""

from __future__ import annotations

from html import escape

from ..model import Result
from .layout import clock_time, cues, wrap


def render_srt(result: Result) -> str:
    """The transcript as SubRip cues."""
    out = []
    for number, cue in enumerate(cues(result, labelled=True)[0], start=1):
        text = f"{cue.speaker}: {cue.text}" if cue.speaker else cue.text
        out.append(f"{number}\n{clock_time(cue.start_time)} --> {clock_time(cue.end_time)}\n"
                   + "\n".join(wrap(text)) + "\n")
    return "\n".join(out)


def render_vtt(result: Result) -> str:
    """The transcript as WebVTT, speakers as voice spans; a note says when times are estimated."""
    items, timed = cues(result)
    out = ["WEBVTT\n"]
    if not timed:
        out.append("NOTE\nThe input had no timestamps: these times are estimated from word "
                   "counts.\n")
    for cue in items:
        lines = [escape(line, quote=False) for line in wrap(cue.text)]
        if cue.speaker:
            lines[0] = f"<v {escape(cue.speaker, quote=False)}>{lines[0]}"
        out.append(f"{clock_time(cue.start_time, '.')} --> {clock_time(cue.end_time, '.')}\n"
                   + "\n".join(lines) + "\n")
    return "\n".join(out)
