"""Fillers: hesitation sounds (clean style) and discourse fillers (edited style).

A filler goes together with the punctuation that only it needed, and the sentence around it
is repaired:

- "Um, how do we" -> "How do we" (the next word takes the capital when the filler opened a
  sentence);
- "I was, um, going" -> "I was going" and "And, um, then" -> "And then", but "Okay, um,
  now" -> "Okay, now" and "the group, um we found" -> "the group, we found";
- "and um, the" -> "and the"; "I think, um." -> "I think.";
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
from .words import ENDS_SENTENCE, FILLER_RUN, FILLERS, SENTENCE_START_BEFORE, Words, capitalised

FILLER_RULE = "tidy.filler"
DISCOURSE_RULE = "tidy.discourse"
CAPITAL_RULE = "tidy.capital"
ASIDES = ("you know", "i mean", "like")  # between commas, or opening a sentence
OPENERS = ("well", "so", "oh")  # only opening a sentence, before a comma

_HESITATION = r"(?:u+m+|uhm|u+h+|erm|er|a+h+)"
_ASIDE = r"(?:you\s+know|i\s+mean|like|well|so|oh)"  # "you / know" may span a line break
_SEPARATOR = r"(?:[ \t]*[,…\-–—]+[ \t]*|[ \t]+)"
_FULL_STOP = r"[ \t]*[.!?]+[ \t]*"  # only a hesitation may follow a sentence end in a run
# In the edited style hesitations and asides form one run ("Um, well, I think" loses both).
_EDITED_RUN = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}'’-])(?:{_HESITATION}|{_ASIDE})"
    rf"(?:{_SEPARATOR}(?:{_HESITATION}|{_ASIDE})|{_FULL_STOP}{_HESITATION})*"
    r"(?![\p{L}\p{N}'’-])", regex.IGNORECASE)
_LEADING_RUN = regex.compile(r"^\s*(?:" + FILLER_RUN.pattern + r")[\s,.!?…\-–—]*",
                             regex.IGNORECASE)
_SET_OFF = regex.compile(r"[,…\-–—]")
_ASIDE_WORD = regex.compile(rf"\b{_ASIDE}\b", regex.IGNORECASE)
_AFTER = regex.compile(r"[ \t]*(\.\.\.|…|--|—|–|-(?=\s|$)|[,;:]|[.!?]+)?")
_COMMA_BEFORE = regex.compile(r",[ \t]*$")
_OPENING = regex.compile(r"^[\s\"'“‘(\[]*$")
# A sentence whose only word so far is before the comma ("Okay, um, now", "So, um, I").
_ONE_WORD_OPENING = regex.compile(
    r"(?:^|[.!?…][\"'”’)\]]*\s+)[\"'“‘(\[]*([\p{L}\p{N}'’-]+)[ \t]*,[ \t]*$")
# The end of the text before a filler run that the patterns above can reach, read backwards:
# spaces and commas, a word, then marks, quotes, brackets and spaces. Each pattern's match
# ends at the run and holds only these, so it starts inside this context (and ``^`` still
# means the start of the line when searched in place with ``pos``). \x1c-\x1f: what
# ``str.strip`` also takes for whitespace.
_CONTEXT = regex.compile(r"[\s\x1c-\x1f\"'“‘(\[”’)\].!?…]*[\p{L}\p{N}'’-]*[\s\x1c-\x1f,]*",
                         regex.REVERSE)
# Words that stand alone before their comma ("Okay, um, now" keeps "Okay,").
_ANSWERS = frozenset({"okay", "ok", "yes", "yeah", "yep", "no", "nope", "well", "right", "alright",
                      "now", "oh", "sure", "look", "hey", "hi", "hello", "thanks"})
_RUN_GAP = regex.compile(r"[ \t]*[,.!?…\-–—]+[ \t]*|[ \t]+")  # "um, uh", "Um. Uh", "um - uh"
_JOINERS = ("-", "'", "’", "_")


def propose_fillers(stream: Stream, covered: set[int], words: Words | None = None,
                    edited: bool = False) -> list[Proposal]:
    """Proposals removing hesitation fillers, and with ``edited`` the asides too.

    ``covered`` holds stream positions other proposals (rules) already change: a capital is
    never forced onto them. ``words`` are the stream's words, when already cut.
    """
    runs = ([m.span() for m in _EDITED_RUN.finditer(stream.text)] if edited
            else _runs(stream.text, words))
    proposals = []
    lines, text = None, ""
    for start, end in runs:
        number = stream.segment_at(start)
        base = stream.starts[number]
        last = stream.segment_at(end - 1)  # an aside split across lines reads both lines
        if lines != (number, last):  # copied once for all the runs in it: lines can be long
            lines = (number, last)
            text = stream.text[base : stream.starts[last] + len(stream.segments[last].text)]
        previous = stream.segments[number - 1].text if number else None
        following = (stream.segments[last + 1].text if last + 1 < len(stream.segments)
                     else None)
        run = stream.text[start:end]
        found = list(_ASIDE_WORD.finditer(run)) if edited else []
        asides = [" ".join(m.group().casefold().split()) for m in found]
        # "like, um the": the last aside has its comma inside the run
        set_off = bool(found) and bool(_SET_OFF.search(run, found[-1].end()))
        plan = _plan(text, start - base, end - base, previous, following, asides, set_off)
        if plan is not None:
            proposals.extend(_proposals(text, base, plan, covered, run, bool(asides)))
            continue
        for match in FILLER_RUN.finditer(run) if asides else ():  # the asides stay
            plan = _plan(text, start - base + match.start(), start - base + match.end(),
                         previous, following, [], False)
            if plan is not None:
                proposals.extend(_proposals(text, base, plan, covered, match.group(), False))
    return proposals


def _runs(text: str, words: Words | None) -> list[tuple[int, int]]:
    """Stream ranges of runs of hesitation fillers ("um", "um, uh"), each inside one line."""
    if words is None:
        return [m.span() for m in FILLER_RUN.finditer(text)]
    runs: list[list[int]] = []
    for index in [i for i, k in enumerate(words.keys) if k in FILLERS]:
        start, end = words.starts[index], words.ends[index]
        if text[start - 1 : start] in _JOINERS or text[end : end + 1] in _JOINERS:
            continue  # "uh-huh", "uh-oh": answers, not hesitations
        if runs and _RUN_GAP.fullmatch(text, runs[-1][1], start):
            runs[-1][1] = end
        else:
            runs.append([start, end])
    return [(start, end) for start, end in runs]


def _proposals(text: str, base: int, plan: tuple[int, int, int | None, str],
               covered: set[int], run: str, aside: bool) -> list[Proposal]:
    """The removal, and a capital for the next word when the run opened a sentence.

    The capital is a proposal of its own (``tidy.capital``), so that when another pass
    removes that word too, the removals still join up and only the capital gives way.
    """
    start, end, cap, where = plan
    rule = DISCOURSE_RULE if aside else FILLER_RULE
    note = ("an aside editors cut from published text" if aside
            else "a hesitation sound, not a word")
    label = " ".join(run.split())
    out = [Proposal(start=base + start, end=base + end, after="", rule=rule, category="tidy",
                    origin=f"{rule}: {label!r} {where}", note=note)]
    if cap is not None and base + cap not in covered:
        upper = capitalised(text, cap)
        if upper is not None:
            out.append(Proposal(start=base + cap, end=base + cap + 1, after=upper,
                                rule=CAPITAL_RULE, category="tidy",
                                origin=f"{CAPITAL_RULE}: the sentence {label!r} opened",
                                note="a sentence starts with a capital"))
    return out


def _plan(text: str, start: int, end: int, previous: str | None, following: str | None,
          asides: list[str], set_off_inside: bool) -> tuple[int, int, int | None, str] | None:
    """``(remove from, remove to, position to capitalise or None, where)`` for one run.

    ``previous`` and ``following`` are the texts of the segments around (None at the ends
    of the transcript). ``asides`` lists the asides in the run (edited style); a run with
    any is held to the stricter positions of asides. ``set_off_inside`` says a comma or dash
    follows the last aside inside the run.
    """
    previous_ends = previous is None or bool(ENDS_SENTENCE.search(previous))
    previous_comma = previous is not None and previous.rstrip().endswith(",")
    discourse = asides or None
    # The patterns below read only the end of the text before the run: ``text[lo:start]``
    # (see _CONTEXT), searched in place, so a run on a long line costs only its context.
    lo = _CONTEXT.match(text, 0, start).start()
    before = text[lo:start]
    blank_before = lo == 0 and not before.strip()
    after = _AFTER.match(text, end)
    punct = after.group(1) or ""
    rest = after.end()
    while rest < len(text) and text[rest].isspace():
        rest += 1
    has_rest = rest < len(text)
    terminal = punct[:1] in (".", "!", "?") and punct != "..."
    comma_like = bool(punct) and not terminal
    if lo == 0 and _OPENING.match(before):
        opens = previous_ends or text[start].isupper()
    else:
        opens = bool(SENTENCE_START_BEFORE.search(text, lo, start))
    if blank_before and not has_rest:
        return 0, len(text), None, "alone on its line"
    if opens:
        # An aside ending a line with nothing after it stands alone when the next line starts
        # a sentence (or there is none): the publication pass will give it a full stop.
        after_fillers = _LEADING_RUN.sub("", following or "").lstrip()
        alone = not has_rest and not punct and (not after_fillers
                                                or after_fillers[:1].isupper())
        if discourse is not None and not (comma_like or terminal or alone or set_off_inside):
            return None  # "You know the answer", "So we went": not asides
        if not has_rest:
            if blank_before:
                return 0, len(text), None, "alone on its line"
            return lo + len(before.rstrip()), len(text), None, "as a sentence of its own"
        if terminal:
            return start, rest, None, "as a sentence of its own"
        return start, rest, rest, "opening a sentence"
    if discourse is not None and any(word in OPENERS for word in discourse):
        return None
    comma = _COMMA_BEFORE.search(text, lo, start)
    # A comma ending the line before counts for an aside that opens this line.
    set_off = comma or (blank_before and previous_comma)
    if discourse is not None and not (set_off and (comma_like or terminal or not has_rest
                                                   or set_off_inside)):
        return None
    separator = comma.start() if comma else lo + len(before.rstrip())
    if not has_rest:
        if blank_before:
            return 0, len(text), None, "alone on its line"
        return separator, (after.end() - len(punct)) if terminal else after.end(), None, \
            "ending a line"
    if terminal:
        if blank_before:  # "and then / um. So we went": the line opens with it
            return start, rest, None, "as a sentence of its own"
        return separator, after.end() - len(punct), None, "before a sentence end"
    if text[rest] in ",.;:!?…":  # "Kevin uh ,.": the space before goes too, not "Kevin ."
        return separator, rest, None, "before punctuation"
    opening = _ONE_WORD_OPENING.search(text, lo, start)
    if comma and comma_like and not (opening and opening.group(1).casefold() in _ANSWERS):
        return comma.start(), after.end(), None, "between commas"  # "I was, um, going"
    # "Okay, um, now" and "group, um we found": the comma before stays.
    return start, rest, None, "after a comma" if comma else "mid-sentence"
