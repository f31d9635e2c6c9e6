"""Learning rules from an editor's corrections, and writing them into packs."""

from __future__ import annotations

import difflib
import os
import stat

import pytest
from ruamel.yaml import YAML

from cleaner.correct import selftest
from cleaner.cli import main
from cleaner.learn.learn import LearnOptions, learn
from cleaner.correct.packs import parse_pack
from cleaner.read import read_text
from conftest import FIXTURES, ROOT, SEED
from helpers import fix

PAIR = FIXTURES / "pairs"
RAW, REVIEWED = PAIR / "show-ep1.raw.md", PAIR / "show-ep1.reviewed.md"


def read(path):
    return read_text(path.read_text(encoding="utf-8"), str(path))


def run(argv, capsys):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def learned():
    return learn(read(RAW), read(REVIEWED), options=LearnOptions(source=REVIEWED.name))


def by_replace(learned):
    return {rule.replace: rule for rule in learned.rules}


def test_names_and_terms_become_rules_with_all_their_variants(learned):
    rules = by_replace(learned)
    assert set(rules) == {"Bram", "Coldcard", "Miniscript", "Pieter", "Trezor"}
    assert rules["Coldcard"].match == ("cold cart", "cold card")
    assert rules["Coldcard"].count == 4
    assert rules["Trezor"].match == ("Trezzor",)


def test_ordinary_edits_are_skipped_with_a_reason(learned):
    reasons = {(s.before, s.after): s.reason for s in learned.skipped}
    assert "not a name or term" in reasons[("going", "gonna")]
    assert not any(rule.replace == "gonna" for rule in learned.rules)


def test_an_ordinary_word_gets_a_learned_context(learned):
    pieter = by_replace(learned)["Pieter"]
    assert pieter.near == ("Amiti",)
    rule = pieter.as_rule()
    assert fix("Peter and Amiti met.", _pack([pieter])) == "Pieter and Amiti met."
    assert fix("Peter Pan flew away.", _pack([pieter])) == "Peter Pan flew away."
    assert rule.context is not None


def test_every_learned_rule_passes_its_own_cases(learned):
    pack = parse_pack(_pack(learned.rules).encode(), "learned.yaml")
    assert selftest.run([pack]) == []
    coldcard = next(r for r in pack.rules if r.id == "coldcard")
    assert coldcard.examples and coldcard.keep
    assert "cold" in coldcard.keep[0].text and "cold card" not in coldcard.keep[0].text


def test_a_form_left_uncorrected_somewhere_is_not_a_rule(tmp_path):
    raw = "Speaker 0: 00:00:01\n\nI met Okonkwoh.\nOkonkwoh said hi.\nLater Okonkwoh left.\n"
    fixed = "Ann: 00:00:01\n\nI met Okonkwo.\nOkonkwo said hi.\nLater Okonkwoh left.\n"
    result = learn(read_text(raw), read_text(fixed))
    assert result.rules == ()
    (skip,) = [s for s in result.skipped if s.after == "Okonkwo"]
    assert skip.reason == "left as it was 1 of 3 times"


def test_a_form_corrected_two_ways_is_not_a_rule():
    raw = "I met Okonkwoh. Okonkwoh said hi. Okonkwoh left."
    fixed = "I met Okonkwo. Okonkwo said hi. Okonkwe left."
    result = learn(read_text(raw, fmt="plain"), read_text(fixed, fmt="plain"))
    assert result.rules == ()
    assert "different ways" in result.skipped[0].reason


def test_a_word_whose_case_went_both_ways_is_no_skip_to_report():
    raw = "We went, And then we ate. We sat, And then we slept. Oh well, and so. We say, and so."
    fixed = "We went, and then we ate. We sat, and then we slept. Oh well, And so. We say, And so."
    result = learn(read_text(raw, fmt="plain"), read_text(fixed, fmt="plain"))
    assert all(skip.before != skip.after for skip in result.skipped)


def test_existing_variant_is_not_learned_again():
    existing = parse_pack(_pack([]).replace("rules: []", """rules:
  - id: trezor
    category: brand
    match: [Trezzor]
    replace: Trezor
    examples: [{in: "a Trezzor", out: "a Trezor"}]
""").encode(), "x.yaml").rules
    result = learn(read(RAW), read(REVIEWED), existing)
    assert "Trezor" not in by_replace(result)
    assert any("already fixed by rule 'trezor'" in s.reason for s in result.skipped)


def test_name_ending_in_s_gets_its_plural_variant():
    raw = "Hello Sjoerd. So Sjoerd, what now? Thanks Sjoerd."
    fixed = "Hello Sjors. So Sjors, what now? Thanks Sjors."
    (rule,) = learn(read_text(raw, fmt="plain"), read_text(fixed, fmt="plain")).rules
    assert rule.match == ("Sjoerd", "Sjoerds")
    assert fix("Sjoerds said so.", _pack([rule])) == "Sjors said so."


# ------------------------------------------------------------------------------------------
# Command line


def test_dry_run_prints_yaml_with_skipped_comments(capsys, tmp_path):
    code, out, err = run(["learn", RAW, REVIEWED, "--no-default-rules"], capsys)
    assert code == 0 and err == ""
    doc = YAML(typ="safe").load(out)
    assert {rule["id"] for rule in doc["rules"]} == {"bram", "coldcard", "miniscript",
                                                     "pieter", "trezor"}
    assert '#   "going" -> "gonna" (×2): not a name or term' in out
    assert list(tmp_path.iterdir()) == []


def test_not_the_same_recording_is_refused(capsys):
    code, out, err = run(["learn", SEED, REVIEWED], capsys)
    assert code == 2 and out == ""
    assert "not the same recording" in err and err.count("\n") == 1


PACK = """# My show's pack.
pack: my-show   # the id
description: Names on my show.

rules:

  # People
  - id: bram
    category: name
    match: [Bram O.]    # an old variant
    replace: Bram
    examples:
      - {in: "with Bram O. today", out: "with Bram today"}

# The end.
"""


def test_into_merges_variants_and_appends_rules_keeping_the_file(tmp_path, capsys):
    pack = tmp_path / "my-show.yaml"
    pack.write_text(PACK)
    code, out, err = run(["learn", RAW, REVIEWED, "--into", pack, "--no-default-rules"], capsys)
    assert code == 0, err
    text = pack.read_text()
    changes = list(difflib.ndiff(PACK.splitlines(), text.splitlines()))
    removed = [line[2:] for line in changes if line.startswith("- ")]
    added = [line[2:] for line in changes if line.startswith("+ ")]
    assert removed == ["    match: [Bram O.]    # an old variant"]
    assert added[0] == "    match: [Bram O., Brahm] # an old variant"
    assert text.startswith(PACK.split("    match:")[0]) and text.endswith("\n\n# The end.\n")
    loaded = parse_pack(text.encode(), str(pack))
    ids = [rule.id for rule in loaded.rules]
    assert ids == ["bram", "coldcard", "miniscript", "pieter", "trezor"]
    assert "added 4 rule(s)" in out and "'Brahm' to rule 'bram'" in out
    assert selftest.run([loaded]) == []
    # A second run finds everything there already and changes nothing.
    before = pack.read_bytes()
    code, out, _ = run(["learn", RAW, REVIEWED, "--into", pack, "--no-default-rules"], capsys)
    assert code == 0 and pack.read_bytes() == before and "unchanged" in out


def test_into_never_reuses_an_id_of_another_pack(tmp_path, capsys):
    other = tmp_path / "other.yaml"
    other.write_text("rules:\n  - id: coldcard\n    category: term\n    match: [frost card]\n"
                     "    replace: Frostcard\n    examples: [{in: frost card, out: Frostcard}]\n")
    pack = tmp_path / "new.yaml"
    code, _, err = run(["learn", RAW, REVIEWED, "--into", pack, "--rules", other,
                        "--no-default-rules"], capsys)
    assert code == 0, err
    ids = [rule.id for rule in parse_pack(pack.read_bytes(), str(pack)).rules]
    assert "coldcard-2" in ids and "coldcard" not in ids


def test_into_a_new_file_creates_a_pack(tmp_path, capsys):
    pack = tmp_path / "Fresh Show.yaml"
    assert run(["learn", RAW, REVIEWED, "--into", pack, "--no-default-rules"], capsys)[0] == 0
    loaded = parse_pack(pack.read_bytes(), str(pack))
    assert loaded.id == "fresh-show" and len(loaded.rules) == 5


def test_read_only_pack_is_an_error_and_left_untouched(tmp_path, capsys):
    pack = tmp_path / "ro.yaml"
    pack.write_text(PACK)
    os.chmod(pack, stat.S_IRUSR | stat.S_IRGRP)
    try:
        code, _, err = run(["learn", RAW, REVIEWED, "--into", pack], capsys)
        assert code == 2 and "read-only" in err and err.count("\n") == 1
        assert pack.read_text() == PACK
    finally:
        os.chmod(pack, stat.S_IRUSR | stat.S_IWUSR)


def test_pack_with_a_syntax_error_is_an_error_and_left_untouched(tmp_path, capsys):
    pack = tmp_path / "broken.yaml"
    broken = PACK.replace("match: [Bram O.]", "match: [Bram O.")
    pack.write_text(broken)
    code, _, err = run(["learn", RAW, REVIEWED, "--into", pack], capsys)
    assert code == 2 and "invalid YAML" in err and str(pack) in err
    assert pack.read_text() == broken
    assert [p.name for p in tmp_path.iterdir()] == ["broken.yaml"]


def test_crlf_and_bom_of_a_pack_are_kept(tmp_path, capsys):
    pack = tmp_path / "win.yaml"
    pack.write_bytes(b"\xef\xbb\xbf" + PACK.replace("\n", "\r\n").encode())
    assert run(["learn", RAW, REVIEWED, "--into", pack, "--no-default-rules"], capsys)[0] == 0
    data = pack.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# My show's pack.\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_bad_min_count_is_a_usage_error(capsys):
    code, _, err = run(["learn", RAW, REVIEWED, "--min-count", "0"], capsys)
    assert code == 2 and "--min-count" in err


def _pack(rules) -> str:
    from cleaner.learn.packedit import merge_rules, new_pack_text

    return merge_rules(new_pack_text("learned", "Test."), "learned.yaml", rules).text


def test_shipped_readme_documents_learn_and_suggest():
    readme = (ROOT / "README.md").read_text()
    assert "cleaner learn" in readme and "cleaner suggest" in readme


def test_learned_pack_is_lint_clean(tmp_path, capsys):
    pack = tmp_path / "show.yaml"
    assert run(["learn", RAW, REVIEWED, "--into", pack, "--no-default-rules"], capsys)[0] == 0
    code, out, err = run(["rules", "lint", "--rules", pack, "--no-default-rules"], capsys)
    assert code == 0, out + err
