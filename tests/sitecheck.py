"""Look at a built site as a crawler would: every page, every link, every anchor."""

from __future__ import annotations

import gzip
import hashlib
import json
import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag in ("a", "link") and values.get("href"):
            self.links.append(values["href"] or "")
        if tag in ("img", "script", "source") and values.get("src"):
            self.links.append(values["src"] or "")


@dataclass
class Page:
    path: Path
    links: list[str]
    ids: set[str] = field(default_factory=set)


def read_page(path: Path) -> Page:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return Page(path, collector.links, collector.ids)


def target_file(site: Path, page: Path, href: str, base_path: str = "/") -> tuple[Path, str] | None:
    """Resolve a link of a page to the file it names, or None for an outside link."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:", "data:")):
        return None
    base = page.parent.relative_to(site).as_posix()
    path = unquote(parts.path)
    if not path:
        return page, parts.fragment
    if path.startswith("/"):
        if not path.startswith(base_path):
            return site / "outside-the-site", ""
        joined = path[len(base_path):]
    else:
        joined = posixpath.normpath(posixpath.join(base, path))
    target = site / joined
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target, parts.fragment


def broken_links(site: Path, base_path: str = "/") -> list[str]:
    """Return every internal link or anchor of every HTML page that leads nowhere."""
    pages = {p: read_page(p) for p in site.rglob("*.html")}
    broken = []
    for path, page in pages.items():
        for href in page.links:
            found = target_file(site, path, href, base_path)
            if found is None:
                continue
            target, fragment = found
            where = f"{path.relative_to(site)} -> {href}"
            if not target.resolve().is_relative_to(site.resolve()):
                broken.append(f"{where} (outside the site)")
            elif not target.is_file():
                broken.append(f"{where} (no such file)")
            elif fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else read_page(target).ids
                if unquote(fragment) not in ids:
                    broken.append(f"{where} (no anchor)")
    return broken


def tree_hashes(folder: Path) -> dict[str, str]:
    """Hash every file of a folder, by relative path."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def search_records(site: Path) -> dict[str, dict[str, Any]]:
    """The records of a built site's search index, by URL: Pagefind's fragments (gzip, then
    'pagefind_dcd' and JSON: url, content, meta) in every shard search/search_index.json lists."""
    shards = json.loads((site / "search" / "search_index.json").read_text())["config"]["sitrep"]["shards"]
    found: dict[str, dict[str, Any]] = {}
    for shard in shards:
        for path in sorted((site / shard / "fragment").glob("*.pf_fragment")):
            data = gzip.decompress(path.read_bytes())
            assert data.startswith(b"pagefind_dcd"), path
            record = json.loads(data[len(b"pagefind_dcd"):])
            assert record["url"] not in found, record["url"]
            found[record["url"]] = record
    return found
