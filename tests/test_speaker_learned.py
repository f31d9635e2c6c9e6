"""The learned speaker models: features, scoring, the shipped weight file, and training."""

from __future__ import annotations

import gzip
import json
import zlib

import numpy as np
import pytest

from cleaner.attribute.cues import tokens
from cleaner.attribute.turns import change
from cleaner.attribute.voices import affinity, role
from cleaner.attribute.learned import weights as W
from cleaner.attribute.learned.features import (CHANGE_BITS, FEATURE_VERSION, ROLES,
                                                change_features, role_features, stable_hash)

SHIPPED = W.load()
needs_weights = pytest.mark.skipif(SHIPPED is None, reason="no speakers.npz shipped")


def change_logit(before: str, after: str, heuristic=()) -> float:
    found = change_features(before, tokens(before), after, tokens(after), heuristic)
    return change.score(found, SHIPPED)


def role_of(text: str) -> dict[str, float]:
    return dict(zip(ROLES, role.role_logprobs(text, tokens(text), SHIPPED)))


# --- features -----------------------------------------------------------------------------


def test_the_hash_is_stable_and_not_pythons():
    # CRC-32: the same bucket on every machine and run (``hash()`` is salted per process).
    assert stable_hash("n1:yeah", 32) == zlib.crc32(b"n1:yeah")
    assert stable_hash("n1:yeah", CHANGE_BITS) == zlib.crc32(b"n1:yeah") % (1 << CHANGE_BITS)


def test_change_features_read_both_sides_of_the_boundary():
    found = change_features("What do you think?", ["what", "do", "you", "think"],
                            "Yeah, I think so.", ["yeah", "i", "think", "so"], ["open.yes"])
    assert {"h:open.yes", "pe:?", "ne:.", "p1:think", "n1:yeah", "x:think|yeah",
            "n2:yeah i", "pro:100|010"} <= set(found)
    caption = change_features("so we went to the", ["so", "we", "went", "to", "the"],
                              "store and bought it", ["store", "and", "bought", "it"])
    assert {"pe:none", "ne:none"} <= set(caption)


def test_role_features_are_the_words_and_pairs_of_a_unit():
    found = role_features("Welcome to the show.", ["welcome", "to", "the", "show"])
    assert {"w:welcome", "b:welcome to", "f:welcome", "l:show", "e:."} <= set(found)


# --- scoring with the shipped weights -----------------------------------------------------


@needs_weights
def test_an_answer_after_a_question_is_a_change_a_broken_sentence_is_not():
    answer = change_logit("So what got you into distributed systems?", "Yeah, so it started in college.",
                          ["prev.q.you", "open.yes"])
    going_on = change_logit("and then we moved the whole team over to the", "new office in the spring.",
                            ["cont"])
    assert answer > 0 > going_on


@needs_weights
def test_a_back_channel_raises_the_change_score():
    plain = change_logit("We rewrote the scheduler last year.", "It took about six months.")
    reply = change_logit("We rewrote the scheduler last year.", "Wow.", ["reply", "open.oh"])
    assert reply > plain


@needs_weights
def test_hosts_welcome_and_ask_guests_tell():
    host = role_of("Welcome back to the show, everybody. Today I'm joined by a very special guest.")
    guest = role_of("I started the company in 2015 after I left my job, and my co-founder and I "
                    "spent a year building the first version.")
    assert host["host"] > host["guest"]
    assert guest["guest"] > guest["host"]


@needs_weights
def test_affinity_favours_the_speaker_whose_words_a_unit_shares():
    a = ["basically", "the", "scheduler", "is", "basically", "a", "queue", "honestly"]
    b = ["like", "you", "know", "the", "thing", "is", "like", "you", "know", "right"]
    units = [a, b, a, b, a, b, ["basically", "honestly", "the", "queue"]]
    path = [0, 1, 0, 1, 0, 1, 1]   # the first decoding gave the last unit to the wrong one
    found = affinity.scores(units, affinity.turns_of(path), path, 2, SHIPPED)
    assert found[6, 0] > found[6, 1]
    assert found[1, 1] > found[1, 0]


def test_affinity_leaves_out_the_units_own_turn():
    # A speaker whose only words are the unit's own turn has nothing to compare it with:
    # every ratio is exactly zero (no evidence), not a self-match.
    unit_of, bucket = affinity.tokens_of([["alpha", "beta"], ["gamma"]])
    ratios = affinity.token_ratios(unit_of, bucket, np.array([0, 1]), np.array([0, 1]), 2)
    assert np.allclose(ratios[0, :2], 0.0) and np.allclose(ratios[1, 2:], 0.0)


# --- the weight file ----------------------------------------------------------------------


@needs_weights
def test_the_shipped_weights_match_the_code_and_say_how_they_were_made():
    assert SHIPPED.meta["feature_version"] == FEATURE_VERSION
    assert SHIPPED.meta["command"].startswith("python -m train.speakers")
    assert SHIPPED.meta["corpus_version"]
    assert W.DEFAULT_PATH.stat().st_size <= 15_000_000
    assert W.load() is SHIPPED  # read once


def _rewrite(tmp_path, **changes):
    with np.load(W.DEFAULT_PATH) as data:
        arrays = {name: data[name] for name in data.files}
    meta = json.loads(str(arrays["meta"]))
    meta.update(changes.pop("meta", {}))
    arrays["meta"] = np.array(json.dumps(meta))
    arrays.update(changes)
    path = tmp_path / "speakers.npz"
    np.savez(path, **arrays)
    return path


@needs_weights
def test_a_stale_weight_file_is_a_clear_error(tmp_path):
    stale = _rewrite(tmp_path, meta={"feature_version": FEATURE_VERSION - 1})
    with pytest.raises(W.StaleWeights, match="feature version"):
        W.read(stale)
    wrong = _rewrite(tmp_path, change_w=np.zeros(10, dtype=np.float16))
    with pytest.raises(W.StaleWeights, match="change_w"):
        W.read(wrong)


# --- ASR-like lines and training ----------------------------------------------------------


def _conversation(number: int, source: str) -> dict:
    host, guest = f"Host {number}", f"Guest {number}"
    turns = []
    for k in range(12):
        turns.append({"speaker": host, "text": f"Welcome back. So what happened in part {k}? "
                                               "Tell us about the build and the tests you ran."})
        turns.append({"speaker": guest, "text": "Yeah. " if k % 3 == 0 else
                      f"Well, I think part {k} was mostly about the scheduler. We rewrote it twice, "
                      "and honestly the second time it was much simpler than the first one."})
    return {"id": f"{source}/show/{number}", "source": source, "show": "show", "kind": "interview",
            "speakers": [{"name": host, "role": "host"}, {"name": guest, "role": "guest"}],
            "turns": turns}


def _tiny_corpus(folder):
    from train.corpus import SOURCES
    for source in SOURCES:
        with gzip.open(folder / f"{source}.jsonl.gz", "wt", encoding="utf-8") as handle:
            for number in range(2):
                handle.write(json.dumps(_conversation(number, source)) + "\n")


def test_simulated_lines_look_like_asr_and_are_deterministic():
    from train.asr_lines import caption_style, simulate
    from train.corpus import parse
    conversation = parse(_conversation(0, "btc"))
    lines = simulate(conversation, seed=1)
    assert lines == simulate(conversation, seed=1)
    assert all(1 <= len(line.text.split()) <= 20 for line in lines)
    changes = sum(a.chunks[-1][1] != b.chunks[0][1] for a, b in zip(lines, lines[1:]))
    inside = sum(len(line.chunks) - 1 for line in lines)
    assert changes > 10 * inside  # a change of speaker nearly always falls at a line break
    words = " ".join(t.text for t in conversation.turns).split()
    assert " ".join(line.text for line in lines).split() == words  # nothing lost or added
    assert caption_style("Well, I think so. Don't you?") == "well i think so don't you"


def test_training_is_deterministic_on_a_tiny_corpus(tmp_path, monkeypatch):
    pytest.importorskip("sklearn")
    from train import speakers as T
    _tiny_corpus(tmp_path)
    monkeypatch.setenv("CLEANER_CORPUS_DIR", str(tmp_path))
    tiny = {source: (1, 60) for source in T.SAMPLE}
    monkeypatch.setattr(T, "QUICK", tiny)
    outputs = []
    for run in range(2):
        out = tmp_path / f"w{run}.npz"
        assert T.main(["--quick", "--out", str(out)]) == 0
        outputs.append(W.read(out))
    first, second = outputs
    assert np.array_equal(first.change_w, second.change_w)
    assert np.array_equal(first.role_w, second.role_w)
    assert np.array_equal(first.affinity_w, second.affinity_w)
    assert first.meta["corpus_version"] == second.meta["corpus_version"]
    assert np.abs(first.change_w).sum() > 0
