"""The review page end to end in headless Chromium (Debian's, driven by Playwright through
``executable_path``; no browser is ever downloaded): relabel one turn and every turn of a
voice, see the propagation, reject a change from the keyboard, undo, autosave then reopen,
and a hostile ``<script>`` in the transcript shown as text.

The server runs in a thread of the test process (uvicorn on a free port), stopped by the
fixture, so no process outlives the tests."""

from __future__ import annotations

import re
import threading

import pytest

from helpers import write_transcript
from test_html_safety import find_browser

from cleaner.review.session import Session

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed "
                               "(pip install -e '.[test]')")


CHROMIUM = find_browser()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="!!! NO HEADLESS BROWSER: THE REVIEW PAGE WAS NOT CHECKED IN A BROWSER !!! "
           "(install Debian's chromium; .ci/run does so where apt-get works)")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Served:
    """A review server running in a thread of this process."""

    def __init__(self, session: Session) -> None:
        from cleaner.review.app import make_server

        self.session = session
        self.server, self.listener, self.url = make_server(session, 0)
        self.thread = threading.Thread(target=self.server.run,
                                       kwargs={"sockets": [self.listener]}, daemon=True)
        self.thread.start()
        for _ in range(500):
            if self.server.started:
                break
            self.thread.join(0.01)
        assert self.server.started, "the review server did not start"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.listener.close()
        assert not self.thread.is_alive()


@pytest.fixture
def transcript(tmp_path):
    return write_transcript(tmp_path)


@pytest.fixture
def served(transcript):
    running = [Served(Session(str(transcript)))]
    yield running
    for server in running:
        if server.thread.is_alive():
            server.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")


def act(page, do) -> None:
    """Do something that posts an action and wait until the page has drawn the answer."""
    with page.expect_response(lambda r: r.url.endswith("/api/action")) as answer:
        do()
    assert answer.value.ok, answer.value.text()
    sync_api.expect(page.locator("#status")).to_have_text(re.compile(r"^Saved"))


def speakers(page) -> list[str]:
    return page.locator(".turn .speaker").all_text_contents()


def test_hostile_script_is_shown_as_text(page, served):
    open_page(page, served[0].url)
    text = page.locator("#turns").inner_text()
    assert "<script>document.title='PWNED'</script>" in text
    assert page.locator("#turns script, #turns img").count() == 0
    assert page.title().startswith("Review:") and "PWNED" not in page.title()
    assert page.dialogs == []
    assert page.url.endswith("/")  # the token left the address bar for a cookie


def test_relabel_one_turn_and_see_the_propagation(page, served):
    open_page(page, served[0].url)
    session = served[0].session
    data = session.data()
    number = data["queue"][0]
    new = next(n for n in data["speakers"] if n != data["turns"][number]["speaker"])
    page.keyboard.press("n")  # the first turn of the review queue
    assert page.locator(".turn.current").get_attribute("id") == f"t{number}"
    page.keyboard.press("e")
    page.keyboard.type(new)
    act(page, lambda: page.keyboard.press("Enter"))
    now = session.data()  # what the server holds now: the page must show the same
    # The fixed turn (it may have merged with a neighbour of that speaker and taken its number).
    number = next(turn["i"] for turn in now["turns"] if turn["pinned"])
    assert page.locator(f"#t{number} .speaker").inner_text() == new
    shown = page.locator(".turn.changed").evaluate_all("nodes => nodes.map(n => n.dataset.i)")
    assert shown, "the fix carried to other turns, and the page highlights them"
    notice = page.locator("#notice").inner_text()
    assert f"changed {len(shown)} other turn" in notice
    assert all(page.locator(f"#t{i} .speaker").inner_text() == now["turns"][int(i)]["speaker"]
               for i in shown)
    assert page.locator(f"#t{number}.fixed.pinned").count() == 1


def test_relabel_every_turn_of_a_voice(page, served):
    open_page(page, served[0].url)
    data = served[0].session.data()
    voice = data["turns"][0]["voice"]
    of_voice = [t["i"] for t in data["turns"] if t["voice"] == voice]
    page.locator("#t0 .speaker").click()
    page.fill("#speaker", "Someone Else")
    act(page, lambda: page.keyboard.press("Shift+Enter"))
    assert {page.locator(f"#t{i} .speaker").inner_text() for i in of_voice} == {"Someone Else"}
    assert voice not in speakers(page)


def test_reject_a_change_from_the_keyboard_then_undo(page, served):
    open_page(page, served[0].url)
    mark = page.locator("mark.edit").first
    key, after = mark.get_attribute("data-k"), mark.inner_text()
    run = next(r for t in served[0].session.data()["turns"] for r in t["runs"] if r.get("k") == key)
    before = run["b"]
    mark.focus()
    assert run["r"] in page.locator("#tip").inner_text()  # its rule, on focus
    assert run["r"] in mark.get_attribute("title")        # ... and on hover
    act(page, lambda: page.keyboard.press("r"))
    rejected = page.locator(f"mark.edit[data-k='{key}']")
    assert "rej" in rejected.get_attribute("class") and rejected.inner_text() == before
    act(page, lambda: page.keyboard.press("z"))
    assert page.locator(f"mark.edit[data-k='{key}']").inner_text() == after


def test_undo_a_relabel(page, served):
    open_page(page, served[0].url)
    start = speakers(page)
    page.locator("#t1 .speaker").click()
    new = next(n for n in served[0].session.data()["speakers"] if n != start[1])
    page.fill("#speaker", new)
    act(page, lambda: page.click("#fix-turn"))
    assert speakers(page) != start
    act(page, lambda: page.keyboard.press("z"))
    assert speakers(page) == start
    act(page, lambda: page.click("#redo"))
    assert page.locator("#t1 .speaker").inner_text() == new


def test_autosave_then_reopen_resumes(page, served, transcript):
    open_page(page, served[0].url)
    page.locator("#t2 .speaker").click()
    page.fill("#speaker", "A New Person")
    act(page, lambda: page.keyboard.press("Enter"))
    served[0].stop()  # the editor closes the review (or it crashes): nothing to save by hand
    served.append(Served(Session(str(transcript))))
    open_page(page, served[1].url)
    assert page.locator("#t2 .speaker").inner_text() == "A New Person"
    assert page.locator("#status").inner_text().startswith("Resumed")
    assert not page.locator("#undo").is_disabled()


def test_phone_width_has_no_sideways_scroll(browser, served):
    context = browser.new_context(viewport={"width": 420, "height": 860})
    page = context.new_page()
    try:
        open_page(page, served[0].url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 420
        page.keyboard.press("n")
        assert page.locator("#panel").is_visible()
    finally:
        context.close()


def test_find_and_replace_with_a_preview(page, served):
    open_page(page, served[0].url)
    page.fill("#find", "thanksgiving")
    page.fill("#replace", "Holiday")
    page.click("#find-go")
    sync_api.expect(page.locator("#matches li")).to_have_count(2)
    assert page.locator("#matches li mark").first.inner_text() == "Thanksgiving"
    page.locator("#matches input").nth(0).uncheck()
    act(page, lambda: page.click("#replace-go"))
    text = page.locator("#turns").inner_text()
    assert text.count("Holiday") == 1 and text.count("Thanksgiving") == 1


def test_relabel_from_a_word_with_the_keyboard_only(page, served):
    open_page(page, served[0].url)
    data = served[0].session.data()
    turn = max(data["turns"], key=lambda t: t["words"])
    other = next(n for n in data["speakers"] if n != turn["speaker"])
    page.locator(f"#t{turn['i']}").focus()
    for _ in range(6):
        page.keyboard.press("l")  # a few words into the turn
    picked = page.locator(f"#t{turn['i']} .sel")
    line, column = int(picked.get_attribute("data-l")), int(picked.get_attribute("data-c"))
    page.keyboard.press("e")
    page.keyboard.type(other)
    act(page, lambda: page.keyboard.press("Control+Enter"))
    owner = page.locator(f".turn:has([data-l='{line}'][data-c='{column}'])")
    assert owner.locator(".speaker").inner_text() == other
    first = turn["runs"][0]
    before = page.locator(f".turn:has([data-l='{first['l']}'][data-c='{first['c']}'])")
    assert before.locator(".speaker").inner_text() == turn["speaker"]
