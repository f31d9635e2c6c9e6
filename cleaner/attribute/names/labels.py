"""Names for decoded voices: a speaker, a role, a calibrated confidence and the evidence per turn.

With text alone the voices stage decodes over the cast itself, so each voice already has
its person's name (or, with no cast, an anonymous label); this groups the units into turns,
gives each turn a calibrated confidence (``confidence.py``) and the clues that speak for its
speaker, and says which turns go on the review list (``segment/review.py``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ...model import Evidence, Role
from ...segment.review import Doubt, needs_review
from ...segment.turns import Label
from ..cues import Clue
from ..learned.weights import GOING_ON
from .confidence import TurnFacts, turn_confidence
from ..turns.sentences import CUTS, IN_SENTENCE

MAX_EVIDENCE = 6
# True of most turns, or weak and everywhere: not listed as a turn's evidence.
BACKGROUND = {"narrator.outside", "narrator.none", "entrance", "role.learned", "affinity"}


def label_turns(units, views, decoding, speakers, roles, clues: Sequence[Clue], fixed,
                anonymous: bool, review_below: float | None
                ) -> tuple[list[Label], list[Doubt], list[TurnFacts]]:
    """Group units into turns, give each turn a calibrated confidence and its best reasons,
    and say which go on the review list (``review.needs_review``); with the facts each named
    turn's confidence was computed from."""
    hinted = [None] * len(units)
    for clue in clues:
        if clue.cue == "input-label" and clue.speaker in speakers:
            hinted[clue.unit] = speakers.index(clue.speaker)
    by_unit: dict[int, list[Clue]] = {}
    for clue in clues:
        by_unit.setdefault(clue.unit, []).append(clue)
    labels: list[Label] = []
    doubts: list[Doubt] = []
    facts: list[TurnFacts] = []
    path = decoding.path
    said = [view for view in views if view.text.strip()]
    marks = sum(view.text.rstrip().endswith((".", "?", "!")) for view in said) / max(len(said), 1)
    roles_known = any(role in (Role.HOST.value, Role.GUEST.value) for role in roles)
    spoken = Counter()
    for unit, number in enumerate(path):
        spoken[number] += views[unit].words
    # Where a change of speaker was held against because it cuts a sentence (turns/sentences.py).
    held = {clue.unit: clue.weight for clue in clues if clue.cue == IN_SENTENCE}
    start = 0
    turns_of = Counter(s for n, s in enumerate(path) if n == 0 or path[n - 1] != s)
    # Anonymous voices are worth naming only when each takes the floor more than once.
    used = set(path) if min(turns_of.values(), default=0) >= 2 else {path[0]} if path else set()
    for end in range(1, len(units) + 1):
        if end < len(units) and path[end] == path[start]:
            continue
        number = path[start]
        speaker = speakers[number]
        role = roles[number]
        weights = [max(views[u].words, 1) for u in range(start, end)]
        score = sum(decoding.posterior[u] * w for u, w in zip(range(start, end), weights)) / sum(weights)
        evidence = turn_evidence(range(start, end), by_unit, speaker, views, score)
        supported = len(evidence) > 1 or len(speakers) == 1
        lowest = min((decoding.posterior[u] for u in range(start, end) if views[u].words),
                     default=score)
        fact = TurnFacts(score, lowest, sum(weights), len(speakers), supported, len(evidence) - 1,
                         spoken[number] / max(sum(spoken.values()), 1), roles_known, marks,
                         start / len(units), sum(spoken.values()))
        confidence = turn_confidence(fact) if len(speakers) > 1 else 1.0
        if not supported:
            # Nothing in the text points to anyone: no better than a guess, and said so.
            confidence = min(confidence, 1.0 / len(speakers))
        cuts = start in held
        if cuts:  # said next to the decoder's own summary, where the report shows it
            evidence = evidence[:1] + (Evidence(cue=IN_SENTENCE, reason=CUTS, weight=held[start],
                                                line=views[start].line),) + evidence[1:]
        if all(u in fixed or hinted[u] == number for u in range(start, end)):
            confidence, supported = 1.0, True  # an editor's override or the input's own label
        if anonymous:
            confidence = min(confidence, 0.5)
            if len(used) == 1:  # one voice and no name: nothing to claim
                speaker, role, confidence = None, None, None
        review = False
        if speaker is not None:
            doubt = Doubt(start, end, confidence, supported,
                          sum(views[u].words for u in range(start, end)), cuts)
            doubts.append(doubt)
            facts.append(fact)
            review = needs_review(doubt, review_below)
        for position, unit in enumerate(range(start, end)):
            labels.append(Label(
                speaker=speaker, role=role or (Role.UNKNOWN.value if speaker else None),
                confidence=confidence, evidence=evidence if position == 0 else (),
                review=review,
            ))
        start = end
    return labels, doubts, facts


def turn_evidence(units: range, by_unit: dict[int, list[Clue]], speaker: str | None,
                  views, score: float) -> tuple[Evidence, ...]:
    """The clues that speak for (or against others than) the chosen speaker, strongest first."""
    found: list[tuple[float, Clue]] = []
    for unit in units:
        for clue in by_unit.get(unit, ()):
            if clue.cue in BACKGROUND:
                continue
            if clue.kind == "speaker" and ((clue.speaker == speaker) != (clue.weight < 0)):
                found.append((abs(clue.weight), clue))
            elif clue.kind == "role" and clue.weight > 0:
                found.append((clue.weight / 2, clue))
            elif clue.kind == "boundary" and unit == units.start and clue.weight > 0 \
                    and not clue.reason.startswith(GOING_ON):
                found.append((clue.weight / 2, clue))
    found.sort(key=lambda item: (-item[0], item[1].unit))
    out = [Evidence(cue="decoder", reason=f"mean posterior {score:.2f} over the turn",
                    weight=score, speaker=speaker, line=views[units.start].line)]
    seen = set()
    for _, clue in found:
        key = (clue.cue, clue.reason)
        if key in seen:
            continue
        seen.add(key)
        out.append(Evidence(cue=clue.cue, reason=clue.reason, weight=clue.weight,
                            speaker=clue.speaker, role=clue.role, line=views[clue.unit].line))
        if len(out) > MAX_EVIDENCE:
            break
    return tuple(out)
