"""Tags read as words on the pages, whatever the slug their URL takes."""

from __future__ import annotations

import pytest

from sitrep.urls import slugify, tag_label

from conftest import BRIEFING, SiteFactory, run_cli


@pytest.mark.parametrize(("tag", "shown"), [
    ("troop-movements", "Troop movements"),
    ("sanctions", "Sanctions"),
    ("air_defence", "Air defence"),
    ("Foreign Forces", "Foreign Forces"),  # written as words: kept as written
    ("ICBM", "ICBM"),
    ("c++", "c++"),  # not a slug: kept
    ("2024-elections", "2024 elections"),
])
def test_a_tag_written_as_a_slug_reads_as_words(tag: str, shown: str) -> None:
    """A tag in slug form reads as words with a capital; any other spelling stays as written,
    and the label leads back to the same page."""
    assert tag_label(tag) == shown
    assert slugify(tag_label(tag)) == slugify(tag)


def test_pages_show_a_tag_s_label_not_its_slug(make_site: SiteFactory) -> None:
    """The briefing's tag line, the tag page's title and the list of tags show 'Troop
    movements'; the URL stays /tags/troop-movements/."""
    root = make_site()
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    site = root / "site"
    briefing = (site / "briefings/2021-05-04-freedonia-moves-north/index.html").read_text()
    assert 'href="../../tags/troop-movements/">Troop movements</a>' in briefing
    tag_page = (site / "tags/troop-movements/index.html").read_text()
    assert "<title>Tag: Troop movements" in tag_page
    assert ">Tag: Troop movements<" in tag_page
    assert ">Troop movements</a> (1)" in (site / "tags/index.html").read_text()
    assert "troop-movements" in BRIEFING
