"""Render: writers for the transcript in each output format, and the report.

Takes a ``Result`` (from ``pipeline.clean``) and returns text: ``render(result, fmt)`` for the
transcript (``WRITERS``), ``REPORTS`` for the report of every change; ``findings.py`` for checks.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Result
from . import html_page, json_doc, md, podcast_json, report, subtitles, tidy_report, txt
from .html_report import render_html
from .speakers import speakers_section

WRITERS: dict[str, Callable[[Result], str]] = {
    "md": md.render,
    "txt": txt.render,
    "json": json_doc.render,
    "html": html_page.render,
    "srt": subtitles.render_srt,
    "vtt": subtitles.render_vtt,
    "podcast-json": podcast_json.render,
}


# The report formats (``--report-format``): the same report as Markdown, plain text or HTML.
REPORTS: dict[str, Callable[[Result], str]] = {
    "md": report.render_md, "txt": report.render_txt, "html": render_html}

report.SECTIONS.append(tidy_report.loop_section)
report.SECTIONS.append(speakers_section)


def register(name: str, writer: Callable[[Result], str]) -> None:
    """Add an output format (later stages bring SRT, WebVTT, HTML, ...)."""
    WRITERS[name] = writer


def render(result: Result, fmt: str) -> str:
    """The result in output format ``fmt``."""
    return WRITERS[fmt](result)
