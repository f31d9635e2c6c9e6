"""Train the learned speaker models and write ``cleaner/attribute/learned/speakers.npz``.

    python -m train.speakers                 # the full run (about 10 minutes on 2 cores)
    python -m train.speakers --quick         # a small slice, to try things
    python -m train.speakers --loso          # also: leave-one-source-out change AUC per source
    python -m train.speakers --out FILE      # write elsewhere

Reads ``../shared/corpus/*.jsonl.gz`` (or ``$CLEANER_CORPUS_DIR``), turns a sample of each
source's conversations into ASR-like input (``asr_lines``; some also caption-style), builds
the units and views with the runtime code (``examples``), and fits three L2-regularised
logistic models on hashed features (``cleaner.attribute.learned.features``): the change of
speaker between units, the role of a unit, and a unit's affinity to a speaker's other words.
Everything is seeded; the same corpus and command give the same weights.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import zlib
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy import sparse

from cleaner.attribute.turns.boundary import CHANGE
from cleaner.attribute.voices import affinity as affinity_model
from cleaner.attribute.learned.features import (AFFINITY_BITS, CHANGE_BITS, FEATURE_VERSION,
                                                ROLE_BITS, ROLES, change_features, hashed,
                                                role_features)
from cleaner.attribute.learned.weights import DEFAULT_PATH

from .corpus import SOURCES, corpus_version, load
from .examples import Example, examples

# How much of each source is used: every n-th conversation, at most this many lines each.
SAMPLE = {"changelog": (5, 250), "btc": (1, 300), "meetings": (1, 300), "debates": (1, None)}
QUICK = {"changelog": (40, 150), "btc": (8, 200), "meetings": (8, 200), "debates": (4, 300)}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def reserved(number: int) -> bool:
    """Conversations kept out of training in every source, for choosing the decoder's mixing
    weights (``train/tune.py``): never the dev set."""
    return number % 10 == 9


def gather(sample: dict, seed: int, sources=SOURCES, directory: Path | None = None):
    """Examples of every source, sampled as ``sample`` says, in corpus order (a generator:
    each is turned into model inputs and dropped, which keeps memory small)."""
    for source in sources:
        every, max_lines = sample[source]
        for number, conversation in enumerate(load([source], directory)):
            if number % every or reserved(number):
                continue
            yield from examples(conversation, seed, max_lines=max_lines)


def previous_units(example: Example) -> dict[int, int]:
    previous, last = {}, None
    for view in example.views:
        if view.text:
            if last is not None:
                previous[view.index] = last
            last = view.index
    return previous


def change_rows(example: Example):
    """``(features, changed, heuristic log-odds)`` of every boundary with gold on both sides."""
    previous = previous_units(example)
    for unit, heuristic in example.heuristic.items():
        before = previous[unit]
        a, b = example.speakers[before], example.speakers[unit]
        if a is None or b is None:
            continue
        p, v = example.views[before], example.views[unit]
        found = change_features(p.text, p.tokens, v.text, v.tokens, heuristic,
                                v.starts_line, v.continues)
        old = CHANGE["bias"] + sum(CHANGE.get(name, 0.0) for name in heuristic)
        yield found, a != b, old


def role_rows(example: Example):
    for view, role in zip(example.views, example.roles):
        if role is None or not view.text:
            continue
        yield role_features(view.text, view.tokens, view.starts_line, view.continues), ROLES.index(role)


def matrix(rows: list[list[str]], bits: int) -> sparse.csr_matrix:
    """Hashed feature counts, one row per sample."""
    indices, indptr = [], [0]
    for found in rows:
        indices.extend(hashed(found, bits))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    out = sparse.csr_matrix((data, np.array(indices, dtype=np.int64), np.array(indptr)),
                            shape=(len(rows), 1 << bits))
    out.sum_duplicates()
    return out


def fit_binary(x, y, c: float):
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415 (training only)

    positives = int(np.sum(y))
    if positives in (0, len(y)):  # one class only (a tiny corpus): the prior alone
        return (np.zeros(x.shape[1], dtype=np.float32),
                float(np.log((positives + 0.5) / (len(y) - positives + 0.5))))
    model = LogisticRegression(C=c, solver="liblinear", max_iter=200, random_state=0)
    model.fit(x, y)
    return model.coef_[0].astype(np.float32), float(model.intercept_[0])


def fit_multi(x, y, c: float):
    """One binary model per class (one against the rest); inference normalises with a softmax."""
    coef, intercept = [], []
    for label in range(len(ROLES)):
        w, b = fit_binary(x, (y == label).astype(int), c)
        coef.append(w)
        intercept.append(b)
    return np.array(coef, dtype=np.float32), np.array(intercept, dtype=np.float32)


def role_data(example: Example):
    rows, labels = [], []
    for found, label in role_rows(example):
        rows.append(found)
        labels.append(label)
    return matrix(rows, ROLE_BITS), np.array(labels, dtype=int)


def affinity_rows(example: Example, min_words: int = 100, every: int = 2):
    """Sparse rows (one per unit and speaker) of the affinity model's inputs, and labels:
    the ratios of each word of the unit for that speaker, and their total."""
    names = sorted({s for s in example.speakers if s})
    number = {name: n for n, name in enumerate(names)}
    speaker_of = np.array([number.get(s, -1) if s else -1 for s in example.speakers])
    turn_of = affinity_model.turns_of(speaker_of)
    unit_of, bucket = affinity_model.tokens_of([v.tokens for v in example.views])
    if not len(bucket):
        return None
    ratios = affinity_model.token_ratios(unit_of, bucket, turn_of, speaker_of, len(names))
    words = np.bincount(speaker_of[unit_of][speaker_of[unit_of] >= 0], minlength=len(names))
    lengths = np.bincount(unit_of, minlength=len(example.views))
    chosen = np.zeros(len(example.views), dtype=bool)
    chosen[::every] = True
    chosen &= (lengths >= 3) & (speaker_of >= 0)
    rank = np.cumsum(chosen) - 1
    keep = chosen[unit_of]
    size = 1 << AFFINITY_BITS
    rows, cols, vals, labels = [], [], [], []
    base = 0
    for s in range(len(names)):
        if words[s] < min_words:
            continue
        r = base + rank[unit_of[keep]]
        rows += [r, base + np.arange(chosen.sum())]
        cols += [bucket[keep], np.full(chosen.sum(), size)]
        vals += [ratios[s][keep], np.bincount(rank[unit_of[keep]], weights=ratios[s][keep],
                                              minlength=chosen.sum())]
        labels.append(speaker_of[chosen] == s)
        base += chosen.sum()
    if not labels:
        return None
    x = sparse.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(base, size + 1)).tocsr()
    return x, np.concatenate(labels).astype(int)


def affinity_matrix(items: list[Example]):
    parts = [found for example in items if (found := affinity_rows(example)) is not None]
    return sparse.vstack([p[0] for p in parts]).tocsr(), np.concatenate([p[1] for p in parts])


def auc(scores, labels) -> float:
    from sklearn.metrics import roc_auc_score  # noqa: PLC0415

    return float(roc_auc_score(labels, scores)) if 0 < sum(labels) < len(labels) else float("nan")


def change_data(items: list[Example]):
    rows, ys, old, groups = [], [], [], []
    for example in items:
        for found, y, heuristic in change_rows(example):
            rows.append(found)
            ys.append(int(y))
            old.append(heuristic)
            groups.append(example.source)
    return matrix(rows, CHANGE_BITS), np.array(ys), np.array(old), np.array(groups)


def loso(x, y, old, groups, c: float) -> list[tuple[str, float, float, int]]:
    """Change AUC per source with the model trained on the other sources, and the hand-made
    model's AUC there."""
    out = []
    for source in sorted(set(groups)):
        test = groups == source
        w, b = fit_binary(x[~test], y[~test], c)
        scores = x[test] @ w + b
        out.append((source, auc(old[test], y[test]), auc(scores, y[test]), int(test.sum())))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small slice of the corpus")
    parser.add_argument("--loso", action="store_true", help="leave-one-source-out change AUC")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DEFAULT_PATH)
    args = parser.parse_args(argv)
    started = time.time()
    sample = QUICK if args.quick else SAMPLE
    change_parts, role_parts, affinity_parts = [], [], []
    count = units = 0
    for example in gather(sample, args.seed):
        count += 1
        units += len(example.views)
        change_parts.append(change_data([example]))
        role_parts.append(role_data(example))
        if (found := affinity_rows(example)) is not None:
            affinity_parts.append(found)
    log(f"{count} simulated conversations, {units} units ({time.time() - started:.0f} s)")
    x = sparse.vstack([p[0] for p in change_parts]).tocsr()
    y, old, groups = (np.concatenate([p[i] for p in change_parts]) for i in (1, 2, 3))
    log(f"change: {x.shape[0]} boundaries, {y.mean():.3f} changes")
    c_change = 0.5
    report = {}
    if args.loso:
        rows = loso(x, y, old, groups, c_change)
        report["loso_change_auc"] = {s: {"heuristic": round(h, 4), "learned": round(l, 4), "boundaries": n}
                                     for s, h, l, n in rows}
        for source, h, l, n in rows:
            log(f"LOSO change AUC {source:10s} heuristic {h:.3f} learned {l:.3f} ({n} boundaries)")
    change_w, change_b = fit_binary(x, y, c_change)
    log(f"change fitted ({time.time() - started:.0f} s)")

    rx = sparse.vstack([p[0] for p in role_parts]).tocsr()
    ry = np.concatenate([p[1] for p in role_parts])
    role_w, role_b = fit_multi(rx, ry, 0.2)
    log(f"role: {rx.shape[0]} units, classes {np.bincount(ry).tolist()} ({time.time() - started:.0f} s)")

    ax = sparse.vstack([p[0] for p in affinity_parts]).tocsr()
    ay = np.concatenate([p[1] for p in affinity_parts])
    aff_w, aff_b = fit_binary(ax, ay, 1.0)
    log(f"affinity: {ax.shape[0]} unit-speaker pairs ({time.time() - started:.0f} s)")

    command = "python -m train.speakers" + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip()
    meta = {
        "feature_version": FEATURE_VERSION, "corpus_version": corpus_version(),
        "command": command.strip(), "seed": args.seed, "sample": sample,
        "conversations": count, "units": units, "change_boundaries": int(x.shape[0]),
        "role_units": int(rx.shape[0]), "affinity_pairs": int(ax.shape[0]),
        "seconds": round(time.time() - started), **report,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out, meta=np.array(json.dumps(meta, sort_keys=True)),
        change_w=change_w.astype(np.float16), change_b=np.float32(change_b),
        role_w=role_w.T.astype(np.float16), role_b=role_b.astype(np.float32),
        affinity_w=aff_w.astype(np.float32), affinity_b=np.float32(aff_b),
    )
    log(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) in {time.time() - started:.0f} s")
    print(json.dumps(meta, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
