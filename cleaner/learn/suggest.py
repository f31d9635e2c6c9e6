"""Suggest likely misspellings of known names: phrases that sound or look like a name from
the cast, a glossary or the packs' replacements, without being it.

Every word n-gram of the transcript (up to two words longer than the longest name) is
compared with every known name by spelling (rapidfuzz) and by sound (Metaphone and NYSIIS
keys of the phrase read as one word, from jellyfish). The score is the mean of the
spelling and the sound similarity; a name known only from a pack (not from the cast, the
glossary or the listed speakers) needs a higher score. An n-gram is not a candidate when it is already a
known name, contains one, starts or ends with a function word, or is much longer or
shorter than the name. Overlapping candidates keep the best one.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import regex
from rapidfuzz import fuzz, process

from ..words import english
from .align import CLEAN_GAP, WORD, Word, key, transcript_words
from .learn import LearnedRule, category_of, self_check, slug, untouched, with_plurals
from ..correct.apply import propose_rule_edits
from ..edits import build_stream, resolve
from ..model import Transcript
from ..correct.packs import CastMember, Pack, Rule, RuleSet, compile_rules
from ..correct.selftest import apply_rules
from ..words.similar import MAX_LENGTH_RATIO, keys, letters, spelling

THRESHOLD = 0.8  # least score of a candidate that is shown
ORDINARY_THRESHOLD = 0.9  # ... when the phrase is made of ordinary words or names,
ORDINARY_SPELLING = 0.85  # which must also be spelled much like the name
PACK_THRESHOLD = 0.9  # least score for a name known only from a pack (not this show's)
CONTEXT_WORDS = 5
MAX_CONTEXTS = 3
MIN_PART = 4  # letters: a part of a person's name this long can be said on its own
MIN_LETTERS = 4  # a shorter phrase is too short to call a misspelling
# Endings that make another word from a name ("Bitcoiners"), not a misspelling of it.
_ENDINGS = frozenset({"s", "es", "er", "ers", "ing", "ed", "d", "ism", "ist", "ists", "ian",
                      "ians", "y", "ly"})


@dataclass(frozen=True, slots=True)
class Known:
    """A name or term as it should be written, and where it came from."""

    name: str
    source: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """A phrase of the transcript that looks like a misspelling of a known name."""

    text: str
    forms: tuple[str, ...]
    name: str
    source: str
    score: float
    count: int
    ordinary: bool  # the phrase is ordinary English: a rule for it needs care
    contexts: tuple[tuple[int, str], ...]  # (input line, words around)
    rule: LearnedRule


def known_names(cast: Iterable[CastMember] = (), glossary: Iterable[str] = (),
                packs: Iterable[Pack] = (), speakers: Iterable[str] = ()) -> list[Known]:
    """Known names from a cast, a glossary, the packs (replacements and casts) and listed
    speakers, first source wins; parts of people's names that are not ordinary words
    ("Provoost" of "Sjors Provoost") are known too."""
    out: dict[str, Known] = {}

    def add(name: str, source: str, person: bool = False) -> None:
        name = " ".join(name.split())
        if not name or not _looks_like_name(name):
            return
        out.setdefault(key(name), Known(name, source))
        words = name.split()
        if person and len(words) > 1:
            for word in words:
                if len(letters(word)) >= MIN_PART and not english.is_known(word):
                    out.setdefault(key(word), Known(word, source))

    for member in cast:
        add(member.name, "cast", person=True)
        for alias in member.aliases:
            add(alias, "cast")
    for name in speakers:
        add(name, "speakers", person=True)
    for name in glossary:
        add(name, "glossary")
    for pack in packs:
        for member in pack.cast:
            add(member.name, f"pack {pack.id}", person=True)
        for rule in pack.rules:
            if rule.regex is None and "\\" not in rule.replace:
                add(rule.replace, f"pack {pack.id}")
    return sorted(out.values(), key=lambda k: (key(k.name), k.source))


def parse_glossary(text: str) -> list[str]:
    """Names and terms from a glossary file: one per line, ``#`` comments and blank lines
    ignored."""
    names = []
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if line:
            names.append(line)
    return names


def suggest(transcript: Transcript, known: Sequence[Known], threshold: float = THRESHOLD,
            ruleset: RuleSet | None = None) -> list[Candidate]:
    """Ranked candidates (best score, then most frequent, first).

    Words that the rules of ``ruleset`` already change are left out: a known error with a
    rule is not a finding.
    """
    if not known:
        return []
    words = transcript_words(transcript)
    if ruleset is not None:
        words = _without_fixed(transcript, words, ruleset)
    names = [k.name for k in known]
    name_keys = [(*keys(name), _word_keys(name)) for name in names]
    forms = _NameForms(names)
    longest = max(len(name.split()) for name in names)
    grams = _ngrams(words, min(longest + 2, 5), forms)
    distinct = sorted({g[2] for g in grams})
    gram_keys = [keys(text) for text in distinct]
    known_words = [_word_keys(name) for name in names]
    # The packs' names are everyone's; the cast, speakers and glossary are this show's.
    thresholds = [max(threshold, PACK_THRESHOLD) if k.source.startswith("pack ") else threshold
                  for k in known]
    best = _best_matches(distinct, gram_keys, name_keys, thresholds)
    hits = []
    for first, last, text in grams:
        match = best.get(text)
        if match is None:
            continue
        score, number = match
        # Ordinary words, unless the phrase shares a word with a longer name ("Casey Noon").
        ordinary = all(english.is_known(w) for w in WORD.findall(text)) and not (
            len(known_words[number]) > 1 and set(_word_keys(text)) & set(known_words[number]))
        if ordinary and (score < max(threshold, ORDINARY_THRESHOLD) or
                         spelling(text, names[number]) < ORDINARY_SPELLING):
            continue
        hits.append((score, first, last, number, ordinary))
    chosen = _without_overlaps(_whole_names(hits, known_words))
    return _group(transcript, words, chosen, known, ruleset.rules if ruleset else ())


def _without_fixed(transcript: Transcript, words: tuple[Word, ...],
                   ruleset: RuleSet) -> tuple[Word, ...]:
    """The words, with those that the rules change masked (their key emptied), so no
    n-gram runs through them while word positions stay as they were."""
    stream = build_stream(transcript)
    kept, _ = resolve(stream, propose_rule_edits(stream, ruleset, transcript))
    spans = sorted((p.start, p.end) for p in kept)
    if not spans:
        return words
    starts = [s for s, _ in spans]
    out = []
    for word in words:
        position = stream.starts[word.segment] + word.start
        index = bisect.bisect_right(starts, position + (word.end - word.start) - 1) - 1
        fixed = index >= 0 and spans[index][1] > position
        out.append(replace(word, key="", gap=None) if fixed else word)
    return tuple(out)


def _looks_like_name(name: str) -> bool:
    """Names and terms, not ordinary words: a capital, a digit, or a word English lacks."""
    return any(ch.isupper() or ch.isdigit() for ch in name) or not all(
        english.is_common(word) for word in regex.findall(r"\w+", name))


def _ngrams(words: tuple[Word, ...], longest: int,
            forms: _NameForms) -> list[tuple[int, int, str]]:
    """``(first, last + 1, text)`` of every candidate n-gram."""
    out = []
    for first in range(len(words)):
        if (not words[first].key or english.is_function_word(words[first].text)
                or words[first].text.isdigit()):
            continue
        parts = [words[first].text]
        for last in range(first + 1, min(first + longest, len(words)) + 1):
            if last > first + 1:
                previous = words[last - 2]
                if previous.gap is None or not CLEAN_GAP.match(previous.gap) or \
                        not words[last - 1].key:
                    break
                parts.append(previous.gap + words[last - 1].text)
            end_word = words[last - 1]
            if english.is_function_word(end_word.text) or end_word.text.isdigit():
                continue
            folded = tuple(w.key for w in words[first:last])
            if forms.contains(folded):
                break
            out.append((first, last, "".join(parts)))
    return out


def _word_keys(text: str) -> tuple[str, ...]:
    return tuple(key(word) for word in WORD.findall(text))


class _NameForms:
    """Recognises known names and their forms: the same words up to case, marks inside
    words ("SHA-256" for "SHA256") and an ending either way ("Bitcoiners", "KYC'd",
    "BOLT7" for "BOLT", "UTXO" for "UTXOs")."""

    def __init__(self, names: Iterable[str]) -> None:
        self.exact: set[tuple[str, ...]] = set()
        self.unmarked: set[str] = set()
        for name in names:
            words = _word_keys(name)
            if not words:
                continue
            self.exact.add(words)
            self.unmarked.add(_unmarked(words))
            for stem in _stems(words[-1]):
                self.exact.add(words[:-1] + (stem,))  # the name is this plus an ending
        self._seen: dict[tuple[str, ...], bool] = {}

    def is_form(self, words: tuple[str, ...]) -> bool:
        """True when the words are a known name or a form of one."""
        known = self._seen.get(words)
        if known is None:
            known = (words in self.exact or _unmarked(words) in self.unmarked
                     or any(words[:-1] + (stem,) in self.exact for stem in _stems(words[-1])))
            self._seen[words] = known
        return known

    def contains(self, words: tuple[str, ...]) -> bool:
        """True when some run of the words is a known name or a form of one."""
        size = len(words)
        return any(self.is_form(words[a:b]) for a in range(size) for b in range(a + 1, size + 1))


def _stems(word: str) -> list[str]:
    """The word without an ending that makes another word from a name."""
    stems = [word[: -len(ending)] for ending in _ENDINGS
             if word.endswith(ending) and len(word) > len(ending) + 1]
    digits = word.rstrip("0123456789")
    if digits and digits != word:
        stems.append(digits)
    if "'" in word:
        stems.append(word.split("'", 1)[0])
    return stems


def _unmarked(words: tuple[str, ...]) -> str:
    """The words run together without marks ("sha-256" and "sha256" both give "sha256"),
    keeping spaces between words that had a space, so "cold card" stays two words."""
    return regex.sub(r"[-./'’_]", "", " ".join(words))


def _best_matches(texts: list[str], text_keys, name_keys, thresholds: list[float]
                  ) -> dict[str, tuple[float, int]]:
    """For each n-gram text, its best known name ``(score, name number)`` at or above
    ``threshold``.

    The score is the mean of two similarities of at most 1, so a name whose spelling
    similarity is below ``2 * threshold - 1`` cannot reach it: rapidfuzz's ``extract``
    skips those (in C) before the sound keys are compared.
    """
    spellings = [k[0] for k in name_keys]
    name_sizes = [len(k[3]) for k in name_keys]
    cutoff = max(0.0, 200 * min(thresholds) - 100)
    out: dict[str, tuple[float, int]] = {}
    for text, (flat, metaphone, nysiis) in zip(texts, text_keys):
        if len(flat) < MIN_LETTERS:
            continue
        best: tuple[float, int] | None = None
        size = len(WORD.findall(text))
        matches = process.extract(flat, spellings, scorer=fuzz.ratio, score_cutoff=cutoff,
                                  limit=None)
        for _, spelled, column in matches:
            name_flat, name_metaphone, name_nysiis, _ = name_keys[column]
            # ASR splits a name into more words, hardly ever fewer: "Andrew" is not a
            # misspelling of "Andrew Ng", only a part of it.
            if len(name_flat) < MIN_LETTERS or size < name_sizes[column]:
                continue
            if max(len(flat), len(name_flat)) / min(len(flat), len(name_flat)) > MAX_LENGTH_RATIO:
                continue
            sound = max(fuzz.ratio(metaphone, name_metaphone), fuzz.ratio(nysiis, name_nysiis))
            score = (spelled + sound) / 200
            if score >= thresholds[column] and (best is None or score > best[0]):
                best = (score, int(column))
        if best is not None:
            out[text] = best
    return out


def _whole_names(hits: list[tuple], name_words: Sequence[tuple[str, ...]]) -> list[tuple]:
    """Leave out a hit on part of a name that lies inside a hit on the whole name: "Yonas
    Lindquist" is "Jonas Lindqvist", even though "Lindquist" alone scores higher against
    "Lindqvist"."""
    covering: dict[int, list[tuple]] = defaultdict(list)
    for hit in hits:
        if hit[2] - hit[1] > 1:
            for position in range(hit[1], hit[2]):
                covering[position].append(hit)
    return [hit for hit in hits if not any(
        other[1] <= hit[1] and hit[2] <= other[2] and other[2] - other[1] > hit[2] - hit[1]
        and set(name_words[hit[3]]) < set(name_words[other[3]])
        for other in covering.get(hit[1], ()))]


def _without_overlaps(hits: list[tuple]) -> list[tuple]:
    """Keep the best hit where hits overlap (higher score, then shorter, then leftmost)."""
    taken: set[int] = set()
    chosen = []
    for hit in sorted(hits, key=lambda h: (-h[0], h[2] - h[1], h[1])):
        span = set(range(hit[1], hit[2]))
        if span & taken:
            continue
        taken |= span
        chosen.append(hit)
    return sorted(chosen, key=lambda h: h[1])


def _group(transcript: Transcript, words: tuple[Word, ...], chosen: list[tuple],
           known: Sequence[Known], loaded: Sequence[Rule] = ()) -> list[Candidate]:
    """One candidate per (phrase, name), with counts, contexts and a rule."""
    groups: dict[tuple[str, int], list[tuple]] = defaultdict(list)
    for hit in chosen:
        text = _span(transcript, words, hit[1], hit[2])
        for ending in ("'s", "’s"):  # the matcher carries a possessive through
            text = text.removesuffix(ending)
        groups[(key(text), hit[3])].append((hit, text))
    drafts = []
    for (_, number), items in groups.items():
        forms = Counter(text for _, text in items)
        text = max(forms.items(), key=lambda item: (item[1], item[0]))[0]
        name = known[number].name
        match = with_plurals(tuple(dict.fromkeys(
            f for f in (text, *sorted(forms)) if key(f) != key(name))), name)
        rule = LearnedRule(id=slug(name), category=category_of(name), replace=name,
                           match=match, count=len(items), examples=(),
                           note="Suggested: sounds like a known name.")
        drafts.append((text, tuple(sorted(forms)), known[number], items, rule))
    out = []
    for position, (text, forms, name, items, rule) in enumerate(drafts):
        # The example must not hold another candidate's or rule's error (no chains).
        others = [d[4].as_rule() for n, d in enumerate(drafts) if n != position]
        others += [r for r in loaded if r.regex is None]
        spans = [(hit[1], hit[2]) for hit, _ in items]
        contexts = tuple((transcript.segments[words[a].segment].line,
                          _around(transcript, words, a, b)) for a, b in spans[:MAX_CONTEXTS])
        example = _example(transcript, words, spans, rule,
                           compile_rules(others) if others else None)
        rule = LearnedRule(rule.id, rule.category, rule.replace, rule.match, rule.count,
                           (example,) if example else (), note=rule.note)
        if rule.examples and self_check(rule):
            rule = LearnedRule(rule.id, rule.category, rule.replace, rule.match, rule.count,
                               (), note=rule.note)
        out.append(Candidate(
            text=text, forms=forms, name=name.name, source=name.source,
            score=round(max(hit[0] for hit, _ in items), 3), count=len(items),
            ordinary=any(hit[4] for hit, _ in items), contexts=contexts, rule=rule))
    return sorted(out, key=lambda c: (-c.score, -c.count, key(c.text), c.name))


def _example(transcript: Transcript, words: tuple[Word, ...], spans: list[tuple[int, int]],
             rule: LearnedRule, others: RuleSet | None) -> tuple[str, str] | None:
    """An example for the rule: words around an occurrence that no other rule changes."""
    compiled = rule.as_rule()
    for first, last in spans:
        for size in (CONTEXT_WORDS, 3, 1, 0):
            text = _around(transcript, words, first, last, size)
            out = apply_rules(text, [compiled], (compiled.pack,))[0]
            if out != text and untouched(text, others):
                return text, out
    return None


def _span(transcript: Transcript, words: tuple[Word, ...], first: int, last: int) -> str:
    segment = transcript.segments[words[first].segment]
    end = words[last - 1]
    if end.segment == words[first].segment:
        return segment.text[words[first].start : end.end]
    return " ".join(w.text for w in words[first:last])


def _around(transcript: Transcript, words: tuple[Word, ...], first: int, last: int,
            size: int = CONTEXT_WORDS) -> str:
    a = max(0, first - size)
    b = min(len(words), last + size)
    pieces = []
    for number in range(words[a].segment, words[b - 1].segment + 1):
        text = transcript.segments[number].text
        start = words[a].start if number == words[a].segment else 0
        end = words[b - 1].end if number == words[b - 1].segment else len(text)
        pieces.append(text[start:end].strip())
    return " ".join(" ".join(pieces).split())
