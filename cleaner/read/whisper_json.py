"""Whisper JSON: ``{"segments": [{"start", "end", "text"}, ...]}``.

A ``speaker`` field on a segment (WhisperX, after diarization) is the segment's cluster label
(or a name, see ``labels.py``). Without it, the ``speaker`` fields of the segment's ``words``
decide: where they change inside the segment, the segment is cut there, each piece keeping its
words' label.

Segment texts are located in the raw file (see ``json_strings``), so edits point at the
characters of the JSON string they came from.
"""

from __future__ import annotations

import regex

from ..errors import CleanerError
from ..model import Segment, Transcript
from .json_strings import load_json, locate_segments
from .labels import split_label
from .lines import mapped_segment

_TEXT_KEY = regex.compile(r'"text"\s*:\s*"')


def parse(lines: list[str], newlines: list[str], path: str | None = None) -> Transcript:
    """Read Whisper's JSON output; a file that is not such JSON is an error."""
    data = load_json("".join(line + nl for line, nl in zip(lines, newlines)), path)
    if isinstance(data, dict) and str(data.get("schema", "")).startswith("cleaner/"):
        raise CleanerError(
            f"this is cleaner's own JSON output ({data['schema']}), not a transcript to clean: "
            "`cleaner restore` rebuilds the input it came from (clean that), or clean its "
            ".md or .txt output", path)
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        raise CleanerError("JSON input needs a 'segments' list (Whisper output)", path)
    wanted = []
    for number, item in enumerate(data["segments"]):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise CleanerError(f"segment {number} has no 'text' string", path)
        wanted.append((item["text"], item))
    segments = locate_segments(lines, newlines, _TEXT_KEY, wanted, path, "text")
    if any(_word_speakers(item) for _, item in wanted):
        segments = _by_word_speakers(segments, [item for _, item in wanted])
    return Transcript(lines=tuple(lines), newlines=tuple(newlines), segments=tuple(segments),
                      format="whisper-json", path=path)


def _word_speakers(item: dict) -> list[tuple[str, str]]:
    """``(word text, speaker label)`` of a segment's words, when it has no speaker of its own."""
    if isinstance(item.get("speaker"), str) or not isinstance(item.get("words"), list):
        return []
    out = []
    for word in item["words"]:
        if isinstance(word, dict) and isinstance(word.get("word"), str) \
                and isinstance(word.get("speaker"), str) and word["speaker"].strip():
            out.append((word["word"].strip(), word["speaker"]))
    return out


def _by_word_speakers(segments: list[Segment], items: list[dict]) -> list[Segment]:
    """Give each segment its words' labels, cutting it where the label changes."""
    out: list[Segment] = []
    located = iter(segments)
    for item in items:
        text = item["text"]
        if not text.strip():
            continue  # locate_segments made no segment for it
        segment = next(located)
        cuts = _cuts(segment.text, _word_speakers(item))
        if not cuts:
            out.append(Segment(**{**_fields(segment), "index": len(out)}))
            continue
        for number, (offset, label) in enumerate(cuts):
            end = cuts[number + 1][0] if number + 1 < len(cuts) else len(segment.text)
            piece = _piece(segment, offset, end, len(out), split_label(label))
            if piece is not None:
                out.append(piece)
    return out


def _cuts(text: str, words: list[tuple[str, str]]) -> list[tuple[int, str]]:
    """``(offset, label)`` where each run of one label starts in ``text`` (words found in order)."""
    cuts: list[tuple[int, str]] = []
    position = 0
    for word, label in words:
        found = text.find(word, position) if word else -1
        if found < 0:
            continue
        if not cuts or cuts[-1][1] != label:
            cuts.append((found if cuts else 0, label))
        position = found + len(word)
    return cuts


def _fields(segment: Segment) -> dict:
    return {name: getattr(segment, name) for name in Segment.__slots__}


def _piece(segment: Segment, start: int, end: int, index: int, label: dict) -> Segment | None:
    """The part ``[start, end)`` of a segment's text (trimmed) as a segment of its own."""
    while start < end and segment.text[start].isspace():
        start += 1
    while end > start and segment.text[end - 1].isspace():
        end -= 1
    if start == end:
        return None
    cols = tuple((segment.col(i), segment.end_col(i + 1)) for i in range(start, end))
    piece = mapped_segment(index, segment.line, segment.text[start:end], cols,
                           start_time=segment.start_time, end_time=segment.end_time, **label)
    return piece
