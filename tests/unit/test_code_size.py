"""Modules under ~300 lines, functions under ~30 (the project's brief): every production module
and function of shared/, services/ and contracts/ stays within them."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULE_LINES, FUNCTION_LINES = 300, 30


def production_modules() -> list[Path]:
    return sorted(p for part in ("shared", "services", "contracts") for p in (ROOT / part).rglob("*.py"))


def test_no_production_module_is_over_300_lines():
    long = [f"{p.relative_to(ROOT)}: {n}" for p in production_modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MODULE_LINES]
    assert long == []


def test_no_production_function_is_over_30_lines():
    long = []
    for path in production_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {length}")
    assert long == []
