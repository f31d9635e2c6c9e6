"""Small helpers the tests share."""

from __future__ import annotations

from pathlib import Path

from conftest import SEED

from cleaner.correct.packs import compile_rules, parse_pack
from cleaner.correct.selftest import apply_rules


def pack_from(text: str, path: str = "test.yaml"):
    """Parse a pack from YAML text."""
    return parse_pack(text.encode("utf-8"), path)


def fix(text: str, pack_yaml: str, packs: tuple[str, ...] = ()) -> str:
    """Apply the rules of a YAML pack to plain text and return the output."""
    pack = pack_from(pack_yaml)
    return apply_rules(text, list(pack.rules), packs or (pack.id,))[0]


# The review tests: a small transcript cut from the seed, with a hostile line.
HOSTILE = "<script>document.title='PWNED'</script> <img src=x onerror=\"document.title='PWNED'\">"


def write_transcript(folder: Path, lines: int = 140, title: str | None = None) -> Path:
    """The seed's first ``lines`` lines (its intro and the start of the interview, four
    speakers) with a hostile script in one line's text; returns the file's path."""
    text = "".join(SEED.read_text(encoding="utf-8").splitlines(True)[:lines])
    text = text.replace("*  Take a listen.\n", f"*  Take a listen. {HOSTILE}\n")
    if title is not None:
        text = text.replace(text.splitlines()[0], f"# {title}", 1)
    path = folder / "talk.txt"
    path.write_text(text, encoding="utf-8")
    return path


__all__ = ["HOSTILE", "compile_rules", "fix", "pack_from", "write_transcript"]
