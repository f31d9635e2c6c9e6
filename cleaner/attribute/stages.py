"""Attribution in three stages: turns, voices, names.

- **turns** (``turns/``): where the speaker may change, as log-odds at the start of every
  unit (a sentence, cut again at input line breaks);
- **voices** (``voices/``): which units one anonymous voice speaks, over the whole
  conversation: decoded from the text (``voices/track.py``), or read from a diarizer's
  clusters and repaired (``voices/clusters.py``);
- **names** (``names/``): who each voice is, from the cast (given, from a pack, or found in
  the text), with a calibrated confidence and the evidence per turn.

A diarized input and a plain one differ only in where the voices come from. Every stage
reads the same ``Setting`` (``setting.py``): the units, the cast, and the cues' clues.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..correct.packs import CastMember
from ..model import Edit, Evidence, Role, Transcript
from ..segment.review import Doubt
from ..segment.turns import Label
from ..segment.units import Unit
from .cast import Cast
from .cues import Clue
from .names.clusters import Diarization, Stage
from .names.confidence import TurnFacts
from .names.labels import label_turns
from .overrides import Override, fixed_units
from .setting import Setting, prepare
from .turns import find_changes
from .voices.decode import Decoding
from .voices.track import track_voices


@dataclass(frozen=True, slots=True)
class Attribution:
    """Units (sentences cut at line breaks too), a label for each, and the cast used."""

    units: tuple[Unit, ...]
    labels: tuple[Label, ...]
    cast: Cast
    doubts: tuple[Doubt, ...] = ()  # what the review rule read of each decoded turn
    facts: tuple[TurnFacts, ...] = ()  # what each of those turns' confidence was computed from


def attribute(transcript: Transcript, corrected: Sequence[str], edits: Sequence[Edit],
              cast: Sequence[CastMember] | None = None, pack_cast: Sequence[CastMember] = (),
              overrides: Sequence[Override] = (), review_below: float | None = None,
              weights: Mapping[str, float] | None = None) -> Attribution:
    """Label every unit of a plain transcript with a speaker, a role, a confidence and evidence.

    ``weights`` replaces the cue and decoder weights (for tuning; see bench/speakers.py).
    """
    setting = prepare(transcript, corrected, edits, cast, pack_cast, overrides, weights)
    members = setting.cast.members
    fixed = fixed_units(transcript, setting.units, overrides, members, setting.speakers)
    changes = find_changes(setting, fixed)
    decoding, clues = track_voices(setting, changes, fixed)
    return name_voices(setting, decoding, clues, fixed, review_below)


def name_voices(setting: Setting, decoding: Decoding, clues: Sequence[Clue],
                fixed: Mapping[int, int], review_below: float | None = None) -> Attribution:
    """The names stage for decoded voices: each turn's speaker, role, confidence and evidence."""
    members = setting.cast.members
    roles = [None] * len(setting.speakers) if setting.anonymous else [m.role for m in members]
    labels, doubts, facts = label_turns(setting.units, setting.views, decoding,
                                        list(setting.speakers), roles, clues, fixed,
                                        setting.anonymous, review_below)
    return Attribution(setting.units, tuple(labels), setting.cast, tuple(doubts), tuple(facts))


def attribute_diarized(transcript: Transcript, corrected: Sequence[str], edits: Sequence[Edit],
                       cast: Sequence[CastMember] | None = None,
                       pack_cast: Sequence[CastMember] = (), overrides=(),
                       trust: bool = False,
                       keep_unsure: float | None = None) -> tuple[Attribution, Diarization]:
    """Label every unit of a diarized transcript: its voice's name (or cluster label). The
    review list is decided afterwards, as for any input (``segment/review.py``).
    ``keep_unsure``: a voice named less surely than this keeps its label."""
    stage = Stage.build(transcript, corrected, edits, cast, pack_cast, overrides, trust,
                        keep_unsure)
    clusters, repairs, namings = stage.run()
    by_label = {c.label: c for c in namings}
    role_of = dict(zip(stage.names, stage.roles))
    repaired = {unit: repair for repair in repairs for unit in repair.units}
    labels = []
    for unit, cluster in enumerate(clusters):
        naming = by_label[cluster]
        if unit in stage.fixed:
            labels.append(Label(speaker=stage.fixed[unit],
                                role=role_of.get(stage.fixed[unit]) or Role.UNKNOWN.value,
                                confidence=1.0,
                                evidence=(Evidence("override", "an editor's override", 1.0,
                                                   speaker=stage.fixed[unit]),)))
            continue
        speaker = naming.name or naming.label
        confidence = naming.confidence if naming.name else None
        evidence = [Evidence("cluster", naming.summary(), naming.confidence, speaker=speaker)]
        repair = repaired.get(unit)
        if repair is not None:
            evidence.insert(0, Evidence("repair", repair.reason, repair.confidence,
                                        speaker=speaker, line=repair.line))
            if confidence is not None:
                confidence = min(confidence, repair.confidence)
        labels.append(Label(speaker=speaker,
                            role=(role_of.get(naming.name) or Role.UNKNOWN.value) if naming.name
                            else None,
                            confidence=confidence, evidence=tuple(evidence)))
    diarization = Diarization(tuple(namings), tuple(repairs), tuple(stage.warnings), trust)
    return Attribution(stage.setting.units, tuple(labels), stage.setting.cast), diarization
