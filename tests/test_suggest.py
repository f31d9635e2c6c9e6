"""Suggesting likely misspellings of known names."""

from __future__ import annotations

import json

import pytest

from cleaner.correct.castfile import parse_cast
from cleaner.cli import main
from cleaner.errors import CleanerError
from cleaner.correct.packs import CastMember, compile_rules, parse_pack
from cleaner.read import read_text
from cleaner.learn.suggest import Known, known_names, parse_glossary, suggest
from conftest import FIXTURES

EP2 = FIXTURES / "pairs" / "show-ep2.raw.md"
TEXT = """I asked Chad GPD about it.
Casey Noon and Kevin Roos were on the show.
Kevin Roose said ChatGPT is good, and Casey Newton agreed.
"""
KNOWN = [Known("ChatGPT", "glossary"), Known("Casey Newton", "cast"),
         Known("Kevin Roose", "cast")]


def run(argv, capsys):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def found(text, known=KNOWN, **options):
    return [(c.text, c.name) for c in suggest(read_text(text, fmt="plain"), known, **options)]


def test_misheard_names_are_found():
    assert sorted(found(TEXT)) == [("Casey Noon", "Casey Newton"), ("Chad GPD", "ChatGPT"),
                                   ("Kevin Roos", "Kevin Roose")]


def test_text_already_a_known_name_is_never_flagged():
    text = "Kevin Roose's show. ChatGPT's answer. Casey Newton. KEVIN ROOSE."
    assert found(text) == []


def test_candidate_has_count_context_line_and_a_working_rule():
    text = "hello\nKevin Roos here.\nAnd Kevin Roos again.\n"
    (candidate,) = suggest(read_text(text, fmt="plain"), KNOWN)
    assert candidate.count == 2 and candidate.source == "cast"
    assert candidate.contexts == ((2, "hello Kevin Roos here. And Kevin Roos again"),
                                  (3, "hello Kevin Roos here. And Kevin Roos again"))
    rule = candidate.rule
    assert rule.replace == "Kevin Roose" and rule.match == ("Kevin Roos",)
    assert rule.examples == (("hello Kevin Roos here. And Kevin Roos again",
                              "hello Kevin Roose here. And Kevin Roose again"),)


def test_ordinary_words_are_marked_and_need_a_high_score():
    known = [Known("Pieter", "cast"), Known("OpenAI", "pack tech")]
    (candidate,) = suggest(read_text("Peter said the open source world.", fmt="plain"), known)
    assert (candidate.text, candidate.ordinary) == ("Peter", True)


def test_known_names_from_cast_glossary_packs_and_speakers():
    pack = parse_pack(b"rules:\n  - id: x\n    category: name\n    match: [Bitcorn]\n"
                      b"    replace: Bitcoin Core\n    examples: [{in: Bitcorn, out: Bitcoin Core}]\n"
                      b"  - id: y\n    category: other\n    match: [gonna]\n    replace: going to\n"
                      b"    examples: [{in: gonna, out: going to}]\n", "p.yaml")
    known = known_names(cast=[CastMember("Sjors Provoost", aliases=("Sjors",))],
                        glossary=["Coldcard"], packs=[pack], speakers=["Aaron van Wirdum"])
    names = {k.name: k.source for k in known}
    assert names == {"Sjors Provoost": "cast", "Sjors": "cast", "Provoost": "cast",
                     "Aaron van Wirdum": "speakers", "Aaron": "speakers", "Wirdum": "speakers",
                     "Coldcard": "glossary", "Bitcoin Core": "pack p"}


def test_glossary_format():
    assert parse_glossary("# names\nColdcard\n\n  Samourai Wallet  # the wallet\n#x\n") == [
        "Coldcard", "Samourai Wallet"]


def test_cast_file_is_validated():
    cast = parse_cast("speakers:\n  - name: Ada\n    role: host\n", "c.yaml")
    assert cast == (CastMember("Ada", "host"),)
    with pytest.raises(CleanerError, match="unknown role 'boss'"):
        parse_cast("speakers:\n  - name: Ada\n    role: boss\n", "c.yaml")
    with pytest.raises(CleanerError, match="speakers"):
        parse_cast("people: []\n", "c.yaml")


# ------------------------------------------------------------------------------------------
# Command line


@pytest.fixture
def glossary(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("Coldcard\nTrezor\nMiniscript\n")
    return path


def test_cli_lists_ranked_candidates(capsys, glossary):
    code, out, err = run(["suggest", EP2, "--glossary", glossary, "--no-default-rules"], capsys)
    assert code == 0 and err == ""
    assert "1. 'mini script' -> 'Miniscript'" in out
    assert "'Brahm' -> 'Bram'" in out and "from speakers" in out
    assert "line 12: " in out


def test_cli_json_for_ci(capsys, glossary):
    code, out, _ = run(["suggest", EP2, "--glossary", glossary, "--format", "json",
                        "--no-default-rules"], capsys)
    items = json.loads(out)
    assert code == 0 and [item["number"] for item in items] == list(range(1, len(items) + 1))
    trezor = next(item for item in items if item["name"] == "Trezor")
    assert trezor["rule"]["match"] == ["Trezzor"] and trezor["ordinary"] is False


def test_write_accepts_all_non_ordinary_by_default(tmp_path, capsys, glossary):
    pack = tmp_path / "show.yaml"
    code, _, err = run(["suggest", EP2, "--glossary", glossary, "--write", pack,
                        "--no-default-rules"], capsys)
    assert code == 0 and "added 2 rule(s): trezor, bram" in err
    rules = {r.replace: r.match for r in parse_pack(pack.read_bytes(), str(pack)).rules}
    assert rules == {"Trezor": ("Trezzor",), "Bram": ("Brahm",)}


def test_write_with_accept_by_number_and_text(tmp_path, capsys, glossary):
    pack = tmp_path / "show.yaml"
    code, _, err = run(["suggest", EP2, "--glossary", glossary, "--write", pack,
                        "--accept", "1", "--accept", "cold cart", "--no-default-rules"], capsys)
    assert code == 0, err
    rules = {r.replace for r in parse_pack(pack.read_bytes(), str(pack)).rules}
    assert rules == {"Miniscript", "Coldcard"}


@pytest.mark.parametrize("accept, message", [("99", "there are 4 candidates"),
                                             ("nothing like it", "no candidate has that text")])
def test_bad_accept_is_an_error_and_writes_nothing(tmp_path, capsys, glossary, accept, message):
    pack = tmp_path / "show.yaml"
    code, _, err = run(["suggest", EP2, "--glossary", glossary, "--write", pack,
                        "--accept", accept, "--no-default-rules"], capsys)
    assert code == 2 and message in err and not pack.exists()


def test_accept_without_write_is_a_usage_error(capsys):
    code, _, err = run(["suggest", EP2, "--accept", "1"], capsys)
    assert code == 2 and "--accept needs --write" in err


def test_cast_option(tmp_path, capsys):
    cast = tmp_path / "cast.yaml"
    cast.write_text("speakers:\n  - name: Ada Wirth\n    role: host\n"
                    "  - name: Kwame Trezor\n    role: guest\n")
    code, out, _ = run(["suggest", EP2, "--cast", cast, "--no-default-rules"], capsys)
    assert code == 0 and "'Trezzor' -> 'Trezor'" in out and "from cast" in out


def test_words_a_loaded_rule_already_fixes_are_not_findings():
    pack = parse_pack(b"rules:\n  - id: kevin-roose\n    category: name\n    match: [Kevin Roos]\n"
                      b"    replace: Kevin Roose\n"
                      b"    examples: [{in: Kevin Roos, out: Kevin Roose}]\n", "p.yaml")
    ruleset = compile_rules(list(pack.rules), (pack.id,))
    transcript = read_text(TEXT, fmt="plain")
    names = [c.name for c in suggest(transcript, KNOWN, ruleset=ruleset)]
    assert "Kevin Roose" not in names and "ChatGPT" in names


def test_a_part_of_a_longer_name_is_not_a_misspelling():
    assert found("Andrew Miller and Lex said hi.", [Known("Andrew Ng", "pack tech"),
                                                    Known("Lex Fridman", "pack tech")]) == []


def test_names_known_only_from_packs_need_a_higher_score():
    text = "We asked Amini about it."
    assert found(text, [Known("Gemini", "glossary")]) == [("Amini", "Gemini")]
    assert found(text, [Known("Gemini", "pack tech")]) == []
