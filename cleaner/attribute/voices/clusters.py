"""Voices from the input: a diarizer's clusters, repaired where the text strongly contradicts them.

A diarized transcript says which lines one voice spoke, so this stage reads its voices
instead of decoding them (``track.py``); the names stage then names them
(``names/clusters.py``). Repair (``repair.py``) moves a unit to another voice only on strong
evidence of a change of speaker at both its edges.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...model import Transcript
from ..cues import Clue, View
from .repair import Repair, locate, repair_clusters


def has_clusters(transcript: Transcript) -> bool:
    """True when the input carries diarization cluster labels."""
    return any(segment.cluster for segment in transcript.segments)


def unit_clusters(transcript: Transcript, units) -> tuple[list[str], int]:
    """The cluster of every unit (a unit lies in one segment), and how many units had none
    (given the cluster before them, or after them at the start). A unit whose input names
    its speaker (a mix of names and cluster labels, as in this tool's own output for a
    cluster it could not name) has that name as its "cluster"."""
    out: list[str | None] = [transcript.segments[unit.first_segment].cluster
                             or transcript.segments[unit.first_segment].speaker_hint
                             for unit in units]
    missing = sum(1 for c in out if c is None)
    first = next((c for c in out if c is not None), None)
    previous = first
    for number, cluster in enumerate(out):
        if cluster is None:
            out[number] = previous
        else:
            previous = cluster
    return out, missing


def input_voices(transcript: Transcript, units, views: Sequence[View], clusters: Sequence[str],
                 clues: Sequence[Clue], trust: bool) -> tuple[list[str], list[Repair]]:
    """The voice of every unit: its cluster, repaired unless the diarization is trusted."""
    if trust:
        return list(clusters), []
    repaired, repairs = repair_clusters(views, list(clusters), clues)
    return repaired, locate(repairs, units, transcript)
