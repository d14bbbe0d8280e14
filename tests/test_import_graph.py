"""lesson_utils's modules import downwards only, floor by floor (CONTRIBUTING.md)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "lesson_utils"

# CONTRIBUTING.md's table: a module imports (at module level) only from lower floors;
# the modules of one package (checks/, widgets/) may import each other, without a cycle.
FLOORS = {
    1: {
        "settings",
        "validation",
        "recipe",
        "idx",
        "tensorflow_import",
        "numpy_layers",
        "schedules",
        "progress",
        "pictures",
    },
    2: {"fast_layers", "measure", "keras_standins", "data", "plots", "architecture"},
    3: {"numpy_model", "augment"},
    4: {"model"},
    5: {"training"},
    6: {"widgets", "checks", "cli"},
}
FLOOR = {module: floor for floor, modules in FLOORS.items() for module in modules}


def module_level_imports() -> dict[str, set[str]]:
    """{"checks.nb5": {"checks.answers", "training", ...}, ...}, without 'lesson_utils.'."""
    graph = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(p for p in parts if p != "__init__") or "__init__"
        found = set()
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("lesson_utils"):
                if node.module == "lesson_utils":
                    found |= {alias.name for alias in node.names}
                else:
                    found.add(node.module.removeprefix("lesson_utils."))
            elif isinstance(node, ast.Import):
                found |= {
                    a.name.removeprefix("lesson_utils.")
                    for a in node.names
                    if a.name.startswith("lesson_utils.")
                }
        graph[name] = found - {name}
    return graph


def floor_of(module: str) -> int:
    top = module.split(".")[0]
    assert top in FLOOR or top in ("__init__", "__main__"), (
        f"lesson_utils.{module} is on no floor: add it to CONTRIBUTING.md's table and here"
    )
    return FLOOR.get(top, 99)


def test_every_module_is_on_a_floor_and_imports_downwards():
    upward = []
    for module, imported in module_level_imports().items():
        for other in imported:
            same_package = module.split(".")[0] == other.split(".")[0]
            if not same_package and floor_of(other) >= floor_of(module):
                upward.append(f"{module} (floor {floor_of(module)}) imports {other}")
    assert not upward, upward


def test_no_import_cycle():
    graph = module_level_imports()
    done, path = set(), []

    def visit(module):
        assert module not in path, "import cycle: " + " -> ".join([*path, module])
        if module in done:
            return
        path.append(module)
        for other in graph.get(module, ()):
            visit(other)
        path.pop()
        done.add(module)

    for module in graph:
        visit(module)


def test_the_check_sees_an_upward_import():
    """The graph reader finds what it must: model imports architecture, not training."""
    graph = module_level_imports()
    assert "architecture" in graph["model"] and "training" not in graph["model"]
    assert floor_of("training") > floor_of("model") > floor_of("numpy_model")
