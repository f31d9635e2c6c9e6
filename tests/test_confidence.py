"""Turn confidence (issue 20, item 4): a calibration fitted on the corpus training split
(train/calibrate.py), shipped as learned/confidence.json, never changing a label."""

from __future__ import annotations

import json
import random

import pytest

from cleaner import Options, clean
from cleaner.attribute import attribute
from cleaner.attribute.names import confidence as C
from cleaner.attribute.learned.weights import StaleWeights
from cleaner.segment.review import Doubt
from conftest import SEED

needs_file = pytest.mark.skipif(not C.DEFAULT_PATH.exists(), reason="no confidence.json shipped")


def facts(posterior=0.8, lowest=None, words=12, voices=2, supported=True, reasons=1, share=0.5,
          roles=True, marks=0.6, position=0.5, length=8000) -> C.TurnFacts:
    return C.TurnFacts(posterior, posterior if lowest is None else lowest, words, voices,
                       supported, reasons, share, roles, marks, position, length)


@needs_file
def test_the_shipped_calibration_says_how_it_was_made():
    shipped = C.load()
    assert shipped is not None and C.load() is shipped  # read once
    assert shipped.meta["command"].startswith("python -m train.calibrate")
    assert shipped.meta["corpus"] and shipped.meta["turns"] > 1000
    xs, ys = zip(*shipped.knots)
    assert list(xs) == sorted(xs) and list(ys) == sorted(ys)


@needs_file
@pytest.mark.parametrize("voices", [2, 3, 4, 6, 12])
@pytest.mark.parametrize("words", [1, 3, 10, 40, 200, 2000])
def test_confidence_is_a_probability_that_rises_with_the_posterior(voices, words):
    for supported in (True, False):
        for roles in (True, False):
            grid = [i / 20 for i in range(1, 20)] + [0.999]
            one_unit = [C.turn_confidence(facts(p, None, words, voices, supported, roles=roles))
                        for p in grid]
            weak_unit = [C.turn_confidence(facts(p, 0.3, words, voices, supported, roles=roles))
                         for p in grid]
            for values in (one_unit, weak_unit):
                assert all(0.0 <= v <= 1.0 for v in values)
                assert all(b >= a - 1e-12 for a, b in zip(values, values[1:]))


def _file(tmp_path, **changes):
    data = {"version": C.CONFIDENCE_VERSION, "features": list(C.FEATURES),
            "weights": [0.0] * len(C.FEATURES), "knots": [[0.0, 0.1], [1.0, 0.9]], "meta": {}}
    data.update(changes)
    path = tmp_path / "confidence.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_calibration_for_other_features_is_refused(tmp_path):
    assert C.read(_file(tmp_path)).knots == ((0.0, 0.1), (1.0, 0.9))
    with pytest.raises(StaleWeights, match="train.calibrate"):
        C.read(_file(tmp_path, version=C.CONFIDENCE_VERSION - 1))
    with pytest.raises(StaleWeights, match="features"):
        C.read(_file(tmp_path, features=list(C.FEATURES[:-1]),
                     weights=[0.0] * (len(C.FEATURES) - 1)))
    with pytest.raises(StaleWeights, match="malformed"):
        C.read(_file(tmp_path, knots=[[0.0, 0.6], [1.0, 0.4]]))  # falls: not monotone


def _turn(posterior: float, right_words: int, words: int):
    from train.calibrate import Turn
    return Turn(facts(posterior, words=words), Doubt(0, 1, 0.5, True, words), 0.5, words,
                words - right_words)


def test_a_calibration_fitted_on_known_odds_gives_them_back():
    pytest.importorskip("sklearn")
    from train.calibrate import fit
    rng = random.Random(3)
    # Turns of 10 words whose words are each right with probability p**2: the decoder's
    # posterior overstates them, most where it is low.
    turns = []
    for _ in range(4000):
        p = rng.uniform(0.3, 1.0)
        turns.append(_turn(p, sum(rng.random() < p * p for _ in range(10)), 10))
    model = fit(turns, {"command": "test"})
    for p in (0.4, 0.6, 0.8, 0.95):
        assert C.turn_confidence(facts(p, words=10), model) == pytest.approx(p * p, abs=0.06)
    again = C.read(_write(model))
    assert again.weights == model.weights and again.knots == model.knots


def _write(model):
    import tempfile
    from pathlib import Path
    path = Path(tempfile.mkdtemp()) / "confidence.json"
    path.write_text(model.to_json(), encoding="utf-8")
    return path


def _seed_attribution():
    """The seed attributed with the cast its text names (four people)."""
    base = clean(SEED.read_text(encoding="utf-8"), path=str(SEED), options=Options(speakers=False))
    done = attribute(base.transcript, base.corrected, base.edits)
    assert len(done.cast.members) >= 3
    return done


def test_confidence_never_changes_a_label(monkeypatch):
    shipped = _seed_attribution()
    flat = C.Calibration(tuple([0.0] * len(C.FEATURES)), ((0.0, 0.2), (1.0, 0.2)), {})
    monkeypatch.setattr(C, "load", lambda path=C.DEFAULT_PATH: flat)
    other = _seed_attribution()
    named = [(a.speaker, a.role) for a in shipped.labels]
    assert [(a.speaker, a.role) for a in other.labels] == named
    assert {a.confidence for a in other.labels} <= {0.2, 1.0 / len(other.cast.members)}
    assert {l.confidence for l in shipped.labels} != {l.confidence for l in other.labels}


def test_each_turn_confidence_comes_from_its_facts_and_unsupported_turns_are_capped():
    done = _seed_attribution()
    assert len(done.facts) == len(done.doubts) > 10
    unsupported = 0
    for doubt, fact in zip(done.doubts, done.facts):
        label = done.labels[doubt.first]
        assert 0.0 <= label.confidence <= 1.0 and label.confidence == doubt.confidence
        assert fact.words >= doubt.words and 0 < fact.share <= 1
        expected = C.turn_confidence(fact)
        if fact.supported:
            assert label.confidence == pytest.approx(expected)
        else:
            unsupported += 1
            assert label.confidence == pytest.approx(min(expected, 1 / len(done.cast.members)))
    assert unsupported or all(f.supported for f in done.facts)


def test_anonymous_voices_claim_at_most_even_odds(monkeypatch):
    sure = C.Calibration(tuple([0.0] * len(C.FEATURES)), ((0.0, 0.95), (1.0, 0.95)), {})
    monkeypatch.setattr(C, "load", lambda path=C.DEFAULT_PATH: sure)
    lines = []
    for week in range(8):  # no names anywhere: the voices stay anonymous
        lines += [f"So what happened with the build in week {week}? Tell me about the tests.",
                  "Well, I think it was mostly about the scheduler. We rewrote it twice.",
                  "Right. And did it work?", "Yeah, it worked much better the second time."]
    text = "# a chat\n**Podcast:** [x](https://example.invalid/x)\n" + "".join(
        f"*  {line}\n" for line in lines)
    base = clean(text, path="chat.md", options=Options(speakers=False))
    done = attribute(base.transcript, base.corrected, base.edits)
    assert not done.cast.members and len({l.speaker for l in done.labels}) == 2
    assert all(0 < l.confidence <= 0.5 for l in done.labels)


def test_the_training_script_writes_a_file_the_tool_reads_and_is_deterministic(tmp_path,
                                                                               monkeypatch):
    pytest.importorskip("sklearn")
    from test_speaker_learned import _tiny_corpus
    from train import calibrate as T
    from train import review as R
    _tiny_corpus(tmp_path)
    monkeypatch.setenv("CLEANER_CORPUS_DIR", str(tmp_path))
    monkeypatch.setattr(R, "SAMPLE", {source: (1000, 0) for source in R.SAMPLE})
    monkeypatch.setattr(R, "MIN_LINES", 10)
    written = []
    for run in range(2):
        out = tmp_path / f"confidence{run}.json"
        assert T.main(["--quick", "--out", str(out), "--write"]) == 0
        written.append(out.read_text(encoding="utf-8"))
    assert written[0] == written[1]
    model = C.read(tmp_path / "confidence0.json")
    assert model.meta["command"] == "python -m train.calibrate --quick"
    assert model.meta["corpus"] and model.meta["turns"] > 0
    for p in (0.05, 0.5, 0.99):
        assert 0.0 <= C.turn_confidence(facts(p), model) <= 1.0
