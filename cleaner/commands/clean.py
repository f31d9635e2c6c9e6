"""``cleaner clean``: correct a transcript, write it and a report of every change."""

from __future__ import annotations

import argparse
import os

from ..config import complete_options
from ..attribute.overrides import load_overrides
from ..errors import CleanerError
from ..files import read_input, same_file, write_output
from ..packs import load_cast
from ..pipeline import Options, clean
from ..read import FORMATS
from ..render import WRITERS, render
from ..render.html_report import render_html
from ..render.report import render_md, render_txt
from ..tidy import STYLES

REPORTS = {"md": render_md, "txt": render_txt, "html": render_html}
EXTENSIONS = {".md": "md", ".markdown": "md", ".txt": "txt", ".json": "json", ".html": "html",
              ".htm": "html", ".srt": "srt", ".vtt": "vtt"}

HELP = "correct a transcript and write it with a report of every change"
EPILOG = """examples:
  cleaner clean seeds/000_779c6c37a6df98f0.txt -o out/seed.md --report out/seed.report.html
  cleaner clean talk.srt --format json -o - | jq '.edits | length'
  cleaner clean talk.json --style edited -o talk.vtt
  cat raw.txt | cleaner clean - --no-default-rules --rules my-show.yaml
  cleaner clean archive/ -o cleaned/ --jobs 4 --format json
  cleaner clean talk.txt --cast cast.yaml --overrides fixes.yaml --review-below 0.6 -o talk.md
"""


def add_parser(subparsers) -> None:
    """Register ``clean`` and its options."""
    parser = subparsers.add_parser("clean", help=HELP, description=HELP.capitalize() + ".",
                                   epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", help="transcript file, or - for stdin, or a folder to clean "
                                      "every transcript in it (then -o names the output folder)")
    parser.add_argument("-o", "--output", default="-",
                        help="where to write the cleaned transcript (default: - for stdout)")
    parser.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                        help="worker processes when cleaning a folder (default: 0, one per CPU)")
    parser.add_argument("--format", choices=sorted(WRITERS), default=None,
                        help="output format (default: from the -o extension, else md)")
    parser.add_argument("--report", metavar="FILE", default=None,
                        help="also write a report of every change (.md, .txt or .html; "
                             "default: none)")
    parser.add_argument("--report-format", choices=sorted(REPORTS), default=None,
                        help="report format (default: from the --report extension, else md)")
    parser.add_argument("--from", dest="input_format", choices=FORMATS, default=None,
                        help="input format (default: detected from the content)")
    parser.add_argument("--style", choices=STYLES, default="clean",
                        help="verbatim: rule fixes only; clean: also remove loops, stutters "
                             "and fillers; edited: also cut asides such as 'you know' "
                             "(default: clean)")
    parser.add_argument("--keep-hallucinations", action="store_true",
                        help="flag hallucination loops in the report instead of removing "
                             "them (default: off)")
    add_rule_options(parser)
    add_speaker_options(parser)


def add_speaker_options(parser) -> None:
    """The speaker options every command that attributes speakers shares."""
    parser.add_argument("--cast", metavar="FILE", default=None,
                        help="cast file: speakers: [{name, role, aliases}] (default: the show "
                             "pack's cast plus the people found in the text)")
    parser.add_argument("--overrides", metavar="FILE", default=None,
                        help="editor's speaker overrides: overrides: [{line, speaker, at}] "
                             "(default: none)")
    parser.add_argument("--review-below", metavar="X", type=_fraction, default=0.5,
                        help="mark turns whose speaker confidence is below X for review "
                             "(0-1; default: 0.5; 0 marks none)")
    parser.add_argument("--no-speakers", action="store_true",
                        help="do not guess speakers: one block per input line (default: off)")


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1: {text}")
    return value


def add_rule_options(parser) -> None:
    """The rule-pack options every command that applies rules shares."""
    parser.add_argument("--rules", metavar="PACK", action="append", default=[],
                        help="add a rule pack (repeatable; show packs given here always apply)")
    parser.add_argument("--no-default-rules", action="store_true",
                        help="start from no packs instead of the shipped ones (default: off)")
    parser.add_argument("--disable", metavar="RULE_ID", action="append", default=[],
                        help="switch off one rule by id (repeatable)")


def options_from(args) -> Options:
    """Pipeline options from parsed arguments (cast and overrides files are read here)."""
    speakers = not getattr(args, "no_speakers", False)
    cast_file = getattr(args, "cast", None)
    overrides_file = getattr(args, "overrides", None)
    review_below = getattr(args, "review_below", 0.5)
    return Options(
        input_format=args.input_format, rules=tuple(args.rules),
        default_rules=not args.no_default_rules, disabled=tuple(args.disable),
        style=getattr(args, "style", "clean"),
        keep_hallucinations=getattr(args, "keep_hallucinations", False),
        speakers=speakers,
        cast=load_cast(cast_file) if cast_file and speakers else None,
        overrides=load_overrides(overrides_file) if overrides_file and speakers else None,
        review_below=review_below or None,
    )


def run(args) -> int:
    """Clean one file (or a folder); 0 on success (edits are not failures)."""
    if args.input != "-" and os.path.isdir(args.input):
        from .clean_batch import run_batch

        return run_batch(args)
    fmt = args.format or _by_extension(args.output, "md", WRITERS)
    report_format = None
    if args.report:
        report_format = args.report_format or _by_extension(args.report, "md", REPORTS)
    for target in (args.output, args.report):
        if target and same_file(target, args.input):
            raise CleanerError("refusing to write over the input file", target)
    text, encoding, bom = read_input(args.input)
    options = complete_options(options_from(args), args)
    result = clean(text, path=args.input, options=options, encoding=encoding, bom=bom)
    output = render(result, fmt)
    report = REPORTS[report_format](result) if report_format else None
    write_output(args.output, output)
    if report is not None:
        write_output(args.report, report)
    return 0


def _by_extension(path: str, default: str, known) -> str:
    for extension, fmt in EXTENSIONS.items():
        if path.lower().endswith(extension) and fmt in known:
            return fmt
    return default
