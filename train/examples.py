"""From a labelled conversation to model inputs, through the same code the tool runs.

A conversation is cut into ASR-like lines (``asr_lines``), written in the seed's input
format, read by the runtime reader and cut into units by the runtime segmenter; the views
the cues read are built as at run time. So every feature a model is trained on is computed
exactly as it will be when the tool meets a real transcript.
"""

from __future__ import annotations

from dataclasses import dataclass

from cleaner.attribute.turns import line_units
from cleaner.attribute.turns.boundary import boundaries
from cleaner.attribute.cues import View, build_views, lowercase_sentences
from cleaner.attribute.mentions import NameIndex, common_words
from cleaner.read import read_text
from cleaner.segment.units import build_units

from .asr_lines import PREFIX_LINES, Line, captioned, simulate, to_markdown
from .corpus import Conversation


@dataclass
class Example:
    """One simulated conversation: its views, the gold speaker and role of each unit, and the
    hand-made change features at each boundary (``{unit: features}``)."""

    id: str
    source: str
    caption: bool
    views: list[View]
    speakers: list[str | None]
    roles: list[str | None]
    heuristic: dict[int, list[str]]
    markdown: str
    cast: list[tuple[str, str]]


def build(conversation: Conversation, lines: list[Line], caption: bool = False) -> Example:
    """The views and gold labels of simulated lines of a conversation."""
    markdown = to_markdown(lines, conversation.id)
    transcript = read_text(markdown, path="corpus.md")
    corrected = [segment.text for segment in transcript.segments]
    units = line_units(build_units(transcript, corrected, []))
    texts = "\n".join(corrected)
    lowercase = common_words(texts)
    people = [(name, ()) for name in conversation.roles]
    index = NameIndex(people, lowercase=lowercase)
    views = build_views(transcript, units, index)
    speakers: list[str | None] = []
    for unit in units:
        piece = unit.pieces[0]
        segment = transcript.segments[piece.segment]
        line = lines[segment.line - PREFIX_LINES - 1]
        text = segment.text[piece.start:]
        offset = piece.start + len(text) - len(text.lstrip())
        speakers.append(line.speaker_at(offset) if text.strip() else None)
    roles = [_role(conversation.roles.get(s)) if s else None for s in speakers]
    heuristic = dict(boundaries(views, lowercase, lowercase_sentences(views)))
    cast = [(name, role) for name, role in conversation.roles.items()]
    return Example(conversation.id, conversation.source, caption, views, speakers, roles,
                   heuristic, markdown, cast)


def _role(role: str | None) -> str | None:
    """The corpus role as the role model's class: host, guest, other; None when unknown."""
    if role in ("host", "guest"):
        return role
    if role in ("other", "narrator"):
        return "other"
    return None


def examples(conversation: Conversation, seed: int = 0, caption_share: float = 0.3,
             max_lines: int | None = None) -> list[Example]:
    """The ASR-like copy of a conversation, and for some a caption-style copy too."""
    lines = simulate(conversation, seed)
    if max_lines:
        lines = lines[:max_lines]
    out = [build(conversation, lines)]
    # Which conversations get a caption copy: a stable function of the id and seed.
    import zlib
    if (zlib.crc32(f"{seed}:{conversation.id}".encode()) % 1000) < caption_share * 1000:
        out.append(build(conversation, captioned(lines), caption=True))
    return out
