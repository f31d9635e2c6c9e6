"""The command line, run in-process through ``main``: outputs, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cleaner.cli import build_parser, main
from conftest import ROOT, SEED


def run(argv, capsys):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_writes_output_and_report(tmp_path, capsys):
    out, report = tmp_path / "seed.md", tmp_path / "seed.report.html"
    code, _, err = run(["clean", SEED, "-o", out, "--report", report], capsys)
    assert code == 0 and err == ""
    assert "Kevin Roose" in out.read_text() and "Kevin Roos " not in out.read_text()
    html = report.read_text()
    assert html.startswith("<!DOCTYPE html>") and 'class="chg"' in html


def test_format_follows_the_output_extension(tmp_path, capsys):
    out = tmp_path / "seed.json"
    assert run(["clean", SEED, "-o", out], capsys)[0] == 0
    document = json.loads(out.read_text())
    assert {"source", "turns", "edits"} <= set(document)
    first = document["edits"][0]
    assert {"rule", "category", "line", "start", "end", "before", "after"} <= set(first)


@pytest.mark.parametrize("option, name, choices", [
    ("-o", "out.docx", "--format (html, json, md, podcast-json, srt, txt, vtt)"),
    ("-o", "out.pdf", "--format (html, json, md, podcast-json, srt, txt, vtt)"),
    ("--report", "report.json", "--report-format (html, md, txt)"),
    ("--report", "report.docx", "--report-format (html, md, txt)"),
])
def test_an_output_extension_no_writer_has_is_a_usage_error(tmp_path, capsys, option, name,
                                                           choices):
    source = tmp_path / "t.txt"
    source.write_text("I asked chat GPT.\n")
    argv = ["clean", source, option, tmp_path / name] + (["-o", tmp_path / "t.md"]
                                                         if option == "--report" else [])
    code, _, err = run(argv, capsys)
    assert code == 2 and err.count("\n") == 1, err
    assert f"{tmp_path / name}: cleaner does not write {name[name.index('.'):]} " in err
    assert choices in err and ".md" in err  # the formats it does write, and their names
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.txt"]  # nothing written


def test_an_output_without_extension_or_with_format_given_is_written(tmp_path, capsys):
    source = tmp_path / "t.txt"
    source.write_text("I asked chat GPT.\n")
    for name in ("plain", "t.md"):
        assert run(["clean", source, "-o", tmp_path / name], capsys)[0] == 0
    assert (tmp_path / "plain").read_text() == (tmp_path / "t.md").read_text()  # md, the default
    assert run(["clean", source, "-o", tmp_path / "out.docx", "--format", "json"], capsys)[0] == 0
    assert "ChatGPT" in json.loads((tmp_path / "out.docx").read_text())["turns"][0]["text"]


def test_stdin_to_stdout(capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"I asked chat GPT.\n")))
    code, out, _ = run(["clean", "-", "--format", "txt"], capsys)
    assert code == 0 and out == "I asked ChatGPT.\n"


@pytest.mark.parametrize("pack, message", [
    ("rules:\n  - id: a\n    match: [x\n", "invalid YAML"),
    ("rules:\n  - id: a\n    category: term\n    replce: b\n    match: [x]\n", "unknown key 'replce'"),
    ("rules:\n  - id: a\n    category: term\n    match: [x]\n", "'replace' must be a string"),
    ("rules:\n  - id: rx\n    category: term\n    regex: '(['\n    replace: y\n", "invalid regex"),
])
def test_bad_pack_is_one_line_with_file_and_line_and_exit_2(tmp_path, capsys, pack, message):
    path = tmp_path / "bad.yaml"
    path.write_text(pack)
    out = tmp_path / "out.md"
    code, _, err = run(["clean", SEED, "--rules", path, "-o", out], capsys)
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{path}:" in err and message in err
    assert not out.exists()  # no half-written output


def test_missing_and_binary_inputs(tmp_path, capsys):
    code, _, err = run(["clean", tmp_path / "nope.txt"], capsys)
    assert code == 2 and "no such file" in err
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01\x02binary")
    code, _, err = run(["clean", binary], capsys)
    assert code == 2 and "binary" in err and err.count("\n") == 1


def test_output_onto_the_input_is_refused(tmp_path, capsys):
    copy = tmp_path / "t.txt"
    copy.write_text("chat GPT\n")
    code, _, err = run(["clean", copy, "-o", copy], capsys)
    assert code == 2 and "refusing" in err
    assert copy.read_text() == "chat GPT\n"


def test_no_default_rules_and_disable(tmp_path, capsys):
    text = tmp_path / "t.txt"
    text.write_text("I asked chat GPT.\n")
    assert run(["clean", text, "--no-default-rules", "--format", "txt"], capsys)[1] == "I asked chat GPT.\n"
    code, out, _ = run(["clean", text, "--disable", "chatgpt", "--format", "txt"], capsys)
    assert code == 0 and out == "I asked chat GPT.\n"


def test_usage_error_exits_2(capsys):
    code, _, err = run(["clean"], capsys)
    assert code == 2 and "error" in err


def test_every_subcommand_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, sub in subparsers.choices.items():
        assert sub.description, name
        assert f"cleaner {name}" in readme, f"README does not mention 'cleaner {name}'"


def test_console_script_smoke(tmp_path):
    """One real subprocess: the module entry point works and exits 0."""
    result = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(SEED), "--format", "txt"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and "ChatGPT" in result.stdout
