"""The punctuation model at run time: stored weights, scored with numpy.

``punctuate.npz`` (made by ``python -m train.punctuate``) holds one weight matrix over the
hashed feature slots of ``features.py``: four columns for the mark after a word (none,
comma, period, question) and one for a capital on the word, as float16, plus per-class
offsets chosen on held-out shows, and a JSON ``meta`` record: feature version, corpus
version, the training command, the data it was trained on, and the pause prior. A file
made for another feature version is refused with a clear error (retrain).

Pauses: the corpus has no timings, so pauses cannot be learned from it. Where the input has
timings, ``PAUSE_PRIOR`` adds a fixed log-odds per pause bucket (set by hand, not fitted:
a silence of over 1.2 s after a word is likely a sentence end, one under 0.25 s unlikely).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from ..errors import CleanerError
from .features import BITS, BREAK_TEMPLATES, FEATURE_VERSION, PAUSE_EDGES, TEMPLATES

WEIGHTS = Path(__file__).with_name("punctuate.npz")
MARKS = ("", ",", ".", "?")  # the classes, in column order
NONE, COMMA, PERIOD, QUESTION = range(4)
CAPITAL = 4
# Log-odds added to (comma, period, question) for a pause after the word in each bucket of
# features.PAUSE_EDGES: < 0.25 s, < 0.6 s, < 1.2 s, < 2.5 s, longer. Hand-set (see above).
PAUSE_PRIOR = np.array([
    [0.0, -0.3, -0.3],
    [0.2, -0.2, -0.2],
    [0.5, 0.6, 0.6],
    [0.4, 1.4, 1.4],
    [0.2, 2.2, 2.2],
], dtype=np.float32)
assert len(PAUSE_PRIOR) == len(PAUSE_EDGES) + 1


@dataclass(frozen=True)
class Weights:
    """The loaded model: ``table`` (slots x 5), ``offsets`` (5), and ``meta``."""

    table: np.ndarray
    offsets: np.ndarray
    meta: dict


def save(path: Path, table: np.ndarray, offsets: np.ndarray, meta: dict) -> None:
    """Write a weight file (float16 table, compressed)."""
    meta = {**meta, "feature_version": FEATURE_VERSION, "bits": BITS,
            "templates": [list(t) for t in TEMPLATES],
            "break_templates": [list(t) for t in BREAK_TEMPLATES], "classes": list(MARKS) + ["capital"]}
    np.savez_compressed(path, table=table.astype(np.float16),
                        offsets=np.asarray(offsets, dtype=np.float32),
                        meta=np.array(json.dumps(meta, sort_keys=True)))


def load(path: Path | str | None = None) -> Weights:
    """The weights at ``path`` (default: the shipped file), checked against this code."""
    return _load(str(path or WEIGHTS))


@cache
def _load(path: str) -> Weights:
    try:
        with np.load(path, allow_pickle=False) as data:
            table, offsets, meta = data["table"], data["offsets"], json.loads(str(data["meta"]))
    except FileNotFoundError:
        raise CleanerError("punctuation weights not found: run `python -m train.punctuate`",
                           path) from None
    except (OSError, KeyError, ValueError) as error:
        raise CleanerError(f"not a punctuation weight file ({error})", path) from None
    if meta.get("feature_version") != FEATURE_VERSION or meta.get("bits") != BITS \
            or table.shape != (1 << BITS, 5):
        raise CleanerError(
            f"stale punctuation weights: made for feature version {meta.get('feature_version')} "
            f"with {meta.get('bits')} bits, this code uses version {FEATURE_VERSION} with {BITS}; "
            "retrain with `python -m train.punctuate`", path)
    return Weights(table.astype(np.float32), offsets.astype(np.float32), meta)


def scores(weights: Weights, rows: np.ndarray) -> np.ndarray:
    """Raw scores ``(n, 5)``: four mark log-odds and the capital log-odds, offsets added."""
    if not len(rows):
        return np.zeros((0, 5), dtype=np.float32)
    return weights.table[rows].sum(axis=1) + weights.offsets


def decide(raw: np.ndarray, buckets: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(marks, capitals)``: the mark class after each word, and whether it is capitalised
    by the model (a name, "I"); sentence starts are added by the caller."""
    marks = raw[:, :4].copy()
    if buckets is not None and len(buckets):
        known = buckets >= 0
        marks[known, 1:] += PAUSE_PRIOR[buckets[known]]
    return marks.argmax(axis=1), raw[:, CAPITAL] > 0


def capitals(marks: np.ndarray, model_capital: np.ndarray) -> np.ndarray:
    """Capitalise sentence starts (after a period or question, and the first word) and what
    the model capitalises."""
    start = np.ones(len(marks), dtype=bool)
    start[1:] = (marks[:-1] == PERIOD) | (marks[:-1] == QUESTION)
    return start | model_capital
