"""Markdown: the title, then the corrected text (``**Name:** text`` once speakers are known).

A turn marked for review reads ``**Name** *(check speaker, 42%)*: text``.
"""

from __future__ import annotations

from ..model import Result
from .labels import speaker_label


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
        lines = []
        for turn in body:
            name, note = speaker_label(turn)
            lines.append(f"**{name}** *({note})*: {turn.text}\n" if note else f"**{name}:** {turn.text}\n")
        out.append("\n".join(lines))
    else:
        out.append("\n".join(turn.text for turn in body) + "\n")
    return "\n".join(out)
