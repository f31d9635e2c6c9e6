"""Safe HTML: hostile transcript text, rule notes and replacements, pack ids, speaker names and
file names are shown as text in every HTML output; no script runs and nothing is fetched.

Checked twice: statically (the markup has no active element or attribute) and in a real
headless Chromium, which loads each page from disk with a loopback server as the target of
every payload that would fetch something: the rendered DOM must show the payloads as text,
``document.title`` must be untouched, and the server must see no request. The browser check
runs on the page as written and again with its Content-Security-Policy removed, so escaping
alone is shown to be enough. A control page proves the harness would notice a script.

To cover another HTML output, add it to ``HTML_OUTPUTS`` (or register it as a writer whose
name contains "html": those are picked up automatically).
"""

from __future__ import annotations

import html
import http.server
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from html.parser import HTMLParser
from dataclasses import replace
from pathlib import Path

import pytest

from cleaner import Options, clean
from cleaner.render import WRITERS
from cleaner.render.html_report import render_html

HTML_OUTPUTS = {"report": render_html}


def html_outputs() -> dict:
    """Every HTML output to check: the listed ones, and any HTML writer registered later."""
    outputs = dict(HTML_OUTPUTS)
    outputs.update({f"writer-{name}": writer for name, writer in WRITERS.items() if "html" in name})
    return outputs


PWNED = "PWNED"
ACTIVE_TAGS = {"script", "iframe", "frame", "img", "image", "link", "object", "embed", "base",
               "svg", "math", "form", "input", "button", "audio", "video", "source", "track",
               "meta-refresh", "applet", "portal", "template", "noscript", "picture"}


def payloads(server: str) -> list[str]:
    """Transcript lines that would run script, restyle or fetch if they reached the markup."""
    return [
        "<script>alert(1)</script>",
        f"<script>document.title='{PWNED}'</script>",
        f"<img src=x onerror=\"document.title='{PWNED}'\">",
        f"\"><svg onload=document.title='{PWNED}'>",
        f"'><body onload=document.title='{PWNED}'>",
        f"</div></span></pre></td></body><script>document.title='{PWNED}'</script>",
        f"<a href=\"javascript:document.title='{PWNED}'\">click</a>",
        f"<img src=\"{server}/img\">",
        f"<link rel=stylesheet href=\"{server}/css\">",
        f"<iframe src=\"{server}/frame\"></iframe>",
        f"<base href=\"{server}/\"><a href=x>relative</a>",
        f"<meta http-equiv=\"refresh\" content=\"0;url={server}/refresh\">",
        f"<style>@import url({server}/import); body{{background:url({server}/bg)}}</style>",
        "<!-- an unclosed comment",
        "&lt;script&gt; stays as written, &amp; so does this",
        "Kevin said chat GPT and GPT again",
    ]


HOSTILE_FILE = f"<img src=x onerror=\"document.title='{PWNED}'\">.txt"
HOSTILE_PACK_FILE = f"\"><svg onload=document.title='{PWNED}'>.yaml"


def hostile_pack(server: str) -> str:
    replacement = f"<img src={server}/replacement onerror=\\\"document.title='{PWNED}'\\\">"
    return f"""
pack: "<i>evil</i> pack <script>document.title='{PWNED}'</script>"
rules:
  - id: chatgpt
    category: product
    match: [chat GPT]
    replace: "{replacement}"
    note: "</span><script>document.title='{PWNED}'</script><img src={server}/note>"
  - id: gpt
    category: product
    match: [GPT]
    replace: "<b onmouseover=\\"document.title='{PWNED}'\\">GPT</b>"
"""


def hostile_results(folder: Path, server: str) -> list[tuple[object, bool]]:
    """Clean hostile inputs (plain text, and Whisper JSON with a hostile speaker) with rule
    fixes only, where every untouched line must show exactly as written, and with the whole
    pipeline (tidy, speakers), where everything must at least be inert: ``(result, exact)``."""
    pack = folder / HOSTILE_PACK_FILE
    pack.write_text(hostile_pack(server), encoding="utf-8")
    lines = payloads(server)
    speaker = f"<script>document.title='{PWNED}'</script><img src={server}/speaker>"
    whisper = json.dumps({"segments": [{"start": i, "end": i + 1, "text": line,
                                        "speaker": speaker} for i, line in enumerate(lines)]})
    results = []
    for exact in (True, False):
        options = Options(rules=(str(pack),), default_rules=False)
        if exact:
            options = replace(options, style="verbatim", speakers=False)
        plain = clean("\n".join(lines) + "\n", path=str(folder / HOSTILE_FILE), options=options)
        spoken = clean(whisper, path=str(folder / HOSTILE_FILE).replace(".txt", ".json"),
                       options=options)
        assert plain.edits and plain.dropped and spoken.edits  # notes, tips, tables shown
        if exact:
            assert spoken.turns[0].speaker == speaker
            assert len(shown_as_written(plain)) == len(lines) - 1
        results += [(plain, exact), (spoken, exact)]
    return results


def shown_as_written(result) -> list[str]:
    """The input text of every segment no edit touches: it must appear as text, verbatim."""
    edited = {edit.line for edit in result.edits}
    lines = result.transcript.lines
    return [lines[s.line - 1][s.start : s.end] for s in result.transcript.segments
            if s.line not in edited]


# --- static checks ------------------------------------------------------------------------

class Markup(HTMLParser):
    """Collects tags, attributes, text and style blocks of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            tag = "meta-refresh"
        self.tags.append((tag, attributes))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        (self.styles if self._in_style else self.text).append(data)


def parse(page: str) -> Markup:
    markup = Markup()
    markup.feed(page)
    markup.close()
    return markup


def assert_inert(page: str, expected_text: list[str]) -> None:
    """No active element, handler, script URL or outside resource; payloads shown as text."""
    markup = parse(page)
    for tag, attributes in markup.tags:
        assert tag not in ACTIVE_TAGS, (tag, attributes)
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in ("src", "srcset", "action", "formaction", "background"), (tag, name)
            if name == "href":
                assert (value or "").startswith("#"), (tag, value)
            assert "javascript:" not in (value or "").lower()
    for style in markup.styles:
        assert "url(" not in style and "@import" not in style
    text = "".join(markup.text)
    for line in expected_text:
        assert line in text, line


@pytest.mark.parametrize("name", sorted(html_outputs()))
def test_html_output_is_inert_and_shows_every_payload_as_text(name, tmp_path):
    for result, exact in hostile_results(tmp_path, "http://127.0.0.1:9"):
        page = html_outputs()[name](result)
        assert page.count("Content-Security-Policy") == 1
        assert re.search(r"default-src 'none'", page)
        expected = shown_as_written(result) if exact else []
        if name == "report":  # the report names its input file
            expected.append(Path(result.transcript.path).name)
        assert_inert(page, expected)


# --- in a real browser --------------------------------------------------------------------

def find_browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


BROWSER = find_browser()
needs_browser = pytest.mark.skipif(
    BROWSER is None,
    reason="!!! NO HEADLESS BROWSER: HTML SAFETY WAS NOT CHECKED IN A BROWSER !!! "
           "(install Debian's chromium; .ci/run does so where apt-get works)")


class Recorder(http.server.BaseHTTPRequestHandler):
    """A loopback server that records every request (none should come)."""

    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server API
        Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"x")

    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture
def loopback():
    """A recording HTTP server on 127.0.0.1 (a random free port); yields its base URL."""
    Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def rendered_dom(page: Path) -> str:
    """The DOM Chromium builds from a page on disk, after load and a second of timers."""
    profile = tempfile.mkdtemp(prefix="cleaner-chromium-")
    try:
        completed = subprocess.run(
            [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--disable-extensions", f"--user-data-dir={profile}",
             "--virtual-time-budget=1000", "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=120,
            env=dict(os.environ, HOME=profile))
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "<html" in completed.stdout, completed.stderr[-2000:]
    return completed.stdout


def dom_title(dom: str) -> str:
    match = re.search(r"<title>(.*?)</title>", dom, re.S)
    return match.group(1) if match else ""


@needs_browser
def test_the_harness_notices_a_script_and_a_fetch(tmp_path, loopback):
    """Control: an unescaped payload does run and fetch here, so silence below means safety."""
    page = tmp_path / "control.html"
    page.write_text(f"<html><head><title>control</title></head><body>"
                    f"<script>document.title='{PWNED}'</script>"
                    f"<img src=\"{loopback}/control\"></body></html>", encoding="utf-8")
    dom = rendered_dom(page)
    assert dom_title(dom) == PWNED
    assert "/control" in Recorder.requests


@needs_browser
@pytest.mark.parametrize("csp", ["with CSP", "CSP removed"])
@pytest.mark.parametrize("name", sorted(html_outputs()))
def test_html_output_in_a_real_browser_runs_nothing_and_fetches_nothing(name, csp, tmp_path,
                                                                         loopback):
    for number, (result, exact) in enumerate(hostile_results(tmp_path, loopback)):
        written = html_outputs()[name](result)
        if csp == "CSP removed":
            written = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", written)
            assert "Content-Security-Policy" not in written
        page = tmp_path / f"{name}-{number}.html"
        page.write_text(written, encoding="utf-8")
        dom = rendered_dom(page)
        title = html.unescape(dom_title(dom))
        assert title == html.unescape(dom_title(written)) and title != PWNED
        assert_inert(dom, shown_as_written(result) if exact else [])
        assert Recorder.requests == []
