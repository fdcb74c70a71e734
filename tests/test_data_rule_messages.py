"""Messages and confidences of data/infra findings say what the code does (probe of data scripts)."""
from conftest import review_text
from secreview.root_causes import every_sink


def _messages(code: str, rule_id: str) -> list[tuple[int, str, str]]:
    result = review_text(code)
    return [(f.line, f.message, str(f.confidence)) for f in result.findings if f.rule_id == rule_id]


def test_an_unrestrictive_filter_is_named_not_called_missing():
    code = (
        "import tarfile\n"
        "def unpack(archive, dest):\n"
        "    with tarfile.open(archive) as tf:\n"
        "        tf.extractall(dest, filter='fully_trusted')\n"
        "    with tarfile.open(archive) as tf:\n"
        "        tf.extractall(dest)\n"
    )
    (first, given, _), (second, missing, _) = sorted(_messages(code, "tarfile-unsafe-extraction"))
    assert (first, second) == (4, 6)
    assert "filter='fully_trusted', which does not restrict the members" in given
    assert "without a filter" not in given
    assert "without a filter" in missing


def test_aws_secret_access_key_is_labelled_and_as_sure_as_its_key_id():
    code = (
        "import boto3\n"
        "client = boto3.client('s3', aws_access_key_id='AKIAZ7Q3J4K5L6M2N3P4',\n"
        "                      aws_secret_access_key='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')\n"
        "other = boto3.client('s3', aws_secret_access_key='short-and-not-base64!')\n"
    )
    found = {line: (message, confidence) for line, message, confidence in _messages(code, "hardcoded-secret")}
    key_id, secret = found[2], found[3]
    assert "AWS access key id" in key_id[0] and "AWS secret access key" in secret[0]
    assert "access key id" not in secret[0]
    assert secret[1] == key_id[1]
    assert "AWS secret access key" not in found[4][0]


def test_weak_hash_names_the_secret_not_the_salt():
    code = (
        "import hashlib\n"
        "def store(salt, token):\n"
        "    return hashlib.sha1(salt + token.encode()).hexdigest()\n"
        "def nonce_only(nonce):\n"
        "    return hashlib.sha1(nonce).hexdigest()\n"
    )
    messages = {line: message for line, message, _ in _messages(code, "weak-hash")}
    assert "(`token`)" in messages[3]
    assert "(`nonce`)" in messages[5]


def test_a_file_opened_on_an_untrusted_path_carries_the_paths_source():
    code = (
        "import pickle, sys, joblib, marshal, yaml\n"
        "import numpy as np\n"
        "def main():\n"
        "    path = sys.argv[1]\n"
        "    with open(path, 'rb') as fh:\n"
        "        obj = pickle.load(fh)\n"
        "    model = joblib.load(path)\n"
        "    with open('/srv/cache.pkl', 'rb') as fixed:\n"
        "        cached = pickle.load(fixed)\n"
        "    with open(path) as fy:\n"
        "        conf = yaml.load(fy, Loader=yaml.Loader)\n"
        "    code = marshal.load(open(path, 'rb'))\n"
        "    arrays = np.load(open(path, 'rb'), allow_pickle=True)\n"
        "    return obj, model, cached, conf, code, arrays\n"
        "main()\n"
    )
    result = review_text(code)
    found = {f.line: f for f in every_sink(result.findings) if f.cwe == 502}
    assert set(found) == {6, 7, 9, 11, 12, 13}
    for line in (6, 7, 11, 12, 13):
        assert str(found[line].confidence) == str(found[7].confidence), line
        assert "command-line argument" in found[line].message, line
    assert "a file whose path comes from command-line argument" in found[6].message
    assert "fixed path" in found[9].message and str(found[9].confidence) != str(found[6].confidence)


def test_a_download_from_an_untrusted_url_carries_the_urls_source():
    code = (
        "import pickle, sys, requests\n"
        "def main():\n"
        "    url = sys.argv[1]\n"
        "    chosen = pickle.loads(requests.get(url, timeout=5).content)\n"
        "    fixed = pickle.loads(requests.get('https://models.example.com/m.pkl', timeout=5).content)\n"
        "    return chosen, fixed\n"
        "main()\n"
    )
    found = {f.line: f for f in review_text(code).findings if f.cwe == 502}
    assert "a download whose URL comes from command-line argument" in found[4].message
    assert "network response" in found[5].message
    assert str(found[5].confidence) != str(found[4].confidence)
