"""The report as one self-contained HTML file: no scripts, no external resources.

Every piece of transcript text, rule id, note and file name goes through ``escape``. Changes
are highlighted in the transcript; the rule behind each shows on hover or keyboard focus.
"""

from __future__ import annotations

from html import escape

from ..edits import edits_by_line
from ..model import Result
from .report import build_report, extra_sections, stats_rows

STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.2rem .6rem;text-align:left}
.transcript{font-family:ui-monospace,monospace;font-size:14px}
.ln{color:#888;display:inline-block;width:4rem;text-align:right;margin-right:1rem;user-select:none}
.chg{position:relative;background:#fff3b0;border-radius:3px;outline-offset:2px}
.chg del{color:#a00}.chg ins{color:#060;text-decoration:none;font-weight:bold}
.chg .tip{display:none;position:absolute;left:0;top:1.4em;z-index:2;background:#222;color:#fff;
padding:.3rem .5rem;border-radius:4px;white-space:nowrap;font:12px system-ui,sans-serif}
.chg:hover .tip,.chg:focus .tip{display:block}
@media print{.chg .tip{display:none!important}}
"""


def render_html(result: Result) -> str:
    """The report as an HTML page."""
    report = build_report(result)
    total = sum(n for _, _, n in report.by_rule)
    title = f"Cleaning report: {report.path}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        'style-src \'unsafe-inline\'">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p>Input format: {escape(report.format)}. Packs: "
        f"{escape(', '.join(report.packs) or 'none')}. Changes: {total}. "
        f"Dropped overlaps: {len(report.dropped)}.</p>",
        "<h2>Summary</h2>",
        _table(("rule", "category", "changes"), report.by_rule),
        _table(("category", "changes"), report.by_category),
        "<h2>Before and after</h2>",
        _table(("", "before", "after"), stats_rows(report)),
        "<h2>Dropped overlaps</h2>",
    ]
    if report.dropped:
        parts.append(_table(
            ("line", "rule", "would have changed", "to", "lost to"),
            [(d.line, d.rule, d.before, d.after, d.beaten_by) for d in report.dropped]))
    else:
        parts.append("<p>None.</p>")
    for heading, lines in extra_sections(result):
        parts.append(f"<h2>{escape(heading)}</h2><pre>{escape(chr(10).join(lines))}</pre>")
    parts.append("<h2>Transcript with changes</h2>")
    parts.append(_transcript(result))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _table(header, rows) -> str:
    head = "".join(f"<th>{escape(str(cell))}</th>" for cell in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _transcript(result: Result) -> str:
    transcript = result.transcript
    grouped = edits_by_line(list(result.edits))
    rows = []
    for segment in transcript.segments:
        line = transcript.lines[segment.line - 1]
        position = segment.start
        html = []
        for edit in grouped.get(segment.line, []):
            if not (segment.start <= edit.start and edit.end <= segment.end):
                continue
            html.append(escape(line[position : edit.start]))
            tip = f"{edit.rule} ({edit.category}) from {edit.origin}"
            if edit.note:
                tip += f": {edit.note}"
            html.append(
                f'<span class="chg" tabindex="0" title="{escape(tip)}">'
                f"<del>{escape(edit.before)}</del>"
                f"<ins>{escape(edit.after) if edit.after else '∅'}</ins>"
                f'<span class="tip" role="tooltip">{escape(tip)}</span></span>'
            )
            position = edit.end
        html.append(escape(line[position : segment.end]))
        rows.append(f'<div><span class="ln">{segment.line}</span>{"".join(html)}</div>')
    return f'<div class="transcript">{"".join(rows)}</div>'
