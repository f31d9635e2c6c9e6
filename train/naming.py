"""Train the naming models and fit the naming policy's thresholds:
``cleaner/attribute/learned/naming.npz``.

    python -m train.naming              # the full run (a few minutes on 2 cores)
    python -m train.naming --quick      # a small slice, to try things
    python -m train.naming --out FILE   # write elsewhere

Only the training split is read: every conversation ``train.speakers.reserved`` does not keep
out. Each is rendered as a diarized machine transcript (``train/diarize.py``): with the gold
turns as clusters, and for a third of them with a diarizer's errors too; the cast is given
with names and roles, names only, or (a sixth of them) not at all, so the names come from the
text; a third of them open with a clip of a guest, as many recorded shows do; and a
quarter of them are rendered once more with one person missing from the cast (whose voice
is then right only when it keeps its label). The runtime code builds the views, clues and hand-cue tallies (``clusters.Stage``) and
then:

1. **mentions**: every mention of a cast name is labelled by who it names: the voice
   speaking, the next voice, the previous one or none of them (a mention naming both the
   next and the previous voice says nothing about which and is left out). A multinomial
   logistic model on hashed features. For the next step each conversation's chances come
   from the model fitted on the other half of the shows (no leak).
2. **pairs**: for every (voice, name), whether the voice is that person. A logistic model on
   the dense pair features.
3. **policy**: ``found_floor``, ``merge_floor`` and ``tiny_share`` by grid search for the most
   words named right on the training conversations; the confidence scale by Platt scaling
   of the chosen names' margins against whether they were right.

Everything is seeded; the same corpus and command give the same file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import pickle
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from cleaner.attribute.evaluate import _NameResolver
from cleaner.attribute.names.clusters import Stage, gather_evidence, host_likeness, turns_of
from cleaner.attribute.names import learned as model
from cleaner.attribute.names.naming import DEFAULTS, choose_names
from cleaner.read import read_text

from .corpus import SOURCES, Conversation, corpus_version, load
from .diarize import cast_of, diarized
from .speakers import reserved

SAMPLE = {"changelog": 3, "btc": 1, "meetings": 1, "debates": 1}   # every n-th conversation
QUICK = {"changelog": 20, "btc": 6, "meetings": 6, "debates": 4}
MAX_SPEAKERS = 25
PERTURBED = ("split", "spurious", "edges", "merged")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _draw(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")


def training_conversations(sample: dict) -> list[Conversation]:
    out = []
    for source in SOURCES:
        for number, conversation in enumerate(load([source])):
            if reserved(number) or number % sample[source]:
                continue
            if len({t.speaker for t in conversation.turns}) <= MAX_SPEAKERS:
                out.append(conversation)
    return out


def variants(conversation: Conversation) -> list[tuple[str, str]]:
    """(perturbation, cast kind) pairs this conversation is trained on."""
    draw = _draw(conversation.id)
    cast = ("roles", "names", "roles", "names", "roles", "none")[draw % 6]
    # A third open with a clip of a guest, as many recorded shows do.
    out = [("cold-open" if (draw // 6) % 3 == 0 else "gold", cast)]
    if draw % 3 == 0:
        out.append((PERTURBED[(draw // 3) % len(PERTURBED)], "names"))
    if draw % 4 == 1:
        out.append(("gold", "incomplete"))
    return out


def prepare(task: tuple[Conversation, str, str]) -> dict | None:
    """What training needs of one rendered conversation (the runtime code reads it)."""
    conversation, perturbation, cast_kind = task
    made = diarized(conversation, perturbation)
    transcript = read_text(made.text, "train.md", None)
    stage = Stage.build(transcript, cast=cast_of(conversation, cast_kind), trust=True)
    views, clues = stage.setting.views, stage.clues
    clusters = stage.clusters
    if not stage.names or len(set(clusters)) < 2:
        return None
    gold_words: dict[str, Counter] = {}
    for unit, view in enumerate(views):
        line = transcript.segments[stage.setting.units[unit].first_segment].line
        speaker = made.gold.get(line)
        if speaker is not None:
            gold_words.setdefault(clusters[unit], Counter())[speaker] += view.words
    gold = {c: counts.most_common(1)[0][0] for c, counts in gold_words.items()}
    # A name found in the text ("Adam") names the one gold speaker who has it.
    resolver = _NameResolver(set(made.gold.values()), None)
    person = {name: resolver.resolve(name) for name in stage.names}
    runs = turns_of(clusters, views)
    sites = model.mention_sites(views, clusters, runs, set(stage.names))
    labels = []
    for site in sites:
        here, before, after = gold.get(site.here), gold.get(site.before), gold.get(site.after)
        named = person[site.name]
        if named is not None and named == here:
            labels.append(0)
        elif named is not None and named == after and named == before:
            labels.append(-1)   # next or previous: says nothing about which
        elif named is not None and named == after:
            labels.append(1)
        elif named is not None and named == before:
            labels.append(2)
        else:
            labels.append(3)
    tallies = gather_evidence(views, clusters, clues, stage.names, stage.roles)
    words = Counter()
    for unit, view in enumerate(views):
        words[clusters[unit]] += view.words
    # What pair_features reads, with the views cut down to what it needs.
    light = [_Light(view.words, view.tokens) for view in views]
    return {"id": conversation.id, "group": conversation.group, "perturbation": perturbation,
            "cast": cast_kind, "clusters": clusters, "runs": runs, "views": light,
            "names": stage.names, "roles": stage.roles, "listed": sorted(stage.listed),
            "tallies": tallies, "sites": sites, "labels": labels, "gold": gold,
            "gold_words": gold_words, "words": words, "person": person,
            "host": host_likeness(clusters, clues, views)}


class _Light:
    """The parts of a view that pair features read."""

    __slots__ = ("words", "tokens")

    def __init__(self, words: int, tokens) -> None:
        self.words, self.tokens = words, tokens


def mention_matrix(rows: list[tuple[str, ...]]) -> sparse.csr_matrix:
    indices, indptr = [], [0]
    for row in rows:
        indices.extend(model.hashed(row, model.MENTION_BITS))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(len(rows), 1 << model.MENTION_BITS))
    matrix.sum_duplicates()
    return matrix


def fit_mentions(items: list[dict], c: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    rows = [site.features for item in items for site, label in zip(item["sites"], item["labels"])
            if label >= 0]
    labels = [label for item in items for label in item["labels"] if label >= 0]
    fitted = LogisticRegression(C=c, max_iter=300, solver="lbfgs")
    fitted.fit(mention_matrix(rows), np.array(labels))
    weights = np.zeros((1 << model.MENTION_BITS, len(model.RELATIONS)), dtype=np.float32)
    bias = np.zeros(len(model.RELATIONS), dtype=np.float32)
    for column, relation in enumerate(fitted.classes_):
        weights[:, relation] = fitted.coef_[column]
        bias[relation] = fitted.intercept_[column]
    missing = [r for r in range(len(model.RELATIONS)) if r not in fitted.classes_]
    bias[missing] = -20.0
    return weights, bias


def pair_rows(item: dict, chances: np.ndarray):
    features = model.pair_features(item["views"], item["clusters"], item["runs"], item["names"],
                                   item["roles"], item["tallies"], item["sites"], chances,
                                   item["host"])
    for (cluster, name), vector in features.items():
        yield cluster, name, vector, int(item["gold"].get(cluster) == item["person"][name])


def policy_score(items, logits_of, settings) -> tuple[float, list[tuple[float, int]]]:
    """Mean share of words named right over conversations, and (margin, right) of each name."""
    shares, margins = [], []
    for item, logits in zip(items, logits_of):
        total = max(sum(item["words"].values()), 1)
        labels = list(dict.fromkeys(item["clusters"]))
        choices = choose_names(labels, {c: item["words"][c] / total for c in labels},
                               item["names"], set(item["listed"]), logits, settings)
        right = 0
        listed = set(item["person"].values())
        for choice in choices:
            counts = item["gold_words"].get(choice.cluster, Counter())
            if choice.name is None:  # right for the words of people the cast does not list
                right += sum(n for person, n in counts.items() if person not in listed)
            else:
                person = item["person"][choice.name]
                right += counts.get(person, 0)
                margins.append((choice.margin, int(item["gold"].get(choice.cluster) == person)))
        shares.append(right / total)
    return float(np.mean(shares)), margins


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, default=model.DEFAULT_PATH)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--cache", type=Path, help="keep the prepared conversations in this "
                        "file and read them from it next time (to refit quickly)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    conversations = training_conversations(QUICK if args.quick else SAMPLE)
    if args.cache and args.cache.exists():
        with open(args.cache, "rb") as handle:
            items = pickle.load(handle)
        log(f"{len(items)} prepared conversations read from {args.cache}")
    else:
        tasks = [(c, p, k) for c in conversations for p, k in variants(c)]
        log(f"{len(conversations)} training conversations, {len(tasks)} rendered")
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            items = [item for item in pool.imap(prepare, tasks, chunksize=2) if item is not None]
        if args.cache:
            with open(args.cache, "wb") as handle:
                pickle.dump(items, handle, protocol=pickle.HIGHEST_PROTOCOL)
    log(f"prepared in {time.monotonic() - started:.0f} s; "
        f"{sum(len(i['sites']) for i in items)} mentions")

    # 1. Mentions: cross-fitted chances for the pair model, then one model on everything.
    halves = [[i for i in items if _draw(i["group"]) % 2 == side] for side in (0, 1)]
    for side in (0, 1):
        w, b = fit_mentions(halves[1 - side])
        for item in halves[side]:
            item["chances"] = _chances(item, w, b)
    mention_w, mention_b = fit_mentions(items)
    held = [(label, item["chances"][n]) for item in items for n, label in enumerate(item["labels"])
            if label >= 0]
    accuracy = np.mean([int(np.argmax(c) == label) for label, c in held]) if held else 0.0
    log(f"mentions: {len(held)} labelled, cross-fitted accuracy {accuracy:.3f}")

    # 2. Pairs.
    x, y = [], []
    for item in items:
        for _, _, vector, right in pair_rows(item, item["chances"]):
            x.append(vector)
            y.append(right)
    pairs = LogisticRegression(C=1.0, max_iter=2000)
    pairs.fit(np.array(x), np.array(y))
    pair_w, pair_b = pairs.coef_[0], float(pairs.intercept_[0])
    log(f"pairs: {len(y)} rows, {sum(y)} right; weights "
        + ", ".join(f"{n} {v:+.2f}" for n, v in zip(model.PAIR_FEATURES, pair_w)))

    # 3. Policy thresholds on the training conversations.
    logits_of = []
    for item in items:
        logits_of.append({(c, n): float(v @ pair_w + pair_b)
                          for c, n, v, _ in pair_rows(item, item["chances"])})
    fitted = dict(DEFAULTS)
    # The floors start at even odds: a found name (no cast), or a second voice for a person
    # already named, needs evidence for it; scored on words named alone, naming anything
    # would always win, and a voice the cast does not list must stay visible.
    grids = {"found_floor": [0.0, 0.5, 1.0, 2.0, 3.0, 4.0],
             "merge_floor": [0.0, 1.0, 2.0, 3.0, 5.0, 100.0],
             "tiny_share": [0.0, 0.01, 0.02, 0.05, 0.1],
             "merge_share": [0.0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5]}
    for name, grid in grids.items():
        scored = []
        for value in grid:
            trial = {**fitted, name: value}
            scored.append((policy_score(items, logits_of, trial)[0], -abs(value), value))
        best = max(scored)
        fitted[name] = best[2]
        log(f"{name}: " + ", ".join(f"{v}: {s:.4f}" for s, _, v in sorted(scored, key=lambda t: t[2]))
            + f" -> {best[2]}")
    score, margins = policy_score(items, logits_of, fitted)
    platt = LogisticRegression(C=100.0)
    platt.fit(np.array([[m] for m, _ in margins]), np.array([r for _, r in margins]))
    fitted["confidence_scale"] = float(platt.coef_[0][0])
    fitted["confidence_shift"] = float(platt.intercept_[0])
    log(f"named on training conversations: {score:.3f}; confidence = sigmoid("
        f"{fitted['confidence_scale']:.3f} x margin {fitted['confidence_shift']:+.3f})")

    meta = {"naming_version": model.NAMING_VERSION, "pair_features": list(model.PAIR_FEATURES),
            "corpus": corpus_version(), "command": "python -m train.naming"
            + (" --quick" if args.quick else ""), "conversations": len(conversations),
            "rendered": len(items), "fitted": fitted,
            "mention_accuracy_cross_fitted": round(float(accuracy), 4)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, meta=np.array(json.dumps(meta, sort_keys=True)),
                        mention_w=mention_w.astype(np.float16), mention_b=mention_b,
                        pair_w=pair_w, pair_b=np.array(pair_b))
    log(f"wrote {args.out} in {time.monotonic() - started:.0f} s")
    return 0


def _chances(item: dict, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    weights = model.NamingWeights({}, w, b, np.zeros(len(model.PAIR_FEATURES)), 0.0)
    return model.relation_chances([site.features for site in item["sites"]], weights)


if __name__ == "__main__":
    sys.exit(main())
