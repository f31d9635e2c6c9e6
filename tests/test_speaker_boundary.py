"""The change-of-speaker model: the features it reads at each unit boundary, and its table."""

from __future__ import annotations

from cleaner.attribute.turns import boundary as B
from test_speaker_cues import scene_for


def features(lines):
    """``{line of the unit: features}`` for every boundary."""
    views, scene = scene_for(lines)
    return {views[unit].line: found
            for unit, found in B.boundaries(views, scene.index.lowercase, scene.lowercase_sentences)}


def test_continuation_new_sentence_and_lowercase():
    found = features(["So I have been fretting about it for", "the last 18 months.",
                      "and then it ended.", "It was a long", "Yeah, it was."])
    assert "cont" in found[2]
    assert "lower" in found[3] and "cont" not in found[3]
    assert "cont.new" in found[5] and "open.yes" in found[5]


def test_a_name_after_an_unfinished_line_continues_it():
    found = features(["I talked about it with", "Kevin and he agreed."])
    assert "cont" in found[2]


def test_a_title_at_a_line_end_continues_even_before_an_ordinary_word():
    found = features(["The president spoke.", "Thank you, Mr.", "President.", "The president spoke."])
    assert "cont" in found[3] and "cont.new" not in found[3]


def test_short_replies_questions_and_answers():
    found = features(["We shipped it last week.", "How did you decide that?", "We just felt it was ready.",
                      "Yeah.", "So it shipped."])
    assert {"q.you", "line.5"} <= set(found[2])
    assert "prev.q.you" in found[3]
    assert {"reply", "line.1", "open.yes"} <= set(found[4])
    assert {"prev.reply", "prev.line.1", "open.so"} <= set(found[5])


def test_cut_off_time_marks_and_echoes():
    found = features(["And I-", "[12:04] So what now?", "I call it the alive internet.",
                      "The alive internet?"])
    assert {"prev.cut", "time-mark"} <= set(found[2])
    assert "echo" in found[4]


def test_a_sentence_inside_a_line():
    views, scene = scene_for(["It works. Does it?"])
    found = dict(B.boundaries(views))
    assert "mid" in found[1] and "q" in found[1]


def test_the_table_weighs_only_known_features_and_every_feature_has_a_reason():
    assert "bias" in B.CHANGE and B.CHANGE["bias"] < 0  # changes are rarer than not
    assert set(B.CHANGE) - {"bias"} <= set(B.REASONS)
    assert B.CHANGE["cont"] < 0 < B.CHANGE["open.yes"]


def test_boundary_clues_carry_the_table_weights():
    views, scene = scene_for(["We shipped it.", "Yeah."])
    clues = list(B.boundary_clues(views, scene))
    assert clues and all(c.kind == "boundary" and c.unit == 1 for c in clues)
    assert {c.cue: c.weight for c in clues}["change.reply"] == B.CHANGE["reply"]
    assert {c.cue: c.reason for c in clues}["change.reply"] == "“Yeah.” is a short reply"
    assert {c.cue: c.reason for c in clues}["change.open.yes"] == "opens like a reply (“yeah”)"
