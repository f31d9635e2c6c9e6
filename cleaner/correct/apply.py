"""Correct: propose a replacement for every rule match in the original text.

All rules read the original stream (never each other's output), so the result does not
depend on rule order except where ``edits.resolve`` breaks ties.
"""

from __future__ import annotations

import bisect
from functools import cached_property

import regex

from ..edits import Proposal, Stream
from ..errors import CleanerError
from .matcher import Tokens, tokenize, variant_tokens
from ..model import Transcript
from .packs import Context, Rule, RuleSet, regex_timeout


class MatchScope:
    """What context conditions look at: nearby words, the whole text, the show, the section."""

    def __init__(self, stream: Stream, tokens: Tokens, transcript: Transcript,
                 packs: tuple[str, ...]) -> None:
        self.stream = stream
        self.tokens = tokens
        self.transcript = transcript
        self.packs = set(packs)
        self._present: dict[str, bool] = {}  # topic phrase -> found anywhere (asked per match)

    @cached_property
    def word_keys(self) -> set[str]:
        """Every distinct word of the transcript, casefolded."""
        return {key for key, word in zip(self.tokens.keys, self.tokens.words) if word}

    @cached_property
    def flat_text(self) -> str:
        """All words, casefolded, one space apart (for phrase lookups)."""
        return " " + " ".join(k for k, w in zip(self.tokens.keys, self.tokens.words) if w) + " "

    def allows(self, context: Context | None, first: int, last: int, position: int) -> bool:
        """True when all the context's conditions hold for a match on tokens ``first..last``."""
        if context is None:
            return True
        if context.show and not self.packs.intersection(context.show):
            return False
        if context.section is not None:
            heading = self.section(position)
            if not regex.search(context.section, heading, timeout=regex_timeout(len(heading))):
                return False
        if context.topic:
            present = sum(1 for phrase in context.topic if self._has_anywhere(phrase))
            if present < context.topic_min:
                return False
        if context.near:
            window = " " + " ".join(self._window(first, last, context.window)) + " "
            if not any(f" {_phrase_key(phrase)} " in window for phrase in context.near):
                return False
        return True

    @cached_property
    def _section_starts(self) -> list[int]:
        return [first_segment for first_segment, _ in self.transcript.sections]

    def section(self, position: int) -> str:
        """The heading in force at a stream position, else the title."""
        number = self.stream.segment_at(position)
        index = bisect.bisect_right(self._section_starts, number) - 1
        if index < 0:
            return self.transcript.title or ""
        return self.transcript.sections[index][1]

    def _has_anywhere(self, phrase: str) -> bool:
        # Memoised: a whole-text search per match would make cleaning quadratic.
        if phrase not in self._present:
            key = _phrase_key(phrase)
            self._present[phrase] = (key in self.word_keys if " " not in key
                                     else f" {key} " in self.flat_text)
        return self._present[phrase]

    def _window(self, first: int, last: int, size: int) -> list[str]:
        tokens = self.tokens
        before: list[str] = []
        index = first - 1
        while index >= 0 and len(before) < size:
            if tokens.words[index]:
                before.append(tokens.keys[index])
            index -= 1
        after: list[str] = []
        index = last + 1
        while index < len(tokens.keys) and len(after) < size:
            if tokens.words[index]:
                after.append(tokens.keys[index])
            index += 1
        return before[::-1] + after


def _phrase_key(phrase: str) -> str:
    return " ".join(token.casefold() for token in variant_tokens(phrase) if token[0].isalnum())


def propose_rule_edits(stream: Stream, ruleset: RuleSet, transcript: Transcript,
                       tokens: Tokens | None = None) -> list[Proposal]:
    """A proposal for every match of every rule whose context allows it."""
    if tokens is None:
        tokens = tokenize(stream.text)
    scope = MatchScope(stream, tokens, transcript, ruleset.packs)
    proposals = []
    text = stream.text
    for hit in ruleset.index.find(text, tokens):
        rule = ruleset.rules[hit.rule]
        if _allows(scope, rule, hit.first, hit.last, hit.start):
            end = hit.end
            if _keeps_full_stop(text, end, rule.replace) and end - 1 > hit.start:
                end -= 1
            if text[end : end + hit.suffix] == "s" and rule.replace[-1:] in ("s", "S"):
                end += 1  # "Sjoerds" -> "Sjors", not "Sjorss": the s was the name's own
            proposals.append(_proposal(rule, hit.rule, hit.start, end, rule.replace))
    for number, pattern in ruleset.regexes.matching(text):
        rule = ruleset.rules[number]
        for match in _regex_matches(rule, pattern, stream.text):
            first = max(bisect.bisect_right(tokens.starts, match.start()) - 1, 0)
            last = max(bisect.bisect_left(tokens.ends, match.end()), first)
            if _allows(scope, rule, first, last, match.start()):
                proposals.append(_proposal(rule, number, match.start(), match.end(),
                                           _expand(rule, match)))
    return proposals


def _allows(scope: MatchScope, rule: Rule, first: int, last: int, position: int) -> bool:
    try:
        return scope.allows(rule.context, first, last, position)
    except TimeoutError:
        raise CleanerError(f"rule {rule.id!r}: context 'section' regex timed out "
                           "(catastrophic backtracking?)",
                           rule.path, rule.line) from None


def _expand(rule: Rule, match) -> str:
    try:
        return match.expand(rule.replace)
    except (IndexError, regex.error) as error:
        raise CleanerError(f"rule {rule.id!r}: bad 'replace' template {rule.replace!r}: {error}",
                           rule.path, rule.line) from None


def _keeps_full_stop(text: str, end: int, replace: str) -> bool:
    """True when a match ending in "." ends its sentence too, so the dot must stay.

    "ask Chachi P.T. a question" loses the dot with the variant; "I asked Chachi P.T. Then"
    and a match at the end of a line keep it as the full stop.
    """
    if not text[end - 1 : end] == "." or replace.endswith("."):
        return False
    rest = text[end : end + 3]
    if not rest or rest[0] == "\n":
        return True
    return rest[0] in " \t" and rest.lstrip(" \t")[:1].isupper()


def _proposal(rule: Rule, order: int, start: int, end: int, after: str) -> Proposal:
    return Proposal(start=start, end=end, after=after, rule=rule.id, category=rule.category,
                    origin=rule.origin, priority=rule.priority, order=order)


def _regex_matches(rule: Rule, pattern, text: str) -> list:
    try:
        return [m for m in pattern.finditer(text, timeout=regex_timeout(len(text)))
                if m.end() > m.start()]
    except TimeoutError:
        raise CleanerError(
            f"rule {rule.id!r}: regex timed out after {regex_timeout(len(text)):.1f}s "
            "(catastrophic backtracking?)", rule.path, rule.line) from None
