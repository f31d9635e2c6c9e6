"""Same voice: how likely two stretches of a conversation are spoken by one person.

Why: the decoder is first order, so in a two-person conversation one missed change flips
every later turn. Scoring every pair of stretches against each other needs no decoding to
lean on (a voice's profile read from a drifted decoding is half the other voice's), so a
clustering of these scores cannot drift (``pairs.py``).

A pair's features, all computed for every pair at once with matrix products:
- for each common word (function words, fillers: the most widespread words of the training
  conversations), whether both stretches use it more (or less) than the conversation does;
  the trained weights say which words mark a person,
- the cosine of those deviations,
- how alike their roles read (the role model's host, guest and other probabilities),
- their question rates and lengths, the cast names both mention, and the number of voices.
Output: a matrix of same-voice log-odds. ``train/samevoice.py`` fits the weights on the
corpus training split and writes ``samevoice.npz`` beside this file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..learned.features import hashed

SAME_BITS = 14
SAME_VERSION = 2
SHRINK = 30.0   # pseudo-words of the conversation's rates in each stretch's
DEFAULT_PATH = Path(__file__).with_name("samevoice.npz")
DENSE = ("cosine", "role.same", "host.host", "guest.guest", "host.guest", "question.both",
         "question.diff", "length.sum", "length.diff", "length.min", "names.both",
         "voices.2", "voices.3", "voices.4", "voices.5")


@dataclass(frozen=True)
class Stretches:
    """What the pair model reads of each stretch (a run of units): how its rates of the
    common words differ from the conversation's, its role probabilities, question rate,
    length and the names it mentions."""

    style: np.ndarray            # (n, len(common)) standardised deviations of common-word rates
    roles: np.ndarray            # (n, 3) probabilities of host, guest, other
    questions: np.ndarray        # (n,) share of units that are questions
    words: np.ndarray            # (n,) words
    names: np.ndarray            # (n, people) 1 where the stretch names a cast member


@dataclass(frozen=True)
class SameWeights:
    meta: dict
    common: np.ndarray  # (c,) hashed buckets of the common words (function words, fillers)
    style: np.ndarray   # (c,) weight of each common word's agreement
    dense: np.ndarray   # (len(DENSE),)
    bias: float


def stretches(token_lists: Sequence[Sequence[Sequence[str]]], roles: np.ndarray,
              questions: Sequence[float], names: np.ndarray, common: np.ndarray) -> Stretches:
    """The table of ``n`` stretches, from each stretch's units' tokens.

    Style: each stretch's rate of every common word, shrunk towards the conversation's rate
    by ``SHRINK`` pseudo-words (a short stretch says little), less that rate, over its square
    root (so "the" does not outweigh "basically"). Topic words are left out on purpose: both
    voices share the topic of the moment, and it would cluster stretches by time.
    """
    position = {int(b): k for k, b in enumerate(common)}
    counts = np.zeros((len(token_lists), len(common)))
    words = np.zeros(len(token_lists))
    for number, units in enumerate(token_lists):
        found = hashed([t for tokens in units for t in tokens], SAME_BITS)
        words[number] = len(found)
        for bucket in found:
            k = position.get(bucket)
            if k is not None:
                counts[number, k] += 1.0
    mean = (counts.sum(axis=0) + 0.5) / (words.sum() + 0.5 * max(len(common), 1))
    rates = (counts + SHRINK * mean) / (words[:, None] + SHRINK)
    style = (rates - mean) / np.sqrt(mean)
    return Stretches(style, np.asarray(roles, dtype=float).reshape(-1, 3),
                     np.asarray(questions, dtype=float), words,
                     np.asarray(names, dtype=float).reshape(len(token_lists), -1))


def dense_features(table: Stretches, voices: int) -> list[np.ndarray]:
    """Every pair's dense features (``DENSE`` order), each an (n, n) matrix."""
    style = table.style
    norm = np.sqrt((style * style).sum(axis=1)) + 1e-9
    cosine = (style @ style.T) / np.outer(norm, norm)
    r = table.roles
    q = table.questions
    length = np.log1p(table.words)
    names = table.names @ table.names.T if table.names.size else np.zeros((len(q), len(q)))
    n = len(q)
    ones = np.ones((n, n))
    bucket = min(max(voices, 2), 5)
    return [cosine, r @ r.T, np.outer(r[:, 0], r[:, 0]), np.outer(r[:, 1], r[:, 1]),
            np.outer(r[:, 0], r[:, 1]) + np.outer(r[:, 1], r[:, 0]),
            np.outer(q, q), np.abs(q[:, None] - q[None, :]),
            length[:, None] + length[None, :], np.abs(length[:, None] - length[None, :]),
            np.minimum(length[:, None], length[None, :]), np.minimum(names, 1.0),
            *[ones * (bucket == k) for k in (2, 3, 4, 5)]]


def pair_rows(table: Stretches, voices: int, pairs: np.ndarray) -> np.ndarray:
    """Training rows of chosen pairs ``(i, j)``: each common word's agreement, then the dense
    features."""
    i, j = pairs[:, 0], pairs[:, 1]
    dense = np.stack([m[i, j] for m in dense_features(table, voices)], axis=1)
    return np.hstack([table.style[i] * table.style[j], dense])


def log_odds(table: Stretches, voices: int, weights: SameWeights) -> np.ndarray:
    """Same-voice log-odds of every pair of stretches (the diagonal is 0)."""
    n = len(table.words)
    if n == 0:
        return np.zeros((0, 0))
    out = (table.style * weights.style[None, :]) @ table.style.T + weights.bias
    for w, matrix in zip(weights.dense, dense_features(table, voices)):
        out += w * matrix
    np.fill_diagonal(out, 0.0)
    return out


def save(path: Path, meta: dict, common: np.ndarray, coef: np.ndarray, bias: float) -> None:
    size = len(common)
    np.savez_compressed(path, meta=np.array(json.dumps({**meta, "version": SAME_VERSION},
                                                       sort_keys=True)),
                        common=common.astype(np.int32), style=coef[:size].astype(np.float32),
                        dense=coef[size:].astype(np.float32), bias=np.float32(bias))


@lru_cache(maxsize=2)
def load(path: Path = DEFAULT_PATH) -> SameWeights | None:
    """The shipped weights, or None when there is no file (the voices stage then stays off)."""
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        weights = SameWeights(meta, data["common"].astype(np.int64),
                              data["style"].astype(np.float64),
                              data["dense"].astype(np.float64), float(data["bias"]))
    if meta.get("version") != SAME_VERSION or len(weights.dense) != len(DENSE) \
            or len(weights.style) != len(weights.common):
        raise RuntimeError(f"{path}: same-voice weights for another feature version; retrain "
                           "with `python -m train.samevoice`")
    return weights
