"""A decoded turn's confidence, learned: the share of its words that name the right speaker.

Why learned and not the decoder's posterior: the posterior is sure of who speaks *given*
the voices the decoder keeps apart, but it does not know how often a whole stretch goes to
the wrong person (a missed change flips every later turn), and that depends on what the text
offers: how many voices there are, whether the roles are known, whether the text has
sentence marks, how long the turn and the conversation are, how much of it the speaker holds
and how many cues besides the decoder speak for it. A logistic model on those facts, then a
monotone (isotonic) map of its output, is fitted by ``python -m train.calibrate`` on the
corpus training split and shipped in ``learned/confidence.json`` with the command and corpus
version that made it. A file written for another feature set is refused; with no file the
hand-made ``calibrate.py`` is used. ``bench/confidence.py`` measures it on the reserved split.

Confidence means words: ``(1 - confidence) x words`` is the number of a turn's words expected
to sit with the wrong speaker, which is what the review list (``segment/review.py``) ranks by.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..learned.weights import StaleWeights
from .calibrate import _sigmoid, confidence as hand_made

CONFIDENCE_VERSION = 1
DEFAULT_PATH = Path(__file__).parent.parent / "learned" / "confidence.json"
CLIP = 1e-4  # posteriors are clipped to [CLIP, 1 - CLIP] before their log-odds are taken


@dataclass(frozen=True, slots=True)
class TurnFacts:
    """What the confidence of one decoded turn is computed from."""

    posterior: float   # mean posterior of its units, weighted by words
    lowest: float      # the lowest posterior of its units with words
    words: int
    voices: int        # speakers the decoder chose among
    supported: bool    # some cue besides the decoder speaks for the speaker
    reasons: int       # how many cues besides the decoder speak for it (as listed, at most 6)
    share: float       # the speaker's share of the conversation's words, as decoded
    roles: bool        # the cast's roles are known (someone is a host or a guest)
    marks: float       # share of the conversation's units that end on . ? or !
    position: float    # where the turn starts, as a share of the conversation's units
    length: int        # words of the whole conversation


def _logit(p: float) -> float:
    p = min(max(p, CLIP), 1 - CLIP)
    return math.log(p / (1 - p))


FEATURES = ("bias", "logit", "logit-lowest", "log-words", "logit x log-words", "voices-3-4",
            "voices-5+", "supported", "reasons", "share", "roles", "marks", "position",
            "log-length", "roles x voices-2", "roles x logit")


def features(facts: TurnFacts) -> list[float]:
    """The model's inputs, in the order of ``FEATURES``."""
    logit, words = _logit(facts.posterior), math.log(max(facts.words, 1))
    roles, two = float(facts.roles), float(facts.voices <= 2)
    return [1.0, logit, _logit(facts.lowest), words, logit * words,
            float(3 <= facts.voices <= 4), float(facts.voices >= 5),
            float(facts.supported), math.log1p(facts.reasons), facts.share,
            roles, facts.marks, facts.position, math.log(max(facts.length, 1)),
            roles * two, roles * logit]


@dataclass(frozen=True)
class Calibration:
    """A logistic model's weights, then a monotone map of its probability (knots ``(x, y)``,
    both ascending, interpolated linearly)."""

    weights: tuple[float, ...]
    knots: tuple[tuple[float, float], ...]
    meta: dict

    def __call__(self, facts: TurnFacts) -> float:
        z = sum(w * x for w, x in zip(self.weights, features(facts)))
        return _monotone(_sigmoid(z), self.knots)

    def to_json(self) -> str:
        return json.dumps({"version": CONFIDENCE_VERSION, "features": list(FEATURES),
                           "weights": list(self.weights), "knots": [list(k) for k in self.knots],
                           "meta": self.meta}, indent=1) + "\n"


def read(path: Path) -> Calibration:
    """Read a calibration file; one made for other features is refused (StaleWeights)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("version") != CONFIDENCE_VERSION or data.get("features") != list(FEATURES):
        raise StaleWeights(f"{path}: confidence calibration made for version {data.get('version')} "
                           f"with features {data.get('features')}; the code computes version "
                           f"{CONFIDENCE_VERSION} with {list(FEATURES)}; refit with "
                           "`python -m train.calibrate`")
    weights = tuple(float(w) for w in data["weights"])
    knots = tuple((float(x), float(y)) for x, y in data["knots"])
    if len(weights) != len(FEATURES) or not knots or any(
            b[0] < a[0] or b[1] < a[1] for a, b in zip(knots, knots[1:])):
        raise StaleWeights(f"{path}: malformed confidence calibration; refit with "
                           "`python -m train.calibrate`")
    return Calibration(weights, knots, data.get("meta", {}))


@lru_cache(maxsize=4)
def load(path: Path = DEFAULT_PATH) -> Calibration | None:
    """The shipped calibration (read once), or None when there is no file."""
    return read(path) if path.exists() else None


def turn_confidence(facts: TurnFacts, calibration: Calibration | None = None) -> float:
    """The expected share of the turn's words that name the right speaker."""
    calibration = calibration or load()
    if calibration is None:
        return hand_made(facts.posterior, facts.words)
    return min(max(calibration(facts), 0.0), 1.0)


def _monotone(x: float, knots: Sequence[tuple[float, float]]) -> float:
    """Piecewise-linear interpolation through ``knots``, flat beyond the ends."""
    if x <= knots[0][0]:
        return knots[0][1]
    if x >= knots[-1][0]:
        return knots[-1][1]
    i = bisect_right([k[0] for k in knots], x)
    (x0, y0), (x1, y1) = knots[i - 1], knots[i]
    return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)

