"""Proposed changes, their resolution, and applying them: the one place text is changed.

Every stage reads the same *stream* (the transcript's segments joined by newlines) and
proposes replacements of stream ranges. ``resolve`` picks a non-overlapping set in a fixed
order (leftmost, then longest, then priority, then rule order) and reports what lost.
``to_edits`` turns the winners into ``Edit`` records in input coordinates, one per line.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Dropped, Edit, Segment, Transcript


@dataclass(frozen=True, slots=True)
class Stream:
    """The segments' texts joined by newlines, and where each segment starts in it."""

    text: str
    starts: tuple[int, ...]
    segments: tuple[Segment, ...]

    def locate(self, position: int) -> tuple[int, int]:
        """``(segment number, offset in its text)`` of a stream position."""
        number = bisect.bisect_right(self.starts, position) - 1
        return number, position - self.starts[number]

    def segment_at(self, position: int) -> int:
        """The number of the segment holding ``position``."""
        return max(bisect.bisect_right(self.starts, position) - 1, 0)


@dataclass(frozen=True, slots=True)
class Proposal:
    """A proposed replacement of ``stream.text[start:end]`` by ``after``.

    A proposal always covers at least one character (``start < end``): to insert, replace a
    neighbouring character together with the insertion. That keeps every edit inside exactly
    one turn span, which ``restore`` relies on.
    """

    start: int
    end: int
    after: str
    rule: str
    category: str
    origin: str
    priority: int = 0
    order: int = 0
    note: str | None = None


def build_stream(transcript: Transcript) -> Stream:
    """Join the transcript's segments into the stream every stage matches against."""
    starts = []
    position = 0
    for segment in transcript.segments:
        starts.append(position)
        position += len(segment.text) + 1
    text = "\n".join(segment.text for segment in transcript.segments)
    return Stream(text=text, starts=tuple(starts), segments=transcript.segments)


def resolve(stream: Stream, proposals: list[Proposal]) -> tuple[list[Proposal], list[tuple[Proposal, Proposal]]]:
    """Choose non-overlapping proposals; return ``(kept, [(dropped, winner), ...])``.

    Order: leftmost, then longest, then higher priority, then earlier rule. A proposal
    whose text already equals its replacement still wins its place (it is the right
    reading) but is not returned as kept, since it changes nothing.
    """
    ordered = sorted(
        proposals, key=lambda p: (p.start, -(p.end - p.start), -p.priority, p.order, p.rule)
    )
    kept: list[Proposal] = []
    dropped: list[tuple[Proposal, Proposal]] = []
    winner: Proposal | None = None
    for proposal in ordered:
        if winner is not None and proposal.start < max(winner.end, winner.start + 1):
            if stream.text[proposal.start : proposal.end] != proposal.after:
                dropped.append((proposal, winner))
            continue
        winner = proposal
        if stream.text[proposal.start : proposal.end] != proposal.after:
            kept.append(proposal)
    return kept, dropped


def to_edits(stream: Stream, transcript: Transcript, kept: list[Proposal]) -> list[Edit]:
    """Turn kept proposals into per-line edits in input coordinates (sorted)."""
    edits: list[Edit] = []
    group = 0
    starts = sorted(p.start for p in kept)
    for proposal in kept:
        if proposal.end <= proposal.start:
            raise ValueError(f"empty proposal from {proposal.rule} at {proposal.start}")
        # A piece may grow over the whitespace after it, but never into the next change.
        following = bisect.bisect_right(starts, proposal.start)
        limit = starts[following] if following < len(starts) else len(stream.text)
        pieces = _split(stream, proposal, limit)
        piece_group = None
        if len(pieces) > 1:
            group += 1
            piece_group = group
        for number, start, end, after in pieces:
            segment = stream.segments[number]
            line = transcript.lines[segment.line - 1]
            col, end_col = segment.col(start), segment.end_col(end)
            edits.append(Edit(
                rule=proposal.rule, category=proposal.category, line=segment.line,
                start=col, end=end_col, before=line[col:end_col], after=after,
                origin=proposal.origin, group=piece_group, note=proposal.note,
            ))
    edits.sort(key=lambda e: (e.line, e.start, e.end))
    return edits


def dropped_records(stream: Stream,
                    dropped: list[tuple[Proposal, Proposal]]) -> list[Dropped]:
    """Describe each dropped proposal, in input coordinates, for the report."""
    records = []
    for proposal, winner in dropped:
        number, offset = stream.locate(proposal.start)
        segment = stream.segments[number]
        end_number, end_offset = stream.locate(proposal.end)
        end_col = (segment.end_col(end_offset) if end_number == number
                   else segment.end_col(len(segment.text)))
        records.append(Dropped(
            rule=proposal.rule, line=segment.line, start=segment.col(offset), end=end_col,
            before=stream.text[proposal.start : proposal.end].replace("\n", " "),
            after=proposal.after, beaten_by=winner.rule, origin=proposal.origin,
        ))
    return records


def _split(stream: Stream, proposal: Proposal, limit: int) -> list[tuple[int, int, int, str]]:
    """Cut a proposal at segment breaks: ``[(segment, start, end, after), ...]``.

    When the replacement has as many words as the matched text, the words are shared out
    line by line ("Kevin / Roos" becomes "Kevin / Roose"); otherwise the first line takes the
    whole replacement and the others give up their part ("open / AI" becomes "OpenAI / ").
    A part given up takes the whitespace after it along, up to stream position ``limit``
    (where the next kept proposal starts), so edits never overlap.
    """
    first, first_offset = stream.locate(proposal.start)
    last, last_offset = stream.locate(proposal.end)
    if proposal.end > proposal.start and last_offset == 0 and last > first:
        last, last_offset = last - 1, len(stream.segments[last - 1].text)
    if first == last:
        return [(first, first_offset, last_offset, proposal.after)]
    ranges = []
    for number in range(first, last + 1):
        text = stream.segments[number].text
        start = first_offset if number == first else 0
        end = last_offset if number == last else len(text)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end or number == first:
            ranges.append((number, start, end))
    words = proposal.after.split()
    counts = [len(stream.segments[n].text[s:e].split()) for n, s, e in ranges]
    pieces = []
    if words and sum(counts) == len(words):
        position = 0
        for (number, start, end), count in zip(ranges, counts):
            pieces.append((number, start, end, " ".join(words[position : position + count])))
            position += count
    else:
        for index, (number, start, end) in enumerate(ranges):
            if index == 0:
                pieces.append((number, start, end, proposal.after))
                continue
            # A part given up entirely takes the space after it along, so no line starts
            # with a stray blank.
            text = stream.segments[number].text
            room = limit - stream.starts[number]
            while start == 0 and end < min(len(text), room) and text[end].isspace():
                end += 1
            pieces.append((number, start, end, ""))
    return pieces


def apply_to_text(text: str, changes: list[tuple[int, int, str]]) -> str:
    """Apply sorted, non-overlapping ``(start, end, after)`` changes to ``text``."""
    out = []
    position = 0
    for start, end, after in changes:
        out.append(text[position:start])
        out.append(after)
        position = end
    out.append(text[position:])
    return "".join(out)


def edits_by_line(edits: list[Edit]) -> dict[int, list[Edit]]:
    """Edits grouped by input line, each list sorted by column."""
    grouped: dict[int, list[Edit]] = {}
    for edit in edits:
        grouped.setdefault(edit.line, []).append(edit)
    for items in grouped.values():
        items.sort(key=lambda e: (e.start, e.end))
    return grouped


def edits_within(line_edits: Sequence[Edit], start: int, end: int) -> list[Edit]:
    """The edits of one line (sorted by column, as ``edits_by_line`` gives them) that lie
    inside columns ``[start, end)``; a binary search, so long one-line inputs (JSON) stay linear."""
    inside = []
    for index in range(bisect.bisect_left(line_edits, start, key=lambda edit: edit.start),
                       len(line_edits)):
        edit = line_edits[index]
        if edit.start > end:
            break
        if edit.end <= end:
            inside.append(edit)
    return inside


def corrected_segments(transcript: Transcript, edits: list[Edit]) -> list[str]:
    """The text of every segment with the edits applied (decoded, for reading)."""
    grouped = edits_by_line(edits)
    texts = []
    for segment in transcript.segments:
        line_edits = edits_within(grouped.get(segment.line, ()), segment.start, segment.end)
        if not line_edits:
            texts.append(segment.text)
            continue
        changes = [(text_offset(segment, e.start), text_offset(segment, e.end), e.after)
                   for e in line_edits]
        texts.append(apply_to_text(segment.text, changes))
    return texts


def span_text(line: str, start: int, end: int, line_edits: list[Edit]) -> str:
    """``line[start:end]`` with the edits inside it applied, in the input's notation."""
    changes = [(e.start - start, e.end - start, e.after)
               for e in edits_within(line_edits, start, end)]
    return apply_to_text(line[start:end], changes)


def text_offset(segment: Segment, col: int) -> int:
    """Offset in ``segment.text`` of input column ``col`` (inverse of ``Segment.col``)."""
    if segment.colmap is None:
        return col - segment.start
    # The first character whose column starts at or after ``col`` (columns only grow).
    return bisect.bisect_left(segment.colmap, col, key=lambda cols: cols[0])
