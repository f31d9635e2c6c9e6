"""Hallucination lead-ins: the lines a Whisper loop starts with, flagged for review, kept."""

from __future__ import annotations

import json

from cleaner import Options, clean, render, restore
from cleaner.check.findings import Kind, Severity, findings
from cleaner.edits import build_stream
from cleaner.read import read_text
from cleaner.render.report import render_md
from cleaner.tidy.leadins import find_lead_ins
from cleaner.tidy.loops import find_loops
from conftest import SEED

# Seed lines 944-958: the loop (950-953) and the two lines that lead into it (948-949).
SLICE = "\n".join(line.removeprefix("*  ") for line in
                  SEED.read_text(encoding="utf-8").splitlines()[943:958]) + "\n"
LOOP = ["I think that's a good thing.", "I think that's a good thing.",
        "But I think that's a good thing.", "I think that's a good thing."]


def lead_ins(text):
    transcript = read_text(text, fmt="plain")
    stream = build_stream(transcript)
    found = find_lead_ins(stream, find_loops(stream, transcript))
    return [(loop.first_line, loop.last_line, loop.text) for loop in found]


def cleaned(text, **options):
    return clean(text, path="t.txt", options=Options(input_format="plain", default_rules=False,
                                                     speakers=False, **options))


def test_the_seed_lead_in_is_found():
    assert lead_ins(SLICE) == [(5, 6, "like, the world is changing, but we're not seeing any "
                                      "of that.")]


def test_a_lead_in_is_flagged_and_kept_while_the_loop_goes():
    result = cleaned(SLICE)
    assert "the world is changing" in result.text and "good thing" not in result.text
    records = [loop for loop in result.options["loops"] if loop["detector"] == "lead-in"]
    assert [(r["rule"], r["line"], r["end_line"], r["removed"]) for r in records] == [
        ("tidy.lead-in", 5, 6, False)]
    document = json.loads(render(result, "json"))
    assert document["loops"] == result.options["loops"]
    assert restore(document) == SLICE
    report = render_md(result)
    assert "Likely hallucinated lead-ins to check: 1." in report
    assert "- lines 5-6 (kept, check it; lead-in)" in report


def test_check_lists_it_as_a_review_warning_not_a_loop_error():
    found = findings(cleaned(SLICE, style="verbatim"))
    lead = [f for f in found if f.rule == "tidy.lead-in"]
    assert [(f.kind, f.severity, f.line, f.end_line) for f in lead] == [
        (Kind.REVIEW, Severity.WARNING, 5, 6)]
    assert [f.kind for f in found if f.rule == "tidy.loop"] == [Kind.LOOP]


def test_an_echo_of_the_open_line_marks_a_lead_in():
    text = "\n".join(["We went down to the harbour and looked at the,",
                      "the sea was calm that day.", *LOOP, "Then we went home."]) + "\n"
    assert lead_ins(text) == [(2, 2, "the sea was calm that day.")]


def test_the_speech_resuming_after_the_loop_marks_a_lead_in():
    text = "\n".join(["So the old boat builders in the north,", "it was a good year,",
                      "and nobody saw it coming.", *LOOP,
                      "The old boat builders knew it well."]) + "\n"
    assert lead_ins(text) == [(2, 3, "it was a good year, and nobody saw it coming.")]


def test_no_lead_in_without_a_broken_sentence():
    closed = "\n".join(["We went down to the harbour.", "The sea was calm that day.", *LOOP,
                        "Then we went home."]) + "\n"
    assert lead_ins(closed) == []  # the line before closes its sentence
    plain = "\n".join(["And then I said to him,", "you know, we should go there.", *LOOP,
                       "Then we went home."]) + "\n"
    assert lead_ins(plain) == []  # a sentence across lines, nothing repeated or taken up
    assert lead_ins("\n".join(LOOP) + "\n") == []  # nothing before the loop
