"""The taint lattice: what untrusted data a value may carry, and how it got there.

A ``Taint`` is a set of ``Origin``s. Each origin is one source (an HTTP parameter, argv, a
parameter of the function being analysed...) with the steps it took so far, and the CWEs it has
been sanitized for. Containers built from literals with constant keys keep per-element taint
(``items``), so the clean element of a mixed list stays clean.

A value without origins is either *proven* safe or of *unknown* origin. ``Proven`` (a ``Taint``
subclass) is a value the flow accounted for on every path and found safe, as a whole, for some
CWEs: a constant, a conversion (``int(x)``), a value checked against an allow-list, a parameter
the framework converts (``PROVEN``: safe for every weakness), or a sanitizer's result
(``shlex.quote(x)``: safe for a shell, its origins still reaching SQL). A plain ``Taint`` without
origins (``CLEAN``) knows of no untrusted source but proves nothing: an attribute, a library's
return value. Joining a proven value with an unknown one gives an unknown one; with a tainted one,
the taint. Rules report a dynamic value of unknown origin at low confidence, a proven one never.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from operator import attrgetter
from typing import Callable, Hashable

from secreview import cache as _cache
from secreview.findings import HelperRef, Level, TraceStep, new_step
from secreview.models.sanitizers import BACKSLASH_OPEN_NOTE, BACKSLASH_OPEN_REDIRECT
from secreview.models.sources import LOW_SOURCES_BY_CWE, SOURCE_LOW_FOR

MAX_ORIGINS = 6  # per value: enough for evidence, bounded for speed
MAX_STEPS = 14  # per origin: the source, the sink side, and the most recent steps


@dataclass(frozen=True)
class Origin:
    description: str  # e.g. "HTTP query parameter"
    confidence: Level
    steps: tuple[TraceStep, ...]
    param: int | None = None  # parameter index when the origin is a parameter of the function
    reportable: bool = True  # False: a private function's parameter, only used for summaries
    sanitized: frozenset[int] = field(default=frozenset())  # CWEs this flow is safe for
    kind: str = "input"  # INPUT: data an attacker may control; PREDICTABLE: a guessable value; ATTRIBUTE: see there

    # Origins live in frozensets that the analysis rebuilds constantly; the generated hash would
    # hash every TraceStep of ``steps`` each time (most of the hashing cost of a review). The hash
    # is computed once, from a hash of the steps that ``with_step`` extends by one step.
    def __post_init__(self) -> None:
        _seal(self, _steps_hash(self.steps))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self):
        # Rebuilt with a new hash when pickled (to and from worker processes): string hashes,
        # hence the cached one, differ between processes.
        return (_origin, (self.description, self.confidence, self.steps, self.param, self.reportable, self.sanitized, self.kind))

    def with_step(self, step: TraceStep, memo: dict | None = None) -> "Origin":
        """This origin one step further. ``memo``: the caller's dict of the extensions made so
        far, reused instead of being made again (an equal origin: the same result). An ATTRIBUTE
        origin keeps the path to the attribute it was stored in: read back in every method of
        the class, it would otherwise make a new origin at each statement it goes through."""
        if self.kind == ATTRIBUTE:
            return self
        last = self.steps[-1] if self.steps else None
        if last is not None and last.line == step.line and last.path == step.path:
            return self
        if memo is not None:
            known = memo.get((self, id(step)))
            if known is not None and known[0] is step:  # (the entry keeps its step, hence its id, alive)
                return known[1]
        steps = self.steps + (step,)
        if len(steps) > MAX_STEPS:
            steps = steps[:2] + steps[-(MAX_STEPS - 2):]
            steps_hash = _steps_hash(steps)
        else:
            steps_hash = hash((self._steps_hash, step))  # == _steps_hash(steps)
        new = _extended(self, steps, steps_hash)
        if memo is not None:
            memo[(self, id(step))] = (step, new)
        return new

    def with_call(self, step: TraceStep, via: "tuple[TraceStep | HelperRef, ...]", memo: dict | None = None) -> "Origin":
        """This origin one step further, through a helper: ``step`` (the call) holds the steps
        taken inside it (``TraceStep.via``); on the line of the last step (``host =
        clean_host(request.args["host"])``), that step holds them. Equal to ``with_step(step)``:
        ``via`` is evidence, not identity (same hash, so the analysis does the same work).
        ``memo``: as for ``with_step`` (a loop's next pass, the same call met again)."""
        if self.kind == ATTRIBUTE:
            return self
        if memo is not None:
            known = memo.get((self, id(step), id(via)))
            if known is not None and known[0] is step and known[1] is via:
                return known[2]
        last = self.steps[-1] if self.steps else None
        if last is not None and last.line == step.line and last.path == step.path:
            steps = self.steps[:-1] + (_with_via(last, via, memo),)
            steps_hash = self._steps_hash  # (``via`` is not hashed)
        else:
            steps = self.steps + (_with_via(step, via, memo),)
            if len(steps) > MAX_STEPS:
                steps = steps[:2] + steps[-(MAX_STEPS - 2):]
                steps_hash = _steps_hash(steps)
            else:
                steps_hash = hash((self._steps_hash, step))
        new = _extended(self, steps, steps_hash)
        if memo is not None:
            memo[(self, id(step), id(via))] = (step, via, new)  # (keeps them alive: their ids stay theirs)
        return new

    def sanitize(self, cwes: frozenset[int]) -> "Origin":
        if LOOKED_UP in cwes:  # (a caller's data a helper's getter found an object by: low, as there)
            return replace(self, sanitized=self.sanitized | cwes, confidence=min(self.confidence, Level.LOW))
        return replace(self, sanitized=self.sanitized | cwes)

    @property
    def looked_up(self) -> bool:
        """Is the value an object an unknown getter found *by* this data (``ds.get_database(
        route=x)``), not the data itself? See ``Taint.found_by``."""
        return LOOKED_UP in self.sanitized

    def reaches(self, cwe: int | None) -> bool:
        return cwe is None or cwe not in self.sanitized

    @cached_property  # (see ``origin_key``; capping sets of origins sorts them often)
    def order_key(self) -> tuple:
        return (
            self.kind == ATTRIBUTE,  # last: they never push a source or a parameter out of a capped set
            # Of two as sure, the data itself before what it only found: a finding names the first,
            # and a capped set keeps it (a helper returning many values found by its parameter and
            # the parameter itself still gives the parameter back)
            -self.confidence, LOOKED_UP in self.sanitized, self.param is not None, self.description,
            tuple(map(_STEP_ORDER, self.steps)),
            -1 if self.param is None else self.param, self.reportable, tuple(sorted(self.sanitized)),
            self.kind,
        )


def _extended(origin: Origin, steps: tuple[TraceStep, ...], steps_hash: int) -> Origin:
    """``origin`` with these steps. This runs ~90k times per pass on a large project: a copy of
    the origin's fields, not dataclasses.replace() or the constructor (its frozen-field setters
    and hashing)."""
    new = object.__new__(Origin)
    fields = {**origin.__dict__, "steps": steps}
    fields.pop("order_key", None)  # (cached for the old steps)
    object.__setattr__(new, "__dict__", fields)
    _seal(new, steps_hash)
    return new


def _with_via(step: TraceStep, via: "tuple[TraceStep | HelperRef, ...]", memo: dict | None = None) -> TraceStep:
    """``step`` holding the steps ``via`` too (one per step and helper path: ``memo``)."""
    if memo is None:
        return step.with_via(via)
    known = memo.get((id(step), id(via), "via"))
    if known is not None and known[0] is step and known[1] is via:
        return known[2]
    made = step.with_via(via)
    memo[(id(step), id(via), "via")] = (step, via, made)
    return made


PASSED_THROUGH = "passed through `"  # the note of a call step whose value a helper gives back


def root_of(steps: tuple[TraceStep, ...], function: str | None) -> tuple:
    """Where a flow's value comes from, for telling one defect reached at several sinks from
    several defects (see secreview/root_causes.py): its source, the function that holds the value
    and hands it to the sinks (``function``: the sink's, or that of the call that leads to it), and
    the step where the value landed there. A helper's own source it gives back lands at the call
    (``name = user_file()``: the call step without ``via``, since no argument went in); a value the
    function reads itself, at its source. So two callers of such a helper, two routes filled by
    one dependency class, two calls of one reader are different flows; one function handing one
    value on to several sinks, one. (``steps`` is an origin's, in the order taken.) Flat: the
    source's path, line and column, the function, the landing's line and column."""
    if not steps:
        return ()
    source = landing = steps[0]
    for step in steps:
        if not step.via and step.note.startswith(PASSED_THROUGH):
            landing = step
    return (source.path, source.line, source.col, function or "", landing.line, landing.col)


MAX_EXPANDED_STEPS = 40  # of a trace with the steps inside helpers (see ``expand_steps``)
MAX_HELPER_DEPTH = 8  # helpers of other files inside helpers of other files (recursion across files)

# The steps of a helper of another file (see findings.HelperRef): given by the project's summaries
# when the report is made (dataflow/project.py), None when unknown.
HelperSteps = Callable[[HelperRef], "tuple[TraceStep, ...] | None"]


def expand_steps(steps, helpers: HelperSteps | None = None) -> list[TraceStep]:
    """The steps with those taken inside helpers (``TraceStep.via``, and theirs) in the order
    taken: before the call that gives the value back, after the step that holds the source on the
    call's line (``host = clean_host(request.args["host"])``). At most MAX_EXPANDED_STEPS.
    Without ``helpers`` (a file's analysis), a helper of another file stays on its step, to be
    expanded when the report is made."""
    if not any(step.via for step in steps):
        return list(steps)
    expanded: list[TraceStep] = []
    _expand(steps, expanded, helpers, 0)
    return expanded


def _expand(steps, into: list[TraceStep], helpers: HelperSteps | None, depth: int) -> None:
    for step in steps:
        if len(into) >= MAX_EXPANDED_STEPS:
            return
        if not step.via:
            into.append(step)
            continue
        inside: list[TraceStep] = []
        kept: list[HelperRef] = []
        for part in step.via:
            if part.__class__ is not HelperRef:
                inside.append(part)
                continue
            found = helpers(part) if helpers is not None and depth < MAX_HELPER_DEPTH else None
            if found:
                inside.extend(found)
            elif helpers is None:
                kept.append(part)
        bare = new_step(step.path, step.line, step.col, step.code, step.note)
        if kept:
            object.__setattr__(bare, "via", tuple(kept))
        if step.note.startswith(PASSED_THROUGH):
            _expand(inside, into, helpers, depth + 1)
            into.append(bare)
        else:
            into.append(bare)
            _expand(inside, into, helpers, depth + 1)


_NO_STEPS_HASH = hash(())
_NO_CWES: frozenset[int] = frozenset()
# A mark in an origin's ``sanitized`` (a pseudo-CWE no sink has, as BACKSLASH_OPEN_REDIRECT and the
# SQL identifier quotes' marks of analyzer.py): the value is an object an unknown getter found by
# this data, not the data (see ``Taint.found_by``). Kept in ``sanitized`` so that it goes wherever
# what made a flow safe goes (a helper's summary to its callers, module state, validators), at no
# cost to every other origin.
LOOKED_UP = -100
_LOOKED_UP = frozenset({LOOKED_UP})


def new_origin(description: str, confidence: Level, steps: tuple[TraceStep, ...], param: int | None = None,
               reportable: bool = True) -> Origin:
    """``Origin(description, confidence, steps, param, reportable)``: one per parameter of every
    function analysed (see ``_origin``)."""
    return _origin(description, confidence, steps, param, reportable, _NO_CWES, INPUT)


def _origin(description: str, confidence: Level, steps: tuple[TraceStep, ...], param: int | None,
            reportable: bool, sanitized: frozenset[int], kind: str) -> Origin:
    """``Origin(...)`` without the frozen dataclass's constructor (a setter call per field); also
    how pickle rebuilds one (with a hash of this process)."""
    origin = object.__new__(Origin)
    object.__setattr__(origin, "__dict__", {
        "description": description, "confidence": confidence, "steps": steps, "param": param,
        "reportable": reportable, "sanitized": sanitized, "kind": kind})
    _seal(origin, _steps_hash(steps))
    return origin


def described(origin: Origin, looked_up: bool = False) -> str:
    """How a finding names where its data came from: what an object was found by, for a value
    only a getter's key carried (``looked_up``, of the origin or of the sink it reaches)."""
    return f"an object found by {origin.description}" if looked_up or origin.looked_up else origin.description


def _looked_up(origin: Origin, step: TraceStep | None) -> Origin:
    """``origin`` marked as having only found the value (see ``Taint.found_by``), with ``step``
    (the getter's call) -- its note added to the last step's when on the same line (``db =
    ds.get_database(route=request.args["db"])``: the reader sees there why it is low)."""
    steps = origin.steps
    if step is not None and origin.kind != ATTRIBUTE:
        last = steps[-1] if steps else None
        if last is None or last.line != step.line or last.path != step.path:
            steps = (*steps, step)
            if len(steps) > MAX_STEPS:
                steps = steps[:2] + steps[-(MAX_STEPS - 2):]
        elif step.note not in last.note:
            merged = new_step(last.path, last.line, last.col, last.code, f"{last.note}; {step.note}")
            steps = (*steps[:-1], merged.with_via(last.via) if last.via else merged)
    if LOOKED_UP in origin.sanitized and origin.confidence <= Level.LOW and steps is origin.steps:
        return origin
    new = object.__new__(Origin)
    fields = {**origin.__dict__, "steps": steps, "confidence": min(origin.confidence, Level.LOW),
              "sanitized": origin.sanitized | _LOOKED_UP}
    fields.pop("order_key", None)  # (cached for the old confidence and steps)
    object.__setattr__(new, "__dict__", fields)
    _seal(new, origin._steps_hash if steps is origin.steps else _steps_hash(steps))
    return new


def _steps_hash(steps: tuple[TraceStep, ...]) -> int:
    """A hash of a sequence of steps, computable step by step (see ``Origin.with_step``)."""
    value = _NO_STEPS_HASH
    for step in steps:
        value = hash((value, step))
    return value


def _seal(origin: Origin, steps_hash: int) -> None:
    """Store an origin's hash (frozen: through its __dict__)."""
    fields = origin.__dict__
    fields["_steps_hash"] = steps_hash
    fields["_hash"] = hash((origin.description, origin.confidence, steps_hash, origin.param, origin.reportable,
                            origin.sanitized, origin.kind))


class _OtherKeys:
    """The key under which a container with listed keys keeps what any key not listed may hold."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "OTHER_KEYS"

    def __reduce__(self) -> str:
        return "OTHER_KEYS"  # (unpickled as this module's one instance: keys are compared by identity)


OTHER_KEYS = _OtherKeys()

INPUT = "input"
PREDICTABLE = "predictable"  # from a non-cryptographic random generator: guessable, not attacker-set
# A parameter of a method, stored on the instance (``def __init__(self, target): self.target =
# target``) and read back in any method of the class (``os.system("tar " + self.target)``).
# ``description`` is that method's qualified name and ``param`` the parameter's index in it: unlike
# a parameter origin, it means the same in every function, so a sink it reaches is a sink for that
# method's parameter (a ``SinkRecord`` of ``Backup.__init__``, matched to ``Backup(x)`` calls by
# the project pass). Never reported by itself (not INPUT).
ATTRIBUTE = "attribute"

Key = Hashable


@dataclass(frozen=True)
class Taint:
    origins: frozenset[Origin] = frozenset()
    items: tuple[tuple[Key, "Taint"], ...] | None = None  # per-element taint of a literal container

    def __init__(self, origins: frozenset[Origin] = frozenset(), items: tuple | None = None) -> None:
        # (the generated frozen __init__ sets each field through object.__setattr__: a noticeable
        # cost for the most created object of the analysis)
        fields = self.__dict__
        fields["origins"] = origins
        fields["items"] = items

    @property
    def is_clean(self) -> bool:
        if self.items is None:  # (most values: no need to remember the answer)
            return not self.origins
        return not self.origins and self._items_clean

    @cached_property  # (frozen dataclasses allow it: it writes the instance __dict__ directly)
    def _items_clean(self) -> bool:
        return not any(not v.is_clean for _, v in self.items)

    def whole(self) -> "Taint":
        """The container as one value: its own origins and every element's (proven when every
        element is proven for every weakness: a literal table of constants)."""
        if self.items is None:
            return self
        origins = set(self.origins)
        proven = True
        for _, value in self.items:
            element = value.whole()
            origins |= element.origins
            if proven and element is not PROVEN:
                proven = False
        if proven and not origins:
            return PROVEN
        return Taint(_cap(origins))

    def item(self, key: Key) -> "Taint":
        if self.items is not None:
            others = None
            for item_key, value in self.items:
                if item_key == key:
                    return join(value, Taint(self.origins)) if self.origins else value
                if item_key is OTHER_KEYS:
                    others = value
            if others is not None and not self.origins:
                return others
            return join(Taint(self.origins), others)
        return self

    def set_item(self, key: Key, value: "Taint") -> "Taint":
        """The container after ``container[key] = value``. A string key is a dict's: reading it
        afterwards gives ``value`` whatever the container held before, even a dict of unknown
        shape (``params = request.args.to_dict(); params["order"] = "name"``), whose other keys
        keep its taint (under OTHER_KEYS). Other keys of an unknown shape (a list's index,
        which ``-1`` may also reach): the value joins the whole."""
        if type(key) is str and (self.items is None or self.origins):
            return self._dict_set_item(key, value)
        if self.items is None:
            return join(self, value.whole())
        items = [(k, v) for k, v in self.items if k != key] + [(key, value)]
        return Taint(self.origins, tuple(items))

    def _dict_set_item(self, key: str, value: "Taint") -> "Taint":
        # The container's own origins may be under any key but this one from now on: they move
        # to every other listed key and to OTHER_KEYS, and the container keeps none of its own.
        own = Taint(self.origins)
        items = [(k, join(v, own) if self.origins else v) for k, v in self.items or () if k != key]
        if self.origins and not any(k is OTHER_KEYS for k, _ in items):
            items.append((OTHER_KEYS, own))
        items.append((key, value))
        return Taint(frozenset(), tuple(items))

    def with_step(self, step: TraceStep, memo: dict | None = None) -> "Taint":
        """Every origin one step further (see ``Origin.with_step`` for ``memo``)."""
        if self.items is None:  # the common case, kept cheap
            if not self.origins:
                return self
            if self.__class__ is Proven:
                return _proven(distinct([o.with_step(step, memo) for o in self.origins]), self.cwes)
            if len(self.origins) == 1:  # (most tainted values)
                if memo is not None:  # (this very value through this very step again: a loop's next pass)
                    known = memo.get((id(self), id(step)))
                    if known is not None and known[0] is self and known[1] is step:
                        return known[2]
                (origin,) = self.origins
                stepped = origin.with_step(step, memo)
                # Already ending on this line (``x = request.GET["x"]``): the value itself.
                result = self if stepped is origin else Taint(frozenset((stepped,)))
                if memo is not None:
                    memo[(id(self), id(step))] = (self, step, result)  # (keeps both alive: their ids stay theirs)
                return result
            return Taint(distinct([o.with_step(step, memo) for o in self.origins]))
        if self.is_clean:
            return self
        origins = distinct([o.with_step(step, memo) for o in self.origins])
        items = tuple((k, v.with_step(step, memo)) for k, v in self.items)
        return Taint(origins, items)

    def with_call(self, step: TraceStep, via: "tuple[TraceStep | HelperRef, ...]", memo: dict | None = None) -> "Taint":
        """Every origin one step further through a helper (see ``Origin.with_call``); ``memo`` as
        for ``with_step`` (``via`` is a summary's tuple of steps: the same object at every call)."""
        if not via:
            return self.with_step(step, memo)
        if self.items is None and not self.origins:
            return self
        if memo is not None:
            known = memo.get((id(self), id(step), id(via)))
            if known is not None and known[0] is self and known[1] is step and known[2] is via:
                return known[3]
        whole = self.whole()
        origins = distinct([o.with_call(step, via, memo) for o in whole.origins])
        result = _proven(origins, whole.cwes) if whole.__class__ is Proven else Taint(origins)
        if memo is not None:
            memo[(id(self), id(step), id(via))] = (self, step, via, result)  # (keeps them alive: their ids stay theirs)
        return result

    def sanitize(self, cwes: frozenset[int]) -> "Taint":
        """Every origin safe for ``cwes`` from here on. A proven value stays proven for what it
        was, no more: this says nothing of a part of unknown origin (see ``proved``)."""
        whole = self.whole()
        if whole.__class__ is Proven:
            return whole if not whole.origins else _proven(distinct([o.sanitize(cwes) for o in whole.origins]), whole.cwes)
        return Taint(distinct([o.sanitize(cwes) for o in whole.origins]))

    def proved(self, cwes: frozenset[int]) -> "Taint":
        """The value after something that makes all of it safe for ``cwes`` whatever it held (an
        escaper, a check of the value itself): proven for them (ALL_PROVEN: for everything)."""
        whole = self.whole()
        if cwes == ALL_PROVEN or whole is PROVEN:
            return PROVEN
        if whole.__class__ is Proven:
            cwes = whole.cwes | cwes
        return _proven(distinct([o.sanitize(cwes) for o in whole.origins]), cwes)

    def found_by(self, step: TraceStep | None = None) -> "Taint":
        """What a getter returns when it finds an object *by* this value (``ds.get_database(
        route=x)``): one of the program's objects, not the value itself (at most, one whose key
        equals it, as an object of that key already exists). Every origin is kept, one step further
        (``step``), but reported at low confidence at most and marked so (LOOKED_UP): the callers
        of a function this happens in are told so with what it makes safe (``Origin.sanitize``:
        see ``FunctionAnalysis._passed_back``), and so is the project pass (``SinkRecord``)."""
        whole = self.whole()
        origins = distinct([_looked_up(o, step) for o in whole.origins])
        return _proven(origins, whole.cwes) if whole.__class__ is Proven else Taint(origins)

    def unsanitized(self) -> "Taint":
        """The value decoded back: every origin as it was before anything made it safe."""
        whole = self.whole()
        if whole.__class__ is Proven and whole is not PROVEN:
            whole = Taint(whole.origins)  # (what was proven of the encoded text is not of the decoded one)
        if not any(origin.sanitized for origin in whole.origins):
            return whole
        # (what a getter found stays so: decoding an object's data gives the object's data)
        return Taint(frozenset(replace(origin, sanitized=origin.sanitized & _LOOKED_UP) if origin.sanitized else origin
                               for origin in whole.origins))

    def proof_undone(self, cwes: frozenset[int]) -> "Taint":
        """The value with what ``cwes`` proved of it taken back (the data read out of an in-memory
        file: ``io.StringIO(x).read()`` is ``x`` again); any other proof stays."""
        whole = self.whole()
        if whole is PROVEN:
            return whole
        origins = frozenset(replace(origin, sanitized=origin.sanitized - cwes) if origin.sanitized & cwes else origin
                            for origin in whole.origins)
        if whole.__class__ is Proven:
            left = whole.cwes - cwes  # type: ignore[attr-defined]
            return _proven(origins, left) if left else Taint(origins)
        return Taint(origins)

    def proves_any_of(self, cwes: frozenset[int]) -> bool:
        """Did something prove all of the value, or one of its flows, safe for one of ``cwes``?"""
        whole = self.whole()
        if whole.__class__ is Proven and not whole.cwes.isdisjoint(cwes):  # type: ignore[attr-defined]
            return True
        return any(not origin.sanitized.isdisjoint(cwes) for origin in whole.origins)

    def reportable_for(self, cwe: int | None) -> list[Origin]:
        return [o for o in ordered(self.whole().origins) if o.kind == INPUT and o.reportable and o.reaches(cwe)]

    def params_for(self, cwe: int | None) -> list[Origin]:
        return [o for o in ordered(self.whole().origins) if o.kind == INPUT and o.param is not None and o.reaches(cwe)]

    def stored_params_for(self, cwe: int | None) -> list[Origin]:
        """The ATTRIBUTE origins (a method's parameter kept on the instance) that reach ``cwe``."""
        return [o for o in ordered(self.whole().origins) if o.kind == ATTRIBUTE and o.reaches(cwe)]

    def predictable(self) -> "Taint":
        """Only the guessable-value origins (they survive conversions and hashing, which clean
        injection payloads but keep a value just as predictable)."""
        return Taint(frozenset(o for o in self.whole().origins if o.kind == PREDICTABLE))

    def predictable_keys(self) -> list | None:
        """Where a container holds guessable values: the keys (OTHER_KEYS for a key not known);
        None when the container holds some as a whole (under any key), or is no container."""
        if self.items is None or any(o.kind == PREDICTABLE for o in self.origins):
            return None
        return [key for key, value in self.items if value.predictable().origins]


CLEAN = Taint()
ALL_PROVEN = frozenset({0})  # (models.sanitizers.ALL_CWES) proven safe for every weakness


@dataclass(frozen=True, eq=False)
class Proven(Taint):
    """A value proven safe as a whole for ``cwes`` (see the module docstring). Its origins, if
    any, are sanitized for ``cwes`` and still count for the other CWEs. Never a container."""

    cwes: frozenset[int] = ALL_PROVEN

    def __new__(cls, origins: frozenset[Origin] = frozenset(), items: None = None, cwes: frozenset[int] = ALL_PROVEN):
        if not origins and cwes == ALL_PROVEN and "PROVEN" in globals():
            return PROVEN  # (one instance: what a cached result is rebuilt into too)
        return object.__new__(cls)

    def __init__(self, origins: frozenset[Origin] = frozenset(), items: None = None,
                 cwes: frozenset[int] = ALL_PROVEN) -> None:
        fields = self.__dict__
        fields["origins"] = origins
        fields["items"] = None
        fields["cwes"] = cwes

    def __eq__(self, other: object) -> bool:  # (never equal to a plain value: loops run until proofs settle)
        return other.__class__ is Proven and self.cwes == other.cwes and self.origins == other.origins  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.origins, self.cwes))

    def __reduce__(self):
        return (_proven, (self.origins, self.cwes))

    def proves(self, cwe: int | None) -> bool:
        return 0 in self.cwes or (cwe is not None and cwe in self.cwes)


def _proven(origins: frozenset[Origin], cwes: frozenset[int]) -> Taint:
    if cwes == ALL_PROVEN and not origins:
        return PROVEN
    return Proven(origins, None, cwes)


PROVEN = Proven(frozenset(), None, ALL_PROVEN)  # a constant, a converted or allow-listed value
_cache.register(Proven)  # (results with proofs are stored as they are)


def whole_proof_only(value: Taint) -> Taint:
    """``value`` for a part of it (a slice, an element, a character): a proof for some CWEs only
    (an escaper's, ``shlex.quote(x)[1:]`` drops a quote) does not hold for a part; one for every
    weakness (a constant, a number, an allow-listed value) does."""
    if value.__class__ is not Proven or value is PROVEN:
        return value
    return Taint(value.origins) if value.origins else CLEAN


def proven_for(value: Taint | None, cwe: int | None) -> bool:
    """Whether the flow proved ``value`` safe, on every path, for ``cwe``."""
    return value is not None and value.__class__ is Proven and value.proves(cwe)  # type: ignore[attr-defined]


def as_reported(origins: list[Origin], cwe: int | None) -> list[Origin]:
    """The origins (``ordered``) as a finding for ``cwe`` shows them. One that passed a same-host
    check a backslash gets through (sanitized for BACKSLASH_OPEN_REDIRECT: see
    FunctionAnalysis.checked) is an open redirect at medium confidence at most -- the check stops
    most links, and whether "/\\evil.example" gets out depends on the framework writing the
    Location header as it is; for another weakness that check proved nothing, and its step is left
    out. A source the weakness is only weakly open to (models.SOURCE_LOW_FOR: the Referer header
    as a redirect target) is low."""
    low = LOW_SOURCES_BY_CWE.get(cwe)  # (None for nearly every weakness)
    for origin in origins:
        if (origin.sanitized and BACKSLASH_OPEN_REDIRECT in origin.sanitized) or (low is not None and origin.description in low):
            break
    else:  # (nearly always: a plain loop, asked for every sink reached)
        return origins
    return ordered([reported_origin(origin, cwe) for origin in origins])


def reported_origin(origin: Origin, cwe: int | None) -> Origin:
    """One origin as a finding for ``cwe`` shows it (see ``as_reported``)."""
    weakly_open = SOURCE_LOW_FOR.get(origin.description)
    if weakly_open is not None and cwe in weakly_open and origin.confidence > Level.LOW:
        origin = replace(origin, confidence=Level.LOW)
    if not origin.sanitized or BACKSLASH_OPEN_REDIRECT not in origin.sanitized:
        return origin
    if cwe == 601:
        return replace(origin, confidence=Level.MEDIUM) if origin.confidence > Level.MEDIUM else origin
    return replace(origin, steps=tuple(step for step in origin.steps if step.note != BACKSLASH_OPEN_NOTE))


def origin_key(origin: Origin) -> tuple:
    """A total order on origins: most confident real sources first, then by where they start.
    Sets of origins iterate in hash order, which varies between runs (PYTHONHASHSEED); every
    choice among origins goes through this order so the report is the same on every run."""
    return origin.order_key


def ordered(origins) -> list[Origin]:
    return sorted(origins, key=_ORDER_KEY)


_ORDER_KEY = attrgetter("order_key")
_STEP_ORDER = attrgetter("path", "line", "col", "note")  # (== origin_key, without a Python call per origin)


def distinct(origins: list[Origin]) -> frozenset[Origin]:
    """``origins`` (each made from one of a set's) as a set. Two may have become equal (their
    steps cut to MAX_STEPS, a sanitizer making them alike) yet hold different evidence (the
    helpers' steps, ``TraceStep.via``, are not part of an origin's identity): the one kept is then
    not the first in the order of the set they were made from, which varies from run to run
    (string hashes), but the first by their evidence, so the report is the same every time."""
    made = frozenset(origins)
    if len(made) == len(origins):
        return made
    return frozenset(sorted(origins, key=_evidence_key))


def _evidence_key(origin: Origin) -> tuple:
    return tuple(map(via_order, origin.steps))


def via_order(step: TraceStep | HelperRef) -> tuple:
    """A total order on steps with the helpers' steps they hold (``TraceStep.via``)."""
    if step.__class__ is HelperRef:
        return (step.qualname, step.param)  # type: ignore[union-attr]
    return (*_STEP_ORDER(step), tuple(map(via_order, step.via))) if step.via else _STEP_ORDER(step)


def _cap(origins) -> frozenset[Origin]:
    if len(origins) <= MAX_ORIGINS:
        return frozenset(origins)
    return frozenset(ordered(origins)[:MAX_ORIGINS])


def join(a: Taint | None, b: Taint | None) -> Taint:
    if a is None or a is b:
        return b if b is not None else CLEAN
    if b is None:
        return a
    # A constant (PROVEN) adds nothing and takes away no proof: the other side as it is.
    if a is PROVEN:
        return b
    if b is PROVEN:
        return a
    if a.__class__ is Proven or b.__class__ is Proven:
        return _join_proofs(a, b)
    # (a plain value is clean exactly when it has no origins: no need for ``is_clean``)
    if a.items is None and not a.origins:
        return b
    if b.items is None and not b.origins:
        return a
    if a.items is None and b.items is None:
        # Joining a value with one that adds nothing: the same value (not a new, equal one).
        if b.origins <= a.origins and len(a.origins) <= MAX_ORIGINS:
            return a
        if a.origins <= b.origins and len(b.origins) <= MAX_ORIGINS:
            return b
    if a.items is not None and b.items is not None:
        first_a = _first_values(a)
        first_b = _first_values(b) if first_a is not None else None
        if first_b is not None:
            return _join_items(a, b, first_a, first_b)
        keys = [k for k, _ in a.items] + [k for k, _ in b.items if k not in dict(a.items)]
        items = tuple((k, join(a.item(k), b.item(k))) for k in keys)
        return Taint(_cap(a.origins | b.origins), items)
    whole_a, whole_b = a.whole(), b.whole()
    # A container of known keys and a value of unknown shape (``kwargs`` after ``if ...:
    # kwargs["serial"] = random_serial()``), when a key holds a guessable value: whether that is
    # a secret depends on the key naming it (predictable-secret reads the keys), so the keys stay
    # apart and the other value's origins go to every key (the container's own, which ``item()``
    # adds). For data from a source the container as a whole is the cheaper approximation.
    container = a if a.items is not None else b
    if container.items is not None and any(o.kind == PREDICTABLE for o in (whole_a if container is a else whole_b).origins):
        return Taint(_cap(a.origins | b.origins), container.items)
    return Taint(_cap(whole_a.origins | whole_b.origins))


def _first_values(container: Taint) -> dict | None:
    """Each key's first value (the one ``item()`` finds), or None unless every key is an int or a
    str (keys a dict finds exactly as ``item()``'s ``==`` does)."""
    first: dict = {}
    for key, value in container.items:
        if type(key) is not int and type(key) is not str:
            return None
        if key not in first:
            first[key] = value
    return first


def _join_items(a: Taint, b: Taint, first_a: dict, first_b: dict) -> Taint:
    """The general container join above (``join(a.item(k), b.item(k))`` for every key), with dict
    lookups instead of ``item()``'s linear scans: quadratic on the large literal tables of settings
    modules, merged at every branch."""
    keys = [k for k, _ in a.items]
    keys += [k for k, _ in b.items if k not in first_a]
    own_a = Taint(a.origins) if a.origins else None  # (joining with no origins changes nothing)
    own_b = Taint(b.origins) if b.origins else None
    items = []
    for key in keys:
        value_a = first_a.get(key)
        if own_a is not None:
            value_a = own_a if value_a is None else join(value_a, own_a)
        elif value_a is None:
            value_a = CLEAN
        value_b = first_b.get(key)
        if own_b is not None:
            value_b = own_b if value_b is None else join(value_b, own_b)
        elif value_b is None:
            value_b = CLEAN
        items.append((key, value_a if value_a is value_b else join(value_a, value_b)))
    return Taint(_cap(a.origins | b.origins), tuple(items))


def _join_proofs(a: Taint, b: Taint) -> Taint:
    """``join`` when one side at least is proven: proven for what both are proven for."""
    if a.__class__ is Proven and b.__class__ is Proven:
        cwes_a, cwes_b = a.cwes, b.cwes  # type: ignore[attr-defined]
        cwes = cwes_b if 0 in cwes_a else cwes_a if 0 in cwes_b else cwes_a & cwes_b
        if (BACKSLASH_OPEN_REDIRECT in cwes_a or BACKSLASH_OPEN_REDIRECT in cwes_b) and BACKSLASH_OPEN_REDIRECT not in cwes:
            cwes = _backslash_open_joined(cwes, cwes_a, cwes_b)
        origins = _cap(a.origins | b.origins)
        return Proven(origins, None, cwes) if cwes else Taint(origins)
    # One side proven, the other not: as their plain values (a value of unknown origin stays so).
    plain_a = (Taint(a.origins) if a.origins else CLEAN) if a.__class__ is Proven else a
    plain_b = (Taint(b.origins) if b.origins else CLEAN) if b.__class__ is Proven else b
    return join(plain_a, plain_b)


def _backslash_open_joined(cwes: frozenset[int], cwes_a: frozenset[int], cwes_b: frozenset[int]) -> frozenset[int]:
    """A value safe as a redirect target on one path (CWE-601) and past a check a backslash gets
    through on the other (BACKSLASH_OPEN_REDIRECT) is the latter: the weaker proof, not none."""
    def redirect_safe(proven: frozenset[int]) -> bool:
        return BACKSLASH_OPEN_REDIRECT in proven or 601 in proven or 0 in proven
    return cwes | {BACKSLASH_OPEN_REDIRECT} if redirect_safe(cwes_a) and redirect_safe(cwes_b) else cwes


def join_all(values) -> Taint:
    result = None
    for value in values:
        result = join(result, value)
    return CLEAN if result is None else result


def source(description: str, confidence: Level, step: TraceStep) -> Taint:
    return Taint(frozenset({Origin(description, confidence, (step,))}))
