"""The attribution benchmark: who speaks, measured on the corpus conversations kept out of training.

    python bench/attribution.py                # every reserved conversation, every setting
    python bench/attribution.py --quick        # a fixed sample (about a fifth), for iterating
    python bench/attribution.py --only a.names # settings by name (repeatable)
    python bench/attribution.py --jobs 2       # worker processes (default: 2)
    python bench/attribution.py --set voices.pairs=1  # a weight for the text-only settings

The conversations are the reserved split of every source (``train.speakers.reserved``:
every tenth conversation of each source), whole, less the few that ``train.tune`` chose the
decoder's mixing weights on (its first three of each source): nothing measured here was
trained or tuned on. Settings:

- ``a.*``, **gold turns as clusters**: each conversation as a diarized machine transcript
  (``Speaker N:`` blocks, ``train/diarize.py``) whose clusters are exactly the gold turns,
  named with ``--trust-diarization``; the cast given with names and roles (``a.roles``),
  names only, every role ``unknown`` (``a.names``), or not given (``a.none``). The best
  naming names every word.
- ``b.*``, **simulated diarizer errors** (cast: names only): one person split over two
  clusters, short spurious clusters, words moved across turn edges, two voices merged;
  repairs allowed; and a recording that opens with a clip of a guest (``b.cold-open``, as
  many shows do). Each row shows the best naming of those clusters (``ceiling``) next to it.
- ``c.*``, **text only**: Whisper-like lines (``train/asr_lines.py``) with the cast's names
  and roles (``c.roles``) or names only (``c.names``), and a caption-style copy
  (``c.captions``: lower case, no punctuation, names and roles), or no cast at all
  (``c.none``: the people the text names are found, else the voices stay anonymous, which
  ``mapped`` still scores). ``c.gold-turns`` gives the voices and names stages the gold
  changes of speaker (as ``c.roles`` otherwise): what they make of perfect turns. Columns
  add the share of words under the best one-to-one mapping of voices to people
  (``mapped``), the F1 of changes of speaker between units (``chg F1``) and the majority
  baseline (``major``: every word given to the speaker with the most words). A second table says where the guessed
  changes fall: at true changes, or inside a sentence the input did not break (issue 20).

For text only the columns read as the three stages of attribution: ``chg F1`` the turns,
``mapped`` the voices (who is who, whatever their names), ``named`` the names.

``named`` is the share of words whose speaker names the gold speaker (as ``cleaner eval``
matches names: a first name names the one gold speaker who has it). Every number is a mean
over conversations, by number of speakers (2, 3-4, 5+) and by kind (the corpus record's);
``all`` is the mean over every conversation. ``ms/h`` is CPU time per hour of audio (words at
2.6 per second): of naming and repair for the diarized settings (the cues they read are
shared with the rest of attribution), of the whole attribution for text only.
Deterministic: the same corpus gives the same table.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner import Options, clean  # noqa: E402
from cleaner.attribute import Attribution, attribute  # noqa: E402
from cleaner.attribute.cues import FORCED, Clue, goes_on  # noqa: E402
from cleaner.attribute.setting import prepare  # noqa: E402
from cleaner.attribute.stages import name_voices  # noqa: E402
from cleaner.attribute.voices.track import track_voices  # noqa: E402
from cleaner.attribute.names.clusters import Stage  # noqa: E402
from cleaner.attribute.evaluate import _NameResolver, best_label_mapping, change_f1  # noqa: E402
from cleaner.read import read_text  # noqa: E402
from cleaner.segment.units import ends_sentence  # noqa: E402

from train.asr_lines import PREFIX_LINES, caption_style, captioned, simulate, to_markdown  # noqa: E402
from train.corpus import SOURCES, Conversation, load  # noqa: E402
from train.diarize import WORDS_PER_SECOND, cast_of, ceiling, diarized  # noqa: E402
from train.speakers import reserved  # noqa: E402
from train.tune import gold_speaker, held_out, unit_gold  # noqa: E402

SETTINGS = {
    "a.roles": ("diarized", "gold", "roles"),
    "a.names": ("diarized", "gold", "names"),
    "a.none": ("diarized", "gold", "none"),
    "b.split": ("diarized", "split", "names"),
    "b.spurious": ("diarized", "spurious", "names"),
    "b.edges": ("diarized", "edges", "names"),
    "b.merged": ("diarized", "merged", "names"),
    "b.cold-open": ("diarized", "cold-open", "names"),
    "c.roles": ("text", "lines", "roles"),
    "c.names": ("text", "lines", "names"),
    "c.captions": ("text", "captions", "roles"),
    "c.none": ("text", "lines", "none"),
    "c.gold-turns": ("text", "gold-turns", "roles"),
}
TEXT_WEIGHTS: dict[str, float] = {}  # --set: weights for the text-only settings
QUICK_EVERY = 5   # --quick: every fifth reserved conversation of each source


@dataclass
class Score:
    setting: str
    conversation: str
    kind: str
    speakers: int
    words: int
    named: float
    ceiling: float | None = None
    mapped: float | None = None
    change_f1: float | None = None
    majority: float | None = None
    seconds: float = 0.0
    placement: Counter | None = None  # where the guessed and the true changes fall (text only)


def reserved_conversations(quick: bool = False) -> list[Conversation]:
    """The reserved split of every source, in corpus order, less the conversations
    ``train.tune`` looks at (``--quick``: a fixed sample)."""
    tuned = {conversation.id for conversation in held_out()}
    out = []
    for source in SOURCES:
        kept = 0
        for number, conversation in enumerate(load([source])):
            if not reserved(number) or conversation.id in tuned:
                continue
            if not quick or kept % QUICK_EVERY == 0:
                out.append(conversation)
            kept += 1
    return out


def size_bucket(speakers: int) -> str:
    return "2" if speakers <= 2 else "3-4" if speakers <= 4 else "5+"


def score_diarized(conversation: Conversation, perturbation: str, cast_kind: str,
                   setting: str) -> Score:
    made = diarized(conversation, perturbation)
    cast = cast_of(conversation, cast_kind)
    transcript = read_text(made.text, "bench.md", None)
    stage = Stage.build(transcript, cast=cast, trust=perturbation in ("gold", "cold-open"))
    started = time.process_time()
    clusters, _, namings = stage.run()   # repair (with errors) and naming, cues read before
    seconds = time.process_time() - started
    named = {n.label: n.name or n.label for n in namings}
    resolver = _NameResolver(set(made.gold.values()), None)
    words_of_line: Counter = Counter()
    right = 0
    for unit, cluster in zip(stage.setting.units, clusters):
        line = transcript.segments[unit.first_segment].line
        gold = made.gold.get(line)
        if gold is None:
            continue
        words = len(unit.text.split())
        words_of_line[line] += words
        right += words * (resolver.resolve(named[cluster]) == gold)
    total = sum(words_of_line.values())
    return Score(setting, conversation.id, conversation.kind, len(set(made.gold.values())),
                 total, right / max(total, 1), ceiling=ceiling(made, words_of_line),
                 seconds=seconds)


def score_text(conversation: Conversation, copy: str, cast_kind: str, setting: str) -> Score:
    lines = original = simulate(conversation)
    if copy == "captions":
        lines = captioned(lines)
    base = clean(to_markdown(lines, conversation.id), path="bench.md",
                 options=Options(speakers=False))
    cast = cast_of(conversation, cast_kind)
    started = time.process_time()
    if copy == "gold-turns":
        done = attribute_gold_turns(base, cast, lines)
    else:
        done = attribute(base.transcript, base.corrected, base.edits, cast=cast,
                         weights=TEXT_WEIGHTS or None)
    seconds = time.process_time() - started
    resolver = _NameResolver({s for line in lines for _, s in line.chunks}, None)
    units = unit_gold(lines, base, done)
    weights = [words for _, words, _, _ in units]
    gold_path = [gold for _, _, gold, _ in units]
    guess_path = [label.speaker for _, _, _, label in units]
    total = sum(weights)
    named = sum(w for w, g, p in zip(weights, gold_path, guess_path)
                if resolver.resolve(p) == g) / max(total, 1)
    expanded_guess = [p for p, w in zip(guess_path, weights) for _ in range(w)]
    expanded_gold = [g for g, w in zip(gold_path, weights) for _ in range(w)]
    mapping = best_label_mapping(expanded_guess, expanded_gold)
    mapped = sum(w for w, g, p in zip(weights, gold_path, guess_path)
                 if p is not None and mapping.get(p) == g) / max(total, 1)
    by_speaker = Counter()
    for g, w in zip(gold_path, weights):
        by_speaker[g] += w
    majority = max(by_speaker.values(), default=0) / max(total, 1)
    f1 = change_f1(guess_path, gold_path)
    placement = change_placement(units, done, base, gold_ends(original, copy == "captions"))
    return Score(setting, conversation.id, conversation.kind, len(by_speaker), total, named,
                 mapped=mapped, change_f1=f1, majority=majority, seconds=seconds,
                 placement=placement)


def gold_ends(lines, captions: bool) -> list[list[bool]]:
    """For each input line, whether a sentence ends after each of its whitespace-separated
    words by the corpus's own punctuation (a caption-style copy: after each caption word)."""
    out = []
    for line in lines:
        flags: list[bool] = []
        for word in line.text.split():
            count = len(caption_style(word).split()) if captions else 1
            if count:
                flags += [False] * (count - 1) + [ends_sentence(word)]
        if flags or not captions:  # ``captioned`` drops the lines it leaves empty
            out.append(flags)
    return out


def change_placement(units, done, base, ends: list[list[bool]]) -> Counter:
    """Where guessed and true changes of speaker fall between units with text.

    ``in-sentence``: the unit after the change continues the sentence of the unit before (by
    the punctuation the attribution read: the input's, or what the punctuation model
    restored); ``mid-gold``: no sentence ends there by the corpus's own punctuation."""
    texts = [unit.text for unit in done.units]
    continues = goes_on(texts)
    segments = base.transcript.segments
    out: Counter = Counter()
    for (_, _, gold_before, label_before), (number, _, gold, label) in zip(units, units[1:]):
        piece = done.units[number].pieces[0]
        segment = segments[piece.segment]
        index = segment.line - PREFIX_LINES - 1
        words = len(segment.text[:piece.start].split())
        row = ends[index] if words else ends[index - 1] if index else []
        mid_gold = bool(row) and not row[words - 1 if words else -1]
        guessed, true = label.speaker != label_before.speaker, gold != gold_before
        out["boundaries"] += 1
        out["in-sentence boundaries"] += continues[number]
        out["true"] += true
        out["true in-sentence"] += true and continues[number]
        out["true mid-gold"] += true and mid_gold
        if guessed:
            out["guessed"] += 1
            out["guessed at true"] += true
            out["guessed in-sentence"] += continues[number]
            out["guessed in-sentence wrong"] += continues[number] and not true
            out["guessed mid-gold"] += mid_gold
            out["guessed mid-gold wrong"] += mid_gold and not true
    return out


def attribute_gold_turns(base, cast, lines) -> Attribution:
    """The voices and names stages given the gold changes of speaker instead of the turns
    stage's: a change forced at every unit whose gold speaker differs from the last unit's
    with text, and none elsewhere."""
    setting = prepare(base.transcript, base.corrected, base.edits, cast)
    changes, previous = [], None
    for unit in setting.units:
        gold = gold_speaker(lines, base.transcript, unit)
        if gold is None:
            continue
        if previous is not None:
            changes.append(Clue(unit.index, "gold", "boundary",
                                FORCED if gold != previous else -FORCED, "the gold turns"))
        previous = gold
    decoding, clues = track_voices(setting, changes, {})
    return name_voices(setting, decoding, clues, {})


def run(task: tuple[str, Conversation]) -> Score:
    setting, conversation = task
    mode, variant, cast_kind = SETTINGS[setting]
    if mode == "diarized":
        return score_diarized(conversation, variant, cast_kind, setting)
    return score_text(conversation, variant, cast_kind, setting)


COLUMNS = ("named", "ceiling", "mapped", "change_f1", "majority")
HEADS = {"named": "named", "ceiling": "ceiling", "mapped": "mapped", "change_f1": "chg F1",
         "majority": "major"}


def table(scores: list[Score]) -> list[str]:
    """One Markdown table: a row per setting and group (size, kind, all)."""
    out = ["| setting | group | convs | named | ceiling | mapped | chg F1 | major | ms/h |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    by_setting: dict[str, list[Score]] = defaultdict(list)
    for score in scores:
        by_setting[score.setting].append(score)
    for setting in SETTINGS:
        group = by_setting.get(setting)
        if not group:
            continue
        groups: dict[str, list[Score]] = defaultdict(list)
        for score in group:
            groups[f"{size_bucket(score.speakers)} speakers"].append(score)
            groups[score.kind].append(score)
            groups["all"].append(score)
        order = ["2 speakers", "3-4 speakers", "5+ speakers", "interview", "panel", "debate",
                 "meeting", "all"]
        for name in order:
            members = groups.get(name)
            if not members:
                continue
            cells = []
            for column in COLUMNS:
                values = [getattr(s, column) for s in members if getattr(s, column) is not None]
                cells.append(f"{statistics.mean(values):.3f}" if values else "")
            hours = sum(s.words for s in members) / WORDS_PER_SECOND / 3600
            ms = 1000 * sum(s.seconds for s in members) / max(hours, 1e-9)
            label = f"**{name}**" if name == "all" else name
            out.append(f"| {setting} | {label} | {len(members)} | " + " | ".join(cells)
                       + f" | {ms:.0f} |")
    return out


PLACEMENT = ("guessed", "guessed at true", "guessed in-sentence", "guessed in-sentence wrong",
             "guessed mid-gold", "guessed mid-gold wrong", "true", "true in-sentence",
             "true mid-gold")


def placement_table(scores: list[Score]) -> list[str]:
    """Where changes fall, summed over conversations (text-only settings): how many guessed
    changes are true ones, and how many cut a sentence (``in-sent``: one the attribution read
    as unbroken; ``mid-gold``: no sentence end in the corpus text). ``/100`` columns are per
    hundred guessed changes. Meetings apart: there people cut in mid-sentence, and most
    changes inside sentences are true."""
    out = ["| setting | group | guessed | at true % | in-sent | in-sent wrong | in-sent /100 "
           "| mid-gold | mid-gold wrong | mid-gold /100 | true | true in-sent | true mid-gold |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    groups = {"not meetings": lambda s: s.kind != "meeting",
              "meetings": lambda s: s.kind == "meeting", "**all**": lambda s: True}
    for setting in SETTINGS:
        for group, member in groups.items():
            total: Counter = Counter()
            for score in scores:
                if score.setting == setting and score.placement and member(score):
                    total.update(score.placement)
            if not total:
                continue
            guessed = max(total["guessed"], 1)
            cells = [total[name] for name in PLACEMENT]
            out.append(f"| {setting} | {group} | {cells[0]} | {100 * cells[1] / guessed:.1f} | "
                       f"{cells[2]} | {cells[3]} | {100 * cells[2] / guessed:.2f} | {cells[4]} | "
                       f"{cells[5]} | {100 * cells[4] / guessed:.2f} | {cells[6]} | {cells[7]} | "
                       f"{cells[8]} |")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a fixed fifth of the conversations")
    parser.add_argument("--only", action="append", default=[], choices=list(SETTINGS),
                        metavar="SETTING", help="settings to run (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a decoder weight for the text-only settings (repeatable)")
    args = parser.parse_args(argv)
    TEXT_WEIGHTS.update({k: float(v) for k, v in (item.split("=", 1) for item in args.set)})
    started = time.monotonic()
    conversations = reserved_conversations(args.quick)
    settings = args.only or list(SETTINGS)
    kinds = Counter(c.kind for c in conversations)
    print(f"{len(conversations)} reserved conversations ("
          + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) + f"), "
          f"{sum(len(t.text.split()) for c in conversations for t in c.turns):,} words",
          flush=True)
    # Longest first, so the workers finish together.
    tasks = sorted(((s, c) for s in settings for c in conversations),
                   key=lambda task: -sum(len(t.text) for t in task[1].turns))
    if args.jobs > 1:
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            scores = list(pool.imap_unordered(run, tasks, chunksize=1))
    else:
        scores = [run(task) for task in tasks]
    scores.sort(key=lambda s: (list(SETTINGS).index(s.setting), s.conversation))
    print("\n".join(table(scores)))
    if any(score.placement for score in scores):
        print()
        print("\n".join(placement_table(scores)))
    print(f"\n{time.monotonic() - started:.0f} s wall, {args.jobs} jobs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
