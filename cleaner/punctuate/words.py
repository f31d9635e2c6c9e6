"""The words of a transcript as the punctuation model reads them, and which stretches need
punctuating: no numpy here, so a transcript that has its marks never loads the model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import regex

from ..model import Transcript

RUN_WORDS = 60  # a stretch this long with no mark at all is caption-style text
_TOKEN = regex.compile(r"\S+")
CORE = regex.compile(r"[\p{L}\p{N}](?:.*[\p{L}\p{N}])?")
_HAS_MARK = regex.compile(r"[.?!,;:…]")
_EDGE = regex.compile(r"^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$")


def normal(token: str) -> str:
    """A token as the model sees it: lowercase, without punctuation at its edges."""
    return _EDGE.sub("", token).casefold()


@dataclass(frozen=True, slots=True)
class Word:
    segment: int
    start: int  # offsets of the word's letters in the segment text
    end: int
    token_end: int  # end of the whole whitespace token (marks after the letters included)
    normal: str
    tail: str  # what follows the letters up to the next word: "," in "so," and "so ,"

    @property
    def marked(self) -> bool:
        """The word already has a mark after it."""
        return bool(_HAS_MARK.search(self.tail))


def words_of(transcript: Transcript) -> list[Word]:
    """Every word of the transcript with where it is."""
    out = []
    for number, segment in enumerate(transcript.segments):
        text = segment.text
        for token in _TOKEN.finditer(text):
            value = token.group()
            if value.isalpha():  # most words: no marks around them
                out.append(Word(number, token.start(), token.end(), token.end(),
                                value.casefold(), ""))
                continue
            core = CORE.search(value)
            if core is None:  # marks on their own ("so , then"): they follow the word before
                if out and out[-1].segment == number:
                    out[-1] = replace(out[-1], tail=out[-1].tail + " " + value)
                continue
            start, end = token.start() + core.start(), token.start() + core.end()
            out.append(Word(number, start, end, token.end(), normal(value),
                            text[end:token.end()]))
    return out


def needs(words: Sequence[Word], segments: int, mode: str) -> set[int]:
    """The segments to punctuate: every one (``always``), or the runs of segments without a
    single mark that hold ``RUN_WORDS`` words or more (``auto``)."""
    if mode == "always":
        return set(range(segments))
    marked = {w.segment for w in words if w.marked}
    counts: dict[int, int] = {}
    for word in words:
        counts[word.segment] = counts.get(word.segment, 0) + 1
    chosen: set[int] = set()
    run: list[int] = []
    for number in [*range(segments), None]:
        if number is not None and number not in marked:
            run.append(number)
            continue
        if sum(counts.get(n, 0) for n in run) >= RUN_WORDS:
            chosen.update(run)
        run = []
    return chosen
