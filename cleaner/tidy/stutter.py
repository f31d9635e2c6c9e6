"""Stutters and false starts: one to four words said twice in a row ("the the", "how how",
"that's that's", "you just, you just"), across a line break too.

What is a stutter and what is emphasis follows one observation: speakers restart on small
words (articles, pronouns, auxiliaries, prepositions, question words) and repeat content
words on purpose ("many, many", "horrible, horrible"). So a repetition collapses only when
it starts with a function word, and never when:

- its words are all on the ``KEPT`` list: answers and intensifiers ("no, no, no", "very,
  very", "yeah, yeah") and words whose doubling is grammatical ("had had", "that that",
  "is is", "tell you you", "give her her");
- it is a ``GRAMMATICAL`` repeat with only a space between the copies, collected from the
  corpus ("going to have to have", "over and over and over", "more and more");
- the second copy starts with a capital after punctuation or a line break and the first
  does not ("remotes you do, / You do get"): a new sentence starts there;
- a single word is repeated across a comma and is one that can end a clause ("careful
  about it, it can be");
- the copies are whole utterances: the first starts a sentence and the second ends one
  ("I know, I know.").

The first copy stays and the second goes with the gap before it, so "Um, how how" becomes
"How" together with the filler pass; only when the second copy is better cased ("It's i I
think") does the first go instead. Fillers between the copies are part of the gap
("the, um, the" is one stutter).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

import regex

from ..edits import Proposal
from .words import FILLERS, Words

MAX_WORDS = 4
RULE = "tidy.stutter"

FUNCTION_WORDS = frozenset("""
a an the this that these those some any each every all both another such my your his her its
our their i you he she it we they me him us them one what which who whom whose how why where
when i'm i've i'll i'd you're you've you'll you'd he's he'll he'd she's she'll she'd it's
it'll it'd we're we've we'll we'd they're they've they'll they'd that's that'll there's
here's what's who's how's where's let's don't doesn't didn't isn't aren't wasn't weren't
can't couldn't won't wouldn't shouldn't haven't hasn't hadn't is are was were be been being
am have has had do does did will would can could shall should may might must to of in on at
for with about from by as into onto over under through between like than up out off around
within without across after before and but or so because if then while though although
whether since until unless nor not just there here also even kind sort
""".split())

# Never collapsed: answers, intensifiers and words whose doubling is grammatical.
KEPT = frozenset("""
no yes yeah yep yup nope okay ok right well oh bye hey very really that had is you her
""".split())

# Repeats that careful transcribers keep: phrases that the transcripts edited for
# readability (changelog, btc, debates in shared/corpus) keep, with nothing but a space
# between the copies, at least ten times and at a quarter or more of the rate the
# near-verbatim meetings (AMI, ICSI) have them; there nearly every repeat is a stutter, so
# a repeat the editors left in as often is speech ("going to have to have", "over and over
# and over", "keep the main thing the main thing"). ``python bench/false_removals.py
# --derive`` lists them again.
GRAMMATICAL = frozenset({
    ("over", "and"), ("on", "and"), ("up", "and"), ("and", "more"), ("and", "so", "on"),
    ("the", "main", "thing"), ("to", "have"),
})

# Words that may end a clause, so "it, it" across a comma is two clauses, not a stutter.
CLAUSE_END = frozenset("""
it that this them you me him her us there here too so then now though yet either anyway
again one all both out up on in off over about around through before after
""".split())

_FILLER = "|".join(sorted(FILLERS, key=len, reverse=True))
# What may stand between two copies: spaces, commas, dashes, ellipses, and fillers with
# whatever punctuation they carry ("the, um. the").
_SOFT_GAP = regex.compile(rf"(?:[\s,\-–—…]|\.\.\.|(?i:\b(?:{_FILLER})\b)(?:[ \t]*[.!?]+)?)*")
# What may follow a copy on its own line for the whole line to go: as on one line, where
# "the the;" loses the second "the" and keeps any mark, ";", ":" and closing quotes included.
_LINE_REST = regex.compile(rf"(?:[\s,.;:!?…\-–—'’\"”)\]]|(?i:\b(?:{_FILLER})\b))*")
_INNER_GAP = regex.compile(
    rf"(?:[\s,'’\-–—…]|\.\.\.|(?i:\b(?:{_FILLER})\b)(?:[ \t]*[.!?]+)?)*")
_OPENERS = "\"'“‘([ \t\n"
_FILLER_WORD = regex.compile(rf"(?i:\b(?:{_FILLER})\b)")
# Fillers (with their punctuation) just before a position, which sentence starts look past.
_LEADING_FILLERS = regex.compile(
    rf"(?:(?i:\b(?:{_FILLER})\b)[\s,.!?…\-–—]*)+$")


ROUNDS = 3  # collapsing may bring copies together again ("on the on the on on the top")
CONTEXT_WORDS = 2 * MAX_WORDS


def propose_stutters(text: str, words: Words,
                     removed: Sequence[tuple[int, int]] = ()) -> list[Proposal]:
    """A proposal removing the second copy of every stutter in the stream ``text``.

    Collapsing one stutter can bring two copies together ("on the on the on on the top"
    leaves "on the on the top"), so the text around each removal is looked at again, with
    the removals applied, until nothing more collapses; overlapping removals merge. Cleaning
    the output again then finds nothing. ``removed`` are stream ranges other passes remove,
    looked around in the same way.
    """
    spans = _find(text, words)
    others = [(start, end, "") for start, end in removed]
    for _ in range(ROUNDS):
        if not spans and not others:
            break
        if not _settle(text, words, spans, others):
            break
    return [Proposal(start=start, end=end, after="", rule=RULE, category="tidy",
                     origin=f"{RULE}: {phrase!r} said twice in a row",
                     note="an immediate repetition is a stutter or a false start; "
                          "one copy stays")
            for start, end, phrase in spans]


def _find(text: str, words: Words) -> list[tuple[int, int, str]]:
    """``(start, end, phrase)`` of the removal of every stutter in ``text``, in order."""
    spoken = words.spoken()
    keys, starts, ends = spoken.keys, spoken.starts, spoken.ends
    # A repeat of n words at i needs keys[i] == keys[i + n]: look only where that holds.
    last: dict[str, int] = {}
    candidates = []
    for position, word in enumerate(keys):
        previous = last.get(word)
        last[word] = position
        if previous is not None and position - previous <= MAX_WORDS:
            candidates.append(previous)
    candidates.sort()
    spans = []
    i = chained = 0
    for candidate in candidates:
        if candidate < i:
            continue
        i = candidate
        size = _stutter_at(text, keys, starts, ends, i, chained=i == chained)
        if not size:
            continue
        span = _removal(text, starts, ends, i, size)
        first = text[starts[i] : ends[i + size - 1]]
        second = text[starts[i + size] : ends[i + 2 * size - 1]]
        if (_capitals(second) > _capitals(first) and not _starts_sentence(text, starts[i])
                and "\n" not in text[starts[i] : starts[i + size]]):
            span = starts[i], starts[i + size]  # "It's i I think": the better-cased copy stays
        if span is not None:
            spans.append((span[0], span[1], first.replace("\n", " ")))
        i += size
        chained = i  # the second copy may start a third ("with a - with a - with a")
    return spans


def _origin(pieces: list[tuple[int, int]], offset: int) -> int:
    """Where window character ``offset`` is in the text (``pieces`` as ``_settle`` makes them)."""
    index = bisect.bisect_right(pieces, (offset, float("inf"))) - 1
    start, origin = pieces[index]
    return origin + offset - start


def _settle(text: str, words: Words, spans: list[tuple[int, int, str]],
            others: list[tuple[int, int, str]]) -> bool:
    """Look again around each removal with the removals applied; merge what else collapses.

    Updates ``spans`` in place; True when something new was found. ``others`` are removals
    by other passes: applied and looked around, but not merged into the result.
    """
    windows: list[list[int]] = []
    removals = sorted(spans + others)
    for start, end, _ in removals:
        low = bisect.bisect_right(words.ends, start)
        high = bisect.bisect_left(words.starts, end)
        # A new repeat must pair a word just before the removal with one just after it.
        before = {k for k in words.keys[max(low - MAX_WORDS, 0) : low] if k not in FILLERS}
        if not before.intersection(words.keys[high : high + CONTEXT_WORDS]):
            continue
        first = words.starts[max(low - CONTEXT_WORDS, 0)]
        last = words.ends[min(high + CONTEXT_WORDS, len(words.ends)) - 1]
        first = text.rfind("\n", 0, first) + 1  # whole lines, so line ends are seen
        last = len(text) if text.find("\n", last) < 0 else text.find("\n", last)
        if windows and windows[-1][1] >= first:
            windows[-1][1] = max(windows[-1][1], last)
        else:
            windows.append([first, last])
    found = []
    for first, last in windows:
        inside = [(a, b) for a, b, _ in removals if a < last and b > first]
        # The window with the removals applied, and where each kept piece came from:
        # (start in the window, start in the text), one pair a piece, not one a character.
        kept_text, pieces = [], []
        position, length = first, 0
        for a, b in inside:
            kept_text.append(text[position:max(a, position)])
            pieces.append((length, position))
            length += max(a, position) - position
            position = max(position, b)
        kept_text.append(text[position:last])
        pieces.append((length, position))
        window = "".join(kept_text)
        for a, b, phrase in _find(window, Words.of(window)):
            found.append((_origin(pieces, a), _origin(pieces, b - 1) + 1, phrase))
    merged = sorted(spans + found)
    out: list[tuple[int, int, str]] = []
    for start, end, phrase in merged:
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end), out[-1][2])
        else:
            out.append((start, end, phrase))
    changed = [(a, b) for a, b, _ in out] != [(a, b) for a, b, _ in spans]
    spans[:] = out
    return changed


def _stutter_at(text: str, keys: list[str], starts: list[int], ends: list[int], i: int,
                chained: bool = False) -> int:
    """The number of words repeated right after word ``i`` (0 when none collapses).

    ``chained`` says word ``i`` starts the second copy of a stutter just collapsed.
    """
    for size in range(min(MAX_WORDS, (len(keys) - i) // 2), 0, -1):
        if keys[i : i + size] != keys[i + size : i + 2 * size]:
            continue
        if size > 1 and i > 0 and not chained and keys[i - 1] == keys[i + size - 1]:
            continue  # the repetition starts a word earlier ("again and again and again")
        gap = text[ends[i + size - 1] : starts[i + size]]
        if not any(c.isspace() for c in gap) or not _SOFT_GAP.fullmatch(gap):
            continue  # "so-so" is a word; "done. Done" is two sentences
        inner = [text[ends[j] : starts[j + 1]] for j in range(i, i + 2 * size - 1)
                 if j != i + size - 1]
        if not all(_INNER_GAP.fullmatch(g) for g in inner):
            continue
        first, second = text[starts[i]], text[starts[i + size]]
        if (second.isupper() and not first.isupper()
                and gap.strip() and not _FILLER_WORD.search(gap)
                and not _starts_sentence(text, starts[i])):
            continue  # "you do, / You do get", "but... / But I've": a new sentence starts
        if _kept(text, keys[i : i + size], gap, starts[i], ends[i + 2 * size - 1]):
            continue
        return size
    return 0


def _kept(text: str, phrase: list[str], gap: str, start: int, end: int) -> bool:
    """True when a repetition is emphasis or grammar rather than a stutter."""
    if phrase[0] not in FUNCTION_WORDS or all(word in KEPT for word in phrase):
        return True
    if _grammatical(phrase) and not gap.strip():
        return True
    if len(phrase) == 1 and "," in gap and phrase[0] in CLAUSE_END:
        return True
    return _starts_sentence(text, start) and _ends_sentence(text, end)


def _grammatical(phrase: list[str]) -> bool:
    """True when the phrase is a ``GRAMMATICAL`` repeat, or that repeat said twice over
    ("over and over and")."""
    for known in GRAMMATICAL:
        size = len(known)
        if len(phrase) % size == 0 and all(tuple(phrase[k : k + size]) == known
                                           for k in range(0, len(phrase), size)):
            return True
    return False


def _capitals(words: str) -> int:
    return sum(1 for char in words if char.isupper())


def _starts_sentence(text: str, position: int) -> bool:
    """True when a sentence starts at ``position``, fillers before it not counting."""
    before = _LEADING_FILLERS.sub("", text[max(position - 60, 0) : position])
    before = before.rstrip(_OPENERS)
    if not before:
        return position <= 60 or not text[: position - 60].strip()
    return before[-1] in ".!?…"  # as the filler pass decides where sentences open


def _ends_sentence(text: str, position: int) -> bool:
    while position < len(text) and text[position] in "\"'”’)] \t":
        position += 1
    return position < len(text) and text[position] in ".!?…"


def _removal(text: str, starts: list[int], ends: list[int], i: int,
             size: int) -> tuple[int, int] | None:
    """The stream range to remove: the second copy with the gap before it.

    When the copies stand on two lines, the removal stays on one line: the second copy with
    the gap after it, or the first copy with the gap before it, or a whole line that holds
    nothing but one copy (and fillers or punctuation).
    """
    first_start, first_end = starts[i], ends[i + size - 1]
    second_start, second_end = starts[i + size], ends[i + 2 * size - 1]
    if "\n" not in text[first_end:second_start]:
        return first_end, second_end
    following = i + 2 * size
    if following < len(starts):
        after = text[second_end : starts[following]]
        if "\n" not in after and _SOFT_GAP.fullmatch(after):
            return second_start, starts[following]
    before = text[ends[i - 1] : first_start] if i > 0 else "\n"
    if "\n" not in before and _SOFT_GAP.fullmatch(before):
        return ends[i - 1], first_end
    for start, end in ((second_start, second_end), (first_start, first_end)):
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        if _SOFT_GAP.fullmatch(text[line_start:start]) and _LINE_REST.fullmatch(
                text[end:line_end]):
            return line_start, line_end  # the copy is all its line holds
    return None
