"""Markdown: the title, then paragraphs per speaker block (``**Name:**`` once speakers are
known; ``**Name** *(check speaker, 42%)*:`` when the block is marked for review)."""

from __future__ import annotations

from ..model import Result
from .labels import marks_review, speaker_label
from .layout import blocks, has_speakers


def render(result: Result) -> str:
    """The corrected transcript as Markdown."""
    transcript = result.transcript
    out = []
    if transcript.title:
        out.append(f"# {transcript.title}\n")
    if transcript.source_line:
        out.append(f"{transcript.source_line}\n")
    body = blocks(result)
    named = has_speakers(body)
    marked = marks_review(result)
    for block in body:
        paragraphs = [p.text for p in block.paragraphs]
        if named:
            name, note = speaker_label(block, marked)
            label = f"**{name}** *({note})*:" if note else f"**{name}:**"
            paragraphs[0] = f"{label} {paragraphs[0]}"
        out.extend(f"{text}\n" for text in paragraphs)
    return "\n".join(out)  # no text at all (an empty or header-only input): no blank lines
