"""The shipped packs on the seed: misheard names are fixed, correct text is left alone."""

from __future__ import annotations

import csv

import pytest

from cleaner import Options, clean
from conftest import FIXTURES, SEED


def seed_fix_rate(result, rows) -> tuple[float, list]:
    """Share of the listed seed errors whose correct form appears and wrong form is gone."""
    by_line = {}
    for segment, text in zip(result.transcript.segments, result.corrected):
        by_line[segment.line] = text
    missed = []
    for row in rows:
        line = int(row["line"])
        text = by_line.get(line, "") + " " + by_line.get(line + 1, "")
        fixed = row["right"] in text and (row["wrong"] in row["right"] or row["wrong"] not in text)
        if not fixed:
            missed.append(row)
    return 1 - len(missed) / len(rows), missed


@pytest.fixture(scope="module")
def seed_result():
    return clean(SEED.read_text(encoding="utf-8"), path=str(SEED))


def test_seed_picks_up_the_show_pack_with_no_flags(seed_result):
    assert "hard-fork" in seed_result.packs


def test_at_least_95_percent_of_seed_errors_are_fixed(seed_result):
    with (FIXTURES / "seed-fixes.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert len(rows) >= 40
    rate, missed = seed_fix_rate(seed_result, rows)
    assert rate >= 0.95, [(r["line"], r["wrong"], r["right"]) for r in missed]


@pytest.mark.parametrize("name", ["names-correct.txt", "ordinary-words.txt"])
def test_control_texts_get_no_edits(name):
    text = (FIXTURES / "control" / name).read_text(encoding="utf-8")
    result = clean(text, options=Options(input_format="plain"))
    assert [(e.line, e.before, e.after, e.rule) for e in result.edits] == []


def test_a_text_about_something_else_does_not_wake_the_show_pack():
    text = (FIXTURES / "control" / "ordinary-words.txt").read_text(encoding="utf-8")
    assert "hard-fork" not in clean(text, options=Options(input_format="plain")).packs
