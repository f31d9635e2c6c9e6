"""Plain text: paragraphs per speaker block, the first with ``Name:`` once speakers are
known (``Name (check speaker, 42%):`` when the block is marked for review)."""

from __future__ import annotations

from ..model import Result
from .labels import marks_review, speaker_label
from .layout import blocks, has_speakers


def render(result: Result) -> str:
    """The corrected transcript as plain text."""
    body = blocks(result)
    named = has_speakers(body)
    marked = marks_review(result)
    out = []
    for block in body:
        paragraphs = [p.text for p in block.paragraphs]
        if named:
            name, note = speaker_label(block, marked)
            paragraphs[0] = f"{name} ({note}): {paragraphs[0]}" if note else f"{name}: {paragraphs[0]}"
        out.extend(paragraphs)
    return "\n\n".join(out) + "\n" if out else ""  # nothing at all for an empty input
