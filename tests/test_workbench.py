"""`new` and `schema`: the scaffold of a briefing and the JSON Schema for editors."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import REPO, SiteFactory, run_cli


def test_new_writes_a_scaffold_that_check_explains(make_site: SiteFactory) -> None:
    """`new` resolves the references, writes the file, and `check` names what is left."""
    root = make_site()
    result = run_cli(root, "new", "Sylvania closes the border", "--date", "2021-06-01",
                     "--actor", "Sylvania", "--actor", "Firefly", "--region", "Upper Freedonia",
                     "--tag", "borders")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "briefings/2021/2021-06-01-sylvania-closes-the-border.md"
    data = yaml.safe_load((root / result.stdout.strip()).read_text().split("---\n")[1])
    assert data["actors"] == ["sylvania", "rufus-firefly"]
    assert data["regions"] == ["north-freedonia"]
    assert data["tags"] == ["borders"]
    check = run_cli(root, "check")
    assert check.returncode == 1
    assert [line.rsplit(" ", 1)[-1] for line in check.stdout.splitlines()] == [
        "[invalid-length]", "[empty-list]"]
    assert "'summary' is empty" in check.stdout and "'sources' needs at least one" in check.stdout


def test_new_rejects_unknown_references_with_hints(make_site: SiteFactory) -> None:
    """An unknown --actor is refused at once with a 'did you mean', and nothing is written."""
    root = make_site()
    result = run_cli(root, "new", "Anything", "--actor", "Sylvanai")
    assert result.returncode == 1
    assert "Error: unknown actor 'Sylvanai' (did you mean 'sylvania'?)" in result.stderr
    assert sorted(p.name for p in (root / "briefings").rglob("*.md")) == [
        "2021-05-04-freedonia-moves-north.md"]


def test_new_never_overwrites(make_site: SiteFactory) -> None:
    """`new` with the title and date of an existing briefing fails and keeps the file."""
    root = make_site()
    path = root / "briefings/2021/2021-05-04-freedonia-moves-north.md"
    before = path.read_text()
    result = run_cli(root, "new", "Freedonia moves north", "--date", "2021-05-04")
    assert result.returncode == 1 and "already exists" in result.stderr
    assert path.read_text() == before


@pytest.mark.parametrize("kind", ["briefing", "actors", "regions", "metrics"])
def test_schema_is_valid_json_schema_2020_12(kind: str, make_site: SiteFactory) -> None:
    """`schema KIND` prints a valid 2020-12 JSON Schema."""
    result = run_cli(make_site(), "schema", kind)
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def _yaml_as_json(text: str) -> object:
    return json.loads(json.dumps(yaml.safe_load(text), default=str))


def test_sample_validates_against_the_emitted_schema(make_site: SiteFactory) -> None:
    """Every sample briefing and both sample registries pass the schema `schema` prints."""
    root = make_site()
    schemas = {k: json.loads(run_cli(root, "schema", k).stdout)
               for k in ("briefing", "actors", "regions")}
    checker = jsonschema.FormatChecker()
    for path in sorted((REPO / "briefings").rglob("*.md")):
        data = _yaml_as_json(path.read_text().split("---\n")[1])
        errors = list(jsonschema.Draft202012Validator(schemas["briefing"], format_checker=checker)
                      .iter_errors(data))
        assert errors == [], f"{path}: {errors[0].message if errors else ''}"
    for kind in ("actors", "regions"):
        data = _yaml_as_json((REPO / "registry" / f"{kind}.yml").read_text())
        assert list(jsonschema.Draft202012Validator(schemas[kind]).iter_errors(data)) == []


def test_schema_rejects_what_check_rejects(make_site: SiteFactory) -> None:
    """The schema catches an unknown field and a bad qualifier, as the validator does."""
    schema = json.loads(run_cli(make_site(), "schema").stdout)
    bad = {"title": "x", "date": "2021-01-01", "summary": "x", "actors": ["a"], "regions": ["b"],
           "sources": [{"title": "t"}], "sumary": "x", "figures": [{"metric": "m", "qualifier": "max"}]}
    messages = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(bad)]
    assert any("sumary" in m for m in messages) and any("'max'" in m for m in messages)


def test_help_lists_every_command(tmp_path: Path) -> None:
    """`build.py --help` lists check, build, serve, new, import and schema."""
    result = run_cli(tmp_path, "--help")
    for command in ("check", "build", "serve", "new", "import", "schema"):
        assert f"  {command} " in result.stdout


def test_pre_commit_hook_runs_the_sitrep_command(make_site: SiteFactory) -> None:
    """The hook's entry (`sitrep check`) exists and checks the files pre-commit passes it."""
    import subprocess
    import sys

    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "sitrep-check" and hook["pass_filenames"] is True
    executable = Path(sys.executable).parent / hook["entry"].split()[0]
    root = make_site({"briefings/2021/2021-05-07-bad.md": "---\ntitle: Bad\n---\n"})
    result = subprocess.run([str(executable), *hook["entry"].split()[1:],
                             "briefings/2021/2021-05-07-bad.md"], cwd=root, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 1
    assert result.stdout.startswith("briefings/2021/2021-05-07-bad.md:")
    import re
    assert re.match(hook["files"], "briefings/2021/2021-05-07-bad.md")
    assert re.match(hook["files"], "registry/actors.yml")


def test_example_workflow_runs_commands_that_exist() -> None:
    """The example GitHub workflow checks and builds with commands `build.py` has."""
    workflow = yaml.safe_load((REPO / ".github/workflows/site.yml").read_text())
    runs = [step.get("run", "") for step in workflow["jobs"]["build"]["steps"]]
    assert "python build.py check" in runs
    assert "python build.py build --out site" in runs
