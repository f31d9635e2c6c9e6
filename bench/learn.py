"""Benchmark ``learn`` and ``suggest`` on editor-corrected pairs (shared/eval/pairs-dev).

For every episode of a show, rules are learned from the show's other episodes (each a raw
``*.ai.md`` and its ``*.reviewed.md``), then applied to this episode's raw transcript, and
the edits are compared with this episode's reviewed version:

- word corrections: the reviewer's replaced words plus mid-sentence case changes, found by
  aligning raw and reviewed word by word (``learn.word_corrections``); not counted: case
  changes at sentence starts, words only inserted or deleted, punctuation, speaker labels,
  timestamps, headings;
- precision: share of applied edits that produce exactly the reviewer's words there;
- recall: share of the reviewer's word corrections reproduced exactly by an edit.

``suggest`` is scored the same way, applying the rules ``suggest --write PACK`` adds by
default (``--accept all``: every candidate shown that is not made of ordinary words), with
the shipped packs loaded as the command loads them. Its known names are the speakers listed in the episode's front matter
plus a glossary an editor of the show would have: the names and terms of the show's other
reviewed episodes (``glossary_of``). A show is the first word of the file name.

    python bench/learn.py [PAIRS_DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, median_time  # noqa: E402

from cleaner.words import english  # noqa: E402
from cleaner.learn.align import transcript_words  # noqa: E402
from cleaner.correct.apply import propose_rule_edits  # noqa: E402
from cleaner.edits import build_stream, resolve  # noqa: E402
from cleaner.learn.learn import learn, pair_up, word_corrections  # noqa: E402
from cleaner.learn.packedit import merge_rules, new_pack_text  # noqa: E402
from cleaner.correct.packs import compile_rules, load_library, parse_pack  # noqa: E402
from cleaner.read import read_text  # noqa: E402
from cleaner.read.published import listed_speakers  # noqa: E402
from cleaner.commands.suggest import accepted  # noqa: E402
from cleaner.learn.suggest import known_names, suggest  # noqa: E402

def _default_dir() -> Path:
    """``shared/eval/pairs-dev`` beside the repository or any folder above it."""
    for folder in Path(__file__).resolve().parents:
        candidate = folder / "shared" / "eval" / "pairs-dev"
        if candidate.is_dir():
            return candidate
    return Path("shared/eval/pairs-dev")


DEFAULT_DIR = _default_dir()


def load(path: Path):
    """A transcript read from a file."""
    return read_text(path.read_text(encoding="utf-8"), str(path))


def episodes(folder: Path) -> dict[str, list[Path]]:
    """Raw files by show."""
    shows: dict[str, list[Path]] = defaultdict(list)
    for raw in sorted(folder.glob("*.ai.md")):
        shows[raw.name.split("-", 1)[0].split("_", 1)[0]].append(raw)
    return shows


def reviewed(raw: Path) -> Path:
    return raw.with_name(raw.name.replace(".ai.md", ".reviewed.md"))


def learned_rules(training: list[Path], extra: list | None = None) -> list:
    """Rules learned from each training pair, merged into one pack as ``--into`` would
    (then ``extra`` rules, as ``suggest --write`` into the same pack would)."""
    text = new_pack_text("bench", "Learned.")
    for raw in training:
        result = learn(load(raw), load(reviewed(raw)))
        text = merge_rules(text, "bench.yaml", result.rules).text
    if extra:
        text = merge_rules(text, "bench.yaml", extra).text
    return list(parse_pack(text.encode(), "bench.yaml").rules)


def glossary_of(training: list[Path]) -> list[str]:
    """Names and terms of reviewed transcripts: words capitalised in mid-sentence at least
    three times out of four, or with inner capitals or digits, that are not ordinary words."""
    counts: dict[str, list] = defaultdict(lambda: [0, 0, ""])
    for raw in training:
        for word in transcript_words(load(reviewed(raw))):
            if word.initial or len(word.text) < 3:
                continue
            entry = counts[word.key]
            entry[0] += 1
            if word.text[0].isupper() or any(ch.isupper() for ch in word.text[1:]):
                entry[1] += 1
                entry[2] = entry[2] or word.text.removesuffix("'s").removesuffix("’s")
    names = []
    for folded, (total, capital, form) in sorted(counts.items()):
        inner = any(ch.isupper() for ch in form[1:]) or any(ch.isdigit() for ch in form)
        if form and capital / total >= 0.75 and (inner or not english.is_common(folded)):
            names.append(form)
    return names


def correction_pairs(raw_path: Path) -> list[tuple[str, str]]:
    """The (raw words, corrected text) of each word correction of an episode."""
    pair = pair_up(load(raw_path), load(reviewed(raw_path)))
    return [(" ".join(w.key for w in pair.alignment.raw[c.i1:c.i2]),
             pair.corrected_text(c.j1, c.j2)) for c in word_corrections(pair)]


def seen_share(test: Path, training: list[Path]) -> tuple[int, int]:
    """How many of the test episode's corrections the training episodes also made (the
    same raw words corrected to the same text): an upper bound for learned rules."""
    seen = {item for raw in training for item in correction_pairs(raw)}
    mine = correction_pairs(test)
    return sum(item in seen for item in mine), len(mine)


def score(raw_path: Path, rules) -> dict:
    """Apply ``rules`` to the raw episode; compare with its reviewed version."""
    raw, corrected = load(raw_path), load(reviewed(raw_path))
    pair = pair_up(raw, corrected)
    wanted = {(c.i1, c.i2) for c in word_corrections(pair)}
    stream = build_stream(raw)
    proposals = propose_rule_edits(stream, compile_rules(rules, ("bench",)), raw) if rules else []
    kept, _ = resolve(stream, proposals)
    correct, reproduced, wrong = 0, set(), []
    for proposal in kept:
        kind, change = pair.judge(proposal.start, proposal.end, proposal.after)
        if kind == "fixed":
            correct += 1
            if change is not None and (change.i1, change.i2) in wanted:
                reproduced.add((change.i1, change.i2))
        else:
            wrong.append(f"{stream.text[proposal.start:proposal.end]!r}->{proposal.after!r}")
    return {"corrections": len(wanted), "edits": len(kept), "correct": correct,
            "reproduced": len(reproduced), "wrong": wrong}


def suggestion_rules(raw_path: Path, training: list[Path]) -> tuple[list, int, list]:
    """Rules ``suggest --write`` would add for the raw episode, how many candidates it
    shows, and the accepted rules as written (for merging)."""
    raw = load(raw_path)
    library = load_library()
    known = known_names(glossary=glossary_of(training), packs=library.select(raw),
                        speakers=listed_speakers(raw))
    candidates = suggest(raw, known, ruleset=library.compile_for(raw))
    rules = [c.rule for c in accepted(candidates, ["all"]) if c.rule.examples]
    text = merge_rules(new_pack_text("suggested", "Suggested."), "suggested.yaml", rules).text
    return list(parse_pack(text.encode(), "suggested.yaml").rules), len(candidates), rules


def ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "  -  "


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", default=str(DEFAULT_DIR))
    parser.add_argument("--repeat", type=int, default=3, help="timing repeats (default 3)")
    parser.add_argument("--show-wrong", action="store_true", help="list wrong edits")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"no such folder: {folder}", file=sys.stderr)
        return 2
    print(f"{machine()}, pairs: {folder}")
    print()
    header = (f"{'show':<10} {'test episode':<38} {'train':>5} {'corr':>5} {'seen':>5} | "
              f"{'rules':>5} {'edits':>5} {'P':>5} {'R':>5} | "
              f"{'cands':>5} {'edits':>5} {'P':>5} {'R':>5} | {'edits':>5} {'P':>5} {'R':>5}")
    print(f"{'':<68}| {'learn':<23} | {'suggest':<23} | learn + suggest")
    print(header)
    print("-" * len(header))
    totals = defaultdict(int)
    wrong_all = []
    for show, raws in sorted(episodes(folder).items()):
        for test in raws:
            training = [r for r in raws if r != test]
            if not training:
                continue
            rules = learned_rules(training)
            learned = score(test, rules)
            suggested, candidates, suggested_learned = suggestion_rules(test, training)
            sugg = score(test, suggested)
            both = score(test, learned_rules(training, extra=suggested_learned))
            name = test.name.split("__")[-1].replace(".ai.md", "")[:38]
            seen, _ = seen_share(test, training)
            totals["seen"] += seen
            print(f"{show:<10} {name:<38} {len(training):>5} {learned['corrections']:>5} "
                  f"{seen:>5} | "
                  f"{len(rules):>5} {learned['edits']:>5} "
                  f"{ratio(learned['correct'], learned['edits']):>5} "
                  f"{ratio(learned['reproduced'], learned['corrections']):>5} | "
                  f"{candidates:>5} {sugg['edits']:>5} {ratio(sugg['correct'], sugg['edits']):>5} "
                  f"{ratio(sugg['reproduced'], sugg['corrections']):>5} | "
                  f"{both['edits']:>5} {ratio(both['correct'], both['edits']):>5} "
                  f"{ratio(both['reproduced'], both['corrections']):>5}")
            for label, result in (("learn", learned), ("suggest", sugg), ("both", both)):
                for key in ("edits", "correct", "reproduced"):
                    totals[f"{label}.{key}"] += result[key]
                wrong_all += [f"{name} [{label}] {w}" for w in result["wrong"]]
            totals["corrections"] += learned["corrections"]
    print("-" * len(header))
    c = totals["corrections"]
    print(f"{'all (micro)':<49} {c:>5} {totals['seen']:>5} | {'':>5} {totals['learn.edits']:>5} "
          f"{ratio(totals['learn.correct'], totals['learn.edits']):>5} "
          f"{ratio(totals['learn.reproduced'], c):>5} | {'':>5} {totals['suggest.edits']:>5} "
          f"{ratio(totals['suggest.correct'], totals['suggest.edits']):>5} "
          f"{ratio(totals['suggest.reproduced'], c):>5} | {totals['both.edits']:>5} "
          f"{ratio(totals['both.correct'], totals['both.edits']):>5} "
          f"{ratio(totals['both.reproduced'], c):>5}")
    print()
    print("corr: the reviewer's word corrections in the test episode; seen: how many of them "
          "the training episodes' reviewers also made (same raw words, same correction), an "
          "upper bound for learned rules; P: precision of the applied edits; R: recall of the "
          "word corrections.")
    if args.show_wrong:
        print()
        print("Edits the reviewer did not make:")
        for line in wrong_all:
            print("  " + line)
    print()
    _timing(folder, args.repeat)
    return 0


def _timing(folder: Path, repeat: int) -> None:
    """Median time to align and learn from each pair, and to suggest on its raw file."""
    print(f"{'pair':<50} {'words':>6} {'learn s':>8} {'suggest s':>10}   (median of {repeat}, "
          "after a warm-up run)")
    for raw in sorted(folder.glob("*.ai.md")):
        raw_t, corrected_t = load(raw), load(reviewed(raw))
        known = known_names(glossary=glossary_of([raw]), speakers=listed_speakers(raw_t))
        learning = median_time(lambda: learn(raw_t, corrected_t), repeat)
        suggesting = median_time(lambda: suggest(raw_t, known), repeat)
        words = len(transcript_words(raw_t))
        print(f"{raw.name.replace('.ai.md', '')[:50]:<50} {words:>6} {learning:>8.3f} "
              f"{suggesting:>10.3f}   ({len(known)} known names)")


if __name__ == "__main__":
    sys.exit(main())


