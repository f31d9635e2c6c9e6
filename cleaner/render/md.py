"""Markdown: the title, then the corrected text (``**Name:** text`` once speakers are known)."""

from __future__ import annotations

from ..model import Result


def render(result: Result) -> str:
    """The corrected transcript as Markdown."""
    transcript = result.transcript
    out = []
    if transcript.title:
        out.append(f"# {transcript.title}\n")
    if transcript.source_line:
        out.append(f"{transcript.source_line}\n")
    body = [turn for turn in result.turns if turn.text.strip()]
    if any(turn.speaker for turn in body):
        out.append("\n".join(f"**{turn.speaker or 'Unknown'}:** {turn.text}\n" for turn in body))
    elif body:
        out.append("\n".join(turn.text for turn in body) + "\n")
    return "\n".join(out)  # no text at all (an empty or header-only input): no blank lines
