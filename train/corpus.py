"""Read the speaker-labelled corpus and split it by source or show, never by line.

The corpus (``../shared/corpus/*.jsonl.gz`` or ``$CLEANER_CORPUS_DIR``) holds one conversation
per line; see its README. Every split here keeps a whole show on one side, so a model is never
measured on a show it was trained on.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("changelog", "btc", "meetings", "debates")


@dataclass(frozen=True)
class Turn:
    speaker: str
    text: str


@dataclass(frozen=True)
class Conversation:
    id: str
    source: str
    show: str
    kind: str
    roles: dict[str, str]
    turns: tuple[Turn, ...]

    @property
    def group(self) -> str:
        """The unit a split keeps whole: the show within its source."""
        return f"{self.source}/{self.show}"


def corpus_dir() -> Path:
    """Where the corpus lives: ``$CLEANER_CORPUS_DIR``, else ``../shared/corpus`` beside the repo."""
    configured = os.environ.get("CLEANER_CORPUS_DIR")
    return Path(configured) if configured else ROOT.parent / "shared" / "corpus"


def corpus_version(directory: Path | None = None) -> str:
    """A short digest of the corpus files' names and sizes, recorded with trained weights."""
    directory = directory or corpus_dir()
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.jsonl.gz")):
        digest.update(f"{path.name}:{path.stat().st_size};".encode())
    return digest.hexdigest()[:16]


def parse(record: dict) -> Conversation:
    """One JSON line of the corpus as a Conversation."""
    roles = {person["name"]: person.get("role", "unknown") for person in record.get("speakers", [])}
    turns = tuple(Turn(turn["speaker"], turn["text"]) for turn in record["turns"] if turn["text"].strip())
    return Conversation(record["id"], record["source"], record.get("show") or record["source"],
                        record.get("kind", "unknown"), roles, turns)


def load(sources: Iterable[str] = SOURCES, directory: Path | None = None,
         limit: int | None = None) -> Iterator[Conversation]:
    """Conversations of the named sources in file order; ``limit`` caps each source (for tests)."""
    directory = directory or corpus_dir()
    for source in sources:
        path = directory / f"{source}.jsonl.gz"
        if not path.exists():
            raise FileNotFoundError(f"{path}: corpus file not found (set CLEANER_CORPUS_DIR)")
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for count, line in enumerate(handle):
                if limit is not None and count >= limit:
                    break
                yield parse(json.loads(line))


def fold_of(group: str, folds: int, seed: int = 0) -> int:
    """A stable fold number for a show: a hash, so it does not depend on reading order."""
    digest = hashlib.sha256(f"{seed}:{group}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % folds


def split_by_group(conversations: Iterable[Conversation], held_out: float = 0.2,
                   seed: int = 0) -> tuple[list[Conversation], list[Conversation]]:
    """(train, test) with whole shows on one side; about ``held_out`` of the shows are tested."""
    buckets = 1000
    train: list[Conversation] = []
    test: list[Conversation] = []
    for conversation in conversations:
        side = test if fold_of(conversation.group, buckets, seed) < held_out * buckets else train
        side.append(conversation)
    return train, test


def leave_one_source_out(conversations: Iterable[Conversation]
                         ) -> Iterator[tuple[str, list[Conversation], list[Conversation]]]:
    """For each source: (source, the others' conversations, that source's conversations)."""
    everything = list(conversations)
    for source in sorted({conversation.source for conversation in everything}):
        yield (source, [c for c in everything if c.source != source],
               [c for c in everything if c.source == source])
