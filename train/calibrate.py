"""Fit the turn confidence on the corpus training split; write
``cleaner/attribute/learned/confidence.json``.

    python -m train.calibrate              # the full run (about 10 minutes on one core)
    python -m train.calibrate --quick      # a small sample, to try things (writes nothing
                                           # unless --write)
    python -m train.calibrate --dry-run    # fit and print, write nothing
    python -m train.calibrate --save-turns F  # also keep the scored turns (pickle), and
    python -m train.calibrate --turns F       # refit from them without attributing again

Each training conversation (every ``STRIDE``-th of each source, less the reserved split;
from the line after those the learned speaker models read, to its end:
``train.review.unread_start``) is cut into ASR-like lines and attributed three ways, as the
benchmark's text-only settings are: the cast with names and roles, names only, and a
caption-style copy (lower case, no marks) with names and roles. Every decoded turn gives its
facts (``TurnFacts``) and the share of its words that name their gold speaker. A logistic
model on the facts (L2, soft targets, each turn weighted by ``words ** WEIGHT``, Newton's
method) is fitted to that share, then an isotonic map of its output; both are checked by
five folds of conversations before the final fit on all. Nothing of the reserved split is
read (``bench/confidence.py`` measures there).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.isotonic import IsotonicRegression

from cleaner import Options, clean
from cleaner.attribute import attribute
from cleaner.attribute.evaluate import _NameResolver
from cleaner.attribute.names.confidence import (DEFAULT_PATH, FEATURES, Calibration, TurnFacts,
                                                features, turn_confidence)
from cleaner.segment.review import Doubt

from .asr_lines import captioned, simulate, to_markdown
from .corpus import SOURCES, corpus_version, load
from .diarize import cast_of
from .review import unread_start
from .tune import unit_gold

COPIES = {"roles": ("lines", "roles"), "names": ("lines", "names"),
          "captions": ("captions", "roles")}
# Every n-th conversation of each source: spread over the corpus (its first conversations of a
# show are not typical of it), about 60 changelog, 35 btc and 35 meetings conversations.
STRIDE = {"changelog": 16, "btc": 4, "meetings": 5, "debates": 1}
QUICK = {"changelog": 160, "btc": 40, "meetings": 50, "debates": 1}
L2 = 1.0
FOLDS = 5
WEIGHT = 0.5      # each turn counts as words ** WEIGHT: between turns (0) and words (1)


@dataclass(frozen=True, slots=True)
class Turn:
    """One decoded turn: its facts, the confidence given, scored and misattributed words."""

    facts: TurnFacts | None  # None: not a decoded turn (bench/confidence.py's diarized ones)
    doubt: Doubt
    confidence: float
    words: int
    wrong: int

    @property
    def share(self) -> float:
        return 1 - self.wrong / self.words

    @property
    def right(self) -> bool:
        return 2 * self.wrong < self.words


def attributed_turns(conversation, copy: str, start: int = 0,
                     max_lines: int | None = None) -> list[Turn]:
    """Attribute lines ``start``.. of a conversation in one of ``COPIES`` and score each
    decoded turn (turns with no scored words are left out). The cast is the people who speak
    in those lines."""
    text, cast_kind = COPIES[copy]
    lines = simulate(conversation)[start:None if max_lines is None else start + max_lines]
    if text == "captions":
        lines = captioned(lines)
    base = clean(to_markdown(lines, conversation.id), path="calibrate.md",
                 options=Options(speakers=False))
    spoken = {speaker for line in lines for _, speaker in line.chunks}
    cast = [m for m in cast_of(conversation, cast_kind) if m.name in spoken]
    done = attribute(base.transcript, base.corrected, base.edits, cast=cast, review_below=None)
    resolver = _NameResolver(spoken, None)
    scored = {number: (words, resolver.resolve(label.speaker) != gold)
              for number, words, gold, label in unit_gold(lines, base, done)}
    out = []
    for doubt, facts in zip(done.doubts, done.facts):
        units = [scored[u] for u in range(doubt.first, doubt.end) if u in scored]
        words = sum(w for w, _ in units)
        if words:
            out.append(Turn(facts, doubt, doubt.confidence, words,
                            sum(w for w, wrong in units if wrong)))
    return out


def training(stride: dict[str, int]):
    """``(conversation, first line)``: every ``stride``-th conversation of each source that
    has lines the learned models did not read (the debates were read whole)."""
    for source in SOURCES:
        for number, conversation in enumerate(load([source])):
            if number % stride[source] == 0:
                start = unread_start(source, number, conversation)
                if start is not None:
                    yield conversation, start


def fit_logistic(x: np.ndarray, y: np.ndarray, weight: np.ndarray, l2: float = L2) -> np.ndarray:
    """Weights of an L2-regularised logistic model (the first column, the bias, unpenalised)
    for soft targets ``y`` in [0, 1] and sample weights ``weight`` (mean 1), by Newton's
    method."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(100):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (weight * (p - y)) + penalty * w
        hessian = ((x * (weight * p * (1 - p))[:, None]).T @ x + np.diag(penalty)
                   + 1e-9 * np.eye(len(w)))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-9:
            break
    return w


def fit(turns: Sequence[Turn], meta: dict | None = None, l2: float = L2) -> Calibration:
    """A calibration fitted on scored turns: logistic, then an isotonic map of its output.
    The target is the share of a turn's words that are right; a turn weighs ``words **
    WEIGHT``, so long turns count more without drowning the short ones."""
    if not turns:
        raise ValueError("fitting the confidence needs scored turns")
    x = np.array([features(t.facts) for t in turns])
    y = np.array([t.share for t in turns])
    weight = np.array([t.words ** WEIGHT for t in turns], dtype=float)
    weight /= weight.mean()
    w = fit_logistic(x, y, weight, l2)
    p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(p, y, weight)
    knots = tuple((round(float(a), 6), round(float(b), 6))
                  for a, b in zip(iso.X_thresholds_, iso.y_thresholds_))
    return Calibration(tuple(round(float(v), 6) for v in w), knots, meta or {})


def ece(pairs: Sequence[tuple[float, float, float]], bins: int = 5) -> float:
    """Expected calibration error of ``(confidence, outcome, weight)``: the weighted mean gap
    between each bin's mean confidence and mean outcome."""
    total = sum(w for _, _, w in pairs)
    gap = 0.0
    for b in range(bins):
        members = [(c, o, w) for c, o, w in pairs if min(int(c * bins), bins - 1) == b]
        weight = sum(w for _, _, w in members)
        if weight:
            gap += abs(sum((c - o) * w for c, o, w in members)) / total
    return gap


def summary(turns: Sequence[Turn], confidences: Sequence[float]) -> str:
    """ECE by turns (against right turns) and by words (against right words), and Brier."""
    by_turn = ece([(c, float(t.right), 1.0) for t, c in zip(turns, confidences)])
    by_word = ece([(c, t.share, t.words) for t, c in zip(turns, confidences)])
    brier = sum((c - t.right) ** 2 for t, c in zip(turns, confidences)) / max(len(turns), 1)
    return f"ECE turns {by_turn:.3f}, ECE words {by_word:.3f}, Brier {brier:.3f}"


def cross_check(cases: Sequence[tuple[str, list[Turn]]]) -> None:
    """Fit on four fifths of the conversations, score the rest; print pooled out-of-fold."""
    turns, out = [], []
    for fold in range(FOLDS):
        train = [t for cid, ts in cases if zlib.crc32(cid.encode()) % FOLDS != fold for t in ts]
        held = [t for cid, ts in cases if zlib.crc32(cid.encode()) % FOLDS == fold for t in ts]
        if not train or not held:
            continue
        model = fit(train)
        turns += held
        out += [turn_confidence(t.facts, model) for t in held]
    print(f"  out of fold ({FOLDS} folds by conversation): {summary(turns, out)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small sample; writes nothing")
    parser.add_argument("--write", action="store_true", help="write even with --quick")
    parser.add_argument("--dry-run", action="store_true", help="fit and print, write nothing")
    parser.add_argument("--out", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--save-turns", type=Path, help="keep the scored turns in this file")
    parser.add_argument("--turns", type=Path, help="refit from turns kept by --save-turns")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    cases: list[tuple[str, list[Turn]]] = []
    if args.turns:  # plain tuples: a pickle of this module's classes would name __main__
        cases = [(cid, [Turn(*fields) for fields in turns])
                 for cid, turns in pickle.loads(args.turns.read_bytes())]
    else:
        for conversation, start in training(QUICK if args.quick else STRIDE):
            for copy in COPIES:
                cases.append((conversation.id, attributed_turns(conversation, copy, start)))
            print(f"  {conversation.id} (from line {start})", file=sys.stderr, flush=True)
    if args.save_turns:
        args.save_turns.write_bytes(pickle.dumps(
            [(cid, [(t.facts, t.doubt, t.confidence, t.words, t.wrong) for t in turns])
             for cid, turns in cases]))
    turns = [t for _, ts in cases for t in ts]
    print(f"{len(cases) // len(COPIES)} training conversations x {len(COPIES)} copies, "
          f"{len(turns)} turns, {sum(t.words for t in turns)} words")
    print(f"  as given (the shipped confidence): {summary(turns, [t.confidence for t in turns])}")
    cross_check(cases)
    meta = {"command": "python -m train.calibrate" + (" --quick" if args.quick else ""),
            "corpus": corpus_version(),
            "conversations": len(cases) // len(COPIES), "copies": list(COPIES),
            "turns": len(turns), "l2": L2}
    model = fit(turns, meta)
    print(f"  in sample: {summary(turns, [turn_confidence(t.facts, model) for t in turns])}")
    print("  weights: " + ", ".join(f"{name} {w:+.3f}" for name, w in zip(FEATURES, model.weights)))
    print(f"  ({time.perf_counter() - started:.0f} s)")
    if args.dry_run or (args.quick and not args.write):
        return 0
    args.out.write_text(model.to_json(), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
