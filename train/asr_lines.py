"""Turn a speaker-labelled conversation into input that looks like real ASR output.

The corpus has clean turns; the tool meets Whisper-like lines: about 4-20 words, mostly cut
at sentence ends, long sentences broken mid-way, the speaker changing nearly always at a
line break (in the real Whisper seed 1 change in 186 falls inside a line), and short
back-channels ("Yeah.", "Right.") as their own line or joined to a neighbouring line. A
caption-style copy (lowercase, no punctuation) keeps the models from leaning on ASR
punctuation alone. Everything is driven by a seeded ``random.Random``: the same
conversation and seed give the same lines.

``simulate`` returns ``Line``s: the text of each line and, for each of its characters'
stretches, who speaks (``chunks``). ``to_markdown`` writes them in the seed's input format,
so the runtime reader and segmenter cut them into units exactly as they cut real input.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from .corpus import Conversation

MAX_WORDS = 20
_SENTENCE = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")
_PUNCT = re.compile(r"[^\w\s'’-]|(?<!\w)-|-(?!\w)")
BACK_CHANNEL_WORDS = 3
JOIN_BACK_CHANNEL = 0.12   # a short reply joined to the line before it (a change inside a line)
JOIN_TURN = 1 / 186        # any other change of speaker inside a line
CAPTION_SHARE = 0.3        # conversations also given as a caption-style copy


@dataclass(frozen=True)
class Line:
    """One ASR-like line: its text and ``(offset, speaker)`` where each speaker starts."""

    text: str
    chunks: tuple[tuple[int, str], ...]

    def speaker_at(self, offset: int) -> str:
        """Who speaks at a character offset of the line."""
        found = self.chunks[0][1]
        for start, speaker in self.chunks:
            if start <= offset:
                found = speaker
        return found


def sentences(text: str) -> list[list[str]]:
    """A turn's sentences, each a list of words."""
    return [part.split() for part in _SENTENCE.split(text.strip()) if part.strip()]


def _pieces(words: list[str], rng: random.Random) -> list[list[str]]:
    """A long sentence broken mid-way into pieces of a Whisper-like length."""
    out = []
    while len(words) > MAX_WORDS:
        cut = rng.randint(8, 16)
        out.append(words[:cut])
        words = words[cut:]
    out.append(words)
    return out


def simulate(conversation: Conversation, seed: int = 0) -> list[Line]:
    """Whisper-like lines of a conversation (deterministic for a seed)."""
    rng = random.Random(f"{seed}:{conversation.id}")
    lines: list[Line] = []
    current: list[tuple[str, list[str]]] = []   # (speaker, words) chunks of the open line
    target = rng.randint(6, 16)

    def size() -> int:
        return sum(len(words) for _, words in current)

    def close() -> None:
        nonlocal current, target
        if not current:
            return
        text, chunks = "", []
        for speaker, words in current:
            if text:
                text += " "
            if not chunks or chunks[-1][1] != speaker:
                chunks.append((len(text), speaker))
            text += " ".join(words)
        lines.append(Line(text, tuple(chunks)))
        current = []
        target = rng.randint(6, 16)

    turns = conversation.turns
    for number, turn in enumerate(turns):
        parts = sentences(turn.text)
        words_in_turn = sum(len(p) for p in parts)
        if current and current[-1][0] != turn.speaker:
            short = words_in_turn <= BACK_CHANNEL_WORDS
            join = JOIN_BACK_CHANNEL if short else JOIN_TURN
            if not (rng.random() < join and size() + words_in_turn <= MAX_WORDS):
                close()
        for sentence in parts:
            for piece in _pieces(sentence, rng):
                if current and size() + len(piece) > MAX_WORDS:
                    close()
                current.append((turn.speaker, piece))
                if size() >= target:
                    close()
            # At a sentence end a line often ends even when short (Whisper cuts at pauses).
            if current and rng.random() < 0.35 + 0.05 * size():
                close()
        if number + 1 < len(turns):
            following = sum(len(p) for p in sentences(turns[number + 1].text))
            if following <= BACK_CHANNEL_WORDS and rng.random() < JOIN_BACK_CHANNEL / 2:
                continue  # leave the line open: the reply after is joined to it
            if rng.random() < JOIN_TURN:
                continue
        close()
    close()
    return lines


def caption_style(text: str) -> str:
    """Lowercase, punctuation stripped (apostrophes and inner hyphens kept), as captions are."""
    return " ".join(_PUNCT.sub(" ", text.lower()).split())


def captioned(lines: list[Line]) -> list[Line]:
    """A caption-style copy of the lines, speakers moved to the new offsets."""
    out = []
    for line in lines:
        text, chunks = "", []
        bounds = [start for start, _ in line.chunks] + [len(line.text)]
        for (start, speaker), end in zip(line.chunks, bounds[1:]):
            part = caption_style(line.text[start:end])
            if not part:
                continue
            if text:
                text += " "
            chunks.append((len(text), speaker))
            text += part
        if text:
            out.append(Line(text, tuple(chunks)))
    return out


def to_markdown(lines: list[Line], title: str = "conversation") -> str:
    """The lines in the seed's input format (a title, a source line, one bullet per line)."""
    body = "".join(f"*  {line.text}\n" for line in lines)
    return f"# {title}\n**Podcast:** [corpus](https://example.invalid/corpus)\n{body}"


PREFIX_LINES = 2  # lines before the first bullet in ``to_markdown``
