"""Speaker attribution on the development conversations: accuracy, calibration and speed.

    python bench/speakers.py            # every dev case with its cast, the seed without a cast
                                        # and with the show pack's cast; calibration; timing
    python bench/speakers.py --loco --fit  # also fit the confidence model (prints CONFIDENCE for
                                        # cleaner/attribute/names/calibrate.py), checked leave-one-out
    python bench/speakers.py --quick    # accuracy only, no timing
    python bench/speakers.py --loco     # each conversation scored with the change model fitted
                                        # on the others (bench/fit_boundary.py), the honest numbers
    python bench/speakers.py --loco --heuristic  # the learned models off: the numbers before them
    python bench/speakers.py --set learned.affinity=0  # one mixing weight changed

The dev conversations are found in ``shared/eval/dev`` next to (or above) the repository, or
in ``$CLEANER_EVAL_DIR``. Nothing here asserts: it prints tables.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import auc, median_time  # noqa: E402

from cleaner import Options, clean  # noqa: E402
from cleaner.attribute import attribute  # noqa: E402
from cleaner.attribute.names.calibrate import confidence, fit_confidence  # noqa: E402
from cleaner.attribute.evaluate import (CalibrationBin, Scores, baseline, expected_calibration_error,  # noqa: E402
                                        format_table, parse_gold, score, turn_results)
from cleaner.correct.packs import load_cast  # noqa: E402
from cleaner.segment.turns import build_turns  # noqa: E402

SEED = ROOT / "seeds" / "000_779c6c37a6df98f0.txt"
SEED_GOLD = ROOT / "fixtures" / "seed.gold.tsv"
REPEATS = 3
HOURS_PER_SEED = 70 / 60  # the seed episode runs about 70 minutes


def find_dev() -> Path | None:
    """The folder of dev conversations."""
    if os.environ.get("CLEANER_EVAL_DIR"):
        return Path(os.environ["CLEANER_EVAL_DIR"])
    for folder in [ROOT, *ROOT.parents]:
        candidate = folder / "shared" / "eval" / "dev"
        if candidate.is_dir():
            return candidate
    return None


def kind(case: str) -> str:
    """Which target applies: interviews and debates, or panels and meetings."""
    return "panel" if any(word in case for word in ("go-time", "meeting", "channel-jamming")) else "interview"


def run_case(text: str, path: str, cast, use_pack_cast: bool = True, weights=None):
    """Clean one transcript and attribute speakers; return the result and JSON-ready turns.

    ``weights`` (for --loco) replaces attribution weights; the turns then come straight from
    the attribution, without the pipeline's last tidying of turn edges.
    """
    base = clean(text, path=path, options=Options(speakers=False))
    if use_pack_cast and weights is None:
        result = clean(text, path=path, options=Options(cast=cast))
        return result, [turn.to_dict() for turn in result.turns]
    done = attribute(base.transcript, base.corrected, base.edits, cast=cast, pack_cast=(),
                     weights=weights)
    turns = build_turns(base.transcript, done.units, done.labels, base.edits)
    return base, [turn.to_dict() for turn in turns], done.cast


def cases(dev: Path | None):
    """``(name, text, path, cast members, cast dicts, gold rows, use the pack cast)``."""
    out = []
    if dev is not None:
        for md in sorted(dev.glob("*.md")):
            name = md.name[:-3]
            cast_path = dev / f"{name}.cast.yaml"
            members = load_cast(cast_path) if cast_path.exists() else None
            dicts = [{"name": m.name, "role": m.role, "aliases": list(m.aliases)} for m in members or ()]
            gold = parse_gold((dev / f"{name}.gold.tsv").read_text(encoding="utf-8"))
            out.append((name, md.read_text(encoding="utf-8"), str(md), members, dicts or None, gold, True))
    seed_gold = parse_gold(SEED_GOLD.read_text(encoding="utf-8"))
    seed_text = SEED.read_text(encoding="utf-8")
    out.append(("seed (no cast)", seed_text, str(SEED), None, None, seed_gold, False))
    out.append(("seed (show pack cast)", seed_text, str(SEED), None, None, seed_gold, True))
    return out


def mean_scores(rows: list[Scores]) -> Scores:
    """The plain mean of each metric."""
    fields = [f for f in Scores.__dataclass_fields__ if f != "words"]
    values = {}
    for field in fields:
        numbers = [getattr(s, field) for s in rows if getattr(s, field) is not None]
        values[field] = statistics.mean(numbers) if numbers else None
    return Scores(**values, words=sum(s.words for s in rows))


def raw_scores(turns) -> list[tuple[float, int] | None]:
    """Each turn's mean posterior (the decoder evidence) and words, before calibration."""
    out = []
    for turn in turns:
        decoder = [ev for ev in turn.get("evidence", ()) if ev.get("cue") == "decoder"]
        out.append((decoder[0]["weight"], len(turn["text"].split())) if decoder else None)
    return out


def calibration_bins(samples: list[tuple[float, int, bool]], bins: int = 10) -> list[CalibrationBin]:
    """Bins of ``(confidence, words, right)`` samples."""
    members: list[list[tuple[float, int, bool]]] = [[] for _ in range(bins)]
    for sample in samples:
        members[min(int(sample[0] * bins), bins - 1)].append(sample)
    out = []
    for index, member in enumerate(members):
        count = len(member)
        out.append(CalibrationBin(
            lower=index / bins, upper=(index + 1) / bins, turns=count,
            words=sum(w for _, w, _ in member),
            mean_confidence=sum(c for c, _, _ in member) / count if count else None,
            accuracy=sum(r for _, _, r in member) / count if count else None,
        ))
    return out


def print_calibration(title: str, samples: list[tuple[float, int, bool]]) -> None:
    bins = calibration_bins(samples)
    print(title)
    print("  confidence   turns   words   mean   right")
    for b in bins:
        if b.turns:
            print(f"  {b.lower:.1f}-{b.upper:.1f}    {b.turns:5d}  {b.words:6d}   "
                  f"{b.mean_confidence:.2f}    {b.accuracy:.2f}")
    print(f"  expected calibration error: {expected_calibration_error(bins):.3f}\n")


def targets(name: str, scores: Scores, base: Scores) -> str:
    """Which of the issue's targets this case meets."""
    need = 0.85 if kind(name) == "interview" else 0.70
    marks = [
        f"named>={need:.2f} {'yes' if scores.named_accuracy >= need else 'NO'}",
        f"mapped>=base+0.25 {'yes' if scores.mapped_accuracy >= base.mapped_accuracy + 0.25 else 'NO'}",
        f"change F1>=0.75 {'yes' if scores.change_f1_exact >= 0.75 else 'NO'}",
    ]
    return ", ".join(marks)


def timing(dev: Path | None) -> None:
    """Milliseconds per transcript for a full clean with and without speakers, and a 10-hour one."""
    texts = [(SEED.name, SEED.read_text(encoding="utf-8"))]
    if dev is not None:
        texts += [(md.name, md.read_text(encoding="utf-8")) for md in sorted(dev.glob("*.md"))]
    clean(texts[0][1])  # warm up: packs compiled and cached
    print("timing (CPU time of this process, median of 3; full clean, with and without speakers)")
    print(f"  {'transcript':48s} {'KB':>6s} {'no speakers':>12s} {'speakers':>10s} {'ms/60KB':>8s}")
    per_60 = []
    for name, text in texts:
        kb = len(text.encode("utf-8")) / 1024
        plain = _median(lambda: clean(text, options=Options(speakers=False)))
        full = _median(lambda: clean(text))
        per_60.append((full - plain) * 60 / kb)
        print(f"  {name[:48]:48s} {kb:6.1f} {plain * 1000:10.0f}ms {full * 1000:8.0f}ms "
              f"{(full - plain) * 60 / kb * 1000:7.0f}")
    print(f"  attribution alone, median per 60 KB: {statistics.median(per_60) * 1000:.0f} ms")
    seed = texts[0][1]
    head, body = seed.split("*  ", 1)
    copies = round(10 / HOURS_PER_SEED)
    long_text = head + "*  " + (body.rstrip("\n") + "\n") * copies
    started = time.process_time()
    result = clean(long_text)
    elapsed = time.process_time() - started
    words = sum(len(turn.text.split()) for turn in result.turns)
    print(f"  synthetic 10-hour transcript ({copies} seed copies, {len(result.transcript.segments)} "
          f"lines, {words} words, {len(long_text) / 1024 / 1024:.1f} MB): {elapsed:.1f} s, "
          f"{len(result.turns)} turns\n")


def learned_timing(dev: Path | None) -> None:
    """CPU time of the learned models' inference alone (change, role and affinity scores
    turned into clues), per 60 KB of input (about an hour of audio)."""
    from cleaner.attribute.learned import weights as learned_weights  # noqa: PLC0415
    from cleaner.attribute.learned.weights import LEARNED  # noqa: PLC0415
    from cleaner.attribute.setting import prepare  # noqa: PLC0415
    from cleaner.attribute.turns.boundary import boundaries  # noqa: PLC0415
    from cleaner.attribute.turns.change import change_clues  # noqa: PLC0415
    from cleaner.attribute.voices.affinity import affinity_clues  # noqa: PLC0415
    from cleaner.attribute.voices.role import role_clues  # noqa: PLC0415

    weights = learned_weights.load()
    if weights is None:
        print("learned models: no speakers.npz shipped\n")
        return
    texts = [SEED.read_text(encoding="utf-8")]
    if dev is not None:
        texts += [md.read_text(encoding="utf-8") for md in sorted(dev.glob("*.md"))]
    per_60 = []
    for text in texts:
        base = clean(text, options=Options(speakers=False))
        setting = prepare(base.transcript, base.corrected, base.edits,
                          weights={"learned.change": 0, "learned.role": 0})
        views, scene = setting.views, setting.scene
        path = [n % max(len(setting.speakers), 1) for n in range(len(views))]

        # The hand-made boundary features are computed with or without the learned models.
        heuristic = dict(boundaries(views, scene.index.lowercase, scene.lowercase_sentences))

        def run():
            change_clues(views, heuristic, weights, LEARNED, -2.0)
            role_clues(views, weights, 0.5)
            affinity_clues(views, path, setting.speakers, weights, 0.5)
        per_60.append(_median(run) * 60 * 1024 / len(text.encode("utf-8")))
    print(f"learned models' inference alone (change, role, affinity; CPU, median of {REPEATS}): "
          f"median {statistics.median(per_60) * 1000:.0f} ms, max {max(per_60) * 1000:.0f} ms "
          f"per 60 KB (about an hour of audio; budget 150 ms)")
    meta = weights.meta
    print(f"weights: {learned_weights.DEFAULT_PATH.name} "
          f"{learned_weights.DEFAULT_PATH.stat().st_size / 1e6:.1f} MB, corpus {meta['corpus_version']}, "
          f"trained by `{meta['command']}` in {meta.get('seconds', '?')} s\n")


def loso_table() -> None:
    """The leave-one-source-out change AUC recorded with the shipped weights."""
    from cleaner.attribute.learned import weights as learned_weights  # noqa: PLC0415

    weights = learned_weights.load()
    table = (weights.meta.get("loso_change_auc") if weights else None) or {}
    if not table:
        return
    print("leave-one-source-out change AUC on ASR-like corpus copies (trained without the source;")
    print("hand-made = the dev-fitted change table of boundary.py), from the weights' meta:")
    print(f"  {'source':10s} {'boundaries':>10s} {'hand-made':>10s} {'learned':>8s}")
    for source, row in sorted(table.items()):
        print(f"  {source:10s} {row['boundaries']:10d} {row['heuristic']:10.3f} {row['learned']:8.3f}")
    print()


def _median(run) -> float:
    """Median CPU seconds of a few runs (CPU time, not wall time: the machine may be shared)."""
    return median_time(run, repeat=REPEATS, warmup=0, clock=time.process_time)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fit", action="store_true", help="fit the confidence model")
    parser.add_argument("--quick", action="store_true", help="skip the timing")
    parser.add_argument("--loco", action="store_true",
                        help="score each conversation with the change model fitted on the others")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override an attribution weight (e.g. learned.affinity=0)")
    parser.add_argument("--heuristic", action="store_true",
                        help="the hand-made models alone: every learned model off (the 'before')")
    args = parser.parse_args(argv)
    dev = find_dev()
    overrides = {name: float(value) for name, value in (item.split("=", 1) for item in args.set)}
    if args.heuristic:
        overrides.update({"learned.change": 0.0, "learned.role": 0.0, "learned.affinity": 0.0})
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, dev set: {dev}\n")
    table, dev_scores, notes = [], [], []
    samples: dict[str, list[tuple[float, int, bool]]] = {}
    raw: dict[str, list[tuple[float, int, int, bool]]] = {}
    folds = loco_weights(dev) if args.loco and dev is not None else None
    if folds is not None:
        print("leave-one-case-out: each conversation with the change model fitted on the others\n")
    for name, text, path, members, dicts, gold, use_pack in cases(dev):
        if folds is not None and use_pack and name.startswith("seed"):
            continue  # the seed is scored once, without a cast
        weights = None if folds is None else folds["seed" if name.startswith("seed") else name]
        if overrides:
            weights = {**(weights or {}), **overrides}
        found = run_case(text, path, members, use_pack, weights)
        result, turns = found[0], found[1]
        lines = result.transcript.lines
        scores, base = score(lines, turns, gold, dicts), baseline(lines, gold, dicts)
        table += [(name[:44], scores), ("  majority baseline", base)]
        results = turn_results(lines, turns, gold, dicts)
        if not name.startswith("seed"):
            dev_scores.append(scores)
            samples[name] = [(turns[i]["confidence"], words, right) for i, words, right in results]
            posterior = raw_scores(turns)
            raw[name] = [(*posterior[i], words, right) for i, words, right in results
                         if posterior[i] is not None]
            notes.append(f"  {name[:44]:44s} {kind(name):9s} {targets(name, scores, base)}")
        elif len(found) > 2:
            cast = found[2]
            notes.append(f"  {name:44s} cast found: "
                         + "; ".join(f"{m.name} ({m.role})" for m in cast.members)
                         + f"; roles right for {scores.role_accuracy:.1%} of words")
    table.append(("mean of the dev cases", mean_scores(dev_scores)))
    print(format_table(table))
    print("targets (issue 3)")
    print("\n".join(notes) + "\n")
    print_calibration("calibration on the dev cases (turn confidence vs. share of right turns)",
                      [s for case in samples.values() for s in case])
    if args.fit:
        fit(raw)
    loso_table()
    if not args.quick:
        learned_timing(dev)
        timing(dev)
    return 0


def loco_weights(dev: Path) -> dict[str, dict[str, float]]:
    """For each conversation (and the seed), the change model fitted on all the others."""
    from fit_boundary import fit as fit_change, samples  # noqa: PLC0415 (bench only)

    data = samples(dev)
    counts: dict[str, int] = {}
    for rows in data.values():
        for found, _ in rows:
            for feature in found:
                counts[feature] = counts.get(feature, 0) + 1
    names = sorted(f for f, n in counts.items() if n >= 10)
    out = {}
    for held_out in data:
        train = [row for name, rows in data.items() if name != held_out for row in rows]
        w = fit_change(train, 1.0, names)
        out[held_out] = {"change.bias": w[0], **{f"change.{n}": v for n, v in zip(names, w[1:])}}
    return out


def fit(raw: dict[str, list[tuple[float, int, int, bool]]]) -> None:
    """Fit the confidence model on all dev cases, and check it leave-one-case-out, beside
    the same model on the posterior alone."""
    everything = [(p, n, r) for case in raw.values() for p, n, _, r in case]
    weights = fit_confidence(everything)
    print("fitted CONFIDENCE (paste into cleaner/attribute/names/calibrate.py):")
    print("  " + repr(weights) + "\n")
    for title, strip in (("posterior alone", True), ("posterior and length", False)):
        held_out, ranks = [], []
        for name in raw:
            others = [(p, 1 if strip else n, r) for other, case in raw.items() if other != name
                      for p, n, _, r in case]
            fold = fit_confidence(others)
            scored = [(confidence(p, 1 if strip else n, fold), w, r) for p, n, w, r in raw[name]]
            held_out += scored
            ranks.append(auc([c for c, _, _ in scored], [r for _, _, r in scored]))
        print(f"leave-one-case-out, {title}: mean AUROC of right turns within a conversation "
              f"{statistics.mean(ranks):.3f}")
        print_calibration(f"leave-one-case-out calibration, {title}", held_out)


if __name__ == "__main__":
    sys.exit(main())
