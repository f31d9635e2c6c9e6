"""Tidy passes: loops, stutters, fillers, asides and spacing, each a restorable edit."""

from __future__ import annotations

import json

import pytest

from cleaner import CleanerError, Options, clean, render, restore
from cleaner.edits import build_stream
from cleaner.read import read_text
from cleaner.tidy.loops import find_loops
from cleaner.tidy.stutter import CLAUSE_END, FUNCTION_WORDS, GRAMMATICAL, KEPT
from cleaner.tidy.words import FILLERS, word_keys
from conftest import ROOT, SEED

# The shared evaluation data sits next to the repository, or next to its worktree folder.
DEV = next((folder / "shared" / "eval" / "dev" for folder in (ROOT.parent, ROOT.parent.parent)
            if (folder / "shared" / "eval" / "dev").is_dir()), ROOT / "missing")
NO_RULES = {"default_rules": False}


def tidy(text: str, style: str = "clean", **options) -> str:
    """Plain text, one segment per line, cleaned without rule packs; the lines back."""
    result = clean(text, options=Options(input_format="plain", style=style, **NO_RULES,
                                         **options))
    document = json.loads(render(result, "json"))
    assert restore(document) == text  # every tidy change is reversible
    return "\n".join(result.corrected)


def cleaned_lines(text: str, style: str = "clean") -> list[str]:
    return tidy(text, style).split("\n")


# --- stutters -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("I think that's that's going to be exciting.", "I think that's going to be exciting."),
    ("Like the the thing.", "Like the thing."),
    ("So how how do we solve this?", "So how do we solve this?"),
    ("what you just, you just put it", "what you just put it."),
    ("the the the end.", "the end."),
    ("on the on the on on the top one", "on the top one."),
    ("It's i I think they're not.", "It's I think they're not."),
    ("But the point is - the point is, we have", "But the point is, we have."),
    ("the, um, the thing", "the thing."),
])
def test_stutters_collapse(text, expected):
    assert tidy(text) == expected[0].upper() + expected[1:]


@pytest.mark.parametrize("text", [
    "We tried very, very hard.",
    "No, no, no, that is wrong.",
    "He had had enough by then.",
    "It seems to me that that is important.",
    "You can criticize us about many, many things.",
    "It's more like horrible, horrible, horrible.",
    "If we're not careful about it, it can be quite disastrous.",
    "I know, I know.",
    "Absorb those blows again and again and again.",
    "Any business will tell you you optimize after you launch.",
    "Yeah, yeah, that makes sense.",
    "It was so-so at best.",
    "We're done. Done is better than perfect.",
    "Whereas remotes you do, You do get a bit of wear.",
    # Grammatical repeats collected from the corpus (issue 15, item 3; seed line 205).
    "I think the world was going to have to have that moment.",
    "It loops over and over and over.",
    "It went on and on and on.",
    "We see more and more and more of it.",
    "Alerts, dashboards and so on and so on.",
    "Keep the main thing the main thing.",
])
def test_emphasis_and_grammar_stay(text):
    assert tidy(text) == text


def test_allow_lists_are_consistent():
    assert {"no", "very", "had", "that", "is"} <= KEPT
    assert "it" in CLAUSE_END and "it" in FUNCTION_WORDS
    assert not FILLERS & FUNCTION_WORDS


def test_stutter_across_a_line_break_stays_on_one_line():
    lines = cleaned_lines("the act of taking all of\nof it copyrighted.")
    assert lines == ["The act of taking all of", "it copyrighted."]


# --- fillers --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Um, how do we solve this?", "How do we solve this?"),
    ("Um, I think we'll see.", "I think we'll see."),
    ("I was, um, going home.", "I was going home."),
    ("Okay, um, now the update.", "Okay, now the update."),
    ("And, um, then it broke.", "And then it broke."),
    ("We saw, um we found it.", "We saw, we found it."),
    ("and um, the rest.", "And the rest."),
    ("I think, um.", "I think."),
    ("Right. Um. So we went.", "Right. So we went."),
    ("I'll wait until you're all um hooked up.", "I'll wait until you're all hooked up."),
    ("Uh, uh, so it goes.", "So it goes."),
    ("Um, iPhone sales fell.", "iPhone sales fell."),
])
def test_fillers_go_and_capitals_are_repaired(text, expected):
    assert tidy(text) == expected


def test_a_filler_only_line_goes_whole():
    assert cleaned_lines("We started.\nUm.\nThen we stopped.") == [
        "We started.", "", "Then we stopped."]


@pytest.mark.parametrize("text", ["Uh-huh.", "Uh-oh, that broke.", "Mm-hmm, right.",
                                  "The ERA was ratified.", "Ahmed came by."])
def test_answers_and_words_containing_fillers_stay(text):
    assert tidy(text) == text


# --- edited style: asides -------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("You know, it's hard.", "It's hard."),
    ("It's, you know, hard.", "It's hard."),
    ("It is hard, you know.", "It is hard."),
    ("I mean, it works.", "It works."),
    ("They were, like, everywhere.", "They were everywhere."),
    ("Well, I think so.", "I think so."),
    ("Oh, I see.", "I see."),
    ("So, that's it.", "That's it."),
    ("Well - well, let me give you an example.", "Let me give you an example."),
    ("Um, well, I think so.", "I think so."),
    ("because, you\nknow, ten days ago", "Because\nten days ago."),
])
def test_edited_style_cuts_asides(text, expected):
    assert tidy(text, "edited") == expected


@pytest.mark.parametrize("text", [
    "You know the answer.",
    "I feel like it works.",
    "I mean it this time.",
    "So we went home.",
    "It went well, I think.",
    "They are like us.",
])
def test_asides_keep_their_meaning_elsewhere(text):
    assert tidy(text, "edited") == text


def test_clean_style_keeps_asides():
    assert tidy("You know, it's hard.") == "You know, it's hard."


# --- spacing --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Oh good grief . 'Kay .", "Oh good grief. 'Kay."),
    ("Two  spaces  here.", "Two spaces here."),
    ("Really ?", "Really?"),
])
def test_spacing(text, expected):
    assert tidy(text) == expected


def test_a_line_opening_with_a_comma_gives_it_to_the_line_before():
    assert cleaned_lines("you put it on the side\n, then you pick it up.") == [
        "You put it on the side,", "then you pick it up."]


# --- styles ---------------------------------------------------------------------------------

def test_verbatim_changes_nothing_but_rules():
    text = "um, the the thing  is .\nI think that's a good thing.\n" * 2
    text += "I think that's a good thing.\nI think that's a good thing.\n"
    result = clean(text, options=Options(input_format="plain", style="verbatim", **NO_RULES))
    assert result.edits == ()
    assert result.options["style"] == "verbatim"
    assert result.options["loops"] and not result.options["loops"][0]["removed"]


def test_unknown_style_is_a_user_error():
    with pytest.raises(CleanerError, match="unknown style"):
        clean("hello", options=Options(style="loose"))


# --- loops ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_result():
    return clean(SEED.read_text(encoding="utf-8"), path=str(SEED))


def test_the_seed_loop_is_removed_and_reported(seed_result):
    loop_edits = [e for e in seed_result.edits if e.rule == "tidy.loop"]
    lines = SEED.read_text(encoding="utf-8").split("\n")
    assert loop_edits, "the loop near the end of the seed must go"
    for edit in loop_edits:
        assert edit.after == ""
        assert "good thing" in lines[edit.line - 1]
        assert edit.before == lines[edit.line - 1][3:]  # the whole line
    assert len(loop_edits) == 4
    [finding] = [f for f in seed_result.options["loops"] if f["rule"] == "tidy.loop"]
    assert finding["removed"] and finding["detector"] == "repeat"
    assert (finding["line"], finding["end_line"]) == (loop_edits[0].line, loop_edits[-1].line)
    assert finding["col"] == loop_edits[0].start + 1 and finding["count"] == 4
    assert "I think that's a good thing" not in render(seed_result, "md")


def test_no_sentence_of_real_speech_is_lost_on_the_seed(seed_result):
    """Every tidy removal is a loop line, a filler, or a word whose copy stays next to it."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    removed_by_rule: dict[str, list[str]] = {}
    for edit in seed_result.edits:
        if not edit.rule.startswith("tidy."):
            continue
        gone = word_keys(edit.before)
        kept = word_keys(edit.after)
        for word in kept:
            if word in gone:
                gone.remove(word)
        removed_by_rule.setdefault(edit.rule, []).extend(gone)
        if edit.rule == "tidy.filler":
            assert set(gone) <= FILLERS, edit
        elif edit.rule == "tidy.stutter":
            line = lines[edit.line - 1]
            nearby = word_keys(line[max(edit.start - 40, 0) : edit.start]
                               + " " + line[edit.end : edit.end + 40])
            if edit.start == 3:  # a copy removed at a line start: its twin ends the line before
                nearby += word_keys(lines[edit.line - 2])
            assert all(word in nearby for word in gone), edit
        elif edit.rule == "tidy.loop":
            assert "good thing" in edit.before
        else:
            assert gone == [], edit  # capitals, end marks and spacing remove no word
    assert removed_by_rule["tidy.filler"].count("um") == 5
    assert len(removed_by_rule["tidy.stutter"]) >= 10


def test_keep_hallucinations_flags_without_removing():
    text = SEED.read_text(encoding="utf-8")
    result = clean(text, options=Options(keep_hallucinations=True))
    assert not [e for e in result.edits if e.rule == "tidy.loop"]
    [finding] = [f for f in result.options["loops"] if f["rule"] == "tidy.loop"]
    assert finding["removed"] is False
    assert "I think that's a good thing" in render(result, "md")
    assert [e for e in result.edits if e.rule == "tidy.filler"]  # the rest still happens


def test_grammatical_repeats_are_kept_only_with_a_plain_space():
    assert tidy("I want to have, to have a word.") == "I want to have a word."
    assert ("to", "have") in GRAMMATICAL


def test_the_seed_keeps_have_to_have(seed_result):
    assert "going to have to have that moment" in render(seed_result, "md")


def test_a_courtesy_phrase_said_by_several_people_at_the_close_stays():
    """Issue 15, item 3: "Diolch yn fawr." closing a committee hearing is speech."""
    text = ("Okay, that brings us to the end of our questions for this session.\n"
            "Can I thank you all for your evidence this morning, it has been really helpful.\n"
            "You will receive a transcript of the meeting to check for accuracy.\n"
            "Diolch yn fawr.\nDiolch yn fawr.\nDiolch yn fawr.\nDiolch yn fawr iawn.\n")
    assert tidy(text) == text.rstrip("\n")
    transcript = read_text(text, "hearing.txt", "plain")
    assert find_loops(build_stream(transcript), transcript) == []


def test_a_short_answer_repeated_a_few_times_is_not_a_loop():
    text = "Thank you.\nThank you.\nThank you.\nYeah.\nYeah.\nYeah.\nYeah.\n"
    assert tidy(text).split("\n")[:7] == text.split("\n")[:7]


def test_the_same_short_sentence_many_times_is_a_loop():
    text = "We start.\n" + "Thank you.\n" * 9 + "We end.\n"
    assert [line for line in cleaned_lines(text) if line] == ["We start.", "We end."]


def test_a_cycle_of_two_sentences_is_a_loop():
    text = "Real speech here.\n" + "I am going home now.\nWe will see you later.\n" * 3
    assert [line for line in cleaned_lines(text) if line] == ["Real speech here."]


def test_a_phrase_loop_keeps_its_first_copy():
    text = "and then " + "we went to the store " * 5 + "yesterday."
    assert tidy(text) == "And then we went to the store yesterday."


def test_three_times_is_still_rhetoric():
    text = "We do the thing and then the next one and then the next one and then the next one."
    assert tidy(text) == text


def test_stock_phrases_at_the_edges_go_and_in_the_middle_stay():
    text = ("Subtitles by the Amara.org community\nHello and welcome.\n"
            "Thanks for watching!\nWe keep talking here.\nThanks for watching!\n")
    assert cleaned_lines(text)[:5] == ["", "Hello and welcome.", "Thanks for watching!",
                                       "We keep talking here.", ""]


def test_a_stock_phrase_cut_off_by_silence_goes():
    cues = [(0, 2, "We talk."), (2, 4, "More talk."), (9, 10, "Thanks for watching!"),
            (15, 17, "Back to talk."), (17, 19, "Still talking."), (19, 21, "The end.")]
    data = json.dumps({"segments": [{"start": a, "end": b, "text": t} for a, b, t in cues]})
    result = clean(data, options=Options(**NO_RULES))
    assert [e.before for e in result.edits if e.rule == "tidy.loop"] == ["Thanks for watching!"]


def test_compression_without_exact_repeats_is_flagged_only():
    text = "".join(f"the numbers on the board are going up again and again {n}\n"
                   for n in ("one", "two", "three", "four", "five", "six", "seven", "eight"))
    result = clean(text, options=Options(input_format="plain", **NO_RULES))
    compression = [f for f in result.options["loops"] if f["detector"] == "compression"]
    assert compression and not compression[0]["removed"]
    assert not [e for e in result.edits if e.rule == "tidy.loop"]


@pytest.mark.skipif(not DEV.is_dir(), reason="shared eval data absent")
@pytest.mark.parametrize("name", sorted(p.name for p in DEV.glob("*.md")) if DEV.is_dir() else [])
def test_the_loop_detector_finds_nothing_in_human_transcripts(name):
    transcript = read_text((DEV / name).read_text(encoding="utf-8"), name)
    assert find_loops(build_stream(transcript), transcript) == []


# --- invariants -----------------------------------------------------------------------------

@pytest.mark.parametrize("style", ["clean", "edited"])
def test_each_style_restores_and_settles(seed_result, style):
    text = SEED.read_text(encoding="utf-8")
    result = seed_result if style == "clean" else clean(text, options=Options(style=style))
    assert restore(json.loads(render(result, "json"))) == text
    again = clean(render(result, "md"), options=Options(style=style))
    assert again.edits == ()


# --- inline timestamps (issue 15, item 6) ---------------------------------------------------

def test_inline_timestamps_go_from_published_text_and_stay_in_verbatim():
    text = "[08:01] Hello there, welcome.\nThanks. [08:05] Glad to be here [01:03:45.08]\n"
    assert tidy(text).split("\n") == ["Hello there, welcome.", "Thanks. Glad to be here."]
    assert tidy(text, style="verbatim") == text.rstrip("\n")
    result = clean(text, options=Options(input_format="plain", **NO_RULES))
    assert {edit.rule for edit in result.edits} >= {"tidy.timestamp"}


def test_inline_timestamps_are_used_as_timing_where_they_parse():
    text = "[08:01] Hello there.\nAnd so on.\n[1:02:03.5] Later on.\nNot [07:75] a time.\n"
    result = clean(text, options=Options(input_format="plain", speakers=False, **NO_RULES))
    times = [(s.start_time, s.end_time) for s in result.transcript.segments]
    assert times[0][0] == 481.0 and times[1][1] == 3723.5 and times[2][0] == 3723.5
    assert times[0][1] == times[1][0] and times[3][0] == times[2][1]
    assert "00:08:01,000 -->" in render(result, "srt")
    assert "[07:75]" not in "\n".join(result.corrected)


def test_dev_inline_timestamps_leave_the_markdown():
    path = DEV / "changelog-the-changelog-667.md"
    if not path.exists():
        pytest.skip("no dev set")
    md = render(clean(path.read_text(encoding="utf-8"), path=str(path),
                      options=Options(speakers=False)), "md")
    assert "[07:57]" in path.read_text(encoding="utf-8") and "[07:57]" not in md


@pytest.mark.parametrize("text", [
    # People repeating in one breath or echoing each other (shared/corpus, changelog).
    'Jerod: it was all love.\n"No, you hang up." "No, you hang up." No, YOU hang up." It was.\n'
    "And the funny part is at the very end.\n",
    "It hands them out like Oprah.\n"
    '"You get a download! You get a download! You get a download!"\nJust publish a package.\n',
    "It's not just software.\nIt's not just software. It's not just software. So we've got more.\n",
    # A short phrase said four times as an example (meetings).
    'That gets around the problem of "one word beep, one word beep, one word beep, one word '
    'beep".\n',
])
def test_people_repeating_themselves_is_not_a_loop(text):
    transcript = read_text(text, "talk.txt", "plain")
    assert find_loops(build_stream(transcript), transcript) == []
