"""Line numbering follows Python's: a form feed or Unicode separator inside a line does not shift
the lines after it (str.splitlines would)."""
from conftest import review_text


def test_form_feed_does_not_shift_reported_code():
    code = "import os\n\x0c\ndef f(cmd):\n    x = '\u2028'\n    os.system(cmd)\n"
    result = review_text(code)
    finding = next(f for f in result.findings if f.line == 5)
    assert finding.code == "os.system(cmd)"


def test_source_lines_are_the_same_with_and_without_other_separators():
    # Most files take a faster path (str.splitlines, when no other separator occurs): both paths
    # must number lines alike.
    import re

    from secreview.parse import source_lines

    def python_lines(text):
        lines = re.split(r"\r\n|\r|\n", text)
        return lines[:-1] if lines and lines[-1] == "" else lines

    for text in ["", "\n", "a", "a\n", "a\n\n", "a\r\nb\rc\n", "\r\n\r\n", "x = 1\n# end", "é\nü\r\n"]:
        assert source_lines(text) == python_lines(text)
        for separator in ("\x0c", "\x0b", "\x1c", "\x85", "\u2028"):
            shifted = text + separator + "tail\nlast"
            assert source_lines(shifted) == python_lines(shifted)


def test_a_declared_encoding_is_honoured(tmp_path):
    # The parser reads the file's bytes (with their coding cookie); the lines are decoded alike.
    from secreview.parse import parse_bytes

    data = "# -*- coding: latin-1 -*-\nimport os\nname = 'caf\xe9'\nos.system(name + input())\n".encode("latin-1")
    parsed = parse_bytes("cafe.py", data)
    assert parsed.lines[2] == "name = 'caf\xe9'"
    assert parsed.tree.body[1].value.value == "caf\xe9"
    assert parsed.tree.body[2].lineno == 4
