"""Spacing: no space before punctuation ("grief ." -> "grief."), one space between words."""

from __future__ import annotations

import re

from ..edits import Proposal, Stream

RULE = "tidy.spacing"

# Plain ``re`` (faster here than ``regex``); the character before a space is checked apart.
_BEFORE_PUNCTUATION = re.compile(r"[ \t]+(?=([,.;:!?…]+)(?:\s|$))")
_DOUBLED = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
_CLOSERS = "\"'”’)]%"


def propose_spacing(stream: Stream, covered: set[int]) -> list[Proposal]:
    """Proposals removing spaces before punctuation and collapsing runs of spaces.

    Positions in ``covered`` (changed by rules) are left alone.
    """
    proposals = []
    text = stream.text  # one scan each; the patterns never cross a line break
    # Substring checks first: they find the usual "nothing to do" faster than the patterns.
    if any(f" {mark}" in text or f"\t{mark}" in text for mark in ",.;:!?…"):
        for match in _BEFORE_PUNCTUATION.finditer(text):
            before = text[match.start() - 1 : match.start()]
            if before and (before.isalnum() or before in _CLOSERS):
                proposals.append(_proposal(match.start(), match.end(), "",
                                           f"space before {match.group(1)!r}", covered))
    if "  " in text or "\t" in text:
        for match in _DOUBLED.finditer(text):
            proposals.append(_proposal(match.start(), match.end(), " ", "run of spaces",
                                       covered))
    return [p for p in proposals if p is not None]


def _proposal(start: int, end: int, after: str, what: str,
              covered: set[int]) -> Proposal | None:
    if any(position in covered for position in range(start, end)):
        return None
    return Proposal(start=start, end=end, after=after, rule=RULE, category="tidy",
                    origin=f"{RULE}: {what}", note="publication spacing")
