"""Stutters and false starts: one to four words said twice in a row ("the the", "how how",
"that's that's", "you just, you just"), across a line break too.

What is a stutter and what is emphasis follows one observation: speakers restart on small
words (articles, pronouns, auxiliaries, prepositions, question words) and repeat content
words on purpose ("many, many", "horrible, horrible"). So a repetition collapses only when
it starts with a function word, and never when:

- its words are all on the ``KEPT`` list: answers and intensifiers ("no, no, no", "very,
  very", "yeah, yeah") and words whose doubling is grammatical ("had had", "that that",
  "is is");
- a single word is repeated across a comma and is one that can end a clause ("careful
  about it, it can be");
- the copies are whole utterances: the first starts a sentence and the second ends one
  ("I know, I know.").

The first copy stays and the second goes with the gap before it, so "Um, how how" becomes
"How" together with the filler pass. Fillers between the copies are part of the gap
("the, um, the" is one stutter).
"""

from __future__ import annotations

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
no yes yeah yep yup nope okay ok right well oh bye hey very really that had is
""".split())

# Words that may end a clause, so "it, it" across a comma is two clauses, not a stutter.
CLAUSE_END = frozenset("""
it that this them you me him her us there here too so then now though yet either anyway
again one all both out up on in off over about around through before after
""".split())

_FILLER = "|".join(sorted(FILLERS, key=len, reverse=True))
_SOFT_GAP = regex.compile(rf"(?:[\s,\-–—…]|\.\.\.|(?i:\b(?:{_FILLER})\b))*")
_INNER_GAP = regex.compile(r"[\s,'’\-–—]*")
_OPENERS = "\"'“‘([ \t\n"


def propose_stutters(text: str, words: Words) -> list[Proposal]:
    """A proposal removing the second copy of every stutter in the stream ``text``."""
    index = [i for i, k in enumerate(words.keys) if k not in FILLERS]
    keys = [words.keys[i] for i in index]
    starts = [words.starts[i] for i in index]
    ends = [words.ends[i] for i in index]
    proposals = []
    i = 0
    while i < len(keys):
        size = _stutter_at(text, keys, starts, ends, i)
        if not size:
            i += 1
            continue
        span = _removal(text, starts, ends, i, size)
        if span is not None:
            phrase = text[starts[i] : ends[i + size - 1]].replace("\n", " ")
            proposals.append(Proposal(
                start=span[0], end=span[1], after="", rule=RULE, category="tidy",
                origin=f"{RULE}: {phrase!r} said twice in a row",
                note="an immediate repetition is a stutter or a false start; the first copy stays",
            ))
        i += size
    return proposals


def _stutter_at(text: str, keys: list[str], starts: list[int], ends: list[int], i: int) -> int:
    """The number of words repeated right after word ``i`` (0 when none collapses)."""
    for size in range(min(MAX_WORDS, (len(keys) - i) // 2), 0, -1):
        if keys[i : i + size] != keys[i + size : i + 2 * size]:
            continue
        gap = text[ends[i + size - 1] : starts[i + size]]
        if not any(c.isspace() for c in gap) or not _SOFT_GAP.fullmatch(gap):
            continue  # "so-so" is a word; "done. Done" is two sentences
        inner = [text[ends[j] : starts[j + 1]] for j in range(i, i + 2 * size - 1)
                 if j != i + size - 1]
        if not all(_INNER_GAP.fullmatch(g) for g in inner):
            continue
        if _kept(text, keys[i : i + size], gap, starts[i], ends[i + 2 * size - 1]):
            continue
        return size
    return 0


def _kept(text: str, phrase: list[str], gap: str, start: int, end: int) -> bool:
    """True when a repetition is emphasis or grammar rather than a stutter."""
    if phrase[0] not in FUNCTION_WORDS or all(word in KEPT for word in phrase):
        return True
    if len(phrase) == 1 and "," in gap and phrase[0] in CLAUSE_END:
        return True
    return _starts_sentence(text, start) and _ends_sentence(text, end)


def _starts_sentence(text: str, position: int) -> bool:
    while position > 0 and text[position - 1] in _OPENERS:
        position -= 1
    return position == 0 or text[position - 1] in ".!?…"


def _ends_sentence(text: str, position: int) -> bool:
    while position < len(text) and text[position] in "\"'”’)] \t":
        position += 1
    return position < len(text) and text[position] in ".!?…"


def _removal(text: str, starts: list[int], ends: list[int], i: int,
             size: int) -> tuple[int, int] | None:
    """The stream range to remove: the second copy with the gap before it.

    When the copies stand on two lines, the removal stays on one line: the second copy with
    the gap after it, or else the first copy with the gap before it.
    """
    first_end = ends[i + size - 1]
    second_start, second_end = starts[i + size], ends[i + 2 * size - 1]
    if "\n" not in text[first_end:second_start]:
        return first_end, second_end
    following = i + 2 * size
    if following < len(starts):
        after = text[second_end : starts[following]]
        if "\n" not in after and _SOFT_GAP.fullmatch(after) and after.strip(" ,") == "":
            return second_start, starts[following]
    before = text[ends[i - 1] : starts[i]] if i > 0 else "\n"
    if "\n" not in before and before.strip(" ,") == "":
        return ends[i - 1], first_end
    return None
