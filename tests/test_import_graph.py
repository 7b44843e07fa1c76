"""The layout keeps its promise: the kernel (netkb/) is the ground floor, collector/ and
generator/ meet only through it, the command line sits on top, and no two modules import each
other, even through others (lazy imports inside functions count: they are a dependency too)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Folder -> its name in the netkb namespace (netkb/__init__.py, pyproject.toml package-dir).
FOLDERS = {
    "netkb": "netkb",
    "collector": "netkb.collector",
    "generator": "netkb.generator",
    "lab": "netkb.lab",
}
PARTS = ("netkb.collector", "netkb.generator", "netkb.lab")


def modules() -> dict[str, Path]:
    found = {}
    for folder, name in FOLDERS.items():
        for path in (ROOT / folder).rglob("*.py"):
            relative = path.relative_to(ROOT / folder).with_suffix("").parts
            dotted = ".".join((name, *relative)).removesuffix(".__init__")
            found[dotted] = path
    return found


def imports(path: Path, module: str, known: set[str]) -> set[str]:
    """The netkb modules `path` imports, anywhere in it (a `from package import name` counts
    as the submodule when there is one)."""
    out = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1], base]
                ).strip(".")
            for alias in node.names:
                out.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {m for m in out if m in known and m != module}


def graph() -> dict[str, set[str]]:
    found = modules()
    return {m: imports(p, m, set(found)) for m, p in found.items()}


def part_of(module: str) -> str:
    if module == "netkb.cli":
        return "cli"
    return next((p for p in PARTS if module == p or module.startswith(p + ".")), "kernel")


def test_no_module_imports_one_that_imports_it_back() -> None:
    edges = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    assert cycles == []


def test_the_kernel_depends_on_no_part_and_the_parts_meet_only_through_it() -> None:
    wrong = []
    for module, targets in graph().items():
        mine = part_of(module)
        for target in targets:
            theirs = part_of(target)
            if theirs == "cli" and mine != "cli":
                wrong.append(f"{module} -> {target} (only the command line imports the command line)")
            elif mine == "kernel" and theirs != "kernel":
                wrong.append(f"{module} -> {target} (the kernel depends on no part)")
            elif {mine, theirs} == {"netkb.collector", "netkb.generator"}:
                wrong.append(f"{module} -> {target} (collector and generator meet through the kernel)")
            elif mine in ("netkb.collector", "netkb.generator") and theirs == "netkb.lab":
                wrong.append(
                    f"{module} -> {target} (the lab is a device simulator: nothing but tests needs it)"
                )
    assert wrong == []


def test_the_graph_sees_the_imports() -> None:
    edges = graph()
    assert "netkb.collector.redact" in edges["netkb.collector.snapshot"]
    assert "netkb.markers" in edges["netkb.generator.pages.devices"]
    assert (
        "netkb.inspection.checks_ospf" in edges["netkb.inspection.checklist"]
    )  # `from netkb.inspection import x`
