"""Calls that hand a function and its arguments to a library, which calls it later (in a thread,
a process, an executor, after the response is sent...). The data flow treats each as a call of
that function with those arguments, so the sinks inside it are reached (``add_task(send, email)``
is ``send(email)``).

One row per API: where the function is, and where its arguments are. A row applies only when the
function given is one of the reviewed project's (a function of the file or of another project
file, a function defined in the caller, a method such as ``self.handle``): a library function
given to ``submit`` is not followed.

Rows by method name (``DEFERRED_METHODS``) do not know the receiver: ``background_tasks`` is
injected by FastAPI, an executor comes from ``with ThreadPoolExecutor() as pool``, a loop from
``asyncio.get_running_loop()`` -- rarely resolvable to a class. The name plus a project function
in the function's position is the signal (a method named ``submit`` given a project function and
arguments that runs it some other way is the cost of it).
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Deferred:
    """Where a deferring call holds the function and the arguments it will be called with.

    A place is a position (of the call's positional arguments) and a keyword, either None."""

    function: tuple[int | None, str | None]
    rest: int | None = None  # positional arguments from this position on are the function's, in order
    keywords: bool = False  # keyword arguments (other than the places below) are the function's
    args: tuple[int | None, str | None] | None = None  # a tuple of the function's positional arguments
    kwargs: tuple[int | None, str | None] | None = None  # a dict of its keyword arguments


# fn(*args, **kwargs) later: the function first, then what it is given.
_FIRST_THEN_ARGUMENTS = Deferred(function=(0, None), rest=1, keywords=True)
# threading.Thread(group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None), and
# multiprocessing.Process with the same signature.
_THREAD = Deferred(function=(1, "target"), args=(3, "args"), kwargs=(4, "kwargs"))

# By import-resolved qualified name.
DEFERRED_CALLS: dict[str, Deferred] = {
    "threading.Thread": _THREAD,
    "multiprocessing.Process": _THREAD,
    "multiprocessing.context.Process": _THREAD,
    # threading.Timer(interval, function, args=None, kwargs=None)
    "threading.Timer": Deferred(function=(1, "function"), args=(2, "args"), kwargs=(3, "kwargs")),
    # _thread.start_new_thread(function, args, kwargs=...)
    "_thread.start_new_thread": Deferred(function=(0, None), args=(1, None), kwargs=(2, None)),
    # partial(func, /, *args, **keywords): the partial object is called later, or passed on to
    # something that calls it; what it was given is what the function gets.
    "functools.partial": _FIRST_THEN_ARGUMENTS,
    "asyncio.to_thread": _FIRST_THEN_ARGUMENTS,
    # anyio.to_thread.run_sync(func, *args, ...): no keyword arguments for func
    "anyio.to_thread.run_sync": Deferred(function=(0, None), rest=1),
    # Starlette's background task, given to a response: BackgroundTask(func, *args, **kwargs)
    "starlette.background.BackgroundTask": _FIRST_THEN_ARGUMENTS,
    "atexit.register": _FIRST_THEN_ARGUMENTS,
}

# By method name, whatever the receiver (see above).
DEFERRED_METHODS: dict[str, Deferred] = {
    # FastAPI/Starlette BackgroundTasks.add_task(func, *args, **kwargs)
    "add_task": _FIRST_THEN_ARGUMENTS,
    # concurrent.futures Executor.submit(fn, /, *args, **kwargs)
    "submit": _FIRST_THEN_ARGUMENTS,
    # asyncio loop.run_in_executor(executor, func, *args)
    "run_in_executor": Deferred(function=(1, None), rest=2),
    # asyncio loop.call_soon(callback, *args), call_soon_threadsafe(callback, *args)
    "call_soon": Deferred(function=(0, None), rest=1),
    "call_soon_threadsafe": Deferred(function=(0, None), rest=1),
    # multiprocessing Pool.apply_async(func, args=(), kwds={})
    "apply_async": Deferred(function=(0, "func"), args=(1, "args"), kwargs=(2, "kwds")),
}

# The last names of both tables: a call spelled with one of these may defer a call (a cheap test
# on the syntax alone, used to order a file's functions so the deferred one comes first).
DEFERRED_LAST_NAMES = frozenset({name.rsplit(".", 1)[-1] for name in DEFERRED_CALLS} | set(DEFERRED_METHODS))
