"""How time and memory grow with the input: the seed at 1x, 10x and 100x.

Each size runs in a fresh child process (so one size's garbage does not weigh on the next):
the shipped packs are loaded once, then the input is cleaned and rendered as the CLI does for
``-o out.json --report out.html`` (clean, JSON, HTML report), once to warm up and then
``--repeats`` times; the table shows the median. Peak memory is measured in a separate run
under ``tracemalloc`` (Python allocations made by that one clean-and-render, the input text
included), since tracing slows everything down.

    python bench/scale.py                  # 1x, 10x, 100x
    python bench/scale.py --sizes 1 10 100 1000 --repeats 3
"""

from __future__ import annotations

import argparse
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
        result = cleaner.clean(text, path="scaled.txt", library=library)
        cleaner.render(result, "json")
        render_html(result)
        return len(result.edits)

    edits = run()  # warm-up
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - started)
    tracemalloc.start()
    copy = "".join(list(text))  # the input counts towards the peak, as when read from disk
    text = copy
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"times": times, "bytes": len(text.encode("utf-8")), "lines": text.count("\n"),
            "edits": edits, "seconds": statistics.median(seconds), "peak": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure(args.child, args.repeats)))
        return
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
          f"median of {args.repeats} runs after a warm-up; clean + JSON + HTML report")
    header = (f"{'size':>5} {'lines':>9} {'bytes':>11} {'edits':>7} {'seconds':>8} "
              f"{'µs/line':>8} {'x time':>7} {'peak MB':>8} {'peak B/B':>9} {'x memory':>9}")
    print(header)
    print("-" * len(header))
    base = None
    for times in args.sizes:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        child = subprocess.run([sys.executable, __file__, "--child", str(times),
                                "--repeats", str(args.repeats)],
                               capture_output=True, text=True, check=True, env=env, cwd=ROOT)
        row = json.loads(child.stdout)
        base = base or row
        scale = row["bytes"] / base["bytes"]
        print(f"{str(times) + 'x':>5} {row['lines']:>9,} {row['bytes']:>11,} {row['edits']:>7,} "
              f"{row['seconds']:>8.3f} {1e6 * row['seconds'] / row['lines']:>8.1f} "
              f"{row['seconds'] / base['seconds'] / scale:>6.2f}n "
              f"{row['peak'] / 1e6:>8.1f} {row['peak'] / row['bytes']:>9.0f} "
              f"{row['peak'] / base['peak'] / scale:>8.2f}n")
    print("x time, x memory: growth relative to 1x per unit of input (1.00n = linear)")


if __name__ == "__main__":
    main()
