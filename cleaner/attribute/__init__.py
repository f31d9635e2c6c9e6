"""Attribute: guess who speaks each unit of a transcript, from its text alone.

Takes the transcript, its units and a cast (given or discovered); returns a label, a confidence
and the evidence for each unit. ``evaluate.py`` scores the labels against a gold labelling.

The pipeline: split sentences where input lines break (a speaker may change there), find
the cast, gather clues from every cue, decode the whole conversation at once, then turn the
posterior of each turn into a calibrated confidence with the reasons behind it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import regex

from ..model import Edit, Evidence, Role, Transcript
from ..correct.packs import CastMember
from ..segment.units import Unit, build_units
from ..segment.turns import Label
from .calibrate import confidence as turn_confidence
from .cast import Cast, build_cast
from .boundary import CHANGE, boundaries, boundary_clues
from .cues import (WEIGHTS, Clue, Scene, View, asks_you, build_views, find_organisations, gather,
                   lowercase_sentences)
from .learned import weights as learned_weights
from .learned.evidence import GOING_ON, LEARNED, affinity_clues, change_clues, role_clues
from .decode import (DECODER, FORCED, Model, best_path, build_model, decode_speakers, follow_fixes,
                     log_partition)
from .names import NameIndex, common_words, spelling_variants
from .overrides import Override, locate, override_cuts, unknown_speaker
from ..segment.review import Doubt, needs_review

ANONYMOUS = ("Speaker A", "Speaker B")  # read back, these are cluster labels (read/labels.py)
OPENING = 5  # units in which the first speaker is looked for
UNNAMED_HOST = "Host"  # the host of a show whose guests are named but whose host is not
MAX_EVIDENCE = 6
NAMED_BY_OTHERS = {"addressing.not", "mention.full", "mention.given"}
CHAIR = regex.compile(r"(?i)\b(?:manager|chair(?:man|woman|person)?|moderator|host|presenter"
                      r"|interviewer|facilitator|anchor)\b")
HOST_MARGIN = 3  # a host is named at least this many times less than any other member
# True of most turns, or weak and everywhere: not listed as a turn's evidence.
BACKGROUND = {"narrator.outside", "narrator.none", "entrance", "role.learned", "affinity"}
# A question to the whole group, not to the one who had the floor.
_GROUP = regex.compile(r"(?i)\b(?:you\s+(?:all|guys|both|two|folks)|y'all|everyone|everybody|anyone|anybody"
                       r"|each\s+of\s+you|all\s+of\s+you|both\s+of\s+you)\b")
FLOOR_WORDS = 4  # a guest's turn this long (and more than a reply) holds the floor


@dataclass(frozen=True, slots=True)
class Attribution:
    """Units (sentences cut at line breaks too), a label for each, and the cast used."""

    units: tuple[Unit, ...]
    labels: tuple[Label, ...]
    cast: Cast
    doubts: tuple[Doubt, ...] = ()  # what the review rule read of each decoded turn


def line_units(units: Sequence[Unit]) -> list[Unit]:
    """Cut sentence units where input segments break: one unit per piece.

    A speaker can change at an ASR line break even mid-sentence; the continuation cue keeps
    the pieces of one sentence together unless other cues outweigh it.
    """
    out: list[Unit] = []
    for unit in units:
        for piece in unit.pieces:
            out.append(Unit(len(out), (piece,)))
    return out


MID_SENTENCE = "change.mid-sentence"
MID_SENTENCE_PIECES = 4  # a "sentence" over more input lines is unpunctuated text, not one
# Words a sentence does not end on: a line ending with one goes on in the next line.
NEVER_FINAL = frozenset("""
the a an my your our their its of and or nor but because than into onto from with at by for to
""".split())
_LAST_WORD = regex.compile(r"([\p{L}']+)$")
_OPENS_LOWER = regex.compile(r"^\p{Ll}")


def mid_sentence(sentences: Sequence[Unit], transcript: Transcript | None = None) -> list[Clue]:
    """A boundary clue that forbids a change of speaker where a line break cuts a sentence.

    A speaker changes at a sentence boundary, not inside one: "...not just in the" / "US,
    but around the world." is one speaker's sentence, and a change there also added a full
    stop after "the". A line break is inside a sentence when the line before ends on a word
    with no mark after it, and that word is one no sentence ends on ("the", "of", "and") or
    the next line goes on in lower case. Human transcripts break lines at interruptions
    ("keep it--", "ourselves from the last meeting ," / "Mm-hmm ."), so a mark or a capital
    leaves the boundary to the cues. An override can still cut a sentence: its units are
    exempt (see ``attribute``), and so is a line the input labels with another speaker than
    the line before. Sentences over more than ``MID_SENTENCE_PIECES`` input lines are taken
    for unpunctuated text and left alone.
    """
    segments = transcript.segments if transcript is not None else ()
    clues = []
    unit = 0
    for sentence in sentences:
        pieces = sentence.pieces
        for number, piece in enumerate(pieces):
            if number and len(pieces) <= MID_SENTENCE_PIECES:
                last = _LAST_WORD.search(pieces[number - 1].text.rstrip())
                labels = {segments[p.segment].speaker_hint for p in pieces[number - 1 : number + 1]
                          } if segments else {None}
                if last and len(labels) == 1 and (last.group(1).lower() in NEVER_FINAL
                                                  or _OPENS_LOWER.match(piece.text.lstrip())):
                    clues.append(Clue(unit, MID_SENTENCE, "boundary", -FORCED,
                                      "the sentence goes on from the line before"))
            unit += 1
    return clues


@dataclass(frozen=True, slots=True)
class Setting:
    """What the decoder works from: units, what the cues read of them, the cast and its
    speaker names and roles, and every clue."""

    units: tuple[Unit, ...]
    views: tuple[View, ...]
    cast: Cast
    speakers: tuple[str, ...]
    roles: tuple[str | None, ...]
    anonymous: bool
    clues: tuple[Clue, ...]
    scene: Scene


def prepare(transcript: Transcript, corrected: Sequence[str], edits: Sequence[Edit],
            cast: Sequence[CastMember] | None = None, pack_cast: Sequence[CastMember] = (),
            overrides: Sequence[Override] = (),
            weights: Mapping[str, float] | None = None) -> Setting:
    """Units, cast and clues of a transcript (everything before decoding)."""
    weights = {**WEIGHTS, **DECODER, **LEARNED, **(weights or {})}
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
        if _resolve(override.speaker, members) is None:
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
    clues = gather(views, scene) + change_evidence(views, scene, weights)
    clues += mid_sentence(sentences, transcript)
    learned = learned_weights.load()
    if learned is not None and weights["learned.role"]:
        clues += role_clues(views, learned, weights["learned.role"])
    return Setting(tuple(units), tuple(views), the_cast, tuple(speakers), tuple(roles),
                   anonymous, tuple(clues), scene)


def change_evidence(views: Sequence[View], scene: Scene, weights: Mapping[str, float]) -> list[Clue]:
    """Where the speaker changes: the learned model (words on both sides and the hand-made
    features) when its weights are shipped and not turned off, else the hand-made model."""
    learned = learned_weights.load()
    if learned is None or not weights["learned.change"]:
        return list(boundary_clues(views, scene))
    heuristic = dict(boundaries(views, scene.index.lowercase, scene.lowercase_sentences))
    out = change_clues(views, heuristic, learned, weights, weights.get("change.bias", CHANGE["bias"]))
    if weights["learned.hand-made"]:  # a share of the hand-made table's log-odds on top
        share = weights["learned.hand-made"]
        out += [Clue(c.unit, c.cue, c.kind, c.weight * share, c.reason)
                for c in boundary_clues(views, scene)]
    return out


def attribute(transcript: Transcript, corrected: Sequence[str], edits: Sequence[Edit],
              cast: Sequence[CastMember] | None = None, pack_cast: Sequence[CastMember] = (),
              overrides: Sequence[Override] = (), review_below: float | None = None,
              weights: Mapping[str, float] | None = None) -> Attribution:
    """Label every unit of a transcript with a speaker, a role, a confidence and evidence.

    ``weights`` replaces the cue and decoder weights (for tuning; see bench/speakers.py).
    """
    weights = {**WEIGHTS, **DECODER, **LEARNED, **(weights or {})}
    setting = prepare(transcript, corrected, edits, cast, pack_cast, overrides, weights)
    units, views, clues = list(setting.units), list(setting.views), list(setting.clues)
    speakers, roles, anonymous = list(setting.speakers), list(setting.roles), setting.anonymous
    members = setting.cast.members
    fixed = _fixed(transcript, units, overrides, members, speakers)
    if fixed:  # an override may cut a sentence between speakers
        clues = [c for c in clues if c.cue != MID_SENTENCE
                 or (c.unit not in fixed and c.unit - 1 not in fixed)]
    empty = [not view.text.strip() for view in views]
    if not anonymous and weights["decoder.infer-host"]:
        # Roles are chosen as if nothing were fixed: an editor's fix of one line says who
        # speaks there, and must not re-cast the whole conversation.
        roles = infer_host(len(units), speakers, roles, clues, {}, empty, weights)
    model, used = _model(views, speakers, roles, clues, fixed, empty, weights)
    if fixed:
        # The decoding the editor saw: the same run with no fixes at all.
        unfixed, _ = _model(views, speakers, roles, clues, {}, empty, weights)
        model = follow_fixes(model, best_path(unfixed), fixed, weights["decoder.follow-fix"],
                             weights.get("change.bias", CHANGE["bias"]))
    decoding = decode_speakers(model)
    cast_roles = [None] * len(speakers) if anonymous else [m.role for m in members]
    labels, doubts = _labels(units, views, decoding, speakers, cast_roles, used, fixed, anonymous,
                             review_below)
    return Attribution(tuple(units), tuple(labels), setting.cast, tuple(doubts))


def _model(views: Sequence[View], speakers: Sequence[str], roles: Sequence[str | None],
           clues: Sequence[Clue], fixed: Mapping[int, int], empty: Sequence[bool],
           weights: Mapping[str, float]) -> tuple[Model, list[Clue]]:
    """The decoder's model and the clues it uses: with three speakers or more and a host,
    decoded once more with the ``resume`` clues that the first decoding makes possible."""
    model = build_model(len(views), speakers, roles, clues, fixed, empty, weights)
    learned = learned_weights.load()
    if learned is not None and weights["learned.affinity"] and len(speakers) >= 2:
        # Who sounds like whom: each unit against the words a first decoding gives each speaker.
        clues = [*clues, *affinity_clues(views, best_path(model), speakers, learned,
                                         weights["learned.affinity"])]
        model = build_model(len(views), speakers, roles, clues, fixed, empty, weights)
    if not weights["decoder.resume"] or len(speakers) < 3 or Role.HOST.value not in roles:
        return model, list(clues)
    resumed = resume_clues(views, best_path(model), roles, speakers,
                           weights["decoder.resume"])
    if not resumed:
        return model, list(clues)
    used = [*clues, *resumed]
    return build_model(len(views), speakers, roles, used, fixed, empty, weights), used


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


def _resolve(name: str, members: Sequence[CastMember]) -> str | None:
    key = name.casefold()
    for member in members:
        if member.name.casefold() == key or any(a.casefold() == key for a in member.aliases):
            return member.name
    index = NameIndex([(m.name, m.aliases) for m in members])
    return index.lookup(name)


def _fixed(transcript: Transcript, units: Sequence[Unit], overrides: Sequence[Override],
           members: Sequence[CastMember], speakers: Sequence[str]) -> dict[int, int]:
    """Units an override fixes: ``{unit: speaker number}``."""
    fixed: dict[int, int] = {}
    for override in sorted(overrides, key=lambda o: (o.line, o.at or 0)):
        name = _resolve(override.speaker, members) or override.speaker
        if name not in speakers:
            continue
        number = speakers.index(name)
        start = locate(transcript, override.line, override.at or 0)
        for unit in units:
            piece = unit.pieces[0]
            segment = transcript.segments[piece.segment]
            if segment.line != override.line:
                continue
            if start is not None and (piece.segment, piece.start) < (start[0], start[1]) \
                    and override.at:
                continue
            fixed[unit.index] = number
    return fixed


def _labels(units, views, decoding, speakers, roles, clues: Sequence[Clue], fixed,
            anonymous: bool, review_below: float | None) -> tuple[list[Label], list[Doubt]]:
    """Group units into turns, give each turn a calibrated confidence and its best reasons,
    and say which go on the review list (``review.needs_review``)."""
    hinted = [None] * len(units)
    for clue in clues:
        if clue.cue == "input-label" and clue.speaker in speakers:
            hinted[clue.unit] = speakers.index(clue.speaker)
    by_unit: dict[int, list[Clue]] = {}
    for clue in clues:
        by_unit.setdefault(clue.unit, []).append(clue)
    labels: list[Label] = []
    doubts: list[Doubt] = []
    path = decoding.path
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
        confidence = turn_confidence(score, sum(weights)) if len(speakers) > 1 else 1.0
        evidence = _evidence(range(start, end), by_unit, speaker, views, score)
        supported = len(evidence) > 1 or len(speakers) == 1
        if not supported:
            # Nothing in the text points to anyone: no better than a guess, and said so.
            confidence = min(confidence, 1.0 / len(speakers))
        if all(u in fixed or hinted[u] == number for u in range(start, end)):
            confidence, supported = 1.0, True  # an editor's override or the input's own label
        if anonymous:
            confidence = min(confidence, 0.5)
            if len(used) == 1:  # one voice and no name: nothing to claim
                speaker, role, confidence = None, None, None
        review = False
        if speaker is not None:
            doubt = Doubt(start, end, confidence, supported,
                          sum(views[u].words for u in range(start, end)))
            doubts.append(doubt)
            review = needs_review(doubt, review_below)
        for position, unit in enumerate(range(start, end)):
            labels.append(Label(
                speaker=speaker, role=role or (Role.UNKNOWN.value if speaker else None),
                confidence=confidence, evidence=evidence if position == 0 else (),
                review=review,
            ))
        start = end
    return labels, doubts


def _evidence(units: range, by_unit: dict[int, list[Clue]], speaker: str | None,
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
