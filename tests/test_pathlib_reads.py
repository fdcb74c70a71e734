"""pathlib reads are modelled as open(): what they return is the file's contents, with open()'s
description and confidence, and an ``.open()`` counts only on an expression known to be a path."""
import pytest

from conftest import review_text

SINK = "import os, sys\nfrom pathlib import Path\n\ndef main():\n    data = {read}\n    os.system('cat ' + data)\n"


def _finding(code: str):
    findings = [f for f in review_text(code).findings if f.rule_id == "shell-command-injection"]
    assert len(findings) == 1, findings
    return findings[0]


@pytest.mark.parametrize("read", [
    "Path(sys.argv[1]).read_text()",
    "(Path(sys.argv[1]) / 'x').read_bytes().decode()",
    "Path(sys.argv[1]).open().read()",
    "Path(sys.argv[1]).with_suffix('.txt').open('r').readline()",
])
def test_pathlib_read_is_like_open(read):
    expected = _finding(SINK.format(read="open(sys.argv[1]).read()"))
    found = _finding(SINK.format(read=read))
    assert (found.confidence, found.message) == (expected.confidence, expected.message)
    assert "file contents" in found.message
    assert [step.line for step in found.trace] == [5, 6]


def test_open_of_unknown_object_keeps_its_arguments():
    found = _finding(SINK.format(read="storage.open(sys.argv[1]).read()").replace("def main():", "def main(storage):"))
    assert "command-line argument" in found.message


def test_project_method_named_read_text_is_followed():
    code = (
        "import os\nfrom flask import request\n\n"
        "class Notes:\n    def read_text(self, title):\n        return 'notes/' + title\n\n"
        "def view():\n    os.system('cat ' + Notes().read_text(request.args['t']))\n"
    )
    findings = [f for f in review_text(code).findings if f.rule_id == "shell-command-injection"]
    assert len(findings) == 1 and "HTTP query parameter" in findings[0].message


@pytest.mark.parametrize("header, opened", [
    ("STATE = Path('/var/lib/app')\n\ndef main(name):", "(STATE / name).open()"),
    ("def main(location: Optional[Path]):", "location.open()"),
    ("def main(location: Annotated[Path, \"where\"]):", "location.open()"),
    ("def main(location: Union[Path, None]):", "location.open()"),
    ("def main(location: 'Path | None' = None):", "location.open()"),
    ("def main(location: Path | None = None):", "location.parent.open()"),
    ("def main(location: str):", "Path(location).with_suffix('.txt').open()"),
])
def test_known_paths_open_as_files(header, opened):
    code = ("import os, sys\nfrom pathlib import Path\nfrom typing import Annotated, Optional, Union\n\n"
            f"{header}\n    handle = {opened}\n    os.system('cat ' + handle.read())\n")
    findings = [f for f in review_text(code).findings if f.rule_id == "shell-command-injection"]
    assert [f.message.count("file contents") for f in findings] == [1], [f.message for f in findings]


@pytest.mark.parametrize("annotation", ["list[Path]", "Union[str, Path]", "str"])
def test_other_annotations_are_not_paths(annotation):
    code = ("import os\nfrom pathlib import Path\nfrom typing import Union\n\n"
            f"def main(location: {annotation}):\n    handle = location.open()\n    os.system('cat ' + handle.read())\n")
    findings = [f for f in review_text(code).findings if f.rule_id == "shell-command-injection"]
    assert ["parameter `location`" in f.message for f in findings] == [True], [f.message for f in findings]
