"""Names: the forms a cast member goes by, and finding them in text."""

from __future__ import annotations

import pytest

from cleaner.attribute.mentions import NameIndex, common_words, name_forms, spelling_variants


def forms(name, aliases=()):
    return [form for form, _ in name_forms(name, aliases)]


def test_forms_skip_initials_and_keep_particles():
    assert set(forms("Barack H Obama")) == {"Barack H Obama", "Barack Obama", "Barack", "Obama"}
    assert set(forms("H Ross Perot")) == {"H Ross Perot", "Ross Perot", "Ross", "Perot"}
    assert {"van Wirdum", "Wirdum", "Aaron"} <= set(forms("Aaron van Wirdum"))
    assert forms("Casey Newton", ["Case"])[-1] in {"Case", "Casey"}


@pytest.mark.parametrize("text, found", [
    ("Casey, how would you describe it?", [("Casey", "Casey Newton")]),
    ("Senator Obama, two minutes.", [("Senator Obama", "Barack H Obama")]),
    ("Thanks Kevin, and Kevin Scott said so.", [("Kevin", "Kevin Roose")]),  # not "Kevin Scott"
    ("Isaac Newton was right, said Casey Newton.", [("Casey Newton", "Casey Newton")]),
    ("Kevin Roose's column", [("Kevin Roose", "Kevin Roose")]),
])
def test_find_names(text, found):
    index = NameIndex([("Kevin Roose", ()), ("Casey Newton", ()), ("Barack H Obama", ())])
    assert [(m.form, m.speaker) for m in index.find(text)] == found


def test_a_one_word_form_used_as_an_ordinary_word_is_not_a_name():
    text = "The marketing team met. Marketing said no to more marketing."
    index = NameIndex([("Marketing", ()), ("Mark Bates", ())], text)
    assert index.find("Marketing said no.") == []
    assert [m.speaker for m in index.find("Mark, what do you think?")] == ["Mark Bates"]


def test_a_web_address_or_a_single_slip_does_not_make_a_name_an_ordinary_word():
    text = "Visit spencer.place today. Spencer said so. Then spencer went home."
    index = NameIndex([("Spencer Chang", ())], text)
    assert [m.form for m in index.find("Spencer, you made my day.")] == ["Spencer"]


def test_a_form_two_members_share_names_neither():
    index = NameIndex([("Mark Bates", ()), ("Mark Erhardt", ())])
    assert [m.form for m in index.find("Mark, and Bates, and Erhardt")] == ["Bates", "Erhardt"]


def test_lookup_needs_the_whole_string():
    index = NameIndex([("Sam Altman", ())])
    assert index.lookup("Sam") == "Sam Altman"
    assert index.lookup("Mr. Altman") == "Sam Altman"
    assert index.lookup("Sam and friends") is None


def test_find_each_matches_find_per_text_and_never_reaches_across_texts():
    index = NameIndex([("Sjors Provoost", ()), ("Kevin Roose", ())], "it is said")
    texts = ["Live from Utrecht, this is Bitcoin Explained.", "Sjors, it's been a month.",
             "Kevin", "Roose is here."]
    assert index.find_each(texts) == [tuple(index.find(text)) for text in texts]
    assert [m.speaker for m in index.find_each(texts)[1]] == ["Sjors Provoost"]


def test_spelling_variants_differ_by_one_vowel_and_keep_the_consonants():
    people = [("Sergei Tikhomirov", ()), ("Adam Jonas", ()), ("Barack H Obama", ())]
    text = ("Sergey, Clara, thanks for joining. Osama bin Laden was named. Sergei agreed. "
            "Jonas said it. Serg left. The adams family. Obamaa-")
    variants = spelling_variants(people, text, common_words(text))
    assert variants == {"Sergei Tikhomirov": ["Sergey"], "Barack H Obama": ["Obamaa"]}


def test_variants_fold_accents_and_possessives_and_skip_ordinary_words():
    people = [("José Alvarez", ()), ("Dana Moore", ()), ("Sergei Tikhomirov", ())]
    text = "Jose said so. Álvarez agreed. More or less, more and more than Sergey's point."
    variants = spelling_variants(people, text, common_words(text))
    assert variants == {"José Alvarez": ["Jose", "Álvarez"], "Sergei Tikhomirov": ["Sergey"]}


def test_a_variant_close_to_two_members_names_nobody():
    people = [("Jonas Alder", ()), ("Jonis Baker", ())]
    assert spelling_variants(people, "Jonus was here.", set()) == {}
