"""What a rule pack is: the frozen records a pack file parses into, and the compiled rule set.

``parse.py`` builds these from YAML, ``packs.py`` loads, selects and compiles them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

from ..errors import CleanerError
from ..model import Role, Transcript
from .matcher import LiteralIndex
from .prefilter import RegexRules

CATEGORIES = ("name", "brand", "product", "company", "term", "show", "email", "place", "other")
MAX_ALIASES = 200  # YAML anchors/aliases allowed in one pack file (guards "billion laughs")
REGEX_TIMEOUT = 1.0  # seconds any one rule regex may run on one transcript ...
REGEX_TIMEOUT_PER_MB = 2.0  # ... plus this per million characters it searches


def regex_timeout(length: int) -> float:
    """Seconds a rule regex may run over ``length`` characters before it counts as runaway.

    The budget grows with the text: a sound pattern is linear but may legitimately need
    seconds on a huge transcript, while catastrophic backtracking is exponential and
    overruns any such budget on the first bad spot.
    """
    return REGEX_TIMEOUT + REGEX_TIMEOUT_PER_MB * length / 1_000_000


@dataclass(frozen=True, slots=True)
class Context:
    """Conditions under which a rule applies (all given ones must hold)."""

    near: tuple[str, ...] = ()
    window: int = 12
    topic: tuple[str, ...] = ()
    topic_min: int = 1
    show: tuple[str, ...] = ()
    section: str | None = None


@dataclass(frozen=True, slots=True)
class Example:
    """An input and the output a rule must turn it into (``out`` equal to ``in`` for keeps)."""

    text: str
    expected: str
    line: int


@dataclass(frozen=True, slots=True)
class Rule:
    """One known ASR error and its fix."""

    id: str
    pack: str
    category: str
    replace: str
    match: tuple[str, ...] = ()
    regex: str | None = None
    case_exact: bool = False
    priority: int = 0
    context: Context | None = None
    note: str | None = None
    examples: tuple[Example, ...] = ()
    keep: tuple[Example, ...] = ()
    aliases: tuple[str, ...] = ()
    path: str = ""
    line: int = 0

    @property
    def origin(self) -> str:
        """Where the rule is defined, as ``file:line``."""
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class CastMember:
    """A person in a cast: name, role and other names the text may use for them, and where
    the entry is written (``file:line``, for the edits that fix the name's spelling)."""

    name: str
    role: str = Role.UNKNOWN.value
    aliases: tuple[str, ...] = ()
    origin: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class Detect:
    """How a show pack recognises its show."""

    title: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    text_min: int = 1


@dataclass(frozen=True, slots=True)
class Pack:
    """A validated rule pack file."""

    id: str
    path: str
    rules: tuple[Rule, ...]
    description: str = ""
    detect: Detect | None = None
    cast: tuple[CastMember, ...] = ()

    @property
    def is_show(self) -> bool:
        """Show packs apply only to transcripts they recognise (or when named explicitly)."""
        return self.detect is not None

    def detects(self, transcript: Transcript) -> bool:
        """True when this show pack recognises the transcript."""
        if self.detect is None:
            return False
        title = transcript.title or ""
        text = ""
        try:
            if any(regex.search(pattern, title, timeout=regex_timeout(len(title)))
                   for pattern in self.detect.title):
                return True
            if not self.detect.text:
                return False
            text = "\n".join(segment.text for segment in transcript.segments)
            hits = sum(len(regex.findall(pattern, text, timeout=regex_timeout(len(text))))
                       for pattern in self.detect.text)
        except TimeoutError:
            raise CleanerError(f"pack {self.id!r}: a 'detect' regex timed out after "
                               f"{regex_timeout(len(text)):.1f}s (catastrophic backtracking?)",
                               self.path) from None
        return hits >= self.detect.text_min


class RuleTable(Sequence):
    """A compiled set's rules, kept as plain tuples and made into ``Rule``s when asked.

    A cached rule set is unpickled on every run, and unpickling 10,000 dataclasses cost
    more than the rest of a warm run; plain tuples load at C speed, and a run asks for
    the few rules that matched.
    """

    __slots__ = ("rules", "rows", "made")

    def __init__(self, rules: Sequence[Rule] = (), rows: tuple | None = None) -> None:
        self.rules = None if rows is not None else tuple(rules)
        self.rows = rows
        self.made: dict[int, Rule] = {}

    def __len__(self) -> int:
        return len(self.rules if self.rules is not None else self.rows)

    def __getitem__(self, number):
        if self.rules is not None:
            return self.rules[number]
        if isinstance(number, slice):
            return [self[i] for i in range(*number.indices(len(self.rows)))]
        rule = self.made.get(number)
        if rule is None:
            rule = self.made[number] = _row_rule(self.rows[number])
        return rule

    def __reduce__(self):
        rows = self.rows if self.rows is not None else tuple(_rule_row(r) for r in self.rules)
        return (RuleTable, ((), rows))


def _rule_row(rule: Rule) -> tuple:
    context = rule.context
    return (rule.id, rule.pack, rule.category, rule.replace, rule.match, rule.regex,
            rule.case_exact, rule.priority,
            None if context is None else (context.near, context.window, context.topic,
                                          context.topic_min, context.show, context.section),
            rule.note, tuple((e.text, e.expected, e.line) for e in rule.examples),
            tuple((e.text, e.expected, e.line) for e in rule.keep), rule.aliases, rule.path,
            rule.line)


def _row_rule(row: tuple) -> Rule:
    (id_, pack, category, replace, match, pattern, case_exact, priority, context, note,
     examples, keep, aliases, path, line) = row
    return Rule(id_, pack, category, replace, match, pattern, case_exact, priority,
                None if context is None else Context(*context), note,
                tuple(Example(*e) for e in examples), tuple(Example(*e) for e in keep),
                aliases, path, line)


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Rules compiled for matching: the literal trie and the regex rules."""

    rules: Sequence[Rule]
    index: LiteralIndex
    regexes: RegexRules  # the regex rules, with the words that let most of them be skipped
    packs: tuple[str, ...]
    cast: tuple[CastMember, ...] = ()
