"""The code's shape (CONVENTIONS.md, Structure): a module over ~400 lines or a function over ~60
is asking to be split. Every module of the kernel and the three parts is measured; the few
exceptions below are named with the reason they stand, and an exception that no longer needs to
stand fails too, so the list only shrinks."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("netkb", "collector", "generator", "lab")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

# "path" for a module, "path:function" for a function (methods by their own name), each with the
# reason it must stay over its limit. Empty: every module and function is within them.
ALLOWED: dict[str, str] = {}


def _oversized(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> dict[str, str]:
    """Every module and function over its limit: name -> what it measures."""
    found: dict[str, str] = {}
    for path in sorted(p for package in packages for p in (root / package).rglob("*.py")):
        name = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES:
            found[name] = f"{lines} lines (at most {MAX_MODULE_LINES})"
        for node in ast.walk(ast.parse(text, filename=name)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found[f"{name}:{node.name}"] = (
                        f"line {node.lineno}, {length} lines (at most {MAX_FUNCTION_LINES})"
                    )
    return found


def test_modules_and_functions_stay_small() -> None:
    oversized = _oversized()
    new = {name: size for name, size in oversized.items() if name not in ALLOWED}
    assert not new, (
        "split these by what they do (one job per module, named steps per function):\n"
        + "\n".join(f"  {name}: {size}" for name, size in sorted(new.items()))
    )


def test_every_exception_still_needs_to_stand() -> None:
    oversized = _oversized()
    stale = sorted(name for name in ALLOWED if name not in oversized)
    assert not stale, "within the limits now: remove from ALLOWED in tests/test_code_shape.py: " + ", ".join(
        stale
    )


def test_the_measure_finds_long_functions_and_modules(tmp_path: Path) -> None:
    """Nested and async functions count, each on its own; a module counts its lines."""
    body = "".join(f"        x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES - 1))
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "sub" / "long.py").write_text(
        f"class C:\n    async def fits(self) -> None:\n{body}\n"
        f"    def grows(self) -> None:\n{body}        y = 1\n"
    )
    (tmp_path / "pkg" / "big.py").write_text("x = 1\n" * (MAX_MODULE_LINES + 1))
    (tmp_path / "pkg" / "ok.py").write_text("x = 1\n" * MAX_MODULE_LINES)
    grows = f"line {MAX_FUNCTION_LINES + 3}, {MAX_FUNCTION_LINES + 1} lines (at most {MAX_FUNCTION_LINES})"
    assert _oversized(tmp_path, ("pkg",)) == {
        "pkg/big.py": f"{MAX_MODULE_LINES + 1} lines (at most {MAX_MODULE_LINES})",
        "pkg/sub/long.py:grows": grows,
    }
