"""Inline timestamps (``tidy.timestamp``): "[08:01]" or "[01:03:45.08]" inside transcript
text is a note for the editor, not speech. Published text loses it (with the space that
set it off); the verbatim style keeps it. Where it parses, the reader has already used it
as the segment's time (``read.timing.with_inline_times``).
"""

from __future__ import annotations

from ..edits import Proposal, Stream
from ..read.timing import INLINE

RULE = "tidy.timestamp"


def propose_timestamps(stream: Stream, covered: set[int]) -> list[Proposal]:
    """A removal of every inline timestamp, with one space next to it."""
    text = stream.text
    if "[" not in text:
        return []
    out = []
    for match in INLINE.finditer(text):
        start, end = match.span()
        if any(position in covered for position in range(start, end)):
            continue
        if end < len(text) and text[end] in " \t":
            end += 1
        elif start > 0 and text[start - 1] in " \t":
            start -= 1
        out.append(Proposal(start=start, end=end, after="", rule=RULE, category="tidy",
                            origin=f"{RULE}: inline timestamp {match.group()}",
                            note="a timestamp in the text is a note, not speech"))
    return out
