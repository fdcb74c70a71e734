"""Module-level state: what a function of a file stores in a name the module binds (a registry,
a queue, a cache, a "current" value) is read back by the file's other functions -- another
request handler, or the same one on a later request (a second-order flow, see
dataflow/module_state.py).

A store is an item or attribute assignment on the module's container (``PENDING[key] = value``,
``STATE.path = value``), a rebinding after ``global name``, or a call of one of these methods on
it: methods of the built-in containers (and ``collections.deque``) that put their arguments in
the receiver. Methods that only take things out or reorder (``pop``, ``remove``, ``sort``) store
nothing; ``write`` is a file's or a response's, not state.
"""

STORING_METHODS = frozenset({
    "append", "extend", "insert",            # list
    "add", "update",                         # set, dict
    "setdefault",                            # dict
    "appendleft", "extendleft",              # collections.deque
})
