"""Machine-learning supply chain: models and data sets downloaded from the Hugging Face Hub
without pinning an immutable revision, and PyTorch Hub repositories whose code runs here (CWE-494).

A repository's branch or tag can be moved by whoever controls (or compromises) it, so the next
download silently brings different weights, tokenizer files or, with trust_remote_code=True,
different Python code. A full commit hash pins the content.
"""
from __future__ import annotations

import ast
import re

from secreview.rules._security_use import is_literal_true
from secreview.rules.base import HIGH, LOW, MEDIUM, Hit, dynamic_value_hit, rule
from secreview.rules.context import MISSING, RuleContext

_COMMIT_HASH = re.compile(r"^[0-9a-f]{40}$")
_LOCAL_PATH = re.compile(r"^(/|\.{1,2}(/|$)|~|[A-Za-z]:[\\/])")
# datasets.load_dataset builders that read local or given files, not a Hub repository.
_PACKAGED_BUILDERS = frozenset({
    "csv", "json", "parquet", "text", "arrow", "pandas", "imagefolder", "audiofolder", "videofolder",
    "webdataset", "xml", "sql", "generator", "spark", "cache",
})
# call -> (position of the repository id, its keyword)
_DOWNLOAD_CALLS = {
    "huggingface_hub.hf_hub_download": (0, "repo_id"),
    "huggingface_hub.file_download.hf_hub_download": (0, "repo_id"),
    "huggingface_hub.snapshot_download": (0, "repo_id"),
    "huggingface_hub._snapshot_download.snapshot_download": (0, "repo_id"),
    "datasets.load_dataset": (0, "path"),
    "transformers.pipeline": (None, "model"),
}


def _repository_argument(ctx: RuleContext, call: ast.Call) -> ast.expr | None:
    name = ctx.call_name(call) or ""
    if name in _DOWNLOAD_CALLS:
        position, keyword = _DOWNLOAD_CALLS[name]
        return ctx.argument(call, position, keyword)
    return ctx.argument(call, 0, "pretrained_model_name_or_path")


@rule(
    id="hf-unpinned-download",
    title="Model or data set downloaded without a pinned revision",
    cwe=494,
    severity=MEDIUM,
    confidence=HIGH,
    bandit=["B615"],
    calls=list(_DOWNLOAD_CALLS),
    methods=["from_pretrained"],
    description="""from_pretrained, hf_hub_download, snapshot_download, load_dataset and pipeline
        fetch the current head of a Hub repository unless revision= names a commit: if the
        repository changes (new owner, compromised account, a pushed "fix"), the program loads
        different weights, and with trust_remote_code=True runs different code (severity high).
        Not reported: a 40-character commit hash, local paths, local_files_only=True, packaged
        load_dataset builders (csv, json, parquet...) and a revision taken from configuration.
        A repository id that is not a constant may be a local directory: low confidence.""",
    solution="""Pin the commit: from_pretrained("org/model", revision="<40-hex commit sha>"), and
        review the repository at that commit before trusting its code.""",
    example="""
        model = AutoModel.from_pretrained("acme/sentiment", trust_remote_code=True)
    """,
    fixed="""
        model = AutoModel.from_pretrained(
            "acme/sentiment", revision="5d0f2e8a1c3b4a9e8f7d6c5b4a3928171615a0b1", trust_remote_code=True)
    """,
)
def check_unpinned_download(call: ast.Call, ctx: RuleContext):
    if is_literal_true(ctx, ctx.keyword(call, "local_files_only")):
        return None
    repository = _repository_argument(ctx, call)
    if repository is None:
        return None
    repository_name = ctx.literal(repository)
    if repository_name is not MISSING:
        if not isinstance(repository_name, str) or _LOCAL_PATH.match(repository_name) \
                or repository_name.lower() in _PACKAGED_BUILDERS:
            return None
    revision = ctx.keyword(call, "revision")
    if revision is None:
        what = "no revision is pinned"
    else:
        pinned = ctx.literal(revision)
        if pinned is MISSING or (isinstance(pinned, str) and _COMMIT_HASH.match(pinned)):
            return None  # a commit hash, or a revision chosen by configuration
        what = "revision=None follows the default branch" if pinned is None else \
            f"revision {pinned!r} is a branch or tag that can move"
    code = is_literal_true(ctx, ctx.keyword(call, "trust_remote_code"))
    confidence = HIGH if repository_name is not MISSING else LOW
    consequence = ("with trust_remote_code=True, whatever code the repository holds when it is downloaded runs here"
                   if code else "the files can change without any change to this code")
    maybe_local = " (unless the name is a local directory)" if repository_name is MISSING else ""
    return Hit(call, confidence=confidence, severity=HIGH if code else MEDIUM,
               message=f"`{ctx.source(call.func)}` downloads from the Hub{maybe_local} and {what}: {consequence}.")



# torch.hub.load(repo_or_dir, model, ..., source="github", trust_repo=None): "owner/name[:ref]".
_TORCH_HUB_LOADERS = ("torch.hub.load", "torch.hub.list", "torch.hub.help")
_HUB_REPOSITORY = re.compile(r"^[\w.-]+/[\w.-]+(?::(?P<ref>.+))?$")


@rule(
    id="torch-hub-remote-code",
    title="PyTorch Hub runs the code of a repository that is not pinned",
    cwe=494,
    severity=HIGH,
    confidence=HIGH,
    calls=_TORCH_HUB_LOADERS,
    description="""torch.hub.load (and torch.hub.list/help) downloads a GitHub repository and runs
        its hubconf.py in this process: whoever controls the repository, or the branch or tag
        named after ":", runs code here. trust_repo=True skips the trust prompt, and the default
        only warns about a repository not trusted before. Reported: a repository without a ref
        (its default branch), at low confidence one pinned to a branch or tag (it can move), and
        a repository name that is not a constant (at the confidence of its source when the data
        flow traces it to one, low otherwise). Not reported: a ref that is a 40-character commit
        hash, source="local" (a directory of this machine).""",
    solution="""Pin the repository to a reviewed commit ("owner/repo:<40-hex commit sha>"), never
        let input choose it, or vendor the model code and load only weights (torch.load with
        weights_only=True, safetensors).""",
    example="""
        model = torch.hub.load("acme/detectors", "yolo", trust_repo=True)
    """,
    fixed="""
        model = torch.hub.load("acme/detectors:5d0f2e8a1c3b4a9e8f7d6c5b4a3928171615a0b1", "yolo", trust_repo=True)
    """,
)
def check_torch_hub(call: ast.Call, ctx: RuleContext):
    source = ctx.keyword(call, "source")
    if source is not None and ctx.literal(source) != "github":
        return None  # "local": the code of a directory here (a source chosen at run time: not known)
    repository = ctx.argument(call, 0, "repo_or_dir") or ctx.argument(call, 0, "github")
    if repository is None:
        return None
    function = ctx.source(call.func).replace("{", "{{").replace("}", "}}")
    prompts = _asks_before_trusting(ctx, call)
    name = ctx.literal(repository)
    if name is MISSING:
        hit = dynamic_value_hit(
            ctx, call, repository,
            tainted=f"`{function}` runs the hubconf.py of a repository named by {{source}}: whoever chooses it runs code in this process.",
            dynamic=f"`{function}` runs the hubconf.py of a repository whose name is not a constant: whoever chooses it runs code in this process.",
        )
        if hit is not None and (prompts or not hit.trace):
            hit.confidence = LOW
        return hit
    match = _HUB_REPOSITORY.match(name) if isinstance(name, str) else None
    if match is None:
        return None  # not "owner/name": torch.hub refuses it
    ref = match.group("ref")
    if ref is not None and _COMMIT_HASH.match(ref):
        return None
    what = f"its ref {ref!r} is a branch or tag that can move" if ref else "no ref pins it (its default branch)"
    return Hit(call, confidence=LOW if ref or prompts else HIGH, message=(
        f"`{function}` runs the hubconf.py of {name!r} and {what}: whatever code the repository "
        "holds when it is downloaded runs here."))


def _asks_before_trusting(ctx: RuleContext, call: ast.Call) -> bool:
    """trust_repo="check" or False: torch.hub asks on the terminal before running a repository
    not trusted before (a person confirms; a batch job fails instead)."""
    trust = ctx.keyword(call, "trust_repo")
    return trust is not None and ctx.literal(trust, None) in ("check", False)
