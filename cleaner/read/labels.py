"""Diarization cluster labels, told apart from people's names by their shape alone.

ASR pipelines that split a transcript by voice label each voice with a cluster label, not a
name. These shapes are cluster labels (case of the word ``speaker`` / ``spk`` aside):

- ``Speaker 0``, ``Speaker 12``, ``Speaker_3``, ``Speaker-1`` (Deepgram, Rev, our ``*.ai.md``);
- ``SPEAKER_00``, ``SPEAKER 01`` (pyannote, WhisperX), also in brackets: ``[SPEAKER_00]``;
- ``Speaker A`` ... ``Speaker Z`` (AssemblyAI): one capital letter;
- ``spk_0``, ``spk0``, ``spk-1`` (AWS Transcribe).

Anything else (``Jim Lehrer``, ``Sjors Provoost``, ``Speaker Pelosi``) is a name. Readers put a
cluster label in ``Segment.cluster`` and a name in ``Segment.speaker_hint``, never both.
"""

from __future__ import annotations

import regex

_BODY = r"(?:(?i:speaker)[ _-]?(?:\d{1,3}|\p{Lu})|(?i:spk)[ _-]?\d{1,3})"
CLUSTER = regex.compile(rf"^\[?({_BODY})\]?$")
# A cluster label opening a line of text: ``Speaker 0: text``, ``[SPEAKER_00]: text``.
CLUSTER_PREFIX = regex.compile(rf"^[ \t]*(?:\[(?P<label>{_BODY})\]|(?P<label>{_BODY}))[ \t]*:[ \t]*")


def cluster_label(label: str | None) -> str | None:
    """The cluster label ``label`` is (brackets and outer spaces dropped), or None for a name."""
    if not label:
        return None
    match = CLUSTER.match(label.strip())
    return match.group(1) if match else None


def split_label(label: str | None) -> dict:
    """``{"cluster": ...}`` for a cluster label, ``{"speaker_hint": ...}`` for a name, ``{}``
    for an empty label (keyword arguments for a segment)."""
    if label is None or not label.strip():
        return {}
    cluster = cluster_label(label)
    if cluster is not None:
        return {"cluster": cluster}
    return {"speaker_hint": label.strip()}


def cluster_prefix(line: str) -> tuple[str, int] | None:
    """``(label, end)`` when ``line`` opens with a cluster label and a colon, else None."""
    match = CLUSTER_PREFIX.match(line)
    if not match:
        return None
    return match.group("label"), match.end()
