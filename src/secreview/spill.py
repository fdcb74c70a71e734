"""Where a review keeps the packed parts of every file's outcome: on disk, not in memory.

A file's own summaries and call sites are kept for the whole review (the other files' analyses
and the project pass need them), so a review holding them in memory grows with the project: ten
times Django was 490 MB in the parent process. Packed (see cache.Packed), they are text; spilled,
they are a place in a file: each process that packs appends to its own spill file (no locking),
and any process of the review reads any spill file by its path, when a part is decoded.

The folder is the review's own temporary folder, removed when the review ends (``Spill``).
"""
from __future__ import annotations

import os
import shutil
import tempfile

# Where a spilled text is: (spill file, offset, length in bytes).
Place = tuple[str, int, int]


class SpillFile:
    """A process's spill file, appended to."""

    def __init__(self, folder: str) -> None:
        self.path = os.path.join(folder, f"spill-{os.getpid()}-{id(self):x}")
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o600)
        self._size = 0

    def write(self, data: bytes) -> Place:
        offset = self._size
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view):]
        self._size += len(data)
        return (self.path, offset, len(data))

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


_readers: dict[str, int] = {}  # spill file -> a descriptor open for reading (this process's)


def read(place: Place) -> bytes:
    """The text spilled at ``place`` (OSError if the review's spill folder is gone)."""
    path, offset, length = place
    fd = _readers.get(path)
    if fd is None:
        fd = _readers[path] = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    data = os.pread(fd, length, offset)
    if len(data) != length:
        raise OSError(f"spill file {path} is shorter than expected")
    return data


def close_readers() -> None:
    for fd in _readers.values():
        os.close(fd)
    _readers.clear()


class Spill:
    """A review's spill folder, made when first asked for (None when a temporary folder cannot
    be made: parts then stay in memory), and this process's spill file in it; on exit, both
    are removed."""

    def __init__(self) -> None:
        self._folder: str | None = None
        self._file: SpillFile | None = None
        self._failed = False

    def __enter__(self) -> "Spill":
        return self

    def folder(self) -> str | None:
        if self._folder is None and not self._failed:
            try:
                self._folder = tempfile.mkdtemp(prefix="secreview-spill-")
            except OSError:
                self._failed = True
        return self._folder

    def file(self) -> SpillFile | None:
        if self._file is None and self.folder() is not None:
            try:
                self._file = SpillFile(self._folder)
            except OSError:
                self._failed = True
        return self._file

    def __exit__(self, *exc_info) -> None:
        close_readers()
        if self._file is not None:
            self._file.close()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
