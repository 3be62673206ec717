"""Every command, option and schema field explains itself; the format reference lists every code."""

from __future__ import annotations

import re

import click
import pytest
from pydantic import BaseModel

from sitrep import schema
from sitrep.cli import main

from conftest import REPO

MODELS = [m for m in vars(schema).values()
          if isinstance(m, type) and issubclass(m, BaseModel) and m.__name__.endswith("Fields")]


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_and_option_has_help(name: str) -> None:
    """`build.py <command> --help` describes the command and each of its options."""
    command = main.commands[name]
    assert command.help, name
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts}"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_schema_field_has_a_description(model: type[BaseModel]) -> None:
    """Each field of the front matter and registries carries help text (for the JSON Schema)."""
    missing = [name for name, info in model.model_fields.items() if not info.description]
    assert missing == []


def test_reference_lists_every_problem_code() -> None:
    """Every problem code that the code can emit is explained on the site's format reference
    page (content/reference.md), which the README points to."""
    source = "\n".join(p.read_text() for p in (REPO / "sitrep").glob("*.py"))
    codes = set(re.findall(r'"((?:[a-z]+-)+[a-z]+)"', source))
    codes = {c for c in codes if re.search(
        r'(error|warning|fail|checker\.fail)\([^)]*"' + re.escape(c) + '"', source, re.S)}
    codes |= {"unknown-actor", "unknown-region", "ambiguous-actor", "ambiguous-region",
              "wrong-type", "invalid-value", "invalid-length", "empty-list", "invalid-date",
              "invalid-url", "missing-field", "unknown-field"}
    reference = (REPO / "content" / "reference.md").read_text()
    assert sorted(c for c in codes if f"`{c}`" not in reference) == []


def test_readme_is_short_and_points_at_the_docs_pages() -> None:
    """The README stays a user's page (under 250 lines); each docs page it names exists in
    content/ and in the site's navigation, and each image it shows exists."""
    readme = (REPO / "README.md").read_text()
    assert len(readme.splitlines()) < 250
    nav = (REPO / "mkdocs.yml").read_text()
    pages = re.findall(r"`content/([\w-]+\.md)`", readme)
    assert len(pages) >= 6
    assert [p for p in pages if not (REPO / "content" / p).is_file() or f"- {p}" not in nav] == []
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme)
    assert images and [i for i in images if not (REPO / i).is_file()] == []
