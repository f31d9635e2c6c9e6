"""How a speaker block's speaker is written in the text formats, review mark included."""

from __future__ import annotations

UNKNOWN = "Unknown"


def speaker_label(turn) -> tuple[str, str | None]:
    """``(name, note)`` of a turn or block: the note is set when it is marked for review."""
    name = turn.speaker or UNKNOWN
    if not turn.review:
        return name, None
    if turn.confidence is None:
        return name, "check speaker"
    return name, f"check speaker, {round(turn.confidence * 100)}%"
