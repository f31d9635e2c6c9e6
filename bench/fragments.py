"""End marks the publication layer adds where a speaker's text stops: how many make a fragment
look finished.

    python bench/fragments.py            # the seed (no cast) and a fifth of the reserved split
    python bench/fragments.py --full     # every reserved conversation

For each ``tidy.end-mark`` (and each edit that took one, ``note`` "with the end mark"): is it
at the transcript's end; does the text it finishes break off (its last word is one no
sentence ends on, "the", "and", "of", or it ends on ``,`` ``;`` ``:``); and, on the corpus
conversations (Whisper-like lines and caption-style copies, ``train/asr_lines.py``, cast with
names and roles), does the corpus text end a sentence there, and does the speaker change
there. Deterministic.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner import Options, clean  # noqa: E402
from cleaner.edits import text_offset  # noqa: E402
from cleaner.tidy.publish import RULE_END, breaks_off  # noqa: E402

from attribution import gold_ends, reserved_conversations  # noqa: E402
from common import SEED  # noqa: E402
from train.asr_lines import PREFIX_LINES, captioned, simulate, to_markdown  # noqa: E402
from train.diarize import cast_of  # noqa: E402

COLUMNS = ("end marks", "at the end", "inside", "inside, text breaks off",
           "inside, no sentence end in the corpus text", "inside, no change of speaker")


def end_marks(result) -> list:
    """The edits that add an end mark: ``(edit, segment, offset of the marked character)``."""
    segments = {segment.line: segment for segment in result.transcript.segments}
    out = []
    for edit in result.edits:
        if edit.rule != RULE_END and "with the end mark" not in (edit.note or ""):
            continue
        segment = segments.get(edit.line)
        if segment is not None:
            out.append((edit, segment, text_offset(segment, edit.end) - 1))
    return out


def count(result, lines=None, ends=None) -> Counter:
    """One transcript's end marks by kind (``lines``/``ends``: the corpus truth, if known)."""
    out: Counter = Counter()
    last_line = max((s.line for s in result.transcript.segments if s.text.strip()), default=0)
    for edit, segment, offset in end_marks(result):
        out["end marks"] += 1
        text = segment.text[:offset + 1]
        if segment.line == last_line and not segment.text[offset + 1:].strip():
            out["at the end"] += 1
            continue
        out["inside"] += 1
        out["inside, text breaks off"] += breaks_off(text) or text.rstrip()[-1:] in ",;:"
        if lines is None:
            continue
        index = segment.line - PREFIX_LINES - 1
        words = len(text.split())
        out["inside, no sentence end in the corpus text"] += not ends[index][words - 1]
        here = lines[index].speaker_at(offset)
        rest = segment.text[offset + 1:]
        after = (lines[index].speaker_at(offset + 1 + len(rest) - len(rest.lstrip()))
                 if rest.strip() else lines[index + 1].speaker_at(0)
                 if index + 1 < len(lines) else here)
        out["inside, no change of speaker"] += here == after
    return out


def row(name: str, counts: Counter) -> str:
    return f"| {name} | " + " | ".join(str(counts[c]) for c in COLUMNS) + " |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="every reserved conversation")
    args = parser.parse_args(argv)
    print("| input | " + " | ".join(COLUMNS) + " |")
    print("|---|" + "---:|" * len(COLUMNS))
    print(row("seed (no cast)", count(clean(SEED.read_text(encoding="utf-8"),
                                            path=str(SEED)))))
    conversations = reserved_conversations(quick=not args.full)
    for copy in ("lines", "captions"):
        total: Counter = Counter()
        for conversation in conversations:
            lines = original = simulate(conversation)
            if copy == "captions":
                lines = captioned(lines)
            result = clean(to_markdown(lines, conversation.id), path="bench.md",
                           options=Options(cast=tuple(cast_of(conversation, "roles"))))
            total.update(count(result, lines, gold_ends(original, copy == "captions")))
        print(row(f"{len(conversations)} reserved, {copy}", total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
