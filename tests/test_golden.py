"""Golden files: the whole pipeline on small seed excerpts, reviewed as diffs.

``CLEANER_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` rewrites the expected files.

- ``seed-head``: the seed's first lines with a small frozen pack (rule fixes);
- ``seed-tidy``: seed lines with fillers, stutters and the hallucination loop, no pack
  (tidy passes alone).
"""

from __future__ import annotations

import os

import pytest

from cleaner import Options, clean, render
from cleaner.render.report import render_md
from conftest import FIXTURES

CASES = ["seed-head", "seed-tidy"]
OUTPUTS = {
    "expected.md": lambda result: render(result, "md"),
    "expected.json": lambda result: render(result, "json"),
    "report.md": render_md,
}


@pytest.fixture(scope="module", params=CASES)
def case(request):
    folder = FIXTURES / "golden" / request.param
    text = (folder / "input.txt").read_text(encoding="utf-8")
    rules = ("pack.yaml",) if (folder / "pack.yaml").exists() else ()
    cwd = os.getcwd()
    os.chdir(folder)  # so paths in the output are short and the same on every machine
    try:
        return folder, clean(text, path="input.txt",
                             options=Options(rules=rules, default_rules=False))
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_golden_output(case, name):
    folder, result = case
    produced = OUTPUTS[name](result)
    expected_file = folder / name
    if os.environ.get("CLEANER_UPDATE_GOLDEN"):
        expected_file.write_text(produced, encoding="utf-8")
    assert produced == expected_file.read_text(encoding="utf-8")
