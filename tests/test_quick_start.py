"""The README's Quick start works on a fresh machine: ``pip install -e '.[test]'`` brings every
module the tests import, and ``.ci/run`` runs its two commands exactly, in a new virtual
environment, so CI fails whenever a new user's first commands would."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from conftest import ROOT

# Folders of code the tests import (tests put bench/ on sys.path and import train/ modules).
IMPORTED_BY_TESTS = ("tests", "train", "bench")


def _quick_start() -> list[str]:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    """Distributions ``pip install -e '.[test]'`` asks for by name."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = project["dependencies"] + project["optional-dependencies"]["test"]
    return {_normal(re.match(r"[A-Za-z0-9._-]+", spec).group()) for spec in specs}


def _third_party_imports() -> dict[str, str]:
    """Top-level modules imported by the tests and the code they import, outside the standard
    library and the repository, each with one file that imports it."""
    local = {"cleaner", *IMPORTED_BY_TESTS}
    files = [path for folder in IMPORTED_BY_TESTS for path in sorted((ROOT / folder).rglob("*.py"))]
    local.update(path.stem for path in files)
    found: dict[str, str] = {}
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in local:
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_the_test_extra_holds_every_module_the_tests_import():
    declared = _declared()
    providers = packages_distributions()
    imports = _third_party_imports()
    assert {"numpy", "pytest", "scipy", "sklearn"} <= set(imports)  # the scan sees them
    missing = {
        f"{module} (imported in {where})"
        for module, where in imports.items()
        if not {_normal(d) for d in providers.get(module, [])} & declared
    }
    assert missing == set(), "add their distributions to the test extra in pyproject.toml"


def test_ci_runs_the_quick_start_commands_exactly_in_a_new_venv():
    commands = _quick_start()
    assert len(commands) == 2 and commands[0].startswith("pip install -e '.[test]'")
    assert commands[1] == "python -m pytest"
    lines = [line.strip() for line in (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()]
    steps = [line for line in lines if line and not line.startswith("#")]
    made = next(i for i, line in enumerate(steps) if re.search(r"-m venv \"?\$venv\"?$", line))
    entered = steps.index('. "$venv/bin/activate"')
    # the venv is a new temporary folder, made and entered before the README's commands run,
    # and the test command is the script's last, so its exit code is the script's
    assert 'venv="$(mktemp -d' in steps[made - 2] and made < entered
    assert steps[-2:] == commands and entered < len(steps) - 2
    assert "pip install" not in " ".join(steps[:-2])  # nothing installed outside the README's
