"""Find literal rule variants in text with one token trie, whatever the number of rules.

Text is cut into tokens: words (``\\w`` runs, inner apostrophes kept, so "Roos's" and "don't"
are one word) and single punctuation characters. Every variant of every rule is cut the same
way and stored in one trie keyed by its tokens, where each key after the first records
whether whitespace precedes it. Matching walks the trie from each token, so the cost grows
with the length of the text and the depth of the trie, not with the number of rules; the
first lookup at each token is a single dict probe.

This gives the boundary policy without ``\\b``: a match starts and ends on whole tokens, a
space in a variant matches any run of whitespace (a line break too), and a variant that
begins or ends with punctuation ("Chachi P.T.", "C++") may not touch a word on that side.
The last word may carry a possessive or plural suffix, which stays in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
SUFFIXES = ("'s", "’s", "s")

# A trie node is ``[children, entries]``: children maps a key (" " + token when whitespace
# comes first) to a node; entries lists the variants ending here.
Node = list


@dataclass(frozen=True, slots=True)
class Tokens:
    """Tokens of a text as parallel lists (cheaper than one object per token)."""

    starts: list[int]
    ends: list[int]
    keys: list[str]
    words: list[bool]
    gaps: list[bool]
    stems: dict[int, tuple[tuple[str, int], ...]]


# One variant of one rule, stored at the trie node where the variant ends, as a plain tuple
# (unpickling a cached trie of 50,000 dataclasses cost more than the rest of a warm run):
# (rule number, the variant's tokens when case must match exactly or None,
#  whether it starts with punctuation, whether it ends with punctuation).
Entry = tuple


@dataclass(frozen=True, slots=True)
class Hit:
    """A variant found in text: tokens ``first..last``, text ``[start, end)`` before the suffix."""

    rule: int
    first: int
    last: int
    start: int
    end: int
    suffix: int


def tokenize(text: str) -> Tokens:
    """Cut text into tokens (see the module docstring)."""
    starts: list[int] = []
    ends: list[int] = []
    keys: list[str] = []
    words: list[bool] = []
    gaps: list[bool] = []
    stems: dict[int, tuple[tuple[str, int], ...]] = {}
    previous_end = -1
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        token = match.group()
        key = token.casefold()
        index = len(keys)
        starts.append(start)
        ends.append(end)
        keys.append(key)
        is_word = token[0].isalnum() or token[0] == "_"
        words.append(is_word)
        gaps.append(start != previous_end)
        previous_end = end
        if is_word and key[-1] == "s":
            stems[index] = tuple(
                (key[: -len(suffix)], len(suffix))
                for suffix in SUFFIXES
                if len(key) > len(suffix) and key.endswith(suffix)
            )
    return Tokens(starts, ends, keys, words, gaps, stems)


def variant_keys(variant: str) -> list[str]:
    """The trie keys of a variant: its tokens, casefolded, with " " marking whitespace before."""
    tokens = tokenize(variant)
    return [
        (" " if tokens.gaps[i] and i else "") + key for i, key in enumerate(tokens.keys)
    ]


def has_tokens(variant: str) -> bool:
    """True when the variant has a word or mark to match (``variant_keys`` is not empty)."""
    return _TOKEN.search(variant) is not None


def variant_tokens(variant: str) -> tuple[str, ...]:
    """The variant's tokens as written (for case-exact comparison)."""
    return tuple(match.group() for match in _TOKEN.finditer(variant))


class LiteralIndex:
    """The trie of all literal variants of a rule set."""

    def __init__(self) -> None:
        self.root: dict[str, Node] = {}
        self.size = 0

    def add(self, variant: str, rule: int, exact: bool) -> bool:
        """Store one variant of rule number ``rule``; False if it has no tokens."""
        keys = variant_keys(variant)
        if not keys:
            return False
        children = self.root
        node: Node | None = None
        for key in keys:
            node = children.get(key)
            if node is None:
                node = [{}, []]
                children[key] = node
            children = node[0]
        raw = variant_tokens(variant)
        node[1].append((rule, raw if exact else None, not _is_word(raw[0]), not _is_word(raw[-1])))
        self.size += 1
        return True

    def find(self, text: str, tokens: Tokens | None = None) -> list[Hit]:
        """Every occurrence of every variant in ``text``, overlapping ones included."""
        if tokens is None:
            tokens = tokenize(text)
        root = self.root
        keys, gaps, stems = tokens.keys, tokens.gaps, tokens.stems
        count = len(keys)
        found: list[tuple[int, int, list[Entry], int]] = []
        for first in range(count):
            node = root.get(keys[first])
            if first in stems:
                for stem, suffix in stems[first]:
                    stemmed = root.get(stem)
                    if stemmed is not None and stemmed[1]:
                        found.append((first, first, stemmed[1], suffix))
            last = first
            while node is not None:
                if node[1]:
                    found.append((first, last, node[1], 0))
                last += 1
                if last == count or not node[0]:
                    break
                prefix = " " if gaps[last] else ""
                children = node[0]
                if last in stems:
                    for stem, suffix in stems[last]:
                        stemmed = children.get(prefix + stem)
                        if stemmed is not None and stemmed[1]:
                            found.append((first, last, stemmed[1], suffix))
                node = children.get(prefix + keys[last])
        return [hit for item in found for hit in self._hits(text, tokens, *item)]

    @staticmethod
    def _hits(text: str, tokens: Tokens, first: int, last: int, entries: list[Entry],
              suffix: int) -> list[Hit]:
        start = tokens.starts[first]
        end = tokens.ends[last] - suffix
        hits = []
        for rule, exact, starts_with_punct, ends_with_punct in entries:
            if starts_with_punct and first and not tokens.gaps[first] and tokens.words[first - 1]:
                continue
            if (ends_with_punct and last + 1 < len(tokens.keys)
                    and not tokens.gaps[last + 1] and tokens.words[last + 1]):
                continue
            if exact is not None and not _same_tokens(text, tokens, first, last, suffix, exact):
                continue
            hits.append(Hit(rule, first, last, start, end, suffix))
        return hits


def _same_tokens(text: str, tokens: Tokens, first: int, last: int, suffix: int,
                 expected: tuple[str, ...]) -> bool:
    found = [text[tokens.starts[i] : tokens.ends[i]] for i in range(first, last + 1)]
    if suffix:
        found[-1] = found[-1][:-suffix]
    return tuple(found) == expected


def _is_word(token: str) -> bool:
    return token[0].isalnum() or token[0] == "_"
