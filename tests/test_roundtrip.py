"""The editor's loop (issue 15, item 1): cleaner's own output is valid input.

Cleaning an md or txt output again changes nothing (its labels are the speakers, its review
marks are not text), and cleaner's JSON output is named as such instead of being misread.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from cleaner import Options, clean, render
from cleaner.cli import main
from cleaner.errors import CleanerError
from cleaner.read import detect_format
from conftest import ROOT, SEED

DEV = next((folder / "shared" / "eval" / "dev" for folder in (ROOT.parent, ROOT.parent.parent)
            if (folder / "shared" / "eval" / "dev").is_dir()), None)
CASES = [pytest.param(SEED, None, id="seed")] + [
    pytest.param(path, path.with_suffix(".cast.yaml"), id=path.stem)
    for path in sorted(DEV.glob("*.md") if DEV else ()) if not path.name.endswith(".cast.md")]


@pytest.mark.parametrize("path, cast", CASES)
def test_cleaning_an_output_again_changes_nothing(path, cast):
    options = Options(cast=str(cast) if cast else None)
    first = clean(path.read_text(encoding="utf-8"), path=str(path), options=options)
    for fmt in ("md", "txt"):
        once = render(first, fmt)
        again = clean(once, path=f"again.{fmt}", options=options)
        assert render(again, fmt) == once, fmt


def test_seed_markdown_output_is_read_with_its_labels():
    once = render(clean(SEED.read_text(encoding="utf-8")), "md")
    assert detect_format(once) == "plain"
    again = clean(once)
    assert again.transcript.title == "'Hard Fork': An Interview With Sam Altman"
    assert again.transcript.source_line.startswith("**New York Times Podcasts:** [")
    hints = [s.speaker_hint for s in again.transcript.segments]
    assert hints[0] == "Michael Barbaro" and None not in hints
    assert "**Casey Newton:** **" not in render(again, "md")


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_review_marks_are_not_read_as_text(fmt):
    first = clean(SEED.read_text(encoding="utf-8"))
    marked = render(replace(first, options={**first.options, "mark_review": True}), fmt)
    assert "check speaker" in marked
    again = clean(marked)
    assert "check speaker" not in render(again, fmt)
    assert render(again, fmt) == render(first, fmt)


def test_plain_lines_with_colons_are_not_labels():
    text = "Note: the mic was off.\nSo: we started again.\nAnd then we went home.\n"
    result = clean(text, options=Options(speakers=False))
    assert [s.speaker_hint for s in result.transcript.segments] == [None, None, None]
    assert result.transcript.segments[0].text == "Note: the mic was off."


def test_txt_labels_need_the_paragraph_layout():
    text = "Ann Lee: Hello there.\n\nBob Stone: Hi, Ann.\n\nAnd how are you?\n"
    hints = [s.speaker_hint for s in clean(text).transcript.segments]
    assert hints == ["Ann Lee", "Bob Stone", "Bob Stone"]
    packed = text.replace("\n\n", "\n")
    assert [s.speaker_hint for s in clean(packed).transcript.segments] == [None] * 3


def test_cleaner_json_output_is_named_not_misread(tmp_path, capsys):
    out = tmp_path / "seed.json"
    assert main(["clean", str(SEED), "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "cleaner/transcript@1"
    with pytest.raises(CleanerError, match="cleaner's own JSON output.*cleaner restore"):
        clean(out.read_text(encoding="utf-8"), path=str(out))
    assert main(["clean", str(out), "-o", str(tmp_path / "x.md")]) == 2
    error = capsys.readouterr().err
    assert "cleaner restore" in error and "segments" not in error
