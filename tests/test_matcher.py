"""Matching semantics of literal and regex rules (foundation issue, 'Matching semantics')."""

from __future__ import annotations

import pytest

from cleaner import Options, clean
from cleaner.correct.matcher import LiteralIndex, tokenize
from helpers import fix

PACK = """
pack: t
rules:
  - id: kevin-roose
    category: name
    match: [Kevin Roos]
    replace: Kevin Roose
  - id: chatgpt
    category: product
    match: [chat GPT, Chachi P.T., Chad GPD]
    replace: ChatGPT
  - id: cpp
    category: term
    match: [C plus plus, C++]
    replace: C++
  - id: dotnet
    category: term
    match: [.net framework]
    replace: .NET Framework
"""


def test_literal_match_is_case_insensitive_by_default():
    assert fix("I use CHAT gpt daily.", PACK) == "I use ChatGPT daily."


def test_case_exact_rule_only_matches_the_exact_case():
    pack = """
pack: t
rules:
  - id: replika
    category: product
    match: [Replica]
    replace: Replika
    case: exact
"""
    assert fix("Replica is an app.", pack) == "Replika is an app."
    assert fix("a replica of a ship", pack) == "a replica of a ship"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ask Chachi P.T. a question", "ask ChatGPT a question"),
        ("(Chachi P.T.)", "(ChatGPT)"),
        ("Chachi P.T.", "ChatGPT."),
        ("I asked Chachi P.T. Then it failed.", "I asked ChatGPT. Then it failed."),
        ("ask Chachi P.T. about it", "ask ChatGPT about it"),
        ("I write C plus plus.", "I write C++."),
        ("it was ASP.net framework code", "it was ASP.net framework code"),  # starts mid-word
        ("the .net framework", "the .NET Framework"),
    ],
)
def test_boundaries_work_with_punctuation_at_the_edges(text, expected):
    assert fix(text, PACK) == expected


def test_no_match_inside_a_longer_word():
    assert fix("Kevin Roosevelt spoke", PACK) == "Kevin Roosevelt spoke"
    assert fix("chat GPTx", PACK) == "chat GPTx"


def test_space_matches_any_whitespace_run():
    assert fix("I asked chat \t  GPT", PACK) == "I asked ChatGPT"


def test_phrase_split_across_lines_is_found_and_the_edit_covers_both_lines():
    text = "*  hosted by Kevin\n*  Roos and Casey\n"
    result = clean("# t\n" + text, options=Options(default_rules=False, rules=(), style="verbatim",
                                                   speakers=False),
                   library=_lib(PACK))
    edits = result.edits
    assert [(e.line, e.before, e.after) for e in edits] == [(2, "Kevin", "Kevin"), (3, "Roos", "Roose")]
    assert edits[0].group == edits[1].group is not None
    assert [t.text for t in result.turns] == ["hosted by Kevin", "Roose and Casey"]


def test_split_phrase_with_fewer_words_moves_to_the_first_line():
    pack = """
pack: t
rules:
  - id: openai
    category: company
    match: [open AI]
    replace: OpenAI
"""
    result = clean("I work at open\nAI now\n",
                   options=Options(input_format="plain", style="verbatim", speakers=False),
                   library=_lib(pack))
    assert [t.text for t in result.turns] == ["I work at OpenAI", "now"]
    assert {e.group for e in result.edits} == {1}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kevin Roos's column", "Kevin Roose's column"),
        ("Kevin Roos’s column", "Kevin Roose’s column"),
        ("two Chad GPDs", "two ChatGPTs"),
    ],
)
def test_possessive_and_plural_suffix_is_carried_through(text, expected):
    assert fix(text, PACK) == expected


def test_a_plain_s_is_not_added_to_a_replacement_that_ends_in_s():
    pack = """
pack: t
rules:
  - id: sjors
    category: name
    match: [Sjoerd]
    replace: Sjors
"""
    assert fix("Sjoerds said, and Sjoerd's point", pack) == "Sjors said, and Sjors's point"


def test_every_rule_sees_the_original_text_no_chaining():
    pack = """
pack: t
rules:
  - id: a-to-b
    category: term
    match: [alpha]
    replace: beta
  - id: b-to-c
    category: term
    match: [beta]
    replace: gamma
"""
    assert fix("alpha beta", pack) == "beta gamma"


def test_overlaps_leftmost_then_longest_then_priority_then_file_order():
    pack = """
pack: t
rules:
  - id: short
    category: term
    match: [New York]
    replace: NEW-YORK
  - id: long
    category: term
    match: [New York Times]
    replace: The Times
  - id: later-start
    category: term
    match: [York Times Square]
    replace: X
  - id: tie-low
    category: term
    match: [Big Apple]
    replace: low
  - id: tie-high
    category: term
    match: [Big Apple]
    replace: high
    priority: 5
  - id: first-in-file
    category: term
    match: [same thing]
    replace: first
  - id: second-in-file
    category: term
    match: [same thing]
    replace: second
"""
    assert fix("New York Times Square", pack) == "The Times Square"  # leftmost, then longest
    assert fix("the Big Apple", pack) == "the high"
    assert fix("the same thing", pack) == "the first"


def test_dropped_overlaps_are_reported_with_the_winner():
    pack = """
pack: t
rules:
  - id: long
    category: term
    match: [New York Times]
    replace: The Times
  - id: short
    category: term
    match: [York]
    replace: YORK
"""
    result = clean("New York Times\n", options=Options(input_format="plain"), library=_lib(pack))
    assert [(d.rule, d.beaten_by, d.before) for d in result.dropped] == [("short", "long", "York")]


def test_a_match_equal_to_its_replacement_is_not_an_edit():
    pack = """
pack: t
rules:
  - id: hard-fork
    category: show
    match: [hard fork, Hardfork]
    replace: Hard Fork
"""
    options = Options(input_format="plain", style="verbatim")
    result = clean("Hard Fork and Hardfork\n", options=options, library=_lib(pack))
    assert [(e.before, e.after) for e in result.edits] == [("Hardfork", "Hard Fork")]


def test_running_on_own_output_changes_nothing():
    once = fix("Kevin Roos asked chat GPT about C plus plus", PACK)
    assert once == "Kevin Roose asked ChatGPT about C++"
    assert fix(once, PACK) == once


def test_context_near_words_limits_a_rule():
    pack = """
pack: t
rules:
  - id: dall-e
    category: product
    match: [Dolly]
    replace: DALL-E
    context: {near: [generate, image], window: 5}
"""
    assert fix("go to Dolly and generate something", pack) == "go to DALL-E and generate something"
    assert fix("Dolly the sheep was cloned", pack) == "Dolly the sheep was cloned"
    far = "Dolly one two three four five six generate"
    assert fix(far, pack) == far


def test_context_topic_needs_enough_distinct_words():
    pack = """
pack: t
rules:
  - id: replika
    category: product
    match: [Replica]
    replace: Replika
    context: {topic: [AI, chatbot, app, companion], topic_min: 2}
"""
    about_app = "Replica is an AI companion.\nPeople love the app."
    assert fix(about_app, pack).startswith("Replika is")
    ship = "A replica of a ship.\nIt took years to build."
    assert fix(ship, pack) == ship


def test_context_show_only_when_the_show_pack_is_active():
    pack = """
pack: t
rules:
  - id: hard-fork-bot
    category: show
    match: [hard fork bot]
    replace: Hard Fork bot
    context: {show: [hard-fork]}
"""
    assert fix("the hard fork bot", pack, packs=("t",)) == "the hard fork bot"
    assert fix("the hard fork bot", pack, packs=("t", "hard-fork")) == "the Hard Fork bot"


def test_context_section_uses_the_heading():
    pack = """
pack: t
rules:
  - id: credits-name
    category: name
    match: [Nelka Lokely]
    replace: Nell Gallogly
    context: {section: '(?i)credits'}
"""
    text = "# Show\n*  Nelka Lokely in the body.\n## Credits\n*  Our editor is Nelka Lokely.\n"
    result = clean(text, library=_lib(pack))
    assert [e.line for e in result.edits] == [4]


def test_regex_rule_with_group_reference():
    pack = r"""
pack: t
rules:
  - id: gpt-version
    category: product
    regex: '\bG[PB]T[- ](four|4)\b'
    replace: GPT-4
  - id: percent
    category: term
    regex: '(\d+) percent\b'
    replace: '\1%'
"""
    assert fix("like GBT four and GPT 4", pack) == "like GPT-4 and GPT-4"
    assert fix("about 100 percent sure", pack) == "about 100% sure"


def test_trie_cost_does_not_loop_over_rules():
    index = LiteralIndex()
    for number in range(2000):
        index.add(f"word{number} tail", number, False)
    hits = index.find("x word1999 tail y word7 tail")
    assert [(h.rule, h.start) for h in hits] == [(1999, 2), (7, 18)]
    # Only the root is probed per token: the trie root has one key per distinct first token.
    assert len(index.root) == 2000


def test_tokenizer_keeps_inner_apostrophes_and_marks_gaps():
    tokens = tokenize("Roos's don't\nC++")
    assert tokens.keys == ["roos's", "don't", "c", "+", "+"]
    assert tokens.gaps == [True, True, True, False, False]


def _lib(pack_yaml: str):
    from cleaner.correct.packs import PackLibrary

    from helpers import pack_from

    pack = pack_from(pack_yaml)
    return PackLibrary(packs=[pack])
