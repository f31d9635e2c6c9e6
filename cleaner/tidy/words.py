"""Words, sentence ends and the closed word lists the tidy passes share."""

from __future__ import annotations

import regex

from ..correct.matcher import Tokens

# A word: letters or digits, with inner apostrophes ("that's", "rock'n'roll").
WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*")

# Hesitation sounds removed in the clean and edited styles. "uh-huh", "uh-oh" and "mm-hmm"
# are answers, not hesitations: a hyphen next to the word keeps it (see ``FILLER_RUN``).
FILLERS = frozenset({"um", "umm", "ummm", "uhm", "uh", "uhh", "uhhh", "er", "erm", "ah", "ahh",
                     "ahhh"})
_FILLER = r"(?:u+m+|uhm|u+h+|erm|er|a+h+)"
_EDGE_BEFORE = r"(?<![\p{L}\p{N}'’-])"
_EDGE_AFTER = r"(?![\p{L}\p{N}'’-])"
FILLER_RUN = regex.compile(
    rf"{_EDGE_BEFORE}{_FILLER}(?:(?:[ \t]*[,.!?…\-–—]+[ \t]*|[ \t]+){_FILLER})*{_EDGE_AFTER}",
    regex.IGNORECASE
)

# Words a sentence does not end on: a text ending with one breaks off ("Kate LoPresti and").
NEVER_FINAL = frozenset("""
the a an my your our their its of and or nor but because than into onto from with at by for to
""".split())

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


def sentence_breaks(text: str) -> list[int]:
    """Where each sentence after the first begins inside ``text``."""
    return [match.end() for match in _SENTENCE_BREAK.finditer(text)]


class Words:
    """Every word of a text as parallel lists: ``starts``, ``ends`` and compared ``keys``."""

    __slots__ = ("starts", "ends", "keys", "_spoken")

    def __init__(self, starts: list[int], ends: list[int], keys: list[str]) -> None:
        self.starts = starts
        self.ends = ends
        self.keys = keys
        self._spoken: Words | None = None

    def spoken(self) -> Words:
        """The words that are not fillers (computed once; several passes skip fillers)."""
        if self._spoken is None:
            picked = [i for i, k in enumerate(self.keys) if k not in FILLERS]
            if len(picked) == len(self.keys):
                self._spoken = self
            else:
                self._spoken = Words([self.starts[i] for i in picked],
                                     [self.ends[i] for i in picked],
                                     [self.keys[i] for i in picked])
        return self._spoken

    @classmethod
    def of(cls, text: str) -> Words:
        """The words of ``text``."""
        matches = list(WORD.finditer(text))
        return cls([m.start() for m in matches], [m.end() for m in matches],
                   [key(m.group()) for m in matches])

    @classmethod
    def from_tokens(cls, tokens: Tokens) -> Words:
        """The words among the rule matcher's tokens (the stream is cut only once)."""
        picked = [i for i, is_word in enumerate(tokens.words) if is_word]
        keys = [tokens.keys[i] for i in picked]
        if any("’" in k for k in keys):
            keys = [k.replace("’", "'") for k in keys]
        return cls([tokens.starts[i] for i in picked], [tokens.ends[i] for i in picked], keys)

    def __len__(self) -> int:
        return len(self.keys)
