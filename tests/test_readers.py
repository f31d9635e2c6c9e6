"""Readers: format detection, segments with line numbers, offsets and timestamps."""

from __future__ import annotations

import json

import pytest

from cleaner.errors import CleanerError
from cleaner.read import decode, detect_format, encode, read_text
from conftest import SEED


def located(transcript):
    """Each segment's text as found at its line and offsets (markup included)."""
    return [transcript.lines[s.line - 1][s.start : s.end] for s in transcript.segments]


def test_seed_format_title_source_and_bullets():
    text = SEED.read_text(encoding="utf-8")
    transcript = read_text(text)
    assert transcript.format == "seed"
    assert transcript.title == "'Hard Fork': An Interview With Sam Altman"
    assert transcript.source_line.startswith("**New York Times Podcasts:**")
    first = transcript.segments[0]
    assert (first.line, first.start, first.text) == (3, 3, "Hey, it's Michael.")
    assert len(transcript.segments) == 1065
    assert located(transcript) == [s.text for s in transcript.segments]


def test_plain_text_one_segment_per_nonblank_line():
    transcript = read_text("  first line \n\nsecond\n")
    assert detect_format("first\nsecond\n") == "plain"
    assert [(s.line, s.start, s.end, s.text) for s in transcript.segments] == [
        (1, 2, 12, "first line"), (3, 0, 6, "second")]


SRT = """1
00:00:01,000 --> 00:00:03,500
Kevin Roose: Hello there,
and welcome.

2
00:00:03,500 --> 00:01:02,250
Thanks.
"""


def test_srt_cues_timestamps_and_speaker_prefix():
    transcript = read_text(SRT)
    assert transcript.format == "srt"
    segments = transcript.segments
    assert [(s.line, s.text, s.start_time, s.end_time, s.speaker_hint) for s in segments] == [
        (3, "Hello there,", 1.0, 3.5, "Kevin Roose"),
        (4, "and welcome.", 1.0, 3.5, "Kevin Roose"),
        (8, "Thanks.", 3.5, 62.25, None),
    ]


def test_srt_with_broken_timestamps_is_read_without_times_and_said():
    transcript = read_text("1\n00:00:01,000 --> 00:00:99,000\nHi\n", path="bad.srt", fmt="srt")
    assert [(s.text, s.start_time) for s in transcript.segments] == [("Hi", None)]
    assert transcript.notes == ("1 cue with a broken timing read without times (line 2)",)


def test_srt_text_with_an_arrow_or_a_time_range_is_text():
    text = "1\n00:00:01,000 --> 00:00:02,000\nA --> B\nfrom 10:30 - 11:00\n"
    transcript = read_text(text, fmt="srt")
    assert [s.text for s in transcript.segments] == ["A --> B", "from 10:30 - 11:00"]
    assert transcript.notes == ()


VTT = """WEBVTT

NOTE a comment that is not transcript text

intro
00:00.000 --> 00:02.000 align:start
<v Casey Newton>I'm Casey <i>Newton</i> &amp; friends.</v>

00:02.000 --> 00:04.000
<v.loud Kevin>Hi!
"""


def test_webvtt_voice_span_becomes_a_speaker_hint_and_markup_is_dropped():
    transcript = read_text(VTT)
    assert transcript.format == "vtt"
    first, second = transcript.segments
    assert (first.text, first.speaker_hint, first.start_time) == ("I'm Casey Newton & friends.", "Casey Newton", 0.0)
    assert (second.text, second.speaker_hint, second.end_time) == ("Hi!", "Kevin", 4.0)
    line = transcript.lines[first.line - 1]
    # "Newton" maps back to the characters inside the <i> tag.
    offset = first.text.index("Newton")
    assert line[first.col(offset) : first.end_col(offset + 6)] == "Newton"
    assert line[first.col(offset + 7) : first.end_col(offset + 8)] == "&amp;"


def test_whisper_json_segments_with_times_and_escapes():
    data = {"text": " Bonjour café. Next", "segments": [
        {"id": 0, "start": 0.0, "end": 1.2, "text": " Bonjour caf\u00e9."},
        {"id": 1, "start": 1.2, "end": 2.0, "text": " Say \"hi\""}]}
    raw = json.dumps(data, indent=2)  # ensure_ascii: é is written as \u00e9
    transcript = read_text(raw)
    assert transcript.format == "whisper-json"
    one, two = transcript.segments
    assert (one.text, one.start_time, one.end_time) == ("Bonjour café.", 0.0, 1.2)
    assert two.text == 'Say "hi"'
    line = transcript.lines[one.line - 1]
    assert line[one.col(11) : one.end_col(12)] == "\\u00e9"


def test_json_without_segments_is_an_error():
    with pytest.raises(CleanerError, match="segments"):
        read_text('{"text": "hi"}')


def test_forced_format_wins_over_detection():
    assert read_text("# Title\n*  a line\n", fmt="plain").format == "plain"
    with pytest.raises(CleanerError, match="unknown input format"):
        read_text("x", fmt="docx")


@pytest.mark.parametrize("data, encoding, bom", [
    ("héllo\n".encode("utf-8"), "utf-8", False),
    (b"\xef\xbb\xbfhello\n", "utf-8", True),
    (b"\xff\xfe" + "héllo\n".encode("utf-16-le"), "utf-16-le", True),
    ("“smart” quotes\n".encode("cp1252"), "cp1252", False),
])
def test_decode_round_trips_bytes(data, encoding, bom):
    text, found_encoding, found_bom = decode(data)
    assert (found_encoding, found_bom) == (encoding, bom)
    assert encode(text, found_encoding, found_bom) == data


def test_binary_input_is_refused():
    with pytest.raises(CleanerError, match="^a PNG image, not a transcript"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(CleanerError, match="binary"):
        decode(b"\x01\x02data\x00\x00\x00")


def test_crlf_and_mixed_line_endings_are_kept():
    transcript = read_text("one\r\ntwo\nthree\r")
    assert transcript.lines == ("one", "two", "three")
    assert transcript.newlines == ("\r\n", "\n", "\r")
    assert transcript.text == "one\r\ntwo\nthree\r"


# --- input edge cases (issue 15, item 7) ----------------------------------------------------

def test_headerless_seed_bullets_are_read_as_seed():
    from conftest import SEED

    stretch = "\n".join(SEED.read_text(encoding="utf-8").splitlines()[99:110]) + "\n"
    assert detect_format(stretch) == "seed"
    transcript = read_text(stretch)
    assert not any(s.text.startswith("*") for s in transcript.segments)
    assert detect_format("* one\nplain line\nanother plain line\nand more\n") == "plain"


def test_empty_input_gets_a_one_line_notice(capsys, monkeypatch):
    import io

    from cleaner.cli import main

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"")))
    assert main(["clean", "-"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("cleaner: notice: stdin:")


def test_no_speakers_help_says_what_it_does(capsys):
    from cleaner.cli import main

    assert main(["clean", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "one block per input line" not in help_text
    assert "reflowed into paragraphs" in help_text
