"""Shared test helpers: paths, and a private pack cache so tests never touch ~/.cache."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEED = ROOT / "seeds" / "000_779c6c37a6df98f0.txt"
SHARED = ROOT.parent / "shared"

os.environ.setdefault("CLEANER_CACHE_DIR", tempfile.mkdtemp(prefix="cleaner-test-cache-"))

# Hypothesis: the default profile is derandomized (the same examples on every run, no example
# database), so CI repeats exactly; `HYPOTHESIS_PROFILE=long python -m pytest
# tests/test_invariants.py` fuzzes with fresh random examples, many more of them.
settings.register_profile(
    "default", derandomize=True, database=None, max_examples=150, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile(
    "long", derandomize=False, max_examples=5000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def write_pack(tmp_path):
    """Write a YAML pack into a temp folder and return its path."""

    def write(text: str, name: str = "pack.yaml") -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def pytest_terminal_summary(terminalreporter):
    """Say loudly, above the summary line, when the browser checks could not run."""
    skipped = terminalreporter.stats.get("skipped", [])
    if any("NO HEADLESS BROWSER" in str(report.longrepr) for report in skipped):
        terminalreporter.write_sep(
            "!", "HTML SAFETY WAS NOT CHECKED IN A BROWSER: no chromium (see .ci/run)",
            red=True, bold=True)
