"""``cleaner eval``: score a speaker-labelled JSON output against a human gold labelling."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from . import HELPS
from ..errors import CleanerError
from ..attribute.evaluate import (baseline, calibration, check_fit, expected_calibration_error,
                                  format_table, parse_gold, score)
from ..files import read_input
from ..correct.packs import load_cast
from ..restore import input_lines

HELP = HELPS["eval"]
EPILOG = """examples:
  cleaner clean talk.md --cast talk.cast.yaml -o talk.json
  cleaner eval talk.json talk.gold.tsv --cast talk.cast.yaml

The gold format (one row per input line: line, speaker, role, confidence, split, note) is
described in the README under "Speaker attribution".
"""


def add_parser(subparsers) -> None:
    """Register ``eval`` and its options."""
    parser = subparsers.add_parser("eval", help=HELP, description=HELP.capitalize() + ".",
                                   epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("prediction", metavar="PRED.json", help="a `cleaner clean --format json` output")
    parser.add_argument("gold", metavar="GOLD.tsv", help="the gold speaker of every input line")
    parser.add_argument("--cast", metavar="FILE", default=None,
                        help="cast file whose aliases also name gold speakers (default: none)")
    parser.add_argument("--bins", type=int, default=10, metavar="N",
                        help="confidence bins in the calibration table (default: 10)")


def run(args) -> int:
    """Print the scores next to the majority baseline, and the calibration table."""
    text, _, _ = read_input(args.prediction)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise CleanerError(f"not JSON: {error.msg}", args.prediction, error.lineno, error.colno) from None
    if not isinstance(document, dict) or not isinstance(document.get("turns"), list):
        raise CleanerError("not a cleaner JSON output (no 'turns' list)", args.prediction)
    lines = input_lines(document)
    gold_text, _, _ = read_input(args.gold)
    cast = None
    if args.cast:
        cast = [{"name": m.name, "role": m.role, "aliases": list(m.aliases)} for m in load_cast(args.cast)]
    if args.bins < 1:
        raise CleanerError("--bins must be at least 1")
    try:
        gold = parse_gold(gold_text)
        check_fit(lines, gold, document["turns"])
        scores = score(lines, document["turns"], gold, cast)
        base = baseline(lines, gold, cast)
        bins = calibration(lines, document["turns"], gold, cast, args.bins)
    except ValueError as error:
        raise CleanerError(str(error), args.gold) from None
    print(f"{Path(args.prediction).name} against {Path(args.gold).name}: {scores.words} words\n")
    print(format_table([("cleaner", scores), ("baseline", base)]))
    print(format_calibration(bins))
    return 0


def format_calibration(bins) -> str:
    """The calibration table: per confidence bin, turns, words, mean confidence, accuracy."""
    rows = ["confidence   turns   words   mean   right"]
    for b in bins:
        if not b.turns:
            continue
        rows.append(f"{b.lower:.1f}-{b.upper:.1f}   {b.turns:5d}  {b.words:6d}   "
                    f"{b.mean_confidence:.2f}    {b.accuracy:.2f}")
    ece = expected_calibration_error(bins)
    rows.append(f"expected calibration error: {'-' if ece is None else f'{ece:.3f}'}")
    return "\n".join(rows) + "\n"
