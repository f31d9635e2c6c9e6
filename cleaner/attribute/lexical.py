"""Self-training on word choice: each speaker's words, learnt from the decoder's own output.

After a first decoding, every speaker gets a unigram word model from the units given to
them (weighted by the posterior), smoothed towards the whole transcript's words. Each unit
then gets, for each speaker, how much better that speaker's model explains its words than
the transcript's model does. A unit's own words are left out of the models that score it,
so a unit cannot vote for its own label. The scores are scaled down and capped: word choice
is weak evidence, useful mostly over a whole turn.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

SMOOTHING = 300.0  # pseudo-count pulling each speaker's model towards the transcript's


def word_scores(words: Sequence[Counter], marginals: Sequence[Sequence[float]],
                scale: float, cap: float) -> list[list[float]]:
    """Per unit and speaker: scaled log-likelihood ratio of the unit's words."""
    if not marginals:
        return []
    count = len(marginals[0])
    background: Counter = Counter()
    per_speaker = [Counter() for _ in range(count)]
    totals = [0.0] * count
    for bag, weights in zip(words, marginals):
        background.update(bag)
        size = sum(bag.values())
        for s in range(count):
            if weights[s] > 1e-3:
                for word, n in bag.items():
                    per_speaker[s][word] += weights[s] * n
                totals[s] += weights[s] * size
    grand = sum(background.values()) or 1
    out = []
    for bag, weights in zip(words, marginals):
        size = sum(bag.values())
        row = []
        for s in range(count):
            own = weights[s]
            total = totals[s] - own * size + SMOOTHING
            score = 0.0
            for word, n in bag.items():
                prior = (background[word] - n + 0.5) / grand
                p = (per_speaker[s][word] - own * n + SMOOTHING * prior) / total
                score += n * math.log(max(p, 1e-12) / prior)
            row.append(score)
        mean = sum(row) / count
        out.append([max(-cap, min(cap, scale * (value - mean))) for value in row])
    return out


def style_scores(features: Sequence[Sequence[bool]], marginals: Sequence[Sequence[float]],
                 scale: float, prior: float = 20.0) -> list[list[float]]:
    """Per unit and speaker: how typical the unit's style features (asks a question, says
    "you", says "I", is short, ...) are of that speaker, as learnt from the decoder's output.

    Each speaker's rate of each feature is the posterior-weighted share of their units that
    have it, pulled towards the whole transcript's rate by ``prior`` pseudo-units.
    """
    if not marginals or not features:
        return []
    count, kinds = len(marginals[0]), len(features[0])
    total = len(features)
    overall = [(sum(f[k] for f in features) + 0.5) / (total + 1) for k in range(kinds)]
    rates = []
    for s in range(count):
        mass = sum(row[s] for row in marginals)
        rates.append([
            (sum(row[s] for row, f in zip(marginals, features) if f[k]) + prior * overall[k])
            / (mass + prior)
            for k in range(kinds)
        ])
    tables = [
        [(math.log(rates[s][k] / overall[k]), math.log((1 - rates[s][k]) / (1 - overall[k])))
         for k in range(kinds)]
        for s in range(count)
    ]
    out = []
    for f in features:
        out.append([scale * sum(table[k][0] if f[k] else table[k][1] for k in range(kinds))
                    for table in tables])
    return out
