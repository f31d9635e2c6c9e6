"""The learned models' weights: one ``speakers.npz`` in the package, read once.

Why one file: the three models ship and version together, and ``meta`` records the corpus
version and the command that trained them (``train/speakers.py``). A file written for
another feature version would score garbage silently, so it is refused with a clear error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .features import AFFINITY_BITS, CHANGE_BITS, FEATURE_VERSION, ROLE_BITS, ROLES

DEFAULT_PATH = Path(__file__).with_name("speakers.npz")

# How the decoder mixes the learned models' scores with the hand-made cues: the scales were
# chosen on a held-out corpus source (``train/tune.py``), never on the dev conversations;
# 0 turns a model off.
LEARNED: dict[str, float] = {
    "learned.change": 1.0,        # scale of the learned change log-odds (0: the hand-made model)
    "learned.change-shift": 0.0,  # added to them (how readily the decoder changes speaker)
    "learned.hand-made": 0.0,     # share of the hand-made change table added to it
    "learned.role": 1.0,          # scale of the role log-probabilities
    "learned.affinity": 0.5,      # scale of the affinity log-odds
}
GOING_ON = "the words either side read as one speaker going on"  # evidence against a change


class StaleWeights(RuntimeError):
    """The weight file does not match the code's features: retrain (``python -m train.speakers``)."""


@dataclass(frozen=True)
class Weights:
    """Coefficients of the three linear models, and what trained them."""

    meta: dict
    change_w: np.ndarray     # (2**CHANGE_BITS,)
    change_b: float
    role_w: np.ndarray       # (2**ROLE_BITS, len(ROLES))
    role_b: np.ndarray       # (len(ROLES),)
    affinity_w: np.ndarray   # (2**AFFINITY_BITS + 1,): one per word bucket, then the total
    affinity_b: float


def read(path: Path) -> Weights:
    """Read and check a weight file."""
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        version = meta.get("feature_version")
        if version != FEATURE_VERSION:
            raise StaleWeights(f"{path}: weights are for feature version {version}, the code "
                               f"computes version {FEATURE_VERSION}; retrain with "
                               "`python -m train.speakers`")
        weights = Weights(
            meta=meta,
            change_w=data["change_w"].astype(np.float32), change_b=float(data["change_b"]),
            role_w=data["role_w"].astype(np.float32), role_b=data["role_b"].astype(np.float32),
            affinity_w=data["affinity_w"].astype(np.float32), affinity_b=float(data["affinity_b"]),
        )
    shapes = {"change_w": (weights.change_w.shape, (1 << CHANGE_BITS,)),
              "role_w": (weights.role_w.shape, (1 << ROLE_BITS, len(ROLES))),
              "affinity_w": (weights.affinity_w.shape, ((1 << AFFINITY_BITS) + 1,))}
    for name, (found, expected) in shapes.items():
        if found != expected:
            raise StaleWeights(f"{path}: {name} has shape {found}, the code expects {expected}; "
                               "retrain with `python -m train.speakers`")
    return weights


@lru_cache(maxsize=4)
def load(path: Path = DEFAULT_PATH) -> Weights | None:
    """The shipped weights (read once), or None when no file is there (the tool then uses
    its hand-made change model and cues alone)."""
    if not path.exists():
        return None
    return read(path)
