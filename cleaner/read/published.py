"""The published-transcript layout: YAML front matter, ``## Chapter`` headings, and blocks
that open with a ``Speaker Name: HH:MM:SS`` (or ``**Speaker Name:** HH:MM:SS``) line.

::

    ---
    title: "Episode title"
    speakers: ['Ada Lovelace', 'Charles Babbage']
    ---
    ## Intro

    Ada Lovelace: 00:00:20

    Welcome back.
    Thanks for [having me](https://example.org).

Every text line of a block is a segment whose speaker hint is the block's name and whose
start time is the block's timestamp (its end time is the next block's). Inline Markdown is
not transcript text: link targets, emphasis markers and backticks are left out of the
segment text, with a column map so edits still point at the input.
"""

from __future__ import annotations

from dataclasses import replace

import regex
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from ..model import Segment, Transcript
from .labels import split_label
from .lines import plain_segment, split_lines, trimmed_mapped_segment

_FENCE = regex.compile(r"^(?:---|\.\.\.)\s*$")
_TIME = r"(?P<time>(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)"
_NAME = r"(?P<name>[\p{L}\p{N}][^:*\n]{0,60}?)"
BLOCK = regex.compile(rf"^(?:\*\*{_NAME}:\*\*|\*\*{_NAME}\*\*:|{_NAME}:)[ \t]+{_TIME}[ \t]*$")
_HEADING = regex.compile(r"^(#{1,6})[ \t]+(.*?\S)[ \t#]*$")
# Inline Markdown to leave out of the text: a link's ``](target)``, its opening ``[``,
# emphasis markers at word edges, and backticks.
_MARKUP = regex.compile(
    r"\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*\)"       # ](https://...) of a link
    r"|\[(?=[^\[\]\n]*\]\()"                           # [ that opens a link
    r"|`"
    r"|(?<![\p{L}\p{N}])[*_]{1,3}(?=[\p{L}\p{N}])"     # *word, _word
    r"|(?<=[\p{L}\p{N}.!?,])[*_]{1,3}(?![\p{L}\p{N}])"  # word*, word_
)
MAX_FRONT_MATTER = 400  # lines; a longer "front matter" is not one
MAX_ALIASES = 50


def looks_like(text: str) -> bool:
    """True when the first content line (after any front matter, headings and blank lines)
    is a ``Name: HH:MM:SS`` block header."""
    lines = split_lines(text[:20000])[0]
    number = _front_matter_end(lines)
    for line in lines[number:]:
        if not line.strip() or _HEADING.match(line):
            continue
        return BLOCK.match(line.lstrip("\ufeff")) is not None
    return False


def parse(lines: list[str], newlines: list[str], path: str | None = None) -> Transcript:
    """Read the layout: front matter, headings, speaker blocks and their text lines."""
    body = _front_matter_end(lines)
    meta = front_matter(lines[:body])
    title = meta.get("title") if isinstance(meta.get("title"), str) else None
    segments: list[Segment] = []
    sections: list[tuple[int, str]] = []
    blocks: list[tuple[int, float]] = []  # (first segment of the block, start time)
    speaker: dict = {}
    start_time: float | None = None
    for number in range(body, len(lines)):
        line = lines[number]
        if not line.strip():
            continue
        block = BLOCK.match(line.lstrip("\ufeff"))
        if block:
            speaker = split_label(" ".join(_name(block).split()))
            start_time = _seconds(block.group("time"))
            blocks.append((len(segments), start_time))
            continue
        heading = _HEADING.match(line)
        if heading:
            if title is None and heading.group(1) == "#" and not segments:
                title = heading.group(2)
            else:
                sections.append((len(segments), heading.group(2)))
            continue
        segment = _text_segment(len(segments), number + 1, line, start_time=start_time,
                                **speaker)
        if segment is not None:
            segments.append(segment)
    segments = _with_end_times(segments, blocks)
    return Transcript(lines=tuple(lines), newlines=tuple(newlines), segments=tuple(segments),
                      format="published", path=path, title=title, sections=tuple(sections))


def front_matter(lines: list[str]) -> dict:
    """The YAML front matter as a mapping ({} when there is none or it does not parse)."""
    if len(lines) < 2 or not _FENCE.match(lines[0].lstrip("\ufeff")):
        return {}
    block = "\n".join(lines[1:-1])
    if len(regex.findall(r"(?<![\w*])\*[\w-]+", block)) > MAX_ALIASES:
        return {}
    try:
        data = YAML(typ="safe", pure=True).load(block)
    except (YAMLError, ValueError, TypeError):
        data = None
    if isinstance(data, dict):
        return data
    title = next((regex.match(r"^title:\s*(.*?)\s*$", line) for line in lines[1:-1]
                  if line.startswith("title:")), None)
    return {"title": title.group(1).strip("'\"")} if title else {}


def front_matter_problem(transcript: Transcript) -> str | None:
    """Why a published transcript's front matter does not parse as YAML (None when it does,
    or when there is none)."""
    if transcript.format != "published":
        return None
    lines = list(transcript.lines)
    end = _front_matter_end(lines)
    if end < 2:
        return None
    try:
        YAML(typ="safe", pure=True).load("\n".join(lines[1:end - 1]))
    except (YAMLError, ValueError, TypeError) as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 2}: " if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).split("\n")[0]
        return f"{where}{problem}"
    return None


def listed_speakers(transcript: Transcript) -> tuple[str, ...]:
    """The names in a published transcript's front matter ``speakers:`` list."""
    if transcript.format != "published":
        return ()
    lines = list(transcript.lines)
    meta = front_matter(lines[: _front_matter_end(lines)])
    speakers = meta.get("speakers")
    if not isinstance(speakers, list):
        return ()
    return tuple(str(name).strip() for name in speakers if isinstance(name, str) and name.strip())


def _front_matter_end(lines: list[str]) -> int:
    """Index of the first line after the front matter (0 when there is none)."""
    if not lines or not _FENCE.match(lines[0].lstrip("\ufeff")) or lines[0].startswith("..."):
        return 0
    for number in range(1, min(len(lines), MAX_FRONT_MATTER)):
        if _FENCE.match(lines[number]):
            return number + 1
    return 0


def _name(match) -> str:
    return next(name for name in match.captures("name") if name)


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def _text_segment(index: int, line_no: int, line: str, **extra) -> Segment | None:
    """A segment for a text line, leaving out inline Markdown (see the module docstring)."""
    if not any(mark in line for mark in "[]`*_"):
        return plain_segment(index, line_no, line, **extra)
    chars: list[str] = []
    cols: list[tuple[int, int]] = []
    position = 0
    for match in _MARKUP.finditer(line):
        for offset in range(position, match.start()):
            chars.append(line[offset])
            cols.append((offset, offset + 1))
        position = match.end()
    for offset in range(position, len(line)):
        chars.append(line[offset])
        cols.append((offset, offset + 1))
    return trimmed_mapped_segment(index, line_no, chars, cols, **extra)


def _with_end_times(segments: list[Segment], blocks: list[tuple[int, float]]) -> list[Segment]:
    """Give each block's segments the next block's start time as their end time."""
    if len(blocks) < 2:
        return segments
    out = list(segments)
    for (first, _), (next_first, next_start) in zip(blocks, blocks[1:]):
        for number in range(first, min(next_first, len(out))):
            segment = out[number]
            if segment.start_time is not None and next_start >= segment.start_time:
                out[number] = replace(segment, end_time=next_start)
    return out
