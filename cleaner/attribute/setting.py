"""What every stage of attribution reads: the units, the cast, and what the cues say of each unit.

Built once per transcript by ``prepare``: sentences cut where input lines break, the cast
(given, from a pack, or found in the text), a ``View`` of every unit for the cues, and the
clues of the hand-made cues (``cues.py``). The stages add their own evidence to these:
change clues (``turns``), role and affinity clues (``voices``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ..correct.packs import CastMember
from ..model import Edit, Role, Transcript
from ..segment.units import Unit, build_units
from .cues import WEIGHTS, Clue, Scene, View, build_views, find_organisations, gather, lowercase_sentences
from .learned.weights import LEARNED
from .cast import Cast, build_cast
from .mentions import NameIndex, common_words, spelling_variants
from .overrides import Override, override_cuts, resolve_speaker, unknown_speaker
from .turns.units import line_units
from .voices.decode import DECODER
from .voices.pairs import VOICES

ANONYMOUS = ("Speaker A", "Speaker B")  # read back, these are cluster labels (read/labels.py)
UNNAMED_HOST = "Host"  # the host of a show whose guests are named but whose host is not


@dataclass(frozen=True, slots=True)
class Setting:
    """What the stages work from: the sentences and the units cut from them at line breaks,
    what the cues read of each unit, the cast and its speaker names and roles, the cues'
    clues and the weights every stage reads."""

    transcript: Transcript
    sentences: tuple[Unit, ...]
    units: tuple[Unit, ...]
    views: tuple[View, ...]
    cast: Cast
    speakers: tuple[str, ...]
    roles: tuple[str | None, ...]
    anonymous: bool
    clues: tuple[Clue, ...]
    scene: Scene
    weights: Mapping[str, float]


def all_weights(weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """The cue, decoder and learned-model weights, with ``weights`` replacing some (tuning)."""
    return {**WEIGHTS, **DECODER, **LEARNED, **VOICES, **(weights or {})}


def prepare(transcript: Transcript, corrected: Sequence[str], edits: Sequence[Edit],
            cast: Sequence[CastMember] | None = None, pack_cast: Sequence[CastMember] = (),
            overrides: Sequence[Override] = (),
            weights: Mapping[str, float] | None = None) -> Setting:
    """Units, cast and the cues' clues of a transcript (everything the stages share)."""
    weights = all_weights(weights)
    sentences = build_units(transcript, list(corrected), list(edits),
                            override_cuts(transcript, overrides))
    units = line_units(sentences)
    texts = [unit.text for unit in units]
    lowercase = common_words("\n".join(texts))
    hints = [s.speaker_hint for s in transcript.segments if s.speaker_hint]
    the_cast = build_cast(cast, pack_cast, [u.text for u in sentences], transcript.title,
                          [transcript.segments[u.first_segment].line for u in sentences], hints,
                          lowercase)
    members = list(the_cast.members)
    if not the_cast.closed and members and Role.HOST.value not in {m.role for m in members}:
        # Guests were found but no host: someone unnamed asks the questions.
        if any(m.role == Role.GUEST.value for m in members):
            members.append(CastMember(name=UNNAMED_HOST, role=Role.HOST.value))
    for override in overrides:
        if resolve_speaker(override.speaker, members) is None:
            raise unknown_speaker(override, [m.name for m in members])
    the_cast = replace(the_cast, members=tuple(members))
    anonymous = not members
    speakers = list(ANONYMOUS) if anonymous else [m.name for m in members]
    roles = [None] * len(speakers) if anonymous else [m.role for m in members]
    people = [(m.name, tuple(m.aliases)) for m in members]
    variants = spelling_variants(people, "\n".join(texts), lowercase)
    index = NameIndex([(name, aliases + tuple(variants.get(name, ()))) for name, aliases in people],
                      lowercase=lowercase)
    views = build_views(transcript, units, index)
    scene = Scene(cast=the_cast, index=index, organisations=find_organisations(texts, index),
                  weights=weights, lowercase_sentences=lowercase_sentences(views))
    return Setting(transcript, tuple(sentences), tuple(units), tuple(views), the_cast,
                   tuple(speakers), tuple(roles), anonymous, tuple(gather(views, scene)), scene,
                   weights)
