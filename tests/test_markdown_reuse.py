"""Pages converted by one reused Python-Markdown instance come out as with a new one each."""

from __future__ import annotations

import markdown
import mkdocs.structure.pages

from sitrep import markdown_reuse

EXTENSIONS = ["abbr", "admonition", "attr_list", "footnotes", "md_in_html", "tables", "toc",
              "pymdownx.details", "pymdownx.superfences"]
CONFIGS = {"toc": {"permalink": True}}
# state that would leak if reset() missed it: abbreviations, footnotes, heading ids, stashed HTML
PAGES = [
    "# Zorblan report\n\nThe QXF met[^1].\n\n*[QXF]: Quux Forum\n\n[^1]: A note.\n\n<div>kept</div>\n",
    "# Other page\n\nThe QXF is not defined here.\n\n## Zorblan report\n\n??? note \"More\"\n    Hidden.\n",
    "# Zorblan report\n\nAgain[^a], with a fence:\n\n```\ncode\n```\n\n[^a]: Another note.\n",
]


def _converted(make: object) -> list[tuple[str, object]]:
    out = []
    for text in PAGES:
        md = make(extensions=EXTENSIONS, extension_configs=CONFIGS)  # type: ignore[operator]
        out.append((md.convert(text), md.toc_tokens))
    return out


def test_a_reused_instance_converts_every_page_as_a_new_one_would() -> None:
    """Abbreviations, footnotes, heading ids and HTML of one page never reach the next."""
    standin = markdown_reuse._ReusingMarkdown()
    first = standin.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
    assert standin.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS) is first  # reused
    reused = _converted(standin.Markdown)
    fresh = _converted(markdown.Markdown)
    assert reused == fresh
    assert "<abbr" not in reused[1][0] and 'id="zorblan-report"' in reused[1][0]


def test_an_extension_from_elsewhere_gets_a_new_instance_each_page() -> None:
    """An extension that may keep state outside reset() is never shared between pages."""
    standin = markdown_reuse._ReusingMarkdown()
    other = [*EXTENSIONS, "test_markdown_reuse:Noop"]
    assert standin.Markdown(extensions=other) is not standin.Markdown(extensions=other)
    assert not markdown_reuse.trusted("mdx_elsewhere.extension")
    assert markdown_reuse.trusted("toc") and markdown_reuse.trusted("pymdownx.details")


def test_builds_install_the_stand_in_for_mkdocs() -> None:
    """MkDocs' Page.render reaches markdown.Markdown through the stand-in once installed."""
    markdown_reuse.install()
    assert isinstance(mkdocs.structure.pages.markdown, markdown_reuse._ReusingMarkdown)
    assert mkdocs.structure.pages.markdown.treeprocessors is markdown.treeprocessors


class Noop(markdown.extensions.Extension):
    """An extension from outside Python-Markdown and PyMdown Extensions."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.registerExtension(self)
