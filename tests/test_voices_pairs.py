"""The voices stage's pair design: stretches, same-voice scores, clustering without drift."""

from __future__ import annotations

import numpy as np

from cleaner import Options, clean
from cleaner.attribute import attribute
from cleaner.attribute.voices import samevoice
from cleaner.attribute.voices.pairs import (VOICES, centred, cluster, naming, stretches_of,
                                            voice_clues)
from cleaner.attribute.voices.decode import build_model, best_path
from cleaner.correct.packs import CastMember
from test_speakers import CAST, INTERVIEW


def two_voices(n: int, flip_at: int | None = None) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Alternating stretches of voices 0 and 1 whose pair scores say so (+1 same, -1 other),
    and between neighbours the change log-odds of a clear change; at ``flip_at`` the change
    model missed the change (strong log-odds of no change)."""
    truth = [i % 2 for i in range(n)]
    pairs = np.where(np.equal.outer(truth, truth), 1.0, -1.0)
    np.fill_diagonal(pairs, 0.0)
    chain = np.full(n - 1, -3.0)           # -(change log-odds): a change is likely
    if flip_at is not None:
        chain[flip_at - 1] = 3.0           # ... but here the model saw none
    return pairs, chain, truth


def same_partition(a, b) -> bool:
    return list(a) == list(b) or list(a) == [1 - x for x in b]


def test_clustering_recovers_two_alternating_voices():
    pairs, chain, truth = two_voices(12)
    assert same_partition(cluster(pairs, chain, 2, [0] * 12), truth)


def test_one_missed_change_does_not_flip_the_rest():
    # The first decoding missed the change before stretch 4: from there on it has every
    # stretch on the wrong voice. The pair scores over the whole conversation put them back,
    # and only the stretch next to the missed change may stay wrong.
    pairs, chain, truth = two_voices(20, flip_at=4)
    drifted = truth[:4] + [1 - x for x in truth[4:]]
    found = cluster(pairs, chain, 2, drifted)
    wrong = sum(a != b for a, b in zip(found, truth))
    assert min(wrong, len(truth) - wrong) <= 1


def test_centred_scores_remove_what_every_pair_shares():
    # Two voices (0, 1 and 2, 3): every pair shares a lot, pairs of one voice a bit more.
    scores = np.array([[0.0, 5.0, 3.0, 3.0], [5.0, 0.0, 3.0, 3.0],
                       [3.0, 3.0, 0.0, 5.0], [3.0, 3.0, 5.0, 0.0]])
    out = centred(scores)
    assert np.allclose(np.diag(out), 0.0)
    assert out[0, 1] > 0 > out[0, 2]
    assert out[2, 3] > 0 > out[1, 3]


def test_stretches_are_decoded_turns_cut_again_where_a_change_is_likely():
    path = [0, 0, 0, 1, 1, 0]
    logits = [0.0, -3.0, 2.0, 4.0, -3.0, 4.0]
    empty = [False, False, False, False, True, False]
    assert stretches_of(path, logits, empty, cut=1.0) == [[0, 1], [2], [3, 4], [5]]
    assert stretches_of(path, logits, empty, cut=100.0) == [[0, 1, 2], [3, 4], [5]]


def test_voices_are_named_by_the_units_own_evidence():
    # Voice 0's units point to speaker 1, voice 1's to speaker 0.
    emit = [[0.0, 2.0], [0.0, 1.0], [3.0, 0.0]]
    runs, labels = [[0, 1], [2]], [0, 1]
    assert naming(emit, runs, labels, 2) == [1, 0]


def test_many_voices_are_named_one_to_one():
    # Seven voices, each pointing to a different speaker (voice v to speaker 6 - v).
    emit = [[3.0 if s == 6 - v else 0.0 for s in range(7)] for v in range(7)]
    runs, labels = [[v] for v in range(7)], list(range(7))
    assert naming(emit, runs, labels, 7) == [6 - v for v in range(7)]


def test_pair_scores_are_symmetric_and_alike_roles_score_higher():
    weights = samevoice.load()
    assert weights is not None  # shipped with the package
    tokens = [[["so", "what", "do", "you", "think"]],
              [["well", "i", "think", "we", "built", "it", "because", "it", "was", "hard"]],
              [["and", "how", "did", "you", "start"]],
              [["i", "started", "when", "i", "was", "nine", "and", "i", "never", "stopped"]]]
    host, guest = [0.9, 0.1, 0.0], [0.1, 0.9, 0.0]
    table = samevoice.stretches(tokens, np.array([host, guest, host, guest]),
                                [1.0, 0.0, 1.0, 0.0], np.zeros((4, 0)), weights.common)
    scores = samevoice.log_odds(table, 2, weights)
    assert np.allclose(scores, scores.T)
    assert np.allclose(np.diag(scores), 0.0)
    assert scores[0, 2] > scores[0, 1] and scores[1, 3] > scores[1, 2]


def test_the_stage_is_off_by_default_and_runs_when_turned_on():
    base = clean(INTERVIEW, options=Options(speakers=False))
    cast = list(CAST)
    plain = attribute(base.transcript, base.corrected, base.edits, cast=cast)
    off = attribute(base.transcript, base.corrected, base.edits, cast=cast,
                    weights={"voices.pairs": 0.0})
    assert VOICES["voices.pairs"] == 0.0
    assert [l.speaker for l in plain.labels] == [l.speaker for l in off.labels]
    on = attribute(base.transcript, base.corrected, base.edits, cast=cast,
                   weights={"voices.pairs": 1.0, "voices.min": 2})
    assert len(on.labels) == len(plain.labels)
    assert {l.speaker for l in on.labels if l.speaker} <= {m.name for m in cast}


def test_voice_clues_give_every_unit_with_text_a_score_for_every_voice():
    from cleaner.attribute.setting import all_weights, prepare  # noqa: PLC0415

    base = clean(INTERVIEW, options=Options(speakers=False))
    setting = prepare(base.transcript, base.corrected, base.edits, list(CAST))
    weights = {**all_weights(), "voices.pairs": 1.0, "voices.min": 2}
    empty = [not v.text.strip() for v in setting.views]
    model = build_model(len(setting.views), setting.speakers, setting.roles, setting.clues,
                        {}, empty, weights)
    clues = voice_clues(setting.views, model, best_path(model), setting.speakers, empty, None,
                        samevoice.load(), weights)
    units = {c.unit for c in clues}
    assert units == {v.index for v in setting.views if v.text}
    assert all(c.kind == "speaker" and c.speaker in setting.speakers for c in clues)
    one = CastMember("Solo Speaker", "host")
    assert voice_clues(setting.views, model, best_path(model), [one.name], empty, None,
                       samevoice.load(), weights) == []
    # Two voices are left to the decoder unless asked (voices.min: fitted on training data).
    assert voice_clues(setting.views, model, best_path(model), setting.speakers, empty, None,
                       samevoice.load(), {**weights, "voices.min": 3}) == []
