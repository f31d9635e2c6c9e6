"""``cleaner clean``: correct a transcript, write it and a report of every change."""

from __future__ import annotations

import argparse
import os
import sys

from . import HELPS
from ..config import complete_options
from ..remote import is_url, is_folder
from ..segment.review import REVIEW_BELOW
from ..collector import collector_paused
from ..errors import CleanerError
from ..files import (BACKUP_SUFFIX, DEFAULT_MAX_BYTES, parse_size, read_raw, same_file,
                     write_backup, write_outputs)
from ..correct.packs import load_cast
from ..pipeline import Options, clean
from ..read import FORMATS, decode
from ..render import REPORTS, WRITERS, render
from ..tidy import STYLES
from .batch import add_dask_option, local_paths

EXTENSIONS = {".md": "md", ".markdown": "md", ".txt": "txt", ".json": "json", ".html": "html",
              ".htm": "html", ".srt": "srt", ".vtt": "vtt"}

HELP = HELPS["clean"]
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
    parser.add_argument("-o", "--output", default=None,
                        help="where to write the cleaned transcript (default: - for stdout)")
    parser.add_argument("--in-place", action="store_true",
                        help="write the cleaned transcript over INPUT, first saving the original "
                             f"as INPUT{BACKUP_SUFFIX} (default: off; never over an existing "
                             "backup)")
    parser.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                        help="worker processes when cleaning a folder (default: 0, one per CPU)")
    add_dask_option(parser)
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
    parser.add_argument("--punctuate", choices=("auto", "always", "never"), default="auto",
                        help="restore full stops, commas, question marks and capitals: auto "
                             "where a stretch of the text has none (captions, unpunctuated "
                             "ASR), always, or never (default: auto; never in verbatim style)")
    add_input_options(parser)
    add_rule_options(parser)
    add_speaker_options(parser)


def add_speaker_options(parser) -> None:
    """The speaker options every command that attributes speakers shares."""
    parser.add_argument("--cast", metavar="FILE", default=None,
                        help="cast file: speakers: [{name, role, aliases}]; it also fixes "
                             "misheard cast names (default: the show pack's cast plus the "
                             "people found in the text)")
    parser.add_argument("--overrides", metavar="FILE", default=None,
                        help="editor's speaker overrides: overrides: [{line, speaker, at}] "
                             "(default: none)")
    parser.add_argument("--review-below", metavar="X", type=_fraction, default=REVIEW_BELOW,
                        help="mark for review turns whose speaker confidence is below X and "
                             "that are likely to hold many misattributed words "
                             f"(0-1; default: {REVIEW_BELOW:g}; 0 marks none)")
    parser.add_argument("--mark-review", action="store_true",
                        help="also write the review marks into md, txt and html output: "
                             "'*(check speaker, 42%%)*' (default: off; the report, the JSON "
                             "and check always list them)")
    parser.add_argument("--no-speakers", action="store_true",
                        help="do not guess speakers: no names and no speaker blocks; the text "
                             "is reflowed into paragraphs (speaker labels of the input "
                             "still count; default: off)")
    parser.add_argument("--trust-diarization", action="store_true",
                        help="diarized input (Speaker 0, SPEAKER_00, ...): keep every turn "
                             "boundary as given and only name the clusters (default: repair "
                             "where the text strongly contradicts them)")
    parser.add_argument("--keep-unsure-labels", action="store_true",
                        help="diarized input: a voice named less surely than --review-below "
                             "keeps its label (Speaker 0) instead of its best-fitting cast name "
                             "(default: every voice with a real share of the words is named "
                             "from the cast, unsure names go to the review list)")


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1: {text}")
    return value


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
    """Pipeline options from parsed arguments (cast and overrides files are read here)."""
    speakers = not getattr(args, "no_speakers", False)
    cast_file = getattr(args, "cast", None)
    overrides_file = getattr(args, "overrides", None)
    review_below = getattr(args, "review_below", REVIEW_BELOW)
    overrides = None
    if overrides_file and speakers:
        from ..attribute.overrides import load_overrides  # the speaker stage: only when used

        overrides = load_overrides(overrides_file)
    return Options(
        input_format=args.input_format, rules=tuple(args.rules),
        default_rules=not args.no_default_rules, disabled=tuple(args.disable),
        style=getattr(args, "style", "clean"),
        keep_hallucinations=getattr(args, "keep_hallucinations", False),
        punctuate=getattr(args, "punctuate", "auto"),
        speakers=speakers,
        cast=load_cast(cast_file) if cast_file else None,  # it fixes names without speakers too
        overrides=overrides,
        review_below=review_below or None,
        mark_review=getattr(args, "mark_review", False),
        trust_diarization=getattr(args, "trust_diarization", False),
        keep_unsure_labels=getattr(args, "keep_unsure_labels", False),
    )


def run(args) -> int:
    """Clean one file (or a folder); 0 on success (edits are not failures)."""
    args.input, args.output, args.report = local_paths([args.input, args.output, args.report])
    if args.input != "-" and (is_folder(args.input) if is_url(args.input)
                              else os.path.isdir(args.input)):
        if args.in_place:
            raise CleanerError("--in-place works on one file, not a folder", args.input)
        from .clean_batch import run_batch

        args.output = "-" if args.output is None else args.output
        return run_batch(args, options_from)
    if args.dask:
        raise CleanerError("--dask runs the files of a folder; give a folder as INPUT",
                           args.input)
    if args.in_place:
        if is_url(args.input):
            raise CleanerError("--in-place needs a local file, not a URL", args.input)
        if args.input == "-":
            raise CleanerError("--in-place needs an input file, not stdin")
        if args.output is not None:
            raise CleanerError("give either -o or --in-place, not both")
        args.output = args.input
    elif args.output is None:
        args.output = "-"
    # In place, the name must say the format, and JSON is not taken from it: the input is
    # Whisper's JSON, which cleaner's JSON document would replace.
    if args.in_place and not args.format and EXTENSIONS.get(_extension(args.output)) in (
            None, "json"):
        raise CleanerError("--in-place: cannot tell the output format from the file name; "
                           f"give --format ({', '.join(sorted(WRITERS))})", args.input)
    targets = [args.report] if args.in_place else [args.output, args.report]
    for target in targets:
        if target and same_file(target, args.input):
            hint = (" (use --in-place to replace it, keeping a backup)"
                    if target == args.output else "")
            raise CleanerError(f"refusing to write over the input file{hint}", target)
    backup = args.input + BACKUP_SUFFIX
    if args.in_place and args.report and (same_file(args.report, backup) or args.report == backup):
        raise CleanerError("the report would replace the backup of the input; "
                           "give --report another name", args.report)
    if args.report and (same_file(args.report, args.output) or args.report == args.output):
        raise CleanerError("the report and the transcript would be the same file; "
                           "give --report another name", args.report)
    fmt = args.format or _by_extension(args.output, "md")
    report_format = None
    if args.report:
        report_format = args.report_format or _by_extension(args.report, "md", report=True)
    raw = read_raw(args.input, args.max_bytes)
    text, encoding, bom = decode(raw, args.input)
    options = complete_options(options_from(args), args)
    with collector_paused():  # one big transcript: see cleaner/collector.py
        result = clean(text, path=args.input, options=options, encoding=encoding, bom=bom)
        if not result.transcript.segments:
            name = "stdin" if args.input == "-" else args.input
            print(f"cleaner: notice: {name}: no transcript text in the input "
                  f"({'empty' if not text.strip() else 'only a header'}); the output has none "
                  "either", file=sys.stderr)
        for note in result.transcript.notes:  # what the reader read around, one line
            print(f"{args.input}: warning: {note}", file=sys.stderr)
        outputs = [(args.output, render(result, fmt))]
        if report_format:
            outputs.append((args.report, REPORTS[report_format](result)))
    if args.in_place:
        if outputs[0][1].encode("utf-8") == raw:
            outputs.pop(0)  # already clean: the input is left alone, and needs no backup
        else:
            write_backup(args.input, raw)
    write_outputs(outputs)
    for warning in [*result.options.get("warnings", ()),
                    *(result.options.get("diarization") or {}).get("warnings", ())]:
        print(f"{args.input}: warning: {warning}", file=sys.stderr)
    return 0


def _by_extension(path: str, default: str | None, report: bool = False) -> str | None:
    """The format a file name's extension names, ``default`` when it has none. An extension
    naming no format we write (``-o out.docx``) is a usage error: Markdown written under that
    name would only pass for the format asked for."""
    known, what, option = ((REPORTS, "reports", "--report-format") if report
                           else (WRITERS, "transcripts", "--format"))
    extension = _extension(path)
    if not extension:
        return default
    if EXTENSIONS.get(extension) in known:
        return EXTENSIONS[extension]
    *names, last = [e for e, fmt in EXTENSIONS.items() if fmt in known]
    raise CleanerError(f"cleaner does not write {extension} {what}: end the name in "
                       f"{', '.join(names)} or {last}, or give {option} "
                       f"({', '.join(sorted(known))})", path)


def _extension(path: str) -> str:
    """``.docx`` for ``out/talk.DOCX``; empty for no extension and for ``-``."""
    return os.path.splitext(os.path.basename(path))[1].lower()
