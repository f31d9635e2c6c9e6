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

from .apply import RULES, propose_punctuation

__all__ = ["RULES", "propose_punctuation"]
