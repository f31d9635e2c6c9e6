"""The pipeline: read, correct, tidy, (segment, attribute), finish, verify. Pure: no files here."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .correct import propose_rule_edits
from .edits import (build_stream, corrected_segments, dropped_records, edits_by_line, resolve,
                    span_text, to_edits)
from .errors import InternalError
from .matcher import tokenize
from .model import Edit, Result, Transcript, Turn
from .packs import PackLibrary, load_library
from .read import read_text
from .tidy import propose_tidy
from .tidy.publish import finish_turns


@dataclass(frozen=True, slots=True)
class Options:
    """What a run of ``clean`` should do (the CLI fills this from flags and config)."""

    input_format: str | None = None
    rules: tuple[str, ...] = ()
    default_rules: bool = True
    disabled: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)
    style: str = "clean"  # verbatim | clean | edited (see tidy.Style)
    keep_hallucinations: bool = False  # flag loops in the report instead of removing them


def clean(text: str, path: str | None = None, options: Options | None = None,
          library: PackLibrary | None = None, encoding: str = "utf-8",
          bom: bool = False) -> Result:
    """Clean one transcript given as decoded text; nothing is read from or written to disk
    except rule packs (and their cache).

    ``library`` lets a caller load packs once for many transcripts.
    """
    options = options or Options()
    transcript = read_text(text, path, options.input_format)
    transcript = replace(transcript, encoding=encoding, bom=bom)
    if library is None:
        library = load_library(options.rules, options.default_rules, options.disabled)
    return clean_transcript(transcript, library, options)


def clean_transcript(transcript: Transcript, library: PackLibrary,
                     options: Options | None = None) -> Result:
    """Run every stage on a transcript that has already been read."""
    options = options or Options()
    ruleset = library.compile_for(transcript)
    stream = build_stream(transcript)
    tokens = tokenize(stream.text)
    proposals = propose_rule_edits(stream, ruleset, transcript, tokens)
    tidy = propose_tidy(stream, transcript, proposals, options.style,
                        options.keep_hallucinations, tokens)
    kept, dropped = resolve(stream, proposals + list(tidy.proposals))
    edits = to_edits(stream, transcript, kept)
    corrected = corrected_segments(transcript, edits)
    turns = segment_turns(transcript, edits, corrected)
    if options.style != "verbatim":  # capitals and end marks where speakers start and stop
        edits, turns = finish_turns(stream, transcript, edits, turns)
        corrected = corrected_segments(transcript, edits)
    result = Result(
        transcript=transcript, edits=tuple(edits),
        dropped=tuple(dropped_records(stream, dropped)), turns=tuple(turns),
        packs=ruleset.packs, corrected=tuple(corrected),
        options={"style": options.style, "keep_hallucinations": options.keep_hallucinations,
                 "loops": tidy.findings()},
    )
    verify_restorable(result)
    return result


def segment_turns(transcript: Transcript, edits: list[Edit], corrected: list[str]) -> list[Turn]:
    """One turn per segment, with no speaker (the shape before attribution)."""
    grouped = edits_by_line(edits)
    turns = []
    for segment, text in zip(transcript.segments, corrected):
        line = transcript.lines[segment.line - 1]
        spans = ((segment.line, segment.start, segment.end),)
        texts = (span_text(line, segment.start, segment.end, grouped.get(segment.line, [])),)
        turns.append(Turn(text=text, spans=spans, span_text=texts,
                          start_time=segment.start_time, end_time=segment.end_time,
                          speaker=segment.speaker_hint))
    return turns


def verify_restorable(result: Result) -> None:
    """Check black-style that the output rebuilds the input exactly, before anything is written."""
    from .restore import restore_lines

    lines = restore_lines(result)
    if tuple(lines) != result.transcript.lines:
        bad = next(i for i, (a, b) in enumerate(zip(lines, result.transcript.lines)) if a != b)
        raise InternalError(f"output does not restore input line {bad + 1}")
