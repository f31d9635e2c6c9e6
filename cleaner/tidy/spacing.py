"""Spacing: no space before punctuation ("grief ." -> "grief."), one space between words, and
no line that starts with a comma."""

from __future__ import annotations

import re

from ..edits import Proposal, Stream

RULE = "tidy.spacing"

# Plain ``re`` (faster here than ``regex``); the character before a space is checked apart.
_BEFORE_PUNCTUATION = re.compile(r"[ \t]+(?=([,.;:!?…]+)(?:\s|$))")
_DOUBLED = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
_CLOSERS = "\"'”’)]%"
_LEADING = re.compile(r"([,;:]+)[ \t]*")


def propose_spacing(stream: Stream, covered: set[int],
                    written: dict[int, str] | None = None,
                    removed: set[int] | None = None) -> list[Proposal]:
    """Proposals removing spaces before punctuation and collapsing runs of spaces.

    Positions in ``covered`` (changed by rules) are left alone. ``written`` maps the end of a
    rule's match to the last character its replacement writes there: the space after
    "Chachi P.T." is judged by the "e" of "Roose" that will stand before it, as a second run
    would judge it.
    """
    written = written or {}
    proposals = []
    text = stream.text  # one scan each; the patterns never cross a line break
    # Substring checks first: they find the usual "nothing to do" faster than the patterns.
    if any(f" {mark}" in text or f"\t{mark}" in text for mark in ",.;:!?…"):
        for match in _BEFORE_PUNCTUATION.finditer(text):
            before = written.get(match.start(), text[match.start() - 1 : match.start()])
            if before and (before.isalnum() or before in _CLOSERS):
                proposals.append(_proposal(match.start(), match.end(), "",
                                           f"space before {match.group(1)!r}", covered))
    if "  " in text or "\t" in text:
        for match in _DOUBLED.finditer(text):
            proposals.append(_proposal(match.start(), match.end(), " ", "run of spaces",
                                       covered))
    proposals.extend(_leading_punctuation(stream, covered, removed or set()))
    return [p for p in proposals if p is not None]


def _leading_punctuation(stream: Stream, covered: set[int],
                         removed: set[int]) -> list[Proposal | None]:
    """A line that starts with a comma gives it to the line before ("side / , then" reads
    "side, / then"), so the joined text has no space before it. When the end of the line
    before is being removed (a filler, in ``removed``), the comma goes."""
    proposals = []
    segments = stream.segments
    for number in range(1, len(segments)):
        match = _LEADING.match(segments[number].text)
        if not match or match.end() == len(segments[number].text):
            continue
        start = stream.starts[number]
        previous = segments[number - 1].text
        last = stream.starts[number - 1] + len(previous) - 1
        if previous[-1] in ",;:.!?…-—" or last in removed:  # it ends a clause, or goes
            proposals.append(_proposal(start, start + match.end(), "",
                                       f"{match.group(1)!r} opening a line", covered))
        else:
            proposals.append(_proposal(last, start + match.end(),
                                       previous[-1] + match.group(1),
                                       f"{match.group(1)!r} moved to the end of the line before",
                                       covered))
    return proposals


def _proposal(start: int, end: int, after: str, what: str,
              covered: set[int]) -> Proposal | None:
    if any(position in covered for position in range(start, end)):
        return None
    return Proposal(start=start, end=end, after=after, rule=RULE, category="tidy",
                    origin=f"{RULE}: {what}", note="publication spacing")
