"""Many files at once: find them, run ``clean`` or ``check`` on each in a process pool.

I/O at the edge, like ``files.py``: the ``clean`` and ``check`` commands and
``bench/batch.py`` call it. Each worker loads the rule packs once (``init``), a failing file
is reported and the others go on, results come back in input order whatever the pool did,
and a progress bar is drawn on stderr only when it is a terminal outside CI.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath
from typing import Any, TextIO

from .. import remote
from ..errors import CleanerError, InternalError
from ..remote import is_url

TRANSCRIPT_EXTENSIONS = (".txt", ".md", ".markdown", ".srt", ".vtt", ".json")
OUTPUT_EXTENSIONS = {"md": ".md", "txt": ".txt", "json": ".json", "html": ".html", "srt": ".srt",
                     "vtt": ".vtt", "podcast-json": ".json"}
_GLOB_CHARS = set("*?[")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one file: its value, or the one-line error that stopped it."""

    path: str
    value: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the file was processed."""
        return self.error is None


# ------------------------------------------------------------------------ finding files

def expand_paths(paths: Sequence[str], extensions: Sequence[str] = TRANSCRIPT_EXTENSIONS,
                 exclude: Sequence[str] = (), skip: Sequence[str | Path] = (),
                 skip_file: Callable[[str], bool] | None = None) -> list[str]:
    """Files named by ``paths``: files as given, folders walked, globs expanded.

    In folders only files with one of ``extensions`` are taken, hidden files and folders
    are skipped, and so is anything under a folder in ``skip`` (an output folder inside
    the input one), and files found there for which ``skip_file`` says so. ``exclude`` globs
    match the path or the file name. A path that names nothing is an error. The result keeps the order given, each folder sorted.
    """
    wanted = tuple(e.lower() if e.startswith(".") else "." + e.lower() for e in extensions)
    skipped = [Path(s).resolve() for s in skip]
    out: list[str] = []
    seen: set[str] = set()

    def add(file: str, found: bool = True) -> None:
        key = os.path.normpath(file)
        if key in seen or _excluded(file, exclude) or (found and skip_file and skip_file(file)):
            return
        seen.add(key)
        out.append(file)

    for given in paths:
        if given == "-":
            add(given, found=False)
        elif is_url(given):
            for file in _url_files(given, wanted, [str(s) for s in skip]):
                add(*file)
        elif os.path.isdir(given):
            for file in _walk(given, wanted, skipped):
                add(file)
        elif os.path.exists(given):
            add(given, found=False)
        elif _GLOB_CHARS & set(given):
            matches = sorted(glob.glob(given, recursive=True))
            if not matches:
                raise CleanerError("no files match this pattern", given)
            for match in matches:
                if os.path.isdir(match):
                    for file in _walk(match, wanted, skipped):
                        add(file)
                elif match.lower().endswith(wanted):
                    add(match)
        else:
            raise CleanerError("no such file or folder", given)
    return out


def _url_files(given: str, wanted: tuple[str, ...],
               skip: Sequence[str]) -> Iterator[tuple[str, bool]]:
    """``(url, found in a folder)`` for a URL given as a file, a folder or a glob."""
    if remote.is_folder(given):
        yield from ((url, True) for url in remote.walk(given, wanted, skip))
    elif remote.exists(given):
        yield given, False
    elif _GLOB_CHARS & set(given.split("://", 1)[1]):
        matches = remote.glob(given)
        if not matches:
            raise CleanerError("no files match this pattern", given)
        for match in matches:
            if remote.is_folder(match):
                yield from ((url, True) for url in remote.walk(match, wanted, skip))
            elif match.lower().endswith(wanted):
                yield match, True
    else:
        raise CleanerError("no such file or folder", given)


def is_cleaner_json(path: str) -> bool:
    """True for cleaner's own JSON output (``"schema": "cleaner/..."`` at the top)."""
    if not path.lower().endswith(".json"):
        return False
    if is_url(path):
        head = remote.read_head(path, 200)
    else:
        try:
            with open(path, "rb") as handle:
                head = handle.read(200)
        except OSError:
            return False
    return b'"schema": "cleaner/' in head or b'"schema":"cleaner/' in head


def _walk(folder: str, wanted: tuple[str, ...], skipped: list[Path]) -> Iterator[str]:
    for directory, subdirs, files in os.walk(folder):
        here = Path(directory).resolve()
        if any(here == s or s in here.parents for s in skipped):
            subdirs[:] = []
            continue
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.lower().endswith(wanted):
                yield os.path.join(directory, name)


def _excluded(file: str, patterns: Sequence[str]) -> bool:
    posix = file.replace("\\", "/")
    name = posix.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(posix, p) or fnmatch.fnmatch(name, p)
               or fnmatch.fnmatch(posix, "*/" + p) for p in patterns)


def output_paths(files: Sequence[str], root: str, outdir: str, fmt: str,
                 tag: str = "") -> list[str]:
    """Where each input's output goes: its path under ``root``, moved into ``outdir``, with
    ``tag`` (".report") and the extension of ``fmt``.

    Two inputs that would land on one output ("a.txt" and "a.srt") keep their own
    extension too ("a.txt.md", "a.srt.md"). Every path is checked to stay inside
    ``outdir``, symlinked folders included. ``root`` and ``outdir`` may be URLs.
    """
    extension = tag + OUTPUT_EXTENSIONS.get(fmt, "." + fmt)
    relative = [_relative(file, root) for file in files]
    plain = [rel.with_suffix(extension) for rel in relative]
    counts: dict[PurePath, int] = {}
    for path in plain:
        counts[path] = counts.get(path, 0) + 1
    chosen = [rel.with_name(rel.name + extension) if counts[p] > 1 else p
              for rel, p in zip(relative, plain)]
    if is_url(outdir):
        return [remote.join(outdir, rel.as_posix()) for rel in chosen]
    base = Path(outdir)
    targets = [base / rel for rel in chosen]
    resolved_base = base.resolve()
    for target in targets:
        if not _inside(target, resolved_base):
            raise CleanerError("output path would leave the output folder", str(target))
    return [str(target) for target in targets]


def _relative(file: str, root: str) -> PurePath:
    """``file``'s path under the folder ``root`` (its name alone when not under it)."""
    if is_url(file) or is_url(root):
        inside = remote.relative(file, root) if is_url(file) and is_url(root) else None
        return PurePosixPath(inside or file.rstrip("/").rsplit("/", 1)[-1])
    try:
        rel = Path(os.path.relpath(file, root)) if os.path.isdir(root) else Path(Path(file).name)
    except ValueError:  # another drive on Windows
        rel = Path(Path(file).name)
    if rel.parts and rel.parts[0] == "..":
        rel = Path(Path(file).name)
    return rel


def _inside(target: Path, base: Path) -> bool:
    resolved = target.resolve()
    return resolved == base or base in resolved.parents


# ------------------------------------------------------------------------------- running

def add_dask_option(parser) -> None:
    """``--dask ADDRESS``, shared by ``clean`` (folders) and ``check``."""
    parser.add_argument("--dask", metavar="ADDRESS", default=None,
                        help="run the files on the Dask cluster whose scheduler is at ADDRESS "
                             "(tcp://host:8786) instead of --jobs processes; needs "
                             "pip install 'cleaner[dask]' (default: off)")


def local_paths(paths: Sequence[str]) -> list[str]:
    """The paths with ``file://`` URLs made plain paths (other URLs stay: ``remote.py``)."""
    return [remote.local(path) if is_url(path) else path for path in paths]


def effective_jobs(jobs: int | None, count: int) -> int:
    """Worker processes to use: ``jobs`` (0 or None: one per CPU), never more than files."""
    if not jobs:
        try:
            jobs = len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            jobs = os.cpu_count() or 1
    return max(1, min(jobs, count))


def run_all(work: Callable[[Any], Any], items: Sequence[Any], names: Sequence[str],
            jobs: int, init: Callable[..., None], init_args: tuple = (),
            progress: Progress | None = None, dask: str | None = None) -> list[Outcome]:
    """Run ``work(item)`` for every item in ``jobs`` processes (in this one when 1), or on
    the Dask cluster whose scheduler is at the address ``dask``.

    ``init(*init_args)`` runs once per process before any work (it loads the packs).
    A ``CleanerError`` or ``InternalError`` fails that item only; so does a crash of a
    worker process. Outcomes come back in the order of ``items``, whichever executor ran
    them, so callers report them the same way.
    """
    progress = progress or Progress(len(items), enabled=False)
    if dask:
        from .cluster import run_on_dask

        outcomes = run_on_dask(_guarded, work, items, names, dask, init, init_args, progress)
    elif jobs <= 1 or len(items) <= 1:
        init(*init_args)
        outcomes = []
        for item, name in zip(items, names):
            outcomes.append(_guarded(work, item, name))
            progress.step()
    else:
        outcomes = _run_in_pool(work, items, names, jobs, init, init_args, progress)
    progress.close()
    return [outcome or Outcome(name, error="worker process died")
            for outcome, name in zip(outcomes, names)]


def _run_in_pool(work: Callable[[Any], Any], items: Sequence[Any], names: Sequence[str],
                 jobs: int, init: Callable[..., None], init_args: tuple,
                 progress: Progress) -> list[Outcome | None]:
    """Outcomes from a process pool; None for the items a dead worker took with it."""
    outcomes: list[Outcome | None] = [None] * len(items)
    chunk = max(1, min(8, len(items) // (jobs * 8)))
    try:
        with ProcessPoolExecutor(max_workers=jobs, initializer=init,
                                 initargs=init_args) as pool:
            results = pool.map(_guarded, [work] * len(items), items, names, chunksize=chunk)
            for number, outcome in enumerate(results):
                outcomes[number] = outcome
                progress.step()
    except BrokenProcessPool:
        pass  # the items without an outcome are reported by the caller
    return outcomes


def _guarded(work: Callable[[Any], Any], item: Any, name: str) -> Outcome:
    try:
        return Outcome(name, value=work(item))
    except CleanerError as error:
        return Outcome(name, error=str(error) if error.path else f"{name}: {error}")
    except InternalError as error:
        return Outcome(name, error=f"{name}: internal error (nothing written): {error}")
    except Exception as error:  # a bug must not stop the other files; it is still reported
        return Outcome(name, error=f"{name}: internal error: {type(error).__name__}: {error}")


class Progress:
    """A one-line progress bar on stderr, drawn only where someone watches it.

    It stays quiet when stderr is not a terminal (piped, redirected) or when the ``CI``
    environment variable is set, so logs are not filled with carriage returns.
    """

    def __init__(self, total: int, label: str = "", stream: TextIO | None = None,
                 enabled: bool | None = None) -> None:
        self.total = total
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = should_show_progress(self.stream) if enabled is None else enabled
        self.done = 0
        self.started = time.monotonic()
        self._drawn = 0.0

    def step(self) -> None:
        """One more item done."""
        self.done += 1
        now = time.monotonic()
        if self.enabled and (now - self._drawn > 0.1 or self.done == self.total):
            self._drawn = now
            self._draw(now)

    def close(self) -> None:
        """Clear the bar."""
        if self.enabled and self.total:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def _draw(self, now: float) -> None:
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        rate = self.done / max(now - self.started, 1e-9)
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] "
                          f"{self.done}/{self.total}  {rate:.1f} files/s")
        self.stream.flush()


def should_show_progress(stream: TextIO) -> bool:
    """True for a terminal outside CI."""
    if os.environ.get("CI"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def failures(outcomes: Iterable[Outcome]) -> list[Outcome]:
    """The outcomes that failed."""
    return [outcome for outcome in outcomes if not outcome.ok]


# ----------------------------------------------------------------- the work of one file

_WORKER: dict[str, Any] = {}


def init_worker(rules: Sequence[str], defaults: bool, disabled: Sequence[str]) -> None:
    """Load the rule packs once in this process (cached by content hash across runs)."""
    from ..correct.packs import load_library

    _WORKER["library"] = load_library(rules, defaults, disabled)


@dataclass(frozen=True, slots=True)
class CleanJob:
    """Clean ``input`` into ``output`` as ``fmt`` (and a report when asked)."""

    input: str
    output: str
    fmt: str
    options: Any
    report: str | None = None
    report_format: str | None = None
    max_bytes: int | None = None


@dataclass(frozen=True, slots=True)
class CheckJob:
    """Check one file with these pipeline options and review threshold."""

    path: str
    options: Any
    review_below: float | None = None
    max_bytes: int | None = None


def clean_file(job: CleanJob) -> int:
    """Clean one file and write its outputs; the number of edits."""
    from ..files import read_input, same_file, write_outputs
    from ..pipeline import clean
    from ..render import REPORTS, render

    for target in (job.output, job.report):
        if target and same_file(target, job.input):
            raise CleanerError("refusing to write over the input file", target)
    text, encoding, bom = read_input(job.input, job.max_bytes)
    result = clean(text, path=job.input, options=job.options, library=_WORKER.get("library"),
                   encoding=encoding, bom=bom)
    outputs = [(job.output, render(result, job.fmt))]
    if job.report and job.report_format:
        outputs.append((job.report, REPORTS[job.report_format](result)))
    write_outputs(outputs)  # both or neither
    return len(result.edits)


def check_file(job: CheckJob) -> list:
    """The findings of one file."""
    from ..check.findings import check
    from ..files import read_input

    if is_cleaner_json(job.path):
        raise CleanerError("this is cleaner's JSON output; check the transcript it came from, "
                           "or its .md or .txt output", job.path)
    text, _, _ = read_input(job.path, job.max_bytes)
    return check(text, path=job.path, options=job.options, library=_WORKER.get("library"),
                 review_below=job.review_below)
