"""Dynamic code execution: eval/exec/compile of values that are not fixed in the source."""
from __future__ import annotations

import ast

from secreview.rules.base import HIGH, MEDIUM, dynamic_value_hit, rule
from secreview.rules.context import RuleContext


@rule(
    id="eval-used",
    title="Code injection through eval",
    cwe=95,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B307"],
    calls=["eval", "builtins.eval"],
    message="`{name}` evaluates an expression that is not a constant; whoever controls it runs arbitrary Python.",
    description="""eval() runs its argument as Python code. When the argument can carry data from
        outside the program, an attacker runs arbitrary code with the program's privileges.""",
    solution="""Parse data instead of evaluating it: ast.literal_eval() for Python literals,
        json.loads() for JSON, or a dispatch table for a fixed set of operations.""",
    example="""
        value = eval(request.args["expr"])
    """,
    fixed="""
        import ast
        value = ast.literal_eval(request.args["expr"])
    """,
)
def check_eval(call: ast.Call, ctx: RuleContext):
    return dynamic_value_hit(
        ctx, call, ctx.argument(call, 0, "source"),
        tainted="`eval` evaluates {source}: whoever controls it runs arbitrary Python in this process.",
        dynamic="`eval` evaluates an expression that is not a constant; if its origin is ever untrusted, that is arbitrary code execution.",
        sink_note="evaluated as Python",
    )


@rule(
    id="exec-used",
    title="Code injection through exec",
    cwe=95,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B102"],
    calls=["exec", "builtins.exec"],
    message="`{name}` runs code that is not a constant; whoever controls it runs arbitrary Python.",
    description="""exec() runs its argument as Python statements. Code assembled at run time from
        anything but constants lets whoever influences it run arbitrary code.""",
    solution="""Do not build code at run time: call the functions directly, use a dispatch
        table, or parse data with json/ast.literal_eval.""",
    example="""
        exec("result = " + user_formula)
    """,
    fixed="""
        OPERATIONS = {"sum": sum, "max": max}
        result = OPERATIONS[user_choice](values)
    """,
)
def check_exec(call: ast.Call, ctx: RuleContext):
    return dynamic_value_hit(
        ctx, call, ctx.argument(call, 0, "source"),
        tainted="`exec` runs code built from {source}: whoever controls it runs arbitrary Python in this process.",
        dynamic="`exec` runs code that is not a constant; if its origin is ever untrusted, that is arbitrary code execution.",
        sink_note="executed as Python",
    )


@rule(
    id="compile-used",
    title="Code injection through compile",
    cwe=95,
    severity=HIGH,
    confidence=MEDIUM,
    calls=["compile", "builtins.compile"],
    message="`{name}` compiles code that is not a constant; whoever controls it runs arbitrary Python once the code object is executed.",
    description="""compile() turns source text (or an AST) into a code object, which is then run by
        exec/eval or a function call. Compiling anything but constants lets whoever influences the
        source run arbitrary code. re.compile and other library compile functions are not concerned.""",
    solution="""Do not compile code built at run time: use a dispatch table or a parser for the
        data (ast.literal_eval, json). If expressions must be evaluated, use a dedicated
        evaluator with a whitelist of operations instead of Python itself.""",
    example="""
        code = compile(request.form["rule"], "<rule>", "eval")
        result = eval(code, {"x": x})
    """,
    fixed="""
        OPERATORS = {"lt": operator.lt, "gt": operator.gt}
        result = OPERATORS[request.form["op"]](x, int(request.form["value"]))
    """,
)
def check_compile(call: ast.Call, ctx: RuleContext):
    if _only_parses(call, ctx):
        return None
    return dynamic_value_hit(
        ctx, call, ctx.argument(call, 0, "source"),
        tainted="`compile` turns {source} into code: whoever controls it runs arbitrary Python once the code object is executed.",
        dynamic="`compile` compiles source that is not a constant; if its origin is ever untrusted, that is arbitrary code execution.",
        sink_note="compiled as Python",
    )


def _only_parses(call: ast.Call, ctx: RuleContext) -> bool:
    """``compile(src, name, mode, flags=ast.PyCF_ONLY_AST)`` builds a syntax tree (what ast.parse
    does): nothing it returns can run. The flags may be a variable bound to PyCF_ONLY_AST."""
    flags = ctx.argument(call, 3, "flags")
    if flags is None:
        return False
    expressions = [flags]
    if isinstance(flags, ast.Name):
        expressions += [b for b in ctx.facts.scopes.bindings_of(flags.id, ctx.scope_chain) or [] if b is not None]
    return any("PyCF_ONLY_AST" in ast.unparse(expression) for expression in expressions)
