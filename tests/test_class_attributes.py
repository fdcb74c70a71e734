"""What instances hold across files: a class's attributes and constructor are told to the files of
its subclasses (a ``Class.<instances>`` summary entry), and a cached review follows an edit of
the base class as a fresh review does."""
import pytest

from project_helpers import flows, write

BASE = '''
from flask import request


class RequestTask:
    def __init__(self):
        self.host = request.args["host"]


class StoredTask:
    def __init__(self, path):
        self.path = path
'''

TASKS = '''
import subprocess

from app.base import RequestTask, StoredTask


class Ping(RequestTask):
    def run(self):
        subprocess.run("ping -c 1 " + self.host, shell=True)


class Remove(StoredTask):
    def run(self):
        subprocess.run("rm -f " + self.path, shell=True)
'''

VIEWS = '''
import os

from flask import request

from app.tasks import Ping, Remove


class LoudPing(Ping):
    def run(self):
        os.system("ping -v " + self.host)


def view():
    Remove(request.args["path"]).run()
    LoudPing().run()
'''


@pytest.fixture(autouse=True)
def private_key_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def test_subclasses_in_other_files_see_what_the_base_class_stores(tmp_path):
    tree = tmp_path / "app"
    write(tmp_path, {"app/__init__.py": "", "app/base.py": BASE, "app/tasks.py": TASKS, "app/views.py": VIEWS})
    assert flows(tree, jobs=1) == [
        ("tasks.py", 9, (7, 9)),  # request.args stored by RequestTask.__init__
        ("tasks.py", 14, (15, 11, 12, 14)),  # Remove(request...) runs StoredTask.__init__
        ("views.py", 11, (7, 11)),  # two classes down, two files away
    ]
    assert flows(tree, jobs=2) == flows(tree, jobs=1)


def test_a_cached_review_follows_an_edit_of_the_base_class(tmp_path):
    tree = tmp_path / "app"
    cache = tmp_path / "cache"
    write(tmp_path, {"app/__init__.py": "", "app/base.py": BASE, "app/tasks.py": TASKS, "app/views.py": VIEWS})
    assert len(flows(tree, jobs=1, cache_dir=cache)) == 3
    write(tmp_path, {"app/base.py": BASE.replace('request.args["host"]', '"localhost"')})
    edited = flows(tree, jobs=1, cache_dir=cache)
    assert edited == [("tasks.py", 14, (15, 11, 12, 14))]  # not the subclasses' self.host, in either file
    assert edited == flows(tree, jobs=1) == flows(tree, jobs=2, cache_dir=cache)
    write(tmp_path, {"app/base.py": BASE.replace("self.path = path", "self.path = shlex.quote(path)").replace("from flask", "import shlex\nfrom flask")})
    assert flows(tree, jobs=2, cache_dir=cache) == flows(tree, jobs=1) == [("tasks.py", 9, (8, 9)), ("views.py", 11, (8, 11))]  # (one line more in base.py)


RECORDS = '''
import subprocess
from dataclasses import dataclass


@dataclass
class Archive:
    folder: str
    level: int = 6

    def pack(self):
        subprocess.run(f"tar -c -f /tmp/out.tar {self.folder}", shell=True)
'''

HANDLERS = '''
from flask import request

from app.records import Archive


def handle():
    Archive(request.args["folder"]).pack()
    Archive(folder="/srv/fixed", level=int(request.args["level"])).pack()
'''


def test_a_dataclass_keeps_the_fields_it_is_constructed_with(tmp_path):
    tree = tmp_path / "app"
    cache = tmp_path / "cache"
    write(tmp_path, {"app/__init__.py": "", "app/records.py": RECORDS, "app/handlers.py": HANDLERS})
    assert flows(tree, jobs=1) == [("records.py", 12, (8, 8, 12))]  # (the call, the field, the sink)
    assert flows(tree, jobs=2, cache_dir=cache) == flows(tree, jobs=1)
    write(tmp_path, {"app/records.py": RECORDS.replace("{self.folder}", "/srv/fixed")})
    assert flows(tree, jobs=1, cache_dir=cache) == []
