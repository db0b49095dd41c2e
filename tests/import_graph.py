"""Checks the direction of imports between the project's apps (docs/architecture.md).

Every app sits in a layer; it may import apps of the layers below its own, never one of
its own layer or above (so no two apps import each other, and no cycle between apps can
form). Imports inside functions count like any other. Run as `python -m tests.import_graph`
(part of `make lint`); tests/test_import_graph.py runs the same check in the suite and
shows that it fails on a cycle and on an import against the layers.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "cms", "frontend", "participation", "cooperative")

# Bottom first. An app (a package below participation/ or cooperative/, a module directly
# in cooperative/, or a top-level package) imports only apps of lower layers.
LAYERS: tuple[tuple[str, ...], ...] = (
    # cooperative/: shared helpers that import no project code, then its apps in order
    (
        "cooperative.names",
        "cooperative.slugs",
        "cooperative.sql",
        "cooperative.network",
        "cooperative.exports",
        "cooperative.permissions",
    ),
    ("cooperative.organisations",),
    ("cooperative.accounts",),
    ("cooperative.audit",),
    ("cooperative.membership",),
    ("cooperative.governance",),
    ("cooperative.mandates",),
    ("cooperative.urls",),
    # presentation only: templates, static files, StreamField blocks, template tags
    ("frontend",),
    # participation/: top reads bottom (../shared/DESIGN.md)
    ("participation.live",),
    ("participation.consultations",),
    ("participation.notifications", "participation.offload"),
    ("participation.gate", "participation.contributions"),
    ("participation.comments", "participation.polls", "participation.proposals"),
    ("participation.moderation", "participation.results"),
    ("participation.guard",),
    ("participation.api",),
    ("cms",),
    ("config",),
)


def app_of(module: str) -> str | None:
    """The app a module belongs to; None outside the project."""
    parts = module.split(".")
    if parts[0] not in PACKAGES:
        return None
    if parts[0] in ("participation", "cooperative"):
        return ".".join(parts[:2]) if len(parts) > 1 else parts[0]
    return parts[0]


@dataclass(frozen=True)
class Edge:
    source: str  # app
    target: str  # app
    where: str  # path:line
    in_function: bool


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str, root: Path) -> bool:
    base = root.joinpath(*name.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def _imported(node: ast.Import | ast.ImportFrom, root: Path) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
        return
    if node.level or not node.module:
        return
    for alias in node.names:
        # `from cooperative import network` imports the module cooperative.network.
        submodule = f"{node.module}.{alias.name}"
        yield submodule if _is_module(submodule, root) else node.module


def source_files(root: Path) -> Iterator[Path]:
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def edges(root: Path = ROOT, files: Iterable[Path] | None = None) -> list[Edge]:
    found = []
    for path in files if files is not None else source_files(root):
        source = app_of(_module_name(path, root))
        if source is None:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, in_function in _imports(tree):
            for name in _imported(node, root):
                target = app_of(name)
                if target is not None and target != source:
                    where = f"{path.relative_to(root)}:{node.lineno}"
                    found.append(Edge(source, target, where, in_function))
    return found


def _imports(tree: ast.AST, in_function: bool = False):
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, in_function
        inner = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        yield from _imports(node, inner)


def layer_of(app: str) -> int | None:
    for number, layer in enumerate(LAYERS):
        if app in layer:
            return number
    return None


def problems(found: list[Edge]) -> list[str]:
    messages = []
    apps = {edge.source for edge in found} | {edge.target for edge in found}
    for app in sorted(apps):
        if layer_of(app) is None:
            messages.append(f"{app}: in no layer of tests/import_graph.py (add it where it sits)")
    for edge in found:
        source, target = layer_of(edge.source), layer_of(edge.target)
        if source is None or target is None or target < source:
            continue
        relation = "its own layer" if target == source else "a layer above it"
        messages.append(f"{edge.where}: {edge.source} imports {edge.target}, an app of {relation}")
    for cycle in cycles(found):
        messages.append("import cycle between apps: " + " -> ".join([*cycle, cycle[0]]))
    return messages


def cycles(found: list[Edge]) -> list[list[str]]:
    """Every cycle between apps, each once (found from its smallest app)."""
    graph: dict[str, set[str]] = {}
    for edge in found:
        graph.setdefault(edge.source, set()).add(edge.target)
    result = []
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack:
            app, path = stack.pop()
            for target in sorted(graph.get(app, ())):
                if target == start:
                    result.append(path)
                elif target > start and target not in path:
                    stack.append((target, [*path, target]))
    return result


def function_level_count(found: list[Edge]) -> int:
    return sum(1 for edge in found if edge.in_function)


def main() -> int:
    found = edges()
    messages = problems(found)
    for message in messages:
        print(f"imports: {message}")
    if messages:
        return 1
    print(
        f"imports: {len({(e.source, e.target) for e in found})} dependencies between apps, "
        f"all downwards; {function_level_count(found)} imports of other apps inside functions"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
