"""``cleaner clean``: correct a transcript, write it and a report of every change."""

from __future__ import annotations

import argparse

from ..errors import CleanerError
from ..files import (BACKUP_SUFFIX, DEFAULT_MAX_BYTES, parse_size, read_raw, same_file,
                     write_backup, write_outputs)
from ..read import decode
from ..pipeline import Options, clean
from ..read import FORMATS
from ..render import WRITERS, render
from ..render.html_report import render_html
from ..render.report import render_md, render_txt

REPORTS = {"md": render_md, "txt": render_txt, "html": render_html}
EXTENSIONS = {".md": "md", ".markdown": "md", ".txt": "txt", ".json": "json", ".html": "html",
              ".htm": "html"}

HELP = "correct a transcript and write it with a report of every change"
EPILOG = """examples:
  cleaner clean seeds/000_779c6c37a6df98f0.txt -o out/seed.md --report out/seed.report.html
  cleaner clean talk.srt --format json -o - | jq '.edits | length'
  cat raw.txt | cleaner clean - --no-default-rules --rules my-show.yaml
"""


def add_parser(subparsers) -> None:
    """Register ``clean`` and its options."""
    parser = subparsers.add_parser("clean", help=HELP, description=HELP.capitalize() + ".",
                                   epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", help="transcript file, or - for stdin")
    parser.add_argument("-o", "--output", default=None,
                        help="where to write the cleaned transcript (default: - for stdout)")
    parser.add_argument("--in-place", action="store_true",
                        help="write the cleaned transcript over INPUT, first saving the original "
                             f"as INPUT{BACKUP_SUFFIX} (default: off; never over an existing "
                             "backup)")
    parser.add_argument("--format", choices=sorted(WRITERS), default=None,
                        help="output format (default: from the -o extension, else md)")
    parser.add_argument("--report", metavar="FILE", default=None,
                        help="also write a report of every change (.md, .txt or .html; "
                             "default: none)")
    parser.add_argument("--report-format", choices=sorted(REPORTS), default=None,
                        help="report format (default: from the --report extension, else md)")
    parser.add_argument("--from", dest="input_format", choices=FORMATS, default=None,
                        help="input format (default: detected from the content)")
    add_input_options(parser)
    add_rule_options(parser)


def add_input_options(parser) -> None:
    """The input options every command that reads transcripts shares."""
    parser.add_argument("--max-bytes", metavar="N", type=_size, default=DEFAULT_MAX_BYTES,
                        help="refuse inputs larger than N bytes (k, M, G suffixes; 0: no limit; "
                             f"default: {DEFAULT_MAX_BYTES // 1024**2}M)")


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_rule_options(parser) -> None:
    """The rule-pack options every command that applies rules shares."""
    parser.add_argument("--rules", metavar="PACK", action="append", default=[],
                        help="add a rule pack (repeatable; show packs given here always apply)")
    parser.add_argument("--no-default-rules", action="store_true",
                        help="start from no packs instead of the shipped ones (default: off)")
    parser.add_argument("--disable", metavar="RULE_ID", action="append", default=[],
                        help="switch off one rule by id (repeatable)")


def options_from(args) -> Options:
    """Pipeline options from parsed arguments."""
    return Options(input_format=args.input_format, rules=tuple(args.rules),
                   default_rules=not args.no_default_rules, disabled=tuple(args.disable))


def run(args) -> int:
    """Clean one file; 0 on success (edits are not failures)."""
    if args.in_place:
        if args.input == "-":
            raise CleanerError("--in-place needs an input file, not stdin")
        if args.output is not None:
            raise CleanerError("give either -o or --in-place, not both")
        args.output = args.input
    elif args.output is None:
        args.output = "-"
    fmt = args.format or _by_extension(args.output, "md", WRITERS)
    if args.in_place and not args.format and _by_extension(args.output, None, WRITERS) is None:
        raise CleanerError("--in-place: cannot tell the output format from the file name; "
                           f"give --format ({', '.join(sorted(WRITERS))})", args.input)
    report_format = None
    if args.report:
        report_format = args.report_format or _by_extension(args.report, "md", REPORTS)
    targets = [args.report] if args.in_place else [args.output, args.report]
    for target in targets:
        if target and same_file(target, args.input):
            hint = " (use --in-place to replace it, keeping a backup)" if target == args.output else ""
            raise CleanerError(f"refusing to write over the input file{hint}", target)
    raw = read_raw(args.input, args.max_bytes)
    text, encoding, bom = decode(raw, args.input)
    result = clean(text, path=args.input, options=options_from(args), encoding=encoding, bom=bom)
    outputs = [(args.output, render(result, fmt))]
    if report_format:
        outputs.append((args.report, REPORTS[report_format](result)))
    if args.in_place:
        if outputs[0][1].encode("utf-8") == raw:
            outputs.pop(0)  # already clean: the input is left alone, and needs no backup
        else:
            write_backup(args.input, raw)
    write_outputs(outputs)
    return 0


def _by_extension(path: str, default: str | None, known) -> str | None:
    for extension, fmt in EXTENSIONS.items():
        if path.lower().endswith(extension) and fmt in known:
            return fmt
    return default
