"""Check: turn a cleaning ``Result`` (and rule-pack self-tests) into a list of ``Finding``.

A finding is something a CI job should look at: a known ASR error still in the text (a rule
would change it), a hallucination loop, a turn whose speaker is doubtful, a turn with no
speaker, or a rule whose own examples fail. Every output format (text, json, github, junit,
sarif) is built from the same list, so they always agree. Pure: no files are read here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Any

from ..model import Edit, Result, Turn
from ..correct.cache import cached
from ..correct.packs import Pack, PackLibrary
from ..pipeline import Options, clean


class Severity(str, Enum):
    """How serious a finding is; ``--fail-on`` picks the lowest level that fails a run."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more serious."""
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    def at_least(self, level: Severity) -> bool:
        """True when this severity is ``level`` or more serious."""
        return self.rank >= level.rank


class Kind(str, Enum):
    """What a finding is about (the JSON ``kind`` field)."""

    ASR_ERROR = "asr-error"
    LOOP = "loop"
    REVIEW = "review"
    NO_SPEAKER = "no-speaker"
    SELFTEST = "selftest"
    LINT = "lint"
    PACK_ERROR = "pack-error"


DEFAULT_SEVERITY = {
    Kind.ASR_ERROR: Severity.ERROR,
    Kind.LOOP: Severity.ERROR,
    Kind.REVIEW: Severity.WARNING,
    Kind.NO_SPEAKER: Severity.WARNING,
    Kind.SELFTEST: Severity.ERROR,
    Kind.LINT: Severity.ERROR,
    Kind.PACK_ERROR: Severity.ERROR,
}

# Rule ids of findings that no pack rule produces.
REVIEW_RULE = "speaker.review"
NO_SPEAKER_RULE = "speaker.missing"
SELFTEST_RULE = "rules.selftest"
LOOP_PREFIX = "tidy.loop"
LEAD_IN_RULE = "tidy.lead-in"  # lines a loop likely starts with: kept, to review


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place.

    ``line``/``col`` are 1-based (``col`` counts characters of the line as read);
    ``end_line``/``end_col`` point just past the end, like SARIF's region. ``rule`` is the
    id of what found it: a pack rule id for ASR errors, otherwise ``speaker.review``,
    ``speaker.missing``, ``rules.selftest`` or a lint check. ``fingerprint`` identifies the
    finding across runs even when lines move (see ``fingerprint``), for baselines.
    """

    path: str
    line: int
    col: int
    severity: Severity
    rule: str
    message: str
    kind: Kind
    end_line: int | None = None
    end_col: int | None = None
    fingerprint: str = ""

    def to_dict(self) -> dict:
        """The finding as in the JSON format (see README, "cleaner check")."""
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "end_line": self.end_line,
            "end_col": self.end_col,
            "severity": self.severity.value,
            "rule": self.rule,
            "kind": self.kind.value,
            "message": self.message,
            "fingerprint": self.fingerprint,
        }


def check(text: str, path: str | None = None, options: Options | None = None,
          library: PackLibrary | None = None, review_below: float | None = None) -> list[Finding]:
    """Clean one transcript and return what is wrong with it (see ``findings``).

    ``review_below`` replaces the options' confidence bound of the review list."""
    if review_below is not None:
        options = replace(options or Options(), review_below=review_below)
    return findings(clean(text, path=path, options=options, library=library))


def findings(result: Result, severity: Mapping[Kind, Severity] | None = None) -> list[Finding]:
    """Every finding in one cleaning result, sorted by place.

    The review findings are the turns marked ``review`` (``segment.review.needs_review``),
    the list the report and the JSON show. Turns with no speaker are findings only when
    speaker attribution ran (``result.options["speakers"]``), since before that no turn has
    one, and named other turns.
    """
    levels = {**DEFAULT_SEVERITY, **(severity or {})}
    path = display_path(result.transcript.path)
    rule_edits = [e for e in result.edits if not _is_tidy(e)]
    loop_edits = [e for e in result.edits if e.rule.startswith(LOOP_PREFIX)]
    keyed: list[tuple[Finding, str]] = []
    keyed += [_asr_finding(path, group, levels) for group in _edit_groups(rule_edits)]
    recorded = result.options.get("loops")
    recorded = recorded if isinstance(recorded, list | tuple) else ()
    keyed += _loop_findings(path, loop_edits, recorded, levels)
    # A transcript where no one could be named at all (a monologue, no names in it) has no
    # unattributed segment: only text left without a speaker among named turns is a finding.
    named = any(turn.speaker for turn in result.turns)
    for turn in result.turns:
        if not turn.spans or not turn.text.strip():
            continue
        if turn.review:
            keyed.append(_turn_finding(path, turn, Kind.REVIEW, REVIEW_RULE, levels,
                                       _review_message(turn, result.options.get("review_below"))))
        if result.options.get("speakers") is True and turn.speaker is None and named:
            keyed.append(_turn_finding(path, turn, Kind.NO_SPEAKER, NO_SPEAKER_RULE, levels,
                                       "no speaker could be given to this text"))
    return sort_findings(with_fingerprints(keyed))


def selftest_findings(packs: Sequence[Pack]) -> list[Finding]:
    """A finding for every failing example or keep case of every rule (all, not the first)."""
    from ..correct import selftest

    keyed = []
    for failure in selftest.run(list(packs)):
        case = failure.case
        finding = Finding(
            path=display_path(case.rule.path), line=case.example.line, col=1,
            severity=DEFAULT_SEVERITY[Kind.SELFTEST], rule=SELFTEST_RULE, kind=Kind.SELFTEST,
            message=(f"rule {case.rule.id!r} {case.kind} {case.number}: {failure.problem}: "
                     f"{case.example.text!r} -> {failure.got!r}, expected "
                     f"{case.example.expected!r}"),
        )
        keyed.append((finding, f"{case.rule.id}|{case.kind}|{case.example.text}"))
    return sort_findings(with_fingerprints(keyed))


# The code a self-test runs beyond the pack cache's own (which ``PackLibrary.key`` covers):
# a change to it invalidates the cached self-test findings.
_SELFTEST_CODE = ("correct/selftest.py", "correct/apply.py", "edits.py", "model.py",
                  "check/findings.py")


def library_selftest_findings(library: PackLibrary) -> list[Finding]:
    """``selftest_findings`` of the library's packs, cached with the compiled packs (by their
    content and the code that runs the tests): every ``check`` reports them, and compiling
    each rule apart to test it costs more than checking a transcript."""
    if not library.key:
        return selftest_findings(library.packs)
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(library.key.encode())
    for name in _SELFTEST_CODE:
        digest.update((package / name).read_bytes())
    # A copy: callers add their own findings to the list, the cached one must stay as it is.
    return list(cached(f"selftest-{digest.hexdigest()[:32]}",
                       lambda: selftest_findings(library.packs)))


def fails(found: Iterable[Finding], level: Severity) -> bool:
    """True when any finding is at ``level`` or above (the run should exit 1)."""
    return any(finding.severity.at_least(level) for finding in found)


def sort_findings(found: Iterable[Finding]) -> list[Finding]:
    """Findings in a stable order: path, line, column, rule, message."""
    return sorted(found, key=lambda f: (f.path, f.line, f.col, f.rule, f.message))


def display_path(path: str | None) -> str:
    """A path as findings show it: forward slashes, no leading ``./`` ('-' for stdin)."""
    if not path or path == "-":
        return "-"
    text = str(path).replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    return text


def fingerprint(kind: Kind, rule: str, path: str, key: str, occurrence: int) -> str:
    """A stable id for a finding that does not depend on its line number.

    It hashes what the finding is about (its kind, rule, file and a key such as the
    offending text) and which occurrence of that it is in the file, so inserting lines
    above a finding keeps it in the baseline, while a second copy of the same error is new.
    """
    data = "\0".join((kind.value, rule, path, " ".join(key.casefold().split()), str(occurrence)))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:20]


def with_fingerprints(keyed: Iterable[tuple[Finding, str]]) -> list[Finding]:
    """Give each ``(finding, key)`` its fingerprint, counting repeats in place order."""
    counts: dict[tuple, int] = {}
    out = []
    for finding, key in sorted(keyed, key=lambda fk: (fk[0].path, fk[0].line, fk[0].col)):
        ident = (finding.kind, finding.rule, finding.path, " ".join(key.casefold().split()))
        counts[ident] = counts.get(ident, 0) + 1
        out.append(replace(finding, fingerprint=fingerprint(
            finding.kind, finding.rule, finding.path, key, counts[ident])))
    return out


# ------------------------------------------------------------------------------ producers

def _is_tidy(edit: Edit) -> bool:
    return edit.category == "tidy" or edit.rule.startswith("tidy.")


def _edit_groups(edits: Sequence[Edit]) -> list[list[Edit]]:
    """Edits with the pieces of one cross-line edit (shared ``group``) together."""
    groups: dict[tuple, list[Edit]] = {}
    for edit in edits:
        key = ("g", edit.rule, edit.group) if edit.group is not None else ("e", id(edit))
        groups.setdefault(key, []).append(edit)
    return sorted(groups.values(), key=lambda g: (g[0].line, g[0].start))


def _asr_finding(path: str, group: list[Edit], levels) -> tuple[Finding, str]:
    first, last = group[0], group[-1]
    before = " ".join(" ".join(edit.before for edit in group).split())
    after = " ".join(edit.after for edit in group if edit.after)
    finding = Finding(
        path=path, line=first.line, col=first.start + 1, end_line=last.line,
        end_col=last.end + 1, severity=levels[Kind.ASR_ERROR], rule=first.rule,
        kind=Kind.ASR_ERROR,
        message=f"known ASR error {before!r} should be {after!r} ({first.origin})",
    )
    return finding, f"{before}|{after}"


def _loop_findings(path: str, edits: Sequence[Edit], reported: Iterable[Any],
                   levels) -> list[tuple[Finding, str]]:
    """Loops from the tidy pass: its ``tidy.loop*`` edits (runs of consecutive lines become
    one finding) and any loop records it left in ``Result.options["loops"]``."""
    out: list[tuple[Finding, str]] = []
    covered: set[int] = set()
    runs: list[list[Edit]] = []
    for edit in sorted(edits, key=lambda e: (e.line, e.start)):
        previous = runs[-1][-1] if runs else None
        if previous is not None and edit.rule == previous.rule and (
                edit.line - previous.line <= 1
                or (edit.group is not None and edit.group == previous.group)):
            runs[-1].append(edit)
        else:
            runs.append([edit])
    for run in runs:
        first, last = run[0], run[-1]
        text = _shorten(" ".join(" ".join(e.before for e in run).split()))
        lines = f"line {first.line}" if first.line == last.line else \
            f"lines {first.line}-{last.line}"
        out.append((Finding(
            path=path, line=first.line, col=first.start + 1, end_line=last.line,
            end_col=last.end + 1, severity=levels[Kind.LOOP], rule=first.rule, kind=Kind.LOOP,
            message=f"hallucination loop on {lines}: {text!r}"), text))
        covered.update(range(first.line, last.line + 1))
    for item in reported:
        loop = _loop_record(item)
        if loop is None or loop["line"] in covered:
            continue
        first_line, last_line = loop["line"], loop["end_line"] or loop["line"]
        lines = f"line {first_line}" if first_line == last_line else \
            f"lines {first_line}-{last_line}"
        text = _shorten(loop["text"])
        times = f" repeated {loop['count']} times" if loop["count"] else ""
        message = f"hallucination loop on {lines}{times}" + (f": {text!r}" if text else "")
        kind = Kind.LOOP
        if loop["rule"] == LEAD_IN_RULE:
            kind = Kind.REVIEW
            message = f"likely hallucinated lead-in to a loop on {lines} (kept): {text!r}"
        out.append((Finding(
            path=path, line=first_line, col=loop["col"], end_line=last_line,
            end_col=loop["end_col"], severity=levels[kind], rule=loop["rule"], kind=kind,
            message=message), text or str(first_line)))
        covered.update(range(first_line, last_line + 1))
    return out


def _loop_record(item: Any) -> dict | None:
    """Read a loop record given as a mapping or an object, whatever its exact field names."""
    def get(*names):
        for name in names:
            value = item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)
            if value is not None:
                return value
        return None

    line = get("line", "first_line", "start_line")
    if not isinstance(line, int) or isinstance(line, bool) or line < 1:
        return None
    col = get("col")
    start = get("start")
    if not isinstance(col, int) or col < 1:
        col = start + 1 if isinstance(start, int) and start >= 0 else 1
    end_line = get("end_line", "last_line")
    end_col = get("end_col")
    count = get("count", "repeats", "times")
    text = get("text", "phrase", "before", "sentence")
    return {
        "line": line, "col": col,
        "end_line": end_line if isinstance(end_line, int) and end_line >= line else None,
        "end_col": end_col if isinstance(end_col, int) and end_col >= 1 else None,
        "count": count if isinstance(count, int) else None,
        "text": " ".join(str(text).split()) if text else "",
        "rule": str(get("rule") or LOOP_PREFIX),
    }


def _turn_finding(path: str, turn: Turn, kind: Kind, rule: str, levels,
                  message: str) -> tuple[Finding, str]:
    line, start, _ = turn.spans[0]
    last_line, _, last_end = turn.spans[-1]
    finding = Finding(path=path, line=line, col=start + 1, end_line=last_line,
                      end_col=last_end + 1, severity=levels[kind], rule=rule, kind=kind,
                      message=f"{message}: {_shorten(turn.text)!r}")
    return finding, turn.text[:200]


def _review_message(turn: Turn, threshold: float | None) -> str:
    who = turn.speaker or "no speaker"
    if turn.confidence is None:
        return f"turn marked for review ({who})"
    below = f" below {threshold:g}" if threshold is not None and turn.confidence < threshold else ""
    words = len(turn.text.split())
    return (f"speaker {who} at confidence {turn.confidence:.2f}{below}, about "
            f"{round((1 - turn.confidence) * words)} of {words} words likely misattributed")


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
