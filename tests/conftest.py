"""Shared test helpers: paths, and a private pack cache so tests never touch ~/.cache."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEED = ROOT / "seeds" / "000_779c6c37a6df98f0.txt"
SHARED = ROOT.parent / "shared"

os.environ.setdefault("CLEANER_CACHE_DIR", tempfile.mkdtemp(prefix="cleaner-test-cache-"))


@pytest.fixture
def write_pack(tmp_path):
    """Write a YAML pack into a temp folder and return its path."""

    def write(text: str, name: str = "pack.yaml") -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write
