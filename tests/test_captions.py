"""Caption-style input (issue 13): roll-up WebVTT, damaged caption files (WebVTT and SRT)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cleaner import restore
from cleaner.pipeline import Options, clean
from cleaner.read import read_text
from cleaner.render import render

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "captions"


def _read(name: str):
    return read_text((FIXTURES / name).read_text(encoding="utf-8"), path=name)


def test_roll_up_cues_are_read_once_with_word_times():
    transcript = _read("rollup.vtt")
    texts = [s.text for s in transcript.segments]
    assert texts == ["good evening from the", "university of mississippi", "i'm jim lehrer",
                     "thank you jim"]
    first, second = transcript.segments[:2]
    # the first word starts with its cue, the others at their karaoke tags
    assert first.word_times == ((0, 0.0), (5, 0.48), (13, 0.96), (18, 1.28))
    assert second.word_times[0] == (0, 2.44) and second.word_times[-1] == (14, 3.5)
    assert transcript.notes == ()
    # the entity is decoded, and the apostrophe maps back to the input's "&#39;"
    third = transcript.segments[2]
    line = transcript.lines[third.line - 1]
    assert line[third.col(1):third.end_col(2)] == "&#39;"


def test_roll_up_without_karaoke_tags_keeps_only_new_words():
    text = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nso the point is\n\n"
            "00:00:02.000 --> 00:00:03.000\nso the point is\nwe need more\n\n"
            "00:00:03.000 --> 00:00:04.000\nwe need more\nwe need more time\n")
    transcript = read_text(text)
    assert [s.text for s in transcript.segments] == ["so the point is", "we need more", "time"]


def test_repeated_cues_are_speech_when_the_file_is_not_roll_up():
    text = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nYeah.\n\n"
            "00:00:02.000 --> 00:00:03.000\nYeah.\n\n00:00:03.000 --> 00:00:04.000\nGood.\n\n"
            "00:00:04.000 --> 00:00:05.000\nFine then.\n")
    assert [s.text for s in read_text(text).segments] == ["Yeah.", "Yeah.", "Good.", "Fine then."]


def test_roll_up_file_restores_byte_for_byte():
    raw = (FIXTURES / "rollup.vtt").read_text(encoding="utf-8")
    result = clean(raw, options=Options(speakers=False))
    document = json.loads(render(result, "json"))
    assert restore(document) == raw


def test_damaged_captions_are_read_around_and_said_in_one_line():
    transcript = _read("damaged.vtt")
    texts = [s.text for s in transcript.segments]
    assert texts == ["hello and welcome", "this timing is broken", "this cue is out of order",
                     "stray words with no cue", "this one overlaps", "ends before it starts"]
    assert transcript.segments[1].start_time is None
    (note,) = transcript.notes
    for part in ("2 cues with broken timings", "1 cue out of order", "1 empty cue skipped",
                 "1 cue overlapping", "1 piece of text outside any cue"):
        assert part in note


def test_damaged_captions_clean_with_a_warning_not_a_traceback(tmp_path):
    out = tmp_path / "out.json"
    run = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(FIXTURES / "damaged.vtt"),
                          "-o", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stderr.count("\n") == 1 and "warning: 2 cues with broken timings" in run.stderr
    assert "Traceback" not in run.stderr
    words = " ".join(t["text"] for t in json.loads(out.read_text())["turns"]).lower()
    for word in ("broken", "order", "stray", "overlaps", "starts"):
        assert word in words


def test_damaged_srt_is_read_around_as_webvtt_is():
    transcript = _read("damaged.srt")
    assert transcript.format == "srt"
    assert [(s.text, s.start_time) for s in transcript.segments] == [
        ("hello and welcome", 1.0), ("this timing is broken", None),
        ("this arrow lost a dash", None), ("this cue has no timing", None),
        ("stray words with no cue", None), ("ends before it starts", None),
        ("no number and no gap", 10.0)]
    (note,) = transcript.notes
    assert note == ("3 cues with broken timings read without times (lines 6, 10, 22); "
                    "1 cue with no timing line read without times (line 13); "
                    "1 piece of text outside any cue read without times (line 16); "
                    "1 empty cue skipped (line 19)")


def test_damaged_srt_cleans_with_one_warning_and_restores(tmp_path):
    source = FIXTURES / "damaged.srt"
    out = tmp_path / "out.json"
    run = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(source), "-o", str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stderr.count("\n") == 1 and run.stderr.startswith(
        f"{source}: warning: 3 cues with broken timings read without times (lines 6, 10, 22);")
    document = json.loads(out.read_text())
    assert restore(document) == source.read_text(encoding="utf-8")
    words = " ".join(t["text"] for t in document["turns"]).lower()
    for word in ("welcome", "broken", "dash", "no timing", "stray", "starts", "no gap"):
        assert word in words
