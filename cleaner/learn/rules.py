"""Building learned rules: the records ``learn`` returns, and drafting a rule from accepted
substitutions (id, category, plural forms, ``near`` condition) with its examples and keep cases
taken from the pair it was learned from.
"""

from __future__ import annotations


import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

from ..words import english
from .align import WORD, key
from ..correct.apply import propose_rule_edits
from ..edits import build_stream, resolve
from ..correct.packs import Context, Example, Rule, RuleSet, compile_rules
from ..read import read_text
from ..correct.selftest import Case, apply_rules, check
from .pair import _phrase_key, _window, _window_words, _word_keys, AlignedPair, MIN_RATIO

EXAMPLE_WORDS = 5  # words of context either side in an example
CONTEXT_WINDOW = 12  # the ``near`` window (the rule default)


@dataclass(frozen=True, slots=True)
class LearnOptions:
    """What ``learn`` keeps."""

    punctuation: bool = False  # also learn changes of inner punctuation ("peer to peer")
    min_count: int = 1  # corrected occurrences a rule needs
    min_ratio: float = MIN_RATIO
    source: str = ""  # name of the corrected file, for the rules' notes
    names: frozenset[str] = frozenset()  # names the cast or a pack knows, in all their forms


@dataclass(frozen=True, slots=True)
class LearnedRule:
    """A rule learned from a pair, ready to be written into a pack."""

    id: str
    category: str
    replace: str
    match: tuple[str, ...]
    count: int
    examples: tuple[tuple[str, str], ...]
    keep: tuple[str, ...] = ()
    near: tuple[str, ...] = ()
    note: str = ""

    def as_rule(self, pack: str = "learned", path: str = "<learned>") -> Rule:
        """The rule as the matcher uses it."""
        return Rule(
            id=self.id, pack=pack, category=self.category, replace=self.replace,
            match=self.match, context=Context(near=self.near) if self.near else None,
            note=self.note or None,
            examples=tuple(Example(a, b, 0) for a, b in self.examples),
            keep=tuple(Example(text, text, 0) for text in self.keep), path=path,
        )


@dataclass(frozen=True, slots=True)
class Skipped:
    """A substitution that did not become a rule, and why."""

    before: str
    after: str
    count: int
    reason: str


@dataclass(slots=True)
class _Candidate:
    """All substitutions of one raw form (by key), and where the rule would match."""

    key: str
    forms: Counter = field(default_factory=Counter)
    afters: Counter = field(default_factory=Counter)
    fixed: list[tuple[int, int]] = field(default_factory=list)  # raw word ranges [i, j)
    kept: int = 0
    other: Counter = field(default_factory=Counter)
    kinds: set = field(default_factory=set)

    @property
    def before(self) -> str:
        return max(self.forms.items(), key=lambda item: (item[1], item[0]))[0]

    @property
    def after(self) -> str:
        return max(self.afters.items(), key=lambda item: (item[1], item[0]))[0]


def _build_rules(pair: AlignedPair, accepted: dict[str, list[tuple[_Candidate, tuple[str, ...]]]],
                 existing: Sequence[Rule], options: LearnOptions,
                 skipped: list[Skipped]) -> list[LearnedRule]:
    """One rule per replacement (one per context), with examples and keep cases."""
    taken = {rule.id for rule in existing} | {a for rule in existing for a in rule.aliases}
    drafts: list[tuple[LearnedRule, list[_Candidate]]] = []
    for after in sorted(accepted):
        groups: dict[tuple[str, ...], list[_Candidate]] = defaultdict(list)
        for candidate, near in accepted[after]:
            groups[near].append(candidate)
        for near, members in sorted(groups.items()):
            members.sort(key=lambda c: (-len(c.fixed), c.key))
            rule_id = _unique_id(slug(after), taken)
            taken.add(rule_id)
            count = sum(len(c.fixed) for c in members)
            drafts.append((LearnedRule(
                id=rule_id, category=category_of(after), replace=after,
                match=with_plurals(tuple(c.before for c in members), after),
                count=count, examples=(), near=near,
                note=f"Learned from {options.source or 'an edited transcript'} (corrected {count}x)."),
                members))
    rules = []
    for number, (draft, members) in enumerate(drafts):
        # Examples must not hold another rule's error, so that the pack stays free of
        # chains (a rule's example output changed by another rule).
        others = [d.as_rule() for n, (d, _) in enumerate(drafts) if n != number]
        others += [rule for rule in existing if rule.regex is None]
        rule = _with_cases(pair, draft, members, compile_rules(others) if others else None)
        failure = self_check(rule)
        if failure:
            for c in members:
                skipped.append(Skipped(c.before, draft.replace, len(c.fixed),
                                       f"fails its own test: {failure}"))
            continue
        rules.append(rule)
    return rules


def _with_cases(pair: AlignedPair, rule: LearnedRule, members: list[_Candidate],
                others: RuleSet | None) -> LearnedRule:
    """Add an example per variant (from its first clean occurrence) and keep cases."""
    compiled = rule.as_rule()
    examples: list[tuple[str, str]] = []
    sizes = (EXAMPLE_WORDS, 8, CONTEXT_WINDOW) if rule.near else (EXAMPLE_WORDS, 3, 1, 0)
    for candidate in members:
        found = None
        for i1, i2 in candidate.fixed:
            for size in sizes:
                text = _window(pair, i1, i2, size)
                out = _apply(text, compiled)
                if out != text and (text, out) not in examples and untouched(text, others):
                    found = (text, out)
                    break
            if found:
                examples.append(found)
                break
    keep = _keep_cases(pair, rule, compiled, others)
    return LearnedRule(rule.id, rule.category, rule.replace, rule.match, rule.count,
                       tuple(examples), keep, rule.near, rule.note)


def untouched(text: str, ruleset: RuleSet | None) -> bool:
    """True when no rule of ``ruleset`` changes ``text``."""
    if ruleset is None:
        return True
    transcript = read_text(text, None, "plain")
    stream = build_stream(transcript)
    kept, _ = resolve(stream, propose_rule_edits(stream, ruleset, transcript))
    return not kept


def _keep_cases(pair: AlignedPair, rule: LearnedRule, compiled: Rule,
                others: RuleSet | None = None) -> tuple[str, ...]:
    """One text from the corrected transcript where a word of a variant is used on its own
    (so the rule must not fire), when the variants contain ordinary words."""
    words = pair.alignment.corrected
    wanted = {k for variant in rule.match for k in _word_keys(variant)
              if english.is_common(k) and not english.is_very_common(k)}
    if not wanted:
        return ()
    replaced = set(_word_keys(rule.replace))
    for index, word in enumerate(words):
        if word.key in wanted and word.key not in replaced:
            text = _window_words(pair.corrected, words, index, index + 1, EXAMPLE_WORDS)
            if _apply(text, compiled) == text and key(rule.replace) not in key(text) and \
                    untouched(text, others):
                return (text,)
    return ()


def self_check(rule: LearnedRule) -> str:
    """'' when the rule has an example and all its cases pass, else what failed."""
    compiled = rule.as_rule()
    cases = [Case(compiled, ex, "example", n) for n, ex in enumerate(compiled.examples, 1)]
    cases += [Case(compiled, ex, "keep", n) for n, ex in enumerate(compiled.keep, 1)]
    if not compiled.examples:
        return "no example could be made from its occurrences"
    for case in cases:
        failure = check(case)
        if failure is not None:
            return f"{failure.problem}: {failure.case.example.text!r} -> {failure.got!r}"
    return ""


def _only(rule: LearnedRule, match: tuple[str, ...]) -> Rule:
    return LearnedRule(rule.id, rule.category, rule.replace, match, rule.count, (), (),
                       rule.near).as_rule()


def _apply(text: str, rule: Rule) -> str:
    return apply_rules(text, [rule], (rule.pack,))[0]


def with_plurals(match: tuple[str, ...], after: str) -> tuple[str, ...]:
    """Add ``variant + s`` when the correction itself ends in s.

    The matcher carries a plural or possessive ``s`` through ("Roos" -> "Roose",
    "Rooss" -> "Rooses"), which for a name ending in s gives "Sjoerds" -> "Sjorss"; ASR's
    "Sjoerds" is the name itself, so it gets its own variant.
    """
    if not after.endswith("s"):
        return match
    keys_seen = {_phrase_key(v) for v in match}
    extra = tuple(v + "s" for v in match
                  if v[-1:].lower() not in ("s", "x", "z") and _phrase_key(v + "s") not in keys_seen)
    return match + extra


def category_of(after: str) -> str:
    """``name`` for capitalised words ("Tornado Cash"), else ``term``."""
    words = WORD.findall(after)
    if words and all(w[0].isupper() and w[1:].islower() and w.isalpha() for w in words):
        return "name"
    return "term"


def slug(text: str) -> str:
    """A rule id made from a replacement ("Tornado Cash" -> "tornado-cash")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = regex.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "learned"


def _unique_id(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
