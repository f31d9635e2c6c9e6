"""``cleaner restore``: the exact original bytes back from a JSON output, or a one-line error."""

from __future__ import annotations

import io
import json
import sys

import pytest

from cleaner.cli import main
from conftest import FIXTURES, SEED

BAD = FIXTURES / "bad"


@pytest.mark.parametrize("source", [SEED, BAD / "utf16-bom.txt", BAD / "cp1252-quotes.txt",
                                    BAD / "mixed-endings.txt", BAD / "lone-surrogate.json",
                                    BAD / "empty.txt"])
def test_clean_then_restore_gives_the_input_bytes(tmp_path, capsys, source):
    document, back = tmp_path / "out.json", tmp_path / "back"
    assert main(["clean", str(source), "-o", str(document)]) == 0
    assert main(["restore", str(document), "-o", str(back)]) == 0
    err = capsys.readouterr().err
    if source.name == "empty.txt":  # an empty input gets a one-line notice (issue 15, item 7)
        assert err.startswith("cleaner: notice: ") and err.count("\n") == 1
    else:
        assert err == ""
    assert back.read_bytes() == source.read_bytes()


def test_restore_to_stdout_writes_bytes(tmp_path, capsys, monkeypatch):
    document = tmp_path / "out.json"
    assert main(["clean", str(BAD / "utf16-bom.txt"), "-o", str(document)]) == 0
    buffer = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(buffer))
    assert main(["restore", str(document)]) == 0
    assert buffer.getvalue() == (BAD / "utf16-bom.txt").read_bytes()


def test_restore_from_stdin(tmp_path, monkeypatch):
    document = tmp_path / "out.json"
    assert main(["clean", str(SEED), "-o", str(document)]) == 0
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(document.read_bytes())))
    assert main(["restore", "-", "-o", str(tmp_path / "back.txt")]) == 0
    assert (tmp_path / "back.txt").read_bytes() == SEED.read_bytes()


def tampered(document: dict, how: str) -> dict:
    if how == "span text":
        document["turns"][0]["span_text"][0] += "!"
    elif how == "edit before":
        document["edits"][0]["before"] = 7
    elif how == "frame":
        document["source"]["frame"][0] = [1, 0, "x"]
    elif how == "encoding":
        document["source"]["encoding"] = "no-such-codec"
    elif how == "newlines":
        document["source"]["newlines"] = "\n"
    return document


@pytest.mark.parametrize("how, problem", [
    ("span text", "cannot restore line"),
    ("edit before", "not a cleaner JSON output"),
    ("frame", "not a cleaner JSON output"),
    ("encoding", "cannot encode the restored text as 'no-such-codec'"),
    ("newlines", "not a cleaner JSON output"),
])
def test_a_damaged_document_is_a_one_line_error(tmp_path, capsys, how, problem):
    document = tmp_path / "out.json"
    assert main(["clean", str(SEED), "-o", str(document)]) == 0
    damaged = tmp_path / "damaged.json"
    damaged.write_text(json.dumps(tampered(json.loads(document.read_text()), how)))
    back = tmp_path / "back.txt"
    code = main(["restore", str(damaged), "-o", str(back)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert f"{damaged}: " in err and problem in err
    assert not back.exists()


@pytest.mark.parametrize("content, problem", [
    (b"{not json", "invalid JSON: Expecting property name"),
    (b'{"segments": []}', "not a cleaner JSON output (no 'schema'"),
    (b"[1, 2]", "not a cleaner JSON output"),
    (b"\xff\xfe{", "not UTF-8 JSON"),
])
def test_not_a_cleaner_document(tmp_path, capsys, content, problem):
    path = tmp_path / "x.json"
    path.write_bytes(content)
    code = main(["restore", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and problem in err and f"{path}" in err


def test_restore_refuses_to_write_over_its_document(tmp_path, capsys):
    document = tmp_path / "out.json"
    assert main(["clean", str(SEED), "-o", str(document)]) == 0
    before = document.read_bytes()
    assert main(["restore", str(document), "-o", str(document)]) == 2
    assert "refusing to write over the JSON document" in capsys.readouterr().err
    assert document.read_bytes() == before
