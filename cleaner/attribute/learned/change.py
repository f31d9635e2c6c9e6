"""Speaker change between consecutive units, learned from the corpus.

Why: the hand-made change model reads a few dozen shapes of text; which words end a turn
and which start one ("you know?" / "Yeah, so ...", "Thank you." / "Thank you, Jim") is too
much to list by hand. This is a logistic model over hashed words and n-grams on both sides
of the boundary plus the hand-made features (``boundary.features``), trained on ASR-like
copies of the corpus. Input: views and the hand-made features of each boundary; output:
the log-odds of a change at each unit's start.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..cues import View
from .features import CHANGE_BITS, change_features, hashed
from .weights import Weights


def change_logits(views: Sequence[View], heuristic: Mapping[int, Sequence[str]],
                  weights: Weights) -> dict[int, float]:
    """``{unit: log-odds of a change at its start}`` for every unit in ``heuristic``."""
    out = {}
    previous = None
    for view in views:
        if not view.text:
            continue
        if previous is not None and view.index in heuristic:
            found = change_features(previous.text, previous.tokens, view.text, view.tokens,
                                    heuristic[view.index], view.starts_line, view.continues)
            out[view.index] = score(found, weights)
        previous = view
    return out


def score(found: Sequence[str], weights: Weights) -> float:
    """The change log-odds of one boundary's features."""
    return float(weights.change_b + weights.change_w[hashed(found, CHANGE_BITS)].sum())


def probability(logit: float) -> float:
    return float(1.0 / (1.0 + np.exp(-logit)))
