"""Turn a speaker-labelled conversation into a diarized machine transcript, with or without
the errors diarizers make.

A diarizer gives each voice an anonymous cluster label (``Speaker 0:`` blocks with a start
time, as the ``*.ai.md`` machine transcripts are written). With the gold turns as clusters
the best naming names every word; the perturbations below are the errors real diarizers
make, so naming can be measured next to the best naming those clusters allow:

- ``split``: one person spread over two clusters (a change of microphone, a long break);
- ``spurious``: a few short stretches given to clusters of their own;
- ``edges``: a few words at turn edges given to the neighbouring cluster (1-3 % of words);
- ``merged``: two people in one cluster (similar voices);
- ``cold-open``: the recording opens with a clip of a guest (a stretch of one of their later
  turns), as many shows do, so the first voice heard is not the host's.

Every text line keeps one gold speaker, so a line's words are scored against it. Everything
is driven by a seeded ``random.Random``: the same conversation, setting and seed give the
same transcript.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from cleaner.correct.packs import CastMember

from .corpus import Conversation

PERTURBATIONS = ("gold", "split", "spurious", "edges", "merged", "cold-open")
WORDS_PER_SECOND = 2.6
SPLIT_SHARE = 0.35      # of the split person's turns that go to the second cluster
SPURIOUS_CLUSTERS = 2
SPURIOUS_SHARE = 0.03   # of the turns whose opening words go to a spurious cluster
SPURIOUS_WORDS = 8
EDGE_SHARE = 0.25       # of the turn edges that lose words to the neighbour ...
EDGE_WORDS = (1, 5)     # ... this many (about 1-3 % of the words in all)
CLIP_WORDS = (25, 80)   # the words of a cold open's clip
CAST_ROLES = {"host": "host", "guest": "guest", "other": "other"}  # corpus role -> cast role


@dataclass(frozen=True)
class Piece:
    """A stretch of words: who said it, and the cluster the diarizer put it in."""

    speaker: str
    cluster: int
    words: tuple[str, ...]


@dataclass(frozen=True)
class Diarized:
    """The transcript's text, and the gold speaker and cluster of each text line (1-based)."""

    text: str
    gold: dict[int, str]          # text line -> gold speaker
    cluster_of_line: dict[int, str]  # text line -> cluster label
    labels: tuple[str, ...]       # cluster labels in order of first appearance


def pieces(conversation: Conversation, perturbation: str = "gold", seed: int = 0) -> list[Piece]:
    """The conversation's turns as pieces, perturbed as named (see the module docstring)."""
    if perturbation not in PERTURBATIONS:
        raise ValueError(f"unknown perturbation {perturbation!r}")
    rng = random.Random(f"{seed}:{perturbation}:{conversation.id}")
    words = Counter()
    for turn in conversation.turns:
        words[turn.speaker] += len(turn.text.split())
    people = [name for name, _ in words.most_common()]
    cluster = {name: number for number, name in enumerate(people)}
    extra = len(people)
    out = [Piece(t.speaker, cluster[t.speaker], tuple(t.text.split())) for t in conversation.turns]
    if perturbation == "split":
        person = people[0] if len(people) < 3 else rng.choice(people[:3])
        out = [Piece(p.speaker, extra if p.speaker == person and rng.random() < SPLIT_SHARE
                     else p.cluster, p.words) for p in out]
    elif perturbation == "merged" and len(people) >= 2:
        regular = [n for n in people if words[n] >= 0.05 * sum(words.values())] or people
        a, b = (regular[-2], regular[-1]) if len(regular) >= 2 else (people[0], people[1])
        out = [Piece(p.speaker, cluster[a] if p.speaker == b else p.cluster, p.words) for p in out]
    elif perturbation == "spurious":
        spurious = []
        for piece in out:
            if len(piece.words) > 2 * SPURIOUS_WORDS and rng.random() < SPURIOUS_SHARE:
                label = extra + rng.randrange(SPURIOUS_CLUSTERS)
                spurious += [Piece(piece.speaker, label, piece.words[:SPURIOUS_WORDS]),
                             Piece(piece.speaker, piece.cluster, piece.words[SPURIOUS_WORDS:])]
            else:
                spurious.append(piece)
        out = spurious
    elif perturbation == "edges":
        out = _move_edges(out, rng)
    elif perturbation == "cold-open":
        out = _cold_open(out, rng)
    return out


def _cold_open(out: list[Piece], rng: random.Random) -> list[Piece]:
    """A clip of someone other than the first speaker, from one of their longer turns, put
    before everything else."""
    first = out[0].speaker if out else None
    long_turns = [p for p in out if p.speaker != first and len(p.words) >= CLIP_WORDS[1]]
    if not long_turns:
        return out
    turn = rng.choice(long_turns)
    size = rng.randint(*CLIP_WORDS)
    start = rng.randrange(0, len(turn.words) - size + 1)
    return [Piece(turn.speaker, turn.cluster, turn.words[start:start + size]), *out]


def _move_edges(out: list[Piece], rng: random.Random) -> list[Piece]:
    """Give a few words at some turn edges to the cluster on the other side of the edge."""
    result = [out[0]] if out else []
    for piece in out[1:]:
        before = result[-1]
        if rng.random() >= EDGE_SHARE or before.cluster == piece.cluster:
            result.append(piece)
            continue
        count = rng.randint(*EDGE_WORDS)
        if rng.random() < 0.5 and len(piece.words) > 2 * count:   # the next voice starts late
            result.append(Piece(piece.speaker, before.cluster, piece.words[:count]))
            result.append(Piece(piece.speaker, piece.cluster, piece.words[count:]))
        elif len(before.words) > 2 * count:                          # ... or early
            result[-1] = Piece(before.speaker, before.cluster, before.words[:-count])
            result.append(Piece(before.speaker, piece.cluster, before.words[-count:]))
            result.append(piece)
        else:
            result.append(piece)
    return result


def clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def render(items: list[Piece], title: str = "conversation") -> Diarized:
    """The pieces as a diarized machine transcript: a ``Speaker N: HH:MM:SS`` header for every
    run of one cluster, then a line per piece. Cluster numbers follow first appearance."""
    order: dict[int, str] = {}
    lines = ["---", f"title: {title!r}", "---"]
    gold: dict[int, str] = {}
    cluster_of_line: dict[int, str] = {}
    spoken = 0
    previous = None
    for piece in items:
        if not piece.words:
            continue
        label = order.setdefault(piece.cluster, f"Speaker {len(order)}")
        if label != previous:
            lines += [f"{label}: {clock(spoken / WORDS_PER_SECOND)}", ""]
            previous = label
        lines.append(" ".join(piece.words))
        gold[len(lines)] = piece.speaker
        cluster_of_line[len(lines)] = label
        lines.append("")
        spoken += len(piece.words)
    return Diarized("\n".join(lines) + "\n", gold, cluster_of_line, tuple(order.values()))


def diarized(conversation: Conversation, perturbation: str = "gold", seed: int = 0) -> Diarized:
    """The conversation as a diarized machine transcript (see ``pieces`` and ``render``)."""
    return render(pieces(conversation, perturbation, seed), conversation.id)


def ceiling(transcript: Diarized, weights: dict[int, int]) -> float:
    """Share of words named right by the best naming of the clusters: each cluster gets the
    gold speaker most of its words have (two clusters may share a name). ``weights`` gives
    the words of each text line."""
    by_cluster: dict[str, Counter] = {}
    for line, speaker in transcript.gold.items():
        by_cluster.setdefault(transcript.cluster_of_line[line], Counter())[speaker] += weights.get(line, 0)
    total = sum(weights.get(line, 0) for line in transcript.gold)
    best = sum(max(counts.values()) for counts in by_cluster.values() if counts)
    return best / total if total else 1.0


def cast_of(conversation: Conversation, kind: str) -> list[CastMember] | None:
    """The cast an editor would give: names and roles (``roles``), names only (``names``),
    names only less the person with the fewest words of those with a real share
    (``incomplete``), or none (``none``)."""
    if kind == "none":
        return None
    spoken = list(dict.fromkeys(turn.speaker for turn in conversation.turns))
    if kind == "incomplete":
        words = Counter()
        for turn in conversation.turns:
            words[turn.speaker] += len(turn.text.split())
        real = [name for name in spoken if words[name] >= 0.03 * sum(words.values())]
        missing = min(real, key=lambda name: (words[name], name))
        spoken = [name for name in spoken if name != missing]
    return [CastMember(name=name, role=CAST_ROLES.get(conversation.roles.get(name, ""), "unknown")
                       if kind == "roles" else "unknown") for name in spoken]
