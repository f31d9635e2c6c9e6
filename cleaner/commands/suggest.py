"""``cleaner suggest``: find phrases that look like misspellings of known names."""

from __future__ import annotations

import argparse
import json
import sys

import regex

from . import HELPS
from ..correct.castfile import parse_cast
from ..errors import CleanerError
from ..files import read_input
from ..learn.packedit import rules_yaml
from ..correct.packs import load_library
from ..read import FORMATS, read_text
from ..read.published import listed_speakers
from ..learn.suggest import THRESHOLD, Candidate, known_names, parse_glossary, suggest
from .clean import add_rule_options
from .packfile import add_to_pack, summary, taken_ids

HELP = HELPS["suggest"]
EPILOG = """examples:
  cleaner suggest episode.md --cast cast.yaml --glossary names.txt
  cleaner suggest episode.md --glossary names.txt --write rules/shows/my-show.yaml
  cleaner suggest episode.md --cast cast.yaml --write my-show.yaml --accept 1 --accept 'Kevin Roos'
  cleaner suggest episode.md --format json | jq '.[].rule'

glossary file: UTF-8 text, one name or term per line as it should be written; blank lines
and lines starting with # are ignored.
"""


def add_parser(subparsers) -> None:
    """Register ``suggest`` and its options."""
    parser = subparsers.add_parser("suggest", help=HELP, description=HELP.capitalize() + ".",
                                   epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", help="transcript file, or - for stdin")
    parser.add_argument("--cast", metavar="FILE", default=None,
                        help="cast file: speakers: [{name, role, aliases}] (default: none)")
    parser.add_argument("--glossary", metavar="FILE", action="append", default=[],
                        help="file of names and terms, one per line (repeatable)")
    parser.add_argument("--min-score", type=float, default=THRESHOLD, metavar="X",
                        help=f"least score (0-1) of a candidate shown (default: {THRESHOLD})")
    parser.add_argument("--format", choices=("text", "yaml", "json"), default="text",
                        help="output format (default: text)")
    parser.add_argument("--write", metavar="PACK", default=None,
                        help="add the rules of the accepted candidates to this pack "
                             "(created if missing; default: none)")
    parser.add_argument("--accept", metavar="WHICH", action="append", default=[],
                        help="with --write: a candidate's number or its text (repeatable); "
                             "'all' takes every candidate shown that is not an ordinary word "
                             "(default: all)")
    parser.add_argument("--from", dest="input_format", choices=FORMATS, default=None,
                        help="input format (default: detected from the content)")
    add_rule_options(parser)


def run(args) -> int:
    """Print the candidates; with ``--write``, add the accepted ones' rules to a pack."""
    if not 0 < args.min_score <= 1:
        raise CleanerError("--min-score must be between 0 and 1")
    if args.accept and not args.write:
        raise CleanerError("--accept needs --write PACK")
    text, _, _ = read_input(args.input)
    transcript = read_text(text, args.input, args.input_format)
    library = load_library(args.rules, not args.no_default_rules, args.disable)
    cast = load_cast(args.cast) if args.cast else ()
    glossary = [name for path in args.glossary for name in parse_glossary(read_input(path)[0])]
    known = known_names(cast=cast, glossary=glossary, packs=library.select(transcript),
                        speakers=listed_speakers(transcript))
    candidates = suggest(transcript, known, args.min_score, library.compile_for(transcript))
    sys.stdout.write(render(candidates, args.format))
    if args.write:
        chosen = accepted(candidates, args.accept or ["all"])
        merged = add_to_pack(args.write, [c.rule for c in chosen if c.rule.examples],
                             taken_ids(library), "Rules accepted from cleaner suggest.")
        print(summary(args.write, merged), file=sys.stderr)
    return 0


def load_cast(path: str):
    """The cast members of a cast file (the one place cast files are read)."""
    text, _, _ = read_input(path)
    return parse_cast(text, path)


def accepted(candidates: list[Candidate], which: list[str]) -> list[Candidate]:
    """The candidates named by ``--accept`` values (numbers are 1-based, as printed)."""
    chosen: dict[int, Candidate] = {}
    for item in which:
        if item == "all":
            chosen.update((n, c) for n, c in enumerate(candidates, 1) if not c.ordinary)
            continue
        if regex.fullmatch(r"\d+", item):
            number = int(item)
            if not 1 <= number <= len(candidates):
                raise CleanerError(f"--accept {item}: there are {len(candidates)} candidates")
            chosen[number] = candidates[number - 1]
            continue
        named = [(n, c) for n, c in enumerate(candidates, 1)
                 if item.casefold() in (f.casefold() for f in c.forms)]
        if not named:
            raise CleanerError(f"--accept {item!r}: no candidate has that text")
        chosen.update(named)
    return [chosen[n] for n in sorted(chosen)]


def render(candidates: list[Candidate], fmt: str) -> str:
    """The candidates as text, YAML rules, or JSON."""
    if fmt == "json":
        return json.dumps([_as_dict(n, c) for n, c in enumerate(candidates, 1)],
                          ensure_ascii=False, allow_nan=False, indent=1) + "\n"
    if fmt == "yaml":
        return rules_yaml([c.rule for c in candidates if c.rule.examples])
    if not candidates:
        return "No likely misspellings of known names.\n"
    lines = []
    for number, c in enumerate(candidates, 1):
        flag = "  [ordinary words: check before accepting]" if c.ordinary else ""
        lines.append(f"{number:>3}. {c.text!r} -> {c.name!r}  score {c.score:.2f}, "
                     f"{c.count}x, from {c.source}{flag}")
        for line, context in c.contexts:
            lines.append(f"       line {line}: {context}")
        lines.append(f"       rule: {{id: {c.rule.id}, match: {list(c.rule.match)}, "
                     f"replace: {c.rule.replace!r}}}")
    return "\n".join(lines) + "\n"


def _as_dict(number: int, c: Candidate) -> dict:
    return {
        "number": number, "text": c.text, "forms": list(c.forms), "name": c.name,
        "source": c.source, "score": c.score, "count": c.count, "ordinary": c.ordinary,
        "contexts": [{"line": line, "text": text} for line, text in c.contexts],
        "rule": {"id": c.rule.id, "category": c.rule.category, "match": list(c.rule.match),
                 "replace": c.rule.replace,
                 "examples": [{"in": a, "out": b} for a, b in c.rule.examples]},
    }
