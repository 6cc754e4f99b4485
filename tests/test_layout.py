"""The layout of the code: one home per capability, pure domain code, dependencies one way.

These read the source, not the running app: a newcomer's map (README "Layout") stays true only
while nothing drifts from it.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bop import create_app

ROOT = Path(__file__).resolve().parent.parent
BOP = ROOT / "bop"
MODULES = sorted(p for p in BOP.rglob("*.py") if "translations" not in p.parts)

# Pure domain code: plain values in, plain values out; no Flask, no database session.
PURE = [
    "bop/clock.py", "bop/paths.py", "bop/planning/schedule.py", "bop/planning/ical.py",
    "bop/planning/prices.py", "bop/planning/recurrence.py", "bop/visitors/codes.py",
    "bop/insight/periods.py", "bop/insight/stats.py", "bop/insight/suppress.py", "bop/insight/contact.py",
    "bop/insight/chart.py", "bop/insight/funder.py", "bop/insight/exports.py", "bop/insight/ladder.py",
    "bop/insight/roundsheet.py",
    *sorted(str(p.relative_to(ROOT)) for p in (BOP / "printing").glob("*.py")),
    *sorted(str(p.relative_to(ROOT)) for p in (BOP / "flyers" / "layout").glob("*.py")),
]
IMPURE_ROOTS = {"flask", "flask_babel", "flask_login", "flask_wtf", "flask_sqlalchemy", "werkzeug", "sqlalchemy"}

# What each capability may not import (a dependency points one way only).
FORBIDDEN = {
    "accounts": {"planning", "visitors", "checkin", "flyers", "insight"},
    "planning": {"visitors", "checkin", "flyers", "insight"},
    "printing": {"accounts", "planning", "visitors", "checkin", "flyers", "site", "extensions", "insight"},
    "visitors": {"checkin", "flyers", "insight"},
    "checkin": {"flyers", "insight"},
    "flyers": {"checkin", "visitors", "insight"},
    "site": {"insight"},
    # What the visits tell reads everything (accounts, planning, visitors, checkin, printing, site);
    # nothing reads it back.
    "insight": {"flyers"},
    "privacy": {"planning", "visitors", "checkin", "flyers", "insight"},  # reads only the locations and their contacts
}
# A visitor's page, export and erasure are about their visits: the visitor pages read the check-in
# *tables*, and nothing else of check-in.
ALLOWED_CROSSING = {("visitors", "bop.checkin.models")}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    """Absolute names of the modules `path` imports (TYPE_CHECKING blocks left out)."""
    tree = ast.parse(path.read_text())
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rsplit(".", 1)[0]
    found: set[str] = set()

    def visit(node: ast.AST, depth: int) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if top_level_only and isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - child.level + 1]
                    module = ".".join(base + ([child.module] if child.module else []))
                else:
                    module = child.module or ""
                found.add(module)
                # `from . import schedule` imports a module, not a name
                found.update(f"{module}.{alias.name}" for alias in child.names
                             if (ROOT / (f"{module}.{alias.name}".replace(".", "/") + ".py")).exists()
                             or (ROOT / f"{module}.{alias.name}".replace(".", "/") / "__init__.py").exists())
            visit(child, depth + 1)

    visit(tree, 0)
    return found


@pytest.mark.parametrize("path", PURE)
def test_pure_modules_have_no_flask_and_no_database(path):
    modules = imports(ROOT / path)
    assert not {m for m in modules if m.split(".")[0] in IMPURE_ROOTS}
    own = {m for m in modules if m.startswith("bop")}
    assert "bop.extensions" not in own
    # whatever of BOP it uses must be pure too (packages' __init__ only re-export)
    impure = {m for m in own if f"{m.replace('.', '/')}.py" not in PURE
              and f"{m.replace('.', '/')}/__init__.py" not in PURE and m not in {"bop.flyers.layout", "bop.printing"}}
    assert not impure


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_over_400_lines(path):
    assert len(path.read_text().splitlines()) <= 400


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_dependencies_point_one_way(package):
    wrong = []
    for path in (BOP / package).rglob("*.py"):
        for module in imports(path):
            parts = module.split(".")
            if (parts[0] == "bop" and len(parts) > 1 and parts[1] in FORBIDDEN[package]
                    and (package, module) not in ALLOWED_CROSSING):
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not wrong


def test_no_import_cycles():
    graph = {module_name(p): {m for m in imports(p, top_level_only=True) if m.startswith("bop.")} for p in MODULES}
    # importing bop.x.y runs bop/x/__init__ first: an edge to the package too
    for module, targets in graph.items():
        targets |= {t.rsplit(".", 1)[0] for t in list(targets) if t.rsplit(".", 1)[0] in graph}
        targets.discard(module)
    seen: dict[str, int] = {}
    cycles = []

    def walk(node: str, stack: list[str]) -> None:
        seen[node] = 1
        for target in sorted(graph.get(node, ())):
            if seen.get(target) == 1 and not node.startswith(target + "."):
                cycles.append(" -> ".join(stack[stack.index(target):] + [target]) if target in stack else target)
            elif target not in seen:
                walk(target, stack + [target])
        seen[node] = 2

    for module in sorted(graph):
        if module not in seen:
            walk(module, [module])
    assert not cycles


def _normalised(rule: str) -> str:
    """Paths compared without converter names: `<int:id>` and `<id:id>` are the same address."""
    return re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", r"<\1>", rule)


def test_every_url_of_before_the_move_still_answers():
    """Printed QR codes and bookmarks point at these: paths and methods stay (names may change)."""
    app = create_app({"TESTING": True, "AUTO_MIGRATE": False, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "SECRET_KEY": "test"})
    now = {(_normalised(rule.rule), method) for rule in app.url_map.iter_rules()
           for method in rule.methods - {"HEAD", "OPTIONS"}}
    before = set()
    for line in (ROOT / "tests" / "data" / "url_rules.txt").read_text().splitlines():
        *methods, rule = line.split()
        before |= {(_normalised(rule), method) for method in methods}
    assert len(before) == 79
    assert before <= now, sorted(before - now)


def test_no_private_attributes_of_other_objects():
    """Only public APIs of the libraries (reportlab's `Canvas._code` was one): `x._name` only on self/cls."""
    private = []
    # dateutil's rrule keeps the parts it was built from (FREQ, INTERVAL, BYDAY, ...) only as
    # underscore attributes, with no public accessor; recurrence.py reads them to restart a rule
    # near a window. They have kept their names since dateutil 2.0; the property tests in
    # test_recurrence_window.py would notice a change.
    allowed = {"bop/planning/recurrence.py"}
    for path in MODULES:
        if str(path.relative_to(ROOT)) in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                    and not (isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"})):
                private.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
    assert not private
