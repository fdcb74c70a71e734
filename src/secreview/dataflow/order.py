"""The order to analyse files in: the files a file imports first (see linking.py).

A file analysed after the files it uses is told their function summaries and is final after one
analysis; one analysed before them (in an import cycle) may have to be analysed again. A file's own
summaries are computed with those of the files it imports that come before it, so the order must
not depend on the order the files were given in. The imports are found with a cheap scan of the
source text (no parse): module-level imports, in a multi-line ``from x import (...)`` or relative,
and those inside functions or conditional blocks. An import the scan misses (``importlib``) only
means the file is told less when its own summaries are computed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# An import statement at the start of a line (module level) or indented (in a function, a
# conditional or ``try`` block); group 1 is the indentation.
_IMPORT = re.compile(
    rb"^([ \t]*)(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]*(?:\(([^)]*)\)|([^#\n]*))|import[ \t]+([^#\n;]+))", re.MULTILINE)
_NAME = re.compile(rb"^[A-Za-z_]\w*$")


def imported_modules(data: bytes, module_name: str, is_package: bool) -> tuple[set[str], set[str]]:
    """Dotted names of the modules ``data`` may import -- at module level, and in indented blocks
    (functions, conditionals) -- with the names imported from them, which may be modules too."""
    module_level: set[str] = set()
    nested: set[str] = set()
    package = module_name if is_package else module_name.rpartition(".")[0]
    for match in _IMPORT.finditer(data):
        indent, source, grouped, names, plain = match.groups()
        found = nested if indent else module_level
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
    return module_level, nested


def _absolute(source: str, package: str) -> str:
    """``..base`` from inside ``pkg.sub`` is ``pkg.base``."""
    if not source.startswith("."):
        return source
    dots = len(source) - len(source.lstrip("."))
    anchor = package.split(".") if package else []
    anchor = anchor[: len(anchor) - (dots - 1)] if dots > 1 else anchor
    rest = source[dots:]
    return ".".join([*anchor, rest] if rest else anchor)


@dataclass(frozen=True)
class ImportScan:
    """What the order needs of a file's content: the modules it may import (at module level, and
    nested), and its size. Kept with the file's cached result, so an unchanged file is not read."""

    module_level: frozenset[str]
    nested: frozenset[str]
    size: int


def scan_imports(data: bytes, module_name: str, is_package: bool) -> ImportScan:
    module_level, nested = imported_modules(data, module_name, is_package)
    return ImportScan(frozenset(module_level), frozenset(nested), len(data))


def analysis_order(modules: list[tuple[str, bool, bytes | None]]) -> tuple[list[int], list[list[int]]]:
    """Indexes of the files (module name, is a package ``__init__``, content) in an order where
    each file comes after the files it imports; and for each file, the files it imports."""
    return order_of([name for name, _, _ in modules],
                    [scan_imports(data or b"", name, is_package) for name, is_package, data in modules])


def order_of(names: list[str], scans: list[ImportScan]) -> tuple[list[int], list[list[int]]]:
    """``analysis_order`` of the files of these module names, from their scans.

    Files that import each other (directly or not) are ordered among themselves by
    ``_break_cycle``; a file outside such a cycle always comes after everything it imports."""
    index_of = {name: i for i, name in enumerate(names) if name}

    def files(i: int, modules_named: frozenset[str]) -> list[int]:
        found = {index_of.get(module) for module in modules_named}
        return sorted(t for t in found if t is not None and t != i)

    strong = [files(i, scan.module_level) for i, scan in enumerate(scans)]
    weak = [files(i, scan.nested) for i, scan in enumerate(scans)]
    sizes = [scan.size for scan in scans]
    graph = [sorted({*a, *b}) for a, b in zip(strong, weak)]
    order: list[int] = []
    for component in components_dependencies_first(graph):
        order.extend(component if len(component) == 1 else _break_cycle(component, graph, strong, sizes, names))
    return order, graph


def components_dependencies_first(graph: list[list[int]]) -> list[list[int]]:
    """Tarjan's strongly connected components (iterative: import chains can be long), each
    emitted after the components it depends on."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    components: list[list[int]] = []
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
                components.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components


def _break_cycle(component: list[int], graph: list[list[int]], strong: list[list[int]], sizes: list[int],
                 names: list[str]) -> list[int]:
    """An order for files that import each other: each after the members it imports while that is
    possible; when only members waiting on each other remain, the smallest one whose module-level
    imports are placed goes next (the smallest of all if none): analysed before some of what it
    uses, it may have to be analysed again, and it is the cheapest to redo. Ties go by module
    name, so the order does not depend on the order the files were given in."""
    members = set(component)
    waiting = {node: {t for t in graph[node] if t in members} for node in component}
    waiting_strong = {node: {t for t in strong[node] if t in members} for node in component}
    users: dict[int, list[int]] = {node: [] for node in component}
    for node, targets in waiting.items():
        for target in targets:
            users[target].append(node)
    order: list[int] = []
    while waiting:
        ready = [node for node, targets in waiting.items() if not targets]
        if ready:
            node = min(ready, key=lambda n: (names[n], n))
        else:
            half_ready = [node for node in waiting if not waiting_strong[node]]
            node = min(half_ready or waiting, key=lambda n: (sizes[n], names[n], n))
        order.append(node)
        del waiting[node]
        for user in users[node]:
            if user in waiting:
                waiting[user].discard(node)
                waiting_strong[user].discard(node)
    return order
