"""The safety filters of ``learn``: when a substitution may become a rule at all.

``_judge`` accepts a candidate only if the corrected form is a name or term (a name the cast or a
pack knows always is, "Jonas" too, though English has the word), the raw form sounds
or looks like it, every occurrence was corrected the same way and it does not clash with an
existing rule (ambiguous ordinary words get a learned ``near`` condition); ``_verify`` drops a
variant whose edits on the training pair disagree with the editor.
"""

from __future__ import annotations


from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence


from ..words import english
from .align import CLEAN_GAP, WORD, key
from ..correct.apply import propose_rule_edits
from ..edits import resolve
from ..correct.matcher import variant_keys
from ..correct.packs import Rule, compile_rules
from ..correct.selftest import apply_rules
from ..words.similar import letters, sounds_alike
from .pair import _phrase_key, _word_keys, AlignedPair
from .rules import (CONTEXT_WINDOW, LearnedRule, LearnOptions, Skipped, _apply, _Candidate, _only,
                    self_check)

PROPER_SHARE = 0.75  # a word is a proper noun when capitalised this often mid-sentence
PROPER_MIN_COMMON = 3  # ... seen at least this often mid-sentence, if it is an ordinary word
SHORT = 3  # letters; a raw form this short needs two corrected occurrences
MAX_NEAR = 8  # words in a learned ``near`` condition


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
    if not punctuation and after not in options.names and not _is_name_or_term(after, pair.caps):
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


def _clean_span(text: str) -> bool:
    """True when the words of ``text`` are joined only by spaces or in-word marks."""
    matches = list(WORD.finditer(text))
    return all(CLEAN_GAP.match(text[a.end() : b.start()]) for a, b in zip(matches, matches[1:]))


def _without_possessive(before: str, after: str) -> tuple[str, str]:
    for suffix in ("'s", "’s"):
        if before.endswith(suffix) and (after.endswith("'s") or after.endswith("’s")):
            return before[:-2], after[:-2]
    return before, after


def _only_ending_differs(before: str, after: str) -> bool:
    a, b = letters(before), letters(after)
    return a != b and (a.removesuffix("s") == b.removesuffix("s"))


def _existing_variants(rules: Iterable[Rule]) -> dict[tuple[str, ...], Rule]:
    out = {}
    for rule in rules:
        for variant in rule.match:
            out.setdefault(tuple(variant_keys(variant)), rule)
    return out
