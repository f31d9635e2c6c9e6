"""How honest the per-turn confidence is, on the corpus conversations kept out of training.

    python bench/confidence.py                 # every reserved conversation, the text-only settings
    python bench/confidence.py --quick         # the fixed sample of bench/attribution.py --quick
    python bench/confidence.py --only c.roles  # settings by name (repeatable)
    python bench/confidence.py --diarized      # also diarized inputs (a.names, b.split, b.merged)
    python bench/confidence.py --jobs 2        # worker processes (default: 1)

The conversations and the text-only settings are those of ``bench/attribution.py``
(``c.roles``: Whisper-like lines, the cast's names and roles; ``c.names``: names only;
``c.captions``: a caption-style copy with names and roles), attributed the same way. Every
decoded turn with scored words is one sample: it is *right* when its label names the gold
speaker of most of its words, and its words are right when each names its own.

- **reliability**: turns binned by confidence (0-0.2 ... 0.8-1.0), with the bin's mean
  confidence and share of turns right, and the same weighted by words;
- **calibration**: by number of speakers, by kind and over all: mean confidence, share of
  turns right, ECE by turns (5 bins), ECE by words, and the Brier score of the turns;
With ``--diarized``, diarized inputs too (gold turns as clusters with names only,
``a.names``; one person split over two clusters, ``b.split``; two voices merged,
``b.merged``; see ``bench/attribution.py``): there a turn's confidence is its cluster's
naming confidence (``train/naming.py`` fits it), and a turn is a run of one cluster.

- **review list** (the fitted rule, ``cleaner/segment/review.py``): the share of
  misattributed words that lie in flagged turns (``caught``), and the shares of turns and
  of words flagged.

Everything is pooled over turns (or words), not averaged over conversations. Deterministic.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from attribution import reserved_conversations, size_bucket  # noqa: E402

from cleaner.attribute.names.clusters import Stage  # noqa: E402
from cleaner.attribute.evaluate import _NameResolver  # noqa: E402
from cleaner.read import read_text  # noqa: E402
from cleaner.segment.review import Doubt, needs_review, rule  # noqa: E402
from train.calibrate import Turn, attributed_turns, ece  # noqa: E402
from train.corpus import Conversation  # noqa: E402
from train.diarize import cast_of, diarized  # noqa: E402

SETTINGS = {"c.roles": "roles", "c.names": "names", "c.captions": "captions"}
DIARIZED = {"a.names": "gold", "b.split": "split", "b.merged": "merged"}
BINS = 5
KINDS = ("interview", "panel", "debate", "meeting")


@dataclass(frozen=True, slots=True)
class Sample:
    """One turn of one conversation under one setting."""

    setting: str
    kind: str
    speakers: int
    turn: Turn
    flagged: bool


def run(task: tuple[str, Conversation]) -> list[Sample]:
    setting, conversation = task
    speakers = len({turn.speaker for turn in conversation.turns})
    below = rule().review_below
    turns = diarized_turns(conversation, DIARIZED[setting]) if setting in DIARIZED \
        else attributed_turns(conversation, SETTINGS[setting])
    return [Sample(setting, conversation.kind, speakers, turn, needs_review(turn.doubt, below))
            for turn in turns]


def diarized_turns(conversation: Conversation, perturbation: str) -> list[Turn]:
    """The turns (runs of one cluster) of a diarized copy, named with the cast's names, each
    with its cluster's naming confidence (no facts); unnamed clusters are left out."""
    made = diarized(conversation, perturbation)
    transcript = read_text(made.text, "bench.md", None)
    stage = Stage.build(transcript, cast=cast_of(conversation, "names"),
                        trust=perturbation == "gold")
    clusters, _, namings = stage.run()
    naming = {n.label: n for n in namings}
    resolver = _NameResolver(set(made.gold.values()), None)
    out: list[tuple[float, int, int]] = []  # confidence, words, misattributed words
    previous = None
    for unit, cluster in zip(stage.setting.units, clusters):
        gold = made.gold.get(transcript.segments[unit.first_segment].line)
        name = naming[cluster]
        if gold is None or name.name is None:
            previous = None
            continue
        words = len(unit.text.split())
        wrong = words * (resolver.resolve(name.name) != gold)
        if cluster == previous and out:
            out[-1] = (out[-1][0], out[-1][1] + words, out[-1][2] + wrong)
        elif words:
            out.append((name.confidence, words, wrong))
        previous = cluster
    return [Turn(None, Doubt(0, 1, confidence, True, words), confidence, words, wrong)
            for confidence, words, wrong in out if words]


def _bin(confidence: float) -> int:
    return min(int(confidence * BINS), BINS - 1)


def reliability(samples: Sequence[Sample]) -> list[str]:
    out = ["| setting | confidence | turns | mean conf | right turns | words | mean conf (words) "
           "| right words |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for setting in dict.fromkeys(s.setting for s in samples):
        group = [s for s in samples if s.setting == setting]
        for b in range(BINS):
            members = [s.turn for s in group if _bin(s.turn.confidence) == b]
            if not members:
                out.append(f"| {setting} | {b / BINS:.1f}-{(b + 1) / BINS:.1f} | 0 | | | 0 | | |")
                continue
            words = sum(t.words for t in members)
            out.append(
                f"| {setting} | {b / BINS:.1f}-{(b + 1) / BINS:.1f} | {len(members)} "
                f"| {sum(t.confidence for t in members) / len(members):.3f} "
                f"| {sum(t.right for t in members) / len(members):.3f} | {words} "
                f"| {sum(t.confidence * t.words for t in members) / words:.3f} "
                f"| {1 - sum(t.wrong for t in members) / words:.3f} |")
    return out


def groups(samples: Sequence[Sample]) -> list[tuple[str, list[Sample]]]:
    """(name, samples) by number of speakers, by kind, unsupported turns, and all."""
    out = []
    for size in ("2", "3-4", "5+"):
        out.append((f"{size} speakers", [s for s in samples if size_bucket(s.speakers) == size]))
    out += [(kind, [s for s in samples if s.kind == kind]) for kind in KINDS]
    out.append(("unsupported", [s for s in samples if not s.turn.doubt.supported]))
    out.append(("**all**", list(samples)))
    return [(name, group) for name, group in out if group]


def calibration(samples: Sequence[Sample]) -> list[str]:
    out = ["| setting | group | turns | mean conf | right turns | ECE turns | ECE words | Brier |",
           "|---|---|---:|---:|---:|---:|---:|---:|"]
    for setting in dict.fromkeys(s.setting for s in samples):
        for name, group in groups([s for s in samples if s.setting == setting]):
            turns = [s.turn for s in group]
            brier = sum((t.confidence - t.right) ** 2 for t in turns) / len(turns)
            out.append(
                f"| {setting} | {name} | {len(turns)} "
                f"| {sum(t.confidence for t in turns) / len(turns):.3f} "
                f"| {sum(t.right for t in turns) / len(turns):.3f} "
                f"| {ece([(t.confidence, float(t.right), 1.0) for t in turns]):.3f} "
                f"| {ece([(t.confidence, t.share, t.words) for t in turns]):.3f} | {brier:.3f} |")
    return out


def review(samples: Sequence[Sample]) -> list[str]:
    out = ["| setting | group | misattributed words | caught | turns flagged | words flagged |",
           "|---|---|---:|---:|---:|---:|"]
    for setting in dict.fromkeys(s.setting for s in samples):
        for name, group in groups([s for s in samples if s.setting == setting]):
            words = sum(s.turn.words for s in group)
            wrong = sum(s.turn.wrong for s in group)
            caught = sum(s.turn.wrong for s in group if s.flagged)
            out.append(f"| {setting} | {name} | {wrong / max(words, 1):.3f} "
                       f"| {caught / max(wrong, 1):.3f} "
                       f"| {sum(s.flagged for s in group) / len(group):.3f} "
                       f"| {sum(s.turn.words for s in group if s.flagged) / max(words, 1):.3f} |")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a fixed fifth of the conversations")
    parser.add_argument("--only", action="append", default=[], choices=[*SETTINGS, *DIARIZED],
                        metavar="SETTING", help="settings to run (default: the text-only ones)")
    parser.add_argument("--diarized", action="store_true", help="also the diarized settings")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    conversations = reserved_conversations(args.quick)
    settings = args.only or list(SETTINGS) + (list(DIARIZED) if args.diarized else [])
    fitted = rule()
    print(f"{len(conversations)} reserved conversations; review rule: confidence below "
          f"{fitted.review_below:g} and (1 - confidence) x words >= {fitted.min_expected:g}")
    tasks = sorted(((s, c) for s in settings for c in conversations),
                   key=lambda task: -sum(len(t.text) for t in task[1].turns))
    if args.jobs > 1:
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            results = list(pool.imap(run, tasks, chunksize=1))
    else:
        results = [run(task) for task in tasks]
    every = [*SETTINGS, *DIARIZED]
    samples = [s for _, found in sorted(zip(tasks, results), key=lambda r: (
        every.index(r[0][0]), r[0][1].id)) for s in found]
    print("\n### Reliability\n")
    print("\n".join(reliability(samples)))
    print("\n### Calibration by group\n")
    print("\n".join(calibration(samples)))
    print("\n### Review list\n")
    print("\n".join(review(samples)))
    print(f"\n{time.monotonic() - started:.0f} s wall, {args.jobs} jobs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
