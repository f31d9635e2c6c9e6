"""``cleaner clean DIR -o OUTDIR``: clean every transcript in a folder in a process pool."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from .batch import (TRANSCRIPT_EXTENSIONS, CleanJob, Progress, clean_file, effective_jobs,
                    expand_paths, failures, init_worker, is_cleaner_json, output_paths,
                    run_all)
from ..config import complete_options
from ..errors import CleanerError
from ..correct.packs import load_library
from ..remote import is_url
from ..render import WRITERS
from .. import remote


def run_batch(args, options_from) -> int:
    """Clean a folder into ``-o OUTDIR``; 0 when every file was cleaned, 2 when any failed.

    Outputs mirror the input tree under OUTDIR, with the extension of ``--format`` (default
    md). ``--report`` names a folder for one report per file. A file that fails is listed in
    the summary and does not stop the others. ``options_from`` turns the arguments into
    pipeline options (``clean.options_from``, passed in so this module need not import it).
    """
    if args.output in ("-", "") or _is_file(args.output):
        raise CleanerError("a folder input needs -o OUTDIR, a folder for the outputs", args.input)
    fmt = args.format or "md"
    if fmt not in WRITERS:
        raise CleanerError(f"unknown output format {fmt!r}")
    report_format = (args.report_format or "md") if args.report else None
    extra = getattr(args, "config_extra", None) or {}
    skip = [args.output] + ([args.report] if args.report else [])
    files = expand_paths([args.input], extra.get("extensions") or TRANSCRIPT_EXTENSIONS,
                         extra.get("exclude") or (), skip=skip, skip_file=is_cleaner_json)
    if not files:
        raise CleanerError("no transcripts found in this folder", args.input)
    outputs = output_paths(files, args.input, args.output, fmt)
    reports = (output_paths(files, args.input, args.report, report_format, ".report")
               if args.report else [None] * len(files))
    options = complete_options(options_from(args), args)
    load_library(options.rules, options.default_rules, options.disabled)  # bad packs: exit 2 now
    max_bytes = getattr(args, "max_bytes", None)
    jobs = [CleanJob(file, out, fmt, options, rep, report_format, max_bytes)
            for file, out, rep in zip(files, outputs, reports)]
    count = effective_jobs(args.jobs, len(files))
    started = time.monotonic()
    outcomes = run_all(clean_file, jobs, files, count, init_worker,
                       (options.rules, options.default_rules, options.disabled),
                       Progress(len(files), "cleaning"), args.dask)
    elapsed = time.monotonic() - started
    failed = failures(outcomes)
    edits = sum(outcome.value for outcome in outcomes if outcome.ok)
    done = len(files) - len(failed)
    where = f"Dask at {args.dask}" if args.dask else f"{count} job{'s' if count != 1 else ''}"
    print(f"cleaner: cleaned {done} of {len(files)} file{'s' if len(files) != 1 else ''} into "
          f"{args.output if is_url(args.output) else Path(args.output)} ({edits} edits, {where}, "
          f"{elapsed:.1f}s)" + (f"; {len(failed)} failed:" if failed else ""), file=sys.stderr)
    for outcome in failed:
        print(f"  {outcome.error}", file=sys.stderr)
    return 2 if failed else 0


def _is_file(path: str) -> bool:
    """True when ``path`` names an existing file (so it cannot be the output folder)."""
    if is_url(path):
        return remote.exists(path) and not remote.is_folder(path)
    return os.path.exists(path) and not os.path.isdir(path)
