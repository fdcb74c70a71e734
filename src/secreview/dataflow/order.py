"""The order to analyse files in: the files a file imports first (see linking.py).

A file analysed after the files it uses is told their function summaries and is final after one
analysis; one analysed before them may have to be analysed again. The order only affects speed,
never results, so the imports are found with a cheap scan of the source text (no parse): module-level
imports, in a multi-line ``from x import (...)`` or relative, count; one that is missed (inside a
function, a conditional import) only costs a second analysis.
"""
from __future__ import annotations

import re

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


def analysis_order(modules: list[tuple[str, bool, bytes | None]]) -> tuple[list[int], list[list[int]]]:
    """Indexes of the files (module name, is a package ``__init__``, content) in an order where
    each file comes after the files it imports; and for each file, the files it imports.

    Imports inside functions (or indented blocks) are how modules break import cycles: when only
    files waiting on each other remain, the next one is, among those whose module-level imports
    are all analysed, the smallest (it may have to be analysed again: the cheapest to redo)."""
    index_of = {name: i for i, (name, _, _) in enumerate(modules) if name}

    def files(i: int, modules_named: set[str]) -> list[int]:
        found = {index_of.get(module) for module in modules_named}
        return sorted(t for t in found if t is not None and t != i)

    strong: list[list[int]] = []
    weak: list[list[int]] = []
    for i, (name, is_package, data) in enumerate(modules):
        module_level, nested = imported_modules(data or b"", name, is_package)
        strong.append(files(i, module_level))
        weak.append(files(i, nested))
    sizes = [len(data or b"") for _, _, data in modules]
    graph = [sorted({*a, *b}) for a, b in zip(strong, weak)]
    return _dependencies_first(graph, strong, sizes), graph


def _dependencies_first(graph: list[list[int]], strong: list[list[int]], sizes: list[int]) -> list[int]:
    """Kahn's topological order (input order among the ready files); when only files waiting on
    each other remain, the smallest one whose ``strong`` dependencies are placed goes next (the
    smallest of all if there is none)."""
    import heapq

    waiting = [len(targets) for targets in graph]
    waiting_strong = [len(targets) for targets in strong]
    users: list[list[int]] = [[] for _ in graph]
    strong_users: list[list[int]] = [[] for _ in graph]
    for node, targets in enumerate(graph):
        for target in targets:
            users[target].append(node)
    for node, targets in enumerate(strong):
        for target in targets:
            strong_users[target].append(node)
    ready = [node for node, count in enumerate(waiting) if count == 0]
    heapq.heapify(ready)
    half_ready = [(sizes[node], node) for node, count in enumerate(waiting_strong) if count == 0 and waiting[node]]
    heapq.heapify(half_ready)
    smallest = [(size, node) for node, size in enumerate(sizes)]  # the last resort: in a module-level cycle
    heapq.heapify(smallest)
    placed = [False] * len(graph)
    order: list[int] = []
    while len(order) < len(graph):
        node = None
        while node is None and ready:
            candidate = heapq.heappop(ready)
            node = None if placed[candidate] else candidate
        while node is None and half_ready:
            candidate = heapq.heappop(half_ready)[1]
            node = None if placed[candidate] else candidate
        while node is None:
            candidate = heapq.heappop(smallest)[1]
            node = None if placed[candidate] else candidate
        placed[node] = True
        order.append(node)
        for user in users[node]:
            waiting[user] -= 1
            if waiting[user] == 0 and not placed[user]:
                heapq.heappush(ready, user)
        for user in strong_users[node]:
            waiting_strong[user] -= 1
            if waiting_strong[user] == 0 and waiting[user] and not placed[user]:
                heapq.heappush(half_ready, (sizes[user], user))
    return order
