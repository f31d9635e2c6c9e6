"""Reflow for publication: speaker blocks of paragraphs, and timed cues for subtitles.

Writers never look at segments or turns directly; they print one of two views of a result:

- ``blocks``: consecutive turns with the same speaker (None included) form one block; its
  text is cut into sentences across the ASR line breaks and the sentences into paragraphs of
  about ``PARAGRAPH_WORDS`` words, so a long answer reads as several paragraphs;
- ``cues``: one cue per piece of an ASR segment inside a block, with the segment's times
  (shared out by length when speakers split a segment), long pieces cut into cues of at most
  ``CUE_CHARS`` characters. Without any times in the input, times are estimated from word
  counts, and ``timed`` says so.

Both work on whatever turns the result holds, so they need no change when turns come from
speaker attribution instead of one turn per segment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..edits import edits_by_line
from ..tidy.joining import join_texts, separator
from ..model import Result, Turn
from ..segment.units import ends_sentence, sentence_ends
from ..tidy.pieces import segments_by_line, turn_pieces

PARAGRAPH_WORDS = 90  # a paragraph closes at the first sentence end after this many words
SHORT_TAIL = 25  # a last paragraph shorter than this joins the one before
CUE_CHARS = 84  # two subtitle lines of 42 characters
LINE_CHARS = 42
WORDS_PER_SECOND = 2.5  # for estimated times (150 words a minute)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A run of sentences of one speaker, with the times of the segments it came from."""

    text: str
    start_time: float | None = None
    end_time: float | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """What one speaker says before another speaks: paragraphs, times, and doubts."""

    speaker: str | None
    role: str | None
    paragraphs: tuple[Paragraph, ...]
    start_time: float | None = None
    end_time: float | None = None
    review: bool = False
    confidence: float | None = None  # the lowest of its turns' speaker confidences

    @property
    def text(self) -> str:
        """All paragraphs as one text."""
        return join_texts(p.text for p in self.paragraphs)


@dataclass(frozen=True, slots=True)
class Cue:
    """One subtitle: who speaks, the text, and when (seconds)."""

    speaker: str | None
    text: str
    start_time: float
    end_time: float


@dataclass(frozen=True, slots=True)
class _Part:
    """A non-empty piece of a block with the times of its segment."""

    text: str
    segment: int
    start_time: float | None
    end_time: float | None


def blocks(result: Result) -> list[Block]:
    """The result's turns as speaker blocks of paragraphs."""
    out = []
    for group, parts in _grouped_parts(result):
        if not parts:
            continue
        paragraphs = tuple(_paragraphs(parts))
        first = group[0]
        out.append(Block(
            speaker=first.speaker, role=first.role, paragraphs=paragraphs,
            start_time=paragraphs[0].start_time, end_time=paragraphs[-1].end_time,
            review=any(turn.review for turn in group),
            confidence=min((t.confidence for t in group if t.confidence is not None), default=None),
        ))
    return out


def has_speakers(items) -> bool:
    """True when any block or cue names a speaker."""
    return any(item.speaker for item in items)


def cues(result: Result, labelled: bool = False) -> tuple[list[Cue], bool]:
    """The result as subtitle cues, and whether the times came from the input.

    A segment split between turns gives each piece a share of its time by length.
    ``labelled``: the cue text will open with ``Name: `` (SRT), which takes its room in the
    two lines of ``LINE_CHARS``.
    """
    grouped = _grouped_parts(result)
    shares: dict[int, int] = {}
    for _, parts in grouped:
        for part in parts:
            shares[part.segment] = shares.get(part.segment, 0) + len(part.text)
    timed = any(segment.start_time is not None for segment in result.transcript.segments)
    used: dict[int, int] = {}
    clock = 0.0
    out: list[Cue] = []
    for group, parts in grouped:
        speaker = group[0].speaker if group else None
        for part in parts:
            start, end = part.start_time, part.end_time
            if timed and start is not None and end is not None:
                total = shares[part.segment] or 1
                before = used.get(part.segment, 0)
                used[part.segment] = before + len(part.text)
                start, end = (start + (end - start) * before / total,
                              start + (end - start) * (before + len(part.text)) / total)
            else:
                start = clock
                end = start + max(len(part.text.split()) / WORDS_PER_SECOND, 1.0)
            clock = max(clock, end)
            prefix = len(f"{speaker}: ") if labelled and speaker else 0
            out.extend(_split_cue(speaker, part.text, start, end, min(prefix, LINE_CHARS // 2)))
    return out, timed


def wrap(text: str, width: int = LINE_CHARS) -> list[str]:
    """A cue's text as at most two lines of at most ``width`` characters where the words
    allow, balanced: the break that makes the longer line shortest."""
    if len(text) <= width:
        return [text]
    spaces = [i for i, char in enumerate(text) if char == " "]
    if not spaces:
        return [text]
    cut = min(spaces, key=lambda i: (max(i, len(text) - i - 1), abs(2 * i - len(text))))
    return [text[:cut], text[cut + 1 :]]


def clock_time(seconds: float, separator: str = ",") -> str:
    """``HH:MM:SS,mmm`` (SRT) or, with ``separator="."``, WebVTT's ``HH:MM:SS.mmm``."""
    millis = max(round(seconds * 1000), 0)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def short_time(seconds: float) -> str:
    """``M:SS`` or ``H:MM:SS`` for showing a paragraph's start to a reader."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


# Runs of ordinary whitespace become one space; other spaces (a no-break space before "?"
# in French, a thin space) stay as written, as the spacing pass leaves them, so that
# cleaning the output again changes nothing.
_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")


def _grouped_parts(result: Result) -> list[tuple[list[Turn], list[_Part]]]:
    """Turns grouped into blocks, each with its non-empty pieces in order."""
    transcript = result.transcript
    by_line = edits_by_line(list(result.edits))
    lines = segments_by_line(transcript)
    groups: list[tuple[list[Turn], list[_Part]]] = []
    for turn in result.turns:
        if not groups or groups[-1][0][-1].speaker != turn.speaker:
            groups.append(([], []))
        groups[-1][0].append(turn)
        for piece in turn_pieces(transcript, turn, by_line, lines):
            text = _ASCII_SPACE.sub(" ", piece.text).strip(" ")
            if text:
                segment = transcript.segments[piece.segment]
                groups[-1][1].append(_Part(text, piece.segment, segment.start_time,
                                           segment.end_time))
    return groups


def _paragraphs(parts: list[_Part]) -> list[Paragraph]:
    """Sentences of a block's text packed into paragraphs."""
    text = join_texts(part.text for part in parts)
    offsets = []  # where each part starts in ``text``
    ends = []  # where each sentence after the first starts in ``text``
    position = 0
    for number, part in enumerate(parts):
        offsets.append(position)
        # Sentence ends are looked for part by part (short texts), and where a part ends.
        ends.extend(position + end for end in sentence_ends(part.text))
        position += len(part.text)
        if number + 1 < len(parts):
            position += len(separator(part.text, parts[number + 1].text))
        if ends_sentence(part.text) and position < len(text):
            ends.append(position)
    cuts = [0, *ends, len(text)]
    groups: list[list[int]] = [[0, 0, 0]]  # [start, end, words]
    for start, end in zip(cuts, cuts[1:]):
        if groups[-1][2] >= PARAGRAPH_WORDS:
            groups.append([start, start, 0])
        groups[-1][1] = end
        groups[-1][2] += len(text[start:end].split())
    if len(groups) > 1 and groups[-1][2] < SHORT_TAIL:
        tail = groups.pop()
        groups[-1][1], groups[-1][2] = tail[1], groups[-1][2] + tail[2]
    paragraphs = []
    for start, end, _ in groups:
        inside = [part for part, offset in zip(parts, offsets)
                  if offset < end and offset + len(part.text) > start]
        starts = [p.start_time for p in inside if p.start_time is not None]
        ends = [p.end_time for p in inside if p.end_time is not None]
        paragraphs.append(Paragraph(text[start:end].strip(), starts[0] if starts else None,
                                    ends[-1] if ends else None))
    return paragraphs


def _split_cue(speaker: str | None, text: str, start: float, end: float,
               prefix: int = 0) -> list[Cue]:
    """A piece as one cue, or as several of at most ``CUE_CHARS`` characters that each wrap
    into two lines of at most ``LINE_CHARS`` (``prefix``: characters a ``Name: `` label
    adds to the first line), with time shared by length."""
    room = CUE_CHARS - prefix

    def fits(chunk: str) -> bool:
        return max(len(line) for line in wrap(" " * prefix + chunk)) <= LINE_CHARS

    if len(text) <= room and fits(text):
        return [Cue(speaker, text, start, end)]
    words = text.split(" ")
    first = max(-(-len(text) // room), 2)  # as few cues as fit, of about equal length
    for count in range(first, first + 4):
        chunks = _chunks(words, len(text) / count, count)
        if all(fits(chunk) for chunk in chunks):
            break
    out = []
    total = sum(len(chunk) for chunk in chunks)
    done = 0
    for chunk in chunks:
        a = start + (end - start) * done / total
        done += len(chunk)
        out.append(Cue(speaker, chunk, a, start + (end - start) * done / total))
    return out


def _chunks(words: list[str], target: float, count: int) -> list[str]:
    """Words packed into at most ``count`` runs of about ``target`` characters."""
    chunks: list[str] = []
    current: list[str] = []
    for word in words:
        if current and len(" ".join(current + [word])) > target and len(chunks) < count - 1:
            chunks.append(" ".join(current))
            current = []
        current.append(word)
    chunks.append(" ".join(current))
    return chunks


__all__ = ["Block", "Cue", "Paragraph", "blocks", "clock_time", "cues", "has_speakers",
           "short_time", "wrap"]
