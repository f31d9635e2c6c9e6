"""Data shared by every stage of the pipeline.

All offsets are in *input* coordinates: ``line`` is the 1-based line number in the input file
and ``start``/``end`` are 0-based character offsets ``[start, end)`` into that line as read
(decoded, without its line ending, including any prefix such as ``*  ``). Stages never rewrite
strings in place: they propose edits in these coordinates, and one function resolves them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Role(str, Enum):
    """The part a speaker plays in a conversation."""

    HOST = "host"
    GUEST = "guest"
    NARRATOR = "narrator"
    OTHER = "other"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Segment:
    """One piece of transcript text as the input format cut it (an ASR line, a cue line).

    ``text`` is the decoded transcript text. ``start``/``end`` locate it in its input line.
    ``colmap`` is only set when the text is not a plain copy of ``line[start:end]`` (JSON
    escapes, stripped markup): then ``colmap[i]`` is the ``(start, end)`` input columns that
    ``text[i]`` was read from.
    """

    index: int
    line: int
    start: int
    end: int
    text: str
    colmap: tuple[tuple[int, int], ...] | None = None
    start_time: float | None = None
    end_time: float | None = None
    speaker_hint: str | None = None
    cluster: str | None = None  # a diarization cluster label ("Speaker 0"), not a name
    # ``(offset in text, start time)`` of each timed word (WebVTT karaoke ``<00:00:01.000>``
    # tags; the first word of a cue starts at the cue's start), or None without word times.
    word_times: tuple[tuple[int, float], ...] | None = None

    def col(self, offset: int) -> int:
        """Input column where the text from ``offset`` on begins."""
        if self.colmap is None:
            return self.start + offset
        return self.colmap[offset][0] if offset < len(self.colmap) else self.end

    def end_col(self, offset: int) -> int:
        """Input column where the text up to ``offset`` ends."""
        if self.colmap is None:
            return self.start + offset
        return self.colmap[offset - 1][1] if offset > 0 else self.col(0)


@dataclass(frozen=True, slots=True)
class Transcript:
    """What a reader makes of an input file: its lines, and the transcript segments in them.

    ``lines`` and ``newlines`` together rebuild the decoded input exactly; ``encoding`` and
    ``bom`` rebuild its bytes. ``sections`` lists ``(first segment index, heading)``.
    """

    lines: tuple[str, ...]
    newlines: tuple[str, ...]
    segments: tuple[Segment, ...]
    format: str
    path: str | None = None
    title: str | None = None
    source_line: str | None = None
    sections: tuple[tuple[int, str], ...] = ()
    encoding: str = "utf-8"
    bom: bool = False
    # What the reader could not read as it stood and how it coped, one line each
    # ("3 empty cues skipped"): printed as warnings, never an error.
    notes: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The decoded input, line endings included."""
        return "".join(line + nl for line, nl in zip(self.lines, self.newlines))


@dataclass(frozen=True, slots=True)
class Edit:
    """One change to the input, with where it came from.

    An edit that crosses a line break is split into one ``Edit`` per line; the pieces share
    ``group``.
    """

    rule: str
    category: str
    line: int
    start: int
    end: int
    before: str
    after: str
    origin: str
    group: int | None = None
    note: str | None = None

    def to_dict(self) -> dict:
        """The edit as in the JSON output contract."""
        data = {
            "rule": self.rule,
            "category": self.category,
            "line": self.line,
            "start": self.start,
            "end": self.end,
            "before": self.before,
            "after": self.after,
            "origin": self.origin,
        }
        if self.group is not None:
            data["group"] = self.group
        if self.note:
            data["note"] = self.note
        return data


@dataclass(frozen=True, slots=True)
class Dropped:
    """A proposed change that lost an overlap to another one (kept for the report)."""

    rule: str
    line: int
    start: int
    end: int
    before: str
    after: str
    beaten_by: str
    origin: str

    def to_dict(self) -> dict:
        """The dropped match as written to JSON."""
        return {
            "rule": self.rule,
            "line": self.line,
            "start": self.start,
            "end": self.end,
            "before": self.before,
            "after": self.after,
            "beaten_by": self.beaten_by,
            "origin": self.origin,
        }


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a unit was given to a speaker: which cue, what it says, and how strongly."""

    cue: str
    reason: str
    weight: float
    speaker: str | None = None
    role: str | None = None
    line: int | None = None

    def to_dict(self) -> dict:
        """The evidence as written to JSON."""
        data = {"cue": self.cue, "reason": self.reason, "weight": round(self.weight, 3)}
        if self.speaker is not None:
            data["speaker"] = self.speaker
        if self.role is not None:
            data["role"] = self.role
        if self.line is not None:
            data["line"] = self.line
        return data


@dataclass(frozen=True, slots=True)
class Turn:
    """Consecutive transcript text given to one speaker.

    ``spans`` are ``(line, start, end)`` in input coordinates and partition the transcript
    text together with the other turns' spans; ``span_text[i]`` is the text of ``spans[i]``
    with this run's edits applied (in the input's own notation), which is what ``restore``
    reverses. ``text`` is the corrected, readable text of the whole turn.
    """

    text: str
    spans: tuple[tuple[int, int, int], ...]
    span_text: tuple[str, ...]
    speaker: str | None = None
    role: str | None = None
    confidence: float | None = None
    evidence: tuple[Evidence, ...] = ()
    review: bool = False
    start_time: float | None = None
    end_time: float | None = None

    def to_dict(self) -> dict:
        """The turn as in the JSON output contract."""
        data = {
            "speaker": self.speaker,
            "role": self.role,
            "confidence": None if self.confidence is None else round(self.confidence, 3),
            "text": self.text,
            "spans": [list(span) for span in self.spans],
            "span_text": list(self.span_text),
            "evidence": [ev.to_dict() for ev in self.evidence],
            "review": self.review,
        }
        if self.start_time is not None:
            data["start_time"] = self.start_time
        if self.end_time is not None:
            data["end_time"] = self.end_time
        return data


@dataclass(frozen=True, slots=True)
class Stats:
    """Word counts and readability of a text (for the report)."""

    words: int
    sentences: int
    flesch_reading_ease: float
    flesch_kincaid_grade: float


@dataclass(frozen=True, slots=True)
class Result:
    """Everything one run of ``clean`` produced."""

    transcript: Transcript
    edits: tuple[Edit, ...]
    dropped: tuple[Dropped, ...]
    turns: tuple[Turn, ...]
    packs: tuple[str, ...]
    corrected: tuple[str, ...] = field(default=())  # corrected text of each segment
    options: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The corrected transcript text, one turn per line."""
        return "\n".join(turn.text for turn in self.turns)
