"""One long line (or one JSON line of many segments) is read in linear time: the helpers that
look around a position read a window, not the whole text before it, and give what reading the
whole text gave. These tests pin the behaviour; bench/scale.py measures the time."""

from __future__ import annotations

import json
import subprocess
import sys

import regex
from hypothesis import given, strategies as st

import cleaner
from cleaner.segment import units
from cleaner.segment.units import sentence_ends
from cleaner.tidy.filler import _plan

from conftest import ROOT, SEED

# sentence_ends as it was before issue 22: the whole prefix searched at every end (the
# reference its windowed version must agree with).
_ABBREVIATIONS = units._ABBREVIATIONS


def reference_sentence_ends(text: str) -> list[int]:
    ends = []
    for match in units._END.finditer(text):
        rest = text[match.end():]
        stripped = rest.lstrip()
        if not stripped:
            continue
        if match.group().startswith(".") and len(match.group().rstrip("\"'”’)]")) == 1:
            word = regex.search(r"([\w.]+)$", text[: match.start()])
            token = word.group(1).casefold() if word else ""
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
            if regex.match(r"\d", stripped) and regex.search(r"\d$", text[: match.start()]):
                continue
        if stripped[0].islower():
            continue
        ends.append(match.end() + (len(rest) - len(stripped)))
    return ends


def _seed_body() -> list[str]:
    return [line[3:].strip() for line in SEED.read_text(encoding="utf-8").splitlines()
            if line.startswith("*  ") and line[3:].strip()]


def test_sentence_ends_on_the_seed_as_one_line_match_the_whole_prefix_reading():
    line = " ".join(_seed_body())
    ends = sentence_ends(line)
    assert len(ends) > 500  # a real multi-sentence line
    assert ends == reference_sentence_ends(line)


_PIECES = st.sampled_from(["a", "B", "1", "٣", " ", "  ", ".", "!", "?", "…", "-", "--", "—",
                           "\"", "'", ")", "]", "\n", "\t", "Mr", "e.g", "U.S", "x" * 70,
                           "9" * 70, "a.b." * 20, "Dr."])


@given(st.lists(_PIECES, max_size=40))
def test_sentence_ends_agree_with_the_whole_prefix_reading(pieces):
    text = "".join(pieces)
    assert sentence_ends(text) == reference_sentence_ends(text)


def test_the_word_before_an_end_is_read_from_a_window():
    seen = []

    class Recording:
        """A pattern that records where it was asked to search."""

        def search(self, text, pos, endpos):
            seen.append((pos, endpos))
            return units._WORD_END.search(text, pos, endpos)

    text = "word " * 100_000 + "Mr."
    end = len(text) - 1
    found = units._at_end(Recording(), text, end)
    assert found.group(1) == "Mr"
    assert seen == [(end - 64, end)]  # one window, not the 500,000 characters before it
    long_word = "x" * 1000  # a word longer than the window: the window grows until it fits
    seen.clear()
    assert units._at_end(Recording(), "a " + long_word, 1002).group(1) == long_word
    assert seen[-1][0] == 0 and len(seen) == 5


_RUN_PIECES = st.sampled_from(["so", "Okay", "well", "we", " ", ",", ".", "!", "?", "…", "(",
                               "\"", "'", "’", "-", "\t", "um", "like"])


@given(st.lists(_RUN_PIECES, max_size=8), st.lists(_RUN_PIECES, max_size=8),
       st.booleans())
def test_a_filler_plan_depends_only_on_the_sentence_around_it(before, after, edited):
    """What goes with a filler run is decided by its sentence: a long text of sentences
    before it changes no offset but the shift."""
    short = "Done. " + "".join(before) + " "
    text = short + "um" + "".join(after)
    start, end = len(short), len(short) + 2
    asides = ["like"] if edited else []
    near = _plan(text, start, end, "Done.", None, asides, False)
    shift = len("It was said. " * 20_000)
    far = _plan("It was said. " * 20_000 + text, start + shift, end + shift, "Done.", None,
                asides, False)
    if near is None:
        assert far is None
    else:
        moved = tuple(x + shift if isinstance(x, int) else x for x in near)
        assert far == moved


def test_the_seed_as_one_line_cleans_and_restores_exactly():
    text = "\n".join([*SEED.read_text(encoding="utf-8").split("\n")[:2],
                      "*  " + " ".join(_seed_body())]) + "\n"
    result = cleaner.clean(text, path="one-line.txt")
    assert len(result.turns) > 10 and len(result.edits) > 50
    assert cleaner.restore(json.loads(cleaner.render(result, "json"))) == text


def test_many_edited_segments_on_one_json_line_restore_exactly():
    body = _seed_body()
    document = json.dumps({"text": "", "segments": [
        {"id": n, "start": 2.0 * n, "end": 2.0 * n + 1.9,
         "text": f" {body[n % len(body)]} Send me an e mail."} for n in range(400)]})
    result = cleaner.clean(document, path="edited.json")
    fixed = [e for e in result.edits if e.before == "e mail"]
    assert len(fixed) == 400 and {e.line for e in fixed} == {1}
    assert all("email" in text for text in result.corrected)
    assert cleaner.restore(json.loads(cleaner.render(result, "json"))) == document


def _imported_after(argv: list[str]) -> set[str]:
    """The modules loaded by one CLI run in a fresh interpreter."""
    code = ("import sys, io, contextlib\nfrom cleaner.cli import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()): main({argv!r})\n"
            "print(' '.join(sorted(sys.modules)))")
    child = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                           text=True, check=True)
    return set(child.stdout.split())


def test_check_loads_neither_speakers_nor_numpy_nor_other_commands(tmp_path):
    loaded = _imported_after(["check", str(SEED)])
    assert "cleaner.commands.check" in loaded and "cleaner.pipeline" in loaded
    assert "numpy" not in loaded
    assert not any(name.startswith("cleaner.attribute") for name in loaded)
    assert not {"cleaner.commands.learn", "cleaner.commands.suggest", "cleaner.commands.eval",
                "cleaner.learn.learn", "cleaner.check.lint"} & loaded
    with_speakers = _imported_after(["check", str(SEED), "--speakers"])
    assert "cleaner.attribute" in with_speakers and "numpy" in with_speakers
    cleaned = _imported_after(["clean", str(SEED), "-o", str(tmp_path / "out.md")])
    assert "cleaner.attribute" in cleaned and "cleaner.commands.check" not in cleaned
    assert "cleaner.punctuate.apply" not in cleaned  # the seed has its marks: no model
