"""The read-only web console (``collegium serve``, issue 21.3), through Flask's test client over
databases the example scenarios make: what each page shows, pages of 50 read past a keyset, English
and Chinese, escaping, GET and HEAD only, the token and basic auth, a database never written, and
the command's refusals in one line."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import http.client
import re
import sqlite3
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from collegium import Engine, FixedClock, SequentialIds
from collegium.cli import cli
from collegium.commands.render import Times
from collegium.console import Guard, create_app
from tests.conftest import propose, standing_committee

SCENARIOS = Path(__file__).resolve().parent.parent / "examples" / "scenarios"
NOW = dt.datetime(2027, 1, 2, 9, 0, tzinfo=dt.UTC)
UTC8 = dt.timezone(dt.timedelta(hours=8))


def simulated(folder: Path, scenario: str) -> Path:
    db = folder / f"{scenario}.db"
    r = CliRunner().invoke(cli, ["simulate", str(SCENARIOS / f"{scenario}.yaml"), "--db", str(db)])
    assert r.exit_code == 0, r.output
    return db


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("console")
    return {
        s: simulated(folder, s) for s in ("p1_major_decision", "p2_ballot", "p4_accountability")
    }


def client(db: Path, guard: Guard | None = None, zone: dt.tzinfo | None = dt.UTC) -> FlaskClient:
    engine = Engine.open(str(db), clock=FixedClock(NOW), auto_migrate=False)
    return create_app(engine, times=lambda: Times(zone), guard=guard).test_client()


def page(c: FlaskClient, path: str, **headers: str) -> str:
    answer = c.get(path, headers=headers)
    assert answer.status_code == 200, (path, answer.status_code)
    assert answer.mimetype == "text/html"
    return answer.get_data(as_text=True)


class Elements(HTMLParser):
    """Each element's tag, attributes and the text directly inside it, in document order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str], list[str]]] = []
        self._open: list[int] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}, []))
        if tag not in ("meta", "input", "br", "link"):
            self._open.append(len(self.found) - 1)

    def handle_endtag(self, tag: str) -> None:
        while self._open and self.found[self._open.pop()][0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self._open and data.strip():
            self.found[self._open[-1]][2].append(data.strip())

    def with_class(self, name: str) -> list[tuple[str, dict[str, str], list[str]]]:
        return [e for e in self.found if name in e[1].get("class", "").split()]

    def links(self, name: str) -> list[str]:
        return [e[1]["href"] for e in self.with_class(name)]


# -- the pages -------------------------------------------------------------------------------------
def test_the_list_links_each_instance_with_its_state(dbs: dict[str, Path]) -> None:
    c = client(dbs["p4_accountability"])
    html = page(c, "/")
    found = Elements(html)
    assert found.links("instance") == [
        "/instances/accountability-3",
        "/instances/accountability-4",
        "/instances/assignment-1",
        "/instances/briefing-2",
        "/instances/budget",
    ]
    assert "Inquiry and questioning" in html and "Targets missed at the deadline" in html
    only = Elements(page(c, "/?procedure=accountability&state=closed"))
    assert only.links("instance") == ["/instances/accountability-4"]
    assert Elements(page(c, "/?state=inquiry")).links("instance") == ["/instances/accountability-3"]


def test_an_instance_page_shows_its_state_path_ballot_timeline_and_facts(
    dbs: dict[str, Path],
) -> None:
    html = page(client(dbs["p1_major_decision"], zone=UTC8), "/instances/budget")
    found = Elements(html)
    (current,) = found.with_class("current") and [
        e for e in found.with_class("current") if e[0] == "li"
    ]
    assert current[1]["data-state"] == "assigned"
    assert current[2] == ["Responsibilities being assigned"]
    path = [e[1]["data-state"] for e in found.with_class("path-state")]
    assert path[0] == "proposed" and path[-1] == "assigned" and "in_meeting" in path
    # the procedure's diagram: the current state and the transitions taken marked
    assert [e[1]["data-state"] for e in found.with_class("current") if e[0] == "g"] == ["assigned"]
    taken = {e[1]["data-trigger"] for e in found.with_class("taken") if e[0] == "g"}
    assert {"prepare", "schedule", "close_ballot", "hand_over"} <= taken
    assert "withdraw" not in taken
    # the ballot: a chart of the totals with the votes needed drawn, each named voter's choice
    assert found.with_class("ballot-chart")
    bars = [e for e in found.found if e[0] == "rect" and "option" in e[1]["class"]]
    assert [float(b[1]["width"]) > 0 for b in bars] == [True, False, True]  # 5, 0, 1
    assert [e for e in found.found if e[0] == "line" and "needed" in e[1]["class"]]
    assert "threshold: agree votes needed 4" in html and "quorum: present needed 4" in html
    assert re.search(r"<td>m4</td><td>abstain</td>", html)
    # the timeline: every event, its time in the zone asked for, the rules judged at each step
    assert len(found.with_class("step")) == 27
    assert "2026-03-10 09:00" in html and "times in UTC+08:00" in html
    assert "R-CHAIR-LAST" in html and "Party-group regulation (2019) Art. 27" in html
    # nested facts as sub-tables: the consultations, a row per member
    assert re.search(r"<td>m4</td><td>2026-03-05 09:00</td><td>m1</td><td>reserve</td>", html)
    assert "wants a cost review" in html


def test_an_instance_links_its_html_report(dbs: dict[str, Path]) -> None:
    c = client(dbs["p1_major_decision"])
    (report,) = Elements(page(c, "/instances/budget?lang=zh-CN")).links("report")
    assert report == "/report/budget?lang=zh-CN"
    html = page(c, report)
    assert "<script" not in html and 'class="ballot-chart"' in html and "审计" in html
    assert c.get("/report/nothing").status_code == 404


def test_children_and_parent_are_links(dbs: dict[str, Path]) -> None:
    c = client(dbs["p4_accountability"])
    found = Elements(page(c, "/instances/budget"))
    assert found.links("child") == ["/instances/assignment-1", "/instances/briefing-2"]
    child = Elements(page(c, "/instances/assignment-1"))
    assert child.links("parent") == ["/instances/budget"]


def test_a_secret_ballot_shows_totals_and_never_a_choice(dbs: dict[str, Path]) -> None:
    html = page(client(dbs["p2_ballot"]), "/instances/heads")
    found = Elements(html)
    assert len(found.with_class("ballot-chart")) == 2  # voted item by item: a chart each
    assert "secret ballot: who chose what is not recorded" in html
    assert not found.with_class("choices")
    section = html[html.index('<section id="ballot"') : html.index("</section>")]
    assert Elements(section).with_class("count")[0][2] == ["7"]  # Zhang Wei: 7 agree of 9
    with sqlite3.connect(dbs["p2_ballot"]) as conn:
        voters = {v for (v,) in conn.execute("SELECT voter FROM collegium_ballot_voters")}
    assert voters  # who voted is public; the ballot shows totals only
    assert not any(f">{voter}<" in section for voter in voters)
    assert html.count('<td class="whole">vote</td>') == 18  # each vote a step of the timeline
    for e in found.found:
        assert "choice" not in e[2]  # no step's data holds a choice


def test_overdue_tasks_and_open_cases(dbs: dict[str, Path]) -> None:
    found = Elements(page(client(dbs["p4_accountability"]), "/supervision"))
    overdue = [
        e[1]["href"] for e in found.found if e[0] == "a" and "/instances/" in e[1].get("href", "")
    ]
    assert overdue == ["/instances/assignment-1", "/instances/accountability-3"]


def test_the_audit_page_says_whether_the_chains_hold(dbs: dict[str, Path], tmp_path: Path) -> None:
    html = page(client(dbs["p1_major_decision"]), "/audit")
    assert "audit OK: 1 instance, 27 events, every hash chain intact" in html
    edited = tmp_path / "edited.db"
    edited.write_bytes(dbs["p1_major_decision"].read_bytes())
    with sqlite3.connect(edited) as conn:
        conn.execute("UPDATE collegium_events SET actor = 'm9' WHERE seq = 3")
    assert "audit FAILED: event 3 of budget" in page(client(edited), "/audit")


def test_chinese_by_parameter_or_by_the_browser(dbs: dict[str, Path]) -> None:
    c = client(dbs["p1_major_decision"])
    zh = page(c, "/instances/budget?lang=zh-CN")
    assert '<html lang="zh-CN">' in zh and "时间线" in zh and "所经路径" in zh and "同意" in zh
    assert all(link.endswith("lang=zh-CN") for link in Elements(zh).links("instance"))
    browser = page(c, "/", **{"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert "实例" in browser and Elements(browser).links("instance") == ["/instances/budget"]
    assert "Instances" in page(c, "/?lang=en", **{"Accept-Language": "zh-CN"})


def test_every_value_is_escaped(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    with Engine.open(str(db), clock=FixedClock(NOW), ids=SequentialIds()) as engine:
        engine.define_body(standing_committee())
        propose(engine, title='<script>alert("x")</script><b>bold</b>')
    c = client(db)
    for path in ("/", "/instances/major_decision-1", "/?state=<i>x</i>"):
        html = page(c, path)
        assert "<script" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;" in page(c, "/instances/major_decision-1")
    missing = c.get("/instances/%3Cb%3Eno%3C%2Fb%3E")
    assert missing.status_code == 404 and "<b>no" not in missing.get_data(as_text=True)


# -- pages of instances ----------------------------------------------------------------------------
def test_pages_of_50_follow_one_another_without_a_gap_or_a_repeat(tmp_path: Path) -> None:
    db = tmp_path / "many.db"
    with Engine.open(str(db), clock=FixedClock(NOW), ids=SequentialIds()) as engine:
        engine.define_body(standing_committee())
        for i in range(123):
            iid = propose(engine, title=f"Matter {i}")
            if i % 3 == 0:
                engine.fire(iid, "prepare", "m1")
        want = sorted(i.id for i in engine.instances())
        by_state = [(i.state, i.id) for i in engine.instances("major_decision")]
    c = client(db)
    for first, expected in (("/", want), ("/?procedure=major_decision", sorted(by_state))):
        seen: list[str] = []
        address: str | None = first
        sizes = []
        while address:
            found = Elements(page(c, address))
            ids = [href.rsplit("/", 1)[1] for href in found.links("instance")]
            seen += ids
            sizes.append(len(ids))
            address = (found.links("next") or [None])[0]
            if address:
                assert "after=" in address
        assert sizes == [50, 50, 23]
        assert seen == [i for _, i in expected] if first != "/" else seen == expected


# -- reading only ----------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/instances/budget", "/supervision", "/audit"])
def test_only_get_and_head_are_answered(dbs: dict[str, Path], path: str) -> None:
    c = client(dbs["p1_major_decision"])
    for method in ("POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
        assert c.open(path, method=method).status_code == 405, method
    head = c.head(path)
    assert head.status_code == 200 and head.get_data() == b""


def test_browsing_writes_nothing(dbs: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    db.write_bytes(dbs["p4_accountability"].read_bytes())
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    c = client(db)
    for path in ("/", "/?procedure=assignment", "/supervision", "/audit"):
        page(c, path)
    for href in Elements(page(c, "/")).links("instance"):
        page(c, href)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0


def test_answers_forbid_scripts_and_frames(dbs: dict[str, Path]) -> None:
    answer = client(dbs["p1_major_decision"]).get("/")
    assert "default-src 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Frame-Options"] == "DENY"


# -- who may read ----------------------------------------------------------------------------------
def test_a_token_is_asked_for_in_a_header_or_once_in_the_address(dbs: dict[str, Path]) -> None:
    c = client(dbs["p1_major_decision"], Guard(token="s3cret-token"))
    assert c.get("/").status_code == 401
    assert c.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert c.get("/", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
    moved = c.get("/instances/budget?lang=zh-CN&token=s3cret-token")
    assert moved.status_code == 303
    assert moved.headers["Location"] == "/instances/budget?lang=zh-CN"
    assert "HttpOnly" in moved.headers["Set-Cookie"]
    assert c.get("/instances/budget").status_code == 200  # the cookie now
    assert client(dbs["p1_major_decision"], Guard(token="t")).get("/?token=x").status_code == 401


def test_basic_auth_asks_the_browser(dbs: dict[str, Path]) -> None:
    c = client(dbs["p1_major_decision"], Guard.basic("clerk:pa:ss"))
    refused = c.get("/")
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Basic ")

    def basic(pair: str) -> dict[str, str]:
        return {"Authorization": "Basic " + base64.b64encode(pair.encode()).decode()}

    assert c.get("/", headers=basic("clerk:pa:ss")).status_code == 200
    assert c.get("/", headers=basic("clerk:pa:s")).status_code == 401
    assert c.get("/", headers=basic("clerx:pa:ss")).status_code == 401
    assert c.get("/", headers={"Authorization": "Basic !!"}).status_code == 401


# -- the command -----------------------------------------------------------------------------------
def one_error(args: list[str], *words: str) -> None:
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 2, r.output
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("collegium: error: "), lines
    assert all(w in lines[0] for w in words), lines


def test_listening_beyond_this_machine_needs_a_secret(dbs: dict[str, Path]) -> None:
    db = str(dbs["p1_major_decision"])
    one_error(["--db", db, "serve", "--host", "0.0.0.0"], "0.0.0.0", "--token", "--basic-auth")
    one_error(["--db", db, "--lang", "zh-CN", "serve", "--host", "0.0.0.0"], "监听", "--token")
    one_error(["--db", db, "serve", "--token", "a", "--basic-auth", "u:p"], "together")
    one_error(["--db", db, "serve", "--host", "::", "--basic-auth", "nopass"], "USER:PASS")
    one_error(["--db", db, "serve", "--token", " "], "--token")
    one_error(["--db", db, "serve", "--basic-auth", ""], "USER:PASS")  # not an open console
    one_error(["--db", str(Path(db).parent / "none.db"), "serve"], "no database")


def test_serve_refuses_a_database_it_would_have_to_migrate(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    one_error(["--db", str(empty), "serve", "--port", "0"], "db upgrade")
    assert sqlite3.connect(empty).execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)


@pytest.fixture
def served(dbs: dict[str, Path]) -> Iterator[str]:
    command = ["-m", "collegium", "--db", str(dbs["p1_major_decision"]), "serve", "--port", "0"]
    run = subprocess.Popen(
        [sys.executable, *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert run.stdout is not None
        line = run.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert found, (line, run.stderr.read() if run.poll() is not None and run.stderr else "")
        yield found[0]
    finally:
        run.terminate()
        run.communicate(timeout=20)  # and its pipes closed


def test_the_command_serves_the_pages(served: str) -> None:
    with urllib.request.urlopen(f"{served}instances/budget", timeout=20) as answer:
        html = answer.read().decode()
    assert "Responsibilities being assigned" in html and 'class="ballot-chart"' in html


def test_an_open_console_answers_only_to_this_machine_s_host_names(dbs: dict[str, Path]) -> None:
    """A page elsewhere that renames its own host to 127.0.0.1 (DNS rebinding) is refused: an
    open console answers only to a loopback Host; one behind a secret answers to any."""
    c = client(dbs["p1_major_decision"])
    for host in ("127.0.0.1:8765", "localhost", "[::1]:8765"):
        assert c.get("/", headers={"Host": host}).status_code == 200, host
    assert c.get("/", headers={"Host": "evil.example:8765"}).status_code == 400
    guarded = client(dbs["p1_major_decision"], Guard(token="t"))
    answer = guarded.get("/", headers={"Host": "console.example", "Authorization": "Bearer t"})
    assert answer.status_code == 200


def test_the_request_log_keeps_no_token(dbs: dict[str, Path]) -> None:
    command = ["-m", "collegium", "--db", str(dbs["p1_major_decision"]), "serve", "--port", "0"]
    run = subprocess.Popen(
        [sys.executable, *command, "--token", "s3cret-in-the-log"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert run.stdout is not None
        found = re.search(r"http://127\.0\.0\.1:\d+/", run.stdout.readline())
        assert found
        port = int(found[0].rstrip("/").rpartition(":")[2])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        conn.request("GET", "/?token=s3cret-in-the-log")
        assert conn.getresponse().status == 303  # kept in a cookie, taken out of the address
        conn.close()
    finally:
        run.terminate()
        _out, err = run.communicate(timeout=20)
    assert '"GET /" 303' in err  # the request is logged, by its path
    assert "s3cret-in-the-log" not in err


def test_flask_is_imported_with_the_console_app_only() -> None:
    code = (
        "import sys, collegium, collegium.console\n"
        "from collegium.console import Guard\n"
        "from collegium.cli import main\n"
        "try:\n    main(['serve', '--help'])\nexcept SystemExit:\n    pass\n"
        "print('flask' in sys.modules, file=sys.stderr)\n"
        "from collegium.console import create_app\n"
        "print('flask' in sys.modules, file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.split() == ["False", "True"]
