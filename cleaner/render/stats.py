"""Word counts and readability (textstat) of the transcript before and after cleaning."""

from __future__ import annotations

from ..model import Result, Stats


def text_stats(text: str) -> Stats:
    """Words, sentences and two readability scores of a text."""
    if not text.strip():
        return Stats(words=0, sentences=0, flesch_reading_ease=0.0, flesch_kincaid_grade=0.0)
    import textstat  # imported here: only reports need it, and it is slow to import

    return Stats(
        words=textstat.lexicon_count(text),
        sentences=textstat.sentence_count(text),
        flesch_reading_ease=float(textstat.flesch_reading_ease(text)),
        flesch_kincaid_grade=float(textstat.flesch_kincaid_grade(text)),
    )


def before_after(result: Result) -> tuple[Stats, Stats]:
    """Stats of the original transcript text and of the corrected one."""
    before = "\n".join(segment.text for segment in result.transcript.segments)
    after = "\n".join(turn.text for turn in result.turns if turn.text)
    return text_stats(before), text_stats(after)
