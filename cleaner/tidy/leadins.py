"""Hallucination lead-ins: the line or two of plausible text a Whisper loop often starts with.

When Whisper loses the audio it seldom goes straight into a loop: first comes a line or two
that reads well on its own but breaks the sentence around it. In the seed, "... societal
antibodies towards people seeing like," is followed by "like, the world is changing," / "but
we're not seeing any of that." and then "I think that's a good thing." four times, after
which the speaker's sentence takes up again ("Because people seeing doctored photos or
whatever,"). Such lines are put on the review list as a likely hallucination (detector
``lead-in``, rule ``tidy.lead-in``) and never removed: they may be speech.

One or two whole lines just before a loop's first copy are a lead-in when the line before
them leaves its sentence open (it ends without ``. ! ? …``), and the break shows at one end
of them: they open by repeating the last word of that line (Whisper restarting: "like," /
"like, the world"), or the line after the loop takes up two of its words again ("people
seeing"), the speech resuming where it broke off. The longer reading wins.
"""

from __future__ import annotations

import regex

from ..edits import Stream
from ..words import english
from .loops import Loop

LEAD_IN_LINES = 2
LEAD_IN_RULE = "tidy.lead-in"
DETECTORS = ("repeat", "phrase", "compression")  # a model stuck, not a stock line

_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}]+)*")
_CLOSED = regex.compile(r"[.!?…][\"'”’)\]]*\s*$")


def find_lead_ins(stream: Stream, loops: tuple[Loop, ...] | list[Loop]) -> list[Loop]:
    """A flag-only ``Loop`` (no ranges) for the lead-in of each loop that has one."""
    segments = stream.segments
    taken = _loop_segments(stream, loops)
    out = []
    for loop in loops:
        if loop.detector not in DETECTORS or not loop.ranges:
            continue
        number, offset = stream.locate(loop.ranges[0][0])
        if segments[number].text[:offset].strip():
            continue  # the loop starts inside a line: what comes before it is that line
        last, _ = stream.locate(max(loop.ranges[-1][1] - 1, loop.ranges[-1][0]))
        after = next((segments[n].text for n in range(last + 1, len(segments))
                      if n not in taken and segments[n].text.strip()), "")
        for size in range(LEAD_IN_LINES, 0, -1):
            first = number - size
            if first < 1 or taken.intersection(range(first - 1, number)):
                continue
            before = segments[first - 1].text
            if not before.strip() or _CLOSED.search(before):
                continue
            if _echoes(before, segments[first].text) or _resumes(before, after):
                out.append(_lead_in(stream, first, number - 1, loop))
                break
    return out


def _loop_segments(stream: Stream, loops) -> set[int]:
    """The segments any part of a loop lies in (a lead-in is never inside one)."""
    taken: set[int] = set()
    for loop in loops:
        for start, end in loop.ranges:
            first, _ = stream.locate(start)
            last, _ = stream.locate(max(end - 1, start))
            taken.update(range(first, last + 1))
    return taken


def _words(text: str) -> list[str]:
    return [word.casefold() for word in _WORD.findall(text)]


def _echoes(before: str, lead: str) -> bool:
    """True when the lead-in opens with the word the line before ends on ("like," / "like,")."""
    end, start = _words(before)[-1:], _words(lead)[:1]
    return bool(end) and end == start


def _resumes(before: str, after: str) -> bool:
    """True when the line after the loop takes up two words of the line before the lead-in
    again, not both function words ("people seeing", not "of the")."""
    words = _words(before)
    pairs = {pair for pair in zip(words, words[1:])
             if not all(english.is_function_word(word) for word in pair)}
    later = _words(after)
    return any(pair in pairs for pair in zip(later, later[1:]))


def _lead_in(stream: Stream, first: int, last: int, loop: Loop) -> Loop:
    segments = stream.segments
    lines = (f"line {loop.first_line}" if loop.first_line == loop.last_line
             else f"lines {loop.first_line}-{loop.last_line}")
    text = " ".join(segments[n].text.strip() for n in range(first, last + 1))
    return Loop("lead-in", f"likely hallucination: breaks the open sentence of line "
                f"{segments[first - 1].line} just before the loop on {lines}",
                text, segments[first].line, segments[last].line, (), segments[first].col(0) + 1,
                end_column=segments[last].end_col(len(segments[last].text)) + 1)
