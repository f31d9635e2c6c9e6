"""How alike two spellings sound and look: edit distance and phonetic keys.

Letters are compared with rapidfuzz's normalised Indel similarity; sounds with jellyfish's
Metaphone and NYSIIS keys of the whole phrase written as one word ("Chad GPD" and
"ChatGPT" both give ``XTKPT``). Used by ``learn`` (is a substitution a mishearing?) and
``suggest`` (is a phrase a misspelling of a known name?), and by ``correct/castnames.py``
and cast discovery (is a word of the text a misheard word of a cast member's name?).
"""

from __future__ import annotations

from functools import lru_cache

import jellyfish
import regex
from rapidfuzz import fuzz

MISHEARING = 0.5  # least similarity of a raw form to its correction
MAX_LENGTH_RATIO = 1.6  # a correction much longer or shorter than the raw form is a rewrite
NAME_WORD = 0.8  # least similarity of a misheard word of a name ("Yonas" for "Jonas")
ALONE_SOUND = 0.9  # ... and of its sound, when it stands without the rest of the name
NAME_LETTERS = 4  # a name word shorter than this is not told apart from its neighbours by sound

_NOT_ALNUM = regex.compile(r"[^\p{L}\p{N}]+")


def letters(text: str) -> str:
    """The letters and digits of ``text``, casefolded, without spaces or marks."""
    return _NOT_ALNUM.sub("", text.casefold())


@lru_cache(maxsize=65536)
def keys(text: str) -> tuple[str, str, str]:
    """``(letters, metaphone, nysiis)`` of a phrase read as one word."""
    flat = letters(text)
    alpha = "".join(ch for ch in flat if ch.isalpha() and ch.isascii())
    if not alpha:
        return flat, flat, flat
    return flat, jellyfish.metaphone(alpha), jellyfish.nysiis(alpha)


def similarity(a: str, b: str) -> float:
    """0..1: the best of spelling, Metaphone and NYSIIS similarity."""
    ka, kb = keys(a), keys(b)
    return max(fuzz.ratio(x, y) for x, y in zip(ka, kb)) / 100


def spelling(a: str, b: str) -> float:
    """0..1: how alike the letters are."""
    return fuzz.ratio(letters(a), letters(b)) / 100


def sounds_alike(a: str, b: str, threshold: float = MISHEARING) -> bool:
    """True when ``b`` could be what ASR heard as ``a`` (similar, and about as long)."""
    la, lb = len(letters(a)), len(letters(b))
    if not la or not lb or max(la, lb) / min(la, lb) > MAX_LENGTH_RATIO:
        return False
    return similarity(a, b) >= threshold



def sound(a: str, b: str) -> float:
    """0..1: how alike the Metaphone or NYSIIS keys are."""
    ka, kb = keys(a), keys(b)
    return max(fuzz.ratio(ka[1], kb[1]), fuzz.ratio(ka[2], kb[2])) / 100


def misheard_name_word(heard: str, right: str, alone: bool = False) -> bool:
    """True when ``heard``, a word of a transcript, is likely ASR's spelling of the name word
    ``right`` ("Lindquist" for "Lindqvist", "Roos" for "Roose").

    Both are capitalised, different, about as long, at least ``NAME_WORD`` alike (in
    letters or sound; short words' sound keys agree too easily, so the letters must be
    ``MISHEARING`` alike as well), and ``heard`` is no ordinary English word ("Rose" is
    never Roose). A
    word that stands ``alone``, outside the full name, must be no word or name English
    speakers use at all ("Jones" is a name of its own), at least ``NAME_LETTERS`` long,
    spelled ``NAME_WORD`` alike and sound ``ALONE_SOUND`` alike ("Beker" for "Becker"; not
    "Osama" for "Obama").
    """
    from . import english

    if heard == right or not heard[:1].isupper() or not right[:1].isupper():
        return False
    if (not sounds_alike(heard, right, NAME_WORD) or spelling(heard, right) < MISHEARING
            or english.is_common(heard)):
        return False
    if not alone:
        return True
    return (min(len(letters(heard)), len(letters(right))) >= NAME_LETTERS
            and spelling(heard, right) >= NAME_WORD and sound(heard, right) >= ALONE_SOUND
            and not english.is_known(heard))
