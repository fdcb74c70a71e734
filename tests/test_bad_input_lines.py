"""Line numbering follows Python's: a form feed or Unicode separator inside a line does not shift
the lines after it (str.splitlines would)."""
from conftest import review_text


def test_form_feed_does_not_shift_reported_code():
    code = "import os\n\x0c\ndef f(cmd):\n    x = '\u2028'\n    os.system(cmd)\n"
    result = review_text(code)
    finding = next(f for f in result.findings if f.line == 5)
    assert finding.code == "os.system(cmd)"
