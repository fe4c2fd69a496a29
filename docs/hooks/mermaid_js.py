"""MkDocs hook: Mermaid is served from the site itself, so the handbook's diagrams render on a
network that cannot reach the internet.

Material for MkDocs loads Mermaid from a public CDN unless the page already has it. This hook puts a
pinned Mermaid release (the npm package's ``dist/mermaid.min.js``) into the built site as
``assets/javascripts/mermaid-VERSION.min.js`` and adds it to ``extra_javascript``, so the theme
uses that one.

The script is read from a cache directory (``COLLEGIUM_DOCS_CACHE``, else
``$XDG_CACHE_HOME/collegium-docs``, else ``~/.cache/collegium-docs``) and checked against its
pinned sha256. When it is missing there (or differs), the package's tarball is downloaded from the
npm registry (``npm_config_registry``, else the public one), checked against the sha512 integrity
the registry publishes for that release (pinned here), and the script is taken out of it, checked,
and written to the cache: only the first build on a machine needs the registry. Anything that fails
stops the build with one line saying what failed and where the file can be put by hand.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tarfile
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

PUBLIC_REGISTRY = "https://registry.npmjs.org/"


@dataclass(frozen=True)
class Pin:
    """A release of the ``mermaid`` npm package and the hashes its files must have."""

    version: str
    #: the tarball's ``dist.integrity`` in the registry (``sha512-`` and the base64 digest)
    integrity: str
    #: hex sha256 of ``package/dist/mermaid.min.js`` in that tarball
    sha256: str

    @property
    def name(self) -> str:
        """The script's file name, in the cache and in the site."""
        return f"mermaid-{self.version}.min.js"

    @property
    def site_path(self) -> str:
        """Where the built site serves it."""
        return f"assets/javascripts/{self.name}"


#: Mermaid 11, the major version Material for MkDocs 9 is written for
MERMAID = Pin(
    version="11.17.2",
    integrity=(
        "sha512-V6K3C8EBdEsPFZXSKMJe6ppQOENxuHARr9GvHX4hh47lAbhMRD9qf4oEK7LoaRQxULMa80/qt5gHO73aC"
        "leBBg=="
    ),
    sha256="581ed7d74bd9048d0e3a91363927d72ef22942d7722546b27f7cc29e35390eb8",
)
MEMBER = "package/dist/mermaid.min.js"


def cache_dir(env: Mapping[str, str]) -> Path:
    """The directory the script is kept in between builds."""
    if env.get("COLLEGIUM_DOCS_CACHE"):
        return Path(env["COLLEGIUM_DOCS_CACHE"])
    base = Path(env["XDG_CACHE_HOME"]) if env.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return base / "collegium-docs"


def tarball_url(pin: Pin, env: Mapping[str, str]) -> str:
    """The package's tarball in the registry ``npm_config_registry`` names (npm's own setting),
    else in the public one."""
    registry = env.get("npm_config_registry") or env.get("NPM_CONFIG_REGISTRY") or PUBLIC_REGISTRY
    return f"{registry.rstrip('/')}/mermaid/-/mermaid-{pin.version}.tgz"


def download(url: str) -> bytes:
    """The body at ``url``; :class:`PluginError` on any failure."""
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            body: bytes = response.read()
    except (OSError, ValueError) as e:
        raise PluginError(f"cannot download {url} ({e})") from e
    return body


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def script(pin: Pin, cache: Path, url: str, fetch: Callable[[str], bytes] = download) -> Path:
    """The cached script of ``pin``: read from ``cache`` when it is there with its pinned sha256,
    else fetched from ``url`` (the tarball), checked and written there. :class:`PluginError`, its
    message one line, when that fails."""
    path = cache / pin.name
    if path.is_file() and _sha256(path.read_bytes()) == pin.sha256:
        return path
    by_hand = f"to build offline, put {pin.name} (sha256 {pin.sha256}) in {cache}"
    try:
        tarball = fetch(url)
    except PluginError as e:
        raise PluginError(f"Mermaid {pin.version}: {e}; {by_hand}") from e
    if _integrity(tarball) != pin.integrity:
        raise PluginError(
            f"Mermaid {pin.version}: {url} does not have the pinned sha512 integrity; not used"
        )
    try:
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            member = archive.extractfile(MEMBER)
            data = member.read() if member is not None else b""
    except (tarfile.TarError, KeyError, OSError) as e:
        raise PluginError(f"Mermaid {pin.version}: no {MEMBER} in {url} ({e})") from e
    if _sha256(data) != pin.sha256:
        raise PluginError(
            f"Mermaid {pin.version}: {MEMBER} in {url} does not have the pinned sha256; not used"
        )
    try:
        cache.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.part")
        partial.write_bytes(data)
        partial.replace(path)
    except OSError as e:
        raise PluginError(f"Mermaid {pin.version}: cannot write {path} ({e})") from e
    return path


_found: dict[str, Path] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Fetch (or find) the script before anything is built, and have every page load it."""
    env = os.environ
    _found[MERMAID.site_path] = script(MERMAID, cache_dir(env), tarball_url(MERMAID, env))
    if MERMAID.site_path not in config.extra_javascript:
        config.extra_javascript.append(MERMAID.site_path)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """The cached script, copied into the site."""
    for site_path, path in _found.items():
        files.append(File.generated(config, site_path, abs_src_path=str(path)))
    return files
