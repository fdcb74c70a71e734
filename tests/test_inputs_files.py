"""Discovery: which files a review of paths covers, in which order, and what becomes a diagnostic."""
import os
from pathlib import Path

import pytest

from secreview.config import Config
from secreview.inputs.files import discover, module_name_for


def make(root: Path, *names: str, text: str = "x = 1\n") -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def found(paths, config=None, force_exclude=False):
    sources, diagnostics = discover([str(p) for p in paths], config, force_exclude)
    return [s.path for s in sources], [(d.path, d.kind) for d in diagnostics]


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_walk_is_sorted_and_skips_tool_state_venvs_and_build_output(tree):
    make(tree, "b.py", "a.py", "tool.pyw", "types.pyi", "notes.txt", "pkg/__init__.py", "pkg/z.py",
         ".git/hooks/x.py", "__pycache__/x.py", ".tox/x.py", "lib/site-packages/x.py", "x.egg-info/x.py",
         "venv-any-name/pyvenv.cfg", "venv-any-name/lib/x.py", "condaenv/conda-meta/history",
         "condaenv/x.py", "build/lib/copy.py", "dist/x.py", "pkg/build/__init__.py", "pkg/build/steps.py")
    files, problems = found(["."])
    assert files == ["a.py", "b.py", "pkg/__init__.py", "pkg/build/__init__.py", "pkg/build/steps.py",
                     "pkg/z.py", "tool.pyw"]
    assert problems == []


def test_a_named_skipped_directory_is_reviewed(tree):
    make(tree, "build/lib/copy.py", ".venv/x.py")
    assert found(["build"])[0] == ["build/lib/copy.py"]
    assert found([".venv"])[0] == [".venv/x.py"]


def test_gitignore_files_in_the_tree_nested_and_negated(tree):
    make(tree, "gen_a.py", "gen_keep.py", "main.py", "out/x.py", "sub/local.py", "sub/other.py",
         "sub/deeper/local.py")
    (tree / ".gitignore").write_text("gen_*.py\n!gen_keep.py\nout/\n")
    (tree / "sub" / ".gitignore").write_text("local.py\n")
    assert found(["."])[0] == ["gen_keep.py", "main.py", "sub/other.py"]


def test_a_deeper_gitignore_overrides_a_shallower_one(tree):
    make(tree, "sub/gen_x.py", "gen_y.py")
    (tree / ".gitignore").write_text("gen_*.py\n")
    (tree / "sub" / ".gitignore").write_text("!gen_x.py\n")
    assert found(["."])[0] == ["sub/gen_x.py"]


def test_ancestor_gitignore_counts_only_inside_a_git_repository(tree):
    make(tree, "repo/src/a.py", "repo/src/a_pb2.py", "plain/src/b.py", "plain/src/b_pb2.py")
    (tree / "repo" / ".git").mkdir()
    (tree / "repo" / ".gitignore").write_text("*_pb2.py\n")
    (tree / "plain" / ".gitignore").write_text("*_pb2.py\n")  # not a repository: not ours to read
    assert found(["repo/src"])[0] == ["repo/src/a.py"]
    assert found(["plain/src"])[0] == ["plain/src/b.py", "plain/src/b_pb2.py"]


def test_git_info_exclude_counts(tree):
    make(tree, "repo/a.py", "repo/secret_local.py")
    (tree / "repo" / ".git" / "info").mkdir(parents=True)
    (tree / "repo" / ".git" / "info" / "exclude").write_text("secret_*.py\n")
    assert found(["repo"])[0] == ["repo/a.py"]


def test_naming_an_ignored_directory_reviews_it(tree):
    make(tree, "repo/generated/api.py")
    (tree / "repo" / ".git").mkdir()
    (tree / "repo" / ".gitignore").write_text("generated/\n")
    assert found(["repo"])[0] == []
    assert found(["repo/generated"])[0] == ["repo/generated/api.py"]


def test_config_exclude_globs_are_relative_to_the_config_directory(tree):
    make(tree, "proj/app.py", "proj/tests/test_app.py", "proj/legacy_x.py", "proj/sub/legacy_y.py",
         "proj/sub/tests/keep.py")
    config = Config(exclude=["/tests/", "legacy_*.py"], root=str(tree / "proj"))
    assert found(["proj"], config)[0] == ["proj/app.py", "proj/sub/tests/keep.py"]


def test_named_files_are_reviewed_even_when_excluded_unless_force_exclude(tree):
    make(tree, "legacy_x.py", "gen_y.py")
    (tree / ".gitignore").write_text("gen_*.py\n")
    (tree / ".git").mkdir()
    config = Config(exclude=["legacy_*.py"], root=str(tree))
    assert found(["legacy_x.py", "gen_y.py"], config)[0] == ["legacy_x.py", "gen_y.py"]
    assert found(["legacy_x.py", "gen_y.py"], config, force_exclude=True)[0] == []


def test_named_file_with_any_extension_is_reviewed(tree):
    make(tree, "bin/tool")
    assert found(["bin/tool"])[0] == ["bin/tool"]


def test_each_file_is_reviewed_once(tree):
    make(tree, "pkg/a.py", "pkg/b.py")
    os.symlink("pkg/a.py", tree / "alias.py")  # a link to a file that is also reached directly
    files, problems = found(["pkg/b.py", ".", "pkg"])
    assert files == ["pkg/b.py", "pkg/a.py"]
    assert problems == []


def test_a_linked_file_outside_the_tree_is_reviewed(tree):
    make(tree, "elsewhere/real.py", "proj/main.py")
    os.symlink(tree / "elsewhere" / "real.py", tree / "proj" / "linked.py")
    assert found(["proj"])[0] == ["proj/linked.py", "proj/main.py"]


def test_directory_link_loops_do_not_hang_and_links_to_directories_are_not_followed(tree):
    make(tree, "pkg/a.py", "other/b.py")
    os.symlink("..", tree / "pkg" / "up")
    os.symlink(tree, tree / "pkg" / "root")
    os.symlink(tree / "other", tree / "pkg" / "other_link")
    assert found(["."])[0] == ["other/b.py", "pkg/a.py"]


def test_broken_links_and_file_link_loops_are_diagnostics(tree):
    make(tree, "a.py")
    os.symlink("missing.py", tree / "broken.py")
    os.symlink("loop_b.py", tree / "loop_a.py")
    os.symlink("loop_a.py", tree / "loop_b.py")
    files, problems = found([".", "loop_a.py"])
    assert files == ["a.py"]
    assert problems == [("broken.py", "missing-path"), ("loop_a.py", "symlink-loop"),
                        ("loop_b.py", "symlink-loop"), ("loop_a.py", "symlink-loop")]


def test_missing_path_is_a_diagnostic_and_the_rest_is_found(tree):
    make(tree, "a.py")
    assert found(["nope.py", "a.py"]) == (["a.py"], [("nope.py", "missing-path")])


def test_a_directory_named_like_a_python_file_is_walked(tree):
    make(tree, "odd.py/inner.py")
    assert found(["."])[0] == ["odd.py/inner.py"]
    assert found(["odd.py"])[0] == ["odd.py/inner.py"]


def test_a_fifo_named_py_is_a_diagnostic_not_a_hang(tree):
    os.mkfifo(tree / "pipe.py")
    assert found(["."]) == ([], [("pipe.py", "unreadable")])
    assert found(["pipe.py"]) == ([], [("pipe.py", "unreadable")])


def test_an_unlistable_directory_is_a_diagnostic(tree, monkeypatch):
    make(tree, "ok/a.py", "locked/b.py")
    real_scandir = os.scandir

    def scandir(path):
        if os.path.basename(os.fspath(path)) == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert found(["."]) == (["ok/a.py"], [("locked", "unreadable")])


def test_paths_outside_the_current_directory_are_shown_as_given(tmp_path, monkeypatch):
    make(tmp_path, "proj/a.py")
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    assert found([tmp_path / "proj"])[0] == [str(tmp_path / "proj" / "a.py")]


def test_module_names_follow_packages(tree):
    make(tree, "src/pkg/__init__.py", "src/pkg/sub/__init__.py", "src/pkg/sub/mod.py", "script.py")
    assert module_name_for(Path("src/pkg/sub/mod.py")) == "pkg.sub.mod"
    assert module_name_for(Path("src/pkg/sub/__init__.py")) == "pkg.sub"
    assert module_name_for(Path("script.py")) == "script"
    sources, _ = discover(["src/pkg/sub/mod.py"])
    assert sources[0].module_name == "pkg.sub.mod"


def test_a_gitignore_line_git_cannot_read_is_skipped_like_git_does(tree):
    make(tree, "a.py", "gen_b.py")
    (tree / ".gitignore").write_text("!\nfoo\\\ngen_*.py\n")
    assert found(["."]) == (["a.py"], [])


def test_an_unexpected_failure_on_one_path_does_not_hide_the_others(tree, monkeypatch):
    import secreview.inputs.files as files

    make(tree, "a/x.py", "b/y.py")
    real_walk = files._walk

    def walk(root, found_, config):
        if root == "a":
            raise RuntimeError("bug")
        return real_walk(root, found_, config)

    monkeypatch.setattr(files, "_walk", walk)
    assert found(["a", "b"]) == (["b/y.py"], [("a", "internal-error")])


# --- files git tracks: ignore patterns do not apply to them (as in git) ------------------------------

def git_repo(root: Path) -> None:
    import subprocess
    subprocess.run(["git", "init", "-q", str(root)], check=True)


def git_add(root: Path, *names: str) -> None:
    import subprocess
    subprocess.run(["git", "add", "-f", "--", *names], cwd=root, check=True)


def test_a_tracked_file_a_pattern_matches_is_reviewed(tree):
    git_repo(tree)
    make(tree, "app/views.py", "app/local_settings.py", "out/generated.py", "out/stray.py", "main.py")
    (tree / ".gitignore").write_text("app/views.py\nlocal_*.py\nout/\n")
    git_add(tree, ".gitignore", "main.py", "app/views.py", "out/generated.py")
    # Tracked: reviewed whatever the patterns say (a change cannot hide a file it edits by listing
    # it); untracked and matched: skipped, in a file or a directory.
    assert found(["."])[0] == ["app/views.py", "main.py", "out/generated.py"]
    assert found(["app"])[0] == ["app/views.py"]


def test_tracked_files_the_other_skips_leave_out_stay_out(tree):
    git_repo(tree)
    make(tree, "main.py", ".tox/py/x.py", "migrations/0001.py", "vendor/lib.py", "gone.py")
    (tree / ".gitignore").write_text("vendor/\ngone.py\n")
    git_add(tree, ".gitignore", "main.py", ".tox/py/x.py", "migrations/0001.py", "vendor/lib.py", "gone.py")
    (tree / "gone.py").unlink()  # tracked, deleted in the working tree: nothing to review, no diagnostic
    config = Config(exclude=["/migrations/", "vendor/lib.py"], root=str(tree))
    files, problems = found(["."], config)
    assert files == ["main.py"]
    assert problems == []


def test_outside_a_git_work_tree_the_patterns_decide(tree):
    make(tree, "repo/a.py", "repo/b_pb2.py")
    (tree / "repo" / ".git").mkdir()  # git says this is no repository: the patterns alone decide
    (tree / "repo" / ".gitignore").write_text("*_pb2.py\n")
    assert found(["repo"])[0] == ["repo/a.py"]
