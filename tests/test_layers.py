"""The pipeline never imports the speed layer: speed is handed to it (sitrep.seam), and the
cycle collector is tuned around its stages by sitrep.site, not inside them."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

SITREP = REPO / "sitrep"
PIPELINE = {"frontmatter", "load", "schema", "model", "model_errors", "gazetteer", "registry",
            "validate", "problems", "index", "urls", "charts", "maps", "long_series", "feeds", "data",
            "sanitize", "seam", "render", "datapackage", "stix", "linked_data"}
SPEED = {"collector", "workers", "parallel_build", "page_cache", "check_cache", "render_keys",
         "pieces", "spare", "markdown_reuse", "generated_file", "progress"}
NOT_YET = {  # pipeline modules that still reach into the speed layer, and what for
    "mkdocs_hook": {"collector", "page_cache", "workers", "generated_file"},  # settle(); compiled
    # templates; spool folders; the file of a spooled page
}


def sitrep_imports(path: Path) -> set[str]:
    """The sitrep modules a file imports, at any level (inside functions too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "sitrep":
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sitrep."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("sitrep.")}
    return found


def test_the_pipeline_never_imports_the_speed_layer() -> None:
    reaching = {name: sorted(sitrep_imports(SITREP / f"{name}.py") & SPEED) for name in sorted(PIPELINE)}
    assert {name: found for name, found in reaching.items() if found} == {}


def test_the_known_exceptions_are_no_wider_than_listed() -> None:
    """The hook still imports parts of the speed layer (open work): no more than these."""
    for name, allowed in NOT_YET.items():
        assert sitrep_imports(SITREP / f"{name}.py") & SPEED <= allowed, name


def test_the_collector_is_tuned_only_by_the_drivers_and_the_speed_layer() -> None:
    """The pipeline's stages are paused around by sitrep.site; pages (the render workers), the
    builder (one build's collections) and the hook (what lives to the end) are the others."""
    users = sorted(p.stem for p in SITREP.glob("*.py") if "collector" in sitrep_imports(p))
    assert set(users) <= {"site", "pages", "builder", "mkdocs_hook", *SPEED}, users


def test_every_module_is_in_one_layer_or_named_as_outside_both() -> None:
    """A new module must be placed: the rule above cannot hold for a module no one listed."""
    outside = {"__init__", "article", "builder", "cli", "compat", "editor_schema", "importer", "pages",
               "preview", "report", "scaffold", "search", "site", "summary", "theme", "export",
               "mkdocs_hook"}
    modules = {p.stem for p in SITREP.glob("*.py")}
    assert modules == PIPELINE | SPEED | outside, sorted(modules ^ (PIPELINE | SPEED | outside))
