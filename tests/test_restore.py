"""Nothing is lost: the exact input comes back from the JSON output."""

from __future__ import annotations

import json

import pytest

from cleaner import Options, clean, render, restore
from cleaner.restore import restore_bytes
from conftest import SEED
from test_readers import SRT, VTT


@pytest.mark.parametrize("text", [
    SEED.read_text(encoding="utf-8"),
    SRT,
    VTT,
    "plain line with chat GPT\r\n  indented Kevin Roos \n\nlast",
    json.dumps({"segments": [{"start": 0, "end": 1, "text": " open AI caf\u00e9 chat GPT"}]}),
])
def test_restore_rebuilds_the_input_exactly(text):
    result = clean(text)
    document = json.loads(render(result, "json"))
    assert restore(document) == text


def test_restore_bytes_keeps_encoding_and_bom():
    data = b"\xef\xbb\xbfI asked chat GPT.\r\n"
    text = data[3:].decode("utf-8")
    result = clean(text, encoding="utf-8", bom=True)
    assert result.edits  # something changed...
    assert restore_bytes(json.loads(render(result, "json"))) == data  # ...and nothing is lost


def test_every_edit_before_equals_the_input_at_its_offsets():
    text = SEED.read_text(encoding="utf-8")
    lines = text.split("\n")
    result = clean(text)
    assert len(result.edits) > 50
    for edit in result.edits:
        assert lines[edit.line - 1][edit.start : edit.end] == edit.before


def test_turn_spans_tile_the_transcript_text():
    result = clean(SEED.read_text(encoding="utf-8"))
    covered = {}
    for turn in result.turns:
        for line, start, end in turn.spans:
            covered.setdefault(line, []).append((start, end))
    for segment in result.transcript.segments:
        spans = sorted(covered[segment.line])
        assert spans[0][0] == segment.start and spans[-1][1] == segment.end
        assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))


def test_cleaning_the_output_again_adds_no_edits():
    once = clean(SEED.read_text(encoding="utf-8"))
    twice = clean(render(once, "md"))
    assert once.edits and not twice.edits
    assert clean(render(once, "txt"), options=Options(input_format="plain")).edits == ()
