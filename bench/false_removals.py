"""False removals of the tidy passes on human transcripts: the stutter and loop passes over
the speaker-labelled corpus (``shared/corpus``).

    python bench/false_removals.py [--sources changelog,btc,debates,meetings] [--limit N]
                                   [--top K] [--derive]

People wrote these transcripts, so the loop detector must remove nothing there: every loop
removal is a false one. The stutter pass is judged on the sources edited for readability
(changelog, btc, debates: the transcribers removed disfluencies, so a repeat they kept is
speech, not a stutter); the near-verbatim meetings (AMI, ICSI) keep real stutters, and their
removals are counted apart. Removals whose copies stand with nothing but a space between
them ("to have to have") are counted apart too: a comma or dash between the copies ("the,
the", "and - and") is how these transcribers mark a false start they chose to keep, which the
clean style removes on purpose. Each conversation is read as plain text with one line per
turn, the layout of a human transcript, and prints the counts per source, the repeats
removed most often, and every loop with its text.

``--derive`` lists the repeats the stutter pass keeps as grammatical
(``cleaner.tidy.stutter.GRAMMATICAL``), found again from the corpus with that list turned
off: space-separated repeats the edited sources keep at least ``DERIVE_MIN`` times, at a
rate of at least ``DERIVE_RATIO`` times the rate of the verbatim meetings.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT  # noqa: E402
from cleaner.edits import build_stream  # noqa: E402
from cleaner.read import read_text  # noqa: E402
from cleaner.tidy.loops import find_loops  # noqa: E402
from cleaner.tidy import stutter  # noqa: E402
from cleaner.tidy.stutter import propose_stutters  # noqa: E402
from cleaner.tidy.words import WORD, Words  # noqa: E402

CORPUS = Path(os.environ.get("CLEANER_CORPUS") or next(
    (p for p in (ROOT.parent / "shared" / "corpus", ROOT.parent.parent / "shared" / "corpus")
     if p.is_dir()), ROOT.parent / "shared" / "corpus"))
SOURCES = ("changelog", "btc", "debates", "meetings")
EDITED = ("changelog", "btc", "debates")  # edited for readability: a kept repeat is speech
DERIVE_MIN = 10
DERIVE_RATIO = 0.25


def conversations(source: str, limit: int | None = None) -> Iterator[dict]:
    """The conversations of one corpus file, in file order."""
    with gzip.open(CORPUS / f"{source}.jsonl.gz", "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if limit is not None and number >= limit:
                return
            yield json.loads(line)


def as_text(conversation: dict) -> str:
    """A conversation as a human transcript: one line per turn."""
    return "".join(" ".join(turn["text"].split()) + "\n" for turn in conversation["turns"])


def removals(text: str) -> tuple[list[tuple[bool, str]], list[str]]:
    """``(stutters, loops)``: for each stutter removal, whether only a space stood between
    the copies and the words removed; the text of each loop the detector would remove."""
    transcript = read_text(text, "corpus.txt", "plain")
    stream = build_stream(transcript)
    words = Words.of(stream.text)
    loops = [loop.text for loop in find_loops(stream, transcript, words) if loop.ranges]
    stutters = []
    for proposal in propose_stutters(stream.text, words):
        removed = stream.text[proposal.start : proposal.end]
        plain = all(char.isalnum() or char in " '’\n" for char in removed)
        stutters.append((plain, " ".join(WORD.findall(removed)).lower().replace("’", "'")))
    return stutters, loops


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", default=",".join(SOURCES))
    parser.add_argument("--limit", type=int, default=None, help="conversations per source")
    parser.add_argument("--top", type=int, default=25, help="repeats listed per source kind")
    parser.add_argument("--derive", action="store_true",
                        help="list the grammatical repeats again (the kept list turned off)")
    args = parser.parse_args()
    if args.derive:
        stutter.GRAMMATICAL = frozenset()
    totals: dict[str, Counter] = {}
    phrases = {"edited": Counter(), "verbatim": Counter()}
    loops_found: list[tuple[str, str]] = []
    for source in args.sources.split(","):
        counts = totals.setdefault(source, Counter())
        kind = "edited" if source in EDITED else "verbatim"
        for conversation in conversations(source, args.limit):
            text = as_text(conversation)
            stutters, loops = removals(text)
            counts["conversations"] += 1
            counts["words"] += len(text.split())
            counts["stutter"] += len(stutters)
            counts["spaced"] += sum(1 for plain, _ in stutters if plain)
            counts["loop"] += len(loops)
            phrases[kind].update(phrase for plain, phrase in stutters if plain)
            loops_found += [(conversation["id"], loop) for loop in loops]
    print(f"corpus: {CORPUS}")
    print(f"{'source':10} {'conversations':>13} {'words':>10} {'stutter removals':>17} "
          f"{'space only':>10} {'per 10k words':>13} {'loop removals':>13}")
    for source, counts in totals.items():
        rate = 1e4 * counts["stutter"] / max(counts["words"], 1)
        print(f"{source:10} {counts['conversations']:>13} {counts['words']:>10} "
              f"{counts['stutter']:>17} {counts['spaced']:>10} {rate:>13.2f} {counts['loop']:>13}")
    edited = [totals[s] for s in totals if s in EDITED]
    print(f"\nstutter false removals (edited sources): {sum(c['stutter'] for c in edited)}, "
          f"of them with only a space between the copies: {sum(c['spaced'] for c in edited)}")
    print(f"loop false removals (all sources): {sum(c['loop'] for c in totals.values())}")
    for kind, counter in phrases.items():
        if counter:
            print(f"\nmost removed space-separated repeats ({kind}): "
                  + ", ".join(f"{p!r} {n}" for p, n in counter.most_common(args.top)))
    for conversation, text in loops_found:
        print(f"loop: {conversation}: {text[:100]!r}")
    if args.derive:
        derive(phrases, totals)


def derive(phrases: dict[str, Counter], totals: dict[str, Counter]) -> None:
    """Print the repeats the edited sources keep about as often as verbatim speech has them."""
    edited_words = sum(c["words"] for s, c in totals.items() if s in EDITED)
    verbatim_words = sum(c["words"] for s, c in totals.items() if s not in EDITED)
    if not edited_words or not verbatim_words:
        print("\n--derive needs edited and verbatim sources")
        return
    found = []
    for phrase, kept in phrases["edited"].items():
        ratio = (kept / edited_words) / ((phrases["verbatim"][phrase] + 0.5) / verbatim_words)
        if kept >= DERIVE_MIN and ratio >= DERIVE_RATIO:
            found.append((ratio, kept, phrase))
    print(f"\ngrammatical repeats (kept >= {DERIVE_MIN} times, rate >= {DERIVE_RATIO} x verbatim):")
    for ratio, kept, phrase in sorted(found, reverse=True):
        print(f"  {phrase!r}: kept {kept} times, {ratio:.2f} x the verbatim rate")


if __name__ == "__main__":
    main()
