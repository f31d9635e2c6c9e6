"""The role of a unit or a turn (host, guest, other), learned from the corpus.

Why: hosts ask, welcome, hand over and keep it short; guests explain, tell stories, say
"I" and "we at ...". The hand-made role cues catch questions and "you"; a model over a
unit's words and word pairs catches far more of it. Input: a unit's text and tokens;
output: the log-probability of each role in ``ROLES``, and ``role_clues`` for the decoder
(each role's log-probability, centred).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..cues import Clue, View
from ..learned.features import ROLE_BITS, ROLES, role_features, hashed
from ..learned.weights import Weights


def role_logprobs(text: str, tokens: Sequence[str], weights: Weights, starts_line: bool = True,
                  continues: bool = False) -> np.ndarray:
    """Log-probabilities of ``ROLES`` for one unit (or a turn's text and tokens)."""
    buckets = hashed(role_features(text, tokens, starts_line, continues), ROLE_BITS)
    z = weights.role_b + weights.role_w[buckets].sum(axis=0)
    z = z - z.max()
    return z - np.log(np.exp(z).sum())


def unit_roles(views: Sequence[View], weights: Weights) -> tuple[list[int], np.ndarray]:
    """The units with text and the log-probabilities of ``ROLES`` of each (a row per unit;
    all units scored in one pass over the table: the same numbers as ``role_logprobs``
    unit by unit)."""
    chosen = [view for view in views if view.text]
    if not chosen:
        return [], np.zeros((0, len(weights.role_b)), dtype=np.float32)
    buckets, starts = [], []
    for view in chosen:
        starts.append(len(buckets))
        buckets.extend(hashed(role_features(view.text, view.tokens, view.starts_line,
                                            view.continues), ROLE_BITS))
    z = np.add.reduceat(weights.role_w[buckets], starts, axis=0) + weights.role_b
    z = z - z.max(axis=1, keepdims=True)
    z = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return [view.index for view in chosen], z


def turn_role(views: Sequence[View], weights: Weights) -> np.ndarray:
    """Log-probabilities of ``ROLES`` for a whole turn: the mean of its units' (each unit is
    one piece of evidence; a turn of many units is not many times surer of its role)."""
    rows = [role_logprobs(v.text, v.tokens, weights, v.starts_line, v.continues)
            for v in views if v.text]
    if not rows:
        return np.log(np.full(len(weights.role_b), 1.0 / len(weights.role_b)))
    z = np.mean(rows, axis=0)
    return z - np.log(np.exp(z - z.max()).sum()) - z.max()


def role_clues(views: Sequence[View], weights: Weights, scale: float) -> list[Clue]:
    """For every unit and role, a role clue of the centred role log-probability."""
    out = []
    units, logp = unit_roles(views, weights)
    centred = (scale * (logp - logp.mean(axis=1, keepdims=True))).tolist()
    chances = np.exp(logp).tolist()
    for unit, unit_centred, unit_chances in zip(units, centred, chances):
        for name, value, chance in zip(ROLES, unit_centred, unit_chances):
            out.append(Clue(unit, "role.learned", "role", value,
                            f"reads like a {name} (learned, {chance:.0%})", role=name))
    return out
