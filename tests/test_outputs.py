"""Publication: speaker blocks, paragraphs, end-of-turn fixes, and every output format read
back through its own reader."""

from __future__ import annotations

import json
from dataclasses import replace
from itertools import groupby

import pytest

from cleaner import Options, clean, render, restore
from cleaner.cli import main
from cleaner.errors import CleanerError
from cleaner.read import detect_format, read_text
from cleaner.render.layout import blocks, cues
from cleaner.tidy.publish import finish_turns
from cleaner.edits import build_stream
from cleaner.tidy.words import word_keys
from conftest import SEED

NO_RULES = {"default_rules": False}

SRT_WITH_SPEAKERS = """1
00:00:01,000 --> 00:00:03,000
Kevin Roose: so how how do we start

2
00:00:03,000 --> 00:00:05,500
Kevin Roose: with the basics, I guess

3
00:00:05,500 --> 00:00:08,000
Sam Altman: um, we start small & we ship <often>

4
00:00:08,000 --> 00:00:09,000
Sam Altman: Thanks.

5
00:00:09,000 --> 00:00:12,000
Kevin Roose: right, and then
"""


@pytest.fixture(scope="module")
def dialogue():
    return clean(SRT_WITH_SPEAKERS, options=Options(**NO_RULES))


@pytest.fixture(scope="module")
def seed_result():
    # One block for the whole seed: these tests are about reflow, not about who speaks.
    return clean(SEED.read_text(encoding="utf-8"), options=Options(speakers=False))


# --- blocks and publication fixes -----------------------------------------------------------

def test_consecutive_turns_of_one_speaker_form_one_block(dialogue):
    body = blocks(dialogue)
    assert [b.speaker for b in body] == ["Kevin Roose", "Sam Altman", "Kevin Roose"]
    assert body[0].text == "So how do we start with the basics, I guess"  # no mark: see below
    assert body[1].text == "We start small & we ship <often> Thanks."  # no guess mid-block
    assert body[2].text == "Right, and then."
    assert (body[0].start_time, body[0].end_time) == (1.0, 5.5)


def test_end_marks_and_capitals_are_restorable_edits(dialogue):
    rules = [(e.line, e.rule, e.before, e.after) for e in dialogue.edits]
    # "I guess" ends Kevin's block with no mark, and Sam goes on: the input's sentence did
    # not end there, so no full stop is made up; the transcript's end takes one.
    assert not [r for r in rules if r[0] == 7 and r[1] == "tidy.end-mark"]
    assert (19, "tidy.end-mark", "n", "n.") in rules
    assert (3, "tidy.capital", "s", "S") in rules
    assert not [r for r in rules if r[0] == 3 and r[1] == "tidy.end-mark"]  # mid-block
    assert restore(json.loads(render(dialogue, "json"))) == SRT_WITH_SPEAKERS


def test_a_trailing_comma_becomes_a_full_stop():
    result = clean("We went there,", options=Options(input_format="plain", **NO_RULES))
    assert result.text == "We went there."


def test_a_cut_off_turn_keeps_its_dash():
    result = clean("And it works-", options=Options(input_format="plain", **NO_RULES))
    assert result.text == "And it works-"


def test_a_rule_replacement_at_the_end_takes_the_end_mark_in_its_own_edit(write_pack):
    """The end mark goes into the rule's edit (its id kept, a note added), not a separate
    edit, which would overlap it; leaving it out made a second run add it."""
    pack = write_pack("pack: t\nrules:\n  - id: openai\n    category: company\n"
                      "    match: [open ai]\n    replace: OpenAI\n")
    options = Options(input_format="plain", rules=(pack,), **NO_RULES)
    result = clean("we work at open ai", options=options)
    assert result.text == "We work at OpenAI."
    rule_edit = [e for e in result.edits if e.rule == "openai"]
    assert [(e.before, e.after) for e in rule_edit] == [("open ai", "OpenAI.")]
    assert "end mark" in rule_edit[0].note
    assert clean(result.text, options=options).edits == ()


def test_finishing_twice_adds_nothing(dialogue):
    stream = build_stream(dialogue.transcript)
    edits, turns = finish_turns(stream, dialogue.transcript, list(dialogue.edits),
                                list(dialogue.turns))
    assert edits == list(dialogue.edits) and turns == list(dialogue.turns)


def test_long_turns_split_into_paragraphs_at_sentence_ends(seed_result):
    body = blocks(seed_result)
    paragraphs = [p for block in body for p in block.paragraphs]
    assert len(paragraphs) > 20
    for paragraph in paragraphs[:-1]:
        assert paragraph.text[-1] in ".?!", paragraph.text[-40:]
        assert 25 <= len(paragraph.text.split()) < 400


def test_reflow_works_on_speaker_turns_built_elsewhere(seed_result):
    """Turns cut anywhere on sentence boundaries (as attribution makes them) still reflow."""
    turns = list(seed_result.turns)
    named = [replace(t, speaker="Kevin Roose" if i // 7 % 2 else "Sam Altman")
             for i, t in enumerate(turns)]
    result = replace(seed_result, turns=tuple(named))
    body = blocks(result)
    assert [b.speaker for b in body[:3]] == ["Sam Altman", "Kevin Roose", "Sam Altman"]
    words = [w for block in body for w in word_keys(block.text)]
    assert words == [w for t in turns for w in word_keys(t.text)]
    md = render(result, "md")
    assert "**Sam Altman:** Hey, it's Michael." in md


# --- writers --------------------------------------------------------------------------------

def test_md_and_txt_name_speakers_once_per_block(dialogue):
    md = render(dialogue, "md")
    assert md.count("**Kevin Roose:**") == 2 and md.count("**Sam Altman:**") == 1
    txt = render(dialogue, "txt")
    assert txt.startswith("Kevin Roose: So how do we start")
    assert "\n\nSam Altman: We start small & we ship <often> Thanks.\n\n" in txt


def test_md_without_speakers_is_paragraphs(seed_result):
    md = render(seed_result, "md")
    assert md.startswith("# 'Hard Fork': An Interview With Sam Altman\n\n**New York Times")
    assert "**Unknown" not in md and "\n\n\n" not in md


def test_html_page_escapes_everything(dialogue):
    page = render(dialogue, "html")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert "we ship &lt;often&gt;" in page and "small &amp; we" in page
    assert '<h2 class="speaker">Sam Altman</h2>' in page
    assert '<span class="time">0:01</span>' in page


def test_html_source_line_links_only_web_addresses(seed_result):
    page = render(seed_result, "html")
    assert '<a href="https://www.youtube.com/watch?v=wBX4xeefPiA">' in page
    hostile = replace(seed_result.transcript, source_line="[x](javascript:alert(1)) <b>",
                      title="<i>t</i>")
    page = render(replace(seed_result, transcript=hostile), "html")
    assert "javascript:alert" in page and "<a " not in page.split("<article>")[0].split(
        '<p class="source">')[1]
    assert "&lt;i&gt;t&lt;/i&gt;" in page and "&lt;b&gt;" in page


def test_srt_and_vtt_carry_speakers_and_times(dialogue):
    srt = render(dialogue, "srt")
    assert "1\n00:00:01,000 --> 00:00:03,000\nKevin Roose: So how do we start\n" in srt
    vtt = render(dialogue, "vtt")
    assert vtt.startswith("WEBVTT\n")
    assert "00:00:05.500 --> 00:00:08.000\n<v Sam Altman>We start small &amp; we ship" in vtt
    assert "NOTE" not in vtt  # the input had times


def test_untimed_input_gets_estimated_times_and_says_so(seed_result):
    items, timed = cues(seed_result)
    assert not timed
    assert all(a.end_time <= b.start_time + 1e-9 for a, b in zip(items, items[1:]))
    assert "NOTE\nThe input had no timestamps" in render(seed_result, "vtt")


def test_podcast_json_shape(dialogue):
    data = json.loads(render(dialogue, "podcast-json"))
    assert data["version"] == "1.0.0"
    assert data["segments"][0] == {"speaker": "Kevin Roose", "startTime": 1.0, "endTime": 3.0,
                                   "body": "So how do we start"}


def test_long_pieces_become_several_short_cues(seed_result):
    items, _ = cues(seed_result)
    assert max(len(c.text) for c in items) <= 100
    assert sum(len(word_keys(c.text)) for c in items) == len(word_keys(seed_result.text))


# --- every format reads back through its own reader -----------------------------------------

def _spoken(result) -> list[tuple[str | None, str]]:
    """Every word of the result with its speaker, in order."""
    return [(block.speaker, word) for block in blocks(result) for word in word_keys(block.text)]


def _read_back(text: str) -> list[tuple[str | None, str]]:
    transcript = read_text(text)
    return [(s.speaker_hint, w) for s in transcript.segments for w in word_keys(s.text)]


@pytest.mark.parametrize("fmt, reader", [("srt", "srt"), ("vtt", "vtt"),
                                         ("podcast-json", "podcast-json")])
@pytest.mark.parametrize("source", ["dialogue", "seed_result"])
def test_subtitles_and_json_round_trip(fmt, reader, source, request):
    result = request.getfixturevalue(source)
    out = render(result, fmt)
    assert detect_format(out) == reader
    assert _read_back(out) == _spoken(result)
    transcript = read_text(out)
    items, _ = cues(result)
    assert [round(s.start_time, 3) for s in transcript.segments][:1] == [
        round(items[0].start_time, 3)]


def test_read_back_keeps_times_and_cleaning_it_again_changes_nothing(dialogue):
    out = render(dialogue, "podcast-json")
    again = clean(out, options=Options(**NO_RULES))
    assert again.edits == ()
    runs = [speaker for speaker, _ in groupby(c.speaker for c in cues(dialogue)[0])]
    assert [t.speaker for t in again.turns] == runs  # one turn per run of one speaker
    assert again.turns[0].start_time == 1.0


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_md_and_txt_read_back_with_the_same_words(seed_result, fmt):
    out = render(seed_result, fmt)
    words = [w for s in read_text(out, None, "plain").segments for w in word_keys(s.text)]
    body = [w for block in blocks(seed_result) for w in word_keys(block.text)]
    assert words[-len(body):] == body


def test_podcast_json_reader_errors_are_clear():
    with pytest.raises(CleanerError, match="no 'body' string"):
        read_text('{"version": "1.0.0", "segments": [{"body": 3}]}', "x.json", "podcast-json")
    with pytest.raises(CleanerError, match="invalid JSON"):
        read_text('{"version": "1.0.0", "segments": [', "x.json", "podcast-json")


# --- command line ---------------------------------------------------------------------------

def test_cli_writes_each_format_by_extension(tmp_path, capsys):
    source = tmp_path / "talk.srt"
    source.write_text(SRT_WITH_SPEAKERS, encoding="utf-8")
    for name, check in [("out.srt", "Kevin Roose: So how"), ("out.vtt", "<v Sam Altman>"),
                        ("out.html", '<h2 class="speaker">')]:
        assert main(["clean", str(source), "-o", str(tmp_path / name),
                     "--no-default-rules"]) == 0
        assert check in (tmp_path / name).read_text(encoding="utf-8")
    assert main(["clean", str(source), "--format", "podcast-json", "--no-default-rules"]) == 0
    assert json.loads(capsys.readouterr().out)["segments"][2]["speaker"] == "Sam Altman"


def test_cli_style_and_keep_hallucinations(tmp_path, capsys):
    source = tmp_path / "seed.txt"
    source.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    report = tmp_path / "report.md"
    assert main(["clean", str(source), "--keep-hallucinations", "--report", str(report),
                 "-o", str(tmp_path / "out.md")]) == 0
    text = report.read_text(encoding="utf-8")
    assert "## Hallucination loops" in text and "(flagged, not removed; repeat)" in text
    assert main(["clean", str(source), "--style", "verbatim", "--format", "txt"]) == 0
    assert "Um, how how do we" in capsys.readouterr().out
    assert main(["clean", str(source), "--style", "sloppy"]) == 2


def test_style_and_keep_hallucinations_from_a_config_file(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "talk.txt").write_text("You know, um, it works.\n", encoding="utf-8")
    (tmp_path / "cleaner.toml").write_text('style = "edited"\nkeep-hallucinations = true\n')
    assert main(["clean", "talk.txt", "--format", "txt", "--no-default-rules"]) == 0
    assert capsys.readouterr().out == "It works.\n"
    assert main(["clean", "talk.txt", "--format", "txt", "--style", "verbatim",
                 "--no-default-rules"]) == 0  # the command line wins
    assert capsys.readouterr().out == "You know, um, it works.\n"
    (tmp_path / "cleaner.toml").write_text('style = "loose"\n')
    assert main(["clean", "talk.txt"]) == 2
    assert "must be one of verbatim, clean, edited" in capsys.readouterr().err


def test_srt_lines_keep_to_42_characters_with_the_name_prefix(tmp_path):
    """Issue 15, item 9: cues ran to 53 characters once 'Name: ' was added."""
    result = clean(SEED.read_text(encoding="utf-8"))
    srt = render(result, "srt")
    lines = [line for line in srt.split("\n")
             if line and not line.isdigit() and "-->" not in line]
    assert lines and all(len(line) <= 42 for line in lines), max(lines, key=len)
    assert sum(1 for line in lines if ": " in line[:20]) > 100  # the prefix is there
    back = read_text(srt, "seed.srt")  # still reads back with its speakers
    assert {s.speaker_hint for s in back.segments} == {t.speaker for t in result.turns}


def test_help_texts_name_their_defaults_and_metavars(capsys):
    assert main(["eval", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "--bins N" in out and "BINS" not in out
    assert main(["check", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "--review-below X" in out and "default: clean's" in out
