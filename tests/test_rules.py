"""Every shipped rule's examples and keep cases run as tests, plus checks over the data."""

from __future__ import annotations

import pytest

from cleaner.correct import selftest
from cleaner.correct.matcher import variant_keys
from cleaner.correct.packs import load_library

LIBRARY = load_library()
CASES = selftest.cases(LIBRARY.packs)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_rule_case(case):
    failure = selftest.check(case)
    assert failure is None, str(failure)


def test_every_rule_has_an_example():
    missing = [rule.origin for pack in LIBRARY.packs for rule in pack.rules if not rule.examples]
    assert not missing, f"rules without examples: {missing}"


def test_shipped_packs_are_the_documented_ones():
    ids = [pack.id for pack in LIBRARY.packs]
    assert {"general", "tech", "hard-fork"} <= set(ids)
    tech = next(pack for pack in LIBRARY.packs if pack.id == "tech")
    assert len(tech.rules) >= 40
    show = next(pack for pack in LIBRARY.packs if pack.id == "hard-fork")
    assert show.is_show and show.cast


def test_no_variant_appears_in_two_rules():
    owner: dict[tuple, str] = {}
    clashes = []
    for pack in LIBRARY.packs:
        for rule in pack.rules:
            for variant in rule.match:
                exact = variant if rule.case_exact else None
                key = (tuple(variant_keys(variant)), exact)
                if key in owner and owner[key] != rule.id:
                    clashes.append((variant, owner[key], rule.id))
                owner.setdefault(key, rule.id)
    assert not clashes


def test_no_replacement_is_changed_again_by_any_rule():
    """A replacement matched by a rule that would change it breaks idempotence (a chain)."""
    rules = [rule for pack in LIBRARY.packs for rule in pack.rules]
    packs = tuple(pack.id for pack in LIBRARY.packs)
    chains = []
    for rule in rules:
        if not rule.replace or rule.regex:
            continue
        out, edits = selftest.apply_rules(f"x {rule.replace} x", rules, packs)
        if edits:
            chains.append((rule.id, rule.replace, out))
    assert not chains
