"""Fit how strongly the decoder holds a sentence the input did not break to one speaker
(``decoder.in-sentence``), in which conversations (``decoder.in-sentence-rate``) and up to
which sentence length (``decoder.in-sentence-lines``), on the corpus training split. See
``cleaner/attribute/turns/sentences.py``.

    python -m train.sentences            # the fit (about ten minutes); prints the grid and the choice
    python -m train.sentences --quick    # one conversation of each source and kind

Conversations: the training split, windows the learned models did not read
(``train.review.training``), as Whisper-like lines and as a caption-style copy, cast with
names and roles. For each, the first decoding's share of sentence-internal breaks where it
changes speaker is read once; each weight and length is decoded once with the prior always
on, and once with none, so every rate is scored without decoding again. The choice is the
setting with the fewest wrong changes inside sentences among those whose mean change F1
over both copies is no lower than with no prior at all; the script prints it: copy it into
``DECODER`` (``cleaner/attribute/voices/decode.py``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass

from cleaner import Options, clean
from cleaner.attribute import attribute
from cleaner.attribute.evaluate import change_f1
from cleaner.attribute.setting import prepare
from cleaner.attribute.turns import find_changes
from cleaner.attribute.turns.sentences import changes_inside, inside
from cleaner.attribute.voices.decode import best_path, build_model
from cleaner.attribute.voices.track import infer_host, role_evidence
from cleaner.correct.packs import CastMember

from .asr_lines import captioned, simulate, to_markdown
from .review import WINDOW, training
from .tune import unit_gold

WEIGHTS_TRIED = (2.0, 4.0, 6.0, 8.0)
LINES_TRIED = (4, 8, 16)
RATES = (0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.1, 0.15, 0.2, 0.3)
OFF = (0.0, 0)
PER_GROUP = 8
QUICK = 1


@dataclass
class Case:
    """One conversation copy: its first decoding's share of sentence-internal breaks with a
    change (by the longest sentence counted), and ``(change F1, named, wrong changes inside
    sentences)`` with the prior always on, by weight and longest sentence (``OFF``: none)."""

    id: str
    copy: str
    share: dict[int, float]
    scores: dict[tuple[float, int], tuple[float, float, int]]


def first_shares(base, cast) -> dict[int, float]:
    """The share of sentence-internal breaks where a first decoding (as ``attribute`` makes
    it before any second-pass clue) changes speaker, by the longest sentence counted."""
    setting = prepare(base.transcript, base.corrected, base.edits, cast)
    weights, views = setting.weights, list(setting.views)
    clues = [*setting.clues, *find_changes(setting), *role_evidence(setting)]
    empty = [not view.text.strip() for view in views]
    roles = list(setting.roles)
    if not setting.anonymous and weights["decoder.infer-host"]:
        roles = infer_host(len(views), setting.speakers, roles, clues, {}, empty, weights)
    path = best_path(build_model(len(views), setting.speakers, roles, clues, {}, empty, weights))
    out = {}
    for longest in LINES_TRIED:
        units = inside(views, longest)
        out[longest] = changes_inside(path, units) / len(units) if units else 0.0
    return out


def score(lines, base, cast, weights) -> tuple[float, float, int]:
    """``(change F1, named share, wrong changes inside sentences)`` under ``weights``; every
    break the input did not end a sentence at counts, however long the sentence."""
    done = attribute(base.transcript, base.corrected, base.edits, cast=cast, weights=weights)
    units = unit_gold(lines, base, done)
    gold = [g for _, _, g, _ in units]
    guess = [label.speaker for _, _, _, label in units]
    words = [w for _, w, _, _ in units]
    named = sum(w for w, g, p in zip(words, gold, guess) if g == p) / max(sum(words), 1)
    inner = set(inside(prepare(base.transcript, base.corrected, base.edits, cast).views,
                       float("inf")))
    wrong = sum(1 for (a, _, ga, la), (b, _, gb, lb) in zip(units, units[1:])
                if b in inner and la.speaker != lb.speaker and ga == gb)
    return change_f1(guess, gold), named, wrong


def case(conversation, start: int, copy: str) -> Case:
    lines = simulate(conversation)[start:start + WINDOW]
    if copy == "captions":
        lines = captioned(lines)
    base = clean(to_markdown(lines, conversation.id), path="train.md",
                 options=Options(speakers=False))
    used = {speaker for line in lines for _, speaker in line.chunks}
    cast = [CastMember(name=name, role=role if role in ("host", "guest", "other") else "unknown")
            for name, role in conversation.roles.items() if name in used]
    settings = [OFF] + [(w, n) for w in WEIGHTS_TRIED for n in LINES_TRIED]
    scores = {(w, n): score(lines, base, cast, {"decoder.in-sentence": w,
                                                "decoder.in-sentence-lines": n,
                                                "decoder.in-sentence-rate": 1.0})
              for w, n in settings}
    return Case(conversation.id, copy, first_shares(base, cast), scores)


def result(cases: list[Case], weight: float, longest: int, rate: float
           ) -> tuple[float, float, int]:
    """Mean change F1, mean named share and wrong in-sentence changes under one setting."""
    picked = [c.scores[(weight, longest) if weight and c.share[longest] < rate else OFF]
              for c in cases]
    return (statistics.mean(p[0] for p in picked), statistics.mean(p[1] for p in picked),
            sum(p[2] for p in picked))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one conversation per group")
    parser.add_argument("--per-group", type=int, default=PER_GROUP,
                        help=f"conversations of each source and kind (default {PER_GROUP})")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    cases = []
    for conversation, start in training(QUICK if args.quick else args.per_group):
        for copy in ("lines", "captions"):
            cases.append(case(conversation, start, copy))
            print(f"  {conversation.id} {copy}: shares {cases[-1].share}", file=sys.stderr)
    print(f"{len(cases) // 2} training conversations, {len(cases)} copies")
    print("| in-sentence | lines | rate below | chg F1 | named | wrong in-sentence changes |")
    print("|---:|---:|---:|---:|---:|---:|")
    grid = {(*OFF, RATES[0]): result(cases, *OFF, RATES[0])}
    for weight in WEIGHTS_TRIED:
        for longest in LINES_TRIED:
            for rate in RATES:
                grid[weight, longest, rate] = result(cases, weight, longest, rate)
    for (weight, longest, rate), (f1, named, wrong) in grid.items():
        print(f"| {weight:g} | {longest} | {rate:g} | {f1:.4f} | {named:.4f} | {wrong} |")
    # The fewest wrong changes inside sentences at no cost in change F1 (on ties the better F1,
    # then the first in the grid: the lower rate, applying the prior to fewer conversations).
    baseline = grid[(*OFF, RATES[0])][0]
    weight, longest, rate = min((key for key in grid if grid[key][0] >= baseline),
                                key=lambda key: (grid[key][2], -grid[key][0]))
    print(f"chosen: decoder.in-sentence {weight:g}, decoder.in-sentence-lines {longest}, "
          f"decoder.in-sentence-rate {rate:g} ({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
