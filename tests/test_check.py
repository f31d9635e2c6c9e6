"""The finding logic of ``cleaner.check`` on strings and hand-built results."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import cleaner
from cleaner import Options
from cleaner.check.baseline import baseline_document, baseline_fingerprints, new_findings
from cleaner.check.findings import Kind, Severity, fails, findings
from cleaner.model import Edit, Turn

PLAIN = Options(input_format="plain", speakers=False)  # rule findings only


def result_of(text: str, path: str = "talk.txt"):
    return cleaner.clean(text, path=path, options=PLAIN)


def test_check_is_public_and_finds_rule_matches():
    assert "check" in cleaner.__all__
    found = cleaner.check("I asked chat GPT.\nFine line.\n", path="talk.txt", options=PLAIN)
    assert [(f.path, f.line, f.col, f.rule, f.kind, f.severity) for f in found] == [
        ("talk.txt", 1, 9, "chatgpt", Kind.ASR_ERROR, Severity.ERROR)]
    assert "'chat GPT' should be 'ChatGPT'" in found[0].message
    assert found[0].end_col == 17 and found[0].fingerprint


def test_clean_text_has_no_findings():
    assert cleaner.check("I asked ChatGPT. OpenAI replied.\n", options=PLAIN) == []


def test_an_edit_split_over_two_lines_is_one_finding():
    result = result_of("I asked chat\nGPT about it.\n")
    assert len(result.edits) == 2 and result.edits[0].group is not None
    found = findings(result)
    assert [(f.rule, f.line, f.col, f.end_line) for f in found] == [("chatgpt", 1, 9, 2)]
    assert "'chat GPT' should be 'ChatGPT'" in found[0].message


def test_tidy_edits_are_not_asr_errors_but_loops_are_found():
    base = result_of("one\nthanks for watching\nthanks for watching\nthanks for watching\ntwo\n")
    loops = [Edit("tidy.loop", "tidy", line, 0, 19, "thanks for watching", "", "tidy: loop")
             for line in (3, 4)]
    filler = Edit("tidy.filler", "tidy", 1, 0, 3, "one", "", "tidy: filler")
    result = replace(base, edits=(filler, *loops), options={})  # findings from edits alone
    found = findings(result)
    assert [(f.kind, f.line, f.end_line) for f in found] == [(Kind.LOOP, 3, 4)]
    assert "lines 3-4" in found[0].message and found[0].rule == "tidy.loop"


def test_loops_recorded_in_options_as_dicts_or_objects():
    base = result_of("a\nb\nc\nd\ne\nf\n")
    records = [
        {"line": 2, "end_line": 3, "text": "la la", "count": 4},
        SimpleNamespace(first_line=5, last_line=6, phrase="so so", start=0),
        {"no": "line"},  # unusable records are skipped, not fatal
    ]
    result = replace(base, options={"loops": records})
    found = findings(result)
    assert [(f.line, f.end_line, f.kind) for f in found] == [(2, 3, Kind.LOOP), (5, 6, Kind.LOOP)]
    assert "repeated 4 times" in found[0].message and "'so so'" in found[1].message
    # A loop both removed by an edit and recorded is reported once.
    edit = Edit("tidy.loop.repeat", "tidy", 2, 0, 1, "b", "", "tidy")
    assert len(findings(replace(result, edits=(edit,)))) == 2


def test_review_and_missing_speaker_turns():
    base = result_of("Hello there.\nGeneral Kenobi.\nYou are a bold one.\n")
    turns = list(base.turns)
    turns[0] = replace(turns[0], speaker="Ann", confidence=0.95)
    turns[1] = replace(turns[1], speaker="Bob", confidence=0.4)
    turns[2] = replace(turns[2], speaker=None, confidence=None)
    result = replace(base, turns=tuple(turns))
    # No attribution ran: nothing about speakers is reported; a low confidence alone is no
    # finding: the review list is the turns marked ``review`` (segment/review.py).
    assert findings(result) == []
    marked = replace(result, turns=(replace(turns[0], review=True), *turns[1:]))
    assert [(f.kind, f.line) for f in findings(marked)] == [(Kind.REVIEW, 1)]
    # Once attribution ran, a turn with no speaker is a warning.
    attributed = replace(result, options={"speakers": True})
    found = findings(attributed)
    assert [(f.kind, f.line, f.severity) for f in found] == [
        (Kind.NO_SPEAKER, 3, Severity.WARNING)]
    assert not fails(found, Severity.ERROR) and fails(found, Severity.WARNING)


def test_turn_without_text_is_not_reported():
    base = result_of("Hello.\nHi.\n")
    named = replace(base.turns[0], speaker="Ann", confidence=0.9)
    empty = Turn(text="  ", spans=((2, 0, 0),), span_text=("",))
    result = replace(base, turns=(named, base.turns[1], empty), options={"speakers": True})
    assert [f.line for f in findings(result)] == [2]


def test_fingerprints_survive_moved_lines_but_not_new_copies():
    first = cleaner.check("I asked chat GPT.\n", path="t.txt", options=PLAIN)
    moved = cleaner.check("New line.\n\nI asked chat GPT.\n", path="t.txt", options=PLAIN)
    assert [f.fingerprint for f in first] == [f.fingerprint for f in moved]
    twice = cleaner.check("I asked chat GPT.\nchat GPT again\n", path="t.txt", options=PLAIN)
    assert twice[0].fingerprint == first[0].fingerprint
    assert twice[1].fingerprint != first[0].fingerprint
    other_file = cleaner.check("I asked chat GPT.\n", path="u.txt", options=PLAIN)
    assert other_file[0].fingerprint != first[0].fingerprint


def test_baseline_round_trip():
    found = cleaner.check("I asked chat GPT.\nOpen AI too.\n", path="t.txt", options=PLAIN)
    document = baseline_document(found[:1])
    known = baseline_fingerprints(document, "b.json")
    assert new_findings(found, known) == found[1:]


def test_severity_order():
    assert Severity.ERROR.at_least(Severity.WARNING)
    assert not Severity.INFO.at_least(Severity.WARNING)
    assert Severity.WARNING.at_least(Severity.WARNING)
