"""Benchmark naming and repair of diarized transcripts on the editor-corrected pairs.

Every pair in ``shared/eval/pairs-dev`` is a machine transcript with diarization clusters
(``*.ai.md``, ``Speaker 0: HH:MM:SS`` blocks) and the same recording after a human review
(``*.reviewed.md``, real names). The words of the two are aligned (``cleaner.align``); only
words aligned as equal are scored, each with the reviewed speaker of its block as the truth.

Per pair, and the mean over pairs:

- ``named``: share of words whose predicted name (the speaker of its turn in ``cleaner
  clean``'s output) names the reviewed speaker (as ``cleaner eval`` matches names: "Jonas"
  names "Adam Jonas" when no other reviewed speaker has that name);
- ``ceiling``: the same under the best possible naming of the input's clusters, each
  cluster given the reviewed name most of its words have (two clusters may share a name:
  naming alone can merge a split person, but cannot move words between clusters);
- ``1:1``: the ceiling when every cluster must get a different name (Hungarian);
- ``WDER``: diarization error rate on words: share of words whose cluster is wrong under the
  best one-to-one mapping of clusters to reviewed speakers, before and after repair (the
  repairs of the JSON output applied to the input's clusters);
- ``repairs``: how many repair records the run kept;
- ``ms/h``: CPU milliseconds of naming and repair (``name_clusters`` + ``repair_clusters``,
  the cues read beforehand not included) per hour of audio (from the last timestamp);
  ``attr ms/h``: the whole diarized attribution (units, cast, cues, naming, repair);
  ``full ms/h``: the whole ``clean`` run (reading, rules, tidy, attribution) per hour.

    PYTHONPATH=$PWD python bench/diarized.py [PAIRS_DIR] [--repeat N] [--trust]

``--trust`` runs with ``--trust-diarization`` (no repairs). ``--editor-cast`` gives the
reviewed file's ``speakers:`` list as ``--cast`` (names only, no roles): the people an editor
knows were on the show; without it the cast is what the tool finds (the ``*.ai.md`` front
matter, which often lists only the guests, and the text). Nothing here is fitted: it
measures.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, median_time  # noqa: E402

from cleaner.learn.align import align, transcript_words  # noqa: E402
from cleaner.attribute.evaluate import _NameResolver, best_label_mapping  # noqa: E402
from cleaner.correct.packs import CastMember  # noqa: E402
from cleaner.read.published import listed_speakers  # noqa: E402
from cleaner.pipeline import Options, clean_transcript  # noqa: E402
from cleaner.correct.packs import load_library  # noqa: E402
from cleaner.read import read_text  # noqa: E402

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "pairs-dev"


def pairs(folder: Path) -> list[tuple[str, Path, Path]]:
    """``(name, ai, reviewed)`` for every pair in the folder, sorted by name."""
    out = []
    for ai in sorted(folder.glob("*.ai.md")):
        reviewed = ai.with_name(ai.name[: -len(".ai.md")] + ".reviewed.md")
        if reviewed.exists():
            out.append((ai.name[: -len(".ai.md")], ai, reviewed))
    return out


def _covering(spans_by_line: dict, line: int, column: int):
    for start, end, value in spans_by_line.get(line, ()):
        if start <= column < end:
            return value
    return None


def score_pair(ai: Path, reviewed: Path, library, trust: bool = False,
               editor_cast: bool = False) -> dict:
    """Every number of the table for one pair."""
    raw = read_text(ai.read_text(encoding="utf-8"), str(ai))
    gold = read_text(reviewed.read_text(encoding="utf-8"), str(reviewed))
    cast = None
    if editor_cast:  # the names an editor knows were on the show: the reviewed front matter
        cast = tuple(CastMember(name=name) for name in listed_speakers(gold)) or None
    raw_words, gold_words = transcript_words(raw), transcript_words(gold)
    mapping = align(raw_words, gold_words).raw_to_corrected()
    options = Options(trust_diarization=trust, cast=cast)
    start = time.process_time()
    result = clean_transcript(raw, library, options)
    full = time.process_time() - start
    by_line: dict[int, list] = {}
    for turn in result.turns:
        for line, begin, end in turn.spans:
            by_line.setdefault(line, []).append((begin, end, turn.speaker))
    repairs: dict[int, list] = {}
    diarization = result.options.get("diarization") or {}
    for record in diarization.get("repairs", ()):
        repairs.setdefault(record["line"], []).append((record["start"], record["end"],
                                                       record["after"]))
    truth, clusters, repaired, named = [], [], [], []
    for i, j in sorted(mapping.items()):
        word = raw_words[i]
        segment = raw.segments[word.segment]
        name = gold.segments[gold_words[j].segment].speaker_hint
        if name is None or segment.cluster is None:
            continue
        column = segment.col(word.start)
        truth.append(name)
        clusters.append(segment.cluster)
        repaired.append(_covering(repairs, segment.line, column) or segment.cluster)
        named.append(_covering(by_line, segment.line, column))
    words = len(truth)
    resolver = _NameResolver(set(truth), None)
    named = [resolver.resolve(name) for name in named]
    majority = {}
    for cluster in set(clusters):
        majority[cluster] = Counter(t for c, t in zip(clusters, truth) if c == cluster).most_common(1)[0][0]
    one_to_one = best_label_mapping(clusters, truth)
    after = best_label_mapping(repaired, truth)
    seconds = max((s.end_time or s.start_time or 0.0) for s in raw.segments) or 1.0
    return {
        "words": words,
        "named": sum(p == t for p, t in zip(named, truth)) / words,
        "ceiling": sum(majority[c] == t for c, t in zip(clusters, truth)) / words,
        "1:1": sum(one_to_one.get(c) == t for c, t in zip(clusters, truth)) / words,
        "wder_before": 1 - sum(one_to_one.get(c) == t for c, t in zip(clusters, truth)) / words,
        "wder_after": 1 - sum(after.get(c) == t for c, t in zip(repaired, truth)) / words,
        "repairs": len(diarization.get("repairs", ())),
        "clusters": diarization.get("clusters", []),
        "hours": seconds / 3600,
        "full_s": full,
        "result": result,
    }


def stage_time(ai: Path, library, repeat: int, trust: bool) -> float:
    """CPU seconds of naming and repair alone (median of ``repeat`` runs)."""
    from cleaner.attribute import clusters as diarize

    raw = read_text(ai.read_text(encoding="utf-8"), str(ai))
    ruleset = library.compile_for(raw)
    stage = diarize.Stage.build(raw, pack_cast=ruleset.cast, trust=trust)
    return median_time(stage.run, repeat=repeat, warmup=1, clock=time.process_time)


def attribution_time(ai: Path, library, repeat: int, trust: bool) -> float:
    """CPU seconds of the whole diarized attribution: cues read, then naming and repair."""
    from cleaner.attribute import clusters as diarize

    raw = read_text(ai.read_text(encoding="utf-8"), str(ai))
    ruleset = library.compile_for(raw)

    def whole():
        diarize.Stage.build(raw, pack_cast=ruleset.cast, trust=trust).run()

    return median_time(whole, repeat=max(1, repeat // 2), warmup=0, clock=time.process_time)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--trust", action="store_true", help="run with --trust-diarization")
    parser.add_argument("--clusters", action="store_true", help="print each cluster's naming")
    parser.add_argument("--editor-cast", action="store_true",
                        help="give the reviewed file's speakers: list as --cast")
    args = parser.parse_args(argv)
    library = load_library((), True, ())
    found = pairs(args.folder)
    if not found:
        sys.exit(f"no *.ai.md / *.reviewed.md pairs in {args.folder}")
    header = ("pair", "words", "named", "ceiling", "1:1", "gap", "WDER before", "WDER after",
              "repairs", "ms/h", "attr ms/h", "full ms/h")
    print(f"# diarized pairs ({machine()}){' --trust-diarization' if args.trust else ''}"
          f"{' --editor-cast' if args.editor_cast else ''}")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    rows = []
    for name, ai, reviewed in found:
        row = score_pair(ai, reviewed, library, args.trust, args.editor_cast)
        row["stage_s"] = stage_time(ai, library, args.repeat, args.trust)
        row["attribution_s"] = attribution_time(ai, library, args.repeat, args.trust)
        rows.append(row)
        print(_line(name[:48], row))
        if args.clusters:
            for cluster in row["clusters"]:
                print(f"|   {cluster['label']} -> {cluster['name']} ({cluster['confidence']:.2f}): "
                      f"{'; '.join(cluster['evidence'][:4])} |")
    mean = {key: sum(r[key] for r in rows) / len(rows)
            for key in ("words", "named", "ceiling", "1:1", "wder_before", "wder_after",
                        "repairs", "hours", "full_s", "stage_s", "attribution_s")}
    print(_line("**mean**", mean))
    gaps = [r["ceiling"] - r["named"] for r in rows]
    worse = [r["wder_after"] - r["wder_before"] for r in rows]
    print()
    print(f"- naming within 0.03 of the ceiling on every pair: {all(g <= 0.03 for g in gaps)} "
          f"(largest gap {max(gaps):.3f})")
    print(f"- repair lowers mean WDER: {mean['wder_after'] < mean['wder_before']} "
          f"({mean['wder_before']:.4f} -> {mean['wder_after']:.4f}); raises none by more than "
          f"0.005: {all(w <= 0.005 for w in worse)} (largest rise {max(worse):+.4f})")
    per_hour = [r["stage_s"] / r["hours"] * 1000 for r in rows]
    print(f"- naming and repair under 100 ms per hour: {max(per_hour) < 100} "
          f"(largest {max(per_hour):.1f} ms/h)")


def _line(name: str, row: dict) -> str:
    per_hour = row["stage_s"] / row["hours"] * 1000
    full = row["full_s"] / row["hours"] * 1000
    attribution = row["attribution_s"] / row["hours"] * 1000
    return (f"| {name} | {row['words']:.0f} | {row['named']:.3f} | {row['ceiling']:.3f} "
            f"| {row['1:1']:.3f} | {row['ceiling'] - row['named']:+.3f} "
            f"| {row['wder_before']:.4f} | {row['wder_after']:.4f} | {row['repairs']:.0f} "
            f"| {per_hour:.1f} | {attribution:.0f} | {full:.0f} |")


if __name__ == "__main__":
    main()
