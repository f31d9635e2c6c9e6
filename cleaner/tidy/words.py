"""Words, sentence ends and the closed word lists the tidy passes share."""

from __future__ import annotations

import regex

# A word: letters or digits, with inner apostrophes ("that's", "rock'n'roll").
WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*")

# Hesitation sounds removed in the clean and edited styles. "uh-huh", "uh-oh" and "mm-hmm"
# are answers, not hesitations: a hyphen next to the word keeps it (see ``FILLER_RUN``).
FILLERS = frozenset({"um", "umm", "uhm", "uh", "uhh", "er", "erm", "ah", "ahh"})
_FILLER = r"(?:u+m+|uhm|u+h+|erm|er|a+h+)"
_EDGE_BEFORE = r"(?<![\p{L}\p{N}'’-])"
_EDGE_AFTER = r"(?![\p{L}\p{N}'’-])"
FILLER_RUN = regex.compile(
    rf"{_EDGE_BEFORE}{_FILLER}(?:(?:\s*,\s*|\s+){_FILLER})*{_EDGE_AFTER}", regex.IGNORECASE
)

# A sentence end at the end of a text: end mark, then closing quotes or brackets.
ENDS_SENTENCE = regex.compile(r"[.!?…][\"'”’)\]]*$")
# An end mark that closes a sentence for certain (not an ellipsis trailing off).
FIRM_END = regex.compile(r"(?<!\.\.)[.!?][\"'”’)\]]*$")
# A sentence start in the text before a position: nothing, or an end mark and whitespace,
# then optional opening quotes or brackets.
SENTENCE_START_BEFORE = regex.compile(r"(?:^|[.!?…][\"'”’)\]]*\s+)[\"'“‘(\[]*$")


def key(word: str) -> str:
    """The form two words are compared in: casefolded, with one kind of apostrophe."""
    return word.casefold().replace("’", "'")


def word_keys(text: str) -> list[str]:
    """The compared forms of all words of a text, in order."""
    return [key(match.group()) for match in WORD.finditer(text)]


def capitalised(text: str, position: int) -> str | None:
    """The character at ``position`` in upper case when it starts a plain lower-case word.

    None when it is not a lower-case letter, or the word already mixes cases ("iPhone",
    "eBay"), which upper-casing would spoil.
    """
    char = text[position : position + 1]
    if not char or not char.islower():
        return None
    match = WORD.match(text, position)
    if match and any(c.isupper() for c in match.group()):
        return None
    upper = char.upper()
    return upper if len(upper) == 1 else None


# Where one sentence ends and the next begins inside a text (end mark, closers, whitespace,
# then anything but a lower-case letter). Cruder than ``segment.sentence_ends`` on purpose:
# the tidy passes only need sentence-sized units to compare, and run before segmenting.
_SENTENCE_BREAK = regex.compile(r"[.!?…]+[\"'”’)\]]*\s+(?=[^\s\p{Ll}])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each sentence of ``text``; the whitespace after one belongs to it."""
    spans = []
    start = 0
    for match in _SENTENCE_BREAK.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


class Words:
    """Every word of a text as parallel lists: ``starts``, ``ends`` and compared ``keys``."""

    __slots__ = ("starts", "ends", "keys")

    def __init__(self, text: str) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.keys: list[str] = []
        for match in WORD.finditer(text):
            self.starts.append(match.start())
            self.ends.append(match.end())
            self.keys.append(key(match.group()))

    def __len__(self) -> int:
        return len(self.keys)
