"""The documentation site serves its own Mermaid (docs/hooks/mermaid_js.py): the pinned release is
taken from the npm registry once, checked against its pinned hashes, cached, and read from the cache
after that; a build that cannot get it stops with one line saying why and what to do."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import os
import sys
import tarfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).parent.parent
for tool in ("mkdocs", "mkdocstrings_handlers"):
    pytest.importorskip(tool, reason="the docs tools are not installed (pip install -e '.[docs]')")
from mkdocs.exceptions import PluginError  # noqa: E402

from tests.test_docs import mkdocs_build  # noqa: E402


def _hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "mermaid_js", ROOT / "docs" / "hooks" / "mermaid_js.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module


hook = _hook()
SCRIPT = b"globalThis.mermaid = {initialize() {}};\n"


def tarball(script: bytes = SCRIPT) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        info = tarfile.TarInfo("package/dist/mermaid.min.js")
        info.size = len(script)
        archive.addfile(info, io.BytesIO(script))
    return out.getvalue()


def pin(data: bytes, script: bytes = SCRIPT) -> Any:
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    return hook.Pin("0.0.1", integrity, hashlib.sha256(script).hexdigest())


def offline(url: str) -> bytes:
    raise PluginError(f"cannot download {url} (no network)")


def test_the_script_is_fetched_once_checked_and_then_read_from_the_cache(tmp_path: Path) -> None:
    data = tarball()
    asked: list[str] = []

    def registry(url: str) -> bytes:
        asked.append(url)
        return data

    cache = tmp_path / "cache"
    got = hook.script(pin(data), cache, "https://registry.test/m.tgz", registry)
    assert got == cache / "mermaid-0.0.1.min.js" and got.read_bytes() == SCRIPT
    assert asked == ["https://registry.test/m.tgz"]
    assert hook.script(pin(data), cache, "https://registry.test/m.tgz", offline) == got
    # a cached file that is not the pinned one is fetched again
    got.write_bytes(b"tampered")
    assert hook.script(pin(data), cache, "u", registry).read_bytes() == SCRIPT
    assert len(asked) == 2


@pytest.mark.parametrize(
    ("served", "pinned", "said"),
    [
        (b"not the release", tarball(), "does not have the pinned sha512 integrity; not used"),
        (tarball(b"other"), tarball(b"other"), "does not have the pinned sha256; not used"),
    ],
)
def test_a_download_without_the_pinned_hashes_is_refused(
    tmp_path: Path, served: bytes, pinned: bytes, said: str
) -> None:
    with pytest.raises(PluginError) as e:
        hook.script(pin(pinned), tmp_path, "https://registry.test/m.tgz", lambda url: served)
    assert "\n" not in str(e.value) and str(e.value).startswith("Mermaid 0.0.1: ")
    assert said in str(e.value)
    assert list(tmp_path.iterdir()) == []


def test_without_the_registry_the_message_says_where_to_put_the_file(tmp_path: Path) -> None:
    pinned = pin(tarball())
    with pytest.raises(PluginError) as e:
        hook.script(pinned, tmp_path / "c", "https://registry.test/m.tgz", offline)
    message = str(e.value)
    assert "\n" not in message and "cannot download https://registry.test/m.tgz" in message
    assert f"put mermaid-0.0.1.min.js (sha256 {pinned.sha256}) in {tmp_path / 'c'}" in message


def test_the_cache_and_the_registry_come_from_the_environment(tmp_path: Path) -> None:
    assert hook.cache_dir({"COLLEGIUM_DOCS_CACHE": str(tmp_path)}) == tmp_path
    assert hook.cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "collegium-docs"
    assert hook.cache_dir({}) == Path.home() / ".cache" / "collegium-docs"
    release = hook.MERMAID
    assert hook.tarball_url(release, {}) == (
        f"https://registry.npmjs.org/mermaid/-/mermaid-{release.version}.tgz"
    )
    mirror = {"npm_config_registry": "https://npm.intranet.test/repo/"}
    assert hook.tarball_url(release, mirror) == (
        f"https://npm.intranet.test/repo/mermaid/-/mermaid-{release.version}.tgz"
    )


def test_a_build_that_cannot_get_mermaid_stops_with_one_line(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "COLLEGIUM_DOCS_CACHE": str(tmp_path / "empty"),
        "npm_config_registry": "http://127.0.0.1:9/",
        "NO_MKDOCS_2_WARNING": "1",
    }
    done = mkdocs_build(tmp_path / "s", env)
    errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
    assert done.returncode == 1 and len(errors) == 1, done.stderr
    assert "Mermaid 11." in errors[0] and "cannot download http://127.0.0.1:9/" in errors[0]
    assert not (tmp_path / "s").exists()


def test_the_deploying_page_names_the_pinned_release() -> None:
    page = (ROOT / "docs" / "deploying.md").read_text(encoding="utf-8")
    assert f"mermaid-{hook.MERMAID.version}.min.js" in page
    assert f"`mermaid` {hook.MERMAID.version} package" in page
