"""How alike two spellings sound and look: edit distance and phonetic keys.

Letters are compared with rapidfuzz's normalised Indel similarity; sounds with jellyfish's
Metaphone and NYSIIS keys of the whole phrase written as one word ("Chad GPD" and
"ChatGPT" both give ``XTKPT``). Used by ``learn`` (is a substitution a mishearing?) and
``suggest`` (is a phrase a misspelling of a known name?).
"""

from __future__ import annotations

from functools import lru_cache

import jellyfish
import regex
from rapidfuzz import fuzz

MISHEARING = 0.5  # least similarity of a raw form to its correction
MAX_LENGTH_RATIO = 1.6  # a correction much longer or shorter than the raw form is a rewrite

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
