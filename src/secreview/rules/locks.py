"""Named locks, semaphores and shared-memory objects whose name is built from non-constant data."""
from __future__ import annotations

import ast

from secreview.rules.base import LOW, MEDIUM, dynamic_value_hit, rule
from secreview.rules.context import RuleContext

# Qualified name -> (position, keyword) of the argument that names the lock / IPC object.
NAMED_LOCKS: dict[str, tuple[int, str]] = {
    **{
        f"{package}.lockutils.{function}": (0, "name")
        for package in ("oslo_concurrency", "oslo.concurrency")
        for function in ("lock", "synchronized", "external_lock", "internal_lock", "remove_external_lock_file")
    },
    "fasteners.InterProcessLock": (0, "path"),
    "fasteners.InterProcessReaderWriterLock": (0, "path"),
    "fasteners.process_lock.InterProcessLock": (0, "path"),
    "fasteners.process_lock.InterProcessReaderWriterLock": (0, "path"),
    "filelock.FileLock": (0, "lock_file"),
    "filelock.SoftFileLock": (0, "lock_file"),
    "filelock.UnixFileLock": (0, "lock_file"),
    "filelock.WindowsFileLock": (0, "lock_file"),
    "filelock.AsyncFileLock": (0, "lock_file"),
    "posix_ipc.Semaphore": (0, "name"),
    "posix_ipc.SharedMemory": (0, "name"),
    "posix_ipc.MessageQueue": (0, "name"),
    "multiprocessing.shared_memory.SharedMemory": (0, "name"),
}


@rule(
    id="dynamic-lock-name",
    title="Externally controlled lock name",
    cwe=400,
    severity=LOW,
    confidence=MEDIUM,
    # Even with the name from a request, harm depends on how many locks a client can make and
    # what else uses that name: never more than medium confidence (also through helpers).
    max_confidence=MEDIUM,
    calls=sorted(NAMED_LOCKS),
    message="The name given to `{name}` is built from data that is not fixed in the source.",
    description="""A lock, semaphore or shared-memory object is named from data that is not a
        constant. Whoever controls that data chooses which lock is taken: they can create an
        unbounded number of distinct locks (lock files, semaphores: resource exhaustion, CWE-400),
        or pick the name of a lock the program uses internally and hold or contend for it
        (improper locking, CWE-667). Lock-file names are also paths.""",
    solution="""Lock on a fixed name, or validate the varying part first (a UUID, an integer id, an
        allow-listed interface name), e.g. `uuid.UUID(value)` or
        `re.fullmatch(r"[a-z0-9-]{1,15}", name)`, before building the lock name from it.""",
    example="""
        name = request.args["name"]
        with lockutils.lock("iface-" + name):
            configure(name)
    """,
    fixed="""
        name = request.args["name"]
        if not re.fullmatch(r"[a-z][a-z0-9]{0,14}", name):
            abort(400)
        with lockutils.lock("iface-" + name):
            configure(name)
    """,
)
def check_lock_name(call: ast.Call, ctx: RuleContext):
    position, keyword = NAMED_LOCKS[ctx.call_name(call)]
    name = ctx.argument(call, position, keyword)
    if name is None or (isinstance(name, ast.Constant) and name.value is None):
        return None  # an anonymous object (e.g. SharedMemory() picks a random name)
    callee = ctx.source(call.func)
    hit = dynamic_value_hit(
        ctx, call, name,
        tainted=f"The name of `{callee}` is built from untrusted data ({{source}}); a client chooses which lock is taken "
                "and can create unbounded distinct locks or contend with internal ones.",
        dynamic=f"The name of `{callee}` is built from `{ctx.source(name)}`, which is not a constant; "
                "if it can carry outside data, a client chooses which lock is taken.",
        sink_note="names the lock",
    )
    return hit
