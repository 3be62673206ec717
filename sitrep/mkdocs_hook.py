"""The MkDocs hook: adds the generated pages in memory and fails the build on problems.

Name it in mkdocs.yml (`hooks: [sitrep/mkdocs_hook.py]`); `mkdocs build`, `mkdocs serve` and
`python build.py build|serve` then all give the same site. Nothing is written into content/.
Under `serve`, drafts are shown and problems do not stop the preview: every page carries a
banner, the problems page lists them, and a broken briefing's page shows its own problems.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel

from sitrep import urls
from sitrep.load import BRIEFINGS_DIR, REGISTRY_DIR
from sitrep.problems import Severity
from sitrep.render import SiteInfo
from sitrep.report import problem_pages
from sitrep.site import ProblemsFound, RunOptions, current_run_options, generate
from sitrep.theme import configure_theme, theme_files

log = logging.getLogger("mkdocs.plugins.sitrep")
NAV_PAGES = {urls.HOME, urls.BRIEFINGS, urls.ACTORS, urls.REGIONS, urls.TIMELINE, urls.TAGS}
_command = {"name": "build"}  # set by on_startup: "build", "gh-deploy" or "serve"


def on_startup(command: str, dirty: bool) -> None:
    """Remember whether MkDocs builds or serves."""
    _command["name"] = command


def on_config(config: Any) -> Any:
    """Watch the briefings, registries and templates in `serve`, even if mkdocs.yml does not."""
    root = Path(config.config_file_path).resolve().parent
    watched = {Path(p).resolve() for p in config.watch}
    for folder in (BRIEFINGS_DIR, REGISTRY_DIR, "templates"):
        if (root / folder).is_dir() and (root / folder) not in watched:
            config.watch.append(str(root / folder))
    configure_theme(config)
    return config


def on_files(files: Files, config: Any) -> Files:
    """Generate every page of the site and add it to MkDocs' files."""
    options = current_run_options()
    cli = options is not None and options.raise_problems
    serving = _command["name"] == "serve"
    options = options or RunOptions(drafts=serving)
    root = Path(config.config_file_path).resolve().parent
    intro = files.get_file_from_path(urls.HOME)
    site = SiteInfo(
        name=config.site_name,
        description=config.site_description or "",
        intro=Markup(intro.content_string) if intro else "",
        url=(config.site_url or "/").rstrip("/") + "/",
    )
    generated = generate(root, site, drafts=options.drafts or serving, timings=options.timings)
    errors = [p for p in generated.problems if p.severity is Severity.ERROR]
    options.problems[:] = generated.problems
    if cli and errors:
        raise ProblemsFound(generated.problems)
    for problem in [] if cli else generated.problems:
        (log.error if problem.severity is Severity.ERROR and not serving else log.warning)(
            problem.format())
    if errors and not serving:
        raise Abort(f"sitrep: {len(errors)} errors in the briefings; nothing was built")
    config.extra["sitrep_problems"] = len(errors)
    if intro:
        files.remove(intro)
    pages = generated.pages
    if errors:
        pages = [*pages, *problem_pages(generated, {p.uri for p in pages})]
    for page in pages:
        inclusion = InclusionLevel.INCLUDED if page.uri in NAV_PAGES else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, page.uri, content=page.markdown, inclusion=inclusion))
    for file in theme_files(config):
        files.append(file)
    for output in generated.outputs:
        files.append(File.generated(config, output.uri, content=output.text))
    for briefing_id, source, target in generated.assets:
        files.append(File.generated(config, urls.briefing_asset(briefing_id, target),
                                    abs_src_path=str(root / source)))
    return files
