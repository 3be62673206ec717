"""Search (sitrep/search.py): a sharded Pagefind index of the site's records, written again
only where records changed, the same bytes from the same records, and small first searches."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from sitrep import search, urls
from sitrep.index import build_index
from sitrep.site import check

from conftest import REPO
from sitecheck import search_records, tree_hashes

MB = 1024 * 1024
# A page that asks sitrep's search worker as Material's search box does: SETUP with
# search/search_index.json, then QUERY with the words of ?q=; the results land in a global.
BARE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>search</title></head><body><script>
const worker = new Worker("assets/sitrep/search-worker.js");
worker.onmessage = ({ data }) => {
  if (data.type === 1) worker.postMessage({ type: 2, data: new URL(location.href).searchParams.get("q") });
  if (data.type === 3) window.searchResults = data.data.items;
};
fetch("search/search_index.json").then((r) => r.json())
  .then(({ config, docs }) => worker.postMessage({ type: 0, data: { config, docs, options: {} } }));
</script></body></html>
"""


def records_of(count: int, words: str = "") -> list[search.Record]:
    return [search.Record(f"briefings/b-{n:03d}/", f"Briefing {n} {words}", f"text {n} of {words}")
            for n in range(count)]


def test_a_build_writes_again_only_the_shards_whose_records_changed(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """One changed record changes one shard, in a folder of a new name; the others' files are
    left as they were (a spare site keeps them); the site lists exactly the shards it holds."""
    monkeypatch.setattr(search, "SHARD_SIZE", 3)
    found = records_of(12, "zebra")
    first = search.write(tmp_path, found, "en", {"lang": ["en"]})
    assert len(first) == 4 and len(set(first)) == 4
    stamps = {path: path.stat().st_mtime_ns for path in tmp_path.rglob("*") if path.is_file()}
    found[5] = search.Record(found[5].url, "Briefing 5 retitled", found[5].text)
    second = search.write(tmp_path, found, "en", {"lang": ["en"]})
    assert len(set(first) - set(second)) == 1 and len(set(second) - set(first)) == 1
    kept = [folder for folder in second if folder in first]
    assert all(path.stat().st_mtime_ns == stamps[path] for folder in kept
               for path in (tmp_path / folder).rglob("*") if path.is_file())
    assert json.loads((tmp_path / search.STUB).read_text())["config"]["sitrep"]["shards"] == second
    assert search.written(str(tmp_path)) >= {f"{folder}pagefind.js" for folder in second}
    assert "Briefing 5 retitled" in {r["meta"]["title"] for r in search_records(tmp_path).values()}


def test_the_same_records_give_the_same_bytes(tmp_path: Path) -> None:
    """The index of a site is reproducible: the same records, in any order, write the same files."""
    found = records_of(40, "ceasefire talks")
    search.write(tmp_path / "one", found, "en", {"lang": ["en"]})
    search.write(tmp_path / "two", list(reversed(found)), "en", {"lang": ["en"]})
    assert tree_hashes(tmp_path / "one") == tree_hashes(tmp_path / "two")
    assert not [path for path in (tmp_path / "one").rglob("*ui*")], "Pagefind's own UIs are not kept"


def test_markdown_reads_as_plain_words() -> None:
    """A body's start is searched as a reader sees it: no tags, link targets or markup."""
    text = search.plain_text("## What happened\n\n**Troops** crossed [the river](https://x.example/a) "
                             "near <em>Sumy</em>.\n\n- one | two |")
    assert text.split() == ["What", "happened", "Troops", "crossed", "the", "river", "near", "Sumy.",
                            "one", "two"]


@pytest.mark.slow
def test_a_first_search_of_2000_briefings_fetches_under_2_mb(tmp_path: Path) -> None:
    """On the index of 2,000 briefings (benchmarks/corpus.py), each first search (an empty
    cache, in Chromium, driving the worker as Material's search box does) fetches at most
    2 MB in all, from the search's list to the results' fragments: counted from Playwright's
    network events (bodies and headers of every response)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from corpus import write_corpus

    root = write_corpus(tmp_path / "src", 2000, seed=5)
    checked = check(root, workers=2)
    index = build_index(checked.briefings, checked.registries)
    page_urls = {uri: urls.url_of(uri) for uri in
                 [*(urls.briefing(b.id) for b in index.pages), *(urls.actor(a) for a in index.actors),
                  *(urls.region(r) for r in index.regions), *(urls.tag(t) for t in index.tag_names)]}
    site = tmp_path / "site"
    shards = search.write(site, search.records(index, page_urls, {}, {}), "en", {"lang": ["en"]})
    assert len(shards) == 1  # about 2,000 records a shard
    (site / search.WORKER).parent.mkdir(parents=True)
    (site / search.WORKER).write_bytes((REPO / "templates" / "assets" / "search-worker.js").read_bytes())
    (site / "bare.html").write_text(BARE_PAGE)
    title = index.pages[123].title
    queries = ["forces", "ceasefire talks", "Actor 001", "Province 007", title]
    from test_browser import run_search, served

    with served(site) as base_url:
        report = run_search({"base": base_url, "bare": "/bare.html", "queries": queries})
    for query, found in report["queries"].items():
        fetched = sum(response["bytes"] for response in found["fetched"])
        assert fetched <= 2 * MB, (query, fetched)
        assert found["results"] and not found["scriptErrors"] and not found["offHost"], query
        assert all(response["status"] == 200 for response in found["fetched"]), query
    first = report["queries"][title]["results"][0]
    assert first["href"].endswith(f"/briefings/{index.pages[123].id}/"), first

