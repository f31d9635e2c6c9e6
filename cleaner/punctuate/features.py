"""Features of the punctuation model: hashed word n-grams around each word, numpy only.

Each word position ``i`` is described by the words ``i-3 .. i+3`` (one feature each), the
bigrams and trigrams around it, and a bias; the same row serves both questions the model
answers there: which mark follows word ``i``, and whether word ``i`` takes a capital. Words
are seen without case or punctuation (``normal``), so text that has them and text that lacks
them give the same features.

The hash is stable across runs, machines and Python versions (CRC-32 of the UTF-8 word,
mixed with 64-bit integer arithmetic), never Python's ``hash()``: the stored weights are
indexed by it. ``FEATURE_VERSION`` names this recipe; a weight file made with another one
is refused.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

from .words import normal  # noqa: F401 (part of the features' recipe; train/ imports it here)

FEATURE_VERSION = 3
BITS = 19  # 2**19 hashed feature slots
# (offsets of the words combined); the bias is template 0
TEMPLATES: tuple[tuple[int, ...], ...] = (
    (),
    (-3,), (-2,), (-1,), (0,), (1,), (2,), (3,),
    (-2, -1), (-1, 0), (0, 1), (1, 2),
    (-2, -1, 0), (-1, 0, 1), (0, 1, 2),
)
# Templates crossed with the break after the word (an input segment ends there: 1, it does
# not: 0, unknown: 2), as (offsets of the words combined).
BREAK_TEMPLATES: tuple[tuple[int, ...], ...] = ((), (0,), (1,), (0, 1))
NO_BREAK, BREAK, UNKNOWN = 0, 1, 2
# Words further left, as a bag (where they are does not matter): "what" or "do you" some
# words back makes a question mark likelier.
BAG_LEFT: tuple[int, ...] = (-4, -5, -6, -7, -8)
_MULT = np.uint64(0x9E3779B97F4A7C15)
_MIX = np.uint64(0xBF58476D1CE4E5B9)
_PAD_BEFORE = np.uint64(0x51ED270B)
_PAD_AFTER = np.uint64(0x2545F491)


def word_hashes(words: Sequence[str]) -> np.ndarray:
    """A stable 32-bit hash of each (normalised) word, as uint64."""
    cache: dict[str, int] = {}
    out = np.empty(len(words), dtype=np.uint64)
    for position, word in enumerate(words):
        value = cache.get(word)
        if value is None:
            value = cache[word] = zlib.crc32(word.encode("utf-8"))
        out[position] = value
    return out


def rows(hashes: np.ndarray, breaks: np.ndarray | None = None, bits: int | None = None,
         templates: tuple[tuple[int, ...], ...] | None = None) -> np.ndarray:
    """The feature slots of every position: an ``(n, width)`` int32 array.

    ``breaks`` says after which words an input segment ends (``BREAK``/``NO_BREAK`` per
    word, or ``UNKNOWN`` where line breaks say nothing, as in roll-up captions).
    """
    bits = bits or BITS
    templates = templates or TEMPLATES
    window = max([abs(offset) for template in templates for offset in template]
                 + [abs(offset) for offset in BAG_LEFT])
    n = len(hashes)
    padded = np.concatenate([np.full(window, _PAD_BEFORE, dtype=np.uint64), hashes,
                             np.full(window, _PAD_AFTER, dtype=np.uint64)])
    out = np.empty((n, len(templates)), dtype=np.int64)
    mask = np.uint64((1 << bits) - 1)
    with np.errstate(over="ignore"):
        for column, offsets in enumerate(templates):
            value = np.full(n, np.uint64(column + 1) * _MULT, dtype=np.uint64)
            out[:, column] = _mix_in(value, padded, window, offsets) & mask
    if breaks is None:
        breaks = np.full(n, UNKNOWN, dtype=np.int8)
    crossed = np.empty((n, len(BREAK_TEMPLATES)), dtype=np.int64)
    flag = breaks.astype(np.uint64) + np.uint64(101)
    with np.errstate(over="ignore"):
        for column, offsets in enumerate(BREAK_TEMPLATES):
            value = (np.uint64(column + 64) * _MULT) ^ (flag * _MIX)
            crossed[:, column] = _mix_in(value * _MULT, padded, window, offsets) & mask
    bag = np.empty((n, len(BAG_LEFT)), dtype=np.int64)
    with np.errstate(over="ignore"):
        for column, offset in enumerate(BAG_LEFT):
            part = padded[window + offset: window + offset + n]
            value = (np.uint64(977) * _MULT) ^ part
            value = value * _MIX
            value ^= value >> np.uint64(31)
            value = (value ^ (value >> np.uint64(29))) * _MULT
            bag[:, column] = (value >> np.uint64(32)) & mask
    return np.concatenate([out, crossed, bag], axis=1).astype(np.int32)


def _mix_in(value: np.ndarray, padded: np.ndarray, window: int,
            offsets: tuple[int, ...]) -> np.ndarray:
    """Hash the words at ``offsets`` from each position into ``value``: the top 32 bits."""
    n = len(value)
    for offset in offsets:
        part = padded[window + offset: window + offset + n]
        value = (value ^ (part + np.uint64(offset + 8))) * _MIX
        value ^= value >> np.uint64(31)
    value = (value ^ (value >> np.uint64(29))) * _MULT
    return value >> np.uint64(32)


def featurise(tokens: Sequence[str], breaks: np.ndarray | None = None) -> np.ndarray:
    """Feature slots of raw tokens (normalised here)."""
    return rows(word_hashes([normal(token) for token in tokens]), breaks)


# Pause buckets (seconds of silence after a word): where the input has timings, each bucket
# adds a fixed log-odds to the marks (see ``model.PAUSE_PRIOR``).
PAUSE_EDGES = (0.25, 0.6, 1.2, 2.5)


def pause_buckets(pauses: Sequence[float | None]) -> np.ndarray:
    """Bucket of each pause: -1 unknown, else 0 .. len(PAUSE_EDGES)."""
    out = np.full(len(pauses), -1, dtype=np.int8)
    for position, pause in enumerate(pauses):
        if pause is not None:
            out[position] = sum(pause >= edge for edge in PAUSE_EDGES)
    return out
