"""Train the same-voice pair model and write ``cleaner/attribute/voices/samevoice.npz``.

    python -m train.samevoice               # the full run (a few minutes)
    python -m train.samevoice --quick       # a small slice, to try things
    python -m train.samevoice --out FILE    # write elsewhere

Only the corpus training split is read (``train.speakers.reserved`` keeps every tenth
conversation of each source out). Each sampled conversation is cut into ASR-like lines and
read by the runtime code (``train.examples``); its gold turns are the stretches, and pairs
of them (all, or a seeded sample of ``PAIRS`` in long conversations) are labelled same or
other voice. Conversations whose number ends in 8 are held out of the fit and give the
printed AUC. The same corpus and command give the same weights.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter

import numpy as np

from cleaner.attribute.learned import weights as learned_weights
from cleaner.attribute.learned.features import hashed
from cleaner.attribute.voices.samevoice import DEFAULT_PATH, SAME_BITS, pair_rows, save
from cleaner.attribute.voices.pairs import stretch_table

from .corpus import SOURCES, corpus_version, load
from .examples import examples
from .speakers import auc, fit_binary, log, reserved

SAMPLE = {"changelog": 8, "btc": 2, "meetings": 4, "debates": 1}   # every n-th conversation
QUICK = {"changelog": 30, "btc": 6, "meetings": 10, "debates": 3}
PAIRS = 1500      # pairs at most per conversation
COMMON = 256      # common words whose rates the model compares
MAX_LINES = 400   # lines at most per conversation


def gold_stretches(views, speakers) -> tuple[list[list[int]], list[str]]:
    """Runs of units with one gold speaker (units with no text join the run they are in)."""
    runs, who = [], []
    for view, speaker in zip(views, speakers):
        if speaker is None or not view.text:
            continue
        if who and who[-1] == speaker:
            runs[-1].append(view.index)
        else:
            runs.append([view.index])
            who.append(speaker)
    return runs, who


def common_words(items, count: int = COMMON) -> np.ndarray:
    """The buckets of the ``count`` words found in the most conversations (function words,
    fillers, common verbs: the same in every topic)."""
    found = Counter()
    for example in items:
        found.update(set(hashed([t for v in example.views for t in v.tokens], SAME_BITS)))
    return np.array(sorted(b for b, _ in found.most_common(count)), dtype=np.int64)


def rows_of(example, learned, common, rng: np.random.Generator):
    runs, who = gold_stretches(example.views, example.speakers)
    if len(runs) < 3:
        return None
    people = [name for name, _ in example.cast]
    table = stretch_table(example.views, runs, people, learned, common)
    i, j = np.triu_indices(len(runs), k=1)
    if len(i) > PAIRS:
        keep = rng.choice(len(i), PAIRS, replace=False)
        i, j = i[keep], j[keep]
    pairs = np.stack([i, j], axis=1)
    labels = np.array([who[a] == who[b] for a, b in pairs], dtype=int)
    return pair_rows(table, len(set(who)), pairs).astype(np.float32), labels, len(set(who))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--c", type=float, default=0.1, help="inverse L2 strength")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=str(DEFAULT_PATH))
    args = parser.parse_args(argv)
    started = time.time()
    learned = learned_weights.load()
    rng = np.random.default_rng(args.seed)
    sample = QUICK if args.quick else SAMPLE
    items, count = [], 0
    for source in SOURCES:
        for number, conversation in enumerate(load([source])):
            if reserved(number) or number % sample[source]:
                continue
            items += [(number, e) for e in examples(conversation, args.seed, max_lines=MAX_LINES)]
            count += 1
    common = common_words([e for _, e in items])
    fit, check = [], []
    for number, example in items:
        found = rows_of(example, learned, common, rng)
        if found is not None:
            (check if number % 10 == 8 else fit).append(found)
    x = np.vstack([r[0] for r in fit])
    y = np.concatenate([r[1] for r in fit])
    log(f"{count} conversations, {x.shape[0]} pairs to fit, {y.mean():.3f} same "
        f"({time.time() - started:.0f} s)")
    coef, bias = fit_binary(x, y, args.c)
    cx = np.vstack([r[0] for r in check])
    cy = np.concatenate([r[1] for r in check])
    held = auc(cx @ coef + bias, cy)
    within = [auc(r[0] @ coef, r[1]) for r in check if 0 < r[1].sum() < len(r[1])]
    two = [auc(r[0] @ coef, r[1]) for r in check if r[2] == 2 and 0 < r[1].sum() < len(r[1])]
    log(f"held-out pair AUC {held:.3f} over {cx.shape[0]} pairs; within a conversation "
        f"{np.mean(within):.3f} ({len(within)}), two voices {np.mean(two):.3f} ({len(two)}) "
        f"({time.time() - started:.0f} s)")
    command = "python -m train.samevoice" + "".join(
        " " + a for a in (argv if argv is not None else sys.argv[1:]))
    meta = {"command": command, "corpus_version": corpus_version(), "sample": sample,
            "pairs": int(x.shape[0]), "held_out_auc": round(held, 4),
            "held_out_auc_within": round(float(np.mean(within)), 4),
            "held_out_auc_two_voices": round(float(np.mean(two)), 4), "c": args.c,
            "seed": args.seed}
    save(args.out, meta, common, coef, bias)
    print(json.dumps(meta, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
