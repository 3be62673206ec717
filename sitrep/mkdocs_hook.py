"""The MkDocs hook: adds the generated pages in memory and fails the build on problems.

Name it in mkdocs.yml (`hooks: [sitrep/mkdocs_hook.py]`); `mkdocs build`, `mkdocs serve` and
`python build.py build|serve` then all give the same site. Nothing is written into content/.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel

from sitrep import urls
from sitrep.problems import Severity
from sitrep.render import SiteInfo
from sitrep.site import ProblemsFound, RunOptions, current_run_options, generate

log = logging.getLogger("mkdocs.plugins.sitrep")
NAV_PAGES = {urls.HOME, urls.BRIEFINGS, urls.ACTORS, urls.REGIONS, urls.TIMELINE, urls.TAGS}


def on_files(files: Files, config: Any) -> Files:
    """Generate every page of the site and add it to MkDocs' files."""
    options = current_run_options()
    cli = options is not None and options.raise_problems
    options = options or RunOptions()
    root = Path(config.config_file_path).resolve().parent
    intro = files.get_file_from_path(urls.HOME)
    site = SiteInfo(
        name=config.site_name,
        description=config.site_description or "",
        intro=Markup(intro.content_string) if intro else "",
    )
    generated = generate(root, site, drafts=options.drafts, timings=options.timings)
    errors = [p for p in generated.problems if p.severity is Severity.ERROR]
    options.problems[:] = generated.problems
    if cli and errors:
        raise ProblemsFound(generated.problems)
    for problem in [] if cli else generated.problems:
        (log.error if problem.severity is Severity.ERROR else log.warning)(problem.format())
    if errors:
        raise Abort(f"sitrep: {len(errors)} errors in the briefings; nothing was built")
    if intro:
        files.remove(intro)
    for page in generated.pages:
        inclusion = InclusionLevel.INCLUDED if page.uri in NAV_PAGES else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, page.uri, content=page.markdown, inclusion=inclusion))
    for briefing_id, source, target in generated.assets:
        files.append(File.generated(config, urls.briefing_asset(briefing_id, target),
                                    abs_src_path=str(root / source)))
    return files
