"""The review page at work: a scripted editor fixes the seed's speakers from the gold, and
the page's readiness and a fix's propagation are timed.

    python bench/review.py                 # in headless Chromium (Debian's), else over the API
    python bench/review.py --api           # the editor calls the session directly (no browser)
    python bench/review.py --fixes 60 --screens screens/   # also screenshots, desktop and 420 px

The seed runs with no cast (the general and tech packs only, so no show pack names anyone),
as ``bench/editor.py``'s "seed (no cast)". The editor plays from the gold
(``fixtures/seed.gold.tsv``) through the page: first, a voice whose turns are mostly one gold
speaker under another name is renamed ("every turn of a voice", one fix); then they take
the review queue in order (most expected wrong words first), then the rest of the turns from
the top, and fix the first turn holding a wrong word: the whole turn when most of it is
wrong, else from its first wrong word to the end of the turn. After every fix the page
re-decodes; the bench scores named word accuracy and prints the curve, and the fixes it took
to reach a fully right labelling (or where it stopped).

Timed (wall clock, this machine): opening the review (the pipeline, once), the page ready
in the browser (load to drawn), and each fix's propagation (the key press to the page
showing the re-decoded turns). Nothing here asserts: it prints tables.
"""

from __future__ import annotations

import argparse
import difflib
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner.attribute.evaluate import gold_speakers, name_matches, score, word_hits  # noqa: E402
from cleaner.attribute.evaluate import parse_gold  # noqa: E402
from cleaner.pipeline import Options  # noqa: E402
from cleaner.review.session import Session  # noqa: E402

SEED = ROOT / "seeds" / "000_779c6c37a6df98f0.txt"
GOLD = ROOT / "fixtures" / "seed.gold.tsv"
PACKS = (str(ROOT / "rules" / "general.yaml"), str(ROOT / "rules" / "tech.yaml"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MILESTONES = (0, 1, 2, 5, 10, 20, 30, 40, 60, 80)


class Editor:
    """Decides the next fix from the gold and the page's data."""

    def __init__(self, session: Session, gold) -> None:
        self.session, self.gold = session, gold
        self.lines = session.transcript.lines
        self.words = gold_speakers(self.lines, gold)
        self.truth = {speaker for _, _, speaker in self.words}
        self.renamed: set[str] = set()

    def turns(self) -> list[dict]:
        session = self.session
        return [turn.to_dict() for turn in session._shown_turns(session.result, session.state)]

    def accuracy(self) -> float:
        return score(self.lines, self.turns(), self.gold).named_accuracy

    def name_for(self, speaker: str, names: list[str]) -> str:
        """The name the editor picks from the page's list for a gold speaker (else types it)."""
        return next((name for name in names if name_matches(name, speaker, self.truth)), speaker)

    def next_fix(self, data: dict) -> dict | None:
        """The next action, as the page would post it; None when every word is right."""
        turns = self.turns()
        hits = word_hits(self.lines, turns, self.gold)
        if all(hits):
            return None
        where = self._words_by_turn(turns)
        # A voice named with a misspelling of a gold speaker ("Kevin Roos"), or one that is
        # mostly someone else: rename it, once.
        by_voice: dict[str, Counter] = {}
        for number, indices in where.items():
            voice = data["turns"][number]["voice"]
            if voice and not data["turns"][number]["pinned"]:
                by_voice.setdefault(voice, Counter()).update(self.words[i][2] for i in indices)
        for voice, counts in sorted(by_voice.items()):
            if voice in self.renamed or any(name_matches(voice, s, self.truth) for s in self.truth):
                continue
            close = difflib.get_close_matches(voice, sorted(self.truth), n=1, cutoff=0.8)
            speaker, count = counts.most_common(1)[0]
            if close or count > 0.8 * sum(counts.values()):
                self.renamed.add(voice)
                number = next(n for n in where if data["turns"][n]["voice"] == voice)
                return {"op": "relabel", "turn": number, "scope": "voice",
                        "speaker": close[0] if close else self.name_for(speaker, data["speakers"])}
        # Turns the editor pinned come first (a fix from a word gave the rest of the turn
        # to someone: the editor puts back what follows at once), then the review queue,
        # then the rest from the top.
        pinned = [n for n, turn in enumerate(data["turns"]) if turn["pinned"]]
        order = pinned + list(data["queue"]) + list(range(len(turns)))
        for number in dict.fromkeys(order):
            mine = where.get(number, ())
            wrong = [i for i in mine if not hits[i]]
            if not wrong:
                continue
            line, column, speaker = self.words[wrong[0]]
            name = self.name_for(speaker, data["speakers"])
            if len(wrong) == len(mine) and len({self.words[i][2] for i in wrong}) == 1:
                return {"op": "relabel", "turn": number, "scope": "turn", "speaker": name}
            # From the first wrong word on; what follows it, if it was right, is put back
            # by a later fix from where it starts.
            run = self._run_at(data["turns"][number], line, column)
            return {"op": "relabel", "turn": number, "scope": "rest", "speaker": name,
                    "line": run["l"], "col": run["c"]}
        return None

    def _words_by_turn(self, turns: list[dict]) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        spans = [(n, line, start, end) for n, turn in enumerate(turns)
                 for line, start, end in turn["spans"]]
        by_line: dict[int, list] = {}
        for item in spans:
            by_line.setdefault(item[1], []).append(item)
        for index, (line, column, _) in enumerate(self.words):
            for number, _, start, end in by_line.get(line, ()):
                if start <= column < end:
                    out.setdefault(number, []).append(index)
                    break
        return out

    @staticmethod
    def _run_at(turn: dict, line: int, column: int) -> dict:
        """The word on the page holding input ``line``/``column``."""
        runs = [run for run in turn["runs"] if run["l"] == line and run["c"] <= column]
        return runs[-1] if runs else turn["runs"][0]


class Served:
    def __init__(self, session: Session) -> None:
        from cleaner.review.app import make_server

        self.server, self.listener, self.url = make_server(session, 0)
        self.thread = threading.Thread(target=self.server.run,
                                       kwargs={"sockets": [self.listener]}, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.listener.close()


def in_browser(page, action: dict) -> None:
    """Do one fix through the page, as an editor would: select, type, press."""
    from playwright.sync_api import expect

    number = action["turn"]
    page.locator(f"#t{number} .meta").click()
    if action["scope"] == "rest":
        page.locator(f"#t{number} [data-l='{action['line']}'][data-c='{action['col']}']").first.click()
    page.fill("#speaker", action["speaker"])
    with page.expect_response(lambda r: r.url.endswith("/api/action")):
        if action["scope"] == "rest":
            page.click("#fix-rest")
        else:
            page.keyboard.press("Shift+Enter" if action["scope"] == "voice" else "Enter")
    expect(page.locator("#status")).to_have_text("Saved to " + "000_779c6c37a6df98f0.txt.review.yaml")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixes", type=int, default=80, help="most fixes to try (default 80)")
    parser.add_argument("--api", action="store_true", help="no browser: call the session")
    parser.add_argument("--screens", metavar="DIR", default=None,
                        help="save screenshots (desktop and 420 px) into DIR")
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium")
    browser_mode = not args.api and chromium is not None
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"{'headless ' + chromium if browser_mode else 'API only (no browser)'}\n")
    folder = tempfile.mkdtemp(prefix="cleaner-review-bench-")
    path = os.path.join(folder, SEED.name)
    shutil.copyfile(SEED, path)
    gold = parse_gold(GOLD.read_text(encoding="utf-8"))
    options = Options(rules=PACKS, default_rules=False)
    started = time.perf_counter()
    session = Session(path, options)
    opened = time.perf_counter() - started
    editor = Editor(session, gold)
    latencies: list[float] = []
    curve = [(0, editor.accuracy())]
    ready: list[float] = []
    served = playwright = browser = page = None
    try:
        if browser_mode:
            from playwright.sync_api import sync_playwright

            served = Served(session)
            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for _ in range(3):
                began = time.perf_counter()
                page.goto(served.url)
                page.wait_for_selector("body[data-ready='1']")
                ready.append(time.perf_counter() - began)
            if args.screens:
                shots(browser, served.url, args.screens, "before")
        data = session.data()
        for done in range(1, args.fixes + 1):
            action = editor.next_fix(data)
            if action is None:
                break
            began = time.perf_counter()
            if page is not None:
                in_browser(page, action)
            else:
                session.act(action)
            latencies.append(time.perf_counter() - began)
            data = session.data()
            curve.append((done, editor.accuracy()))
            if curve[-1][1] >= 1.0:
                break
        if page is not None and args.screens:  # the last fix, its propagation highlighted
            page.keyboard.press("c")
            target = os.path.join(args.screens, "review-fix-desktop.png")
            page.screenshot(path=target)
            print(f"screenshot: {target}")
            shots(browser, served.url, args.screens, "after")
    finally:
        if browser is not None:
            browser.close()
        if playwright is not None:
            playwright.stop()
        if served is not None:
            served.stop()
    words = len(editor.words)
    print(f"seed: {len(SEED.read_text(encoding='utf-8').split())} words (~70 min), "
          f"{words} scored, {len(session.result.turns)} turns at the end\n")
    print(f"{'fixes':>6s} {'named accuracy':>15s}")
    at = dict(curve)
    for mark in [m for m in MILESTONES if m <= curve[-1][0]] + [curve[-1][0]]:
        if mark in at:
            print(f"{mark:6d} {at[mark]:15.3f}")
    final = curve[-1]
    verdict = (f"fully right after {final[0]} fixes" if final[1] >= 1.0 else
               f"stopped at {final[1]:.3f} after {final[0]} fixes")
    print(f"\n{verdict}; actions: " + ", ".join(
        f"{scope} {count}" for scope, count in sorted(Counter(
            a for a in editor_scopes(session)).items())))
    print("\ntimings (s)                          median      max")
    print(f"open the review (pipeline, once)   {opened:8.3f}")
    if ready:
        print(f"page ready in the browser          {statistics.median(ready):8.3f} {max(ready):8.3f}")
    if latencies:
        label = "fix -> propagation shown" if browser_mode else "fix -> re-decoded (API)"
        print(f"{label:34s} {statistics.median(latencies):8.3f} {max(latencies):8.3f}")
    shutil.rmtree(folder, ignore_errors=True)
    return 0


def editor_scopes(session: Session):
    """The kind of each fix in the history: 'turn fix' or 'voice rename'."""
    for action in session.history.done:
        yield "voice renames" if action["op"] == "voice" else "turn fixes"


def shots(browser, url: str, folder: str, tag: str) -> None:
    """Screenshots of the page at desktop and phone width, the first unsure turn selected."""
    os.makedirs(folder, exist_ok=True)
    for name, width, height in (("desktop", 1280, 900), ("phone", 420, 860)):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(url)
        page.wait_for_selector("body[data-ready='1']")
        page.keyboard.press("n")
        target = os.path.join(folder, f"review-{tag}-{name}.png")
        page.screenshot(path=target)
        print(f"screenshot: {target}")
        page.close()


if __name__ == "__main__":
    sys.exit(main())
