"""Tidy passes on the seed and the dev set: what each pass removes, and what it costs.

    python bench/tidy.py [--style clean|edited] [--repeat N]

For every dev case (human transcripts: the loop detector must remove nothing) and the seed
(one Whisper loop), prints the edits per tidy rule, the loop findings, the time of the tidy
passes alone (``propose_tidy`` plus ``finish_turns``) and of a whole clean, as medians of
process CPU time, which other jobs on a shared machine disturb less than wall time.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import time  # noqa: E402

from bench.common import ROOT, SEED, machine  # noqa: E402
from bench.common import median_time as common_median_time  # noqa: E402
from cleaner import Options, clean  # noqa: E402
from cleaner.correct.apply import propose_rule_edits  # noqa: E402
from cleaner.correct.matcher import tokenize  # noqa: E402
from cleaner.edits import build_stream, corrected_segments, resolve, to_edits  # noqa: E402
from cleaner.correct.packs import load_library  # noqa: E402
from cleaner.pipeline import segment_turns  # noqa: E402
from cleaner.read import read_text  # noqa: E402
from cleaner.tidy import propose_tidy  # noqa: E402
from cleaner.tidy.publish import finish_turns  # noqa: E402

import os  # noqa: E402

# The shared evaluation data sits next to the repository (or its worktree folder).
DEV = Path(os.environ.get("CLEANER_EVAL_DEV") or next(
    (p for p in (ROOT.parent / "shared" / "eval" / "dev",
                 ROOT.parent.parent / "shared" / "eval" / "dev") if p.is_dir()),
    ROOT.parent / "shared" / "eval" / "dev"))
RULES = ["tidy.loop", "tidy.stutter", "tidy.filler", "tidy.discourse", "tidy.spacing",
         "tidy.capital", "tidy.end-mark"]


def median_time(function, repeat: int = 5, warmup: int = 1) -> float:
    """Median CPU time of ``function()`` in seconds, after warm-up calls."""
    return common_median_time(function, repeat, warmup, clock=time.process_time)


def cases() -> list[tuple[str, Path]]:
    """The dev inputs (when present) and the seed."""
    found = [(path.stem, path) for path in sorted(DEV.glob("*.md"))] if DEV.is_dir() else []
    return found + [("seed", SEED)]


def tidy_only(text: str, path: str, library, style: str):
    """A function timing just the tidy work of one clean (rules and reading done before)."""
    transcript = read_text(text, path)
    ruleset = library.compile_for(transcript)
    stream = build_stream(transcript)
    tokens = tokenize(stream.text)
    proposals = propose_rule_edits(stream, ruleset, transcript, tokens)

    def run():
        tidy = propose_tidy(stream, transcript, proposals, style, tokens=tokens)
        kept, _ = resolve(stream, proposals + list(tidy.proposals))
        edits = to_edits(stream, transcript, kept)
        turns = segment_turns(transcript, edits, corrected_segments(transcript, edits))
        return finish_turns(stream, transcript, edits, turns)

    def baseline():
        kept, _ = resolve(stream, proposals)
        edits = to_edits(stream, transcript, kept)
        turns = segment_turns(transcript, edits, corrected_segments(transcript, edits))
        return edits, turns

    return run, baseline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--style", default="clean", choices=["clean", "edited"])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    library = load_library()
    print(machine(), f"; style {args.style}; CPU-time medians of {args.repeat}")
    short = {rule: rule.split(".", 1)[1] for rule in RULES}
    header = (f"{'case':46s} {'KB':>5s} " + " ".join(f"{short[r]:>9s}" for r in RULES)
              + f" {'findings':>8s} {'tidy ms':>8s} {'clean ms':>9s}")
    print(header)
    print("-" * len(header))
    totals: Counter = Counter()
    for name, path in cases():
        text = path.read_text(encoding="utf-8")
        options = Options(style=args.style)
        result = clean(text, path=str(path), options=options, library=library)
        counts = Counter(edit.rule for edit in result.edits)
        totals.update(counts)
        findings = result.options["loops"]
        run, baseline = tidy_only(text, str(path), library, args.style)
        tidy_ms = (median_time(run, args.repeat) - median_time(baseline, args.repeat)) * 1000
        clean_ms = median_time(lambda: clean(text, path=str(path), options=options,
                                             library=library), args.repeat) * 1000
        print(f"{name[:46]:46s} {len(text.encode()) / 1024:5.0f} "
              + " ".join(f"{counts[r]:9d}" for r in RULES)
              + f" {len(findings):8d} {tidy_ms:8.1f} {clean_ms:9.1f}")
        for finding in findings:
            state = "removed" if finding["removed"] else "flagged"
            print(f"    {state} lines {finding['line']}-{finding['end_line']} "
                  f"[{finding['detector']}] {finding['reason']}: {finding['text'][:60]!r}")
    print("-" * len(header))
    print(f"{'total':46s} {'':5s} " + " ".join(f"{totals[r]:9d}" for r in RULES))


if __name__ == "__main__":
    main()
