"""Writers: the transcript in each output format, and the report."""

from __future__ import annotations

from collections.abc import Callable

from ..model import Result
from . import html_page, json_doc, md, podcast_json, report, subtitles, tidy_report, txt
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


report.SECTIONS.append(tidy_report.loop_section)
report.SECTIONS.append(speakers_section)


def register(name: str, writer: Callable[[Result], str]) -> None:
    """Add an output format (later stages bring SRT, WebVTT, HTML, ...)."""
    WRITERS[name] = writer


def render(result: Result, fmt: str) -> str:
    """The result in output format ``fmt``."""
    return WRITERS[fmt](result)
