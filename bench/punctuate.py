"""Punctuation and capitals for caption-style input (issue 13): held-out accuracy, what
attribution loses on stripped text, and cost.

    python bench/punctuate.py              # stripped dev cases + cost (uses the shipped weights)
    python bench/punctuate.py --heldout    # also train once per corpus source without it and
                                           # score that source (minutes; --words scales the data)

1. Held-out sources (``--heldout``): the model is trained by ``train/punctuate.py`` on every
   source but one (its offsets chosen on validation shows of those sources) and scored on
   the source left out, punctuation and case stripped: precision, recall and F1 per mark,
   capital accuracy.
2. Stripped dev cases: each of the 8 dev conversations lower-cased and stripped of
   punctuation (the line structure kept, the gold's split offsets moved with the text),
   cleaned with its cast; named word accuracy against the gold, next to the same case with
   its punctuation, and stripped with ``--punctuate never`` (what the restoration buys).
3. Cost: CPU milliseconds to punctuate an hour of speech (10,000 words, about 60 KB).

Nothing is fitted here and nothing asserts: it prints tables.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from speakers import find_dev  # noqa: E402

from cleaner import Options, clean  # noqa: E402
from cleaner.edits import build_stream  # noqa: E402
from cleaner.attribute.evaluate import parse_gold, score  # noqa: E402
from cleaner.correct.packs import load_cast  # noqa: E402
from cleaner.punctuate import propose_punctuation  # noqa: E402
from cleaner.read import read_text  # noqa: E402

PREFIX = "*  "
_DROP = set(".,?!;:\"“”‘’()[]…—–")
WORDS_PER_HOUR = 10_000


def strip_line(text: str) -> tuple[str, list[int]]:
    """Caption-style text: lowercase, no punctuation (inner apostrophes and hyphens kept),
    single spaces; and for each old offset, the new offset where its text went."""
    out: list[str] = []
    where: list[int] = []
    for position, char in enumerate(text):
        where.append(len(out))
        keep = char not in _DROP and not (char == "'" and _edge(text, position))
        if char in "-" and _edge(text, position):
            keep = False
        if not keep:
            continue
        if char.isspace():
            if out and out[-1] != " ":
                out.append(" ")
            continue
        out.append(char.lower())
    where.append(len(out))
    while out and out[-1] == " ":
        out.pop()
    return "".join(out), [min(w, len(out)) for w in where]


def _edge(text: str, position: int) -> bool:
    """True when the character at ``position`` is not between two letters or digits."""
    before = text[position - 1] if position > 0 else " "
    after = text[position + 1] if position + 1 < len(text) else " "
    return not (before.isalnum() and after.isalnum())


def strip_case(text: str, gold):
    """The case's input stripped line by line, and its gold with the split offsets moved."""
    lines = text.split("\n")
    maps: dict[int, list[int]] = {}
    out = []
    for number, line in enumerate(lines, start=1):
        if line.startswith(PREFIX):
            stripped, where = strip_line(line[len(PREFIX):])
            maps[number] = where
            out.append(PREFIX + (stripped or "uh"))
        else:
            out.append(line)
    moved = []
    for row in gold:
        where = maps.get(row.line)
        if where and row.splits:
            row = replace(row, splits=tuple((where[min(o, len(where) - 1)], s)
                                            for o, s in row.splits))
        moved.append(row)
    return "\n".join(out), moved


def dev_table(dev: Path) -> None:
    print("Stripped dev cases (lower-cased, punctuation removed), cleaned with their casts:"
          " named word accuracy")
    print(f"  {'case':44s} {'punctuated':>10s} {'stripped':>9s} {'loss':>6s} "
          f"{'no punct.':>9s} {'marks/100w':>10s}")
    rows = []
    for md in sorted(dev.glob("*.md")):
        name = md.name[:-3]
        cast = load_cast(dev / f"{name}.cast.yaml")
        dicts = [{"name": m.name, "role": m.role, "aliases": list(m.aliases)} for m in cast]
        gold = parse_gold((dev / f"{name}.gold.tsv").read_text(encoding="utf-8"))
        text = md.read_text(encoding="utf-8")
        stripped, stripped_gold = strip_case(text, gold)
        results = []
        for source, rows_gold, mode in ((text, gold, "auto"), (stripped, stripped_gold, "auto"),
                                        (stripped, stripped_gold, "never")):
            result = clean(source, path=str(md), options=Options(cast=tuple(cast), punctuate=mode))
            turns = [turn.to_dict() for turn in result.turns]
            results.append((score(result.transcript.lines, turns, rows_gold, dicts), result))
        (full, _), (restored, result), (bare, _) = results
        edits = sum(1 for e in result.edits if e.rule in ("punct.period", "punct.question",
                                                         "punct.comma"))
        words = sum(len(s.text.split()) for s in result.transcript.segments)
        rows.append((full.named_accuracy, restored.named_accuracy, bare.named_accuracy))
        print(f"  {name[:44]:44s} {full.named_accuracy:10.3f} {restored.named_accuracy:9.3f} "
              f"{restored.named_accuracy - full.named_accuracy:+6.3f} {bare.named_accuracy:9.3f} "
              f"{100 * edits / max(words, 1):10.1f}")
    means = [statistics.mean(column) for column in zip(*rows)]
    print(f"  {'mean':44s} {means[0]:10.3f} {means[1]:9.3f} {means[1] - means[0]:+6.3f} "
          f"{means[2]:9.3f}")
    print(f"  target: stripped at most 0.10 below punctuated: "
          f"{'yes' if means[0] - means[1] <= 0.10 else 'NO'}\n")


def cost(dev: Path) -> None:
    """CPU ms to punctuate 10,000 words of stripped dev text (an hour of speech)."""
    texts = []
    for md in sorted(dev.glob("*.md")):
        gold = parse_gold((md.with_suffix("").with_suffix(".gold.tsv")).read_text(encoding="utf-8"))
        texts.append(strip_case(md.read_text(encoding="utf-8"), gold)[0])
    body = "\n".join(line for text in texts for line in text.split("\n") if line.startswith(PREFIX))
    lines, count = [], 0
    for line in body.split("\n"):
        lines.append(line)
        count += len(line.split()) - 1
        if count >= WORDS_PER_HOUR:
            break
    text = "# an hour\n\n" + "\n".join(lines) + "\n"
    transcript = read_text(text, fmt="seed")
    stream = build_stream(transcript)
    propose_punctuation(stream, transcript, [], "auto")  # weights loaded once
    samples = []
    for _ in range(5):
        started = time.process_time()
        proposals, _info = propose_punctuation(stream, transcript, [], "auto")
        samples.append(time.process_time() - started)
    print(f"Cost: {count:,} words ({len(text.encode()) / 1024:.0f} KB) punctuated in "
          f"{statistics.median(samples) * 1000:.0f} ms CPU (median of 5), {len(proposals)} edits; "
          f"target under 200 ms per hour\n")


def heldout(words: float) -> None:
    from train.punctuate import main as train_main

    print(f"Held-out sources (trained without the source, word caps x{words}):")
    train_main(["--evaluate", "--words", str(words)])
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--heldout", action="store_true",
                        help="train once per source without it and score it (slow)")
    parser.add_argument("--words", type=float, default=0.3,
                        help="scale of the training word caps for --heldout (default 0.3)")
    args = parser.parse_args(argv)
    if args.heldout:
        heldout(args.words)
    dev = find_dev()
    if dev is None:
        print("no dev set found (shared/eval/dev or $CLEANER_EVAL_DIR)")
        return 0
    dev_table(dev)
    cost(dev)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
