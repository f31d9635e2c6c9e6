"""Big packs stay fast without changing results: the libyaml loader, the warm cache path,
the regex prefilter, and lint and self-tests on large generated packs (issue 15, items 10
and 12). Timings are printed by bench/rules_scale.py, never asserted here."""

from __future__ import annotations

import pickle
import random
import sys
from pathlib import Path

import pytest
import regex

from cleaner.check.lint import lint_packs
from cleaner.correct import cache, fastyaml, packs as packs_module, parse, prefilter, selftest
from cleaner.correct.packs import compile_rules, load_library
from cleaner.correct.schema import RuleTable
from cleaner.errors import CleanerError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from rules_scale import synthetic_pack  # noqa: E402

WORDS = ("the quick brown fox jumps over the lazy dog while seven sleepy cats watch from a "
         "warm window and nobody minds the noise at all")
NUMBERS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
           "fifteen sixteen seventeen eighteen nineteen twenty")
PACK_FILES = sorted((ROOT / "rules").rglob("*.yaml")) + sorted((ROOT / "fixtures").rglob("*.yaml"))


def _round_trip(text: str, path: str):
    """What the round-trip loader alone makes of a pack: a Pack, or the error's text."""
    try:
        return parse.pack_from_yaml(parse.load_yaml(text, path), path)
    except CleanerError as error:
        return str(error)


def _parsed(text: str, path: str):
    try:
        return parse.parse_pack(text.encode("utf-8"), path)
    except CleanerError as error:
        return str(error)


# ------------------------------------------------------------------------------ the loader

@pytest.mark.parametrize("file", PACK_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_fast_loader_gives_the_round_trip_result(file):
    text = file.read_text(encoding="utf-8-sig")
    name = str(file.relative_to(ROOT))
    assert _parsed(text, name) == _round_trip(text, name)


@pytest.mark.parametrize("file", sorted((ROOT / "rules").rglob("*.yaml")), ids=lambda p: p.name)
def test_shipped_packs_take_the_fast_path(file):
    text = file.read_text(encoding="utf-8")
    assert parse.pack_from_yaml(fastyaml.load(text), file.name) == _round_trip(text, file.name)


def test_a_big_generated_pack_loads_the_same_both_ways():
    text = synthetic_pack(300, WORDS, random.Random(3))
    text += synthetic_pack(50, NUMBERS, random.Random(4), "regex") \
        .replace("pack: synthetic\nrules:\n", "").replace("id: r", "id: x")
    fast = parse.pack_from_yaml(fastyaml.load(text), "big.yaml")
    assert fast == _round_trip(text, "big.yaml")
    assert fast.rules[-1].line == text.splitlines().index("  - id: x50") + 1


UNUSUAL = {
    "yaml 1.1 directive": "%YAML 1.1\n---\nrules:\n- {id: a, category: term, match: [yes], replace: on}\n",
    "1.2 words": "rules:\n- {id: a, category: term, match: [yes, no, 'on'], replace: off}\n",
    "booleans": "rules:\n- {id: a, category: term, match: [x], replace: true}\n",
    "hex priority": "rules:\n- {id: a, category: term, match: [x], replace: y, priority: 0x10}\n",
    "octal-looking": "rules:\n- {id: a, category: term, match: [x], replace: y, priority: 010}\n",
    "float": "rules:\n- {id: a, category: term, match: [x], replace: 1.5}\n",
    "null note": "rules:\n- {id: a, category: term, match: [x], replace: y, note: ~}\n",
    "explicit str": "rules:\n- {id: a, category: term, match: [!!str 12], replace: !!str true}\n",
    "explicit int": "rules:\n- {id: a, category: term, match: [x], replace: y, priority: !!int '3'}\n",
    "bare tag": "rules:\n- {id: a, category: term, match: [x], replace: ! y}\n",
    "custom tag": "rules:\n- {id: a, category: term, match: [x], replace: !up y}\n",
    "merge key": "base: &b {category: term}\nrules:\n- {<<: *b, id: a, match: [x], replace: y}\n",
    "duplicate key": "rules:\n- {id: a, id: b, category: term, match: [x], replace: y}\n",
    "timestamp": "rules:\n- {id: a, category: term, match: [x], replace: 2024-01-02}\n",
    "anchors": "rules:\n- &r\n  id: a\n  category: term\n  match: [&v x]\n  replace: y\n"
               "- {id: b, category: term, match: [*v], replace: z, note: *v}\n",
    "aliased rule": "x: &r {id: a, category: term, match: [x], replace: y}\nrules:\n- *r\n",
    "two documents": "rules: []\n---\nrules: []\n",
    "empty": "",
    "bad indent": "rules:\n  - id: a\n   category: term\n",
    "tab": "rules:\n\t- id: a\n",
    "complex key": "rules:\n- {? [a]: b}\n",
    "alias flood": "v: &v x\nrules:\n- {id: a, category: term, match: [" + ", ".join(["*v"] * 201)
                   + "], replace: y}\n",
    # libyaml and ruamel read these apart, so the round-trip reading must win
    "tab in plain text": "rules:\n- id: a\n  category: term\n  match: [x]\n  replace: y\n"
                         "  note: split\tname\n",
    "line separator": "rules:\n- id: a\n  category: term\n  match:\n  - x\u2028  - z\n  replace: y\n",
    "next line": "x: 1\n# c\x85rules: []\n",
    "directive after a lone CR": "# c\r%YAML 1.1\r---\rrules:\r- {id: a, category: term, "
                                "match: [x], replace: yes}\r",
    "anchor defined twice": "a: &x foo\nb: &x [*x]\nrules: []\n",
}


def test_a_pack_nested_thousands_deep_is_a_pack_error():
    text = "rules: " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(CleanerError, match="nested more than 100 deep"):
        parse.parse_pack(text.encode("utf-8"), "deep.yaml")


def test_a_regex_with_flags_the_module_refuses_is_a_pack_error():
    text = "rules:\n- {id: v, category: term, regex: '(?V1)xyz', replace: y}\n"
    with pytest.raises(CleanerError, match="invalid regex"):
        parse.parse_pack(text.encode("utf-8"), "v.yaml")


@pytest.mark.parametrize("name", sorted(UNUSUAL))
def test_unusual_yaml_parses_or_fails_exactly_as_round_trip(name):
    text = UNUSUAL[name]
    assert _parsed(text, "p.yaml") == _round_trip(text, "p.yaml")


# ------------------------------------------------------------------------------ warm path

def test_warm_load_reads_only_the_cache(tmp_path, monkeypatch):
    pack = tmp_path / "pack.yaml"
    pack.write_text(synthetic_pack(200, WORDS, random.Random(5)), encoding="utf-8")
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path / "cache"))
    cache._MEMORY.clear()
    cold = load_library([pack], defaults=False).compile_for(None)
    cache._MEMORY.clear()

    def refuse(*args, **kwargs):
        raise AssertionError("a warm run parsed a pack")

    monkeypatch.setattr(packs_module, "parse_pack", refuse)
    library = load_library([pack], defaults=False)
    warm = library.compile_for(None)
    assert list(warm.rules) == list(cold.rules)
    assert warm.index.root == cold.index.root
    assert library._packs is None  # the full packs were never read
    assert [rule.id for rule in library.packs[0].rules][:3] == ["r1", "r2", "r3"]
    cache._MEMORY.clear()


def test_a_loaded_library_still_pickles():
    library = pickle.loads(pickle.dumps(load_library(defaults=True)))
    assert library.compile_for(None).rules[0].id == load_library(defaults=True).packs[0].rules[0].id


def test_rule_table_keeps_every_field():
    library = load_library(defaults=True)
    rules = [rule for pack in library.packs for rule in pack.rules]
    table = pickle.loads(pickle.dumps(RuleTable(rules)))
    assert list(table) == rules
    assert table[1:3] == rules[1:3]


# ------------------------------------------------------------------------------ prefilter

@pytest.mark.parametrize("pattern, words", [
    (r"\bOpen ?AI\b", ("open",)),
    (r"(?i)\bchat ?GPT\b", ("chat", "gpt")),
    (r"\bG[PB]T[- ]?(?:four|4)\b", None),
    (r"anthropics?", ("anthropic",)),
    (r"anthropic|claude", None),
    (r"ab(c|d)efg", ("efg",)),
    (r"abc?de", None),
    (r"\x41bcd", None),
    (r"(?x) open \s AI  # comment words", None),
    (r"[abc]def{2}", None),
    (r"(?<=\bthe )Verge\b", ("verge",)),
    (r"\bzomi[- ]tikimu\b", ("tikimu", "zomi")),
])
def test_required_words(pattern, words):
    assert prefilter.required_words(pattern, regex.VERSION0) == words


@pytest.mark.parametrize("pattern", [r"(?f)\bfile server\b", r"(?fi)strasse", r"(?i)(?f)office"])
def test_full_case_folding_is_never_prefiltered(pattern):
    """Under full case folding one character matches two ("ﬁ" is "fi", "ß" is "ss")."""
    assert prefilter.required_words(pattern, regex.IGNORECASE | regex.VERSION0) is None
    assert regex.search(pattern, "the ﬁle server of the straße office", regex.IGNORECASE)


def test_fold_keeps_every_character_that_ignorecase_matches_to_ascii():
    chars = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    for letter in "abcdefghijklmnopqrstuvwxyz0123456789":
        for found in regex.findall(letter, chars, regex.IGNORECASE | regex.VERSION0):
            assert prefilter.fold(found) == letter, (letter, found)


@pytest.mark.parametrize("many", [200, 0], ids=["few rules", "many rules"])
def test_prefilter_never_skips_a_rule_that_matches(many, monkeypatch):
    monkeypatch.setattr(prefilter, "_MANY", many)  # 0: the trigram index for long texts too
    library = load_library(defaults=True)
    rules = [rule for pack in library.packs for rule in pack.rules]
    ruleset = compile_rules(rules)
    texts = [example.text for rule in rules for example in rule.examples + rule.keep]
    texts.append("\n".join(texts))  # a long text takes the other branch
    for text in texts:
        chosen = {number for number, _ in ruleset.regexes.matching(text)}
        for number, pattern, flags in ruleset.regexes.items:
            if regex.search(pattern, text, flags):
                assert number in chosen, (rules[number].id, text)


# ------------------------------------------------------------------------------ big packs

def _big_pack(tmp_path, extra: str):
    text = synthetic_pack(3000, WORDS, random.Random(6))
    text += synthetic_pack(400, NUMBERS, random.Random(7), "regex") \
        .replace("pack: synthetic\nrules:\n", "").replace("id: r", "id: x")
    return parse.parse_pack((text + extra).encode("utf-8"), "big.yaml")


PLANTED = """\
  - id: planted-dup
    category: term
    match: ['The Quick']
    replace: Thequick
  - id: planted-chain
    category: term
    match: [lazy dogs]
    replace: R5 pupper
"""


def test_lint_of_a_big_pack_finds_the_planted_problems(tmp_path):
    pack = _big_pack(tmp_path, PLANTED + """\
  - id: planted-regex
    category: term
    regex: '\\bpupper\\b'
    replace: puppy
""")
    found = {(f.rule, f.line) for f in lint_packs([pack])}
    lines = {rule.id: rule.line for rule in pack.rules}
    assert ("lint.duplicate-variant", lines["planted-dup"]) in found
    assert ("lint.chain", lines["planted-chain"]) in found  # 'pupper' caught by the regex rule
    rules = {f.message.split("'")[1] for f in lint_packs([pack]) if f.rule == "lint.chain"}
    assert rules == {"planted-chain"}


def test_self_tests_of_a_big_pack_find_the_planted_failure(tmp_path):
    pack = _big_pack(tmp_path, """\
  - id: planted-fail
    category: term
    match: [foo bar]
    replace: Foobar
    examples: [{in: "a foo bar b", out: "a Foo Bar b"}]
""")
    failures = selftest.run([pack])
    assert [(f.case.rule.id, f.case.example.line) for f in failures] == \
        [("planted-fail", pack.rules[-1].examples[0].line)]
