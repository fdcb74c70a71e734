"""request-without-timeout and the socket module's default timeout."""
from conftest import review_text


def _timeouts(code):
    return [f.line for f in review_text(code).findings if f.rule_id == "request-without-timeout"]


def test_urlopen_without_timeout_is_silent_when_the_file_sets_a_socket_default():
    code = (
        "import socket\n"
        "from urllib.request import urlopen\n"
        "socket.setdefaulttimeout(15)\n"
        "def fetch(url):\n"
        "    return urlopen(url).read()\n"
    )
    assert _timeouts(code) == []


def test_a_socket_default_of_none_does_not_count():
    code = (
        "import socket\n"
        "from urllib.request import urlopen\n"
        "socket.setdefaulttimeout(None)\n"
        "def fetch():\n"
        "    return urlopen('https://example.com/').read()\n"
    )
    assert _timeouts(code) == [5]
