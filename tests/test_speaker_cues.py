"""Cues, one by one, on a few lines of text: each says what it should and nothing else."""

from __future__ import annotations

import pytest

from cleaner.attribute.turns import line_units
from cleaner.attribute import cues as C
from cleaner.attribute.cast import Cast
from cleaner.attribute.mentions import NameIndex
from cleaner.correct.packs import CastMember
from cleaner.read import read_text
from cleaner.segment.units import build_units

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


def test_a_transcript_that_starts_sentences_in_lowercase_loses_the_lowercase_cue():
    lines = ["okay .", "um we start .", "yeah .", "so that is it .", "right ."]
    views, scene = scene_for(lines)
    assert C.lowercase_sentences(views)


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
    ("Casey, the thing is that it works.", "Casey", "start"),
    ("Bad news that we will fix, right Casey?", "Casey", "end"),
    ("Senator Altman.", "Senator Altman", "alone"),
    ("This is for Senator Altman.", "Senator Altman", "directed"),
    ("I'd like to direct my question to Mr. Altman.", "Mr. Altman", "directed"),
    ("And now a closing statement from Mr. Altman.", "Mr. Altman", "directed"),
    ("Quick response to Senator Altman.", "Senator Altman", None),  # someone else answers him
    ("Respond to Casey.", "Casey", None),
    ("You responded directly to Casey.", "Casey", None),
    ("I got an email from Sam Altman.", "Sam Altman", None),
    ("Kevin and Casey did an interview.", "Kevin", None),
])
def test_vocative_place(text, form, place):
    index = NameIndex([("Kevin Roose", ()), ("Casey Newton", ()), ("Sam Altman", ())])
    mention = next(m for m in index.find(text) if m.form == form)
    assert C.vocative_place(text, mention) == place


def test_a_name_split_over_two_lines_is_found_in_its_sentence():
    lines = ["We got to cut it out.", "Thank you, Mr.", "Altman.", "I see the president stood up."]
    views, scene = scene_for(lines)
    assert [(v.line, v.continues) for v in views] == [(1, False), (2, False), (3, True), (4, False)]
    found = clues(C.addressing, lines)
    assert (3, "speaker", "-", "Sam Altman") in found       # the one thanked is not speaking
    assert (1, "speaker", "+", "Sam Altman") in found       # ... he spoke before the thanks
    assert (4, "speaker", "+", "Sam Altman") not in found   # thanks are no invitation


def test_a_hand_over_points_to_the_answer_for_a_while():
    lines = ["Senator Altman.", "Well, I think that is wrong.", "And it is wrong because of this.",
             "We have to do better."]
    found = [(line, weight) for line, weight in
             ((v.line, c.weight) for views, scene in [scene_for(lines)]
              for c in C.addressing(views, scene) if c.cue == "addressing.next-unit"
              for v in [views[c.unit]])]
    assert [line for line, _ in found] == [2, 3, 4]
    assert found[0][1] > found[1][1] > found[2][1] > 0


def test_role_priors():
    found = clues(C.role_priors, ["Does it feel that way to you?", "I think so, yes, it does feel that way.",
                                  "And I wonder if you have been reflecting on it."])
    assert (1, "role", "+", "host") in found
    assert (2, "role", "-", "host") in found  # "I": a guest rather
    assert (3, "role", "+", "host") in found  # a question put as a statement


def test_a_welcome_to_the_show_is_the_hosts_but_not_a_reply_to_thanks():
    views, scene = scene_for(["Hey everybody, welcome to the show!", "Thanks for having me.",
                              "You're welcome to stay.", "You’re welcome to stay.",
                              "See you at the welcome party."], CAST)
    found = [(views[c.unit].line, c.role) for c in C.role_priors(views, scene) if c.cue == "role.welcome"]
    assert found == [(1, "host")]


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


def test_entrance_only_in_the_opening_and_only_for_a_welcome():
    filler = [f"Point number {n} is a good one." for n in range(C.OPENING_UNITS)]
    assert clues(C.entrance, filler + ["Sam Altman, welcome to the show."]) == []
    assert clues(C.entrance, ["Hello.", "My question was for Sam Altman, but I would welcome more."]) == []


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
