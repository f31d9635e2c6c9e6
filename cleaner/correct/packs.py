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
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import CleanerError
from ..model import Transcript
from .cache import cached, content_hash
from .castfile import parse_cast
from .matcher import LiteralIndex
from .parse import _compile_regex, load_yaml, parse_cast_items, parse_pack, read_yaml  # noqa: F401
from .schema import (CATEGORIES, MAX_ALIASES, REGEX_TIMEOUT, REGEX_TIMEOUT_PER_MB,  # noqa: F401
                     CastMember, Context, Detect, Example, Pack, Rule, RuleSet, regex_timeout)


@dataclass(slots=True)
class PackLibrary:
    """All packs a run may use: always-on packs and show packs waiting to be recognised."""

    packs: list[Pack]
    forced: set[str] = field(default_factory=set)  # show packs named explicitly
    disabled: frozenset[str] = frozenset()
    key: str = ""

    def select(self, transcript: Transcript | None) -> list[Pack]:
        """The packs that apply to this transcript, in load order."""
        return [
            pack
            for pack in self.packs
            if not pack.is_show
            or pack.id in self.forced
            or (transcript is not None and pack.detects(transcript))
        ]

    def compile_for(self, transcript: Transcript | None) -> RuleSet:
        """The compiled rule set for the packs that apply to this transcript."""
        return compile_packs(self.select(transcript), self.disabled, self.key)


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
    raw = [(_display_path(path), _read_bytes(path)) for path in seen]
    key = content_hash(raw)
    packs = cached(f"packs-{key}", lambda: [parse_pack(data, name) for name, data in raw])
    _check_unique(packs)
    disabled = frozenset(disabled)
    known = {rule.id for pack in packs for rule in pack.rules} | {
        alias for pack in packs for rule in pack.rules for alias in rule.aliases
    }
    unknown = sorted(disabled - known)
    if unknown:
        raise CleanerError(f"cannot disable unknown rule id(s): {', '.join(unknown)}")
    explicit = {_display_path(Path(p)) for p in paths}
    forced = {pack.id for pack in packs if pack.path in explicit}
    return PackLibrary(packs=packs, forced=forced, disabled=disabled, key=key)


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


def compile_packs(packs: Sequence[Pack], disabled: frozenset[str] = frozenset(),
                  key: str = "") -> RuleSet:
    """Compile the packs' rules into one literal trie plus the regex rules (cached by ``key``)."""
    ids = ",".join(pack.id for pack in packs) + "|" + ",".join(sorted(disabled))

    def build() -> RuleSet:
        rules = [
            rule for pack in packs for rule in pack.rules
            if rule.id not in disabled and not set(rule.aliases) & disabled
        ]
        cast = tuple(member for pack in packs for member in pack.cast)
        return compile_rules(rules, tuple(pack.id for pack in packs), cast)

    if not key:
        return build()
    return cached("compiled-" + hashlib.sha256(f"{key}|{ids}".encode()).hexdigest()[:32], build)


def compile_rules(rules: Sequence[Rule], packs: tuple[str, ...] = (),
                  cast: tuple[CastMember, ...] = ()) -> RuleSet:
    """Compile rules (in priority-tie order) into a ``RuleSet``."""
    index = LiteralIndex()
    regexes = []
    for number, rule in enumerate(rules):
        for variant in rule.match:
            index.add(variant, number, rule.case_exact)
        if rule.regex is not None:
            regexes.append((number, _compile_regex(rule)))
    return RuleSet(tuple(rules), index, tuple(regexes), packs, cast)


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
