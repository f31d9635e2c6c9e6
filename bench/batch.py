"""Batch throughput (CI-mode issue, item 8): ``cleaner clean DIR -o OUT`` and ``cleaner check DIR``
with 1 and 2 jobs over 1,000 transcripts of about 60 KB, and peak memory.

The corpus is built deterministically in a temporary folder from the seed and the dev set
(``../shared/eval/dev``): each transcript keeps one source's header and strings together runs
of that source's segment lines, picked with a fixed random seed, until it reaches ~60 KB. Each
measurement runs in a fresh process (so peak memory is its own) that calls the CLI entry
point in-process, after one warm-up run that fills the pack cache. Prints the median of the
repeats. Run: ``python bench/batch.py [--files 1000] [--repeat 3]``.

``--dask N`` also runs both commands with ``--dask`` on a local cluster of N worker processes
(one thread each; needs ``cleaner[dask]``), to show what the Dask path costs against
``--jobs N`` on one machine. Its workers are not the run's children: their CPU time is asked
of them before and after each run, and their memory is not measured (shown as -).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, SEED, machine  # noqa: E402

TARGET_BYTES = 60_000
RANDOM_SEED = 5


def sources() -> list[tuple[list[str], list[str]]]:
    """``(header lines, segment lines)`` of the seed and every dev transcript."""
    dev = next((base / "eval" / "dev" for base in (ROOT.parent / "shared", Path("/work/shared"))
                if (base / "eval" / "dev").is_dir()), None)
    files = [SEED] + (sorted(dev.glob("*.md")) if dev else [])
    out = []
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        body = [i for i, line in enumerate(lines) if line.startswith("*  ")]
        out.append((lines[: body[0]], [lines[i] for i in body]))
    return out


def build_corpus(folder: Path, count: int) -> int:
    """Write ``count`` transcripts of ~60 KB into ``folder``; return the total bytes."""
    rng = random.Random(RANDOM_SEED)
    pool = sources()
    total = 0
    for number in range(count):
        header, segments = pool[number % len(pool)]
        lines = list(header)
        size = sum(len(line) + 1 for line in lines)
        while size < TARGET_BYTES:
            start = rng.randrange(len(segments))
            for line in segments[start : start + rng.randint(20, 120)]:
                lines.append(line)
                size += len(line) + 1
        text = "\n".join(lines) + "\n"
        (folder / f"t{number:04d}.md").write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    return total


def measure(command: str, jobs: str, corpus: Path, out: Path) -> dict:
    """Run one batch command in this process; time it and read peak memory. ``jobs`` is a
    number of processes, or a Dask scheduler's address."""
    from cleaner.cli import main

    how = ["--dask", jobs] if "://" in jobs else ["--jobs", jobs]
    if command == "clean":
        argv = ["--no-config", "clean", str(corpus), "-o", str(out), *how]
    else:
        argv = ["--no-config", "check", str(corpus), *how, "--format", "json",
                "-o", str(out / "findings.json")]
    stderr = io.StringIO()
    cpu_before = _cpu()
    start = time.perf_counter()
    with contextlib.redirect_stderr(stderr):
        code = main(argv)
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "cpu": _cpu() - cpu_before, "code": code, "self_kb": own,
            "children_kb": children, "stderr": stderr.getvalue()[-300:]}


def _cpu() -> float:
    """User + system CPU seconds of this process and its finished children."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def run_child(command: str, jobs: int | str, corpus: Path, out: Path) -> dict:
    """``measure`` in a fresh Python process."""
    result = subprocess.run(
        [sys.executable, __file__, "--child", command, str(jobs), str(corpus), str(out)],
        capture_output=True, text=True, check=False,
        env={**os.environ, "CI": "true"},  # no progress bar
    )
    if result.returncode != 0:
        raise SystemExit(f"benchmark child failed: {result.stderr}")
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--dask", type=int, default=0, metavar="N",
                        help="also run on a local Dask cluster of N worker processes")
    parser.add_argument("--child", nargs=4, metavar=("COMMAND", "JOBS", "CORPUS", "OUT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        command, jobs, corpus, out = args.child
        print(json.dumps(measure(command, jobs, Path(corpus), Path(out))))
        return
    with tempfile.TemporaryDirectory(prefix="cleaner-bench-") as temp:
        corpus = Path(temp) / "corpus"
        corpus.mkdir()
        load = os.getloadavg()[0]
        started = time.perf_counter()
        total = build_corpus(corpus, args.files)
        print(f"# bench/batch.py: {machine()}, affinity {len(os.sched_getaffinity(0))} CPUs")
        print(f"corpus: {args.files} transcripts, {total / args.files / 1000:.1f} KB each on "
              f"average, {total / 1e6:.1f} MB (built in {time.perf_counter() - started:.1f}s)")
        warm = Path(temp) / "warm"
        warm.mkdir()
        for path in sorted(corpus.iterdir())[:5]:
            shutil.copy(path, warm / path.name)
        run_child("clean", 1, warm, Path(temp) / "warm-out")  # fills the pack cache
        print()
        print("| command | jobs | median wall s | transcripts/s | MB/s | CPU s | "
              "transcripts/CPU-s | peak RSS parent MB | peak RSS worker MB | exit |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        with contextlib.ExitStack() as stack:
            runs: list[tuple[str, int | str]] = [(str(jobs), jobs) for jobs in args.jobs]
            workers_cpu = None
            if args.dask:
                address, workers_cpu = stack.enter_context(_cluster(args.dask))
                run_child("clean", address, warm, Path(temp) / "warm-dask")  # workers' caches
                runs.append((f"dask {args.dask}", address))
            for command in ("clean", "check"):
                for label, jobs in runs:
                    _row(command, label, jobs, args, corpus, total, Path(temp), workers_cpu)
        print()
        print(f"load average at the start: {load:.2f}; CPU s is user+system time of "
              "the run and its workers (a fairer measure than wall time on a busy machine)")
        print(f"median of {args.repeat} runs; each run in a fresh process calling "
              "cleaner.cli.main in-process (worker processes for jobs > 1); peak RSS from "
              "getrusage (self and children; 'worker' is the largest child, 0 with 1 job)")


def _row(command: str, label: str, jobs: int | str, args, corpus: Path, total: int,
         temp: Path, workers_cpu=None) -> None:
    """Print one table row: the median of ``args.repeat`` runs."""
    samples = []
    for repeat in range(args.repeat):
        out = temp / f"out-{command}-{repeat}"
        out.mkdir()
        before = workers_cpu() if isinstance(jobs, str) else 0.0
        sample = run_child(command, jobs, corpus, out)
        if isinstance(jobs, str):
            sample["cpu"] += workers_cpu() - before
        samples.append(sample)
        shutil.rmtree(out)
    seconds = statistics.median(s["seconds"] for s in samples)
    cpu = statistics.median(s["cpu"] for s in samples)
    parent = max(s["self_kb"] for s in samples) / 1024
    worker = ("-" if isinstance(jobs, str)  # Dask's workers are not the run's children
              else f"{max(s['children_kb'] for s in samples) / 1024:.0f}")
    codes = sorted({s["code"] for s in samples})
    print(f"| {command} | {label} | {seconds:.2f} | {args.files / seconds:.1f} | "
          f"{total / seconds / 1e6:.2f} | {cpu:.2f} | {args.files / cpu:.1f} | {parent:.0f} | "
          f"{worker} | {','.join(map(str, codes))} |", flush=True)


@contextlib.contextmanager
def _cluster(workers: int):
    """A local Dask cluster of ``workers`` processes, one thread each: yields its address and
    a function giving the CPU seconds its workers have used so far."""
    import logging

    from distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.WARNING)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        yield cluster.scheduler_address, lambda: sum(client.run(_own_cpu).values())


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
