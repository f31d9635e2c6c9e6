"""``cleaner review``: the editor's state (pure), the session (pipeline and sidecar) and the
web server's rules (token, Host/Origin, POST-only changes), over HTTP with Starlette's
TestClient. The page itself is driven in a browser in ``test_review_browser.py``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings

import pytest

from helpers import HOSTILE, write_transcript

from cleaner.attribute.overrides import load_overrides
from cleaner.cli import main
from cleaner.errors import CleanerError
from cleaner.restore import restore
from cleaner.review.session import Session, acquire_lock, release_lock
from cleaner.review.state import History, State, apply, check_action

starlette = pytest.importorskip("starlette")
with warnings.catch_warnings():  # Starlette 1.x prefers httpx2 and warns about httpx
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from cleaner.review.app import CSP, create_app  # noqa: E402

PORT = 48123
TOKEN = "test-token-123"
BASE = f"http://127.0.0.1:{PORT}"


# --- the state, pure ---------------------------------------------------------------------------

def test_history_folds_undoes_and_redoes():
    history = History(base=State(fixes=((3, None, "Ann"),)))
    history = history.do({"op": "fix", "fixes": [{"line": 5, "at": None, "speaker": "Bo"}]})
    history = history.do({"op": "fix", "fixes": [{"line": 5, "at": None, "speaker": "Cy"}]})
    assert history.state.fixes == ((3, None, "Ann"), (5, None, "Cy"))  # a later fix replaces
    assert history.undo().state.fixes == ((3, None, "Ann"), (5, None, "Bo"))
    assert history.undo().redo().state == history.state
    again = history.undo().do({"op": "person", "name": "Di"})
    assert again.undone == ()  # a new action clears what could be redone
    assert again.state.people == ("Di",)


def test_restore_original_is_an_undoable_action():
    history = History(base=State(fixes=((3, None, "Ann"),)))
    history = history.do({"op": "voice", "voice": "Ann", "name": "Anne"})
    restored = history.do({"op": "restore"})
    assert restored.state == history.base
    assert len(restored.done) == 2  # the history is kept
    assert restored.undo().state.voices == (("Ann", "Anne"),)


def test_latest_decision_wins_across_scopes():
    state = State()
    assert state.accepted("1:0:3:x", "x", "name")  # undecided edits stand
    state = apply(state, {"op": "decide", "scope": "rule", "key": "x", "accept": False}, State())
    assert not state.accepted("1:0:3:x", "x", "name")
    state = apply(state, {"op": "decide", "scope": "edit", "key": "1:0:3:x", "accept": True},
                  State())
    assert state.accepted("1:0:3:x", "x", "name") and not state.accepted("2:0:3:x", "x", "name")
    state = apply(state, {"op": "decide", "scope": "category", "key": "name", "accept": False},
                  State())
    assert not state.accepted("1:0:3:x", "x", "name")


def test_voice_renames_merge_and_rename_back():
    state = apply(State(), {"op": "voice", "voice": "A", "name": "B"}, State())
    assert state.voice_map() == {"A": "B"}
    state = apply(state, {"op": "voice", "voice": "A", "name": "A"}, State())
    assert state.voice_map() == {}


@pytest.mark.parametrize("action", [
    {"op": "nope"}, {"op": "fix", "fixes": []}, {"op": "fix", "fixes": [{"line": 0, "speaker": "A"}]},
    {"op": "fix", "fixes": [{"line": 2, "at": -1, "speaker": "A"}]},
    {"op": "fix", "fixes": [{"line": 2, "speaker": "  "}]}, {"op": "voice", "voice": "A"},
    {"op": "decide", "scope": "file", "key": "x", "accept": True},
    {"op": "decide", "scope": "rule", "key": "x", "accept": "yes"}, [], "restore",
])
def test_malformed_actions_are_refused(action):
    with pytest.raises(CleanerError):
        check_action(action)


# --- the session ---------------------------------------------------------------------------------

@pytest.fixture
def transcript(tmp_path):
    return write_transcript(tmp_path)


@pytest.fixture
def session(transcript):
    return Session(str(transcript))


def shown(data: dict) -> list:
    return [turn["speaker"] for turn in data["turns"]]


def test_relabel_one_turn_re_decodes_and_reports_propagation(session):
    before = session.data()
    number = before["queue"][0]
    old = before["turns"][number]["speaker"]
    new = next(name for name in before["speakers"] if name != old)
    after = session.act({"op": "relabel", "turn": number, "speaker": new, "scope": "turn"})
    fixed = after["fixed"]
    assert fixed and all(after["turns"][n]["speaker"] == new for n in fixed)
    assert all(after["turns"][n]["pinned"] for n in fixed)
    # ``changed``: exactly the other turns holding a word whose speaker is not the one before
    was = {(run["l"], run["c"]): turn["speaker"] for turn in before["turns"] for run in turn["runs"]}
    moved = {turn["i"] for turn in after["turns"] for run in turn["runs"]
             if was.get((run["l"], run["c"]), turn["speaker"]) != turn["speaker"]}
    assert moved - set(fixed), "this fix should carry to other turns"
    assert set(after["changed"]) == moved - set(fixed)


def test_relabel_all_of_a_voice_and_one_turn_never_fight(session):
    data = session.data()
    voices = [data["turns"][n]["voice"] for n in data["queue"]]  # the first to review of ...
    voice = next(v for v in voices if sum(t["voice"] == v for t in data["turns"]) > 2)  # ... 3+
    turns_of_voice = [t["i"] for t in data["turns"] if t["voice"] == voice]
    data = session.act({"op": "relabel", "turn": turns_of_voice[0], "speaker": "Renamed Person",
                        "scope": "voice"})
    assert {data["turns"][n]["speaker"] for n in turns_of_voice} == {"Renamed Person"}
    assert voice not in shown(data)
    assert data["changed"] == []  # a rename re-labels; it moves no boundary
    other = next(name for name in data["speakers"] if name not in (voice, "Renamed Person"))
    one = turns_of_voice[1]
    data = session.act({"op": "relabel", "turn": one, "speaker": other, "scope": "turn"})
    assert data["fixed"] and all(data["turns"][n]["speaker"] == other for n in data["fixed"])
    # the voice's other turns keep the new name (unless the decoder moved them)
    still = [t for t in data["turns"] if t["voice"] == voice and not t["pinned"]]
    assert still and {t["speaker"] for t in still} == {"Renamed Person"}


def test_renaming_a_voice_to_an_existing_name_merges_them(session):
    data = session.data()
    a, b = data["speakers"][:2]
    first_a = next(t["i"] for t in data["turns"] if t["voice"] == a)
    data = session.act({"op": "relabel", "turn": first_a, "speaker": b, "scope": "voice"})
    assert a not in shown(data) and b in shown(data)


def test_relabel_from_a_word_to_the_end_of_the_turn(session):
    data = session.data()
    turn = max(data["turns"], key=lambda t: t["words"])
    words = [run for run in turn["runs"] if "k" not in run and run["t"].strip()]
    middle = words[len(words) // 2]
    other = next(name for name in data["speakers"] if name != turn["speaker"])
    data = session.act({"op": "relabel", "turn": turn["i"], "speaker": other, "scope": "rest",
                        "line": middle["l"], "col": middle["c"]})
    speakers_at = {}
    for t in data["turns"]:
        for run in t["runs"]:
            speakers_at[(run["l"], run["c"])] = t["speaker"]
    assert speakers_at[(words[0]["l"], words[0]["c"])] == turn["speaker"]
    assert speakers_at[(middle["l"], middle["c"])] == other
    assert speakers_at[(words[-1]["l"], words[-1]["c"])] == other


def test_sidecar_is_saved_after_every_action_and_reopening_resumes(session, transcript):
    sidecar = str(transcript) + ".review.yaml"
    assert not os.path.exists(sidecar)
    data = session.data()
    number = data["queue"][0]
    new = next(n for n in data["speakers"] if n != data["turns"][number]["speaker"])
    session.act({"op": "relabel", "turn": number, "speaker": new, "scope": "turn"})
    assert os.path.exists(sidecar)
    key = next(run["k"] for t in data["turns"] for run in t["runs"] if "k" in run)
    session.act({"op": "decide", "scope": "edit", "key": key, "accept": False})
    overrides = load_overrides(sidecar)  # the --overrides format, as is
    assert any(o.speaker == new for o in overrides)
    again = Session(str(transcript))
    assert again.state == session.state
    assert shown(again.data()) == shown(session.data())
    assert again.data()["undo"] == 2


def test_sidecar_overrides_work_with_clean(session, transcript, tmp_path, capsys):
    data = session.data()
    number = data["queue"][0]
    new = next(n for n in data["speakers"] if n != data["turns"][number]["speaker"])
    data = session.act({"op": "relabel", "turn": number, "speaker": new, "scope": "turn"})
    out = tmp_path / "out.json"
    code = main(["--no-config", "clean", str(transcript), "--overrides",
                 str(transcript) + ".review.yaml", "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    turns = json.loads(out.read_text(encoding="utf-8"))["turns"]
    assert [t["speaker"] for t in turns] == shown(data)


def test_undo_and_redo_bring_the_labelling_back(session):
    start = shown(session.data())
    data = session.data()
    number = data["queue"][0]
    new = next(n for n in data["speakers"] if n != data["turns"][number]["speaker"])
    fixed = shown(session.act({"op": "relabel", "turn": number, "speaker": new, "scope": "turn"}))
    assert fixed != start
    undone = session.act({"op": "undo"})
    assert shown(undone) == start and undone["redo"] == 1
    assert shown(session.act({"op": "redo"})) == fixed


def test_restore_original_keeps_the_history(session):
    start = shown(session.data())
    data = session.data()
    number = data["queue"][0]
    new = next(n for n in data["speakers"] if n != data["turns"][number]["speaker"])
    fixed = shown(session.act({"op": "relabel", "turn": number, "speaker": new, "scope": "turn"}))
    restored = session.act({"op": "restore"})
    assert shown(restored) == start and restored["undo"] == 2
    assert shown(session.act({"op": "undo"})) == fixed


def test_reject_and_accept_edits_by_edit_rule_and_category(session, transcript):
    data = session.data()
    runs = [run for t in data["turns"] for run in t["runs"] if "k" in run and run["a"]]
    run = runs[0]
    data = session.act({"op": "decide", "scope": "edit", "key": run["k"], "accept": False})
    shown_run = next(r for t in data["turns"] for r in t["runs"] if r.get("k") == run["k"])
    assert shown_run["t"] == run["b"] and not shown_run["x"]
    path = session.export("json")
    doc = json.loads(open(path, encoding="utf-8").read())
    assert not any(e["line"] == run["l"] and e["start"] == run["c"] and e["rule"] == run["r"]
                   for e in doc["edits"])
    assert restore(doc) == transcript.read_text(encoding="utf-8")  # still restores the input
    data = session.act({"op": "decide", "scope": "rule", "key": run["r"], "accept": False})
    assert all(not r["x"] for t in data["turns"] for r in t["runs"] if r.get("r") == run["r"])
    data = session.act({"op": "decide", "scope": "category", "key": run["g"], "accept": True})
    assert all(r["x"] for t in data["turns"] for r in t["runs"] if r.get("g") == run["g"])


def test_export_writes_each_format_beside_the_input(session, transcript):
    for fmt in ("md", "txt", "json", "html", "srt", "vtt"):
        path = session.export(fmt)
        assert os.path.dirname(path) == str(transcript.parent)
        assert os.path.getsize(path) > 0
    assert session.export("md", "named.md") == str(transcript.parent / "named.md")
    for bad in ("../escape.md", "/tmp/x.md", "talk.txt", "talk.txt.review.yaml", ".hidden"):
        with pytest.raises(CleanerError):
            session.export("md", bad)
    assert not (transcript.parent.parent / "escape.md").exists()


def test_a_second_review_of_the_same_file_is_refused(transcript):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock = str(transcript) + ".review.lock"
        with open(lock, "w") as out:
            out.write(f"{sleeper.pid}\n")
        with pytest.raises(CleanerError, match=f"already open.*pid {sleeper.pid}"):
            acquire_lock(str(transcript))
        code = main(["--no-config", "review", str(transcript), "--no-open"])
        assert code == 2
    finally:
        sleeper.kill()
        sleeper.wait()
    taken = acquire_lock(str(transcript))  # the holder is gone: its stale lock is taken over
    assert open(taken).read().strip() == str(os.getpid())
    release_lock(taken)
    assert not os.path.exists(taken)


# --- the server ------------------------------------------------------------------------------------

@pytest.fixture
def client(session):
    app = create_app(session, TOKEN, PORT)
    with TestClient(app, base_url=BASE, follow_redirects=False) as client:
        yield client


def post(client, payload, path="/api/action", token=TOKEN, **headers):
    if token:
        headers["X-Review-Token"] = token
    return client.post(path, content=json.dumps(payload),
                       headers={"Content-Type": "application/json", **headers})


@pytest.mark.parametrize("path", ["/", "/api/data", "/static/review.js", "/media"])
def test_every_request_needs_the_token(client, path):
    response = client.get(path)
    assert response.status_code == 403
    assert client.get(path, params={"token": "wrong"}).status_code == 403
    assert client.get(path, headers={"X-Review-Token": TOKEN}).status_code != 403


def test_the_first_visit_moves_the_token_to_a_strict_cookie(client):
    response = client.get("/", params={"token": TOKEN})
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    page = client.get("/")  # the client sends the cookie back
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == CSP
    assert "default-src 'none'" in CSP and "script-src 'self'" in CSP


@pytest.mark.parametrize("headers", [
    {"Host": "evil.example"}, {"Host": f"evil.example:{PORT}"}, {"Host": "127.0.0.1:1"},
    {"Origin": "http://evil.example"}, {"Origin": f"http://127.0.0.1:{PORT}.evil.example"},
])
def test_a_foreign_host_or_origin_is_refused(client, headers):
    assert client.get("/api/data", headers={"X-Review-Token": TOKEN, **headers}).status_code == 403
    assert post(client, {"op": "undo"}, **headers).status_code == 403


def test_our_own_origin_and_localhost_are_allowed(client):
    assert client.get("/api/data", headers={"X-Review-Token": TOKEN, "Host": f"localhost:{PORT}",
                                            "Origin": f"http://localhost:{PORT}"}).status_code == 200


def test_state_changes_only_by_post_with_the_token_header(client, session):
    assert client.get("/api/action", params={"token": TOKEN}).status_code == 405
    assert client.put("/api/action", headers={"X-Review-Token": TOKEN}).status_code == 405
    client.get("/", params={"token": TOKEN})  # the cookie alone ...
    assert post(client, {"op": "person", "name": "Zed"}, token=None).status_code == 403
    assert session.state.people == ()  # ... changes nothing
    response = post(client, {"op": "person", "name": "Zed"})
    assert response.status_code == 200 and "Zed" in response.json()["speakers"]
    assert post(client, {"op": "no-such"}).status_code == 400
    assert client.post("/api/action", content=b"{", headers={
        "X-Review-Token": TOKEN, "Content-Type": "application/json"}).status_code == 400


def test_relabel_undo_and_export_over_http(client, transcript):
    data = client.get("/api/data", headers={"X-Review-Token": TOKEN}).json()
    number = data["queue"][0]
    new = next(n for n in data["speakers"] if n != data["turns"][number]["speaker"])
    fixed = post(client, {"op": "relabel", "turn": number, "speaker": new, "scope": "turn"}).json()
    # (the fixed turn may merge with a neighbour of that speaker, and take its number)
    assert fixed["fixed"] and all(fixed["turns"][n]["speaker"] == new for n in fixed["fixed"])
    assert post(client, {"op": "undo"}).json()["turns"][number]["speaker"] != new
    written = post(client, {"format": "txt"}, path="/api/export").json()["written"]
    assert written == str(transcript.parent / "talk.reviewed.txt")
    refused = post(client, {"format": "txt", "name": "../../x.txt"}, path="/api/export")
    assert refused.status_code == 400


def test_hostile_text_is_data_never_markup(tmp_path):
    path = write_transcript(tmp_path, title=HOSTILE)
    app = create_app(Session(str(path)), TOKEN, PORT)
    with TestClient(app, base_url=BASE) as client:
        page = client.get("/", headers={"X-Review-Token": TOKEN}).text
        data = client.get("/api/data", headers={"X-Review-Token": TOKEN}).json()
    assert "<script>document" not in page and "<img" not in page
    assert "&lt;script&gt;document.title=&#39;PWNED&#39;" in page  # the title, escaped
    text = "".join(run["t"] for turn in data["turns"] for run in turn["runs"])
    assert "<script>document.title='PWNED'</script>" in text  # data, shown by textContent
    script = client_script()
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script
    assert "document.write" not in script and "eval(" not in script


def client_script() -> str:
    from importlib import resources

    return resources.files("cleaner.review").joinpath("static", "review.js").read_text()


def test_media_is_served_with_range_requests(transcript, tmp_path):
    media = tmp_path / "talk.mp3"
    media.write_bytes(bytes(range(256)) * 8)
    app = create_app(Session(str(transcript), media=str(media)), TOKEN, PORT)
    with TestClient(app, base_url=BASE) as client:
        part = client.get("/media", headers={"X-Review-Token": TOKEN, "Range": "bytes=10-19"})
    assert part.status_code == 206
    assert part.content == bytes(range(10, 20))
    assert part.headers["content-range"] == f"bytes 10-19/{256 * 8}"


# --- the editor's own text changes ------------------------------------------------------------

def test_find_previews_and_replace_changes_only_the_checked_matches(session, transcript):
    matches = session.find("thanksgiving")
    assert len(matches) == 2 and {m["before"] for m in matches} == {"Thanksgiving"}
    assert session.find("Thanksgiving", case=True) and not session.find("THANKSGIVING", case=True)
    data = session.act({"op": "replace", "query": "thanksgiving", "with": "Holiday", "only": [1]})
    text = " ".join("".join(run["t"] for run in turn["runs"]) for turn in data["turns"])
    assert text.count("Holiday") == 1 and text.count("Thanksgiving") == 1
    path = session.export("json")
    doc = json.loads(open(path, encoding="utf-8").read())
    assert [e["after"] for e in doc["edits"] if e["rule"] == "editor"] == ["Holiday"]
    assert restore(doc) == transcript.read_text(encoding="utf-8")
    assert session.find("thanksgiving") == [matches[0]]  # the changed one is text a fix changed


def test_a_word_edited_inline_can_be_rejected_and_undone(session):
    data = session.data()
    word = next(run for run in data["turns"][3]["runs"] if "k" not in run and run["t"].strip())
    data = session.act({"op": "word", "line": word["l"], "col": word["c"], "text": word["t"],
                        "with": "Zebra"})
    edit = next(r for t in data["turns"] for r in t["runs"] if r.get("r") == "editor")
    assert edit["t"] == "Zebra" and edit["b"] == word["t"].strip()
    data = session.act({"op": "decide", "scope": "edit", "key": edit["k"], "accept": False})
    assert next(r for t in data["turns"] for r in t["runs"] if r.get("k") == edit["k"])["t"] \
        == word["t"].strip()
    session.act({"op": "undo"})
    data = session.act({"op": "undo"})
    assert not any(r.get("r") == "editor" for t in data["turns"] for r in t["runs"])
    with pytest.raises(CleanerError):
        session.act({"op": "word", "line": word["l"], "col": word["c"], "text": "notthere",
                     "with": "x"})


def test_text_changes_replace_each_other_and_go_when_set_back():
    state = apply(State(), {"op": "text", "fixes": [
        {"line": 2, "start": 0, "end": 3, "before": "abc", "after": "x"}]}, State())
    state = apply(state, {"op": "text", "fixes": [
        {"line": 2, "start": 0, "end": 3, "before": "abc", "after": "y"}]}, State())
    assert state.texts == ((2, 0, 3, "abc", "y"),)
    state = apply(state, {"op": "text", "fixes": [
        {"line": 2, "start": 0, "end": 3, "before": "abc", "after": "abc"}]}, State())
    assert state.texts == ()
    for bad in ({"line": 2, "start": 3, "end": 3, "before": "", "after": "x"},
                {"line": 2, "start": 0, "end": 3, "before": "abc", "after": "a\nb"}):
        with pytest.raises(CleanerError):
            check_action({"op": "text", "fixes": [bad]})


def test_make_a_rule_from_the_editors_word_edits(session, transcript):
    session.act({"op": "replace", "query": "Altman", "with": "Altmann", "case": True})
    line = session.make_rules("mine.yaml")
    assert line.startswith("mine.yaml: added 1 rule")
    from cleaner.correct.packs import parse_pack

    pack = parse_pack((transcript.parent / "mine.yaml").read_bytes(), "mine.yaml")
    assert [(r.replace, tuple(r.match)) for r in pack.rules] == [("Altmann", ("Altman",))]
    for bad in ("../mine.yaml", "/tmp/mine.yaml", "mine.txt", ".mine.yaml"):
        with pytest.raises(CleanerError):
            session.make_rules(bad)


def test_times_reach_the_page_when_the_transcript_has_them(tmp_path):
    cues = ["Welcome back to the show, I'm glad you are here today.",
            "Thanks for having me, it is a pleasure to be here.",
            "So tell me about the book you wrote last year."]
    srt = "".join(f"{n}\n00:00:{2 * n:02d},000 --> 00:00:{2 * n + 1:02d},500\n{text}\n\n"
                  for n, text in enumerate(cues, start=1))
    path = tmp_path / "talk.srt"
    path.write_text(srt, encoding="utf-8")
    data = Session(str(path)).data()
    assert data["times"] and data["turns"][0]["start"] == 2.0
    plain = Session(str(write_transcript(tmp_path))).data()
    assert not plain["times"]  # the page then says click-to-play is off


def test_the_command_prints_the_address_first_and_stops_cleanly_on_ctrl_c(transcript):
    import signal
    import urllib.request

    process = subprocess.Popen([sys.executable, "-m", "cleaner", "--no-config", "review",
                                str(transcript), "--no-open", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and "/?token=" in url
        token = url.split("token=", 1)[1]
        assert len(token) >= 32
        host = url.split("/?", 1)[0]
        request = urllib.request.Request(host + "/api/action", method="POST",
                                         data=b'{"op": "person", "name": "Zed"}',
                                         headers={"X-Review-Token": token,
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.status == 200
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(host + "/api/data", timeout=30)
        assert refused.value.code == 403
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "review stopped; saved" in process.stderr.read()
    assert not os.path.exists(str(transcript) + ".review.lock")
    assert "Zed" in open(str(transcript) + ".review.yaml", encoding="utf-8").read()


def test_a_review_file_that_no_longer_fits_the_input_is_a_one_line_error(session, transcript):
    session.act({"op": "relabel", "turn": len(session.result.turns) - 1,
                 "speaker": session.data()["speakers"][0], "scope": "turn"})
    lines = transcript.read_text(encoding="utf-8").splitlines(True)
    transcript.write_text("".join(lines[:20]), encoding="utf-8")  # the input was cut since
    with pytest.raises(CleanerError, match="review file does not fit") as error:
        Session(str(transcript))
    assert "\n" not in str(error.value)
