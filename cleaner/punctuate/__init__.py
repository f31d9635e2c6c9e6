"""Punctuate: put back the full stops, commas, question marks and capitals that caption-style
ASR leaves out (YouTube automatic captions, Whisper without punctuation).

Where it runs, and why: alongside the rule and tidy passes, as proposals on the same stream,
chosen after them. The pipeline is one pass over the text as read (every stage proposes
edits in input coordinates, and one resolver keeps a consistent set), so the packs match
the words as the ASR wrote them, and a punctuation mark never goes where another edit
works: a mark or a capital whose character a rule or tidy edit changes is moved to the
space after the word, or left out. So a known name ("kevin roos" -> "Kevin Roose") is never
split by an inserted comma, the rule decides its case, and the restored marks are still
edits of their own (``punct.period``, ``punct.comma``, ``punct.question``,
``punct.capital``) that the report lists and ``restore`` undoes. Attribution then reads the
corrected text, so its sentence units come from the restored sentence ends.

When: ``--punctuate auto`` (the default) punctuates the stretches of a transcript that have
none (``needs``): runs of segments with no mark at all that hold at least ``RUN_WORDS``
words; a whole caption file is one such run, and text that is partly punctuated keeps its
marks where it has them. ``always`` punctuates every word that has no mark after it;
``never`` and ``--style verbatim`` make no punctuation edits. A cleaned transcript has its
marks back, so cleaning it again punctuates nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..edits import Proposal, Stream
from ..model import Transcript
from .words import needs, words_of

__all__ = ["propose_punctuation"]


def propose_punctuation(stream: Stream, transcript: Transcript, taken: Sequence[Proposal],
                        mode: str = "auto", style: str = "clean", names: Iterable[str] = (),
                        weights=None) -> tuple[list[Proposal], dict]:
    """Proposals that restore marks and capitals, and a record of what was done.

    ``taken`` are the other stages' proposals: no character they change gets a mark or a
    capital. ``names`` (cast and pack names) get their capitals. The model (and numpy) is
    imported only when some stretch needs it.
    """
    info: dict = {"mode": mode, "applied": False}
    if mode == "never" or style == "verbatim":
        info["reason"] = "off" if mode == "never" else "verbatim style"
        return [], info
    words = words_of(transcript)
    targets = needs(words, len(transcript.segments), mode)
    if not words or not any(w.segment in targets for w in words):
        info["reason"] = "already punctuated"
        return [], info
    from .apply import punctuate_words

    return punctuate_words(stream, transcript, taken, words, targets, info, names, weights)
