"""Segment: rebuild sentences across ASR line breaks.

A *unit* is one sentence (or what the ASR left of one). Units are found in the corrected
text, so a fixed "Chachi P.T." no longer looks like two sentence ends, but each unit records
its pieces in original segment offsets, so speaker turns built from units still tile the
input exactly. Units tile every segment: the space after a sentence belongs to it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import regex

from ..edits import edits_by_line, edits_within, text_offset
from ..tidy.joining import join_texts
from ..model import Edit, Transcript

# End marks, then closing quotes or brackets; a sentence ends there if whitespace follows.
_END = regex.compile(r"(?:[.!?…]+|(?<=\s)-{1,2}|—)[\"'”’)\]]*(?=\s|$)")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "vs", "etc", "e.g", "i.e", "jr", "sr", "prof", "inc", "ltd",
    "co", "mt", "no", "vol", "u.s", "u.k", "u.n", "a.m", "p.m", "approx", "gov", "sen", "rep",
}
TITLE_END = regex.compile(r"(?i)(?<![\p{L}.])(?:mr|mrs|ms|dr|st|sen|gov|rep|prof|gen|sgt|capt|rev|hon|messrs)\.\s*$")
_WORD_END = regex.compile(r"([\w.]+)$")
_DIGIT, _DIGIT_END = regex.compile(r"\d"), regex.compile(r"\d$")
_LINE_END = regex.compile(r"(?:[.!?…]|\.\.\.|[-—])[\"'”’)\]]*\s*$")


@dataclass(frozen=True, slots=True)
class Piece:
    """Part of a unit inside one segment: original offsets and the corrected text."""

    segment: int
    start: int  # offset in the segment's original text
    end: int
    text: str  # corrected text of this piece


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence rebuilt across line breaks."""

    index: int
    pieces: tuple[Piece, ...]

    @property
    def text(self) -> str:
        """The corrected sentence, pieces joined by single spaces."""
        return join_texts(p.text.strip() for p in self.pieces)

    @property
    def first_segment(self) -> int:
        """The segment where the unit starts."""
        return self.pieces[0].segment

    @property
    def starts_segment(self) -> bool:
        """True when the unit begins at the start of an input segment."""
        return self.pieces[0].start == 0


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence end inside ``text`` (not counting its very end).

    The offset returned is where the next sentence begins (after the whitespace). Each end
    looks only at the word before it and the whitespace after it, so one long line costs
    time in proportion to its length.
    """
    ends = []
    for match in _END.finditer(text):
        after = match.end()
        following = after
        while following < len(text) and text[following].isspace():
            following += 1
        if following == len(text):
            continue
        if match.group().startswith(".") and len(match.group().rstrip("\"'”’)]")) == 1:
            word = _at_end(_WORD_END, text, match.start())
            token = word.group(1).casefold() if word else ""
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
            if _DIGIT.match(text, following) and _at_end(_DIGIT_END, text, match.start()):
                continue
        if text[following].islower():
            continue
        ends.append(following)
    return ends


def _at_end(pattern: regex.Pattern, text: str, end: int, window: int = 64):
    """``pattern.search(text[:end])`` for a pattern anchored at the end (``...$``), reading a
    window before ``end`` that doubles while the match fills it, not the whole prefix."""
    while True:
        start = max(0, end - window)
        match = pattern.search(text, start, end)
        if match is None or match.start() > start or start == 0:
            return match
        window *= 2


def ends_sentence(text: str) -> bool:
    """True when a segment's text ends a sentence (end mark, ellipsis or a cut-off dash).

    A title before a name ("Thank you, Mr." / "Perot.") does not end one.
    """
    return bool(_LINE_END.search(text)) and not TITLE_END.search(text)


def build_units(transcript: Transcript, corrected: list[str], edits: list[Edit],
                cuts: Mapping[int, Iterable[int]] | None = None) -> list[Unit]:
    """Sentences of the corrected transcript, each with its pieces in original offsets.

    ``cuts`` adds unit ends: ``{segment number: [offsets in its original text]}`` (an
    editor's split of a line between two speakers). A cut inside an edit moves to the
    edit's end, so an edit never straddles two units.
    """
    maps = _offset_maps(transcript, edits)
    units: list[Unit] = []
    pieces: list[Piece] = []
    for number, (segment, text) in enumerate(zip(transcript.segments, corrected)):
        to_original = maps.get(number)
        extra = [_corrected_offset(offset, text, to_original) for offset in (cuts or {}).get(number, ())]
        inner = sorted({c for c in sentence_ends(text) + extra if 0 < c < len(text)})
        cuts_here = [0] + inner + [len(text)]
        for index in range(len(cuts_here) - 1):
            a, b = cuts_here[index], cuts_here[index + 1]
            start = to_original(a) if to_original else a
            end = to_original(b) if to_original else b
            if index == len(cuts_here) - 2:
                end = len(segment.text)
            if index == 0:
                start = 0
            pieces.append(Piece(number, start, end, text[a:b]))
            is_last = index == len(cuts_here) - 2
            if not is_last or ends_sentence(text) or number == len(corrected) - 1:
                units.append(Unit(len(units), tuple(pieces)))
                pieces = []
    if pieces:
        units.append(Unit(len(units), tuple(pieces)))
    return units


def _corrected_offset(offset: int, text: str, to_original) -> int:
    """The first corrected offset whose original offset is at or after ``offset``."""
    if to_original is None:
        return min(max(offset, 0), len(text))
    # to_original never decreases, so a binary search finds it.
    return bisect.bisect_left(range(len(text) + 1), offset, key=to_original)


def _offset_maps(transcript: Transcript, edits: list[Edit]):
    """For segments with edits, a function from corrected offset to original offset."""
    by_line = edits_by_line(edits)
    maps = {}
    for number, segment in enumerate(transcript.segments):
        inside = edits_within(by_line.get(segment.line, ()), segment.start, segment.end)
        if not inside:
            continue
        # (corrected start, corrected end, original start, original end) of each edit
        spans = []
        shift = 0
        for edit in inside:
            o_start, o_end = text_offset(segment, edit.start), text_offset(segment, edit.end)
            c_start = o_start + shift
            shift += len(edit.after) - (o_end - o_start)
            spans.append((c_start, c_start + len(edit.after), o_start, o_end))
        maps[number] = _mapper(spans)
    return maps


def _mapper(spans):
    """``spans`` are in order and do not overlap, so only the last one starting at or before
    an offset matters (found by binary search: a long line with many edits stays linear)."""
    starts = [span[0] for span in spans]

    def to_original(offset: int) -> int:
        index = bisect.bisect_right(starts, offset) - 1
        if index < 0:
            return offset
        _, c_end, _, o_end = spans[index]
        return o_end if offset < c_end else offset + o_end - c_end

    return to_original
