"""Score speaker attribution of a transcript against a human gold labelling.

Scoring is word by word. The words are the ``\\S+`` runs in the transcript part (after the ``*  ``
prefix) of every input line whose gold speaker is not ``NONE``. A word's gold speaker is the line's
``speaker`` column, switched by each ``split`` entry whose column is at or before the word's start; its
predicted speaker is that of the turn whose span on that line contains the word's start column (None
when no span covers it).

Name matching: a predicted name *names* a gold speaker when, in this order of precedence,

1. both are equal after normalisation (casefold, punctuation dropped, whitespace collapsed); or
2. it equals (normalised) one of the aliases of the cast entry whose name is that gold speaker; or
3. its normalised tokens are a non-empty subset of the name tokens of exactly one gold speaker, so
   "Michael" names "Michael Barbaro" and "Barack Obama" names "Barack H Obama", but "John" names
   nobody when the gold has both "John Smith" and "John Jones".

Gold offsets count from after the ``*  `` prefix; predicted spans count from the start of the line as
read, prefix included, so a gold offset ``o`` is column ``o + 3`` on a prefixed line.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CalibrationBin",
    "GoldRow",
    "Scores",
    "baseline",
    "best_assignment",
    "best_label_mapping",
    "calibration",
    "change_f1",
    "expected_calibration_error",
    "format_table",
    "gold_speakers",
    "name_matches",
    "normalise_name",
    "parse_gold",
    "score",
    "turn_errors",
    "turn_results",
]

PREFIX = "*  "
NO_SPEAKER = "NONE"
UNKNOWN_ROLE = "unknown"
GOLD_COLUMNS = ("line", "speaker", "role", "confidence", "split", "note")
NEAR_WORDS = 2

Turn = Mapping[str, Any]
CastEntry = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class GoldRow:
    """One row of a gold TSV: who speaks at the start of an input line, and where that changes."""

    line: int
    speaker: str
    role: str
    confidence: str
    splits: tuple[tuple[int, str], ...]
    note: str


@dataclass(frozen=True, slots=True)
class Scores:
    """Attribution metrics of one system on one case."""

    named_accuracy: float
    mapped_accuracy: float
    wder: float
    change_f1_exact: float
    change_f1_near: float
    line_accuracy: float
    role_accuracy: float | None
    words: int


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    """Predicted turns whose confidence falls in [lower, upper); the last bin includes 1.0."""

    lower: float
    upper: float
    turns: int
    words: int
    mean_confidence: float | None
    accuracy: float | None


@dataclass(frozen=True, slots=True)
class _Word:
    line: int
    column: int
    speaker: str
    role: str
    first_in_line: bool


# ---------------------------------------------------------------------------------------------------
# Gold parsing


def parse_gold(text: str) -> list[GoldRow]:
    """Parse gold TSV text into rows, raising ValueError that names the offending line number."""
    rows: list[GoldRow] = []
    seen: set[int] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        fields = raw.split("\t")
        if number == 1 and fields[0].strip() == GOLD_COLUMNS[0]:
            continue
        row = _parse_gold_row(fields, number)
        if row.line in seen:
            raise ValueError(f"gold line {number}: input line {row.line} labelled twice")
        seen.add(row.line)
        rows.append(row)
    return sorted(rows, key=lambda row: row.line)


def _parse_gold_row(fields: list[str], number: int) -> GoldRow:
    if len(fields) != len(GOLD_COLUMNS):
        raise ValueError(f"gold line {number}: expected {len(GOLD_COLUMNS)} tab-separated columns, got {len(fields)}")
    line_text, speaker, role, confidence, split, note = (field.strip() for field in fields)
    try:
        line = int(line_text)
    except ValueError:
        raise ValueError(f"gold line {number}: line number {line_text!r} is not an integer") from None
    if line < 1:
        raise ValueError(f"gold line {number}: line number {line} is not 1-based")
    if not speaker:
        raise ValueError(f"gold line {number}: empty speaker")
    return GoldRow(line, speaker, role, confidence, _parse_splits(split, number), note)


def _parse_splits(text: str, number: int) -> tuple[tuple[int, str], ...]:
    splits: list[tuple[int, str]] = []
    for entry in filter(None, (part.strip() for part in text.split(";"))):
        offset_text, colon, speaker = entry.partition(":")
        if not colon or not speaker.strip() or not offset_text.strip().isdigit():
            raise ValueError(f"gold line {number}: bad split entry {entry!r}, expected OFFSET:SPEAKER")
        splits.append((int(offset_text), speaker.strip()))
    return tuple(sorted(splits))


def _rows(gold: str | Sequence[GoldRow]) -> list[GoldRow]:
    return parse_gold(gold) if isinstance(gold, str) else sorted(gold, key=lambda row: row.line)


# ---------------------------------------------------------------------------------------------------
# Words


def _prefix_length(text: str) -> int:
    return len(PREFIX) if text.startswith(PREFIX) else 0


def _speaker_roles(rows: Sequence[GoldRow]) -> dict[str, str]:
    counts: dict[str, Counter[str]] = {}
    for row in rows:
        if row.speaker != NO_SPEAKER and row.role != NO_SPEAKER:
            counts.setdefault(row.speaker, Counter())[row.role] += 1
    return {speaker: counter.most_common(1)[0][0] for speaker, counter in counts.items()}


def _gold_words(lines: Sequence[str], rows: Sequence[GoldRow]) -> list[_Word]:
    roles = _speaker_roles(rows)
    words: list[_Word] = []
    for row in rows:
        if row.speaker == NO_SPEAKER:
            continue
        if row.line > len(lines):
            raise ValueError(f"gold labels line {row.line} but the input has {len(lines)} lines")
        text = lines[row.line - 1]
        prefix = _prefix_length(text)
        for index, match in enumerate(re.finditer(r"\S+", text[prefix:])):
            column = prefix + match.start()
            speaker, role = row.speaker, row.role
            for offset, split_speaker in row.splits:
                if prefix + offset <= column:
                    speaker, role = split_speaker, roles.get(split_speaker, row.role)
            words.append(_Word(row.line, column, speaker, role, index == 0))
    return words


def gold_speakers(lines: Sequence[str], gold: str | Sequence[GoldRow]) -> list[tuple[int, int, str]]:
    """``(line, column, speaker)`` of every scored word, in order (columns count the prefix)."""
    return [(word.line, word.column, word.speaker) for word in _gold_words(lines, _rows(gold))]


def _turn_of_words(words: Sequence[_Word], turns: Sequence[Turn]) -> list[int | None]:
    spans_by_line: dict[int, list[tuple[int, int, int]]] = {}
    for turn_index, turn in enumerate(turns):
        for line, start, end in turn.get("spans") or ():
            spans_by_line.setdefault(int(line), []).append((int(start), int(end), turn_index))
    return [_covering_turn(spans_by_line.get(word.line, ()), word.column) for word in words]


def _covering_turn(spans: Sequence[tuple[int, int, int]], column: int) -> int | None:
    for start, end, turn_index in spans:
        if start <= column < end:
            return turn_index
    return None


# ---------------------------------------------------------------------------------------------------
# Names


def normalise_name(name: str) -> str:
    """Casefold a name, drop its punctuation and collapse its whitespace."""
    kept = "".join(char for char in name.casefold() if not unicodedata.category(char).startswith("P"))
    return " ".join(kept.split())


class _NameResolver:
    """Resolve predicted names to the one gold speaker they name (see the module docstring)."""

    def __init__(self, speakers: Collection[str], cast: Sequence[CastEntry] | None) -> None:
        self._by_name = {normalise_name(speaker): speaker for speaker in speakers}
        self._tokens = [(set(normalise_name(speaker).split()), speaker) for speaker in speakers]
        self._by_alias: dict[str, set[str]] = {}
        for entry in cast or ():
            speaker = self._by_name.get(normalise_name(str(entry.get("name", ""))))
            if speaker is None:
                continue
            for alias in entry.get("aliases") or ():
                self._by_alias.setdefault(normalise_name(str(alias)), set()).add(speaker)
        self._cache: dict[str | None, str | None] = {None: None}

    def resolve(self, name: str | None) -> str | None:
        if name not in self._cache:
            self._cache[name] = self._resolve(str(name))
        return self._cache[name]

    def _resolve(self, name: str) -> str | None:
        key = normalise_name(name)
        if key in self._by_name:
            return self._by_name[key]
        aliased = self._by_alias.get(key, set())
        if len(aliased) == 1:
            return next(iter(aliased))
        tokens = set(key.split())
        if not tokens:
            return None
        supersets = [speaker for speaker_tokens, speaker in self._tokens if tokens <= speaker_tokens]
        return supersets[0] if len(supersets) == 1 else None


def name_matches(
    predicted: str | None,
    gold_speaker: str,
    speakers: Collection[str],
    cast: Sequence[CastEntry] | None = None,
) -> bool:
    """Tell whether a predicted name names gold_speaker among the gold speakers, given an optional cast."""
    return _NameResolver(speakers, cast).resolve(predicted) == gold_speaker


# ---------------------------------------------------------------------------------------------------
# Assignment


def best_assignment(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Return the one-to-one (row, column) pairs of a weight matrix that maximise the total weight.

    Hungarian algorithm with potentials, O(n^2 m) for n <= m; a rectangular matrix leaves the surplus
    rows or columns unassigned. Pairs are sorted by row.
    """
    if not weights or not weights[0]:
        return []
    width = len(weights[0])
    if any(len(row) != width for row in weights):
        raise ValueError("weight matrix rows differ in length")
    transposed = len(weights) > width
    matrix = [list(column) for column in zip(*weights)] if transposed else [list(row) for row in weights]
    pairs = _hungarian_min_cost([[-value for value in row] for row in matrix])
    if transposed:
        pairs = [(column, row) for row, column in pairs]
    return sorted(pairs)


def _hungarian_min_cost(cost: list[list[float]]) -> list[tuple[int, int]]:
    """Assign every row of an n x m cost matrix (n <= m) to a distinct column at minimum total cost."""
    rows, columns = len(cost), len(cost[0])
    row_potential = [0.0] * (rows + 1)
    column_potential = [0.0] * (columns + 1)
    row_of_column = [0] * (columns + 1)  # 1-based row assigned to each column; column 0 is a sentinel
    previous = [0] * (columns + 1)
    for row in range(1, rows + 1):
        row_of_column[0] = row
        current = 0
        slack = [math.inf] * (columns + 1)
        used = [False] * (columns + 1)
        while True:
            used[current] = True
            active_row = row_of_column[current]
            delta, next_column = math.inf, 0
            for column in range(1, columns + 1):
                if used[column]:
                    continue
                reduced = cost[active_row - 1][column - 1] - row_potential[active_row] - column_potential[column]
                if reduced < slack[column]:
                    slack[column], previous[column] = reduced, current
                if slack[column] < delta:
                    delta, next_column = slack[column], column
            for column in range(columns + 1):
                if used[column]:
                    row_potential[row_of_column[column]] += delta
                    column_potential[column] -= delta
                else:
                    slack[column] -= delta
            current = next_column
            if row_of_column[current] == 0:
                break
        while current:
            prior = previous[current]
            row_of_column[current] = row_of_column[prior]
            current = prior
    return [(row_of_column[column] - 1, column - 1) for column in range(1, columns + 1) if row_of_column[column]]


def best_label_mapping(predicted: Sequence[str | None], gold: Sequence[str]) -> dict[str, str]:
    """Map predicted labels one-to-one onto gold labels so that the most aligned words agree.

    None predictions take no part: they stay unmapped and so always count as wrong.
    """
    if len(predicted) != len(gold):
        raise ValueError("predicted and gold label sequences differ in length")
    predicted_labels = list(dict.fromkeys(label for label in predicted if label is not None))
    gold_labels = list(dict.fromkeys(gold))
    counts = Counter((p, g) for p, g in zip(predicted, gold) if p is not None)
    weights = [[counts[(p, g)] for g in gold_labels] for p in predicted_labels]
    pairs = best_assignment(weights)
    return {predicted_labels[p]: gold_labels[g] for p, g in pairs if weights[p][g] > 0}


# ---------------------------------------------------------------------------------------------------
# Change points


def _change_positions(labels: Sequence[object]) -> list[int]:
    return [index for index in range(1, len(labels)) if labels[index] != labels[index - 1]]


def change_f1(predicted: Sequence[object], gold: Sequence[object], tolerance: int = 0) -> float:
    """F1 of speaker-change positions, a predicted change matching a gold one at most tolerance words away.

    Matching is one-to-one, greedy by distance (ties by position). No changes on either side scores 1.0.
    """
    predicted_changes, gold_changes = _change_positions(predicted), _change_positions(gold)
    if not predicted_changes and not gold_changes:
        return 1.0
    candidates = sorted(
        (abs(p - g), p, g) for p in predicted_changes for g in gold_changes if abs(p - g) <= tolerance
    )
    used_predicted: set[int] = set()
    used_gold: set[int] = set()
    for _, p, g in candidates:
        if p not in used_predicted and g not in used_gold:
            used_predicted.add(p)
            used_gold.add(g)
    return 2 * len(used_predicted) / (len(predicted_changes) + len(gold_changes))


# ---------------------------------------------------------------------------------------------------
# Scoring


def _fraction(hits: int, total: int) -> float | None:
    return hits / total if total else None


def _same_role(predicted: object, gold: str) -> bool:
    return isinstance(predicted, str) and predicted.strip().casefold() == gold.casefold()


def check_fit(lines: Sequence[str], gold: str | Sequence[GoldRow], turns: Sequence[Turn]) -> None:
    """Refuse a gold labelling of another transcript: it must have one row per input line,
    a speaker exactly on the lines that hold transcript text (``NONE`` elsewhere)."""
    rows = _rows(gold)
    if len(rows) != len(lines):
        raise ValueError(f"the gold has {len(rows)} rows but the prediction's input has "
                         f"{len(lines)} lines: not the gold of this transcript")
    spanned = {span[0] for turn in turns for span in (turn.get("spans") or [])
               if len(span) == 3 and span[2] > span[1]}
    labelled = {row.line for row in rows if row.speaker != NO_SPEAKER}
    wrong = sorted(labelled ^ spanned)
    if wrong:
        line = wrong[0]
        what = ("labels a speaker, but that input line holds no transcript text" if line in labelled
                else "says NONE, but that input line holds transcript text")
        raise ValueError(f"gold row for line {line} {what} ({len(wrong)} such lines): "
                         f"{lines[line - 1][:60]!r}; not the gold of this transcript")


def score(
    lines: Sequence[str],
    turns: Sequence[Turn],
    gold: str | Sequence[GoldRow],
    cast: Sequence[CastEntry] | None = None,
) -> Scores:
    """Score predicted turns against the gold labelling of the same input lines.

    wder counts the words whose speaker is wrong under the best one-to-one label mapping; as the words
    are aligned by construction (same input text), it is exactly 1 - mapped_accuracy.
    """
    rows = _rows(gold)
    words = _gold_words(lines, rows)
    if not words:
        raise ValueError("the gold labels no transcript words")
    turn_of_word = _turn_of_words(words, turns)
    predicted = [None if t is None else turns[t].get("speaker") for t in turn_of_word]
    predicted_roles = [None if t is None else turns[t].get("role") for t in turn_of_word]
    truth = [word.speaker for word in words]
    resolver = _NameResolver(set(truth), cast)
    named = _named_hits(predicted, truth, resolver)

    mapping = best_label_mapping(predicted, truth)
    mapped_hits = sum(p is not None and mapping.get(p) == g for p, g in zip(predicted, truth))
    mapped_accuracy = mapped_hits / len(words)

    first_words = [i for i, word in enumerate(words) if word.first_in_line]
    rows_by_line = {row.line: row for row in rows}
    line_hits = sum(resolver.resolve(predicted[i]) == rows_by_line[words[i].line].speaker for i in first_words)

    roled = [i for i, word in enumerate(words) if word.role.casefold() != UNKNOWN_ROLE]
    role_hits = sum(_same_role(predicted_roles[i], words[i].role) for i in roled)

    return Scores(
        named_accuracy=sum(named) / len(words),
        mapped_accuracy=mapped_accuracy,
        wder=1.0 - mapped_accuracy,
        change_f1_exact=change_f1(predicted, truth, 0),
        change_f1_near=change_f1(predicted, truth, NEAR_WORDS),
        line_accuracy=line_hits / len(first_words),
        role_accuracy=_fraction(role_hits, len(roled)),
        words=len(words),
    )


def word_hits(
    lines: Sequence[str],
    turns: Sequence[Turn],
    gold: str | Sequence[GoldRow],
    cast: Sequence[CastEntry] | None = None,
) -> list[bool]:
    """For every scored word (in the order of ``gold_speakers``), whether its turn names its gold speaker."""
    words = _gold_words(lines, _rows(gold))
    predicted = [None if t is None else turns[t].get("speaker") for t in _turn_of_words(words, turns)]
    truth = [word.speaker for word in words]
    return _named_hits(predicted, truth, _NameResolver(set(truth), cast))


def _named_hits(predicted: Sequence[object], truth: Sequence[str], resolver: _NameResolver) -> list[bool]:
    return [resolver.resolve(p) == g for p, g in zip(predicted, truth)]


def baseline(
    lines: Sequence[str],
    gold: str | Sequence[GoldRow],
    cast: Sequence[CastEntry] | None = None,
) -> Scores:
    """Score the majority baseline: every word to the most frequent gold speaker, with its usual role."""
    rows = _rows(gold)
    words = _gold_words(lines, rows)
    if not words:
        raise ValueError("the gold labels no transcript words")
    speaker = Counter(word.speaker for word in words).most_common(1)[0][0]
    role = Counter(word.role for word in words if word.speaker == speaker).most_common(1)[0][0]
    labelled = sorted({word.line for word in words})
    turn = {
        "speaker": speaker,
        "role": role,
        "confidence": None,
        "text": "",
        "spans": [[line, 0, len(lines[line - 1])] for line in labelled],
    }
    return score(lines, [turn], rows, cast)


# ---------------------------------------------------------------------------------------------------
# Calibration


def turn_results(
    lines: Sequence[str],
    turns: Sequence[Turn],
    gold: str | Sequence[GoldRow],
    cast: Sequence[CastEntry] | None = None,
) -> list[tuple[int, int, bool]]:
    """``(turn index, scored words, right)`` for every turn with scored words.

    A turn is right when more than half of its scored words name their gold speaker.
    """
    return [(index, words, 2 * wrong < words) for index, words, wrong in turn_errors(lines, turns, gold, cast)]


def turn_errors(
    lines: Sequence[str],
    turns: Sequence[Turn],
    gold: str | Sequence[GoldRow],
    cast: Sequence[CastEntry] | None = None,
) -> list[tuple[int, int, int]]:
    """``(turn index, scored words, misattributed words)`` for every turn with scored words."""
    words = _gold_words(lines, _rows(gold))
    resolver = _NameResolver({word.speaker for word in words}, cast)
    totals: Counter[int] = Counter()
    hits: Counter[int] = Counter()
    for word, turn_index in zip(words, _turn_of_words(words, turns)):
        if turn_index is not None:
            totals[turn_index] += 1
            hits[turn_index] += resolver.resolve(turns[turn_index].get("speaker")) == word.speaker
    return [(index, totals[index], totals[index] - hits[index]) for index in sorted(totals)]


def calibration(
    lines: Sequence[str],
    turns: Sequence[Turn],
    gold: str | Sequence[GoldRow],
    cast: Sequence[CastEntry] | None = None,
    bins: int = 10,
) -> list[CalibrationBin]:
    """Bin predicted turns by confidence and give each bin's mean confidence and fraction of right turns.

    A turn is right when more than half of its scored words name their gold speaker. Turns without a
    confidence or without scored words are left out. All bins are returned; empty ones carry None.
    """
    if bins < 1:
        raise ValueError("bins must be at least 1")
    members: list[list[tuple[float, int, bool]]] = [[] for _ in range(bins)]
    for turn_index, words, right in turn_results(lines, turns, gold, cast):
        confidence = turns[turn_index].get("confidence")
        if confidence is None:
            continue
        confidence = float(confidence)
        if not 0.0 <= confidence <= 1.0:
            raise ValueError(f"turn {turn_index}: confidence {confidence} is outside [0, 1]")
        members[min(int(confidence * bins), bins - 1)].append((confidence, words, right))
    return [_calibration_bin(index, bins, member) for index, member in enumerate(members)]


def _calibration_bin(index: int, bins: int, members: Sequence[tuple[float, int, bool]]) -> CalibrationBin:
    count = len(members)
    return CalibrationBin(
        lower=index / bins,
        upper=(index + 1) / bins,
        turns=count,
        words=sum(words for _, words, _ in members),
        mean_confidence=sum(confidence for confidence, _, _ in members) / count if count else None,
        accuracy=sum(right for _, _, right in members) / count if count else None,
    )


def expected_calibration_error(bins: Sequence[CalibrationBin]) -> float | None:
    """Turn-weighted mean gap between each bin's accuracy and mean confidence; None with no turns."""
    total = sum(b.turns for b in bins)
    if not total:
        return None
    return sum(b.turns / total * abs(b.accuracy - b.mean_confidence) for b in bins if b.turns)


# ---------------------------------------------------------------------------------------------------
# Report


TABLE_COLUMNS = (
    ("named", "named_accuracy"),
    ("mapped", "mapped_accuracy"),
    ("wder", "wder"),
    ("chg_exact", "change_f1_exact"),
    ("chg_near", "change_f1_near"),
    ("line", "line_accuracy"),
    ("role", "role_accuracy"),
    ("words", "words"),
)


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def format_table(rows: Sequence[tuple[str, Scores]]) -> str:
    """Render (name, scores) rows as a plain-text table aligned in columns, metrics to 3 decimals."""
    header = ["system", *(title for title, _ in TABLE_COLUMNS)]
    body = [[name, *(_cell(getattr(scores, field)) for _, field in TABLE_COLUMNS)] for name, scores in rows]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    rendered = [
        "  ".join([row[0].ljust(widths[0]), *(cell.rjust(width) for cell, width in zip(row[1:], widths[1:]))])
        for row in [header, *body]
    ]
    return "\n".join(line.rstrip() for line in rendered) + "\n"
