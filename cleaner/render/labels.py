"""How a turn's speaker is written in the text formats, review mark included."""

from __future__ import annotations

from ..model import Turn

UNKNOWN = "Unknown"


def speaker_label(turn: Turn) -> tuple[str, str | None]:
    """``(name, note)``: the note is set when the turn is marked for review."""
    name = turn.speaker or UNKNOWN
    if not turn.review:
        return name, None
    if turn.confidence is None:
        return name, "check speaker"
    return name, f"check speaker, {round(turn.confidence * 100)}%"
