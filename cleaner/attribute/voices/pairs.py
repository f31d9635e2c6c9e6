"""Voices: which stretches of a conversation belong to the same anonymous voice.

Why: the decoder is first order. On a change of speaker any of the others may take over, so
in a two-person conversation one missed change flips every later turn and nothing brings
the identity back; re-reading each voice's words from that decoding does not help either,
since after a flip each voice's words are half the other's. Here every stretch is compared
with every other one by a learned same-voice model (``samevoice.py``), which reads
the stretches alone, and the stretches are clustered into as many voices as the cast has:
the pair scores of the whole conversation, and between neighbours the change model's
log-odds. A wrong change costs the stretches next to it, not the rest of the conversation.

Input: the first decoding's model and path, the views and the speakers. Stretches are the
decoded turns, cut again wherever the change log-odds reach ``voices.cut`` (a change the
decoder left out). Output: a ``speaker`` clue per unit for the speaker its voice maps to
(the mapping that the units' own evidence, names and roles, supports best), which the
decoder weighs with the rest in a second decoding.

Measured (``python -m train.voices`` on training conversations out of the pair fit, and
``bench/attribution.py --quick --set voices.pairs=2`` on the reserved split): with three or
four voices it maps more words to one person each (training, cast with roles: 0.644 ->
0.660; reserved quick: 0.611 -> 0.636) and names more with roles given (0.631 -> 0.644;
0.544 -> 0.562), but with names only it names fewer on the reserved sample (0.366 -> 0.349),
so it is off by default (``voices.pairs``). On the whole reserved split (131 conversations)
it keeps more of each voice together (3-4 voices mapped: roles 0.624 -> 0.630, names only
0.590 -> 0.629, captions 0.614 -> 0.624) but does not name more (roles 0.579 -> 0.578). With two voices the pair scores are too weak to
help (two-voice pair AUC 0.84 over gold turns, near 0.5 between two co-hosts) and with five
or more it named fewer on the training split: ``voices.min`` and ``voices.max``.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import permutations

import numpy as np

from ..cues import Clue, View
from ..learned.weights import Weights
from . import role as role_model
from . import samevoice
from .decode import Model

VOICES = {
    "voices.pairs": 0.0,   # weight of the voice clues (0: off; 2 was best on the training split)
    "voices.cut": 0.0,     # change log-odds at which a decoded turn is cut into stretches
    "voices.scale": 1.0,   # weight of the pair scores against the change log-odds
    "voices.chain": 1.0,   # weight of the change log-odds between neighbouring stretches
    "voices.agree": 0.0,   # naming a voice: weight of each unit the first decoding agrees on
    "voices.min": 3,       # casts of fewer voices than this, or more than voices.max, are
    "voices.max": 4,       # ... left to the decoder (on the training split 2 and 5+ lost)
    "voices.hard": 0,      # 1: each unit's clue is its voice alone (else its mean score with each)
}
SWEEPS = 20          # local-search passes at most
POWER_ROUNDS = 60    # rounds of orthogonal iteration for the spectral start
EXACT_NAMING = 5     # voices up to this many are named by trying every order


def stretch_table(views: Sequence[View], runs: Sequence[Sequence[int]], people: Sequence[str],
                  learned: Weights | None, common: np.ndarray) -> samevoice.Stretches:
    """What the pair model reads of each run of units (training calls this too)."""
    logprobs = {}
    if learned is not None:
        indices, table = role_model.unit_roles(views, learned)
        logprobs = dict(zip(indices, table))
    roles, questions, names = [], [], []
    person = {name: number for number, name in enumerate(people)}
    for run in runs:
        spoken = [views[u] for u in run if views[u].text]
        rows = [logprobs[v.index] for v in spoken if v.index in logprobs]
        if rows:
            z = np.mean(rows, axis=0)
            p = np.exp(z - z.max())
            roles.append(p / p.sum())
        else:
            roles.append(np.full(3, 1 / 3))
        questions.append(sum(v.question for v in spoken) / max(len(spoken), 1))
        named = np.zeros(len(people))
        for view in spoken:
            for mention in view.mentions:
                if mention.speaker in person:
                    named[person[mention.speaker]] = 1.0
        names.append(named)
    tokens = [[views[u].tokens for u in run] for run in runs]
    return samevoice.stretches(tokens, np.array(roles), questions,
                               np.array(names).reshape(len(runs), len(people)), common)


def centred(scores: np.ndarray) -> np.ndarray:
    """Pair scores less each stretch's mean score (and plus the overall mean): what sets a
    pair apart from the rest of the conversation. Long stretches share many words with every
    other; uncentred, the sum over pairs would put every stretch in one voice."""
    n = len(scores)
    if n < 2:
        return np.zeros_like(scores)
    off = scores - np.diag(np.diag(scores))
    rows = off.sum(axis=1) / (n - 1)           # each stretch's mean over the others
    out = off - rows[None, :] - rows[:, None] + off.sum() / (n * (n - 1))
    np.fill_diagonal(out, 0.0)
    return out


def stretches_of(path: Sequence[int], change_logit: Sequence[float], empty: Sequence[bool],
                 cut: float) -> list[list[int]]:
    """Decoded turns, cut again where a change is likely enough; empty units stay with the
    stretch before them."""
    runs: list[list[int]] = []
    for unit, speaker in enumerate(path):
        if runs and (empty[unit] or (path[unit - 1] == speaker and change_logit[unit] < cut)):
            runs[-1].append(unit)
        else:
            runs.append([unit])
    return runs


def cluster(pairs: np.ndarray, chain: np.ndarray, voices: int, start: Sequence[int]) -> list[int]:
    """Voices of ``n`` stretches that maximise the sum of the pair scores within each voice
    plus the neighbours' ``chain`` scores (log-odds of no change) where they share a voice.

    Local search from two starts, the better kept: the decoding's own labels (``start``) and a
    spectral split of the scores (the leading eigenvectors, which no single stretch tips).
    """
    n = len(pairs)
    if n == 0:
        return []
    scores = pairs.copy()
    idx = np.arange(n - 1)
    scores[idx, idx + 1] += chain
    scores[idx + 1, idx] += chain
    best, best_value = None, None
    for labels in (list(start), _spectral(scores, voices)):
        labels = _local_search(scores, labels, voices)
        value = _objective(scores, labels)
        if best_value is None or value > best_value + 1e-9:
            best, best_value = labels, value
    return best


def _objective(scores: np.ndarray, labels: Sequence[int]) -> float:
    labels = np.asarray(labels)
    return float((scores * (labels[:, None] == labels[None, :])).sum() / 2)


def _spectral(scores: np.ndarray, voices: int) -> list[int]:
    """Each stretch's voice from the top eigenvectors of the scores (k-means on them,
    seeded with the stretches farthest apart: deterministic)."""
    top = _top_vectors(scores, max(voices - 1, 1))
    if voices == 2:
        return [int(x < 0) for x in top[:, 0]]
    centres = [top[int(np.argmax(np.abs(top).sum(axis=1)))]]
    while len(centres) < voices:
        distance = np.min([((top - c) ** 2).sum(axis=1) for c in centres], axis=0)
        centres.append(top[int(np.argmax(distance))])
    centres = np.array(centres)
    labels = np.zeros(len(top), dtype=int)
    for _ in range(20):
        labels = np.argmin(((top[:, None, :] - centres[None]) ** 2).sum(axis=2), axis=1)
        for k in range(voices):
            if np.any(labels == k):
                centres[k] = top[labels == k].mean(axis=0)
    return labels.tolist()


def _top_vectors(scores: np.ndarray, count: int, rounds: int = POWER_ROUNDS) -> np.ndarray:
    """The eigenvectors of the ``count`` largest eigenvalues, by orthogonal iteration on the
    scores shifted to be positive definite (a full ``eigh`` costs a second on long
    conversations; a start for the local search needs no more than this). Deterministic."""
    n = len(scores)
    shift = np.abs(scores).sum(axis=1).max()
    shifted = scores + shift * np.eye(n)
    basis = np.cos(np.outer(np.arange(n) + 1.0, np.arange(count) + 1.0))  # a fixed start
    basis, _ = np.linalg.qr(basis)
    for _ in range(rounds):
        basis, _ = np.linalg.qr(shifted @ basis)
    return basis


def _local_search(scores: np.ndarray, labels: Sequence[int], voices: int) -> list[int]:
    """Move one stretch at a time to the voice it scores best with, until none moves."""
    labels = np.asarray(labels, dtype=int).copy()
    onehot = np.zeros((len(labels), voices))
    onehot[np.arange(len(labels)), labels] = 1.0
    gain = scores @ onehot        # (n, voices): each stretch's score with each voice
    for _ in range(SWEEPS):
        moved = False
        for i in range(len(labels)):
            here = labels[i]
            row = gain[i].copy()
            row[here] -= scores[i, i]
            target = int(np.argmax(row))
            if target != here and row[target] > row[here] + 1e-9:
                gain[:, here] -= scores[:, i]
                gain[:, target] += scores[:, i]
                labels[i] = target
                moved = True
        if not moved:
            break
    return labels.tolist()


def naming(emit: Sequence[Sequence[float]], runs: Sequence[Sequence[int]], labels: Sequence[int],
           voices: int, path: Sequence[int] = (), agree: float = 0.0) -> list[int]:
    """The speaker of each voice: the one-to-one mapping under which the units' own evidence
    (names, roles: the decoder's emission scores) is highest, plus ``agree`` for every unit
    the first decoding (``path``) gives the same speaker (it read the invitations to speak,
    which are no unit's own evidence)."""
    totals = np.zeros((voices, len(emit[0]) if emit else 0))
    for run, voice in zip(runs, labels):
        for unit in run:
            totals[voice] += emit[unit]
            if agree and path:
                totals[voice, path[unit]] += agree
    speakers = totals.shape[1]
    if voices > EXACT_NAMING:  # the best pairs first: exact enough, and 8! orders is slow
        best = [-1] * voices
        for flat in np.argsort(-totals, axis=None):
            voice, speaker = divmod(int(flat), speakers)
            if best[voice] < 0 and speaker not in best:
                best[voice] = speaker
        return best
    best, best_value = list(range(voices)), None
    for choice in permutations(range(speakers), voices):
        value = sum(totals[v, s] for v, s in enumerate(choice))
        if best_value is None or value > best_value:
            best, best_value = list(choice), value
    return best


def voice_clues(views: Sequence[View], model: Model, path: Sequence[int],
                speakers: Sequence[str], empty: Sequence[bool], learned: Weights | None,
                pair_weights: samevoice.SameWeights, weights) -> list[Clue]:
    """A ``speaker`` clue per unit: the speaker its voice maps to, ``voices.pairs`` strong."""
    count = len(speakers)
    if count < max(2, weights["voices.min"]) or count > weights["voices.max"] or not path:
        return []
    runs = stretches_of(path, model.change_logit, empty, weights["voices.cut"])
    if len(runs) < 3:
        return []
    table = stretch_table(views, runs, list(speakers), learned, pair_weights.common)
    pairs = weights["voices.scale"] * centred(samevoice.log_odds(table, count, pair_weights))
    chain = -weights["voices.chain"] * np.array([model.change_logit[run[0]] for run in runs[1:]])
    start = [path[run[0]] for run in runs]
    labels = cluster(pairs, chain, count, start)
    mapping = naming(model.emit, runs, labels, count, path, weights["voices.agree"])
    if weights["voices.hard"]:
        return _hard(views, runs, labels, mapping, speakers, weights["voices.pairs"])
    return _clues(views, runs, labels, mapping, pairs, speakers, weights["voices.pairs"])


def _hard(views, runs, labels, mapping, speakers, weight: float) -> list[Clue]:
    out = []
    for run, voice in zip(runs, labels):
        name = speakers[mapping[voice]]
        out += [Clue(unit, "voices", "speaker", weight, f"sounds like {name}'s other turns",
                     speaker=name) for unit in run if views[unit].text]
    return out


def _clues(views, runs, labels, mapping, pairs, speakers, weight: float) -> list[Clue]:
    """Each unit's speaker clues: for every voice, ``weight`` times the mean pair score of the
    unit's stretch with that voice's other stretches (centred over the voices), given to
    the speaker the voice maps to. A stretch that sounds like no one in particular moves
    nothing; one that sounds like a voice's other turns counts as much as it does."""
    count = len(speakers)
    labels = np.asarray(labels)
    onehot = np.zeros((len(labels), count))
    onehot[np.arange(len(labels)), labels] = 1.0
    sizes = np.maximum(onehot.sum(axis=0)[None, :] - onehot, 1.0)  # less the stretch itself
    means = (pairs @ onehot) / sizes
    means -= means.mean(axis=1, keepdims=True)
    out = []
    for run, row in zip(runs, means.tolist()):
        for voice, value in enumerate(row):
            if not value:
                continue
            name = speakers[mapping[voice]]
            for unit in run:
                if views[unit].text:
                    out.append(Clue(unit, "voices", "speaker", weight * value,
                                    f"sounds like {name}'s other turns", speaker=name))
    return out
