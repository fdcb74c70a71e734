"""pydantic validators read through a rewritten copy of their function (dataflow/validators.py,
"readings"): model validators (``self.name``, ``data["name"]``) and wrap validators. A validator
that uses the model or the handler in a way the copy cannot follow proves nothing (the sink still
fires); the copy's analysis leaves nothing behind (no call of the project, no finding of its own);
a subclass's validators of inherited fields give the same findings with several jobs and the
cache."""
import pytest

from conftest import review_text
from project_helpers import flows, write
from secreview.root_causes import every_sink

HEADER = '''
import subprocess
from fastapi import FastAPI
from pydantic import BaseModel, model_validator, root_validator

app = FastAPI()
ALLOWED = {"a", "b"}


def audit(model):
    model.name = model.name + ";"
'''

ROUTE = '''

@app.post("/x")
def create(m: M):
    subprocess.run(f"echo {m.name}", shell=True)
'''

def command_lines(model: str) -> list[int]:
    code = HEADER + model + ROUTE
    line = code.count("\n")
    return [f.line for f in review_text(code).findings if f.cwe == 78 and f.line == line]


CHECKED = [
    '''
class M(BaseModel):
    name: str

    @model_validator(mode="after")
    def check(self):
        if self.name not in ALLOWED:
            raise ValueError("bad")
        return self
''',
    '''
class M(BaseModel):
    name: str

    @model_validator(mode="before")
    @classmethod
    def check(cls, data):
        if data["name"] not in ALLOWED:
            raise ValueError("bad")
        return data
''',
    '''
class M(BaseModel):
    name: str

    @root_validator(pre=True)
    def check(cls, values):
        if values.get("name") in ALLOWED:
            return values
        raise ValueError("bad")
''',
]

NOT_READ = [
    # the instance handed to a function: it may set any field
    '''
class M(BaseModel):
    name: str

    @model_validator(mode="after")
    def check(self):
        if self.name not in ALLOWED:
            raise ValueError("bad")
        audit(self)
        return self
''',
    # another dict returned
    '''
class M(BaseModel):
    name: str

    @model_validator(mode="before")
    @classmethod
    def check(cls, data):
        if data["name"] not in ALLOWED:
            raise ValueError("bad")
        return {"name": data["other"]}
''',
    # the dict changed by a method, bound again, or a key of unknown name set
    '''
class M(BaseModel):
    name: str

    @model_validator(mode="before")
    @classmethod
    def check(cls, data):
        if data["name"] not in ALLOWED:
            raise ValueError("bad")
        data.update(name=data["other"])
        return data
''',
    '''
class M(BaseModel):
    name: str

    @model_validator(mode="before")
    @classmethod
    def check(cls, data):
        if data["name"] not in ALLOWED:
            raise ValueError("bad")
        data = dict(data, name=data["other"])
        return data
''',
    '''
class M(BaseModel):
    name: str

    @model_validator(mode="before")
    @classmethod
    def check(cls, data):
        if data["name"] not in ALLOWED:
            raise ValueError("bad")
        for key in list(data):
            data[key] = data["other"]
        return data
''',
    # the handler's result used otherwise than returned
    '''
class M(BaseModel):
    name: str

    @model_validator(mode="wrap")
    @classmethod
    def check(cls, data, handler):
        if data["name"] not in ALLOWED:
            raise ValueError("bad")
        return handler(data, 1)
''',
    # a check on one path only
    '''
class M(BaseModel):
    name: str
    strict: bool

    @model_validator(mode="after")
    def check(self):
        if self.strict and self.name not in ALLOWED:
            raise ValueError("bad")
        return self
''',
]


@pytest.mark.parametrize("model", CHECKED)
def test_a_model_validator_checking_the_field_proves_it(model):
    assert command_lines(model) == []


@pytest.mark.parametrize("model", NOT_READ)
def test_a_model_validator_not_followed_proves_nothing(model):
    assert len(command_lines(model)) == 1


def test_the_copy_analysed_leaves_no_finding_nor_call_of_its_own():
    """The model validator's own sink is reported once, at its line; its copy adds nothing."""
    code = HEADER + '''
def run(value):
    subprocess.run("echo " + value, shell=True)


class M(BaseModel):
    name: str

    @model_validator(mode="after")
    def check(self):
        run(self.name)
        subprocess.run(f"echo {self.name}", shell=True)
        return self
''' + ROUTE
    lines = [f.line for f in every_sink(review_text(code).findings) if f.cwe == 78]
    sink = code.count("\n")
    assert lines.count(sink) == 1
    assert len(lines) == len(set(lines))  # (no line twice)


ACCOUNTS = {
    "acct/__init__.py": "",
    "acct/base.py": '''from pydantic import BaseModel


class BaseAccount(BaseModel):
    name: str
    team: str
''',
    "acct/schemas.py": '''from pydantic import model_validator

from acct.base import BaseAccount

TEAMS = ("ops", "dev")


class Account(BaseAccount):
    @model_validator(mode="after")
    def known_team(self):
        if self.team not in TEAMS:
            raise ValueError("unknown team")
        return self
''',
    "acct/api.py": '''import subprocess

from fastapi import FastAPI

from acct.schemas import Account

app = FastAPI()


@app.post("/accounts")
def create(account: Account):
    subprocess.run(f"adduser {account.team}", shell=True)
    subprocess.run(f"adduser {account.name}", shell=True)
''',
}


def test_inherited_fields_validated_alike_with_jobs_and_cache(tmp_path):
    tree, cache = tmp_path / "tree", tmp_path / "cache"
    write(tree, ACCOUNTS)
    expected = [("api.py", 13, (5, 11, 13))]  # (the name; the team is checked by the subclass)
    assert flows(tree, jobs=1) == expected
    assert flows(tree, jobs=2, cache_dir=cache) == expected
    assert flows(tree, jobs=2, cache_dir=cache) == expected  # (from the cache)
    write(tree, {"acct/schemas.py": ACCOUNTS["acct/schemas.py"].replace("self.team not in TEAMS", "self.team is None")})
    assert flows(tree, jobs=2, cache_dir=cache) == flows(tree, jobs=1)  # (the cache follows the edit)
    assert [line for _, line, _ in flows(tree, jobs=1)] == [12, 13]


ALIASED = '''
class M(BaseModel):
    name: str

    @model_validator(mode="before")
    @classmethod
    def check(cls, data):
        name = data.get("name")
        if name not in ALLOWED:
            raise ValueError("bad")
        return data
'''


def test_a_local_name_bound_once_to_the_field_stands_for_it():
    assert command_lines(ALIASED) == []
    rebound = ALIASED.replace("            raise ValueError(\"bad\")\n", "            raise ValueError(\"bad\")\n        name = data[\"other\"]\n")
    assert len(command_lines(rebound)) == 1  # (bound twice: not the field all along)
    changed = ALIASED.replace("            raise ValueError(\"bad\")\n", "            raise ValueError(\"bad\")\n        data[\"name\"] = data[\"other\"]\n")
    assert len(command_lines(changed)) == 1  # (the field set again after the check)
    on_self = '''
class M(BaseModel):
    name: str

    @model_validator(mode="after")
    def check(self):
        name = self.name
        if name not in ALLOWED:
            raise ValueError("bad")
        self.rename()
        return self
'''
    assert len(command_lines(on_self)) == 1  # (a method of the model may set any field)
    assert command_lines(on_self.replace("        self.rename()\n", "")) == []
