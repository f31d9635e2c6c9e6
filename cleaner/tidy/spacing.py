"""Spacing: no space before punctuation ("grief ." -> "grief."), one space between words."""

from __future__ import annotations

import regex

from ..edits import Proposal, Stream

RULE = "tidy.spacing"

_BEFORE_PUNCTUATION = regex.compile(
    r"(?<=[\p{L}\p{N}\"'”’)\]%])[ \t]+(?=([,.;:!?…]+)(?:\s|$))")
_DOUBLED = regex.compile(r"(?<=\S)[ \t]{2,}(?=\S)")


def propose_spacing(stream: Stream, covered: set[int]) -> list[Proposal]:
    """Proposals removing spaces before punctuation and collapsing runs of spaces.

    Positions in ``covered`` (changed by rules) are left alone.
    """
    proposals = []
    for number, segment in enumerate(stream.segments):
        base = stream.starts[number]
        text = segment.text
        for match in _BEFORE_PUNCTUATION.finditer(text):
            proposals.append(_proposal(base, match.start(), match.end(), "",
                                       f"space before {match.group(1)!r}", covered))
        for match in _DOUBLED.finditer(text):
            proposals.append(_proposal(base, match.start(), match.end(), " ",
                                       "run of spaces", covered))
    return [p for p in proposals if p is not None]


def _proposal(base: int, start: int, end: int, after: str, what: str,
              covered: set[int]) -> Proposal | None:
    if any(position in covered for position in range(base + start, base + end)):
        return None
    return Proposal(start=base + start, end=base + end, after=after, rule=RULE,
                    category="tidy", origin=f"{RULE}: {what}",
                    note="publication spacing")
