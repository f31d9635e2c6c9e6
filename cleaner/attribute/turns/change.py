"""Speaker change between consecutive units, learned from the corpus.

Why: the hand-made change model reads a few dozen shapes of text; which words end a turn
and which start one ("you know?" / "Yeah, so ...", "Thank you." / "Thank you, Jim") is too
much to list by hand. This is a logistic model over hashed words and n-grams on both sides
of the boundary plus the hand-made features (``boundary.features``), trained on ASR-like
copies of the corpus. Input: views and the hand-made features of each boundary; output:
the log-odds of a change at each unit's start, and ``find_changes`` turns them into the
boundary clues the voices stage decodes with.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..setting import Setting

from ..cues import Clue, Scene, View
from ..learned import weights as learned_weights
from ..learned.features import CHANGE_BITS, change_features, hashed
from ..learned.weights import GOING_ON, Weights
from .boundary import CHANGE, boundaries, boundary_clues
from .units import mid_sentence


def change_logits(views: Sequence[View], heuristic: Mapping[int, Sequence[str]],
                  weights: Weights) -> dict[int, float]:
    """``{unit: log-odds of a change at its start}`` for every unit in ``heuristic``."""
    units, rows = [], []
    previous = None
    for view in views:
        if not view.text:
            continue
        if previous is not None and view.index in heuristic:
            units.append(view.index)
            rows.append(hashed(change_features(previous.text, previous.tokens, view.text,
                                               view.tokens, heuristic[view.index],
                                               view.starts_line, view.continues), CHANGE_BITS))
        previous = view
    return dict(zip(units, _scores(rows, weights)))


def score(found: Sequence[str], weights: Weights) -> float:
    """The change log-odds of one boundary's features."""
    return float(weights.change_b + weights.change_w[hashed(found, CHANGE_BITS)].sum())


def _scores(rows: Sequence[Sequence[int]], weights: Weights) -> list[float]:
    """``score`` of many boundaries' buckets, the same numbers as one by one: boundaries with
    as many features are summed as the rows of one table (a row adds up in the order a
    single boundary does), so numpy is called once per length, not once per boundary."""
    out = [0.0] * len(rows)
    by_length: dict[int, list[int]] = defaultdict(list)
    for number, row in enumerate(rows):
        by_length[len(row)].append(number)
    for numbers in by_length.values():
        table = weights.change_w[np.array([rows[n] for n in numbers])]
        for number, value in zip(numbers, (weights.change_b + table.sum(axis=1)).tolist()):
            out[number] = value
    return out


def probabilities(logits: Sequence[float]) -> list[float]:
    return (1.0 / (1.0 + np.exp(-np.asarray(logits, dtype=float)))).tolist()


def find_changes(setting: "Setting", fixed: Mapping[int, int] = {}) -> list[Clue]:
    """The turns stage: a boundary clue at every unit (the log-odds of a change of speaker
    at its start), and a veto where a line break cuts a sentence, except beside units an
    editor's override fixes (an override may cut a sentence between speakers)."""
    views, scene, weights = setting.views, setting.scene, setting.weights
    clues = change_evidence(views, scene, weights)
    clues += [c for c in mid_sentence(setting.sentences, setting.transcript)
              if c.unit not in fixed and c.unit - 1 not in fixed]
    return clues


def change_evidence(views: Sequence[View], scene: Scene, weights: Mapping[str, float]) -> list[Clue]:
    """Where the speaker changes: the learned model (words on both sides and the hand-made
    features) when its weights are shipped and not turned off, else the hand-made model."""
    learned = learned_weights.load()
    if learned is None or not weights["learned.change"]:
        return list(boundary_clues(views, scene))
    heuristic = dict(boundaries(views, scene.index.lowercase, scene.lowercase_sentences))
    out = change_clues(views, heuristic, learned, weights, weights.get("change.bias", CHANGE["bias"]))
    if weights["learned.hand-made"]:  # a share of the hand-made table's log-odds on top
        share = weights["learned.hand-made"]
        out += [Clue(c.unit, c.cue, c.kind, c.weight * share, c.reason)
                for c in boundary_clues(views, scene)]
    return out


def change_clues(views: Sequence[View], heuristic: Mapping[int, Sequence[str]],
                 weights: Weights, mix: Mapping[str, float], prior: float) -> list[Clue]:
    """One boundary clue per unit: the learned change log-odds less the decoder's ``prior``
    (so that the two add up to the model's)."""
    out = []
    scale, shift = mix["learned.change"], mix["learned.change-shift"]
    logits = change_logits(views, heuristic, weights)
    values = [scale * logit + shift for logit in logits.values()]
    for unit, value, p in zip(logits, values, probabilities(values)):
        reason = (f"the words either side point to a new speaker (learned, {p:.0%})" if p >= 0.5
                  else f"{GOING_ON} (learned, {1 - p:.0%})")
        out.append(Clue(unit, "change.learned", "boundary", value - prior, reason))
    return out
