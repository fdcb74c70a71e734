"""Linking files: the project's function summaries, and what a file's analysis depended on.

A review analyses the files in dependency order (order.py: the files a file imports first). A
file's *own* summaries (``FileFlow.local_summaries``, what its callers are told) come from an
analysis told the own summaries of the files it imports, directly or not, that come before it
in that order: its *visible* files. So a helper returning what a helper of another module
returns is known to return it, along any chain of imports; only along an import cycle is a file
told less. Every file's summaries are computed once and are final: they depend on its content and
on its visible files alone, whatever the number of jobs or the order the files were given in.

A file's *review* is its analysis told every file's own summaries (its own too: a function
defined further down). The first analysis is usually that already; when the summaries known after
it answer one of its questions differently, the file is analysed again on the same tree (see
FileFlow's replay); and once every file's summaries are known, a file whose answers would still
differ (told nothing of a file of its import cycle) is analysed again. Each analysis records which
names it asked for and what it was told (``Dependencies``), which is also how a cached result is
known to be still valid.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from sys import intern
from typing import Iterator, Mapping

from secreview.cache import Packed
from secreview.dataflow.analyzer import FunctionSummary
from secreview.dataflow.routes import Conversions, answer
from secreview.dataflow.values import Proven

# Who answered a name: the path of the file that defines it and the version of that file's own
# summaries (their digest when results are cached, else ""), or None for "not the project's".
Answer = tuple[str, str] | None


class _Stored:
    """A summary still packed in a cached file's entry (see ``summaries_index``): what a table
    asks of every summary (is it a method's, what a quiet call is told of it) without decoding
    it; ``summary()`` decodes the file's summaries when an analysis looks one up."""

    __slots__ = ("packed", "name", "is_method", "returns_data")

    def __init__(self, packed: Packed, name: str, is_method: bool, returns_data: int) -> None:
        self.packed, self.name, self.is_method, self.returns_data = packed, name, is_method, returns_data

    def summary(self) -> FunctionSummary:
        return self.packed.value()[self.name]


IS_METHOD, RETURNS_DATA, RETURNS_PROOF = 1, 2, 4  # the flags of a summary in ``summaries_index``
_PROOF_SHIFT = 3  # (above the flags: which CWEs the proof is for, see ``quiet_key``)
GUARDS = 1 << 35  # (above the proof's hash: the function checks parameters, and a hash of which and for what)
_GUARDS_SHIFT = 36


def summaries_index(summaries: dict[str, FunctionSummary]) -> dict[str, int]:
    """What a table needs of a file's summaries before an analysis looks one up (see _Stored):
    flags and the quiet key (an int: every file's index is kept for the whole review)."""
    return {name: (IS_METHOD if summary.is_method else 0) | quiet_key(summary) for name, summary in summaries.items()}


def quiet_key(summary: FunctionSummary) -> int:
    """What a call nothing untrusted flows into is told of the function (see
    dataflow.SummaryTable), as a number: 0, nothing; RETURNS_DATA, it returns untrusted data of
    its own (a source inside it); RETURNS_PROOF and a hash of the CWEs, its return value is
    proven safe for them on every path (``return int(raw)``: whatever it was given); GUARDS and a
    hash of its ``guards`` (and ``checks``), it checks parameters (an argument of unknown origin
    is proven after the call, or where the call is true)."""
    returns = summary.returns
    key = RETURNS_DATA if any(origin.param is None for origin in returns.whole().origins) else 0
    if returns.__class__ is Proven:  # (a hash of ints is the same in every process)
        key |= RETURNS_PROOF | (hash(tuple(sorted(returns.cwes))) & 0xFFFFFFFF) << _PROOF_SHIFT
    if summary.guards or summary.checks or summary.first_checks:
        proofs = _hashable_proofs(summary.guards)
        if summary.checks:
            proofs = (proofs, _hashable_proofs(summary.checks))
        if summary.first_checks:
            proofs = (proofs, -1, _hashable_proofs(summary.first_checks))  # (-1: not a checks tuple; ints hash alike everywhere)
        key |= GUARDS | (hash(proofs) & 0xFFFFFFFF) << _GUARDS_SHIFT
    return key


def _hashable_proofs(proofs: tuple[tuple[int, frozenset[int]], ...]) -> tuple:
    """``guards`` or ``checks`` hashed alike in every process (ints, not frozensets)."""
    return tuple((index, tuple(sorted(cwes))) for index, cwes in proofs)


class _Summaries(dict):
    """A table's summaries by name: stored ones decoded when looked up."""

    def get(self, name, default=None):
        return _decoded(dict.get(self, name, default))

    def __getitem__(self, name):
        return _decoded(dict.__getitem__(self, name))


@dataclass
class ProjectTable:
    """The own summaries of the files known so far, and the classes they define.

    A name defined by two files (same module name twice in one review) is answered by the file
    that comes last in the review's input order, whatever order the files were added in."""

    summaries: dict[str, FunctionSummary] = field(default_factory=_Summaries)
    defined_by: dict[str, tuple[int, str, str]] = field(default_factory=dict)  # name -> (input index, path, version)
    classes: set[str] = field(default_factory=set)
    class_defined_by: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    # Functions a quiet call is told something of (returning untrusted data of their own, or a
    # proof) -> their quiet key; classes with a method returning data of its own (a proof is
    # asked of the method itself: see analyzer.receiver_class).
    returning_data: dict[str, int] = field(default_factory=dict)
    classes_returning_data: set[str] = field(default_factory=set)
    # For views (see TableView), which must not depend on which other files are known yet:
    # every file's entry for a name several files define, and every file defining each class.
    duplicates: dict[str, dict[int, tuple[tuple[int, str, str], FunctionSummary]]] = field(default_factory=dict)
    class_owners: dict[str, dict[int, tuple[tuple[int, str, str], bool]]] = field(default_factory=dict)  # -> returns data
    names_of: dict[int, tuple[str, ...]] = field(default_factory=dict)  # input index -> the names its file defines

    def add(self, index: int, path: str, version: str, summaries: dict[str, FunctionSummary] | Packed) -> None:
        """A file's own summaries: a dict, or packed in its cached entry (with ``summaries_index``).
        Added again (computed again, told other files' new summaries), they replace the ones it
        had: a name it no longer defines (``Export.<task>`` when its base is no task any more) is
        no longer its."""
        owner = (index, path, version)
        if isinstance(summaries, Packed):
            names = summaries.index
            items = ((name, _Stored(summaries, name, bool(flags & IS_METHOD), flags & ~IS_METHOD))
                     for name, flags in summaries.index.items())
        else:
            names = summaries
            items = summaries.items()
        before = self.names_of.get(index)
        if before is not None:
            dropped = [name for name in before if name not in names]
            if dropped:
                self._forget(index, dropped, names)
        self.names_of[index] = tuple(names)
        for name, summary in items:
            returns_data = _quiet_key(summary)
            if summary.is_method:
                self._add_class_owner(name.rsplit(".", 1)[0], owner, bool(returns_data & RETURNS_DATA))  # (see receiver_class)
            known = self.defined_by.get(name)
            if known is not None and (known[0] != index or name in self.duplicates):
                entries = self.duplicates.setdefault(name, {known[0]: (known, dict.__getitem__(self.summaries, name))})
                entries[index] = (owner, summary)
                if known[0] > index:
                    continue
            dict.__setitem__(self.summaries, name, summary)
            self.defined_by[name] = owner
            if returns_data:
                self.returning_data[name] = returns_data
            else:
                self.returning_data.pop(name, None)

    def _forget(self, index: int, dropped: list[str], kept) -> None:
        """Drop the names the file ``index`` defined before and no longer does: one another file
        defines too is that file's again; a class with no method left in the file is not its."""
        for name in dropped:
            entries = self.duplicates.get(name)
            if entries is None:
                if self.defined_by.get(name, (None,))[0] == index:
                    del self.defined_by[name]
                    dict.pop(self.summaries, name, None)
                    self.returning_data.pop(name, None)
                continue
            entries.pop(index, None)
            if not entries:
                del self.duplicates[name]
                continue
            last = entries[max(entries)]
            self.defined_by[name] = last[0]
            dict.__setitem__(self.summaries, name, last[1])
            returns_data = _quiet_key(last[1])
            if returns_data:
                self.returning_data[name] = returns_data
            else:
                self.returning_data.pop(name, None)
        kept_classes = {name.rsplit(".", 1)[0] for name in kept if "." in name}
        for class_name in {name.rsplit(".", 1)[0] for name in dropped if "." in name} - kept_classes:
            owners = self.class_owners.get(class_name)
            if owners is None or owners.pop(index, None) is None:
                continue
            if not owners:
                del self.class_owners[class_name]
                self.classes.discard(class_name)
                self.class_defined_by.pop(class_name, None)
                self.classes_returning_data.discard(class_name)
            else:
                self.class_defined_by[class_name] = owners[max(owners)][0]
                if not any(returns for _, returns in owners.values()):
                    self.classes_returning_data.discard(class_name)

    def _add_class_owner(self, class_name: str, owner: tuple[int, str, str], returns_data: bool) -> None:
        owners = self.class_owners.setdefault(class_name, {})
        known = owners.get(owner[0])
        owners[owner[0]] = (owner, returns_data or (known is not None and known[0] == owner and known[1]))
        self.classes.add(class_name)
        known_class = self.class_defined_by.get(class_name)
        if known_class is None or known_class[0] <= owner[0]:
            self.class_defined_by[class_name] = owner
        if returns_data:
            self.classes_returning_data.add(class_name)

    def answer(self, name: str) -> Answer:
        owner = self.defined_by.get(name)
        return (owner[1], owner[2]) if owner is not None else None

    def quiet_answer(self, name: str) -> int:
        return self.returning_data.get(name, 0)

    def class_answer(self, name: str) -> Answer:
        owner = self.class_defined_by.get(name)
        return (owner[1], owner[2]) if owner is not None else None

    def routes(self, views: str) -> Conversions:
        """What every known route to these views converts: the ``<routes>`` entries of every URL
        conf, under the ``<included>`` entries of those including it (see routes.py)."""
        return answer(views, self._decoded_route_entries)

    def _decoded_route_entries(self, name: str) -> list:
        return [_decoded(summary) for summary in self._route_entries(name)]

    def _route_entries(self, name: str) -> list:
        entries = self.duplicates.get(name)
        if entries is not None:
            return [summary for _, summary in entries.values()]
        return [dict.__getitem__(self.summaries, name)] if name in self.defined_by else []

    def view(self, visible: int | None) -> "ProjectTable | TableView":
        """The table as an analysis that may see only the files in ``visible`` (a bit per input
        index) is told it; None: all of it."""
        return self if visible is None else TableView(self, visible)


def _quiet_key(summary: FunctionSummary | _Stored) -> int:
    """``quiet_key``, also of a stored summary."""
    if summary.__class__ is _Stored:
        return summary.returns_data
    return quiet_key(summary)


class TableView:
    """What an analysis limited to some files (its visible files, see the module's docstring) is
    told: ProjectTable's interface, over what those files define -- the same whatever other files
    the table knows already (a name two files define: the visible one that comes last)."""

    def __init__(self, table: ProjectTable, visible: int) -> None:
        self.table = table
        self.visible = visible
        self.summaries = _VisibleSummaries(self)
        self.returning_data = _VisibleNames(lambda name: self.quiet_answer(name) != 0)
        self.classes = _VisibleNames(lambda name: self._class_owner(name) is not None)
        self.classes_returning_data = _VisibleNames(self._class_returns_data)

    def entry(self, name: str) -> tuple[tuple[int, str, str], FunctionSummary | _Stored] | None:
        """The owner and summary of ``name`` this view tells, if any (the summary maybe still
        stored: see ``_decoded``)."""
        table = self.table
        entries = table.duplicates.get(name)
        if entries is None:
            owner = table.defined_by.get(name)
            if owner is not None and (self.visible >> owner[0]) & 1:
                return owner, dict.__getitem__(table.summaries, name)
            return None
        shown = [index for index in entries if (self.visible >> index) & 1]
        return entries[max(shown)] if shown else None

    def answer(self, name: str) -> Answer:
        entry = self.entry(name)
        return (entry[0][1], entry[0][2]) if entry is not None else None

    def quiet_answer(self, name: str) -> int:
        entry = self.entry(name)
        return _quiet_key(entry[1]) if entry is not None else 0

    def _class_owner(self, name: str) -> tuple[tuple[int, str, str], bool] | None:
        owners = self.table.class_owners.get(name)
        if not owners:
            return None
        shown = [index for index in owners if (self.visible >> index) & 1]
        return owners[max(shown)] if shown else None

    def _class_returns_data(self, name: str) -> bool:
        owners = self.table.class_owners.get(name) or {}
        return any(returns and (self.visible >> index) & 1 for index, (_, returns) in owners.items())

    def routes(self, views: str) -> Conversions:
        """ProjectTable.routes, from the visible URL confs."""
        return answer(views, self._decoded_route_entries)

    def _decoded_route_entries(self, name: str) -> list:
        return [_decoded(summary) for summary in self._route_entries(name)]

    def _route_entries(self, name: str) -> list:
        table = self.table
        entries = table.duplicates.get(name)
        if entries is not None:
            return [summary for index, (_, summary) in entries.items() if (self.visible >> index) & 1]
        owner = table.defined_by.get(name)
        return [dict.__getitem__(table.summaries, name)] if owner is not None and (self.visible >> owner[0]) & 1 else []

    def class_answer(self, name: str) -> Answer:
        owner = self._class_owner(name)
        return (owner[0][1], owner[0][2]) if owner is not None else None


class _VisibleSummaries(Mapping):
    """The summaries a view tells, as the mapping SummaryTable looks names up in."""

    def __init__(self, view: TableView) -> None:
        self.view = view

    def get(self, name, default=None):
        entry = self.view.entry(name)
        return _decoded(entry[1]) if entry is not None else default

    def __contains__(self, name) -> bool:
        return self.view.entry(name) is not None

    def __getitem__(self, name):
        entry = self.view.entry(name)
        if entry is None:
            raise KeyError(name)
        return _decoded(entry[1])

    def __iter__(self) -> Iterator[str]:
        return (name for name in self.view.table.summaries if name in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _decoded(summary: FunctionSummary | _Stored | None) -> FunctionSummary | None:
    """The summary itself, decoded when still stored."""
    return summary.summary() if summary.__class__ is _Stored else summary


class _VisibleNames:
    """A set of names as a view tells it (``name in ...``)."""

    def __init__(self, test) -> None:
        self._test = test

    def __contains__(self, name) -> bool:
        return self._test(name)


@dataclass
class Dependencies:
    """What one analysis of a file asked of the project, and the answers it got.

    ``quietly`` answers are whether the function (or a method of the class) returns untrusted data
    of its own or a proven value (a function's: its ``quiet_key``): at a call nothing untrusted
    flows into, that is all that can change the analysis (see dataflow.SummaryTable). ``routes`` answers are what the URL confs' routes to a view
    convert (see routes.py): compared by value."""

    functions: dict[str, Answer] = field(default_factory=dict)
    functions_quietly: dict[str, int] = field(default_factory=dict)  # -> quiet_key
    classes: dict[str, Answer] = field(default_factory=dict)
    classes_quietly: dict[str, bool] = field(default_factory=dict)
    routes: dict[str, Conversions] = field(default_factory=dict)

    @classmethod
    def of(cls, flow, table: "ProjectTable | TableView | None") -> "Dependencies":
        """The questions ``flow`` (a FileFlow) asked, with ``table``'s answers (None: the
        analysis was told nothing)."""
        asked = flow.summaries
        if table is None:
            return cls({name: None for name in sorted(asked.asked)}, {name: 0 for name in sorted(asked.asked_quietly)},
                       {name: None for name in sorted(flow.asked_classes)}, {name: False for name in sorted(flow.asked_classes_quietly)},
                       {views: () for views in sorted(flow.asked_routes)})
        return cls(
            {name: table.answer(name) for name in sorted(asked.asked)},
            {name: table.quiet_answer(name) for name in sorted(asked.asked_quietly)},
            {name: table.class_answer(name) for name in sorted(flow.asked_classes)},
            {name: name in table.classes_returning_data for name in sorted(flow.asked_classes_quietly)},
            {views: table.routes(views) for views in sorted(flow.asked_routes)},
        )

    def answered_by(self, table: "ProjectTable | TableView") -> bool:
        """Would ``table`` answer any of these questions differently?"""
        return (any(table.answer(name) != answer for name, answer in self.functions.items())
                or any(table.quiet_answer(name) != answer for name, answer in self.functions_quietly.items())
                or any(table.class_answer(name) != answer for name, answer in self.classes.items())
                or any((name in table.classes_returning_data) != answer for name, answer in self.classes_quietly.items())
                or any(table.routes(views) != answer for views, answer in self.routes.items()))

    def __reduce__(self):
        # (from a worker: a name many files ask about is kept once, not once per file)
        return (_shared_dependencies, (self.functions, self.functions_quietly, self.classes, self.classes_quietly, self.routes))

    def files(self) -> set[str]:
        """The paths of the files whose summaries answered."""
        return {answer[0] for answer in (*self.functions.values(), *self.classes.values()) if answer is not None}


def _shared_dependencies(functions: dict[str, Answer], functions_quietly: dict[str, int], classes: dict[str, Answer],
                         classes_quietly: dict[str, bool], routes: dict[str, Conversions]) -> Dependencies:
    """Dependencies as unpickled, their names and answers interned: the parent keeps every
    file's, and most of what they hold is the same few thousand names."""
    return Dependencies({intern(name): _interned(answer) for name, answer in functions.items()},
                        {intern(name): answer for name, answer in functions_quietly.items()},
                        {intern(name): _interned(answer) for name, answer in classes.items()},
                        {intern(name): answer for name, answer in classes_quietly.items()}, routes)


def _interned(answer: Answer) -> Answer:
    return answer if answer is None else (intern(answer[0]), intern(answer[1]))


# How the cache writes Dependencies (see cache.register): each distinct answer once, and the names
# with its number (-1: None). A file asks some 30 names answered by a few files: written in full,
# the answers (a path and a 64-digit version each) were most of a stored entry's JSON.
CACHE_PARTS = ("answers", "functions", "functions_quietly", "classes", "classes_quietly", "routes")


def cache_parts(dependencies: Dependencies) -> tuple:
    numbers: dict[tuple[str, str], int] = {}

    def number(answer: Answer) -> int:
        return -1 if answer is None else numbers.setdefault(answer, len(numbers))

    functions = {name: number(answer) for name, answer in dependencies.functions.items()}
    classes = {name: number(answer) for name, answer in dependencies.classes.items()}
    return ([list(answer) for answer in numbers], functions, dependencies.functions_quietly, classes,
            dependencies.classes_quietly, dependencies.routes)


def from_cache_parts(answers: list, functions: dict, functions_quietly: dict, classes: dict, classes_quietly: dict,
                     routes: dict) -> Dependencies:
    """``cache_parts``' inverse; ValueError on anything it did not write."""
    told: list[Answer] = []
    for answer in answers:
        if answer.__class__ is not list or len(answer) != 2 or not all(part.__class__ is str for part in answer):
            raise ValueError("not an answer")
        told.append((answer[0], answer[1]))
    told.append(None)  # (number -1)
    if not all(part.__class__ is dict for part in (functions, functions_quietly, classes, classes_quietly, routes)):
        raise ValueError("not dependencies")
    try:
        return Dependencies({name: told[number] for name, number in functions.items()}, functions_quietly,
                            {name: told[number] for name, number in classes.items()}, classes_quietly, routes)
    except TypeError:  # (a number that is not an int)
        raise ValueError("not an answer's number") from None
