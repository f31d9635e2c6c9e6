"""Diarized transcripts: name the diarizer's clusters ("Speaker 0" -> a person), after repair.

A diarizer already says which lines one voice spoke; what it cannot say is *who* that voice
is. Naming reads the same cues as attribution (``cues.py``), but aggregates them over every
turn of a cluster instead of deciding line by line:

- for a name: introducing themself; being asked by name to speak up to ``NEAR_END`` words
  before the end of the turn before the cluster's turns (``addressing.next``), or named to
  address someone in about that turn's last sentence ("Hello, Sjors.", ``TURN_END``); being
  thanked or greeted right after them. A sentence naming several people shares this
  evidence between them;
- against a name: addressing that person inside the cluster's own turns, or talking about
  them in the third person;
- roles: who asks the questions (the ``role`` cues, as a mean per sentence, compared between
  clusters), who takes long turns (mean words per turn against the clusters' geometric
  mean), who opens and who closes the conversation (weakly: many shows open with a clip of
  the guest), and who thanks the others right after being welcomed (a guest).

Names come from the cast (``--cast``), else the show pack's cast, the front matter's
``speakers:`` and the names the text introduces or addresses (``addressed_names``: one
greeting at a turn's edge is enough in a diarized transcript; an addressed word that sounds
like exactly one listed name is that person's alias).

Each cue's total for a (cluster, name) pair is saturated (``CAP``), so forty mentions do not
outweigh one clear introduction by much. These totals, and what the learned mention model
reads of every name mention (``learned.py``), become one log-odds per pair; the
naming policy (``naming.py``) then gives every voice a name or its own label in one
assignment over the whole conversation. Its thresholds and the models' weights are fitted
on the corpus training split by ``train/naming.py``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import regex

from ...model import Edit, Role, Transcript
from ...correct.packs import CastMember
from ..cues import Clue, View
from ..voices.clusters import input_voices, unit_clusters
from ..voices.repair import Repair

CAP = 6.0            # a cue's total for one (cluster, name) pair saturates near this
MISHEARD = 0.75     # an addressed word this like a listed name (similar.similarity) is that name
ROLE = 2.0           # weight of the host-likeness difference between clusters
NEAR_END = 40        # words after a name asked to speak, to the end of the turn, at most
LAST_SENTENCE = 12   # ... and after a name merely used to address someone (about a sentence)
TURN_END = 3.0       # named in the last sentence of a turn: the next voice is theirs (as
                     # strong as being asked to speak, cues.WEIGHTS["addressing.next"])
LENGTH = 1.0         # long turns (log ratio of mean words per turn): a guest
OPENS = 0.3          # the cluster that opens (or closes) the conversation: a host (weak: many
                     # shows open with a clip of the guest)
WELCOMED = 2.0       # thanks right after being welcomed: a guest
SKIP = {"input-label", "addressing.next-unit", "narrator.outside", "narrator.none"}

_GREETINGS = {"hi", "hey", "hello", "dear", "thanks", "thank", "bye", "goodbye", "welcome", "yo",
              "morning", "evening", "cheers"}
_LED = regex.compile(r"^(?P<lead>(?:[\p{L}']+[,!]?\s+){1,3}?)(?P<name>\p{Lu}\p{Ll}+),\s+"
                    r"(?=.*\byou\b.*\?\s*$)")
_SENTENCE_CUT = regex.compile(r"(?<=[.!?])\s+")
_THANKS = regex.compile(r"(?i)^(?:well,?\s+|oh,?\s+)?(?:thanks|thank\s+you|(?:glad|happy|great|good)"
                        r"\s+to\s+be\s+(?:here|back)|it'?s\s+(?:great|good|a\s+pleasure)\s+to\s+be)")
_WELCOME = regex.compile(r"(?i)\bwelcome\b|\bthanks?\s+(?:you\s+)?(?:(?:so|very)\s+much\s+)?for\s+"
                         r"(?:joining|coming|being\s+(?:here|with|on))")

PHRASES = {
    "self-introduction": ("introduces themself", "introduces themself"),
    "addressing.next": ("addressed by name just before {k} of its turns",
                        "addressed by name before {k} of its turns"),
    "addressing.turn-end": ("named at the end of the turn before {k} of its turns",
                            "named at the end of the turn before {k} of its turns"),
    "addressing.previous": ("thanked or greeted by name right after {k} of its turns",
                            "thanked or greeted by name after {k} of its turns"),
    "addressing.not": ("addresses {name} {k}x", "addresses {name} {k}x"),
    "mention.full": ("talks about {name} {k}x", "talks about {name} {k}x"),
    "mention.given": ("talks about {name} {k}x", "talks about {name} {k}x"),
    "entrance": ("speaks before {name} is welcomed", "speaks before {name} is welcomed"),
    "organisation": ("says “we” next to {name}'s organisation {k}x",
                     "says “we” next to {name}'s organisation {k}x"),
    "narrator.intro": ("speaks the narrator's intro", "speaks the narrator's intro"),
    "override": ("an editor's override names it ({k} lines)", "an editor's override names it"),
}


@dataclass(frozen=True, slots=True)
class ClusterName:
    """What naming decided for one cluster."""

    label: str
    name: str | None            # None: the cluster keeps its label
    confidence: float           # of ``name`` (or, unnamed, of the best name it could have had)
    evidence: tuple[str, ...]   # the reasons, strongest first
    words: int = 0
    turns: int = 0
    candidate: str | None = None  # the best name, when the evidence was too weak to use it
    merged_with: str | None = None  # another cluster with the same name

    def to_dict(self) -> dict:
        data = {"label": self.label, "name": self.name, "confidence": round(self.confidence, 3),
                "evidence": list(self.evidence), "words": self.words, "turns": self.turns}
        if self.candidate:
            data["candidate"] = self.candidate
        if self.merged_with:
            data["merged_with"] = self.merged_with
        return data

    def summary(self) -> str:
        """``Speaker 1 → Adam Jonas (0.93): addressed by name ...``."""
        if self.name:
            target = self.name
        elif self.candidate:
            target = f"unnamed (best guess {self.candidate})"
        else:
            target = "unnamed"
        reasons = "; ".join(self.evidence[:4])
        return f"{self.label} → {target} ({self.confidence:.2f})" + (f": {reasons}" if reasons else "")


@dataclass(slots=True)
class _Tally:
    """Evidence about one (cluster, name) pair, per cue: total weight and count."""

    cues: dict[str, list[float]] = field(default_factory=dict)

    def add(self, cue: str, weight: float) -> None:
        entry = self.cues.setdefault(cue, [0.0, 0])
        entry[0] += weight
        entry[1] += 1

    def score(self) -> float:
        return sum(saturate(total) for total, _ in self.cues.values())

    def saturated(self, cue: str) -> float:
        """One cue's saturated total (0 when the pair has none of it)."""
        entry = self.cues.get(cue)
        return saturate(entry[0]) if entry else 0.0


def saturate(value: float, cap: float = CAP) -> float:
    """``value`` squashed into ``(-cap, cap)``, about linear near zero."""
    return cap * math.tanh(value / cap)



def turns_of(clusters: Sequence[str], views: Sequence[View]) -> list[tuple[int, int]]:
    """``(first, last)`` unit of every run of one cluster over the non-empty units."""
    runs: list[tuple[int, int]] = []
    previous = None
    for unit, view in enumerate(views):
        if not view.text.strip():
            continue
        if previous is None or clusters[unit] != clusters[previous] or not runs:
            runs.append((unit, unit))
        else:
            runs[-1] = (runs[-1][0], unit)
        previous = unit
    return runs


def gather_evidence(views: Sequence[View], clusters: Sequence[str], clues: Sequence[Clue],
                    names: Sequence[str], roles: Sequence[str | None],
                    fixed: Mapping[int, str] | None = None) -> dict[tuple[str, str], _Tally]:
    """Evidence for every (cluster, name) pair, from the clues and the clusters' roles."""
    tallies: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    known = set(names)
    runs = turns_of(clusters, views)
    run_of = {}
    for number, (first, last) in enumerate(runs):
        for unit in range(first, last + 1):
            run_of[unit] = number
    # Words left in a unit's turn after it: a name used this close to the turn's end is
    # addressed to the next voice.
    left = {}
    for first, last in runs:
        after = 0
        for unit in range(last, first - 1, -1):
            left[unit] = after
            after += views[unit].words
    asked = {(clue.unit, clue.speaker) for clue in clues if clue.cue == "addressing.next"}
    # A sentence that names two people ("Sergey, Clara, thank you ...") does not say which
    # of them speaks next: the evidence for the next voice is shared between them.
    named: dict[int, set] = defaultdict(set)
    for clue in clues:
        if clue.cue in ("addressing.not", "addressing.next"):
            named[clue.unit] = {m.speaker for m in views[clue.unit].mentions} | {clue.speaker}
    for clue in clues:
        if clue.cue in SKIP or clue.unit >= len(clusters):
            continue
        cluster = clusters[clue.unit]
        if clue.kind == "speaker" and clue.speaker in known:
            tallies[(cluster, clue.speaker)].add(clue.cue, clue.weight)
            run = run_of.get(clue.unit)
            if clue.cue == "addressing.not" and run is not None and run + 1 < len(runs) \
                    and left.get(clue.unit, 0) <= LAST_SENTENCE and (clue.unit, clue.speaker) not in asked:
                # Named at the end of a turn ("Hello, Sjors."): the next voice.
                share = max(len(named[clue.unit]), 1)
                tallies[(clusters[runs[run + 1][0]], clue.speaker)].add("addressing.turn-end",
                                                                        TURN_END / share)
        elif clue.kind == "next" and clue.speaker in known:
            run = run_of.get(clue.unit)
            if run is None or run + 1 >= len(runs) or left.get(clue.unit, 0) > NEAR_END:
                continue  # addressed in the middle of a turn that goes on
            share = max(len(named[clue.unit]), 1)
            tallies[(clusters[runs[run + 1][0]], clue.speaker)].add(clue.cue, clue.weight / share)
    for unit, name in (fixed or {}).items():
        if name in known:
            tallies[(clusters[unit], name)].add("override", 25.0)
    _role_evidence(tallies, runs, views, clusters, names, roles,
                   host_likeness(clusters, clues, views))
    return tallies


def _role_evidence(tallies, runs, views, clusters, names, roles, likeness) -> None:
    """Host-likeness per cluster (mean role log-odds per sentence, against the others' mean),
    who opens and closes, and who thanks right after a welcome."""
    labels = [c for c in dict.fromkeys(clusters[first] for first, _ in runs)]
    if len(labels) < 2 or not any(roles):
        return
    mean = {c: likeness.get(c, 0.0) for c in labels}
    centre = sum(mean.values()) / len(mean)
    # Who answers at length: a cluster's mean words per turn against the clusters' geometric
    # mean (log ratio, at most LENGTH either way).
    turn_words: dict[str, list[int]] = defaultdict(list)
    for first, last in runs:
        turn_words[clusters[first]].append(sum(views[u].words for u in range(first, last + 1)))
    mean_words = {c: max(sum(turn_words[c]) / len(turn_words[c]), 1.0) for c in labels}
    centre_words = sum(math.log(w) for w in mean_words.values()) / len(mean_words)
    openers = [clusters[runs[0][0]]] if runs else []
    closers = [clusters[runs[-1][0]]] if runs else []
    welcomed: Counter = Counter()
    for (first, last), (next_first, _) in zip(runs, runs[1:]):
        if _WELCOME.search(views[last].text) and _THANKS.search(views[next_first].text):
            welcomed[clusters[next_first]] += 1
    for name, role in zip(names, roles):
        sign = 1.0 if role == Role.HOST.value else -1.0 if role == Role.GUEST.value else 0.0
        if not sign:
            continue
        for cluster in labels:
            tally = tallies[(cluster, name)]
            difference = max(min(ROLE * (mean[cluster] - centre), ROLE), -ROLE)
            if abs(difference) >= 0.1:
                tally.add("role.asks" if difference > 0 else "role.answers", sign * difference)
            length = max(min(math.log(mean_words[cluster]) - centre_words, LENGTH), -LENGTH)
            if abs(length) >= 0.1:
                tally.add("role.long-turns" if length > 0 else "role.short-turns", -sign * length)
            if cluster in openers:
                tally.add("role.opens", sign * OPENS)
            if cluster in closers:
                tally.add("role.closes", sign * OPENS)
            if welcomed[cluster]:
                tally.add("role.welcomed", -sign * WELCOMED)


def reasons(tally: _Tally, name: str) -> list[str]:
    """The evidence of a pair in words, strongest first; evidence against ends in (against)."""
    out = []
    role_parts = []
    for cue, (total, count) in sorted(tally.cues.items(), key=lambda item: -abs(saturate(item[1][0]))):
        if cue.startswith("role."):
            role_parts.append((cue, total))
            continue
        phrase = PHRASES.get(cue, (cue + " {k}x", cue + " {k}x"))[0]
        text = phrase.format(k=count, name=name)
        out.append(text if total > 0 else f"{text} (against)")
    for cue, total in role_parts:
        text = {"role.asks": "asks more than the others", "role.answers": "asks less than the others",
                "role.long-turns": "takes long turns", "role.short-turns": "takes short turns",
                "role.opens": "opens the conversation", "role.closes": "closes the conversation",
                "role.welcomed": "thanks the others right after being welcomed"}[cue]
        out.append(text if total > 0 else f"{text} (against)")
    return out


def host_likeness(clusters: Sequence[str], clues: Sequence[Clue], views: Sequence[View]) -> dict[str, float]:
    """Each cluster's mean host log-odds per sentence (the ``role`` cues for a host)."""
    total: dict[str, float] = defaultdict(float)
    units: Counter = Counter()
    for unit, view in enumerate(views):
        if view.text.strip():
            units[clusters[unit]] += 1
    for clue in clues:
        if clue.kind == "role" and clue.role == Role.HOST.value and clue.unit < len(clusters):
            total[clusters[clue.unit]] += clue.weight
    return {cluster: total[cluster] / count for cluster, count in units.items()}


def naming_evidence(views: Sequence[View], clusters: Sequence[str], clues: Sequence[Clue],
                    names: Sequence[str], roles: Sequence[str | None],
                    fixed: Mapping[int, str] | None = None):
    """Everything naming reads, per (cluster, name) pair: ``(tallies, logits, sites,
    chances)``. Logits come from the learned models when their weights ship, else from the
    hand cues' saturated totals."""
    from . import learned

    tallies = gather_evidence(views, clusters, clues, names, roles, fixed)
    weights = learned.load()
    if weights is None:
        logits = {pair: tally.score() for pair, tally in tallies.items()}
        return tallies, logits, [], None
    runs = turns_of(clusters, views)
    sites = learned.mention_sites(views, clusters, runs, set(names))
    chances = learned.relation_chances([s.features for s in sites], weights)
    features = learned.pair_features(views, clusters, runs, names, roles, tallies, sites, chances,
                                      host_likeness(clusters, clues, views))
    logits = learned.pair_logits(features, weights)
    for (cluster, name), tally in tallies.items():
        if "override" in tally.cues:  # an editor said so
            logits[(cluster, name)] = logits.get((cluster, name), 0.0) + tally.cues["override"][0]
    return tallies, logits, sites, chances


def learned_reasons(cluster: str, name: str, sites, chances) -> list[str]:
    """What the mention model read for a pair, in words (most telling first)."""
    if chances is None:
        return []
    counts = Counter()
    for site, chance in zip(sites, chances):
        if site.name != name:
            continue
        if site.here == cluster and chance[0] > 0.5:
            counts["says their own name (mention model)"] += 1
        if site.after == cluster and chance[1] > 0.5:
            counts["asked by name to speak (mention model)"] += 1
        if site.before == cluster and chance[2] > 0.5:
            counts["answered or thanked by name (mention model)"] += 1
        if site.here == cluster and chance[1] + chance[2] > 0.5:
            counts[f"addresses {name} (mention model; against)"] += 1
    return [f"{text} {count}x" if count > 1 else text for text, count in counts.most_common()]


def name_clusters(views: Sequence[View], clusters: Sequence[str], clues: Sequence[Clue],
                  names: Sequence[str], roles: Sequence[str | None],
                  listed: set[str] | None = None,
                  fixed: Mapping[int, str] | None = None,
                  labelled: Mapping[str, str] | None = None,
                  keep_unsure: float | None = None) -> list[ClusterName]:
    """Name every cluster (see ``naming.py`` for the policy). ``listed`` are the names the
    user, the show pack or the front matter give (every voice with a real share gets one of
    them while any is left); ``fixed`` are units an editor's override names; ``labelled``
    maps a cluster label that is also a cast name to that name (taken as given).
    ``keep_unsure`` (a confidence) keeps the label of a voice named less surely than that."""
    from . import learned
    from .naming import DEFAULTS, choose_names, confidence

    listed = set(names) if listed is None else set(listed)
    labelled = labelled or {}
    order = list(dict.fromkeys(c for c in clusters))
    words: Counter = Counter()
    for unit, view in enumerate(views):
        words[clusters[unit]] += view.words
    total = max(sum(words.values()), 1)
    turn_count = Counter(clusters[first] for first, _ in turns_of(clusters, views))
    tallies, logits, sites, chances = naming_evidence(views, clusters, clues, names, roles, fixed)
    weights = learned.load()
    settings = {**DEFAULTS, **(weights.meta.get("fitted", {}) if weights else {})}
    free = [c for c in order if c not in labelled]
    open_names = [n for n in names if n not in labelled.values()]
    choices = choose_names(free, {c: words[c] / total for c in free}, open_names,
                           listed & set(open_names), logits, settings)
    out: dict[str, ClusterName] = {}
    for choice in choices:
        cluster = choice.cluster
        sure = confidence(choice.margin, settings)
        if choice.name is None:
            reasons_ = (_unnamed_reasons(cluster, choice.best, open_names, listed, logits),)
            out[cluster] = ClusterName(cluster, None, sure, reasons_, words[cluster],
                                       turn_count[cluster], candidate=choice.best)
            continue
        name = choice.name
        found = learned_reasons(cluster, name, sites, chances) + \
            reasons(tallies.get((cluster, name), _Tally()), name)
        if not any("against" not in e for e in found):
            found.append("the other names fit the other voices better" if len(open_names) > 1
                         else "the only name left in the cast")
        if choice.merged_with:
            found.append(f"the same person as {choice.merged_with} (split by the diarizer)")
        if keep_unsure and sure < keep_unsure and not choice.merged_with:
            out[cluster] = ClusterName(cluster, None, sure,
                                       ("evidence too weak to name it", *found), words[cluster],
                                       turn_count[cluster], candidate=name)
            continue
        out[cluster] = ClusterName(cluster, name, sure, tuple(found), words[cluster],
                                   turn_count[cluster], merged_with=choice.merged_with)
    for cluster in order:
        if cluster in labelled:
            out[cluster] = ClusterName(cluster, labelled[cluster], 1.0,
                                       (f"the input or the cast names a person {cluster!r}",),
                                       words[cluster], turn_count[cluster])
    return [out[c] for c in order]


def _unnamed_reasons(cluster: str, best: str | None, names: Sequence[str], listed: set[str],
                     logits) -> str:
    if not names:
        return "no names known (give --cast)"
    if best is None or logits.get((cluster, best), 0.0) <= 0:
        return "no evidence for any name"
    if best in listed:
        return f"every listed name fits another voice better (best: {best})"
    return f"the names with evidence fit other voices better (best: {best})"


# ---------------------------------------------------------------------------------------------
# The stage: from a transcript with clusters to labelled units


@dataclass(frozen=True, slots=True)
class Diarization:
    """What the diarized path adds to an attribution: namings, repairs, warnings."""

    clusters: tuple[ClusterName, ...]
    repairs: tuple[Repair, ...]
    warnings: tuple[str, ...]
    trusted: bool

    def to_dict(self) -> dict:
        return {"clusters": [c.to_dict() for c in self.clusters],
                "repairs": [r.to_dict() for r in self.repairs],
                "warnings": list(self.warnings), "trust_diarization": self.trusted}


def addressed_names(texts: Sequence[str], cast: Sequence[CastMember] | None,
                    pack: Sequence[CastMember]) -> tuple[list[CastMember] | None, list[CastMember]]:
    """Names the text addresses ("Hello, Merch.", "Hi, Jonas.", "How about you, Clara?"):
    a form that sounds like exactly one listed person's given name or surname (similarity
    at least ``MISHEARD``: ASR's "Sjoerd" for Sjors) becomes that person's alias; another
    proper noun addressed this way joins the cast (only when no cast is given), since in a
    diarized transcript one greeting at a turn's edge is evidence enough to name a voice.
    """
    from ...words.similar import similarity, sounds_alike
    from ..cues import _LEADS
    from ..cast import VOCATIVE, _NOT_NAMES, _full_name, _proper_noun
    from ..mentions import NameIndex, common_words, name_forms

    listed = list(cast) if cast else list(pack)
    full = "\n".join(texts)
    lowercase = common_words(full)
    index = NameIndex([(m.name, m.aliases) for m in listed], lowercase=lowercase)
    addressed: list[str] = []
    sentences = [piece for text in texts for piece in _SENTENCE_CUT.split(text) if piece]
    for text in sentences:
        if "," not in text and not text[:5].casefold().startswith(("hey", "hi", "hello", "thank")):
            continue
        tokens = [match.group("name") for match in VOCATIVE.finditer(text)]
        led = _LED.match(text)
        if led and all(word in _LEADS for word in led.group("lead").casefold().replace(",", " ")
                       .replace("!", " ").split()):
            tokens.append(led.group("name"))  # "OK, Merch, what did you think?"
        for token in tokens:
            if token.casefold() in _NOT_NAMES or token.casefold() in lowercase:
                continue
            if index.lookup(token) is None and token not in addressed:
                addressed.append(token)
    aliases: dict[str, list[str]] = {}
    new: list[CastMember] = []
    for token in addressed:
        scored = []
        for member in listed:
            forms = [form for form, kind in name_forms(member.name, member.aliases)
                     if kind in ("given", "surname", "alias") and " " not in form]
            best = max((similarity(token, form) for form in forms if sounds_alike(token, form)),
                       default=0.0)
            scored.append((best, member.name))
        scored.sort(reverse=True)
        if scored and scored[0][0] >= MISHEARD and (len(scored) == 1 or scored[1][0] < MISHEARD):
            aliases.setdefault(scored[0][1], []).append(token)
        elif not cast and _proper_noun(token, full, lowercase) \
                and regex.match(r"\p{Lu}\p{Ll}+$", token):
            name = _full_name(token, [], full, lowercase) or token
            if any(word.casefold() in _GREETINGS for word in name.split()):
                name = token  # "Hi Jonas" is a greeting, not a full name
            if index.lookup(name) is None and name not in {m.name for m in new}:
                new.append(CastMember(name=name))
    def extend(members):
        return [CastMember(m.name, m.role, tuple(m.aliases) + tuple(aliases.get(m.name, ())))
                for m in members]
    if cast:
        return extend(cast), list(pack)
    return None, extend(pack) + new


class Stage:
    """Everything repair and naming read, prepared once; ``run`` is the two stages.

    ``clues`` are the setting's cues with the turns stage's change clues and the role
    model's, as the text-only path decodes with."""

    def __init__(self, setting, clues: list[Clue], transcript: Transcript, clusters: list[str],
                 names: list[str],
                 roles: list[str | None], listed: set[str], fixed: dict[int, str],
                 labelled: dict[str, str], trust: bool, warnings: list[str],
                 keep_unsure: float | None = None) -> None:
        self.setting = setting
        self.clues = clues
        self.transcript = transcript
        self.clusters = clusters
        self.names = names
        self.roles = roles
        self.listed = listed
        self.fixed = fixed
        self.labelled = labelled
        self.trust = trust
        self.warnings = warnings
        self.keep_unsure = keep_unsure

    @classmethod
    def build(cls, transcript: Transcript, corrected: Sequence[str] | None = None,
              edits: Sequence[Edit] = (), cast: Sequence[CastMember] | None = None,
              pack_cast: Sequence[CastMember] = (), overrides=(), trust: bool = False,
              keep_unsure: float | None = None) -> "Stage":
        from ...read.published import front_matter_problem, listed_speakers
        from ..overrides import fixed_units
        from ..setting import UNNAMED_HOST, prepare
        from ..turns import find_changes
        from ..voices.track import role_evidence
        from ..cast import CHAIR

        corrected = [s.text for s in transcript.segments] if corrected is None else corrected
        warnings: list[str] = []
        listed = listed_speakers(transcript)
        problem = front_matter_problem(transcript)
        if problem:
            warnings.append(f"the front matter is not valid YAML ({problem}): its speakers are "
                            "not used")
        extra = [CastMember(name=name) for name in listed]
        known_pack = {m.name for m in pack_cast}
        pack = list(pack_cast) + [m for m in extra if m.name not in known_pack]
        listed_names = {m.name for m in (cast or ())} | {m.name for m in pack}
        cast, pack = addressed_names(corrected, cast, pack)
        setting = prepare(transcript, corrected, edits, cast, pack, overrides)
        clusters, missing = unit_clusters(transcript, setting.units)
        if missing:
            warnings.append(f"{missing} sentences carry no cluster label: each was given the "
                            "cluster before it")
        members = [m for m in setting.cast.members if m.name != UNNAMED_HOST]
        names = [] if setting.anonymous else [m.name for m in members]
        roles = [] if setting.anonymous else [m.role for m in members]
        addressed = {m.name for m in (pack if cast is None else ())} - listed_names
        roles = [Role.UNKNOWN.value if name in addressed else role
                 for name, role in zip(names, roles)]
        # A cast of job titles: the chair ("Project Manager", "Moderator") runs the meeting.
        roles = [Role.HOST.value if role in (None, Role.UNKNOWN.value) and CHAIR.search(name)
                 else role for name, role in zip(names, roles)]
        labels = {segment.cluster for segment in transcript.segments if segment.cluster}
        hinted = {segment.speaker_hint for segment in transcript.segments
                  if segment.speaker_hint and not segment.cluster}
        labelled = {name: name for name in names if name in hinted}  # named by the input
        for name in names:
            if name in labels:
                labelled[name] = name
                warnings.append(f"{name!r} is both a cluster label and a cast name: read as "
                                "the person")
        fixed = {unit: setting.speakers[number] for unit, number in fixed_units(
            transcript, list(setting.units), overrides, members, list(setting.speakers)).items()
        } if overrides else {}
        clustered = len(set(clusters) - set(labelled))
        if names and len(names) < clustered:
            people = "person" if len(names) == 1 else "people"
            warnings.append(f"the cast names {len(names)} {people} for {clustered} clusters: "
                            "some clusters keep their labels")
        clues = [*setting.clues, *find_changes(setting), *role_evidence(setting)]
        return cls(setting, clues, transcript, clusters, names, roles, listed_names & set(names),
                   fixed, labelled, trust, warnings, keep_unsure)

    def run(self) -> tuple[list[str], list[Repair], list[ClusterName]]:
        """Voices from the clusters (repaired unless trusted), then their names:
        ``(voice per unit, repairs, namings)``."""
        views = self.setting.views
        clusters, repairs = input_voices(self.transcript, self.setting.units, views,
                                         self.clusters, self.clues, self.trust)
        namings = name_clusters(views, clusters, self.clues, self.names, self.roles,
                                self.listed, self.fixed, self.labelled, self.keep_unsure)
        return clusters, repairs, namings
