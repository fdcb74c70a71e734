"""Archive extraction: tar members that escape the target directory, zip bombs."""
from __future__ import annotations

import ast

from secreview.rules._naming import in_test_code
from secreview.rules.base import HIGH, LOW, MEDIUM, Hit, rule
from secreview.rules.context import RuleContext

TAR_OPENERS = frozenset({"tarfile.open", "tarfile.TarFile", "tarfile.TarFile.open", "tarfile.TarFile.gzopen",
                         "tarfile.TarFile.bz2open", "tarfile.TarFile.xzopen", "tarfile.TarFile.taropen"})
ZIP_OPENERS = frozenset({"zipfile.ZipFile", "zipfile.PyZipFile"})
UNSAFE_FILTERS = frozenset({"fully_trusted", "tarfile.fully_trusted_filter"})
TAR, ZIP = "tar", "zip"


def archive_origin(receiver: ast.expr, ctx: RuleContext) -> tuple[str | None, ast.Call | None]:
    """(TAR/ZIP/None, the call that opened it when known) for the object ``receiver``."""
    if isinstance(receiver, ast.Call):
        return _opener_kind(receiver, ctx), receiver
    if not isinstance(receiver, ast.Name):
        return None, None
    opened = [(_opener_kind(b, ctx), b) for b in ctx.facts.scopes.bindings_of(receiver.id, ctx.scope_chain) or []
              if isinstance(b, ast.Call) and _opener_kind(b, ctx)]
    if opened:  # `archive = ZipFile(...)` in one branch, `archive = tarfile.open(...)` in another: tar decides
        return max(opened, key=lambda pair: pair[0] == TAR)
    scope = ctx.scope_chain[-1] if ctx.scope_chain else ctx.facts.scopes.tree
    for node in ast.walk(scope):
        if isinstance(node, ast.withitem) and isinstance(node.optional_vars, ast.Name) \
                and node.optional_vars.id == receiver.id and isinstance(node.context_expr, ast.Call):
            kind = _opener_kind(node.context_expr, ctx)
            if kind:
                return kind, node.context_expr
    # Unknown object: the module the file imports decides (only one of the two).
    uses_tar, uses_zip = ctx.facts.imports.imports_module("tarfile"), ctx.facts.imports.imports_module("zipfile")
    if uses_tar != uses_zip:
        return (TAR if uses_tar else ZIP), None
    return None, None


def _opener_kind(call: ast.Call, ctx: RuleContext) -> str | None:
    name = ctx.call_name(call)
    if name in TAR_OPENERS:
        return TAR
    if name in ZIP_OPENERS:
        return ZIP
    return None


def _file_sets_extraction_filter(ctx: RuleContext) -> bool:
    """``tar.extraction_filter = ...`` or ``tarfile.TarFile.extraction_filter = ...`` anywhere."""
    for node in ast.walk(ctx.facts.scopes.tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Attribute) and t.attr == "extraction_filter" for t in node.targets
        ):
            return True
    return False


def _safe_filter(filter_arg: ast.expr | None, ctx: RuleContext) -> bool:
    if filter_arg is None or (isinstance(filter_arg, ast.Constant) and filter_arg.value is None):
        return False
    literal = ctx.literal(filter_arg, None)
    if isinstance(literal, str):
        return literal not in UNSAFE_FILTERS
    return ctx.qualname(filter_arg) not in UNSAFE_FILTERS  # tarfile.data_filter or a custom filter


@rule(
    id="tarfile-unsafe-extraction",
    title="Tar archive extracted without a member filter",
    cwe=22,
    severity=HIGH,
    confidence=MEDIUM,
    bandit=["B202"],
    methods=["extractall", "extract"],
    calls=["shutil.unpack_archive"],
    description="""tarfile extracts members exactly as the archive names them (before Python 3.14):
        names with "../" or absolute paths, symlinks and hard links pointing outside the target,
        device files and set-uid bits are all honoured. A crafted archive therefore writes or
        overwrites files anywhere the process can (path traversal, CWE-22). Calls that pass a
        filter ("data", "tar", tarfile.data_filter or a custom one), an explicit members= list, or
        files that set extraction_filter are not reported; archives opened from a constant path
        (shipped with the program) get low confidence.""",
    solution="""Pass filter="data" (Python 3.12+, and backported to security releases of 3.8+):
        tar.extractall(dest, filter="data"); on older versions check every member (resolved path
        inside dest, no links or devices) and pass only those as members=.""",
    example="""
        with tarfile.open(upload_path) as tar:
            tar.extractall(dest)
    """,
    fixed="""
        with tarfile.open(upload_path) as tar:
            tar.extractall(dest, filter="data")
    """,
)
def check_tar_extraction(call: ast.Call, ctx: RuleContext):
    if any(keyword.arg is None for keyword in call.keywords):
        return None  # **options may carry filter= or members=
    if ctx.call_name(call) == "shutil.unpack_archive":
        return _check_unpack_archive(call, ctx)
    if not isinstance(call.func, ast.Attribute):
        return None
    kind, opener = archive_origin(call.func.value, ctx)
    if kind != TAR or (opener is None and call.func.attr == "extract"):
        return None  # `.extract` is too common a name (pandas, regex helpers) to guess
    if _safe_filter(ctx.keyword(call, "filter"), ctx) or _file_sets_extraction_filter(ctx):
        return None
    members = ctx.keyword(call, "members")
    if members is not None and not (isinstance(members, ast.Constant) and members.value is None):
        return None  # the caller chose (presumably checked) the members
    confidence = None
    archive = ctx.argument(opener, 0, "name") if opener is not None else None
    if archive is not None and ctx.is_constant(archive):
        confidence = LOW  # an archive shipped with the program
    method = call.func.attr
    return in_test_code(ctx, Hit(call, confidence=confidence,
               message=f"`{ctx.source(call.func)}` extracts tar members without a filter: a crafted archive "
                       f"can {'write' if method == 'extractall' else 'place this member'} outside the target "
                       "directory through ../ names, absolute paths or links."))


def _check_unpack_archive(call: ast.Call, ctx: RuleContext):
    if _safe_filter(ctx.keyword(call, "filter"), ctx):
        return None
    archive = ctx.argument(call, 0, "filename")
    if archive is None:
        return None
    fmt = ctx.literal(ctx.argument(call, 2, "format"), None)
    name = ctx.literal(archive, None)
    if fmt == "zip" or (isinstance(name, str) and name.lower().endswith(".zip")):
        return None  # zip members are sanitised by zipfile
    return Hit(call, confidence=LOW if ctx.is_constant(archive) else MEDIUM,
               message="`shutil.unpack_archive` without filter= extracts tar archives unchecked: members can "
                       "escape the target directory.")


@rule(
    id="zipfile-extraction-unbounded",
    title="Zip archive extracted without size limits",
    cwe=409,
    severity=LOW,
    confidence=LOW,
    methods=["extractall"],
    description="""zipfile.extractall() strips "../" and absolute paths from member names, so path
        traversal is not the risk; a small crafted archive can however expand to gigabytes or
        millions of files (a zip bomb) and fill the disk or exhaust inodes. Reported at low
        confidence: it matters only for archives from untrusted sources.""",
    solution="""For untrusted archives, check infolist() before extracting: bound the number of
        members, the total file_size and the compression ratio, and extract member by member.""",
    example="""
        with zipfile.ZipFile(upload) as archive:
            archive.extractall(dest)
    """,
    fixed="""
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > 1000 or sum(m.file_size for m in members) > 100 * 2**20:
                raise ValueError("archive too large")
            archive.extractall(dest)
    """,
)
def check_zip_extraction(call: ast.Call, ctx: RuleContext):
    if not isinstance(call.func, ast.Attribute):
        return None
    kind, opener = archive_origin(call.func.value, ctx)
    if kind != ZIP or any(keyword.arg is None for keyword in call.keywords):
        return None
    members = ctx.argument(call, 1, "members")
    if members is not None and not (isinstance(members, ast.Constant) and members.value is None):
        return None
    archive = ctx.argument(opener, 0, "file") if opener is not None else None
    if archive is not None and ctx.is_constant(archive):
        return None  # an archive shipped with the program
    if _checks_member_sizes(ctx.function or ctx.facts.scopes.tree):
        return None  # the function looks at file_size / the member count before extracting
    return Hit(call, message=f"`{ctx.source(call.func)}` extracts every member with no bound on size or count.")


_MEMBER_WORDS = ("infolist", "namelist", "members", "file_size", "compress_size")


def _checks_member_sizes(scope: ast.AST) -> bool:
    """A comparison in the scope that involves members' ``file_size``/``compress_size`` or the
    number of members (``len(archive.infolist())``): the bound a zip bomb check needs."""
    for node in ast.walk(scope):
        if isinstance(node, ast.Compare):
            for part in ast.walk(node):
                if isinstance(part, ast.Attribute) and part.attr in ("file_size", "compress_size"):
                    return True
                if (isinstance(part, ast.Call) and isinstance(part.func, ast.Name) and part.func.id in ("len", "sum")
                        and part.args and any(word in ast.unparse(part.args[0]) for word in _MEMBER_WORDS)):
                    return True
    return False

