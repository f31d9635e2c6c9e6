"""Batch runs on a Dask cluster (``--dask``): the same outputs, exit codes and failure summary
as ``--jobs``, and fsspec URLs for inputs and outputs.

One two-worker ``LocalCluster`` (threads in this process, one per worker, over TCP) serves the
whole module. In-process workers let ``memory://`` URLs, fsspec's filesystem that lives in
one process, stand in for an object store such as S3.
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

import pytest

from cleaner.cli import main
from cleaner.commands import cluster
from cleaner.commands.batch import output_paths
from cleaner.errors import CleanerError
from cleaner.remote import join, local
from conftest import SEED

distributed = pytest.importorskip(
    "distributed", reason="dask.distributed is not installed (pip install 'cleaner[dask]')")
fsspec = pytest.importorskip("fsspec", reason="fsspec is not installed")


def make_archive(root: Path) -> Path:
    """Two good transcripts (one nested), a binary file, a non-transcript and a hidden one."""
    (root / "2023" / "nov").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "a.txt").write_text("I asked chat GPT.\nUm, I asked chat GPT again.\n",
                                encoding="utf-8")
    (root / "2023" / "nov" / "seed.txt").write_bytes(SEED.read_bytes())
    (root / "2023" / "broken.txt").write_bytes(b"\x00\x01\x02")
    (root / "notes.py").write_text("chat GPT = 1\n")
    (root / ".git" / "x.txt").write_text("chat GPT\n")
    return root


def cli(argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--no-config", *map(str, argv)])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """The archive every test reads (none changes it)."""
    return make_archive(tmp_path_factory.mktemp("dask") / "archive")


@pytest.fixture(scope="module")
def reference(archive) -> dict:
    """What ``--jobs 2`` does with the archive: run before the cluster starts, so the process
    pool never forks a process that has the cluster's threads running."""
    folder = archive.parent / "reference"
    clean = cli(["clean", archive, "-o", folder / "out", "--report", folder / "rep",
                 "--report-format", "html", "--jobs", "2"])
    check = cli(["check", archive, "--format", "json", "-o", folder / "findings.json",
                 "--jobs", "2"])
    return {"clean": clean, "check": check, "out": tree(folder / "out"),
            "rep": tree(folder / "rep"), "findings": (folder / "findings.json").read_bytes()}


@pytest.fixture(scope="module")
def scheduler(reference):
    """The address of a two-worker cluster, shut down after the module."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  protocol="tcp", dashboard_address=":0") as local_cluster:
        yield local_cluster.scheduler_address


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def failure_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("  ")
            or line.startswith("cleaner: error:")]


def test_the_reference_run_failed_on_the_binary_file_only(reference):
    code, _, err = reference["clean"]
    assert code == 2 and "cleaned 2 of 3 files" in err
    assert len(failure_lines(err)) == 1 and "broken.txt" in failure_lines(err)[0]
    assert sorted(reference["out"]) == ["2023/nov/seed.md", "a.md"]
    assert b"ChatGPT" in reference["out"]["a.md"]


def test_clean_on_dask_writes_what_two_jobs_write(archive, reference, tmp_path, scheduler):
    code, out, err = cli(["clean", archive, "-o", tmp_path / "out", "--report", tmp_path / "rep",
                          "--report-format", "html", "--dask", scheduler])
    assert code == reference["clean"][0] == 2 and out == ""
    assert "cleaned 2 of 3 files" in err and f"Dask at {scheduler}" in err
    assert failure_lines(err) == failure_lines(reference["clean"][2])
    assert tree(tmp_path / "out") == reference["out"]
    assert tree(tmp_path / "rep") == reference["rep"]


def test_clean_on_dask_exits_0_when_every_file_is_cleaned(tmp_path, scheduler):
    archive = make_archive(tmp_path / "archive")
    (archive / "2023" / "broken.txt").unlink()
    code, _, err = cli(["clean", archive, "-o", tmp_path / "out", "--dask", scheduler,
                        "--format", "json"])
    assert code == 0 and "cleaned 2 of 2 files" in err and "failed" not in err
    assert sorted(tree(tmp_path / "out")) == ["2023/nov/seed.json", "a.json"]


def test_check_on_dask_finds_what_two_jobs_find(archive, reference, tmp_path, scheduler):
    code, _, err = cli(["check", archive, "--format", "json", "-o", tmp_path / "findings.json",
                        "--dask", scheduler])
    assert code == reference["check"][0] == 2  # the binary file
    assert failure_lines(err) == failure_lines(reference["check"][2]) != []
    findings = (tmp_path / "findings.json").read_bytes()
    assert findings == reference["findings"] and b"chatgpt" in findings


def test_file_urls_for_input_and_output(archive, reference, tmp_path, scheduler):
    code, _, err = cli(["clean", archive.as_uri(), "-o", (tmp_path / "out").as_uri(),
                        "--dask", scheduler])
    assert code == 2 and failure_lines(err) == failure_lines(reference["clean"][2])
    assert tree(tmp_path / "out") == reference["out"]
    code, out, _ = cli(["check", archive.as_uri() + "/", "--dask", scheduler])
    assert code == 2 and "a.txt" in out


def test_object_store_urls_through_fsspec(archive, reference, scheduler):
    """memory:// goes through the same fsspec calls as s3://: list, read, write whole."""
    memory = fsspec.filesystem("memory")
    for path in archive.rglob("*"):
        if path.is_file():
            memory.pipe_file(f"/archive/{path.relative_to(archive).as_posix()}",
                             path.read_bytes())
    try:
        code, _, err = cli(["clean", "memory://archive", "-o", "memory://cleaned",
                            "--dask", scheduler])
        assert code == 2 and "cleaned 2 of 3 files into memory://cleaned" in err
        assert failure_lines(err) == [line.replace(str(archive), "memory://archive")
                                      for line in failure_lines(reference["clean"][2])]
        written = {path.removeprefix("/cleaned/"): memory.cat_file(path)
                   for path in memory.find("/cleaned")}
        assert written == reference["out"]
        # Outputs inside the input folder are not read back as inputs on the next run.
        for _ in range(2):
            code, _, err = cli(["clean", "memory://archive", "-o", "memory://archive/out",
                                "--dask", scheduler])
            assert code == 2 and "cleaned 2 of 3 files" in err
        assert memory.exists("/archive/out/a.md")
    finally:
        memory.rm("/", recursive=True)


def test_object_store_inputs_are_read_with_the_same_checks():
    """--max-bytes, a missing file and stdin are one-line errors for URLs as for paths."""
    memory = fsspec.filesystem("memory")
    memory.pipe_file("/drop/seed.txt", SEED.read_bytes())
    try:
        code, _, err = cli(["check", "memory://drop", "--max-bytes", "1k"])
        assert code == 2 and "memory://drop/seed.txt: input is" in err and "--max-bytes" in err
        code, _, err = cli(["check", "memory://drop/gone.txt"])
        assert code == 2 and err.count("\n") == 1 and "no such file" in err
    finally:
        memory.rm("/", recursive=True)
    code, _, err = cli(["check", "-", "--dask", "tcp://127.0.0.1:8786"])
    assert code == 2 and "cannot read stdin" in err


def test_without_the_extra_dask_is_a_one_line_error(archive, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    code, _, err = cli(["clean", archive, "-o", tmp_path / "out", "--dask",
                        "tcp://127.0.0.1:8786"])
    assert code == 2 and err.count("\n") == 1
    assert "pip install 'cleaner[dask]'" in err and not (tmp_path / "out").exists()
    monkeypatch.setitem(sys.modules, "fsspec.core", None)
    code, _, err = cli(["check", "s3://bucket/drop/"])
    assert code == 2 and err.count("\n") == 1 and "pip install 'cleaner[dask]'" in err


def test_an_unreachable_scheduler_is_a_one_line_error(archive, tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "1s")
    code, _, err = cli(["clean", archive, "-o", tmp_path / "out", "--dask",
                        "tcp://127.0.0.1:1"])
    assert code == 2 and err.count("\n") == 1 and "cannot reach the Dask scheduler" in err


def test_an_address_without_a_port_is_a_one_line_error(archive, tmp_path):
    code, _, err = cli(["clean", archive, "-o", tmp_path / "out", "--dask", "scheduler-host"])
    assert code == 2 and err.count("\n") == 1 and "not a scheduler address" in err


def test_an_unknown_protocol_is_a_one_line_error():
    code, _, err = cli(["check", "nosuchprotocol://x/y"])
    assert code == 2 and err.count("\n") == 1 and "nosuchprotocol://x/y" in err


def test_dask_needs_a_folder():
    code, _, err = cli(["clean", SEED, "--dask", "tcp://127.0.0.1:8786"])
    assert code == 2 and "give a folder" in err


def test_url_outputs_stay_inside_the_output_folder():
    files = ["memory://in/a.txt", "memory://in/sub/a.srt", "memory://in/sub/a.txt",
             "memory://elsewhere/b.txt"]
    assert output_paths(files, "memory://in/", "s3://bucket/out", "md") == [
        "s3://bucket/out/a.md", "s3://bucket/out/sub/a.srt.md", "s3://bucket/out/sub/a.txt.md",
        "s3://bucket/out/b.md"]
    with pytest.raises(CleanerError, match="leave the output folder"):
        join("s3://bucket/out", "sub/../../x.md")
    assert local("file:///tmp/x/") == "/tmp/x/" and local("memory://x") == "memory://x"
