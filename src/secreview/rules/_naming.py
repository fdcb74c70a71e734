"""Shared helpers for pattern rules that judge code by the *names* in it: what a variable, attribute or
dictionary key holds (a password? an API key?) and whether the code is test code.

Not a rule module (the leading underscore keeps the rule loader from importing it as one).
"""
from __future__ import annotations

import ast
import functools
import re
from pathlib import PurePath

from secreview.rules.context import RuleContext

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")

PASSWORD_WORDS = frozenset({"password", "passwords", "passwd", "pwd", "passphrase", "pass", "pw", "pword"})
SECRET_WORDS = frozenset({
    "secret", "secrets", "token", "tokens", "apikey", "apikeys", "credential", "credentials", "creds",
    "privatekey", "secretkey", "accesskey", "authkey", "apisecret", "apitoken", "authtoken",
    "accesstoken", "refreshtoken", "bearertoken", "clientsecret", "sessionkey", "signingkey",
    "encryptionkey", "masterkey",
})
# "key" alone is usually a dictionary key or an identifier; it is a credential after these words.
KEY_QUALIFIERS = frozenset({
    "api", "secret", "private", "access", "auth", "signing", "encryption", "master", "client",
    "session", "hmac", "jwt", "app", "crypt", "aes", "fernet", "ssh", "license", "consumer",
})

# Words before "tokens" that say which credential a list of tokens holds (``api_tokens``,
# ``access_tokens``); without one, ``tokens`` may as well be a parser's or a count.
TOKEN_KINDS = KEY_QUALIFIERS | {"refresh", "bearer", "id", "oauth", "csrf", "reset", "personal", "user"}

# ``<word>_tokens`` counts (language-model) tokens: prompt_tokens, max_tokens, num_tokens.
COUNTED_TOKENS = frozenset({
    "max", "min", "num", "n", "total", "prompt", "completion", "input", "output", "used", "remaining",
    "context", "cached", "generated", "new", "reasoning", "billed", "estimated", "count", "counted", "limit",
})
# ``<word>_token`` that is a pagination or sync cursor handed out by an API, not a credential.
CURSOR_TOKENS = frozenset({"page", "next", "prev", "previous", "continuation", "pagination", "cursor", "resume", "sync",
                           "input", "output",  # (botocore-style paginators: input_token, output_token)
                           "since", "batch"})  # (sync and search APIs: since_token, next_batch / batch_token)

# ``<verb>_password`` names an action on a password, an option or a policy about one
# (``update_password="always"``, ``require_password``), not a password. (Not for tokens: a
# ``refresh_token``, ``access_token`` or ``verify_token`` holds one.)
PASSWORD_ACTIONS = frozenset({
    "update", "change", "check", "verify", "validate", "require", "requires", "ask", "prompt", "generate",
    "expire", "rotate", "remember", "save", "store", "show", "hide", "use", "enable", "disable", "force",
    "allow", "manage", "sync", "get",
})

# A first word that makes the name a yes/no setting about a credential (``use_cache_for_token``,
# ``allow_empty_password``, ``is_secret``), not one.
FLAG_WORDS = frozenset({
    "is", "has", "have", "use", "uses", "allow", "allows", "enable", "enabled", "disable", "disabled",
    "permit", "permits", "should", "can", "must", "need", "needs", "require", "requires", "skip", "no",
    "show", "hide", "want", "wants",
})
# A preposition before the last word: the name's head comes before it (``subfolder_for_token``,
# ``hash_of_password``). Not "by" or "with": ``users_by_token`` is keyed by tokens, and
# ``user_with_token`` carries one.
HEAD_BEFORE = frozenset({"for", "of", "from", "per", "to", "in", "on", "about", "without"})

PASSWORD, SECRET = "password", "secret"


def name_words(name: str) -> list[str]:
    """``dbAdminPassword2`` -> ["db", "admin", "password"]: lower-cased words, trailing digits dropped."""
    words = [w.lower() for w in _WORD.findall(name)]
    while words and words[-1].isdigit():
        words.pop()
    return words


@functools.lru_cache(maxsize=1 << 16)  # asked for every name a value is stored under; few distinct
def credential_kind(name: str | None) -> str | None:
    """PASSWORD, SECRET or None for a variable/attribute/key name.

    The *last* word decides: ``db_password`` and ``API_TOKEN`` hold credentials, while
    ``password_field``, ``token_url`` and ``secret_name`` hold something about one; so does a
    password after an action (``update_password``: when to update it), a credential after a
    preposition (``salt_for_password``), and a yes/no setting (``use_token``, ``is_secret``).
    """
    if not name:
        return None
    words = name_words(name)
    if not words:
        return None
    if len(words) > 1 and (words[0] in FLAG_WORDS or words[-2] in HEAD_BEFORE):
        return None  # use_token, allow_empty_password (settings); cache_subfolder_for_token
    last = words[-1]
    if last in PASSWORD_WORDS or "password" in last or last.endswith("passwd"):
        if len(words) > 1 and words[-2] in PASSWORD_ACTIONS:
            return None  # update_password: the head is the action ("always", "on_create")
        return PASSWORD
    if last in SECRET_WORDS or last.endswith(("secret", "token", "apikey")):
        if len(words) > 1 and ((last == "tokens" and words[-2] in COUNTED_TOKENS)
                               or (last == "token" and words[-2] in CURSOR_TOKENS)):
            return None  # max_tokens (a count of LLM tokens), next_page_token (a pagination cursor)
        if last.endswith("token") and last[:-5] in CURSOR_TOKENS:
            return None  # synctoken, pagetoken: a cursor written as one word
        return SECRET
    if last in ("key", "keys") and len(words) > 1 and words[-2] in KEY_QUALIFIERS:
        return SECRET
    return None


def reference_name(expr: ast.AST) -> str | None:
    """The name a value is stored under: ``x`` in ``x``, ``obj.x``, ``d["x"]`` (constant key)."""
    # (class tests, not a match statement: asked for every assignment target and comparison)
    cls = expr.__class__
    if cls is ast.Name:
        return expr.id  # type: ignore[attr-defined]
    if cls is ast.Attribute:
        return expr.attr  # type: ignore[attr-defined]
    if cls is ast.Subscript:
        key = expr.slice  # type: ignore[attr-defined]
        if key.__class__ is ast.Constant and isinstance(key.value, str):
            return key.value
    return None


# Libraries whose only use is making test data: a module importing one is test code
# (factory_boy's model factories: users with fixed passwords for a test database).
TEST_DATA_LIBRARIES = ("factory",)


def is_test_code(ctx: RuleContext) -> bool:
    """Test files (test_*.py, *_test.py, conftest.py, files under tests/ or testutils/, testproject/...), test functions/classes,
    and modules that make test data (by their name, or by importing factory_boy)."""
    return is_test_location(ctx.path, ctx.ancestors) or makes_test_data_with_library(ctx.facts)


def makes_test_data_with_library(facts) -> bool:
    """Does the module import a library made for test data (TEST_DATA_LIBRARIES)?"""
    return any(facts.imports.imports_module(library) for library in TEST_DATA_LIBRARIES)


def is_test_path(path_text: str) -> bool:
    path = PurePath(path_text.replace("\\", "/"))
    name = path.name
    if name.startswith("test_") or name.endswith("_test.py") or name in ("conftest.py", "tests.py"):
        return True
    if _makes_test_data(path.stem):
        return True
    return any(part in ("tests", "test", "testing") or _TEST_SUPPORT_FOLDER.match(part) for part in path.parts[:-1])


# Folders of code that serves the tests: helpers (``testutils/``, ``test_helpers/``) and the
# small project a reusable app's tests run in (``testproject/``, with its test settings). Not a
# word that only begins so (``testimonials/``) nor an application's own ``utils/``.
_TEST_SUPPORT_FOLDER = re.compile(r"tests?_?(utils?|helpers?|support|project|site|app)$", re.IGNORECASE)


# Modules of stand-ins for tests: canned responses, fake services.
_TEST_DOUBLE_MODULES = frozenset({"mocks", "fakes"})


def _makes_test_data(stem: str) -> bool:
    """Is a module named ``stem`` one that makes test data (``create_test_data``, ``testdata``;
    not ``latest_data``) or test doubles (``mocks``, ``fakes``)? Its users and passwords are for a
    test or demo database, its requests are a test's."""
    words = stem.lower().split("_")
    return (stem.lower() in _TEST_DOUBLE_MODULES or "testdata" in words
            or any(first == "test" and second == "data" for first, second in zip(words, words[1:])))


def is_test_location(path_text: str, ancestors) -> bool:
    """In a test file, or inside a test function or class."""
    if is_test_path(path_text):
        return True
    for node in ancestors:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_test_function_name(node.name):
            return True
        if isinstance(node, ast.ClassDef) and (node.name.startswith("Test") or node.name.endswith(("Test", "Tests", "TestCase"))):
            return True  # (``UserTestCase``: a base class of a project's test cases)
    return False


def in_test_code(ctx: RuleContext, hit):
    """Lower a hit found in test code to low confidence (tests create world-writable scratch
    files, fixed /tmp paths and local servers on purpose); returns the hit."""
    if hit is not None and is_test_code(ctx):
        from secreview.findings import Level

        hit.confidence = Level.LOW
    return hit


def last_name(func: ast.expr) -> str | None:
    """``verify`` for ``verify(...)``, ``key.verify(...)`` and ``a.b.verify(...)``."""
    # (class tests, not isinstance: asked for every call the rule dispatch sees)
    cls = func.__class__
    if cls is ast.Attribute:
        return func.attr  # type: ignore[attr-defined]
    if cls is ast.Name:
        return func.id  # type: ignore[attr-defined]
    return None


def _is_test_function_name(name: str) -> bool:
    return name == "test" or name.startswith("test_") or (name.startswith("test") and name[4:5].isupper())


# Words that mark an assert as an authorization/authentication check, anywhere in a name...
SECURITY_WORDS = frozenset({
    "auth", "authenticated", "authorized", "authorised", "authz", "authn", "authenticate",
    "authorize", "permission", "permissions", "perm", "perms", "admin", "superuser", "staff",
    "role", "roles", "privilege", "privileges", "privileged", "csrf", "acl", "granted", "login",
    "signature", "signed", "verified", "hmac", "password", "secret", "sudo",
})
# ...and words that do so only at the end of a name (`is_owner`, `has_access`, not `ownerDocument`).
SECURITY_LAST_WORDS = frozenset({"owner", "owns", "access", "allowed", "trusted"})


# Objects whose ``can_*``/``may_*`` attributes say what a piece of software supports, not what a
# user may do (``connection.features.can_return_rows_from_bulk_insert``).
CAPABILITY_RECEIVERS = frozenset({"features", "capabilities", "dialect"})


def looks_like_security_check(*exprs: ast.AST, extra_words: frozenset[str] = frozenset(),
                              skip_data_shape: bool = False, skip=None) -> bool:
    """Some name in ``exprs`` is about authentication/authorization (``user.is_admin``,
    ``has_access``, ``can_edit``), or contains one of ``extra_words``. ``skip_data_shape``: names
    only tested for presence or shape (``password is None``, ``auth.keys() == {...}``) and
    capability flags (``features.can_...``) do not count: they check the program's own data.
    ``skip``: a predicate for further nodes (and their subtrees) that do not count."""
    if skip is not None:
        prune = (lambda node: _is_data_shape_test(node) or skip(node)) if skip_data_shape else skip
        nodes = _walk_pruned(exprs, prune)
    elif skip_data_shape:
        nodes = _walk_pruned(exprs, _is_data_shape_test)
    else:
        nodes = (n for e in exprs for n in ast.walk(e))
    not_the_answer: set[int] = set()  # holders of attributes, arguments of calls (see below)
    for node in nodes:  # (parents come before their children)
        cls = node.__class__
        if cls is ast.Call:
            not_the_answer.update(id(argument) for argument in node.args)  # type: ignore[attr-defined]
            not_the_answer.update(id(keyword.value) for keyword in node.keywords)  # type: ignore[attr-defined]
        name = node.id if cls is ast.Name else node.attr if cls is ast.Attribute else None  # type: ignore[attr-defined]
        if not name:
            continue
        if cls is ast.Attribute:
            not_the_answer.add(id(node.value))  # type: ignore[attr-defined]
        words = name_words(name)
        if set(words) & (SECURITY_WORDS | extra_words):
            return True
        # owner/access/allowed/trusted say what a name answers (``doc.owner == user``,
        # ``has_access``), not what an object holding other things is (``access.mode``, a lock's)
        # or what a call is handed (``lock.claim(owner, access)``).
        if words and words[-1] in SECURITY_LAST_WORDS and id(node) not in not_the_answer:
            return True
        if len(words) > 1 and words[0] in ("can", "may"):  # user.can_edit(doc)
            return True
    return False


def _walk_pruned(exprs, prune):
    """The nodes of ``exprs`` (in no particular order), without the subtrees ``prune`` accepts."""
    pending = list(exprs)
    while pending:
        node = pending.pop()
        if prune(node):
            continue
        yield node
        pending.extend(ast.iter_child_nodes(node))


def _is_data_shape_test(node: ast.AST) -> bool:
    """``x is None`` / ``x is not None`` (is there a value, not what it allows), ``d.keys()``
    (which fields a dict has), ``features.can_x`` (what a backend supports)."""
    if isinstance(node, ast.Compare):
        return all(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops) and all(
            isinstance(c, ast.Constant) and c.value is None for c in node.comparators)
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Attribute) and node.func.attr == "keys" and not node.args
    if isinstance(node, ast.Attribute) and node.attr.startswith(("can_", "may_", "supports_")):
        receiver = node.value
        name = receiver.attr if isinstance(receiver, ast.Attribute) else receiver.id if isinstance(receiver, ast.Name) else None
        return name in CAPABILITY_RECEIVERS
    return False


def dotted_name(expr: ast.expr) -> str | None:
    """``self._session`` for that expression (unresolved: the names as written); None for
    anything but names and attributes."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        holder = dotted_name(expr.value)
        return None if holder is None else f"{holder}.{expr.attr}"
    return None
