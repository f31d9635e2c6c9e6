"""Regex rules that cannot match a text are skipped without running them.

Running every regex rule over every text costs rules x text: 5,000 regex rules made a run
on 600 KB, and lint's many small texts, take minutes. Most rule regexes spell out a word
that every match contains (``\\bOpen ?AI\\b`` needs "open"). That word is found when the
rules are compiled, and a rule whose word is not in the (folded) text is skipped: a cheap
substring test on a long text, a trigram index over all rules on a short one. Patterns
whose required word cannot be told safely (alternation at the top, escapes with
arguments, verbose mode) always run.
Patterns are compiled on first use, so a warm run compiles only the rules it runs.
"""

from __future__ import annotations

import regex

# Characters that IGNORECASE matches to an ASCII letter but that .lower() does not turn
# into it (found by trying every code point; tests/test_rules_scale.py repeats the search).
_FOLD = str.maketrans({"\u0130": "i", "\u212a": "k", "\u017f": "s"})
_WITH_ARGUMENTS = set("xuUNpPgLo0123456789")  # escapes followed by more than one character
_SHORT_TEXT = 4096  # up to this length a text is looked up in the trigram index ...
_MANY = 200  # ... and any text when there are this many regex rules
_COMPILED: dict[tuple[str, int], object] = {}


def fold(text: str) -> str:
    """Lower-case text so that a required word is in it whenever a match could be."""
    return text.translate(_FOLD).lower()


def compiled(pattern: str, flags: int):
    """The compiled pattern, compiled once per process (the ``regex`` cache holds 500)."""
    key = (pattern, flags)
    found = _COMPILED.get(key)
    if found is None:
        found = _COMPILED[key] = regex.compile(pattern, flags)
    return found


def required_words(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """The runs of 3+ ASCII letters and digits that every match contains, lower-cased and
    longest first, or None when there is none or the pattern is too unusual to tell."""
    used = compiled(pattern, flags).flags
    if used & regex.VERBOSE:  # spaces and # comments are not text
        return None
    if used & regex.FULLCASE and used & regex.IGNORECASE:  # "ﬁ" matches "fi", "ß" "ss"
        return None
    runs: list[str] = []
    run: list[str] = []
    depth = 0
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "\\":
            if i + 1 < n and pattern[i + 1] in _WITH_ARGUMENTS:
                return None
            runs.append("".join(run))
            run = []
            i += 2
            continue
        if char == "[":
            runs.append("".join(run))
            run = []
            i = _class_end(pattern, i)
            continue
        if char == "|" and depth == 0:
            return None
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        literal = depth == 0 and char.isascii() and char.isalnum()
        quantified = i + 1 < n and pattern[i + 1] in "?*+{"
        if literal and not quantified:
            run.append(char)
        else:
            runs.append("".join(run))
            run = []
        i += 1
    runs.append("".join(run))
    words = sorted({run.lower() for run in runs if len(run) >= 3}, key=lambda w: (-len(w), w))
    return tuple(words) or None


class RegexRules:
    """The regex rules of a compiled set: ``(rule number, pattern, flags)``, their required
    words, and a trigram index of their longest words for short texts."""

    def __init__(self, items: list[tuple[int, str, int]]) -> None:
        self.items = tuple(items)
        self.words = tuple(required_words(pattern, flags) for _, pattern, flags in items)
        self.always = tuple(k for k, words in enumerate(self.words) if words is None)
        self.index: dict[str, list[int]] = {}
        for k, words in enumerate(self.words):
            if words is not None:
                self.index.setdefault(words[0][:3], []).append(k)

    def __len__(self) -> int:
        return len(self.items)

    def matching(self, text: str) -> list[tuple[int, object]]:
        """``(rule number, compiled pattern)`` of the rules that may match ``text``, in order."""
        if not self.items:
            return []
        folded = fold(text)
        words = self.words
        if len(folded) > _SHORT_TEXT and len(self.items) < _MANY:
            chosen = [k for k, need in enumerate(words)
                      if need is None or all(word in folded for word in need)]
        else:  # every trigram of every required word must be in the text before a search
            grams = {folded[i:i + 3] for i in range(len(folded) - 2)}
            chosen = list(self.always)
            for gram in grams.intersection(self.index):
                chosen += [k for k in self.index[gram]
                           if all(word[i:i + 3] in grams for word in words[k]
                                  for i in range(len(word) - 2))
                           and all(word in folded for word in words[k])]
            chosen.sort()
        return [(self.items[k][0], compiled(self.items[k][1], self.items[k][2])) for k in chosen]


def _class_end(pattern: str, i: int) -> int:
    """Index just past the character class starting at ``pattern[i] == '['``.

    Coarser on purpose than lint's exact VERSION0 reading (``check/lint.py``): every ``[``
    inside counts as a nested set, so a class may be taken to run on too far, which only
    loses required words, and never ends too early, which could invent one."""
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    depth = 1
    while j < len(pattern) and depth:
        if pattern[j] == "\\":
            j += 2
            continue
        if pattern[j] == "[":
            depth += 1  # a nested set (VERSION1) or a POSIX class: either way it must close
        elif pattern[j] == "]":
            depth -= 1
        j += 1
    return j
