"""The review list: one decision (segment/review.py) behind check, the report, the JSON and
--mark-review (issue 22, item 6)."""

from __future__ import annotations

import json
import math
import re

import pytest

from cleaner import Options, clean
from cleaner.attribute import attribute
from cleaner.segment.review import REVIEW_BELOW, Doubt, mark_turns, needs_review, rule
from cleaner.cli import main
from cleaner.correct.packs import CastMember
from cleaner.segment.turns import Label
from cleaner.segment.units import Piece, Unit
from conftest import SEED


def turn(confidence: float, words: int, supported: bool = True) -> Doubt:
    return Doubt(0, 1, confidence, supported, words)


def words_to_flag(confidence: float, cutoff: float) -> int:
    """The fewest words a turn of this confidence needs to reach the cut-off."""
    return math.ceil(cutoff / (1 - confidence) - 1e-9)


def test_the_fitted_rule_records_its_command_and_leaves_back_channels_alone():
    fitted = rule()
    assert fitted.meta["command"].startswith("python -m train.review")
    assert 0 < fitted.review_below <= 1 and fitted.review_below == REVIEW_BELOW
    # A 1-3 word reply can cost at most 3 words: below the cut-off, so never listed.
    assert fitted.min_expected > 3
    for confidence in (0.0, 0.1, 0.3, 0.49):
        for words in (1, 2, 3):
            assert not needs_review(turn(confidence, words, supported=False), 0.99)


@pytest.mark.parametrize("confidence", [0.2, 0.45, 0.7])
def test_a_turn_is_listed_once_its_expected_wrong_words_reach_the_cut_off(confidence):
    cutoff = rule().min_expected
    enough = words_to_flag(confidence, cutoff)
    assert needs_review(turn(confidence, enough), 0.8)
    assert not needs_review(turn(confidence, enough - 1), 0.8)
    # The same turn at or above the confidence bound, or with no bound, is never listed.
    assert not needs_review(turn(confidence, enough * 10), confidence)
    assert not needs_review(turn(confidence, enough * 10), None)
    assert not needs_review(turn(confidence, enough * 10), 0)


def test_a_given_cut_off_replaces_the_fitted_one():
    assert needs_review(turn(0.5, 4), 0.8, min_expected=2)
    assert not needs_review(turn(0.5, 4), 0.8, min_expected=3)
    assert turn(0.75, 40).expected_wrong == pytest.approx(10)


def test_runs_of_one_speaker_are_marked_as_one_turn():
    """A diarized input's turns: each run of units with one speaker, its lowest confidence."""
    cutoff = rule().min_expected
    half = words_to_flag(0.6, cutoff) // 2 + 1  # two such units make a turn worth listing
    texts = ["word " * half, "word " * half, "Yeah.", "word " * half, "word " * (half * 3)]
    units = [Unit(n, (Piece(n, 0, len(t), t),)) for n, t in enumerate(texts)]
    labels = [Label("Ann", confidence=0.9), Label("Ann", confidence=0.6),
              Label("Bob", confidence=0.1), Label("Ann", confidence=0.6, review=True),
              Label("Cy", confidence=None)]
    marked = mark_turns(labels, units, 0.8)
    assert [label.review for label in marked] == [True, True, False, False, False]
    assert not any(label.review for label in mark_turns(labels, units, 0.6))


INTERVIEW = """# A Talk
**Podcast:** [1 May 2024](https://example.invalid/1)
*  Hello and welcome, I'm Bob Stone, and today I talk to a builder of bridges.
*  Today I'm joined by Ann Lee, who builds bridges all over the country.
*  Thanks for having me, Bob, it is a real pleasure to be here with you today.
*  So how did you start building bridges, and what drew you to it in the first place?
*  I started when I was nine, with wooden blocks and a lot of glue,
*  and I never stopped since then, to be honest, it is what I love most of all.
*  Wow.
*  What was the hardest one you built, and why was it so hard for your team?
*  The one over the river in my home town, because the ground was so soft there.
"""


def test_labels_carry_the_decision_on_each_decoded_turn():
    base = clean(INTERVIEW, options=Options(speakers=False))
    cast = (CastMember("Bob Stone", "host"), CastMember("Ann Lee", "guest"))
    for bound in (0.5, 0.8, 1.0):
        done = attribute(base.transcript, base.corrected, base.edits, cast=cast,
                         review_below=bound)
        assert done.doubts
        for doubt in done.doubts:
            marks = {done.labels[u].review for u in range(doubt.first, doubt.end)}
            assert marks == {needs_review(doubt, bound)}
            assert doubt.words == sum(len(done.units[u].text.split())
                                      for u in range(doubt.first, doubt.end))


@pytest.mark.parametrize("bound", [None, "0.6"])
def test_check_findings_are_the_turns_the_report_and_json_mark(tmp_path, bound):
    """On the seed: ``check``'s review findings, the JSON's review turns and the report's list
    are one set (with the default bound and with a given one)."""
    given = ["--review-below", bound] if bound else []
    found = tmp_path / "found.json"
    assert main(["check", str(SEED), "--speakers", "--format", "json", "-o", str(found),
                 *given]) == 1
    out, report = tmp_path / "seed.json", tmp_path / "seed.report.md"
    assert main(["clean", str(SEED), "--format", "json", "-o", str(out), "--report", str(report),
                 *given]) == 0
    checked = {(f["line"], f["col"]) for f in json.loads(found.read_text())["findings"]
               if f["rule"] == "speaker.review"}
    turns = json.loads(out.read_text())["turns"]
    marked = {(t["spans"][0][0], t["spans"][0][1] + 1) for t in turns if t["review"]}
    section = report.read_text().split("Turns to check", 1)[1].split("\n## ", 1)[0]
    listed = {int(n) for n in re.findall(r"^- line (\d+):", section, re.M)}
    assert checked and checked == marked
    assert listed == {line for line, _ in marked}
    assert all(len(t["text"].split()) > 3 for t in turns if t["review"])
