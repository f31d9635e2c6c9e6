"""Decode the speaker of every unit at once: a hidden Markov model over the cast.

Each unit has a score per speaker (the sum of the speaker and role clues about it), and
between two units the speaker changes with a probability set by the boundary clues there
(a logistic model: ``p = sigmoid(bias + sum of weights)``, the bias and most weights being
those of ``boundary.CHANGE``, fitted on the dev set). When the speaker changes, any
of the others may take over unless a recent ``next`` clue (someone was asked to speak)
favours one of them. Viterbi gives the best labelling and forward-backward the
posterior probability of each unit's label; both are linear in the number of units.
Units fixed by an editor's overrides keep their speaker and the decoder fills in around them.
"""

from __future__ import annotations

import math
from operator import add, mul
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..cues import FORCED, Clue
from ..turns.boundary import CHANGE

DECODER = {
    "decoder.turn.host": 0.9,     # hosts take short turns ...
    "decoder.turn.guest": -0.6,   # ... guests long ones
    "decoder.host-to-host": -1.0, # a host hands over to a guest rather than a co-host
    "decoder.infer-host": 1,      # choose a host when the cast names none
    "decoder.opener-sure": 0.75,  # ... the first speaker, when the names make them this sure
    "decoder.follow-fix": 1.0,    # the rest of a turn an editor re-labelled goes with the fix
    "decoder.resume": 1.0,        # after a host's unnamed question, the guest before answers
    # Against a change inside an unbroken sentence, where a first decoding changes speaker at
    # fewer than this share of such breaks (turns/sentences.py; python -m train.sentences).
    "decoder.in-sentence": 6.0,
    "decoder.in-sentence-rate": 0.05,
    "decoder.in-sentence-lines": 8,  # ... in a sentence of at most this many input lines
}
NEXT_WINDOW = 3      # units after an invitation to speak during which it still applies
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
    count = len(speakers)
    turn_bias = [weights.get(f"decoder.turn.{role}", 0.0) for role in roles]
    pair_bias = [[weights.get(f"decoder.{a}-to-{b}", 0.0) for b in roles] for a in roles]
    model = Model([[0.0] * count for _ in range(units)],
                  [weights.get("change.bias", CHANGE["bias"])] * units,
                  [{} for _ in range(units)], turn_bias, pair_bias)
    _add_clues(model, speakers, roles, clues, fixed, empty)
    return model


def extend_model(model: Model, speakers: Sequence[str], roles: Sequence[str | None],
                 clues: Sequence[Clue], fixed: Mapping[int, int] | None = None,
                 empty: Sequence[bool] = ()) -> Model:
    """The model with more clues: the same model as ``build_model`` of all the clues (the
    first ones, then these), without going over the first ones again."""
    invites = any(clue.kind == "next" for clue in clues)  # else the bonuses stay as they are
    extended = Model([list(row) for row in model.emit], list(model.change_logit),
                     [dict(bonus) for bonus in model.next_bonus] if invites else model.next_bonus,
                     model.turn_bias, model.pair_bias)
    _add_clues(extended, speakers, roles, clues, fixed, empty)
    return extended


def _add_clues(model: Model, speakers: Sequence[str], roles: Sequence[str | None],
               clues: Sequence[Clue], fixed: Mapping[int, int] | None,
               empty: Sequence[bool]) -> None:
    """Add clues to a model being built, then pin empty and fixed units again."""
    emit, change, invited = model.emit, model.change_logit, model.next_bonus
    units, count = len(emit), len(speakers)
    position = {name: number for number, name in enumerate(speakers)}
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


def follow_fixes(model: Model, path: Sequence[int], fixed: Mapping[int, int], weight: float,
                 bias: float) -> Model:
    """Adjust the model to what an editor's fixes say about the decoding they corrected.

    ``path`` is the decoding without the fixes: the turns the editor saw.

    - Fixing a unit to another speaker says its turn goes on with the wrong speaker from
      there, so each later unit of that turn, up to the next fixed unit, gets ``weight``
      for the chosen speaker (a lean, not a pin: a clear change of speaker still wins). The
      units before the fix are left alone: the editor let them stand.
    - Fixing a unit to the speaker of the unit before it (or after it) says the change of
      speaker decoded between them is not one: the cues there misled the decoder, so that
      boundary's change log-odds falls back to ``bias``, the prior of any boundary.

    Without this the decoder keeps the old speaker around the fixed unit whenever two changes
    of speaker cost less than re-labelling the turn, or moves a change it believes in to the
    other side of the fix.
    """
    emit = [list(row) for row in model.emit]
    change = list(model.change_logit)
    for unit, speaker in sorted(fixed.items()):
        if not 0 <= unit < len(path) or path[unit] == speaker:
            continue
        if unit > 0 and path[unit - 1] == speaker:
            change[unit] = min(change[unit], bias)
        if unit + 1 < len(path) and path[unit + 1] == speaker:
            change[unit + 1] = min(change[unit + 1], bias)
        later = unit + 1
        while later < len(path) and path[later] == path[unit] and later not in fixed:
            emit[later][speaker] += weight
            later += 1
    return Model(emit, change, model.next_bonus, model.turn_bias, model.pair_bias)


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _target_table(target: Sequence[Sequence[float]], count: int) -> list[list[float]]:
    """Log-scores of who takes over, each row relative to its best other speaker."""
    rows = []
    for s in range(count):
        best = max((target[s][t] for t in range(count) if t != s), default=0.0)
        rows.append([0.0 if t == s else target[s][t] - best for t in range(count)])
    return rows


SHARED_TABLES = 60_000  # transition tables kept in all parts and roles (see _shared_tables):
# the decodings of the corpus's longest conversation (30,000 words, five speakers, no host)
# need about 40,000; past the bound the tables are computed again, with the same numbers
_SHARED: dict[tuple, list[dict[float, list]]] = {}
LOG_ROWS, ROWS, LOG_COLUMNS, COLUMNS = range(4)  # the parts of a unit's transition table


def _shared_tables(turn_bias: Sequence[float], pair_bias: Sequence[Sequence[float]]
                   ) -> list[dict[float, list]]:
    """The transition tables computed so far for these turn and pair biases: for each part,
    by change log-odds.

    Why: the decodings of one conversation (each host tried, the affinity and resume rounds,
    the final one) differ in their emissions but share the change log-odds of nearly every
    unit, and computing a unit's transitions costs more than decoding it. A table is a pure
    function of its key, so sharing it changes nothing but the time.
    """
    key = (tuple(turn_bias), tuple(tuple(row) for row in pair_bias))
    found = _SHARED.get(key)
    if found is None:
        if len(_SHARED) >= 16:
            _SHARED.clear()
        found = _SHARED[key] = [{}, {}, {}, {}]
    return found


class _Transitions:
    """Transition log-potentials and probabilities, unit by unit.

    Going from ``s`` to ``t`` at a unit: staying costs ``1 - p_s`` and a change ``p_s`` times
    how likely ``t`` is to take over, relative to the most likely of the others (so with
    nothing to choose between them a change costs the same with two speakers or ten).
    ``p_s`` is the sigmoid of the unit's change log-odds plus ``s``'s turn bias. A unit's
    table has four parts: log-potentials and probabilities, as rows (from) and as columns
    (to); Viterbi reads the log columns, the forward pass the probability columns and the
    backward pass the probability rows, so each part is computed only when read.
    """

    def __init__(self, model: Model, count: int) -> None:
        self.model = model
        self.count = count
        self.plain_log = _target_table(model.pair_bias, count)
        self.plain = [[math.exp(v) for v in row] for row in self.plain_log]
        self.cache = _shared_tables(model.turn_bias, model.pair_bias)

    def at(self, unit: int) -> tuple:
        """The four parts of the table into ``unit``: ``(log rows, rows, log columns,
        columns)``."""
        return tuple(self.part(range(unit, unit + 1), part)[0] for part in range(4))

    def part(self, units: range, part: int) -> list[list[list[float]]]:
        """One part of the tables into each of ``units``. Most units share no more than their
        change log-odds: those not known yet are computed together, and kept."""
        model, cache = self.model, self.cache[part]
        needed = dict.fromkeys(model.change_logit[u] for u in units if not model.next_bonus[u])
        missing = [logit for logit in needed if logit not in cache]
        if missing:
            if sum(len(kept) for parts in _SHARED.values() for kept in parts) + len(missing) \
                    > SHARED_TABLES:
                for kept in (*(kept for parts in _SHARED.values() for kept in parts), cache):
                    kept.clear()
                missing = list(needed)
            cache.update(zip(missing, self._parts(missing, self.plain_log, self.plain, part)))
        return [self._invited(unit, part) if model.next_bonus[unit]
                else cache[model.change_logit[unit]] for unit in units]

    def _invited(self, unit: int, part: int) -> list[list[float]]:
        """A part of the table into a unit where a ``next`` clue favours someone."""
        model, count = self.model, self.count
        bonus = model.next_bonus[unit]
        target = [[model.pair_bias[s][t] + bonus.get(t, 0.0) for t in range(count)]
                  for s in range(count)]
        table_log = _target_table(target, count)
        table = [[math.exp(v) for v in row] for row in table_log]
        return self._parts([model.change_logit[unit]], table_log, table, part)[0]

    def _parts(self, logits: Sequence[float], table_log, table, part: int) -> list:
        """One part of the tables of several change log-odds with one target table. The
        change and stay chances are Python's (``math``); numpy then only adds and
        multiplies, which give the same floats as Python does one by one."""
        count, turn_bias = self.count, self.model.turn_bias
        p = [[min(max(_sigmoid(logit + turn_bias[s]), 1e-15), 1 - 1e-15) for s in range(count)]
             for logit in logits]
        diagonal = np.arange(count)
        if part in (LOG_ROWS, LOG_COLUMNS):
            log_p = np.array([[math.log(x) for x in row] for row in p])
            table = log_p[:, :, None] + np.array(table_log)[None, :, :]
            table[:, diagonal, diagonal] = [[math.log(1.0 - x) for x in row] for row in p]
        else:
            p = np.array(p)
            table = p[:, :, None] * np.array(table)[None, :, :]
            table[:, diagonal, diagonal] = 1.0 - p
        return (table if part in (LOG_ROWS, ROWS) else table.transpose(0, 2, 1)).tolist()


def decode_speakers(model: Model) -> Decoding:
    """Viterbi path and forward-backward posteriors."""
    units = len(model.emit)
    if units == 0:
        return Decoding((), (), ())
    count = len(model.emit[0])
    if count == 1:
        return Decoding((0,) * units, (1.0,) * units, (0.0,) * units, ((1.0,),) * units)
    transitions = _Transitions(model, count)
    path = _viterbi(model, _tables(transitions, LOG_COLUMNS), count)
    posterior, _ = _forward_backward(model, _tables(transitions, COLUMNS),
                                     _tables(transitions, ROWS), count)
    change = tuple(_sigmoid(max(min(x, 30.0), -30.0)) for x in model.change_logit)
    return Decoding(tuple(path), tuple(posterior[u][path[u]] for u in range(units)), change,
                    tuple(tuple(row) for row in posterior))


def best_path(model: Model) -> tuple[int, ...]:
    """The Viterbi labelling alone (no posteriors): for passes that only need who speaks."""
    units = len(model.emit)
    if units == 0:
        return ()
    count = len(model.emit[0])
    if count == 1:
        return (0,) * units
    return tuple(_viterbi(model, _tables(_Transitions(model, count), LOG_COLUMNS), count))


def log_partition(model: Model) -> float:
    """The log of the total score of all labellings (the forward algorithm): how well a
    model explains the clues, to compare models that differ in one assumption."""
    units = len(model.emit)
    if units == 0:
        return 0.0
    count = len(model.emit[0])
    columns = _tables(_Transitions(model, count), COLUMNS)
    return _forward_backward(model, columns, None, count, backward=False)[1]


def _tables(transitions: _Transitions, part: int) -> list:
    """One part of the transition tables into each unit (none into the first)."""
    return [None] + transitions.part(range(1, len(transitions.model.emit)), part)


def _viterbi(model: Model, log_columns, count: int) -> list[int]:
    score = list(model.emit[0])
    back: list[list[int]] = []
    for unit in range(1, len(model.emit)):
        columns = log_columns[unit]
        emit = model.emit[unit]
        new, pointers = [], []
        for t in range(count):
            values = list(map(add, score, columns[t]))
            best = max(values)
            new.append(best + emit[t])
            pointers.append(values.index(best))
        score = new
        back.append(pointers)
    state = max(range(count), key=lambda s: (score[s], -s))
    path = [state]
    for pointers in reversed(back):
        state = pointers[state]
        path.append(state)
    path.reverse()
    return path


def _forward_backward(model: Model, columns_of, rows_of, count: int,
                      backward: bool = True) -> tuple[list[list[float]], float]:
    """Posteriors (scaled forward-backward in probability space) and the log partition."""
    units = len(model.emit)
    emits, log_total = [], 0.0
    for row in model.emit:
        top = max(row)
        emits.append([math.exp(v - top) for v in row])
        log_total += top
    alphas, scales = [], []
    alpha = emits[0]
    previous = alpha
    for unit in range(units):
        if unit:
            columns = columns_of[unit]
            alpha = [e * sum(map(mul, previous, column)) for e, column in zip(emits[unit], columns)]
        total = sum(alpha) or 1e-300
        alpha = [value / total for value in alpha]
        alphas.append(alpha)
        scales.append(total)
        previous = alpha
    log_total += sum(math.log(scale) for scale in scales)
    if not backward:
        return [], log_total
    beta = [1.0] * count
    posterior: list[list[float]] = [[]] * units
    for unit in range(units - 1, -1, -1):
        joint = list(map(mul, alphas[unit], beta))
        total = sum(joint) or 1e-300
        posterior[unit] = [value / total for value in joint]
        if unit:
            rows = rows_of[unit]
            weighted = list(map(mul, emits[unit], beta))
            scale = scales[unit]
            beta = [sum(map(mul, row, weighted)) / scale for row in rows]
    return posterior, log_total
