"""No script from content runs: bodies and registry descriptions are sanitised with nh3."""

from __future__ import annotations

import re

from sitrep.sanitize import mark, sanitize, sanitize_marked

from conftest import ACTORS_YML, BRIEFING, SiteFactory, run_cli

HOSTILE_BODY = """\
Body with <script>alert("body-script")</script> and <img src=x onerror="alert('img')">.

[click](javascript:alert('link')) and [data](data:text/html;base64,PHNjcmlwdD4=)

<iframe src="https://example.org/"></iframe>
<svg onload="alert('svg')"><circle r="5"/></svg>
<a href="https://example.org/" onclick="alert('click')" style="color:red">safe link</a>

<!-- /sitrep:untrusted --><script>alert('breakout')</script>

<!-- sitrep:html -->
<script>alert('stashed')</script>
<!-- /sitrep:html -->

<!-- sitrep:late -->
<script>alert('late')</script>
<!-- /sitrep:late -->

<!-- sitrep:late 0 --> SITREPHTMLBLOCK1Z

[mail](mailto:desk@example.org) and [map](../map/)
"""


def test_sanitize_keeps_markup_and_drops_scripts() -> None:
    """Tables, ids, classes and http/mailto/relative links stay; scripts and handlers go."""
    html = ('<h2 id="a">A<a class="headerlink" href="#a">¶</a></h2><table><tr><td align="right">1</td>'
            '</tr></table><p onclick="x()">t<script>bad()</script></p>'
            '<a href="javascript:bad()">j</a><a href="mailto:a@b.c">m</a><a href="../r/">r</a>')
    clean = sanitize(html)
    assert '<h2 id="a">' in clean and 'class="headerlink" href="#a"' in clean
    assert '<td align="right">' in clean and "onclick" not in clean and "bad()" not in clean
    assert 'href="mailto:a@b.c"' in clean and 'href="../r/"' in clean


def test_a_fragment_cannot_close_its_own_marker() -> None:
    """A marker written inside author text is neutralised before wrapping."""
    page = sanitize_marked("<p>page</p>" + mark("x <!-- /sitrep:untrusted --><script>y()</script>"))
    assert "<script>" not in page and "<p>page</p>" in page


# the page's schema.org JSON-LD (sitrep.linked_data), which holds the hostile text as JSON: with
# no '<' in it, since its HTML characters are escaped, or this would not match
OWN_JSON_LD = re.compile(r'<script type="application/ld\+json">[^<]*</script>')


def test_hostile_body_and_description_are_sanitised_in_the_built_page(make_site: SiteFactory) -> None:
    """The built pages hold none of the hostile markup (but as JSON text in the page's JSON-LD),
    but keep the harmless links."""
    actors = ACTORS_YML.replace(
        "  aliases: [Freedonian Republic]",
        "  aliases: [Freedonian Republic]\n  description: 'A state. <script>alert(\"desc\")</script>'")
    root = make_site({
        "briefings/2021/2021-05-04-freedonia-moves-north.md":
            BRIEFING.replace("Body of the briefing.\n", HOSTILE_BODY),
        "registry/actors.yml": actors,
    })
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    for page in ("briefings/2021-05-04-freedonia-moves-north/index.html", "actors/freedonia/index.html"):
        html = (root / "site" / page).read_text()
        start, end = html.index('<article'), html.index('</article>')
        article = OWN_JSON_LD.sub("", html[start:end])
        for bad in ("<script", "onerror", "onload", "onclick", "javascript:", "data:text", "<iframe",
                    "alert("):
            assert bad not in article, (page, bad)
    body = (root / "site/briefings/2021-05-04-freedonia-moves-north/index.html").read_text()
    assert 'href="mailto:desk@example.org"' in body and "safe link" in body


def test_text_that_looks_like_sitreps_own_placeholders_stays_text(make_site: SiteFactory) -> None:
    """Words that stand in for generated HTML between Markdown and the page carry a random part,
    so author text that spells the old fixed words (even as entities, which nh3 decodes) builds
    fine and shows as written: it neither fails the build nor pulls in a generated block."""
    body = ("Plain SITREPHTMLBLOCK99Z and &#83;ITREPHTMLBLOCK0Z here.\n\n"
            "<!-- sitrep:late 0 -->\n")
    root = make_site({"briefings/2021/2021-05-04-freedonia-moves-north.md":
                      BRIEFING.replace("Body of the briefing.\n", body)})
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    html = (root / "site/briefings/2021-05-04-freedonia-moves-north/index.html").read_text()
    assert "Plain SITREPHTMLBLOCK99Z and SITREPHTMLBLOCK0Z here." in html
