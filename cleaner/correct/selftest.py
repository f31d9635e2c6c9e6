"""Run every rule's own examples: ``in`` must become ``out``, ``keep`` texts must not change,
and each output must be stable (a second run makes no edit).

Backs both the test suite and ``cleaner rules test``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .apply import propose_rule_edits
from ..edits import build_stream, corrected_segments, resolve, to_edits
from ..model import Transcript
from .packs import Example, Pack, Rule, compile_rules
from ..read import read_text


@dataclass(frozen=True, slots=True)
class Case:
    """One example or keep case of one rule."""

    rule: Rule
    example: Example
    kind: str  # "example" or "keep"
    number: int

    @property
    def name(self) -> str:
        """A stable test id such as ``tech.yaml::chatgpt::example1``."""
        file = self.rule.path.replace("\\", "/").rsplit("/", 1)[-1]
        return f"{file}::{self.rule.id}::{self.kind}{self.number}"


@dataclass(frozen=True, slots=True)
class Failure:
    """A case that did not come out as expected."""

    case: Case
    got: str
    problem: str

    def __str__(self) -> str:
        rule, example = self.case.rule, self.case.example
        return (f"{rule.path}:{example.line}: rule {rule.id!r} {self.case.kind} "
                f"{self.case.number}: {self.problem}: {example.text!r} -> {self.got!r}, "
                f"expected {example.expected!r}")


def cases(packs: list[Pack]) -> list[Case]:
    """Every example and keep case of every rule, in file order."""
    out = []
    for pack in packs:
        for rule in pack.rules:
            out += [Case(rule, ex, "example", n) for n, ex in enumerate(rule.examples, 1)]
            out += [Case(rule, ex, "keep", n) for n, ex in enumerate(rule.keep, 1)]
    return out


def apply_rules(text: str, rules: list[Rule], packs: tuple[str, ...] = (),
                ruleset=None) -> tuple[str, int]:
    """Apply ``rules`` (or an already compiled ``ruleset`` of them) to a plain text;
    return ``(output, number of edits)``."""
    if ruleset is None:
        ruleset = compile_rules(rules, packs)
    transcript = read_text(text, None, "plain")
    return _correct(transcript, ruleset)


def _correct(transcript: Transcript, ruleset) -> tuple[str, int]:
    stream = build_stream(transcript)
    kept, _ = resolve(stream, propose_rule_edits(stream, ruleset, transcript))
    edits = to_edits(stream, transcript, kept)
    texts = corrected_segments(transcript, edits)
    # Put the corrected segments back into the lines they came from.
    lines = list(transcript.lines)
    for segment, new in zip(reversed(transcript.segments), reversed(texts)):
        line = lines[segment.line - 1]
        lines[segment.line - 1] = line[: segment.start] + new + line[segment.end :]
    return "\n".join(lines), len(edits)


def check(case: Case, ruleset=None) -> Failure | None:
    """Run one case with its own rule (``ruleset``: that rule compiled); None when it passes."""
    rule = case.rule
    packs = (rule.pack,)
    if ruleset is None:
        ruleset = compile_rules([rule], packs)
    got, _ = apply_rules(case.example.text, [rule], packs, ruleset)
    if got != case.example.expected:
        problem = "changed a keep text" if case.kind == "keep" else "wrong output"
        return Failure(case, got, problem)
    again, edits = apply_rules(got, [rule], packs, ruleset)
    if edits:
        return Failure(case, again, "output is not stable (a second run changes it)")
    return None


def run(packs: list[Pack]) -> list[Failure]:
    """All failures across the packs (not just the first); each rule is compiled once."""
    failures = []
    rule, ruleset = None, None
    for case in cases(packs):  # cases come rule by rule
        if case.rule is not rule:
            rule = case.rule
            ruleset = compile_rules([rule], (rule.pack,))
        failure = check(case, ruleset)
        if failure is not None:
            failures.append(failure)
    return failures
