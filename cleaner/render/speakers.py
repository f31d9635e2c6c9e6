"""The report's speakers section: the cast, each speaker's share of the words and turns,
and the turns whose speaker is uncertain (marked for review)."""

from __future__ import annotations

from ..segment.review import rule
from ..model import Result, Turn
from .labels import UNKNOWN

CLIP = 70
REASONS = 3


def speakers_section(result: Result) -> list[tuple[str, list[str]]]:
    """``[("Speakers", markdown lines)]``, or nothing when attribution did not run."""
    if not result.options.get("speakers"):
        return []
    turns = [turn for turn in result.turns if turn.text.strip()]
    lines: list[str] = []
    cast = result.options.get("cast") or []
    if cast:
        lines.append("Cast: " + "; ".join(f"{m['name']} ({m['role']})" for m in cast) + ".")
        lines.append("")
    for warning in result.options.get("warnings", ()):
        lines += [f"- warning: {_cell(warning)}", ""]
    lines += ["| speaker | role | words | share | turns | mean confidence |", "|---|---|---|---|---|---|"]
    total = sum(len(turn.text.split()) for turn in turns) or 1
    for name, role, words, count, confidence in speaker_rows(turns):
        mean = "-" if confidence is None else f"{confidence:.2f}"
        lines.append(f"| {_cell(name)} | {role or '-'} | {words} | {words / total:.0%} | {count} | {mean} |")
    review = sorted((turn for turn in turns if turn.review), key=_check_first)
    threshold = result.options.get("review_below")
    lines += ["", (f"Turns to check (confidence below {threshold:g} and likely to hold "
                    f"{rule().min_expected:g} misattributed words or more, or starting inside a sentence "
                    f"the input did not break): {len(review)}"
                   if threshold is not None else f"Turns to check: {len(review)}")
              + (", those likely to hold the most misattributed words first." if review else "."), ""]
    for turn in review:
        lines.append(f"- line {turn.spans[0][0]}: {turn.speaker or UNKNOWN} "
                     f"({_confidence(turn)}, {len(turn.text.split())} words) “{_cell(_clip(turn.text))}”"
                     + (f" — {'; '.join(_cell(r) for r in _reasons(turn))}" if _reasons(turn) else ""))
    return [("Speakers", lines + cluster_lines(result))]


def cluster_lines(result: Result) -> list[str]:
    """A diarized input's clusters: each one's name, confidence and reasons (those to check
    marked), the repairs of the diarizer's turns, and the warnings."""
    diarization = result.options.get("diarization")
    if not diarization:
        return []
    threshold = result.options.get("review_below")
    lines = ["", "Clusters (the diarizer's speaker labels) and who they are:", ""]
    for cluster in diarization["clusters"]:
        name = cluster["name"]
        check = name is None or (threshold is not None and cluster["confidence"] < threshold)
        target = name or ("unnamed" + (f", best guess {cluster['candidate']}"
                                       if cluster.get("candidate") else ""))
        reasons = "; ".join(cluster["evidence"][:4])
        lines.append(f"- {_cell(cluster['label'])} → {_cell(target)} ({cluster['confidence']:.2f}, "
                     f"{cluster['words']} words, {cluster['turns']} turns)"
                     + (f": {_cell(reasons)}" if reasons else "") + (" — check" if check else ""))
    to_check = sum(1 for c in diarization["clusters"] if c["name"] is None
                   or (threshold is not None and c["confidence"] < threshold))
    lines += ["", f"Clusters to check (unnamed, or named with confidence below {threshold}): "
              f"{to_check}."]
    repairs = diarization["repairs"]
    trusted = " (--trust-diarization: boundaries kept)" if diarization.get("trust_diarization") else ""
    lines += ["", f"Repairs of the diarizer's turns{trusted}: {len(repairs)}.", ""]
    for repair in repairs:
        lines.append(f"- line {repair['line']}: {_cell(repair['before'])} → {_cell(repair['after'])} "
                     f"({repair['rule']}, {repair['confidence']:.2f}) “{_cell(_clip(repair['text']))}”: "
                     f"{_cell(repair['reason'])}")
    for warning in diarization.get("warnings", ()):
        lines.append(f"- warning: {_cell(warning)}")
    return lines


def speaker_rows(turns: list[Turn]) -> list[tuple[str, str | None, int, int, float | None]]:
    """``(speaker, role, words, turns, word-weighted mean confidence)``, most words first."""
    stats: dict[str, list] = {}
    for turn in turns:
        name = turn.speaker or UNKNOWN
        words = len(turn.text.split())
        row = stats.setdefault(name, [turn.role, 0, 0, 0.0, 0])
        row[1] += words
        row[2] += 1
        if turn.confidence is not None:
            row[3] += turn.confidence * words
            row[4] += words
    rows = [(name, role, words, count, (weighted / weight) if weight else None)
            for name, (role, words, count, weighted, weight) in stats.items()]
    return sorted(rows, key=lambda row: (-row[2], row[0]))


def expected_misattributed(confidence: float | None, words: int) -> float:
    """The words of a turn expected to be given to the wrong speaker: the review order, most
    first. On the dev set an editor fixing turns in this order puts right more than twice as
    many words per fix as one going by confidence alone (``bench/editor.py``)."""
    return (1.0 - (confidence or 0.0)) * words


def _check_first(turn: Turn) -> tuple[float, int, int]:
    return (-expected_misattributed(turn.confidence, len(turn.text.split())),
            turn.spans[0][0], turn.spans[0][1])


def _reasons(turn: Turn) -> list[str]:
    return [ev.reason for ev in turn.evidence if ev.cue != "decoder"][:REASONS]


def _confidence(turn: Turn) -> str:
    return "-" if turn.confidence is None else f"{turn.confidence:.2f}"


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= CLIP else text[: CLIP - 1] + "…"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
