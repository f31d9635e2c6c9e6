"""How long the everyday commands take as whole processes (issue 22 item 2).

Times ``cleaner clean SEED -o OUT.md``, ``cleaner check SEED`` and ``cleaner check SEED
--speakers`` (plus ``cleaner --version``, the floor: Python and the CLI module alone) as fresh
processes, best of ``--repeats`` runs after one warm-up (which also fills the pack cache).
Printed per command: wall seconds, CPU seconds of the child (user + system, steadier than wall
time on a shared machine) and its peak resident memory. Then ``python -X importtime`` of each
command: the modules that cost most to import, by their own time and with what they import.

    python bench/startup.py                # best of 7
    python bench/startup.py --repeats 15 --top 15

Targets (issue 22): seed ``clean`` at most 0.5 s, ``check`` at most 0.25 s, whole process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_779c6c37a6df98f0.txt"


def cleaner_command() -> list[str]:
    """The installed ``cleaner`` script beside this Python, else ``python -m cleaner``."""
    script = Path(sys.executable).parent / "cleaner"
    if script.exists():
        return [str(script)]
    found = shutil.which("cleaner")
    return [found] if found else [sys.executable, "-m", "cleaner"]


def commands(output: Path) -> dict[str, list[str]]:
    """The commands timed, by label."""
    seed = str(SEED.relative_to(ROOT))
    return {
        "--version": ["--version"],
        "clean": ["clean", seed, "-o", str(output)],
        "check": ["check", seed],
        "check --speakers": ["check", seed, "--speakers"],
    }


def run_once(argv: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (KB) of one child process."""
    started = time.perf_counter()
    with subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL) as child:
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if child.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {child.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def imports(argv: list[str]) -> list[tuple[int, int, str]]:
    """(self µs, cumulative µs, module) of every import of one run, costliest first."""
    child = subprocess.run([sys.executable, "-X", "importtime", "-c",
                            "import sys; from cleaner.cli import main; sys.exit(main())",
                            *argv], cwd=ROOT, capture_output=True, text=True)
    rows = []
    for line in child.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, total, name = line[len("import time:"):].split("|")
        rows.append((int(own), int(total), name.strip()))
    return sorted(rows, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--top", type=int, default=10, help="import offenders listed per command")
    args = parser.parse_args()
    base = cleaner_command()
    load = os.getloadavg()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; best of {args.repeats} after a warm-up")
    with tempfile.TemporaryDirectory() as folder:
        table = commands(Path(folder) / "out.md")
        print(f"{'command':<18} {'wall s':>7} {'CPU s':>7} {'RSS MB':>7}")
        for label, argv in table.items():
            run_once(base + argv)
            samples = [run_once(base + argv) for _ in range(args.repeats)]
            wall = min(s[0] for s in samples)
            cpu = min(s[1] for s in samples)
            rss = min(s[2] for s in samples)
            print(f"{label:<18} {wall:>7.3f} {cpu:>7.3f} {rss / 1024:>7.1f}")
        for label, argv in table.items():
            if label == "--version":
                continue
            rows = imports(argv)
            print(f"\nimport time, cleaner {label} ({sum(r[0] for r in rows) / 1e3:.0f} ms in "
                  f"{len(rows)} modules); top {args.top} by own time:")
            print(f"{'self ms':>8} {'cumul ms':>9}  module")
            for own, cumulative, name in rows[:args.top]:
                print(f"{own / 1e3:>8.1f} {cumulative / 1e3:>9.1f}  {name}")
    print(f"\ncommand: {' '.join(base)} ...; targets: clean <= 0.5 s, check <= 0.25 s (wall)")


if __name__ == "__main__":
    main()
