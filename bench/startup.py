"""How long the everyday commands take as whole processes (issue 22 item 2).

Times ``cleaner clean SEED -o OUT.md``, ``cleaner check SEED`` and ``cleaner check SEED
--speakers`` (plus ``cleaner --version``, the floor: Python and the CLI module alone) as fresh
processes, best of ``--repeats`` runs after one warm-up (which also fills the pack cache).
Printed per command: wall seconds, CPU seconds of the child (user + system, steadier than wall
time on a shared machine) and its peak resident memory. Then ``python -X importtime`` of each
command: the modules that cost most to import, by their own time and with what they import.

    python bench/startup.py                # best of 7
    python bench/startup.py --repeats 15 --top 15
    python bench/startup.py --base /tmp/old  # also an older tree (git archive), runs interleaved

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


def run_once(argv: list[str], root: Path = ROOT) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (KB) of one child process run in ``root``."""
    env = dict(os.environ)
    # Run from bytecode, as an installed package does (the warm-up run writes it).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if root != ROOT:  # another tree: its own package, not the installed one
        env["PYTHONPATH"] = str(root)
    started = time.perf_counter()
    with subprocess.Popen(argv, cwd=root, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL) as child:
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if child.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {child.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def best(samples: list[tuple[float, float, int]]) -> str:
    """Best wall, CPU and RSS of the samples, as table cells."""
    return (f"{min(s[0] for s in samples):>7.3f} {min(s[1] for s in samples):>7.3f} "
            f"{min(s[2] for s in samples) / 1024:>7.1f}")


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
    parser.add_argument("--base", type=Path, default=None,
                        help="another source tree to time beside this one (python -m cleaner)")
    args = parser.parse_args()
    trees = [("this tree", ROOT)] + ([("base", args.base.resolve())] if args.base else [])
    base = [sys.executable, "-m", "cleaner"] if args.base else cleaner_command()
    load = os.getloadavg()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; best of {args.repeats} after a warm-up")
    with tempfile.TemporaryDirectory() as folder:
        table = commands(Path(folder) / "out.md")
        print(f"{'command':<18}" + "".join(f" {name + ': wall s':>16} {'CPU s':>7} {'RSS MB':>7}"
                                          for name, _ in trees))
        for label, argv in table.items():
            samples: dict[Path, list] = {root: [] for _, root in trees}
            for root in samples:
                run_once(base + argv, root)
            for _ in range(args.repeats):  # interleaved, so a change in load hits both
                for root in samples:
                    samples[root].append(run_once(base + argv, root))
            print(f"{label:<18}" + "".join(f" {best(samples[root]):>32}" for _, root in trees))
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
