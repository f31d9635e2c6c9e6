"""Build turns (the output's speaker-labelled blocks) from units and their labels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..edits import edits_by_line, span_text
from ..tidy.joining import join_texts
from ..model import Edit, Evidence, Transcript, Turn
from .units import Unit


@dataclass(frozen=True, slots=True)
class Label:
    """Who a unit is given to, how sure we are, and why."""

    speaker: str | None = None
    role: str | None = None
    confidence: float | None = None
    evidence: tuple[Evidence, ...] = ()
    review: bool = False


def build_turns(transcript: Transcript, units: Sequence[Unit], labels: Sequence[Label],
                edits: Sequence[Edit]) -> list[Turn]:
    """Merge consecutive units with the same speaker into turns.

    Spans are per input line and tile the transcript text; a line shared by two speakers
    gives one span in each turn. A turn's confidence is the lowest of its units', and its
    evidence the union, strongest first.
    """
    grouped = edits_by_line(list(edits))
    turns: list[Turn] = []
    run: list[tuple[Unit, Label]] = []
    for unit, label in zip(units, labels):
        if run and run[-1][1].speaker != label.speaker:
            turns.append(_turn(transcript, run, grouped))
            run = []
        run.append((unit, label))
    if run:
        turns.append(_turn(transcript, run, grouped))
    return turns


def _turn(transcript: Transcript, run: list[tuple[Unit, Label]], grouped) -> Turn:
    spans: list[list[int]] = []
    for unit, _ in run:
        for piece in unit.pieces:
            segment = transcript.segments[piece.segment]
            # Both sides of a cut inside a segment use the same column (``end_col``), so text
            # the reader skipped at the cut (a WebVTT tag) still falls in a span.
            start, end = segment.end_col(piece.start), segment.end_col(piece.end)
            if piece.end == len(segment.text):
                end = segment.end
            if piece.start == 0:
                start = segment.start
            if spans and spans[-1][0] == segment.line and spans[-1][2] == start:
                spans[-1][2] = end
            else:
                spans.append([segment.line, start, end])
    texts = tuple(
        span_text(transcript.lines[line - 1], start, end, grouped.get(line, []))
        for line, start, end in spans
    )
    labels = [label for _, label in run]
    confidences = [l.confidence for l in labels if l.confidence is not None]
    evidence: dict[tuple, Evidence] = {}
    for label in labels:
        for item in label.evidence:
            evidence.setdefault((item.cue, item.reason, item.speaker, item.line), item)
    segments = [transcript.segments[p.segment] for unit, _ in run for p in unit.pieces]
    return Turn(
        text=join_texts(unit.text for unit, _ in run),
        spans=tuple(tuple(span) for span in spans),
        span_text=texts,
        speaker=labels[0].speaker,
        role=labels[0].role,
        confidence=min(confidences) if confidences else None,
        evidence=tuple(sorted(evidence.values(), key=lambda e: -abs(e.weight))),
        review=any(l.review for l in labels),
        start_time=next((s.start_time for s in segments if s.start_time is not None), None),
        end_time=next((s.end_time for s in reversed(segments) if s.end_time is not None), None),
    )
