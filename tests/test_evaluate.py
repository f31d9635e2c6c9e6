"""Tests for cleaner.evaluate: word-level speaker attribution scores against gold labels."""

from __future__ import annotations

import importlib.util
import itertools
import random
import time
from pathlib import Path

import pytest

try:
    from cleaner.attribute import evaluate
except Exception:  # the package __init__ may not exist yet or may be mid-edit
    _path = Path(__file__).resolve().parents[1] / "cleaner" / "attribute" / "evaluate.py"
    _spec = importlib.util.spec_from_file_location("cleaner_evaluate_under_test", _path)
    evaluate = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(evaluate)

DEV = Path("/work/shared/eval/dev")

# Words (column): line 3 Hello(3) there(9) friend.(15) -> Alice
#                 line 4 Yes(3) indeed.(7) -> Bob, then split at offset 12 = column 15: And(15) you?(19) -> Alice
#                 line 5 Fine(3) thanks.(8) -> Bob
# Gold word sequence: A A A B B A A B B, changes at word indices 3, 5, 7.
LINES = [
    "# title",
    "**Podcast:** somewhere",
    "*  Hello there friend.",
    "*  Yes indeed. And you?",
    "*  Fine thanks.",
]
GOLD = (
    "line\tspeaker\trole\tconfidence\tsplit\tnote\n"
    "1\tNONE\tNONE\thigh\t\t\n"
    "2\tNONE\tNONE\thigh\t\t\n"
    "3\tAlice Smith\thost\thigh\t\t\n"
    "4\tBob Jones\tguest\thigh\t12:Alice Smith\t\n"
    "5\tBob Jones\tguest\tmedium\t\tshort reply\n"
)
ALICE, BOB = "Alice Smith", "Bob Jones"


def turn(speaker, role, *spans, confidence=None):
    return {"speaker": speaker, "role": role, "confidence": confidence, "text": "", "spans": [list(s) for s in spans]}


def perfect_turns(alice=ALICE, bob=BOB, split_column=15):
    return [
        turn(alice, "host", (3, 0, 22)),
        turn(bob, "guest", (4, 0, split_column)),
        turn(alice, "host", (4, split_column, 23)),
        turn(bob, "guest", (5, 0, 15)),
    ]


# --- parse_gold -------------------------------------------------------------------------------------


def test_parse_gold_reads_rows_and_splits():
    rows = evaluate.parse_gold(GOLD)
    assert [row.line for row in rows] == [1, 2, 3, 4, 5]
    assert rows[3].splits == ((12, ALICE),)
    assert rows[4].confidence == "medium" and rows[4].note == "short reply"


def test_parse_gold_multiple_splits_are_sorted():
    rows = evaluate.parse_gold("line\tspeaker\trole\tconfidence\tsplit\tnote\n7\tA\thost\thigh\t20:C; 5:B\t\n")
    assert rows[0].splits == ((5, "B"), (20, "C"))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("3\tAlice\thost\thigh\t", "line 3.*columns"),
        ("three\tAlice\thost\thigh\t\t", "line 3.*integer"),
        ("3\tAlice\thost\thigh\tx:Bob\t", "line 3.*split"),
        ("3\tAlice\thost\thigh\t12Bob\t", "line 3.*split"),
        ("3\tAlice\thost\thigh\t12:\t", "line 3.*split"),
    ],
)
def test_parse_gold_malformed_row_names_line_number(row, message):
    text = "line\tspeaker\trole\tconfidence\tsplit\tnote\n1\tNONE\tNONE\thigh\t\t\n" + row + "\n"
    with pytest.raises(ValueError, match=message):
        evaluate.parse_gold(text)


def test_parse_gold_duplicate_line_is_rejected():
    text = "line\tspeaker\trole\tconfidence\tsplit\tnote\n3\tA\thost\thigh\t\t\n3\tB\thost\thigh\t\t\n"
    with pytest.raises(ValueError, match="line 3"):
        evaluate.parse_gold(text)


# --- score -------------------------------------------------------------------------------------------


def test_perfect_prediction_scores_one():
    scores = evaluate.score(LINES, perfect_turns(), GOLD)
    assert scores == evaluate.Scores(1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 9)


def test_score_accepts_parsed_gold():
    assert evaluate.score(LINES, perfect_turns(), evaluate.parse_gold(GOLD)).named_accuracy == 1.0


def test_swapped_names_are_unnamed_but_perfectly_mapped():
    scores = evaluate.score(LINES, perfect_turns(alice=BOB, bob=ALICE), GOLD)
    assert scores.named_accuracy == 0.0
    assert scores.mapped_accuracy == 1.0
    assert scores.wder == 0.0
    assert scores.change_f1_exact == 1.0
    assert scores.line_accuracy == 0.0


def test_turn_boundary_one_word_late_in_split_line():
    # Boundary at column 19 ("you?") instead of 15 ("And"): "And" goes to Bob.
    scores = evaluate.score(LINES, perfect_turns(split_column=19), GOLD)
    assert scores.named_accuracy == pytest.approx(8 / 9)
    assert scores.wder == pytest.approx(1 / 9)
    # predicted changes {3, 6, 7} vs gold {3, 5, 7}
    assert scores.change_f1_exact == pytest.approx(2 / 3)
    assert scores.change_f1_near == 1.0
    assert scores.line_accuracy == 1.0


def test_turn_boundary_inside_the_split_word_still_counts_right():
    # Boundary one column after "And" starts: "And" starts inside Bob's span.
    scores = evaluate.score(LINES, perfect_turns(split_column=16), GOLD)
    assert scores.named_accuracy == pytest.approx(8 / 9)
    # ... while any column in the gap before "And" is equivalent to the gold offset.
    assert evaluate.score(LINES, perfect_turns(split_column=14), GOLD).named_accuracy == 1.0


def test_uncovered_words_and_none_speakers_count_wrong():
    turns = perfect_turns()[:3] + [turn(None, None, (5, 0, 8))]  # "Fine" None, "thanks." uncovered
    scores = evaluate.score(LINES, turns, GOLD)
    assert scores.named_accuracy == pytest.approx(7 / 9)
    assert scores.mapped_accuracy == pytest.approx(7 / 9)
    assert scores.wder == pytest.approx(2 / 9)
    assert scores.change_f1_exact == 1.0  # None run starts exactly where Bob does
    assert scores.line_accuracy == pytest.approx(2 / 3)
    assert scores.role_accuracy == pytest.approx(7 / 9)


def test_word_hits_line_up_with_gold_speakers_and_agree_with_the_score():
    turns = perfect_turns(split_column=19)  # "And" goes to Bob
    hits = evaluate.word_hits(LINES, turns, GOLD)
    assert len(hits) == len(evaluate.gold_speakers(LINES, GOLD)) == 9
    assert hits == [True] * 5 + [False] + [True] * 3
    assert sum(hits) / len(hits) == evaluate.score(LINES, turns, GOLD).named_accuracy


def test_role_of_split_speaker_comes_from_elsewhere_in_gold():
    # Alice's words on line 4 have gold role host (her role on line 3), not the line's guest.
    turns = perfect_turns()
    turns[2] = turn(ALICE, "guest", (4, 15, 23))
    assert evaluate.score(LINES, turns, GOLD).role_accuracy == pytest.approx(7 / 9)


def test_role_accuracy_skips_unknown_roles_and_is_none_without_known_roles():
    gold = GOLD.replace("\thost\t", "\tunknown\t").replace("\tguest\t", "\tunknown\t")
    turns = perfect_turns()
    assert evaluate.score(LINES, turns, gold).role_accuracy is None
    gold = GOLD.replace("\tguest\t", "\tunknown\t")
    turns[0] = turn(ALICE, "guest", (3, 0, 22))  # 3 of Alice's 5 host words wrong
    assert evaluate.score(LINES, turns, gold).role_accuracy == pytest.approx(2 / 5)


def test_alias_and_token_subset_names_count():
    cast = [{"name": ALICE, "aliases": ["Al"]}, {"name": BOB, "aliases": []}]
    turns = perfect_turns(alice="Al", bob="bob")
    assert evaluate.score(LINES, turns, GOLD, cast).named_accuracy == 1.0
    assert evaluate.score(LINES, turns, GOLD).named_accuracy == pytest.approx(4 / 9)  # "Al" unknown


def test_name_matches_rules():
    speakers = {"Barack H Obama", "John S McCain", "Jim Lehrer"}
    assert evaluate.name_matches("barack obama", "Barack H Obama", speakers)
    assert evaluate.name_matches("  Jim   LEHRER. ", "Jim Lehrer", speakers)
    assert evaluate.name_matches("McCain", "John S McCain", speakers)
    assert not evaluate.name_matches("Obama", "John S McCain", speakers)
    assert not evaluate.name_matches("Barack Hussein Obama", "Barack H Obama", speakers)
    assert not evaluate.name_matches("", "Jim Lehrer", speakers)
    assert not evaluate.name_matches(None, "Jim Lehrer", speakers)
    cast = [{"name": "Jim Lehrer", "aliases": ["Moderator"]}]
    assert evaluate.name_matches("moderator", "Jim Lehrer", speakers, cast)
    assert not evaluate.name_matches("moderator", "Jim Lehrer", speakers)


def test_ambiguous_subset_names_nobody():
    speakers = {"John Smith", "John Jones"}
    assert not evaluate.name_matches("John", "John Smith", speakers)
    assert not evaluate.name_matches("John", "John Jones", speakers)
    assert evaluate.name_matches("Smith", "John Smith", speakers)
    # an exact name wins over being a subset of a longer one
    assert evaluate.name_matches("John", "John", {"John", "John Smith"})


def test_ambiguous_subset_in_score():
    gold = GOLD.replace("Bob Jones", "Alice Jones")
    turns = perfect_turns(alice="Alice", bob="Alice Jones")
    scores = evaluate.score(LINES, turns, gold)
    assert scores.named_accuracy == pytest.approx(4 / 9)
    assert scores.mapped_accuracy == 1.0


def test_normalise_name():
    assert evaluate.normalise_name(" George  H.W. Bush ") == "george hw bush"


# --- change F1 ---------------------------------------------------------------------------------------


def test_change_f1_exact_versus_near():
    gold = list("aaabbbbaaa")  # changes at 3, 7
    predicted = list("aaaabbbbaa")  # changes at 4, 8
    assert evaluate.change_f1(predicted, gold, 0) == 0.0
    assert evaluate.change_f1(predicted, gold, 2) == 1.0
    assert evaluate.change_f1(list("aaaaaabbaa"), gold, 2) == pytest.approx(0.5)  # 6 -> 7 matches; 8 no


def test_change_f1_matching_is_one_to_one():
    gold = list("aaaabbbbbb")  # change at 4
    predicted = list("aaabaabbbb")  # changes at 3, 4, 6
    assert evaluate.change_f1(predicted, gold, 2) == pytest.approx(2 * 1 / 4)


def test_change_f1_without_changes():
    assert evaluate.change_f1(list("aaa"), list("bbb")) == 1.0
    assert evaluate.change_f1(list("aaa"), list("abb")) == 0.0


# --- assignment --------------------------------------------------------------------------------------


def test_best_assignment_beats_greedy():
    weights = [[10, 9], [9, 1]]  # greedy takes 10 then 1 = 11; best is 9 + 9 = 18
    assert evaluate.best_assignment(weights) == [(0, 1), (1, 0)]


def test_best_assignment_rectangular():
    assert evaluate.best_assignment([[1, 5, 3]]) == [(0, 1)]
    assert evaluate.best_assignment([[1], [5], [3]]) == [(1, 0)]
    assert evaluate.best_assignment([]) == []


def _brute_force_best(weights):
    rows, columns = len(weights), len(weights[0])
    if rows <= columns:
        return max(sum(weights[r][c] for r, c in zip(range(rows), perm)) for perm in itertools.permutations(range(columns), rows))
    return max(sum(weights[r][c] for r, c in zip(perm, range(columns))) for perm in itertools.permutations(range(rows), columns))


def test_best_assignment_matches_brute_force():
    rng = random.Random(7)
    for _ in range(300):
        rows, columns = rng.randint(1, 5), rng.randint(1, 5)
        weights = [[rng.randint(0, 20) for _ in range(columns)] for _ in range(rows)]
        pairs = evaluate.best_assignment(weights)
        assert len(pairs) == min(rows, columns)
        assert len({r for r, _ in pairs}) == len({c for _, c in pairs}) == len(pairs)
        assert sum(weights[r][c] for r, c in pairs) == _brute_force_best(weights)


def test_best_assignment_is_fast_for_twelve_by_six():
    rng = random.Random(3)
    weights = [[rng.randint(0, 1000) for _ in range(6)] for _ in range(12)]
    started = time.perf_counter()
    pairs = evaluate.best_assignment(weights)
    assert time.perf_counter() - started < 0.5
    assert len(pairs) == 6


def test_best_label_mapping_beats_greedy_and_ignores_none():
    # confusion: x->A 10, x->B 9, y->A 9, y->B 1; best mapping x->B, y->A
    predicted = ["x"] * 19 + ["y"] * 10 + [None] * 5
    gold = ["A"] * 10 + ["B"] * 9 + ["A"] * 9 + ["B"] + ["A"] * 5
    assert evaluate.best_label_mapping(predicted, gold) == {"x": "B", "y": "A"}
    lines = ["*  " + " ".join(["w"] * 34)]
    gold_tsv = "line\tspeaker\trole\tconfidence\tsplit\tnote\n1\tA\thost\thigh\t{}\t\n".format(
        ";".join(f"{2 * i}:{g}" for i, g in enumerate(gold))
    )
    turns = [turn(p, None, (1, 3 + 2 * i, 4 + 2 * i)) for i, p in enumerate(predicted)]
    assert evaluate.score(lines, turns, gold_tsv).mapped_accuracy == pytest.approx(18 / 34)


# --- baseline ----------------------------------------------------------------------------------------


def test_baseline_labels_everything_with_the_majority_speaker():
    scores = evaluate.baseline(LINES, GOLD)  # Alice has 5 of 9 words
    assert scores.named_accuracy == pytest.approx(5 / 9)
    assert scores.mapped_accuracy == pytest.approx(5 / 9)
    assert scores.change_f1_exact == 0.0
    assert scores.line_accuracy == pytest.approx(1 / 3)
    assert scores.role_accuracy == pytest.approx(5 / 9)
    assert scores.words == 9


# --- calibration -------------------------------------------------------------------------------------


def test_calibration_bins():
    turns = [
        turn(ALICE, "host", (3, 0, 22), confidence=0.95),  # 3 words, right
        turn("Carol", "guest", (4, 0, 15), confidence=0.85),  # 2 words, wrong
        turn(ALICE, "host", (4, 15, 23), confidence=0.15),  # 2 words, right
        turn(BOB, "guest", (5, 0, 15)),  # no confidence: left out
        turn(BOB, "guest", (1, 0, 7), confidence=0.5),  # header only: no scored words, left out
    ]
    bins = evaluate.calibration(LINES, turns, GOLD)
    assert len(bins) == 10
    assert [b.turns for b in bins] == [0, 1, 0, 0, 0, 0, 0, 0, 1, 1]
    assert (bins[9].words, bins[9].mean_confidence, bins[9].accuracy) == (3, pytest.approx(0.95), 1.0)
    assert (bins[8].words, bins[8].accuracy) == (2, 0.0)
    assert (bins[1].lower, bins[1].upper) == (pytest.approx(0.1), pytest.approx(0.2))
    assert bins[0].mean_confidence is None and bins[0].accuracy is None
    expected = (0.05 + 0.85 + 0.85) / 3
    assert evaluate.expected_calibration_error(bins) == pytest.approx(expected)


def test_calibration_turn_is_right_only_with_a_majority_of_words():
    turns = [
        turn(ALICE, "host", (3, 0, 22), (4, 0, 15), confidence=1.0),  # 3 of 5 right: right
        turn(ALICE, "host", (4, 15, 23), (5, 0, 15), confidence=0.2),  # 2 of 4 right: not a majority
    ]
    bins = evaluate.calibration(LINES, turns, GOLD, bins=2)
    assert [(b.turns, b.words, b.accuracy) for b in bins] == [(1, 4, 0.0), (1, 5, 1.0)]
    assert evaluate.expected_calibration_error(bins) == pytest.approx((0.2 + 0.0) / 2)


def test_calibration_rejects_out_of_range_confidence():
    with pytest.raises(ValueError, match="confidence"):
        evaluate.calibration(LINES, [turn(ALICE, "host", (3, 0, 22), confidence=1.5)], GOLD)


def test_expected_calibration_error_without_turns():
    assert evaluate.expected_calibration_error(evaluate.calibration(LINES, [], GOLD)) is None


# --- table -------------------------------------------------------------------------------------------


def test_format_table_aligns_columns():
    perfect = evaluate.score(LINES, perfect_turns(), GOLD)
    unknown_roles = GOLD.replace("\thost\t", "\tunknown\t").replace("\tguest\t", "\tunknown\t")
    rolesless = evaluate.baseline(LINES, unknown_roles)
    table = evaluate.format_table([("perfect", perfect), ("majority baseline", rolesless)])
    header, first, second = table.splitlines()
    assert header.split()[:3] == ["system", "named", "mapped"]
    assert first.split() == ["perfect", "1.000", "1.000", "0.000", "1.000", "1.000", "1.000", "1.000", "9"]
    assert second.startswith("majority baseline") and " - " in second and "0.556" in second
    assert len(header) == len(first) == len(second)


# --- a real dev case ---------------------------------------------------------------------------------


def _turns_from_gold(lines, rows):
    """One turn per gold segment: each line cut at its split offsets."""
    turns = []
    for row in rows:
        if row.speaker == "NONE":
            continue
        text = lines[row.line - 1]
        prefix = 3 if text.startswith("*  ") else 0
        cuts = [(0, row.speaker)] + [(offset, speaker) for offset, speaker in row.splits]
        for index, (offset, speaker) in enumerate(cuts):
            end = prefix + cuts[index + 1][0] if index + 1 < len(cuts) else len(text)
            start = 0 if index == 0 else prefix + offset
            turns.append(turn(speaker, row.role, (row.line, start, end)))
    return turns


@pytest.mark.skipif(not (DEV / "changelog-the-changelog-667.gold.tsv").exists(), reason="/work/shared absent")
def test_real_dev_case_perfect_turns_and_baseline():
    case = "changelog-the-changelog-667"
    lines = (DEV / f"{case}.md").read_text(encoding="utf-8").splitlines()
    rows = evaluate.parse_gold((DEV / f"{case}.gold.tsv").read_text(encoding="utf-8"))
    assert any(row.splits for row in rows)
    scores = evaluate.score(lines, _turns_from_gold(lines, rows), rows)
    assert scores.named_accuracy == 1.0
    assert scores.mapped_accuracy == 1.0
    assert scores.change_f1_exact == 1.0
    assert scores.words > 5000
    base = evaluate.baseline(lines, rows)
    assert base.named_accuracy < 1.0
    assert base.words == scores.words
