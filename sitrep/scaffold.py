"""Write a new briefing from templates/new_briefing.md.j2; never overwrite one."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import jinja2

from sitrep.frontmatter import Mark
from sitrep.load import BRIEFINGS_DIR, briefing_files, load_project
from sitrep.problems import Problem, error
from sitrep.registry import load_registries, resolve_reference
from sitrep.render import DEFAULT_TEMPLATES
from sitrep.urls import slugify

TEMPLATE = "new_briefing.md.j2"
MAX_SLUG = 60


@dataclass(frozen=True)
class Draft:
    """What `new` is asked to write."""

    title: str
    date: dt.date
    actors: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


def briefing_path(root: Path, title: str, date: dt.date, limit: int = MAX_SLUG) -> Path:
    """Return briefings/YYYY/YYYY-MM-DD-slug.md, the slug cut at a word under `limit` characters."""
    slug = slugify(title)
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return root / BRIEFINGS_DIR / f"{date.year}" / f"{date.isoformat()}-{slug or 'briefing'}.md"


def new_briefing(root: Path, draft: Draft) -> tuple[Path | None, list[Problem]]:
    """Resolve the references, then write the new briefing; return its path or the problems."""
    problems: list[Problem] = []
    registries, _ = load_registries(load_project(root, briefings=False))
    actors = [resolve_reference(registries.actors, "actor", ref, "--actor", Mark(0, 0), problems)
              for ref in draft.actors]
    regions: list[str | None] = []
    for ref in draft.regions:  # the places named before come first in suggestions
        regions.append(resolve_reference(registries.regions, "region", ref, "--region", Mark(0, 0),
                                         problems, [r for r in regions if r]))
    path = briefing_path(root, draft.title, draft.date)
    shown = path.relative_to(root).as_posix()
    existing = {p.stem: p for p in briefing_files(root)[0]}
    if path.stem in existing:
        there = existing[path.stem].relative_to(root).as_posix()
        problems.append(error(there, 1, 1, "duplicate-id",
                              f"a briefing with the id '{path.stem}' already exists ({there}); "
                              "not overwritten",
                              "choose another title or date"))
    if problems or not slugify(draft.title):
        if not slugify(draft.title):
            problems.append(error(shown, 0, 0, "invalid-title", "the title has no letters or digits",
                                  'give a title in words: new "Troops move north"'))
        return None, problems
    text = render_scaffold(root, TEMPLATE, title=draft.title, date=draft.date.isoformat(),
                           actors=actors, regions=regions, tags=list(draft.tags))
    return write_new(path, text), []


def write_new(path: Path, text: str) -> Path:
    """Write a new file; raise FileExistsError rather than overwrite one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return path


def render_scaffold(root: Path, template: str, **context: object) -> str:
    """Render a briefing scaffold: YAML values are quoted, nothing is escaped for HTML."""
    return _environment(root).get_template(template).render(**context)


def _environment(root: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(root / "templates"),
                                    jinja2.FileSystemLoader(DEFAULT_TEMPLATES)]),
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False,
        trim_blocks=True, lstrip_blocks=True)
    env.filters["yaml"] = lambda value: json.dumps(value, ensure_ascii=False)
    return env
