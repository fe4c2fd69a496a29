"""The reference documentation: every public name has an entry on the API pages, the programs and
the scenario the pages show run and print what the pages say, and the site builds with no warning
(`mkdocs build --strict`).

The build needs the `docs` extra; without it that test is skipped with the reason — except under
CI=true, where it fails: CI must prove the documentation builds.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import collegium
from tests.test_cli_ballot import ok

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
API = DOCS / "api"
EXAMPLES = DOCS / "examples"
ENTRY = re.compile(r"^::: ([\w.]+)", re.MULTILINE)


def entries() -> dict[str, list[str]]:
    """API page -> the paths of its `::: path` entries."""
    return {
        page.name: ENTRY.findall(page.read_text(encoding="utf-8"))
        for page in sorted(API.glob("*.md"))
    }


def resolve(path: str) -> Any:
    """The object a dotted path names: the longest importable module, then attributes."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            value: Any = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            value = getattr(value, name)
        return value
    raise AssertionError(f"{path} names nothing importable")


def test_every_public_name_has_an_entry_on_the_api_pages() -> None:
    documented = {id(resolve(path)) for paths in entries().values() for path in paths}
    missing = [name for name in collegium.__all__ if id(getattr(collegium, name)) not in documented]
    assert missing == [], (
        f"add a '::: module.Name' entry to a page of docs/api for: {', '.join(missing)}"
    )


def test_each_entry_names_an_object_where_it_is_defined_and_once() -> None:
    seen: set[str] = set()
    for page, paths in entries().items():
        for path in paths:
            value = resolve(path)
            if hasattr(
                value, "__qualname__"
            ):  # a class or function: documented under its own module
                assert f"{value.__module__}.{value.__qualname__}" == path, (
                    f"{page}: {path} is defined elsewhere"
                )
            assert path not in seen, f"{path} has two entries"
            seen.add(path)


def test_every_api_page_is_in_the_nav() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in entries():
        assert f"- api/{page}\n" in config, f"docs/api/{page} is not in mkdocs.yml's nav"


def _python(script: Path, tmp_path: Path) -> str:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_first_program_prints_what_getting_started_shows(tmp_path: Path) -> None:
    shown = (EXAMPLES / "first_program.out").read_text(encoding="utf-8")
    assert _python(EXAMPLES / "first_program.py", tmp_path) == shown


def test_the_embedding_guide_runs(tmp_path: Path) -> None:
    out = _python(EXAMPLES / "embedding.py", tmp_path)
    assert "422 {'refused': [{'rule': 'R-DELIBERATION'" in out
    assert "lapse missing ('accountability-3',)" in out and "inquiry missing_report" in out
    # the host's session commits the proposal (its subscriber runs after), then rolls back a step;
    # the outbox
    assert (
        "committed: major_decision-4 propose\nmajor_decision-4 proposed\noutbox: 8 events delivered"
        in out
    )


def test_the_first_scenario_runs_as_getting_started_shows() -> None:
    out = ok("simulate", EXAMPLES / "first_scenario.yaml").output
    page = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    shown = [line for line in page.splitlines() if line.startswith("2026-04-")]
    assert len(shown) == 2 and "19 steps, 2 refused as expected; instances: 1; audit ok" in page
    for line in [*shown, "19 steps, 2 refused as expected; instances: 1; audit ok"]:
        assert line in out.splitlines(), line


def mkdocs_build(site: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of the repository's site into ``site``."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once for this module's tests by `mkdocs build --strict`, which must pass
    with no warning."""
    if (
        importlib.util.find_spec("mkdocs") is None
        or importlib.util.find_spec("mkdocstrings_handlers") is None
    ):
        reason = "the docs tools are not installed (pip install -e '.[docs]')"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: the documentation must build)")
        pytest.skip(reason)
    built = tmp_path_factory.mktemp("docs") / "site"
    done = mkdocs_build(built)
    log = done.stdout + done.stderr
    assert done.returncode == 0 and not re.search(r"^WARNING\b", log, re.MULTILINE), log
    return built


def _api_page(site: Path, page: str) -> str:
    name = page.removesuffix(".md")
    return (site / "api" / ("" if name == "index" else name) / "index.html").read_text(
        encoding="utf-8"
    )


def test_the_site_builds_with_no_warning(site: Path) -> None:
    # every entry rendered, with the anchor cross-references point at
    for page, paths in entries().items():
        html = _api_page(site, page)
        for path in paths:
            assert f'id="{path}"' in html, f"{path} has no anchor on api/{page}"
    # generated from the JSON Schemas at build time
    for kind in ("procedure", "fragment", "rules", "scenario", "body", "tests"):
        assert (site / "format" / f"schema-{kind}" / "index.html").is_file()
        assert (site / "format" / f"{kind}.schema.json").is_file()
    assert (site / "handbook" / "index.html").is_file() and (
        site / "handbook" / "meeting.zh-CN" / "index.html"
    ).is_file()


#: a tag that makes the browser fetch a script, a stylesheet or a font, and the address it names
FETCHED = re.compile(
    r"<script\b[^>]*\bsrc=\"([^\"]*)\"|<link\b[^>]*\bhref=\"([^\"]*)\"|url\(\s*['\"]?([^'\")]*)"
)


def test_the_site_loads_nothing_from_another_host_and_serves_mermaid(site: Path) -> None:
    outside = {
        f"{page.relative_to(site)}: {address}"
        for page in [*site.rglob("*.html"), *site.rglob("*.css")]
        for match in FETCHED.finditer(page.read_text(encoding="utf-8"))
        for address in match.groups()
        if address and re.match(r"(?:[a-z]+:)?//", address, re.IGNORECASE)
    }
    assert outside == set(), "the site must load only its own files: " + ", ".join(
        sorted(outside)[:5]
    )
    mermaid = sorted((site / "assets" / "javascripts").glob("mermaid-*.min.js"))
    assert len(mermaid) == 1 and mermaid[0].stat().st_size > 1_000_000
    page = (site / "handbook" / "meeting" / "index.html").read_text(encoding="utf-8")
    assert '<pre class="mermaid">' in page
    assert f'<script src="../../assets/javascripts/{mermaid[0].name}"></script>' in page


def test_the_api_pages_show_documented_public_names_only(site: Path) -> None:
    undocumented, private = [], []
    for page in entries():
        # each object on a page: its heading, then its docstring, then its members
        for block in _api_page(site, page).split('<div class="doc doc-object ')[1:]:
            path = re.search(r'id="([^"]+)"', block)
            name = path.group(1) if path else block[:60]
            own = block.split('<div class="doc doc-children">', 1)[0]
            text = own.split('<div class="doc doc-contents', 1)[1:]
            if not text or not re.search(r"<(?:p|table|ul|ol|details)\b", text[0]):
                undocumented.append(name)
            if name.rsplit(".", 1)[-1].startswith("_"):
                private.append(name)
    # no `store = store instance-attribute`: an attribute without a docstring is not listed
    assert undocumented == [] and private == [], (undocumented[:10], private[:10])
    assert 'id="collegium.engine.engine.Engine.fire"' in _api_page(site, "engine.md")


def test_the_async_section_runs(tmp_path: Path) -> None:
    lines = _python(EXAMPLES / "async_host.py", tmp_path).splitlines()
    pushed = [line for line in lines if line.startswith("pushed consult")]
    assert sorted(pushed) == [f"pushed consult {p}" for p in ("m1", "m2", "m3", "m4", "sec")]
    assert lines[:2] == ["pushed prepare ", "pushed start_deliberation "]
    assert lines[-2:] == [
        "deliberation 8 events",
        "after the host's rollback: ['major_decision-1']",
    ]


def test_the_pack_authors_loop_runs_as_the_page_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    import shlex

    from click.testing import CliRunner

    from collegium.cli import cli

    page = (ROOT / "docs" / "own-procedures.md").read_text(encoding="utf-8")
    block = page.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [shlex.split(line) for line in block.splitlines() if line.strip()]
    assert len(commands) == 5
    monkeypatch.chdir(ROOT)
    for argv in commands:
        assert argv[0] == "collegium"
        result = CliRunner().invoke(cli, argv[1:])
        assert result.exit_code == 0, (argv, result.output)
    shown = page.split("  ```\n", 2)[1].split("  ```", 1)[0]
    tested = CliRunner().invoke(cli, commands[2][1:])
    assert tested.output.splitlines() == [line.removeprefix("  ") for line in shown.splitlines()]
