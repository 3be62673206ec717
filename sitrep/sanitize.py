"""Sanitise what authors write as Markdown (briefing bodies, registry descriptions).

Templates wrap each such part between two HTML comments; once MkDocs has turned the page into
HTML, everything between them goes through nh3 (the Rust ammonia sanitiser) with the
allow-list below. Front-matter fields never need this: templates escape them.
"""

from __future__ import annotations

import re

import nh3

START = "<!-- sitrep:untrusted -->"
END = "<!-- /sitrep:untrusted -->"
HTML_START = "<!-- sitrep:html -->"
HTML_END = "<!-- /sitrep:html -->"
_HTML_BLOCK = re.compile(rf"^{re.escape(HTML_START)}\n(.*?)\n{re.escape(HTML_END)}$",
                         re.MULTILINE | re.DOTALL)
_PLACEHOLDER_WORD = "SITREPHTMLBLOCK"
_PLACEHOLDER = re.compile(rf"<p>{_PLACEHOLDER_WORD}(\d+)Z</p>")

TAGS = nh3.ALLOWED_TAGS | {"time", "section"}
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "time": {"datetime"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "abbr": {"title"},
    "details": {"open"},
    "col": {"span"},
    "colgroup": {"span"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
}
URL_SCHEMES = {"http", "https", "mailto"}  # and relative URLs, which nh3 keeps


def sanitize(html: str) -> str:
    """Clean one fragment of author HTML: no script, no event handler, no other URL scheme."""
    return str(nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES))


def sanitize_marked(html: str) -> str:
    """Clean every marked fragment of a rendered page, and drop the markers.

    A fragment whose end marker went missing is cleaned to the end of the page.
    """
    parts = []
    rest = html
    while START in rest:
        before, _, marked = rest.partition(START)
        fragment, found, rest = marked.partition(END)
        parts += [before, sanitize(fragment)]
        if not found:
            rest = ""
    return "".join([*parts, rest])


def mark(text: str) -> str:
    """Wrap author Markdown in the markers, neutralising any marker the text itself holds."""
    text = text.replace("sitrep:untrusted", "sitrep-untrusted").replace("sitrep:html", "sitrep-html")
    text = text.replace(_PLACEHOLDER_WORD, _PLACEHOLDER_WORD.lower())
    return f"\n\n{START}\n\n{text}\n\n{END}\n\n"


def html_block(html: str) -> str:
    """Mark HTML that a template built (escaped, trusted) to skip Markdown (see stash_html)."""
    return f"\n\n{HTML_START}\n{html}\n{HTML_END}\n\n"


def stash_html(markdown: str) -> tuple[str, list[str]]:
    """Take the marked HTML blocks out of a page's Markdown, leaving a placeholder paragraph.

    Python-Markdown would parse such HTML tag by tag only to pass it through unchanged, which
    costs more than the Markdown around it; `restore_html` puts it back after conversion.
    """
    blocks: list[str] = []

    def stash(found: re.Match[str]) -> str:
        blocks.append(found[1])
        return f"{_PLACEHOLDER_WORD}{len(blocks) - 1}Z"

    return _HTML_BLOCK.sub(stash, markdown), blocks


def restore_html(html: str, blocks: list[str]) -> str:
    """Put the stashed HTML blocks back in place of their placeholder paragraphs."""
    if not blocks:
        return html
    return _PLACEHOLDER.sub(lambda found: blocks[int(found[1])], html)
