"""Pages that show problems in the live preview, written without templates (they may be broken)."""

from __future__ import annotations

from collections.abc import Iterable

from sitrep import urls
from sitrep.problems import Problem, Severity, by_severity, tally
from sitrep.render import Page, markdown_text
from sitrep.site import Generated

PROBLEMS = "problems/index.md"


def problems_markdown(title: str, problems: Iterable[Problem], back: str | None = None) -> str:
    """List problems as Markdown, errors first, then warnings (each by file and line): where,
    the severity in words and colour (styled by the theme's problems.css), what, the hint."""
    listed = by_severity(problems)
    rows = [
        f"| `{markdown_text(p.path)}:{p.line}:{p.column}` | {_severity(p.severity)} | "
        f"{markdown_text(p.message)} | {markdown_text(p.hint) or '–'} | `{p.code}` |"
        for p in listed
    ]
    if any(p.severity is Severity.ERROR for p in listed):
        box = ["!!! failure \"The site has problems\"",
               "    The preview shows what could be built. Fix these and save: the page reloads."]
    else:
        box = ["!!! warning \"The site has warnings\"",
               "    The site builds, but these are usually slips. Fix them and save: the page reloads."]
    return "\n".join([
        "---", f'title: "{title}"', "---", "", f"# {title}", "", *box, "",
        f"{tally(listed)}:", "",
        "| Where | Severity | Problem | Hint | Code |", "|---|---|---|---|---|", *rows, "",
        f"[All problems]({back})" if back else "", "",
    ])


def _severity(severity: Severity) -> str:
    return f'<span class="sitrep-severity sitrep-severity--{severity}">{severity}</span>'


def problem_pages(generated: Generated, problems: list[Problem], rendered: set[str]) -> list[Page]:
    """Return the problems page, and a page at each broken briefing's URL with its problems."""
    pages = [Page(PROBLEMS, problems_markdown("Problems", problems))]
    by_id = {s.path: s.id for s in generated.checked.project.briefings}
    for path in sorted({p.path for p in problems if p.path in by_id}):
        uri = urls.briefing(by_id[path])
        if uri not in rendered:
            own = [p for p in problems if p.path == path]
            back = urls.relative(uri, PROBLEMS)
            pages.append(Page(uri, problems_markdown(f"Problems in {path}", own, back)))
    if urls.HOME not in rendered:
        pages.append(Page(urls.HOME, problems_markdown("Problems", problems, PROBLEMS)))
    return pages
