"""Choose the voices stage's weights (``cleaner/attribute/voices/pairs.py``) on the training split.

    python -m train.voices                               # every setting of SETTINGS
    python -m train.voices --set voices.pairs=1          # one setting (KEY=VALUE, repeatable)
    python -m train.voices --cast roles --every 2        # one kind of cast, a larger sample

Only the training split is read, and of it only the conversations numbered 8 mod 10, which
``train.samevoice`` holds out of the pair model's fit (every ``--every``-th of them, at
least ``MIN_TURNS`` turns). Each is cut into Whisper-like lines and attributed from its text
as the benchmark's ``c.roles`` and ``c.names`` settings do. The table gives the mean share of
words named right and mapped (best one-to-one), over all and by number of voices, and the
change F1; a row prints as soon as it is done. ``VOICES`` takes the best setting, and the
stage is on by default only if it also wins on ``bench/attribution.py --quick``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench.attribution as bench  # noqa: E402
from train.corpus import SOURCES, load  # noqa: E402

EVERY = 3
MIN_TURNS = 10
SETTINGS = ({"voices.pairs": 0.0}, {"voices.pairs": 0.5}, {"voices.pairs": 1.0},
            {"voices.pairs": 2.0})
CASTS = ("roles", "names")


def training_check(every: int = EVERY) -> list:
    """Training-split conversations out of the pair model's fit (numbered 8 mod 10)."""
    out = []
    for source in SOURCES:
        kept = 0
        for number, conversation in enumerate(load([source])):
            if number % 10 != 8 or len(conversation.turns) < MIN_TURNS:
                continue
            if kept % every == 0:
                out.append(conversation)
            kept += 1
    return out


def evaluate(setting: dict, conversations: list, cast: str) -> list:
    bench.TEXT_WEIGHTS.clear()
    bench.TEXT_WEIGHTS.update(setting)
    try:
        return [bench.score_text(c, "lines", cast, "train") for c in conversations]
    finally:
        bench.TEXT_WEIGHTS.clear()


def row(label: str, cast: str, scores: list) -> str:
    cells = [f"{statistics.mean(s.named for s in scores):.3f}",
             f"{statistics.mean(s.mapped for s in scores):.3f}"]
    for size in ("2", "3-4", "5+"):
        group = [s for s in scores if bench.size_bucket(s.speakers) == size]
        cells.append(f"{statistics.mean(s.named for s in group):.3f} / "
                     f"{statistics.mean(s.mapped for s in group):.3f}" if group else "")
    cells.append(f"{statistics.mean(s.change_f1 for s in scores):.3f}")
    return f"| {label} | {cast} | " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--every", type=int, default=EVERY)
    parser.add_argument("--cast", action="append", choices=CASTS, help="kinds of cast (default: both)")
    args = parser.parse_args(argv)
    settings = ([{k: float(v) for k, v in (item.split("=", 1) for item in args.set)}]
                if args.set else list(SETTINGS))
    conversations = training_check(args.every)
    print(f"{len(conversations)} training conversations", flush=True)
    print("| setting | cast | named | mapped | 2 named / mapped | 3-4 | 5+ | chg F1 |\n"
          "|---|---|---:|---:|---:|---:|---:|---:|", flush=True)
    for setting in settings:
        label = ", ".join(f"{k}={v:g}" for k, v in setting.items())
        for cast in args.cast or CASTS:
            print(row(label, cast, evaluate(setting, conversations, cast)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
