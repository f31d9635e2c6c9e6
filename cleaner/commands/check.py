"""``cleaner check``: report what is still wrong in transcripts, for CI jobs and pre-commit."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from .batch import (TRANSCRIPT_EXTENSIONS, CheckJob, Progress, add_dask_option, check_file,
                    effective_jobs, expand_paths, failures, init_worker, is_cleaner_json,
                    local_paths, run_all)
from . import HELPS
from ..check.baseline import baseline_document, baseline_fingerprints, new_findings
from ..segment.review import REVIEW_BELOW
from ..check.findings import Severity, display_path, library_selftest_findings, sort_findings
from ..config import LEVELS, complete_options, with_setting
from ..errors import CleanerError
from ..files import write_output
from ..correct.packs import load_library
from ..read import FORMATS
from ..render.findings import FORMAT_NAMES, FindingsRun, render_findings, summary_line
from .clean import add_input_options, add_rule_options, options_from

HELP = HELPS["check"]
EPILOG = """examples:
  cleaner check transcripts/                       # every transcript under a folder
  cleaner check 'drops/**/*.md' --format github    # annotations in a GitHub Actions run
  cleaner check out/ --format sarif -o cleaner.sarif --fail-on warning
  cleaner check archive/ --baseline .cleaner-baseline.json --write-baseline
  cleaner check archive/ --baseline .cleaner-baseline.json   # only new findings

exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage, config or input error
"""


def add_parser(subparsers) -> None:
    """Register ``check`` and its options."""
    parser = subparsers.add_parser("check", help=HELP, description=HELP.capitalize() + ".",
                                   epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="transcript files, folders (searched for "
                             f"{', '.join(TRANSCRIPT_EXTENSIONS)}) or glob patterns; - for stdin")
    parser.add_argument("--format", dest="findings_format", choices=FORMAT_NAMES, default="text",
                        help="findings format (default: text)")
    parser.add_argument("-o", "--output", default="-",
                        help="write the findings here (default: - for stdout)")
    parser.add_argument("--fail-on", dest="fail_on", choices=LEVELS, default="error",
                        help="lowest severity that makes the exit code 1 (default: error)")
    parser.add_argument("--review-below", dest="review_below", type=_fraction, default=None,
                        metavar="X", help="report the turns clean would mark for review with "
                                          "this confidence bound: below X and likely to hold "
                                          "many misattributed words (0-1; default: clean's, "
                                          f"{REVIEW_BELOW:g})")
    parser.add_argument("--speakers", action="store_true",
                        help="also guess speakers and report text no speaker could be given to "
                             "(implied by --review-below; default: off, which is faster)")
    parser.add_argument("--baseline", metavar="FILE", default=None,
                        help="report only findings not in this baseline file (default: none)")
    parser.add_argument("--write-baseline", action="store_true",
                        help="write every current finding to the --baseline file and exit 0")
    parser.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                        help="worker processes (default: 0, one per CPU)")
    add_dask_option(parser)
    parser.add_argument("--from", dest="input_format", choices=FORMATS, default=None,
                        help="input format (default: detected from each file's content)")
    parser.add_argument("--exclude", metavar="GLOB", action="append", default=[],
                        help="skip files matching this pattern in folders (repeatable)")
    parser.add_argument("--extensions", metavar="EXT,...", type=_extensions, default=None,
                        help=f"comma-separated file extensions taken from folders (default: "
                             f"{','.join(TRANSCRIPT_EXTENSIONS)})")
    add_input_options(parser)
    add_rule_options(parser)


def run(args) -> int:
    """Check every file; 0 clean, 1 findings at or above --fail-on, 2 errors."""
    if args.write_baseline and not args.baseline:
        raise CleanerError("--write-baseline needs --baseline FILE")
    fail_on = Severity(args.fail_on)
    # cleaner's own JSON outputs found in folders are skipped (their .md/.txt siblings are
    # what gets checked); named one by one they are an error explaining that.
    files = expand_paths(local_paths(args.paths), args.extensions or TRANSCRIPT_EXTENSIONS,
                         args.exclude, skip_file=is_cleaner_json)
    if not files:
        raise CleanerError("no transcripts found in " + ", ".join(args.paths))
    if files.count("-") and len(files) > 1:
        raise CleanerError("- (stdin) cannot be mixed with other paths")
    if files == ["-"] and args.dask:
        raise CleanerError("--dask cannot read stdin; give files, folders or URLs")
    # The review list's bound is clean's default unless given (a config's review-below
    # arrives as the flag's default).
    options = with_setting(complete_options(options_from(args), args), "review_below",
                           REVIEW_BELOW if args.review_below is None else args.review_below)
    # Only loops and rule matches need the text passes; speakers are guessed only when
    # speaker findings are asked for, which keeps the default check fast. Then the text is
    # tidied as clean tidies it, so the review findings are the turns clean's report lists.
    speakers = args.speakers or args.review_below is not None
    options = replace(options, style=options.style if speakers else "verbatim", speakers=speakers)
    library = load_library(options.rules, options.default_rules, options.disabled)
    found = library_selftest_findings(library)
    jobs = [CheckJob(path, options, args.review_below, args.max_bytes) for path in files]
    outcomes = run_all(check_file, jobs, files, effective_jobs(args.jobs, len(files)),
                       init_worker, (options.rules, options.default_rules, options.disabled),
                       Progress(len(files), "checking"), args.dask)
    for outcome in outcomes:
        if outcome.ok:
            found.extend(outcome.value)
    found = sort_findings(found)
    if args.write_baseline:
        write_output(args.baseline, json.dumps(baseline_document(found), indent=1,
                                               ensure_ascii=False, allow_nan=False) + "\n")
        print(f"cleaner: wrote {len(found)} findings to the baseline {args.baseline}",
              file=sys.stderr)
        return _report_errors(outcomes, 0)
    if args.baseline:
        found = new_findings(found, _read_baseline(args.baseline))
    checked = tuple(display_path(outcome.path) for outcome in outcomes if outcome.ok)
    findings_run = FindingsRun(tuple(found), checked, fail_on)
    write_output(args.output, render_findings(findings_run, args.findings_format))
    if args.output != "-" or args.findings_format != "text" or found:
        print(f"cleaner: {summary_line(findings_run)}", file=sys.stderr)
    code = 1 if any(f.severity.at_least(fail_on) for f in found) else 0
    return _report_errors(outcomes, code)


def _report_errors(outcomes, code: int) -> int:
    for outcome in failures(outcomes):
        print(f"cleaner: error: {outcome.error}", file=sys.stderr)
    return 2 if failures(outcomes) else code


def _read_baseline(path: str) -> frozenset[str]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CleanerError("baseline file not found (create it with --write-baseline)",
                           path) from None
    except OSError as error:
        raise CleanerError(f"cannot read baseline: {error.strerror}", path) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise CleanerError(f"baseline is not JSON: {error.msg}", path, error.lineno,
                           error.colno) from None
    return baseline_fingerprints(document, path)


def _extensions(text: str) -> list[str]:
    items = [item.strip() for item in text.split(",") if item.strip()]
    if not items:
        raise argparse.ArgumentTypeError("give at least one extension, e.g. .txt,.md")
    return items


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("must be from 0 to 1")
    return value
