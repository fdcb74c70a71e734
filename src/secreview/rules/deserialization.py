"""Insecure deserialization (CWE-502): formats whose loaders build arbitrary objects or run code.

The risk is the *data*: a constant literal is silent; a value of unknown origin is a finding (and
the data-flow engine attaches the trace when untrusted bytes reach it). Loaders that read a file
named by a constant path are reported at low confidence: the program chose the file, so the
defect is real only if someone else can write it.
"""
from __future__ import annotations

import ast

from secreview.findings import Level, TraceStep
from secreview.models.sanitizers import IN_MEMORY_FILES, ROUND_TRIP_SERIALIZERS
from secreview.rules._security_use import is_literal_true, single_binding
from secreview.rules.base import HIGH, LOW, MEDIUM, Hit, dynamic_value_hit, rule
from secreview.rules.context import MISSING, RuleContext

_PICKLE_MODULES = ("pickle", "cPickle", "_pickle", "dill", "cloudpickle")
# name -> (position of the data argument, its keyword, does it name a file to read?)
_DATA_LOADERS: dict[str, tuple[int, str, bool]] = {
    **{f"{m}.loads": (0, "data", False) for m in _PICKLE_MODULES},
    **{f"{m}.load": (0, "file", False) for m in _PICKLE_MODULES},
    **{f"{m}.Unpickler": (0, "file", False) for m in _PICKLE_MODULES},
    "dill.loads": (0, "str", False),
    "jsonpickle.decode": (0, "string", False),
    "jsonpickle.loads": (0, "string", False),
    "jsonpickle.unpickler.decode": (0, "string", False),
    "shelve.open": (0, "filename", True),
    "shelve.DbfilenameShelf": (0, "filename", True),
    "pandas.read_pickle": (0, "filepath_or_buffer", True),
    "numpy.load": (0, "file", True),
    "joblib.load": (0, "filename", True),
    "sklearn.externals.joblib.load": (0, "filename", True),
}
_OPENERS = frozenset({"open", "builtins.open", "io.open", "gzip.open", "bz2.open", "lzma.open",
                      "codecs.open", "io.FileIO", "gzip.GzipFile", "bz2.BZ2File", "lzma.LZMAFile"})
_READ_METHODS = frozenset({"read", "read_bytes", "read_text", "readline", "getvalue", "open"})


def fixed_file_path(ctx: RuleContext, value: ast.expr, depth: int = 0) -> bool:
    """True when ``value`` is (the content of) a file opened from a constant path:
    ``open("cache.pkl", "rb")``, ``Path("m.pkl").read_bytes()``, ``f`` from ``with open(C) as f``."""
    if depth > 5:
        return False
    if isinstance(value, ast.Call):
        if ctx.call_name(value) in _OPENERS:
            path = ctx.argument(value, 0, "file") or ctx.argument(value, 0, "filename")
            return path is not None and ctx.is_constant(path)
        if isinstance(value.func, ast.Attribute) and value.func.attr in _READ_METHODS:
            receiver = value.func.value
            return ctx.is_constant(receiver) or fixed_file_path(ctx, receiver, depth + 1)
        return False
    if isinstance(value, ast.Name):
        bound = single_binding(ctx, value)
        if bound is not None:
            return fixed_file_path(ctx, bound, depth + 1)
        opened = _with_target_source(ctx, value.id)
        return opened is not None and fixed_file_path(ctx, opened, depth + 1)
    return False


def _opened_path(ctx: RuleContext, value: ast.expr, depth: int = 0) -> ast.expr | None:
    """The path of the file ``value`` is: ``open(path, "rb")``, ``fh`` from ``with open(path) as
    fh`` or ``fh = open(path)``, ``Path(path).open()`` (None: not a file opened here)."""
    if depth > 5:
        return None
    if isinstance(value, ast.Call):
        if ctx.call_name(value) in _OPENERS:
            return ctx.argument(value, 0, "file") or ctx.argument(value, 0, "filename")
        if isinstance(value.func, ast.Attribute) and value.func.attr == "open" and not value.args:
            return value.func.value  # Path(p).open("rb") is given no positional path
        return None
    if isinstance(value, ast.Name):
        bound = single_binding(ctx, value)
        if bound is None:
            bound = _with_target_source(ctx, value.id)
        return _opened_path(ctx, bound, depth + 1) if bound is not None else None
    return None


_FETCHERS = frozenset({"requests.get", "requests.post", "urllib.request.urlopen", "httpx.get"})
# Fetchers whose response is itself a file object to read from: pickle.load(urlopen(url)).
_STREAM_FETCHERS = frozenset({"urllib.request.urlopen"})
_BODY_ATTRIBUTES = frozenset({"content", "text"})
_FOLLOW_DEPTH = 5


def _fetched_url(ctx: RuleContext, value: ast.expr, *, body: bool = True, depth: int = 0) -> ast.expr | None:
    """The URL of the download ``value`` reads: a file object over the response --
    ``urlopen(url)``, ``resp`` of ``with urlopen(url) as resp``, ``requests.get(url).raw``,
    ``io.BytesIO(<body>)`` -- or, with ``body``, the bytes of the response:
    ``requests.get(url).content``, ``resp.read()``, ``response.content`` with ``response =
    requests.get(url)``. When the URL is untrusted the attacker chooses the server, not only the
    network ("network response", low). Loaders that take a file name get ``body=False``: the
    text of a response given to them is a path, not the data."""
    if depth > _FOLLOW_DEPTH:
        return None
    if isinstance(value, ast.Name):
        bound = _bound_or_entered(ctx, value)
        return _fetched_url(ctx, bound, body=body, depth=depth + 1) if bound is not None else None
    if isinstance(value, ast.Call):
        name = ctx.call_name(value)
        if name in _STREAM_FETCHERS:
            return ctx.argument(value, 0, "url")
        if name in IN_MEMORY_FILES and len(value.args) == 1:
            return _fetched_url(ctx, value.args[0], body=True, depth=depth + 1)
        if not (body and isinstance(value.func, ast.Attribute) and value.func.attr == "read"):
            return None
        response = value.func.value
    elif isinstance(value, ast.Attribute) and (value.attr == "raw" or (body and value.attr in _BODY_ATTRIBUTES)):
        response = value.value
    else:
        return None
    if isinstance(response, ast.Name):
        response = _bound_or_entered(ctx, response) or response
    if isinstance(response, ast.Call) and ctx.call_name(response) in _FETCHERS:
        return ctx.argument(response, 0, "url")
    return None


def _bound_or_entered(ctx: RuleContext, name: ast.Name) -> ast.expr | None:
    """What a name bound once is bound to, or the context manager of the enclosing ``with`` that
    binds it (``with urlopen(url) as resp``)."""
    return single_binding(ctx, name) or _with_target_source(ctx, name.id)


def _with_target_source(ctx: RuleContext, name: str) -> ast.expr | None:
    """``open(...)`` for ``f`` in an enclosing ``with open(...) as f:``, when every binding of
    ``f`` in its scope is a ``with`` target (two ``with open(a) as f`` blocks one after the other
    are each their own; ``f`` rebound in the block is not known)."""
    binder = ctx.facts.scopes.binder(name, ctx.scope_chain)
    if binder is None or name in binder.escaped:
        return None
    bindings, entered = binder.bindings.get(name), binder.entered.get(name)
    if not bindings or not entered or len(bindings) != len(entered):
        return None
    for node in reversed(ctx.ancestors):
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == name:
                    return item.context_expr
    return None


def _round_trip(ctx: RuleContext, call: ast.Call, value: ast.expr) -> bool:
    """``pickle.loads(pickle.dumps(obj))``, ``data = marshal.dumps(obj); marshal.loads(data)``,
    ``pickle.load(io.BytesIO(pickle.dumps(obj)))``: the loader is given what the program has just
    serialized itself (see ROUND_TRIP_SERIALIZERS)."""
    serializers = ROUND_TRIP_SERIALIZERS.get(ctx.call_name(call) or "")
    if serializers is None:
        return False
    value = _bound_here(ctx, value)
    if isinstance(value, ast.Call) and len(value.args) == 1 and ctx.call_name(value) in IN_MEMORY_FILES:
        value = _bound_here(ctx, value.args[0])
    return isinstance(value, ast.Call) and ctx.call_name(value) in serializers


def _bound_here(ctx: RuleContext, value: ast.expr) -> ast.expr:
    """The expression a name is bound to when it is bound once, in the scope of the call (the same
    function); else ``value`` itself."""
    if not isinstance(value, ast.Name):
        return value
    chain = ctx.scope_chain
    scopes = ctx.facts.scopes
    binder = scopes.binder(value.id, chain)
    if binder is None or not chain or binder is not scopes.collector(chain[-1]) or value.id in binder.escaped:
        return value
    bindings = binder.bindings[value.id]
    return bindings[0] if len(bindings) == 1 and bindings[0] is not None else value


def data_hit(ctx: RuleContext, call: ast.Call, value: ast.expr | None, *, names_file: bool,
             what: str, consequence: str) -> Hit | None:
    """The decision shared by every loader: constant data silent, a fixed file low, else dynamic."""
    if value is None or _round_trip(ctx, call, value):
        return None
    name = ctx.source(call.func).replace("{", "{{").replace("}", "}}")
    if (names_file and ctx.is_constant(value)) or fixed_file_path(ctx, value):
        return Hit(call, confidence=LOW, message=(
            f"`{name}` loads {what} from a file at a fixed path; {consequence} if anyone but this "
            "program can write that file."))
    # A download (also a file object over it: ``with urlopen(url) as resp``) before the loader's
    # own file name: the stream given to torch.load is no path whose source would choose a file.
    url = _fetched_url(ctx, value, body=not names_file)
    path = _opened_path(ctx, value) or url or (value if names_file else None)
    if path is not None and ctx.taint(path) is not None:
        # A file opened on an untrusted path (pickle.load(open(path)), shelve.open(path)): the
        # attacker chooses which file is loaded -- the path's source, not "file contents" (low).
        # Reported besides path-traversal where that applies: confining the name to a directory
        # still loads whatever file was planted there (an upload, a shared or writable directory).
        chosen = (f"a download whose URL comes from {{source}}: {consequence}" if path is url else
                  f"a file whose path comes from {{source}}: whoever controls it chooses the file, one they may have planted "
                  f"(an upload, a writable directory, reached with ../), and {consequence}")
        hit = dynamic_value_hit(
            ctx, call, path,
            tainted=f"`{name}` loads {what} from {chosen}.",
            dynamic=f"`{name}` loads {what} from a file whose path is not a constant: {consequence} if it can come from outside.",
        )
        if hit is not None and path is not url and hit.trace:
            hit.confidence = min(hit.confidence or MEDIUM, MEDIUM)  # (takes a planted file too)
        elif hit is not None and path is url and hit.trace:
            _show_download(ctx, hit, url)
        return hit
    origin = ("a download" if url is not None else
              "a file whose path is not a constant" if names_file else "a value that is not a constant")
    return dynamic_value_hit(
        ctx, call, value,
        tainted=f"`{name}` loads {what} from {{source}}: {consequence}.",
        dynamic=f"`{name}` loads {what} from {origin}: {consequence} if it can come from outside.",
    )


def _show_download(ctx: RuleContext, hit: Hit, url: ast.expr) -> None:
    """The download on its own line (``with urlopen(url) as resp:`` before ``pickle.load(resp)``)
    is a step of the evidence, between the URL's source and the loader."""
    line = url.lineno
    if any(step.line == line and step.path == ctx.path for step in hit.trace):
        return
    step = TraceStep(ctx.path, line, url.col_offset, ctx.parsed.source_line(line).strip(), "downloaded from this URL")
    at = next((i for i, s in enumerate(hit.trace) if s.path == ctx.path and s.line > line), len(hit.trace) - 1)
    hit.trace.insert(at, step)


@rule(
    id="unsafe-deserialization",
    title="Deserialization of untrusted data with pickle",
    cwe=502,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B301", "B403"],
    calls=list(_DATA_LOADERS),
    description="""pickle and the formats built on it (cPickle, dill, cloudpickle, jsonpickle,
        shelve, joblib, pandas.read_pickle, numpy.load with allow_pickle=True) rebuild arbitrary
        objects and call any importable function while loading. Whoever can supply or modify the
        data runs code in this process. Constant data is not reported, nor a shelf at a fixed path
        (the program's own store); another file at a fixed path is reported at low confidence, a
        file whose name comes from outside as one the attacker may have planted.""",
    solution="""Exchange data in a format that cannot express code: json, or a schema-validated
        format (msgspec, pydantic, protobuf). For numpy arrays keep allow_pickle=False; for models
        use safetensors. If pickle is unavoidable, authenticate the bytes with an HMAC before
        loading and only load what this program wrote.""",
    example="""
        session = pickle.loads(base64.b64decode(request.cookies["state"]))
    """,
    fixed="""
        session = json.loads(base64.b64decode(request.cookies["state"]))
    """,
)
def check_pickle_family(call: ast.Call, ctx: RuleContext):
    name = ctx.call_name(call) or ""
    position, keyword, names_file = _DATA_LOADERS[name]
    if name == "numpy.load":
        allow = ctx.argument(call, 2, "allow_pickle")
        if allow is None or not (is_literal_true(ctx, allow) or ctx.literal(allow) is MISSING):
            return None  # allow_pickle defaults to False: arrays only
    value = ctx.argument(call, position, keyword)
    if name in _OWN_STORES and value is not None and ctx.is_constant(value):
        return None  # a shelf at a fixed path is the program's own persistent dict: it reads what it wrote
    return data_hit(ctx, call, value, names_file=names_file,
                    what="pickled data", consequence="loading it can run arbitrary code")


_OWN_STORES = frozenset({"shelve.open", "shelve.DbfilenameShelf"})


@rule(
    id="marshal-load",
    title="Deserialization of untrusted data with marshal",
    cwe=502,
    severity=MEDIUM,
    confidence=MEDIUM,
    bandit=["B302"],
    calls=["marshal.loads", "marshal.load"],
    description="""marshal is Python's internal format for code objects; it is not hardened
        against malformed or malicious input (crafted data can crash the interpreter) and it
        carries code objects that the program may then run. Constant data is not reported.""",
    solution="""Use json (or another data-only format) for data that crosses a trust boundary;
        keep marshal for files this program writes and controls.""",
    example="""
        config = marshal.loads(sock.recv(65536))
    """,
    fixed="""
        config = json.loads(sock.recv(65536))
    """,
)
def check_marshal(call: ast.Call, ctx: RuleContext):
    keyword = "bytes" if (ctx.call_name(call) or "").endswith("loads") else "file"
    return data_hit(ctx, call, ctx.argument(call, 0, keyword), names_file=False,
                    what="marshal data", consequence="malformed data can crash the interpreter or smuggle code objects")


_SAFE_YAML_LOADERS = frozenset(
    f"{module}.{loader}"
    for module in ("yaml", "yaml.loader", "yaml.cyaml")
    for loader in ("SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader")
)
_FULL_YAML_LOADERS = frozenset(f"{m}.{l}" for m in ("yaml", "yaml.loader", "yaml.cyaml") for l in ("FullLoader", "CFullLoader"))
_YAML_LOADER_POSITION = 1


def _yaml_loader_names(ctx: RuleContext, expr: ast.expr, depth: int = 0) -> set[str] | None:
    """Qualified names of the loader classes ``expr`` can be, or None when it is not decidable.

    Follows names bound once, ``A if cond else B``, ``getattr(yaml, "CSafeLoader", yaml.SafeLoader)``
    and classes of this file that subclass a loader."""
    if depth > 8:
        return None
    if isinstance(expr, ast.IfExp):
        body, orelse = _yaml_loader_names(ctx, expr.body, depth + 1), _yaml_loader_names(ctx, expr.orelse, depth + 1)
        return None if body is None or orelse is None else body | orelse
    if isinstance(expr, ast.Call) and ctx.call_name(expr) in ("getattr", "builtins.getattr") and len(expr.args) == 3:
        attribute = ctx.literal(expr.args[1], None)
        default = _yaml_loader_names(ctx, expr.args[2], depth + 1)
        module = ctx.qualname(expr.args[0])
        if not isinstance(attribute, str) or default is None or module is None:
            return None
        return {f"{module}.{attribute}"} | default
    qualified = ctx.qualname(expr)
    if qualified in _SAFE_YAML_LOADERS or qualified in _FULL_YAML_LOADERS:
        return {qualified}
    if isinstance(expr, ast.Name):
        local_class = _module_class(ctx, expr.id)
        if local_class is not None:
            bases = [_yaml_loader_names(ctx, base, depth + 1) for base in local_class.bases]
            if bases and all(b is not None for b in bases):
                return set().union(*bases)  # type: ignore[arg-type]
            return None
        bound = single_binding(ctx, expr)
        if bound is not None:
            return _yaml_loader_names(ctx, bound, depth + 1)
    return {qualified} if qualified else None


def _module_class(ctx: RuleContext, name: str) -> ast.ClassDef | None:
    for statement in ctx.parsed.tree.body:
        if isinstance(statement, ast.ClassDef) and statement.name == name:
            return statement
    return None


def _yaml_loader_risk(ctx: RuleContext, call: ast.Call, function: str) -> tuple[Level, str] | None:
    """(confidence that the loader builds arbitrary objects, why) or None for a safe loader."""
    if function.endswith(("unsafe_load", "unsafe_load_all")):
        return HIGH, "the unsafe loader builds arbitrary Python objects"
    if function.endswith(("full_load", "full_load_all")):
        return LOW, "FullLoader could build arbitrary objects before PyYAML 5.4"
    loader = ctx.argument(call, _YAML_LOADER_POSITION, "Loader")
    if loader is None:
        return MEDIUM, "without a Loader, PyYAML before 5.1 uses the unsafe loader (5.1-5.4 FullLoader)"
    names = _yaml_loader_names(ctx, loader)
    if names is None:
        return LOW, "its Loader cannot be resolved to a safe loader"
    if names <= _SAFE_YAML_LOADERS:
        return None
    if names <= _SAFE_YAML_LOADERS | _FULL_YAML_LOADERS:
        return LOW, "FullLoader could build arbitrary objects before PyYAML 5.4"
    if all(n.startswith("yaml.") for n in names):
        return HIGH, f"`{ctx.source(loader)}` builds arbitrary Python objects"
    return LOW, "its Loader cannot be resolved to a safe loader"


@rule(
    id="yaml-unsafe-load",
    title="Deserialization of untrusted YAML with an unsafe loader",
    cwe=502,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B506"],
    calls=[f"yaml.{f}" for f in ("load", "load_all", "unsafe_load", "unsafe_load_all", "full_load", "full_load_all")],
    description="""yaml.load with the default, unsafe or full loader turns tags such as
        !!python/object/apply into arbitrary object construction and function calls: a YAML
        document from outside runs code. SafeLoader/CSafeLoader (and yaml.safe_load) only build
        plain data and are not reported, nor is constant YAML text. FullLoader is reported at low
        confidence: it was only made safe in PyYAML 5.4.""",
    solution="""Use yaml.safe_load(data), or yaml.load(data, Loader=yaml.SafeLoader) (CSafeLoader
        for speed).""",
    example="""
        settings = yaml.load(request.data, Loader=yaml.Loader)
    """,
    fixed="""
        settings = yaml.safe_load(request.data)
    """,
)
def check_yaml_load(call: ast.Call, ctx: RuleContext):
    function = ctx.call_name(call) or ""
    risk = _yaml_loader_risk(ctx, call, function)
    if risk is None:
        return None
    loader_confidence, why = risk
    hit = data_hit(ctx, call, ctx.argument(call, 0, "stream"), names_file=False,
                   what="YAML", consequence=f"{why}, so the document can run code")
    if hit is not None:
        hit.confidence = min(hit.confidence or MEDIUM, loader_confidence)
    return hit


@rule(
    id="yaml-unsafe-loader-configured",
    title="YAML parser configured to build arbitrary objects",
    cwe=502,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B506"],
    calls=["ruamel.yaml.YAML", "ruamel.yaml.main.YAML"],
    description="""ruamel.yaml's YAML(typ="unsafe") builds arbitrary Python objects from tags;
        every document this parser loads can run code. The default round-trip and "safe" types
        are not reported.""",
    solution="""Use YAML() (round-trip) or YAML(typ="safe").""",
    example="""
        parser = YAML(typ="unsafe")
    """,
    fixed="""
        parser = YAML(typ="safe")
    """,
)
def check_ruamel_unsafe(call: ast.Call, ctx: RuleContext):
    kind = ctx.literal(ctx.argument(call, None, "typ"), None)
    kinds = kind if isinstance(kind, list) else [kind]
    if "unsafe" in kinds:
        return Hit(call, message='`YAML(typ="unsafe")` builds arbitrary Python objects from the documents it loads.')
    return None


@rule(
    id="torch-load-unsafe",
    title="Deserialization of an untrusted PyTorch file",
    cwe=502,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B614"],
    calls=["torch.load", "torch.serialization.load"],
    description="""torch.load unpickles the file unless weights_only=True: a crafted checkpoint
        runs code when loaded. PyTorch 2.6 made weights_only=True the default, so a call without
        the argument is reported at medium confidence (older PyTorch, or an environment that
        overrides the default), weights_only=False at high confidence.""",
    solution="""Pass weights_only=True (and load tensors/state dicts only), or store models as
        safetensors.""",
    example="""
        model = torch.load(downloaded_path)
    """,
    fixed="""
        model = torch.load(downloaded_path, weights_only=True)
    """,
)
def check_torch_load(call: ast.Call, ctx: RuleContext):
    weights_only = ctx.keyword(call, "weights_only")
    if weights_only is not None and is_literal_true(ctx, weights_only):
        return None
    if weights_only is None:
        confidence = MEDIUM
        why = "torch.load unpickles it unless weights_only=True (the default only since PyTorch 2.6)"
    elif ctx.literal(weights_only) is MISSING:
        confidence = LOW
        why = "weights_only is not known to be True, so torch.load may unpickle it"
    else:
        confidence = HIGH
        why = "weights_only=False makes torch.load unpickle it"
    hit = data_hit(ctx, call, ctx.argument(call, 0, "f"), names_file=True,
                   what="a checkpoint", consequence=f"{why}, which can run arbitrary code")
    if hit is not None:
        hit.confidence = min(hit.confidence or MEDIUM, confidence)
    return hit


_KERAS_LOADERS = [
    f"{package}.{module}.load_model"
    for package in ("keras", "tensorflow.keras", "tf_keras")
    for module in ("models", "saving")
]


@rule(
    id="keras-unsafe-load",
    title="Keras model loaded with safe_mode off",
    cwe=502,
    severity=HIGH,
    confidence=MEDIUM,
    calls=_KERAS_LOADERS,
    description="""keras.models.load_model(path, safe_mode=False) rebuilds Lambda layers from the
        Python code stored in the model file: a crafted model runs code when it is loaded.
        safe_mode=True (the default) refuses them. Reported when safe_mode is False (or not known
        to be True), at the confidence the file's origin gives: low for a fixed path, with the
        trace when the data flow finds where the path or download comes from.""",
    solution="""Keep the default safe_mode=True and replace Lambda layers by registered custom
        layers (keras.saving.register_keras_serializable); load only model files this program
        wrote or verified (a checksum or signature).""",
    example="""
        model = keras.models.load_model(uploaded_path, safe_mode=False)
    """,
    fixed="""
        model = keras.models.load_model(uploaded_path)
    """,
)
def check_keras_load(call: ast.Call, ctx: RuleContext):
    safe_mode = ctx.keyword(call, "safe_mode")
    if safe_mode is None or is_literal_true(ctx, safe_mode):
        return None
    known = ctx.literal(safe_mode) is not MISSING
    why = ("safe_mode=False lets its Lambda layers run the code the file holds" if known else
           "safe_mode is not known to be True, so its Lambda layers may run the code the file holds")
    hit = data_hit(ctx, call, ctx.argument(call, 0, "filepath"), names_file=True, what="a model", consequence=why)
    if hit is not None and not known:
        hit.confidence = LOW
    return hit
