"""Shell-injection findings propose the argument list that runs the same command without a shell,
rebuilt from the reviewed code (so the fix can be pasted), or fall back to the rule's generic fix
when the command uses shell syntax a list cannot express."""
from pathlib import Path

from conftest import review_text
from secreview.root_causes import every_sink

EXAMPLE = Path(__file__).parent.parent / "examples" / "netcfg.py"


def solution_at(code: str, line: int) -> str:
    return next(f.solution for f in review_text(code).findings if f.line == line and f.cwe == 78)


def test_review_example_gets_the_argument_list_of_its_own_command():
    solution = solution_at(EXAMPLE.read_text(), 14)
    assert '`subprocess.run(["ip", "addr", "add", cidr, "dev", name], check=True)`' in solution


def test_words_mixing_text_and_values_become_f_strings_and_options_are_kept():
    code = (
        "import subprocess\n"
        "def f(archive, target):\n"
        "    subprocess.call(f'tar -xf {archive} --directory=/srv/{target}', shell=True, cwd='/tmp')\n"
    )
    assert '`subprocess.run(["tar", "-xf", archive, f"--directory=/srv/{target}"], cwd=\'/tmp\')`' in solution_at(code, 3)


def test_a_pipeline_keeps_the_generic_advice():
    code = "import os\ndef f(pattern):\n    os.system('grep ' + pattern + ' /var/log/app.log | tail -5')\n"
    assert "`subprocess.run([" not in solution_at(code, 3)


def test_review_example_description_names_the_variables_the_source_and_an_attack():
    finding = next(f for f in review_text(EXAMPLE.read_text()).findings if f.line == 14 and f.cwe == 78)
    assert finding.message.startswith("`cmd` is built from `cidr` and `name` (HTTP query parameter)")
    assert "a request with `name=x;reboot` runs `reboot` on the host" in finding.message


SQL = """\
import sqlite3
from flask import request

def lookup(db):
    name = request.args["name"]
    cursor = db.cursor()
    cursor.execute("SELECT * FROM users WHERE name = '%s'" % name)
    query = "DELETE FROM items WHERE owner = '" + name + "' AND id = 3"
    cursor.execute(query)
    cursor.execute("SELECT * FROM " + name)
"""


def sql_solution(line: int) -> str:
    return next(f.solution for f in every_sink(review_text(SQL).findings) if f.line == line and f.rule_id == "sql-injection")


def test_sql_injection_fix_is_the_parameterized_call_with_the_driver_placeholder():
    assert '`cursor.execute("SELECT * FROM users WHERE name = ?", (name,))`' in sql_solution(7)
    assert '`cursor.execute("DELETE FROM items WHERE owner = ? AND id = 3", (name,))`' in sql_solution(9)


def test_an_identifier_cannot_be_a_parameter_so_the_generic_advice_stays():
    assert "`cursor.execute(" not in sql_solution(10)


ASYNC_SHELL = """\
import asyncio

async def lookup(host, reader):
    proc = await asyncio.create_subprocess_shell(f"nslookup {host}", stdout=asyncio.subprocess.PIPE)
    cmd = "nslookup " + (await reader.readline()).decode()
    proc = await asyncio.create_subprocess_shell(cmd)
"""


def test_create_subprocess_shell_gets_create_subprocess_exec_not_a_blocking_subprocess_run():
    solution = solution_at(ASYNC_SHELL, 4)
    assert '`await asyncio.create_subprocess_exec("nslookup", host, stdout=asyncio.subprocess.PIPE)`' in solution
    assert "subprocess.run" not in solution


def test_a_command_read_by_an_await_is_not_written_again_into_the_fix():
    solution = solution_at(ASYNC_SHELL, 6)
    assert "await reader" not in solution and "subprocess.run" not in solution
    assert "asyncio.create_subprocess_exec(program, arg1, arg2, ...)" in solution


ASYNCPG = """\
import asyncpg

async def lookup(conn, name, team):
    await conn.fetch(f"SELECT * FROM users WHERE name = '{name}' AND team = '{team}'")
    await conn.fetchrow(f"SELECT * FROM {team} WHERE name = $1", name)
"""


def test_asyncpg_fix_numbers_its_parameters_and_passes_them_after_the_query():
    solution = next(f.solution for f in review_text(ASYNCPG).findings if f.line == 4 and f.rule_id == "sql-injection")
    assert '`conn.fetch("SELECT * FROM users WHERE name = $1 AND team = $2", name, team)`' in solution


def test_asyncpg_query_with_parameters_already_keeps_the_generic_advice():
    solution = next(f.solution for f in review_text(ASYNCPG).findings if f.line == 5 and f.rule_id == "sql-injection")
    assert "$2" not in solution


NAMED_PARTS = """\
import os
from flask import request

def export():
    fmt = request.form.get("format", "csv")
    out = f"/tmp/export.{fmt}"
    os.system(f"pg_dump --format={fmt} -f {out} appdb")

def show():
    user = request.args["u"]
    base = "/tmp/" + user
    cmd = "cat " + base
    os.system(cmd)

def archive():
    name = request.args["n"]
    opts = "-czf /srv/" + name
    os.system("tar " + opts + " /srv/data")
"""


def test_a_variable_of_the_command_is_written_as_itself_not_its_value_around_it():
    assert '`subprocess.run(["pg_dump", f"--format={fmt}", "-f", out, "appdb"])`' in solution_at(NAMED_PARTS, 7)
    assert '`subprocess.run(["cat", base])`' in solution_at(NAMED_PARTS, 13)


def test_a_variable_holding_several_words_is_written_out_word_by_word():
    assert '`subprocess.run(["tar", "-czf", f"/srv/{name}", "/srv/data"])`' in solution_at(NAMED_PARTS, 18)


HELPERS = """\
import os
import subprocess
from flask import request

def run(cmd, cwd=None):
    proc = subprocess.Popen(cmd, shell=True, cwd=cwd, stdout=subprocess.PIPE)
    return proc.communicate()[0]

def ping_host(host):
    return os.system("ping -c 1 " + host)

def ping():
    host = request.args.get("host")
    run("ping -c 1 " + host)
    return ping_host(host)
"""


def test_a_helper_taking_a_whole_command_line_is_told_to_take_an_argument_list():
    solution = solution_at(HELPERS, 6)
    assert solution.startswith("`run()` takes a whole shell command line in `cmd`")
    assert "`subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE)`" in solution
    assert "[cmd]" not in solution


def test_a_flow_through_a_helper_gets_the_fix_made_at_the_helpers_sink():
    findings = [f for f in review_text(HELPERS).findings if f.cwe == 78]
    through_ping_host = next(f for f in findings if f.line == 10)
    assert through_ping_host.trace[0].line == 13  # (reached from the view, not just the parameter)
    assert '`subprocess.run(["ping", "-c", "1", host])`' in through_ping_host.solution


NESTED_SQL = """\
import sqlite3
from flask import request

def find():
    n = request.args["n"]
    clause = "name = '" + n + "'"
    conn = sqlite3.connect("x.db")
    conn.execute("SELECT * FROM t WHERE " + clause)
    sql = "SELECT * FROM t WHERE " + clause + " AND team = '" + request.args["team"] + "'"
    conn.execute(sql)

def search():
    term = request.args.get("q", "")
    db.session.execute(text("SELECT * FROM products WHERE name = '" + term + "'"))
"""


def test_sql_parameters_are_the_values_not_the_clauses_built_from_them():
    findings = every_sink(review_text(NESTED_SQL).findings)
    at = {f.line: f.solution for f in findings if f.rule_id == "sql-injection"}
    assert '`conn.execute("SELECT * FROM t WHERE name = ? AND team = ?", (n, request.args["team"],))`' in at[10]
    assert '`conn.execute("SELECT * FROM t WHERE name = ?", (n,))`' in at[8]


def test_a_query_inside_an_unknown_call_is_one_finding_with_the_generic_advice():
    findings = [f for f in review_text(NESTED_SQL).findings if f.line == 14]
    assert [f.rule_id for f in findings] == ["sql-injection"]
    assert "`db.session.execute(" not in findings[0].solution and "(text(" not in findings[0].solution


PLACES = """\
import sqlite3
from flask import request

def admin():
    db = sqlite3.connect("x.db")
    name, mode, team = request.args["name"], request.args["mode"], request.args["team"]
    db.execute("DROP DATABASE %s" % name)
    db.execute(f"BEGIN {mode}")
    db.execute("PRAGMA table_info(%s)" % name)
    db.execute("INSERT INTO members (name, team) VALUES ('" + name + "', " + team + ")")
    db.execute(f"SELECT * FROM members WHERE team IN ({team}, 0) LIMIT {mode}")
"""


def test_a_parameter_is_proposed_only_where_sql_takes_a_value():
    at = {f.line: f.solution for f in every_sink(review_text(PLACES).findings) if f.rule_id == "sql-injection"}
    assert all("db.execute(" not in at[line] for line in (7, 8, 9))  # a name, a keyword, a table
    assert '`db.execute("INSERT INTO members (name, team) VALUES (?, ?)", (name, team,))`' in at[10]
    assert '`db.execute("SELECT * FROM members WHERE team IN (?, 0) LIMIT ?", (team, mode,))`' in at[11]


def test_partial_path_fix_names_the_program_started():
    code = "import subprocess\ndef f():\n    subprocess.run(['ssh', 'ops@db1', 'uptime'], check=True)\n"
    finding = next(f for f in review_text(code).findings if f.rule_id == "process-partial-path")
    assert finding.solution.startswith("Use the absolute path (/usr/bin/ssh, or where it is installed)")
    assert "/usr/bin/git" not in finding.solution


def test_partial_path_fix_of_a_relative_path_does_not_invent_a_directory():
    code = "import subprocess\ndef f():\n    subprocess.run(['./tools/sync.sh'], check=True)\n"
    finding = next(f for f in review_text(code).findings if f.rule_id == "process-partial-path")
    assert "of `./tools/sync.sh`" in finding.solution and "/usr/bin/" not in finding.solution


XSS_VIEWS = '''\
from flask import Flask, request
app = Flask(__name__)

@app.route("/a")
def a():
    return "<p>" + request.args["q"] + "</p>"

@app.route("/b")
def b():
    return f"<a href='/u/{request.args['u']}'>{request.args['name']}</a>"

@app.route("/c")
def c():
    body = "<p>{}</p>".format(request.args["q"])
    return body

@app.route("/d")
def d():
    return "".join(["<li>" + request.args["q"], "</li>"])
'''


def xss_solution(code: str, line: int) -> str:
    return next(f.solution for f in review_text(code).findings if f.line == line and f.cwe == 79)


def test_xss_fix_escapes_each_inserted_value_in_the_code_as_written():
    assert '`"<p>" + html.escape(request.args["q"]) + "</p>"`' in xss_solution(XSS_VIEWS, 6)
    assert ("`f\"<a href='/u/{html.escape(request.args['u'])}'>{html.escape(request.args['name'])}</a>\"`"
            in xss_solution(XSS_VIEWS, 10))


def test_xss_fix_names_the_framework_way_to_render():
    assert "render_template()" in xss_solution(XSS_VIEWS, 6)
    fastapi = ('from fastapi import FastAPI\nfrom fastapi.responses import HTMLResponse\napp = FastAPI()\n'
               '@app.get("/h", response_class=HTMLResponse)\ndef h(name: str):\n    return f"<h1>{name}</h1>"\n')
    solution = xss_solution(fastapi, 6)
    assert '`f"<h1>{html.escape(name)}</h1>"`' in solution and "Jinja2Templates" in solution
    assert "render_template" not in solution and "JsonResponse" not in solution


def test_xss_fix_falls_back_to_advice_when_the_body_is_built_elsewhere_or_joined():
    for line in (15, 19):
        solution = xss_solution(XSS_VIEWS, line)
        assert solution.startswith("Escape every request value with html.escape()"), solution
        assert "html.escape(body)" not in solution
