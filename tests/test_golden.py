"""Golden files: the Markdown sitrep generates for every page of the sample site.

A change to templates, index or rendering shows here as a diff to review. To accept one,
run `SITREP_UPDATE_GOLDEN=1 ./dev test tests/test_golden.py`, then read `git diff tests/golden`.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from markupsafe import Markup

from sitrep.render import SiteInfo
from sitrep.site import generate

from conftest import REPO

GOLDEN = Path(__file__).parent / "golden" / "sample"


def sample_pages() -> dict[str, str]:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text())
    intro = (REPO / "content" / "index.md").read_text(encoding="utf-8")
    site = SiteInfo(config["site_name"], config["site_description"], Markup(intro))
    generated = generate(REPO, site)
    assert [p for p in generated.problems if p.severity == "error"] == []
    return {page.uri: page.markdown for page in generated.pages}


def test_generated_markdown_matches_the_golden_files() -> None:
    """Every generated page equals its reviewed golden file, and no golden file is stale."""
    pages = sample_pages()
    if os.environ.get("SITREP_UPDATE_GOLDEN") == "1":
        for old in GOLDEN.rglob("*.md"):
            old.unlink()
        for uri, markdown in pages.items():
            (GOLDEN / uri).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / uri).write_text(markdown, encoding="utf-8")
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
              for p in GOLDEN.rglob("*.md")}
    assert sorted(golden) == sorted(pages), "pages added or removed: refresh and review"
    for uri, markdown in pages.items():
        assert markdown == golden[uri], f"{uri} differs from tests/golden/sample/{uri}"
