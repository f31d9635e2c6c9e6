"""Baselines: the findings a project has accepted, so ``cleaner check --baseline`` fails only on
new ones. A finding is known by its fingerprint (``findings.fingerprint``), which survives lines
moving.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .findings import Finding, sort_findings

BASELINE_SCHEMA = "cleaner/baseline@1"


def baseline_document(found: Iterable[Finding]) -> dict:
    """A baseline of the given findings, as written by ``--write-baseline``."""
    return {
        "schema": BASELINE_SCHEMA,
        "findings": [
            {"fingerprint": f.fingerprint, "path": f.path, "line": f.line, "rule": f.rule,
             "message": f.message}
            for f in sort_findings(found)
        ],
    }


def baseline_fingerprints(document: Any, path: str | None = None) -> frozenset[str]:
    """The fingerprints a loaded baseline document holds (checked, errors name the file)."""
    from ..errors import CleanerError

    if not isinstance(document, dict) or document.get("schema") != BASELINE_SCHEMA:
        raise CleanerError(f"not a cleaner baseline (expected schema {BASELINE_SCHEMA!r})", path)
    items = document.get("findings")
    if not isinstance(items, list) or not all(
            isinstance(item, dict) and isinstance(item.get("fingerprint"), str) for item in items):
        raise CleanerError("baseline 'findings' must be a list of objects with a 'fingerprint'",
                           path)
    return frozenset(item["fingerprint"] for item in items)


def new_findings(found: Iterable[Finding], known: frozenset[str]) -> list[Finding]:
    """The findings whose fingerprint is not in the baseline."""
    return [finding for finding in found if finding.fingerprint not in known]
