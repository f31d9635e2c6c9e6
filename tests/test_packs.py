"""Loading and validating rule packs: every user mistake is a one-line error with file:line."""

from __future__ import annotations

import pytest

from cleaner.errors import CleanerError
from cleaner.correct.packs import load_library
from helpers import pack_from


def error_for(text: str) -> CleanerError:
    with pytest.raises(CleanerError) as info:
        pack_from(text, "bad.yaml")
    return info.value


def test_bad_yaml_names_file_line_and_column():
    error = error_for("pack: x\nrules:\n  - id: a\n    match: [unclosed\n")
    assert error.path == "bad.yaml" and error.line is not None and error.col is not None
    assert str(error).startswith("bad.yaml:")


def test_unknown_key_is_named_with_its_line():
    error = error_for("rules:\n  - id: a\n    category: name\n    replce: b\n    match: [x]\n")
    assert "unknown key 'replce'" in str(error) and error.line == 4


def test_missing_field_is_named():
    error = error_for("rules:\n  - id: a\n    match: [x]\n    replace: y\n")
    assert "missing required field 'category'" in str(error) and error.line == 2


def test_invalid_regex_names_rule_and_line():
    error = error_for("rules:\n  - id: broken\n    category: term\n    regex: 'a(b'\n    replace: c\n")
    assert "rule 'broken'" in str(error) and "invalid regex" in str(error) and error.line == 2


def test_match_and_regex_are_exclusive():
    error = error_for("rules:\n  - id: a\n    category: term\n    match: [x]\n    regex: x\n    replace: y\n")
    assert "exactly one of 'match' or 'regex'" in str(error)


def test_unknown_category_and_bad_case():
    assert "unknown category" in str(error_for(
        "rules:\n  - id: a\n    category: fruit\n    match: [x]\n    replace: y\n"))
    assert "'case' must be" in str(error_for(
        "rules:\n  - id: a\n    category: term\n    match: [x]\n    replace: y\n    case: upper\n"))


def test_duplicate_rule_ids_across_packs(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("rules:\n  - id: same\n    category: term\n    match: [x]\n    replace: y\n")
    with pytest.raises(CleanerError, match="duplicate rule id 'same'"):
        load_library([tmp_path / "a.yaml", tmp_path / "b.yaml"], defaults=False)


def test_disabling_an_unknown_rule_is_an_error():
    with pytest.raises(CleanerError, match="unknown rule id"):
        load_library(defaults=True, disabled=["no-such-rule"])


def test_unknown_yaml_tags_never_construct_objects():
    error = error_for("rules: !!python/object/apply:os.system ['echo hacked']\n")
    assert isinstance(error, CleanerError)


def test_cast_in_a_pack_is_validated():
    error = error_for("rules: []\ncast:\n  - {name: A, role: boss}\n")
    assert "unknown role 'boss'" in str(error)
    error = error_for("rules: []\ncast:\n  - {name: A, aliases: [Al]}\n  - {name: B, aliases: [al]}\n")
    assert "names both" in str(error)
