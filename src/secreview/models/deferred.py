"""Calls that hand a function and its arguments to a library, which calls it later (in a thread,
a process, an executor, after the response is sent...). The data flow treats each as a call of
that function with those arguments, so the sinks inside it are reached (``add_task(send, email)``
is ``send(email)``).

One row per API: where the function is, and where its arguments are. For the data flow, a row
applies when the function given is one of the reviewed project's (a function of the file or of
another project file, a function defined in the caller, a method such as ``self.handle``). A
library function given (``pool.submit(os.system, cmd)``) is a call of it at the place of the
deferring call for the rules that check it (see rules/handed.py): its sinks are theirs.

A map (``executor.map(f, names)``, ``pool.map``, ``map(f, names)``) calls the function once per
element: the element is the argument. A Celery task is called through methods of the function
itself (``send_report.delay(x)``, ``send_report.apply_async(args=[x])``, ``send_report.s(x)``):
those rows (``DEFERRED_TASK_METHODS``) find the function in the receiver. A signature
(``send_report.s(x)``) is taken as ``functools.partial`` is: the data it holds is handed to the
task where it is made, whatever later sends it (``.delay()``, ``chain(...)``, ``group(...)``).

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

    function: tuple[int | None, str | None] | None  # None: the receiver (``send_report.delay(x)``)
    rest: int | None = None  # positional arguments from this position on are the function's, in order
    keywords: bool = False  # keyword arguments (other than the places below) are the function's
    args: tuple[int | None, str | None] | None = None  # a tuple of the function's positional arguments
    kwargs: tuple[int | None, str | None] | None = None  # a dict of its keyword arguments
    # positional arguments from this position on are iterables: the function is called with an
    # element of each, in order (``map(f, names, sizes)``)
    each: int | None = None
    # an iterable of argument tuples: the function is called with the elements of one (``starmap``)
    each_args: tuple[int | None, str | None] | None = None
    # the call makes a function that calls it (``partial(f, x)``): called at once
    # (``partial(f, x)(y)``), ``f`` gets both what it holds and what it is given there
    returns_function: bool = False


# fn(*args, **kwargs) later: the function first, then what it is given.
_FIRST_THEN_ARGUMENTS = Deferred(function=(0, None), rest=1, keywords=True)
# threading.Thread(group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None), and
# multiprocessing.Process with the same signature.
_THREAD = Deferred(function=(1, "target"), args=(3, "args"), kwargs=(4, "kwargs"))

# f(element) for each element of each iterable: map(func, *iterables), Executor.map(fn,
# *iterables, timeout=None, chunksize=1), Pool.map(func, iterable, chunksize=None) (a chunksize
# taken for an iterable is a number: it carries nothing).
_MAP = Deferred(function=(0, "func"), each=1)
# f(*arguments) for each tuple: itertools.starmap(function, iterable), Pool.starmap(func, iterable).
_STARMAP = Deferred(function=(0, "func"), each_args=(1, "iterable"))

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
    "functools.partial": Deferred(function=(0, None), rest=1, keywords=True, returns_function=True),
    "asyncio.to_thread": _FIRST_THEN_ARGUMENTS,
    # anyio.to_thread.run_sync(func, *args, ...): no keyword arguments for func
    "anyio.to_thread.run_sync": Deferred(function=(0, None), rest=1),
    # Starlette's background task, given to a response: BackgroundTask(func, *args, **kwargs)
    "starlette.background.BackgroundTask": _FIRST_THEN_ARGUMENTS,
    "atexit.register": _FIRST_THEN_ARGUMENTS,
    "map": _MAP,  # (the builtin, unless the module defines or imports a ``map`` of its own)
    "builtins.map": _MAP,
    "itertools.starmap": _STARMAP,
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
    # concurrent.futures Executor.map(fn, *iterables); multiprocessing Pool.map(func, iterable),
    # imap, imap_unordered, map_async (the same first two parameters)
    "map": _MAP,
    "imap": _MAP,
    "imap_unordered": _MAP,
    "map_async": _MAP,
    # Pool.starmap(func, iterable), starmap_async
    "starmap": _STARMAP,
    "starmap_async": _STARMAP,
}

# Celery: methods of the task (the function the ``@app.task`` / ``@shared_task`` decorator made),
# by name, when the receiver is a project function. A task declared ``bind=True`` is given the task
# itself first: the function's first parameter, when it is named ``self``, is not an argument.
_TASK_ARGUMENTS = Deferred(function=None, rest=0, keywords=True)  # task.delay(*args, **kwargs)
_TASK_PACKED = Deferred(function=None, args=(0, "args"), kwargs=(1, "kwargs"))  # (args=None, kwargs=None, **options)
DEFERRED_TASK_METHODS: dict[str, Deferred] = {
    "delay": _TASK_ARGUMENTS,
    "apply_async": _TASK_PACKED,
    "apply": _TASK_PACKED,  # (run at once, in this process)
    # signatures, sent later (``.delay()``, ``.apply_async()``, in a chain, group or chord):
    # s(*args, **kwargs), si (immutable: the same), signature(args=None, kwargs=None, **options)
    "s": _TASK_ARGUMENTS,
    "si": _TASK_ARGUMENTS,
    "signature": _TASK_PACKED,
    # task.map(iterable), task.starmap(iterable), task.chunks(iterable, n) (argument tuples)
    "map": Deferred(function=None, each=0),
    "starmap": Deferred(function=None, each_args=(0, None)),
    "chunks": Deferred(function=None, each_args=(0, None)),
}

# The last names of the tables: a call spelled with one of these may defer a call (a cheap test
# on the syntax alone, used to order a file's functions so the deferred one comes first).
DEFERRED_LAST_NAMES = frozenset({name.rsplit(".", 1)[-1] for name in DEFERRED_CALLS} | set(DEFERRED_METHODS)
                                | set(DEFERRED_TASK_METHODS))
