"""Publication fixes that need speaker turns: a capital where a speaker's text starts or a
line joins after a sentence end, and an end mark where the transcript stops.

A full stop is never added to make a fragment look finished. Where a speaker's text stops
without an end mark and another speaker's text follows, the input's sentence went on there
(Whisper and the punctuation model end a sentence with a mark; "...in our episode" /
"Inside the Coup at OpenAI." is one sentence), so either the change of speaker is wrong or
the speaker was cut off: the text is left as it is, and attribution puts such a turn on the
review list (``attribute/turns/sentences.py``). Only the transcript's last text gets an end mark,
and not when it breaks off on a word no sentence ends on ("...and the").

Turns exist only after attribution, and attribution reads the text the first pass produced
(a lower-case line start is one of its cues), so these fixes run as a second, small pass.
Each fix replaces one character that no earlier edit touched, so it never overlaps a kept
edit; where the character was written by an earlier edit ("open ai" -> "OpenAI" ending a
turn), that edit takes the fix in its ``after`` (its rule kept, a note added), since a second
run would otherwise add it to the text the first one wrote. The turns holding new or changed
edits get their ``span_text`` and ``text`` rebuilt, so ``restore`` still rebuilds the input.

Consecutive turns with the same speaker (None included) form one block, as the writers print
them: only a block's start and end count as a speaker's start and end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import regex

from ..edits import (Proposal, Stream, edits_by_line, edits_within, span_text, text_offset,
                     to_edits)
from ..model import Edit, Transcript, Turn
from .pieces import Piece, joined, segments_by_line, turn_pieces
from .words import ENDS_SENTENCE, FIRM_END, NEVER_FINAL, WORD, capitalised

RULE_CAPITAL = "tidy.capital"
RULE_END = "tidy.end-mark"

_OPENERS = " \t\"'“‘¿¡*_"  # not brackets: "[laughs]" is an annotation, not a sentence
_CUT_OFF = regex.compile(r"(?:-|--|—|–)$")
_ABBREVIATION = regex.compile(
    r"(?:(?<![\p{L}\p{N}])\p{L}\.(?:\p{L}\.)*|\b(?i:mr|mrs|ms|dr|st|vs|etc|jr|sr|prof|no|vol|"
    r"approx|inc|ltd|co)\.)$")


def finish_turns(stream: Stream, transcript: Transcript, edits: Sequence[Edit],
                 turns: Sequence[Turn]) -> tuple[list[Edit], list[Turn]]:
    """The edits with the publication fixes added, and the turns rebuilt to match."""
    by_line = edits_by_line(list(edits))
    lines = segments_by_line(transcript)
    fixes: dict[int, tuple[str, str, str]] = {}  # stream position -> (after, rule, why)
    upgrades: dict[Edit, Edit] = {}  # a one-letter capital that also takes the end mark
    texts = [[p for turn in block for p in turn_pieces(transcript, turn, by_line, lines)
              if p.text.strip()] for block in _blocks(turns)]
    texts = [pieces for pieces in texts if pieces]
    for number, pieces in enumerate(texts):
        _propose_block(stream, transcript, pieces, fixes, by_line, upgrades,
                       last=number == len(texts) - 1)
    if not fixes and not upgrades:
        return list(edits), list(turns)
    proposals = [_proposal(position, *fix) for position, fix in sorted(fixes.items())]
    added = to_edits(stream, transcript, proposals) + list(upgrades.values())
    kept = [edit for edit in edits if edit not in upgrades]
    merged = sorted([*kept, *added], key=lambda e: (e.line, e.start, e.end))
    return merged, _rebuild(transcript, turns, merged, added, lines)


def _blocks(turns: Sequence[Turn]) -> list[list[Turn]]:
    blocks: list[list[Turn]] = []
    for turn in turns:
        if blocks and blocks[-1][-1].speaker == turn.speaker:
            blocks[-1].append(turn)
        else:
            blocks.append([turn])
    return blocks


def _propose_block(stream: Stream, transcript: Transcript, pieces: list[Piece], fixes: dict,
                   by_line: dict, upgrades: dict, last: bool = True) -> None:
    """Capitals at the block start and after sentence ends at joins; an end mark at its end
    when it is the transcript's ``last`` block and does not break off."""
    _capital(stream, pieces[0], fixes, "the start of a speaker's text", transcript, by_line,
             upgrades)
    for previous, piece in zip(pieces, pieces[1:]):
        if not piece.text.lstrip(_OPENERS)[:1].islower():
            continue  # the common case, checked first: nothing to capitalise
        before = previous.text.rstrip()
        if FIRM_END.search(before) and not _ABBREVIATION.search(before):
            _capital(stream, piece, fixes, "a sentence start after a line break", transcript,
                     by_line, upgrades)
    final = pieces[-1]
    text = final.text.rstrip()
    if ENDS_SENTENCE.search(text) or _CUT_OFF.search(text) or not last or breaks_off(text):
        return
    index = len(text) - 1
    origin = final.origin(index)
    char = text[index]
    after = "." if char in ",;:" else char + "."
    if origin is None:
        # Written by an edit ("Kevin Roos" -> "Kevin Roose"): that edit takes the end mark,
        # as a second run would add it to the text the first one wrote.
        _upgrade_end(transcript, final, index, after, by_line, upgrades)
        return
    position = stream.starts[final.segment] + origin
    current = fixes.get(position)
    if current is not None:  # the same character also takes a capital
        after = current[0] + after[1:] if char not in ",;:" else after
    fixes[position] = (after, RULE_END, "the end of the transcript has no end mark")


def breaks_off(text: str) -> bool:
    """True when a text ends on a word no sentence ends on ("...Kate LoPresti and")."""
    words = WORD.findall(text[-40:])
    return bool(words) and words[-1].casefold() in NEVER_FINAL


def _edit_at(transcript: Transcript, piece: Piece, index: int,
             by_line: dict) -> tuple[Edit, int] | None:
    """The edit that wrote ``piece.text[index]``, and where in its ``after`` that is."""
    segment = transcript.segments[piece.segment]
    position, offset = 0, piece.start  # in the piece's text, in the segment's original text
    for edit in edits_within(by_line.get(segment.line, ()), segment.start, segment.end):
        start, end = text_offset(segment, edit.start), text_offset(segment, edit.end)
        if not (piece.start <= start and end <= piece.end):
            continue
        position += start - offset
        if position <= index < position + len(edit.after):
            return edit, index - position
        position += len(edit.after)
        offset = end
    return None


def _upgrade(upgrades: dict, edit: Edit, at: int, new: str, **changes) -> None:
    """Replace ``edit.after[at]`` by ``new`` in the edit's upgraded version."""
    current = upgrades.get(edit, edit)
    after = current.after[:at] + new + current.after[at + 1:]
    upgrades[edit] = replace(current, after=after, **changes)


def _upgrade_end(transcript: Transcript, piece: Piece, index: int, mark: str, by_line: dict,
                 upgrades: dict) -> None:
    """Let the edit that wrote ``piece.text[index]`` take the end mark."""
    found = _edit_at(transcript, piece, index, by_line)
    if found is None:
        return
    edit, at = found
    if edit.rule == RULE_CAPITAL and len(edit.after) == len(edit.before) == 1:
        _upgrade(upgrades, edit, at, mark, rule=RULE_END,
                 origin=f"{RULE_END}: the end of the transcript has no end mark "
                        "(with the capital)")
    else:
        _upgrade(upgrades, edit, at, mark,
                 note=_with(edit.note, "with the end mark of the transcript"))


def _with(note: str | None, addition: str) -> str:
    return f"{note}; {addition}" if note else addition


def _capital(stream: Stream, piece: Piece, fixes: dict, where: str,
             transcript: Transcript | None = None, by_line: dict | None = None,
             upgrades: dict | None = None) -> None:
    text = piece.text
    index = 0
    while index < len(text) and text[index] in _OPENERS:
        index += 1
    if index >= len(text):
        return
    upper = capitalised(text, index)
    if upper is None:
        return
    if piece.origin(index) is not None:
        fixes[stream.starts[piece.segment] + piece.origin(index)] = (
            upper, RULE_CAPITAL, f"a capital at {where}")
    elif upgrades is not None:  # written by an edit: that edit takes the capital
        found = _edit_at(transcript, piece, index, by_line)
        if found is not None:
            edit, at = found
            _upgrade(upgrades, edit, at, upper, note=_with(edit.note, f"with a capital at {where}"))


def _proposal(position: int, after: str, rule: str, why: str) -> Proposal:
    return Proposal(start=position, end=position + 1, after=after, rule=rule, category="tidy",
                    origin=f"{rule}: {why}", note="publication layout")


def _rebuild(transcript: Transcript, turns: Sequence[Turn], edits: list[Edit],
             added: list[Edit], lines: dict[int, list[int]]) -> list[Turn]:
    """Turns holding an added edit, with their span texts and text made from all edits."""
    added_by_line = edits_by_line(added)
    by_line = edits_by_line(edits)
    out = []
    for turn in turns:
        if not any(edits_within(added_by_line.get(line, ()), start, end)
                   for line, start, end in turn.spans):
            out.append(turn)
            continue
        texts = tuple(span_text(transcript.lines[line - 1], start, end, by_line.get(line, []))
                      for line, start, end in turn.spans)
        text = joined(turn_pieces(transcript, turn, by_line, lines))
        out.append(replace(turn, text=text, span_text=texts))
    return out
