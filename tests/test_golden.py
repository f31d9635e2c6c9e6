"""Golden files: the whole pipeline on a small seed excerpt, reviewed as diffs.

``CLEANER_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` rewrites the expected files.
"""

from __future__ import annotations

import os

import pytest

from cleaner import Options, clean, render
from cleaner.render.report import render_md
from conftest import FIXTURES

CASE = FIXTURES / "golden" / "seed-head"
OUTPUTS = {
    "expected.md": lambda result: render(result, "md"),
    "expected.json": lambda result: render(result, "json"),
    "report.md": render_md,
}


@pytest.fixture(scope="module")
def result():
    text = (CASE / "input.txt").read_text(encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(CASE)  # so paths in the output are short and the same on every machine
    try:
        return clean(text, path="input.txt",
                     options=Options(rules=("pack.yaml",), default_rules=False))
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_golden_output(result, name):
    produced = OUTPUTS[name](result)
    expected_file = CASE / name
    if os.environ.get("CLEANER_UPDATE_GOLDEN"):
        expected_file.write_text(produced, encoding="utf-8")
    assert produced == expected_file.read_text(encoding="utf-8")
