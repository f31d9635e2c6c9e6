"""Small helpers the tests share."""

from __future__ import annotations

from cleaner.correct.packs import compile_rules, parse_pack
from cleaner.correct.selftest import apply_rules


def pack_from(text: str, path: str = "test.yaml"):
    """Parse a pack from YAML text."""
    return parse_pack(text.encode("utf-8"), path)


def fix(text: str, pack_yaml: str, packs: tuple[str, ...] = ()) -> str:
    """Apply the rules of a YAML pack to plain text and return the output."""
    pack = pack_from(pack_yaml)
    return apply_rules(text, list(pack.rules), packs or (pack.id,))[0]


__all__ = ["compile_rules", "fix", "pack_from"]
