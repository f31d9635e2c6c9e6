"""A raw transcript and its corrected version, aligned word by word, and the editor's changes.

``pair_up`` refuses two files that are not the same recording; ``AlignedPair`` answers what the
editor wrote at any raw word range (``verdict``), for learning and for scoring learned rules.
"""

from __future__ import annotations


import bisect
from collections import defaultdict

import regex

from ..words import english
from .align import WORD, Alignment, Change, Word, align, changes, key, transcript_words
from ..edits import build_stream
from ..errors import CleanerError
from ..model import Transcript


MIN_RATIO = 0.5  # below this share of aligned words, two files are not the same recording
_JOINER = regex.compile(r"^[-./'’_]$")


class AlignedPair:
    """A raw transcript aligned with its corrected version, and lookups over the pair.

    ``verdict`` judges a change to the raw text against what the editor wrote there; the
    benchmark uses it to score rules on a pair they were not learned from.
    """

    def __init__(self, raw: Transcript, corrected: Transcript, alignment: Alignment,
                 found: list[Change]) -> None:
        self.raw = raw
        self.corrected = corrected
        self.alignment = alignment
        self.changes = found
        self.stream = build_stream(raw)
        words = alignment.raw
        self.word_starts = [self.stream.starts[w.segment] + w.start for w in words]
        self.by_span = {(c.i1, c.i2): c for c in found}
        self.touched: dict[int, Change] = {}
        for change in found:
            for index in range(change.i1, change.i2):
                self.touched[index] = change
        self.equal = alignment.raw_to_corrected()
        self.caps = _capitals(alignment.corrected)

    def raw_text(self, i1: int, i2: int) -> str:
        return _span_text(self.raw, self.alignment.raw, i1, i2)

    def corrected_text(self, j1: int, j2: int) -> str:
        return _span_text(self.corrected, self.alignment.corrected, j1, j2)

    def words_at(self, start: int, end: int) -> tuple[int, int]:
        """Raw word range ``[i, j)`` covering stream range ``[start, end)``."""
        first = bisect.bisect_left(self.word_starts, start)
        last = bisect.bisect_right(self.word_starts, end - 1)
        return first, max(last, first + 1)

    def judge(self, start: int, end: int, after: str) -> tuple[str, Change | None]:
        """Judge replacing stream text ``[start, end)`` by ``after``: ``(kind, the editor's
        change there)``, kind as in ``verdict``. A suffix the matcher carried ('s) counts."""
        text = self.stream.text
        suffix_end = end
        while suffix_end < len(text) and (text[suffix_end].isalnum() or text[suffix_end] in "'’"):
            suffix_end += 1
        i1, i2 = self.words_at(start, end)
        kind, _ = self.verdict(i1, i2, after + text[end:suffix_end])
        return kind, self.by_span.get((i1, i2))

    def verdict(self, i1: int, i2: int, produced: str) -> tuple[str, str]:
        """Judge text ``produced`` for raw words ``[i1, i2)``: ``(kind, what the editor wrote)``.

        kind is ``fixed`` (the editor wrote the same words), ``kept`` (the editor left the
        raw words as they were), or ``other``.
        """
        change = self.by_span.get((i1, i2))
        if change is not None:
            wrote = self.corrected_text(change.j1, change.j2)
            same = _word_texts(wrote) == _word_texts(produced)
            return ("fixed" if same else "other"), wrote
        if any(index in self.touched or index not in self.equal for index in range(i1, i2)):
            return "other", ""
        return "kept", self.raw_text(i1, i2)


def pair_up(raw: Transcript, corrected: Transcript, punctuation: bool = False,
            min_ratio: float = MIN_RATIO) -> AlignedPair:
    """Align two transcripts of one recording; refuse two that are not the same recording."""
    alignment = align(transcript_words(raw), transcript_words(corrected))
    if alignment.ratio < min_ratio:
        raise CleanerError(
            f"{raw.path or 'RAW'} and {corrected.path or 'CORRECTED'} are not the same "
            f"recording: only {alignment.ratio:.0%} of their words align "
            f"(at least {min_ratio:.0%} needed)", corrected.path)
    found = changes(alignment)
    if punctuation:
        found += _joiner_changes(alignment)
    return AlignedPair(raw, corrected, alignment, found)


def word_corrections(pair: AlignedPair) -> list[Change]:
    """The editor's word corrections: replaced words, and case changes inside a sentence.

    Not counted: a change of case at a sentence start or of only very common words ("And"
    -> "and" where sentences were re-cut), words only inserted or deleted (fillers,
    repeats, additions), punctuation, speaker labels, timestamps and headings (which are
    not transcript words at all).
    """
    raw, corrected = pair.alignment.raw, pair.alignment.corrected
    out = []
    for change in pair.changes:
        if change.kind == "case":
            words = corrected[change.j1 : change.j2]
            if raw[change.i1].initial or words[0].initial or all(
                    english.is_very_common(word.text) for word in words):
                continue
        elif change.kind != "words":
            continue
        out.append(change)
    return out


def _joiner_changes(alignment: Alignment) -> list[Change]:
    """Runs of aligned words whose inner separators became joiners ("peer to peer" ->
    "peer-to-peer"); only with ``--punctuation``."""
    out = []
    left, right = alignment.raw, alignment.corrected
    for tag, i1, i2, j1, _ in alignment.opcodes:
        if tag != "equal":
            continue
        start = None
        for offset in range(i2 - i1):
            raw_gap, new_gap = left[i1 + offset].gap, right[j1 + offset].gap
            joined = (offset < i2 - i1 - 1 and raw_gap is not None and new_gap is not None
                      and bool(_JOINER.match(new_gap)) and not _JOINER.match(raw_gap))
            if joined and start is None:
                start = offset
            elif not joined and start is not None:
                out.append(Change("punctuation", i1 + start, i1 + offset + 1, j1 + start,
                                  j1 + offset + 1))
                start = None
    return out


def _capitals(words: tuple[Word, ...]) -> dict[str, tuple[int, int]]:
    """Key -> (mid-sentence occurrences, how many of them capitalised)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for word in words:
        if not word.initial:
            entry = counts[word.key]
            entry[0] += 1
            entry[1] += word.text[0].isupper()
    return {name: (a, b) for name, (a, b) in counts.items()}


def _span_text(transcript: Transcript, words: tuple[Word, ...], i1: int, i2: int) -> str:
    """Text from the start of word ``i1`` to the end of word ``i2 - 1`` (segments joined by a space)."""
    pieces = []
    first = words[i1]
    last = words[i2 - 1]
    for number in range(first.segment, last.segment + 1):
        text = transcript.segments[number].text
        start = first.start if number == first.segment else 0
        end = last.end if number == last.segment else len(text)
        pieces.append(text[start:end].strip())
    return " ".join(piece for piece in pieces if piece)


def _window(pair: AlignedPair, i1: int, i2: int, size: int) -> str:
    return _window_words(pair.raw, pair.alignment.raw, i1, i2, size)


def _window_words(transcript: Transcript, words: tuple[Word, ...], i1: int, i2: int,
                  size: int) -> str:
    """The words around ``[i1, i2)``, ``size`` either side, as one line of text."""
    first = max(0, i1 - size)
    last = min(len(words), i2 + size)
    text = _span_text(transcript, words, first, last)
    return " ".join(text.split())


def _phrase_key(text: str) -> str:
    return " ".join(_word_keys(text))


def _word_keys(text: str) -> list[str]:
    return [key(word) for word in WORD.findall(text)]


def _word_texts(text: str) -> list[str]:
    return WORD.findall(text.replace("’", "'"))
