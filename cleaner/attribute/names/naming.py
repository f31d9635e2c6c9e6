"""The naming policy: which voice gets which name, decided once over the whole conversation.

Input: every voice (a diarizer's cluster), its share of the words, and the log-odds that it
is each name (``learned.py``, or the hand cues' totals when no weights ship). Output:
a name or its own label for each voice, a margin (how much worse the best naming gets when
that choice is forbidden) and, for a voice given a name another voice has, that voice.

The policy, for an editor who gave a cast:

- a given cast is used: every voice holding a real share of the words (at least
  ``tiny_share``) gets a listed name, by one optimal one-to-one assignment (Hungarian), as
  long as listed names are left. A voice keeps its label only when the cast has no one left;
- a name found only in the text (no cast) names a voice only when its log-odds reach
  ``found_floor``: a voice with no name evidence stays ``Speaker N``;
- a voice left over (more voices than names) takes the name it fits best when it is small
  (under ``merge_share`` of the words: a stray bit of someone's voice, or a person the
  diarizer split) or when that fit reaches ``merge_floor``; else it keeps its label, so a
  voice the cast does not list stays visible as ``Speaker N``.

``tiny_share``, ``found_floor``, ``merge_floor``, ``merge_share`` and the confidence scale are fitted on the
corpus training split by ``train/naming.py`` and ship with the weights; the defaults below
are what a file without them falls back to.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DEFAULTS = {"tiny_share": 0.02, "found_floor": 1.0, "merge_floor": 2.0, "merge_share": 0.02,
            "confidence_scale": 1.0, "confidence_shift": 0.0}
MUST = -1e4     # keeping its label, for a voice that must be named while names are left
FORBID = -1e6


@dataclass(frozen=True)
class Choice:
    """What the policy decided for one voice."""

    cluster: str
    name: str | None
    margin: float               # log-odds: how much the whole naming loses without this choice
    best: str | None            # the best-fitting name, even when the voice keeps its label
    merged_with: str | None = None


def confidence(margin: float, settings: Mapping[str, float]) -> float:
    """A name's chance of being right, from its margin (Platt scaling fitted in training)."""
    value = settings["confidence_scale"] * margin + settings["confidence_shift"]
    return 1.0 / (1.0 + math.exp(-max(min(value, 50.0), -50.0)))


def choose_names(clusters: Sequence[str], shares: Mapping[str, float], names: Sequence[str],
                 listed: set[str], logits: Mapping[tuple[str, str], float],
                 settings: Mapping[str, float] | None = None) -> list[Choice]:
    """Name the voices (see the module docstring); one ``Choice`` per cluster, in order."""
    settings = {**DEFAULTS, **(settings or {})}
    if not clusters:
        return []
    value = [[logits.get((c, n), 0.0) - (0.0 if n in listed else settings["found_floor"])
              for n in names] for c in clusters]
    must = bool(listed)
    keep = [MUST if must and shares.get(c, 0.0) >= settings["tiny_share"] else 0.0
            for c in clusters]
    choice, margins = assign(value, keep)
    out: list[Choice] = []
    owners: dict[str, str] = {}
    for row, cluster in enumerate(clusters):
        column = choice[row]
        best = max(range(len(names)), key=lambda n: logits.get((cluster, names[n]), 0.0),
                   default=None)
        best_name = names[best] if best is not None else None
        if column < len(names):
            owners[names[column]] = cluster
            out.append(Choice(cluster, names[column], margins[row], best_name))
        else:
            out.append(Choice(cluster, None, margins[row], best_name))
    for number, item in enumerate(out):
        if item.name is not None or item.best is None:
            continue
        fit = logits.get((item.cluster, item.best), 0.0)
        others = [logits.get((item.cluster, n), 0.0) for n in names if n != item.best]
        margin = fit - max(others, default=0.0)
        small = shares.get(item.cluster, 0.0) < settings["merge_share"]
        if item.best in owners and (small or fit >= settings["merge_floor"]):
            out[number] = Choice(item.cluster, item.best, margin, item.best,
                                 merged_with=owners[item.best])
    return out


def assign(value: Sequence[Sequence[float]], keep: Sequence[float]) -> tuple[list[int], list[float]]:
    """The best one-to-one assignment of rows to the columns of ``value`` or to the row's own
    "keep its label" column (worth ``keep[row]``), and each row's max-marginal margin."""
    rows = len(value)
    names = len(value[0]) if value else 0
    matrix = [list(row) + [keep[r] if c == r else FORBID for c in range(rows)]
              for r, row in enumerate(value)]
    choice, total = _solve(matrix)
    margins = []
    for row in range(rows):
        forbidden = [list(r) for r in matrix]
        forbidden[row][choice[row]] = FORBID
        _, alternative = _solve(forbidden)
        margins.append(min(total - alternative, 50.0) if alternative > FORBID / 2 else 50.0)
    return [c if c < names else names for c in choice], margins


def _solve(matrix) -> tuple[list[int], float]:
    from ..evaluate import best_assignment

    choice = [0] * len(matrix)
    total = 0.0
    for row, column in best_assignment(matrix):
        choice[row] = column
        total += matrix[row][column]
    return choice, total
