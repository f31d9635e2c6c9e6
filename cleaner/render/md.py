"""Markdown: the title, then paragraphs per speaker block (``**Name:**`` once speakers are
known)."""

from __future__ import annotations

from ..model import Result
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
    for block in body:
        paragraphs = [p.text for p in block.paragraphs]
        if named:
            paragraphs[0] = f"**{block.speaker or 'Unknown'}:** {paragraphs[0]}"
        out.extend(f"{text}\n" for text in paragraphs)
    if not body:
        out.append("")
    return "\n".join(out)
