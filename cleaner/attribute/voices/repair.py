"""Repair a diarizer's turns where the text strongly contradicts them.

The diarizer heard the voices; the text only suggests. So the default is to trust every
boundary, and a repair needs strong textual evidence of a change of speaker on *both* sides
of what it moves: the change-of-speaker model of ``boundary.py`` (fitted on the development
conversations, not on the diarized pairs) must give a change at least ``STRONG`` log-odds
(about 9 in 10) where the moved text starts, and where it ends (or the next turn is the
other speaker's anyway). Two shapes are repaired, each a whole input line:

- ``diarize.own-answer``: a cluster that answers its own question: a short answer ("Yes.",
  "Sure.", "No, ...") right after a question inside one turn;
- ``diarize.back-channel``: a short reply ("Yeah.", "Exactly.", "Right.") inside another
  speaker's turn, between two of their sentences, where both boundaries look like changes;
The moved text goes to the cluster of the neighbouring turn (before it, else after it); with
three clusters or more, only when the other speaker's turns before and after are the same
cluster (otherwise who replied is a guess).

A third shape, a turn that starts mid-sentence (lowercase after an unfinished sentence: give
the sentence's end back to the speaker who began it), is written (``mid_sentence``) but off
by default (``MID_SENTENCE``): in ASR text a lowercase start after an unfinished sentence is
as often the next speaker finishing the thought, and on the diarized pairs every one of its
six repairs was wrong. A reply that is itself a question ("No, right?") is not an answer.
Every repair is a record like an edit: input line and columns, the cluster before and
after, the text, the reason and a confidence.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import regex

from ..cues import Clue, View

STRONG = 2.2    # log-odds of a change of speaker (p about 0.9) needed at each edge of a repair
BIAS = -2.08    # the change model's own bias (boundary.CHANGE["bias"]), added to its features
_ANSWER = regex.compile(r"(?i)^(?:yes|yeah|yep|yup|no|nope|sure|exactly|right|correct|absolutely"
                        r"|definitely|of\s+course|i\s+(?:think|guess)\s+so|i\s+don't\s+know"
                        r"|probably|maybe|not\s+really)\b")
MAX_ANSWER = 6  # words of a short answer
MAX_FRAGMENT = 8  # words of a sentence's end moved back to the speaker who began it
MID_SENTENCE = False  # see the module docstring


@dataclass(frozen=True, slots=True)
class Repair:
    """One change to the diarizer's turns."""

    rule: str
    line: int
    start: int
    end: int
    before: str
    after: str
    text: str
    reason: str
    confidence: float
    units: tuple[int, ...] = ()

    def to_dict(self) -> dict:
        return {"rule": self.rule, "line": self.line, "start": self.start, "end": self.end,
                "before": self.before, "after": self.after, "text": self.text,
                "reason": self.reason, "confidence": round(self.confidence, 3)}


def change_odds(views: Sequence[View], clues: Sequence[Clue]) -> list[float]:
    """Log-odds of a change of speaker at each unit's start, from the text alone."""
    from ..turns.boundary import CHANGE

    odds = [CHANGE.get("bias", BIAS)] * len(views)
    for clue in clues:
        if clue.kind == "boundary" and clue.unit < len(odds):
            odds[clue.unit] += clue.weight
    return odds


def _sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(value, 50.0), -50.0)))


def repair_clusters(views: Sequence[View], clusters: Sequence[str], clues: Sequence[Clue],
                    transcript=None) -> tuple[list[str], list[Repair]]:
    """The clusters after repair, and the repairs (see the module docstring)."""
    out = list(clusters)
    odds = change_odds(views, clues)
    units = [u for u, view in enumerate(views) if view.text.strip()]
    repairs: list[Repair] = []

    several = len(set(clusters)) > 2

    def neighbour(k: int, own: str) -> str | None:
        """The cluster of the nearest other speaker's turn: before, else after (with three
        clusters or more, both must agree)."""
        before = next((out[units[j]] for j in range(k - 1, -1, -1) if out[units[j]] != own), None)
        after = next((out[units[j]] for j in range(k + 1, len(units)) if out[units[j]] != own),
                     None)
        if several:
            return before if before == after else None
        return before or after

    for k, unit in enumerate(units):
        view = views[unit]
        if k == 0 or not view.starts_line or not view.line_end:
            continue  # whole input lines only
        previous = views[units[k - 1]]
        own = out[unit]
        following = units[k + 1] if k + 1 < len(units) else None
        same_before = out[units[k - 1]] == own
        same_after = following is not None and out[following] == own
        end_odds = odds[following] if following is not None else STRONG
        answer = view.words <= MAX_ANSWER and bool(_ANSWER.search(view.text)) \
            and not view.question
        if same_before and previous.question and answer and odds[unit] >= STRONG \
                and (not same_after or end_odds >= STRONG) and previous.line != view.line:
            other = neighbour(k, own)
            if other is not None:
                repairs.append(_record("diarize.own-answer", view, unit, own, other,
                                       min(odds[unit], end_odds),
                                       f"“{_clip(view.text)}” answers the question before it "
                                       f"(“{_clip(previous.text)}”) in the same turn"))
                out[unit] = other
                continue
        if same_before and same_after and view.back_channel and odds[unit] >= STRONG \
                and end_odds >= STRONG and previous.line != view.line:
            other = neighbour(k, own)
            if other is not None:
                repairs.append(_record("diarize.back-channel", view, unit, own, other,
                                       min(odds[unit], end_odds),
                                       f"“{_clip(view.text)}” is a reply inside {own}'s turn"))
                out[unit] = other
                continue
    if MID_SENTENCE:
        repairs += mid_sentence(views, out, units)
    repairs.sort(key=lambda r: (r.line, r.start))
    return out, repairs


def mid_sentence(views: Sequence[View], out: list[str], units: Sequence[int]) -> list[Repair]:
    """Turns that start in the middle of a sentence: the sentence's end goes back."""
    repairs = []
    for k, unit in enumerate(units):
        if k == 0 or out[unit] == out[units[k - 1]]:
            continue
        view = views[unit]
        if not (view.continues and view.text[:1].islower()):
            continue
        last = view.sentence_last
        moved = [u for u in units[k:] if u <= last]
        if not moved or sum(views[u].words for u in moved) > MAX_FRAGMENT:
            continue
        if any(out[u] != out[unit] for u in moved):
            continue
        own, other = out[unit], out[units[k - 1]]
        for u in moved:
            repairs.append(_record("diarize.mid-sentence", views[u], u, own, other, STRONG,
                                   f"{own}'s turn starts mid-sentence (“{_clip(view.text)}”): "
                                   f"the end of {other}'s sentence"))
            out[u] = other
    return repairs


def _record(rule: str, view: View, unit: int, before: str, after: str, odds: float,
            reason: str) -> Repair:
    """A repair of one unit; its columns are filled in by ``locate``."""
    return Repair(rule, view.line, -1, -1, before, after, view.text, reason, _sigmoid(odds),
                  (unit,))


def locate(repairs: Sequence[Repair], units, transcript) -> list[Repair]:
    """The repairs with the input line and columns of the units they move."""
    out = []
    for repair in repairs:
        pieces = [piece for unit in repair.units for piece in units[unit].pieces]
        first, last = pieces[0], pieces[-1]
        segment = transcript.segments[first.segment]
        end_segment = transcript.segments[last.segment]
        start = segment.start if first.start == 0 else segment.end_col(first.start)
        end = end_segment.end if last.end == len(end_segment.text) \
            else end_segment.end_col(last.end)
        out.append(replace(repair, line=segment.line, start=start,
                           end=end if end_segment.line == segment.line else segment.end))
    return out


def _clip(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
