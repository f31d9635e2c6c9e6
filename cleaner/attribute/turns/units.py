"""Units: the transcript's sentences, cut again where input lines break, since a speaker
can change at an ASR line break even mid-sentence; and the veto on a change inside a sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from ...model import Transcript
from ...segment.units import Unit
from ...tidy.words import NEVER_FINAL  # a line ending with one goes on in the next line
from ..cues import FORCED, Clue


def line_units(units: Sequence[Unit]) -> list[Unit]:
    """Cut sentence units where input segments break: one unit per piece.

    A speaker can change at an ASR line break even mid-sentence; the continuation cue keeps
    the pieces of one sentence together unless other cues outweigh it.
    """
    out: list[Unit] = []
    for unit in units:
        for piece in unit.pieces:
            out.append(Unit(len(out), (piece,)))
    return out


MID_SENTENCE = "change.mid-sentence"
MID_SENTENCE_PIECES = 4  # a "sentence" over more input lines is unpunctuated text, not one
_LAST_WORD = regex.compile(r"([\p{L}']+)$")
_OPENS_LOWER = regex.compile(r"^\p{Ll}")


def mid_sentence(sentences: Sequence[Unit], transcript: Transcript | None = None) -> list[Clue]:
    """A boundary clue that forbids a change of speaker where a line break cuts a sentence.

    A speaker changes at a sentence boundary, not inside one: "...not just in the" / "US,
    but around the world." is one speaker's sentence, and a change there also added a full
    stop after "the". A line break is inside a sentence when the line before ends on a word
    with no mark after it, and that word is one no sentence ends on ("the", "of", "and") or
    the next line goes on in lower case. Human transcripts break lines at interruptions
    ("keep it--", "ourselves from the last meeting ," / "Mm-hmm ."), so a mark or a capital
    leaves the boundary to the cues. An override can still cut a sentence: its units are
    exempt (see ``change.find_changes``), and so is a line the input labels with another speaker than
    the line before. Sentences over more than ``MID_SENTENCE_PIECES`` input lines are taken
    for unpunctuated text and left alone.
    """
    segments = transcript.segments if transcript is not None else ()
    clues = []
    unit = 0
    for sentence in sentences:
        pieces = sentence.pieces
        for number, piece in enumerate(pieces):
            if number and len(pieces) <= MID_SENTENCE_PIECES:
                last = _LAST_WORD.search(pieces[number - 1].text.rstrip())
                labels = {segments[p.segment].speaker_hint for p in pieces[number - 1 : number + 1]
                          } if segments else {None}
                if last and len(labels) == 1 and (last.group(1).lower() in NEVER_FINAL
                                                  or _OPENS_LOWER.match(piece.text.lstrip())):
                    clues.append(Clue(unit, MID_SENTENCE, "boundary", -FORCED,
                                      "the sentence goes on from the line before"))
            unit += 1
    return clues
