"""The report as one self-contained HTML file: no scripts, no external resources.

Every piece of transcript text, rule id, note and file name goes through ``escape``. Laid
out for an editor to scan, at desktop width and on a phone (420 px): the summary first, the
per-rule and per-category tables folded under it (``<details>``), the sections of later
stages (speakers, loops) as real HTML (tables and lists, each turn or loop linked to its
line), every change as a list linked to its highlighted place in the transcript, and long
lines wrapping inside the page. Changes are highlighted in the transcript; the rule behind
each shows on hover or keyboard focus.
"""

from __future__ import annotations

from html import escape

import regex

from ..edits import edits_by_line, edits_within
from ..model import Result
from .report import build_report, extra_sections, stats_rows

STYLE = """
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;
overflow-wrap:anywhere}
h1{font-size:1.5rem;line-height:1.25}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:1rem 0;max-width:100%}
td,th{border:1px solid #ccc;padding:.2rem .6rem;text-align:left;vertical-align:top;
overflow-wrap:normal}
td.n,th.n{text-align:right}td.n{white-space:nowrap}
details{margin:.5rem 0}summary{cursor:pointer;font-weight:600}
ol.changes,ul.items{padding-left:1.4rem}ol.changes li,ul.items li{margin:.2rem 0}
ol.changes code{font-size:.9em}
.ctx{color:#555}
.transcript{font-family:ui-monospace,monospace;font-size:14px}
.transcript div{white-space:pre-wrap;padding-left:4.5rem;text-indent:-4.5rem}
.transcript div:target,.chg:target{background:#e6f0ff}
.ln{color:#888;display:inline-block;width:3.5rem;text-align:right;margin-right:1rem;
text-indent:0;user-select:none}
.chg{position:relative;background:#fff3b0;border-radius:3px;outline-offset:2px}
del{color:#a00}ins{color:#060;text-decoration:none;font-weight:bold}
.chg .tip{display:none;position:absolute;left:0;top:1.4em;z-index:2;background:#222;color:#fff;
padding:.3rem .5rem;border-radius:4px;width:max-content;max-width:min(30rem,80vw);
white-space:normal;font:12px system-ui,sans-serif;text-indent:0}
.chg:hover .tip,.chg:focus .tip{display:block}
@media (max-width:600px){body{margin:1rem auto;padding:0 .6rem}
.transcript div{padding-left:2.6rem;text-indent:-2.6rem}.ln{width:2rem;margin-right:.6rem}
td,th{padding:.15rem .3rem;font-size:.85rem}th{overflow-wrap:anywhere;hyphens:auto}}
@media print{.chg .tip{display:none!important}details{display:block}}
"""

# A list item of a later stage's section that starts with its line: "- line 71: ...",
# "- lines 950-953 (removed; ...)".
_ITEM_LINE = regex.compile(r"^lines? (\d+)")


def render_html(result: Result) -> str:
    """The report as an HTML page."""
    report = build_report(result)
    total = sum(n for _, _, n in report.by_rule)
    title = f"Cleaning report: {report.path}"
    ids = {id(edit): number for number, edit in enumerate(result.edits, start=1)}
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        'style-src \'unsafe-inline\'">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body><main>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="summary">Input format: {escape(report.format)}. Packs: '
        f"{escape(', '.join(report.packs) or 'none')}. Changes: {total} "
        f"({len(result.edits)} line edits). Dropped overlaps: {len(report.dropped)}. "
        '<a href="#changes">Every change</a> · <a href="#transcript">Transcript</a></p>',
        _table(("", "before", "after"), stats_rows(report), numeric=(1, 2)),
        f"<details><summary>Changes per rule ({len(report.by_rule)} rules)</summary>",
        _table(("rule", "category", "changes"), report.by_rule, numeric=(2,)),
        "</details>",
        f"<details><summary>Changes per category ({len(report.by_category)})</summary>",
        _table(("category", "changes"), report.by_category, numeric=(1,)),
        "</details>",
    ]
    for heading, lines in extra_sections(result):
        parts.append(f"<h2>{escape(heading)}</h2>")
        parts.append(section_html(lines))
    parts.append('<h2 id="changes">Every change</h2>')
    parts.append(_changes(report, ids))
    parts.append("<h2>Dropped overlaps</h2>")
    if report.dropped:
        parts.append(_table(
            ("line", "rule", "would have changed", "to", "lost to"),
            [(d.line, d.rule, d.before, d.after, d.beaten_by) for d in report.dropped]))
    else:
        parts.append("<p>None.</p>")
    parts.append('<h2 id="transcript">Transcript with changes</h2>')
    parts.append(_transcript(result, ids))
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


def _table(header, rows, numeric: tuple[int, ...] = ()) -> str:
    def cell(tag: str, index: int, value) -> str:
        kind = ' class="n"' if index in numeric else ""
        return f"<{tag}{kind}>{escape(str(value))}</{tag}>"

    head = "".join(cell("th", i, value) for i, value in enumerate(header))
    body = "".join("<tr>" + "".join(cell("td", i, value) for i, value in enumerate(row)) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def section_html(lines: list[str]) -> str:
    """A later stage's report section (Markdown lines: paragraphs, ``|`` tables, ``- ``
    lists) as HTML; a list item that starts with its line links to it in the transcript."""
    out: list[str] = []
    table: list[list[str]] = []
    items: list[str] = []

    def flush() -> None:
        if table:
            header, *rows = table
            out.append(_table(header, rows, numeric=tuple(
                i for i, _ in enumerate(header) if rows and all(_numeric(r[i]) for r in rows
                                                                if i < len(r)))))
            table.clear()
        if items:
            out.append('<ul class="items">' + "".join(items) + "</ul>")
            items.clear()

    for line in lines:
        if line.startswith("|"):
            cells = [c.strip().replace("\\|", "|") for c in regex.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if not all(regex.fullmatch(r":?-{3,}:?", c) for c in cells):
                table.append(cells)
            continue
        if line.startswith("- "):
            if table:
                flush()
            text = line[2:]
            where = _ITEM_LINE.match(text)
            if where:
                link = f'<a href="#L{where.group(1)}">{escape(where.group(0))}</a>'
                items.append(f"<li>{link}{escape(text[where.end():])}</li>")
            else:
                items.append(f"<li>{escape(text)}</li>")
            continue
        flush()
        if line.strip():
            out.append(f"<p>{escape(line)}</p>")
    flush()
    return "\n".join(out)


def _numeric(text: str) -> bool:
    return bool(regex.fullmatch(r"[\d.,%-]+", text.strip()))


def _changes(report, ids: dict[int, int]) -> str:
    """Every change, in input order, linked to its highlight in the transcript."""
    if not report.edits:
        return "<p>No changes.</p>"
    items = []
    for view in report.edits:
        e = view.edit
        group = f" (part of change {e.group})" if e.group is not None else ""
        items.append(
            f'<li><a href="#e{ids[id(e)]}">line {e.line}:{e.start + 1}</a> '
            f"<code>{escape(e.rule)}</code>{escape(group)}: "
            f'<span class="ctx">…{escape(view.left)}</span><del>{escape(e.before)}</del>'
            f"<ins>{escape(e.after) if e.after else '∅'}</ins>"
            f'<span class="ctx">{escape(view.right)}…</span></li>')
    return f'<ol class="changes">{"".join(items)}</ol>'


def _transcript(result: Result, ids: dict[int, int]) -> str:
    transcript = result.transcript
    grouped = edits_by_line(list(result.edits))
    rows = []
    seen: set[int] = set()
    for segment in transcript.segments:
        line = transcript.lines[segment.line - 1]
        position = segment.start
        html = []
        for edit in edits_within(grouped.get(segment.line, ()), segment.start, segment.end):
            html.append(escape(line[position : edit.start]))
            tip = f"{edit.rule} ({edit.category}) from {edit.origin}"
            if edit.note:
                tip += f": {edit.note}"
            html.append(
                f'<span class="chg" id="e{ids[id(edit)]}" tabindex="0" title="{escape(tip)}">'
                f"<del>{escape(edit.before)}</del>"
                f"<ins>{escape(edit.after) if edit.after else '∅'}</ins>"
                f'<span class="tip" role="tooltip">{escape(tip)}</span></span>'
            )
            position = edit.end
        html.append(escape(line[position : segment.end]))
        anchor = f' id="L{segment.line}"' if segment.line not in seen else ""
        seen.add(segment.line)
        rows.append(f'<div{anchor}><span class="ln">{segment.line}</span>{"".join(html)}</div>')
    return f'<div class="transcript">{"".join(rows)}</div>'
