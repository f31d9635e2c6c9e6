"""Learned naming evidence: what a name mention says about who speaks, and how well a voice
fits a name.

Two small models, trained on the corpus by ``train/naming.py`` and shipped in ``naming.npz``:

- **mentions**: for each mention of a cast name, the chances that the person named is the
  one speaking (a self-introduction), the next voice (asked to speak), the previous voice
  (thanked, answered) or someone else (talked about). Hashed features of the words around
  the mention and of where it falls in the turn; a multinomial logistic model.
- **pairs**: for each (voice, name) pair, the log-odds that the voice is that person, from a
  few dense features: the mention model's chances summed over the conversation, the hand
  cues' totals (``clusters.gather_evidence``), how host-like the voice is against the
  name's role, and how often the voice says the words of a name that is a role ("Marketing").

``meta`` records the thresholds the training script fitted with them (see ``naming.py`` of
``attribute``), the corpus version and the command. A file of another version is refused.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import regex

from ..learned.features import hashed
from ..learned.weights import StaleWeights
from ..cast import CHAIR

NAMING_VERSION = 1
MENTION_BITS = 16
RELATIONS = ("self", "next", "previous", "other")
DEFAULT_PATH = Path(__file__).parent.parent / "learned" / "naming.npz"
WINDOW = 3       # words either side of a mention, by position
BAG = 8          # ... and as a bag
HAND_CUES = ("self-introduction", "addressing.next", "addressing.turn-end", "addressing.previous",
             "addressing.not", "mention.full", "mention.given", "entrance", "organisation",
             "narrator.intro", "role.asks", "role.answers", "role.long-turns", "role.short-turns",
             "role.opens", "role.closes", "role.welcomed")
PAIR_FEATURES = (*(f"hand:{cue}" for cue in HAND_CUES),
                 "m:self", "m:next", "m:previous", "m:addresses", "m:talks-about",
                 "m:self-share", "m:next-share",
                 "role:host-fit", "role:chair-fit", "role:name-words",
                 "share:words",
                 "share:best-other")

_TOKEN = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’\-]*|[?.!,;:—–-]")
_WORD = regex.compile(r"\p{L}{4,}")


def _bucket(words: int) -> str:
    for limit in (0, 2, 5, 10, 20, 40):
        if words <= limit:
            return str(limit)
    return "more"


def mention_features(sentence: str, start: int, end: int, kind: str, before: int,
                     after: int) -> list[str]:
    """Feature strings of one mention: the words around it (by position and as a bag), the
    mark right after it, the form that matched, and how many words of the turn come before
    and after it."""
    left = [t.lower() for t in _TOKEN.findall(sentence[:start])]
    right = [t.lower() for t in _TOKEN.findall(sentence[end:])]
    out = ["bias", f"kind={kind}", f"tb={_bucket(before)}", f"ta={_bucket(after)}",
           f"kind={kind}|ta={_bucket(after)}", f"kind={kind}|tb={_bucket(before)}"]
    for offset in range(1, WINDOW + 1):
        out.append(f"b{offset}={left[-offset] if len(left) >= offset else '<s>'}")
        out.append(f"a{offset}={right[offset - 1] if len(right) >= offset else '</s>'}")
    out.append(f"b1a1={left[-1] if left else '<s>'}|{right[0] if right else '</s>'}")
    out += [f"bb={w}" for w in left[-BAG:]] + [f"ab={w}" for w in right[:BAG]]
    if sentence.rstrip().endswith("?"):
        out.append("question")
    if after <= 3 and right and right[-1] == "?":
        out.append("asks-at-end")
    return out


@dataclass(frozen=True)
class NamingWeights:
    """The two models' coefficients and what the training script fitted with them."""

    meta: dict
    mention_w: np.ndarray   # (2**MENTION_BITS, len(RELATIONS))
    mention_b: np.ndarray   # (len(RELATIONS),)
    pair_w: np.ndarray      # (len(PAIR_FEATURES),)
    pair_b: float

    def setting(self, name: str, default: float) -> float:
        """A threshold the training script fitted (``meta["fitted"]``)."""
        return float(self.meta.get("fitted", {}).get(name, default))


def read(path: Path) -> NamingWeights:
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        if meta.get("naming_version") != NAMING_VERSION or \
                tuple(meta.get("pair_features", ())) != PAIR_FEATURES:
            raise StaleWeights(f"{path}: naming weights are for another version of the naming "
                               "features; retrain with `python -m train.naming`")
        weights = NamingWeights(meta, data["mention_w"].astype(np.float32),
                                data["mention_b"].astype(np.float32),
                                data["pair_w"].astype(np.float64), float(data["pair_b"]))
    if weights.mention_w.shape != (1 << MENTION_BITS, len(RELATIONS)):
        raise StaleWeights(f"{path}: mention_w has shape {weights.mention_w.shape}; retrain with "
                           "`python -m train.naming`")
    return weights


@lru_cache(maxsize=4)
def load(path: Path = DEFAULT_PATH) -> NamingWeights | None:
    """The shipped naming weights (read once), or None when the file is missing."""
    return read(path) if path.exists() else None


def relation_chances(rows: Sequence[Sequence[str]], weights: NamingWeights) -> np.ndarray:
    """``(len(rows), 4)`` chances of self / next / previous / other for each mention."""
    if not rows:
        return np.zeros((0, len(RELATIONS)))
    scores = np.empty((len(rows), len(RELATIONS)), dtype=np.float64)
    for number, row in enumerate(rows):
        scores[number] = weights.mention_w[hashed(row, MENTION_BITS)].sum(axis=0)
    scores += weights.mention_b
    scores -= scores.max(axis=1, keepdims=True)
    chances = np.exp(scores)
    return chances / chances.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class MentionSite:
    """A mention of a cast name, with the voices of its turn and the turns either side."""

    unit: int
    name: str
    here: str
    before: str | None
    after: str | None
    features: tuple[str, ...]


def mention_sites(views, clusters: Sequence[str], runs: Sequence[tuple[int, int]],
                  known: set[str]) -> list[MentionSite]:
    """Every mention of a known name, in unit order, with its features."""
    run_of = {}
    for number, (first, last) in enumerate(runs):
        for unit in range(first, last + 1):
            run_of[unit] = number
    words_before = {}
    words_after = {}
    for first, last in runs:
        total = sum(views[u].words for u in range(first, last + 1))
        seen = 0
        for unit in range(first, last + 1):
            words_before[unit] = seen
            seen += views[unit].words
            words_after[unit] = total - seen
    out = []
    for unit, view in enumerate(views):
        if not view.mentions or unit not in run_of:
            continue
        run = run_of[unit]
        before = clusters[runs[run - 1][0]] if run > 0 else None
        after = clusters[runs[run + 1][0]] if run + 1 < len(runs) else None
        for mention in view.mentions:
            if mention.speaker not in known:
                continue
            inside_before = len(view.sentence[:mention.start].split())
            inside_after = len(view.sentence[mention.end:].split())
            start = view.sentence_first == unit
            features = mention_features(
                view.sentence, mention.start, mention.end, mention.kind,
                words_before[unit] + (inside_before if start else 0),
                words_after[unit] + inside_after if view.sentence_last == unit else
                words_after[unit] + view.words)
            out.append(MentionSite(unit, mention.speaker, clusters[unit], before, after,
                                   tuple(features)))
    return out



def pair_features(views, clusters: Sequence[str], runs: Sequence[tuple[int, int]],
                  names: Sequence[str], roles: Sequence[str | None], tallies,
                  sites: Sequence[MentionSite], chances: np.ndarray,
                  host_likeness: Mapping[str, float]) -> dict[tuple[str, str], np.ndarray]:
    """The dense features of every (cluster, name) pair (``PAIR_FEATURES``, in order)."""
    labels = list(dict.fromkeys(clusters[first] for first, _ in runs))
    words: dict[str, int] = defaultdict(int)
    text: dict[str, list[str]] = defaultdict(list)
    for unit, view in enumerate(views):
        words[clusters[unit]] += view.words
        if view.tokens:
            text[clusters[unit]].extend(view.tokens)
    total_words = max(sum(words.values()), 1)
    sums: dict[tuple[str, str], np.ndarray] = defaultdict(lambda: np.zeros(5))
    per_name: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(2))
    for site, chance in zip(sites, chances):
        self_, next_, previous, other = chance
        sums[(site.here, site.name)] += (self_, 0.0, 0.0, next_ + previous, other)
        if site.after is not None:
            sums[(site.after, site.name)][1] += next_
        if site.before is not None:
            sums[(site.before, site.name)][2] += previous
        per_name[site.name] += (self_, next_)
    mean_host = sum(host_likeness.get(c, 0.0) for c in labels) / max(len(labels), 1)
    counts = {c: _word_counts(text[c]) for c in labels}
    said = {}  # how often each voice says a name's words, per 1000 words, against the others
    for name in names:
        stems = [w.lower()[:6] for w in _WORD.findall(name)]
        rates = {c: math.log1p(1000.0 * sum(counts[c].get(w, 0) for w in stems)
                               / max(words[c], 1)) for c in labels}
        mean_rate = sum(rates.values()) / max(len(rates), 1)
        said.update({(c, name): rates[c] - mean_rate for c in labels})
    out = {}
    for name, role in zip(names, roles):
        sign = 1.0 if role == "host" else -1.0 if role == "guest" else 0.0
        chair = 1.0 if CHAIR.search(name) else 0.0
        for cluster in labels:
            tally = tallies.get((cluster, name))
            hand = [tally.saturated(cue) if tally is not None else 0.0 for cue in HAND_CUES]
            m = sums.get((cluster, name), np.zeros(5))
            named_self, named_next = per_name.get(name, np.zeros(2))
            host = host_likeness.get(cluster, 0.0) - mean_host
            share = words[cluster] / total_words
            best_other = max((words[c] for c in labels if c != cluster), default=0) / total_words
            out[(cluster, name)] = np.array([
                *hand, math.log1p(m[0]), math.log1p(m[1]), math.log1p(m[2]), math.log1p(m[3]),
                math.log1p(m[4]), m[0] / (named_self + 1.0), m[1] / (named_next + 1.0),
                sign * max(min(host, 3.0), -3.0), chair * max(min(host, 3.0), -3.0),
                said[(cluster, name)], share, best_other])
    return out


def _word_counts(tokens: Sequence[str]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for token in tokens:
        if len(token) >= 4:
            counts[token[:6]] += 1
    return counts


def pair_logits(features: Mapping[tuple[str, str], np.ndarray],
                weights: NamingWeights) -> dict[tuple[str, str], float]:
    """Log-odds that a cluster is a name, for every pair."""
    return {pair: float(vector @ weights.pair_w + weights.pair_b)
            for pair, vector in features.items()}
