"""Misheard cast names fixed from the cast: edits in the correct stage, and what suggest,
learn and cast discovery make of such names. Names here are invented."""

from __future__ import annotations

import json

from cleaner import Options, clean, render, restore
from cleaner.attribute.cast import discover
from cleaner.cli import main
from cleaner.correct.castfile import parse_cast
from cleaner.correct.castnames import NameFixer, propose_name_fixes
from cleaner.correct.matcher import tokenize
from cleaner.correct.packs import CastMember
from cleaner.edits import Proposal, build_stream
from cleaner.learn.learn import LearnOptions, learn, names_of
from cleaner.learn.suggest import known_names, suggest
from cleaner.read import read_text
from cleaner.words.similar import misheard_name_word

CAST_YAML = """speakers:
  - name: Tom Becker
    role: host
  - name: Jonas Lindqvist
    role: guest
"""
CAST = parse_cast(CAST_YAML, "cast.yaml")
EPISODE = """Hi, I'm Tom Becker and this is the show.
Today my guest is Yonas Lindquist, who builds boats in Sweden.
Yonas, welcome to the show.
Thanks, Tom. It's great to be here.
So Yonas's first boat, how did that start?
My father built boats, and I learned from him.
"""


def fixes(text, members=CAST):
    return [(f.heard, f.after) for f in NameFixer(members).find(text)]


def cleaned(text, cast=CAST, **options):
    return clean(text, path="ep.txt", options=Options(input_format="plain", cast=cast,
                                                      default_rules=False, **options))


def test_a_misheard_word_of_a_name_is_alike_and_not_english():
    assert misheard_name_word("Lindquist", "Lindqvist")
    assert misheard_name_word("Yonas", "Jonas")            # inside the full name
    assert not misheard_name_word("Yonas", "Jonas", alone=True)  # alone: sounds too unlike
    assert misheard_name_word("Beker", "Becker", alone=True)
    assert not misheard_name_word("Rose", "Roose")         # an ordinary word
    assert not misheard_name_word("Jones", "Jonas", alone=True)  # a name of its own
    assert not misheard_name_word("Osama", "Obama", alone=True)
    assert not misheard_name_word("becker", "Becker")      # lowercase: not a name


def test_the_full_name_is_fixed_and_the_same_mishearing_alone_too():
    assert fixes(EPISODE) == [("Yonas Lindquist", "Jonas Lindqvist"), ("Yonas", "Jonas"),
                              ("Yonas", "Jonas")]


def test_fixes_are_edits_from_the_cast_file_and_restore_exactly():
    result = cleaned(EPISODE)
    names = [e for e in result.edits if e.rule == "cast.name"]
    assert [(e.line, e.before, e.after) for e in names] == [
        (2, "Yonas Lindquist", "Jonas Lindqvist"), (3, "Yonas", "Jonas"), (5, "Yonas", "Jonas")]
    assert {e.category for e in names} == {"name"}
    assert {e.origin for e in names} == {"cast.yaml:4"}  # the cast entry's line
    assert "Jonas's first boat" in result.text  # the possessive stays
    document = json.loads(render(result, "json"))
    assert restore(document) == EPISODE
    again = cleaned(render(result, "txt"))
    assert not [e for e in again.edits if e.rule == "cast.name"]  # idempotent


def test_the_report_lists_the_name_fixes():
    from cleaner.render.report import render_md

    report = render_md(cleaned(EPISODE))
    assert "`cast.name`" in report and "Yonas Lindquist~~ → Jonas Lindqvist" in report


def test_a_lone_variant_needs_the_full_name_misheard_or_a_near_spelling():
    # "Yonas" alone, never in the full name: too unlike "Jonas" to fix on its own.
    assert fixes("Yonas, welcome to the show.\nThanks, Tom.\n") == []
    # "Beker" looks and sounds nearly as "Becker" and is no English word.
    assert fixes("Thanks, Beker, for having me.\n") == [("Beker", "Becker")]


def test_common_words_other_names_and_longer_names_are_left_alone():
    members = CAST + (CastMember("Anna Rose", "guest"),)
    assert fixes("Tom Rose and Anna Becker were there.\n", members) == []  # others' names
    assert fixes("Beker Street is in the north.\n") == []        # starts a longer name
    assert fixes("We met Isaac Beker there.\n") == []            # ends a longer name
    assert fixes("A beker is a cup, a beker of tea. Beker, hi.\n") == []         # used in lowercase
    assert fixes("See beker-boats.com and Beker-style hulls.\n") == []  # glued to more text
    assert fixes("Tom Becker and Jonas Lindqvist.\n") == []       # already right


def test_a_pack_rule_wins_and_keep_cases_protect_a_phrase():
    text = "Today my guest is Yonas Lindquist.\n"
    stream = build_stream(read_text(text, fmt="plain"))
    tokens = tokenize(stream.text)
    found = propose_name_fixes(stream, tokens, CAST)
    assert [p.after for p in found] == ["Jonas Lindqvist"]
    rule = Proposal(18, 23, "Jonas", "pack-rule", "name", "pack.yaml:3")
    assert propose_name_fixes(stream, tokens, CAST, [rule]) == []
    keep = lambda: ["The sailor Yonas Lindquist is another man."]  # noqa: E731
    assert propose_name_fixes(stream, tokens, CAST, (), keep) == []


def test_no_cast_no_fixes_and_a_pack_cast_fixes_too():
    assert not [e for e in cleaned(EPISODE, cast=None).edits if e.rule == "cast.name"]
    pack = """pack: boats
description: a show pack with a cast
detect:
  title: ['^Boats']
cast:
  - {name: Jonas Lindqvist, role: host}
rules: []
"""
    from pathlib import Path
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "boats.yaml"
        path.write_text(pack, encoding="utf-8")
        result = clean(EPISODE, path="ep.txt", options=Options(
            input_format="plain", rules=(str(path),), default_rules=False))
    names = [e for e in result.edits if e.rule == "cast.name"]
    assert names and names[0].after == "Jonas Lindqvist"
    assert names[0].origin == f"{path}:6"


def test_the_cast_fixes_names_without_speakers_too(tmp_path, capsys):
    (tmp_path / "ep.txt").write_text(EPISODE, encoding="utf-8")
    (tmp_path / "cast.yaml").write_text(CAST_YAML, encoding="utf-8")
    code = main(["clean", str(tmp_path / "ep.txt"), "--cast", str(tmp_path / "cast.yaml"),
                 "--no-speakers", "--format", "txt"])
    out = capsys.readouterr().out
    assert code == 0 and "Jonas Lindqvist, who builds boats" in out


def test_suggest_proposes_the_full_name():
    transcript = read_text(EPISODE, fmt="plain")
    found = [(c.text, c.name) for c in suggest(transcript, known_names(cast=CAST))]
    assert ("Yonas Lindquist", "Jonas Lindqvist") in found
    assert ("Lindquist", "Lindqvist") not in found  # the part gives way to the whole


def test_learn_keeps_a_name_the_cast_knows_though_english_has_the_word():
    raw = read_text("Hi, I am Tom Becker.\nYonas, welcome to the show.\n", fmt="plain")
    fixed = read_text("Hi, I am Tom Becker.\nJonas, welcome to the show.\n", fmt="plain")
    without = learn(raw, fixed)
    assert not without.rules and "not a name" in without.skipped[0].reason
    known = learn(raw, fixed, options=LearnOptions(names=names_of(CAST)))
    assert [(r.match, r.replace) for r in known.rules] == [(("Yonas",), "Jonas")]


def test_learn_reads_the_cast_option(tmp_path, capsys):
    (tmp_path / "raw.txt").write_text("Hi, I am Tom Becker.\nYonas, welcome to the show.\n")
    (tmp_path / "fixed.txt").write_text("Hi, I am Tom Becker.\nJonas, welcome to the show.\n")
    (tmp_path / "cast.yaml").write_text(CAST_YAML)
    code = main(["learn", str(tmp_path / "raw.txt"), str(tmp_path / "fixed.txt"),
                 "--cast", str(tmp_path / "cast.yaml")])
    assert code == 0 and "replace: Jonas" in capsys.readouterr().out


NO_CAST = """Hi, I'm Tom Becker and this is the show.
Today my guest is Jonas Lindqvist, who builds boats in Sweden.
Yonas, welcome to the show.
Thanks, Tom. It's great to be here.
So Yonas, how did you start building boats?
My father built boats, and I learned from him.
"""


def test_without_a_cast_a_misheard_name_is_not_a_second_speaker():
    people = {m.name: m for m, _ in discover(NO_CAST.splitlines())}
    assert sorted(people) == ["Jonas Lindqvist", "Tom Becker"]
    assert people["Jonas Lindqvist"].aliases == ("Yonas",)
    speakers = {t.speaker for t in cleaned(NO_CAST, cast=None).turns}
    assert speakers == {"Tom Becker", "Jonas Lindqvist"}


def test_without_a_cast_a_misheard_full_name_folds_into_the_name_english_knows():
    lines = NO_CAST.replace("Jonas Lindqvist", "Yonas Lindquist").splitlines()
    lines += ["Thanks for coming on, Jonas Lindqvist.", "I am Jonas Lindqvist, a boat builder."]
    people = {m.name: m for m, _ in discover(lines)}
    assert sorted(people) == ["Jonas Lindqvist", "Tom Becker"]
    assert set(people["Jonas Lindqvist"].aliases) >= {"Yonas Lindquist", "Yonas"}
