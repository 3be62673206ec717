"""Search: a Pagefind index of what readers look for, made from the site's data.

Material's search box stays in the header; its web worker is ours (templates/assets/
search-worker.js), which answers the box's queries with Pagefind's JavaScript search API
instead of loading Material's one JSON file of every page's text (28 MB at 13,000 briefings).
Pagefind's index is split into chunks by word, so a first search fetches its runtime, the
index's metadata and the chunks of the words typed, then the fragments of the results shown.

The index is made of custom records, one a page, from what sitrep knows of each: a
briefing's title, summary, actors, regions and tags (names as shown), quotes, judgments and
sources, and the start of its body (see briefing_record); an actor's or region's names and
description; a tag's name; a list page's title. The site's own pages (content/) are indexed
from their built HTML (their article only). Lists of other briefings are on no record: a
search for a title finds that briefing's page, not the pages that list it.

The records are split into shards by a hash of their URL, one for about every SHARD_SIZE
records; each shard is a Pagefind index of its own in a folder named by the digest of its
records (`pagefind/DIGEST/`), which the worker merges (Pagefind's mergeIndex). A build writes
only the shards whose records changed: the spare site (sitrep.spare) still holds the others.
The list of shards is in search/search_index.json, the file Material's search box fetches.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import hashlib
import json
import logging
import os
import re
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from pagefind.index import IndexConfig
from pagefind.service import PagefindService

from sitrep import compat, urls
from sitrep.index import SiteIndex
from sitrep.model import Briefing, RegistryEntry

log = logging.getLogger(__name__)
FOLDER = "pagefind"  # the shards' folder in the site
STUB = "search/search_index.json"  # what Material's search box fetches on every page
WORKER = "assets/sitrep/search-worker.js"
SHARD_SIZE = 2000  # records a shard holds, about: what one changed briefing costs to index again
RECORD_WORDS = 80  # of a briefing's text, the title aside: its summary, names, parts, then its body
VERSION = "1"  # bump when records or shards are made otherwise
# What the worker loads of a shard (Pagefind also writes its own search UIs, unused here).
_KEPT = re.compile(r"pagefind\.js|pagefind-entry\.json|wasm\.[\w-]+\.pagefind|pagefind\.[\w-]+\.pf_meta"
                   r"|(?:index|fragment|filter)/[\w-]+\.pf_\w+")
_TAG = re.compile(r"<[^>]*>")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_LINE_MARK = re.compile(r"^\s*(?:[-+*]|\d+\.)\s+|-{3,}", re.MULTILINE)  # list items, rules, table lines
_MARKS = str.maketrans(dict.fromkeys("*_`#>|~", " "))
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # dates as pages show them (render.long_date), in English
_written: dict[str, set[str]] = {}  # the site folder: the search files the last build there wrote or kept


@dataclass(frozen=True)
class Record:
    """One search result: a page's URL (relative to the site's root), title and text. `html`,
    when given, is the built page, which Pagefind reads instead (its article: see CONFIG)."""

    url: str
    title: str
    text: str = ""
    meta: tuple[tuple[str, str], ...] = ()
    html: str | None = None

    def plain(self) -> list[Any]:
        return [self.url, self.title, self.text, list(self.meta), self.html]


def plain_text(markdown: str) -> str:
    """Markdown as the words a reader sees, roughly: no tags, link targets or markup."""
    text = _LINE_MARK.sub(" ", _LINK.sub(r"\1", _TAG.sub("", markdown)))
    return " ".join(text.translate(_MARKS).split())


def _words(text: str, count: int) -> str:
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def _names(entries: Mapping[str, RegistryEntry], ids: Iterable[str]) -> list[str]:
    return [entries[found].name for found in ids if found in entries]


def _name(index: SiteIndex, reference: str) -> str:
    entry = index.actors.get(reference) or index.regions.get(reference)
    return entry.name if entry is not None else reference


def briefing_record(briefing: Briefing, index: SiteIndex, url: str, text: str | None = None) -> Record:
    """A briefing's record: its title (the result's heading), then its text (briefing_text,
    unless given), with its date."""
    date = briefing.updated or briefing.date
    return Record(url, briefing.title, briefing_text(briefing, index) if text is None else text,
                  (("date", f"{date.day} {MONTHS[date.month - 1]} {date.year}"),))


def briefing_text(briefing: Briefing, index: SiteIndex) -> str:
    """What a reader sees of a briefing, cut at RECORD_WORDS: its summary, actors, regions and
    tags by name, its quotes (with their speakers), judgments, sources (title and publisher)
    and figures' metrics, then its body."""
    quotes = [f"“{quote.text}” — {_name(index, quote.speaker)}" for quote in briefing.quotes]
    sources = [" — ".join(part for part in (source.title, source.publisher) if part)
               for source in briefing.sources]
    parts = [briefing.summary, ", ".join(_names(index.actors, briefing.actors)),
             ", ".join(_names(index.regions, briefing.regions)),
             ", ".join(index.tag_names.get(urls.slugify(tag), tag) for tag in briefing.tags),
             *quotes, *(judgment.text for judgment in briefing.judgments), *sources,
             ", ".join(dict.fromkeys(figure.metric for figure in briefing.figures)),
             plain_text(briefing.body[:RECORD_WORDS * 12])]  # enough characters for its words
    return _words(" · ".join(part for part in parts if part), RECORD_WORDS)


def entry_record(entry: RegistryEntry, url: str) -> Record:
    """An actor's or region's record: its names and description."""
    names = ", ".join(dict.fromkeys([entry.name, *entry.aliases]))
    return Record(url, entry.name, " · ".join(part for part in (names, plain_text(entry.description or ""))
                                             if part))


def records(index: SiteIndex, page_urls: Mapping[str, str], titles: Mapping[str, str],
            pages: Mapping[str, str], texts: Mapping[str, str] | None = None) -> list[Record]:
    """Every search record of a site, by URL: `page_urls` maps each generated page's source URI
    to its URL, `titles` gives the titles of pages that are neither briefings nor entries (the
    lists), `pages` the built HTML of the site's own pages, by URL, and `texts` the briefings'
    texts made beforehand (briefing_text), by path."""
    found: dict[str, Record] = {}
    texts = texts or {}
    for briefing in index.pages:
        if (url := page_urls.get(urls.briefing(briefing.id))) is not None:
            found[url] = briefing_record(briefing, index, url, texts.get(briefing.path))
    for entries, uri_of in ((index.actors, urls.actor), (index.regions, urls.region)):
        for entry_id, entry in entries.items():
            if (url := page_urls.get(uri_of(entry_id))) is not None:
                found[url] = entry_record(entry, url)
    for slug, name in index.tag_names.items():
        if (url := page_urls.get(urls.tag(slug))) is not None:
            found[url] = Record(url, name, name)  # Pagefind leaves out a record with no text
    for uri, title in titles.items():
        if (url := page_urls.get(uri)) is not None and url not in found:
            found[url] = Record(url, title, title)
    for url, page in pages.items():
        found[url] = Record(url, "", html=page)
    return [found[url] for url in sorted(found)]


def shards(found: list[Record]) -> list[list[Record]]:
    """Split records into shards by a hash of their URL: a record stays in its shard while the
    number of shards holds, so a changed briefing changes one shard."""
    count = max(1, round(len(found) / SHARD_SIZE))
    split: list[list[Record]] = [[] for _ in range(count)]
    for record in sorted(found, key=lambda record: record.url):
        split[int(hashlib.sha256(record.url.encode()).hexdigest()[:8], 16) % count].append(record)
    return [shard for shard in split if shard]


def shard_digest(shard: list[Record], language: str) -> str:
    """The digest of a shard's records, with what else makes its files: Pagefind's version."""
    made = json.dumps([VERSION, language, _pagefind_version(), [record.plain() for record in shard]],
                      ensure_ascii=False)
    return hashlib.sha256(made.encode()).hexdigest()[:20]


@functools.cache
def _pagefind_version() -> str:
    return f"{metadata.version('pagefind')} {metadata.version('pagefind-bin')}"


def write(site_dir: Path, found: list[Record], language: str, config: Mapping[str, Any]) -> list[str]:
    """Write the search index of a site's records into site_dir: each shard not already there,
    then the list of shards (the stub Material's search box fetches, with Material's search
    config). Return the shards' folders, relative to the site."""
    folders, todo = [], []
    for shard in shards(found):
        folder = f"{FOLDER}/{shard_digest(shard, language)}/"
        folders.append(folder)
        if not _complete(site_dir / folder):
            todo.append((site_dir / folder, shard))
    if todo:
        asyncio.run(_index_all(todo, language))
    stub = {"config": {**config, "sitrep": {"shards": folders}}, "docs": []}
    (site_dir / STUB).parent.mkdir(parents=True, exist_ok=True)
    (site_dir / STUB).write_text(json.dumps(stub, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    _written[str(site_dir)] = {STUB, *(f"{folder}{name}" for folder in folders
                                       for name in _listing(site_dir / folder))}
    return folders


def written(site_dir: str) -> set[str]:
    """The files of the search index that the last build into site_dir wrote or kept there."""
    return _written.get(str(Path(site_dir)), set())


def _listing(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


def _complete(folder: Path) -> bool:
    """Whether a shard's folder (of an earlier build, in a spare site) holds a whole index: the
    entry file is written last (see _index)."""
    return (folder / "pagefind-entry.json").is_file()


async def _index_all(todo: list[tuple[Path, list[Record]]], language: str) -> None:
    service = await _Service().launch()
    try:
        for folder, shard in todo:
            await _index(service, folder, shard, language)
    finally:
        await service.close()


async def _index(service: PagefindService, folder: Path, shard: list[Record], language: str) -> None:
    """Index one shard into its folder: its records, in order, then its files, of which only
    those the worker loads are kept; the entry file last, which marks the folder whole."""
    config = IndexConfig(force_language=language, root_selector="article",
                         exclude_selectors=[".headerlink", ".md-source-file", "nav"])
    index = await service.create_index(config)
    adding = []
    for record in shard:
        if record.html is not None:
            adding.append(index.add_html_file(content=record.html, url=record.url))
        else:
            adding.append(index.add_custom_record(url=record.url, content=record.text, language=language,
                                                  meta={"title": record.title, **dict(record.meta)}))
    await asyncio.gather(*adding)
    scratch = folder.with_name(f".{folder.name}.tmp")
    shutil.rmtree(scratch, ignore_errors=True)
    await index.write_files(output_path=str(scratch))
    await index.delete_index()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name in _listing(scratch):
        if _KEPT.fullmatch(name) and name != "pagefind-entry.json":
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(scratch / name, folder / name)
    os.replace(scratch / "pagefind-entry.json", folder / "pagefind-entry.json")
    shutil.rmtree(scratch, ignore_errors=True)


class _Service(PagefindService):
    """Pagefind's service, whose replies are read as they come. The library's own loop sleeps
    0.1 s before reading each reply, so that 10,000 records would take 1,000 s to add."""

    async def _wait_for_responses(self) -> None:
        assert self._backend.stdout is not None
        while True:
            output = await self._backend.stdout.readuntil(b",")
            reply = json.loads(base64.b64decode(output[:-1]))
            if not isinstance(reply, dict):
                continue
            message = reply.get("message_id")
            if message is None and (original := reply.get("payload", {}).get("original_message")):
                message = json.loads(original).get("message_id")
            future = self._responses.pop(message, None) if message is not None else None
            if future is None or future.done():
                continue
            payload = reply["payload"]
            if payload.get("type") == "Error":
                future.set_exception(RuntimeError(f"Pagefind: {payload.get('message')}"))
            else:
                future.set_result(payload)



EXTRA = "sitrep_search"  # config.extra: the worker's path while sitrep's search is on (the theme's overrides)
LIST_TITLES = {urls.HOME: "", urls.BRIEFINGS: "Briefings", urls.ACTORS: "Actors", urls.REGIONS: "Regions",
               urls.TIMELINE: "Timeline", urls.JUDGMENTS: "Judgments", urls.TAGS: "Tags"}


def take_over(config: Any) -> dict[str, Any] | None:
    """Put sitrep's search in the place of Material's search plugin, if the site has it on
    (mkdocs.yml's `plugins: [search]`, or no `plugins` at all): the plugin is turned off, so
    that it reads no page, and the theme's overrides show its search box with our worker.
    Return the plugin's search config (language, separator), which the box still reads; None
    if search is off."""
    plugin = config.plugins.get("material/search")
    if plugin is None or not type(plugin).__module__.startswith("material."):
        return None
    if missing := compat.missing_search_options(plugin):  # Material's own search stays
        compat.say_once("sitrep's search", tuple(missing), "Material's own search plugin runs")
        return None
    if plugin.config.enabled:
        plugin.config.enabled = False
        config.extra[EXTRA] = WORKER
    if config.extra.get(EXTRA) != WORKER:
        return None
    return {key: plugin.config[key] for key in compat.SEARCH_OPTIONS}
