"""The pipeline: read, correct, tidy, (segment, attribute), finish, verify. Pure: no files here."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .collector import collector_paused
from .correct.apply import propose_rule_edits
from .correct.castnames import cast_members, pack_keep_cases, propose_name_fixes
from .edits import (build_stream, corrected_segments, dropped_records, edits_by_line, resolve,
                    span_text, to_edits)
from .segment.review import REVIEW_BELOW, mark_turns
from .errors import CleanerError, InternalError
from .correct.matcher import tokenize
from .model import Edit, Result, Transcript, Turn
from .correct.packs import CastMember, PackLibrary, load_cast, load_library
from .punctuate import propose_punctuation
from .read import read_text
from .tidy import propose_tidy
from .tidy.publish import finish_turns
from .segment.turns import build_turns


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
    speakers: bool = True                      # guess who speaks (--no-speakers turns it off)
    cast: tuple[CastMember, ...] | str | None = None  # members, or a cast file to read
    overrides: tuple | str | None = None       # speaker overrides, or an overrides file
    review_below: float | None = REVIEW_BELOW  # the review list's confidence bound (segment/review.py)
    mark_review: bool = False                  # also mark them in md, txt and html (--mark-review)
    trust_diarization: bool = False            # diarized input: keep every boundary, only name
    keep_unsure_labels: bool = False           # diarized input: unsure voices keep their labels
    punctuate: str = "auto"  # auto | always | never: restore marks and capitals (punctuate/)


def clean(text: str, path: str | None = None, options: Options | None = None,
          library: PackLibrary | None = None, encoding: str = "utf-8",
          bom: bool = False) -> Result:
    """Clean one transcript given as decoded text; nothing is read from or written to disk
    except rule packs (and their cache).

    ``library`` lets a caller load packs once for many transcripts.
    """
    options = _load_speaker_files(options or Options())
    with collector_paused():  # linear time on big inputs (see cleaner/collector.py)
        transcript = read_text(text, path, options.input_format)
        transcript = replace(transcript, encoding=encoding, bom=bom)
        if library is None:
            library = load_library(options.rules, options.default_rules, options.disabled)
        return clean_transcript(transcript, library, options)


def clean_transcript(transcript: Transcript, library: PackLibrary,
                     options: Options | None = None) -> Result:
    """Run every stage on a transcript that has already been read."""
    options = _load_speaker_files(options or Options())
    ruleset = library.compile_for(transcript)
    stream = build_stream(transcript)
    tokens = tokenize(stream.text)
    proposals = propose_rule_edits(stream, ruleset, transcript, tokens)
    proposals += propose_name_fixes(stream, tokens, cast_members(options.cast, ruleset.cast),
                                    proposals, lambda: pack_keep_cases(ruleset.rules))
    tidy = propose_tidy(stream, transcript, proposals, options.style,
                        options.keep_hallucinations, tokens)
    # Punctuation comes last among the proposals: it never touches what a rule or tidy pass
    # changes (see cleaner/punctuate/__init__.py).
    punctuation, punctuated = propose_punctuation(
        stream, transcript, proposals + list(tidy.proposals), options.punctuate, options.style,
        _names(options.cast, ruleset.cast))
    kept, dropped = resolve(stream, proposals + list(tidy.proposals) + punctuation)
    edits = to_edits(stream, transcript, kept)
    corrected = corrected_segments(transcript, edits)
    run_options: dict = {"style": options.style,
                         "keep_hallucinations": options.keep_hallucinations,
                         "loops": tidy.findings(), "speakers": options.speakers,
                         "mark_review": options.mark_review, "punctuate": punctuated}
    if options.speakers:
        # Imported here: speaker attribution (and numpy, for its models) is the costliest
        # import, and ``check`` without ``--speakers`` never needs it.
        from .attribute import attribute, attribute_diarized
        from .attribute.cast import missing_warnings
        from .attribute.overrides import check_lines
        from .attribute.voices.clusters import has_clusters

        if options.overrides:
            check_lines(transcript, options.overrides, transcript.path)
        if has_clusters(transcript):  # a diarized input: name its clusters (and repair)
            attribution, diarization = attribute_diarized(
                transcript, corrected, edits, cast=options.cast or None,
                pack_cast=ruleset.cast, overrides=options.overrides or (),
                trust=options.trust_diarization,
                keep_unsure=(options.review_below or 0.5) if options.keep_unsure_labels else None)
            # The review list is decided as for any input (segment/review.py).
            attribution = replace(attribution, labels=tuple(mark_turns(
                attribution.labels, attribution.units, options.review_below)))
            run_options["diarization"] = diarization.to_dict()
        else:
            attribution = attribute(transcript, corrected, edits, cast=options.cast or None,
                                    pack_cast=ruleset.cast, overrides=options.overrides or (),
                                    review_below=options.review_below)
        turns = build_turns(transcript, attribution.units, attribution.labels, edits)
        run_options["cast"] = [
            {"name": m.name, "role": m.role, "aliases": list(m.aliases)}
            for m in attribution.cast.members
        ]
        run_options["review_below"] = options.review_below
        run_options["warnings"] = missing_warnings(attribution.cast)
    else:
        turns = segment_turns(transcript, edits, corrected)
    if options.style != "verbatim":  # capitals and end marks where speakers start and stop
        edits, turns = finish_turns(stream, transcript, edits, turns)
        corrected = corrected_segments(transcript, edits)
    result = Result(
        transcript=transcript, edits=tuple(edits),
        dropped=tuple(dropped_records(stream, dropped)), turns=tuple(turns),
        packs=ruleset.packs, corrected=tuple(corrected), options=run_options,
    )
    verify_restorable(result)
    return result


def _names(cast, pack_cast) -> list[str]:
    """Names and aliases of the given cast and the packs' casts (they take capitals)."""
    members = [*(cast if isinstance(cast, (tuple, list)) else ()), *(pack_cast or ())]
    return [text for member in members for text in (member.name, *member.aliases)]


def _load_speaker_files(options: Options) -> Options:
    """Read a cast or overrides file named by path (the library accepts either form)."""
    if isinstance(options.cast, str):
        options = replace(options, cast=load_cast(options.cast))
    if isinstance(options.overrides, str):
        from .attribute.overrides import load_overrides

        options = replace(options, overrides=load_overrides(options.overrides))
    return options


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
                          speaker=segment.speaker_hint or segment.cluster))
    return turns


def verify_restorable(result: Result) -> None:
    """Check black-style that the output rebuilds the input exactly, before anything is written."""
    from .restore import restore_lines

    try:
        lines = restore_lines(result)
    except CleanerError as error:  # the output's own parts do not fit: our bug, not the user's
        raise InternalError(f"output does not restore the input: {error.message}") from None
    if tuple(lines) != result.transcript.lines:
        bad = next(i for i, (a, b) in enumerate(zip(lines, result.transcript.lines)) if a != b)
        raise InternalError(f"output does not restore input line {bad + 1}")
