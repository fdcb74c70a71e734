"""ML and data scripts: models and pickles loaded from downloads, PyTorch Hub and Keras loaders,
urllib's file: scheme next to SSRF, and source-neutral wording for command-line sources."""
from conftest import review_text

from secreview.findings import Level
from secreview.root_causes import every_sink

LOW, MEDIUM, HIGH = Level.LOW, Level.MEDIUM, Level.HIGH


def _by_line(code: str, rule_id: str) -> dict[int, tuple[str, Level]]:
    return {f.line: (f.message, f.confidence) for f in every_sink(review_text(code).findings) if f.rule_id == rule_id}


def _rules_by_line(code: str) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for finding in review_text(code).findings:
        found.setdefault(finding.line, set()).add(finding.rule_id)
    return found


DOWNLOADS = (
    "import io, pickle, sys, urllib.request\n"
    "import requests, torch\n"
    "def main():\n"
    "    url = sys.argv[1]\n"
    "    with urllib.request.urlopen(url, timeout=10) as resp:\n"            # 5
    "        a = pickle.load(resp)\n"                                          # 6
    "    b = torch.load(io.BytesIO(requests.get(url, timeout=10).content))\n"  # 7
    "    with urllib.request.urlopen(url, timeout=10) as resp:\n"            # 8
    "        c = torch.load(resp)\n"                                           # 9
    "    with urllib.request.urlopen(url, timeout=10) as body:\n"            # 10
    "        d = pickle.loads(body.read())\n"                                  # 11
    "    e = pickle.loads(requests.get(url, timeout=10).content)\n"            # 12
    "    with urllib.request.urlopen('https://models.example.com/m.pt', timeout=10) as fixed:\n"  # 13
    "        f = torch.load(fixed)\n"                                          # 14
    "    return a, b, c, d, e, f\n"
    "main()\n"
)


def test_a_stream_over_a_download_carries_the_urls_source_like_its_bytes():
    pickles = _by_line(DOWNLOADS, "unsafe-deserialization")
    torch = _by_line(DOWNLOADS, "torch-load-unsafe")
    found = {**pickles, **torch}
    assert set(pickles) == {6, 11, 12} and set(torch) == {7, 9, 14}
    for line in (6, 7, 9, 11):
        message, confidence = found[line]
        assert "a download whose URL comes from command-line argument" in message, line
        assert confidence == found[12][1] == MEDIUM, line
    assert "path" not in found[7][0] and "path" not in found[9][0]


def test_a_download_from_a_fixed_url_is_a_network_response_not_a_path():
    message, confidence = _by_line(DOWNLOADS, "torch-load-unsafe")[14]
    assert "from network response" in message and "path" not in message
    assert confidence == LOW


def test_the_download_line_is_evidence_between_the_source_and_the_loader():
    finding = next(f for f in review_text(DOWNLOADS).findings if f.rule_id == "unsafe-deserialization" and f.line == 6)
    assert [step.line for step in finding.trace] == [4, 5, 6]
    assert "downloaded" in finding.trace[1].note


def test_a_response_text_given_to_a_file_loader_is_a_path():
    code = (
        "import sys, requests, torch\n"
        "def main():\n"
        "    name = requests.get(sys.argv[1], timeout=5).text\n"
        "    return torch.load(name)\n"
        "main()\n"
    )
    message, _ = _by_line(code, "torch-load-unsafe")[4]
    assert "a file whose path comes from network response" in message


HUB = (
    "import sys, torch\n"
    "from tensorflow import keras\n"
    "def main():\n"
    "    torch.hub.load(sys.argv[1], 'resnet18', trust_repo=True)\n"                     # 4
    "    torch.hub.load('acme/detectors', 'yolo')\n"                                     # 5
    "    torch.hub.load('pytorch/vision:v0.10.0', 'resnet18')\n"                         # 6
    "    torch.hub.load('acme/detectors:0f3c5a9e2b7d41c68e1f9a0b3c4d5e6f7a8b9c0d', 'yolo')\n"  # 7
    "    torch.hub.load(sys.argv[1], 'resnet18', trust_repo='check')\n"                  # 8
    "    keras.models.load_model(sys.argv[2], safe_mode=False)\n"                        # 9
    "    keras.models.load_model(sys.argv[2])\n"                                         # 10
    "    keras.models.load_model('models/clf.keras', safe_mode=False)\n"                 # 11
    "main()\n"
)


def test_torch_hub_reports_a_chosen_or_moving_repository_and_not_a_commit():
    found = _by_line(HUB, "torch-hub-remote-code")
    assert set(found) == {4, 5, 6, 8}
    assert found[4][1] == MEDIUM and "command-line argument" in found[4][0]
    assert found[5][1] == HIGH and "default branch" in found[5][0]
    assert found[6][1] == LOW and "'v0.10.0'" in found[6][0]
    assert found[8][1] == LOW  # torch asks before running a repository not trusted before


def test_keras_load_model_is_reported_only_with_safe_mode_off():
    found = _by_line(HUB, "keras-unsafe-load")
    assert set(found) == {9, 11}
    assert found[9][1] == MEDIUM and "command-line argument" in found[9][0]
    assert found[11][1] == LOW and "fixed path" in found[11][0]


def test_messages_for_command_line_sources_do_not_speak_of_senders():
    code = (
        "import sys, pickle\n"
        "def main():\n"
        "    eval(sys.argv[1])\n"
        "    exec(sys.argv[1])\n"
        "    return pickle.load(open(sys.argv[2], 'rb'))\n"
        "main()\n"
    )
    messages = [f.message for f in review_text(code).findings if f.line in (3, 4, 5)]
    assert len(messages) == 3
    for message in messages:
        assert "command-line argument" in message and "sends" not in message and "attacker" not in message
        assert "whoever controls it" in message


URLLIB = (
    "import json, os, sys, urllib.request\n"
    "from flask import Flask, request\n"
    "app = Flask(__name__)\n"
    "def fetch(url):\n"
    "    with urllib.request.urlopen(url, timeout=10) as r:\n"          # 5
    "        return r.read()\n"
    "def _fetch(url):\n"
    "    with urllib.request.urlopen(url, timeout=10) as r:\n"          # 8
    "        return r.read()\n"
    "def _save(url, dest):\n"
    "    urllib.request.urlretrieve(url, dest)\n"                       # 11
    "def main():\n"
    "    fetch(sys.argv[1])\n"
    "    _fetch(os.environ['FEED_URL'])\n"
    "    with open('feeds.json') as fh:\n"
    "        for feed in json.load(fh):\n"
    "            _fetch(feed['url'])\n"
    "            _save(feed['url'], 'feed.xml')\n"
    "@app.route('/proxy')\n"
    "def proxy():\n"
    "    urllib.request.urlretrieve(request.args['u'], '/tmp/x')\n"     # 21
    "    _save(request.args['u'], '/tmp/y')\n"
    "    return {'n': len(urllib.request.urlopen(request.args['u'], timeout=5).read())}\n"  # 23
)


def test_one_finding_per_urllib_call_scheme_where_ssrf_does_not_report():
    found = _rules_by_line(URLLIB)
    assert found[5] == {"ssrf"}  # a public function's parameter: ssrf, whose fix closes the scheme too
    assert found[8] == {"urlopen-unchecked-scheme"}  # command line, environment, file: no SSRF
    assert found[11] == {"urlopen-unchecked-scheme"}
    assert found[21] == {"urlopen-unchecked-scheme"}  # urlretrieve: the scheme rule, with the trace
    assert found[23] == {"ssrf"}


def test_the_scheme_finding_of_a_web_source_has_its_trace_and_confidence():
    message, confidence = _by_line(URLLIB, "urlopen-unchecked-scheme")[21]
    assert "HTTP query parameter" in message and confidence == HIGH
    through_helper = _by_line(URLLIB, "urlopen-unchecked-scheme")[11]
    assert through_helper[1] == HIGH


def test_a_scheme_finding_held_back_with_ssrf_is_counted_once():
    code = (
        "import urllib.request\n"
        "def fetch(url):\n"
        "    return urllib.request.urlopen(url, timeout=5).read()\n"
    )
    result = review_text(code, min_confidence=MEDIUM)
    assert result.findings == []
    assert [place[0] for place in result.below_threshold] == ["ssrf"]


def test_suppressing_ssrf_does_not_bring_up_the_scheme_finding():
    code = (
        "import urllib.request\n"
        "from flask import Flask, request\n"
        "app = Flask(__name__)\n"
        "@app.route('/p')\n"
        "def p():\n"
        "    return {'n': len(urllib.request.urlopen(request.args['u'], timeout=5).read())}  # secreview: ignore[ssrf] -- proxy for admins\n"
    )
    result = review_text(code)
    assert [f.rule_id for f in result.findings if f.line == 6] == []
    assert [f.rule_id for f in result.suppressed] == ["ssrf"]
