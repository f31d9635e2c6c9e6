"""Config discovery: cleaner.toml or [tool.cleaner], nearest first; the command line wins."""

from __future__ import annotations

import pytest

from cleaner import Options
from cleaner.cli import main
from cleaner.config import complete_options, find_config, load_config
from cleaner.errors import CleanerError


def run(argv, capsys):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with a transcript holding one known error, as the working dir."""
    (tmp_path / "talk.txt").write_text("I asked chat GPT.\nIt said hello.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_nearest_config_is_found_upward(project):
    assert find_config(project) is None
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_config(project) is None  # no [tool.cleaner]: skipped
    (project / "pyproject.toml").write_text("[tool.cleaner]\nfail-on = 'warning'\n")
    deep = project / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == project / "pyproject.toml"
    (project / "a" / "cleaner.toml").write_text("jobs = 1\n")
    assert find_config(deep) == project / "a" / "cleaner.toml"
    (project / "cleaner.toml").write_text("jobs = 2\n")
    assert find_config(project) == project / "cleaner.toml"  # cleaner.toml first


def test_config_disables_a_rule_and_the_command_line_wins(project, capsys):
    assert run(["check", "talk.txt"], capsys)[0] == 1
    (project / "cleaner.toml").write_text('disable = ["chatgpt"]\n')
    assert run(["check", "talk.txt"], capsys)[:2] == (0, "")
    # A list given on the command line replaces the config's list.
    code, out, _ = run(["check", "talk.txt", "--disable", "openai"], capsys)
    assert code == 1 and "chatgpt" in out
    assert run(["--no-config", "check", "talk.txt"], capsys)[0] == 1


def test_config_sets_fail_on_format_and_review_threshold(project, capsys):
    (project / "talk.txt").write_text("Nothing wrong.\n")
    (project / "pyproject.toml").write_text(
        "[project]\nname = 'x'\n\n[tool.cleaner]\nfail-on = 'info'\noutput-format = 'json'\n"
        "review-below = 0.6\n")
    code, out, _ = run(["check", "talk.txt"], capsys)
    assert code == 0 and out.lstrip().startswith("{")
    assert '"fail_on": "info"' in out
    code, out, _ = run(["check", "talk.txt", "--format", "text", "--fail-on", "error"], capsys)
    assert (code, out) == (0, "")


def test_rule_paths_are_relative_to_the_config_file(project, capsys, monkeypatch):
    (project / "packs").mkdir()
    (project / "packs" / "mine.yaml").write_text(
        "rules:\n  - id: hello-fix\n    category: term\n    match: [hello]\n"
        "    replace: Hello\n")
    (project / "cleaner.toml").write_text('rules = ["packs/mine.yaml"]\nno-default-rules = true\n')
    sub = project / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    code, out, _ = run(["check", "../talk.txt"], capsys)
    assert code == 1 and "hello-fix" in out and "chatgpt" not in out
    assert "packs/mine.yaml" in out


@pytest.mark.parametrize("text, message, line", [
    ("fail-on = 'error'\nfial-on = 'warning'\n", "unknown config key 'fial-on'", 2),
    ("jobs = -1\n", "config key 'jobs'", 1),
    ("fail-on = 'fatal'\n", "config key 'fail-on' must be one of error, warning, info", 1),
    ("review-below = 2\n", "from 0 to 1", 1),
    ("rules = 3\n", "list of non-empty strings", 1),
    ("jobs = \n", "invalid TOML", 1),
])
def test_bad_config_is_one_line_naming_key_and_file(project, capsys, text, message, line):
    (project / "cleaner.toml").write_text(text)
    code, _, err = run(["check", "talk.txt"], capsys)
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert message in err and f"cleaner.toml:{line}:" in err


def test_bad_key_in_pyproject_names_the_table_line(project):
    (project / "pyproject.toml").write_text(
        "[project]\nname = 'x'\nstyle = 'mine'\n\n[tool.cleaner]\nstyle = 'clean'\nbogus = 1\n")
    with pytest.raises(CleanerError) as info:
        load_config(project / "pyproject.toml")
    assert info.value.line == 7 and "'bogus'" in info.value.message
    assert info.value.path.endswith("pyproject.toml")


def test_settings_without_a_flag_reach_options():
    """cast/style/review-below land in Options fields when they exist, else Options.extra."""
    from argparse import Namespace

    args = Namespace(config_extra={"style": "verbatim", "cast": "cast.yaml", "jobs": 3})
    options = complete_options(Options(), args)
    for name, value in (("style", "verbatim"), ("cast", "cast.yaml")):
        assert getattr(options, name, None) == value or options.extra.get(name) == value
    assert "jobs" not in options.extra


def test_explicit_config_file(project, capsys):
    other = project / "elsewhere.toml"
    other.write_text('disable = ["chatgpt"]\n')
    assert run(["--config", other, "check", "talk.txt"], capsys)[0] == 0
    code, _, err = run(["--config", project / "none.toml", "check", "talk.txt"], capsys)
    assert code == 2 and "config file not found" in err
