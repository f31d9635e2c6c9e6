"""Changes of speaker inside a sentence the input did not break: rare, unless this
conversation is the kind where they are common.

Why: a podcast transcript (Whisper or human) ends a speaker's words with an end mark, so a
line that stops without one goes on in the next line: "...we covered the saga in our
episode" / "Inside the Coup at OpenAI." is one speaker's sentence. In the corpus's podcasts
and interviews (as Whisper-like lines) fewer than 1 change of speaker in 100 falls at such
a line break, yet the decoder put about 2 guessed changes in 100 there, nearly all wrong
(each also cut a sentence in two in the published text; ``bench/attribution.py``).
Meeting transcripts are the other kind: people cut in mid-sentence ("So I mean" / "Yeah."),
and a quarter of their changes of speaker fall inside a sentence.

Which kind a conversation is, the text says only through its own decoding: the first
decoding's share of the sentence-internal breaks where it changes speaker (under 5 in 100
in an interview, one in three in a meeting; a caption-style copy, punctuated by the model,
a little less). Below ``decoder.in-sentence-rate``
every such break gets ``decoder.in-sentence`` against a change. A "sentence" over more than
``decoder.in-sentence-lines`` input lines is text with no punctuation and left alone. All
three are fitted on the corpus training split by ``python -m train.sentences``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..cues import Clue, View

IN_SENTENCE = "change.in-sentence"
REASON = "the sentence goes on from the line before, and this conversation rarely changes speaker inside one"
CUTS = "starts inside a sentence the input did not break: a wrong change, or someone cut off"


def inside(views: Sequence[View], longest: float, fixed: Mapping[int, int] | None = None
           ) -> list[int]:
    """Units that go on with the sentence of the unit before, where nothing but the cues
    decides the speaker (an editor's fix or the input's own labels may cut a sentence).
    A "sentence" over more than ``longest`` input lines is text with no punctuation, not one."""
    fixed = fixed or {}
    return [view.index for previous, view in zip(views, views[1:])
            if view.continues and view.text and view.hint == previous.hint
            and view.sentence_last - view.sentence_first < longest
            and view.index not in fixed and view.index - 1 not in fixed]


def changes_inside(path: Sequence[int], units: Sequence[int]) -> int:
    """How many of ``units`` a decoding starts a new speaker at."""
    return sum(path[unit] != path[unit - 1] for unit in units)


def in_sentence_clues(views: Sequence[View], path: Sequence[int], weights: Mapping[str, float],
                      fixed: Mapping[int, int] | None = None) -> list[Clue]:
    """Clues against a change at every sentence-internal break, when a first decoding
    (``path``) changes speaker at few of them; none otherwise."""
    weight = weights.get("decoder.in-sentence", 0.0)
    units = inside(views, weights["decoder.in-sentence-lines"], fixed)
    if not weight or not units or len(path) != len(views):
        return []
    if changes_inside(path, units) >= weights["decoder.in-sentence-rate"] * len(units):
        return []
    return [Clue(unit, IN_SENTENCE, "boundary", -weight, REASON) for unit in units]
