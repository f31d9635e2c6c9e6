"""How common an English word is, to tell ordinary words from names and jargon.

The counts are pyspellchecker's English word-frequency list (MIT licence, built from
subtitle text, so spoken English; lowercase keys, common first names included). A few
spoken words it lacks or undercounts are added here by hand. Loaded once, on first use.
"""

from __future__ import annotations

from functools import cache

COMMON = 1000  # a word seen at least this often is an ordinary word (about the top 19,000)
KNOWN = 100  # seen this often, it is a real word or name (rarer entries were added by hand)
VERY_COMMON_RANK = 300  # the most frequent words: "the", "going", "to", "there", ...

# Spoken words the list lacks or undercounts, treated as ordinary.
_SPOKEN = ("hmm", "mm", "mhm", "etc", "ok", "okay", "yeah", "yep", "nope", "uh", "um", "huh",
           "gonna", "wanna", "gotta", "kinda", "sorta", "y'all", "alright")


# Words that never start or end a name: articles, pronouns, prepositions, conjunctions,
# auxiliaries and the like (hand-made, closed classes only).
FUNCTION_WORDS = frozenset("""
a an the this that these those some any no every each either neither all both
i me my mine we us our ours you your yours he him his she her hers it its they them their
theirs one ones what which who whom whose where when why how whether if then than so
and or but nor yet for of to in on at by with from into onto upon about above below over
under after before since until till through during without within between among against
around across along off out up down as like via per is am are was were be been being
have has had having do does did done will would shall should can could may might must
not n't just also too very really there here oh uh um yeah yes okay ok well
it's i'm you're we're they're that's there's what's he's she's isn't aren't wasn't
weren't don't doesn't didn't won't can't couldn't wouldn't shouldn't i've you've we've
they've i'll you'll we'll they'll i'd you'd we'd they'd let's
""".split())


@cache
def frequencies() -> dict[str, int]:
    """Word -> count, lowercase."""
    from spellchecker import SpellChecker

    counts = dict(SpellChecker(language="en", distance=1).word_frequency.dictionary)
    for word in _SPOKEN:
        counts[word] = max(counts.get(word, 0), COMMON)
    return counts


@cache
def _very_common() -> frozenset[str]:
    ranked = sorted(frequencies().items(), key=lambda item: (-item[1], item[0]))
    return frozenset(word for word, _ in ranked[:VERY_COMMON_RANK])


def _fold(word: str) -> str:
    return word.replace("’", "'").casefold()


def count(word: str) -> int:
    """How often the word occurs in the reference list (0 when unknown)."""
    return frequencies().get(_fold(word), 0)


def is_common(word: str) -> bool:
    """True for an ordinary English word (a number counts as one too)."""
    folded = _fold(word)
    if folded.isdigit():
        return True
    if frequencies().get(folded, 0) >= COMMON:
        return True
    for suffix in ("'s", "s"):  # plurals and possessives of ordinary words
        if folded.endswith(suffix) and frequencies().get(folded[: -len(suffix)], 0) >= COMMON:
            return True
    return False


def is_known(word: str) -> bool:
    """True for a word or name English speakers use (so a rule rewriting it is ambiguous)."""
    return is_common(word) or frequencies().get(_fold(word), 0) >= KNOWN


def is_function_word(word: str) -> bool:
    """True for a closed-class word ("the", "of", "we're") that never starts or ends a name."""
    return _fold(word) in FUNCTION_WORDS


def is_very_common(word: str) -> bool:
    """True for the few hundred most frequent words (function words and the like)."""
    return _fold(word) in _very_common()
