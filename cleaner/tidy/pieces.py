"""The corrected text of turn spans, per segment, whatever built the turns.

Turns only promise spans ``(line, start, end)`` that tile the transcript text. Later passes
and writers need the corrected text behind each span together with the segment it came from
(for its timestamps), and sometimes where each character of that text came from.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..edits import edits_within, text_offset
from .joining import join_texts
from ..model import Edit, Segment, Transcript, Turn


@dataclass(frozen=True, slots=True)
class Piece:
    """The part of one segment inside one turn span, with the edits applied.

    ``start``/``end`` are offsets in the segment's original text. ``origins[i]`` is the
    original offset ``text[i]`` was copied from, or None when an edit wrote it; ``origins``
    itself is None when no edit touches the piece (``text`` is then a plain copy).
    """

    segment: int
    start: int
    end: int
    text: str
    origins: tuple[int | None, ...] | None = None

    def origin(self, index: int) -> int | None:
        """The original offset of ``text[index]``, None when an edit wrote it."""
        return self.start + index if self.origins is None else self.origins[index]


def segments_by_line(transcript: Transcript) -> dict[int, list[int]]:
    """The numbers of the segments on each input line."""
    lines: dict[int, list[int]] = {}
    for number, segment in enumerate(transcript.segments):
        lines.setdefault(segment.line, []).append(number)
    return lines


def turn_pieces(transcript: Transcript, turn: Turn, edits: Mapping[int, Sequence[Edit]],
                lines: Mapping[int, Sequence[int]]) -> list[Piece]:
    """The pieces of a turn in order; ``edits`` grouped by line, ``lines`` from
    ``segments_by_line``."""
    pieces = []
    segments = transcript.segments
    for line, start, end in turn.spans:
        numbers = lines.get(line, ())
        # Segments on a line are in column order: skip to the first one ending after
        # ``start`` (a one-line JSON file holds every segment on one line).
        first = bisect.bisect_right(numbers, start, key=lambda number: segments[number].end)
        for index in range(first, len(numbers)):
            number = numbers[index]
            segment = segments[number]
            if segment.start >= end:
                break
            low, high = max(start, segment.start), min(end, segment.end)
            if low < high:
                pieces.append(_piece(number, segment, low, high,
                                     edits_within(edits.get(line, ()), low, high)))
    return pieces


def _piece(number: int, segment: Segment, low: int, high: int,
           line_edits: Sequence[Edit]) -> Piece:
    """The piece of ``segment`` in columns ``[low, high)``; ``line_edits`` lie inside them."""
    text = segment.text
    if not line_edits:
        if low == segment.start and high == segment.end:
            return Piece(number, 0, len(text), text)
        first, last = text_offset(segment, low), text_offset(segment, high)
        return Piece(number, first, last, text[first:last])
    first, last = text_offset(segment, low), text_offset(segment, high)
    out: list[str] = []
    origins: list[int | None] = []
    position = first
    for edit in line_edits:
        start, end = text_offset(segment, edit.start), text_offset(segment, edit.end)
        out.append(text[position:start])
        out.append(edit.after)
        origins.extend(range(position, start))
        origins.extend([None] * len(edit.after))
        position = end
    out.append(text[position:last])
    origins.extend(range(position, last))
    return Piece(number, first, last, "".join(out), tuple(origins))


def joined(pieces: Sequence[Piece]) -> str:
    """The pieces' texts as one readable text: stripped, one space apart."""
    return join_texts(p.text.strip() for p in pieces)
