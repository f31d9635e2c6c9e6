"""The HTML report an editor scans (issue 15, item 8): real HTML sections, every change
linked to its highlight, and a page that fits 1280 and 420 px wide in headless Chromium."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cleaner import clean
from cleaner.render.html_report import render_html
from conftest import SEED
from test_html_safety import find_browser

BROWSER = find_browser()
needs_browser = pytest.mark.skipif(
    BROWSER is None,
    reason="!!! NO HEADLESS BROWSER: HTML REPORT LAYOUT WAS NOT CHECKED IN A BROWSER !!! "
           "(install Debian's chromium; .ci/run does so where apt-get works)")

# A long unbroken line: it must wrap inside the page, not push it wider.
LONG = "*  " + "supercalifragilistic" * 12 + " and chat GPT " + "word " * 80 + "\n"


@pytest.fixture(scope="module")
def page() -> str:
    text = SEED.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    return render_html(clean("".join(lines[:120]) + LONG + "".join(lines[120:240]),
                             path="seed-part.md"))


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.seen: list[tuple[str, tuple[str, ...]]] = []  # (tag, enclosing tags)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and (attrs.get("href") or "").startswith("#"):
            self.links.append(attrs["href"][1:])
        self.seen.append((tag, tuple(self.stack)))
        if tag not in {"meta", "br"}:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass


def parsed(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


def test_speakers_section_is_a_table_not_markdown(page):
    section = page[page.index("<h2>Speakers</h2>"):page.index('<h2 id="changes">')]
    assert "<pre>" not in page
    assert "<table>" in section and "<th>speaker</th>" in section
    assert "|---" not in section and "| speaker |" not in section
    assert re.search(r'<li><a href="#L\d+">line \d+</a>', section)


def test_every_change_is_listed_and_linked_to_its_highlight(page):
    tags = parsed(page)
    changes = page[page.index('<h2 id="changes">'):page.index("<h2>Dropped overlaps</h2>")]
    listed = re.findall(r'<li><a href="#(e\d+)">line \d+:\d+</a>', changes)
    highlighted = re.findall(r'<span class="chg" id="(e\d+)"', page)
    assert listed and sorted(listed) == sorted(highlighted)
    assert all(link in tags.ids for link in tags.links)  # no link points nowhere


def test_per_rule_table_is_folded_after_the_summary(page):
    summary = page.index('<p class="summary">')
    per_rule = page.index("<summary>Changes per rule")
    assert summary < per_rule < page.index("<h2>Speakers</h2>")
    tags = parsed(page)
    assert any(tag == "table" and "details" in enclosing for tag, enclosing in tags.seen)
    assert '<meta name="viewport"' in page


PROBE = """<script>
addEventListener('load', () => {
  const width = document.documentElement.clientWidth;
  let over = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1) over.push(el.tagName + '.' + el.className);
  }
  parent.document.title = 'W=' + width + ' SW=' + document.documentElement.scrollWidth +
                   ' OVER=' + over.length + ' ' + over.slice(0, 5).join(',');
});
</script>"""


def layout(page: str, width: int, folder: Path) -> str:
    """Chromium's measure of the page at ``width`` px: the probe's title.

    The probe is a test-only script added to a copy with the Content-Security-Policy taken
    out. Headless Chromium opens no window narrower than 500 px, so the copy is shown in an
    iframe ``width`` px wide (a ``srcdoc`` frame, whose viewport and media queries are its
    own) and the probe writes its measure into the outer page's title.
    """
    probed = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    probed = probed.replace("</body>", PROBE + "</body>")
    path = folder / f"report-{width}.html"
    path.write_text(f'<!DOCTYPE html><html><head><title>pending</title></head>'
                    f'<body style="margin:0"><iframe style="width:{width}px;height:900px;'
                    f'border:0" srcdoc="{html.escape(probed, quote=True)}"></iframe>'
                    f"</body></html>", encoding="utf-8")
    profile = tempfile.mkdtemp(prefix="cleaner-chromium-")
    try:
        done = subprocess.run(
            [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-extensions", "--hide-scrollbars",
             f"--user-data-dir={profile}", f"--window-size={max(width, 500) + 20},1000",
             "--virtual-time-budget=3000", "--dump-dom", path.as_uri()],
            capture_output=True, text=True, timeout=120, env=dict(os.environ, HOME=profile))
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert done.returncode == 0, done.stderr[-2000:]
    match = re.search(r"<title>(W=.*?)</title>", done.stdout, re.S)
    assert match, done.stdout[:300]
    return match.group(1)


@needs_browser
@pytest.mark.parametrize("width", [1280, 420])
def test_the_report_fits_the_window_in_a_browser(page, width, tmp_path):
    measured = layout(page, width, tmp_path)
    values = dict(part.split("=", 1) for part in measured.split()[:3])
    assert int(values["W"]) == width, measured
    assert int(values["SW"]) <= width, measured  # no horizontal scrolling
    assert values["OVER"] == "0", measured  # no element sticks out of the page
