"""Safe writes: outputs replace their targets only when complete, the input is replaced only
with --in-place (keeping a backup), and a crash midway leaves every earlier output intact."""

from __future__ import annotations

import errno
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import cleaner.files
from cleaner.cli import main
from cleaner.render import WRITERS
from conftest import FIXTURES, ROOT

RULES = FIXTURES / "bad" / "rules.yaml"  # chat GPT -> ChatGPT, Kevin Roos -> Kevin Roose
ORIGINAL = b"I asked chat GPT.\r\nKevin Roos agreed.\r\n"


def run(capsys, *argv) -> tuple[int, str]:
    code = main(["clean", *map(str, argv), "--no-default-rules", "--rules", str(RULES)])
    return code, capsys.readouterr().err


def leftovers(folder: Path) -> list[str]:
    """Temporary files left in a folder (there should be none)."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def talk(tmp_path) -> Path:
    path = tmp_path / "talk.txt"
    path.write_bytes(ORIGINAL)
    return path


# --- --in-place ---------------------------------------------------------------------------

def test_in_place_replaces_the_input_and_keeps_the_original_as_a_backup(capsys, talk):
    code, err = run(capsys, talk, "--in-place")
    assert (code, err) == (0, "")
    assert talk.read_text(encoding="utf-8").split() == [
        "I", "asked", "ChatGPT.", "Kevin", "Roose", "agreed."]
    assert Path(f"{talk}.bak").read_bytes() == ORIGINAL
    assert leftovers(talk.parent) == []


def test_in_place_on_a_clean_file_leaves_it_alone(capsys, talk):
    talk.write_text("I asked ChatGPT.\n", encoding="utf-8")
    before = talk.stat().st_mtime_ns
    code, err = run(capsys, talk, "--in-place")
    assert (code, err) == (0, "")
    assert talk.stat().st_mtime_ns == before and not Path(f"{talk}.bak").exists()


def test_in_place_never_overwrites_an_earlier_backup(capsys, talk):
    backup = Path(f"{talk}.bak")
    backup.write_bytes(b"the only copy of an earlier original\n")
    code, err = run(capsys, talk, "--in-place")
    assert code == 2 and err.count("\n") == 1
    assert f"backup {backup} already exists" in err
    assert talk.read_bytes() == ORIGINAL
    assert backup.read_bytes() == b"the only copy of an earlier original\n"
    assert leftovers(talk.parent) == []


@pytest.mark.parametrize("argv, problem", [
    (["-", "--in-place"], "--in-place needs an input file, not stdin"),
    (["{talk}", "--in-place", "-o", "{out}"], "give either -o or --in-place, not both"),
])
def test_in_place_usage_errors(capsys, talk, argv, problem):
    argv = [a.format(talk=talk, out=talk.parent / "out.md") for a in argv]
    code, err = run(capsys, *argv)
    assert code == 2 and problem in err and talk.read_bytes() == ORIGINAL


@pytest.mark.parametrize("name, content", [
    ("talk.transcript", "I asked chat GPT.\n"),
    ("talk.json", '{"segments": [{"start": 0, "end": 1, "text": " I asked chat GPT."}]}'),
])
def test_in_place_needs_a_format_it_can_tell(capsys, tmp_path, name, content):
    source = tmp_path / name
    source.write_text(content, encoding="utf-8")
    code, err = run(capsys, source, "--in-place")
    assert code == 2 and "cannot tell the output format" in err and "--format" in err
    assert source.read_text(encoding="utf-8") == content
    assert not Path(f"{source}.bak").exists()
    code, err = run(capsys, source, "--in-place", "--format", "txt")
    assert (code, err) == (0, "") and "ChatGPT" in source.read_text(encoding="utf-8")
    assert Path(f"{source}.bak").read_text(encoding="utf-8") == content


def test_a_report_path_that_is_a_folder_writes_nothing(capsys, talk):
    out, folder = talk.parent / "out.md", talk.parent / "reports"
    folder.mkdir()
    code, err = run(capsys, talk, "-o", out, "--report", f"{folder}/")
    assert code == 2 and "is a folder" in err
    assert not out.exists() and list(folder.iterdir()) == []


def test_in_place_never_writes_the_report_over_the_backup(capsys, talk):
    content = talk.read_text(encoding="utf-8")
    code, err = run(capsys, talk, "--in-place", "--format", "txt", "--report", f"{talk}.bak")
    assert code == 2 and "backup" in err
    assert talk.read_text(encoding="utf-8") == content and not Path(f"{talk}.bak").exists()


def test_in_place_with_a_report_beside_it(capsys, talk):
    report = talk.parent / "talk.report.md"
    code, _ = run(capsys, talk, "--in-place", "--report", report)
    assert code == 0 and "chatgpt" in report.read_text(encoding="utf-8")
    code, err = run(capsys, report, "--in-place", "--report", report)
    assert code == 2 and "refusing to write over the input file" in err


# --- never onto the input -----------------------------------------------------------------

@pytest.mark.parametrize("target", ["output", "report", "symlink"])
def test_writing_onto_the_input_is_refused(capsys, talk, target):
    link = talk.parent / "link.txt"
    link.symlink_to(talk)
    argv = {"output": ["-o", talk], "report": ["-o", talk.parent / "o.md", "--report", talk],
            "symlink": ["-o", link]}[target]
    code, err = run(capsys, talk, *argv)
    assert code == 2 and "refusing to write over the input file" in err
    assert "--in-place" in err or target == "report"
    assert talk.read_bytes() == ORIGINAL and not (talk.parent / "o.md").exists()


# --- a crash midway -----------------------------------------------------------------------

@pytest.fixture
def previous(tmp_path) -> tuple[Path, Path]:
    """An earlier output and report that a failed run must leave exactly as they are."""
    out, report = tmp_path / "out" / "talk.md", tmp_path / "out" / "talk.report.md"
    out.parent.mkdir()
    out.write_text("previous output\n", encoding="utf-8")
    report.write_text("previous report\n", encoding="utf-8")
    return out, report


def assert_untouched(previous: tuple[Path, Path]) -> None:
    out, report = previous
    assert out.read_text(encoding="utf-8") == "previous output\n"
    assert report.read_text(encoding="utf-8") == "previous report\n"
    assert leftovers(out.parent) == []


def test_a_crash_while_rendering_leaves_earlier_outputs_intact(capsys, talk, previous,
                                                               monkeypatch):
    def crash(result):
        raise RuntimeError("renderer bug")

    monkeypatch.setitem(WRITERS, "md", crash)
    code, err = run(capsys, talk, "-o", previous[0], "--report", previous[1])
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "internal error: RuntimeError: renderer bug" in err
    assert_untouched(previous)


class HalfWriter:
    """A file that writes half of what it is given, then fails as a full disk does."""

    def __init__(self, stream, error: BaseException) -> None:
        self.stream, self.error = stream, error

    def write(self, data):
        self.stream.write(data[: len(data) // 2])
        self.stream.flush()
        raise self.error

    def __getattr__(self, name):
        return getattr(self.stream, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stream.close()


@pytest.mark.parametrize("failure, code, message", [
    (OSError(errno.ENOSPC, "No space left on device"), 2,
     "cannot write: No space left on device"),
    (KeyboardInterrupt(), 130, "cleaner: interrupted"),
])
@pytest.mark.parametrize("which", [0, 1])  # the transcript, or the report after it
def test_a_failure_midway_through_writing_leaves_earlier_outputs_intact(
        capsys, talk, previous, monkeypatch, failure, code, message, which):
    real_fdopen = os.fdopen
    opened = []

    def fdopen(fd, *args, **kwargs):
        stream = real_fdopen(fd, *args, **kwargs)
        opened.append(stream)
        return HalfWriter(stream, failure) if len(opened) == which + 1 else stream

    monkeypatch.setattr(cleaner.files.os, "fdopen", fdopen)
    result, err = run(capsys, talk, "-o", previous[0], "--report", previous[1])
    assert result == code and err.count("\n") == 1 and message in err
    assert len(opened) == which + 1  # the failure came before anything was replaced
    assert_untouched(previous)


def test_no_output_is_replaced_unless_all_can_be_written(capsys, talk, previous):
    blocker = previous[0].parent / "not-a-folder"
    blocker.write_text("a file where a folder is needed\n", encoding="utf-8")
    code, err = run(capsys, talk, "-o", previous[0], "--report", blocker / "report.md")
    assert code == 2 and "cannot write" in err
    assert_untouched(previous)


_KILLED_WHILE_REPLACING = """
import os, signal, sys
import cleaner.files
cleaner.files.os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
from cleaner.cli import main
main(["clean", sys.argv[1], "-o", sys.argv[2], "--no-default-rules", "--rules", sys.argv[3]])
"""


def test_a_process_killed_while_writing_leaves_the_earlier_output_intact(talk, previous):
    """A real crash: the process dies (SIGKILL, no cleanup) just as it would replace the
    output. The earlier output is intact; only the complete temporary file is left over."""
    out = previous[0]
    child = subprocess.run([sys.executable, "-c", _KILLED_WHILE_REPLACING, str(talk), str(out),
                            str(RULES)], cwd=ROOT, capture_output=True, text=True,
                           env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert child.returncode == -signal.SIGKILL
    assert out.read_text(encoding="utf-8") == "previous output\n"
    left = leftovers(out.parent)
    assert len(left) == 1 and left[0].startswith(".talk.md.")
    assert (out.parent / left[0]).read_text(encoding="utf-8").split() == (
        "I asked ChatGPT. Kevin Roose agreed.".split())


def test_write_outputs_writes_bytes_and_text(tmp_path, capsysbinary, monkeypatch):
    target = tmp_path / "deep" / "er" / "out.bin"
    cleaner.files.write_outputs([(str(target), b"\xff\xfeb\x00"), (str(tmp_path / "t.txt"), "é")])
    assert target.read_bytes() == b"\xff\xfeb\x00"
    assert (tmp_path / "t.txt").read_bytes() == "é".encode("utf-8")
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO()))
    cleaner.files.write_outputs([("-", b"raw\xff")])
    sys.stdout.flush()
    assert sys.stdout.buffer.getvalue() == b"raw\xff"


@pytest.mark.parametrize("text, size", [("0", 0), ("1024", 1024), ("500k", 512_000),
                                        ("16M", 16 * 1024**2), ("2GiB", 2 * 1024**3),
                                        ("1g", 1024**3)])
def test_parse_size(text, size):
    assert cleaner.files.parse_size(text) == size


def test_max_bytes_rejects_a_bad_size(capsys, talk):
    code = main(["clean", str(talk), "--max-bytes", "lots"])
    assert code == 2 and "not a size: 'lots'" in capsys.readouterr().err
