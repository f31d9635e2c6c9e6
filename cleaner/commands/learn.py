"""``cleaner learn``: learn rules from a raw transcript and the editor's corrected version."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import HELPS
from ..errors import CleanerError
from ..files import read_input, same_file
from ..learn.learn import Learned, LearnOptions, learn, names_of
from ..learn.packedit import rules_yaml
from ..correct.packs import load_library
from ..read import FORMATS, read_text
from .clean import add_rule_options
from .suggest import load_cast
from .packfile import add_to_pack, summary, taken_ids

HELP = HELPS["learn"]
EPILOG = """examples:
  cleaner learn episode.ai.md episode.reviewed.md                 # dry run: print the rules
  cleaner learn episode.ai.md episode.reviewed.md --into rules/shows/my-show.yaml
  cleaner learn raw.txt edited.txt --min-count 2 --punctuation
  cleaner learn episode.ai.md episode.reviewed.md --cast cast.yaml
"""


def add_parser(subparsers) -> None:
    """Register ``learn`` and its options."""
    parser = subparsers.add_parser("learn", help=HELP, description=HELP.capitalize() + ".",
                                   epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("raw", metavar="RAW", help="the transcript as ASR produced it")
    parser.add_argument("corrected", metavar="CORRECTED",
                        help="the same recording as the editor corrected it")
    parser.add_argument("--into", metavar="PACK", default=None,
                        help="merge the rules into this pack file (created if missing; "
                             "default: none, print the rules instead)")
    parser.add_argument("--from", dest="input_format", choices=FORMATS, default=None,
                        help="format of both inputs (default: detected from each file)")
    parser.add_argument("--cast", metavar="FILE", default=None,
                        help="cast file: its names are names, even when English has the word "
                             "(default: none; the packs' casts count too)")
    parser.add_argument("--min-count", type=int, default=1, metavar="N",
                        help="corrected occurrences a rule needs (default: 1)")
    parser.add_argument("--punctuation", action="store_true",
                        help="also learn inner punctuation changes such as 'peer to peer' "
                             "-> 'peer-to-peer' (default: off)")
    add_rule_options(parser)


def run(args) -> int:
    """Learn, then print the rules (dry run) or merge them into ``--into``."""
    if args.min_count < 1:
        raise CleanerError("--min-count must be at least 1")
    if args.into and any(same_file(args.into, path) for path in (args.raw, args.corrected)):
        raise CleanerError("refusing to write rules over an input file", args.into)
    library = load_library(list(args.rules) + _existing(args.into),
                           not args.no_default_rules, args.disable)
    raw = _read(args.raw, args.input_format)
    corrected = _read(args.corrected, args.input_format)
    existing = [rule for pack in library.packs for rule in pack.rules]
    cast = load_cast(args.cast) if args.cast else ()
    members = [*cast, *(member for pack in library.packs for member in pack.cast)]
    options = LearnOptions(punctuation=args.punctuation, min_count=args.min_count,
                           source=Path(args.corrected).name, names=names_of(members))
    learned = learn(raw, corrected, existing, options)
    if args.into is None:
        sys.stdout.write(report(learned, dry_run=True))
        return 0
    merged = add_to_pack(args.into, learned.rules, taken_ids(library),
                         "Rules learned from an editor's corrections.")
    sys.stdout.write(report(learned, dry_run=False, rules_text=False))
    print(summary(args.into, merged))
    return 0


def report(learned: Learned, dry_run: bool, rules_text: bool = True) -> str:
    """The YAML of the learned rules (a dry run) with the skipped substitutions as comments."""
    lines = [f"# cleaner learn: {learned.ratio:.1%} of {learned.raw_words} words aligned, "
             f"{learned.changes} word changes, {len(learned.rules)} rule(s), "
             f"{len(learned.skipped)} skipped."]
    if dry_run:
        lines.append("# Dry run: nothing written (use --into PACK to add these rules).")
    out = "\n".join(lines) + "\n"
    if rules_text:
        out += rules_yaml(learned.rules)
    if learned.skipped:
        out += "# Skipped:\n"
        for item in learned.skipped:
            out += (f"#   {_quote(item.before)} -> {_quote(item.after)} (×{item.count}): "
                    f"{item.reason}\n")
    return out


def _quote(text: str) -> str:
    return '"' + " ".join(text.split()).replace('"', '\\"') + '"'


def _existing(path: str | None) -> list[str]:
    return [path] if path and Path(path).is_file() else []


def _read(path: str, fmt: str | None):
    text, _, _ = read_input(path)
    return read_text(text, path, fmt)
