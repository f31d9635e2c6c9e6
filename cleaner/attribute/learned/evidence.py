"""The learned models' scores as clues for the decoder, scaled by mixing weights.

Why a separate step: the decoder takes evidence as clues (log-odds) and knows nothing of
models. Each learned score becomes one kind of clue: a ``boundary`` clue (the change
log-odds, less the decoder's own prior so that the two add up to the model's), ``role``
clues (each role's log-probability, centred), and ``speaker`` clues of affinity (centred
over the cast). The mixing weights in ``LEARNED`` were chosen on a held-out corpus source
(``train/tune.py``), never on the dev conversations; 0 turns a model off.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..cues import Clue, View
from . import affinity, change, role
from .features import ROLES
from .weights import Weights

GOING_ON = "the words either side read as one speaker going on"  # evidence against a change

LEARNED: dict[str, float] = {
    "learned.change": 1.0,        # scale of the learned change log-odds (0: the hand-made model)
    "learned.change-shift": 0.0,  # added to them (how readily the decoder changes speaker)
    "learned.hand-made": 0.0,     # share of the hand-made change table added to it
    "learned.role": 1.0,          # scale of the role log-probabilities
    "learned.affinity": 0.5,      # scale of the affinity log-odds
}


def change_clues(views: Sequence[View], heuristic: Mapping[int, Sequence[str]],
                 weights: Weights, mix: Mapping[str, float], prior: float) -> list[Clue]:
    """One boundary clue per unit: the learned change log-odds less the decoder's ``prior``."""
    out = []
    scale, shift = mix["learned.change"], mix["learned.change-shift"]
    for unit, logit in change.change_logits(views, heuristic, weights).items():
        value = scale * logit + shift
        p = change.probability(value)
        reason = (f"the words either side point to a new speaker (learned, {p:.0%})" if p >= 0.5
                  else f"{GOING_ON} (learned, {1 - p:.0%})")
        out.append(Clue(unit, "change.learned", "boundary", value - prior, reason))
    return out


def role_clues(views: Sequence[View], weights: Weights, scale: float) -> list[Clue]:
    """For every unit and role, a role clue of the centred role log-probability."""
    out = []
    for unit, logp in role.unit_roles(views, weights).items():
        centred = (scale * (logp - logp.mean())).tolist()
        chances = np.exp(logp).tolist()
        for name, value, chance in zip(ROLES, centred, chances):
            out.append(Clue(unit, "role.learned", "role", value,
                            f"reads like a {name} (learned, {chance:.0%})", role=name))
    return out


def affinity_clues(views: Sequence[View], path: Sequence[int], speakers: Sequence[str],
                   weights: Weights, scale: float) -> list[Clue]:
    """Speaker clues of each non-empty unit's affinity to each speaker's other words, as
    decoded in ``path``; centred over the speakers."""
    if len(speakers) < 2 or not path:
        return []
    tokens = [view.tokens if view.text else () for view in views]
    scores = affinity.scores(tokens, affinity.turns_of(path), path, len(speakers), weights)
    out = []
    centred = (scale * (scores - scores.mean(axis=1, keepdims=True))).tolist()
    reasons = [f"words like {name}'s elsewhere" for name in speakers]
    for view in views:
        if not view.tokens:
            continue
        for number, value in enumerate(centred[view.index]):
            if value:
                out.append(Clue(view.index, "affinity", "speaker", value, reasons[number],
                                speaker=speakers[number]))
    return out
