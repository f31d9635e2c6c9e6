"""Align two transcripts of the same recording word by word, and list what changed.

Only words take part: timestamps, speaker labels and markup never reach the segments'
text (the readers leave them out), and punctuation is not a word. Words are compared by
a key (casefolded, curly apostrophe made straight), so a change of case alone shows up as
a ``case`` change between two aligned words rather than as a replacement.

Alignment is anchored, so it stays fast on long files: word trigrams that occur exactly
once in each text are anchors, the longest chain of anchors in the same order on both sides
is kept, and ``difflib`` aligns only the short stretches between anchors.
"""

from __future__ import annotations

import bisect
import difflib
from collections import Counter
from dataclasses import dataclass, replace

import regex

from ..model import Transcript

WORD = regex.compile(r"[\p{L}\p{N}_]+(?:['’][\p{L}\p{N}_]+)*")
ANCHOR = 3  # words in an anchor n-gram
CLEAN_GAP = regex.compile(r"^(?:[ \t]+|[-./'’_&+]|[ \t]*[-–][ \t]*)$")  # inside a name or term
_SENTENCE_END = regex.compile(r"[.!?…][\"'”’)\]]*\s")


@dataclass(frozen=True, slots=True)
class Word:
    """A word of a transcript: its text, alignment key, and where it is."""

    text: str
    key: str
    segment: int
    start: int
    end: int
    initial: bool = False  # first word of a sentence
    gap: str | None = None  # text up to the next word of the same segment (None: no such word)


@dataclass(frozen=True, slots=True)
class Change:
    """Words ``raw[i1:i2]`` that the corrected text has as ``corrected[j1:j2]``.

    ``kind`` is ``case`` when only letter case differs, else ``words``.
    """

    kind: str
    i1: int
    i2: int
    j1: int
    j2: int


@dataclass(frozen=True, slots=True)
class Alignment:
    """The words of both texts and how they line up."""

    raw: tuple[Word, ...]
    corrected: tuple[Word, ...]
    opcodes: tuple[tuple[str, int, int, int, int], ...]  # as difflib's get_opcodes

    @property
    def matched(self) -> int:
        """Number of words aligned as equal (case aside)."""
        return sum(i2 - i1 for tag, i1, i2, _, _ in self.opcodes if tag == "equal")

    @property
    def ratio(self) -> float:
        """Share of words aligned: matched words over the longer text's word count."""
        longest = max(len(self.raw), len(self.corrected))
        return self.matched / longest if longest else 1.0

    def raw_to_corrected(self) -> dict[int, int]:
        """Raw word index -> corrected word index, for the words aligned as equal."""
        mapping = {}
        for tag, i1, i2, j1, _ in self.opcodes:
            if tag == "equal":
                for offset in range(i2 - i1):
                    mapping[i1 + offset] = j1 + offset
        return mapping


def key(word: str) -> str:
    """The alignment key of a word."""
    return word.replace("’", "'").casefold()


def transcript_words(transcript: Transcript) -> tuple[Word, ...]:
    """Every word of every segment, in order."""
    return words_of([segment.text for segment in transcript.segments])


def words_of(texts: list[str]) -> tuple[Word, ...]:
    """The words of a list of segment texts, each marked when it starts a sentence."""
    words = []
    ended = True  # the text before the first word ends a sentence
    for number, text in enumerate(texts):
        position = 0
        first = len(words)
        for match in WORD.finditer(text):
            ends_before = bool(_SENTENCE_END.search(text[position : match.start()]))
            initial = ends_before or (ended and not position)
            if len(words) > first:
                words[-1] = replace(words[-1], gap=text[position : match.start()])
            words.append(Word(match.group(), key(match.group()), number, match.start(),
                              match.end(), initial))
            position = match.end()
        ended = bool(_SENTENCE_END.search(text[position:] + " ")) if position else ended
    return tuple(words)


def align(raw: tuple[Word, ...], corrected: tuple[Word, ...]) -> Alignment:
    """Align two word sequences (see the module docstring)."""
    a = [word.key for word in raw]
    b = [word.key for word in corrected]
    opcodes: list[tuple[str, int, int, int, int]] = []
    previous = (0, 0)
    for i, j in _anchors(a, b) + [(len(a), len(b))]:
        if i < previous[0] or j < previous[1]:
            continue  # an anchor swallowed by the previous one's extension
        _align_gap(a, b, previous, (i, j), opcodes)
        size = 0
        while i + size < len(a) and j + size < len(b) and a[i + size] == b[j + size]:
            size += 1
        if size:
            opcodes.append(("equal", i, i + size, j, j + size))
        previous = (i + size, j + size)
    return Alignment(tuple(raw), tuple(corrected), tuple(_merge(opcodes)))


def _anchors(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """Positions of n-grams unique in both lists, longest increasing chain only."""
    def unique(seq: list[str]) -> dict[tuple[str, ...], int]:
        grams = [tuple(seq[k : k + ANCHOR]) for k in range(len(seq) - ANCHOR + 1)]
        counts = Counter(grams)
        return {gram: k for k, gram in enumerate(grams) if counts[gram] == 1}

    in_a, in_b = unique(a), unique(b)
    pairs = sorted((k, in_b[gram]) for gram, k in in_a.items() if gram in in_b)
    return _longest_chain(pairs)


def _longest_chain(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest subsequence of ``pairs`` (sorted by first item) increasing in the second."""
    tails: list[int] = []  # smallest second item ending a chain of each length
    tail_index: list[int] = []
    back: list[int] = []
    for number, (_, j) in enumerate(pairs):
        length = bisect.bisect_left(tails, j)
        if length == len(tails):
            tails.append(j)
            tail_index.append(number)
        else:
            tails[length] = j
            tail_index[length] = number
        back.append(tail_index[length - 1] if length else -1)
    chain = []
    number = tail_index[-1] if tail_index else -1
    while number >= 0:
        chain.append(pairs[number])
        number = back[number]
    return chain[::-1]


def _align_gap(a, b, start: tuple[int, int], end: tuple[int, int], out: list) -> None:
    (i1, j1), (i2, j2) = start, end
    if i1 == i2 and j1 == j2:
        return
    matcher = difflib.SequenceMatcher(None, a[i1:i2], b[j1:j2], autojunk=False)
    for tag, x1, x2, y1, y2 in matcher.get_opcodes():
        out.append((tag, i1 + x1, i1 + x2, j1 + y1, j1 + y2))


def _merge(opcodes: list[tuple[str, int, int, int, int]]) -> list[tuple[str, int, int, int, int]]:
    """Join neighbouring opcodes of the same tag (anchors cut equal runs in pieces)."""
    merged: list[tuple[str, int, int, int, int]] = []
    for op in opcodes:
        if merged and merged[-1][0] == op[0] and merged[-1][2] == op[1] and merged[-1][4] == op[3]:
            tag, i1, _, j1, _ = merged[-1]
            merged[-1] = (tag, i1, op[2], j1, op[4])
        else:
            merged.append(op)
    return merged


def changes(alignment: Alignment) -> list[Change]:
    """Every word change: case changes of aligned words (neighbours joined into a phrase),
    and replaced word runs cut as finely as their letters allow ("cold card cold card" ->
    two "coldcard"), without words only deleted or inserted at their edges."""
    raw, corrected = alignment.raw, alignment.corrected
    out: list[Change] = []
    for tag, i1, i2, j1, j2 in alignment.opcodes:
        if tag == "equal":
            run: list[int] = []
            for a in range(i1, i2):
                b = a - i1 + j1
                same = raw[a].text == corrected[b].text
                if run and (same or not (joined(raw[a - 1]) and joined(corrected[b - 1]))):
                    out.append(_case_change(run, i1, j1))
                    run = []
                if not same:
                    run.append(a)
            if run:
                out.append(_case_change(run, i1, j1))
        elif tag == "replace":
            for piece in _split_replace(raw, corrected, i1, i2, j1, j2):
                trimmed = _trim(raw, corrected, *piece)
                if trimmed:
                    out.append(Change("words", *trimmed))
    return out


def _case_change(run: list[int], i1: int, j1: int) -> Change:
    return Change("case", run[0], run[-1] + 1, run[0] - i1 + j1, run[-1] + 1 - i1 + j1)


def joined(word: Word) -> bool:
    """True when only a space or an in-word mark separates the word from the next one."""
    return word.gap is not None and bool(CLEAN_GAP.match(word.gap))


def _trim(raw, corrected, i1: int, i2: int, j1: int, j2: int) -> tuple[int, int, int, int] | None:
    """Drop edge words that are only deleted or inserted ("like typology" -> "topology" is
    "typology" -> "topology"), as long as that makes the two sides more alike."""
    def score(a1, a2, b1, b2) -> float:
        left = "".join(w.key for w in raw[a1:a2])
        right = "".join(w.key for w in corrected[b1:b2])
        return difflib.SequenceMatcher(None, left, right, autojunk=False).ratio()

    best = score(i1, i2, j1, j2)
    improved = True
    while improved:
        improved = False
        for cut in ((i1 + 1, i2, j1, j2), (i1, i2 - 1, j1, j2), (i1, i2, j1 + 1, j2),
                    (i1, i2, j1, j2 - 1)):
            if cut[1] > cut[0] and cut[3] > cut[2]:
                value = score(*cut)
                if value > best + 0.05:
                    best, (i1, i2, j1, j2), improved = value, cut, True
                    break
    return (i1, i2, j1, j2)


def _split_replace(raw, corrected, i1: int, i2: int, j1: int, j2: int) -> list[tuple[int, int, int, int]]:
    """Cut a replaced run where a word boundary on each side falls on the same letter."""
    left = [word.key for word in raw[i1:i2]]
    right = [word.key for word in corrected[j1:j2]]
    left_bounds = _bounds(left)
    right_bounds = {position: number for number, position in enumerate(_bounds(right))}
    matcher = difflib.SequenceMatcher(None, "".join(left), "".join(right), autojunk=False)
    blocks = matcher.get_matching_blocks()
    cuts = [(0, 0)]
    for number, position in enumerate(left_bounds[1:-1], start=1):
        for block in blocks:
            # A boundary inside (or at either end of) a matched stretch maps to the other side.
            if block.size and block.a <= position <= block.a + block.size:
                other = block.b + position - block.a
                if other in right_bounds and 0 < right_bounds[other] < len(right) and \
                        right_bounds[other] > cuts[-1][1]:
                    cuts.append((number, right_bounds[other]))
                    break
    cuts.append((len(left), len(right)))
    pieces = []
    for (a1, b1), (a2, b2) in zip(cuts, cuts[1:]):
        if a2 > a1 and b2 > b1:
            pieces.append((i1 + a1, i1 + a2, j1 + b1, j1 + b2))
    return pieces


def _bounds(words: list[str]) -> list[int]:
    """Letter positions where each word starts, and the end."""
    bounds = [0]
    for word in words:
        bounds.append(bounds[-1] + len(word))
    return bounds
