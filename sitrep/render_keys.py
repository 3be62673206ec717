"""Keys of what a page's Markdown is made from, so that a build can skip rendering it again.

A page's input key is the SHA-256 of its template and URI, of its context (each briefing in
it by the SHA-256 of its file), and of everything any page may read: the templates, the
site's settings, the registries, sitrep's code and the installed versions. A page whose
template reads the site index beyond the actors and regions (the registries' entries), as
the actor and region pages do, gets no key: what it shows depends on other briefings. The
index handed to a keyed page's template is an IndexGuard, which notices that.

A build records the keys of the pages that rendered (see KnownKeys). The next build renders
a page whose key is known only if MkDocs needs its Markdown: when its built page is not in
the page cache (see mkdocs_hook.SpooledFile).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sitrep.load import ACTORS_FILE, REGIONS_FILE
from sitrep.model import Briefing
from sitrep.page_cache import code_digest, digest, file_digest, write_whole

REGISTRY_VIEWS = {"actors", "regions"}  # what a keyed page may read of the index


class Unkeyable(Exception):
    """A context value that has no stable form: the page gets no key."""


class IndexGuard:
    """The site index as a keyed page's template sees it: reading anything but the actors and
    regions marks the page as depending on other briefings."""

    def __init__(self, index: Any) -> None:
        self._index = index
        self.touched = False

    def __getattr__(self, name: str) -> Any:
        if name not in REGISTRY_VIEWS:
            self.touched = True
        return getattr(self._index, name)


def base_digest(root: Path, templates: list[Path], site: Any, drafts: bool) -> str:
    """Digest what every page's Markdown may depend on besides its own context."""
    return digest(code_digest(), file_digest([root / ACTORS_FILE, root / REGIONS_FILE]),
                  file_digest(templates), dataclasses.asdict(site), drafts)


def input_key(base: str, template: str, uri: str, context: Mapping[str, Any],
              digests: Mapping[str, str]) -> str | None:
    """Return a page's input key, or None if its context holds something without a stable form."""
    try:
        parts = [base, template, uri, {name: _stable(value, digests) for name, value in context.items()}]
    except Unkeyable:
        return None
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _stable(value: Any, digests: Mapping[str, str]) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value  # Markup is a str
    if isinstance(value, Briefing):
        if value.path not in digests:
            raise Unkeyable(value.path)
        return ["briefing", value.id, digests[value.path]]
    if isinstance(value, list | tuple):
        return [_stable(item, digests) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, _stable(dataclasses.astuple(value), digests)]
    raise Unkeyable(type(value).__name__)


@dataclasses.dataclass(frozen=True)
class RenderKeys:
    """What keys pages: the digest common to all, each briefing file's, the keys known."""

    base: str
    digests: Mapping[str, str]  # a briefing's path: the SHA-256 of its file
    known: set[str]  # the input keys of the pages the last build rendered


class KnownKeys:
    """The input keys of the pages that the last build rendered, in cache_dir/rendered.json."""

    def __init__(self, cache_dir: Path) -> None:
        self.path = cache_dir / "rendered.json"
        try:
            found = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            found = []
        self.keys: set[str] = set(found) if isinstance(found, list) else set()

    def save(self, keys: set[str]) -> None:
        if keys != self.keys:
            write_whole(self.path, json.dumps(sorted(keys)).encode())
