"""How far an editor's overrides carry: a simulated editor fixes speakers through the review list.

    python bench/editor.py                # every dev case with its cast, and the seed without one
    python bench/editor.py --fixes 40     # a longer session
    python bench/editor.py --loco         # the change model of each case fitted on the others
    python bench/editor.py --order reading     # the editor reads from the top instead
    python bench/editor.py --order confidence  # ... or by rising confidence

The editor works through the turns in the report's review order: most words likely to be
misattributed first, (1 - confidence) x words (``--order confidence``: rising confidence;
``--order reading``: from the top of the transcript down). They fix the turns given mostly to
the wrong speaker, and once none is left, those with a wrong stretch. A fix is one override at
the turn's first wrong word, naming the right speaker (plus one at each place the gold speaker
changes later on that input line, as an editor would split the line). The decoder then
re-decides everything around the fixed units. After each fix the bench scores named word
accuracy again and prints it at a few milestones, with:

- ``checked``: turns the editor had to read (right ones included) to find those to fix;
- ``direct``: the share of words the overrides pin themselves;
- ``carried``: the share of words put right beyond those, by the decoder following the fixes.

Nothing here asserts: it prints a table.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from speakers import cases, find_dev, loco_weights  # noqa: E402

from cleaner import Options, clean  # noqa: E402
from cleaner.attribute import attribute  # noqa: E402
from cleaner.attribute.overrides import Override  # noqa: E402
from cleaner.attribute.evaluate import (gold_speakers, name_matches, score, turn_results,  # noqa: E402
                                        word_hits)
from cleaner.render.speakers import expected_misattributed  # noqa: E402
from cleaner.segment.turns import build_turns  # noqa: E402

MILESTONES = (0, 1, 2, 5, 10, 20, 40, 80)


def decode(base, cast, overrides, weights):
    """JSON-ready turns of one attribution with the overrides (no show pack's cast: the seed
    is run as a transcript with no cast at all), and the names of the cast it used."""
    done = attribute(base.transcript, base.corrected, base.edits, cast=cast, pack_cast=(),
                     overrides=tuple(overrides), weights=weights)
    turns = build_turns(base.transcript, done.units, done.labels, base.edits)
    return [turn.to_dict() for turn in turns], [member.name for member in done.cast.members]


def editor_names(found: list[str], gold: set[str]) -> dict[str, str]:
    """The name an editor writes in an override for each gold speaker: an override must name
    someone in the cast, so with a discovered cast it is the discovered name ("Michael" for
    Michael Barbaro); a gold speaker the tool never found cannot be named."""
    return {speaker: name for speaker in gold for name in found
            if name_matches(name, speaker, gold)}


def prefix(line: str) -> int:
    """Characters before the transcript text of an input line (a ``*  `` bullet)."""
    stripped = line.lstrip()
    if stripped.startswith(("* ", "- ")):
        return len(line) - len(stripped[1:].lstrip())
    return 0


def fix_for(turn, words, hits, lines):
    """Overrides that put right the first wrong word of a turn, and the rest of its line."""
    spans = [(line, start, end) for line, start, end in turn["spans"]]
    wrong = next((index for index, (line, column, speaker) in enumerate(words)
                  if not hits[index] and speaker is not None
                  and any(l == line and s <= column < e for l, s, e in spans)), None)
    if wrong is None:
        return []
    line, column, speaker = words[wrong]
    out = [Override(line=line, speaker=speaker, at=column - prefix(lines[line - 1]) or None)]
    current = speaker
    for other_line, other_column, other_speaker in words[wrong + 1:]:
        if other_line != line or other_speaker is None:
            break
        if other_speaker != current:
            out.append(Override(line=line, speaker=other_speaker,
                                at=other_column - prefix(lines[line - 1])))
            current = other_speaker
    return out


def pinned_words(overrides, words, lines) -> set[int]:
    """The scored words the overrides fix by themselves (each line from its first override on)."""
    starts: dict[int, int] = {}
    for override in overrides:
        column = prefix(lines[override.line - 1]) + (override.at or 0)
        starts[override.line] = min(column, starts.get(override.line, column))
    return {index for index, (line, column, _) in enumerate(words)
            if line in starts and column >= starts[line]}


def session(name, text, path, members, dicts, gold, weights, fixes: int, order: str = "review"):
    """Accuracy after each fix: ``[(fixes, turns checked, named accuracy, words put right
    by the overrides themselves)]``, and the number of scored words."""
    base = clean(text, path=path, options=Options(speakers=False))
    lines = base.transcript.lines
    words = gold_speakers(lines, gold)
    overrides: list[Override] = []
    checked: set[tuple] = set()
    reads = 0
    history = []
    first_hits: list[bool] = []
    for done in range(fixes + 1):
        turns, found = decode(base, members, overrides, weights)
        if done == 0 and members is None:
            names = editor_names(found, {speaker for _, _, speaker in words})
            words = [(line, column, names.get(speaker)) for line, column, speaker in words]
        hits = word_hits(lines, turns, gold, dicts)
        first_hits = first_hits or hits
        accuracy = score(lines, turns, gold, dicts).named_accuracy
        direct = sum(not first_hits[i] for i in pinned_words(overrides, words, lines))
        history.append((done, reads, accuracy, direct))
        if done == fixes:
            break
        results = turn_results(lines, turns, gold, dicts)
        if order == "review":
            results = sorted(results, key=lambda r: (-expected_misattributed(
                turns[r[0]]["confidence"], len(turns[r[0]]["text"].split())), r[0]))
        elif order == "confidence":
            results = sorted(results, key=lambda r: (turns[r[0]]["confidence"], r[0]))
        added = []
        # Turns given mostly to the wrong speaker first; once none is left, those with a
        # wrong stretch (a boundary to move).
        for wanted in (False, True):
            for index, _, right in results:
                turn = turns[index]
                key = (tuple(map(tuple, turn["spans"])), turn["speaker"])
                if key not in checked:
                    checked.add(key)
                    reads += 1
                if right == wanted:
                    added = fix_for(turn, words, hits, lines)  # none when every word is right
                    if added:
                        break
            if added:
                break
        if not added:
            break
        overrides += added
    return history, len(words)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixes", type=int, default=20, help="turns the editor fixes (default 20)")
    parser.add_argument("--loco", action="store_true",
                        help="score each case with the change model fitted on the others")
    parser.add_argument("--heuristic", action="store_true",
                        help="the hand-made models alone: every learned model off (the 'before')")
    parser.add_argument("--order", choices=("review", "confidence", "reading"), default="review",
                        help="the order the editor checks turns in (default: the report's review order)")
    args = parser.parse_args(argv)
    dev = find_dev()
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, dev set: {dev}\n")
    folds = loco_weights(dev) if args.loco and dev is not None else None
    marks = [m for m in MILESTONES if m <= args.fixes]
    print(f"{'case':36s} {'words':>6s} " + " ".join(f"{f'{m} fixes':>9s}" for m in marks)
          + f" {'checked':>8s} {'direct':>7s} {'carried':>8s}")
    gains = []
    curves: list[list[float]] = []
    for name, text, path, members, dicts, gold, use_pack in cases(dev):
        if name == "seed (show pack cast)":
            continue
        weights = None if folds is None else folds["seed" if name.startswith("seed") else name]
        if args.heuristic:
            weights = {**(weights or {}), "learned.change": 0.0, "learned.role": 0.0,
                       "learned.affinity": 0.0}
        history, total = session(name, text, path, members, dicts, gold, weights, args.fixes,
                                 args.order)
        at = {done: (reads, accuracy, pinned) for done, reads, accuracy, pinned in history}
        last = max(at)
        curve = [at[min(m, last)][1] for m in marks]
        if not name.startswith("seed"):
            curves.append(curve)
        cells = [f"{value:9.3f}" for value in curve]
        reads, final, pinned = at[last]
        gain = final - at[0][1]
        direct = pinned / total
        gains.append((gain, direct))
        print(f"{name[:36]:36s} {total:6d} " + " ".join(cells)
              + f" {reads:8d} {direct:7.3f} {gain - direct:8.3f}")
    if curves:
        means = [statistics.mean(column) for column in zip(*curves)]
        print(f"{'mean of the dev cases':36s} {'':6s} " + " ".join(f"{m:9.3f}" for m in means))
    if gains:
        print(f"\nmean gain in named accuracy after {args.fixes} fixes: "
              f"{statistics.mean(g for g, _ in gains):.3f}, of which pinned directly "
              f"{statistics.mean(d for _, d in gains):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
