"""No import circles in the package: a module never depends on itself through others, nor a
package (or top-level module) on itself through other packages. Every import counts:
at module level, inside functions and under `if TYPE_CHECKING:`; a circle hidden in a
function-level import is a circle all the same (the order of a package's parts is then
something a reader cannot see from its names)."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "aligner"


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Dotted name of every module of the package -> its file."""
    out = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the modules of the package it imports. `from p import x` imports the module
    p.x when there is one, else p itself; a package's parents are not counted (importing
    a.b.c runs a/__init__.py first, but that is not a dependency of the importer)."""
    mods = modules(package)
    graph: dict[str, set[str]] = {name: set() for name in mods}
    for name, path in mods.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                graph[name] |= {alias.name for alias in node.names if alias.name in mods}
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: from the package `level` - 1 above this one
                    base = here.split(".")[: len(here.split(".")) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                if source in mods:
                    for alias in node.names:
                        sub = f"{source}.{alias.name}"
                        graph[name].add(sub if sub in mods else source)
    return graph


def unit(module: str) -> str:
    """What a module belongs to at package level: its subpackage ('aligner.scoring'), or
    itself for a top-level module ('aligner.pipeline') and the root ('aligner')."""
    return ".".join(module.split(".")[:2])


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for a, targets in graph.items():
        out.setdefault(unit(a), set()).update(unit(b) for b in targets if unit(b) != unit(a))
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph.get(v, ()):
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_module_imports_itself_through_others():
    assert cycles(import_graph()) == []


def test_no_package_imports_itself_through_others():
    assert cycles(package_graph(import_graph())) == []


def test_the_checks_see_a_circle_hidden_in_a_function(tmp_path):
    """The graph counts an import inside a function and one under TYPE_CHECKING, and a
    circle through two packages."""
    pkg = tmp_path / "aligner"
    for folder in ("a", "b"):
        (pkg / folder).mkdir(parents=True)
        (pkg / folder / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "a" / "x.py").write_text("def f():\n    from aligner.b.y import g\n")
    (pkg / "b" / "y.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from aligner.a import z\n")
    (pkg / "a" / "z.py").write_text("from . import x\n")
    graph = import_graph(pkg)
    assert graph["aligner.a.x"] == {"aligner.b.y"} and graph["aligner.a.z"] == {"aligner.a.x"}
    assert cycles(graph) == [["aligner.a.x", "aligner.a.z", "aligner.b.y"]]
    assert cycles(package_graph(graph)) == [["aligner.a", "aligner.b"]]
