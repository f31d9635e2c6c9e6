"""Word alignment of two transcripts and the changes between them."""

from __future__ import annotations

import random

from cleaner.learn.align import align, changes, words_of
from conftest import SEED


def texts_of(change, left, right):
    return (" ".join(w.text for w in left[change.i1:change.i2]),
            " ".join(w.text for w in right[change.j1:change.j2]), change.kind)


def diff(a: list[str], b: list[str]):
    left, right = words_of(a), words_of(b)
    alignment = align(left, right)
    return alignment, [texts_of(c, left, right) for c in changes(alignment)]


def test_replaced_runs_are_cut_where_letters_allow():
    _, found = diff(["Okay, cold card cold card and the cold cart."],
                    ["Okay, Coldcard Coldcard and the Coldcard."])
    assert found == [("cold card", "Coldcard", "words"), ("cold card", "Coldcard", "words"),
                     ("cold cart", "Coldcard", "words")]


def test_case_changes_join_into_phrases_but_not_across_sentences():
    _, found = diff(["We saw tornado cash in the netherlands. yeah it was bad."],
                    ["We saw Tornado Cash in the Netherlands. Yeah it was bad."])
    assert found == [("tornado cash", "Tornado Cash", "case"),
                     ("netherlands", "Netherlands", "case"), ("yeah", "Yeah", "case")]


def test_words_only_deleted_at_the_edge_are_not_part_of_the_change():
    _, found = diff(["we talked about like typology today"], ["we talked about topology today"])
    assert found == [("typology", "topology", "words")]


def test_sentence_starts_are_marked():
    words = words_of(["Hello there. It is 26.0 now", "and more.", "Next? yes"])
    assert [w.text for w in words if w.initial] == ["Hello", "It", "Next", "yes"]


def test_long_texts_align_exactly_around_scattered_substitutions():
    words = [w.text for w in words_of([SEED.read_text(encoding="utf-8")])]
    rng = random.Random(6)
    spots = sorted(rng.sample(range(50, len(words) - 50, 5), 40))  # never neighbours
    edited = list(words)
    for spot in spots:
        edited[spot] = "Zqxv" + str(spot)
    alignment, found = diff([" ".join(words)], [" ".join(edited)])
    assert alignment.ratio > 0.99
    assert sorted(after for _, after, _ in found) == sorted("Zqxv" + str(s) for s in spots)


def test_unrelated_texts_hardly_align():
    seed = SEED.read_text(encoding="utf-8").split()
    first, second = " ".join(seed[:3000]), " ".join(seed[6000:9000])
    alignment, _ = diff([first], [second])
    assert alignment.ratio < 0.3
