"""The report's word counts and readability before and after cleaning."""

from __future__ import annotations

import textstat

from cleaner import Options, clean, render
from cleaner.render.report import render_md
from cleaner.render.stats import before_after, text_stats

# Ten sentences, 82 words and 102 syllables: 1.244 syllables a word, which textstat's own
# score rounds to 1.2; with "Um" and one "the" removed, 80 words and 100 syllables: 1.25,
# rounded to 1.3. The report said the reading ease fell from 97.0 to 88.7.
TEXT = ("Um, we went to the the market on Monday. It was a very busy and interesting morning "
        "there. My sister bought some apples and pastries. I found a beautiful antique table "
        "for the kitchen. Then we had lunch at a little restaurant. The soup was hot and the "
        "bread was fresh. After that we wandered along the river. The water looked calm and "
        "very green. We got home just before the rain came. It was a good day for all of us.\n")


def test_removing_two_short_words_barely_moves_the_reading_ease():
    result = clean(TEXT, options=Options(speakers=False))
    assert {e.rule for e in result.edits} >= {"tidy.filler", "tidy.stutter"}
    before, after = before_after(result)
    assert (before.words, after.words) == (82, 80)
    assert (before.sentences, after.sentences) == (10, 10)
    assert abs(after.flesch_reading_ease - before.flesch_reading_ease) < 1.0
    assert abs(after.flesch_kincaid_grade - before.flesch_kincaid_grade) < 0.2
    report = render_md(result)
    row = next(line for line in report.splitlines() if line.startswith("| Flesch reading ease"))
    assert row == (f"| Flesch reading ease | {before.flesch_reading_ease:.1f} | "
                   f"{after.flesch_reading_ease:.1f} |")


def test_scores_follow_the_flesch_formulas_from_textstat_counts():
    stats = text_stats(TEXT)
    words, syllables = textstat.lexicon_count(TEXT), textstat.syllable_count(TEXT)
    sentences = textstat.sentence_count(TEXT)
    assert (stats.words, stats.sentences) == (words, sentences)
    ease = 206.835 - 1.015 * words / sentences - 84.6 * syllables / words
    grade = 0.39 * words / sentences + 11.8 * syllables / words - 15.59
    assert abs(stats.flesch_reading_ease - ease) < 0.01
    assert abs(stats.flesch_kincaid_grade - grade) < 0.01
    assert text_stats(" \n") == text_stats("...") == text_stats("")


def test_before_and_after_are_counted_alike():
    """Cleaning a cleaned transcript changes nothing, so its figures before and after must be
    equal: the same labels, markup and line breaks are left out of both texts."""
    source = ("1\n00:00:01,000 --> 00:00:03,000\nKevin Roose: Um, so how how do we start\n\n"
              "2\n00:00:03,000 --> 00:00:05,500\nCasey Newton: <i>with the basics</i>, I guess\n")
    first = clean(source, options=Options(default_rules=False))
    for fmt in ("md", "txt", "srt", "vtt"):
        again = clean(render(first, fmt), options=Options(default_rules=False))
        assert again.edits == ()
        before, after = before_after(again)
        assert before == after == before_after(first)[1], fmt
