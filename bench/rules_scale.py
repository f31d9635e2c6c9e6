"""How rule-matching cost grows with the number of rules (foundation issue item 9, issue 15
items 10 and 12).

Synthetic packs of 10, 1,000, 10,000 and 50,000 literal rules and of 5,000 regex rules (four
lines a rule, as before issue 15; ten rules match the seed, so the edits stay put) are
applied to the seed x1 and x10 (~60 KB and ~600 KB). Printed per pack and input:

- ``load cold`` / ``load warm``: in-process ``load_library`` + ``compile_for`` with an empty
  cache (best of 3, compiled regexes forgotten too), then with the in-memory cache cleared,
  reading the cache on disk;
- ``match``: tokenise, find and resolve in process;
- ``verbatim`` and ``default``: whole-process time of ``python -m cleaner clean`` with
  ``--style verbatim`` and with the default pipeline, cold (first run, empty cache) and warm
  (best of 5 runs with the cache filled). Process times are CPU seconds of the child
  (user + system), steadier than wall time on a shared machine; even so they vary by a
  second or more here, so the summary also gives the rules' own share of a warm run
  (``load warm`` + ``match``), the part that grows with the number of rules.

Then the whole-process time of ``cleaner rules lint`` and ``cleaner rules test`` on the big
packs, each rule now with an example and a keep case, and a summary against the issue's goals: the warm extra cost of 9,990 rules on 600 KB
(10,000 rules minus 10) at most 0.25 s, a cold load of 10,000 rules under 1.5 s, and 50,000
literal rules within 2x of the 10-rule time. Run: ``python bench/rules_scale.py`` (``--quick``:
the 60 KB input only, and no lint or test).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, machine, median_time, seed_times  # noqa: E402

import regex  # noqa: E402

from cleaner.correct import cache as cache_module, prefilter  # noqa: E402
from cleaner.correct.apply import propose_rule_edits  # noqa: E402
from cleaner.correct.packs import load_library  # noqa: E402
from cleaner.edits import build_stream, resolve  # noqa: E402
from cleaner.read import read_text  # noqa: E402

PACKS = ((10, "literal"), (1_000, "literal"), (10_000, "literal"), (50_000, "literal"),
         (5_000, "regex"))
BIG = ((10_000, "literal"), (50_000, "literal"), (5_000, "regex"))
FACTORS = (1, 10)


def synthetic_pack(count: int, text: str, rng: random.Random, kind: str = "literal",
                   cases: bool = True) -> str:
    """A pack of ``count`` rules: ten are bigrams that occur in ``text`` (the same ten at every
    size), the rest made-up two-word variants, so the trie (or the regex list) is as wide as a
    real pack of that size. ``kind`` "regex" spells each as ``\\bone[- ]two\\b``; ``cases``
    gives each rule an example and a keep case (for ``rules test``)."""
    words = [w for w in text.split() if w.isalpha()]
    lines = ["pack: synthetic", "rules:"]
    seen = set()
    while len(seen) < count:
        if len(seen) < 10:
            i = (len(seen) * 7919) % (len(words) - 1)
            first, second = words[i], words[i + 1]
        else:
            first, second = (_made_up(rng) for _ in range(2))
        variant = f"{first} {second}"
        if variant.casefold() in seen:
            continue
        seen.add(variant.casefold())
        n = len(seen)
        lines += [f"  - id: r{n}", "    category: term"]
        if kind == "literal":
            lines.append(f"    match: [{variant!r}]")
        else:
            lines.append(f"    regex: '\\b{re.escape(first)}[- ]{re.escape(second)}\\b'")
        lines.append(f"    replace: {('R' + str(n))!r}")
        if cases:
            lines += [f"    examples: [{{in: \"say {variant} now\", out: \"say R{n} now\"}}]",
                      f"    keep: [\"say {first} only\"]"]
    return "\n".join(lines) + "\n"


def _made_up(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou")
                   for _ in range(rng.randint(2, 4)))


def _run(command: list[str], cache: Path) -> float:
    """CPU seconds (user + system) one subprocess takes (exit code 1, findings, is fine)."""
    env = dict(os.environ, CLEANER_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT),
               OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")  # no spinning BLAS threads
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr.decode(errors="replace"))
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _load(pack: Path, transcript, cache: Path, cold: bool) -> float:
    """In-process load and compile; ``cold``: with an empty cache and nothing compiled."""
    os.environ["CLEANER_CACHE_DIR"] = str(cache)
    if cold:
        shutil.rmtree(cache, ignore_errors=True)
        prefilter._COMPILED.clear()
        regex.purge()
    cache_module._MEMORY.clear()
    start = time.perf_counter()
    load_library([pack], defaults=False).compile_for(transcript)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="60 KB only; no lint or test")
    args = parser.parse_args()
    factors = FACTORS[:1] if args.quick else FACTORS
    rng = random.Random(20231124)
    print(f"rules_scale: {machine()}")
    print(f"{'rules':>14} {'input':>7} {'load cold':>9} {'warm':>6} {'match':>6} "
          f"{'verbatim cold':>13} {'warm':>6} {'default cold':>12} {'warm':>6} {'edits':>5}")
    warm: dict[tuple, float] = {}
    share: dict[tuple, float] = {}
    cold_load: dict[tuple, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        base = seed_times(1)
        packs, tested = {}, {}
        for count, kind in PACKS:
            packs[count, kind] = folder / f"{kind}{count}.yaml"
            packs[count, kind].write_text(synthetic_pack(count, base, rng, kind, cases=False),
                                          encoding="utf-8")
            tested[count, kind] = folder / f"{kind}{count}-cases.yaml"
            tested[count, kind].write_text(synthetic_pack(count, base, rng, kind),
                                           encoding="utf-8")
        for factor in factors:
            text = seed_times(factor)
            source = folder / f"seed{factor}.txt"
            source.write_text(text, encoding="utf-8")
            transcript = read_text(text)
            stream = build_stream(transcript)
            for (count, kind), pack in packs.items():
                cache = folder / f"cache-{kind}{count}-{factor}"
                cold_s = min(_load(pack, transcript, cache, cold=True) for _ in range(3))
                warm_s = median_time(lambda: _load(pack, transcript, cache, cold=False),
                                     repeat=3, warmup=0)
                cold_load[count, kind] = min(cold_s, cold_load.get((count, kind), cold_s))
                ruleset = load_library([pack], defaults=False).compile_for(transcript)

                def match():
                    return resolve(stream, propose_rule_edits(stream, ruleset, transcript))

                match_s = median_time(match, repeat=3)
                kept, _ = match()
                default = [sys.executable, "-m", "cleaner", "clean", str(source),
                           "--no-default-rules", "--rules", str(pack),
                           "-o", str(folder / "out.json")]
                verbatim = default + ["--style", "verbatim"]
                times = []
                for command in (verbatim, default):
                    process_cache = folder / f"process-{kind}{count}-{factor}-{len(command)}"
                    cold = _run(command, process_cache)
                    times += [cold, min(_run(command, process_cache) for _ in range(5))]
                share[count, kind, factor] = warm_s + match_s
                warm[count, kind, factor, "verbatim"] = times[1]
                warm[count, kind, factor, "default"] = times[3]
                print(f"{count:>7,} {kind:<6} {len(text) // 1000:>4} KB {cold_s:>9.3f} "
                      f"{warm_s:>6.3f} {match_s:>6.3f} {times[0]:>13.3f} {times[1]:>6.3f} "
                      f"{times[2]:>12.3f} {times[3]:>6.3f} {len(kept):>5}", flush=True)
        if not args.quick:
            print(f"\n{'rules':>14} {'lint s':>7} {'test s':>7}   (whole process, cold cache)")
            for count, kind in BIG:
                row = []
                for action in ("lint", "test"):
                    command = [sys.executable, "-m", "cleaner", "rules", action,
                               str(tested[count, kind]), "-o", str(folder / "findings.txt")]
                    row.append(_run(command, folder / f"rules-{action}-{kind}{count}"))
                print(f"{count:>7,} {kind:<6} {row[0]:>7.2f} {row[1]:>7.2f}", flush=True)
    factor = factors[-1]
    print(f"\nsummary on {len(seed_times(factor)) // 1000} KB:")
    for style in ("verbatim", "default"):
        extra = warm[10_000, "literal", factor, style] - warm[10, "literal", factor, style]
        ratio = warm[50_000, "literal", factor, style] / warm[10, "literal", factor, style]
        print(f"  {style:>8}: warm extra cost of 9,990 rules {extra:+.3f} s (goal <= 0.25); "
              f"50,000 literals take {ratio:.2f}x the 10-rule time (goal <= 2)")
    extra = share[10_000, "literal", factor] - share[10, "literal", factor]
    print(f"  rules' own share of a warm run (load warm + match): 9,990 more rules add "
          f"{extra:+.3f} s (goal <= 0.25); 50,000 literals add "
          f"{share[50_000, 'literal', factor] - share[10, 'literal', factor]:+.3f} s")
    print(f"  cold load of 10,000 rules {cold_load[10_000, 'literal']:.3f} s (goal < 1.5)")


if __name__ == "__main__":
    main()
