"""Shared helpers for the benchmark scripts: deterministic inputs, timing and ranking."""

from __future__ import annotations

import os
import platform
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_779c6c37a6df98f0.txt"


def seed_times(factor: int) -> str:
    """The seed with its transcript lines repeated ``factor`` times (same header)."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    header, body = lines[:2], [line for line in lines[2:] if line]
    return "\n".join(header + body * factor) + "\n"


def median_time(function, repeat: int = 5, warmup: int = 1, clock=time.perf_counter) -> float:
    """Median time of ``function()`` in seconds, after warm-up calls.

    Wall time by default; pass ``clock=time.process_time`` for CPU time, which is fairer on a
    shared machine.
    """
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(repeat):
        start = clock()
        function()
        samples.append(clock() - start)
    return statistics.median(samples)


def machine() -> str:
    """One line saying where the numbers come from."""
    return f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs"


def auc(scores: list[float], labels: list[bool]) -> float:
    """Area under the ROC curve (ties count half); 0.5 when one class is missing."""
    pairs = sorted(zip(scores, labels))
    positives = sum(labels)
    negatives = len(labels) - positives
    if not positives or not negatives:
        return 0.5
    rank_sum, i = 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        rank = (i + j + 1) / 2
        rank_sum += rank * sum(1 for _, y in pairs[i:j] if y)
        i = j
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)
