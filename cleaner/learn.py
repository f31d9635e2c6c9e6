"""Learn rules from an editor's corrections: align a raw transcript with its corrected
version, and keep the substitutions that make safe rules.

A substitution becomes a rule only when all of these hold (else it is listed as skipped,
with the reason):

- the corrected form is a name or a term: it has a capital the corrected text keeps in
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
"""

from __future__ import annotations

import bisect
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import regex

from . import english
from .align import (CLEAN_GAP, WORD, Alignment, Change, Word, align, changes, key,
                    transcript_words)
from .correct import propose_rule_edits
from .edits import build_stream, resolve
from .errors import CleanerError
from .matcher import tokenize, variant_keys
from .model import Transcript
from .packs import Context, Example, Rule, RuleSet, compile_rules
from .read import read_text
from .selftest import Case, apply_rules, check
from .similar import letters, sounds_alike

MIN_RATIO = 0.5  # below this share of aligned words, two files are not the same recording
PROPER_SHARE = 0.75  # a word is a proper noun when capitalised this often mid-sentence
PROPER_MIN_COMMON = 3  # ... seen at least this often mid-sentence, if it is an ordinary word
SHORT = 3  # letters; a raw form this short needs two corrected occurrences
MAX_NEAR = 8  # words in a learned ``near`` condition
EXAMPLE_WORDS = 5  # words of context either side in an example
CONTEXT_WINDOW = 12  # the ``near`` window (the rule default)
_JOINER = regex.compile(r"^[-./'’_]$")


@dataclass(frozen=True, slots=True)
class LearnOptions:
    """What ``learn`` keeps."""

    punctuation: bool = False  # also learn changes of inner punctuation ("peer to peer")
    min_count: int = 1  # corrected occurrences a rule needs
    min_ratio: float = MIN_RATIO
    source: str = ""  # name of the corrected file, for the rules' notes


@dataclass(frozen=True, slots=True)
class LearnedRule:
    """A rule learned from a pair, ready to be written into a pack."""

    id: str
    category: str
    replace: str
    match: tuple[str, ...]
    count: int
    examples: tuple[tuple[str, str], ...]
    keep: tuple[str, ...] = ()
    near: tuple[str, ...] = ()
    note: str = ""

    def as_rule(self, pack: str = "learned", path: str = "<learned>") -> Rule:
        """The rule as the matcher uses it."""
        return Rule(
            id=self.id, pack=pack, category=self.category, replace=self.replace,
            match=self.match, context=Context(near=self.near) if self.near else None,
            note=self.note or None,
            examples=tuple(Example(a, b, 0) for a, b in self.examples),
            keep=tuple(Example(text, text, 0) for text in self.keep), path=path,
        )


@dataclass(frozen=True, slots=True)
class Skipped:
    """A substitution that did not become a rule, and why."""

    before: str
    after: str
    count: int
    reason: str


@dataclass(frozen=True, slots=True)
class Learned:
    """What ``learn`` found."""

    rules: tuple[LearnedRule, ...]
    skipped: tuple[Skipped, ...]
    ratio: float
    raw_words: int
    corrected_words: int
    changes: int


@dataclass(slots=True)
class _Candidate:
    """All substitutions of one raw form (by key), and where the rule would match."""

    key: str
    forms: Counter = field(default_factory=Counter)
    afters: Counter = field(default_factory=Counter)
    fixed: list[tuple[int, int]] = field(default_factory=list)  # raw word ranges [i, j)
    kept: int = 0
    other: Counter = field(default_factory=Counter)
    kinds: set = field(default_factory=set)

    @property
    def before(self) -> str:
        return max(self.forms.items(), key=lambda item: (item[1], item[0]))[0]

    @property
    def after(self) -> str:
        return max(self.afters.items(), key=lambda item: (item[1], item[0]))[0]


class AlignedPair:
    """A raw transcript aligned with its corrected version, and lookups over the pair.

    ``verdict`` judges a change to the raw text against what the editor wrote there; the
    benchmark uses it to score rules on a pair they were not learned from.
    """

    def __init__(self, raw: Transcript, corrected: Transcript, alignment: Alignment,
                 found: list[Change]) -> None:
        self.raw = raw
        self.corrected = corrected
        self.alignment = alignment
        self.changes = found
        self.stream = build_stream(raw)
        words = alignment.raw
        self.word_starts = [self.stream.starts[w.segment] + w.start for w in words]
        self.by_span = {(c.i1, c.i2): c for c in found}
        self.touched: dict[int, Change] = {}
        for change in found:
            for index in range(change.i1, change.i2):
                self.touched[index] = change
        self.equal = alignment.raw_to_corrected()
        self.caps = _capitals(alignment.corrected)

    def raw_text(self, i1: int, i2: int) -> str:
        return _span_text(self.raw, self.alignment.raw, i1, i2)

    def corrected_text(self, j1: int, j2: int) -> str:
        return _span_text(self.corrected, self.alignment.corrected, j1, j2)

    def words_at(self, start: int, end: int) -> tuple[int, int]:
        """Raw word range ``[i, j)`` covering stream range ``[start, end)``."""
        first = bisect.bisect_left(self.word_starts, start)
        last = bisect.bisect_right(self.word_starts, end - 1)
        return first, max(last, first + 1)

    def judge(self, start: int, end: int, after: str) -> tuple[str, Change | None]:
        """Judge replacing stream text ``[start, end)`` by ``after``: ``(kind, the editor's
        change there)``, kind as in ``verdict``. A suffix the matcher carried ('s) counts."""
        text = self.stream.text
        suffix_end = end
        while suffix_end < len(text) and (text[suffix_end].isalnum() or text[suffix_end] in "'’"):
            suffix_end += 1
        i1, i2 = self.words_at(start, end)
        kind, _ = self.verdict(i1, i2, after + text[end:suffix_end])
        return kind, self.by_span.get((i1, i2))

    def verdict(self, i1: int, i2: int, produced: str) -> tuple[str, str]:
        """Judge text ``produced`` for raw words ``[i1, i2)``: ``(kind, what the editor wrote)``.

        kind is ``fixed`` (the editor wrote the same words), ``kept`` (the editor left the
        raw words as they were), or ``other``.
        """
        change = self.by_span.get((i1, i2))
        if change is not None:
            wrote = self.corrected_text(change.j1, change.j2)
            same = _word_texts(wrote) == _word_texts(produced)
            return ("fixed" if same else "other"), wrote
        if any(index in self.touched or index not in self.equal for index in range(i1, i2)):
            return "other", ""
        return "kept", self.raw_text(i1, i2)


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
    return Learned(
        rules=tuple(rules), skipped=tuple(sorted(skipped, key=lambda s: (-s.count, s.before))),
        ratio=alignment.ratio, raw_words=len(alignment.raw),
        corrected_words=len(alignment.corrected), changes=len(found),
    )


def pair_up(raw: Transcript, corrected: Transcript, punctuation: bool = False,
            min_ratio: float = MIN_RATIO) -> AlignedPair:
    """Align two transcripts of one recording; refuse two that are not the same recording."""
    alignment = align(transcript_words(raw), transcript_words(corrected))
    if alignment.ratio < min_ratio:
        raise CleanerError(
            f"{raw.path or 'RAW'} and {corrected.path or 'CORRECTED'} are not the same "
            f"recording: only {alignment.ratio:.0%} of their words align "
            f"(at least {min_ratio:.0%} needed)", corrected.path)
    found = changes(alignment)
    if punctuation:
        found += _joiner_changes(alignment)
    return AlignedPair(raw, corrected, alignment, found)


def word_corrections(pair: AlignedPair) -> list[Change]:
    """The editor's word corrections: replaced words, and case changes inside a sentence.

    Not counted: a change of case at a sentence start or of only very common words ("And"
    -> "and" where sentences were re-cut), words only inserted or deleted (fillers,
    repeats, additions), punctuation, speaker labels, timestamps and headings (which are
    not transcript words at all).
    """
    raw, corrected = pair.alignment.raw, pair.alignment.corrected
    out = []
    for change in pair.changes:
        if change.kind == "case":
            words = corrected[change.j1 : change.j2]
            if raw[change.i1].initial or words[0].initial or all(
                    english.is_very_common(word.text) for word in words):
                continue
        elif change.kind != "words":
            continue
        out.append(change)
    return out


# ------------------------------------------------------------------------------------------
# Substitutions


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


def _joiner_changes(alignment: Alignment) -> list[Change]:
    """Runs of aligned words whose inner separators became joiners ("peer to peer" ->
    "peer-to-peer"); only with ``--punctuation``."""
    out = []
    left, right = alignment.raw, alignment.corrected
    for tag, i1, i2, j1, _ in alignment.opcodes:
        if tag != "equal":
            continue
        start = None
        for offset in range(i2 - i1):
            raw_gap, new_gap = left[i1 + offset].gap, right[j1 + offset].gap
            joined = (offset < i2 - i1 - 1 and raw_gap is not None and new_gap is not None
                      and bool(_JOINER.match(new_gap)) and not _JOINER.match(raw_gap))
            if joined and start is None:
                start = offset
            elif not joined and start is not None:
                out.append(Change("punctuation", i1 + start, i1 + offset + 1, j1 + start,
                                  j1 + offset + 1))
                start = None
    return out


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


def _judge(pair: AlignedPair, candidate: _Candidate, existing: dict[tuple[str, ...], Rule],
           existing_rules: Sequence[Rule], options: LearnOptions) -> tuple[str, tuple[str, ...]]:
    """Why the candidate cannot be a rule ('' when it can), and its learned context."""
    before, after = candidate.before, candidate.after
    if len(candidate.afters) > 1:
        others = ", ".join(f"{a!r} ×{n}" for a, n in candidate.afters.most_common() if a != after)
        return f"corrected in different ways (also {others})", ()
    if key(before) == key(after) and after == after.lower():
        return "only lowercases it (a house style, not a mishearing)", ()
    punctuation = candidate.kinds == {"punctuation"}  # asked for with --punctuation
    if not punctuation and not _is_name_or_term(after, pair.caps):
        return "not a name or term (an edit of ordinary words)", ()
    if _only_ending_differs(before, after):
        return "only a plural or possessive ending differs (grammar, not a mishearing)", ()
    if not sounds_alike(before, after):
        return "not a mishearing (the two forms neither sound nor look alike)", ()
    chain = _changed_by(after, existing_rules)
    if chain:
        return f"its correction would be changed again by rule {chain!r}", ()
    rule = existing.get(tuple(variant_keys(before)))
    if rule is not None:
        if rule.replace == after:
            return f"already fixed by rule {rule.id!r}", ()
        return f"variant of rule {rule.id!r} (-> {rule.replace!r})", ()
    total = len(candidate.fixed) + candidate.kept + sum(candidate.other.values())
    if candidate.kept:
        return f"left as it was {candidate.kept} of {total} times", ()
    if candidate.other:
        what = ", ".join(f"{a!r} ×{n}" for a, n in candidate.other.most_common(3))
        return f"corrected otherwise {sum(candidate.other.values())} of {total} times ({what})", ()
    if not candidate.fixed:
        return "no occurrence the rule would match (alignment noise)", ()
    if len(candidate.fixed) < options.min_count:
        return f"seen {len(candidate.fixed)} times (--min-count {options.min_count})", ()
    words = WORD.findall(before)
    if len(letters(before)) <= SHORT and len(candidate.fixed) < 2:
        return f"a short form ({SHORT} letters or fewer) corrected only once", ()
    if all(english.is_very_common(w) for w in words) or (len(words) == 1 and english.is_known(words[0])):
        near = _learn_near(pair, candidate)
        if not near:
            return "an ordinary word, and no context condition could be learned", ()
        return "", near
    joined = letters(before) == letters(after)  # "time locks" -> "timelocks": only spacing
    if all(english.is_common(w) for w in words) and len(candidate.fixed) < 2 and not joined:
        return "ordinary words, corrected only once", ()
    return "", ()


def _changed_by(text: str, rules: Sequence[Rule]) -> str:
    """The id of a literal rule that would change ``text`` ('' if none)."""
    literal = [rule for rule in rules if rule.match and rule.context is None]
    if not literal:
        return ""
    for rule in literal:
        if any(key(variant) in key(text) for variant in rule.match):
            if apply_rules(text, [rule], (rule.pack,))[0] != text:
                return rule.id
    return ""


def _is_name_or_term(text: str, caps: dict[str, tuple[int, int]]) -> bool:
    """True when some word of ``text`` marks it as a name or a term (see module docstring)."""
    for word in WORD.findall(text):
        folded = key(word)
        if len(word) < 2 or folded == "i" or folded.startswith("i'"):
            continue
        has_letter = any(ch.isalpha() for ch in word)
        if has_letter and any(ch.isdigit() for ch in word):
            return True
        if "_" in word.strip("_"):
            return True
        if any(ch.isupper() for ch in word[1:]) and not english.is_common(word):
            return True
        if word[0].isupper():
            mid, capital = caps.get(folded, (0, 0))
            common = english.is_common(word)
            if mid >= (PROPER_MIN_COMMON if common else 1) and capital / mid >= PROPER_SHARE:
                return True
            if not common and not mid:
                return True
        elif has_letter and not english.is_common(word):
            return True
    return False


def _capitals(words: tuple[Word, ...]) -> dict[str, tuple[int, int]]:
    """Key -> (mid-sentence occurrences, how many of them capitalised)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for word in words:
        if not word.initial:
            entry = counts[word.key]
            entry[0] += 1
            entry[1] += word.text[0].isupper()
    return {name: (a, b) for name, (a, b) in counts.items()}


def _learn_near(pair: AlignedPair, candidate: _Candidate) -> tuple[str, ...]:
    """Words that occur near every corrected occurrence (greedy cover), or () if none do."""
    if len(candidate.fixed) < 2:
        return ()
    words = pair.alignment.raw
    own = set(_word_keys(candidate.before))
    around: list[set[str]] = []
    for i1, i2 in candidate.fixed:
        keys = {w.key for w in words[max(0, i1 - CONTEXT_WINDOW) : i1]}
        keys |= {w.key for w in words[i2 : i2 + CONTEXT_WINDOW]}
        around.append({k for k in keys if len(k) > 2 and k not in own and k.isalpha()
                       and not english.is_very_common(k)})
    frequency = Counter(w.key for w in words)
    def support(k: str) -> int:
        return sum(k in keys for keys in around)

    # A word near the occurrences is a usable cue when it is not ordinary English (a name,
    # a term) and near two of them, or when it is near at least half of them.
    half = max(2, (len(around) + 1) // 2)
    usable = {k for keys in around for k in keys
              if support(k) >= half or (support(k) >= 2 and not english.is_common(k))}
    uncovered = set(range(len(around)))
    chosen: list[str] = []
    while uncovered and len(chosen) < MAX_NEAR:
        scores = Counter(k for n in uncovered for k in around[n] if k in usable)
        if not scores:
            break
        best = min(scores, key=lambda k: (-scores[k], english.is_common(k), frequency[k], k))
        chosen.append(best)
        uncovered = {n for n in uncovered if best not in around[n]}
    return tuple(_surface(pair, k) for k in sorted(chosen, key=str.casefold))


def _surface(pair: AlignedPair, folded: str) -> str:
    """How a word key is most often written in the raw text."""
    forms = Counter(w.text for w in pair.alignment.raw if w.key == folded)
    return max(forms.items(), key=lambda item: (item[1], item[0]))[0] if forms else folded


# ------------------------------------------------------------------------------------------
# Rules


def _build_rules(pair: AlignedPair, accepted: dict[str, list[tuple[_Candidate, tuple[str, ...]]]],
                 existing: Sequence[Rule], options: LearnOptions,
                 skipped: list[Skipped]) -> list[LearnedRule]:
    """One rule per replacement (one per context), with examples and keep cases."""
    taken = {rule.id for rule in existing} | {a for rule in existing for a in rule.aliases}
    drafts: list[tuple[LearnedRule, list[_Candidate]]] = []
    for after in sorted(accepted):
        groups: dict[tuple[str, ...], list[_Candidate]] = defaultdict(list)
        for candidate, near in accepted[after]:
            groups[near].append(candidate)
        for near, members in sorted(groups.items()):
            members.sort(key=lambda c: (-len(c.fixed), c.key))
            rule_id = _unique_id(slug(after), taken)
            taken.add(rule_id)
            count = sum(len(c.fixed) for c in members)
            drafts.append((LearnedRule(
                id=rule_id, category=category_of(after), replace=after,
                match=with_plurals(tuple(c.before for c in members), after),
                count=count, examples=(), near=near,
                note=f"Learned from {options.source or 'an edited transcript'} (corrected {count}x)."),
                members))
    rules = []
    for number, (draft, members) in enumerate(drafts):
        # Examples must not hold another rule's error, so that the pack stays free of
        # chains (a rule's example output changed by another rule).
        others = [d.as_rule() for n, (d, _) in enumerate(drafts) if n != number]
        others += [rule for rule in existing if rule.regex is None]
        rule = _with_cases(pair, draft, members, compile_rules(others) if others else None)
        failure = self_check(rule)
        if failure:
            for c in members:
                skipped.append(Skipped(c.before, draft.replace, len(c.fixed),
                                       f"fails its own test: {failure}"))
            continue
        rules.append(rule)
    return rules


def _with_cases(pair: AlignedPair, rule: LearnedRule, members: list[_Candidate],
                others: RuleSet | None) -> LearnedRule:
    """Add an example per variant (from its first clean occurrence) and keep cases."""
    compiled = rule.as_rule()
    examples: list[tuple[str, str]] = []
    sizes = (EXAMPLE_WORDS, 8, CONTEXT_WINDOW) if rule.near else (EXAMPLE_WORDS, 3, 1, 0)
    for candidate in members:
        found = None
        for i1, i2 in candidate.fixed:
            for size in sizes:
                text = _window(pair, i1, i2, size)
                out = _apply(text, compiled)
                if out != text and (text, out) not in examples and untouched(text, others):
                    found = (text, out)
                    break
            if found:
                examples.append(found)
                break
    keep = _keep_cases(pair, rule, compiled, others)
    return LearnedRule(rule.id, rule.category, rule.replace, rule.match, rule.count,
                       tuple(examples), keep, rule.near, rule.note)


def untouched(text: str, ruleset: RuleSet | None) -> bool:
    """True when no rule of ``ruleset`` changes ``text``."""
    if ruleset is None:
        return True
    transcript = read_text(text, None, "plain")
    stream = build_stream(transcript)
    kept, _ = resolve(stream, propose_rule_edits(stream, ruleset, transcript))
    return not kept


def _keep_cases(pair: AlignedPair, rule: LearnedRule, compiled: Rule,
                others: RuleSet | None = None) -> tuple[str, ...]:
    """One text from the corrected transcript where a word of a variant is used on its own
    (so the rule must not fire), when the variants contain ordinary words."""
    words = pair.alignment.corrected
    wanted = {k for variant in rule.match for k in _word_keys(variant)
              if english.is_common(k) and not english.is_very_common(k)}
    if not wanted:
        return ()
    replaced = set(_word_keys(rule.replace))
    for index, word in enumerate(words):
        if word.key in wanted and word.key not in replaced:
            text = _window_words(pair.corrected, words, index, index + 1, EXAMPLE_WORDS)
            if _apply(text, compiled) == text and key(rule.replace) not in key(text) and \
                    untouched(text, others):
                return (text,)
    return ()


def self_check(rule: LearnedRule) -> str:
    """'' when the rule has an example and all its cases pass, else what failed."""
    compiled = rule.as_rule()
    cases = [Case(compiled, ex, "example", n) for n, ex in enumerate(compiled.examples, 1)]
    cases += [Case(compiled, ex, "keep", n) for n, ex in enumerate(compiled.keep, 1)]
    if not compiled.examples:
        return "no example could be made from its occurrences"
    for case in cases:
        failure = check(case)
        if failure is not None:
            return f"{failure.problem}: {failure.case.example.text!r} -> {failure.got!r}"
    return ""


def _verify(pair: AlignedPair, rules: list[LearnedRule], skipped: list[Skipped]) -> list[LearnedRule]:
    """Apply all rules together to the raw text; drop variants whose edits the editor did not make."""
    for _ in range(5):
        if not rules:
            return rules
        compiled = [rule.as_rule() for rule in rules]
        ruleset = compile_rules(compiled, ("learned",))
        proposals = propose_rule_edits(pair.stream, ruleset, pair.raw)
        kept, _ = resolve(pair.stream, proposals)
        bad: dict[str, set[str]] = defaultdict(set)
        for proposal in kept:
            if pair.judge(proposal.start, proposal.end, proposal.after)[0] != "fixed":
                matched = pair.stream.text[proposal.start : proposal.end]
                bad[proposal.rule].add(_phrase_key(matched))
        if not bad:
            return rules
        out = []
        for rule in rules:
            if rule.id not in bad:
                out.append(rule)
                continue
            match = tuple(v for v in rule.match if _phrase_key(v) not in bad[rule.id])
            for variant in rule.match:
                if variant not in match:
                    skipped.append(Skipped(variant, rule.replace, rule.count,
                                           "its edits disagree with the corrected text when "
                                           "all learned rules are applied together"))
            if match and match != rule.match:
                narrower = _only(rule, match)
                examples = tuple(e for e in rule.examples if _apply(e[0], narrower) == e[1])
                trimmed = LearnedRule(rule.id, rule.category, rule.replace, match, rule.count,
                                      examples, rule.keep, rule.near, rule.note)
                if trimmed.examples and not self_check(trimmed):
                    out.append(trimmed)
        rules = out
    return rules


def _only(rule: LearnedRule, match: tuple[str, ...]) -> Rule:
    return LearnedRule(rule.id, rule.category, rule.replace, match, rule.count, (), (),
                       rule.near).as_rule()


def _apply(text: str, rule: Rule) -> str:
    return apply_rules(text, [rule], (rule.pack,))[0]


# ------------------------------------------------------------------------------------------
# Small helpers


def _span_text(transcript: Transcript, words: tuple[Word, ...], i1: int, i2: int) -> str:
    """Text from the start of word ``i1`` to the end of word ``i2 - 1`` (segments joined by a space)."""
    pieces = []
    first = words[i1]
    last = words[i2 - 1]
    for number in range(first.segment, last.segment + 1):
        text = transcript.segments[number].text
        start = first.start if number == first.segment else 0
        end = last.end if number == last.segment else len(text)
        pieces.append(text[start:end].strip())
    return " ".join(piece for piece in pieces if piece)


def _window(pair: AlignedPair, i1: int, i2: int, size: int) -> str:
    return _window_words(pair.raw, pair.alignment.raw, i1, i2, size)


def _window_words(transcript: Transcript, words: tuple[Word, ...], i1: int, i2: int,
                  size: int) -> str:
    """The words around ``[i1, i2)``, ``size`` either side, as one line of text."""
    first = max(0, i1 - size)
    last = min(len(words), i2 + size)
    text = _span_text(transcript, words, first, last)
    return " ".join(text.split())


def _clean_span(text: str) -> bool:
    """True when the words of ``text`` are joined only by spaces or in-word marks."""
    matches = list(WORD.finditer(text))
    return all(CLEAN_GAP.match(text[a.end() : b.start()]) for a, b in zip(matches, matches[1:]))


def _without_possessive(before: str, after: str) -> tuple[str, str]:
    for suffix in ("'s", "’s"):
        if before.endswith(suffix) and (after.endswith("'s") or after.endswith("’s")):
            return before[:-2], after[:-2]
    return before, after


def with_plurals(match: tuple[str, ...], after: str) -> tuple[str, ...]:
    """Add ``variant + s`` when the correction itself ends in s.

    The matcher carries a plural or possessive ``s`` through ("Roos" -> "Roose",
    "Rooss" -> "Rooses"), which for a name ending in s gives "Sjoerds" -> "Sjorss"; ASR's
    "Sjoerds" is the name itself, so it gets its own variant.
    """
    if not after.endswith("s"):
        return match
    keys_seen = {_phrase_key(v) for v in match}
    extra = tuple(v + "s" for v in match
                  if v[-1:].lower() not in ("s", "x", "z") and _phrase_key(v + "s") not in keys_seen)
    return match + extra


def _only_ending_differs(before: str, after: str) -> bool:
    a, b = letters(before), letters(after)
    return a != b and (a.removesuffix("s") == b.removesuffix("s"))


def _phrase_key(text: str) -> str:
    return " ".join(_word_keys(text))


def _word_keys(text: str) -> list[str]:
    return [key(word) for word in WORD.findall(text)]


def _word_texts(text: str) -> list[str]:
    return WORD.findall(text.replace("’", "'"))


def _existing_variants(rules: Iterable[Rule]) -> dict[tuple[str, ...], Rule]:
    out = {}
    for rule in rules:
        for variant in rule.match:
            out.setdefault(tuple(variant_keys(variant)), rule)
    return out


def category_of(after: str) -> str:
    """``name`` for capitalised words ("Tornado Cash"), else ``term``."""
    words = WORD.findall(after)
    if words and all(w[0].isupper() and w[1:].islower() and w.isalpha() for w in words):
        return "name"
    return "term"


def slug(text: str) -> str:
    """A rule id made from a replacement ("Tornado Cash" -> "tornado-cash")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = regex.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "learned"


def _unique_id(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


__all__ = ["AlignedPair", "LearnOptions", "Learned", "LearnedRule", "Skipped", "category_of",
           "learn", "pair_up", "self_check", "slug", "untouched", "with_plurals",
           "word_corrections"]
