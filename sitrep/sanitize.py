"""Sanitise what authors write as Markdown (briefing bodies, registry descriptions).

Templates wrap each such part between two HTML comments; once MkDocs has turned the page into
HTML, everything between them goes through nh3 (the Rust ammonia sanitiser) with the
allow-list below. Front-matter fields never need this: templates escape them.
"""

from __future__ import annotations

import nh3

START = "<!-- sitrep:untrusted -->"
END = "<!-- /sitrep:untrusted -->"

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
    text = text.replace("sitrep:untrusted", "sitrep-untrusted")
    return f"\n\n{START}\n\n{text}\n\n{END}\n\n"
