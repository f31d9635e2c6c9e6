"""The transcript as a clean, printable HTML page (the diff report is ``html_report``).

Self-contained: no scripts and nothing loaded from outside. Every piece of text, name and
address goes through ``escape``; only http(s) links of the source line become links.
"""

from __future__ import annotations

from html import escape

import regex

from ..model import Result
from .labels import marks_review
from .layout import blocks, has_speakers, short_time

STYLE = """
body{font:17px/1.6 Georgia,'Times New Roman',serif;max-width:42rem;margin:2.5rem auto;
padding:0 1.2rem;color:#1a1a1a;background:#fff}
h1{font-size:1.7rem;line-height:1.25;margin:0 0 .4rem}
.source{color:#555;font-size:.95rem;margin:0 0 2rem}
.turn{margin:0 0 1.4rem}
.speaker{font:600 .95rem/1.3 system-ui,sans-serif;margin:0 0 .3rem;letter-spacing:.02em}
.review{font-weight:400;color:#8a5a00;margin-left:.5rem}
p{margin:0 0 .8rem}
.time{font:.75rem system-ui,sans-serif;color:#888;margin-right:.5rem}
a{color:inherit}
@media print{body{margin:0;max-width:none;font-size:11pt}.turn{break-inside:avoid-page}
a{text-decoration:none}}
"""

_LINK = regex.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)")
_BOLD = regex.compile(r"\*\*([^*\n]+)\*\*")


def render(result: Result) -> str:
    """The transcript page."""
    transcript = result.transcript
    title = transcript.title or transcript.path or "Transcript"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        'style-src \'unsafe-inline\'">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body><main>",
        f"<h1>{escape(title)}</h1>",
    ]
    if transcript.source_line:
        parts.append(f'<p class="source">{_inline(transcript.source_line)}</p>')
    body = blocks(result)
    named = has_speakers(body)
    marked = marks_review(result)
    parts.append("<article>")
    for block in body:
        parts.append('<section class="turn">')
        if named:
            doubt = ' <span class="review">(speaker uncertain)</span>' if block.review and marked else ""
            parts.append(f'<h2 class="speaker">{escape(block.speaker or "Unknown")}{doubt}</h2>')
        for paragraph in block.paragraphs:
            time = ""
            if paragraph.start_time is not None:
                time = f'<span class="time">{short_time(paragraph.start_time)}</span>'
            parts.append(f"<p>{time}{escape(paragraph.text)}</p>")
        parts.append("</section>")
    parts.append("</article></main></body></html>")
    return "\n".join(parts) + "\n"


def _inline(text: str) -> str:
    """A Markdown source line as HTML: bold and http(s) links kept, everything else escaped."""
    out = []
    position = 0
    for match in _LINK.finditer(text):
        out.append(_bold(text[position : match.start()]))
        out.append(f'<a href="{escape(match.group(2))}">{_bold(match.group(1))}</a>')
        position = match.end()
    out.append(_bold(text[position:]))
    return "".join(out)


def _bold(text: str) -> str:
    out = []
    position = 0
    for match in _BOLD.finditer(text):
        out.append(escape(text[position : match.start()]))
        out.append(f"<strong>{escape(match.group(1))}</strong>")
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)
