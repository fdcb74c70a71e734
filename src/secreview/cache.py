"""The review cache: per-file results on disk, so an unchanged file is never read or parsed again.

Layout of a cache folder (``--cache-dir``, env ``SECREVIEW_CACHE_DIR``, default
``.secreview_cache/`` in the project root)::

    .gitignore            "*": the folder is never committed
    CACHEDIR.TAG          marks it as a cache for backup tools
    v1/index              file identity (path, mtime_ns, size, inode, ctime_ns) -> content hash
    v1/results-<engine>/ab/abcd…  one reviewed file's result (or a whole review), by result key;
                          one folder per engine key, the 3 most recently used are kept

A result's key is the hash of: the file's content hash, the engine key (secreview version and
source code, Python version, active rules, effective configuration), the file's shown path and
module name (both appear in or shape its findings) and a slot for the summaries of other files
the result depends on (cross-file data flow).

Entries are never trusted blindly: each is signed with HMAC-SHA256 under a per-user secret key kept
outside the project (``$XDG_CACHE_HOME/secreview/cache-key``), so a cache folder that arrives
with the reviewed code (committed, planted by a pull request) cannot hide findings, and a corrupt,
truncated, foreign or stale entry fails the check and is rebuilt. Entries are JSON, decoded only
into an allow-list of result types (never pickle: the folder may be hostile); a value a result
holds several times (a trace step, an origin) is written once and referenced (``pack``), and
the parts most loads do not need (a file's summaries and call sites) are written after the
entry's JSON, as they are, and stay packed until asked for (``Packed``, ``pack_entry``). A file's
summaries are written in a canonical order, and their digest is that text's (``value_digest``).
Writes go to a temporary file renamed into place (``os.replace``), so concurrent runs never see
half an entry.
"""
from __future__ import annotations

import collections
import dataclasses
import enum
import hashlib
import hmac
import itertools
import json
import operator
import os
import pickle
import secrets
import sys
import time
from pathlib import Path
from typing import Any

from secreview import spill as spill_files

FORMAT = "v1"
_MAGIC = b"secreview-cache 1 "
# A file modified this recently may change again within the file system's timestamp granularity
# without its stat changing ("racy" entries, as git calls them): its identity is not recorded.
RACY_SECONDS = 2.0
KEEP_RESULT_SETS = 3  # result sets (one per configuration and secreview version) kept by prune()


class CacheUnavailable(Exception):
    """The cache cannot be used (no key, unwritable folder); the review runs without it."""


def default_key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "secreview" / "cache-key"


def load_secret(key_file: Path | None = None) -> bytes:
    """The per-user signing key, created on first use (0600, in the user's own cache folder)."""
    key_file = key_file or default_key_file()
    try:
        secret = key_file.read_bytes()
        if len(secret) >= 32:
            return secret
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise CacheUnavailable(f"cannot read the cache key {key_file}: {exc.strerror or exc}") from None
    try:
        key_file.parent.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_bytes(32)
        _atomic_write(key_file, secret, mode=0o600)
        return key_file.read_bytes()  # another run may have won the race: use what is there
    except OSError as exc:
        raise CacheUnavailable(f"cannot create the cache key {key_file}: {exc.strerror or exc}") from None


def _atomic_write(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write ``data`` to a new temporary file beside ``path``, then rename it into place: a
    reader sees the old entry or the new one, never half of one."""
    temporary, fd = _new_temporary(path.parent, mode)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


_temporaries = itertools.count()


def _new_temporary(folder: Path, mode: int) -> tuple[str, int]:
    """A new file in ``folder`` named by this process and a counter (tempfile.mkstemp's random
    names cost as much as the write of a small entry), created exclusively: a name another
    process left behind (a dead one with the same pid, another host's) is skipped."""
    while True:
        temporary = os.path.join(folder, f".tmp-{os.getpid()}-{next(_temporaries)}")
        try:
            return temporary, os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
        except FileExistsError:
            continue


# --- encoding results as JSON, decoded only into known types ------------------------------------
_TYPES: dict[str, type] = {}


def register(cls: type, parts: tuple[tuple[str, ...], Any, Any] | None = None) -> type:
    """Allow a dataclass or enum to be stored in and restored from the cache (by class name).
    ``parts``: how a dataclass is written instead of its fields (names of the parts, a function
    giving them, a function rebuilding the instance from them, which raises ValueError on
    anything it did not write), for a class whose fields repeat much (see linking.Dependencies)."""
    _TYPES[cls.__qualname__] = cls
    if parts is not None:
        _FIELDS[cls], _FIELD_VALUES[cls], _BUILDERS[cls] = parts
    elif dataclasses.is_dataclass(cls):
        _FIELDS[cls] = names = tuple(f.name for f in dataclasses.fields(cls) if f.init)
        getter = operator.attrgetter(*names)
        _FIELD_VALUES[cls] = getter if len(names) > 1 else (lambda value: (getter(value),))
        if _plain(cls):
            _PLAIN.add(cls)
    return cls


def register_constant(name: str, value: Any) -> None:
    """Allow a module's one-of-a-kind object (a sentinel compared by identity, such as
    dataflow.values.OTHER_KEYS) to be stored and restored as that same object."""
    _CONSTANTS[type(value)] = (name, value)
    _CONSTANT_VALUES[name] = value


_CONSTANTS: dict[type, tuple[str, Any]] = {}  # class -> (name, the instance)
_CONSTANT_VALUES: dict[str, Any] = {}


def _plain(cls: type) -> bool:
    """Is ``cls`` a dataclass whose instances are just their fields (the generated __init__, no
    __post_init__, every field an init field)? Those are rebuilt without calling __init__."""
    init = cls.__dict__.get("__init__")
    generated = getattr(getattr(init, "__code__", None), "co_filename", "") == "<string>"  # (dataclasses' own)
    return (generated and not hasattr(cls, "__post_init__")
            and all(f.init for f in dataclasses.fields(cls)) and not hasattr(cls, "__slots__"))


class NotCacheable(Exception):
    """A result holds a value of a type the cache does not know how to store."""


def encode(value: Any, _memo: dict | None = None, canonical: bool = True) -> Any:
    """A JSON-ready form of ``value``. ``canonical``: sets in a canonical order, so equal values
    encode alike (for digests; a stored entry need not be, and sorting is most of the work).
    ``_memo`` (by object id) may be shared by calls on values that stay alive meanwhile."""
    if value.__class__ in _SCALARS:
        return value
    if isinstance(value, int) and not isinstance(value, enum.Enum):
        return value
    memo = _memo if _memo is not None else {}
    fields = _FIELD_VALUES.get(type(value))
    if fields is not None:  # a registered dataclass (the common case: origins, trace steps)
        # A result shares its origins and trace steps between many values: each is encoded once
        # per call (the same dict each time: ``pack`` writes it once).
        known = memo.get(id(value))
        if known is None:
            # Field values in declaration order, without their names: most of a result is small
            # objects (trace steps), whose field names would be most of its text.
            known = memo[id(value)] = {"$c": type(value).__qualname__, "v": [
                item if item.__class__ in _SCALARS else encode(item, memo, canonical) for item in fields(value)]}
        return known
    cls = value.__class__
    if cls is tuple or cls is list or cls is frozenset:  # (the common containers, without the tests below)
        if cls is frozenset and canonical:
            return {"$f": _canonical_items(value, memo)}
        items = [item if item.__class__ in _SCALARS else encode(item, memo, canonical) for item in value]
        return items if cls is list else {"$t" if cls is tuple else "$f": items}
    if cls is Packed and not canonical:
        return {"$p": [value.text, encode(value.index, memo, canonical)]}
    constant = _CONSTANTS.get(cls)
    if constant is not None and value is constant[1]:
        return {"$o": constant[0]}
    if isinstance(value, enum.Enum):
        name = type(value).__qualname__
        if _TYPES.get(name) is not type(value):
            raise NotCacheable(name)
        return {"$e": name, "v": value.value}
    if isinstance(value, list):
        return [encode(item, memo, canonical) for item in value]
    if isinstance(value, tuple):
        return {"$t": [encode(item, memo, canonical) for item in value]}
    if isinstance(value, (frozenset, set)):
        if canonical:
            items = _canonical_items(value, memo)
        else:
            items = [encode(item, memo, canonical) for item in value]
        return {"$f" if isinstance(value, frozenset) else "$s": items}
    if isinstance(value, dict):
        # (a key starting with "$" would read as a tag: such a dict is stored as pairs)
        if all(isinstance(key, str) and not key.startswith("$") for key in value):
            return {"$d": {key: encode(item, memo, canonical) for key, item in value.items()}}
        return {"$m": [[encode(key, memo, canonical), encode(item, memo, canonical)] for key, item in value.items()]}
    raise NotCacheable(type(value).__qualname__)


def _canonical_items(value: set | frozenset, memo: dict) -> list:
    """A set's items, encoded, in a canonical order: by their class's own ordering key when they
    have one (see ``order_by``) and it tells them all apart, else by their encoded text."""
    first = next(iter(value), None)
    key = _ORDER.get(type(first))
    if key is not None and all(type(item) is type(first) for item in value):
        ordered = sorted(value, key=key)
        if all(key(a) != key(b) for a, b in zip(ordered, ordered[1:])):
            return [item if item.__class__ in _SCALARS else encode(item, memo) for item in ordered]
    return sorted((item if item.__class__ in _SCALARS else encode(item, memo) for item in value), key=_canonical)


def order_by(cls: type, key) -> None:
    """Order sets of ``cls`` values by ``key`` in canonical encodings (cheaper than their text);
    ``key`` must not depend on the process (no hashes) and should tell distinct values apart."""
    _ORDER[cls] = key


_ORDER: dict[type, Any] = {}
# The order of a set's items: the text of their encoded form. encode() writes a dataclass's
# fields in declaration order and a dict's keys in its own order (as it stores them), so equal
# values have equal texts whatever the process's hash seed (the order a set iterates in).
_canonical = repr
# Registered dataclasses -> the names of their fields (dataclasses.fields() is slow to ask per value).
_FIELDS: dict[type, tuple[str, ...]] = {}
_BUILDERS: dict[type, Any] = {}  # classes written as their ``parts`` (see register) -> their builder
_FIELD_VALUES: dict[type, Any] = {}  # ... and a function giving an instance's field values, in that order
_PLAIN: set[type] = set()  # registered dataclasses rebuilt without their __init__ (see _plain)
_SCALARS = frozenset({str, int, float, bool, type(None)})  # what JSON gives back as it was stored


def pack(value: Any) -> str:
    """The stored text of ``value``: its encoding (see ``encode``), where a registered dataclass
    met again is written as a reference to its first occurrence.

    A file's results share most of their trace steps and origins (a summary's, its call sites'
    and its sink records' values point at the same ones): written out each time, they were half
    of the text, and decoded into as many copies. References are numbered in the order the
    decoder finishes objects (after their fields), so ``unpack`` resolves them as it goes."""
    return json.dumps(_Packer().value(value), separators=(",", ":"))


def pack_entry(value: Any) -> bytes:
    """The bytes of a stored entry: ``pack``'s JSON of ``value``, a newline, then the texts of its
    Packed parts one after the other, each referred to in the JSON by its place. (Written inside
    the JSON, as strings, their quotes were escaped, and unescaped at every load: a third of the
    time spent writing the cache, and most of a load.)"""
    parts: list[bytes] = []
    packer = _Packer(parts=parts)
    envelope = json.dumps(packer.value(value), separators=(",", ":")).encode()  # (no newline in it)
    return b"\n".join((envelope, b"".join(parts)))


def canonical_pack(value: Any) -> str:
    """``pack``'s text of ``value`` with sets in a canonical order and the keys of dicts sorted:
    equal values written with the same sharing (the same objects met again: the same analysis
    gives the same) have the same text, whatever the process's hash seed."""
    return json.dumps(_Packer(canonical=True).value(value), separators=(",", ":"))


class _Packer:
    """``encode(value, canonical=...)`` with the references of ``pack``, in one walk."""

    def __init__(self, canonical: bool = False, parts: list[bytes] | None = None) -> None:
        self.canonical = canonical
        # The texts of Packed parts, written after the entry's JSON (see ``pack_entry``), or None:
        # written in it, as strings.
        self.parts = parts
        self.parts_size = 0
        # The rank (see ``pack``) of each dataclass written so far, by the id of the object, or
        # of its encoding when that was written (``_shared``).
        self.numbers: dict[int, int] = {}
        self.memo: dict = {}  # (encode's, for the rarer kinds)

    def value(self, value: Any) -> Any:
        # (a scalar is returned as it is: the callers test for one first, a call less per field)
        cls = value.__class__
        fields = _FIELD_VALUES.get(cls)
        scalars = _SCALARS
        if fields is not None:
            number = self.numbers.get(id(value))
            if number is not None:
                return {"$r": number}
            written = {"$c": cls.__qualname__,
                       "v": [item if item.__class__ in scalars else self.value(item) for item in fields(value)]}
            self.numbers[id(value)] = len(self.numbers)  # (after its fields: the order they are decoded in)
            return written
        if cls in scalars:
            return value
        if cls is list:
            return [item if item.__class__ in scalars else self.value(item) for item in value]
        if cls is tuple:
            return {"$t": [item if item.__class__ in scalars else self.value(item) for item in value]}
        if cls is frozenset or cls is set:
            if self.canonical and len(value) > 1:
                value = _canonical_order(value)
            return {"$f" if cls is frozenset else "$s": [item if item.__class__ in scalars else self.value(item)
                                                        for item in value]}
        if cls is dict:
            if all(key.__class__ is str and not key.startswith("$") for key in value):
                items = sorted(value.items()) if self.canonical else value.items()
                return {"$d": {key: item if item.__class__ in scalars else self.value(item) for key, item in items}}
            return {"$m": [[key if key.__class__ in scalars else self.value(key), item if item.__class__ in scalars else self.value(item)]
                           for key, item in value.items()]}
        if cls is Packed:
            if self.parts is None:
                return {"$p": [value.text, self.value(value.index)]}
            raw = value.raw()
            self.parts.append(raw)
            self.parts_size += len(raw)
            return {"$p": [self.parts_size - len(raw), len(raw), self.value(value.index)]}
        # The rarer kinds (enums, subclasses of list, tuple...): every dataclass written in them
        # must be ranked too.
        return _shared(encode(value, self.memo, canonical=self.canonical), self.numbers)


def _canonical_order(value: set | frozenset) -> list:
    """A set's items in a canonical order: their own (strings, numbers), or by their class's
    ordering key (see ``order_by``) when it tells them all apart, else by their encoded text."""
    first = next(iter(value))
    cls = first.__class__
    if all(item.__class__ is cls for item in value):
        if cls is str or cls is int:
            return sorted(value)
        key = _ORDER.get(cls)
        if key is not None:
            ordered = sorted(value, key=key)
            if all(key(a) != key(b) for a, b in zip(ordered, ordered[1:])):
                return ordered
    memo: dict = {}
    return sorted(value, key=lambda item: _canonical(encode(item, memo)))


def _shared(encoded: Any, numbers: dict[int, int]) -> Any:
    """``encoded`` with each repeated dataclass (the same encoded dict: ``encode``'s memo) after
    the first written as ``{"$r": n}``, n its rank among dataclasses in decoding order."""
    cls = encoded.__class__
    if cls is list:
        return [item if item.__class__ in _SCALARS else _shared(item, numbers) for item in encoded]
    if cls is not dict:
        return encoded
    if "$c" in encoded:
        number = numbers.get(id(encoded))
        if number is not None:
            return {"$r": number}
        written = {"$c": encoded["$c"], "v": [item if item.__class__ in _SCALARS else _shared(item, numbers)
                                                for item in encoded["v"]]}
        numbers[id(encoded)] = len(numbers)  # (the encoded dict stays alive in ``encoded``: its id is its own)
        return written
    return {key: item if item.__class__ in _SCALARS else _shared(item, numbers) for key, item in encoded.items()}


class Packed:
    """A part of a stored value kept packed when the entry is loaded (``pack``'s text), decoded
    on first use, with a small ``index`` at hand meanwhile (what its users ask before they need
    the part itself). A review after an edit loads every other file's entry, but only needs the
    summaries and call sites of a few: decoding them all was most of its time.

    During a review the text may be spilled to disk (``spill``: see spill.py), and only the
    spilled parts used last, up to ``DECODED_KEPT_BYTES`` of their text, keep their decoded
    value: what a review holds in memory then no longer grows with every file's summaries and
    call sites.

    Between the processes of one review without the cache, a part is pickled instead (``pickled``:
    our own bytes, never stored nor spilled): the parent keeps it and hands it on to the other
    workers as bytes, and each decodes only the parts it looks into."""

    def __init__(self, text: str | bytes | None, index: Any, place: spill_files.Place | None = None,
                 pickled: bytes | None = None) -> None:
        self._text = text  # (bytes when loaded from an entry: decoded only by ``unpack``)
        self.index = index
        self.place = place  # where the text is spilled (then ``_text`` is None)
        self._pickled = pickled  # (instead of a text)
        self._value: Any = None
        self._used = False  # used since it was last passed over for dropping (see _kept_decoded)

    @classmethod
    def of(cls, value: Any, index: Any, memo: dict | None = None) -> "Packed":
        """``value`` packed, or the canonical text ``value_digest`` packed it into (``memo``)."""
        text = memo.get(id(value)) if memo else None
        packed = cls(text if text is not None else pack(value), index)
        packed._value = value
        return packed

    @classmethod
    def pickled(cls, value: Any, index: Any) -> "Packed":
        packed = cls(None, index, pickled=pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        packed._value = value
        return packed

    @property
    def text(self) -> str:
        return self.raw().decode()

    def raw(self) -> bytes:
        """The packed text, encoded."""
        text = self._text
        if text is None:
            return spill_files.read(self.place)
        return text.encode() if text.__class__ is str else text

    def value(self) -> Any:
        value = self._value
        if value is None:
            if self._pickled is not None:
                value = self._value = pickle.loads(self._pickled)
                return value
            value = self._value = unpack(self._text if self._text is not None else spill_files.read(self.place))
            _kept_decoded(self)
        else:
            self._used = True  # (a flag, not a move in the queue: summaries are looked up very often)
        return value

    def spill(self, into: spill_files.SpillFile, keep_value: bool = True) -> None:
        """Keep the text on disk from now on; its decoded value as any other's, while used (or
        not at all: ``keep_value`` False)."""
        if self.place is None and self._pickled is None:
            try:
                self.place = into.write(self.raw())
            except OSError:  # (no room left in the temporary folder: it stays in memory)
                return
            self._text = None
            if not keep_value:
                self._value = None
            elif self._value is not None:
                _kept_decoded(self)

    def __reduce__(self):  # (to worker processes: the text or its place, decoded there when needed)
        return (Packed, (self._text, self.index, self.place, self._pickled))

    def _content(self) -> str | bytes:
        return self._pickled if self._pickled is not None else self.raw()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Packed) and self._content() == other._content()

    def __hash__(self) -> int:
        return hash(self._content())


# The spilled parts whose decoded value is kept: those used last, up to this much spilled text (a
# decoded value takes about 4 times its text in memory).
DECODED_KEPT_BYTES = 8_000_000
_DECODED: "collections.OrderedDict[int, Packed]" = collections.OrderedDict()
_decoded_bytes = 0


def _kept_decoded(packed: Packed) -> None:
    """``packed`` was just decoded: keep its value if it is spilled (it can be read again), and
    beyond ``DECODED_KEPT_BYTES`` drop those of the spilled parts decoded longest ago and not
    used since they were last passed over (the "clock" approximation of least recently used)."""
    global _decoded_bytes
    if packed.place is None or id(packed) in _DECODED:
        return
    _DECODED[id(packed)] = packed
    _decoded_bytes += packed.place[2]
    while _decoded_bytes > DECODED_KEPT_BYTES and len(_DECODED) > 1:
        key, oldest = _DECODED.popitem(last=False)
        if oldest._used and oldest is not packed:
            oldest._used = False
            _DECODED[key] = oldest  # (another round)
            continue
        oldest._value = None
        _decoded_bytes -= oldest.place[2]


def forget_decoded() -> None:
    """At the end of a review: its spilled parts are gone."""
    global _decoded_bytes
    _DECODED.clear()
    _decoded_bytes = 0


def unpack(text: str | bytes) -> Any:
    """The value ``pack`` wrote; only registered types are rebuilt. Raises ValueError (or
    KeyError, IndexError, TypeError) on anything else."""
    return json.loads(text, object_hook=_Decoder().object)


def unpack_entry(entry: bytes) -> Any:
    """The value ``pack_entry`` wrote, its Packed parts still packed (their bytes)."""
    envelope, newline, parts = entry.partition(b"\n")
    if not newline:
        raise ValueError("no parts")
    return json.loads(envelope, object_hook=_Decoder(parts).object)


class _Decoder:
    """Rebuilds values from JSON objects as the parser finishes them (innermost first)."""

    def __init__(self, parts: bytes | None = None) -> None:
        self.dataclasses: list = []  # in the order finished: what ``{"$r": n}`` refers to
        self.parts = parts  # (see pack_entry)

    def object(self, value: dict) -> Any:
        if "$c" in value:  # a dataclass: most of what is stored (trace steps, origins, findings)
            cls = _TYPES[value["$c"]]
            names, values = _FIELDS[cls], value["v"]
            if values.__class__ is not list or len(values) != len(names):
                raise ValueError(f"{cls.__qualname__}: not {len(names)} field values")
            if cls in _PLAIN:
                instance = object.__new__(cls)
                instance.__dict__.update(zip(names, values))
            elif cls in _BUILDERS:
                instance = _BUILDERS[cls](*values)
            else:
                instance = cls(**dict(zip(names, values)))
            self.dataclasses.append(instance)
            return instance
        if "$r" in value:
            number = value["$r"]
            if number.__class__ is not int or number < 0:
                raise ValueError("not a reference")
            return self.dataclasses[number]
        if "$t" in value:
            return tuple(value["$t"])
        if "$f" in value:
            return frozenset(value["$f"])
        if "$d" in value:
            return value["$d"]  # (its own object came through here first, as a plain dict)
        if "$m" in value:
            return {key: item for key, item in value["$m"]}
        if "$s" in value:
            return set(value["$s"])
        if "$e" in value:
            return _TYPES[value["$e"]](value["v"])
        if "$o" in value:
            return _CONSTANT_VALUES[value["$o"]]
        if "$p" in value:
            if self.parts is not None:
                start, length, index = value["$p"]
                if start.__class__ is not int or length.__class__ is not int or not 0 <= start <= start + length <= len(self.parts):
                    raise ValueError("not a packed part")
                return Packed(self.parts[start:start + length], index)
            text, index = value["$p"]
            if text.__class__ is not str:
                raise ValueError("not a packed part")
            return Packed(text, index)
        if len(value) < 3 and any(key.startswith("$") for key in value):  # (tags have one or two keys)
            raise ValueError(f"not an encoded value: {sorted(value)[:3]}")
        return value  # a plain dict: the contents of a "$d", or the entry's envelope


def value_digest(value: Any, memo: dict | None = None) -> str:
    """A digest of ``value``: of its canonical text (see ``canonical_pack``), the same for the
    same value in another run; a random one when it cannot be encoded, so that it never matches.
    ``memo`` receives the text, by the value's id (``Packed.of`` then stores it as it is: the
    value must stay alive meanwhile)."""
    try:
        text = canonical_pack(value)
    except (NotCacheable, RecursionError, ValueError):
        return "uncacheable-" + secrets.token_hex(8)
    if memo is not None:
        memo[id(value)] = text
    return hashlib.sha256(text.encode()).hexdigest()  # (json.dumps writes ASCII)


# --- the store ------------------------------------------------------------------------------------
def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def identity(stat: os.stat_result) -> list[int]:
    return [stat.st_mtime_ns, stat.st_size, stat.st_ino, stat.st_ctime_ns]


def is_racy(stat: os.stat_result, now: float | None = None) -> bool:
    now = time.time() if now is None else now
    return stat.st_mtime_ns / 1e9 > now - RACY_SECONDS


class Cache:
    """One cache folder, used with one engine key (one configuration and code version)."""

    def __init__(self, folder: Path, engine_key: str, secret: bytes) -> None:
        self.folder = Path(folder)
        self.engine_key = engine_key
        self.secret = secret
        self.root = self.folder / FORMAT
        self.stats = {"hits": 0, "misses": 0, "rejected": 0, "written": 0}
        self._index: dict[str, list] | None = None
        self._index_changed = False

    @classmethod
    def open(cls, folder: str | os.PathLike, engine_key: str, key_file: Path | None = None) -> "Cache":
        folder = Path(folder)
        secret = load_secret(key_file)
        try:
            (folder / FORMAT / f"results-{engine_key[:16]}").mkdir(parents=True, exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                _atomic_write(ignore, b"# Created by secreview: this folder is a cache, never commit it.\n*\n")
            tag = folder / "CACHEDIR.TAG"
            if not tag.exists():
                _atomic_write(tag, b"Signature: 8a477f597d28d172789f06886806bc55\n# secreview review cache\n")
        except OSError as exc:
            raise CacheUnavailable(f"cannot use the cache folder {folder}: {exc.strerror or exc}") from None
        return cls(folder, engine_key, secret)

    # signed blobs
    def _sign(self, payload: bytes) -> bytes:
        return hmac.new(self.secret, payload, hashlib.sha256).hexdigest().encode()

    def _pack(self, payload: bytes) -> bytes:
        return _MAGIC + self._sign(payload) + b"\n" + payload

    def _unpack(self, blob: bytes) -> bytes | None:
        """The payload of a signed blob, or None when it is corrupt, truncated or not ours."""
        if not blob.startswith(_MAGIC):
            return None
        header, _, payload = blob[len(_MAGIC):].partition(b"\n")
        if not hmac.compare_digest(header, self._sign(payload)):
            return None
        return payload

    def _read(self, path: Path) -> bytes | None:
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        payload = self._unpack(blob)
        if payload is None:
            self.stats["rejected"] += 1
        return payload

    # file identity -> content hash
    @property
    def index(self) -> dict[str, list]:
        if self._index is None:
            self._index = {}
            payload = self._read(self.root / "index")
            if payload is not None:
                try:
                    data = json.loads(payload)
                    if isinstance(data, dict):
                        self._index = data
                except ValueError:
                    self.stats["rejected"] += 1
        return self._index

    def known_hash(self, file: str, stat: os.stat_result) -> str | None:
        """The content hash recorded for ``file`` if it has not changed since (same identity)."""
        entry = self.index.get(file)
        if entry and entry[:4] == identity(stat):
            return entry[4]
        return None

    def remember(self, file: str, stat: os.stat_result | None, digest: str, now: float | None = None) -> None:
        if stat is None or is_racy(stat, now):
            if self.index.pop(file, None) is not None:
                self._index_changed = True
            return
        entry = [*identity(stat), digest]
        if self.index.get(file) != entry:
            self.index[file] = entry
            self._index_changed = True

    def save_index(self) -> None:
        if not self._index_changed:
            return
        # Concurrent runs: each replaces the whole index; entries are hints checked against the
        # file's identity, so a lost update only costs a re-hash next time.
        payload = json.dumps(self.index, separators=(",", ":")).encode()
        try:
            _atomic_write(self.root / "index", self._pack(payload))
        except OSError:
            pass
        self._index_changed = False

    # results
    def result_key(self, digest: str, path: str, module_name: str, dependencies: str = "") -> str:
        parts = "\0".join((self.engine_key, digest, path, module_name, dependencies))
        return hashlib.sha256(parts.encode("utf-8", "surrogatepass")).hexdigest()

    def _result_path(self, key: str) -> Path:
        return self.root / f"results-{self.engine_key[:16]}" / key[:2] / key

    def prune(self, keep: int = KEEP_RESULT_SETS) -> None:
        """Remove the results of other configurations and secreview versions, except the ``keep``
        most recently used (the cache does not grow with every upgrade or configuration change)."""
        import shutil

        current = f"results-{self.engine_key[:16]}"
        try:
            others = [p for p in self.root.iterdir() if p.name.startswith("results-") and p.name != current]
            others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        except OSError:
            return
        for stale in others[max(0, keep - 1):]:
            shutil.rmtree(stale, ignore_errors=True)  # a concurrent run then only misses

    def load(self, key: str) -> Any | None:
        """The value stored under ``key``, or None."""
        payload = self._read(self._result_path(key))
        if payload is None:
            self.stats["misses"] += 1
            return None
        try:
            data = unpack_entry(payload)
            if data.get("key") != key:  # a valid entry copied under another name
                raise ValueError("misplaced entry")
            value = data["value"]
        except (ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError):
            self.stats["rejected"] += 1
            self.stats["misses"] += 1
            return None
        self.stats["hits"] += 1
        return value

    def store(self, key: str, value: Any) -> bool:
        """Store ``value``; False when it could not be stored. (The entry's signature covers its
        bytes: no digest of the value is needed, and computing one costs as much as encoding.)"""
        try:
            payload = pack_entry({"key": key, "value": value})
        except (NotCacheable, RecursionError, ValueError):
            return False
        path = self._result_path(key)
        try:
            try:
                _atomic_write(path, self._pack(payload))
            except FileNotFoundError:  # the entry's folder is the first of its kind (or was removed)
                path.parent.mkdir(parents=True, exist_ok=True)
                _atomic_write(path, self._pack(payload))
        except OSError:
            return False
        self.stats["written"] += 1
        return True


def code_fingerprint() -> str:
    """A hash of secreview's own source: results change whenever the code does, even between
    releases (rules are added without a version bump while developing)."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in {".py", ".toml", ".json"} and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"<unreadable>")
    return digest.hexdigest()


def engine_key(config_data: dict) -> str:
    """The key of everything besides a file's content that decides its result. The rules that
    run follow from the code and the configuration, so they need no part of their own."""
    from secreview import __version__

    parts = {
        "secreview": __version__,
        "code": code_fingerprint(),
        "python": list(sys.version_info[:3]),
        "config": config_data,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
