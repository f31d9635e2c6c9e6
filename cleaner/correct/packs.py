"""Rule packs: find and load the pack files, pick the packs a transcript needs, compile them.

A pack is data (see README, "Rule packs"); parsing and validating one file is ``parse.py``'s job,
and its records are in ``schema.py``. Compiled rule sets are cached by the content hash
of the pack files (``cache.py``), so a run with thousands of rules costs about as much as one
with ten.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from ..errors import CleanerError
from ..model import Transcript
from .cache import cached, content_hash
from .castfile import parse_cast
from .matcher import LiteralIndex
from .parse import (_compile_regex, load_yaml, parse_cast_items, parse_pack,  # noqa: F401
                    read_yaml, rule_flags)
from .prefilter import RegexRules
from .schema import (CATEGORIES, MAX_ALIASES, REGEX_TIMEOUT, REGEX_TIMEOUT_PER_MB,  # noqa: F401
                     CastMember, Context, Detect, Example, Pack, Rule, RuleSet, RuleTable,
                     regex_timeout)


class PackLibrary:
    """All packs a run may use: always-on packs and show packs waiting to be recognised.

    A library from ``load_library`` holds the packs without their rules (``headers``) and
    reads the full packs only when asked (``packs``): a warm run finds the compiled rule
    set in the cache and never needs them.
    """

    def __init__(self, packs: Sequence[Pack] | None = None, forced: Iterable[str] = (),
                 disabled: Iterable[str] = frozenset(), key: str = "",
                 headers: Sequence[Pack] | None = None, loader=None) -> None:
        self._packs = list(packs) if packs is not None else None
        self._loader = loader
        self.headers = list(headers) if headers is not None else \
            [replace(pack, rules=()) for pack in self._packs or ()]
        self.forced = set(forced)  # show packs named explicitly
        self.disabled = frozenset(disabled)
        self.key = key

    @property
    def packs(self) -> list[Pack]:
        """The full packs, in load order (read from the cache on first use)."""
        if self._packs is None:
            self._packs = self._loader()
        return self._packs

    def _chosen(self, transcript: Transcript | None) -> list[int]:
        return [
            number for number, pack in enumerate(self.headers)
            if not pack.is_show
            or pack.id in self.forced
            or (transcript is not None and pack.detects(transcript))
        ]

    def select(self, transcript: Transcript | None) -> list[Pack]:
        """The packs that apply to this transcript, in load order."""
        return [self.packs[number] for number in self._chosen(transcript)]

    def compile_for(self, transcript: Transcript | None) -> RuleSet:
        """The compiled rule set for the packs that apply to this transcript."""
        chosen = self._chosen(transcript)
        if not self.key:
            return compile_packs([self.packs[number] for number in chosen], self.disabled)
        ids = ",".join(self.headers[n].id for n in chosen) + "|" + ",".join(sorted(self.disabled))
        name = "compiled-" + hashlib.sha256(f"{self.key}|{ids}".encode()).hexdigest()[:32]
        return cached(name, lambda: compile_packs([self.packs[n] for n in chosen], self.disabled))


@dataclass(frozen=True, slots=True)
class _Parser:
    """Parses the pack files once (cached by content hash); an object, not a closure, so
    a library still pickles."""

    raw: tuple[tuple[str, bytes], ...]
    key: str

    def __call__(self) -> list[Pack]:
        return cached(f"packs-{self.key}",
                      lambda: [parse_pack(data, name) for name, data in self.raw])


@dataclass(frozen=True, slots=True)
class _Summary:
    """What a run needs before compiling: the packs without rules, and every rule id."""

    headers: tuple[Pack, ...]
    ids: frozenset[str]


def default_rules_dir() -> Path:
    """The shipped ``rules/`` folder (the repository's, or the installed copy)."""
    override = os.environ.get("CLEANER_RULES_DIR")
    if override:
        return Path(override)
    return Path(str(resources.files("cleaner") / "_rules"))


def _display_path(path: Path) -> str:
    """How a pack file is named in messages and edit origins: shipped packs as
    ``rules/...`` (the same on every machine), others as given."""
    try:
        return "rules/" + path.resolve().relative_to(default_rules_dir().resolve()).as_posix()
    except ValueError:
        return str(path)


def default_pack_paths() -> list[Path]:
    """Shipped packs: every ``rules/*.yaml`` (always on) and ``rules/shows/*.yaml``."""
    base = default_rules_dir()
    return sorted(base.glob("*.yaml")) + sorted((base / "shows").glob("*.yaml"))


def load_library(
    paths: Sequence[str | Path] = (),
    defaults: bool = True,
    disabled: Iterable[str] = (),
) -> PackLibrary:
    """Load the default packs (unless ``defaults`` is False) and the given ones.

    Packs named in ``paths`` always apply, show packs included. Ids in ``disabled`` are
    switched off; an id that no loaded rule has is an error, so typos don't pass silently.
    """
    files = (default_pack_paths() if defaults else []) + [Path(p) for p in paths]
    seen: list[Path] = []
    for path in files:
        if path.resolve() not in [s.resolve() for s in seen]:
            seen.append(path)
    raw = tuple((_display_path(path), _read_bytes(path)) for path in seen)
    key = content_hash(raw)
    packs = _Parser(raw, key)

    def summarise() -> _Summary:
        parsed = packs()
        _check_unique(parsed)
        return _Summary(tuple(replace(pack, rules=()) for pack in parsed),
                        frozenset(name for pack in parsed for rule in pack.rules
                                  for name in (rule.id, *rule.aliases)))

    summary = cached(f"summary-{key}", summarise)
    disabled = frozenset(disabled)
    unknown = sorted(disabled - summary.ids)
    if unknown:
        raise CleanerError(f"cannot disable unknown rule id(s): {', '.join(unknown)}")
    explicit = {_display_path(Path(p)) for p in paths}
    forced = {pack.id for pack in summary.headers if pack.path in explicit}
    return PackLibrary(forced=forced, disabled=disabled, key=key, headers=summary.headers,
                       loader=packs)


def pack_files(paths: Sequence[str | Path] = (), defaults: bool = True) -> list[Path]:
    """The pack files a run would load, in load order, each once."""
    files = (default_pack_paths() if defaults else []) + [Path(p) for p in paths]
    seen: list[Path] = []
    for path in files:
        if path.resolve() not in [s.resolve() for s in seen]:
            seen.append(path)
    return seen


def read_packs(paths: Sequence[str | Path] = (),
               defaults: bool = True) -> tuple[list[Pack], list[CleanerError]]:
    """Parse every pack file on its own, collecting errors instead of stopping at the first,
    and without the cross-pack checks of ``load_library`` (for ``cleaner rules lint``)."""
    packs: list[Pack] = []
    errors: list[CleanerError] = []
    for path in pack_files(paths, defaults):
        name = _display_path(path)
        try:
            packs.append(parse_pack(_read_bytes(path), name))
        except CleanerError as error:
            errors.append(error)
    return packs, errors


def compile_packs(packs: Sequence[Pack], disabled: frozenset[str] = frozenset()) -> RuleSet:
    """Compile the packs' rules into one literal trie plus the regex rules."""
    rules = [
        rule for pack in packs for rule in pack.rules
        if rule.id not in disabled and not set(rule.aliases) & disabled
    ]
    cast = tuple(member for pack in packs for member in pack.cast)
    return compile_rules(rules, tuple(pack.id for pack in packs), cast)


def compile_rules(rules: Sequence[Rule], packs: tuple[str, ...] = (),
                  cast: tuple[CastMember, ...] = ()) -> RuleSet:
    """Compile rules (in priority-tie order) into a ``RuleSet``."""
    index = LiteralIndex()
    regexes = []
    for number, rule in enumerate(rules):
        for variant in rule.match:
            index.add(variant, number, rule.case_exact)
        if rule.regex is not None:
            _compile_regex(rule)  # an invalid pattern or template is an error here too
            regexes.append((number, rule.regex, rule_flags(rule)))
    return RuleSet(RuleTable(rules), index, RegexRules(regexes), packs, cast)


def load_cast(path: str | Path) -> tuple[CastMember, ...]:
    """Read and validate a ``--cast`` file (the format is ``castfile.parse_cast``'s)."""
    data = _read_bytes(Path(path), "cast file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CleanerError("cast file is not valid UTF-8", str(path)) from None
    return parse_cast(text, str(path))


def _check_unique(packs: Sequence[Pack]) -> None:
    seen: dict[str, Rule] = {}
    for pack in packs:
        for rule in pack.rules:
            for name in (rule.id, *rule.aliases):
                if name in seen:
                    other = seen[name]
                    raise CleanerError(f"duplicate rule id {name!r} (also at {other.origin})",
                                       rule.path, rule.line)
                seen[name] = rule


def _read_bytes(path: Path, what: str = "rule pack") -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CleanerError(f"{what} not found", str(path)) from None
    except IsADirectoryError:
        raise CleanerError(f"{what} is a directory, expected a .yaml file", str(path)) from None
    except OSError as error:
        raise CleanerError(f"cannot read {what}: {error.strerror}", str(path)) from None
