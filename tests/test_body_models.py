"""FastAPI body models (``def create(item: Item)``): each field is what pydantic makes of the JSON
body -- the evidence names the parameter and the field --, also for a model of another module,
with several jobs and with the cache (which follows an edit of the model's fields)."""
import pytest

from conftest import review_text
from project_helpers import flows, write
from secreview.findings import Level
from secreview.root_causes import every_sink

ROUTE = '''
import os
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Place(BaseModel):
    city: str
    zip_code: int


class Parcel(BaseModel):
    label: str
    weight: int
    place: Place


@app.post("/parcels")
def send(parcel: Parcel):
    os.system("print " + parcel.label)
    os.system("route " + parcel.place.city)
    os.system("weigh " + str(parcel.weight) + " " + str(parcel.place.zip_code))
'''


def test_the_trace_names_the_field_and_the_parameter():
    findings = {f.line: f for f in every_sink(review_text(ROUTE).findings) if f.rule_id == "shell-command-injection"}
    assert [(step.line, step.note) for step in findings[22].trace] == [
        (15, "field `label`: HTTP request body (untrusted)"),
        (21, "parameter `parcel`: `Parcel` built by FastAPI from the JSON body"),
        (22, "executed by a shell"),
    ]
    assert [(step.line, step.note) for step in findings[23].trace] == [
        (10, "field `city`: HTTP request body (untrusted)"),
        (17, "field `place`: `Place` read from the JSON body"),
        (21, "parameter `parcel`: `Parcel` built by FastAPI from the JSON body"),
        (23, "executed by a shell"),
    ]
    assert findings[22].confidence is Level.HIGH
    # The int fields carry nothing: pydantic converted them, the data flow proves them safe (no
    # finding, not even a low-confidence one).
    assert 24 not in findings


def test_a_class_that_is_no_model_stays_text_as_a_whole():
    plain = ROUTE.replace("class Parcel(BaseModel):", "class Parcel:")  # (pydantic converts nothing)
    findings = {f.line: f for f in every_sink(review_text(plain).findings) if f.rule_id == "shell-command-injection"}
    assert findings[24].confidence is Level.HIGH  # ``parcel.weight``: whatever the body holds
    assert findings[24].trace[0].note == "parameter `parcel`: HTTP request body (untrusted)"


SCHEMAS = '''
from pydantic import BaseModel


class Refund(BaseModel):
    reason: str
    amount: int
'''

HANDLERS = '''
import os
from fastapi import FastAPI

from shop.schemas import Refund

app = FastAPI()


@app.post("/refunds")
def refund(body: Refund):
    os.system("notify " + body.reason)
    os.system("pay " + str(body.amount))
'''


@pytest.fixture(autouse=True)
def private_key_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def test_a_body_model_of_another_module_is_read_field_by_field(tmp_path):
    tree = tmp_path / "shop"
    cache = tmp_path / "cache"
    write(tmp_path, {"shop/__init__.py": "", "shop/schemas.py": SCHEMAS, "shop/handlers.py": HANDLERS})
    expected = [("handlers.py", 12, (6, 11, 12))]  # (the field, the parameter, the sink)
    assert flows(tree, jobs=1) == expected
    assert flows(tree, jobs=2, cache_dir=cache) == expected
    assert flows(tree, jobs=2, cache_dir=cache) == expected  # (from the cache)
    write(tmp_path, {"shop/schemas.py": SCHEMAS.replace("amount: int", "amount: str")})
    edited = [*expected, ("handlers.py", 13, (7, 11, 13))]
    assert flows(tree, jobs=2, cache_dir=cache) == edited == flows(tree, jobs=1)


BASE = '''
import re
from pydantic import BaseModel, field_validator


class BaseTicket(BaseModel):
    owner: str
    queue: str

    @field_validator("queue")
    @classmethod
    def queue_name(cls, v):
        if not re.fullmatch("[a-z]+", v):
            raise ValueError("bad queue")
        return v
'''

TICKETS = '''
import os
from fastapi import FastAPI

from desk.base import BaseTicket

app = FastAPI()


class Ticket(BaseTicket):
    title: str


@app.post("/tickets")
def open_ticket(ticket: Ticket):
    os.system("assign " + ticket.queue)
    os.system("notify " + ticket.owner)
'''


def test_a_base_model_of_another_module_and_its_validators_follow_edits(tmp_path):
    tree = tmp_path / "desk"
    cache = tmp_path / "cache"
    write(tmp_path, {"desk/__init__.py": "", "desk/base.py": BASE, "desk/tickets.py": TICKETS})
    expected = [("tickets.py", 17, (7, 15, 17))]  # (the base's field, the parameter, the sink)
    assert flows(tree, jobs=1) == expected
    assert flows(tree, jobs=2, cache_dir=cache) == expected
    assert flows(tree, jobs=2, cache_dir=cache) == expected  # (from the cache)
    write(tmp_path, {"desk/base.py": BASE.replace('"queue"', '"owner"')})  # (the validator checks the other field)
    edited = [("tickets.py", 16, (8, 15, 16))]
    assert flows(tree, jobs=2, cache_dir=cache) == edited == flows(tree, jobs=1)
