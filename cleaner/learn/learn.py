"""Learn rules from an editor's corrections: align a raw transcript with its corrected
version, and keep the substitutions that make safe rules.

A substitution becomes a rule only when all of these hold (else it is listed as skipped,
with the reason):

- the corrected form is a name or a term: a name the cast or a pack's cast knows (in any of
  its forms, see ``names_of``), or it has a capital the corrected text keeps in
  mid-sentence, inner capitals, digits or underscores, or a word that is not ordinary
  English (``english.is_common``);
- the raw form sounds or looks like it (a mishearing, not a rephrasing);
- it is consistent: every place the rule would match in the raw text was corrected to it,
  none was left as it was or corrected to something else;
- it is not ambiguous: a raw form that is an ordinary word (or only very common words)
  gets a ``near`` context condition learned from the words around its occurrences, or is
  skipped when none can be learned; a phrase of ordinary words needs two occurrences;
- it does not clash with an existing rule, and it passes its own examples
  (``selftest``), which are taken from the occurrences it was learned from.

Finally all learned rules are applied together to the raw text, and a variant whose edits
disagree with the corrected text is dropped, so on its own training pair the learned pack
makes no edit the editor did not make.

The steps live in their own modules: ``pair.py`` aligns the two files and finds the editor's
changes, ``safety.py`` holds the filters above, ``rules.py`` drafts the rules and their examples.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..words.names import name_forms
from ..correct.matcher import tokenize
from ..model import Transcript
from ..correct.packs import CastMember, Rule, compile_rules
from .pair import word_corrections  # noqa: F401 (API)
from .pair import _phrase_key, AlignedPair, pair_up
from .rules import category_of, self_check, slug, untouched, with_plurals  # noqa: F401 (API)
from .rules import _build_rules, _Candidate, LearnedRule, LearnOptions, Skipped
from .safety import _clean_span, _existing_variants, _judge, _verify, _without_possessive


@dataclass(frozen=True, slots=True)
class Learned:
    """What ``learn`` found."""

    rules: tuple[LearnedRule, ...]
    skipped: tuple[Skipped, ...]
    ratio: float
    raw_words: int
    corrected_words: int
    changes: int


def learn(raw: Transcript, corrected: Transcript, existing: Sequence[Rule] = (),
          options: LearnOptions | None = None) -> Learned:
    """Learn rules from a raw transcript and the editor's corrected version of it."""
    options = options or LearnOptions()
    pair = pair_up(raw, corrected, options.punctuation, options.min_ratio)
    alignment, found = pair.alignment, pair.changes
    skipped: list[Skipped] = []
    candidates = _candidates(pair, skipped)
    _count_occurrences(pair, candidates)
    accepted: dict[str, list[tuple[_Candidate, tuple[str, ...]]]] = defaultdict(list)
    existing_variants = _existing_variants(existing)
    taken_keys: set[str] = set()
    for candidate in sorted(candidates.values(), key=lambda c: c.key):
        base = candidates.get(candidate.key[:-1]) if candidate.key.endswith("s") else None
        if base is not None and base.key in taken_keys and base.after + "s" == candidate.after:
            skipped.append(Skipped(candidate.before, candidate.after, len(candidate.fixed),
                                   f"covered by the rule for {base.before!r} (plural ending)"))
            continue
        reason, near = _judge(pair, candidate, existing_variants, existing, options)
        if reason:
            skipped.append(Skipped(candidate.before, candidate.after, len(candidate.fixed) or
                                   sum(candidate.afters.values()), reason))
            continue
        taken_keys.add(candidate.key)
        accepted[candidate.after].append((candidate, near))
    rules = _build_rules(pair, accepted, existing, options, skipped)
    rules = _verify(pair, rules, skipped)
    # A form the editor mostly kept as it was ("and" -> "And" here, "and" there) is no change
    # to learn or to tell the editor about.
    skipped = [item for item in skipped if item.before != item.after]
    return Learned(
        rules=tuple(rules), skipped=tuple(sorted(skipped, key=lambda s: (-s.count, s.before))),
        ratio=alignment.ratio, raw_words=len(alignment.raw),
        corrected_words=len(alignment.corrected), changes=len(found),
    )


def names_of(members: Sequence[CastMember]) -> frozenset[str]:
    """Every form of the members' names ("Jonas Lindqvist", "Jonas", "Lindqvist", aliases)."""
    return frozenset(form for member in members
                     for form, _ in name_forms(member.name, member.aliases))


def _candidates(pair: AlignedPair, skipped: list[Skipped]) -> dict[str, _Candidate]:
    """Group the substitutions by raw form."""
    candidates: dict[str, _Candidate] = {}
    broken: Counter = Counter()
    for change in pair.changes:
        before = pair.raw_text(change.i1, change.i2)
        after = pair.corrected_text(change.j1, change.j2)
        if not (_clean_span(before) and _clean_span(after)):
            broken[(before, after)] += 1
            continue
        before, after = _without_possessive(before, after)
        if change.kind == "case" and pair.alignment.corrected[change.j1].initial:
            continue  # capitalisation at a sentence start
        if change.kind == "case" and pair.alignment.raw[change.i1].initial and \
                not after[:1].isupper():
            continue
        name = _phrase_key(before)
        candidate = candidates.setdefault(name, _Candidate(name))
        candidate.forms[before] += 1
        candidate.afters[after] += 1
        candidate.kinds.add(change.kind)
    for (before, after), count in broken.items():
        skipped.append(Skipped(before, after, count, "crosses a sentence or clause break"))
    return candidates


def _count_occurrences(pair: AlignedPair, candidates: dict[str, _Candidate]) -> None:
    """Find where each raw form would match, and what the editor did there.

    Forms with the same correction will share a rule, so where their matches overlap only
    the one the rule would apply counts (leftmost, then longest).
    """
    ordered = sorted(candidates.values(), key=lambda c: c.key)
    rules = [Rule(id=f"c{n}", pack="learn", category="term", replace=c.after, match=(c.before,))
             for n, c in enumerate(ordered)]
    ruleset = compile_rules(rules)
    by_after: dict[str, list] = defaultdict(list)
    for hit in ruleset.index.find(pair.stream.text, tokenize(pair.stream.text)):
        by_after[ordered[hit.rule].after].append(hit)
    for hits in by_after.values():
        hits.sort(key=lambda h: (h.start, -(h.end - h.start), h.rule))
        reach = -1
        for hit in hits:
            if hit.start < reach:
                continue
            reach = hit.end
            _count_hit(pair, ordered[hit.rule], hit)


def _count_hit(pair: AlignedPair, candidate: _Candidate, hit) -> None:
    i1, i2 = pair.words_at(hit.start, hit.end)
    suffix = pair.stream.text[hit.end : hit.end + hit.suffix]
    if pair.stream.text[hit.start : hit.end] == candidate.after:
        return  # already right: the rule would change nothing here
    kind, wrote = pair.verdict(i1, i2, candidate.after + suffix)
    if kind == "fixed":
        candidate.fixed.append((i1, i2))
    elif kind == "kept":
        candidate.kept += 1
    else:
        candidate.other[wrote or "(part of a longer change)"] += 1


__all__ = ["AlignedPair", "LearnOptions", "Learned", "LearnedRule", "Skipped", "category_of",
           "learn", "names_of", "pair_up", "self_check", "slug", "untouched", "with_plurals",
           "word_corrections"]
