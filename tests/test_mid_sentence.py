"""Changes of speaker inside a sentence the input did not break (issue 20, item 3): rare in
attribution, never finished with a made-up full stop in publication, and on the review list."""

from __future__ import annotations

import pytest

from cleaner import Options, clean, render
from cleaner.attribute import attribute
from cleaner.attribute.cues import View, goes_on
from cleaner.attribute.turns.sentences import IN_SENTENCE, in_sentence_clues, inside
from cleaner.segment.review import Doubt, needs_review
from cleaner.tidy.publish import RULE_END, breaks_off
from conftest import SEED

WEIGHTS = {"decoder.in-sentence": 8.0, "decoder.in-sentence-rate": 0.1, "decoder.in-sentence-lines": 8}
LABELLED = """1
00:00:01,000 --> 00:00:03,000
Ann Lee: If you missed it, we covered the whole saga in our episode

2
00:00:03,000 --> 00:00:05,000
Bob Stone: Inside the Coup at OpenAI. Special thanks to Paula Szuchman, Pui-Wing Tam,

3
00:00:05,000 --> 00:00:07,000
Ann Lee: Kate LoPresti and Jeffrey Miranda. Thanks for listening
"""


def views(texts: list[str], hints: list[str | None] | None = None) -> list[View]:
    going_on = goes_on(texts)
    return [View(index=n, text=text, words=len(text.split()), line=n + 3, starts_line=True,
                 continues=going_on[n], hint=(hints or [None] * len(texts))[n])
            for n, text in enumerate(texts)]


# --- the decoder's prior ---------------------------------------------------------------------

PODCAST = views(["So we shipped it on", "a Friday, which was a mistake.", "Was it?",
                 "Yes, and the pager", "went off all weekend.", "Ouch.", "And then", "we rolled back."])
#                 0                     1 (inside)                  2          3
#                 4 (inside)            5                             6          7 (inside)


def test_the_breaks_inside_sentences_are_the_units_that_go_on():
    assert inside(PODCAST, 8) == [1, 4, 7]
    assert inside(PODCAST, 8, fixed={4: 0}) == [1, 7]  # an editor's fix may cut a sentence
    labelled = views([v.text for v in PODCAST], ["Ann", "Ann", "Bob", "Ann", "Bob", "Bob", "Bob",
                                                 "Bob"])
    assert inside(labelled, 8) == [1, 7]  # so may the input's own labels


def test_a_conversation_that_rarely_changes_inside_sentences_is_held_to_never():
    # The first decoding changes speaker at one of three breaks inside sentences (a third):
    # a meeting-like rate, so nothing is added ...
    path = [0, 1, 1, 0, 0, 1, 0, 0]
    assert in_sentence_clues(PODCAST, path, WEIGHTS) == []
    # ... while with the bound above that share every such break is held against a change.
    clues = in_sentence_clues(PODCAST, path, {**WEIGHTS, "decoder.in-sentence-rate": 0.5})
    assert [(c.unit, c.cue, c.kind, c.weight) for c in clues] == [
        (1, IN_SENTENCE, "boundary", -8.0), (4, IN_SENTENCE, "boundary", -8.0),
        (7, IN_SENTENCE, "boundary", -8.0)]
    # No change inside a sentence at all: the rarest there is.
    assert len(in_sentence_clues(PODCAST, [0, 0, 1, 0, 0, 1, 0, 0], WEIGHTS)) == 3
    assert in_sentence_clues(PODCAST, [0] * 8, {**WEIGHTS, "decoder.in-sentence": 0}) == []


@pytest.fixture(scope="module")
def seed_base():
    return clean(SEED.read_text(encoding="utf-8"), options=Options(speakers=False))


def changes_inside_sentences(base, **kwargs) -> list[str]:
    """The text after each guessed change of speaker that falls inside an input sentence."""
    done = attribute(base.transcript, base.corrected, base.edits, **kwargs)
    texts = [unit.text for unit in done.units]
    going_on = goes_on(texts)
    speaker = [label.speaker for label in done.labels]
    return [texts[n] for n in range(1, len(texts))
            if texts[n] and going_on[n] and speaker[n] != speaker[n - 1]]


def test_the_seed_has_no_change_inside_an_unbroken_sentence(seed_base):
    # Before: "...in our episode" / "Inside the Coup at OpenAI.", "...Pui Wing Tam," / "Kate
    # Lepresty and Jeffrey Miranda.", and two more, each given to another speaker.
    assert changes_inside_sentences(seed_base) == []
    assert changes_inside_sentences(seed_base, weights={"decoder.in-sentence": 0}) != []


# --- publication -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def labelled():
    return clean(LABELLED, options=Options(default_rules=False))


def test_no_full_stop_makes_a_fragment_look_finished(labelled):
    texts = [turn.text for turn in labelled.turns]
    assert texts[0].endswith("in our episode")
    assert texts[1].endswith("Pui-Wing Tam,")
    assert texts[2] == "Kate LoPresti and Jeffrey Miranda. Thanks for listening."  # the end
    assert [e.line for e in labelled.edits if e.rule == RULE_END] == [11]  # "listening"


def test_cleaning_the_published_text_again_adds_no_end_mark(labelled):
    again = clean(render(labelled, "md"), options=Options(default_rules=False))
    assert not [e for e in again.edits if e.rule == RULE_END]


@pytest.mark.parametrize("text", ["Special thanks to Kate LoPresti and", "We went to the",
                                  "It is one of"])
def test_a_transcript_that_breaks_off_gets_no_end_mark(text):
    assert breaks_off(text)
    result = clean(text, options=Options(input_format="plain", default_rules=False))
    assert result.text == text


def test_a_finished_last_text_still_gets_its_end_mark():
    assert not breaks_off("And that was the end of it")
    result = clean("and that was the end of it", options=Options(input_format="plain",
                                                                  default_rules=False))
    assert result.text == "And that was the end of it."


def test_the_seed_gets_no_end_mark_but_at_its_end(seed_base):
    result = clean(SEED.read_text(encoding="utf-8"))
    last = max(segment.line for segment in result.transcript.segments)
    assert all(edit.line == last for edit in result.edits if edit.rule == RULE_END)
    text = render(result, "md")
    for fragment in ("in our episode.", "Pui-Wing Tam.", "your folks.", "I don't know."):
        assert fragment not in text


# --- the review list -------------------------------------------------------------------------

def test_a_turn_that_starts_inside_a_sentence_is_on_the_review_list():
    sure = Doubt(3, 6, confidence=0.95, supported=True, words=20)
    assert not needs_review(sure, 0.8)
    assert needs_review(Doubt(3, 6, 0.95, True, 20, cuts_sentence=True), 0.8)
    assert not needs_review(Doubt(3, 6, 0.95, True, 20, cuts_sentence=True), None)  # list off
    # "Yeah." said into another's sentence is a reply, not a doubtful turn.
    assert not needs_review(Doubt(3, 4, 0.95, True, 1, cuts_sentence=True), 0.8)
