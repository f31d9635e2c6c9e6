"""The published-transcript reader: front matter, chapters, speaker blocks, timestamps."""

from __future__ import annotations

import json

from cleaner import clean, render, restore
from cleaner.read import detect_format, read_text
from cleaner.read.published import listed_speakers
from conftest import FIXTURES

PAIR = FIXTURES / "pairs"

DOC = """---
title: "Demo: a talk"
speakers: ['Ada Wirth', 'Bram Okonkwo']
---
## Intro

Ada Wirth: 00:00:05

Hello and [welcome](https://example.org/a_b) to the *show*.
We use `OP_RETURN` here.

**Bram Okonkwo:** 00:01:02

Thanks.

## Part two

Ada Wirth: 01:00:00

Bye.
"""


def located(transcript):
    return [[transcript.lines[s.line - 1][s.col(i)] for i in range(len(s.text))]
            for s in transcript.segments]


def test_detected_from_content_with_title_sections_speakers_and_times():
    assert detect_format(DOC) == "published"
    transcript = read_text(DOC)
    assert transcript.format == "published"
    assert transcript.title == "Demo: a talk"
    segments = transcript.segments
    assert [(s.text, s.speaker_hint, s.start_time, s.end_time) for s in segments] == [
        ("Hello and welcome to the show.", "Ada Wirth", 5.0, 62.0),
        ("We use OP_RETURN here.", "Ada Wirth", 5.0, 62.0),
        ("Thanks.", "Bram Okonkwo", 62.0, 3600.0),
        ("Bye.", "Ada Wirth", 3600.0, None),
    ]
    assert transcript.sections == ((0, "Intro"), (3, "Part two"))
    assert listed_speakers(transcript) == ("Ada Wirth", "Bram Okonkwo")


def test_markup_is_left_out_but_columns_point_at_the_input():
    transcript = read_text(DOC)
    for segment, chars in zip(transcript.segments, located(transcript)):
        assert "".join(chars) == segment.text
    assert "https" not in transcript.segments[0].text


def test_cleaning_keeps_speakers_and_restores_the_input_exactly(tmp_path):
    text = DOC.replace("the *show*", "the chat GPT *show*")
    result = clean(text, path="demo.md")
    assert [e.before for e in result.edits] == ["chat GPT"]
    # Attribution keeps the input's labels; a speaker's consecutive lines form one turn.
    assert [t.speaker for t in result.turns] == ["Ada Wirth", "Bram Okonkwo", "Ada Wirth"]
    assert len(result.turns[0].spans) == 2
    assert restore(json.loads(render(result, "json"))) == text


def test_without_front_matter_a_leading_block_header_is_enough():
    text = "Speaker 0: 00:00:00\n\nHi there.\n\nSpeaker 1: 00:00:03\n\nHello.\n"
    transcript = read_text(text)
    assert transcript.format == "published"
    # "Speaker 0" is a diarization cluster label, kept apart from names.
    assert [(s.text, s.speaker_hint, s.cluster) for s in transcript.segments] == [
        ("Hi there.", None, "Speaker 0"), ("Hello.", None, "Speaker 1")]
    assert transcript.title is None and listed_speakers(transcript) == ()


def test_plain_text_with_a_time_later_on_is_not_published():
    text = "We met at noon.\nNote: 10:30\n"
    assert detect_format(text) == "plain"


def test_broken_front_matter_still_gives_the_title():
    text = "---\ntitle: Broken [yaml\nspeakers: [a\n---\nSpeaker 0: 00:00:01\n\nHi.\n"
    transcript = read_text(text)
    assert transcript.format == "published" and transcript.title == "Broken [yaml"


def test_fixture_pair_reads_both_sides():
    raw = read_text(PAIR.joinpath("show-ep1.raw.md").read_text())
    reviewed = read_text(PAIR.joinpath("show-ep1.reviewed.md").read_text())
    assert {s.cluster for s in raw.segments} == {"Speaker 0", "Speaker 1"}
    assert {s.speaker_hint for s in raw.segments} == {None}
    assert {s.speaker_hint for s in reviewed.segments} == {"Ada Wirth", "Bram Okonkwo"}
    assert [name for _, name in reviewed.sections] == ["Intro", "Wallets"]
    ep2 = read_text(PAIR.joinpath("show-ep2.raw.md").read_text())
    assert ep2.segments[0].cluster == "Speaker 0" and ep2.segments[0].start_time == 4.0
