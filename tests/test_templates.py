"""Templates: strict variables, errors that name the template and line, escaped fields."""

from __future__ import annotations

from sitrep.render import markdown_text

from conftest import BRIEFING, SiteFactory, run_cli


def test_site_template_overrides_the_default(make_site: SiteFactory) -> None:
    """A template in the site's templates/ replaces sitrep's own."""
    root = make_site({"templates/pages/tags.md.j2": "---\ntitle: Tags\n---\n\n# Our own tags page\n"})
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Our own tags page" in (root / "site/tags/index.html").read_text()


def test_undefined_variable_names_the_template_and_line(make_site: SiteFactory) -> None:
    """A template using a variable that does not exist fails the build at its line."""
    root = make_site({"templates/pages/tags.md.j2": "---\ntitle: Tags\n---\n\n{{ no_such_thing }}\n"})
    result = run_cli(root, "build")
    assert result.returncode == 1
    assert result.stdout.startswith(
        "templates/pages/tags.md.j2:5:1: error: UndefinedError: 'no_such_thing' is undefined")
    assert "[template-error]" in result.stdout
    assert "Traceback" not in result.stderr
    assert not (root / "site").exists()


def test_template_syntax_error_names_the_template_and_line(make_site: SiteFactory) -> None:
    """A template with a syntax error is reported once, at its line, with no traceback."""
    root = make_site({"templates/pages/timeline.md.j2": "# Timeline\n\n{% for x in %}\n"})
    result = run_cli(root, "build")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("templates/pages/timeline.md.j2:3:1: error: ")
    assert "Traceback" not in result.stderr


def test_markdown_text_escapes_markup_and_markdown() -> None:
    """Field values cannot open HTML tags, links, emphasis or attribute lists."""
    escaped = str(markdown_text("<b>x</b> [a](javascript:alert(1)) *y* {: onclick=z } &"))
    assert "<b>" not in escaped and "&lt;b&gt;" in escaped
    assert "\\[a\\]\\(javascript:alert\\(1\\)\\)" in escaped
    assert "\\*y\\*" in escaped and "\\{: onclick=z \\}" in escaped and "&amp;" in escaped


def test_front_matter_fields_are_shown_as_text_in_the_page(make_site: SiteFactory) -> None:
    """Markup in a title and a summary appears as literal text, not as HTML or a link."""
    hostile = BRIEFING.replace(
        "title: Freedonia moves troops north",
        "title: \"<img src=x onerror=alert(1)> [click](javascript:alert(2)) {: onclick=x }\"",
    ).replace("summary: Freedonia has moved troops toward the Sylvanian border.",
              "summary: \"**bold** <script>alert(3)</script>\"")
    root = make_site({"briefings/2021/2021-05-04-freedonia-moves-north.md": hostile})
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    page = (root / "site/briefings/2021-05-04-freedonia-moves-north/index.html").read_text()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "</title><img" not in page  # the theme prints the page title raw in <title>
    assert 'href="javascript:' not in page
    assert "<script>alert(3)" not in page and "**bold**" in page
    assert 'onclick="x"' not in page


def test_a_role_that_ended_by_the_newest_briefing_is_marked_former(make_site: SiteFactory) -> None:
    """A person whose role ended before the archive's newest briefing reads 'Former ...' on
    their page's first line and '(former)' in the roles table; a role with no end, or one that
    ends after the newest briefing, reads as current."""
    actors = """\
freedonia: {name: Freedonia, kind: state}
sylvania: {name: Sylvania, kind: state}
rufus-firefly:
  name: Rufus T. Firefly
  kind: person
  aliases: [Firefly]
  roles: [{title: Leader of Freedonia, start: 1933-11-17}]
ambassador-trentino:
  name: Ambassador Trentino
  kind: person
  roles:
    - {title: Envoy to Freedonia, start: 2019-01-01, end: 2020-06-30}
    - {title: Envoy to Sylvania, start: 2020-07-01, end: 2021-12-31}
"""
    briefing = BRIEFING.replace("actors: [freedonia, Sylvania, Firefly]",
                                "actors: [freedonia, Sylvania, Firefly, ambassador-trentino]")
    root = make_site({"registry/actors.yml": actors,
                      "briefings/2021/2021-05-04-freedonia-moves-north.md": briefing})
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    envoy = (root / "site/actors/ambassador-trentino/index.html").read_text()
    assert "Person · Envoy to Sylvania ·" in envoy  # ends after 4 May 2021, the newest briefing
    assert "<td>Envoy to Freedonia (former)</td>" in envoy
    assert "<td>Envoy to Sylvania</td>" in envoy
    leader = (root / "site/actors/rufus-firefly/index.html").read_text()
    assert "Person · Leader of Freedonia ·" in leader and "former" not in leader.lower()
