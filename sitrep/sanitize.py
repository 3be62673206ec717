"""Sanitise what authors write as Markdown (briefing bodies, registry descriptions).

Templates wrap each such part between two HTML comments; once MkDocs has turned the page into
HTML, everything between them goes through nh3 (the Rust ammonia sanitiser) with the
allow-list below. Front-matter fields never need this: templates escape them.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

import nh3

START = "<!-- sitrep:untrusted -->"
END = "<!-- /sitrep:untrusted -->"
HTML_START = "<!-- sitrep:html -->"
HTML_END = "<!-- /sitrep:html -->"
LATE_START = "<!-- sitrep:late -->"
LATE_END = "<!-- /sitrep:late -->"
INDEXED_START = "<!-- sitrep:indexed -->"
INDEXED_END = "<!-- /sitrep:indexed -->"
_HTML_BLOCK = re.compile(r"^<!-- sitrep:(html|late|indexed) -->\n(.*?)\n<!-- /sitrep:\1 -->$",
                         re.MULTILINE | re.DOTALL)
# What stands for a stashed block between Markdown and the final HTML carries a random word
# drawn once a process: author text cannot guess it, even written as entities that nh3 decodes.
_NONCE = secrets.token_hex(8).upper()  # digits and A-F; X below separates it from the number
_PLACEHOLDER_WORD = f"SITREPHTMLBLOCK{_NONCE}X"
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
    """Clean every marked fragment of a rendered page, and drop the markers."""
    return replace_marked(html, sanitize)


def replace_marked(text: str, replace: Callable[[str], str]) -> str:
    """Put `replace(fragment)` in place of each marked fragment of author text, markers and
    all. A fragment whose end marker went missing runs to the end of the text."""
    parts = []
    rest = text
    while START in rest:
        before, _, marked = rest.partition(START)
        fragment, found, rest = marked.partition(END)
        parts += [before, replace(fragment)]
        if not found:
            rest = ""
    return "".join([*parts, rest])


def mark(text: str) -> str:
    """Wrap author Markdown in the markers, neutralising any marker the text itself holds."""
    for marker in ("sitrep:untrusted", "sitrep:html", "sitrep:late", "sitrep:indexed"):
        text = text.replace(marker, marker.replace(":", "-"))
    return f"\n\n{START}\n\n{text}\n\n{END}\n\n"


def html_block(html: str) -> str:
    """Mark HTML that a template built (escaped, trusted) to skip Markdown (see stash_html)."""
    return f"\n\n{HTML_START}\n{html}\n{HTML_END}\n\n"


def late_block(html: str) -> str:
    """Mark HTML that a template built, as html_block does, for lists of other briefings (and
    charts). Search once read the pages, and these were put in only after it had: it no
    longer does (sitrep.search indexes the site's data), so every kind of block is put back
    alike; the kinds stay in the Markdown, which the golden files hold."""
    return f"\n\n{LATE_START}\n{html}\n{LATE_END}\n\n"


def indexed_block(html: str) -> str:
    """Mark HTML that a template built, as html_block does, for a briefing's parts (header,
    figures, sources): see late_block."""
    return f"\n\n{INDEXED_START}\n{html}\n{INDEXED_END}\n\n"


def stash_html(markdown: str) -> tuple[str, list[tuple[str, str]]]:
    """Take the marked HTML blocks out of a page's Markdown, leaving a placeholder paragraph.

    Python-Markdown would parse such HTML tag by tag only to pass it through unchanged, which
    costs more than the Markdown around it; `restore_html` puts it back after conversion.
    """
    blocks: list[tuple[str, str]] = []

    def stash(found: re.Match[str]) -> str:
        blocks.append((found[1], found[2]))
        return f"{_PLACEHOLDER_WORD}{len(blocks) - 1}Z"

    return _HTML_BLOCK.sub(stash, markdown), blocks


def restore_html(html: str, blocks: list[tuple[str, str]]) -> str:
    """Put the stashed HTML blocks back in place of their placeholder paragraphs."""
    if not blocks:
        return html

    def restore(found: re.Match[str]) -> str:
        number = int(found[1])
        return blocks[number][1] if number < len(blocks) else found[0]  # else: not one of ours

    return _PLACEHOLDER.sub(restore, html)
