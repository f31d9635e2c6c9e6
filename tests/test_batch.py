"""Batch cleaning: a folder in, a mirrored folder out, failures summarised, paths contained."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from cleaner.commands.batch import (Outcome, Progress, expand_paths, output_paths, run_all,
                                    should_show_progress)
from cleaner.cli import main
from cleaner.errors import CleanerError
from conftest import SEED


def run(argv, capsys):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def archive(tmp_path):
    """A small archive: two good transcripts (one nested), one binary file, one non-transcript."""
    root = tmp_path / "archive"
    (root / "2023" / "nov").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "a.txt").write_text("I asked chat GPT.\n", encoding="utf-8")
    (root / "2023" / "nov" / "seed.txt").write_bytes(SEED.read_bytes())
    (root / "2023" / "broken.txt").write_bytes(b"\x00\x01\x02")
    (root / "notes.py").write_text("chat GPT = 1\n")
    (root / ".git" / "x.txt").write_text("chat GPT\n")
    return root


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_clean_folder_mirrors_tree_and_reports_failures(archive, tmp_path, capsys, jobs):
    out = tmp_path / "out"
    code, stdout, err = run(["clean", archive, "-o", out, "--jobs", jobs], capsys)
    assert code == 2 and stdout == ""
    assert "cleaned 2 of 3 files" in err and "1 failed" in err
    assert "broken.txt" in err and "binary" in err
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["2023/nov/seed.md", "a.md"]
    assert (out / "a.md").read_text() == "I asked ChatGPT.\n"
    assert "Kevin Roose" in (out / "2023" / "nov" / "seed.md").read_text()


def test_clean_folder_is_the_same_with_one_or_two_jobs(archive, tmp_path, capsys):
    (archive / "2023" / "broken.txt").unlink()
    for jobs in ("1", "2"):
        assert run(["clean", archive, "-o", tmp_path / jobs, "--jobs", jobs,
                    "--format", "json"], capsys)[0] == 0
    one = {p.relative_to(tmp_path / "1"): p.read_bytes() for p in (tmp_path / "1").rglob("*.json")}
    two = {p.relative_to(tmp_path / "2"): p.read_bytes() for p in (tmp_path / "2").rglob("*.json")}
    assert one == two and len(one) == 2


def test_clean_folder_with_reports(archive, tmp_path, capsys):
    (archive / "2023" / "broken.txt").unlink()
    code, _, _ = run(["clean", archive, "-o", tmp_path / "out", "--report", tmp_path / "rep",
                      "--report-format", "html"], capsys)
    assert code == 0
    assert (tmp_path / "rep" / "2023" / "nov" / "seed.report.html").read_text().startswith(
        "<!DOCTYPE html>")


def test_output_folder_inside_the_input_is_not_read_back(archive, capsys):
    (archive / "2023" / "broken.txt").unlink()
    assert run(["clean", archive, "-o", archive / "cleaned"], capsys)[0] == 0
    code, _, err = run(["clean", archive, "-o", archive / "cleaned"], capsys)
    assert code == 0 and "cleaned 2 of 2" in err


def test_folder_needs_an_output_folder(archive, capsys):
    code, _, err = run(["clean", archive], capsys)
    assert code == 2 and "-o OUTDIR" in err


def test_output_paths_stay_inside_and_do_not_collide(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    files = [str(root / "a.txt"), str(root / "a.srt"), str(root / "b.vtt")]
    targets = output_paths(files, str(root), str(tmp_path / "out"), "md")
    assert [Path(t).relative_to(tmp_path / "out").as_posix() for t in targets] == [
        "a.txt.md", "a.srt.md", "b.md"]


def test_output_paths_refuse_a_symlink_out_of_the_output_folder(tmp_path):
    root, out, outside = tmp_path / "in", tmp_path / "out", tmp_path / "outside"
    for folder in (root / "sub", out, outside):
        folder.mkdir(parents=True)
    try:
        os.symlink(outside, out / "sub")
    except OSError:
        pytest.skip("no symlinks here")
    with pytest.raises(CleanerError) as info:
        output_paths([str(root / "sub" / "x.txt")], str(root), str(out), "md")
    assert "leave the output folder" in str(info.value)


def test_expand_paths_skips_hidden_and_other_extensions(archive):
    found = [os.path.relpath(p, archive) for p in expand_paths([str(archive)])]
    assert found == ["a.txt", os.path.join("2023", "broken.txt"),
                     os.path.join("2023", "nov", "seed.txt")]
    only = expand_paths([str(archive)], exclude=["broken.*"])
    assert not any(p.endswith("broken.txt") for p in only)


def _square(number: int) -> int:
    if number == 3:
        raise CleanerError("three is bad", "item-3")
    if number == 4:
        raise ValueError("a bug")
    return number * number


def _noop() -> None:
    pass


@pytest.mark.parametrize("jobs", [1, 2])
def test_run_all_keeps_order_and_isolates_failures(jobs):
    items = list(range(6))
    outcomes = run_all(_square, items, [f"item-{n}" for n in items], jobs, _noop)
    assert [o.value for o in outcomes if o.ok] == [0, 1, 4, 25]
    assert outcomes[3] == Outcome("item-3", error="item-3: three is bad")
    assert "internal error: ValueError: a bug" in outcomes[4].error


def test_progress_bar_only_on_a_terminal_outside_ci(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("CI", raising=False)
    assert should_show_progress(Terminal()) and not should_show_progress(io.StringIO())
    monkeypatch.setenv("CI", "true")
    assert not should_show_progress(Terminal())
    monkeypatch.delenv("CI")
    stream = Terminal()
    progress = Progress(2, "cleaning", stream)
    progress.step()
    progress.step()
    progress.close()
    assert "2/2" in stream.getvalue() and "\r" in stream.getvalue()
    quiet = io.StringIO()
    silent = Progress(2, "cleaning", quiet)
    silent.step()
    silent.close()
    assert quiet.getvalue() == ""
