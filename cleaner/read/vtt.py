"""WebVTT: cues with timings; a ``<v Name>`` voice span becomes a speaker hint.

Other markup (``<i>``, ``<c.x>``, inline timestamps) is dropped from the text, and entities
are decoded, with a column map so edits still point at the input.

Captions as YouTube and other caption services publish them are read too:

- **Roll-up (karaoke) cues**: ``good<00:00:02.429><c> evening</c>`` gives the words and the
  time each word starts (``Segment.word_times``; a cue's first word starts with the cue),
  and a cue that repeats the previous cue's lines (the line rolling up the screen) is read
  once: a repeated line stays in the input, outside every segment, so ``restore`` still
  rebuilds the file byte for byte. A line that repeats the previous cue's last line and goes
  on ("good evening" then "good evening from the") gives only its new words. This is done
  only when the file is roll-up style (karaoke time tags, or most cues opening with the
  previous cue's last line): elsewhere "Yeah." said twice is speech.
- Cue settings (``align:start position:0%``), the header (``Kind:``, ``Language:``), and
  ``NOTE``, ``STYLE`` and ``REGION`` blocks are not text. A line holding only a space is cue
  text (YouTube pads cues with one); only an empty line ends a cue, or a line that opens the
  next cue.
- Damage is read around, never a traceback, never lost words: a cue whose timing is broken
  is read without times, text outside any cue is read as a cue without times, cues out of
  order or overlapping are kept in file order with their times, and an empty cue has nothing
  to read. What was met is said once, in ``Transcript.notes``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace

import regex

from ..errors import CleanerError
from ..model import Segment, Transcript
from .labels import split_label
from .lines import mapped_segment, strip_bounds
from .timing import damage_notes, parse_timing

_VOICE = regex.compile(r"<v(?:\.[\w.-]+)?[ \t]+([^>]+)>")
_BLOCKS = ("NOTE", "STYLE", "REGION")
_STAMP_TAG = regex.compile(r"<(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})>")
_TAG_OR_ENTITY = regex.compile(r"<[^<>\n]*>|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")
_TAG = regex.compile(r"<[^<>\n]*>")
ROLL_UP_SHARE = 0.4  # this share of cues opening with the previous cue's last line: roll-up


@dataclass
class _Cue:
    timing_line: int | None  # 0-based line of the timing, None for text outside any cue
    lines: list[int]  # 0-based text lines
    start: float | None
    end: float | None


def parse(lines: list[str], newlines: list[str], path: str | None = None) -> Transcript:
    """Read WebVTT cues; the header and NOTE/STYLE/REGION blocks are not transcript text."""
    if not lines or not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
        raise CleanerError("a WebVTT file must start with 'WEBVTT'", path, 1)
    cues, problems = _cues(lines, path)
    texts = [[_normal(lines[n]) for n in cue.lines] for cue in cues]
    roll_up = _roll_up(lines, cues, texts)
    segments: list[Segment] = []
    previous: list[str] = []
    for cue, cue_texts in zip(cues, texts):
        speaker: dict = {}
        for number, text in zip(cue.lines, cue_texts):
            line = lines[number]
            voice = _VOICE.search(line)
            if voice:
                speaker = split_label(voice.group(1))
            if not text:
                continue
            skip_words = 0
            if roll_up and text in previous:
                continue  # the line rolling up: read once, in the cue that brought it
            if roll_up and previous and previous[-1] and text.startswith(previous[-1] + " "):
                skip_words = len(previous[-1].split())
            segment = _segment(len(segments), number + 1, line, skip_words, cue.start,
                               start_time=cue.start, end_time=cue.end, **speaker)
            if segment is not None:
                segments.append(segment)
        if any(cue_texts):
            previous = [text for text in cue_texts if text]
    return Transcript(lines=tuple(lines), newlines=tuple(newlines), segments=tuple(segments),
                      format="vtt", path=path, notes=damage_notes(problems))


def _cues(lines: list[str], path: str | None) -> tuple[list[_Cue], dict[str, list[int]]]:
    """Every cue in file order, and the problems met: ``{kind: [1-based lines]}``."""
    problems: dict[str, list[int]] = {}
    cues: list[_Cue] = []
    number = _skip_block(lines, 0)
    last_start = last_end = None
    while number < len(lines):
        line = lines[number]
        if not line.strip():
            number += 1
            continue
        if line.split(" ", 1)[0].split("\t", 1)[0].strip() in _BLOCKS:
            number = _skip_block(lines, number)
            continue
        if "-->" not in line:
            if number + 1 < len(lines) and "-->" in lines[number + 1]:
                number += 1  # a cue identifier
            else:  # text with no timing line: read it, without times
                text_lines, number = _text_lines(lines, number)
                problems.setdefault("orphan", []).append(text_lines[0] + 1)
                cues.append(_Cue(None, text_lines, None, None))
                continue
        timing = number
        try:
            start, end = parse_timing(lines[timing], path, timing + 1)
        except CleanerError:
            problems.setdefault("timing", []).append(timing + 1)
            start = end = None
        text_lines, number = _text_lines(lines, timing + 1)
        if not any(lines[n].strip() for n in text_lines):
            problems.setdefault("empty", []).append(timing + 1)
        if start is not None:
            if last_start is not None and start < last_start:
                problems.setdefault("order", []).append(timing + 1)
            elif last_end is not None and start < last_end - 0.0005:
                problems.setdefault("overlap", []).append(timing + 1)
            last_start, last_end = start, end
        cues.append(_Cue(timing, text_lines, start, end))
    return cues, problems


def _text_lines(lines: list[str], number: int) -> tuple[list[int], int]:
    """The cue text lines from ``number``, and the line after them.

    Only an empty line ends a cue (a line of one space is YouTube's padding), or a line that
    opens the next cue: a timing line, or a line before one.
    """
    out = []
    while number < len(lines) and lines[number] != "" and "-->" not in lines[number]:
        if not lines[number].strip() and number + 1 < len(lines) and (
                "-->" in lines[number + 1]
                or (number + 2 < len(lines) and "-->" in lines[number + 2])):
            break
        if number + 1 < len(lines) and "-->" in lines[number + 1] and out:
            break  # an identifier of the next cue, with no blank line before it
        out.append(number)
        number += 1
    return out, number


def _normal(line: str) -> str:
    """A cue line's words without markup, single-spaced and case-folded (for comparing)."""
    return " ".join(html.unescape(_TAG.sub("", line)).split()).casefold()


def _roll_up(lines: list[str], cues: list[_Cue], texts: list[list[str]]) -> bool:
    """True when the file is roll-up captions: karaoke time tags, or cues that mostly open
    with the previous cue's last line."""
    if any(_STAMP_TAG.search(lines[n]) for cue in cues for n in cue.lines):
        return True
    pairs = repeats = 0
    previous: list[str] = []
    for cue_texts in texts:
        current = [t for t in cue_texts if t]
        if current and previous:
            pairs += 1
            repeats += current[0] == previous[-1] or current[0].startswith(previous[-1] + " ")
        if current:
            previous = current
    return pairs >= 2 and repeats >= ROLL_UP_SHARE * pairs


def _segment(index: int, line_no: int, line: str, skip_words: int, cue_start: float | None,
             **extra) -> Segment | None:
    """The segment of one cue line: markup dropped, entities decoded, the first
    ``skip_words`` words (already read in the previous cue) left out, word times kept."""
    chars: list[str] = []
    cols: list[tuple[int, int]] = []
    stamps: list[tuple[int, float]] = []  # (index in chars, time) of each karaoke tag
    pos = 0
    for match in _TAG_OR_ENTITY.finditer(line):
        for offset in range(pos, match.start()):
            chars.append(line[offset])
            cols.append((offset, offset + 1))
        tag = match.group()
        stamp = _STAMP_TAG.fullmatch(tag)
        if stamp:
            h, m, s, ms = stamp.groups()
            stamps.append((len(chars), int(h or 0) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000))
        decoded = html.unescape(tag) if tag.startswith("&") else ""
        if len(decoded) == 1:
            chars.append(decoded)
            cols.append((match.start(), match.end()))
        elif decoded:  # kept as written (see lines.markup_segment)
            for offset in range(match.start(), match.end()):
                chars.append(line[offset])
                cols.append((offset, offset + 1))
        pos = match.end()
    for offset in range(pos, len(line)):
        chars.append(line[offset])
        cols.append((offset, offset + 1))
    lo, hi = strip_bounds(chars)
    if skip_words:
        words = regex.finditer(r"\S+", "".join(chars[lo:hi]))
        for count, word in enumerate(words, start=1):
            if count == skip_words:
                lo += word.end()
                break
        lo += strip_bounds(chars[lo:hi])[0]
    if lo >= hi:
        return None
    text = "".join(chars[lo:hi])
    times = _word_times(text, lo, stamps, cue_start if not skip_words else None)
    segment = mapped_segment(index, line_no, text, tuple(cols[lo:hi]), **extra)
    if times:
        segment = replace(segment, word_times=times)
    return segment


def _word_times(text: str, lo: int, stamps: list[tuple[int, float]],
                first: float | None) -> tuple[tuple[int, float], ...]:
    """``(offset, start time)`` of each word a karaoke tag times (the first word: the cue's
    start, when the line opens the cue's new words)."""
    if not stamps:
        return ()
    out = []
    previous_start = -1
    stamp = 0
    for word in regex.finditer(r"\S+", text):
        start = word.start() + lo
        time = None
        while stamp < len(stamps) and stamps[stamp][0] <= start:
            if stamps[stamp][0] > previous_start:
                time = stamps[stamp][1]
            stamp += 1
        if time is None and not out and first is not None:
            time = first
        if time is not None:
            out.append((word.start(), time))
        previous_start = start
    return tuple(out)


def _skip_block(lines: list[str], number: int) -> int:
    while number < len(lines) and lines[number].strip():
        number += 1
    return number
