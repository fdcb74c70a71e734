"""Machine-learning supply chain: models and data sets downloaded from the Hugging Face Hub
without pinning an immutable revision (CWE-494).

A repository's branch or tag can be moved by whoever controls (or compromises) it, so the next
download silently brings different weights, tokenizer files or, with trust_remote_code=True,
different Python code. A full commit hash pins the content.
"""
from __future__ import annotations

import ast
import re

from secreview.rules._security_use import is_literal_true
from secreview.rules.base import HIGH, LOW, MEDIUM, Hit, rule
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

