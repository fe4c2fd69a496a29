"""A real browser (issue 21.4): Debian's Chromium, headless, driven by Selenium through
chromedriver, opens the console over a database the P1 scenario made, follows a link from the list
to the instance, checks what a person sees there (the state, the highlighted state on the path and
in the diagram, the ballot's chart and table), switches to Chinese, and opens the HTML report of
the largest example from its file. Screenshots are kept as artefacts (``tests/artefacts/browser/``,
or the folder ``COLLEGIUM_ARTEFACTS`` names), their paths written to the test's output (``-s``
shows it); with ``COLLEGIUM_DOCS_IMG=docs/img`` the README's two pictures (the console's instance
page, the report) are drawn there again.

Skipped, with the reason, where Selenium, Chromium or chromedriver is missing; under ``CI=true``
that fails instead (``.ci/run`` installs Chromium).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from collegium import Engine, FixedClock
from collegium.cli import cli
from collegium.commands.render import Times
from collegium.console import create_app

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "examples" / "scenarios"
ARTEFACTS = Path(os.environ.get("COLLEGIUM_ARTEFACTS") or ROOT / "tests" / "artefacts" / "browser")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None
)
#: the flags the machine's probe ran Chromium with: on a closed network, without the background
#: networking ones it tries (and is refused) many connections
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1500",
)


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "Selenium is not installed (pip install '.[test]')"
    if CHROMIUM is None or CHROMEDRIVER is None:
        return "Chromium or chromedriver is missing (apt-get install chromium chromium-driver)"
    return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    reason = _missing()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser test must run in CI: {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The console over the P1 scenario's database, served on a free port of 127.0.0.1."""
    from werkzeug.serving import make_server

    db = tmp_path_factory.mktemp("browser") / "p1.db"
    scenario = SCENARIOS / "p1_major_decision.yaml"
    r = CliRunner().invoke(cli, ["simulate", str(scenario), "--db", str(db)])
    assert r.exit_code == 0, r.output
    engine = Engine.open(
        str(db), clock=FixedClock(dt.datetime(2027, 1, 2, tzinfo=dt.UTC)), auto_migrate=False
    )
    zone = dt.timezone(dt.timedelta(hours=8))
    app = create_app(engine, times=lambda: Times(zone))
    server = make_server("127.0.0.1", 0, app, threaded=True)  # as `collegium serve` does
    server.block_on_close = False  # a connection the browser keeps open does not hold us up
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        serving.join(timeout=10)
        server.server_close()
        engine.close()


def keep(driver: Any, name: str, docs: str | None = None) -> Path:
    """A screenshot of the whole page, kept as an artefact, its path printed; and the page's top as
    the documentation's picture ``docs`` when ``COLLEGIUM_DOCS_IMG`` names their folder."""
    from selenium.webdriver.common.by import By

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    height = driver.find_element(By.TAG_NAME, "body").size["height"]
    driver.set_window_size(1280, min(max(int(height) + 120, 800), 6000))
    assert driver.save_screenshot(str(path)), path
    driver.set_window_size(1280, 1500)
    sys.stdout.write(f"\nscreenshot: {path}\n")  # the artefact's path in the test's output
    folder = os.environ.get("COLLEGIUM_DOCS_IMG")
    if docs is not None and folder:
        driver.set_window_size(1280, 1100)
        driver.execute_script("window.scrollTo(0, 0)")
        assert driver.save_screenshot(str(Path(folder) / docs))
        driver.set_window_size(1280, 1500)
    return path


def test_a_person_reads_a_decision_in_the_console(browser: Any, console: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{console}/")
    assert browser.title.startswith("Instances")
    keep(browser, "console-list")
    link = browser.find_element(By.CSS_SELECTOR, "table.instances a.instance")
    assert link.text == "budget" and link.is_displayed()
    link.click()

    assert browser.current_url == f"{console}/instances/budget"
    state = browser.find_element(By.ID, "state")
    assert state.text == "Responsibilities being assigned" and state.is_displayed()
    on_path = browser.find_element(By.CSS_SELECTOR, "ol.path li.current")
    assert on_path.text.endswith("Responsibilities being assigned")
    assert on_path.value_of_css_property("font-weight") == "700"  # marked for the eye
    in_diagram = browser.find_element(By.CSS_SELECTOR, "svg.diagram g.node.current")
    assert in_diagram.get_attribute("data-state") == "assigned" and in_diagram.is_displayed()
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.diagram g.edge.taken")) >= 7
    chart = browser.find_element(By.CSS_SELECTOR, "svg.ballot-chart")
    assert chart.is_displayed() and chart.size["width"] > 300
    counts = [e.text for e in chart.find_elements(By.CSS_SELECTOR, "text.count")]
    assert counts == ["5", "0", "1", "6"]  # agree, oppose, abstain; present
    needed = chart.find_element(By.CSS_SELECTOR, "line.needed")  # drawn across the bars
    assert needed.size["height"] > 80 and needed.value_of_css_property("stroke") != "none"
    rows = browser.find_elements(By.CSS_SELECTOR, "table.choices tbody tr")
    assert [r.text for r in rows][:2] == ["dep agree", "m1 agree"]
    assert "2026-03-10 09:00" in browser.find_element(By.CSS_SELECTOR, "table.timeline").text
    keep(browser, "console-instance", docs="console-instance.png")

    browser.find_element(By.CSS_SELECTOR, "header a.lang").click()
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    headings = [h.text for h in browser.find_elements(By.TAG_NAME, "h2")]
    assert "时间线" in headings and "所经路径" in headings and "程序图" in headings
    assert browser.find_element(By.ID, "state").text == "责任分解"
    chart = browser.find_element(By.CSS_SELECTOR, "svg.ballot-chart")
    assert "同意" in chart.text
    keep(browser, "console-instance-zh")

    # the links keep the language: back to the list, in Chinese
    browser.find_element(By.CSS_SELECTOR, "header a.brand").click()
    assert "lang=zh-CN" in browser.current_url
    assert browser.find_element(By.TAG_NAME, "h1").text == "实例"


def test_the_html_report_of_the_largest_example_opens_in_under_a_second(
    browser: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    largest = max(SCENARIOS.glob("*.yaml"), key=lambda p: p.stat().st_size)
    out = tmp_path / "report.html"
    r = CliRunner().invoke(cli, ["simulate", str(largest), "--html", str(out)])
    assert r.exit_code == 0, r.output
    started = time.monotonic()
    browser.get(out.as_uri())
    waited = time.monotonic() - started
    loaded = browser.execute_script(
        "const t = performance.getEntriesByType('navigation')[0];"
        "return t.loadEventEnd - t.startTime;"
    )
    sys.stdout.write(f"\n{largest.name}: loaded in {loaded:.0f} ms ({waited:.2f} s round trip)\n")
    assert 0 < loaded < 1000
    current = browser.find_elements(By.CSS_SELECTOR, "svg.diagram g.node.current")
    assert current and all(c.is_displayed() for c in current)
    assert browser.find_elements(By.CSS_SELECTOR, "svg.diagram g.edge.taken")
    keep(browser, "report-largest")


def test_the_p1_report_shows_its_chart_and_current_state(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    out = tmp_path / "p1.html"
    scenario = SCENARIOS / "p1_major_decision.yaml"
    r = CliRunner().invoke(cli, ["simulate", str(scenario), "--html", str(out)])
    assert r.exit_code == 0, r.output
    browser.get(out.as_uri())
    (current,) = browser.find_elements(By.CSS_SELECTOR, "svg.diagram g.node.current")
    assert current.get_attribute("data-state") == "assigned" and current.is_displayed()
    chart = browser.find_element(By.CSS_SELECTOR, "svg.ballot-chart")
    assert chart.is_displayed()
    assert chart.find_elements(By.CSS_SELECTOR, "line.quorum")
    assert chart.find_elements(By.CSS_SELECTOR, "line.threshold")
    keep(browser, "report-p1", docs="report.png")
