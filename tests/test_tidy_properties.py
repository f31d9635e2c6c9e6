"""Property tests (Hypothesis, derandomized): on any mix of words, fillers, repeats and
punctuation, every style restores the input exactly, every writer works, and our SRT, WebVTT
and Podcasting 2.0 JSON read back with the same words."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Options, clean, render, restore
from cleaner.read import read_text
from cleaner.render import WRITERS
from cleaner.render.layout import blocks
from cleaner.tidy.words import word_keys

WORDS = ["um", "Um", "uh", "er", "ah", "the", "The", "I", "i", "you", "know", "like", "well",
         "so", "Well", "that's", "good", "thing", "very", "no", "it", "and", "But", "Uh-huh",
         "okay", "how", "Thanks", "for", "watching!", "é", "ß", "…", "--", "[laughs]", "&amp;"]
MARKS = ["", "", "", ",", ".", "?", " -", "...", " ,", " .", "  "]
TOKEN = st.tuples(st.sampled_from(WORDS), st.sampled_from(MARKS)).map("".join)
TEXT = st.lists(st.lists(TOKEN, max_size=10).map(" ".join), min_size=1, max_size=12).map(
    "\n".join)
SETTINGS = settings(max_examples=60, derandomize=True, deadline=None,
                    suppress_health_check=list(HealthCheck))


@SETTINGS
@given(TEXT, st.sampled_from(["verbatim", "clean", "edited"]), st.booleans())
def test_every_style_restores_and_renders(text, style, keep):
    options = Options(input_format="plain", style=style, default_rules=False,
                      keep_hallucinations=keep)
    result = clean(text, options=options)
    assert restore(json.loads(render(result, "json"))) == text
    for fmt in WRITERS:
        assert render(result, fmt) == render(clean(text, options=options), fmt)  # same bytes


@SETTINGS
@given(TEXT, st.sampled_from(["verbatim", "clean"]))
def test_timed_formats_read_back_with_the_same_words(text, style):
    result = clean(text, options=Options(input_format="plain", style=style, default_rules=False))
    words = [w for block in blocks(result) for w in word_keys(block.text)]
    for fmt in ("srt", "vtt", "podcast-json"):
        back = read_text(render(result, fmt))
        assert [w for s in back.segments for w in word_keys(s.text)] == words
