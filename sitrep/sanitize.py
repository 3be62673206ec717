"""Sanitise what authors write as Markdown (briefing bodies, registry descriptions).

Templates wrap each such part between two HTML comments; once MkDocs has turned the page into
HTML, everything between them goes through nh3 (the Rust ammonia sanitiser) with the
allow-list below. Front-matter fields never need this: templates escape them.
"""

from __future__ import annotations

import html as html_text
import re
import secrets

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
_LATE = re.compile(rf"<!-- sitrep:late {_NONCE} (\d+) -->")
_INDEXED = re.compile(rf"<!-- sitrep:indexed {_NONCE} (\d+) -->")
_AFTER_LATE = re.compile(rf"<!-- sitrep:(?:late|indexed) {_NONCE} (\d+) -->")
_HEADING_ID = re.compile(r'<h([1-6])\b[^>]*\sid="([^"]*)"')
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|ul|ol|dl|dt|dd|tr|td|th|table|thead|tbody|blockquote|figure"
                        r"|figcaption|h[1-6])\b[^>]*>")  # between words: a space
_TAG = re.compile(r"<[^>]*>")  # inside words (a, strong, time): nothing
_SPACE = re.compile(r"\s+")
SEARCH_EXCLUDE = f' data-search-exclude="{_NONCE}"'
# A heading right before a late block, or before such a heading: its section holds nothing to
# search (Material's search plugin indexes even an empty section). Not h1: the page's title.
_HEADING_BEFORE_LATE = re.compile(
    rf"<(h[2-6])\b((?:(?!{SEARCH_EXCLUDE})[^>])*)>((?:(?!</h[1-6]>).)*</\1>)"
    rf"(?=\s*(?:{_LATE.pattern}|<h[2-6]\b[^>]*{SEARCH_EXCLUDE}))", re.DOTALL)

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
    for marker in ("sitrep:untrusted", "sitrep:html", "sitrep:late", "sitrep:indexed"):
        text = text.replace(marker, marker.replace(":", "-"))
    return f"\n\n{START}\n\n{text}\n\n{END}\n\n"


def html_block(html: str) -> str:
    """Mark HTML that a template built (escaped, trusted) to skip Markdown (see stash_html)."""
    return f"\n\n{HTML_START}\n{html}\n{HTML_END}\n\n"


def late_block(html: str) -> str:
    """Mark HTML that a template built, like html_block, to be put in the page only after the
    search plugin has read it: lists of other briefings, which would otherwise make every page
    a search result for the titles and summaries of its neighbours, and cost the parsing of
    tens of megabytes of HTML in a large site. A heading right before one is left out of
    search too (data-search-exclude, which Material's search plugin reads and removes)."""
    return f"\n\n{LATE_START}\n{html}\n{LATE_END}\n\n"


def indexed_block(html: str) -> str:
    """Mark HTML that a template built, like late_block, for a page part that search must
    find (a briefing's header, figures, sources): the search plugin does not read it (parsing
    its tags costs more than the page's body), sitrep adds its text to the entry of its
    section instead (see indexed_texts), and it is put in the page with the late blocks."""
    return f"\n\n{INDEXED_START}\n{html}\n{INDEXED_END}\n\n"


def indexed_texts(html: str, blocks: list[tuple[str, str]]) -> list[tuple[str | None, str]]:
    """Return, for each indexed block in a page's HTML (before restore_late), the id of the
    heading of its section (None for the page's first section, under its h1) and its text."""
    found = []
    for place in _INDEXED.finditer(html):
        number = int(place[1])
        if number >= len(blocks) or blocks[number][0] != "indexed":
            continue
        headings = list(_HEADING_ID.finditer(html, 0, place.start()))
        heading = headings[-1] if headings and headings[-1][1] != "1" else None
        text = html_text.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", blocks[number][1])))
        # escaped again, as the search plugin's own text is: its results are shown as HTML
        shown = html_text.escape(_SPACE.sub(" ", text).strip(), quote=False)
        found.append((heading[2] if heading else None, shown))
    return found


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
    """Put the stashed HTML blocks back in place of their placeholder paragraphs; a late block
    gets a comment instead, for restore_late, and the heading before it is left out of search."""
    if not blocks:
        return html

    def restore(found: re.Match[str]) -> str:
        number = int(found[1])
        if number >= len(blocks):
            return found[0]  # not one of ours
        kind, block = blocks[number]
        return block if kind == "html" else f"<!-- sitrep:{kind} {_NONCE} {number} -->"

    html = _PLACEHOLDER.sub(restore, html)
    if not any(kind == "late" for kind, _ in blocks):
        return html
    changed = 1
    while changed:  # each pass reaches one level up: a month's heading, then its year's
        html, changed = _HEADING_BEFORE_LATE.subn(
            lambda found: f"<{found[1]}{found[2]}{SEARCH_EXCLUDE}>{found[3]}", html)
    return html


def restore_late(html: str, blocks: list[tuple[str, str]]) -> str:
    """Put the late and indexed blocks into a page's final HTML, once the search plugin has
    read the page."""
    if not any(kind != "html" for kind, _ in blocks):
        return html

    def restore(found: re.Match[str]) -> str:
        number = int(found[1])
        late = number < len(blocks) and blocks[number][0] != "html"
        return blocks[number][1] if late else ""

    return _AFTER_LATE.sub(restore, html).replace(SEARCH_EXCLUDE, "")
