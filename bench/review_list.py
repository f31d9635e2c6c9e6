"""The review list: how many misattributed words it catches for the turns it flags.

    PYTHONPATH=$PWD python bench/review_list.py           # every reserved conversation, the dev set
    PYTHONPATH=$PWD python bench/review_list.py --quick   # two reserved conversations of each
                                                          # source and kind, the dev set
    PYTHONPATH=$PWD python bench/review_list.py --each    # also one line per conversation

Measured on the corpus's reserved split (``train.speakers.reserved``: never trained or fitted
on), each conversation cut to its first ``WINDOW`` ASR-like lines and attributed with its
cast as ``train/tune.py`` does; then on the dev set (``shared/eval/dev``, each case with its
cast) and the seed (the show pack's cast), through the full pipeline. For each: the share of
misattributed words that lie in flagged turns (caught), the share of turns flagged, the share
of flagged turns that are mostly right, and of flagged turns of 1-3 words; by kind of
conversation and pooled. The curve sweeps the cut-off on expected wrong words at the fitted
confidence bound; "before" is the rule this one replaced. Nothing here asserts.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from speakers import SEED, SEED_GOLD, find_dev  # noqa: E402

from cleaner import Options, clean  # noqa: E402
from cleaner.attribute.evaluate import parse_gold, turn_errors  # noqa: E402
from cleaner.segment.review import Doubt, needs_review, rule  # noqa: E402
from cleaner.correct.packs import load_cast  # noqa: E402
from train.corpus import SOURCES, load  # noqa: E402
from train.review import WINDOW, Case, attribute_case, measure, print_curve  # noqa: E402
from train.speakers import reserved  # noqa: E402

KINDS = ("interview", "panel", "debate", "meeting")
QUICK_PER_GROUP = 2


def reserved_cases(per_group: int | None) -> list[Case]:
    """Reserved conversations (``per_group`` of each source and kind, or all), attributed."""
    cases = []
    for source in SOURCES:
        taken: dict[str, int] = {}
        for number, conversation in enumerate(load([source])):
            if not reserved(number) or (per_group and taken.get(conversation.kind, 0) >= per_group):
                continue
            taken[conversation.kind] = taken.get(conversation.kind, 0) + 1
            cases.append(attribute_case(conversation))
    return cases


def dev_kind(name: str) -> str:
    """The kind of a dev case, from its file name."""
    for kind in ("debate", "meeting"):
        if name.startswith(kind):
            return kind
    return "panel" if any(w in name for w in ("go-time", "channel-jamming")) else "interview"


def dev_cases(review_below: float) -> tuple[list[Case], int]:
    """The dev conversations and the seed through the pipeline, and how many turns' review
    marks differ from the rule applied to the turn as output (should be none)."""
    dev = find_dev()
    inputs = []
    for md in sorted(dev.glob("*.md")) if dev else ():
        cast_path = md.with_name(md.name[:-3] + ".cast.yaml")
        inputs.append((md.name[:-3], md, load_cast(cast_path) if cast_path.exists() else None,
                       md.with_name(md.name[:-3] + ".gold.tsv")))
    inputs.append(("seed", SEED, None, SEED_GOLD))
    cases, differ = [], 0
    for name, path, cast, gold in inputs:
        text = path.read_text(encoding="utf-8")
        result = clean(text, path=str(path), options=Options(cast=cast, review_below=review_below))
        dicts = [turn.to_dict() for turn in result.turns]
        errors = turn_errors(text.split("\n"), dicts, parse_gold(gold.read_text(encoding="utf-8")))
        turns = [result.turns[index] for index, _, _ in errors]
        doubts = tuple(Doubt(0, 0, t.confidence if t.confidence is not None else 1.0, True,
                             len(t.text.split())) for t in turns)
        marks = [needs_review(d, review_below) for d in doubts]
        differ += sum(mark != t.review for mark, t in zip(marks, turns))
        cases.append(Case(name, "seed" if name == "seed" else dev_kind(name), doubts,
                          tuple(wrong for _, _, wrong in errors),
                          sum(wrong for _, _, wrong in errors), sum(w for _, w, _ in errors)))
    return cases, differ


def before(doubt: Doubt) -> bool:
    """The rule this one replaced: below 0.5 (or unsupported) with 4 words or more, or 40
    expected wrong words."""
    return ((doubt.confidence < 0.5 or not doubt.supported) and doubt.words >= 4) \
        or doubt.expected_wrong >= 40


def table(cases: list[Case], review_below: float, cutoff: float, title: str) -> None:
    print(title)
    print("  kind        convs   turns   words  misattr.  caught  flagged  flagged-right  "
          "flagged-1-3w  missed-wrong-4w+")
    groups = [(k, [c for c in cases if c.kind == k]) for k in (*KINDS, "seed")]
    rows = [(name, group, measure(group, review_below, cutoff))
            for name, group in [*groups, ("all", cases)] if group]
    rows.append(("all, before", cases, measure(cases, decide=before)))
    for name, group, p in rows:
        turns = sum(len(c.doubts) for c in group)
        words = sum(c.words for c in group)
        wrong = sum(c.misattributed for c in group)
        print(f"  {name:11s} {len(group):5d}  {turns:6d}  {words:6d}  {wrong / max(words, 1):8.3f}  "
              f"{p.caught:6.3f}  {p.flagged:7.3f}  {p.right:13.3f}  {p.short:12.3f}  {p.missed:16.3f}")


def counts(case: Case, decide) -> str:
    """Turns flagged, flagged mostly right, flagged of 1-3 words; mostly wrong turns of 4 words
    or more left out."""
    flagged = right = short = missed = 0
    for doubt, wrong in zip(case.doubts, case.wrong):
        mark = decide(doubt)
        flagged += mark
        right += mark and 2 * wrong < doubt.words
        short += mark and doubt.words <= 3
        missed += not mark and doubt.words >= 4 and 2 * wrong >= doubt.words
    return (f"{flagged} flagged ({right} mostly right, {short} of 1-3 words), {missed} mostly "
            f"wrong turns of 4+ words not flagged")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_PER_GROUP} reserved conversations of each source and kind")
    parser.add_argument("--each", action="store_true", help="one line per conversation")
    args = parser.parse_args(argv)
    fitted = rule()
    below, cutoff = fitted.review_below, fitted.min_expected
    print(f"rule: confidence below {below:g} and (1 - confidence) x words >= {cutoff:g} "
          f"(fitted by {fitted.meta.get('command', '?')})")
    started = time.perf_counter()
    corpus = reserved_cases(QUICK_PER_GROUP if args.quick else None)
    seconds = time.perf_counter() - started
    table(corpus, below, cutoff, f"\nreserved split, first {WINDOW} lines of each "
          f"({len(corpus)} conversations, {seconds:.0f} s):")
    print_curve(corpus, below, f"\nreserved split, curve at confidence below {below:g}:")
    dev, differ = dev_cases(below)
    table(dev, below, cutoff, "\ndev set (with casts) and the seed (show pack cast), full pipeline:")
    print_curve(dev, below, f"\ndev set and seed, curve at confidence below {below:g}:")
    seed = dev[-1]
    print(f"\nseed: {len(seed.doubts)} turns; now {counts(seed, lambda d: needs_review(d, below))}; "
          f"before {counts(seed, before)}")
    print(f"turns whose review mark differs from the rule on the output turn: {differ}")
    if args.each:
        print("\nper conversation: caught, flagged, turns flagged/turns")
        for case in [*corpus, *dev]:
            p = measure([case], below, cutoff)
            print(f"  {case.kind:9s} {case.id:70s} {p.caught:5.2f} {p.flagged:5.2f} "
                  f"{p.turns}/{len(case.doubts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
