"""The cache of compiled rule packs: in memory for the process, on disk between runs.

Entries are named by a content hash of the pack files and of the code that shapes the
cached objects, so editing a pack or upgrading cleaner never serves a stale entry. The
cache is an optimisation only: a damaged entry is rebuilt and an unwritable folder ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Sequence
from pathlib import Path

from ..collector import collector_paused

CACHE_VERSION = "1"
# The code whose objects are cached (all in this folder): a change to it invalidates the entries.
SHAPING_MODULES = ("schema.py", "parse.py", "fastyaml.py", "packs.py", "matcher.py",
                   "prefilter.py", "cache.py")


def _code_version() -> bytes:
    """A digest of the code that shapes cached objects, so a code change invalidates them."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(CACHE_VERSION.encode())
    for name in SHAPING_MODULES:
        digest.update((here / name).read_bytes())
    return digest.digest()


_CODE_VERSION = _code_version()


def content_hash(raw: Sequence[tuple[str, bytes]]) -> str:
    """A short digest of named byte strings (the pack files) and of the code version."""
    digest = hashlib.sha256(_CODE_VERSION)
    for name, data in raw:
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()[:32]


_MEMORY: dict[str, object] = {}


def cache_dir() -> Path | None:
    """Where compiled packs are kept between runs (``CLEANER_CACHE_DIR``, '' to turn off)."""
    configured = os.environ.get("CLEANER_CACHE_DIR")
    if configured == "":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cleaner"


def cached(name: str, build):
    """Memoise ``build()`` in memory and on disk under ``name`` (a content hash)."""
    if name in _MEMORY:
        return _MEMORY[name]
    folder = cache_dir()
    file = folder / f"{name}.pickle" if folder else None
    value = None
    if file is not None and file.is_file():
        try:
            with file.open("rb") as handle, collector_paused():  # 3x faster on big tries
                value = pickle.load(handle)
        except Exception:  # a stale or damaged cache entry is rebuilt, never trusted
            value = None
    if value is None:
        value = build()
        if file is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
                temp = file.with_suffix(f".{os.getpid()}.tmp")
                with temp.open("wb") as handle:
                    pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temp, file)
            except OSError:
                pass  # caching is an optimisation; a read-only home is fine
    _MEMORY[name] = value
    return value
