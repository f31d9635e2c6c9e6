"""How a speaker block's speaker is written in the text formats, review mark included."""

from __future__ import annotations

UNKNOWN = "Unknown"


def speaker_label(turn, marked: bool = True) -> tuple[str, str | None]:
    """``(name, note)`` of a turn or block: the note is set when it is marked for review and
    ``marked`` (review marks in published text are asked for with ``--mark-review``)."""
    name = turn.speaker or UNKNOWN
    if not (turn.review and marked):
        return name, None
    if turn.confidence is None:
        return name, "check speaker"
    return name, f"check speaker, {round(turn.confidence * 100)}%"


def marks_review(result) -> bool:
    """Whether the publishable formats carry review marks (``--mark-review``); the report,
    the JSON and ``check`` always list the turns marked for review."""
    return bool(result.options.get("mark_review"))
