"""OS commands: shell injection (CWE-78), argument injection (CWE-88), wildcard injection
(CWE-155) and programs started by a partial path (CWE-426).

Every command is taken apart with ``compose`` (see ``_strings``): a command made only of literals
and ``shlex.quote()`` results is silent, and so is an argument list without a shell whose program
is fixed. What stays variable is handed to ``dynamic_value_hit`` through ``injection_hit``, where
the data-flow engine decides whether untrusted data reaches it.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from secreview.rules._strings import (
    DYNAMIC, SAFE, TEXT, Composition, Sanitizers, compose, injection_hit, sequence_elements, value_expressions,
)
from secreview.rules import handed
from secreview.rules.base import HIGH, LOW, MEDIUM, Hit, rule
from secreview.rules.context import MISSING, RuleContext

SUBPROCESS_CALLS = ("subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
                    "subprocess.Popen")

# Functions that always hand their command string to a shell: name -> (position, keyword).
SHELL_FUNCTIONS: dict[str, tuple[int, str]] = {
    "os.system": (0, "command"), "os.popen": (0, "cmd"), "os.popen2": (0, "cmd"),
    "os.popen3": (0, "cmd"), "os.popen4": (0, "cmd"),
    "popen2.popen2": (0, "cmd"), "popen2.popen3": (0, "cmd"), "popen2.popen4": (0, "cmd"),
    "popen2.Popen3": (0, "cmd"), "popen2.Popen4": (0, "cmd"),
    "commands.getoutput": (0, "cmd"), "commands.getstatusoutput": (0, "cmd"),
    "subprocess.getoutput": (0, "cmd"), "subprocess.getstatusoutput": (0, "cmd"),
    "platform.popen": (0, "cmd"),
    "asyncio.create_subprocess_shell": (0, "cmd"), "asyncio.subprocess.create_subprocess_shell": (0, "cmd"),
    # invoke (and fabric's local side) run their command string through a local shell (bash by
    # default): ``invoke.run(cmd)``, ``c.run(cmd)`` in an ``@invoke.task``, ``Connection.local``.
    # (Methods are named ``Class.method`` for objects whose class the file shows: see
    # RuleContext.INSTANCE_CLASSES.)
    "invoke.run": (0, "command"), "invoke.sudo": (0, "command"),
    "invoke.Context.run": (0, "command"), "invoke.Context.sudo": (0, "command"),
    "fabric.Connection.local": (0, "command"),
    "fabric.api.local": (0, "command"), "fabric.operations.local": (0, "command"),  # (fabric 1)
}

# Functions that hand their command string to the remote user's shell over SSH: name -> (position,
# keyword). fabric's Connection/Group.run and .sudo (fabric 2+), fabric 1's run/sudo; paramiko's
# exec_command is matched by its method name (see check_exec_command).
REMOTE_SHELL_FUNCTIONS: dict[str, tuple[int, str]] = {
    "fabric.Connection.run": (0, "command"), "fabric.Connection.sudo": (0, "command"),
    "fabric.Group.run": (0, "command"), "fabric.Group.sudo": (0, "command"),
    "fabric.api.run": (0, "command"), "fabric.api.sudo": (0, "command"),
    "fabric.operations.run": (0, "command"), "fabric.operations.sudo": (0, "command"),
}


@dataclass(frozen=True)
class ExecSignature:
    """Where an os.exec*/os.spawn*-style function takes its program and its arguments."""

    program: int  # position of the program path
    argv: int | None = None  # position of the argv list (v variants)
    varargs: int | None = None  # first position of the argv values (l variants)
    env_last: bool = False  # the last positional argument is the environment (l+e variants)


def _exec_family() -> dict[str, ExecSignature]:
    table: dict[str, ExecSignature] = {}
    for suffix in ("", "p"):
        table[f"os.execl{suffix}"] = ExecSignature(0, varargs=1)
        table[f"os.execl{suffix}e"] = ExecSignature(0, varargs=1, env_last=True)
        table[f"os.execv{suffix}"] = ExecSignature(0, argv=1)
        table[f"os.execv{suffix}e"] = ExecSignature(0, argv=1)
        table[f"os.spawnl{suffix}"] = ExecSignature(1, varargs=2)
        table[f"os.spawnl{suffix}e"] = ExecSignature(1, varargs=2, env_last=True)
        table[f"os.spawnv{suffix}"] = ExecSignature(1, argv=2)
        table[f"os.spawnv{suffix}e"] = ExecSignature(1, argv=2)
        table[f"os.posix_spawn{suffix}"] = ExecSignature(0, argv=1)
    table["os.startfile"] = ExecSignature(0)
    return table


EXEC_FUNCTIONS = _exec_family()
# asyncio.create_subprocess_exec(program, *args): the program is also argv[0].
ASYNC_EXEC = ("asyncio.create_subprocess_exec", "asyncio.subprocess.create_subprocess_exec")
ASYNC_SHELL = ("asyncio.create_subprocess_shell", "asyncio.subprocess.create_subprocess_shell")

# Kubernetes' exec into a pod: ``stream(v1.connect_get_namespaced_pod_exec, pod, ns, command=[...])``
# (or the API method called directly) runs the ``command`` list in the container without a shell,
# as an argument list: ``["sh", "-c", script]`` hands ``script`` to the container's shell.
K8S_EXEC_CALLS = ("kubernetes.stream.stream", "kubernetes.stream.stream.stream", "kubernetes.stream.ws_client.stream")
K8S_EXEC_METHODS = ("connect_get_namespaced_pod_exec", "connect_post_namespaced_pod_exec")

# shlex.quote() (and its old name pipes.quote) makes one value a single shell word; shlex.join()
# quotes every element. A command built only from constants and such results cannot inject.
SHELL_SANITIZERS = Sanitizers(calls=frozenset({"shlex.quote", "pipes.quote", "shlex.join"}))

SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "csh", "tcsh", "fish", "ash", "busybox",
                    "cmd", "cmd.exe", "powershell", "powershell.exe", "pwsh"})
_SHELL_SCRIPT_FLAG = re.compile(r"^(?:-[a-zA-Z]*c|/[cCkK]|-Command|-c)$")

# Words a shell resolves itself (builtins and keywords): no PATH lookup, no partial-path issue.
SHELL_BUILTINS = frozenset({
    "cd", "echo", "exit", "export", "set", "unset", "test", "[", "[[", "true", "false", "printf",
    "kill", "read", "ulimit", "umask", "wait", "source", ".", "eval", "exec", "trap", "shift",
    "alias", "type", "command", "pwd", "return", "local", "if", "then", "else", "elif", "fi", "for",
    "do", "done", "while", "until", "case", "esac", "{", "}", "!", "time", "function", "select",
    "break", "continue", "let", "declare", "readonly", "hash", "times", "getopts", "builtin",
})
# Programs that treat a file name starting with "-" as options (CVE-era "wildcard injection").
WILDCARD_PROGRAMS = frozenset({"tar", "chown", "chgrp", "chmod", "rsync"})

_SEGMENT_SPLIT = re.compile(r"\|\||&&|[;|&\n()`]|\$\(")
_QUOTED = re.compile(r"'[^']*'|\"(?:[^\"\\]|\\.)*\"")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_PLACEHOLDER = "\x00"


# --- what a call runs ------------------------------------------------------------------------

def shell_uses_literal_true(ctx: RuleContext, call: ast.Call) -> bool:
    return ctx.literal(ctx.keyword(call, "shell"), MISSING) is not MISSING


def subprocess_runs_shell(ctx: RuleContext, call: ast.Call) -> bool:
    """``shell=`` true, or not a literal (then it may be true: counts as a shell)."""
    return ctx.is_true(ctx.keyword(call, "shell"))


def shell_command_of(ctx: RuleContext, call: ast.Call, name: str | None) -> ast.expr | None:
    """The expression a shell will interpret, for calls that run one (None otherwise)."""
    if name in SHELL_FUNCTIONS:
        position, keyword = SHELL_FUNCTIONS[name]
        return ctx.argument(call, position, keyword)
    if name in SUBPROCESS_CALLS:
        if not subprocess_runs_shell(ctx, call):
            return None
        command = ctx.argument(call, 0, "args")
        elements = sequence_elements(ctx, command)
        # With a list and shell=True, the first element is the script; the others become $0, $1...
        if elements is not None:
            return elements[0] if elements and not isinstance(elements[0], ast.Starred) else None
        return command
    return None


@dataclass
class Argv:
    """A program started without a shell: its program and its arguments (after argv[0])."""

    program: ast.expr | None = None
    arguments: list[ast.expr] = field(default_factory=list)
    opaque: ast.expr | None = None  # the whole argument list, when it cannot be taken apart
    split: ast.expr | None = None  # `shlex.split(s)` / `s.split()`: the string that is split


def argv_of(ctx: RuleContext, call: ast.Call, name: str | None) -> Argv | None:
    """How a no-shell process call starts its program (None: not such a call, or it uses a shell)."""
    if name in SUBPROCESS_CALLS:
        if subprocess_runs_shell(ctx, call):
            return None
        argv = _argv_from_value(ctx, ctx.argument(call, 0, "args"))
        executable = ctx.keyword(call, "executable")
        if executable is not None and argv is not None:
            argv.program = executable
        return argv
    if name in K8S_EXEC_CALLS or is_k8s_exec_method(call):
        return _argv_from_value(ctx, ctx.keyword(call, "command"))
    if name in ASYNC_EXEC:
        if not call.args:
            return None
        if isinstance(call.args[0], ast.Starred):
            return _argv_from_unpacked(ctx, call.args[0].value, list(call.args[1:]))
        return Argv(program=call.args[0], arguments=list(call.args[1:]))
    signature = EXEC_FUNCTIONS.get(name or "")
    if signature is None:
        return None
    program = ctx.argument(call, signature.program, "path")
    if signature.argv is not None:
        listed = ctx.argument(call, signature.argv, "argv" if "posix_spawn" in (name or "") else "args")
        elements = sequence_elements(ctx, listed)
        if elements is None:
            return Argv(program=program, opaque=listed)
        return Argv(program=program, arguments=elements[1:])
    if signature.varargs is not None:
        values = list(call.args[signature.varargs + 1:])  # skip argv[0], the name shown in ps
        if signature.env_last and values:
            values = values[:-1]
        return Argv(program=program, arguments=values)
    return Argv(program=program)


def is_k8s_exec_method(call: ast.Call) -> bool:
    func = call.func
    return func.__class__ is ast.Attribute and func.attr in K8S_EXEC_METHODS  # type: ignore[attr-defined]


def _argv_from_value(ctx: RuleContext, value: ast.expr | None) -> Argv | None:
    if value is None:
        return None
    elements = sequence_elements(ctx, value)
    if elements is not None:
        return _argv_of_elements(elements)
    split = _split_source(ctx, value)
    if split is not None:
        return Argv(split=split)
    composition = compose(ctx, value)
    if composition.built or all(p.kind == TEXT for p in composition.pieces):
        return Argv(program=value)  # a string: without a shell, it is the program path
    return Argv(opaque=value)


def _argv_from_unpacked(ctx: RuleContext, value: ast.expr, rest: list[ast.expr]) -> Argv | None:
    """``create_subprocess_exec(*argv, *rest)``: the unpacked value is the argument list, as in
    ``subprocess.run(argv)`` -- a list (also a name bound once to one), ``cmd.split()`` /
    ``shlex.split(cmd)``, or an opaque value (a string unpacked would be its characters: opaque)."""
    elements = sequence_elements(ctx, value)
    if elements is not None:
        return _argv_of_elements(elements + rest)
    split = _split_source(ctx, value)
    if split is not None:
        return Argv(split=split)  # (values after the split words: rare, not read)
    return Argv(opaque=value)


def _argv_of_elements(elements: list[ast.expr]) -> Argv | None:
    """The argument list written out: its first element is the program (unless unpacked)."""
    if not elements:
        return None
    if isinstance(elements[0], ast.Starred):
        return Argv(opaque=elements[0].value)
    return Argv(program=elements[0], arguments=elements[1:])


def _split_source(ctx: RuleContext, value: ast.expr) -> ast.expr | None:
    """``shlex.split(s)`` or ``s.split()`` (whitespace split): the string ``s``."""
    if not isinstance(value, ast.Call):
        return None
    if ctx.call_name(value) == "shlex.split" and value.args:
        return value.args[0]
    if isinstance(value.func, ast.Attribute) and value.func.attr == "split" and not value.args and not value.keywords:
        return value.func.value
    return None


def shell_script_of(ctx: RuleContext, argv: Argv) -> ast.expr | None:
    """``["sh", "-c", script]`` (or bash -lc, cmd /c, powershell -Command): the script."""
    program = ctx.literal(argv.program, None) if argv.program is not None else None
    if not isinstance(program, str) or _basename(program) not in SHELLS or len(argv.arguments) < 2:
        return None
    flag = ctx.literal(argv.arguments[0], None)
    if isinstance(flag, str) and _SHELL_SCRIPT_FLAG.match(flag):
        script = argv.arguments[1]
        return None if isinstance(script, ast.Starred) else script
    return None


# ssh's options that take a value (``-p 22``, ``-o Opt=v``, ``-i key``), from ssh(1); the others
# are flags. After the options comes the destination, then the remote command: ssh joins the rest
# of its arguments with spaces and the remote user's shell runs the line.
_SSH_PROGRAMS = frozenset({"ssh"})
_SSH_OPTIONS_WITH_VALUE = frozenset("BbcDEeFIiJLlmOoPpQRSWw")
_SSH_FLAGS = frozenset("46AaCfGgKkMNnqsTtVvXxYy")


def _ssh_command_elements(ctx: RuleContext, argv: Argv) -> list[ast.expr] | None:
    """``["ssh", "-p", "22", host, "ls", "-l", path]``: the elements of the remote command, when
    argv[0] is the constant ``ssh``. Options are skipped (with the value of
    those taking one); an element that is not a constant where an option may stand is taken for
    the destination, so whatever follows it counts as the command. None when there is none or the
    list cannot be read (a ``*rest`` before the command, an option unknown to ssh)."""
    program = ctx.literal(argv.program, None) if argv.program is not None else None
    if not isinstance(program, str) or _basename(program) not in _SSH_PROGRAMS:
        return None
    elements = argv.arguments
    index = 0
    while index < len(elements):
        element = elements[index]
        if isinstance(element, ast.Starred):
            return None  # options or a destination of unknown number
        text = ctx.literal(element, None)
        if not isinstance(text, str) or not text.startswith("-"):
            break  # the destination
        index += 1
        if text == "--":
            break
        letters = text[1:]
        if not letters:
            return None
        for position, letter in enumerate(letters):
            if letter in _SSH_OPTIONS_WITH_VALUE:
                if position == len(letters) - 1:
                    index += 1  # ``-p 22``: the value is the next element
                break  # ``-p22``, ``-oBatchMode=yes``: the rest of the element is the value
            if letter not in _SSH_FLAGS:
                return None  # not an option ssh knows: the list is not read
    return elements[index + 1:] or None


def ssh_remote_command(ctx: RuleContext, argv: Argv) -> ast.expr | None:
    """``["ssh", "-p", "22", host, "ls -l " + path]``: the remote command (its elements joined
    with spaces), or None (see ``_ssh_command_elements``)."""
    command = _ssh_command_elements(ctx, argv)
    if command is None:
        return None
    if len(command) == 1:
        return command[0]
    joined = ast.Call(func=ast.Attribute(value=ast.Constant(" "), attr="join", ctx=ast.Load()),
                      args=[ast.List(elts=list(command), ctx=ast.Load())], keywords=[])
    return ast.copy_location(joined, command[0])


def _basename(program: str) -> str:
    return re.split(r"[\\/]", program.strip("'\""))[-1]


# --- deciding --------------------------------------------------------------------------------

def shell_culprits(composition: Composition) -> tuple[list[ast.AST], list[ast.AST]]:
    """Variable pieces of a shell command, and shlex.quote() results that the command itself puts
    back inside quotes (``"echo '%s'" % shlex.quote(x)``): the quotes cancel each other and the
    value is unquoted again."""
    dynamic = composition.dynamic
    requoted: list[ast.AST] = []
    previous = None
    for piece in composition.pieces:
        if (piece.kind == SAFE and piece.how == "sanitized" and previous is not None and previous.kind == TEXT
                and previous.text and previous.text[-1] in "'\"" and piece.node is not None):
            requoted.append(piece.node)
        previous = piece
    return dynamic, requoted


_SHELL_SYNTAX = set("|;&<>$`\\'\"*?(){}[]~#\n\t")


def argument_list(ctx: RuleContext, composition, command: ast.expr) -> str | None:
    """The argv list that runs the same command without a shell, as source text:
    ``"ip addr add %s dev %s" % (cidr, name)`` -> ``["ip", "addr", "add", cidr, "dev", name]``.
    None when the command uses shell syntax (pipes, quotes, globs...) a list cannot express, or
    when no word of it is known (a command handed over whole: ``def run(cmd): os.system(cmd)``)."""
    pieces = composition.pieces
    if not any(piece.kind == TEXT and piece.text for piece in pieces):
        return None  # (``[cmd]`` would run the whole command line as the program's name)
    words: list[list[tuple[str, str]]] = [[]]
    if not _write_words(ctx, pieces, command, 0, words):
        return None
    rendered = [_render_word(word) for word in words if word]
    return "[" + ", ".join(rendered) + "]" if rendered else None


def _write_words(ctx: RuleContext, pieces, command: ast.expr, depth: int, words: list[list[tuple[str, str]]]) -> bool:
    """Add ``pieces`` to ``words`` (a new word at each space). A run of pieces that is the value of a
    variable (``out`` in ``f"-f {out}"``, ``out = f"/tmp/export.{fmt}"``) is written as the variable
    when it makes one plain word, else piece by piece (``depth``: how many variables deep). False
    when the command cannot be written as a list."""
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        name = _variable_at(piece, command, depth)
        if name is not None:
            end = index + 1
            while end < len(pieces) and _variable_at(pieces[end], command, depth) is name:
                end += 1
            run = pieces[index:end]
            if _one_plain_word(run):
                words[-1].append(("code", ctx.source(name)))
            elif not _write_words(ctx, run, command, depth + 1, words):
                return False
            index = end
            continue
        if piece.kind == TEXT:
            if piece.text is None or _SHELL_SYNTAX & set(piece.text):
                return False
            for position, chunk in enumerate(piece.text.split(" ")):
                if position:
                    words.append([])
                if chunk:
                    words[-1].append(("text", chunk))
        else:
            # A piece of the command held in a variable (``cmd``): the expression it was made of.
            rebuilt = bool(piece.origins)
            for node in (piece.origins or (piece.node,)):
                if isinstance(node, ast.Call) and piece.how == "sanitized" and node.args:
                    node = node.args[0]  # shlex.quote(x): without a shell, x itself is the argument
                if node is None or (rebuilt and _awaits(node)):
                    return False  # (``await reader.readline()`` written again would read another line)
                words[-1].append(("code", ctx.source(node)))
        index += 1
    return True


def _variable_at(piece, command: ast.expr, depth: int) -> ast.AST | None:
    """The variable ``depth`` levels deep (the command's own not counted) whose value ``piece`` is
    part of, if any."""
    within = piece.within
    if within and within[0] is command:
        depth += 1
    return within[depth] if len(within) > depth else None


def _one_plain_word(pieces) -> bool:
    """Whether these pieces (a variable's value) make one word without shell syntax or quoting."""
    for piece in pieces:
        if piece.kind == TEXT:
            if piece.text is None or " " in piece.text or _SHELL_SYNTAX & set(piece.text):
                return False
        elif piece.kind == SAFE and piece.how == "sanitized":
            return False  # (``q = shlex.quote(x)``: its quotes would stay in the argument)
    return True


def _awaits(node: ast.AST) -> bool:
    return any(isinstance(inner, ast.Await) for inner in ast.walk(node))


def _render_word(parts: list[tuple[str, str]]) -> str:
    if len(parts) == 1:
        kind, text = parts[0]
        return repr(text).replace("'", '"') if kind == "text" else text
    inner = "".join(text.replace("{", "{{").replace("}", "}}") if kind == "text" else "{" + text + "}" for kind, text in parts)
    return 'f"' + inner + '"'


def _kept_options(ctx: RuleContext, call: ast.Call, also: tuple[str, ...] = ()) -> str:
    """The call's keyword arguments other than shell= (check=True, cwd=...), as source text."""
    kept = [f"{k.arg}={ctx.source(k.value)}" for k in call.keywords if k.arg and k.arg not in ("shell", "args", *also)]
    return "".join(", " + option for option in kept)


_REQUEST_KEY = re.compile(r"""(?:\[\s*|\.get\(\s*)["']([\w.-]+)["']""")


def _concrete_shell_message(ctx: RuleContext, composition, command: ast.expr, hit: Hit, runs: str,
                            where: str = "on the host") -> str:
    """Say which variables carry the untrusted data, where it comes from, and what a request
    would do: "`cmd` is built from `cidr` and `name` (HTTP query parameter) and ... A request with
    `name=x;reboot` runs `reboot` on the host." """
    parts: list[str] = []
    pieces = composition.pieces
    for index, piece in enumerate(pieces):
        if piece.kind == DYNAMIC:
            nodes = value_expressions(pieces, index, command) if piece.node is command else (piece.node,)
            parts += [ctx.source(node) for node in nodes if node is not None]
    names = list(dict.fromkeys(parts))
    described = " and ".join(f"`{name}`" for name in names[:3]) + (" and more" if len(names) > 3 else "")
    source = hit.message.split(" built from ", 1)[-1].split(" (`", 1)[0]  # the source's description
    if isinstance(command, ast.Name) and names and names != [command.id]:
        text = f"`{command.id}` is built from {described} ({source}), and {runs} it."
    else:
        text = f"{runs} a shell command built from {described or 'data'} ({source})."
    key = next((m.group(1) for step in hit.trace for m in [_REQUEST_KEY.search(step.code)] if m and "HTTP" in step.note), None)
    example = f"a request with `{key}=x;reboot`" if key else "a value such as `x;reboot`"
    return f"{text} Shell metacharacters in it run other commands: {example} runs `reboot` {where}."


def shell_hit(ctx: RuleContext, call: ast.Call, command: ast.expr | None, *, runs: str,
              dynamic_confidence=None, cwe: int = 78, where: str = "on the host") -> Hit | None:
    """The finding for a shell command (``runs`` says what runs it, ``where``: where it runs, for
    the message)."""
    if command is None:
        return None
    composition = compose(ctx, command, SHELL_SANITIZERS)
    dynamic, requoted = shell_culprits(composition)
    if dynamic:
        hit = injection_hit(
            ctx, call, dynamic, cwe=cwe, dynamic_confidence=dynamic_confidence, whole=command, sink_note="executed by a shell",
            tainted=f"{runs} a shell command built from {{source}} (`{{code}}`); shell metacharacters in it run other commands.",
            dynamic=f"{runs} a shell command built from `{{code}}`, which is not a constant; if it can carry outside data, shell metacharacters in it (`;`, `|`, `$(...)`) run other commands.",
        )
        if hit is not None and hit.trace:
            hit.message = _concrete_shell_message(ctx, composition, command, hit, runs, where)
        if hit is not None:
            _suggest_argument_list(ctx, call, composition, command, hit)
        return hit
    if requoted:
        # The quoting is undone: what was quoted is judged as it was before (``shlex.quote(name)``
        # of a command-line ``name`` is command-line text again, at that source's confidence).
        quoted = [node.args[0] if node.__class__ is ast.Call and node.args else node for node in requoted]  # type: ignore[attr-defined]
        return injection_hit(
            ctx, call, quoted, cwe=cwe, dynamic_confidence=dynamic_confidence, proofs=False, sink_note="executed by a shell",
            tainted=f"{runs} a shell command where `{{code}}`, quoted by shlex.quote(), is put inside quotes again; the quotes cancel out and the value ({{source}}) is unquoted.",
            dynamic=f"{runs} a shell command where `{{code}}`, quoted by shlex.quote(), is put inside quotes again; the quotes cancel out and the value is unquoted.",
        )
    return None


_VALIDATE_ADVICE = ("validate values that have a format (an address with ipaddress.ip_interface(), a name "
                    "against an allow-list pattern).")


# Shell commands not run by a call whose options subprocess.run takes (the suggested argument list
# would be wrong with them, or on another host).
_NOT_SUBPROCESS = frozenset({name for name in SHELL_FUNCTIONS if name.startswith(("invoke.", "fabric."))}
                            | set(REMOTE_SHELL_FUNCTIONS))


def _suggest_argument_list(ctx: RuleContext, call: ast.Call, composition, command: ast.expr, hit: Hit) -> None:
    """The fix: the same command as an argument list without a shell. In a coroutine that called
    asyncio.create_subprocess_shell, asyncio.create_subprocess_exec with the arguments one by one
    (subprocess.run would block the event loop)."""
    name = ctx.call_name(call)
    if name in _NOT_SUBPROCESS and name not in REMOTE_SHELL_FUNCTIONS:
        hit.solution = (f"`{ctx.source(call.func)}()` always runs its command through a shell: quote every variable part"
                        " with shlex.quote() (`f\"make {shlex.quote(target)}\"`), or validate it against a strict"
                        " allow-list, before building the command.")
        return
    if name in _NOT_SUBPROCESS or (call.func.__class__ is ast.Attribute and call.func.attr == "exec_command"):  # type: ignore[attr-defined]
        return  # a remote command: the rule's advice (shlex.quote for the remote shell) stands
    argv = argument_list(ctx, composition, command)
    if name in K8S_EXEC_CALLS or is_k8s_exec_method(call):
        if argv is not None:
            hit.solution = (f"Give the pod the command as an argument list without a shell — `command={argv}` — so each "
                            f"value stays one argument whatever it contains; and {_VALIDATE_ADVICE}")
        return
    helper = _command_parameter(ctx, composition) if argv is None else None
    if helper is not None:
        function, parameter = helper
        if name in ASYNC_SHELL:
            run = f"await asyncio.create_subprocess_exec(*{parameter}{_kept_options(ctx, call, also=('cmd',))})"
        else:  # (the same subprocess call without shell=True; subprocess.run for os.system & co.)
            runner = ctx.source(call.func) if name in SUBPROCESS_CALLS else "subprocess.run"
            run = f"{runner}({parameter}{_kept_options(ctx, call)})"
        hit.solution = (f"`{function}()` takes a whole shell command line in `{parameter}` and runs it through a shell: "
                        f"make it take an argument list and run that without a shell (`{run}`), and have its callers "
                        f'pass each value as a separate word (`{function}(["tar", "-xf", archive])`, not '
                        f'`{function}("tar -xf " + archive)`), so each value stays one argument whatever it contains.')
        return
    if name not in ASYNC_SHELL:
        if argv is not None:
            hit.solution = (f"Pass an argument list without a shell — `subprocess.run({argv}{_kept_options(ctx, call)})` — "
                            f"so each value stays one argument whatever it contains; and {_VALIDATE_ADVICE}")
        return
    if argv is None:
        hit.solution = ("Start the program without a shell — `await asyncio.create_subprocess_exec(program, arg1, arg2, ...)`, "
                        f"each value a separate argument — so it stays one argument whatever it contains; and {_VALIDATE_ADVICE}")
        return
    arguments = argv[1:-1] + _kept_options(ctx, call, also=("cmd",))
    hit.solution = (f"Start the program without a shell — `await asyncio.create_subprocess_exec({arguments})` — so each "
                    f"value stays one argument whatever it contains; and {_VALIDATE_ADVICE}")


def _command_parameter(ctx: RuleContext, composition) -> tuple[str, str] | None:
    """(function, parameter) when the whole command is a parameter of the function around the call
    (``def run(cmd): subprocess.Popen(cmd, shell=True)``): the command line is built by its
    callers, so the fix is the helper's interface."""
    pieces = composition.pieces
    if len(pieces) != 1 or pieces[0].node.__class__ is not ast.Name:
        return None
    function = ctx.function
    if function is None:
        return None
    name = pieces[0].node.id  # type: ignore[union-attr]
    arguments = function.args
    if not any(argument.arg == name for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)):
        return None
    return function.name, name


def _called(ctx: RuleContext, call: ast.Call) -> str:
    return ctx.source(call.func)


# --- rules -----------------------------------------------------------------------------------

@rule(
    id="subprocess-shell-injection",
    title="OS command injection through subprocess with shell=True",
    cwe=78,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B602", "B404"],
    calls=SUBPROCESS_CALLS,
    description="""With shell=True, subprocess hands the command string to /bin/sh, which interprets
        metacharacters (; | & $() ` > <). A command assembled from anything but constants (and
        shlex.quote() results) lets whoever controls a part of it run other commands. A constant
        command is not reported; a shell= value that is not a literal counts as possibly true.""",
    solution="""Pass an argument list and drop shell=True:
        subprocess.run(["tar", "-xf", archive], check=True). If a shell is really needed, quote every
        variable part with shlex.quote().""",
    example="""
        subprocess.run("ping -c 1 " + host, shell=True)
    """,
    fixed="""
        subprocess.run(["ping", "-c", "1", "--", host], check=True)
    """,
)
def check_subprocess_shell(call: ast.Call, ctx: RuleContext):
    command = shell_command_of(ctx, call, ctx.call_name(call))
    maybe = not shell_uses_literal_true(ctx, call)
    return shell_hit(ctx, call, command, runs=f"`{_called(ctx, call)}` with shell=True runs",
                     dynamic_confidence=LOW if maybe else None)


@rule(
    id="shell-command-injection",
    title="OS command injection through a shell-executing function",
    cwe=78,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B605"],
    calls=SHELL_FUNCTIONS,
    description="""os.system, os.popen, subprocess.getoutput/getstatusoutput, commands.*, popen2.*,
        platform.popen and asyncio.create_subprocess_shell always run their command through a shell.
        A command assembled from anything but constants (and shlex.quote() results) lets whoever
        controls a part of it run other commands. Constant commands are not reported.""",
    solution="""Use subprocess.run() with an argument list and no shell:
        subprocess.run(["rm", "--", path], check=True); validate values (ipaddress, int, an
        allow-list) before they become arguments. If a shell is really needed, quote every
        variable part with shlex.quote().""",
    example="""
        os.system("rm -rf /srv/cache/" + name)
    """,
    fixed="""
        subprocess.run(["rm", "-rf", "--", os.path.join("/srv/cache", name)], check=True)
    """,
)
def check_shell_function(call: ast.Call, ctx: RuleContext):
    name = ctx.call_name(call)
    return shell_hit(ctx, call, shell_command_of(ctx, call, name), runs=f"`{_called(ctx, call)}` runs")


def _generic_shell_command(ctx: RuleContext, call: ast.Call) -> ast.expr | None:
    """For an unknown function called with shell=True: its command (positional arguments joined
    with spaces, as wrappers such as oslo's processutils.execute(*cmd, shell=True) do)."""
    if call.args:
        if len(call.args) == 1:
            return call.args[0]
        joined = ast.Call(func=ast.Attribute(value=ast.Constant(" "), attr="join", ctx=ast.Load()),
                          args=[ast.List(elts=list(call.args), ctx=ast.Load())], keywords=[])
        return ast.copy_location(joined, call)
    for keyword in ("cmd", "command", "args"):
        value = ctx.keyword(call, keyword)
        if value is not None:
            return value
    return None


# Methods taking any keyword whose ``shell=`` is a value to put in text, not a way to run it:
# ``"{shell} -c {cmd}".format(shell=shell, cmd=cmd)``.
_TEXT_METHODS = frozenset({"format", "format_map", "substitute", "safe_substitute"})


def _is_other_shell_call(ctx: RuleContext, call: ast.Call) -> bool:
    if not any(k.arg == "shell" for k in call.keywords):
        return False
    if call.func.__class__ is ast.Attribute and call.func.attr in _TEXT_METHODS:  # type: ignore[attr-defined]
        return False
    name = ctx.call_name(call)
    # (``pool.submit(f, cmd, shell=True)``: ``f`` is given shell=True, and checked as called so:
    # see rules/handed.py)
    return (name not in SUBPROCESS_CALLS and name not in SHELL_FUNCTIONS and subprocess_runs_shell(ctx, call)
            and not handed.hands_over(call, ctx))


@rule(
    id="shell-true-injection",
    title="OS command injection through a function called with shell=True",
    cwe=78,
    severity=HIGH,
    confidence=LOW,
    bandit=["B604"],
    nodes=[ast.Call],
    keywords=["shell"],  # (only calls passing shell= can be one: _is_other_shell_call)
    description="""A function other than subprocess is called with shell=True (typically a project
        or library wrapper such as processutils.execute or utils.execute). It very likely runs its
        command through a shell; a command assembled from non-constant values lets whoever
        controls them run other commands. Lower confidence: the wrapper is not analysed here.""",
    solution="""Call the wrapper without shell=True and pass the command as separate arguments;
        if a shell is needed, quote each variable part with shlex.quote().""",
    example="""
        utils.execute("ip link set %s up" % device, shell=True)
    """,
    fixed="""
        utils.execute("ip", "link", "set", device, "up")
    """,
)
def check_other_shell_true(call: ast.Call, ctx: RuleContext):
    if not _is_other_shell_call(ctx, call):
        return None
    return shell_hit(ctx, call, _generic_shell_command(ctx, call),
                     runs=f"`{_called(ctx, call)}` with shell=True probably runs", dynamic_confidence=LOW)


@rule(
    id="ssh-command-injection",
    title="OS command injection through an SSH command (ssh, paramiko, fabric)",
    cwe=78,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B601"],
    calls=[*REMOTE_SHELL_FUNCTIONS, *SUBPROCESS_CALLS, *EXEC_FUNCTIONS, *ASYNC_EXEC],
    methods=["exec_command"],
    description="""paramiko's SSHClient.exec_command(), fabric's Connection.run()/.sudo() (also of
        a Group, of the connection a fabric @task is given, and fabric 1's run()/sudo()), and the
        ssh program given a remote command (subprocess.run(["ssh", host, "ls -l " + path]): ssh
        joins everything after the destination into one line) run their command through the
        remote user's shell. A command assembled from non-constant values lets whoever controls
        them run other commands on the remote host. Constant commands and shlex.quote()d values
        are not reported.""",
    solution="""Quote every variable part with shlex.quote() (the remote side is a POSIX shell), or
        validate it against a strict allow-list before building the command.""",
    example="""
        client.exec_command("cat /var/log/" + name)
    """,
    fixed="""
        client.exec_command("cat /var/log/" + shlex.quote(name))
    """,
)
def check_exec_command(call: ast.Call, ctx: RuleContext):
    func = call.func
    if func.__class__ is ast.Attribute and func.attr == "exec_command":  # type: ignore[attr-defined]
        paramiko = ctx.facts.imports.imports_module("paramiko")
        return shell_hit(ctx, call, ctx.argument(call, 0, "command"),
                         runs=f"`{_called(ctx, call)}` runs on the remote host",
                         dynamic_confidence=None if paramiko else LOW, where="on the remote host")
    name = ctx.call_name(call) or ""
    remote = REMOTE_SHELL_FUNCTIONS.get(name)
    if remote is None:
        return _ssh_program_hit(ctx, call, name)
    return shell_hit(ctx, call, ctx.argument(call, *remote), runs=f"`{_called(ctx, call)}` runs on the remote host",
                     where="on the remote host")


_PROCESS_CALLS = (*SUBPROCESS_CALLS, *EXEC_FUNCTIONS, *ASYNC_EXEC)


def _ssh_program_hit(ctx: RuleContext, call: ast.Call, name: str) -> Hit | None:
    """``subprocess.run(["ssh", host, "ls -l " + path])``: the remote command ssh hands to the
    remote user's shell, checked like any shell command."""
    if name not in _PROCESS_CALLS:
        return None
    argv = argv_of(ctx, call, name)
    remote = ssh_remote_command(ctx, argv) if argv is not None else None
    if remote is None:
        return None
    hit = shell_hit(ctx, call, remote, runs=f"`{_called(ctx, call)}` has the remote host's shell (ssh) run",
                    where="on the remote host")
    if hit is not None:  # (no argument list helps: ssh always hands the command to a shell)
        hit.solution = ("Quote every variable part of the remote command with shlex.quote() (ssh joins the "
                        "arguments after the host into one line for the remote shell), or validate it against "
                        "an allow-list first.")
    return hit


@rule(
    id="process-program-injection",
    title="OS command injection: variable program or shell script in an argument list",
    cwe=78,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B603", "B606"],
    calls=[*_PROCESS_CALLS, *K8S_EXEC_CALLS],
    methods=K8S_EXEC_METHODS,
    description="""A process started without a shell (subprocess with a list, os.exec*, os.spawn*,
        os.posix_spawn, asyncio.create_subprocess_exec, a Kubernetes exec into a pod with
        kubernetes.stream.stream(...command=[...])) is safe from shell metacharacters, but not
        when the program itself (argv[0]) is variable — whoever chooses it runs any program — or
        when the program is a shell given a script (["sh", "-c", script]) built from variable
        values, or ssh given a remote command (["ssh", host, "ls -l " + path]: everything after
        the destination is joined and run by the remote shell). A fixed program with variable arguments is not command injection (see
        process-argument-injection). An argument list that is only a parameter is left to the
        data-flow analysis. A program chosen on the command line, in the environment or at a
        prompt (an editor, an interpreter, the program itself started again) is the choice of
        whoever runs this one and is not reported; a shell script built from it is.""",
    solution="""Choose the program from a fixed set (a dict from allowed names to absolute paths);
        never run a shell script built from input — pass the values as separate arguments
        (["sh", "-c", 'tar -xf "$1"', "sh", archive]) or drop the shell.""",
    example="""
        subprocess.run([tool, "--version"])
    """,
    fixed="""
        TOOLS = {"git": "/usr/bin/git", "hg": "/usr/bin/hg"}
        subprocess.run([TOOLS[tool], "--version"], check=True)
    """,
)
def check_process_program(call: ast.Call, ctx: RuleContext):
    argv = argv_of(ctx, call, ctx.call_name(call))
    if argv is None:
        return None
    called = _called(ctx, call)
    script = shell_script_of(ctx, argv)
    if script is not None:
        if _is_k8s_exec(ctx, call):
            return shell_hit(ctx, call, script, runs=f"`{called}` starts a shell in the pod that runs", where="in the pod")
        return shell_hit(ctx, call, script, runs=f"`{called}` starts a shell that runs")
    if ssh_remote_command(ctx, argv) is not None:
        return None  # ssh's remote command: reported as ssh-command-injection
    # Who runs this program may choose the program it starts (an editor, an interpreter, itself
    # again with its own arguments): the command line, environment and prompts are not untrusted
    # here. The shell script above is: metacharacters in it run other commands.
    if argv.opaque is not None:
        if ctx.taint(argv.opaque, operator_may_choose=True) is None:
            return None  # an unknown list: only the data-flow engine can say whether input reaches it
        return injection_hit(ctx, call, [argv.opaque], operator_may_choose=True,
                             tainted=f"`{called}` runs a program and arguments taken from {{source}} (`{{code}}`).",
                             dynamic=f"`{called}` runs a program and arguments taken from `{{code}}`.")
    if argv.split is not None:
        return _split_program_hit(ctx, call, argv.split, called)
    if argv.program is None:
        return None
    culprits = compose(ctx, argv.program).dynamic
    return injection_hit(
        ctx, call, culprits, operator_may_choose=True,
        tainted=f"`{called}` runs a program whose name comes from {{source}} (`{{code}}`); whoever chooses it runs any program.",
        dynamic=f"`{called}` runs a program whose name is not a constant (`{{code}}`); whoever controls it runs any program.",
    )


def _is_k8s_exec(ctx: RuleContext, call: ast.Call) -> bool:
    return is_k8s_exec_method(call) or ctx.call_name(call) in K8S_EXEC_CALLS


def split_words(ctx: RuleContext, source: ast.expr) -> tuple[list[ast.AST], list[ast.AST]]:
    """``cmd.split()`` / ``shlex.split(cmd)``: the variable pieces that make up the first word (the
    program), and those after it (arguments; a fixed prefix does not protect them: a value with
    spaces splits into new arguments)."""
    leading = ""
    program: list[ast.AST] = []
    pieces = compose(ctx, source).pieces
    for index, piece in enumerate(pieces):
        if piece.kind == TEXT:
            leading += piece.text or ""
            if re.search(r"\S\s", leading):
                rest = [p.node for p in pieces[index:] if p.kind not in (TEXT, SAFE) and p.node is not None]
                return [], rest  # the first word is complete and fixed
            continue
        if piece.kind != SAFE and piece.node is not None:
            program.append(piece.node)
            break
    return program, []


def _split_program_hit(ctx: RuleContext, call: ast.Call, source: ast.expr, called: str) -> Hit | None:
    """``subprocess.run(cmd.split())``: the first word is the program."""
    program, _ = split_words(ctx, source)
    return injection_hit(
        ctx, call, program, operator_may_choose=True,
        tainted=f"`{called}` runs a command line split into words whose first word, the program, comes from {{source}} (`{{code}}`).",
        dynamic=f"`{called}` runs a command line split into words whose first word, the program, comes from `{{code}}`, which is not a constant.",
    )


@rule(
    id="process-argument-injection",
    title="Argument injection: variable option in an argument list",
    cwe=88,
    severity=MEDIUM,
    confidence=LOW,
    bandit=["B603", "B606"],
    calls=[*_PROCESS_CALLS, *K8S_EXEC_CALLS],
    methods=K8S_EXEC_METHODS,
    description="""A fixed program started without a shell (also the command list of a
        Kubernetes exec into a pod) gets an argument that is not a constant.
        It cannot run other commands, but a value starting with "-" is read as an option
        (git --upload-pack=..., tar --checkpoint-action=..., ssh -oProxyCommand=...), which can
        run code or overwrite files. Low confidence: most variable arguments are harmless, this
        becomes precise when the data-flow analysis finds input reaching them. Not reported:
        arguments after a "--" separator, the value of an option known to take one (tar -f X,
        git clone --branch X, heroku -a X, from the tools' manuals; after an option of a tool not
        listed, "-x" may be a flag, so the value is still reported), values whose constant
        beginning is not "-" ("--name=" + x,
        a path joined under a constant directory with os.path.join or pathlib: str(BASE / name)),
        numbers (int()).""",
    solution="""Put "--" before positional values (["git", "clone", "--", url]), attach values to
        their option ("--file=" + name), or validate the value (it must not start with "-").""",
    example="""
        subprocess.run(["git", "clone", url, dest], check=True)
    """,
    fixed="""
        subprocess.run(["git", "clone", "--", url, dest], check=True)
    """,
)
def check_process_arguments(call: ast.Call, ctx: RuleContext):
    argv = argv_of(ctx, call, ctx.call_name(call))
    if argv is None:
        return None
    if argv.split is not None:
        program, culprits = split_words(ctx, argv.split)
        if program:
            return None  # reported as process-program-injection
    else:
        if argv.program is None or shell_script_of(ctx, argv) is not None:
            return None
        if compose(ctx, argv.program).dynamic:
            return None  # reported as process-program-injection
        culprits = _option_culprits(ctx, argv.arguments, _program_basename(ctx, argv.program, argv.arguments))
        remote = _ssh_command_elements(ctx, argv)
        if remote is not None and culprits:
            # The remote command's first word is what the remote shell runs, never an option of
            # ssh nor of the remote program (its injection is ssh-command-injection's).
            first = {id(node) for node in ast.walk(remote[0])}
            culprits = [culprit for culprit in culprits if id(culprit) not in first]
    called = _called(ctx, call)
    return injection_hit(
        ctx, call, culprits, dynamic_confidence=LOW,
        tainted=f"`{called}` passes {{source}} (`{{code}}`) as an argument; a value starting with \"-\" is read as an option.",
        dynamic=f"`{called}` passes `{{code}}`, which is not a constant, as an argument; a value starting with \"-\" would be read as an option.",
    )


# Options that take their value from the next argument, per program (basename): that argument is
# consumed as the option's value even if it starts with "-", so it cannot inject an option. Short
# options are letters (they may end a combined group: tar -xzf ARCHIVE), long ones whole words. From
# the tools' manuals (GNU tar, GNU grep, curl, git, ssh, rsync, PostgreSQL's pg_dump/pg_restore). Deliberately absent: options whose
# value is itself a command or a configuration line (ssh -o ProxyCommand=..., git -c
# core.sshCommand=..., rsync -e, find -exec): the value there is as dangerous as an option.
# Short and long options are treated alike, and only for the tools listed: for another tool a
# variable after "-x" is still reported, as after "--x", since "-x" may be a flag and the variable
# a positional argument read as an option (git checkout -m NAME, ls -l NAME).
_VALUE_OPTIONS: dict[str, tuple[str, frozenset[str]]] = {
    "tar": ("fCTXb", frozenset({"--file", "--directory", "--files-from", "--exclude-from", "--exclude"})),
    "grep": ("efmABC", frozenset({"--regexp", "--file", "--max-count", "--include", "--exclude"})),
    # (not curl -d/--data*: a value "@/etc/shadow" posts that file, "@" is syntax of the value)
    "curl": ("oHuAeXT", frozenset({"--output", "--header", "--user", "--user-agent", "--referer", "--request",
                                   "--upload-file"})),
    # git: -C is global; the others depend on the subcommand (git checkout -m, git diff -b,
    # git status --branch are flags), so they are listed under "git <subcommand>".
    "git": ("C", frozenset({"--git-dir", "--work-tree", "--depth"})),
    "git commit": ("CmF", frozenset({"--git-dir", "--work-tree", "--message", "--file", "--author"})),
    "git tag": ("CmF", frozenset({"--git-dir", "--work-tree", "--message", "--file"})),
    "git merge": ("CmF", frozenset({"--git-dir", "--work-tree", "--message", "--file"})),
    "git checkout": ("Cb", frozenset({"--git-dir", "--work-tree"})),
    "git switch": ("Cc", frozenset({"--git-dir", "--work-tree", "--create"})),
    "git clone": ("Cbo", frozenset({"--git-dir", "--work-tree", "--branch", "--origin", "--depth"})),
    "ssh": ("ilp", frozenset()),
    "scp": ("iP", frozenset()),
    "rsync": ("", frozenset({"--exclude", "--include", "--exclude-from", "--include-from"})),
    # PostgreSQL's client tools (getopt_long): connection, output and object-selection options.
    "pg_dump": ("fFjnNtTZdhpUSEe", frozenset({
        "--file", "--format", "--jobs", "--schema", "--exclude-schema", "--table", "--exclude-table",
        "--exclude-table-data", "--compress", "--dbname", "--host", "--port", "--username", "--superuser",
        "--encoding", "--extension", "--role", "--section", "--lock-wait-timeout", "--snapshot"})),
    "pg_dumpall": ("fdhlpUSE", frozenset({
        "--file", "--dbname", "--host", "--database", "--port", "--username", "--superuser", "--encoding",
        "--role", "--exclude-database", "--lock-wait-timeout"})),
    "pg_restore": ("dfFIjLnNPtThpUS", frozenset({
        "--dbname", "--file", "--format", "--index", "--jobs", "--use-list", "--schema", "--exclude-schema",
        "--function", "--table", "--trigger", "--host", "--port", "--username", "--superuser", "--role",
        "--section"})),
    # the Heroku CLI: the app and git remote a command acts on, accepted by every command
    "heroku": ("ar", frozenset({"--app", "--remote"})),
    "head": ("nc", frozenset({"--lines", "--bytes"})),
    "tail": ("nc", frozenset({"--lines", "--bytes"})),
}


def _program_basename(ctx: RuleContext, program: ast.expr | None, arguments: list[ast.expr]) -> str | None:
    text = ctx.literal(program, None) if program is not None else None
    if not isinstance(text, str):
        return None
    name = text.rsplit("/", 1)[-1]
    if name == "git":  # "git <subcommand>" when one with options of its own is named
        for argument in arguments:
            word = ctx.literal(argument, None)
            if isinstance(word, str) and f"git {word}" in _VALUE_OPTIONS:
                return f"git {word}"
    return name


def _takes_value(option: object, program: str | None) -> bool:
    """Whether the constant `option` of `program` reads its value from the next argument."""
    known = _VALUE_OPTIONS.get(program or "")
    if known is None or not isinstance(option, str) or len(option) < 2 or option[0] != "-":
        return False
    short, long = known
    if option.startswith("--"):
        return option in long
    for index, letter in enumerate(option[1:], 1):
        if letter in short:  # getopt: the first value-taking letter takes the rest of the group or the next argument
            return index == len(option) - 1
    return False


def _head_of(argument: ast.expr) -> ast.expr:
    """What an argument begins with: ``f"/CN={host}"[:64]`` begins as the f-string does (a slice
    from the start keeps the beginning; a value cut elsewhere is its own)."""
    while argument.__class__ is ast.Subscript and argument.slice.__class__ is ast.Slice:  # type: ignore[attr-defined]
        lower = argument.slice.lower  # type: ignore[attr-defined]
        if lower is not None and not (lower.__class__ is ast.Constant and lower.value == 0):  # type: ignore[attr-defined]
            break
        argument = argument.value  # type: ignore[attr-defined]
    return argument


def _option_culprits(ctx: RuleContext, arguments: list[ast.expr], program: str | None = None) -> list[ast.AST]:
    culprits: list[ast.AST] = []
    previous: object = None
    for argument in arguments:
        option, previous = previous, ctx.literal(argument, None)
        if previous == "--":
            break  # end of options: what follows is never an option
        if _takes_value(option, program):
            continue  # the value of the option before it, whatever it starts with
        composition = compose(ctx, _head_of(argument))
        if isinstance(argument, ast.Starred) and not composition.is_safe:
            culprits.append(argument.value)
            continue
        if composition.is_safe:
            continue
        first = composition.pieces[0] if composition.pieces else None
        if first is not None and first.kind == TEXT and first.text and first.text not in ("-", "--"):
            continue  # a fixed prefix: "--name=" + x or "/srv/" + x cannot start a new option
        culprits.extend(composition.dynamic[:1])
    return culprits


def _shell_words(text: str) -> list[list[str]]:
    """Command segments of a shell command (split at ; | && || & and subshells), as words, with
    quoted strings replaced by a neutral word (a quoted * is not a glob)."""
    unquoted = _QUOTED.sub(lambda m: "Q" if "*" in m.group(0) else m.group(0).strip("'\""), text)
    return [segment.split() for segment in _SEGMENT_SPLIT.split(unquoted) if segment.strip()]


def _program_words(words: list[str]) -> list[str]:
    """Skip leading VAR=value assignments: the first remaining word is the program."""
    for index, word in enumerate(words):
        if not _ASSIGNMENT.match(word):
            return words[index:]
    return []


# Last parts of the qualified names of the calls that start processes (see _may_start_process).
_PROCESS_LAST_NAMES = frozenset(
    name.rsplit(".", 1)[-1] for name in (*SHELL_FUNCTIONS, *SUBPROCESS_CALLS, *ASYNC_EXEC, *EXEC_FUNCTIONS))


def _may_start_process(ctx: RuleContext, call: ast.Call) -> bool:
    """Cheap necessary condition for ``all_shell_commands`` to find anything, without resolving the
    called name (this is asked for every call): a ``shell=`` keyword, or a called name that can
    resolve to one of the process functions."""
    for keyword in call.keywords:
        if keyword.arg == "shell":
            return True
    return ctx.may_resolve_to(call.func, _PROCESS_LAST_NAMES)


def all_shell_commands(ctx: RuleContext, call: ast.Call) -> list[ast.expr]:
    """Every expression a shell interprets in this call (any of the ways above)."""
    if not _may_start_process(ctx, call):
        return []
    name = ctx.call_name(call)
    command = shell_command_of(ctx, call, name)
    if command is not None:
        return [command]
    if _is_other_shell_call(ctx, call):
        generic = _generic_shell_command(ctx, call)
        return [generic] if generic is not None else []
    argv = argv_of(ctx, call, name)
    if argv is not None:
        script = shell_script_of(ctx, argv)
        if script is not None:
            return [script]
    return []


@rule(
    id="shell-wildcard-injection",
    title="Wildcard injection: * expanded into options of tar/chown/chmod/rsync",
    cwe=155,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B609"],
    # The calls all_shell_commands can find a command in: the process functions by name, and
    # any call passing shell= (asking for just these spares a check on nearly every call).
    calls=[*SHELL_FUNCTIONS, *SUBPROCESS_CALLS, *ASYNC_EXEC, *EXEC_FUNCTIONS],
    nodes=[ast.Call],
    keywords=["shell"],
    description="""The shell expands * into the file names of the directory. For tar, chown, chgrp,
        chmod and rsync, a file named like an option ("--checkpoint-action=exec=sh x.sh",
        "--reference=owned") becomes one, so whoever can create files there runs code or changes
        ownership. Reported for commands run through a shell, constant or not; not reported when
        "--" ends the options before the wildcard, the pattern is a path ("./*", "/srv/*") so no
        expanded name starts with "-", or the * is quoted or in an argument list without a shell.""",
    solution="""Prefix the pattern with a directory (./*) or put "--" before it
        (tar -czf backup.tgz -- *); better, list the files in Python and pass them as arguments
        without a shell.""",
    example="""
        os.system("cd /srv/upload && tar -czf /backup/upload.tgz *")
    """,
    fixed="""
        os.system("cd /srv/upload && tar -czf /backup/upload.tgz -- ./*")
    """,
)
def check_wildcard(call: ast.Call, ctx: RuleContext):
    for command in all_shell_commands(ctx, call):
        text = compose(ctx, command, SHELL_SANITIZERS).text(_PLACEHOLDER)
        for words in _shell_words(text):
            words = _program_words(words)
            if not words or _basename(words[0]) not in WILDCARD_PROGRAMS:
                continue
            for word in words[1:]:
                if word == "--":
                    break
                # Only a word starting with the glob expands to names that may start with "-";
                # "./*", "/srv/*" or "logs*" expand to names behind a fixed prefix.
                if word.lstrip(_PLACEHOLDER).startswith("*"):
                    return Hit(call, message=f"`{_called(ctx, call)}` runs `{words[0]}` through a shell with the wildcard `{word}`; a file named like an option (\"--checkpoint-action=...\", \"--reference=...\") becomes an option.")
    return None


def _partial_programs(ctx: RuleContext, call: ast.Call) -> list[str]:
    """Programs this call starts by bare name or relative path (found through PATH or cwd)."""
    name = ctx.call_name(call)
    found: list[str] = []
    command = shell_command_of(ctx, call, name)
    if command is not None:
        text = compose(ctx, command, SHELL_SANITIZERS).text(_PLACEHOLDER)
        for words in _shell_words(text):
            words = _program_words(words)
            if words and _PLACEHOLDER not in words[0] and words[0] not in SHELL_BUILTINS:
                found.append(words[0])
        return [p for p in found if _is_partial(p)]
    argv = argv_of(ctx, call, name)
    if argv is None or argv.program is None:
        return []
    if argv.split is not None:
        words = compose(ctx, argv.split).text(_PLACEHOLDER).split()
        program = words[0] if words and _PLACEHOLDER not in words[0] else None
    else:
        program = ctx.literal(argv.program, None)
        # A string without a shell is the program path itself; report its first word.
        program = program.split()[0] if isinstance(program, str) and program.strip() else None
    return [program] if isinstance(program, str) and _is_partial(program) else []


def _is_partial(program: str) -> bool:
    program = program.strip("'\"")
    if not program or program.startswith(("/", "\\", "$", "~", "%")):
        return False
    return not re.match(r"^[A-Za-z]:[\\/]", program)


@rule(
    id="process-partial-path",
    title="Program started by a partial path",
    cwe=426,
    severity=LOW,
    # Low: it matters only where PATH or the working directory is writable by someone else,
    # which the code does not show; shown with --min-confidence low.
    confidence=LOW,
    bandit=["B607"],
    calls=(*_PROCESS_CALLS, *SHELL_FUNCTIONS),
    description="""The program is named without an absolute path ("git", "./tool"), so the first
        match on PATH (or in the working directory) runs. Whoever can change PATH or write to a
        directory on it, or to the working directory, substitutes the program. Hardening finding;
        shell builtins (echo, cd, test...) are not reported.""",
    solution="""Use the absolute path (/usr/bin/git), resolved once with shutil.which() at start-up
        from a trusted PATH, or set a fixed PATH in env= for the child process.""",
    example="""
        subprocess.run(["git", "status"], check=True)
    """,
    fixed="""
        subprocess.run(["/usr/bin/git", "status"], check=True)
    """,
)
def check_partial_path(call: ast.Call, ctx: RuleContext):
    programs = _partial_programs(ctx, call)
    if not programs:
        return None
    names = ", ".join(f"`{p}`" for p in dict.fromkeys(programs))
    hit = Hit(call, message=f"`{_called(ctx, call)}` starts {names} by a partial path; the first match on PATH (or in the working directory) runs.")
    hit.solution = _absolute_path_solution(programs[0])
    return hit


def _absolute_path_solution(program: str) -> str:
    """The rule's fix, its example path being this program's (not the rule's generic git)."""
    program = program.strip("'\"")
    where = f"(/usr/bin/{program}, or where it is installed)" if "/" not in program and "\\" not in program \
        else f"of `{program}` (os.path.abspath() against a fixed directory, not the working directory)"
    return (f"Use the absolute path {where}, resolved once with shutil.which() at start-up from a trusted PATH, "
            "or set a fixed PATH in env= for the child process.")
