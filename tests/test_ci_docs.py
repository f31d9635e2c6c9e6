"""The ecosystem hooks: the pre-commit hook file and the README's GitHub Actions example."""

from __future__ import annotations

import re
import shlex

from ruamel.yaml import YAML

from cleaner.cli import build_parser
from conftest import ROOT


def test_pre_commit_hook_runs_cleaner_check_on_transcripts():
    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "cleaner-check")
    assert hook["entry"] == "cleaner check" and hook["language"] == "python"
    files = re.compile(hook["files"])
    for name in ("a.txt", "dir/b.md", "c.srt", "d.vtt", "e.markdown"):
        assert files.search(name), name
    for name in ("setup.py", "data.csv", "notes.txt.bak"):
        assert not files.search(name), name
    # pre-commit appends the file names: the entry plus files must parse as a check command.
    argv = shlex.split(hook["entry"])[1:] + ["a.txt", "b.md"]
    assert build_parser().parse_args(argv).command == "check"


def _workflow() -> dict:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### GitHub Actions", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    return YAML(typ="safe").load(block)


def test_readme_workflow_is_valid_and_runs_the_check_in_github_format():
    workflow = _workflow()
    assert {"name", "jobs"} <= set(workflow) and (True in workflow or "on" in workflow)
    steps = next(iter(workflow["jobs"].values()))["steps"]
    assert all("uses" in step or "run" in step for step in steps)
    runs = [step["run"] for step in steps if "run" in step]
    commands = [shlex.split(run) for run in runs if run.startswith("cleaner ")]
    parser = build_parser()
    formats = []
    for argv in commands:
        argv = argv[1:argv.index("||")] if "||" in argv else argv[1:]
        args = parser.parse_args(argv)  # every cleaner command in it parses
        formats.append(args.findings_format)
    assert "github" in formats and "sarif" in formats
    upload = next(step for step in steps if "upload-sarif" in step.get("uses", ""))
    assert upload["with"]["sarif_file"] == "cleaner.sarif"
