"""What a rule pack is: the frozen records a pack file parses into, and the compiled rule set.

``parse.py`` builds these from YAML, ``packs.py`` loads, selects and compiles them.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from ..errors import CleanerError
from ..model import Role, Transcript
from .matcher import LiteralIndex

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
    """A person in a cast: name, role and other names the text may use for them."""

    name: str
    role: str = Role.UNKNOWN.value
    aliases: tuple[str, ...] = ()


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


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Rules compiled for matching: the literal trie and the regex rules."""

    rules: tuple[Rule, ...]
    index: LiteralIndex
    regexes: tuple[tuple[int, object], ...]  # (rule number, compiled pattern)
    packs: tuple[str, ...]
    cast: tuple[CastMember, ...] = ()
