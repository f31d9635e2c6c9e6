"""Findings in every output format, all built from one list of ``Finding``.

- ``text``: ``path:line:col: severity rule: message``, one per line;
- ``json``: the ``cleaner/findings@1`` document documented in the README;
- ``github``: GitHub Actions workflow commands (``::error file=...::message``);
- ``junit``: JUnit XML, one test suite per file, one failing test case per finding;
- ``sarif``: SARIF 2.1.0, for code-scanning dashboards.
"""

from __future__ import annotations

import json
import posixpath
import urllib.parse
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from xml.etree import ElementTree as ET

from .. import __version__
from ..check.findings import Finding, Kind, Severity, sort_findings

FINDINGS_SCHEMA = "cleaner/findings@1"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

KIND_DESCRIPTIONS = {
    Kind.ASR_ERROR: "A known ASR error is still in the text: a rule pack would change it.",
    Kind.LOOP: "A hallucination loop: the recogniser repeated a phrase over several lines.",
    Kind.REVIEW: "A turn whose speaker is doubtful (below the review confidence).",
    Kind.NO_SPEAKER: "A turn that speaker attribution could give to nobody.",
    Kind.SELFTEST: "A rule's own example or keep case fails.",
    Kind.LINT: "A problem in a rule pack found by `cleaner rules lint`.",
    Kind.PACK_ERROR: "A rule pack that cannot be loaded.",
}


class OutputFormat(str, Enum):
    """The closed set of findings formats."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    JUNIT = "junit"
    SARIF = "sarif"


@dataclass(frozen=True, slots=True)
class FindingsRun:
    """What one run found: its findings, every file it looked at, and its failing level."""

    findings: tuple[Finding, ...]
    files: tuple[str, ...] = ()
    fail_on: Severity = Severity.ERROR
    tool: str = "cleaner check"


def render_findings(run: FindingsRun, fmt: OutputFormat | str) -> str:
    """The run's findings in format ``fmt``."""
    return FORMATTERS[OutputFormat(fmt)](run)


def render_text(run: FindingsRun) -> str:
    """One finding per line: ``path:line:col: severity rule: message``."""
    return "".join(
        f"{f.path}:{f.line}:{f.col}: {f.severity.value} {f.rule}: {_one_line(f.message)}\n"
        for f in sort_findings(run.findings)
    )


def render_json(run: FindingsRun) -> str:
    """The ``cleaner/findings@1`` JSON document."""
    found = sort_findings(run.findings)
    by_severity = Counter(f.severity.value for f in found)
    document = {
        "schema": FINDINGS_SCHEMA,
        "tool": {"name": "cleaner", "version": __version__},
        "fail_on": run.fail_on.value,
        "summary": {
            "files": len(set(run.files) | {f.path for f in found}),
            "findings": len(found),
            "by_severity": {s.value: by_severity.get(s.value, 0) for s in Severity},
            "failed": any(f.severity.at_least(run.fail_on) for f in found),
        },
        "findings": [f.to_dict() for f in found],
    }
    return json.dumps(document, ensure_ascii=False, allow_nan=False, indent=1) + "\n"


def render_github(run: FindingsRun) -> str:
    """GitHub Actions workflow commands, shown as annotations on the changed files."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for f in sort_findings(run.findings):
        props = {"file": f.path, "line": f.line, "col": f.col}
        if f.end_line is not None:
            props["endLine"] = f.end_line
            if f.end_col is not None and f.end_line == f.line:
                props["endColumn"] = max(f.end_col - 1, f.col)
        props["title"] = f"{f.rule} ({f.severity.value})"
        joined = ",".join(f"{key}={_gh_property(str(value))}" for key, value in props.items())
        lines.append(f"::{level[f.severity]} {joined}::{_gh_data(f.message)}\n")
    return "".join(lines)


def render_junit(run: FindingsRun) -> str:
    """JUnit XML: a suite per file; a failing case per finding at or above the failing
    level, a passing case (with the finding in ``system-out``) for lower ones, and one
    passing case for a file with no findings."""
    found = sort_findings(run.findings)
    by_file: dict[str, list[Finding]] = {path: [] for path in sorted(set(run.files))}
    for f in found:
        by_file.setdefault(f.path, []).append(f)
    failures_total = sum(1 for f in found if f.severity.at_least(run.fail_on))
    root = ET.Element("testsuites", name=run.tool, tests=str(sum(max(len(v), 1) for v in
                                                                  by_file.values())),
                      failures=str(failures_total), errors="0")
    for path in sorted(by_file):
        items = by_file[path]
        failing = sum(1 for f in items if f.severity.at_least(run.fail_on))
        suite = ET.SubElement(root, "testsuite", name=path, tests=str(max(len(items), 1)),
                              failures=str(failing), errors="0", skipped="0")
        if not items:
            ET.SubElement(suite, "testcase", classname=path, name="no findings")
            continue
        for f in items:
            case = ET.SubElement(suite, "testcase", classname=path,
                                 name=f"{f.rule} at {f.line}:{f.col}")
            text = f"{f.path}:{f.line}:{f.col}: {f.severity.value} {f.rule}: {f.message}"
            if f.severity.at_least(run.fail_on):
                failure = ET.SubElement(case, "failure", message=_one_line(f.message),
                                        type=f.severity.value)
                failure.text = text
            else:
                ET.SubElement(case, "system-out").text = text
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render_sarif(run: FindingsRun) -> str:
    """A SARIF 2.1.0 log with one run; columns count Unicode code points."""
    found = sort_findings(run.findings)
    rule_ids = sorted({f.rule for f in found})
    kinds = {f.rule: f.kind for f in found}
    severities = {f.rule: f.severity for f in found}
    rules = [
        {
            "id": rule,
            "name": rule,
            "shortDescription": {"text": KIND_DESCRIPTIONS[kinds[rule]]},
            "defaultConfiguration": {"level": _sarif_level(severities[rule])},
            "properties": {"kind": kinds[rule].value},
        }
        for rule in rule_ids
    ]
    index = {rule: number for number, rule in enumerate(rule_ids)}
    results = []
    for f in found:
        region = {"startLine": f.line, "startColumn": f.col}
        if f.end_line is not None:
            region["endLine"] = f.end_line
            if f.end_col is not None:
                region["endColumn"] = max(f.end_col, f.col) if f.end_line == f.line else f.end_col
        results.append({
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": _sarif_level(f.severity),
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": _artifact(f.path),
                "region": region,
            }}],
            "partialFingerprints": {"cleaner/v1": f.fingerprint},
        })
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "cleaner", "version": __version__, "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, ensure_ascii=False, allow_nan=False, indent=1) + "\n"


FORMATTERS: dict[OutputFormat, Callable[[FindingsRun], str]] = {
    OutputFormat.TEXT: render_text,
    OutputFormat.JSON: render_json,
    OutputFormat.GITHUB: render_github,
    OutputFormat.JUNIT: render_junit,
    OutputFormat.SARIF: render_sarif,
}

FORMAT_NAMES: Sequence[str] = tuple(fmt.value for fmt in OutputFormat)


def summary_line(run: FindingsRun) -> str:
    """``3 findings (2 errors, 1 warning) in 2 files`` for stderr."""
    counts = Counter(f.severity for f in run.findings)
    parts = [f"{counts[s]} {s.value}{'' if counts[s] == 1 else 's'}" for s in Severity if counts[s]]
    files = len(set(run.files) | {f.path for f in run.findings})
    total = len(run.findings)
    detail = f" ({', '.join(parts)})" if parts else ""
    return (f"{total} finding{'' if total == 1 else 's'}{detail} in {files} "
            f"file{'' if files == 1 else 's'}")


def _sarif_level(severity: Severity) -> str:
    return {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}[severity]


def _artifact(path: str) -> dict:
    if path.startswith("/"):
        return {"uri": "file://" + urllib.parse.quote(posixpath.normpath(path))}
    return {"uri": urllib.parse.quote(path), "uriBaseId": "%SRCROOT%"}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")
