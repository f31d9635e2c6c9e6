"""Punctuation and capitals restored on caption-style text (issue 13)."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from cleaner import restore
from cleaner.edits import Proposal, build_stream
from cleaner.errors import CleanerError
from cleaner.pipeline import Options, clean
from cleaner.punctuate import features, model, propose_punctuation
from cleaner.punctuate.words import needs, words_of
from cleaner.read import read_text
from cleaner.render import render

PUNCT = ("punct.period", "punct.comma", "punct.question", "punct.capital")

BARE = "\n".join([
    "# a talk", "",
    "*  good evening and welcome to the show i'm jim lehrer and tonight we talk about",
    "*  the economy with two guests who know it well thank you both for coming",
    "*  it is a pleasure to be here thank you jim what do you think about the plan",
    "*  i think the plan is a good one but we have to be careful about the cost",
    "*  and about who pays for it in the end that is the question we need to answer",
    "*  well i agree with that and i would add that the timing matters a great deal",
    "*  do you think congress will act before the election or after it",
]) + "\n"


def _punct(result):
    return [e for e in result.edits if e.rule in PUNCT]


def test_features_are_stable_and_position_aware():
    assert features.normal("“Hello,”") == "hello" and features.normal("--") == ""
    first = features.rows(features.word_hashes(["hello", "world"]))
    # The hash is part of the weight file's contract: a change needs a new FEATURE_VERSION.
    assert first[0].tolist()[:4] == [491090, 296418, 303962, 305088]
    again = features.rows(features.word_hashes(["hello", "world"]))
    assert (first == again).all()
    # the same word before and after is a different feature
    swapped = features.rows(features.word_hashes(["world", "hello"]))
    assert set(first[0]) != set(swapped[1]) or (first[0] != swapped[1]).any()
    with_breaks = features.rows(features.word_hashes(["hello", "world"]),
                                np.array([features.BREAK, features.BREAK], dtype=np.int8))
    assert (with_breaks[:, :len(features.TEMPLATES)] == first[:, :len(features.TEMPLATES)]).all()
    assert (with_breaks[:, len(features.TEMPLATES):] != first[:, len(features.TEMPLATES):]).any()


def test_scoring_follows_the_weights_and_capitals_follow_sentence_ends():
    rows = features.rows(features.word_hashes(["yes", "we", "can"]))
    table = np.zeros((1 << features.BITS, 5), dtype=np.float32)
    table[rows[0, 4], model.PERIOD] = 5.0  # unigram "yes" at position 0 -> a full stop
    weights = model.Weights(table, np.zeros(5, dtype=np.float32), {})
    marks, capital = model.decide(model.scores(weights, rows))
    assert marks.tolist() == [model.PERIOD, model.NONE, model.NONE]
    assert model.capitals(marks, capital).tolist() == [True, True, False]
    # a long pause after "we" makes it a sentence end too
    buckets = np.array([-1, 4, -1], dtype=np.int8)
    table[rows[1, 4], model.PERIOD] = 0.5
    marks, _ = model.decide(model.scores(weights, rows), buckets)
    assert marks[1] == model.PERIOD


def test_a_stale_weight_file_is_a_clear_error(tmp_path):
    path = tmp_path / "old.npz"
    np.savez(path, table=np.zeros((4, 5), dtype=np.float16), offsets=np.zeros(5),
             meta=np.array(json.dumps({"feature_version": 0, "bits": 2})))
    with pytest.raises(CleanerError, match="stale punctuation weights.*retrain"):
        model.load(path)
    with pytest.raises(CleanerError, match="not found"):
        model.load(tmp_path / "missing.npz")


def test_shipped_weights_record_how_they_were_made():
    meta = model.load().meta
    assert meta["feature_version"] == features.FEATURE_VERSION
    assert meta["command"].startswith("python -m train.punctuate")
    assert meta["corpus_version"] and meta["fit_words"] > 100_000


def test_training_is_deterministic_on_a_tiny_slice():
    from train.corpus import Conversation, Turn
    from train import punctuate as trainer

    talk = Conversation("x/1", "btc", "show", "interview", {}, (
        Turn("A", "Hello there, how are you? I am fine. Thanks, Bob."),
        Turn("B", "Good to hear. What do you think of it? It works, I think.")) * 5)
    data = trainer.build([talk])
    assert data.marks.tolist()[:5] == [model.NONE, model.COMMA, model.NONE, model.NONE,
                                       model.QUESTION]
    one, two = trainer.fit(data, 1), trainer.fit(data, 1)
    assert np.array_equal(one, two) and np.abs(one).sum() > 0


def test_bare_text_is_punctuated_as_edits_that_restore():
    result = clean(BARE, options=Options(speakers=False))
    edits = _punct(result)
    rules = {e.rule for e in edits}
    assert "punct.capital" in rules and rules & {"punct.period", "punct.question"}
    assert result.options["punctuate"]["applied"]
    text = " ".join(result.corrected)
    assert " I " in text or "I'm" in text  # "i" takes its capital
    document = json.loads(render(result, "json"))
    assert restore(document) == BARE
    # cleaned again, the text has its marks: nothing more is punctuated
    again = clean(render(result, "md"), options=Options(speakers=False))
    assert _punct(again) == []


def test_verbatim_and_never_make_no_punctuation_edits():
    for options in (Options(speakers=False, style="verbatim"),
                    Options(speakers=False, punctuate="never")):
        result = clean(BARE, options=options)
        assert _punct(result) == []
        assert not result.options["punctuate"]["applied"]


def test_punctuated_parts_are_left_alone_in_auto_mode():
    punctuated = "\n".join(f"*  This is sentence {n}, and it ends here." for n in range(8))
    text = BARE + punctuated + "\n"
    transcript = read_text(text)
    chosen = needs(words_of(transcript), len(transcript.segments), "auto")
    assert chosen == set(range(7))  # the seven bare lines, not the punctuated ones
    result = clean(text, options=Options(speakers=False))
    assert all(e.line <= 9 for e in _punct(result))


def test_no_mark_goes_inside_what_a_rule_changes():
    transcript = read_text("*  i spoke to kevin roos about it and then we left for the day\n")
    stream = build_stream(transcript)
    start = stream.text.index("kevin roos")
    rule = Proposal(start=start, end=start + len("kevin roos"), after="Kevin Roose",
                    rule="kevin-roose", category="name", origin="test")
    # weights that want a comma after every word
    weights = replace(model.load(), offsets=np.array([0, 20, 0, 0, 0], dtype=np.float32))
    proposals, _ = propose_punctuation(stream, transcript, [rule], "always", weights=weights)
    assert proposals
    for proposal in proposals:
        assert proposal.end <= rule.start or proposal.start >= rule.end
    # the comma after "roos" moved to the space after it
    assert any(p.start == rule.end and p.after == ", " for p in proposals)


def test_roll_up_captions_are_punctuated_with_pauses():
    from pathlib import Path

    raw = (Path(__file__).resolve().parent.parent / "fixtures" / "captions" / "rollup.vtt"
           ).read_text(encoding="utf-8")
    result = clean(raw, options=Options(speakers=False, punctuate="always"))
    assert result.options["punctuate"]["timed"]
    assert any(e.rule == "punct.capital" and e.after == "G" for e in result.edits)
    assert restore(json.loads(render(result, "json"))) == raw


def test_a_long_silence_is_evidence_for_a_change_of_speaker():
    from cleaner.attribute.turns.boundary import GAP, features as change_features
    from cleaner.attribute.cues import View

    before = View(index=0, text="that is my answer", words=4, line=1, starts_line=True,
                  continues=False, tokens=("that", "is", "my", "answer"))
    after = View(index=1, text="let us move on", words=4, line=2, starts_line=True,
                 continues=False, tokens=("let", "us", "move", "on"), gap=2.0)
    assert "gap.long" in change_features(before, after, {})
    after.gap = 0.05
    assert "gap.none" in change_features(before, after, {})
    after.gap = None
    assert not any(f.startswith("gap.") for f in change_features(before, after, {}))
    assert GAP["gap.long"] > 0 > GAP["gap.none"]


def test_unit_gaps_come_from_word_times():
    from pathlib import Path

    from cleaner.attribute.cues import unit_gaps
    from cleaner.segment.units import build_units

    raw = (Path(__file__).resolve().parent.parent / "fixtures" / "captions" / "rollup.vtt"
           ).read_text(encoding="utf-8")
    transcript = read_text(raw)
    units = build_units(transcript, [s.text for s in transcript.segments], [])
    gaps = unit_gaps(transcript, units)
    assert gaps[0] is None and all(g is not None and g >= 0 for g in gaps[1:])


def test_cast_names_take_the_cast_spelling():
    from cleaner.correct.packs import CastMember

    text = "# debate\n\n" + "\n".join(
        f"*  on point {n} senator mccain and senator obama said the economy matters"
        for n in ("one", "two", "three", "four", "five", "six")) + "\n"
    cast = (CastMember(name="John McCain"), CastMember(name="Barack Obama"))
    result = clean(text, options=Options(speakers=False, cast=cast))
    text_out = " ".join(result.corrected)
    assert "McCain" in text_out and "Obama" in text_out and "mccain" not in text_out
    assert restore(json.loads(render(result, "json"))) == text
