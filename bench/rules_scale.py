"""How rule-matching cost grows with the number of rules (foundation issue, item 9).

Applies N = 10, 1,000 and 10,000 synthetic literal rules to the seed x1 and x10 (~60 KB and
~600 KB) and prints compile time (parse + build the trie, cold cache), matching time
(tokenise, find, resolve) and whole-process time of ``cleaner clean`` with the compiled pack
cached: ``process s`` runs the rule engine alone (``--no-speakers --style verbatim``: read,
match, write JSON), ``full s`` the whole default pipeline (tidy passes and speaker
attribution too, which have benchmarks of their own). Run: ``python bench/rules_scale.py``.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, machine, median_time, seed_times  # noqa: E402

from cleaner.correct.apply import propose_rule_edits  # noqa: E402
from cleaner.edits import build_stream, resolve  # noqa: E402
from cleaner.correct.packs import load_library  # noqa: E402
from cleaner.read import read_text  # noqa: E402

COUNTS = (10, 1_000, 10_000)
FACTORS = (1, 10)


def synthetic_pack(count: int, text: str, rng: random.Random) -> str:
    """A pack of ``count`` literal rules: ten are bigrams that occur in ``text`` (the same ten
    at every size, so the number of edits stays put), the rest made-up two-word variants, so
    the trie is as wide as a real pack of that size."""
    words = [w for w in text.split() if w.isalpha()]
    lines = ["pack: synthetic", "rules:"]
    seen = set()
    while len(seen) < count:
        if len(seen) < 10:
            i = (len(seen) * 7919) % (len(words) - 1)
            variant = f"{words[i]} {words[i + 1]}"
        else:
            variant = " ".join("".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou")
                                       for _ in range(rng.randint(2, 4))) for _ in range(2))
        if variant.casefold() in seen:
            continue
        seen.add(variant.casefold())
        n = len(seen)
        lines += [f"  - id: r{n}", "    category: term", f"    match: [{variant!r}]",
                  f"    replace: {('R' + str(n))!r}"]
    return "\n".join(lines) + "\n"


def main() -> None:
    rng = random.Random(20231124)
    print(f"rules_scale: {machine()}")
    print(f"{'rules':>7} {'input':>9} {'compile s':>10} {'match s':>9} {'process s':>10} "
          f"{'full s':>7} {'edits':>6}")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        base = seed_times(1)
        packs = {}
        for count in COUNTS:
            packs[count] = folder / f"pack{count}.yaml"
            packs[count].write_text(synthetic_pack(count, base, rng), encoding="utf-8")
        for factor in FACTORS:
            text = seed_times(factor)
            source = folder / f"seed{factor}.txt"
            source.write_text(text, encoding="utf-8")
            transcript = read_text(text)
            stream = build_stream(transcript)
            for count in COUNTS:
                cache = folder / f"cache-{count}-{factor}"
                os.environ["CLEANER_CACHE_DIR"] = str(cache)
                from cleaner.correct import cache as cache_module

                cache_module._MEMORY.clear()
                start = time.perf_counter()
                library = load_library([packs[count]], defaults=False)
                ruleset = library.compile_for(transcript)
                compile_s = time.perf_counter() - start

                def match():
                    return resolve(stream, propose_rule_edits(stream, ruleset, transcript))

                match_s = median_time(match, repeat=5)
                kept, _ = match()
                full = [sys.executable, "-m", "cleaner", "clean", str(source), "--no-default-rules",
                        "--rules", str(packs[count]), "-o", str(folder / "out.json")]
                rules_only = full + ["--no-speakers", "--style", "verbatim"]
                env = dict(os.environ, CLEANER_CACHE_DIR=str(cache))
                process_s, full_s = (
                    median_time(lambda c=c: subprocess.run(c, check=True, cwd=ROOT, env=env), repeat=3)
                    for c in (rules_only, full))
                print(f"{count:>7,} {len(text) // 1000:>6} KB {compile_s:>10.3f} {match_s:>9.3f} "
                      f"{process_s:>10.3f} {full_s:>7.3f} {len(kept):>6}")


if __name__ == "__main__":
    main()
