"""The review list: which turns an editor is asked to check.

One function, ``needs_review``, decides it; the labels (and so the report, the JSON,
``--mark-review`` and ``check``'s findings) all carry its answer, so they list the same turns.

Why expected wrong words: an editor's check is worth the words it puts right. A turn's
confidence is calibrated (``attribute/names/confidence.py``), so ``(1 - confidence) x
words`` is the number of its words expected to sit with the wrong speaker. Flagging the
turns where that reaches a cut-off catches the most misattributed words for the turns
flagged; a one-word "Yeah." at low confidence can cost one word and is left alone, while a
long turn on weak evidence is pointed out even when its confidence is fair. The confidence
bound (``--review-below``, default ``REVIEW_BELOW``) still limits the list: a turn at or
above it is never flagged, unless it starts inside a sentence the input did not break (see
``needs_review``).

The cut-off is fitted on the corpus training split by ``python -m train.review``, which
writes ``learned/review.json`` (the command and the numbers it saw are in its ``meta``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from .turns import Label
from .units import Unit

BACK_CHANNEL = 3  # words of a reply that may fall inside another's sentence ("Yeah, right.")
RULE_PATH = Path(__file__).parent.parent / "attribute" / "learned" / "review.json"


@dataclass(frozen=True, slots=True)
class Doubt:
    """What the review rule reads of one decoded turn (units ``first`` to ``end`` - 1)."""

    first: int
    end: int
    confidence: float
    supported: bool  # some cue besides the decoder speaks for the speaker
    words: int
    cuts_sentence: bool = False  # starts inside a sentence the input did not break

    @property
    def expected_wrong(self) -> float:
        """Words of the turn expected to sit with the wrong speaker."""
        return (1 - self.confidence) * self.words


@dataclass(frozen=True, slots=True)
class Rule:
    """Flag a turn below ``review_below`` whose expected wrong words reach ``min_expected``."""

    review_below: float  # the default confidence bound (``--review-below``)
    min_expected: float
    meta: dict


@lru_cache(maxsize=1)
def rule() -> Rule:
    """The fitted rule shipped with the package."""
    data = json.loads(RULE_PATH.read_text(encoding="utf-8"))
    return Rule(float(data["review_below"]), float(data["min_expected"]), data.get("meta", {}))


REVIEW_BELOW = rule().review_below


def needs_review(doubt: Doubt, review_below: float | None,
                 min_expected: float | None = None) -> bool:
    """Whether a turn goes on the review list.

    ``review_below`` None (or 0) lists nothing; ``min_expected`` defaults to the fitted value.
    A turn of more than ``BACK_CHANNEL`` words that starts inside a sentence the input did not
    break is always listed: the text before it is left unfinished in the published
    transcript (``tidy.publish``), and either the change of speaker is wrong or someone was
    cut off (a short reply there is someone saying "Yeah." into another's sentence).
    """
    if not review_below:
        return False
    if doubt.cuts_sentence and doubt.words > BACK_CHANNEL:
        return True
    if doubt.confidence >= review_below:
        return False
    cutoff = rule().min_expected if min_expected is None else min_expected
    return doubt.expected_wrong >= cutoff


def mark_turns(labels: Sequence[Label], units: Sequence[Unit],
               review_below: float | None) -> list[Label]:
    """Labels with the review list's marks, each run of units with one speaker a turn.

    For a diarized input, whose turns are the diarizer's and whose confidence is its
    cluster's name's (the lowest of the turn's units, as the turn shows it): the words of a
    misnamed cluster's turn are all misattributed, so ``(1 - confidence) x words`` means the
    same as for a decoded turn. Unnamed clusters (no confidence) are not on the list.
    """
    out = [replace(label, review=False) for label in labels]
    start = 0
    for end in range(1, len(labels) + 1):
        if end < len(labels) and labels[end].speaker == labels[start].speaker:
            continue
        confidences = [labels[u].confidence for u in range(start, end)]
        if labels[start].speaker is not None and None not in confidences:
            doubt = Doubt(start, end, min(confidences), True,
                          sum(len(units[u].text.split()) for u in range(start, end)))
            if needs_review(doubt, review_below):
                out[start:end] = [replace(label, review=True) for label in out[start:end]]
        start = end
    return out
