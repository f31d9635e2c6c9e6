"""The cast: cast files, discovery from the text, and how given, pack and found casts combine."""

from __future__ import annotations

import pytest

from cleaner.attribute.cast import build_cast, discover
from cleaner.cli import main
from cleaner.errors import CleanerError
from cleaner.correct.castfile import parse_cast
from cleaner.correct.packs import CastMember
from conftest import SEED


def found(texts, title=None):
    return {member.name: member.role for member, _ in discover(texts, title)}


def test_self_introductions_and_hosting():
    people = found([
        "Hello, listeners.",
        "I'm Kevin Roose, a tech columnist.",
        "I'm Casey Newton for Platformer.",
        "The show is hosted by Kevin Roose and Casey Newton.",
    ])
    assert people == {"Kevin Roose": "host", "Casey Newton": "host"}


def test_welcome_and_title_make_a_guest():
    people = found(["Sam Altman, welcome back to the show.", "Thank you."],
                   title="'Hard Fork': An Interview With Sam Altman")
    assert people == {"Sam Altman": "guest"}
    assert found(["Today I'm joined by Spencer Chang, who made my day."]) == {"Spencer Chang": "guest"}


def test_narrator_introduces_themself_first_and_hands_over():
    people = found([
        "Hey, it's Michael.",
        "Today we play you an interview by two colleagues.",
        "Anyway, here's Kevin and here's Casey.",
        "Take a listen.",
        "Hello, everyone.",
        "Casey, what do you think of it?",
        "I think it is great, Kevin.",
        "So, Casey, tell me more about you?",
    ])
    assert people["Michael"] == "narrator"
    assert {"Kevin", "Casey"} <= set(people)


def test_a_given_name_is_merged_into_the_full_name():
    people = found(["I'm Kevin Roose.", "Kevin, how are you?", "Fine, thanks, Kevin."])
    assert people == {"Kevin Roose": "host"}


def test_names_in_credits_and_once_addressed_words_are_not_speakers():
    people = found([
        "Jane, is that right?",  # addressed once, and never written mid-sentence: not enough
        "The show is produced by Davis Land and Rachel Cohn.",
        "Spain, do you hear me?",
    ])
    assert people == {}


def test_given_cast_is_closed_and_roles_are_completed():
    given = (CastMember("Jim Lehrer", "host"), CastMember("John McCain"), CastMember("Barack Obama"))
    cast = build_cast(given, (), ["Good evening, I'm Jim Lehrer.", "I'm Sam Smith, a voter."])
    assert cast.closed
    assert [(m.name, m.role) for m in cast.members] == [
        ("Jim Lehrer", "host"), ("John McCain", "guest"), ("Barack Obama", "guest")]


def test_pack_cast_is_completed_with_discovered_guests():
    pack = (CastMember("Kevin Roose", "host", ("Kevin",)), CastMember("Casey Newton", "host"))
    cast = build_cast(None, pack, ["I'm Kevin Roose.", "Sam Altman, welcome back to the show."])
    assert not cast.closed
    assert [(m.name, m.role) for m in cast.members] == [
        ("Kevin Roose", "host"), ("Casey Newton", "host"), ("Sam Altman", "guest")]


def test_speaker_hints_join_the_cast():
    cast = build_cast(None, (), ["Hello there."], hints=["Ann Lee", "Ann Lee"])
    assert [m.name for m in cast.members] == ["Ann Lee"]


def test_seed_cast_is_discovered_with_roles():
    from cleaner import Options, clean
    from cleaner.attribute import attribute

    base = clean(SEED.read_text(encoding="utf-8"), options=Options(speakers=False))
    done = attribute(base.transcript, base.corrected, base.edits)  # no cast, no pack cast
    roles = {m.name: m.role for m in done.cast.members}
    assert roles == {"Michael": "narrator", "Kevin Roose": "host", "Casey Newton": "host",
                     "Sam Altman": "guest"}


@pytest.mark.parametrize("text, message", [
    ("speakers:\n  - {name: Ann}\n  - {name: Ann}\n", "duplicate name 'Ann'"),
    ("speakers:\n  - {name: Ann, aliases: [A]}\n  - {name: Bob, aliases: [A]}\n", "'A' names both"),
    ("speakers:\n  - {name: Ann, role: boss}\n", "unknown role 'boss'"),
    ("people:\n  - {name: Ann}\n", "'speakers:' list"),
])
def test_bad_cast_files(text, message):
    with pytest.raises(CleanerError, match=message):
        parse_cast(text, "cast.yaml")


def test_bad_cast_file_on_the_command_line_is_one_line_and_exit_2(tmp_path, capsys):
    cast = tmp_path / "cast.yaml"
    cast.write_text("speakers:\n  - {name: Ann, role: host}\n  - {name: Ann, role: guest}\n")
    out = tmp_path / "out.md"
    code = main(["clean", str(SEED), "--cast", str(cast), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and f"{cast}:3" in err and "duplicate" in err
    assert not out.exists()
