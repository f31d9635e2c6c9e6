"""Train the punctuation and capitals model (``cleaner/punctuate/punctuate.npz``).

The corpus's human transcripts are punctuated and cased; stripping both gives caption-style
text, and the model learns to put them back: after each word none / comma / period /
question mark, and whether the word starts with a capital. Sentence starts get their capital
from the predicted period, so the capital column learns the rest ("I", names, products):
it is trained on words that do not start a sentence.

Model: multinomial logistic regression over the hashed features of ``cleaner.punctuate.
features`` (a window of words +-3, their bigrams and trigrams), fitted with mini-batch
AdaGrad in numpy/scipy; a fixed seed and fixed data order make it deterministic. Then the
offsets of the three marks (and the capital threshold) are chosen on validation shows held
out of the fit (``split_by_group``), maximising each mark's F1 and the capital accuracy.

Splits are by show: ``python -m train.punctuate`` fits on every source's shows except the
validation ones and writes the weights; ``--evaluate`` instead trains once per source
without that source (``leave_one_source_out``) and prints precision, recall and F1 per
mark and capital accuracy on the source left out. ``--limit`` and ``--words`` keep runs
small. Mapping: ``!`` ``;`` ``...`` count as a period, ``:`` and a trailing dash as a comma.

    python -m train.punctuate                      # write cleaner/punctuate/punctuate.npz
    python -m train.punctuate --evaluate           # held-out table, one source at a time
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import regex
import scipy.sparse as sp

from cleaner.punctuate import features, model
from cleaner.punctuate.features import normal
from train.corpus import SOURCES, Conversation, corpus_version, load, leave_one_source_out, \
    split_by_group

# Words per source used for fitting (the corpus is 78% changelog): deterministic caps.
DEFAULT_WORDS = {"changelog": 1_500_000, "btc": 800_000, "meetings": 800_000,
                 "debates": 400_000}
EPOCHS = 2
BATCH = 4096
RATE = 0.05
SEED = 13
VALIDATION = 0.15  # share of shows held out of the fit to choose the offsets

_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "vs", "etc", "e.g", "i.e", "jr", "sr", "prof",
                  "inc", "ltd", "co", "mt", "no", "vol", "u.s", "u.k", "u.n", "a.m", "p.m"}
_TRAIL = regex.compile(r"[^\p{L}\p{N}]+$")


@dataclass
class Data:
    """Examples: feature rows, mark classes, capital labels, and which words start a
    sentence (their capital is not the capital column's to learn), with source per word."""

    rows: np.ndarray
    marks: np.ndarray
    caps: np.ndarray
    starts: np.ndarray
    sources: np.ndarray  # index into SOURCES

    def __len__(self) -> int:
        return len(self.marks)


def label(token: str) -> tuple[str, int, bool] | None:
    """``(normal word, mark class, capital)`` of one whitespace token of human text."""
    if token.isalpha():  # most tokens: no marks to read
        return token.casefold(), model.NONE, token[0].isupper()
    word = normal(token)
    if not word:
        return None
    trail = _TRAIL.search(token)
    tail = trail.group() if trail else ""
    mark = model.NONE
    if "?" in tail:
        mark = model.QUESTION
    elif any(c in tail for c in ".!;…"):
        mark = model.PERIOD
        if tail.startswith(".") and tail.rstrip("\"'”’)]") == "." and (
                word in _ABBREVIATIONS or len(word) == 1 or "." in word):
            mark = model.NONE  # "Mr." "U.S." "J." : the period is the word's
    elif any(c in tail for c in ",:-—–"):
        mark = model.COMMA
    first = regex.search(r"[\p{L}\p{N}]", token)
    capital = bool(first) and first.group().isupper()
    return word, mark, capital


def conversation_words(conversation: Conversation) -> tuple[list[str], list[int], list[bool]]:
    """All turns of a conversation as one word stream (caption text has no turns)."""
    words, marks, caps = [], [], []
    for turn in conversation.turns:
        for token in turn.text.split():
            labelled = label(token)
            if labelled is None:
                continue
            words.append(labelled[0])
            marks.append(labelled[1])
            caps.append(labelled[2])
    return words, marks, caps


def simulate_breaks(marks: np.ndarray, seed: int) -> np.ndarray:
    """Where an ASR would end its segments, Whisper-style: mostly at sentence ends (a
    segment of 4 words or more ends at a full stop or question mark 85% of the time), and a
    long sentence is broken mid-way after 12-24 words."""
    rng = np.random.default_rng(seed)
    out = np.zeros(len(marks), dtype=np.int8)
    length, limit = 0, int(rng.integers(12, 25))
    draws = rng.random(len(marks))
    for position, mark in enumerate(marks):
        length += 1
        if (mark in (model.PERIOD, model.QUESTION) and length >= 4 and draws[position] < 0.85) \
                or length >= limit:
            out[position] = features.BREAK
            length, limit = 0, int(rng.integers(12, 25))
    if len(out):
        out[-1] = features.BREAK
    return out


def build(conversations: Iterable[Conversation], caps_per_source: dict[str, int] | None = None,
          breaks: str = "mixed") -> Data:
    """Examples of the conversations, each source cut at its word cap (in a stable order).

    ``breaks``: ``unknown`` (caption-style, line breaks say nothing), ``whisper`` (segment
    ends simulated as Whisper cuts), or ``mixed`` (half the conversations each way).
    """
    chosen = sorted(conversations, key=lambda c: _stable(c.id))
    used: dict[str, int] = {}
    parts = []
    for conversation in chosen:
        cap = (caps_per_source or {}).get(conversation.source)
        if cap is not None and used.get(conversation.source, 0) >= cap:
            continue
        words, marks, caps = conversation_words(conversation)
        if not words:
            continue
        used[conversation.source] = used.get(conversation.source, 0) + len(words)
        marks_array = np.array(marks, dtype=np.int8)
        starts = np.ones(len(words), dtype=bool)
        starts[1:] = (marks_array[:-1] == model.PERIOD) | (marks_array[:-1] == model.QUESTION)
        seed = _stable(conversation.id)
        simulated = breaks == "whisper" or (breaks == "mixed" and seed % 2 == 0)
        flags = simulate_breaks(marks_array, seed % (1 << 32)) if simulated else None
        parts.append((features.rows(features.word_hashes(words), flags), marks_array,
                      np.array(caps, dtype=bool), starts,
                      np.full(len(words), SOURCES.index(conversation.source), dtype=np.int8)))
    if not parts:
        empty = np.zeros(0, dtype=np.int8)
        return Data(np.zeros((0, len(features.TEMPLATES)), dtype=np.int32), empty,
                    empty.astype(bool), empty.astype(bool), empty)
    return Data(*(np.concatenate(column) for column in zip(*parts)))


def _stable(text: str) -> int:
    import hashlib

    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def fit(data: Data, epochs: int = EPOCHS, seed: int = SEED, log=None) -> np.ndarray:
    """The weight table ``(slots, 5)``: softmax over the marks, logistic for the capital."""
    slots = 1 << features.BITS
    table = np.zeros((slots, 5), dtype=np.float32)
    squares = np.full((slots, 5), 1e-6, dtype=np.float32)
    rng = np.random.default_rng(seed)
    n, width = data.rows.shape
    onehot = np.eye(4, dtype=np.float32)
    for epoch in range(epochs):
        order = rng.permutation(n)
        loss = 0.0
        for first in range(0, n, BATCH):
            batch = order[first:first + BATCH]
            rows = data.rows[batch]
            size = len(batch)
            raw = table[rows].sum(axis=1)
            marks = raw[:, :4] - raw[:, :4].max(axis=1, keepdims=True)
            probs = np.exp(marks)
            probs /= probs.sum(axis=1, keepdims=True)
            gold = data.marks[batch]
            loss -= float(np.log(probs[np.arange(size), gold] + 1e-9).sum())
            grad = np.empty((size, 5), dtype=np.float32)
            grad[:, :4] = probs - onehot[gold]
            capital = 1.0 / (1.0 + np.exp(-raw[:, 4]))
            grad[:, 4] = np.where(data.starts[batch], 0.0, capital - data.caps[batch])
            unique, inverse = np.unique(rows, return_inverse=True)
            matrix = sp.csr_matrix((np.ones(size * width, dtype=np.float32),
                                    inverse.ravel(), np.arange(0, size * width + 1, width)),
                                   shape=(size, len(unique)))
            step = np.asarray(matrix.T @ grad) / size * 64  # scaled so AdaGrad's rate is
            squares[unique] += step * step                 # about per example
            table[unique] -= RATE * step / np.sqrt(squares[unique])
        if log:
            log(f"  epoch {epoch + 1}: mark log-loss {loss / max(n, 1):.4f}")
    return table


def raw_scores(table: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Scores without offsets (as the run-time model computes them)."""
    weights = model.Weights(table, np.zeros(5, dtype=np.float32), {})
    out = np.empty((len(rows), 5), dtype=np.float32)
    for first in range(0, len(rows), 65536):
        out[first:first + 65536] = model.scores(weights, rows[first:first + 65536])
    return out


def choose_offsets(raw: np.ndarray, data: Data) -> np.ndarray:
    """Per-class offsets (comma, period, question) and the capital threshold that maximise
    each mark's F1 and the capital accuracy on validation data (coordinate search)."""
    offsets = np.zeros(5, dtype=np.float32)
    grid = np.round(np.arange(-4.0, 6.01, 0.1), 2)
    for _round in range(2):
        for cls in (model.COMMA, model.PERIOD, model.QUESTION):
            best = (-1.0, 0.0)
            for value in grid:
                trial = offsets.copy()
                trial[cls] = value
                predicted = (raw[:, :4] + trial[:4]).argmax(axis=1)
                f1 = prf(predicted, data.marks, cls)[2]
                if f1 > best[0]:
                    best = (f1, value)
            offsets[cls] = best[1]
    predicted = (raw[:, :4] + offsets[:4]).argmax(axis=1)
    best = (-1.0, 0.0)
    for value in grid:
        accuracy = capital_accuracy(predicted, raw[:, 4] + value > 0, data.caps)
        if accuracy > best[0]:
            best = (accuracy, value)
    offsets[model.CAPITAL] = best[1]
    return offsets


def prf(predicted: np.ndarray, gold: np.ndarray, cls: int) -> tuple[float, float, float]:
    """Precision, recall and F1 of one mark class, position by position."""
    hit = int(((predicted == cls) & (gold == cls)).sum())
    said = int((predicted == cls).sum())
    real = int((gold == cls).sum())
    precision = hit / said if said else 0.0
    recall = hit / real if real else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def capital_accuracy(marks: np.ndarray, model_capital: np.ndarray, gold: np.ndarray) -> float:
    """Share of words whose capital (sentence start from the marks, or the model) is right."""
    if not len(gold):
        return 0.0
    return float((model.capitals(marks, model_capital) == gold).mean())


def evaluate(table: np.ndarray, offsets: np.ndarray, data: Data) -> dict[str, float]:
    """P/R/F1 per mark and capital accuracy of a model on data."""
    raw = raw_scores(table, data.rows) + offsets
    marks, caps = model.decide(raw)
    out: dict[str, float] = {"words": float(len(data))}
    for name, cls in (("period", model.PERIOD), ("question", model.QUESTION),
                      ("comma", model.COMMA)):
        p, r, f = prf(marks, data.marks, cls)
        out[f"{name}.p"], out[f"{name}.r"], out[f"{name}.f1"] = p, r, f
    out["capital"] = capital_accuracy(marks, caps, data.caps)
    return out


def train(conversations: Sequence[Conversation], words: dict[str, int], epochs: int = EPOCHS,
          log=None) -> tuple[np.ndarray, np.ndarray, dict]:
    """Fit on the fit shows, choose offsets on the validation shows: ``(table, offsets, info)``."""
    fit_side, validation_side = split_by_group(conversations, VALIDATION, seed=1)
    started = time.perf_counter()
    fit_data = build(fit_side, words)
    validation = build(validation_side, {k: v // 4 for k, v in words.items()})
    if log:
        log(f"  fit {len(fit_data):,} words ({len(fit_side)} conversations), "
            f"validation {len(validation):,} words")
    table = fit(fit_data, epochs, log=log)
    offsets = choose_offsets(raw_scores(table, validation.rows), validation)
    info = {"fit_words": len(fit_data), "validation_words": len(validation),
            "fit_groups": sorted({c.group for c in fit_side}),
            "validation_groups": sorted({c.group for c in validation_side}),
            "seconds": round(time.perf_counter() - started, 1)}
    return table, offsets, info


def table_rows(results: dict[str, dict[str, float]]) -> list[str]:
    """A Markdown table of held-out results."""
    out = ["| held out | words | period P | R | F1 | question P | R | F1 | comma P | R | F1 "
           "| capital acc |", "|---|---:|" + "---:|" * 10]
    for name, r in results.items():
        cells = [f"{r[f'{mark}.{part}']:.3f}" for mark in ("period", "question", "comma")
                 for part in ("p", "r", "f1")]
        out.append(f"| {name} | {int(r['words']):,} | " + " | ".join(cells)
                   + f" | {r['capital']:.3f} |")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m train.punctuate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--evaluate", action="store_true",
                        help="leave each source out in turn and print the held-out table "
                             "(writes nothing)")
    parser.add_argument("--words", type=float, default=1.0,
                        help="scale the per-source word caps (default 1.0)")
    parser.add_argument("--limit", type=int, default=None,
                        help="read at most N conversations per source (for quick runs)")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("-o", "--output", default=str(model.WEIGHTS))
    args = parser.parse_args(argv)
    words = {k: int(v * args.words) for k, v in DEFAULT_WORDS.items()}
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    started = time.perf_counter()
    conversations = list(load(limit=args.limit))
    if args.evaluate:
        results = {}
        for source, rest, held in leave_one_source_out(conversations):
            log(f"without {source}:")
            table, offsets, _ = train(rest, words, args.epochs, log)
            for setting in ("unknown", "whisper"):
                results[f"{source} ({'captions' if setting == 'unknown' else 'whisper cuts'})"] = \
                    evaluate(table, offsets, build(held, {source: words[source]}, setting))
        print("\n".join(table_rows(results)))
        log(f"{time.perf_counter() - started:.0f} s")
        return 0
    table, offsets, info = train(conversations, words, args.epochs, log)
    command = "python -m train.punctuate" + "".join(f" {a}" for a in (argv or sys.argv[1:]))
    model.save(args.output, table, offsets, {
        "corpus_version": corpus_version(), "command": command.strip(), "words": words,
        "epochs": args.epochs, "seed": SEED, "limit": args.limit, **info})
    log(f"wrote {args.output} in {time.perf_counter() - started:.0f} s "
        f"(offsets {np.round(offsets, 2).tolist()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
