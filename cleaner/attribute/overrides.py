"""An editor's speaker overrides: lines (or the rest of a line from an offset) fixed to a speaker.

The file is YAML::

    overrides:
      - {line: 71, speaker: Sam Altman}          # all of input line 71
      - {line: 35, at: 6, speaker: Casey Newton} # line 35 from character 6 to its end

``line`` is the 1-based input line; ``at`` is a 0-based character offset into the line's
transcript text (after a ``*  `` bullet), the convention of the gold ``split`` column. The
decoder treats these units as known and decodes the others around them, so the lines next
to a fixed one follow it.
"""

from __future__ import annotations

from collections.abc import Sequence
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import CleanerError
from ..model import Transcript
from ..correct.packs import CastMember, _read_bytes, read_yaml
from ..segment.units import Unit

_KEYS = {"line", "at", "speaker"}


@dataclass(frozen=True, slots=True)
class Override:
    """From ``at`` (None: the start) to the end of input ``line``, ``speaker`` speaks."""

    line: int
    speaker: str
    at: int | None = None
    path: str | None = field(default=None, compare=False)  # the overrides file ...
    source_line: int | None = field(default=None, compare=False)  # ... and its line there

    def error(self, message: str) -> CleanerError:
        """A user error about this override, naming the overrides file and line."""
        return CleanerError(message, self.path, self.source_line)


def load_overrides(path: str) -> tuple[Override, ...]:
    """Read and validate an overrides file."""
    return parse_overrides(_read_bytes(Path(path), "overrides file"), str(path))


def parse_overrides(data: bytes, path: str) -> tuple[Override, ...]:
    """Parse and validate an overrides file."""
    doc = read_yaml(data, path, "overrides file")
    if not isinstance(doc, CommentedMap) or not isinstance(doc.get("overrides"), CommentedSeq):
        raise CleanerError("an overrides file must be a mapping with an 'overrides' list", path, 1, 1)
    out = []
    seen: set[tuple[int, int | None]] = set()
    items = doc["overrides"]
    for number, item in enumerate(items):
        try:
            line = items.lc.item(number)[0] + 1
        except (KeyError, TypeError, AttributeError):
            line = None
        if not isinstance(item, CommentedMap):
            raise CleanerError("an override must be a mapping {line, speaker[, at]}", path, line)
        unknown = sorted(set(item) - _KEYS)
        if unknown:
            raise CleanerError(f"unknown key {unknown[0]!r} in override (allowed: at, line, speaker)",
                               path, line)
        where, speaker, at = item.get("line"), item.get("speaker"), item.get("at")
        if not isinstance(where, int) or isinstance(where, bool) or where < 1:
            raise CleanerError("override 'line' must be a positive integer", path, line)
        if not isinstance(speaker, str) or not speaker.strip():
            raise CleanerError("override 'speaker' must be a non-empty string", path, line)
        if at is not None and (not isinstance(at, int) or isinstance(at, bool) or at < 0):
            raise CleanerError("override 'at' must be a character offset (0 or more)", path, line)
        if (where, at) in seen:
            raise CleanerError(f"line {where} is overridden twice", path, line)
        seen.add((where, at))
        out.append(Override(line=where, speaker=" ".join(speaker.split()), at=at, path=path,
                            source_line=line))
    return tuple(out)


def override_cuts(transcript: Transcript, overrides: Sequence[Override]) -> dict[int, list[int]]:
    """Where units must break for the overrides: ``{segment number: [offsets]}``."""
    cuts: dict[int, list[int]] = {}
    for override in overrides:
        if not override.at:
            continue
        located = locate(transcript, override.line, override.at)
        if located is not None and located[1] > 0:
            cuts.setdefault(located[0], []).append(located[1])
    return cuts


def locate(transcript: Transcript, line: int, at: int) -> tuple[int, int] | None:
    """``(segment number, offset in its text)`` of an override position, or None if the
    line holds no transcript text."""
    segments = [s for s in transcript.segments if s.line == line]
    if not segments:
        return None
    column = segments[0].start + at
    for segment in segments:
        if column < segment.end or segment is segments[-1]:
            for offset in range(len(segment.text) + 1):
                if segment.col(offset) >= column:
                    return segment.index, offset
            return segment.index, len(segment.text)
    return None


def check_lines(transcript: Transcript, overrides: Sequence[Override], path: str | None) -> None:
    """An override of a line with no transcript text (or past the end) is a user error,
    named at the override's own line in the overrides file."""
    lines = {segment.line for segment in transcript.segments}
    where = f" of {path}" if path else ""
    for override in overrides:
        if override.line in lines:
            continue
        if override.line > len(transcript.lines):
            message = (f"override of line {override.line}: the transcript{where} has only "
                       f"{len(transcript.lines)} lines")
        else:
            message = f"override of line {override.line}: that line{where} has no transcript text"
        raise (override.error(message) if override.path else CleanerError(message, path))


def unknown_speaker(override: Override, names: Sequence[str]) -> CleanerError:
    """The error for an override naming someone not in the cast, with a did-you-mean."""
    close = difflib.get_close_matches(override.speaker, list(names), n=1, cutoff=0.6)
    if not close:  # a first or last name alone ("Altmann" for Sam Altman)
        parts = {part: name for name in names for part in name.split()}
        found = difflib.get_close_matches(override.speaker, list(parts), n=1, cutoff=0.75)
        close = [parts[found[0]]] if found else []
    hint = f"; did you mean {close[0]!r}?" if close else ""
    cast = ", ".join(names) if names else "nobody"
    return override.error(f"override speaker {override.speaker!r} is not in the cast ({cast})"
                          f"{hint} (a new speaker goes in the cast file, --cast)")


def resolve_speaker(name: str, members: Sequence[CastMember]) -> str | None:
    """The cast member an override's speaker names (by name, alias or a form of the name)."""
    from .mentions import NameIndex

    key = name.casefold()
    for member in members:
        if member.name.casefold() == key or any(a.casefold() == key for a in member.aliases):
            return member.name
    index = NameIndex([(m.name, m.aliases) for m in members])
    return index.lookup(name)


def fixed_units(transcript: Transcript, units: Sequence[Unit], overrides: Sequence[Override],
                members: Sequence[CastMember], speakers: Sequence[str]) -> dict[int, int]:
    """Units an override fixes: ``{unit: speaker number}``."""
    fixed: dict[int, int] = {}
    for override in sorted(overrides, key=lambda o: (o.line, o.at or 0)):
        name = resolve_speaker(override.speaker, members) or override.speaker
        if name not in speakers:
            continue
        number = speakers.index(name)
        start = locate(transcript, override.line, override.at or 0)
        for unit in units:
            piece = unit.pieces[0]
            segment = transcript.segments[piece.segment]
            if segment.line != override.line:
                continue
            if start is not None and (piece.segment, piece.start) < (start[0], start[1]) \
                    and override.at:
                continue
            fixed[unit.index] = number
    return fixed
