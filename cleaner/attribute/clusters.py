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
like exactly one listed name is that person's alias). Listed names are a little favoured
(``PRIOR_KNOWN``) over names found only in the text (``PRIOR_UNLISTED``).

Each cue's total for a (cluster, name) pair is saturated (``CAP``), so forty mentions do not
outweigh one clear introduction by much. One optimal one-to-one assignment (Hungarian) over
clusters x (names + "stays unnamed") gives every cluster a name or its own label; the
confidence of a choice is the logistic of its max-marginal margin (how much worse the best
assignment gets when that choice is forbidden). A cluster stays unnamed when that margin is
below ``NAME_MARGIN``.

Two clusters get one name (a person the diarizer split in two) only when the cluster left
over has strong evidence of its own for a name already given (at least ``MERGE_MIN`` log-odds,
and that much more than for any other name): an introduction, or being addressed before
several of its turns. Names with no evidence are never shared.

The thresholds are set a priori in log-odds (``NAME_MARGIN`` 1.0: about 3 to 1; ``MERGE_MIN``
3.0: one self-introduction or three addressings) and checked on the hand-made fixtures of
``tests/test_diarized.py``, not fitted on the evaluation pairs.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import regex

from ..model import Edit, Evidence, Role, Transcript
from ..correct.packs import CastMember
from ..segment.turns import Label
from .cues import Clue, View
from .repair import Repair, locate, repair_clusters

CAP = 6.0            # a cue's total for one (cluster, name) pair saturates near this
PRIOR_KNOWN = 1.0    # a name the user, the show pack or the front matter lists is expected
PRIOR_UNLISTED = -1.0  # ... and one found only in the text, when others are listed, less so
MISHEARD = 0.75     # an addressed word this like a listed name (similar.similarity) is that name
NAME_MARGIN = 1.0    # least max-marginal margin (log-odds) to name a cluster
MERGE_MIN = 3.0      # least evidence to give a cluster a name another cluster already has
ROLE = 2.0           # weight of the host-likeness difference between clusters
NEAR_END = 40        # words after a name asked to speak, to the end of the turn, at most
LAST_SENTENCE = 12   # ... and after a name merely used to address someone (about a sentence)
TURN_END = 3.0       # named in the last sentence of a turn: the next voice is theirs (as
                     # strong as being asked to speak, cues.WEIGHTS["addressing.next"])
LENGTH = 1.0         # long turns (log ratio of mean words per turn): a guest
OPENS = 0.3          # the cluster that opens (or closes) the conversation: a host (weak: many
                     # shows open with a clip of the guest)
WELCOMED = 2.0       # thanks right after being welcomed: a guest
FORBID = -1e6
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


def saturate(value: float, cap: float = CAP) -> float:
    """``value`` squashed into ``(-cap, cap)``, about linear near zero."""
    return cap * math.tanh(value / cap)


def sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(value, 50.0), -50.0)))


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
    nonempty = [u for u, view in enumerate(views) if view.text.strip()]
    # Words left in a unit's turn after it: a name used this close to the turn's end is
    # addressed to the next voice.
    left = {}
    for first, last in runs:
        after = 0
        for unit in range(last, first - 1, -1):
            left[unit] = after
            after += views[unit].words
    host_score: dict[str, float] = defaultdict(float)
    units_of: Counter = Counter(clusters[u] for u in nonempty)
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
        elif clue.kind == "role" and clue.role == Role.HOST.value:
            host_score[cluster] += clue.weight
    for unit, name in (fixed or {}).items():
        if name in known:
            tallies[(clusters[unit], name)].add("override", 25.0)
    _role_evidence(tallies, runs, views, clusters, names, roles, host_score, units_of)
    return tallies


def _role_evidence(tallies, runs, views, clusters, names, roles, host_score, units_of) -> None:
    """Host-likeness per cluster (mean role log-odds per sentence, against the others' mean),
    who opens and closes, and who thanks right after a welcome."""
    labels = [c for c in dict.fromkeys(clusters[first] for first, _ in runs)]
    if len(labels) < 2 or not any(roles):
        return
    mean = {c: host_score[c] / max(units_of[c], 1) for c in labels}
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


def name_clusters(views: Sequence[View], clusters: Sequence[str], clues: Sequence[Clue],
                  names: Sequence[str], roles: Sequence[str | None],
                  priors: Mapping[str, float] | None = None,
                  fixed: Mapping[int, str] | None = None,
                  labelled: Mapping[str, str] | None = None) -> list[ClusterName]:
    """Name every cluster (see the module docstring). ``priors`` adds to a name's score for
    every cluster (names the user or the front matter lists); ``fixed`` are units an
    editor's override names; ``labelled`` maps a cluster label that is also a cast name to
    that name (taken as given)."""
    priors = priors or {}
    labelled = labelled or {}
    order = list(dict.fromkeys(c for c in clusters))
    words: Counter = Counter()
    for unit, view in enumerate(views):
        words[clusters[unit]] += view.words
    turn_count = Counter(clusters[first] for first, _ in turns_of(clusters, views))
    tallies = gather_evidence(views, clusters, clues, names, roles, fixed)
    free = [c for c in order if c not in labelled]
    open_names = [n for n in names if n not in labelled.values()]
    out: dict[str, ClusterName] = {}
    for name, shared in _split_people(free, open_names, tallies).items():
        for cluster, margin in shared:
            found = reasons(tallies[(cluster, name)], name)
            others = [c for c, _ in shared if c != cluster]
            out[cluster] = ClusterName(cluster, name, sigmoid(margin),
                                       (*found, f"the same person as {', '.join(others)} "
                                                "(split by the diarizer)"),
                                       words[cluster], turn_count[cluster],
                                       merged_with=others[0])
        open_names.remove(name)
    free = [c for c in free if c not in out]
    score = [[tallies[(c, n)].score() + priors.get(n, 0.0) if (c, n) in tallies
              else priors.get(n, 0.0) for n in open_names] for c in free]
    choice, margins = _assign(score, len(open_names))
    for row, cluster in enumerate(free):
        column = choice[row]
        margin = margins[row]
        if column < len(open_names):
            name = open_names[column]
            evidence = reasons(tallies.get((cluster, name), _Tally()), name)
            if not evidence:
                evidence = ["the other names fit the other clusters better"]
            if name in priors and priors[name] > 0 and not any("against" not in e for e in evidence):
                evidence.append("listed as a speaker")
            if margin >= NAME_MARGIN:
                out[cluster] = ClusterName(cluster, name, sigmoid(margin), tuple(evidence),
                                           words[cluster], turn_count[cluster])
            else:
                out[cluster] = ClusterName(cluster, None, sigmoid(margin),
                                           ("evidence too weak to name it", *evidence),
                                           words[cluster], turn_count[cluster], candidate=name)
        else:
            out[cluster] = ClusterName(cluster, None, sigmoid(margin),
                                       _unnamed_reasons(score[row], open_names),
                                       words[cluster], turn_count[cluster])
    _merge(out, free, open_names, score, tallies, priors)
    for cluster in order:
        if cluster in labelled:
            out[cluster] = ClusterName(cluster, labelled[cluster], 1.0,
                                       (f"the input or the cast names a person {cluster!r}",),
                                       words[cluster], turn_count[cluster])
    return [out[c] for c in order]


def _split_people(clusters: Sequence[str], names: Sequence[str],
                  tallies) -> dict[str, list[tuple[str, float]]]:
    """Names that two clusters or more each have strong evidence for (at least ``MERGE_MIN``,
    and that much more than for any other name): one person the diarizer split.
    ``{name: [(cluster, margin)]}``."""
    strong: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for cluster in clusters:
        evidence = sorted(((tallies[(cluster, n)].score() if (cluster, n) in tallies else 0.0), n)
                          for n in names)
        if not evidence:
            continue
        best, name = evidence[-1]
        second = max(evidence[-2][0], 0.0) if len(evidence) > 1 else 0.0
        if best >= MERGE_MIN and best - second >= MERGE_MIN:
            strong[name].append((cluster, best - second))
    return {name: found for name, found in strong.items() if len(found) >= 2}


def _unnamed_reasons(row: Sequence[float], names: Sequence[str]) -> tuple[str, ...]:
    if not names:
        return ("no names known (give --cast)",)
    best = max(range(len(names)), key=lambda n: row[n])
    if row[best] <= 0:
        return ("no evidence for any name",)
    return (f"the names with evidence fit other clusters better (best: {names[best]})",)


def _merge(out: dict[str, ClusterName], free: Sequence[str], names: Sequence[str],
           score: Sequence[Sequence[float]], tallies, priors) -> None:
    """Give an unnamed cluster a name another cluster has, on strong evidence of its own."""
    owners = {c.name: c.label for c in out.values() if c.name}
    for row, cluster in enumerate(free):
        if out[cluster].name is not None or not names:
            continue
        evidence = [score[row][n] - priors.get(names[n], 0.0) for n in range(len(names))]
        ranked = sorted(range(len(names)), key=lambda n: -evidence[n])
        best = ranked[0]
        second = max((evidence[n] for n in ranked[1:]), default=0.0)
        if names[best] not in owners or evidence[best] < MERGE_MIN \
                or evidence[best] - max(second, 0.0) < MERGE_MIN:
            continue
        name = names[best]
        margin = evidence[best] - max(second, 0.0)
        found = reasons(tallies.get((cluster, name), _Tally()), name)
        out[cluster] = ClusterName(cluster, name, sigmoid(margin),
                                   (*found, f"the same person as {owners[name]} (split by the diarizer)"),
                                   out[cluster].words, out[cluster].turns,
                                   merged_with=owners[name])


def _assign(score: Sequence[Sequence[float]], names: int) -> tuple[list[int], list[float]]:
    """The best one-to-one assignment of rows to columns (names, then one "unnamed" column
    per row, worth 0), and each row's max-marginal margin."""
    from .evaluate import best_assignment

    rows = len(score)
    if not rows:
        return [], []
    matrix = [list(row) + [0.0] * rows for row in score]
    choice, total = _solve(matrix, best_assignment)
    margins = []
    for row in range(rows):
        forbidden = [list(r) for r in matrix]
        column = choice[row]
        if column >= names:  # unnamed: forbid every unnamed column for this row
            for other in range(names, names + rows):
                forbidden[row][other] = FORBID
        else:
            forbidden[row][column] = FORBID
        _, alternative = _solve(forbidden, best_assignment)
        margins.append(total - alternative if alternative > FORBID / 2 else 50.0)
    return choice, margins


def _solve(matrix, best_assignment) -> tuple[list[int], float]:
    pairs = best_assignment(matrix)
    choice = [0] * len(matrix)
    total = 0.0
    for row, column in pairs:
        choice[row] = column
        total += matrix[row][column]
    return choice, total


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
    from ..words.similar import similarity, sounds_alike
    from .cast import VOCATIVE, _NOT_NAMES, _full_name, _proper_noun
    from .cues import _LEADS
    from .names import NameIndex, common_words, name_forms

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


def has_clusters(transcript: Transcript) -> bool:
    """True when the input carries diarization cluster labels."""
    return any(segment.cluster for segment in transcript.segments)


def unit_clusters(transcript: Transcript, units) -> tuple[list[str], int]:
    """The cluster of every unit (a unit lies in one segment), and how many units had none
    (given the cluster before them, or after them at the start). A unit whose input names
    its speaker (a mix of names and cluster labels, as in this tool's own output for a
    cluster it could not name) has that name as its "cluster"."""
    out: list[str | None] = [transcript.segments[unit.first_segment].cluster
                             or transcript.segments[unit.first_segment].speaker_hint
                             for unit in units]
    missing = sum(1 for c in out if c is None)
    first = next((c for c in out if c is not None), None)
    previous = first
    for number, cluster in enumerate(out):
        if cluster is None:
            out[number] = previous
        else:
            previous = cluster
    return out, missing


class Stage:
    """Everything naming and repair read, prepared once; ``run`` is the stage itself."""

    def __init__(self, setting, transcript: Transcript, clusters: list[str], names: list[str],
                 roles: list[str | None], priors: dict[str, float], fixed: dict[int, str],
                 labelled: dict[str, str], trust: bool, warnings: list[str]) -> None:
        self.setting = setting
        self.transcript = transcript
        self.clusters = clusters
        self.names = names
        self.roles = roles
        self.priors = priors
        self.fixed = fixed
        self.labelled = labelled
        self.trust = trust
        self.warnings = warnings

    @classmethod
    def build(cls, transcript: Transcript, corrected: Sequence[str] | None = None,
              edits: Sequence[Edit] = (), cast: Sequence[CastMember] | None = None,
              pack_cast: Sequence[CastMember] = (), overrides=(), trust: bool = False) -> "Stage":
        from . import UNNAMED_HOST, _fixed, prepare
        from ..read.published import front_matter_problem, listed_speakers

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
        priors = {name: PRIOR_KNOWN if name in listed_names else PRIOR_UNLISTED if listed_names
                  else 0.0 for name in names}
        addressed = {m.name for m in (pack if cast is None else ())} - listed_names
        roles = [Role.UNKNOWN.value if name in addressed else role
                 for name, role in zip(names, roles)]
        labels = {segment.cluster for segment in transcript.segments if segment.cluster}
        hinted = {segment.speaker_hint for segment in transcript.segments
                  if segment.speaker_hint and not segment.cluster}
        labelled = {name: name for name in names if name in hinted}  # named by the input
        for name in names:
            if name in labels:
                labelled[name] = name
                warnings.append(f"{name!r} is both a cluster label and a cast name: read as "
                                "the person")
        fixed_units = _fixed(transcript, list(setting.units), overrides, members,
                             list(setting.speakers)) if overrides else {}
        fixed = {unit: setting.speakers[number] for unit, number in fixed_units.items()}
        clustered = len(set(clusters) - set(labelled))
        if names and len(names) < clustered:
            people = "person" if len(names) == 1 else "people"
            warnings.append(f"the cast names {len(names)} {people} for {clustered} clusters: "
                            "some clusters keep their labels")
        return cls(setting, transcript, clusters, names, roles, priors, fixed, labelled, trust,
                   warnings)

    def run(self) -> tuple[list[str], list[Repair], list[ClusterName]]:
        """Repair (unless trusted), then name: ``(cluster per unit, repairs, namings)``."""
        views = self.setting.views
        if self.trust:
            clusters, repairs = list(self.clusters), []
        else:
            clusters, repairs = repair_clusters(views, self.clusters, self.setting.clues)
            repairs = locate(repairs, self.setting.units, self.transcript)
        namings = name_clusters(views, clusters, self.setting.clues, self.names, self.roles,
                                self.priors, self.fixed, self.labelled)
        return clusters, repairs, namings


def attribute_diarized(transcript: Transcript, corrected: Sequence[str], edits: Sequence[Edit],
                       cast: Sequence[CastMember] | None = None,
                       pack_cast: Sequence[CastMember] = (), overrides=(),
                       review_below: float | None = None, trust: bool = False):
    """Label every unit of a diarized transcript: its cluster's name (or label)."""
    from . import Attribution

    stage = Stage.build(transcript, corrected, edits, cast, pack_cast, overrides, trust)
    clusters, repairs, namings = stage.run()
    by_label = {c.label: c for c in namings}
    role_of = dict(zip(stage.names, stage.roles))
    repaired = {}
    for repair in repairs:
        for unit in repair.units:
            repaired[unit] = repair
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
        review = bool(naming.name and review_below is not None and confidence is not None
                      and confidence < review_below)
        labels.append(Label(speaker=speaker,
                            role=(role_of.get(naming.name) or Role.UNKNOWN.value) if naming.name
                            else None,
                            confidence=confidence, evidence=tuple(evidence), review=review))
    diarization = Diarization(tuple(namings), tuple(repairs), tuple(stage.warnings), trust)
    return Attribution(stage.setting.units, tuple(labels), stage.setting.cast), diarization
