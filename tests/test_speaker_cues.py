"""Cues, one by one, on a few lines of text: each says what it should and nothing else."""

from __future__ import annotations

import pytest

from cleaner.attribute import line_units
from cleaner.attribute import cues as C
from cleaner.attribute.cast import Cast
from cleaner.attribute.names import NameIndex
from cleaner.packs import CastMember
from cleaner.read import read_text
from cleaner.segment import build_units

CAST = (CastMember("Kevin Roose", "host"), CastMember("Casey Newton", "host"),
        CastMember("Sam Altman", "guest"))


def scene_for(lines, members=CAST, organisations=None):
    transcript = read_text("\n".join(lines) + "\n", None, "plain")
    units = line_units(build_units(transcript, [s.text for s in transcript.segments], []))
    text = "\n".join(u.text for u in units)
    index = NameIndex([(m.name, m.aliases) for m in members], text)
    views = C.build_views(transcript, units, index)
    scene = C.Scene(Cast(tuple(members)), index, organisations or {})
    return views, scene


def clues(cue, lines, members=CAST, **kwargs):
    """``[(line of the unit, kind, sign, speaker or role)]`` for one cue."""
    views, scene = scene_for(lines, members, **kwargs)
    return [(views[c.unit].line, c.kind, "+" if c.weight > 0 else "-", c.speaker or c.role)
            for c in cue(views, scene)]


def test_continuation_keeps_the_speaker_unless_a_new_sentence_starts():
    found = clues(C.continuation, ["So I have been fretting about it for", "the last 18 months.",
                                   "and then it ended.", "It was a long", "Yeah, it was."])
    assert found == [(2, "boundary", "-", None), (3, "boundary", "-", None),
                     (5, "boundary", "+", None)]


def test_a_transcript_that_starts_sentences_in_lowercase_loses_the_lowercase_cue():
    lines = ["okay .", "um we start .", "yeah .", "so that is it .", "right ."]
    views, scene = scene_for(lines)
    assert C.lowercase_sentences(views)


def test_back_channel_and_the_sentence_after_it():
    found = clues(C.back_channel, ["It keeps getting slower and slower.", "Yeah.",
                                   "And there's a limit at some point."])
    assert found == [(2, "boundary", "+", None), (3, "boundary", "+", None)]
    assert C.is_back_channel("Mm-hmm.") and C.is_back_channel("That makes sense.")
    assert not C.is_back_channel("Yeah, I actually think we could have explained it.")


def test_turn_opener():
    assert clues(C.turn_opener, ["I think so.", "Well, that's why we brought you in."]) == [
        (2, "boundary", "+", None)]
    assert clues(C.turn_opener, ["I think so.", "And then we left."]) == []


def test_cut_off_at_a_line_end_is_stronger_than_inside_a_line():
    views, scene = scene_for(["And I-", "As a senator - I voted no."])
    weights = [c.weight for c in C.cut_off(views, scene)]
    assert len(weights) == 2 and weights[0] > weights[1] > 0


def test_question_answer_and_question_start():
    lines = ["We shipped it last week.", "How did you decide that?", "We just felt it was ready."]
    assert clues(C.question_start, lines) == [(2, "boundary", "+", None)]
    assert clues(C.question_answer, lines) == [(3, "boundary", "+", None)]


def test_self_introduction():
    assert clues(C.self_introduction, ["Hello.", "I'm Kevin Roose, a tech columnist."]) == [
        (2, "speaker", "+", "Kevin Roose")]


def test_addressing_says_who_is_not_speaking_and_who_speaks_next():
    found = clues(C.addressing, ["Casey, how would you describe our show?", "I would say it's fun."])
    assert (1, "speaker", "-", "Casey Newton") in found
    assert (1, "next", "+", "Casey Newton") in found
    assert (2, "speaker", "+", "Casey Newton") in found


def test_thanks_in_a_reply_points_back_to_the_one_who_asked():
    found = clues(C.addressing, ["Sam Altman, welcome back to the show.", "Thanks, Kevin."])
    assert (1, "speaker", "+", "Kevin Roose") in found
    assert (2, "speaker", "-", "Kevin Roose") in found


def test_mentions_are_not_the_speaker_but_vocatives_and_self_introductions_are_not_mentions():
    found = clues(C.mentions, ["So last Friday, Sam Altman, the CEO of OpenAI, was fired.",
                               "Casey, what do you think?", "I'm Kevin Roose."])
    assert found == [(1, "speaker", "-", "Sam Altman")]


@pytest.mark.parametrize("text, form, place", [
    ("Casey, how would you describe it?", "Casey", "start"),
    ("Thanks, Kevin.", "Kevin", "start"),
    ("So on the one hand, Kevin, a shocking turn.", "Kevin", "middle"),
    ("How are you doing, Casey?", "Casey", "end"),
    ("Sam Altman, the CEO of OpenAI, was fired.", "Sam Altman", None),
    ("Kevin and Casey did an interview.", "Kevin", None),
])
def test_vocative_place(text, form, place):
    index = NameIndex([("Kevin Roose", ()), ("Casey Newton", ()), ("Sam Altman", ())])
    mention = next(m for m in index.find(text) if m.form == form)
    assert C.vocative_place(text, mention) == place


def test_role_priors():
    found = clues(C.role_priors, ["Does it feel that way to you?", "I think so, yes, it does feel that way."])
    assert (1, "role", "+", "host") in found
    assert (2, "role", "-", "host") in found  # "I": a guest rather


def test_narrator_intro_until_the_hand_over():
    members = CAST + (CastMember("Michael Barbaro", "narrator", ("Michael",)),)
    lines = ["Hey, it's Michael.", "Today we play you an interview.", "Here's Kevin.",
             "Take a listen.", "Hello, everyone.", "Welcome to the show."]
    found = clues(C.narrator, lines, members)
    inside = {line for line, kind, sign, who in found if kind == "speaker" and sign == "+"}
    assert inside == {1, 2, 3, 4}
    assert (5, "boundary", "+", None) in found


def test_narrator_without_an_intro_gets_no_turns():
    members = CAST + (CastMember("Michael Barbaro", "narrator"),)
    found = clues(C.narrator, ["Hello, everyone.", "Welcome to the show."], members)
    assert found and all(sign == "-" for _, _, sign, _ in found)


def test_credits_are_read_by_a_host():
    found = clues(C.credits, ["Thanks, all.", "Hard Fork is produced by Davis Land."])
    assert (2, "role", "+", "host") in found and all(line == 2 for line, *_ in found)


def test_we_of_an_organisation():
    found = clues(C.organisation, ["We kind of always thought at OpenAI it was strange."],
                  organisations={"OpenAI": "Sam Altman"})
    assert found == [(1, "speaker", "+", "Sam Altman")]
    assert C.find_organisations(["We spoke to Sam Altman, the CEO of OpenAI, today."],
                                NameIndex([("Sam Altman", ())])) == {"OpenAI": "Sam Altman"}


def test_entrance_a_welcomed_guest_does_not_speak_before():
    found = clues(C.entrance, ["Hello, everyone.", "Today, a guest.", "Sam Altman, welcome to the show."])
    assert found == [(1, "speaker", "-", "Sam Altman"), (2, "speaker", "-", "Sam Altman")]


def test_line_length_short_lines_end_turns():
    found = clues(C.line_length, ["Right.", "It has been a year since it was released and a lot has happened."])
    assert (2, "boundary", "+", None) in found


def test_echo_and_time_mark():
    assert clues(C.echo, ["I call it the alive internet.", "The alive internet?"]) == [
        (2, "boundary", "+", None)]
    assert clues(C.time_mark, ["That is all.", "[12:04] So what now?"]) == [(2, "boundary", "+", None)]


def test_speaker_hint_from_the_input():
    transcript = read_text("1\n00:00:01,000 --> 00:00:02,000\nCasey: Hi there.\n", None, "srt")
    units = line_units(build_units(transcript, [s.text for s in transcript.segments], []))
    index = NameIndex([(m.name, m.aliases) for m in CAST])
    views = C.build_views(transcript, units, index)
    found = list(C.speaker_hint(views, C.Scene(Cast(CAST), index)))
    assert [(c.speaker, c.weight > 5) for c in found] == [("Casey Newton", True)]


def test_every_cue_weight_is_used_and_every_cue_runs_on_empty_input():
    views, scene = scene_for(["Hello."])
    assert C.gather([], scene) == []
    assert all(isinstance(c, C.Clue) for c in C.gather(views, scene))
    source = open(C.__file__, encoding="utf-8").read()
    unused = [key for key in C.WEIGHTS if f'"{key}"' not in source.split("WEIGHTS: dict")[1].split("}\n", 1)[1]]
    assert unused == []
