"""A given cast that leaves out someone the text shows speaking: a one-line warning naming
them, on stderr, in the report and in JSON. Names here are invented."""

from __future__ import annotations

import json

from cleaner import Options, clean, render
from cleaner.attribute.cast import build_cast, missing_warnings
from cleaner.cli import main
from cleaner.correct.castfile import parse_cast
from cleaner.render.report import render_md

CAST_YAML = """speakers:
  - name: Tom Becker
    role: host
  - name: Anna Berg
    role: guest
"""
CAST = parse_cast(CAST_YAML, "cast.yaml")
SHOW = """Hi, I'm Tom Becker, and with me as always is my co-host.
Thanks, Tom. Today we talk about boats.
Our guest is Anna Berg, who sails.
Anna Berg, welcome to the show.
Thanks, Priya. Thanks, Tom. Glad to be here.
So Anna, how did you start sailing?
My mother sailed, and I learned from her.
"""


def warnings_for(text, cast=CAST):
    texts = text.splitlines()
    return missing_warnings(build_cast(cast, (), texts, lines=list(range(1, len(texts) + 1))))


def test_someone_greeted_but_not_in_the_cast_is_named_once():
    found = warnings_for(SHOW)
    assert len(found) == 1
    assert found[0].startswith("Priya is addressed (line 5) but is not in the given cast")
    assert "\n" not in found[0]


def test_introduced_and_welcomed_people_are_named_too():
    text = SHOW.replace("Thanks, Priya.", "Thanks.") + "My name is Carl Moss, and I have a question.\n"
    text += "Lena Holm, welcome to the show.\n"
    found = warnings_for(text)
    assert [w.split(" (")[0] for w in found] == ["Carl Moss introduces themself",
                                                 "Lena Holm is welcomed"]


def test_no_warning_for_members_their_names_mentions_or_misheard_spellings():
    assert warnings_for(SHOW.replace("Thanks, Priya.", "Thanks, Anna.")) == []
    misheard = SHOW.replace("Priya", "Ana").replace("Anna Berg", "someone")
    assert warnings_for(misheard) == []                                  # "Anna", misheard
    assert warnings_for(misheard, CAST[:1])[0].startswith("Ana is addressed")
    assert warnings_for(SHOW.replace("Thanks, Priya.", "Here is Priya.")) == []  # a mention
    # Addressed once without a greeting: a place as often as a person ("I mean, Spain?").
    assert warnings_for(SHOW.replace("Thanks, Priya.", "I mean, Spain?")) == []


def test_without_a_given_cast_nobody_is_missing():
    assert warnings_for(SHOW, cast=None) == []


def test_the_warning_goes_to_stderr_the_report_and_json(tmp_path, capsys):
    (tmp_path / "show.txt").write_text(SHOW, encoding="utf-8")
    (tmp_path / "cast.yaml").write_text(CAST_YAML, encoding="utf-8")
    code = main(["clean", str(tmp_path / "show.txt"), "--cast", str(tmp_path / "cast.yaml"),
                 "-o", str(tmp_path / "out.md")])
    err = capsys.readouterr().err
    assert code == 0
    assert f"{tmp_path / 'show.txt'}: warning: Priya is addressed (line 5)" in err
    result = clean(SHOW, path="show.txt", options=Options(input_format="plain", cast=CAST))
    assert "- warning: Priya is addressed (line 5)" in render_md(result)
    assert json.loads(render(result, "json"))["warnings"] == result.options["warnings"]
    quiet = clean(SHOW, path="show.txt", options=Options(input_format="plain"))
    assert "warnings" not in json.loads(render(quiet, "json"))
