"""The house's rules, checked from the code's own imports: every module imports only its own floor
or lower ones, there is no import circle, and no module is over 400 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {"stemwire": ROOT / "stemwire", "stemwire.flows": ROOT / "flows"}
FOLDERS |= {"stemwire.extractors": ROOT / "extractors", "stemwire.schemas": ROOT / "schemas"}
MAX_LINES = 400

# From the bottom up: a module may import modules of its own floor and of the floors below it.
FLOORS = [
    ["stemwire.schemas"],
    ["stemwire.extractors"],
    ["stemwire.extractors.components", "stemwire.extractors.pipeline", "stemwire.extractors.article"],
    ["stemwire.api", "stemwire"],
    [
        "stemwire.flows.environment",
        "stemwire.flows.api_server",
        "stemwire.flows.progress",
        "stemwire.flows.output",
        "stemwire.flows.deadline",
        "stemwire.flows.leftovers",
    ],
    ["stemwire.flows.publish"],
    ["stemwire.flows.store"],
    [
        "stemwire.flows.outcome",
        "stemwire.flows.batch",
        "stemwire.flows.batch_task",
        "stemwire.flows.worker_pool",
        "stemwire.flows.worker_server_preload",
        "stemwire.flows.finalize",
        "stemwire.flows.summary",
        "stemwire.flows.summary_report",
        "stemwire.flows.prefect_reporting",
    ],
    ["stemwire.flows.run_flow", "stemwire.flows.serve", "stemwire.flows.watch", "stemwire.flows.extract"],
    ["stemwire.flows.quality"],
    [
        "stemwire.flows.cli",
        "stemwire.flows.cli_errors",
        "stemwire.flows.cli_run",
        "stemwire.flows.cli_summary",
        "stemwire.flows.cli_reference",
        "stemwire.flows",
    ],
]


def _modules() -> dict[str, Path]:
    found = {}
    for package, folder in FOLDERS.items():
        for path in folder.rglob("*.py"):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join([package, *parts])] = path
    return found


def floor(module: str) -> int:
    """The floor of the longest prefix that names the module (its package or itself)."""
    best = (-1, -1)
    for level, prefixes in enumerate(FLOORS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best[0]:
                best = (len(prefix), level)
    assert best[1] >= 0, f"{module} is on no floor: add it to FLOORS"
    return best[1]


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = [f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in modules]
            names = submodules or [node.module]  # `from package import module` imports the module
        found |= {n for n in names if n in modules}
    return found


MODULES = _modules()
GRAPH = {name: _imports(path, MODULES) - {name} for name, path in MODULES.items()}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_runs_up_a_floor(module: str) -> None:
    upward = [m for m in GRAPH[module] if floor(m) > floor(module)]
    assert not upward, f"{module} (floor {floor(module)}) imports {upward} from above"


def test_no_import_circle() -> None:
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for dep in sorted(GRAPH[name]):
            if state.get(dep) == 1:
                pytest.fail("import circle: " + " -> ".join([*trail[trail.index(dep) :], dep]))
            if dep not in state:
                visit(dep, [*trail, dep])
        state[name] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_over_the_limit(module: str) -> None:
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{MODULES[module]} has {lines} lines"
