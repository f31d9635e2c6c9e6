"""Choose the decoder's mixing weights for the learned models on held-out corpus conversations.

    python -m train.tune                      # score a few settings, print the table
    python -m train.tune --set learned.role=1 # one setting
    python -m train.tune --unknown-roles      # casts without roles, as editors often give them

The conversations are those ``train.speakers`` keeps out of training (``reserved``): every
tenth of each source. Each is cut into ASR-like lines, given its cast (names and roles as
the corpus has them) and attributed by the tool; the score is the share of words named
right and the F1 of changes of speaker between units. The dev conversations are never
used here.
"""

from __future__ import annotations

import argparse
import statistics
import sys

from cleaner import Options, clean
from cleaner.attribute import attribute
from cleaner.attribute.evaluate import change_f1
from cleaner.correct.packs import CastMember

from .asr_lines import PREFIX_LINES, simulate, to_markdown
from .corpus import SOURCES, load
from .speakers import reserved

PER_SOURCE = 3
MAX_LINES = 350


def held_out(per_source: int = PER_SOURCE):
    """Reserved conversations with at least two regular speakers, ``per_source`` of each."""
    for source in SOURCES:
        taken = 0
        for number, conversation in enumerate(load([source])):
            if taken >= per_source:
                break
            if not reserved(number) or len(conversation.roles) > 8:
                continue
            taken += 1
            yield conversation


def prepared(conversation, unknown_roles: bool = False, start: int = 0,
             max_lines: int = MAX_LINES):
    """``(source, lines, cleaned base, cast)`` of ASR-like lines ``start`` to ``start + max_lines``
    of a conversation, its cast the people who speak in them."""
    lines = simulate(conversation)[start:start + max_lines]
    markdown = to_markdown(lines, conversation.id)
    base = clean(markdown, path="held-out.md", options=Options(speakers=False))
    used = {speaker for line in lines for _, speaker in line.chunks}
    roles = {"host": "host", "guest": "guest", "other": "other"}
    cast = [CastMember(name=name, role="unknown" if unknown_roles else roles.get(role, "unknown"))
            for name, role in conversation.roles.items() if name in used]
    return conversation.source, lines, base, cast


def score(item, weights) -> tuple[float, float, int]:
    """(named word accuracy, change F1, words) of one conversation under ``weights``."""
    _, lines, base, cast = item
    done = attribute(base.transcript, base.corrected, base.edits, cast=cast, weights=weights)
    right = total = 0
    gold_path, guess_path = [], []
    for _, words, gold, label in unit_gold(lines, base, done):
        total += words
        right += words * (label.speaker == gold)
        gold_path.append(gold)
        guess_path.append(label.speaker)
    return right / max(total, 1), change_f1(guess_path, gold_path), total


def gold_speaker(lines, transcript, unit) -> str | None:
    """The gold speaker where a unit's text starts in the simulated ``lines`` (None: no text)."""
    piece = unit.pieces[0]
    segment = transcript.segments[piece.segment]
    text = segment.text[piece.start:]
    if not text.strip():
        return None
    offset = piece.start + len(text) - len(text.lstrip())
    return lines[segment.line - PREFIX_LINES - 1].speaker_at(offset)


def unit_gold(lines, base, done):
    """``(unit number, words, gold speaker, label)`` of every unit with text."""
    out = []
    for number, (unit, label) in enumerate(zip(done.units, done.labels)):
        gold = gold_speaker(lines, base.transcript, unit)
        if gold is not None:
            out.append((number, len(unit.text.split()), gold, label))
    return out


SETTINGS = {
    "hand-made only": {"learned.change": 0, "learned.role": 0, "learned.affinity": 0},
    "change": {"learned.role": 0, "learned.affinity": 0},
    "change-0.5": {"learned.role": 0, "learned.affinity": 0, "learned.change-shift": -0.5},
    "change+0.5": {"learned.role": 0, "learned.affinity": 0, "learned.change-shift": 0.5},
    "change+role0.5": {"learned.role": 0.5, "learned.affinity": 0},
    "change+role1": {"learned.role": 1.0, "learned.affinity": 0},
    "change+role1 no hand role": {"learned.role": 1.0, "learned.affinity": 0, "role.question": 0,
                                  "role.question-plain": 0, "role.ask": 0, "role.you": 0,
                                  "role.i": 0, "role.short": 0},
    "all, affinity 0.5": {"learned.affinity": 0.5},
    "all, half change + half hand-made": {"learned.change": 0.5, "learned.hand-made": 0.5},
    "all, change 0.7": {"learned.change": 0.7},
    "all, affinity 1": {"learned.affinity": 1.0},
    "all, affinity 2": {"learned.affinity": 2.0},
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--only", action="append", default=[], help="settings to run (names)")
    parser.add_argument("--unknown-roles", action="store_true",
                        help="give every cast member the role 'unknown' (the decoder guesses a host)")
    parser.add_argument("--per-source", type=int, default=PER_SOURCE,
                        help=f"held-out conversations of each source (default {PER_SOURCE})")
    args = parser.parse_args(argv)
    items = [prepared(c, args.unknown_roles) for c in held_out(args.per_source)]
    print(f"{len(items)} held-out conversations: "
          + ", ".join(f"{s} {sum(1 for i in items if i[0] == s)}" for s in SOURCES))
    settings = SETTINGS
    if args.set:
        settings = {"given": {n: float(v) for n, v in (x.split("=", 1) for x in args.set)}}
    elif args.only:
        settings = {name: SETTINGS[name] for name in args.only}
    print(f"{'setting':30s} {'named':>6s} {'chgF1':>6s}  per source (named)")
    for name, weights in settings.items():
        results = [(item[0], *score(item, weights)) for item in items]
        named = statistics.mean(r[1] for r in results)
        f1 = statistics.mean(r[2] for r in results)
        per = "  ".join(f"{s} {statistics.mean(r[1] for r in results if r[0] == s):.3f}"
                        for s in SOURCES if any(r[0] == s for r in results))
        print(f"{name:30s} {named:6.3f} {f1:6.3f}  {per}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
