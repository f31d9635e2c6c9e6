"""Voices from the text, the second stage: who is who over the whole conversation.

An HMM over the cast (``decode.py``) decodes every unit at once from the turns stage's
change clues and the speaker and role evidence: the cues (``cues.py``), the learned role
model (``role.py``) and, after a first decoding, how well each unit's words fit each
voice's other words (``affinity.py``: the voices' memory), and who had the floor before a
host cut in (``resume_clues``). A first decoding that rarely changes speaker inside a
sentence is held to never doing so (``turns/sentences.py``). When no one in the cast is
known to host, one is chosen first (``infer_host``). An editor's overrides fix their units;
the rest follows them as far as the evidence allows (``decode.follow_fixes``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import regex

from ...model import Role
from ..cues import Clue, View, asks_you
from ..learned import weights as learned_weights
from ..cast import CHAIR
from ..turns.boundary import CHANGE
from ..turns.sentences import in_sentence_clues
from .affinity import affinity_clues
from .decode import (Decoding, Model, best_path, build_model, decode_speakers, extend_model,
                     follow_fixes, log_partition)
from .pairs import voice_clues
from .role import role_clues
from . import samevoice

if TYPE_CHECKING:
    from ..setting import Setting

OPENING = 5  # units in which the first speaker is looked for
NAMED_BY_OTHERS = {"addressing.not", "mention.full", "mention.given"}
HOST_MARGIN = 3  # a host is named at least this many times less than any other member
# A question to the whole group, not to the one who had the floor.
_GROUP = regex.compile(r"(?i)\b(?:you\s+(?:all|guys|both|two|folks)|y'all|everyone|everybody|anyone|anybody"
                       r"|each\s+of\s+you|all\s+of\s+you|both\s+of\s+you)\b")
FLOOR_WORDS = 4  # a guest's turn this long (and more than a reply) holds the floor


def role_evidence(setting: "Setting") -> list[Clue]:
    """The learned role model's clues for every unit (none when its weights are off or absent)."""
    learned = learned_weights.load()
    if learned is None or not setting.weights["learned.role"]:
        return []
    return role_clues(setting.views, learned, setting.weights["learned.role"])


def track_voices(setting: "Setting", changes: Sequence[Clue],
                 fixed: Mapping[int, int]) -> tuple[Decoding, list[Clue]]:
    """Decode the speaker of every unit: ``(the decoding, every clue it used)``."""
    weights = setting.weights
    views, speakers = list(setting.views), list(setting.speakers)
    clues = [*setting.clues, *changes, *role_evidence(setting)]
    roles = list(setting.roles)
    empty = [not view.text.strip() for view in views]
    if not setting.anonymous and weights["decoder.infer-host"]:
        # Roles are chosen as if nothing were fixed: an editor's fix of one line says who
        # speaks there, and must not re-cast the whole conversation.
        roles = infer_host(len(views), speakers, roles, clues, {}, empty, weights)
    # The model of every clue with no fixes, built once: the decodings with and without the
    # editor's fixes both start from it.
    base = build_model(len(views), speakers, roles, clues, {}, empty, weights)
    if weights["decoder.in-sentence"]:
        # A first decoding that rarely changes speaker inside a sentence: it should never. Read
        # as if nothing were fixed, so an editor's fix does not switch this for the whole text.
        held = in_sentence_clues(views, best_path(base), weights, fixed)
        clues += held
        base = extend_model(base, speakers, roles, held, {}, empty)
    model, used = _model(views, speakers, roles, clues, fixed, empty, weights, base)
    if fixed:
        # The decoding the editor saw: the same run with no fixes at all.
        unfixed, _ = _model(views, speakers, roles, clues, {}, empty, weights, base)
        model = follow_fixes(model, best_path(unfixed), fixed, weights["decoder.follow-fix"],
                             weights.get("change.bias", CHANGE["bias"]))
    return decode_speakers(model), used


def _model(views: Sequence[View], speakers: Sequence[str], roles: Sequence[str | None],
           clues: Sequence[Clue], fixed: Mapping[int, int], empty: Sequence[bool],
           weights: Mapping[str, float], base: Model) -> tuple[Model, list[Clue]]:
    """The decoder's model and the clues it uses: ``base`` (the model of ``clues``, built with
    no fixes) with the fixes pinned, then the affinity round's clues, and with three speakers
    or more and a host the ``resume`` clues that a first decoding makes possible."""
    model = extend_model(base, speakers, roles, (), fixed, empty)
    learned = learned_weights.load()
    if learned is not None and weights["learned.affinity"] and len(speakers) >= 2:
        # Who sounds like whom: each unit against the words a first decoding gives each speaker.
        affinity = affinity_clues(views, best_path(model), speakers, learned,
                                  weights["learned.affinity"])
        clues = [*clues, *affinity]
        model = extend_model(model, speakers, roles, affinity, fixed, empty)
    pair_weights = samevoice.load() if weights["voices.pairs"] else None
    if pair_weights is not None:
        # Who is who over the whole conversation: stretches clustered into voices (pairs.py).
        voices = voice_clues(views, model, best_path(model), speakers, empty, learned,
                             pair_weights, weights)
        clues = [*clues, *voices]
        model = extend_model(model, speakers, roles, voices, fixed, empty)
    if not weights["decoder.resume"] or len(speakers) < 3 or Role.HOST.value not in roles:
        return model, list(clues)
    resumed = resume_clues(views, best_path(model), roles, speakers,
                           weights["decoder.resume"])
    if not resumed:
        return model, list(clues)
    return extend_model(model, speakers, roles, resumed, fixed, empty), [*clues, *resumed]


def resume_clues(views: Sequence[View], path: Sequence[int], roles: Sequence[str | None],
                 speakers: Sequence[str], weight: float) -> list[Clue]:
    """After a host's question to "you" that names no one, the guest who spoke before answers.

    A moderator who cuts in ("As a senator - you're going to vote for the plan?") speaks to
    whoever had the floor; a question to the group ("you all", "everyone") does not count.
    The decoder is first order: after the host it weighs every guest alike, so this reads
    the first decoding's turns and adds a ``next`` clue for the guest who spoke before each
    such host turn.
    """
    out = []
    start = 0
    previous_guest = None
    for end in range(1, len(path) + 1):
        if end < len(path) and path[end] == path[start]:
            continue
        speaker = path[start]
        turn = [views[u] for u in range(start, end) if views[u].text]
        if roles[speaker] == Role.HOST.value:
            named = any(view.mentions for view in turn)
            asks = bool(turn) and turn[-1].question and asks_you(turn[-1].text) \
                and not _GROUP.search(turn[-1].text)
            if previous_guest is not None and not named and asks:
                out.append(Clue(end - 1, "resume", "next", weight,
                                f"{speakers[previous_guest]} had the floor before the host cut in",
                                speaker=speakers[previous_guest]))
        elif sum(view.words for view in turn) >= FLOOR_WORDS \
                and not all(view.back_channel for view in turn):
            previous_guest = speaker  # a reply ("Wow.") does not take the floor
        start = end
    return out


def infer_host(units: int, speakers: Sequence[str], roles: Sequence[str | None],
               clues: Sequence[Clue], fixed, empty, weights) -> list[str | None]:
    """When no one in the cast is known to be a host, choose one (``attribute`` passes no
    ``fixed`` units: an editor's fixes must not re-cast the conversation).

    Roles tell the decoder who asks and who answers; names tell which person is which. The
    host usually opens the conversation, so when the names alone make clear who speaks in
    its first sentences, that is the host. Otherwise each member in turn is made the host (the others
    guests), and the choice under which the whole conversation is most probable wins (the
    forward algorithm's total, so a labelling that must bend around who is addressed or
    introduced loses). Roles found this way are used only inside the decoder.
    """
    roles = list(roles)
    if Role.HOST.value in roles or len(speakers) < 2:
        return roles
    open_roles = [n for n, role in enumerate(roles) if role in (None, Role.UNKNOWN.value)]
    if not open_roles:
        return roles

    def assume(host: int) -> list[str | None]:
        return [Role.HOST.value if n == host else (Role.GUEST.value if n in open_roles else role)
                for n, role in enumerate(roles)]

    chairs = [n for n in open_roles if CHAIR.search(speakers[n])]
    if len(chairs) == 1:  # a cast of job titles: "Project Manager" runs the meeting
        return assume(chairs[0])
    named = Counter(clue.speaker for clue in clues if clue.cue in NAMED_BY_OTHERS)
    counts = sorted((named[speakers[n]], n) for n in open_roles)
    if len(counts) >= 2 and counts[1][0] - counts[0][0] >= HOST_MARGIN:
        return assume(counts[0][1])
    plain = decode_speakers(build_model(units, speakers, [None] * len(speakers), clues, fixed,
                                        empty, weights))
    opening = [u for u in range(units) if not empty[u]][:OPENING]
    sure = [u for u in opening if plain.posterior[u] >= weights["decoder.opener-sure"]]
    if sure and plain.path[sure[0]] in open_roles:
        return assume(plain.path[sure[0]])
    best, choice = None, roles
    for host in open_roles:
        trial = assume(host)
        score = log_partition(build_model(units, speakers, trial, clues, fixed, empty, weights))
        if best is None or score > best:
            best, choice = score, trial
    return choice
