"""Lint rule packs: problems in the data that the packs' own examples do not show.

Checks, each a ``lint.*`` rule id in the findings:

- ``lint.duplicate-id``: a rule id or alias used twice across the packs;
- ``lint.duplicate-variant``: one literal variant in two rules (or twice in one);
- ``lint.chain``: a rule's replacement (or an example's output) is changed by another rule,
  so a second run changes the text again;
- ``lint.self-rematch``: a rule's replacement is matched and changed by the rule itself;
- ``lint.unmatchable``: a variant that can never match, or never change anything, under the
  boundary policy of ``matcher.py``; a regex whose ``\\b`` sits next to punctuation;
- ``lint.backtracking``: a regex prone to catastrophic backtracking (nested or overlapping
  repeats, found statically, or a probe that runs into the timeout);
- ``lint.shadowed``: a rule that always loses to other rules where its variants occur.

Invalid packs and regexes are reported as ``pack.invalid`` (they cannot be loaded at all).
Pure: takes parsed packs, returns findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import regex

from .findings import DEFAULT_SEVERITY, Finding, Kind, Severity, display_path, sort_findings
from .findings import with_fingerprints
from ..correct.apply import propose_rule_edits
from ..edits import Proposal, build_stream, resolve
from ..errors import CleanerError
from ..correct.matcher import LiteralIndex, tokenize, variant_keys, variant_tokens
from ..correct.packs import Pack, Rule, RuleSet, RuleTable, compile_rules
from ..correct.prefilter import compiled
from ..read import read_text

PROBE_TIMEOUT = 0.25  # seconds a regex may take on one adversarial probe string
PROBE_LENGTH = 3000

SEVERITY = {
    "duplicate-id": Severity.ERROR,
    "duplicate-variant": Severity.WARNING,
    "chain": Severity.ERROR,
    "self-rematch": Severity.ERROR,
    "unmatchable": Severity.WARNING,
    "backtracking": Severity.ERROR,
    "shadowed": Severity.WARNING,
}


@dataclass(frozen=True, slots=True)
class _Problem:
    check: str
    rule: Rule | None
    path: str
    line: int
    message: str
    key: str


def lint_packs(packs: Sequence[Pack], errors: Iterable[CleanerError] = ()) -> list[Finding]:
    """Every lint finding for these packs, plus a ``pack.invalid`` finding per load error."""
    rules = [rule for pack in packs for rule in pack.rules]
    problems: list[_Problem] = []
    problems += duplicate_ids(rules)
    problems += duplicate_variants(rules)
    ids = tuple(pack.id for pack in packs)
    bare = compile_rules([replace(rule, context=None) for rule in rules], ids)
    problems += chains(rules, ids, bare)
    problems += unmatchable(rules)
    problems += backtracking(packs)
    problems += shadowed(rules, ids, bare)
    keyed = [
        (Finding(path=display_path(p.path), line=p.line, col=1, severity=SEVERITY[p.check],
                 rule=f"lint.{p.check}", kind=Kind.LINT, message=p.message), p.key)
        for p in problems
    ]
    for error in errors:
        keyed.append((Finding(path=display_path(error.path), line=error.line or 1,
                              col=error.col or 1, severity=DEFAULT_SEVERITY[Kind.PACK_ERROR],
                              rule="pack.invalid", kind=Kind.PACK_ERROR, message=error.message),
                      error.message))
    return sort_findings(with_fingerprints(keyed))


# ------------------------------------------------------------------------------ the checks

def duplicate_ids(rules: Sequence[Rule]) -> list[_Problem]:
    """Rule ids and aliases that name two rules (or one rule twice)."""
    seen: dict[str, Rule] = {}
    out = []
    for rule in rules:
        for name in dict.fromkeys((rule.id, *rule.aliases)):
            if name in seen:
                other = seen[name]
                out.append(_problem("duplicate-id", rule, f"rule id {name!r} is also used by "
                                    f"rule {other.id!r} at {other.origin}", name))
            else:
                seen[name] = rule
    return out


def duplicate_variants(rules: Sequence[Rule]) -> list[_Problem]:
    """Literal variants that two rules (or one rule twice) would match on the same text.

    A case-insensitive variant overlaps any variant with the same tokens; two case-exact
    variants overlap only when spelled the same.
    """
    owners: dict[tuple[str, ...], list[tuple[Rule, str]]] = {}
    out = []
    for rule in rules:
        for variant in rule.match:
            keys = tuple(variant_keys(variant))
            for other, other_variant in owners.get(keys, []):
                if rule.case_exact and other.case_exact and \
                        variant_tokens(variant) != variant_tokens(other_variant):
                    continue
                same = "" if variant == other_variant else f" (same as {other_variant!r} " \
                    "once case is ignored)" if not (rule.case_exact and other.case_exact) else \
                    f" (same tokens as {other_variant!r})"
                where = f"twice in this rule{same}" if other is rule else \
                    f"also in rule {other.id!r} at {other.origin}{same}"
                out.append(_problem("duplicate-variant", rule,
                                    f"rule {rule.id!r}: variant {variant!r} is {where}",
                                    f"{rule.id}|{variant}"))
                break
            owners.setdefault(keys, []).append((rule, variant))
    return out


def chains(rules: Sequence[Rule], packs: tuple[str, ...], bare: RuleSet | None = None
           ) -> list[_Problem]:
    """Replacements and example outputs that some rule would change again.

    A literal replacement is tried on its own with every rule's context switched off (the
    worst case, ``bare``); each example output is tried as written with contexts on, as a
    tiny transcript in which all packs are active. Both share one trie: contexts do not
    change what matches.
    """
    if bare is None:
        bare = compile_rules([replace(rule, context=None) for rule in rules], packs)
    full = RuleSet(RuleTable(rules), bare.index, bare.regexes, packs)
    out = []
    for rule in rules:
        texts: list[tuple[str, str, object]] = []
        if rule.replace and (rule.regex is None or "\\" not in rule.replace):
            texts.append(("replacement", rule.replace, bare))
        texts += [("example output", example.expected, full) for example in rule.examples]
        reported: set[str] = set()
        for what, text, ruleset in texts:
            for proposal in _kept(text, ruleset):
                if proposal.rule in reported:
                    continue
                reported.add(proposal.rule)
                before = text[proposal.start:proposal.end]
                if proposal.rule == rule.id:
                    # the whole text after a second run: the matched part and its
                    # replacement alone can read the same ('Qux' in 'Qux-9' -> 'Qux-9')
                    again = text[:proposal.start] + proposal.after + text[proposal.end:]
                    out.append(_problem(
                        "self-rematch", rule, f"rule {rule.id!r} changes its own {what} "
                        f"again: {text!r} becomes {again!r} (it matches {before!r} in it)",
                        text))
                else:
                    out.append(_problem(
                        "chain", rule, f"rule {rule.id!r} output {text!r} is changed again by "
                        f"rule {proposal.rule!r} ({proposal.origin}): {before!r} -> "
                        f"{proposal.after!r}", f"{text}|{proposal.rule}"))
    return out


def unmatchable(rules: Sequence[Rule]) -> list[_Problem]:
    """Variants that can never match or never change text, and regex boundaries that
    cannot hold next to punctuation."""
    out = []
    for rule in rules:
        for variant in rule.match:
            problem = variant_problem(variant, rule)
            if problem:
                out.append(_problem("unmatchable", rule, f"rule {rule.id!r}: variant "
                                    f"{variant!r} {problem}", f"{rule.id}|{variant}"))
        if rule.regex is not None:
            for problem in regex_boundary_problems(rule.regex):
                out.append(_problem("unmatchable", rule, f"rule {rule.id!r}: regex {problem}",
                                    f"{rule.id}|{problem}"))
            if compiled(rule.regex, regex.VERSION0).search("") is not None:
                out.append(_problem("unmatchable", rule, f"rule {rule.id!r}: regex can match "
                                    "the empty string (empty matches are ignored)",
                                    f"{rule.id}|empty"))
    return out


def variant_problem(variant: str, rule: Rule) -> str | None:
    """Why a literal variant can never match or never change text, or None."""
    index = LiteralIndex()
    index.add(variant, 0, rule.case_exact)
    if not any(hit.start == 2 for hit in index.find(f"x {variant} x")):
        return "does not even match itself in running text"
    raw = variant_tokens(variant)
    if rule.case_exact and raw == variant_tokens(rule.replace) and \
            tuple(variant_keys(variant)) == tuple(variant_keys(rule.replace)):
        return "is spelled exactly like the replacement, so it never changes anything"
    if variant[:1] in "'’" and len(raw) > 1 and raw[1][:1].isalnum():
        return ("starts with an apostrophe: after a letter the apostrophe belongs to the word "
                "(\"Kevin's\" is one token), so it can only match after a space")
    return None


_PUNCT_AFTER = regex.compile(r"""(?:\\[.\-+?*()\[\]{}|^$,;:!'"/@#&]|[,;:!'"/@#&\-])""")
_PUNCT_BEFORE = regex.compile(r"""(?:\\[.\-+?*()\[\]{}|^$,;:!'"/@#&]|[,;:!'"/@#&\-])$""")
_OPENING = regex.compile(r"(?:^|\(\?:|\(|\(\?[a-zA-Z]+\)|\||\^|\\s[*+?]?| )$")
_CLOSING = regex.compile(r"^(?:$|\)|\||\$|\\s| )")


def regex_boundary_problems(pattern: str) -> list[str]:
    """``\\b`` where it can never hold as meant: at the start of a pattern and right before
    punctuation it demands a letter or digit *before* the punctuation (``\\b\\.NET`` misses
    " .NET"); right after punctuation at the end of a pattern it demands one *after*
    (``\\bP\\.T\\.\\b`` never matches before a space or at the end of a line)."""
    problems = []
    for found in regex.finditer(r"\\b", pattern):
        position = found.start()
        if _escaped(pattern, position):
            continue
        before, after = pattern[:position], pattern[position + 2:]
        if _PUNCT_AFTER.match(after) and _OPENING.search(before):
            problems.append(f"has \\b before punctuation at offset {position}: it then needs a "
                            "letter or digit right before the punctuation")
        elif _PUNCT_BEFORE.search(before) and _CLOSING.match(after):
            problems.append(f"has \\b after punctuation at offset {position}: it then needs a "
                            "letter or digit right after the punctuation")
    return problems


def backtracking(packs: Sequence[Pack]) -> list[_Problem]:
    """Regexes prone to catastrophic backtracking: rule regexes, context sections and
    show detection patterns."""
    out = []
    for pack in packs:
        patterns: list[tuple[str, Rule | None, int, str]] = []
        for rule in pack.rules:
            if rule.regex is not None:
                patterns.append((rule.regex, rule, rule.line, f"rule {rule.id!r}"))
            if rule.context is not None and rule.context.section:
                patterns.append((rule.context.section, rule, rule.line,
                                 f"rule {rule.id!r} context section"))
        if pack.detect is not None:
            for pattern in pack.detect.title + pack.detect.text:
                patterns.append((pattern, None, 1, f"pack {pack.id!r} detect pattern"))
        for pattern, rule, line, what in patterns:
            problem = backtracking_problem(pattern) or _probe(pattern, rule)
            if problem:
                out.append(_Problem("backtracking", rule, pack.path, line,
                                    f"{what}: {problem}: {pattern!r}", f"{what}|{pattern}"))
    return out


def backtracking_problem(pattern: str) -> str | None:
    """A static reason the pattern may backtrack catastrophically, or None.

    Looks for a repeated group that itself contains an unbounded repeat (``(a+)+``,
    ``(\\w*\\s?)*``), a repeated group whose alternatives overlap (``(a|ab)*``), and the
    same repeated atom twice in a row (``\\s*\\s*``). Atomic groups and possessive
    repeats do not backtrack and are not reported.
    """
    stack: list[dict] = [{"unbounded": False, "branches": [[]], "atomic": False}]
    previous: tuple[str, bool] | None = None  # (atom, was unboundedly repeated)
    i = 0
    n = len(pattern)
    while i < n:
        char = pattern[i]
        atom_start = i
        if char == "\\":
            i += 2
            if i <= n and pattern[i - 1] in "pPN" and i < n and pattern[i] == "{":
                i = pattern.find("}", i) + 1 or n
            atom = pattern[atom_start:i]
            group = None
        elif char == "[":
            i = _class_end(pattern, i)
            atom = pattern[atom_start:i]
            group = None
        elif char == "(":
            prefix = _GROUP_PREFIX.match(pattern, i + 1)
            if prefix and prefix.group().endswith(")"):  # inline flags such as (?i)
                i = prefix.end()
                continue
            atomic = pattern.startswith("(?>", i)
            stack.append({"unbounded": False, "branches": [[]], "atomic": atomic,
                          "start": i})
            i = prefix.end() if prefix else i + 1
            previous = None
            continue
        elif char == ")":
            if len(stack) == 1:
                i += 1
                continue
            group = stack.pop()
            i += 1
            atom = pattern[group["start"]:i]
        elif char == "|":
            stack[-1]["branches"].append([])
            i += 1
            previous = None
            continue
        else:
            i += 1
            atom = char
            group = None
        quantifier, i = _quantifier(pattern, i)
        unbounded = quantifier in ("*", "+") or bool(regex.fullmatch(r"\{\d*,\}", quantifier))
        possessive = i < n and pattern[i] == "+" and quantifier != ""
        if possessive:
            i += 1
        lazy_or_possessive_ok = possessive
        if group is not None and quantifier and not lazy_or_possessive_ok and not group["atomic"]:
            if unbounded and group["unbounded"]:
                return "a repeated group contains another unbounded repeat (nested quantifiers)"
            if unbounded and _overlapping(group["branches"]):
                return "a repeated group has overlapping alternatives"
        frame = stack[-1]
        frame["branches"][-1].append(atom)
        if (unbounded and not possessive) or (group is not None and group["unbounded"]
                                              and not group["atomic"]):
            frame["unbounded"] = True
        if unbounded and previous is not None and previous == (atom, True) and not possessive \
                and atom not in ("^", "$"):
            return f"the same repeated atom twice in a row ({atom}{quantifier}{atom}{quantifier})"
        previous = (atom, unbounded and not possessive)
    return None


# ------------------------------------------------------------------------------ shadowing

def shadowed(rules: Sequence[Rule], packs: tuple[str, ...], ruleset: RuleSet | None = None
             ) -> list[_Problem]:
    """Rules that lose every one of their matches to other rules.

    Each literal variant (or, for a regex rule, each example input) is resolved against all
    rules with their contexts switched off; a loss counts only to a rule that applies
    wherever this one does (no context, or the same context). A rule that loses all of
    them never makes an edit. One compiled set serves every rule, so this stays linear in
    the number of rules.
    """
    by_id = {rule.id: rule for rule in rules}
    if ruleset is None:  # every rule with its context switched off
        ruleset = compile_rules([replace(rule, context=None) for rule in rules], packs)
    out = []
    for rule in rules:
        texts = [f"x {variant} x" for variant in rule.match] or \
            [example.text for example in rule.examples]
        if not texts:
            continue
        winners: list[str] = []
        for text in texts:
            kept, dropped = _resolved(text, ruleset)
            if any(p.rule == rule.id for p in kept):
                break
            beaten = [w for p, w in dropped if p.rule == rule.id
                      and by_id[w.rule].context in (None, rule.context)]
            if not beaten:
                break
            winners.append(f"{beaten[0].rule!r} ({beaten[0].origin})")
        else:
            names = ", ".join(dict.fromkeys(winners))
            out.append(_problem("shadowed", rule, f"rule {rule.id!r} never applies: every "
                                f"match is taken by {names}", rule.id))
    return out


# ------------------------------------------------------------------------------ helpers

def _problem(check: str, rule: Rule, message: str, key: str) -> _Problem:
    return _Problem(check, rule, rule.path, rule.line, message, key)


def _resolved(text: str, ruleset) -> tuple[list[Proposal], list[tuple[Proposal, Proposal]]]:
    transcript = read_text(text, None, "plain")
    stream = build_stream(transcript)
    proposals = propose_rule_edits(stream, ruleset, transcript, tokenize(stream.text))
    return resolve(stream, proposals)


def _kept(text: str, ruleset) -> list[Proposal]:
    return _resolved(text, ruleset)[0]


def _probe(pattern: str, rule: Rule | None) -> str | None:
    """Run the pattern on long adversarial strings under a timeout."""
    flags = regex.VERSION0 | (regex.IGNORECASE if rule is not None and not rule.case_exact else 0)
    try:
        pattern_ = compiled(pattern, flags)
    except regex.error:
        return None  # reported as an invalid pack when loaded
    seeds = ["a", "a ", "aa-", "1", " ", ".", "A.", "'a", "ab, "]
    if rule is not None:
        seeds += [example.text for example in rule.examples[:2]]
    for seed in seeds:
        probe = (seed * (PROBE_LENGTH // max(len(seed), 1) + 1))[:PROBE_LENGTH] + "\u0001!"
        try:
            for _ in pattern_.finditer(probe, timeout=PROBE_TIMEOUT):
                pass
        except TimeoutError:
            return (f"took over {PROBE_TIMEOUT:g}s on {PROBE_LENGTH} characters of "
                    f"{seed[:20]!r} (catastrophic backtracking)")
    return None


_GROUP_PREFIX = regex.compile(r"\?(?:[:=!>|]|<[=!]|P?<[A-Za-z_]\w*>|P=\w+\)|[a-zA-Z-]+[:)])")


def _class_end(pattern: str, i: int) -> int:
    """Index just past the character class starting at ``pattern[i] == '['``."""
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    depth = 1
    while j < len(pattern) and depth:
        if pattern[j] == "\\":
            j += 2
            continue
        if pattern[j] == "[" and pattern.startswith("[:", j):
            end = pattern.find(":]", j)
            j = end + 2 if end > 0 else j + 1
            continue
        if pattern[j] == "]":
            depth -= 1
        j += 1
    return j


def _quantifier(pattern: str, i: int) -> tuple[str, int]:
    if i < len(pattern) and pattern[i] in "*+?":
        quantifier = pattern[i]
        i += 1
        if i < len(pattern) and pattern[i] == "?":  # lazy: still backtracks
            i += 1
        return quantifier, i
    if i < len(pattern) and pattern[i] == "{":
        found = regex.match(r"\{\d*(?:,\d*)?\}", pattern[i:])
        if found:
            end = i + found.end()
            if end < len(pattern) and pattern[end] == "?":
                end += 1
            return found.group(), end
    return "", i


def _overlapping(branches: list[list[str]]) -> bool:
    """True when two alternatives are the same, or one is a prefix of the other."""
    texts = ["".join(branch) for branch in branches if branch]
    if len(texts) < 2:
        return False
    for a in range(len(texts)):
        for b in range(len(texts)):
            if a != b and texts[b].startswith(texts[a]):
                return True
    return False


def _escaped(pattern: str, position: int) -> bool:
    """True when ``pattern[position]`` is itself escaped by a backslash."""
    count = 0
    while position - count - 1 >= 0 and pattern[position - count - 1] == "\\":
        count += 1
    return count % 2 == 1
