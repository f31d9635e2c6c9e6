"""Same-speaker affinity: how well a unit fits each speaker's other words.

Why: names and roles tell a host from a guest, but nothing told two guests (or two hosts)
apart. People differ in their function words, fillers and pet phrases ("basically", "you
know", "I mean", "sort of") and in what they talk about. For each speaker this keeps the
rate of every word in the words the decoding gives them outside the unit's own turn, and
scores a unit by the log-ratio of its words' rates for that speaker to their rates in the
whole conversation (a per-speaker language model against the conversation's). A logistic
model trained on the corpus weighs each word's ratio (hashed buckets: which words tell
speakers apart) and their total. It is the text analogue of comparing speaker embeddings.

Input: each unit's tokens, its turn and its speaker in a first decoding; output: a score
per unit and speaker (log-odds up to a per-unit constant) the decoder adds as evidence
(``affinity_clues``, centred over the cast).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..cues import Clue, View
from ..learned.features import AFFINITY_BITS, affinity_words, hashed
from ..learned.weights import Weights

ALPHA = 20.0  # pseudo-words of the conversation's rates mixed into each speaker's


def tokens_of(token_lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """``(unit of each token, bucket of each token)`` over all units."""
    units, buckets = [], []
    for unit, tokens in enumerate(token_lists):
        found = hashed(affinity_words(tokens), AFFINITY_BITS)
        units.extend([unit] * len(found))
        buckets.extend(found)
    return np.array(units, dtype=np.int64), np.array(buckets, dtype=np.int64)


def token_ratios(unit_of: np.ndarray, bucket: np.ndarray, turn_of_unit: np.ndarray,
                 speaker_of_unit: np.ndarray, speakers: int) -> np.ndarray:
    """For every speaker and token: log(rate of the token's word among the speaker's words
    outside the token's own turn / its rate in the whole conversation). Shape (speakers,
    tokens); units whose speaker is unknown (-1) count for no one."""
    size = 1 << AFFINITY_BITS
    tokens = len(bucket)
    if tokens == 0:
        return np.zeros((speakers, 0))
    owner = speaker_of_unit[unit_of]
    turn = turn_of_unit[unit_of]
    counts = np.zeros((speakers, size))
    known = owner >= 0
    np.add.at(counts, (owner[known], bucket[known]), 1.0)
    totals = counts.sum(axis=1)
    overall = np.bincount(bucket, minlength=size).astype(float)
    rate = (overall[bucket] + 0.5) / (tokens + 0.5 * size)
    mine = counts[:, bucket]                    # (speakers, tokens)
    whole = np.repeat(totals[:, None], tokens, axis=1)
    key = turn * size + bucket
    _, inverse, repeats = np.unique(key, return_inverse=True, return_counts=True)
    own = repeats[inverse].astype(float)        # the word's count in its own turn
    turn_words = np.bincount(turn)[turn].astype(float)
    columns = np.arange(tokens)[known]
    mine[owner[known], columns] -= own[known]
    whole[owner[known], columns] -= turn_words[known]
    return np.log((mine + ALPHA * rate) / (whole + ALPHA)) - np.log(rate)


def scores(token_lists: Sequence[Sequence[str]], turn_of_unit: Sequence[int],
           speaker_of_unit: Sequence[int], speakers: int, weights: Weights) -> np.ndarray:
    """Affinity log-odds of every unit (rows) for every speaker (columns)."""
    unit_of, bucket = tokens_of(token_lists)
    out = np.full((len(token_lists), speakers), weights.affinity_b)
    if len(bucket) == 0:
        return out
    ratios = token_ratios(unit_of, bucket, np.asarray(turn_of_unit), np.asarray(speaker_of_unit),
                          speakers)
    per_token = weights.affinity_w[bucket] + weights.affinity_w[-1]
    for s in range(speakers):
        out[:, s] += np.bincount(unit_of, weights=ratios[s] * per_token, minlength=len(token_lists))
    return out


def turns_of(path: Sequence[int]) -> np.ndarray:
    """The turn number of each unit: runs of one speaker."""
    path = np.asarray(path)
    if len(path) == 0:
        return path
    return np.concatenate([[0], np.cumsum(path[1:] != path[:-1])])


def affinity_clues(views: Sequence[View], path: Sequence[int], speakers: Sequence[str],
                   weights: Weights, scale: float) -> list[Clue]:
    """Speaker clues of each non-empty unit's affinity to each speaker's other words, as
    decoded in ``path``; centred over the speakers."""
    if len(speakers) < 2 or not path:
        return []
    tokens = [view.tokens if view.text else () for view in views]
    found = scores(tokens, turns_of(path), path, len(speakers), weights)
    out = []
    centred = (scale * (found - found.mean(axis=1, keepdims=True))).tolist()
    reasons = [f"words like {name}'s elsewhere" for name in speakers]
    for view in views:
        if not view.tokens:
            continue
        for number, value in enumerate(centred[view.index]):
            if value:
                out.append(Clue(view.index, "affinity", "speaker", value, reasons[number],
                                speaker=speakers[number]))
    return out
