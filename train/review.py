"""Fit the review list's cut-off on the corpus training split; write
``cleaner/attribute/learned/review.json``.

    python -m train.review              # the full run (about half a minute)
    python -m train.review --quick      # a small sample, to try things (writes nothing)
    python -m train.review --dry-run    # print the curve, write nothing

A turn goes on the review list when its confidence is below ``--review-below`` (its
default is the bound this script fits) and the words it is expected to give to the wrong speaker, ``(1 - confidence) x
words``, reach a cut-off (``cleaner/segment/review.py``). This script attributes training
conversations the way ``train/tune.py`` does (ASR-like lines, the corpus cast with its roles),
records every decoded turn's confidence, words and misattributed words, and picks the bound
and cut-off farthest inside the goal: at least ``CAUGHT`` of the misattributed words in
flagged turns, with at most ``FLAGGED`` of the turns flagged.

Which text: conversations of the training split (``train.speakers.reserved`` is false), in a
window of at most ``WINDOW`` lines that the learned speaker models did not read
(``train.speakers.SAMPLE``: a conversation it sampled is used from the line after its cut;
one it read whole is skipped). The reserved split is left for ``bench/review_list.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cleaner.attribute import attribute
from cleaner.segment.review import RULE_PATH, Doubt, needs_review

from .corpus import SOURCES, corpus_version, load
from .asr_lines import simulate
from .speakers import SAMPLE, reserved
from .tune import prepared, unit_gold

WINDOW = 400             # lines of each conversation, for speed
MAX_SPEAKERS = 8         # as train/tune.py: the big open meetings cost the most and teach little
BOUNDS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)  # confidence bounds tried (--review-below)
MIN_LINES = 100          # a window shorter than this (the conversation ended) is skipped
CAUGHT = 0.8             # the goal: this share of the misattributed words in flagged turns,
FLAGGED = 0.3            # with at most this share of the turns flagged
CUTOFFS = (0, 0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 12, 14, 16, 18, 20, 25, 30)
PER_GROUP = 20           # conversations of each source and kind
QUICK = 1


@dataclass(frozen=True, slots=True)
class Case:
    """One attributed conversation: every decoded turn with its misattributed words."""

    id: str
    kind: str
    doubts: tuple[Doubt, ...]
    wrong: tuple[int, ...]      # misattributed words of each turn in ``doubts``
    misattributed: int          # all misattributed words (some may lie in no turn)
    words: int


def attribute_case(conversation, start: int = 0, max_lines: int = WINDOW) -> Case:
    """Attribute lines ``start``.. of a conversation with its cast; score each decoded turn."""
    item = prepared(conversation, start=start, max_lines=max_lines)
    _, lines, base, cast = item
    done = attribute(base.transcript, base.corrected, base.edits, cast=cast, review_below=None)
    wrong_of_unit = {number: words * (label.speaker != gold)
                     for number, words, gold, label in unit_gold(lines, base, done)}
    doubts = tuple(d for d in done.doubts if d.words)
    wrong = tuple(sum(wrong_of_unit.get(u, 0) for u in range(d.first, d.end)) for d in doubts)
    return Case(conversation.id, conversation.kind, doubts, wrong, sum(wrong_of_unit.values()),
                sum(len(u.text.split()) for u in done.units))


def flagged(case: Case, review_below: float | None, min_expected: float | None = None,
            decide: Callable[[Doubt], bool] | None = None) -> list[bool]:
    """Which of a case's turns the rule (or another ``decide``) lists."""
    decide = decide or (lambda d: needs_review(d, review_below, min_expected))
    return [decide(d) for d in case.doubts]


@dataclass(frozen=True, slots=True)
class Point:
    """The review list under one setting: shares of misattributed words caught, of turns
    flagged, of flagged turns mostly right, of flagged turns of 1-3 words, and of the mostly
    wrong turns of 4 words or more that are not flagged; and the turns flagged."""

    caught: float
    flagged: float
    right: float
    short: float
    missed: float
    turns: int


def measure(cases: Sequence[Case], review_below: float | None = None,
            min_expected: float | None = None,
            decide: Callable[[Doubt], bool] | None = None) -> Point:
    """The list's shares, pooled over the cases (words and turns counted together)."""
    caught = wrong = turns = marked = right = short = missed = long_wrong = 0
    for case in cases:
        marks = flagged(case, review_below, min_expected, decide)
        wrong += case.misattributed
        turns += len(case.doubts)
        for doubt, wrong_words, mark in zip(case.doubts, case.wrong, marks):
            mostly_right = 2 * wrong_words < doubt.words
            if doubt.words >= 4 and not mostly_right:
                long_wrong += 1
                missed += not mark
            if mark:
                marked += 1
                caught += wrong_words
                right += mostly_right
                short += doubt.words <= 3
    return Point(caught / max(wrong, 1), marked / max(turns, 1), right / max(marked, 1),
                 short / max(marked, 1), missed / max(long_wrong, 1), marked)


def choose(cases: Sequence[Case]) -> tuple[float, float]:
    """``(review_below, min_expected)``: the setting farthest inside the goal (``CAUGHT`` of
    the misattributed words in at most ``FLAGGED`` of the turns), by its smaller margin; the
    lower bound and the higher cut-off on ties (the shorter list)."""
    def margin(setting):
        point = measure(cases, *setting)
        return min(point.caught - CAUGHT, FLAGGED - point.flagged), -setting[0], setting[1]
    return max(((below, cutoff) for below in BOUNDS for cutoff in CUTOFFS), key=margin)


def unread_start(source: str, number: int, conversation) -> int | None:
    """The first line of conversation ``number`` of a source that the learned speaker models
    did not read; None when it is reserved, read whole, too big, or too short after the cut."""
    every, read = SAMPLE[source]
    start = read if number % every == 0 else 0
    if reserved(number) or start is None or len(conversation.roles) > MAX_SPEAKERS \
            or len(simulate(conversation)) < start + MIN_LINES:
        return None
    return start


def training(per_group: int) -> Iterable[tuple[object, int]]:
    """``(conversation, first line)`` of the training split: the first ``per_group`` of each
    source and kind, in corpus order."""
    for source in SOURCES:
        taken: dict[str, int] = {}
        for number, conversation in enumerate(load([source])):
            if taken.get(conversation.kind, 0) >= per_group:
                continue
            start = unread_start(source, number, conversation)
            if start is None:
                continue
            taken[conversation.kind] = taken.get(conversation.kind, 0) + 1
            yield conversation, start


def print_curve(cases: Sequence[Case], review_below: float | None, title: str) -> None:
    print(title)
    print("  cut-off  caught  flagged  flagged-right  flagged-1-3w  missed-wrong-4w+  turns")
    for cutoff in CUTOFFS:
        p = measure(cases, review_below, cutoff)
        print(f"  {cutoff:7g}  {p.caught:6.3f}  {p.flagged:7.3f}  {p.right:13.3f}  {p.short:12.3f}  "
              f"{p.missed:16.3f}  {p.turns:5d}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small sample; writes nothing")
    parser.add_argument("--dry-run", action="store_true", help="print the curve, write nothing")
    parser.add_argument("--out", type=Path, default=RULE_PATH)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    cases = []
    for conversation, start in training(QUICK if args.quick else PER_GROUP):
        cases.append(attribute_case(conversation, start))
        print(f"  {conversation.id} (from line {start}): {len(cases[-1].doubts)} turns, "
              f"{cases[-1].misattributed}/{cases[-1].words} words misattributed", file=sys.stderr)
    kinds = sorted({c.kind for c in cases})
    print(f"{len(cases)} training conversations: "
          + ", ".join(f"{k} {sum(c.kind == k for c in cases)}" for k in kinds))
    for below in BOUNDS:
        print_curve(cases, below, f"confidence below {below:g}, by cut-off:")
    below, cutoff = choose(cases)
    point = measure(cases, below, cutoff)
    print(f"chosen: confidence below {below:g}, cut-off {cutoff:g}: caught {point.caught:.3f}, "
          f"flagged {point.flagged:.3f} ({time.perf_counter() - started:.0f} s)")
    if args.quick or args.dry_run:
        return 0
    meta = {"command": "python -m train.review", "corpus": corpus_version(),
            "conversations": len(cases), "window": WINDOW,
            "caught": round(point.caught, 3), "flagged": round(point.flagged, 3),
            "curve": [[c, round(p.caught, 3), round(p.flagged, 3)]
                      for c in CUTOFFS for p in [measure(cases, below, c)]]}
    rule = {"review_below": below, "min_expected": cutoff, "meta": meta}
    args.out.write_text(json.dumps(rule, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
