"""Plain text: ``Name: text`` per turn, or one line per segment before speakers are known."""

from __future__ import annotations

from ..model import Result


def render(result: Result) -> str:
    """The corrected transcript as plain text."""
    body = [turn for turn in result.turns if turn.text.strip()]
    if any(turn.speaker for turn in body):
        return "\n\n".join(f"{turn.speaker or 'Unknown'}: {turn.text}" for turn in body) + "\n"
    return "".join(turn.text + "\n" for turn in body)  # nothing at all for an empty input
