"""Features of the learned models: strings, hashed into fixed tables with a stable hash.

Why strings and hashing: the models see words and n-grams ("yeah", "you know", "so what")
that no hand-made list covers, and a hashed table keeps the weight file small and fixed in
size. The hash is CRC-32 (``zlib``), stable across runs and machines, unlike ``hash()``.
Training and inference both call these functions, so a feature means the same on both
sides; ``FEATURE_VERSION`` changes whenever what they produce changes, and a weight file
of another version is refused (``weights.py``).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence

import regex

FEATURE_VERSION = 3
CHANGE_BITS = 18     # 262,144 buckets
ROLE_BITS = 18
AFFINITY_BITS = 14   # 16,384 buckets: words, whose weight says how much they tell speakers apart
ROLES = ("host", "guest", "other")

_END = regex.compile(r"([.!?…\-—–,:;]+)[\"'”’)\]]*\s*$")
_YOU = {"you", "your", "you're", "you've", "you'd", "you'll", "yourself", "y'all"}
_I = {"i", "i'm", "i've", "i'd", "i'll", "my", "me", "myself", "mine"}
_WE = {"we", "we're", "we've", "we'd", "we'll", "our", "us", "ours"}
_QUESTION_WORDS = {"what", "why", "how", "when", "where", "who", "which", "do", "does", "did",
                   "is", "are", "can", "could", "would", "will", "should", "have", "has"}


def stable_hash(feature: str, bits: int) -> int:
    """The bucket of a feature string: CRC-32 of its UTF-8 bytes, folded to ``bits`` bits."""
    return zlib.crc32(feature.encode("utf-8")) & ((1 << bits) - 1)


_CACHE: dict[int, dict[str, int]] = {}  # bucket of each feature string seen lately, by bits
_CACHE_SIZE = 200_000


def hashed(features: Iterable[str], bits: int) -> list[int]:
    """Buckets of features (a feature seen twice counts twice). Words and most n-grams
    recur, so each string's bucket is remembered: a look-up costs less than the hash."""
    cache = _CACHE.setdefault(bits, {})
    features = features if isinstance(features, list) else list(features)
    found = list(map(cache.get, features))
    if None not in found:
        return found
    if len(cache) >= _CACHE_SIZE:
        cache.clear()
    mask = (1 << bits) - 1
    missing = list({feature for feature in features if feature not in cache})
    cache.update(zip(missing, [crc & mask for crc in map(zlib.crc32, map(str.encode, missing))]))
    return list(map(cache.__getitem__, features))


def _size(words: int) -> str:
    for limit in (1, 2, 3, 5, 8, 12, 17):
        if words <= limit:
            return str(limit)
    return "long"


def _end(text: str) -> str:
    """How a text ends: its last mark (".", "?", "-", "...") or "none" (caption style)."""
    found = _END.search(text)
    if not found:
        return "none"
    mark = found.group(1)
    return "..." if mark.endswith(("...", "…")) else mark[-1]


def change_features(previous_text: str, previous_tokens: Sequence[str], text: str,
                    tokens: Sequence[str], heuristic: Sequence[str] = (),
                    starts_line: bool = True, continues: bool = False) -> list[str]:
    """Features of the boundary between two consecutive units: the words at the end of the
    one before and the start of the next (and n-grams across), end marks, question, answer
    and back-channel patterns, lengths, and the hand-made change features (``heuristic``)."""
    out = [f"h:{name}" for name in heuristic]
    out.append("bias")
    p, n = list(previous_tokens), list(tokens)
    pe, ne = _end(previous_text), _end(text)
    out += [f"pe:{pe}", f"ne:{ne}", f"pe.ne:{pe}|{ne}"]
    out += [f"pn:{_size(len(p))}", f"nn:{_size(len(n))}", f"pn.nn:{_size(len(p))}|{_size(len(n))}"]
    if not starts_line:
        out.append("mid")
    if continues:
        out.append("cont")
    if text[:1].islower():
        out.append("lower")
    if p:
        out += [f"p1:{p[-1]}", f"p2:{' '.join(p[-2:])}", f"p3:{' '.join(p[-3:])}"]
        out += [f"pw:{w}" for w in dict.fromkeys(p[-8:])]  # in order: sums repeat run to run
        out += [f"pf:{p[0]}", f"pf2:{' '.join(p[:2])}"]
    if n:
        out += [f"n1:{n[0]}", f"n2:{' '.join(n[:2])}", f"n3:{' '.join(n[:3])}"]
        out += [f"nw:{w}" for w in dict.fromkeys(n[:8])]
        out += [f"nl:{n[-1]}"]
        if len(n) <= 4:
            out.append(f"nall:{' '.join(n)}")
    if len(p) <= 4 and p:
        out.append(f"pall:{' '.join(p)}")
    if p and n:
        out += [f"x:{p[-1]}|{n[0]}", f"x2:{' '.join(p[-2:])}|{n[0]}", f"xe:{pe}|{n[0]}"]
        if n[0] in _QUESTION_WORDS:
            out.append(f"nq.pe:{pe}")
    ps, ns = set(p), set(n)
    out.append(f"pro:{int(bool(ps & _YOU))}{int(bool(ps & _I))}{int(bool(ps & _WE))}"
               f"|{int(bool(ns & _YOU))}{int(bool(ns & _I))}{int(bool(ns & _WE))}")
    shared = len(set(p[-6:]) & set(n[:6]))
    if shared:
        out.append(f"echo:{min(shared, 3)}")
    return out


def role_features(text: str, tokens: Sequence[str], starts_line: bool = True,
                  continues: bool = False) -> list[str]:
    """Features of a unit's role: its words and word pairs, how it opens and ends, its length."""
    t = list(tokens)
    out = ["bias", f"e:{_end(text)}", f"n:{_size(len(t))}"]
    out += [f"w:{w}" for w in t]
    out += [f"b:{a} {b}" for a, b in zip(t, t[1:])]
    if t:
        out += [f"f:{t[0]}", f"f2:{' '.join(t[:2])}", f"l:{t[-1]}"]
    if continues:
        out.append("cont")
    ts = set(t)
    out.append(f"pro:{int(bool(ts & _YOU))}{int(bool(ts & _I))}{int(bool(ts & _WE))}|{_end(text)}")
    return out


def affinity_words(tokens: Sequence[str]) -> list[str]:
    """What a unit says about who says it: every word (function words, fillers, pronouns,
    topic words and names alike; the trained weights decide which of them count)."""
    return list(tokens)
