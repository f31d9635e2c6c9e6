"""Hallucination and repetition loops: text Whisper repeats when it loses the audio.

Four detectors, each conservative on its own, because real speech must never be taken for a
loop (human transcripts must come out with nothing removed):

- ``repeat``: the same sentence (or a cycle of two or three sentences) three or more times
  in a row, across line breaks. A leading "and", "but", "so" or "or" is ignored when
  comparing, and so are sentences that hold nothing but a filler. Every copy goes: when the
  model is stuck, the first copy is no more trustworthy than the rest.
- ``phrase``: a run of words repeated four or more times in a row, sentence breaks or not
  ("we went to the store we went to the store we went to ..."); three times is still
  rhetoric ("and then the next one and then the next one and then the next one"). The first
  copy stays, since it usually is the speech the model got stuck on.
- ``compression``: Whisper rejects a decoding whose zlib compression ratio exceeds 2.4.
  Windows of about 400 characters above that ratio that the detectors above did not explain
  lose the sentences repeated three or more times inside them; when nothing repeats, the
  window is only flagged.
- ``stock``: lines that are nothing but a phrase the model learned from subtitled video
  ("Subtitles by the Amara.org community", "Thanks for watching!"). Credit lines go
  anywhere; viewer phrases only at the start or end of the transcript, or cut off from their
  neighbours by silence.
"""

from __future__ import annotations

import bisect
import zlib
from collections import Counter
from itertools import accumulate
from dataclasses import dataclass

import regex

from ..edits import Stream
from ..model import Transcript
from .words import FILLERS, Words, sentence_breaks

MIN_COPIES = 3
LINE_FREE_COPIES = 4  # copies that count as a loop even when they share lines (see _stuck)
MIN_CYCLE_WORDS = 4  # a shorter sentence ("Yeah.", "Thank you.") must repeat SHORT_COPIES times
SHORT_COPIES = 8
MAX_CYCLE = 3  # sentences per repeated cycle
PHRASE_MIN_COPIES = 4  # people do say "and then the next one" three times over
PHRASE_MIN_WORDS = 15  # words covered by a repeated phrase, all copies together: a phrase
# of three words must come five times ("one word beep, one word beep, ..." four times is
# speech in the meetings of shared/corpus)
PHRASE_MAX_PERIOD = 30
COMPRESSION_LIMIT = 2.4  # Whisper's own threshold
WINDOW_CHARS = 400
NEAR_WORDS = 100  # a triple repeated within this many words counts as repeating nearby
WORTH_COMPRESSING = 0.2  # share of such words that makes a window worth compressing
REPEAT_MIN_WORDS = 3  # shortest sentence a compressed window may lose as a repeat
EDGE_LINES = 2  # how close to the start or end a viewer phrase must stand
SILENCE = 2.0  # seconds of gap on both sides that isolate a line

_LINKS = frozenset({"and", "but", "so", "or"})
_NORMAL = regex.compile(r"[^\p{L}\p{N}]+")
_SENTENCE_END = regex.compile(r"[.!?…]")
_CREDITS = regex.compile(
    r"(?:english |closed )?(?:subtitles|subtitle|subtitling|captions|captioning|"
    r"transcription|transcript|translation)(?: (?:created|provided|made|done|edited))? by "
    r"(?:\w+ ){0,6}\w+"
)
# Anywhere in a line (searched, not ``.*amara org.*`` matched: that backtracks over a long line).
_AMARA = regex.compile(r"\bamara org\b")
_STOCK_WORDS = ("by", "amara", "watching", "subscribe")  # one of these is in every stock line
_VIEWER = regex.compile(
    r"(?:(?:thanks|thank you)(?: (?:so|very))?(?: much)?(?: (?:all|everyone|guys))? for watching"
    r"(?: (?:and|please) .{0,40})?"
    r"|(?:please |and )?(?:don t forget to )?(?:like (?:comment |share )?and )?subscribe"
    r"(?: to (?:my|our|the) channel)?(?: .{0,30})?)"
)


@dataclass(frozen=True, slots=True)
class Loop:
    """A stretch of repeated or stock text: what found it, why, and the stream ranges it covers.

    ``ranges`` are the stream ranges removed when loops are removed (empty when the loop can
    only be flagged). ``column`` is the 1-based input column where it starts on
    ``first_line`` and ``end_column`` where it ends on ``last_line`` (just past it);
    ``count`` the number of copies, when it repeats.
    """

    detector: str
    reason: str
    text: str
    first_line: int
    last_line: int
    ranges: tuple[tuple[int, int], ...]
    column: int = 1
    count: int | None = None
    end_column: int | None = None

    def to_dict(self, removed: bool) -> dict:
        """The finding as recorded in ``Result.options["loops"]``."""
        return {"rule": "tidy.lead-in" if self.detector == "lead-in" else "tidy.loop",
                "line": self.first_line, "end_line": self.last_line,
                "col": self.column, "end_col": self.end_column,
                "detector": self.detector, "reason": self.reason,
                "text": self.text, "count": self.count, "removed": removed and bool(self.ranges)}


@dataclass(frozen=True, slots=True)
class _Unit:
    """A sentence inside one segment: where it is and the words it is compared by."""

    segment: int
    start: int
    end: int
    key: str
    words: int


def find_loops(stream: Stream, transcript: Transcript, words: Words | None = None) -> list[Loop]:
    """Every loop in the transcript, in stream order, none overlapping another."""
    words = words if words is not None else Words.of(stream.text)
    units = _units(stream, words)
    triples = _Triples(words)
    found = _repeated_sentences(stream, units)
    found += _repeated_phrases(stream, triples, found)
    found += _compressed_windows(stream, triples, units, found)
    found += _stock_lines(stream, transcript, found)
    return sorted(found, key=lambda loop: (loop.first_line, loop.ranges[:1]))


def _units(stream: Stream, words: Words) -> list[_Unit]:
    """Sentences of every segment that hold more than fillers, in order."""
    text = stream.text
    cuts = sorted({*stream.starts, *sentence_breaks(text), len(text) + 1})
    starts = stream.starts
    units = []
    first_word = 0
    number = 0
    for start, stop in zip(cuts, cuts[1:]):
        last_word = bisect.bisect_left(words.starts, stop, first_word)
        keys = words.keys[first_word:last_word]
        first_word = last_word
        lead = 0
        while lead < len(keys) and keys[lead] in _LINKS:
            lead += 1
        if lead == len(keys) or (keys[lead] in FILLERS
                                 and all(k in FILLERS for k in keys[lead:])):
            continue
        while number + 1 < len(starts) and starts[number + 1] <= start:
            number += 1
        base = starts[number]
        end = min(stop, base + len(stream.segments[number].text))
        units.append(_Unit(number, start - base, end - base, " ".join(keys[lead:]),
                           len(keys) - lead))
    return units


def _repeated_sentences(stream: Stream, units: list[_Unit]) -> list[Loop]:
    """Runs of one sentence, or a cycle of two or three, repeated in a row."""
    loops = []
    index = 0
    keys = [u.key for u in units]
    while index < len(units):
        best = None
        if keys[index] not in keys[index + 1 : index + 1 + MAX_CYCLE]:
            index += 1  # the common case: no repeat starts here
            continue
        for cycle in range(1, MAX_CYCLE + 1):
            end = index + cycle
            while end < len(units) and keys[end] == keys[end - cycle]:
                end += 1
            copies = (end - index) // cycle
            cycle_words = sum(u.words for u in units[index : index + cycle])
            distinct = len({u.key for u in units[index : index + cycle]}) == cycle
            if (copies >= MIN_COPIES and distinct and _long_enough(copies, cycle_words)
                    and _stuck(units[index : index + copies * cycle], copies)):
                best = (cycle, end, copies)
                break
        if best is None:
            index += 1
            continue
        cycle, end, copies = best
        run = units[index:end]
        sample = " ".join(stream.segments[u.segment].text[u.start : u.end].strip()
                          for u in run[:cycle])
        what = "sentence" if cycle == 1 else f"cycle of {cycle} sentences"
        pieces = [(u.segment, *_unit_range(stream.segments[u.segment].text, u.start, u.end))
                  for u in run]
        loops.append(_loop(stream, "repeat", f"{what} repeated {copies} times in a row", sample,
                           pieces, copies))
        index = end
    return loops


def _stuck(run: list[_Unit], copies: int) -> bool:
    """True when a run of copies looks like a decoder stuck rather than people repeating.

    Whisper emits each copy of a loop as a segment of its own; people repeat in one breath
    ("'No, you hang up.' 'No, you hang up.' No, YOU hang up.", "You get a download! You get
    a download! You get a download!") or echo each other. So a run of ``MIN_COPIES`` copies
    counts only when every sentence of it stands on its own line; from ``LINE_FREE_COPIES``
    copies on, anywhere.
    """
    if copies >= LINE_FREE_COPIES:
        return True
    return len({unit.segment for unit in run}) == len(run)


def _long_enough(copies: int, cycle_words: int) -> bool:
    return cycle_words >= MIN_CYCLE_WORDS or copies >= SHORT_COPIES


def _unit_range(text: str, start: int, end: int) -> tuple[int, int]:
    """The part of a segment's text that removing a sentence takes away."""
    if not text[:start].strip() and not text[end:].strip():
        return 0, len(text)
    if not text[end:].strip():  # the last sentence: take the space before it instead
        return len(text[:start].rstrip()), len(text)
    return start, end


class _Triples:
    """Words without fillers, and for each, how far back its word triple last occurred.

    Loops repeat word triples at short distances; real speech rarely does. The distances
    find phrase loops and tell which windows are worth compressing.
    """

    __slots__ = ("words", "distance", "near")

    def __init__(self, words: Words) -> None:
        self.words = spoken = words.spoken()
        keys = spoken.keys
        last: dict[tuple[str, str, str], int] = {}
        self.distance = distance = [0] * len(keys)
        for k, triple in enumerate(zip(keys, keys[1:], keys[2:])):
            previous = last.get(triple)
            last[triple] = k
            if previous is not None:
                distance[k] = k - previous
        # near[k]: how many of the first k words repeat a triple from within NEAR_WORDS
        self.near = [0, *accumulate(0 < d <= NEAR_WORDS for d in distance)]


def _repeated_phrases(stream: Stream, triples: _Triples, found: list[Loop]) -> list[Loop]:
    """Runs of words repeated with a fixed period, found through repeated word triples."""
    taken = _taken(found)
    periods = [d if d <= PHRASE_MAX_PERIOD else 0 for d in triples.distance]
    spoken = triples.words
    loops = []
    k = 0
    while k < len(periods):
        period = periods[k]
        if period < 2:
            k += 1
            continue
        end = k
        while end + 1 < len(periods) and periods[end + 1] == period:
            end += 1
        first_token = k - period
        copies = (end + 3 - first_token) // period
        last_token = first_token + copies * period - 1  # whole copies only
        if (copies >= PHRASE_MIN_COPIES and copies * period >= PHRASE_MIN_WORDS
                and not _whole_sentences(stream.text, spoken, first_token, period, copies)):
            start = spoken.ends[k - 1]
            stop = spoken.ends[last_token]
            phrase = stream.text[spoken.starts[first_token] : start].replace("\n", " ")
            if not _overlaps(taken, start, stop):
                loops.append(_loop_from_stream(
                    stream, "phrase", f"phrase repeated {copies} times in a row", phrase,
                    [(start, stop)], copies))
        k = end + 1
    return loops


def _whole_sentences(text: str, spoken: Words, first: int, period: int, copies: int) -> bool:
    """True when every copy of a repeated phrase is a sentence or line of its own ("Diolch
    yn fawr." said by several people closing a meeting): repeated sentences are for
    ``_repeated_sentences`` to judge, where a short one must repeat ``SHORT_COPIES`` times."""
    for copy in range(1, copies):
        cut = first + copy * period
        gap = text[spoken.ends[cut - 1] : spoken.starts[cut]]
        if "\n" not in gap and not _SENTENCE_END.search(gap):
            return False
    return True


def _ratio(raw: str) -> float:
    data = raw.encode("utf-8")
    return len(data) / len(zlib.compress(data))


def _compressed_windows(stream: Stream, triples: _Triples, units: list[_Unit],
                        found: list[Loop]) -> list[Loop]:
    """Windows compressing better than Whisper allows, not explained by the loops found.

    Only windows where enough word triples repeat nearby are compressed: on human and ASR
    transcripts every window over the limit had at least 30% of such words, and no window
    under 20% came near it (bench/tidy.py reports the findings).
    """
    taken = _taken(found)
    segments = stream.segments
    text = stream.text
    spoken = triples.words.starts
    kept_at = [bisect.bisect_left(spoken, start) for start in stream.starts] + [len(spoken)]
    regions: list[list[int]] = []
    first = 0
    while first < len(segments):
        last, size = first, 0
        while last < len(segments) and size < WINDOW_CHARS:
            size += len(segments[last].text) + 1
            last += 1
        if size < WINDOW_CHARS:
            break
        lo, hi = kept_at[first], kept_at[last]
        repeating = (triples.near[hi] - triples.near[lo]) / max(hi - lo, 1)
        if repeating >= WORTH_COMPRESSING:
            end = stream.starts[last - 1] + len(segments[last - 1].text)
            if _ratio(text[stream.starts[first] : end]) > COMPRESSION_LIMIT:
                if regions and regions[-1][1] >= first:
                    regions[-1][1] = max(regions[-1][1], last)
                else:
                    regions.append([first, last])
        moved = len(segments[first].text) + 1
        first += 1  # slide by about half a window, and always by at least one line
        while first < last - 1 and moved < WINDOW_CHARS // 2:
            moved += len(segments[first].text) + 1
            first += 1
    loops = []
    for first, last in regions:
        start, stop = stream.starts[first], stream.starts[last - 1] + len(segments[last - 1].text)
        if _overlaps(taken, start, stop):
            continue
        inside = [u for u in units if first <= u.segment < last and u.words >= REPEAT_MIN_WORDS]
        counts = Counter(u.key for u in inside)
        repeated = [u for u in inside if counts[u.key] >= MIN_COPIES]
        reason = f"compression ratio {_ratio(text[start:stop]):.2f} over {COMPRESSION_LIMIT}"
        if repeated:
            sample = segments[repeated[0].segment].text[repeated[0].start : repeated[0].end].strip()
            loops.append(_loop(stream, "compression", reason + "; repeated sentences removed",
                               sample, [(u.segment, *_unit_range(segments[u.segment].text,
                                                                 u.start, u.end))
                                        for u in repeated]))
        else:
            loops.append(Loop("compression", reason + "; nothing repeats, flagged only",
                              segments[first].text, segments[first].line,
                              segments[last - 1].line, (), segments[first].start + 1,
                              end_column=segments[last - 1].end + 1))
    return loops


def _stock_lines(stream: Stream, transcript: Transcript, found: list[Loop]) -> list[Loop]:
    """Whole lines that are a stock phrase of subtitled video, where they stand alone."""
    segments = stream.segments
    taken = _taken(found)
    kinds = []
    for segment in segments:
        lower = segment.text.lower()
        if not any(word in lower for word in _STOCK_WORDS):
            kinds.append(None)
            continue
        normal = _NORMAL.sub(" ", segment.text.casefold()).strip()
        if _CREDITS.fullmatch(normal) or _AMARA.search(normal):
            kinds.append("credits")
        elif _VIEWER.fullmatch(normal):
            kinds.append("viewer")
        else:
            kinds.append(None)
    edge = set(range(min(EDGE_LINES, len(segments)))) | set(
        range(max(len(segments) - EDGE_LINES, 0), len(segments)))
    for start, step in ((0, 1), (len(segments) - 1, -1)):  # runs of stock lines at the edges
        number = start
        while 0 <= number < len(segments) and kinds[number]:
            edge.add(number)
            number += step
    loops = []
    for number, kind in enumerate(kinds):
        if kind is None or (kind == "viewer" and number not in edge
                            and not _isolated(segments, number)):
            continue
        start = stream.starts[number]
        if _overlaps(taken, start, start + len(segments[number].text)):
            continue
        reason = ("subtitle credit line" if kind == "credits"
                  else "viewer phrase at the edge of the transcript")
        loops.append(_loop(stream, "stock", reason, segments[number].text,
                           [(number, 0, len(segments[number].text))]))
    return loops


def _isolated(segments, number: int) -> bool:
    """True when silence of ``SILENCE`` seconds or more stands on both sides of a timed line."""
    here = segments[number]
    if here.start_time is None or here.end_time is None:
        return False
    before = segments[number - 1].end_time if number > 0 else 0.0
    after = segments[number + 1].start_time if number + 1 < len(segments) else None
    return (before is not None and here.start_time - before >= SILENCE
            and (after is None or after - here.end_time >= SILENCE))


def _loop(stream: Stream, detector: str, reason: str, text: str,
          pieces: list[tuple[int, int, int]], count: int | None = None) -> Loop:
    """A loop from ``(segment, start, end)`` pieces, merged where they touch."""
    ranges: list[list[int]] = []
    for number, start, end in sorted(pieces):
        base = stream.starts[number]
        if ranges and ranges[-1][1] == base + start:
            ranges[-1][1] = base + end
        else:
            ranges.append([base + start, base + end])
    return _loop_from_stream(stream, detector, reason, text, [tuple(r) for r in ranges], count)


def _loop_from_stream(stream: Stream, detector: str, reason: str, text: str,
                      ranges: list[tuple[int, int]], count: int | None = None) -> Loop:
    number, offset = stream.locate(ranges[0][0])
    segment = stream.segments[number]
    end_number, end_offset = stream.locate(ranges[-1][1])
    if end_offset == 0 and end_number > number:  # the range ends where a segment begins
        end_number -= 1
        end_offset = len(stream.segments[end_number].text)
    end = stream.segments[end_number]
    return Loop(detector, reason, text, segment.line, end.line,
                tuple((a, b) for a, b in ranges), segment.col(offset) + 1, count,
                end.end_col(min(end_offset, len(end.text))) + 1)


def _taken(found: list[Loop]) -> list[tuple[int, int]]:
    return sorted(r for loop in found for r in loop.ranges)


def _overlaps(taken: list[tuple[int, int]], start: int, stop: int) -> bool:
    return any(a < stop and start < b for a, b in taken)
