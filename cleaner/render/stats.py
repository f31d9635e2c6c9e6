"""Word counts and readability (textstat) of the transcript before and after cleaning."""

from __future__ import annotations

from ..model import Result, Stats


def text_stats(text: str) -> Stats:
    """Words, sentences and two readability scores of a text.

    textstat counts the words, sentences and syllables, and the scores are worked out here
    from the exact averages: textstat's own scores round syllables per word to one decimal
    first, so removing two one-syllable words ("Um", a repeated "the") could move the
    reading ease by 8 points (1.24 syllables a word is 1.2, 1.25 is 1.3).
    """
    none = Stats(words=0, sentences=0, flesch_reading_ease=0.0, flesch_kincaid_grade=0.0)
    if not text.strip():
        return none
    import textstat  # imported here: only reports need it, and it is slow to import

    words = textstat.lexicon_count(text)
    if not words:
        return none
    sentences = textstat.sentence_count(text)
    per_sentence, per_word = words / sentences, textstat.syllable_count(text) / words
    return Stats(
        words=words,
        sentences=sentences,
        flesch_reading_ease=round(206.835 - 1.015 * per_sentence - 84.6 * per_word, 2),
        flesch_kincaid_grade=round(0.39 * per_sentence + 11.8 * per_word - 15.59, 2),
    )


def before_after(result: Result) -> tuple[Stats, Stats]:
    """Stats of the original transcript text and of the corrected one."""
    before = "\n".join(segment.text for segment in result.transcript.segments)
    after = "\n".join(turn.text for turn in result.turns if turn.text)
    return text_stats(before), text_stats(after)
