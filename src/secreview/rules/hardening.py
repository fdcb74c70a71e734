"""Hardening checks: asserts used as checks, permissive chmod, binding to all interfaces, HTTP
requests without timeout, debug modes, commands run as root, the logging config listener."""
from __future__ import annotations

import ast
import re
import stat
from pathlib import PurePath

from secreview.rules._naming import (
    SECURITY_WORDS, credential_kind, dotted_name, in_test_code, is_test_code, looks_like_security_check, name_words,
    reference_name,
)
from secreview.rules._unpacked import unpacked_keywords
from secreview.rules.base import HIGH, LOW, MEDIUM, Hit, rule
from secreview.rules.context import RuleContext

# --- assert ------------------------------------------------------------------------------------

@rule(
    id="assert-used",
    title="Assert used for a run-time check",
    cwe=703,
    severity=LOW,
    confidence=LOW,
    bandit=["B101"],
    nodes=[ast.Assert],
    description="""`assert` statements are removed when Python runs with -O or PYTHONOPTIMIZE, so a
        check written as an assert silently disappears in optimized deployments. When the assert
        guards authentication, permissions or validation, the guarded code then runs without the
        check. Asserts in tests, type-narrowing asserts (isinstance, issubclass) and assert False
        markers are not reported; an assert that only checks types (``all(isinstance(p,
        Permission) for p in permissions)``, an optional value's ``password is None or
        isinstance(password, str)``) is argument validation, whatever the names: low.
        An assert is taken as a security check (medium confidence) when it tests a
        name about permissions or authentication (`user.is_admin`, `can_edit`); not when it only
        tests whether such a value is there (`password is not None`, `assert csrf_token`),
        which fields a dict has
        (`auth.keys() == {...}`) or what a backend supports (`connection.features.can_...`), nor
        when a "role" is compared only with values that are no access roles
        (`role in ("appender", "remover")`, unlike "admin", "staff", "owner", "viewer"). "owner"
        and "access" count where they are what is tested (`doc.owner == user`,
        `has_access(user, doc)`), not for an object holding other things (`access.mode`, a
        lock's) nor an argument of the call tested (`lock.available(owner, access)`). A flag of
        the program's own configuration is an invariant of the deployment, not a user's
        permission (low): one read from a config/settings object (`hs.config.email.can_verify_email`)
        or a flag of `self` that its class sets only from configuration (`self._can_write_to_receipts
        = self.instance_name in config.worker.writers`), unless a user, request or session is
        on the way. Nor is an assert that runs once, when the module is imported (at module level
        or in a class body: `assert has_permission`, pyflakes' mark of a re-exported name,
        `assert settings.SECURE_SSL_REDIRECT`): it decides nothing about a user (low).""",
    solution="""Use an explicit check that always runs: `if not user.is_admin: raise
        PermissionDenied()` (or raise ValueError for argument validation).""",
    example="""
        def delete_project(user, project):
            assert user.is_admin, "admins only"
            project.delete()
    """,
    fixed="""
        def delete_project(user, project):
            if not user.is_admin:
                raise PermissionDenied("admins only")
            project.delete()
    """,
)
def check_assert(node: ast.Assert, ctx: RuleContext):
    test = node.test
    if is_test_code(ctx) or ctx.is_constant(test):
        return None  # tests, and `assert False, "unreachable"` markers
    if isinstance(test, ast.Call) and ctx.call_name(test) in _TYPE_TESTS:
        return None  # type narrowing for type checkers, not a run-time guard
    if not _only_type_tests(test, ctx) and (
            looks_like_security_check(test, skip_data_shape=True) or _asserts_access(test, ctx)) \
            and not _role_of_something_else(test, ctx) and not _credential_is_there(test) \
            and not _asserts_own_configuration(test, ctx) and not _runs_at_import(ctx):
        return Hit(node, severity=MEDIUM, confidence=MEDIUM,
                   message=f"`assert {ctx.source(test)}` looks like a security check; it is removed under python -O.")
    return Hit(node, message=f"`assert {ctx.source(test)}` is removed under python -O; use an explicit check if it must hold in production.")


_TYPE_TESTS = frozenset({"isinstance", "builtins.isinstance", "issubclass", "builtins.issubclass"})


def _runs_at_import(ctx: RuleContext) -> bool:
    """Is the assert outside every function (at module level, in a class body)? It runs once, when
    the module is imported, before any request: ``assert HasPermission`` there marks an imported
    name as used (re-exported), ``assert settings.SECURE_SSL_REDIRECT`` checks the deployment; no
    user's access is decided."""
    return ctx.function is None


def _only_type_tests(test: ast.expr, ctx: RuleContext) -> bool:
    """``all(isinstance(p, Permission) for p in permissions)``, ``isinstance(a, str) and
    issubclass(b, Base)``: the test only checks the types of values, whatever their names say
    (a list of permissions, a user class): argument validation, not an access decision."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _only_type_tests(test.operand, ctx)
    if isinstance(test, ast.BoolOp):
        # ``password is None or isinstance(password, str)``: an optional value's type (a test
        # of None counts along a type test, not alone: ``assert user is not None`` is no type check)
        tests = [value for value in test.values if not _tests_none(value)]
        return bool(tests) and all(_only_type_tests(value, ctx) for value in tests)
    if not isinstance(test, ast.Call):
        return False
    called = ctx.call_name(test)
    if called in _TYPE_TESTS:
        return True
    if called in ("all", "any", "builtins.all", "builtins.any") and len(test.args) == 1 and not test.keywords:
        items = test.args[0]
        return isinstance(items, (ast.GeneratorExp, ast.ListComp, ast.SetComp)) and _only_type_tests(items.elt, ctx)
    return False


def _tests_none(test: ast.expr) -> bool:
    """``x is None``, ``x is not None``."""
    return (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Is, ast.IsNot))
            and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None)


def _credential_is_there(test: ast.expr) -> bool:
    """``assert csrf_token`` (after reading it back from the database), ``assert not (token and
    secret)``: the truth of a credential says whether there is one, as ``token is not None`` does;
    it grants nothing (a flag such as ``user.is_admin`` does)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _credential_is_there(test.operand)
    if isinstance(test, ast.BoolOp):
        return all(_credential_is_there(value) for value in test.values)
    return isinstance(test, (ast.Name, ast.Attribute)) and credential_kind(reference_name(test)) is not None


# Names of a program's configuration: a flag read from one (``hs.config.email.can_verify_email``,
# ``settings.ADMIN_SITE_ENABLED``) says how this deployment is set up, the same for every request.
_CONFIGURATION_WORDS = frozenset({"config", "conf", "cfg", "configuration", "settings", "setting"})
# Words of whom an access check asks about: a flag of one of these is someone's permission.
_PRINCIPAL_WORDS = frozenset({
    "user", "users", "request", "session", "account", "member", "principal", "identity", "caller", "actor",
    "requester", "viewer", "owner", "role", "roles",
})


def _asserts_own_configuration(test: ast.expr, ctx: RuleContext) -> bool:
    """``assert hs.config.email.can_verify_email``, ``assert self._can_write_to_receipts`` (which
    the class sets from ``hs.config.worker.writers``): invariants of how this process is deployed
    (a feature enabled, the worker that writes a stream), true or false for every request alike.
    An access check asks about someone (``user.is_admin``, ``request.user.has_perm(...)``,
    ``request.user.id in app.config["MAINTAINERS"]``): a flag of a principal, a call or a
    comparison is never taken for configuration."""
    flags = _flags_tested(test)
    return bool(flags) and all(_configuration_flag(flag, ctx) for flag in flags)  # type: ignore[union-attr]


def _flags_tested(test: ast.expr) -> list[ast.Attribute] | None:
    """The attributes whose truth ``test`` is (``a.x``, ``not a.x``, ``a.x and b.y``), else None."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _flags_tested(test.operand)
    if isinstance(test, ast.BoolOp):
        parts = [_flags_tested(value) for value in test.values]
        return None if any(part is None for part in parts) else [flag for part in parts for flag in part]  # type: ignore[union-attr]
    return [test] if isinstance(test, ast.Attribute) else None


def _configuration_flag(flag: ast.Attribute, ctx: RuleContext) -> bool:
    """A flag read from a configuration object, or a flag of ``self`` that its class sets (in
    this file) only from configuration; no holder on the way is a principal (a user, a request)."""
    holder = dotted_name(flag.value)
    holders = None if holder is None else holder.split(".")  # ``hs.config.email`` -> its names
    if holders is None or any(_PRINCIPAL_WORDS & set(name_words(name)) for name in holders):
        return False
    if any(_CONFIGURATION_WORDS & set(name_words(name)) for name in holders):
        return True
    return holders == ["self"] and _set_from_configuration(flag.attr, ctx)


def _set_from_configuration(attribute: str, ctx: RuleContext) -> bool:
    """``self.<attribute>`` is assigned in the enclosing class, and every value assigned reads a
    configuration (``self._instance_name in hs.config.worker.writers.receipts``) and names no
    principal. Not known (nothing assigns it here: a base class of another file, a property):
    False, the assert stays a possible check."""
    owner = next((node for node in reversed(ctx.ancestors) if isinstance(node, ast.ClassDef)), None)
    if owner is None:
        return False
    values = [node.value for node in ast.walk(owner)
              if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value is not None
              and any(_is_self_attribute(target, attribute) for target in _assigned_targets(node))]
    return bool(values) and all(_reads_configuration(value) for value in values)


def _assigned_targets(node: ast.Assign | ast.AnnAssign | ast.AugAssign) -> list[ast.expr]:
    return node.targets if isinstance(node, ast.Assign) else [node.target]


def _is_self_attribute(target: ast.expr, attribute: str) -> bool:
    return (isinstance(target, ast.Attribute) and target.attr == attribute
            and isinstance(target.value, ast.Name) and target.value.id == "self")


def _reads_configuration(value: ast.expr) -> bool:
    """A configuration is read (a name or attribute with a config word on the way) and no
    principal holds what is read (``request.user.is_staff``); a principal's word as the entry
    read (``config.writers.account_data``: the account-data stream's writers) is no principal."""
    holders = {id(node.value) for node in ast.walk(value) if isinstance(node, ast.Attribute)}
    read = holder_words = frozenset[str]()
    for node in ast.walk(value):
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
        if name:
            words = frozenset(name_words(name))
            read |= words
            if isinstance(node, ast.Name) or id(node) in holders:
                holder_words |= words
    return bool(read & _CONFIGURATION_WORDS) and not holder_words & _PRINCIPAL_WORDS


# Words of the roles that decide what someone may do (``role in ("admin", "viewer")``); a "role"
# compared only with other values is the part something plays (``role in ("appender",
# "remover")``: a collection method's role), not an access role.
_ACCESS_ROLE_WORDS = frozenset({
    "admin", "admins", "administrator", "superuser", "super", "staff", "owner", "root", "sudo", "moderator",
    "mod", "editor", "manager", "member", "user", "guest", "viewer", "operator", "maintainer", "developer",
    "reporter", "reviewer", "approver", "auditor", "author", "contributor", "reader", "writer", "anonymous",
    "anon", "public", "private", "readonly", "read", "write", "full", "limited", "support", "billing",
    "customer", "employee", "partner", "internal", "external", "service", "system", "privileged", "trusted",
    "superadmin", "sysadmin", "creator", "collaborator", "subscriber", "visitor", "master", "primary",
})
_ROLE_WORDS = frozenset({"role", "roles"})
_MEMBERSHIP_OR_EQUALITY = (ast.In, ast.NotIn, ast.Eq, ast.NotEq)


def _role_of_something_else(test: ast.expr, ctx: RuleContext) -> bool:
    """``assert role in ("appender", "remover")``: the only security word is "role", and the
    values it is compared with are no access roles (none is admin, staff, owner, viewer...)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], _MEMBERSHIP_OR_EQUALITY)):
        return False
    subject, values = test.left, ctx.literal(test.comparators[0], None)
    name = reference_name(subject)
    words = set(name_words(name)) if name else set()
    if not words & _ROLE_WORDS or (words - _ROLE_WORDS) & (SECURITY_WORDS | _ACCESS_KEY_WORDS):
        return False
    if isinstance(subject, (ast.Attribute, ast.Subscript)) and (
            looks_like_security_check(subject.value) or any(_is_current_user(part, ctx) for part in ast.walk(subject))):
        return False  # ``request.user.role``, ``perms.role``: whose role it is says it is about access
    if isinstance(values, str):
        values = (values,)
    if not isinstance(values, (tuple, list, set, frozenset)) or not values \
            or not all(isinstance(value, str) for value in values):
        return False
    return not any(_ACCESS_ROLE_WORDS & set(name_words(value)) for value in values)


# Keys of a user's or a record's data that decide access: ``doc["owner_id"]``, ``user["role"]``.
_ACCESS_KEY_WORDS = frozenset({
    "owner", "owners", "author", "creator", "role", "roles", "permission", "permissions", "perm", "perms",
    "admin", "superuser", "staff", "privilege", "privileges", "acl",
})
# Attributes of a request or request-like context that hold the signed-in user.
_REQUEST_HOLDERS = frozenset({"g", "request", "context", "info"})
_USER_IDS = frozenset({"id", "pk", "uid", "user_id", "username", "email"})


def _asserts_access(test: ast.expr, ctx: RuleContext) -> bool:
    """``assert doc["owner_id"] == g.user.id``, ``assert g.user["role"] == "admin"``,
    ``assert item.user_id == user.id``: a comparison with the current user (or a user's id), or
    of an owner/role/permission key, decides what the user may do."""
    for node in ast.walk(test):
        if not isinstance(node, ast.Compare) or all(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops):
            continue
        for operand in (node.left, *node.comparators):
            for part in ast.walk(operand):
                if _is_current_user(part, ctx) or _is_user_id(part) or _is_access_key(part):
                    return True
    return False


def _is_current_user(expr: ast.expr, ctx: RuleContext) -> bool:
    """``current_user``, ``g.user``, ``request.user``, ``self.request.user``."""
    if isinstance(expr, ast.Name):
        return expr.id == "current_user" or (ctx.qualname(expr) or "").endswith(".current_user")
    if isinstance(expr, ast.Attribute) and expr.attr in ("user", "current_user"):
        holder = expr.value
        name = holder.id if isinstance(holder, ast.Name) else holder.attr if isinstance(holder, ast.Attribute) else None
        return name in _REQUEST_HOLDERS
    return False


def _is_user_id(expr: ast.expr) -> bool:
    """``user.id``, ``owner.pk``, ``request_user.username``: the identity of a user."""
    if not (isinstance(expr, ast.Attribute) and expr.attr in _USER_IDS):
        return False
    holder = expr.value
    name = holder.id if isinstance(holder, ast.Name) else holder.attr if isinstance(holder, ast.Attribute) else None
    return name is not None and "user" in name_words(name)


def _is_access_key(expr: ast.expr) -> bool:
    return (isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant)
            and isinstance(expr.slice.value, str) and not _ACCESS_KEY_WORDS.isdisjoint(name_words(expr.slice.value)))


# --- file permissions ----------------------------------------------------------------------------

CHMOD_FUNCTIONS = ["os.chmod", "os.lchmod", "os.fchmod", "posix.chmod", "posix.fchmod"]


def constant_mode(expr: ast.expr | None, ctx: RuleContext, depth: int = 0) -> int | None:
    """The integer value of a permission mode built from literals and stat.S_* constants."""
    if expr is None or depth > 10:
        return None
    if isinstance(expr, ast.Constant):
        return expr.value if isinstance(expr.value, int) and not isinstance(expr.value, bool) else None
    if isinstance(expr, (ast.Name, ast.Attribute)):
        qualified = ctx.qualname(expr) or ""
        if qualified.startswith("stat.S_"):
            value = getattr(stat, qualified[5:], None)
            return value if isinstance(value, int) else None
        if isinstance(expr, ast.Name):
            bindings = ctx.facts.scopes.bindings_of(expr.id, ctx.scope_chain)
            if bindings and len(bindings) == 1 and bindings[0] is not None:
                return constant_mode(bindings[0], ctx, depth + 1)
        return None
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.BitOr, ast.Add, ast.BitAnd, ast.BitXor)):
        left, right = constant_mode(expr.left, ctx, depth + 1), constant_mode(expr.right, ctx, depth + 1)
        if left is None or right is None:
            return None
        match expr.op:
            case ast.BitOr():
                return left | right
            case ast.Add():
                return left + right
            case ast.BitAnd():
                return left & right
        return left ^ right
    return None


@rule(
    id="permissive-file-permissions",
    title="File made world-writable or group-writable and executable",
    cwe=732,
    severity=MEDIUM,
    confidence=HIGH,
    bandit=["B103"],
    calls=CHMOD_FUNCTIONS,
    methods=["chmod", "lchmod"],
    description="""chmod sets permissions that let other users modify the file: world-writable
        (o+w) lets any local user replace its content, and a group-writable executable lets group
        members change code the owner runs. Unlike the mode of open()/mkdir(), chmod's mode is not
        reduced by the umask. Only constant modes are judged (octal literals, stat.S_* combinations
        and names bound to them).""",
    solution="""Grant the least permission needed: 0o600 for private files, 0o644 for public
        read-only files, 0o700/0o755 for directories and executables. Shared writable directories
        need the sticky bit (0o1777).""",
    example="""
        os.chmod(config_path, 0o777)
    """,
    fixed="""
        os.chmod(config_path, 0o600)
    """,
)
def check_chmod(call: ast.Call, ctx: RuleContext):
    if ctx.call_name(call) not in CHMOD_FUNCTIONS and not isinstance(call.func, ast.Attribute):
        return None
    positional = [a for a in call.args if not isinstance(a, ast.Starred)]
    mode_expr = ctx.keyword(call, "mode")
    if mode_expr is None and positional and len(positional) <= 2:
        mode_expr = positional[-1]  # os.chmod(path, mode), sftp.chmod(path, mode), Path.chmod(mode)
    mode = constant_mode(mode_expr, ctx)
    if mode is None or mode < 0 or mode > 0o7777:
        return None
    text = f"{mode:#o}"
    if mode & stat.S_IWOTH:
        if mode & stat.S_ISVTX:
            return in_test_code(ctx, Hit(
                call, severity=LOW, confidence=MEDIUM,
                message=f"Mode {text} makes this world-writable (with the sticky bit: others cannot delete entries they do not own)."))
        return in_test_code(ctx, Hit(call, severity=HIGH, message=f"Mode {text} makes this world-writable: any local user can modify it."))
    if mode & stat.S_IWGRP and mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH):
        return in_test_code(ctx, Hit(
            call, confidence=MEDIUM,
            message=f"Mode {text} makes this executable writable by its group: group members can change what the owner runs."))
    return None


# --- the umask, and the modes of new files under it ----------------------------------------------

UMASK_FUNCTIONS = ("os.umask", "posix.umask")
# Functions creating a file or directory with a mode the umask reduces: name -> (position, keyword).
CREATING_FUNCTIONS: dict[str, tuple[int, str]] = {
    "os.mkdir": (1, "mode"), "os.makedirs": (1, "mode"), "os.open": (2, "mode"), "os.mkfifo": (1, "mode"),
    "os.mknod": (1, "mode"), "posix.mkdir": (1, "mode"), "posix.open": (2, "mode"),
}
_STATEMENT_LISTS = ("body", "orelse", "finalbody")


def _umask_value(call: ast.Call, ctx: RuleContext) -> int | None:
    """The constant mask of an ``os.umask(...)`` call, when it leaves other-write (0o002) open."""
    mask = constant_mode(ctx.argument(call, 0, "mask"), ctx)
    if mask is None or mask < 0 or mask > 0o777 or mask & stat.S_IWOTH:
        return None
    return mask


def _only_reads_umask(call: ast.Call, statement: ast.stmt | None, following: ast.stmt | None,
                      parent: ast.AST | None, ctx: RuleContext) -> bool:
    """``old = os.umask(0)`` directly followed by ``os.umask(old)`` (or ``os.umask(os.umask(0))``):
    the usual way to read the umask, which is set back before anything is created."""
    if parent.__class__ is ast.Call and ctx.call_name(parent) in UMASK_FUNCTIONS:  # type: ignore[arg-type]
        return True
    if not (isinstance(statement, ast.Assign) and statement.value is call and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)):
        return False
    saved = statement.targets[0].id
    restored = following.value if isinstance(following, ast.Expr) else None
    return (isinstance(restored, ast.Call) and ctx.call_name(restored) in UMASK_FUNCTIONS and len(restored.args) == 1
            and isinstance(restored.args[0], ast.Name) and restored.args[0].id == saved)


def _following_statement(ancestors: list[ast.AST], statement: ast.stmt | None) -> ast.stmt | None:
    """The statement after ``statement`` in the block holding it (None at the end of a block)."""
    if statement is None:
        return None
    position = next((i for i in range(len(ancestors) - 1, -1, -1) if ancestors[i] is statement), None)
    if not position:
        return None
    owner = ancestors[position - 1]
    for field in _STATEMENT_LISTS:
        block = getattr(owner, field, None)
        if isinstance(block, list):
            for index, item in enumerate(block):
                if item is statement:
                    return block[index + 1] if index + 1 < len(block) else None
    return None


@rule(
    id="permissive-umask",
    title="Umask lets new files be created world-writable",
    cwe=732,
    severity=MEDIUM,
    confidence=MEDIUM,
    calls=UMASK_FUNCTIONS,
    description="""os.umask() with a mask that does not remove the write bit for others (os.umask(0),
        the daemon recipe's umask, or 0o020...): every file and directory the process creates
        afterwards with the default modes (0o666 for open(), 0o777 for os.mkdir/os.makedirs) is
        world-writable, so any local user can replace its content. Only constant masks are judged;
        reading the umask (``old = os.umask(0)`` directly followed by ``os.umask(old)``) is not
        reported.""",
    solution="""Use os.umask(0o022) (or 0o077 for a service whose files are private; 0o002 where a
        shared group must write), and pass explicit modes to the files that need more.""",
    example="""
        os.umask(0)
    """,
    fixed="""
        os.umask(0o022)
    """,
)
def check_umask(call: ast.Call, ctx: RuleContext):
    mask = _umask_value(call, ctx)
    if mask is None:
        return None
    ancestors = ctx.ancestors
    statement = ctx.statement
    parent = ancestors[-2] if len(ancestors) > 1 else None
    if _only_reads_umask(call, statement, _following_statement(ancestors, statement), parent, ctx):
        return None
    return in_test_code(ctx, Hit(call, message=(
        f"Umask {mask:#05o} does not remove the write bit for others: files and directories created afterwards with the "
        "default modes (0o666 for open(), 0o777 for os.mkdir/os.makedirs) are world-writable.")))


def _permissive_umask_line(ctx: RuleContext) -> int | None:
    """The line of an ``os.umask(...)`` call of this file that leaves other-write open (as
    ``check_umask`` judges it, for calls that are statements or assigned), once per file."""
    cache = ctx.__dict__
    if "_permissive_umask_line" in cache:
        return cache["_permissive_umask_line"]
    found = None
    for node in ast.walk(ctx.facts.scopes.tree):
        for field in _STATEMENT_LISTS:
            block = getattr(node, field, None)
            if not isinstance(block, list):
                continue
            for index, statement in enumerate(block):
                call = statement.value if isinstance(statement, (ast.Expr, ast.Assign)) else None
                if not isinstance(call, ast.Call) or not ctx.may_resolve_to(call.func, ("umask",)):
                    continue
                if ctx.facts.imports.qualname(call.func) not in UMASK_FUNCTIONS or _umask_value(call, ctx) is None:
                    continue
                following = block[index + 1] if index + 1 < len(block) else None
                if not _only_reads_umask(call, statement, following, statement, ctx):
                    found = call.lineno
                    break
            if found is not None:
                break
        if found is not None:
            break
    cache["_permissive_umask_line"] = found
    return found


@rule(
    id="permissive-creation-mode",
    title="File or directory created world-writable under a permissive umask",
    cwe=732,
    severity=HIGH,
    confidence=MEDIUM,
    calls=CREATING_FUNCTIONS,
    description="""os.mkdir/os.makedirs/os.open/os.mkfifo/os.mknod given a mode with the write bit for
        others (0o777, 0o666) in a file that also sets a umask leaving that bit (os.umask(0)): the
        mode of a new file is reduced by the umask, and that umask keeps it, so the file or
        directory is created world-writable and any local user can replace or add content. Not
        reported without such a umask in the file: 0o777 and 0o666 are then the usual "let the
        umask decide" modes (the defaults of mkdir and open), which the default umask 0o022 turns
        into 0o755/0o644. Only constant modes are judged.""",
    solution="""Pass the least mode needed (0o755 or 0o700 for directories, 0o644 or 0o600 for
        files) and set a umask that removes other-write (os.umask(0o022)).""",
    example="""
        os.umask(0)
        os.mkdir(spool, 0o777)
    """,
    fixed="""
        os.umask(0o022)
        os.mkdir(spool, 0o755)
    """,
)
def check_creation_mode(call: ast.Call, ctx: RuleContext):
    name = ctx.call_name(call)
    if name not in CREATING_FUNCTIONS:
        return None
    mode = constant_mode(ctx.argument(call, *CREATING_FUNCTIONS[name]), ctx)
    if mode is None or mode < 0 or mode > 0o7777 or not mode & stat.S_IWOTH:
        return None
    line = _permissive_umask_line(ctx)
    if line is None:
        return None
    return in_test_code(ctx, Hit(call, message=(
        f"`{ctx.source(call.func)}` asks for mode {mode:#o}; the mode is masked by the umask, but the umask set on line "
        f"{line} keeps the write bit for others, so this is created world-writable.")))


# --- binding to all interfaces -------------------------------------------------------------------

ALL_INTERFACES = frozenset({"0.0.0.0", "::", "0:0:0:0:0:0:0:0", "::0"})
ANY_ADDRESS = ALL_INTERFACES | {""}  # in socket address tuples and asyncio, "" also means all interfaces
# Servers that take a (host, port) address tuple as their first argument.
ADDRESS_SERVERS = [
    "socket.create_server",
    *(f"socketserver.{c}" for c in ("TCPServer", "UDPServer", "ThreadingTCPServer", "ThreadingUDPServer",
                                     "ForkingTCPServer", "ForkingUDPServer")),
    "http.server.HTTPServer", "http.server.ThreadingHTTPServer", "xmlrpc.server.SimpleXMLRPCServer",
    "xmlrpc.server.DocXMLRPCServer", "wsgiref.simple_server.WSGIServer",
]
# Functions with a host argument: qualified name -> (position, keyword, "" means all interfaces).
HOST_FUNCTIONS: dict[str, tuple[int | None, str, bool]] = {
    "wsgiref.simple_server.make_server": (0, "host", True),
    "asyncio.start_server": (1, "host", True),
    "werkzeug.serving.run_simple": (0, "hostname", False),
    "werkzeug.run_simple": (0, "hostname", False),
    "uvicorn.run": (None, "host", False),
    "aiohttp.web.run_app": (None, "host", False),
    "waitress.serve": (None, "host", False),
    "eventlet.listen": (0, "addr", True),
}
HOST_METHODS: dict[str, tuple[int | None, str, bool]] = {
    "run": (0, "host", False),  # Flask/Quart/Sanic/bottle app.run(host=...)
    "create_server": (1, "host", True),  # asyncio loop.create_server(factory, host, port)
    "listen": (None, "address", False),  # tornado app.listen(port, address=...)
}


@rule(
    id="bind-all-interfaces",
    title="Server bound to all network interfaces",
    cwe=605,
    severity=MEDIUM,
    confidence=MEDIUM,
    bandit=["B104"],
    calls=[*ADDRESS_SERVERS, *HOST_FUNCTIONS],
    methods=["bind", *HOST_METHODS],
    description="""The server listens on every network interface (0.0.0.0, ::, or "" in a socket
        address), so it is reachable from every network the host is attached to, not only the one
        it is meant for; a development or internal service becomes exposed. Only the bind address
        literally written (or a name bound to it) is judged: an address from configuration or the
        environment is the operator's choice and is not reported.""",
    solution="""Bind to the interface that should serve (127.0.0.1 for local-only services), or
        read the address from configuration so each deployment chooses it deliberately.""",
    example="""
        app.run(host="0.0.0.0", port=8080)
    """,
    fixed="""
        app.run(host=os.environ.get("APP_HOST", "127.0.0.1"), port=8080)
    """,
)
def check_bind_all(call: ast.Call, ctx: RuleContext):
    name = ctx.call_name(call) or ""
    method = call.func.attr if isinstance(call.func, ast.Attribute) else None
    if name in ADDRESS_SERVERS or (method == "bind" and name not in HOST_FUNCTIONS):
        host = _tuple_host(ctx.argument(call, 0, "server_address" if method != "bind" else "address"), ctx)
        if host is None and method == "bind":
            return None
        return _bind_hit(call, host, ANY_ADDRESS, ctx)
    if name in HOST_FUNCTIONS:
        position, keyword, empty_is_any = HOST_FUNCTIONS[name]
    elif method in HOST_METHODS:
        position, keyword, empty_is_any = HOST_METHODS[method]
        if method == "run" and ctx.keyword(call, keyword) is None:
            return None  # a positional first argument of some .run() is rarely a host
    else:
        return None
    host = ctx.literal(ctx.argument(call, position, keyword), None)
    return _bind_hit(call, host, ANY_ADDRESS if empty_is_any else ALL_INTERFACES, ctx)


def _tuple_host(address: ast.expr | None, ctx: RuleContext) -> object:
    """The host of a (host, port) address written in the source, else None."""
    if isinstance(address, ast.Name):
        bindings = ctx.facts.scopes.bindings_of(address.id, ctx.scope_chain)
        address = bindings[0] if bindings and len(bindings) == 1 else None
    if isinstance(address, ast.Tuple) and len(address.elts) in (2, 4):
        return ctx.literal(address.elts[0], None)
    return None


def _bind_hit(call: ast.Call, host: object, any_addresses: frozenset[str], ctx: RuleContext) -> Hit | None:
    if not isinstance(host, str) or host not in any_addresses:
        return None
    shown = host or '""'
    return in_test_code(ctx, Hit(call, message=f"`{ctx.source(call.func)}` listens on {shown}, i.e. on every network interface."))


# --- HTTP requests without timeout ---------------------------------------------------------------

HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
REQUESTS_FUNCTIONS = [f"requests.{v}" for v in HTTP_VERBS] + [f"requests.api.{v}" for v in HTTP_VERBS]
HTTPX_FUNCTIONS = [f"httpx.{v}" for v in (*HTTP_VERBS, "stream")] + ["httpx.Client", "httpx.AsyncClient"]
# Methods of client objects: RuleContext.call_name knows ``client.get`` as ``httpx.Client.get`` when
# ``client`` is made by the constructor (assigned, entered with ``with``, set on self).
HTTPX_METHODS = frozenset(f"httpx.{cls}.{v}" for cls in ("Client", "AsyncClient") for v in (*HTTP_VERBS, "stream"))
SESSION_METHODS = frozenset(f"requests.Session.{v}" for v in HTTP_VERBS)
# The standard library: name -> position of the timeout argument (None: keyword only). Their
# default is the socket module's, which is "wait forever" unless socket.setdefaulttimeout() set one.
STDLIB_TIMEOUTS = {
    "urllib.request.urlopen": 2, "six.moves.urllib.request.urlopen": 2,
    "http.client.HTTPConnection": 2, "http.client.HTTPSConnection": None,
}


@rule(
    id="request-without-timeout",
    title="HTTP request without timeout",
    cwe=400,
    severity=MEDIUM,
    confidence=MEDIUM,
    bandit=["B113"],
    calls=[*REQUESTS_FUNCTIONS, *HTTPX_FUNCTIONS, *sorted(HTTPX_METHODS), *sorted(SESSION_METHODS), *STDLIB_TIMEOUTS],
    methods=list(HTTP_VERBS),
    message="`{name}` has no timeout: a server that stops answering blocks this call forever.",
    description="""requests has no default timeout: a request to a slow or malicious server (or
        through a stalled network) waits forever, tying up a worker each time until the service
        cannot answer anymore. This holds for a requests.Session's methods too (reported when the
        file shows the session being made: assigned, entered with `with`, or set on self). httpx
        has a 5 second default, so only an explicit timeout=None is reported there. The standard
        library's urllib.request.urlopen (also of a Request object) and http.client's
        HTTPConnection/HTTPSConnection wait forever too unless given a timeout (or the file sets
        socket.setdefaulttimeout()). A call that passes **kwargs may carry a timeout and is not
        reported, unless the mapping is a dict written in the source (``**{"verify": ca}``, a
        module constant ``**REQUEST_KWARGS``): its "timeout" key counts as the argument.""",
    solution="""Always pass a timeout: requests.get(url, timeout=(3.05, 30)) (connect, read), or
        set one on an httpx client; never pass timeout=None.""",
    example="""
        response = requests.get(url)
    """,
    fixed="""
        response = requests.get(url, timeout=10)
    """,
)
def check_timeout(call: ast.Call, ctx: RuleContext):
    name = ctx.call_name(call) or ""
    if name in STDLIB_TIMEOUTS:
        return _stdlib_without_timeout(call, name, ctx)
    if name in HTTPX_FUNCTIONS or name in HTTPX_METHODS:
        library = "httpx"
    elif name in REQUESTS_FUNCTIONS or name in SESSION_METHODS:
        library = "requests"
    else:
        return None
    timeout = ctx.keyword(call, "timeout")
    if timeout is None and any(k.arg is None for k in call.keywords):
        unpacked = unpacked_keywords(ctx, call)
        if unpacked is None:
            return None  # **kwargs may carry a timeout
        # ``**{"timeout": 10}``, ``**REQUEST_KWARGS`` (a dict written in the source): its timeout
        timeout = next((mapping["timeout"] for mapping in unpacked if "timeout" in mapping), None)
    if timeout is None:
        if library == "httpx":
            return None  # httpx applies its default timeout
        if len(call.args) > 8:
            return None  # Session.request(method, url, ..., timeout) passed positionally
        return in_test_code(ctx, Hit(call))
    if isinstance(timeout, ast.Constant) and timeout.value is None:
        return in_test_code(ctx, Hit(call, message=f"`{ctx.source(call.func)}` disables the timeout (timeout=None): "
                                                   "a server that stops answering blocks this call forever."))
    return None


def _stdlib_without_timeout(call: ast.Call, name: str, ctx: RuleContext) -> Hit | None:
    """``urlopen(url)``/``urlopen(Request(url))``, ``HTTPConnection(host)`` without a timeout."""
    if any(k.arg is None for k in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args):
        return None  # **kwargs / *args may carry a timeout
    position = STDLIB_TIMEOUTS[name]
    if position is None and len(call.args) > 2:
        return None  # (HTTPSConnection before 3.12 took key_file, cert_file, timeout positionally)
    timeout = ctx.argument(call, position, "timeout")
    if timeout is not None:
        if isinstance(timeout, ast.Constant) and timeout.value is None:
            return in_test_code(ctx, Hit(call, message=f"`{ctx.source(call.func)}` disables the timeout (timeout=None): "
                                                       "a server that stops answering blocks this call forever."))
        return None
    if _sets_socket_default_timeout(ctx):
        return None
    return in_test_code(ctx, Hit(call))


def _sets_socket_default_timeout(ctx: RuleContext) -> bool:
    """The file calls socket.setdefaulttimeout(...) with something else than None."""
    for node in ctx.facts.calls():
        if ctx.call_name(node) == "socket.setdefaulttimeout" and not (
                node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value is None):
            return True
    return False


# --- debug modes -------------------------------------------------------------------------------

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@rule(
    id="flask-debug-enabled",
    title="Flask application run with debug=True",
    cwe=489,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B201"],
    methods=["run"],
    description="""The Flask development server is started with debug=True, which enables the
        Werkzeug interactive debugger: anyone who reaches an error page (and gets past or computes
        its PIN) runs arbitrary Python on the server. Active debug code (CWE-489) is the defect;
        its consequence is code execution, hence the high severity. With a loopback host only
        local users reach it (low confidence).""",
    solution="""Never enable debug in code that can reach production: drop debug=True and use
        `flask run --debug` locally, or read the flag from an environment variable that defaults
        to off; serve production with a WSGI server (gunicorn, uwsgi).""",
    example="""
        if __name__ == "__main__":
            app.run(host="0.0.0.0", debug=True)
    """,
    fixed="""
        if __name__ == "__main__":
            app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
    """,
)
def check_flask_debug(call: ast.Call, ctx: RuleContext):
    debug = ctx.literal(ctx.keyword(call, "debug"), None)
    if debug is not True and debug != 1:
        return None  # absent, false, or decided at run time (environment/config)
    if not (_is_flask_app(call.func.value, ctx) or ctx.facts.imports.imports_module("flask")
            or ctx.facts.imports.imports_module("quart")):
        return None
    host = ctx.literal(ctx.argument(call, 0, "host"), None)
    if host in LOOPBACK:
        return Hit(call, confidence=LOW, message="debug=True enables the Werkzeug debugger (console) on a loopback address.")
    return Hit(call, message="debug=True enables the Werkzeug interactive debugger: whoever reaches it can run Python on the server.")


def _is_flask_app(receiver: ast.expr, ctx: RuleContext) -> bool:
    if not isinstance(receiver, ast.Name):
        return False
    bindings = ctx.facts.scopes.bindings_of(receiver.id, ctx.scope_chain) or []
    return any(isinstance(b, ast.Call) and ctx.call_name(b) in ("flask.Flask", "quart.Quart") for b in bindings)


DJANGO_SETTINGS_MARKERS = ("INSTALLED_APPS", "ROOT_URLCONF", "MIDDLEWARE", "WSGI_APPLICATION")
# Settings only Django reads: a module of a ``settings/`` package that sets one belongs to split
# settings (``settings/production.py``) even when the markers are set by another of its modules.
DJANGO_ONLY_SETTINGS = frozenset({
    "ALLOWED_HOSTS", "DATABASES", "CSRF_COOKIE_SECURE", "CSRF_TRUSTED_ORIGINS", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER", "STATIC_ROOT", "STATIC_URL", "STATICFILES_DIRS",
    "MEDIA_ROOT", "DEFAULT_AUTO_FIELD", "AUTH_PASSWORD_VALIDATORS", "AUTH_USER_MODEL", "SESSION_ENGINE",
    "SESSION_SERIALIZER",
})
_DEVELOPMENT_SETTINGS = re.compile(r"(^|[_.-])(dev|develop|development|local|test|tests|testing|ci)([_.-]|$)")


def _in_production_settings(ctx: RuleContext) -> bool:
    """The file is a Django settings module (it sets INSTALLED_APPS, ROOT_URLCONF..., or is a part
    of split settings: see ``_extends_settings``) not named for development (settings_dev.py,
    local.py, test_settings.py, settings/dev.py), nor Django's own defaults module
    (django/conf/global_settings.py: its values are what a project's settings override)."""
    path = PurePath(ctx.path.replace("\\", "/"))
    stem = path.stem.lower()
    if stem == "global_settings" or _DEVELOPMENT_SETTINGS.search(stem):
        return False
    module_names = ctx.facts.scopes.collector(ctx.facts.scopes.tree).bindings
    if any(marker in module_names for marker in DJANGO_SETTINGS_MARKERS):
        return True
    in_settings_package = path.parent.name.lower() == "settings"
    return _extends_settings(ctx.facts.scopes.tree, in_settings_package) or (
        in_settings_package and any(name in module_names for name in DJANGO_ONLY_SETTINGS))


def _extends_settings(tree: ast.Module, in_settings_package: bool) -> bool:
    """Split settings: the module star-imports the settings it overrides, from a module named for
    settings (``from mysite.settings import *``, ``from .base_settings import *``) or, in a
    ``settings/`` package, from a sibling (``from .base import *`` in settings/production.py)."""
    for statement in tree.body:  # (module level only: the imports a settings module starts with)
        if statement.__class__ is ast.ImportFrom and statement.names[0].name == "*":  # type: ignore[attr-defined]
            if "settings" in (statement.module or "").lower() or (in_settings_package and statement.level == 1):  # type: ignore[attr-defined]
                return True
    return False


def _module_level_assignment_to(node: ast.Assign, ctx: RuleContext, names) -> str | None:
    """The setting ``node`` assigns at module level (``NAME = ...``), if it is one of ``names``."""
    if len(ctx.ancestors) != 2:
        return None
    return next((t.id for t in node.targets if isinstance(t, ast.Name) and t.id in names), None)


@rule(
    id="django-debug-enabled",
    title="Django settings with DEBUG = True",
    cwe=489,
    severity=MEDIUM,
    confidence=MEDIUM,
    nodes=[ast.Assign],
    targets=["DEBUG"],
    description="""A Django settings module sets DEBUG = True unconditionally. Error pages then show
        stack traces, local variables, settings and SQL queries to any visitor, and Django keeps
        every query in memory. A part of split settings counts (settings/production.py
        doing `from .base import *`). Settings modules named for development (dev, local, test...) are not
        reported. DEBUG read from the environment with a default that turns it on where the
        variable is not set (os.environ.get("DEBUG", True); os.getenv("DEBUG", "False"), a
        non-empty string, hence true; env.bool("DEBUG", default=True)) is reported with low
        confidence.""",
    solution="""Default to DEBUG = False and enable it only through the environment in development:
        DEBUG = os.environ.get("DJANGO_DEBUG") == "1".""",
    example="""
        DEBUG = True
        INSTALLED_APPS = ["django.contrib.admin", "shop"]
    """,
    fixed="""
        DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
        INSTALLED_APPS = ["django.contrib.admin", "shop"]
    """,
)
def check_django_debug(node: ast.Assign, ctx: RuleContext):
    if _module_level_assignment_to(node, ctx, ("DEBUG",)) is None:
        return None
    if isinstance(node.value, ast.Constant) and node.value.value is True:
        confidence = MEDIUM
    elif _on_by_default(node.value, ctx):
        confidence = LOW
    else:
        return None
    if not _in_production_settings(ctx):
        return None
    if confidence is LOW:
        return Hit(node, confidence=LOW, message=(
            "DEBUG is on wherever the environment does not set it: error pages then show stack traces, settings and SQL to every visitor."))
    return Hit(node, message="DEBUG = True in a Django settings module shows stack traces, settings and SQL to every visitor.")


_RAW_ENVIRONMENT_READS = frozenset({"os.environ.get", "os.getenv"})  # (a string comes back: any non-empty one is true)
_TRUE_WORDS = frozenset({"true", "1", "yes", "on", "y", "t"})


def _on_by_default(value: ast.expr, ctx: RuleContext) -> bool:
    """``os.environ.get("DEBUG", True)``, ``os.getenv("DEBUG", "False")`` (a non-empty string),
    ``os.getenv("DEBUG", "1") == "1"``, ``env.bool("DEBUG", default=True)``,
    ``config("DEBUG", default=True, cast=bool)``: true where the variable is not set."""
    compared = None
    if (isinstance(value, ast.Compare) and len(value.ops) == 1 and isinstance(value.ops[0], ast.Eq)
            and isinstance(value.comparators[0], ast.Constant)):
        compared, value = value.comparators[0].value, value.left
    if not isinstance(value, ast.Call):
        return False
    default = ctx.keyword(value, "default") or (value.args[1] if len(value.args) > 1 else None)
    if not isinstance(default, ast.Constant):
        return False
    name = ctx.call_name(value) or ""
    parsed = (isinstance(value.func, ast.Attribute) and value.func.attr == "bool") or (
        name.rsplit(".", 1)[-1] == "config" and any(k.arg == "cast" and isinstance(k.value, ast.Name) and k.value.id == "bool" for k in value.keywords))
    if not parsed and name not in _RAW_ENVIRONMENT_READS:
        return False
    if compared is not None:
        return default.value == compared
    if parsed:
        return default.value is True or (isinstance(default.value, str) and default.value.lower() in _TRUE_WORDS)
    return default.value is True or (isinstance(default.value, str) and default.value != "")


@rule(
    id="django-allowed-hosts-any",
    title="Django settings accept any Host header",
    cwe=183,
    severity=MEDIUM,
    confidence=MEDIUM,
    nodes=[ast.Assign],
    targets=["ALLOWED_HOSTS"],
    description="""A Django settings module lets ALLOWED_HOSTS accept any host ("*"), the check
        Django makes on the Host header. Django builds absolute URLs from that header
        (request.build_absolute_uri(), the password reset e-mail's link when the sites framework
        is not used): a request with a forged Host makes them point to another site, and caches
        keep the poisoned pages. A part of split settings counts (settings/production.py
        doing `from .base import *`). Settings modules named for development (dev, local, test...) are
        not reported; "*" as the default of an environment variable is reported with low
        confidence.""",
    solution="""List the site's own host names (ALLOWED_HOSTS = ["shop.example.com"], or
        ".example.com" for its subdomains), read from the environment without a "*" default.""",
    example="""
        ALLOWED_HOSTS = ["*"]
        INSTALLED_APPS = ["django.contrib.admin", "shop"]
    """,
    fixed="""
        ALLOWED_HOSTS = os.environ["DJANGO_ALLOWED_HOSTS"].split(",")
        INSTALLED_APPS = ["django.contrib.admin", "shop"]
    """,
)
def check_django_allowed_hosts(node: ast.Assign, ctx: RuleContext):
    if _module_level_assignment_to(node, ctx, ("ALLOWED_HOSTS",)) is None:
        return None
    value = node.value
    if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        confidence = MEDIUM if any(isinstance(e, ast.Constant) and e.value == "*" for e in value.elts) else None
    else:  # ``os.environ.get("ALLOWED_HOSTS", "*").split(",")``: the default when it is not set
        confidence = LOW if any(isinstance(n, ast.Constant) and n.value == "*" for n in ast.walk(value)) else None
    if confidence is None:
        return None
    if not _in_production_settings(ctx):
        return None
    return Hit(node, confidence=confidence, message=(
        "ALLOWED_HOSTS accepts any Host header: absolute URLs Django builds from it (password reset "
        "links...) can point to another site."))


SESSION_SERIALIZER_SETTINGS = ("SESSION_SERIALIZER",)


@rule(
    id="django-session-pickle-serializer",
    title="Django sessions serialized with pickle",
    cwe=502,
    severity=HIGH,
    confidence=HIGH,
    nodes=[ast.Assign],
    targets=SESSION_SERIALIZER_SETTINGS,
    description="""A Django settings module sets SESSION_SERIALIZER to a pickle serializer
        (django.contrib.sessions.serializers.PickleSerializer, removed in Django 5.0, or a
        project's own class named like it). Session data is then unpickled: with the signed-cookie
        session backend the client holds the data, and whoever learns SECRET_KEY (leaked in a
        repository, a backup, an error page) forges a session cookie that runs code on the server
        when it is loaded; with other backends, anyone who can write the session store does.
        A part of split settings counts (settings/production.py doing `from .base import *`).
        Settings modules named for development (dev, local, test...) are not reported; a pickle
        serializer as the default of an environment variable is reported with low confidence.""",
    solution="""Use the default JSON serializer (remove the setting, or SESSION_SERIALIZER =
        "django.contrib.sessions.serializers.JSONSerializer") and store only JSON-serializable
        values in the session (ids, strings, numbers), not model instances.""",
    example="""
        INSTALLED_APPS = ["django.contrib.sessions", "shop"]
        SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
        SESSION_SERIALIZER = "django.contrib.sessions.serializers.PickleSerializer"
    """,
    fixed="""
        INSTALLED_APPS = ["django.contrib.sessions", "shop"]
        SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
        SESSION_SERIALIZER = "django.contrib.sessions.serializers.JSONSerializer"
    """,
)
def check_django_session_serializer(node: ast.Assign, ctx: RuleContext):
    if _module_level_assignment_to(node, ctx, SESSION_SERIALIZER_SETTINGS) is None:
        return None
    value = node.value
    if isinstance(value, ast.Constant):
        confidence = HIGH if _is_pickle_serializer(value.value) else None
    else:  # ``os.environ.get("SESSION_SERIALIZER", "...PickleSerializer")``: the default when unset
        confidence = LOW if any(isinstance(n, ast.Constant) and _is_pickle_serializer(n.value)
                                for n in ast.walk(value)) else None
    if confidence is None or not _in_production_settings(ctx):
        return None
    return Hit(node, confidence=confidence, message=(
        "Sessions are unpickled: a session forged with a leaked SECRET_KEY (or written to the "
        "session store) runs code on the server."))


def _is_pickle_serializer(value: object) -> bool:
    """``...serializers.PickleSerializer`` or a project's ``PickleSessionSerializer``."""
    return isinstance(value, str) and "pickle" in value.rsplit(".", 1)[-1].lower()


# Cookie flags a settings module may turn off, and the CWE of doing so.
COOKIE_FLAG_SETTINGS = {
    "SESSION_COOKIE_SECURE": 614,
    "CSRF_COOKIE_SECURE": 614,
    "SESSION_COOKIE_HTTPONLY": 1004,
    "SESSION_COOKIE_SAMESITE": 1275,  # (off: "None", which sends the cookie on cross-site requests)
    "CSRF_COOKIE_SAMESITE": 1275,
}


def _cookie_flag_off(value: ast.expr, cwe: int) -> bool:
    """Is ``value`` a constant that turns the flag off: "None" (or None) for SameSite, False for
    the others?"""
    if not isinstance(value, ast.Constant):
        return False
    if cwe == 1275:
        return value.value is None or value.value == "None"
    return value.value is False or (type(value.value) is int and value.value == 0)


@rule(
    id="django-insecure-cookie",
    title="Django cookie security flag turned off",
    cwe=614,
    severity=MEDIUM,
    confidence=MEDIUM,
    nodes=[ast.Assign],
    targets=tuple(COOKIE_FLAG_SETTINGS),
    description="""A production Django settings module explicitly sets SESSION_COOKIE_SECURE or
        CSRF_COOKIE_SECURE to False (CWE-614: the browser also sends the cookie over plain HTTP,
        where anyone on the network reads the session or the CSRF token), or
        SESSION_COOKIE_HTTPONLY to False (CWE-1004: the page's scripts, and so any XSS, read the
        session cookie), or SESSION_COOKIE_SAMESITE / CSRF_COOKIE_SAMESITE to "None" (CWE-1275: the
        browser sends the cookie with requests other sites make, the ground cross-site request
        forgery stands on). Only explicit values are reported: a missing setting is Django's
        default, which `manage.py check --deploy` covers, and a value read from the environment is
        the deployment's choice. A part of split settings counts (settings/production.py
        doing `from .base import *`). Settings modules named for development (dev, local, test...) and
        Django's own defaults module are not reported.""",
    solution="""Set SESSION_COOKIE_SECURE = True and CSRF_COOKIE_SECURE = True for sites served
        over HTTPS (with SECURE_SSL_REDIRECT / HSTS), and keep SESSION_COOKIE_HTTPONLY = True
        (the default): remove the assignment or set it to True; development settings can turn the
        Secure flags off in their own module.""",
    example="""
        INSTALLED_APPS = ["django.contrib.sessions", "shop"]
        SESSION_COOKIE_SECURE = False
        SESSION_COOKIE_HTTPONLY = False
    """,
    fixed="""
        INSTALLED_APPS = ["django.contrib.sessions", "shop"]
        SESSION_COOKIE_SECURE = True
        CSRF_COOKIE_SECURE = True
    """,
)
def check_django_insecure_cookie(node: ast.Assign, ctx: RuleContext):
    setting = _module_level_assignment_to(node, ctx, COOKIE_FLAG_SETTINGS)
    if setting is None:
        return None
    value = node.value
    cwe = COOKIE_FLAG_SETTINGS[setting]
    if not _cookie_flag_off(value, cwe):
        return None  # on, or decided at run time (environment, another setting)
    if not _in_production_settings(ctx):
        return None
    if cwe == 1275:
        message = f"{setting} = None: browsers send the cookie with requests other sites make (cross-site request forgery)."
    elif cwe == 1004:
        message = f"{setting} = False lets the page's scripts (and any XSS) read the session cookie."
    else:
        message = f"{setting} = False: browsers also send the cookie over plain HTTP, readable on the network."
    return Hit(node, cwe=cwe, message=message)


# --- run_as_root -----------------------------------------------------------------------------------

@rule(
    id="run-as-root",
    title="Command executed as root",
    cwe=250,
    severity=LOW,
    confidence=MEDIUM,
    bandit=["B111"],
    nodes=[ast.Call],
    keywords=["run_as_root"],
    description="""A command is run with run_as_root=True (oslo.concurrency processutils.execute
        and the rootwrap/privsep helpers built on it). Any flaw in how the command is built, or in
        the program it runs, is then exploited with full privileges.""",
    solution="""Run with the least privilege needed: drop run_as_root where root is not required,
        and move privileged operations into narrowly scoped oslo.privsep entrypoints.""",
    example="""
        processutils.execute("ip", "link", "set", dev, "up", run_as_root=True)
    """,
    fixed="""
        @privsep.entrypoint
        def set_link_up(dev):
            ...
    """,
)
def check_run_as_root(call: ast.Call, ctx: RuleContext):
    value = ctx.keyword(call, "run_as_root")
    if value is None or ctx.literal(value, None) is not True:
        return None
    return Hit(call, message=f"`{ctx.source(call.func)}` runs its command as root (run_as_root=True).")


# --- logging.config.listen -------------------------------------------------------------------------

@rule(
    id="logging-config-listen",
    title="Logging configuration listener without verification",
    cwe=94,
    severity=MEDIUM,
    confidence=HIGH,
    bandit=["B612"],
    calls=["logging.config.listen"],
    message="`{name}` accepts logging configurations from a socket without a verify function.",
    description="""logging.config.listen() opens a socket that accepts new logging
        configurations. A configuration can name arbitrary callables and classes to instantiate,
        so any local user (or anyone who can reach the port) who sends one executes code in this
        process. Without the verify argument nothing checks where the configuration came from.""",
    solution="""Do not start the listener in production; if it is needed, pass verify= with a
        function that checks a signature (HMAC with a secret key) or decrypts the payload, and
        returns None for anything else.""",
    example="""
        thread = logging.config.listen(9999)
    """,
    fixed="""
        thread = logging.config.listen(9999, verify=check_hmac_signature)
    """,
)
def check_logging_listen(call: ast.Call, ctx: RuleContext):
    verify = ctx.argument(call, 1, "verify")
    if verify is not None and not (isinstance(verify, ast.Constant) and verify.value is None):
        return None
    return Hit(call)

