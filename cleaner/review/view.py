"""A pipeline result seen through the editor's decisions: the result to export, and the data
the page shows. Pure: a ``Result`` and a ``State`` in, a ``Result`` or plain data out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import regex

from ..edits import corrected_segments, edits_by_line, span_text, text_offset
from ..model import Edit, Result, Turn
from ..render.speakers import expected_misattributed
from ..tidy.pieces import joined, segments_by_line, turn_pieces
from .state import State, fix_column, line_starts

_WORD = regex.compile(r"\S+\s*|\s+")
EDITOR_RULE = "editor"
MAX_MATCHES = 500


def edit_key(edit: Edit) -> str:
    """An edit's id in decisions: where it is and which rule made it (stable across re-runs,
    unlike its index)."""
    return f"{edit.line}:{edit.start}:{edit.end}:{edit.rule}"


def shown_speakers(turns: Sequence[Turn], state: State,
                   starts: Mapping[int, int]) -> list[str | None]:
    """The name shown for each turn: a fix's speaker where the editor pinned the turn (one
    turn beats all of a voice), else the voice's new name, else the decoder's label."""
    names = state.voice_map()
    columns: dict[int, list[tuple[int, str]]] = {}
    for fix in state.fixes:
        columns.setdefault(fix[0], []).append((fix_column(fix, starts), fix[2]))
    out = []
    for turn in turns:
        shown = next((speaker for line, start, end in turn.spans
                      for column, speaker in columns.get(line, ()) if start <= column < end), None)
        out.append(shown or names.get(turn.speaker or "", turn.speaker))
    return out


def with_texts(result: Result, state: State) -> Result:
    """The result with the editor's own text changes as edits (rule ``editor``), which win
    over any pipeline edit they overlap. A change whose text no longer matches the input, or
    that a turn boundary now cuts, is left out (it cannot be placed)."""
    if not state.texts:
        return result
    transcript = result.transcript
    spans = {}
    for turn in result.turns:
        for line, start, end in turn.spans:
            spans.setdefault(line, []).append((start, end))
    extra = [Edit(rule=EDITOR_RULE, category=EDITOR_RULE, line=line, start=start, end=end,
                  before=before, after=after, origin="cleaner review")
             for line, start, end, before, after in state.texts
             if line <= len(transcript.lines) and transcript.lines[line - 1][start:end] == before
             and any(s <= start and end <= e for s, e in spans.get(line, ()))]
    if not extra:
        return result
    taken = edits_by_line(extra)
    kept = [e for e in result.edits
            if not any(e.start < x.end and x.start < e.end for x in taken.get(e.line, ()))]
    edits = sorted(kept + extra, key=lambda e: (e.line, e.start, e.end))
    result = replace(result, edits=tuple(edits))
    return replace(result, turns=tuple(_retext(result, edits)),
                   corrected=tuple(corrected_segments(transcript, edits)))


def find(result: Result, query: str, case: bool = False) -> list[dict]:
    """Where ``query`` occurs in text no edit changed, inside one turn: ``{line, start, end,
    before, turn, left, right}`` (input columns, and a little context for the preview)."""
    if not query.strip():
        return []
    pattern = regex.compile(regex.escape(query), 0 if case else regex.IGNORECASE)
    transcript = result.transcript
    edits = edits_by_line(list(result.edits))
    spans: dict[int, list[tuple[int, int, int]]] = {}
    for number, turn in enumerate(result.turns):
        for line, start, end in turn.spans:
            spans.setdefault(line, []).append((start, end, number))
    out = []
    for segment in transcript.segments:
        for match in pattern.finditer(segment.text):
            start, end = segment.col(match.start()), segment.end_col(match.end())
            turn = next((n for s, e, n in spans.get(segment.line, ()) if s <= start and end <= e),
                        None)
            if turn is None or any(e.start < end and start < e.end
                                   for e in edits.get(segment.line, ())):
                continue
            out.append({"line": segment.line, "start": start, "end": end,
                        "before": transcript.lines[segment.line - 1][start:end], "turn": turn,
                        "left": segment.text[max(0, match.start() - 30):match.start()],
                        "right": segment.text[match.end():match.end() + 30]})
            if len(out) >= MAX_MATCHES:
                return out
    return out


def decided(result: Result, state: State, speakers: Sequence[str | None] | None = None) -> Result:
    """The result with the rejected edits undone and the speakers as shown: what export writes."""
    keep = [e for e in result.edits if state.accepted(edit_key(e), e.rule, e.category)]
    turns = list(result.turns)
    if len(keep) != len(result.edits):
        turns = _retext(result, keep)
    if speakers is not None:
        turns = [replace(turn, speaker=name) if name != turn.speaker else turn
                 for turn, name in zip(turns, speakers)]
    return replace(result, edits=tuple(keep), turns=tuple(turns),
                   corrected=tuple(corrected_segments(result.transcript, keep)))


def _retext(result: Result, edits: list[Edit]) -> list[Turn]:
    """Turns with their span texts and text made from ``edits`` alone."""
    transcript = result.transcript
    by_line = edits_by_line(edits)
    lines = segments_by_line(transcript)
    out = []
    for turn in result.turns:
        texts = tuple(span_text(transcript.lines[line - 1], start, end, by_line.get(line, []))
                      for line, start, end in turn.spans)
        if texts == turn.span_text:
            out.append(turn)
            continue
        out.append(replace(turn, span_text=texts,
                           text=joined(turn_pieces(transcript, turn, by_line, lines))))
    return out


def runs(result: Result, turn: Turn, state: State, by_line: Mapping[int, list[Edit]],
         lines: Mapping[int, list[int]]) -> list[dict]:
    """A turn's text as the page shows it: words ``{t, l, c}`` (text, input line and column,
    for "from this word" fixes) and edits ``{t, l, c, k, r, g, b, a, x}`` (key, rule,
    category, before, after, accepted)."""
    transcript = result.transcript
    out: list[dict] = []
    for line, start, end in turn.spans:
        for number in lines.get(line, ()):
            segment = transcript.segments[number]
            low, high = max(start, segment.start), min(end, segment.end)
            if low >= high:
                continue
            position = text_offset(segment, low)
            last = text_offset(segment, high)
            for edit in by_line.get(line, ()):
                if edit.start < low or edit.end > high:
                    continue
                first = text_offset(segment, edit.start)
                _words(out, segment, position, first, line)
                accepted = state.accepted(edit_key(edit), edit.rule, edit.category)
                out.append({"t": edit.after if accepted else edit.before, "l": line,
                            "c": edit.start, "k": edit_key(edit), "r": edit.rule,
                            "g": edit.category, "b": edit.before, "a": edit.after,
                            "x": accepted})
                position = text_offset(segment, edit.end)
            _words(out, segment, position, last, line)
        if out and not out[-1]["t"].endswith(" "):
            out.append({"t": " ", "l": line, "c": end})
    return out


def _words(out: list[dict], segment, first: int, last: int, line: int) -> None:
    for match in _WORD.finditer(segment.text, first, last):
        out.append({"t": match.group(), "l": line, "c": segment.col(match.start())})


def page_data(result: Result, state: State, *, changed: Sequence[int] = (),
              fixed: Sequence[int] = (), pinned: Sequence[int] = (),
              people: Sequence[str] = ()) -> dict:
    """Everything the page shows, as JSON-ready data."""
    speakers = shown_speakers(result.turns, state, line_starts(result.transcript.segments))
    by_line = edits_by_line(list(result.edits))
    lines = segments_by_line(result.transcript)
    held = set(pinned)
    turns = []
    for number, (turn, name) in enumerate(zip(result.turns, speakers)):
        words = len(turn.text.split())
        turns.append({
            "i": number, "speaker": name, "voice": turn.speaker, "role": turn.role,
            "confidence": None if turn.confidence is None else round(turn.confidence, 3),
            "review": bool(turn.review) and number not in held, "pinned": number in held,
            "start": turn.start_time, "end": turn.end_time, "words": words,
            "line": turn.spans[0][0] if turn.spans else None,
            "runs": runs(result, turn, state, by_line, lines),
            "evidence": [f"{e.cue}: {e.reason}" for e in turn.evidence[:4]],
        })
    queue = sorted((t for t in turns if t["review"]),
                   key=lambda t: (-expected_misattributed(t["confidence"], t["words"]), t["i"]))
    rules: dict[tuple[str, str], list[int]] = {}
    for edit in result.edits:
        tally = rules.setdefault((edit.rule, edit.category), [0, 0])
        tally[0] += 1
        tally[1] += state.accepted(edit_key(edit), edit.rule, edit.category)
    cast = [member["name"] for member in result.options.get("cast", ())]
    names = list(dict.fromkeys([*cast, *people, *(n for n in speakers if n)]))
    return {
        "turns": turns, "queue": [t["i"] for t in queue], "changed": list(changed),
        "fixed": list(fixed), "speakers": names,
        "voices": [{"voice": label, "name": name} for label, name in state.voices],
        "rules": [{"rule": rule, "category": category, "count": count, "accepted": accepted}
                  for (rule, category), (count, accepted) in sorted(rules.items())],
        "times": any(turn.start_time is not None for turn in result.turns),
    }
