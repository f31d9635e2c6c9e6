"""Plain text: ``Name: text`` per turn, or one line per segment before speakers are known.

A turn marked for review reads ``Name (check speaker, 42%): text``.
"""

from __future__ import annotations

from ..model import Result
from .labels import speaker_label


def render(result: Result) -> str:
    """The corrected transcript as plain text."""
    body = [turn for turn in result.turns if turn.text.strip()]
    if any(turn.speaker for turn in body):
        blocks = []
        for turn in body:
            name, note = speaker_label(turn)
            blocks.append(f"{name} ({note}): {turn.text}" if note else f"{name}: {turn.text}")
        return "\n\n".join(blocks) + "\n"
    return "\n".join(turn.text for turn in body) + "\n"
