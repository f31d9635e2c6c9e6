"""Tidy: cleanup that is not vocabulary, proposed as edits like any rule fix.

Takes the edit stream of a corrected transcript and a style; returns the passes' proposals
(``edits.Proposal``s, in a ``Tidy`` with the loops found).

Passes, each a small module proposing ``edits.Proposal``s over the stream:

- ``loops``: hallucination and repetition loops (``tidy.loop``), and ``leadins`` the likely
  hallucinated lines a loop starts with (``tidy.lead-in``, flagged, never removed);
- ``stutter``: immediate repetitions (``tidy.stutter``);
- ``filler``: hesitation sounds (``tidy.filler``) and, in the edited style, asides
  (``tidy.discourse``);
- ``spacing``: spaces before punctuation and runs of spaces (``tidy.spacing``);
- ``timestamps``: inline timestamps such as "[08:01]" (``tidy.timestamp``);
- ``publish``: after speaker turns exist, capitals and end marks (``tidy.capital``,
  ``tidy.end-mark``).

``propose_tidy`` runs the first four; the pipeline resolves their proposals together with
the rule proposals, so one resolution decides everything and every removal is a reported,
restorable edit.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum

from ..edits import Proposal, Stream
from ..errors import CleanerError
from ..correct.matcher import Tokens
from ..model import Transcript
from .filler import DISCOURSE_RULE, propose_fillers
from .leadins import find_lead_ins
from .loops import Loop, find_loops
from .spacing import propose_spacing
from .stutter import propose_stutters
from .timestamps import propose_timestamps
from .words import Words

LOOP_RULE = "tidy.loop"


class Style(str, Enum):
    """How much the tidy passes change: nothing, hesitations and repeats, or asides too."""

    VERBATIM = "verbatim"
    CLEAN = "clean"
    EDITED = "edited"


STYLES = tuple(style.value for style in Style)


@dataclass(frozen=True, slots=True)
class Tidy:
    """What the tidy passes propose, and the loops found (removed or only flagged)."""

    proposals: tuple[Proposal, ...]
    loops: tuple[Loop, ...]
    removes_loops: bool

    def findings(self) -> list[dict]:
        """The loops as recorded in ``Result.options["loops"]``."""
        return [loop.to_dict(self.removes_loops) for loop in self.loops]


def style_of(name: str) -> Style:
    """The style named ``name``; a clear error for anything else."""
    try:
        return Style(name)
    except ValueError:
        raise CleanerError(f"unknown style {name!r} (choose from {', '.join(STYLES)})") from None


def propose_tidy(stream: Stream, transcript: Transcript, rule_proposals: list[Proposal],
                 style: str = "clean", keep_hallucinations: bool = False,
                 tokens: Tokens | None = None) -> Tidy:
    """Loops, stutters, fillers and spacing as proposals, for resolving with the rules'.

    Verbatim proposes nothing (loops are still found, to be flagged). Passes are merged in
    order of precedence (loops, stutters, fillers and asides, spacing); a proposal that
    overlaps one of a stronger pass is left out, since that one already covers it.
    ``tokens`` are the rule matcher's tokens of the stream, when already cut.
    """
    mode = style_of(style)
    words = Words.from_tokens(tokens) if tokens is not None else Words.of(stream.text)
    loops = tuple(find_loops(stream, transcript, words))
    loops = tuple(sorted(loops + tuple(find_lead_ins(stream, loops)),
                         key=lambda loop: (loop.first_line, loop.column)))
    if mode is Style.VERBATIM:
        return Tidy((), loops, False)
    covered = {position for p in rule_proposals for position in range(p.start, p.end)}
    passes: list[list[Proposal]] = []
    if not keep_hallucinations:
        passes.append([_loop_proposal(loop, start, end) for loop in loops
                       for start, end in loop.ranges])
    timestamps = propose_timestamps(stream, covered)
    passes.append(timestamps)
    fillers = propose_fillers(stream, covered, words, edited=mode is Style.EDITED)
    # Removing an aside can bring two copies together ("I, you know, I confess").
    asides = [(p.start, p.end) for p in fillers if p.rule == DISCOURSE_RULE]
    passes.append(propose_stutters(stream.text, words, asides))
    passes.append(fillers)
    removed = {position for p in fillers + timestamps if not p.after
               for position in range(p.start, p.end)}
    passes.append(propose_spacing(stream, covered, _last_written(stream, rule_proposals),
                                  removed))
    return Tidy(tuple(_merge(passes)), loops, not keep_hallucinations)


def _last_written(stream: Stream, rule_proposals: Sequence[Proposal]) -> dict[int, str]:
    """For each position where a rule's match ends, the last character it will write there
    (of the match that ``edits.resolve`` would keep first: leftmost, then longest)."""
    best: dict[int, Proposal] = {}
    for proposal in sorted(rule_proposals, key=lambda p: (p.start, -(p.end - p.start),
                                                          -p.priority, p.order),
                           reverse=True):
        best[proposal.end] = proposal  # the first in resolve's order is written last
    return {end: (p.after[-1:] or stream.text[p.start - 1 : p.start]) for end, p in best.items()}


def _loop_proposal(loop: Loop, start: int, end: int) -> Proposal:
    lines = (f"line {loop.first_line}" if loop.first_line == loop.last_line
             else f"lines {loop.first_line}-{loop.last_line}")
    return Proposal(start=start, end=end, after="", rule=LOOP_RULE, category="tidy",
                    origin=f"{LOOP_RULE}: {loop.detector}: {loop.reason}",
                    note=f"hallucination loop ({lines}): {loop.text[:80]!r}")


def _merge(passes: list[list[Proposal]]) -> list[Proposal]:
    """All proposals of all passes that do not overlap one of an earlier pass (or their own).

    Two removals that overlap (both replace by nothing) become one removal over both:
    "um. um" is two runs that share the space between them.
    """
    kept: list[Proposal] = []  # sorted by start, never overlapping
    starts: list[int] = []
    for proposals in passes:
        for proposal in sorted(proposals, key=lambda p: (p.start, p.end)):
            at = bisect.bisect_right(starts, proposal.start)
            low = at - 1 if at > 0 and kept[at - 1].end > proposal.start else at
            high = at
            while high < len(kept) and kept[high].start < proposal.end:
                high += 1
            clashing = kept[low:high]
            if clashing and not (proposal.after == "" and all(p.after == "" for p in clashing)):
                continue
            if clashing:
                first = clashing[0]
                proposal = replace(first, start=min(first.start, proposal.start),
                                   end=max(clashing[-1].end, proposal.end))
            kept[low:high] = [proposal]
            starts[low:high] = [proposal.start]
    return kept
