"""The package's shape: no import cycles, and no stage imports a later stage.

Every ``import`` in ``cleaner/`` counts, those inside functions too (a lazy import still ties two
modules together). The stages are ranked as in the pipeline (DESIGN.md); a module may import its
own layer and earlier ones only. ``render`` comes after the pipeline and ``check`` (it writes
findings too), and the command line, its config and its file handling sit on top of everything.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "cleaner"

# Earliest first. A module's layer is that of the longest prefix listed here.
LAYERS = [
    ("core", ["cleaner.model", "cleaner.errors", "cleaner.edits", "cleaner.collector"]),
    ("words", ["cleaner.words"]),
    ("read", ["cleaner.read"]),
    ("correct", ["cleaner.correct"]),
    ("punctuate", ["cleaner.punctuate"]),
    ("tidy", ["cleaner.tidy"]),
    ("segment", ["cleaner.segment"]),
    ("attribute", ["cleaner.attribute"]),
    ("learn", ["cleaner.learn"]),
    ("pipeline", ["cleaner.pipeline", "cleaner.restore"]),
    ("check", ["cleaner.check"]),
    ("render", ["cleaner.render"]),
    ("app", ["cleaner", "cleaner.__main__", "cleaner.cli", "cleaner.config", "cleaner.files",
             "cleaner.commands"]),
]


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The cleaner modules this module imports (a name imported from the package root for its
    ``__version__`` alone is not counted: the root sets it before importing anything)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "cleaner")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.split(".")[0] == "cleaner":
                target = node.module
            else:
                continue
            names = [alias.name for alias in node.names]
            found.update(f"{target}.{n}" for n in names if f"{target}.{n}" in modules)
            # ``from . import model`` reads ``model`` off the package, which must be (partly)
            # imported first: the importing module depends on the package, submodule or not.
            if not (target == "cleaner" and names == ["__version__"]):
                found.add(target)
    return {module for module in found if module in modules and module != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _layer(module: str) -> int:
    best, rank = -1, None
    for number, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), number
    assert rank is not None, f"{module} is in no layer: add it to LAYERS in {__file__}"
    return rank


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_no_stage_imports_a_later_stage():
    wrong = [
        f"{module} ({LAYERS[_layer(module)][0]}) imports {other} ({LAYERS[_layer(other)][0]})"
        for module, imported in sorted(_graph().items())
        for other in sorted(imported)
        if _layer(other) > _layer(module)
    ]
    assert wrong == []


def test_every_module_has_a_layer():
    for module in _modules():
        _layer(module)


def test_the_checks_see_a_cycle_and_a_backward_import():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _layer("cleaner.read.srt") < _layer("cleaner.correct.packs") < _layer("cleaner.render.md")


# Inside attribution, the stages in order; the modules every stage reads (setting, cues, the
# cast, names in text, overrides, learned weights) and the scoring sit outside this order.
ATTRIBUTE_STAGES = ["cleaner.attribute.turns", "cleaner.attribute.voices",
                    "cleaner.attribute.names", "cleaner.attribute.stages"]


def _stage(module: str) -> int | None:
    for number, prefix in enumerate(ATTRIBUTE_STAGES):
        if module == prefix or module.startswith(prefix + "."):
            return number
    return None


def test_attribution_reads_as_turns_voices_names():
    """No attribution stage imports a later one, and the package's ``__init__`` only
    re-exports (the orchestration is ``stages.py``)."""
    for folder in ("turns", "voices", "names"):
        assert (PACKAGE / "attribute" / folder / "__init__.py").is_file()
    wrong = [f"{module} imports {other}"
             for module, imported in sorted(_graph().items()) if _stage(module) is not None
             for other in sorted(imported)
             if _stage(other) is not None and _stage(other) > _stage(module)]
    assert wrong == []
    tree = ast.parse((PACKAGE / "attribute" / "__init__.py").read_text(encoding="utf-8"))
    assert not [node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))]
