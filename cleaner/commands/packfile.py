"""Write rules into a pack file for ``learn --into`` and ``suggest --write``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import regex

from ..errors import CleanerError
from ..files import check_writable, write_output
from ..learn.learn import LearnedRule
from ..learn.packedit import Merged, merge_rules, new_pack_text
from ..correct.packs import PackLibrary


def taken_ids(library: PackLibrary) -> set[str]:
    """Every rule id and alias the loaded packs use."""
    return {name for pack in library.packs for rule in pack.rules
            for name in (rule.id, *rule.aliases)}


def add_to_pack(path: str, rules: Sequence[LearnedRule], taken: set[str],
                description: str) -> Merged:
    """Merge ``rules`` into the pack at ``path`` (created if missing) and write it atomically.

    Nothing is written when the file is read-only, does not parse, or the merged pack would
    fail its own tests: the error says why and the pack is left as it was.
    """
    check_writable(path)
    target = Path(path)
    bom, crlf = False, False
    if target.exists():
        try:
            data = target.read_bytes()
        except OSError as error:
            raise CleanerError(f"cannot read rule pack: {error.strerror}", path) from None
        bom = data.startswith(b"\xef\xbb\xbf")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CleanerError("rule pack is not valid UTF-8", path) from None
        crlf = "\r\n" in text
        text = text.replace("\r\n", "\n")
    else:
        stem = regex.sub(r"[^a-z0-9]+", "-", target.stem.lower()).strip("-") or "learned"
        text = new_pack_text(stem, description)
    merged = merge_rules(text, path, rules, taken)
    if merged.changed:
        out = merged.text.replace("\n", "\r\n") if crlf else merged.text
        write_output(path, ("\ufeff" if bom else "") + out)
    return merged


def summary(path: str, merged: Merged) -> str:
    """One line saying what changed in the pack."""
    if not merged.changed:
        return f"{path}: unchanged (every rule is already there)"
    parts = []
    if merged.added:
        parts.append(f"added {len(merged.added)} rule(s): {', '.join(merged.added)}")
    for rule_id, variants in merged.extended:
        parts.append(f"added {', '.join(repr(v) for v in variants)} to rule {rule_id!r}")
    return f"{path}: " + "; ".join(parts)
