"""The diff report: counts per rule and category, every edit in context, dropped overlaps,
and word counts and readability before and after. Markdown or plain text."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..model import Edit, Result, Stats
from .stats import before_after

CONTEXT = 40


@dataclass(frozen=True, slots=True)
class EditView:
    """An edit with the text around it, for reading."""

    edit: Edit
    left: str
    right: str


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the report shows, computed once for every report format."""

    path: str
    format: str
    packs: tuple[str, ...]
    by_rule: list[tuple[str, str, int]]  # (rule, category, count)
    by_category: list[tuple[str, int]]
    edits: list[EditView]
    dropped: list
    before: Stats
    after: Stats
    result: Result


def build_report(result: Result) -> Report:
    """Collect the report's figures from a result."""
    transcript = result.transcript
    counted = Counter((edit.rule, edit.category) for edit in _logical(result.edits))
    by_rule = sorted(((rule, cat, n) for (rule, cat), n in counted.items()),
                     key=lambda item: (-item[2], item[0]))
    categories = Counter()
    for (_, category), n in counted.items():
        categories[category] += n
    views = []
    for edit in result.edits:
        line = transcript.lines[edit.line - 1]
        views.append(EditView(edit, line[max(edit.start - CONTEXT, 0) : edit.start],
                              line[edit.end : edit.end + CONTEXT]))
    before, after = before_after(result)
    return Report(
        path=transcript.path or "-", format=transcript.format, packs=result.packs,
        by_rule=by_rule, by_category=sorted(categories.items(), key=lambda i: (-i[1], i[0])),
        edits=views, dropped=list(result.dropped), before=before, after=after, result=result,
    )


def _logical(edits) -> list[Edit]:
    """One entry per change: the pieces of a change split across lines count once."""
    seen = set()
    out = []
    for edit in edits:
        if edit.group is not None:
            if edit.group in seen:
                continue
            seen.add(edit.group)
        out.append(edit)
    return out


def stats_rows(report: Report) -> list[tuple[str, str, str]]:
    """The before/after figures as rows of text."""
    b, a = report.before, report.after
    return [
        ("Words", str(b.words), str(a.words)),
        ("Sentences", str(b.sentences), str(a.sentences)),
        ("Flesch reading ease", f"{b.flesch_reading_ease:.1f}", f"{a.flesch_reading_ease:.1f}"),
        ("Flesch-Kincaid grade", f"{b.flesch_kincaid_grade:.1f}", f"{a.flesch_kincaid_grade:.1f}"),
    ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_md(result: Result) -> str:
    """The report as Markdown."""
    report = build_report(result)
    total = sum(n for _, _, n in report.by_rule)
    out = [f"# Cleaning report: {report.path}", "",
           f"Input format: {report.format}. Packs: {', '.join(report.packs) or 'none'}. "
           f"Changes: {total} ({len(report.result.edits)} line edits). "
           f"Dropped overlaps: {len(report.dropped)}.", ""]
    out += ["## Changes per rule", "", "| rule | category | changes |", "|---|---|---|"]
    out += [f"| {rule} | {cat} | {n} |" for rule, cat, n in report.by_rule] or ["| (none) | | 0 |"]
    out += ["", "## Changes per category", "", "| category | changes |", "|---|---|"]
    out += [f"| {cat} | {n} |" for cat, n in report.by_category] or ["| (none) | 0 |"]
    out += ["", "## Before and after", "", "| | before | after |", "|---|---|---|"]
    out += [f"| {name} | {b} | {a} |" for name, b, a in stats_rows(report)]
    out += ["", "## Every change", ""]
    if not report.edits:
        out.append("No changes.")
    for view in report.edits:
        e = view.edit
        group = f" (part of change {e.group})" if e.group is not None else ""
        out.append(f"- line {e.line}:{e.start + 1} `{e.rule}`{group}: "
                   f"…{_cell(view.left)}**~~{_cell(e.before)}~~ → {_cell(e.after) or '∅'}**"
                   f"{_cell(view.right)}…")
    out += ["", "## Dropped overlaps", ""]
    if not report.dropped:
        out.append("None.")
    for d in report.dropped:
        out.append(f"- line {d.line}:{d.start + 1} `{d.rule}` would have changed "
                   f"“{_cell(d.before)}” → “{_cell(d.after)}”; `{d.beaten_by}` won the overlap")
    for title, lines in extra_sections(result):
        out += ["", f"## {title}", "", *lines]
    return "\n".join(out) + "\n"


def render_txt(result: Result) -> str:
    """The report as plain text."""
    report = build_report(result)
    total = sum(n for _, _, n in report.by_rule)
    out = [f"Cleaning report: {report.path}",
           f"Input format: {report.format}; packs: {', '.join(report.packs) or 'none'}; "
           f"changes: {total}; dropped overlaps: {len(report.dropped)}", "",
           "Changes per rule:"]
    out += [f"  {n:5d}  {rule} ({cat})" for rule, cat, n in report.by_rule] or ["  none"]
    out += ["", "Changes per category:"]
    out += [f"  {n:5d}  {cat}" for cat, n in report.by_category] or ["  none"]
    out += ["", "Before and after:"]
    out += [f"  {name:22s} {b:>8s} {a:>8s}" for name, b, a in stats_rows(report)]
    out += ["", "Every change:"]
    for view in report.edits:
        e = view.edit
        out.append(f"  {e.line}:{e.start + 1} {e.rule}: {e.before!r} -> {e.after!r}"
                   f"   ...{view.left}[{e.before}]{view.right}...")
    out += ["", "Dropped overlaps:"]
    out += [f"  {d.line}:{d.start + 1} {d.rule}: {d.before!r} -> {d.after!r} "
            f"(lost to {d.beaten_by})" for d in report.dropped] or ["  none"]
    for title, lines in extra_sections(result):
        out += ["", f"{title}:", *("  " + line for line in lines)]
    return "\n".join(out) + "\n"


# Later stages (speakers, tidy) add report sections: a function from result to
# ``[(title, markdown lines), ...]``.
SECTIONS: list = []


def extra_sections(result: Result) -> list[tuple[str, list[str]]]:
    """Sections that later stages contribute to every report format."""
    out = []
    for section in SECTIONS:
        out.extend(section(result))
    return out
