"""Merging rules into a pack's text: comments, order and formatting stay."""

from __future__ import annotations

import difflib

import pytest

from cleaner.errors import CleanerError
from cleaner.learn.learn import LearnedRule, LearnOptions, learn
from cleaner.learn.packedit import merge_rules, rules_yaml
from cleaner.correct.packs import default_pack_paths, parse_pack
from cleaner.read import read_text

RULE = LearnedRule("frostcard", "name", "Frostcard", ("frost card", "frost cart"), 2,
                   (("I use a frost card daily", "I use a Frostcard daily"),),
                   ("it is frost season",))


@pytest.mark.parametrize("path", default_pack_paths(), ids=lambda p: p.name)
def test_shipped_packs_only_gain_lines(path):
    text = path.read_text(encoding="utf-8")
    merged = merge_rules(text, str(path), [RULE])
    assert merged.added == ("frostcard",)
    diff = [line for line in difflib.ndiff(text.splitlines(), merged.text.splitlines())
            if line[:1] in "+-"]
    assert not [line for line in diff if line.startswith("-")]
    assert [line[2:] for line in diff if line.strip() != "+"][:2] == [
        "  - id: frostcard", "    category: name"]
    assert parse_pack(merged.text.encode(), str(path)).rules[-1].id == "frostcard"


def test_same_replacement_extends_the_rule_and_twice_changes_nothing():
    text = ("rules:\n  - id: frostcard\n    category: brand\n    match: frost kard\n"
            "    replace: Frostcard\n    examples:\n      - {in: a frost kard, out: a Frostcard}\n")
    merged = merge_rules(text, "p.yaml", [RULE])
    assert merged.added == () and merged.extended == (("frostcard", ("frost card", "frost cart")),)
    rule = parse_pack(merged.text.encode(), "p.yaml").rules[0]
    assert rule.match == ("frost kard", "frost card", "frost cart") and len(rule.examples) == 2
    again = merge_rules(merged.text, "p.yaml", [RULE])
    assert not again.changed and again.text == merged.text and again.unchanged == ("frostcard",)


def test_a_merge_that_makes_a_chain_is_refused():
    text = ("rules:\n  - id: frost\n    category: term\n    match: [Frostcard]\n"
            "    replace: Frost Card\n    examples: [{in: Frostcard, out: Frost Card}]\n")
    with pytest.raises(CleanerError, match="'Frostcard' would be changed again"):
        merge_rules(text, "p.yaml", [RULE])


def test_learn_skips_a_correction_an_existing_rule_would_change():
    existing = parse_pack(b"rules:\n  - id: frost\n    category: term\n    match: [Frostcard]\n"
                          b"    replace: Frost Card\n    examples: [{in: Frostcard, out: Frost Card}]\n",
                          "p.yaml").rules
    raw = read_text("I keep my coins on a frost kard and you keep yours on a frost kard too",
                    fmt="plain")
    fixed = read_text("I keep my coins on a Frostcard and you keep yours on a Frostcard too",
                      fmt="plain")
    result = learn(raw, fixed, existing)
    assert result.rules == () and "changed again by rule 'frost'" in result.skipped[0].reason


def test_dry_run_yaml_of_no_rules_is_an_empty_list():
    assert rules_yaml([]) == "rules: []\n"


def test_punctuation_changes_only_when_asked():
    raw = read_text("we like peer to peer networks and peer to peer apps", fmt="plain")
    fixed = read_text("we like peer-to-peer networks and peer-to-peer apps", fmt="plain")
    assert learn(raw, fixed).rules == ()
    options = LearnOptions(punctuation=True)
    (rule,) = learn(raw, fixed, options=options).rules
    assert (rule.match, rule.replace) == (("peer to peer",), "peer-to-peer")
