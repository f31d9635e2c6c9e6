"""Decode the speaker of every unit at once: a hidden Markov model over the cast.

Each unit has a score per speaker (the sum of the speaker and role clues about it), and
between two units the speaker changes with a probability set by the boundary clues there
(a logistic model: ``p = sigmoid(bias + sum of weights)``). When the speaker changes, any
of the others may take over unless a recent ``next`` clue (someone was asked to speak)
favours one of them. Viterbi gives the best labelling and forward-backward the
posterior probability of each unit's label; both are linear in the number of units.
Units fixed by an editor's overrides keep their speaker and the decoder fills in around them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .cues import Clue

DECODER = {
    "decoder.change": -2.4,       # log-odds of a change where no cue says anything
    "decoder.turn.host": 0.4,     # hosts take short turns ...
    "decoder.turn.guest": -0.4,   # ... guests long ones
    "decoder.host-to-host": -1.0, # a host hands over to a guest rather than a co-host
    "lexical.scale": 0.0,         # weight of each speaker's learnt word choice (0: off)
    "lexical.cap": 2.0,           # at most this much per unit
    "lexical.rounds": 2,          # decode, learn, decode again: how many times
    "style.scale": 0.0,           # weight of each speaker's learnt habits (0: off)
    "decoder.infer-host": 1,      # choose a host when the cast names none
    "decoder.opener-sure": 0.75,  # ... the first speaker, when the names make them this sure
}
NEXT_WINDOW = 3      # units after an invitation to speak during which it still applies
FORCED = 50.0        # a score no cue reaches: an override or an empty unit
NEG = -1e18


@dataclass(frozen=True, slots=True)
class Decoding:
    """The best speaker per unit (an index into the speakers) and its posterior probability."""

    path: tuple[int, ...]
    posterior: tuple[float, ...]
    change: tuple[float, ...]  # probability of a change at each unit's start, before decoding
    marginals: tuple[tuple[float, ...], ...] = ()  # posterior of every speaker at every unit


@dataclass(frozen=True, slots=True)
class Model:
    """The scores the decoder works with, built from the clues.

    ``turn_bias[s]`` is added to the change log-odds while ``s`` speaks: hosts and
    moderators take short turns, guests long ones. ``pair_bias[s][t]`` scores who takes
    over from whom: in an interview a host hands over to a guest more than to a co-host.
    """

    emit: list[list[float]]
    change_logit: list[float]
    next_bonus: list[dict[int, float]]
    turn_bias: list[float]
    pair_bias: list[list[float]]


def build_model(units: int, speakers: Sequence[str], roles: Sequence[str | None],
                clues: Sequence[Clue], fixed: Mapping[int, int] | None = None,
                empty: Sequence[bool] = (), weights: Mapping[str, float] | None = None) -> Model:
    """Turn clues into per-unit speaker scores, change log-odds and next-speaker bonuses."""
    weights = weights or DECODER
    bias = weights["decoder.change"]
    count = len(speakers)
    position = {name: number for number, name in enumerate(speakers)}
    emit = [[0.0] * count for _ in range(units)]
    change = [bias] * units
    invited: list[dict[int, float]] = [{} for _ in range(units)]
    for clue in clues:
        if not 0 <= clue.unit < units:
            continue
        if clue.kind == "speaker":
            number = position.get(clue.speaker)
            if number is not None:
                emit[clue.unit][number] += clue.weight
        elif clue.kind == "role":
            for number, role in enumerate(roles):
                if role == clue.role:
                    emit[clue.unit][number] += clue.weight
        elif clue.kind == "boundary":
            change[clue.unit] += clue.weight
        elif clue.kind == "next":
            number = position.get(clue.speaker)
            if number is not None:
                for later in range(clue.unit + 1, min(units, clue.unit + 1 + NEXT_WINDOW)):
                    invited[later][number] = max(invited[later].get(number, 0.0), clue.weight)
    for unit, is_empty in enumerate(empty):
        if is_empty and unit > 0:
            change[unit] = -FORCED
    for unit, number in (fixed or {}).items():
        if 0 <= unit < units:
            emit[unit] = [0.0 if n == number else -FORCED for n in range(count)]
    turn_bias = [weights.get(f"decoder.turn.{role}", 0.0) for role in roles]
    pair_bias = [[weights.get(f"decoder.{a}-to-{b}", 0.0) for b in roles] for a in roles]
    return Model(emit, change, invited, turn_bias, pair_bias)


def _log_sigmoid(x: float) -> float:
    return -math.log1p(math.exp(-x)) if x > -30 else x


def _transitions(model: Model, unit: int, count: int) -> list[list[float]]:
    """Log-potential of going from speaker s (row) to t (column) at ``unit``.

    A change costs its probability; which of the others takes over is scored relative to
    the most likely one, so with nothing to choose between them a change to any of them
    costs the same (no penalty for a big cast).
    """
    bonus = model.next_bonus[unit]
    rows = []
    for s in range(count):
        logit = model.change_logit[unit] + model.turn_bias[s]
        stay, switch = _log_sigmoid(-logit), _log_sigmoid(logit)
        pair = model.pair_bias[s]
        target = [bonus.get(t, 0.0) + pair[t] for t in range(count)]
        best = max((target[t] for t in range(count) if t != s), default=0.0)
        rows.append([stay if t == s else switch + target[t] - best for t in range(count)])
    return rows


def decode_speakers(model: Model) -> Decoding:
    """Viterbi path and forward-backward posteriors."""
    units = len(model.emit)
    if units == 0:
        return Decoding((), (), ())
    count = len(model.emit[0])
    if count == 1:
        return Decoding((0,) * units, (1.0,) * units, (0.0,) * units, ((1.0,),) * units)
    transitions = [None] + [_transitions(model, unit, count) for unit in range(1, units)]
    # Viterbi
    score = list(model.emit[0])
    back: list[list[int]] = []
    for unit in range(1, units):
        rows = transitions[unit]
        emit = model.emit[unit]
        new, pointers = [], []
        for t in range(count):
            best, arg = NEG, 0
            for s in range(count):
                value = score[s] + rows[s][t]
                if value > best:
                    best, arg = value, s
            new.append(best + emit[t])
            pointers.append(arg)
        score = new
        back.append(pointers)
    state = max(range(count), key=lambda s: (score[s], -s))
    path = [state]
    for pointers in reversed(back):
        state = pointers[state]
        path.append(state)
    path.reverse()
    posterior = _posteriors(model, transitions, count)
    change = tuple(1 / (1 + math.exp(-max(min(x, 30.0), -30.0))) for x in model.change_logit)
    return Decoding(tuple(path), tuple(posterior[u][path[u]] for u in range(units)), change,
                    tuple(tuple(row) for row in posterior))


def log_partition(model: Model) -> float:
    """The log of the total score of all labellings (the forward algorithm): how well a
    model explains the clues, to compare models that differ in one assumption."""
    units = len(model.emit)
    if units == 0:
        return 0.0
    count = len(model.emit[0])
    forward = list(model.emit[0])
    for unit in range(1, units):
        rows = _transitions(model, unit, count)
        emit = model.emit[unit]
        forward = [
            _logsumexp([forward[s] + rows[s][t] for s in range(count)]) + emit[t]
            for t in range(count)
        ]
    return _logsumexp(forward)


def _logsumexp(values: Sequence[float]) -> float:
    top = max(values)
    if top <= NEG:
        return NEG
    return top + math.log(sum(math.exp(v - top) for v in values))


def _posteriors(model: Model, transitions, count: int) -> list[list[float]]:
    units = len(model.emit)
    forward = [list(model.emit[0])]
    for unit in range(1, units):
        rows = transitions[unit]
        previous = forward[-1]
        emit = model.emit[unit]
        forward.append([
            _logsumexp([previous[s] + rows[s][t] for s in range(count)]) + emit[t]
            for t in range(count)
        ])
    backward = [[0.0] * count for _ in range(units)]
    for unit in range(units - 2, -1, -1):
        rows = transitions[unit + 1]
        following = backward[unit + 1]
        emit = model.emit[unit + 1]
        backward[unit] = [
            _logsumexp([rows[s][t] + emit[t] + following[t] for t in range(count)])
            for s in range(count)
        ]
    out = []
    for unit in range(units):
        joint = [forward[unit][s] + backward[unit][s] for s in range(count)]
        total = _logsumexp(joint)
        out.append([math.exp(value - total) for value in joint])
    return out
