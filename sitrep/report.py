"""Pages that show problems in the live preview, written without templates (they may be broken)."""

from __future__ import annotations

from collections.abc import Iterable

from sitrep import urls
from sitrep.problems import Problem
from sitrep.render import Page, markdown_text
from sitrep.site import Generated

PROBLEMS = "problems/index.md"


def problems_markdown(title: str, problems: Iterable[Problem], back: str | None = None) -> str:
    """List problems as Markdown: where, what, and the hint."""
    rows = [
        f"| `{markdown_text(p.path)}:{p.line}:{p.column}` | {p.severity} | "
        f"{markdown_text(p.message)} | {markdown_text(p.hint) or '–'} | `{p.code}` |"
        for p in problems
    ]
    return "\n".join([
        "---", f'title: "{title}"', "---", "", f"# {title}", "",
        "!!! failure \"The site has problems\"",
        "    The preview shows what could be built. Fix these and save: the page reloads.",
        "", "| Where | Severity | Problem | Hint | Code |", "|---|---|---|---|---|", *rows, "",
        f"[All problems]({back})" if back else "", "",
    ])


def problem_pages(generated: Generated, rendered: set[str]) -> list[Page]:
    """Return the problems page, and a page at each broken briefing's URL with its problems."""
    pages = [Page(PROBLEMS, problems_markdown("Problems", generated.problems))]
    by_id = {s.path: s.id for s in generated.checked.project.briefings}
    for path in sorted({p.path for p in generated.problems if p.path in by_id}):
        uri = urls.briefing(by_id[path])
        if uri not in rendered:
            own = [p for p in generated.problems if p.path == path]
            back = urls.relative(uri, PROBLEMS)
            pages.append(Page(uri, problems_markdown(f"Problems in {path}", own, back)))
    if urls.HOME not in rendered:
        pages.append(Page(urls.HOME, problems_markdown("Problems", generated.problems, PROBLEMS)))
    return pages
