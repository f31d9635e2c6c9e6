"""Joining the texts of several input lines into one readable text."""

from __future__ import annotations

import re
from collections.abc import Iterable

# As the spacing pass (tidy/spacing.py) has it within a line: no space before marks that
# close what comes before them, when that ends in a word or a closing quote or bracket.
_CLOSING_MARKS = re.compile(r"[,.;:!?…]+(?:\s|$)")
_CLOSERS = "\"'”’)]%"


def attaches(before: str, text: str) -> bool:
    """True when ``text`` opens with marks that close ``before`` ("Kevin" + "?")."""
    return bool(before) and (before[-1].isalnum() or before[-1] in _CLOSERS) \
        and _CLOSING_MARKS.match(text) is not None


def separator(before: str, text: str) -> str:
    """What goes between two texts that are joined: a space, or nothing before such marks."""
    return "" if attaches(before, text) else " "


def join_texts(texts: Iterable[str]) -> str:
    """Non-empty texts one space apart, except before marks that close the text before.

    A line of ASR output that is only "?" or "." then reads "Kevin?", not "Kevin ?", just
    as the spacing pass would write it inside one line, so cleaning the output again finds
    nothing more to do.
    """
    out: list[str] = []
    for text in texts:
        if not text:
            continue
        if out:
            out.append(separator(out[-1], text))
        out.append(text)
    return "".join(out)
