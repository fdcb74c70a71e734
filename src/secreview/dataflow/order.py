"""The order to analyse files in: the files a file imports first (see linking.py).

A file analysed after the files it uses is told their function summaries and is final after one
analysis; one analysed before them may have to be analysed again. The order only affects speed,
never results, so the imports are found with a cheap scan of the source text (no parse): module-level
imports, in a multi-line ``from x import (...)`` or relative, count; one that is missed (inside a
function, a conditional import) only costs a second analysis.
"""
from __future__ import annotations

import re

# Module-level imports only (at the start of a line): Python runs them in order, so they rarely form
# cycles; imports inside functions are how modules break cycles, and following them would put
# most of a large package in one cycle (analysed in input order, often before what it uses).
_IMPORT = re.compile(
    rb"^(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]*(?:\(([^)]*)\)|([^#\n]*))|import[ \t]+([^#\n;]+))", re.MULTILINE)
_NAME = re.compile(rb"^[A-Za-z_]\w*$")


def imported_modules(data: bytes, module_name: str, is_package: bool) -> set[str]:
    """Dotted names of the modules ``data`` may import (and of names imported from them, which
    may be modules too)."""
    found: set[str] = set()
    package = module_name if is_package else module_name.rpartition(".")[0]
    for match in _IMPORT.finditer(data):
        source, grouped, names, plain = match.groups()
        if plain is not None:
            for part in plain.split(b","):
                name = part.strip().split(b" ")[0]
                if name:
                    found.add(name.decode("ascii", "replace"))
            continue
        base = _absolute(source.decode("ascii", "replace"), package)
        if not base:
            continue
        found.add(base)
        for line in (grouped if grouped is not None else names).splitlines():
            for part in line.split(b"#")[0].split(b","):
                name = part.strip().split(b" ")[0]
                if _NAME.match(name):
                    found.add(f"{base}.{name.decode()}")
    return found


def _absolute(source: str, package: str) -> str:
    """``..base`` from inside ``pkg.sub`` is ``pkg.base``."""
    if not source.startswith("."):
        return source
    dots = len(source) - len(source.lstrip("."))
    anchor = package.split(".") if package else []
    anchor = anchor[: len(anchor) - (dots - 1)] if dots > 1 else anchor
    rest = source[dots:]
    return ".".join([*anchor, rest] if rest else anchor)


def analysis_order(modules: list[tuple[str, bool, bytes | None]]) -> tuple[list[int], list[list[int]]]:
    """Indexes of the files (module name, is a package ``__init__``, content) in an order where
    each file comes after the files it imports, except inside import cycles (input order there);
    and for each file, the files it imports."""
    index_of = {name: i for i, (name, _, _) in enumerate(modules) if name}
    graph: list[list[int]] = []
    for i, (name, is_package, data) in enumerate(modules):
        targets: set[int] = set()
        if data:
            for module in imported_modules(data, name, is_package):
                # ``import a.b.c`` also runs a/__init__ and a/b/__init__: their summaries matter less;
                # only the named module (or the module a name was imported from) is a dependency.
                target = index_of.get(module)
                if target is not None and target != i:
                    targets.add(target)
        graph.append(sorted(targets))
    return _dependencies_first(graph), graph


def _dependencies_first(graph: list[list[int]]) -> list[int]:
    """Tarjan's strongly connected components (iterative: import chains can be long), emitted
    dependencies first; members of a component in input order."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    order: list[int] = []
    counter = 0
    for root in range(len(graph)):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = graph[node]
            if child < len(targets):
                work.append((node, child + 1))
                target = targets[child]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                order.extend(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return order
