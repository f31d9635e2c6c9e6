"""The naming stage: the policy (who gets which name), the learned mention model, the pair
model's weights file, and the simulated diarized transcripts the benchmark and training use."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cleaner import Options, clean, restore
from cleaner.attribute.names import learned as learned
from cleaner.attribute.learned.weights import StaleWeights
from cleaner.attribute.names.naming import DEFAULTS, choose_names
from cleaner.correct.packs import CastMember
from cleaner.render import render
from train.corpus import Conversation, Turn
from train.diarize import ceiling, diarized, pieces

# --- the policy -------------------------------------------------------------------------------


def names_of(choices):
    return {c.cluster: c.name for c in choices}


def test_a_given_cast_names_every_voice_even_without_evidence():
    choices = choose_names(["A", "B"], {"A": 0.5, "B": 0.5}, ["Kim", "Lou"], {"Kim", "Lou"}, {})
    assert sorted(names_of(choices).values()) == ["Kim", "Lou"]


def test_the_assignment_is_one_to_one_over_the_whole_conversation():
    # B fits Kim best, but A fits Kim even better and nothing else: B must take Lou.
    logits = {("A", "Kim"): 4.0, ("A", "Lou"): -3.0, ("B", "Kim"): 1.0, ("B", "Lou"): 0.5}
    choices = choose_names(["A", "B"], {"A": 0.5, "B": 0.5}, ["Kim", "Lou"], {"Kim", "Lou"},
                           logits)
    assert names_of(choices) == {"A": "Kim", "B": "Lou"}
    assert all(c.margin > 0 for c in choices)


def test_without_a_cast_a_voice_with_no_name_evidence_keeps_its_label():
    logits = {("A", "Kim"): 5.0, ("B", "Kim"): -2.0}
    choices = choose_names(["A", "B"], {"A": 0.5, "B": 0.5}, ["Kim"], set(), logits)
    assert names_of(choices) == {"A": "Kim", "B": None}


def test_a_found_name_needs_evidence_above_the_floor():
    settings = {**DEFAULTS, "found_floor": 1.0}
    weak = choose_names(["A"], {"A": 1.0}, ["Kim"], set(), {("A", "Kim"): 0.5}, settings)
    strong = choose_names(["A"], {"A": 1.0}, ["Kim"], set(), {("A", "Kim"): 1.5}, settings)
    assert names_of(weak) == {"A": None} and names_of(strong) == {"A": "Kim"}


def test_a_voice_left_over_takes_the_name_it_fits_only_on_strong_evidence():
    settings = {**DEFAULTS, "merge_floor": 2.0, "tiny_share": 0.02}
    shares = {"A": 0.5, "B": 0.4, "C": 0.1}
    base = {("A", "Kim"): 3.0, ("B", "Lou"): 3.0, ("A", "Lou"): -3.0, ("B", "Kim"): -3.0}
    split = choose_names(["A", "B", "C"], shares, ["Kim", "Lou"], {"Kim", "Lou"},
                         {**base, ("C", "Kim"): 2.5, ("C", "Lou"): -1.0}, settings)
    assert names_of(split) == {"A": "Kim", "B": "Lou", "C": "Kim"}
    assert split[2].merged_with == "A"
    unsure = choose_names(["A", "B", "C"], shares, ["Kim", "Lou"], {"Kim", "Lou"},
                          {**base, ("C", "Kim"): 0.5}, settings)
    assert names_of(unsure)["C"] is None and unsure[2].best == "Kim"
    # A small voice (a stray bit of someone's) goes to its best fit whatever the fit.
    stray = choose_names(["A", "B", "C"], {"A": 0.59, "B": 0.4, "C": 0.01}, ["Kim", "Lou"],
                         {"Kim", "Lou"}, {**base, ("C", "Kim"): -1.0, ("C", "Lou"): -2.0},
                         {**settings, "merge_share": 0.05})
    assert names_of(stray) == {"A": "Kim", "B": "Lou", "C": "Kim"}


# --- the learned mention model ----------------------------------------------------------------

WEIGHTS = learned.load()
needs_weights = pytest.mark.skipif(WEIGHTS is None, reason="naming.npz is not shipped")


def relation(sentence: str, name: str, before: int, after: int) -> str:
    start = sentence.index(name)
    row = learned.mention_features(sentence, start, start + len(name), "given", before, after)
    return learned.RELATIONS[int(np.argmax(learned.relation_chances([row], WEIGHTS)[0]))]


@needs_weights
def test_a_name_asked_to_speak_at_the_end_of_a_turn_names_the_next_voice():
    assert relation("What do you make of that, Priya?", "Priya", 40, 0) == "next"


@needs_weights
def test_a_self_introduction_names_the_voice_speaking():
    assert relation("Hi everyone, I'm Priya and this is the show.", "Priya", 0, 30) == "self"


@needs_weights
def test_a_third_person_mention_names_nobody_in_the_room():
    assert relation("I read the paper that Priya wrote about it last year.", "Priya", 30, 30) \
        in ("other",)


@needs_weights
def test_the_weights_file_records_what_trained_it_and_the_fitted_thresholds():
    assert WEIGHTS.meta["command"].startswith("python -m train.naming")
    assert set(DEFAULTS) <= set(WEIGHTS.meta["fitted"])


def test_a_weights_file_of_another_version_is_refused(tmp_path):
    path = tmp_path / "naming.npz"
    meta = {"naming_version": learned.NAMING_VERSION + 1, "pair_features": list(learned.PAIR_FEATURES)}
    np.savez(path, meta=np.array(json.dumps(meta)),
             mention_w=np.zeros((1 << learned.MENTION_BITS, 4)), mention_b=np.zeros(4),
             pair_w=np.zeros(len(learned.PAIR_FEATURES)), pair_b=np.array(0.0))
    with pytest.raises(StaleWeights, match="retrain"):
        learned.read(path)


# --- the whole stage on diarized transcripts --------------------------------------------------

TWO = ("Speaker 0: So, what brought you to pottery in the first place?\n"
       "Speaker 1: Honestly it was an accident. A friend dragged me to a class.\n"
       "Speaker 0: And you stayed with it for ten years?\n"
       "Speaker 1: Twelve, actually. It grows on you.\n")


def test_a_two_name_cast_with_two_voices_always_names_both():
    for cast in ((CastMember("Ines Alvarado", "unknown"), CastMember("Tomas Reyes", "unknown")),
                 (CastMember("Ines Alvarado", "host"), CastMember("Tomas Reyes", "guest"))):
        result = clean(TWO, path="two.txt", options=Options(cast=cast, trust_diarization=True))
        named = {c["label"]: c["name"] for c in result.options["diarization"]["clusters"]}
        assert sorted(named.values()) == ["Ines Alvarado", "Tomas Reyes"]
        assert all(0 < c["confidence"] <= 1 and c["evidence"]
                   for c in result.options["diarization"]["clusters"])
        assert restore(json.loads(render(result, "json"))) == TWO


def test_the_host_role_names_the_voice_that_asks():
    cast = (CastMember("Ines Alvarado", "host"), CastMember("Tomas Reyes", "guest"))
    result = clean(TWO, path="two.txt", options=Options(cast=cast, trust_diarization=True))
    named = {c["label"]: c["name"] for c in result.options["diarization"]["clusters"]}
    assert named == {"Speaker 0": "Ines Alvarado", "Speaker 1": "Tomas Reyes"}


def test_keep_unsure_labels_abstains_instead_of_guessing():
    cast = (CastMember("Ines Alvarado", "unknown"), CastMember("Tomas Reyes", "unknown"))
    result = clean(TWO, path="two.txt",
                   options=Options(cast=cast, trust_diarization=True, keep_unsure_labels=True,
                                   review_below=0.99))
    clusters = result.options["diarization"]["clusters"]
    assert any(c["name"] is None and c.get("candidate") for c in clusters)


# --- simulated diarized transcripts -----------------------------------------------------------

CONVERSATION = Conversation(
    "test/one", "test", "Test", "interview", {"Ana": "host", "Ben": "guest", "Cy": "guest"},
    tuple(Turn(s, t) for s, t in [
        ("Ana", "Welcome to the show, Ben and Cy. " * 3), ("Ben", "Thanks for having me here. " * 4),
        ("Ana", "So what do you both do all day long? " * 2), ("Cy", "I build small boats by hand. " * 15),
        ("Ben", "And I sail them when they are done. " * 5), ("Ana", "That is a fine partnership. " * 2),
    ] * 6))


def test_gold_clusters_are_the_turns_and_their_ceiling_is_one():
    made = diarized(CONVERSATION)
    assert set(made.cluster_of_line.values()) == {"Speaker 0", "Speaker 1", "Speaker 2"}
    assert all(made.gold[line] for line in made.gold)
    weights = {line: 1 for line in made.gold}
    assert ceiling(made, weights) == 1.0


def test_perturbations_are_deterministic_and_do_what_they_say():
    assert diarized(CONVERSATION, "split").text == diarized(CONVERSATION, "split").text
    split = {p.cluster for p in pieces(CONVERSATION, "split")}
    assert len(split) == 4
    merged = pieces(CONVERSATION, "merged")
    assert len({p.cluster for p in merged}) == 2
    made = diarized(CONVERSATION, "merged")
    assert ceiling(made, {line: 1 for line in made.gold}) < 1.0
    opened = pieces(CONVERSATION, "cold-open")
    assert opened[0].speaker != "Ana" and opened[1:] == pieces(CONVERSATION)
    assert " ".join(opened[0].words) in " ".join(t.text for t in CONVERSATION.turns)
    moved = pieces(CONVERSATION, "edges")
    assert sum(len(p.words) for p in moved) == sum(len(t.text.split()) for t in CONVERSATION.turns)
