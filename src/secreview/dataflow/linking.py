"""Linking files: the project's function summaries, and what a file's analysis depended on.

Each file's *own* summaries (``FileFlow.local_summaries`` of an analysis that knew nothing of
other files) depend on its content alone. A file's review is its analysis given the own
summaries of every file of the project. Computing those for all files first and then analysing
every file again would cost two analyses (and two parses) per file, so a review instead analyses
files in dependency order (see order.py) and gives each file the summaries known so far. The
analysis records which names it asked for and what it was told (``Dependencies``); once every
file's own summaries are known, a file whose answers would now differ is analysed again. The
result is exactly the review with every summary known, whatever the order or the number of jobs.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from secreview.dataflow.analyzer import FunctionSummary

# Who answered a name: the path of the file that defines it and the version of that file's own
# summaries (their digest when results are cached, else ""), or None for "not the project's".
Answer = tuple[str, str] | None


@dataclass
class ProjectTable:
    """The own summaries of the files known so far, and the classes they define.

    A name defined by two files (same module name twice in one review) is answered by the file
    that comes last in the review's input order, whatever order the files were added in."""

    summaries: dict[str, FunctionSummary] = field(default_factory=dict)
    defined_by: dict[str, tuple[int, str, str]] = field(default_factory=dict)  # name -> (input index, path, version)
    classes: set[str] = field(default_factory=set)
    class_defined_by: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    returning_data: set[str] = field(default_factory=set)  # functions returning untrusted data of their own
    classes_returning_data: set[str] = field(default_factory=set)  # classes with such a method

    def add(self, index: int, path: str, version: str, summaries: dict[str, FunctionSummary]) -> None:
        owner = (index, path, version)
        for name, summary in summaries.items():
            known = self.defined_by.get(name)
            if known is not None and known[0] > index:
                continue
            self.summaries[name] = summary
            self.defined_by[name] = owner
            returns_data = any(origin.param is None for origin in summary.returns.whole().origins)
            (self.returning_data.add if returns_data else self.returning_data.discard)(name)
            if summary.is_method:
                class_name = name.rsplit(".", 1)[0]
                self.classes.add(class_name)
                known_class = self.class_defined_by.get(class_name)
                if known_class is None or known_class[0] <= index:
                    self.class_defined_by[class_name] = owner
                if returns_data:
                    self.classes_returning_data.add(class_name)

    def answer(self, name: str) -> Answer:
        owner = self.defined_by.get(name)
        return (owner[1], owner[2]) if owner is not None else None

    def class_answer(self, name: str) -> Answer:
        owner = self.class_defined_by.get(name)
        return (owner[1], owner[2]) if owner is not None else None


@dataclass
class Dependencies:
    """What one analysis of a file asked of the project, and the answers it got.

    ``quietly`` answers are whether the function (or a method of the class) returns untrusted data
    of its own: at a call nothing untrusted flows into, that is all that can change the analysis
    (see dataflow.SummaryTable)."""

    functions: dict[str, Answer] = field(default_factory=dict)
    functions_quietly: dict[str, bool] = field(default_factory=dict)
    classes: dict[str, Answer] = field(default_factory=dict)
    classes_quietly: dict[str, bool] = field(default_factory=dict)

    @classmethod
    def of(cls, flow, table: ProjectTable | None) -> "Dependencies":
        """The questions ``flow`` (a FileFlow) asked, with ``table``'s answers (None: the
        analysis was told nothing)."""
        asked = flow.summaries
        if table is None:
            return cls({name: None for name in sorted(asked.asked)}, {name: False for name in sorted(asked.asked_quietly)},
                       {name: None for name in sorted(flow.asked_classes)}, {name: False for name in sorted(flow.asked_classes_quietly)})
        return cls(
            {name: table.answer(name) for name in sorted(asked.asked)},
            {name: name in table.returning_data for name in sorted(asked.asked_quietly)},
            {name: table.class_answer(name) for name in sorted(flow.asked_classes)},
            {name: name in table.classes_returning_data for name in sorted(flow.asked_classes_quietly)},
        )

    def answered_by(self, table: ProjectTable) -> bool:
        """Would ``table`` answer any of these questions differently?"""
        return (any(table.answer(name) != answer for name, answer in self.functions.items())
                or any((name in table.returning_data) != answer for name, answer in self.functions_quietly.items())
                or any(table.class_answer(name) != answer for name, answer in self.classes.items())
                or any((name in table.classes_returning_data) != answer for name, answer in self.classes_quietly.items()))

    def files(self) -> set[str]:
        """The paths of the files whose summaries answered."""
        return {answer[0] for answer in (*self.functions.values(), *self.classes.values()) if answer is not None}
