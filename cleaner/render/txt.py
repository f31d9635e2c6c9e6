"""Plain text: paragraphs per speaker block, the first with ``Name:`` once speakers are
known."""

from __future__ import annotations

from ..model import Result
from .layout import blocks, has_speakers


def render(result: Result) -> str:
    """The corrected transcript as plain text."""
    body = blocks(result)
    named = has_speakers(body)
    out = []
    for block in body:
        paragraphs = [p.text for p in block.paragraphs]
        if named:
            paragraphs[0] = f"{block.speaker or 'Unknown'}: {paragraphs[0]}"
        out.extend(paragraphs)
    return "\n\n".join(out) + "\n"
