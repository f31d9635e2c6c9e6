"""How time and memory grow with the input: the seed at 1x, 10x and 100x.

Each size runs in a fresh child process (so one size's garbage does not weigh on the next):
the shipped packs are loaded once, then the input is cleaned and rendered as the CLI does for
``-o out.json --report out.html`` (clean, JSON, HTML report), once to warm up and then
``--repeats`` times, both as library calls (``clean`` pauses Python's cycle collector itself,
the writers do not) and with the collector paused for the whole run, as the CLI does; the table
shows the medians. Peak memory is measured in a separate run
under ``tracemalloc`` (Python allocations made by that one clean-and-render, the input text
included), since tracing slows everything down.

    python bench/scale.py                  # 1x, 10x, 100x
    python bench/scale.py --sizes 1 10 100 1000 --repeats 3
    python bench/scale.py --json-segments 5000 50000 --sizes   # only the Whisper JSON table

A second table times the whole ``cleaner clean in.json -o out.json`` process on Whisper JSON
documents of 5,000 and 50,000 segments (the seed's lines, cycled, two seconds each), to show
that the JSON path grows linearly too.

A third table (issue 22 item 3) times whole processes on inputs that used to cost the square
of their length: the seed's transcript joined into one line, 1x, 5x and 30x (1.8 MB), and
Whisper JSON of 5,000 and 50,000 segments each holding a rule edit ("e mail"). Each row gives
wall and CPU seconds and the child's peak resident memory (``getrusage`` maxrss), also less
the resident memory of cleaning the seed (the interpreter, modules and packs), per input byte.
Targets: the 1.8 MB line within 10 s, 50,000 edited segments within 20 s, memory within 10x
the input.

    python bench/scale.py --sizes --json-segments --long 1 5 30 --edited 5000 50000
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_779c6c37a6df98f0.txt"


def scaled_seed(times: int) -> str:
    """The seed with its transcript body repeated ``times`` times (the header once)."""
    text = SEED.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith("*"))
    header, body = "".join(lines[:first]), "".join(lines[first:])
    if not body.endswith("\n"):
        body += "\n"
    return header + body * times


def measure(times: int, repeats: int) -> dict:
    """Run in the child: time and peak memory of one size."""
    import tracemalloc

    import cleaner
    from cleaner.render.html_report import render_html

    library = cleaner.load_packs()
    text = scaled_seed(times)

    def run() -> int:
        _forget_textstat()  # its memo of the last texts would make repeats look free
        result = cleaner.clean(text, path="scaled.txt", library=library)
        cleaner.render(result, "json")
        render_html(result)
        return len(result.edits)

    edits = run()  # warm-up
    seconds, cpu, paused = [], [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        run()
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        gc.disable()  # as the CLI runs a command (cleaner.cli._collector_paused)
        started_cpu = time.process_time()
        run()
        paused.append(time.process_time() - started_cpu)
        gc.enable()
        gc.collect()
    tracemalloc.start()
    copy = "".join(list(text))  # the input counts towards the peak, as when read from disk
    text = copy
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"times": times, "bytes": len(text.encode("utf-8")), "lines": text.count("\n"),
            "edits": edits, "seconds": statistics.median(seconds), "cpu": statistics.median(cpu),
            "paused": statistics.median(paused), "peak": peak}


def whisper_json(segments: int) -> str:
    """A Whisper-style JSON document of ``segments`` segments: the seed's lines, cycled."""
    lines = [line[3:].strip() for line in SEED.read_text(encoding="utf-8").splitlines()
             if line.startswith("*  ") and line[3:].strip()]
    return json.dumps({"text": "", "segments": [
        {"id": n, "start": 2.0 * n, "end": 2.0 * n + 1.9, "text": " " + lines[n % len(lines)]}
        for n in range(segments)]})


def json_table(sizes: list[int]) -> None:
    """Wall time of whole CLI runs on Whisper JSON documents of each size."""
    import tempfile

    print(f"\n{'segments':>9} {'bytes':>11} {'wall s':>7} {'µs/segment':>10} {'x per seg':>9}")
    base = None
    with tempfile.TemporaryDirectory() as folder:
        for segments in sizes:
            source, target = Path(folder) / f"w{segments}.json", Path(folder) / "out.json"
            source.write_text(whisper_json(segments), encoding="utf-8")
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "cleaner", "clean", str(source), "-o", str(target)],
                           check=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
            wall = time.perf_counter() - started
            per = wall / segments
            base = base or per
            print(f"{segments:>9,} {source.stat().st_size:>11,} {wall:>7.2f} {1e6 * per:>10.0f} "
                  f"{per / base:>8.2f}n")
    print("one process each (start-up and pack loading included, so small sizes pay more per segment)")


def one_line(times: int) -> str:
    """The seed's header, then its transcript ``times`` over as one bullet line."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    body = [line[3:].strip() for line in lines[2:] if line.startswith("*  ") and line[3:].strip()]
    return "\n".join(lines[:2] + ["*  " + " ".join(body * times)]) + "\n"


def edited_json(segments: int) -> str:
    """Whisper JSON of ``segments`` segments (the seed's lines, cycled), each with a rule edit."""
    lines = [line[3:].strip() for line in SEED.read_text(encoding="utf-8").splitlines()
             if line.startswith("*  ") and line[3:].strip()]
    return json.dumps({"text": "", "segments": [
        {"id": n, "start": 2.0 * n, "end": 2.0 * n + 1.9,
         "text": f" {lines[n % len(lines)]} Send me an e mail."} for n in range(segments)]})


def process(source: Path, target: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (bytes) of ``cleaner clean source -o target``."""
    started = time.perf_counter()
    with subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(source), "-o", str(target)],
                          cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT))) as child:
        _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"cleaner clean {source} failed")
    return (time.perf_counter() - started, usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss * 1024)


def long_table(lines: list[int], edited: list[int]) -> None:
    """Whole processes on one long line and on many edited JSON segments."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        seed_copy = Path(folder) / "seed.txt"
        seed_copy.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
        base = process(seed_copy, Path(folder) / "seed.md")[2]
        load = os.getloadavg()[0]
        print(f"\nlong inputs, one process each (load average {load:.1f}); base RSS (the seed) "
              f"{base / 1e6:.0f} MB")
        print(f"{'input':<22} {'bytes':>10} {'wall s':>7} {'CPU s':>7} {'RSS MB':>7} "
              f"{'over base/byte':>14}")
        cases = [(f"seed x{n} as one line", f"line{n}.txt", one_line(n)) for n in lines]
        cases += [(f"{n:,} edited segments", f"edited{n}.json", edited_json(n)) for n in edited]
        for label, name, text in cases:
            source = Path(folder) / name
            source.write_text(text, encoding="utf-8")
            wall, cpu, rss = process(source, Path(folder) / "out.md")
            size = source.stat().st_size
            print(f"{label:<22} {size:>10,} {wall:>7.2f} {cpu:>7.2f} {rss / 1e6:>7.0f} "
                  f"{(rss - base) / size:>13.1f}x")


def _forget_textstat() -> None:
    import textstat

    for name in dir(textstat):
        function = getattr(textstat, name)
        if hasattr(function, "cache_clear"):
            function.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 10, 100])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json-segments", type=int, nargs="*", default=[5000, 50000],
                        help="Whisper JSON sizes for the second table (none to skip it)")
    parser.add_argument("--long", type=int, nargs="*", default=[1, 5, 30],
                        help="the seed joined into one line, these many times (none to skip)")
    parser.add_argument("--edited", type=int, nargs="*", default=[5000, 50000],
                        help="Whisper JSON sizes with a rule edit in every segment (none to skip)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure(args.child, args.repeats)))
        return
    if args.sizes:
        seed_table(args.sizes, args.repeats)
    if args.json_segments:
        json_table(args.json_segments)
    if args.long or args.edited:
        long_table(args.long, args.edited)


def seed_table(sizes: list[int], repeats: int) -> None:
    """The seed at each size, each in a fresh child process."""
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
          f"median of {repeats} runs after a warm-up; clean + JSON + HTML report")
    header = (f"{'size':>5} {'lines':>8} {'bytes':>10} {'edits':>6} {'wall s':>7} "
              f"{'CPU s':>7} {'µs/line':>7} {'x CPU':>6} {'CLI CPU':>7} {'x CLI':>6} "
              f"{'peak MB':>7} {'B/byte':>6} {'x mem':>6}")
    print(header)
    print("-" * len(header))
    base = None
    for times in sizes:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        child = subprocess.run([sys.executable, __file__, "--child", str(times),
                                "--repeats", str(repeats)],
                               capture_output=True, text=True, check=True, env=env, cwd=ROOT)
        row = json.loads(child.stdout)
        base = base or row
        scale = row["bytes"] / base["bytes"]
        print(f"{str(times) + 'x':>5} {row['lines']:>8,} {row['bytes']:>10,} {row['edits']:>6,} "
              f"{row['seconds']:>7.3f} {row['cpu']:>7.3f} {1e6 * row['cpu'] / row['lines']:>7.1f} "
              f"{row['cpu'] / base['cpu'] / scale:>5.2f}n "
              f"{row['paused']:>7.3f} {row['paused'] / base['paused'] / scale:>5.2f}n "
              f"{row['peak'] / 1e6:>7.1f} {row['peak'] / row['bytes']:>6.0f} "
              f"{row['peak'] / base['peak'] / scale:>5.2f}n")
    print("wall s, CPU s: library calls as they are; CLI CPU: the cycle collector paused for the\n"
          "whole run, as the CLI does; x ...: growth relative to 1x per byte of input (1.00n =\n"
          "linear); peak MB: Python allocations at the peak of one clean + render (tracemalloc)")


if __name__ == "__main__":
    main()
