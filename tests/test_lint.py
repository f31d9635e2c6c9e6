"""``cleaner rules lint|test|list`` and the checks behind them."""

from __future__ import annotations

import json
import re

import pytest

from cleaner.cli import main
from cleaner.check.lint import (backtracking_problem, lint_packs, regex_boundary_problems,
                                variant_problem)
from cleaner.correct.packs import read_packs
from conftest import FIXTURES
from helpers import pack_from

BROKEN = FIXTURES / "packs" / "broken.yaml"
INVALID = FIXTURES / "packs" / "invalid-regex.yaml"


def run(argv, capsys):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def rule_line(path, rule_id: str) -> int:
    """The line of ``- id: rule_id`` in a pack file (the first one)."""
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if re.match(rf"\s*- id: {re.escape(rule_id)}\b", line):
            return number
    raise AssertionError(rule_id)


def test_shipped_packs_lint_clean(capsys):
    packs, errors = read_packs()
    assert errors == [] and lint_packs(packs, errors) == []
    code, out, _ = run(["rules", "lint"], capsys)
    assert (code, out) == (0, "")


def test_shipped_packs_pass_their_own_tests(capsys):
    code, out, err = run(["rules", "test"], capsys)
    assert (code, out) == (0, "") and "0 findings" in err


@pytest.mark.parametrize("check, rule_id", [
    ("lint.self-rematch", "grows"),
    ("lint.chain", "chain-start"),
    ("lint.duplicate-variant", "shadowed-twin"),
    ("lint.shadowed", "shadowed-twin"),
    ("lint.unmatchable", "dead-variants"),
    ("lint.backtracking", "slow-regex"),
    ("lint.unmatchable", "bad-boundary"),
])
def test_lint_catches_each_problem_of_the_broken_pack_with_file_and_line(capsys, check, rule_id):
    code, out, _ = run(["rules", "lint", BROKEN], capsys)
    assert code == 1
    expected = f"{BROKEN}:{rule_line(BROKEN, rule_id)}:1: "
    assert any(line.startswith(expected) and f" {check}: " in line and repr(rule_id) in line
               for line in out.splitlines()), out


def test_self_rematch_says_what_a_second_run_makes_of_the_text(capsys):
    _, out, _ = run(["rules", "lint", BROKEN], capsys)
    grows = next(line for line in out.splitlines() if "lint.self-rematch: rule 'grows'" in line)
    # match Qux, replace Qux-9: the message shows the growth, not "'Qux' ... becomes 'Qux-9'"
    assert grows.endswith("changes its own replacement again: 'Qux-9' becomes 'Qux-9-9' "
                          "(it matches 'Qux' in it)")
    example = next(line for line in out.splitlines()
                   if "lint.self-rematch: rule 'wrong-example'" in line)
    assert "its own example output again: 'We wrote it in Zorp Lang.' becomes " \
           "'We wrote it in Zorplang.'" in example


def test_lint_reports_the_duplicate_id_at_the_second_definition(capsys):
    _, out, _ = run(["rules", "lint", BROKEN], capsys)
    lines = [line for line in out.splitlines() if "lint.duplicate-id" in line]
    second = [n for n, line in enumerate(BROKEN.read_text().splitlines(), 1)
              if "- id: first-owner" in line][1]
    assert len(lines) == 1 and lines[0].startswith(f"{BROKEN}:{second}:")


def test_lint_reports_an_invalid_pack_with_file_and_line(capsys):
    code, out, _ = run(["rules", "lint", INVALID], capsys)
    assert code == 1
    assert out.startswith(f"{INVALID}:{rule_line(INVALID, 'unclosed')}:") and "invalid regex" in out


def test_rules_test_reports_every_failure_with_file_and_line(capsys):
    code, out, err = run(["rules", "test", BROKEN], capsys)
    assert code == 1 and "Traceback" not in err
    lines = out.splitlines()
    text = BROKEN.read_text().splitlines()
    problems = {"wrong output": "wrong-example", "changed a keep text": "eats-keep",
                "not stable": "grows"}
    for problem, rule_id in problems.items():
        line = next(line for line in lines if problem in line)
        number = int(line.split(":")[1])
        assert line.startswith(f"{BROKEN}:") and repr(rule_id) in line
        # The line named is the failing example or keep entry itself.
        assert rule_line(BROKEN, rule_id) < number and "in:" in text[number - 1] or \
            "keep" in text[number - 1]
    assert len(lines) >= 4  # all failures, not just the first


def test_rules_test_json_and_fail_on(capsys):
    _, out, _ = run(["rules", "test", BROKEN, "--format", "json"], capsys)
    document = json.loads(out)
    assert {f["kind"] for f in document["findings"]} == {"selftest"}
    code, _, _ = run(["rules", "lint", BROKEN, "--fail-on", "error"], capsys)
    assert code == 1


def test_rules_list_names_pack_and_origin(capsys):
    code, out, _ = run(["rules", "list"], capsys)
    assert code == 0
    line = next(line for line in out.splitlines() if " chatgpt (" in line)
    assert re.match(r"rules/tech\.yaml:\d+ +tech +chatgpt \(product\)", line)
    code, out, _ = run(["rules", "list", "--format", "json", "--disable", "chatgpt"], capsys)
    rows = json.loads(out)["rules"]
    chatgpt = next(row for row in rows if row["id"] == "chatgpt")
    assert chatgpt["disabled"] is True and chatgpt["pack"] == "tech"
    path, line_no = chatgpt["origin"].rsplit(":", 1)
    assert "- id: chatgpt" in (FIXTURES.parent / path).read_text().splitlines()[int(line_no) - 1]


def test_rules_needs_an_action(capsys):
    code, _, err = run(["rules"], capsys)
    assert code == 2 and "error" in err


# ------------------------------------------------------------------- the checks themselves

def test_chain_across_packs_is_found():
    first = pack_from("pack: a\nrules:\n  - id: one\n    category: term\n    match: [foo bar]\n"
                      "    replace: Foo Baz\n", "a.yaml")
    second = pack_from("pack: b\nrules:\n  - id: two\n    category: term\n    match: [foo baz]\n"
                       "    replace: Foobaz\n", "b.yaml")
    found = lint_packs([first, second])
    assert [(f.rule, f.path, f.line) for f in found] == [("lint.chain", "a.yaml", 3)]
    assert "'two'" in found[0].message


def test_shadowing_respects_contexts():
    def pack(first_context: str, second_context: str):
        return pack_from(
            "rules:\n"
            f"  - id: first\n    category: term\n    match: [zap]\n    replace: Zapp\n{first_context}"
            f"  - id: second\n    category: term\n    match: [zap]\n    replace: Zappo\n{second_context}",
            "c.yaml")

    alpha = "    context: {near: [alpha]}\n"
    beta = "    context: {near: [beta]}\n"
    # Different contexts: they overlap (a duplicate variant) but neither hides the other.
    assert [f.rule for f in lint_packs([pack(alpha, beta)])] == ["lint.duplicate-variant"]
    # A context-free rule first hides a later rule with a context ...
    found = lint_packs([pack("", alpha)])
    assert ("lint.shadowed", 6) in [(f.rule, f.line) for f in found]
    # ... but a rule with a context first only takes its own cases.
    found = lint_packs([pack(alpha, "")])
    assert "lint.shadowed" not in [f.rule for f in found]


@pytest.mark.parametrize("pattern, bad", [
    (r"(a+)+$", True),
    (r"(\w*\s?)*x", True),
    (r"(?:a|ab)*c", True),
    (r"\s*\s*x", True),
    (r"(x+x+)+y", True),
    (r"(?>a+)+", False),
    (r"a++b", False),
    (r"\bG[PB]T[- ]?(?:four|4)\b", False),
    (r"(?<![\w.])[Oo]pen[ -]?A\.I(?!\.\w)", False),
    (r"[(+*]+a", False),
    (r"(ab){2,5}", False),
])
def test_backtracking_heuristic(pattern, bad):
    assert (backtracking_problem(pattern) is not None) == bad


@pytest.mark.parametrize("pattern, bad", [
    (r"\b\.NET", True),
    (r"(?i)\b\.NET\b", True),
    (r"\bQ\.R\.\b", True),
    (r"\bGPT\b", False),
    (r"GPT\b\.", False),
    (r"\.\bcom", False),
    (r"\\b\.", False),  # an escaped backslash followed by "b" is not a boundary
])
def test_boundary_heuristic(pattern, bad):
    assert bool(regex_boundary_problems(pattern)) == bad


def test_unmatchable_variants():
    rule = pack_from("rules:\n  - id: r\n    category: term\n    case: exact\n"
                     "    match: [Foo, foo]\n    replace: Foo\n").rules[0]
    assert "never changes" in variant_problem("Foo", rule)
    assert variant_problem("foo", rule) is None
    assert "apostrophe" in variant_problem("'tis", rule)


def test_regex_that_matches_the_empty_string_is_reported():
    pack = pack_from("rules:\n  - id: empty\n    category: term\n    regex: 'x*'\n"
                     "    replace: y\n", "e.yaml")
    found = lint_packs([pack])
    assert any(f.rule == "lint.unmatchable" and "empty string" in f.message for f in found)


def test_timeout_probe_catches_a_slow_regex():
    from cleaner.check.lint import _probe

    assert "catastrophic" in _probe(r"(?:a|aa)+$", None)
    assert _probe(r"\bfoo\b", None) is None


def test_run_time_guard_on_detect_patterns(write_pack):
    """A show pack's detect pattern that backtracks forever stops with a one-line error."""
    import cleaner
    from cleaner.errors import CleanerError
    from cleaner.correct.packs import load_library

    path = write_pack("pack: slow\ndetect:\n  text: ['(?:a|aa)+$']\nrules:\n"
                      "  - id: slow-x\n    category: term\n    match: [zzz]\n    replace: Z\n")
    library = load_library([path], defaults=False)
    library.forced.clear()  # let detection run instead of forcing the named pack
    with pytest.raises(CleanerError) as info:
        cleaner.clean("a" * 60 + "!\n", options=cleaner.Options(input_format="plain"),
                      library=library)
    assert "timed out" in str(info.value) and info.value.path == path
