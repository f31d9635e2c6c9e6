"""Fit the change-of-speaker model (cleaner/attribute/turns/boundary.py) on the dev conversations.

    python bench/fit_boundary.py            # fit, check leaving each conversation out, print CHANGE
    python bench/fit_boundary.py --l2 2.0   # another regularisation strength
    python bench/fit_boundary.py --write    # also write the table into boundary.py

Every boundary between two non-empty units of a dev conversation is a sample: its features
(``boundary.features``) and whether the gold speaker changes there. The model is an
L2-regularised logistic regression, fitted by Newton's method in plain Python. For each
conversation, a model fitted on the others scores it (AUC, log-loss, F1 at 0.5): these are
the numbers to trust, as the model will meet conversations it has never seen.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from cleaner import Options, clean  # noqa: E402
from cleaner.attribute.setting import prepare  # noqa: E402
from cleaner.attribute.turns.boundary import boundaries  # noqa: E402
from cleaner.attribute.evaluate import gold_speakers, parse_gold  # noqa: E402
from cleaner.correct.packs import load_cast  # noqa: E402
from common import auc  # noqa: E402
from speakers import SEED, SEED_GOLD, find_dev  # noqa: E402

Sample = tuple[list[str], bool]


def unit_gold(transcript, units, lines, gold) -> list[str | None]:
    """The gold speaker of each unit's first word (None for a unit with no scored word)."""
    words: dict[int, list[tuple[int, str]]] = {}
    for line, column, speaker in gold_speakers(lines, gold):
        words.setdefault(line, []).append((column, speaker))
    out = []
    for unit in units:
        piece = unit.pieces[0]
        segment = transcript.segments[piece.segment]
        text = segment.text[piece.start:]
        column = segment.col(piece.start) + len(text) - len(text.lstrip())
        after = [speaker for start, speaker in words.get(segment.line, ()) if start >= column]
        out.append(after[0] if after else None)
    return out


def conversations(dev: Path, seed: bool = True) -> list[tuple[str, Path, Path, Path | None]]:
    """``(name, transcript, gold, cast or None)`` of every dev conversation, and the seed."""
    out = [(md.name[:-3], md, dev / f"{md.name[:-3]}.gold.tsv", dev / f"{md.name[:-3]}.cast.yaml")
           for md in sorted(dev.glob("*.md"))]
    if seed:
        out.append(("seed", SEED, SEED_GOLD, None))
    return out


def samples(dev: Path, seed: bool = True) -> dict[str, list[Sample]]:
    """Boundary samples of every dev conversation (and the seed, with no cast)."""
    out = {}
    for name, md, gold_path, cast_path in conversations(dev, seed):
        text = md.read_text(encoding="utf-8")
        base = clean(text, path=str(md), options=Options(speakers=False))
        setting = prepare(base.transcript, base.corrected, base.edits,
                          cast=load_cast(cast_path) if cast_path else None)
        gold = unit_gold(base.transcript, setting.units, base.transcript.lines,
                         parse_gold(gold_path.read_text(encoding="utf-8")))
        previous = {}
        last = None
        for view in setting.views:
            if view.text:
                previous[view.index] = last
                last = view.index
        rows = []
        for unit, found in boundaries(setting.views, setting.scene.index.lowercase,
                                      setting.scene.lowercase_sentences):
            before = previous[unit]
            if gold[unit] is None or gold[before] is None:
                continue
            rows.append((found, gold[unit] != gold[before]))
        out[name] = rows
    return out


def fit(rows: list[Sample], l2: float, names: list[str]) -> list[float]:
    """Weights ``[bias, *names]`` of an L2-regularised logistic regression (Newton's method)."""
    index = {name: i + 1 for i, name in enumerate(names)}
    encoded = [([0] + [index[f] for f in found if f in index], y) for found, y in rows]
    size = len(names) + 1
    w = [0.0] * size
    for _ in range(50):
        gradient = [l2 * w[i] if i else 0.0 for i in range(size)]
        hessian = [[0.0] * size for _ in range(size)]
        for i in range(1, size):
            hessian[i][i] = l2
        for present, y in encoded:
            p = _sigmoid(sum(w[i] for i in present))
            g, h = p - y, p * (1 - p)
            for i in present:
                gradient[i] += g
                row = hessian[i]
                for j in present:
                    row[j] += h
        step = _solve(hessian, gradient)
        w = [a - b for a, b in zip(w, step)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return w


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting."""
    n = len(vector)
    a = [row[:] + [vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            if factor:
                for c in range(col, n + 1):
                    a[r][c] -= factor * a[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (a[r][n] - sum(a[r][c] * x[c] for c in range(r + 1, n))) / a[r][r]
    return x


def predict(w: list[float], names: list[str], found: list[str]) -> float:
    """Probability of a change."""
    index = {name: i + 1 for i, name in enumerate(names)}
    return _sigmoid(w[0] + sum(w[index[f]] for f in found if f in index))


def report(name: str, w: list[float], names: list[str], rows: list[Sample]) -> tuple[float, ...]:
    """AUC, log-loss and F1 at 0.5 of a model on some samples."""
    probabilities = [predict(w, names, found) for found, _ in rows]
    labels = [y for _, y in rows]
    loss = -sum(math.log(p if y else 1 - p) for p, y in zip(probabilities, labels)) / len(rows)
    predicted = [p > 0.5 for p in probabilities]
    hits = sum(a and b for a, b in zip(predicted, labels))
    f1 = 2 * hits / (sum(predicted) + sum(labels))
    print(f"  {name[:44]:44s} {len(rows):6d} {sum(labels) / len(rows):6.2f} {auc(probabilities, labels):6.3f}"
          f" {loss:7.3f} {f1:6.3f}")
    return auc(probabilities, labels), loss, f1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--l2", type=float, default=1.0, help="L2 penalty (default 1.0)")
    parser.add_argument("--no-seed", action="store_true",
                        help="fit on the dev conversations only, not on the seed too")
    parser.add_argument("--write", action="store_true",
                        help="write the fitted table into cleaner/attribute/turns/boundary.py")
    parser.add_argument("--min-count", type=int, default=10,
                        help="leave out features seen fewer times (default 10)")
    args = parser.parse_args(argv)
    dev = find_dev()
    if dev is None:
        print("no dev set found (set CLEANER_EVAL_DIR)")
        return 2
    data = samples(dev, not args.no_seed)
    everything = [row for rows in data.values() for row in rows]
    counts: dict[str, int] = {}
    for found, _ in everything:
        for feature in found:
            counts[feature] = counts.get(feature, 0) + 1
    names = sorted(f for f, n in counts.items() if n >= args.min_count)
    print(f"{len(everything)} boundaries, {len(names)} features, l2={args.l2}\n")
    print(f"  {'held-out conversation':44s} {'n':>6s} {'rate':>6s} {'AUC':>6s} {'logloss':>7s} {'F1':>6s}")
    folds = []
    for name, rows in data.items():
        train = [row for other, rows2 in data.items() if other != name for row in rows2]
        folds.append(report(name, fit(train, args.l2, names), names, rows))
    print(f"  {'mean':44s} {'':6s} {'':6s} {sum(f[0] for f in folds) / len(folds):6.3f}"
          f" {sum(f[1] for f in folds) / len(folds):7.3f} {sum(f[2] for f in folds) / len(folds):6.3f}\n")
    w = fit(everything, args.l2, names)
    table = [f'    "bias": {w[0]:.2f},'] + [
        f'    "{name}": {value:.2f},  # n={counts[name]}'
        for name, value in sorted(zip(names, w[1:]), key=lambda item: -abs(item[1]))]
    print("CHANGE (cleaner/attribute/turns/boundary.py):")
    print("\n".join(table))
    if args.write:
        path = ROOT / "cleaner" / "attribute" / "turns" / "boundary.py"
        source = path.read_text(encoding="utf-8")
        start = source.index("CHANGE: dict[str, float] = {\n") + len("CHANGE: dict[str, float] = {\n")
        end = source.index("\n}\n", start)
        path.write_text(source[:start] + "\n".join(table) + source[end:], encoding="utf-8")
        print(f"written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
