"""Fillers: hesitation sounds (clean style) and discourse fillers (edited style).

A filler goes together with the punctuation that only it needed, and the sentence around it
is repaired:

- "Um, how do we" -> "How do we" (the next word takes the capital when the filler opened a
  sentence);
- "I was, um, going" -> "I was going"; "and um, the" -> "and the"; "I think, um." -> "I
  think.";
- a line or sentence of nothing but fillers ("Um.") goes whole.

Discourse fillers (edited style only) go only where they are set off as asides, so the same
words keep their meaning elsewhere: "you know", "I mean" and "like" at the start of a
sentence before a comma, between commas, or before the end of a sentence ("It's, you know,
hard" -> "It's hard"; "You know, it's hard" -> "It's hard"; but "you know the answer" and
"I feel like it" stay); "well", "so" and "oh" only at the start of a sentence before a
comma ("Well, I think" -> "I think").
"""

from __future__ import annotations

import regex

from ..edits import Proposal, Stream
from .words import ENDS_SENTENCE, FILLER_RUN, SENTENCE_START_BEFORE, capitalised

FILLER_RULE = "tidy.filler"
DISCOURSE_RULE = "tidy.discourse"
ASIDES = ("you know", "i mean", "like")  # between commas, or opening a sentence
OPENERS = ("well", "so", "oh")  # only opening a sentence, before a comma

_DISCOURSE = regex.compile(
    r"(?<![\p{L}\p{N}'’-])(?:you know|i mean|like|well|so|oh)(?![\p{L}\p{N}'’-])",
    regex.IGNORECASE,
)
_AFTER = regex.compile(r"[ \t]*(\.\.\.|…|--|—|–|-(?=\s)|[,;:]|[.!?]+)?")
_COMMA_BEFORE = regex.compile(r",[ \t]*$")
_OPENING = regex.compile(r"^[\s\"'“‘(\[]*$")


def propose_fillers(stream: Stream, covered: set[int], discourse: bool = False) -> list[Proposal]:
    """Proposals removing hesitation fillers, or with ``discourse`` the edited-style ones.

    ``covered`` holds stream positions other proposals (rules) already change: a capital is
    never forced onto them.
    """
    proposals = []
    pattern = _DISCOURSE if discourse else FILLER_RUN
    for number, segment in enumerate(stream.segments):
        text = segment.text
        base = stream.starts[number]
        previous_ends = number == 0 or bool(ENDS_SENTENCE.search(stream.segments[number - 1].text))
        for match in pattern.finditer(text):
            word = match.group()
            kind = word.casefold() if discourse else None
            plan = _plan(text, match.start(), match.end(), previous_ends, kind)
            if plan is None:
                continue
            start, end, cap, where = plan
            after = ""
            if cap is not None and base + cap not in covered:
                upper = capitalised(text, cap)
                if upper is not None:
                    end, after = cap + 1, upper
            rule = DISCOURSE_RULE if discourse else FILLER_RULE
            note = ("an aside editors cut from published text" if discourse
                    else "a hesitation sound, not a word")
            proposals.append(Proposal(
                start=base + start, end=base + end, after=after, rule=rule, category="tidy",
                origin=f"{rule}: {word!r} {where}", note=note,
            ))
    return proposals


def _plan(text: str, start: int, end: int, previous_ends: bool,
          discourse: str | None) -> tuple[int, int, int | None, str] | None:
    """``(remove from, remove to, position to capitalise or None, where)`` for one filler.

    ``discourse`` is the aside's text for edited-style fillers (stricter about position),
    None for hesitation sounds.
    """
    before = text[:start]
    after = _AFTER.match(text, end)
    punct = after.group(1) or ""
    rest = after.end() + len(text[after.end():]) - len(text[after.end():].lstrip())
    has_rest = rest < len(text)
    terminal = punct[:1] in (".", "!", "?") and punct != "..."
    comma_like = bool(punct) and not terminal
    if _OPENING.match(before):
        opens = previous_ends or text[start].isupper()
    else:
        opens = bool(SENTENCE_START_BEFORE.search(before))
    if opens:
        if discourse is not None and not (comma_like or terminal):
            return None  # "You know the answer", "So we went": not asides
        if not has_rest:
            if not before.strip():
                return 0, len(text), None, "alone on its line"
            return len(before.rstrip()), len(text), None, "as a sentence of its own"
        if terminal:
            return start, rest, None, "as a sentence of its own"
        return start, rest, rest, "opening a sentence"
    if discourse in OPENERS:
        return None
    comma = _COMMA_BEFORE.search(before)
    if discourse is not None and not (comma and (comma_like or terminal or not has_rest)):
        return None
    separator = comma.start() if comma else len(before.rstrip())
    if not has_rest:
        if not before.strip():
            return 0, len(text), None, "alone on its line"
        return separator, (after.end() - len(punct)) if terminal else after.end(), None, \
            "ending a line"
    if terminal:
        return separator, after.end() - len(punct), None, "before a sentence end"
    if comma and comma_like:
        return comma.start(), after.end(), None, "between commas"
    if comma:
        return comma.start(), end, None, "after a comma"
    return start, rest, None, "mid-sentence"
