"""`python build.py check`, run as a user runs it (spec §5): exit codes, text, JSON and CI output."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ACTORS_YML, BRIEFING, check, run_cli

PATH = "briefings/2021/2021-05-04-freedonia-moves-north.md"
OTHER = "briefings/2020/2020-12-01-sylvania-replies.md"
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning): "
                  r"(?P<message>.+?)(?: \((?P<hint>.+)\))? \[(?P<code>[a-z0-9-]+)\]$")
MIXED_SCALE = BRIEFING.replace(
    "    confidence: moderate",
    "    confidence: moderate\n  - text: Sylvania will protest.\n"
    "    likelihood: probable\n    confidence: low")


@pytest.fixture
def bad_site(make_site):
    """A site with two bad briefings: errors on lines 2, 4 and 5 of one, line 3 of the other."""
    return make_site({
        PATH: BRIEFING.replace("summary:", "sumary:").replace("Sylvania, Firefly]", "Sylvania, Fredonia]"),
        OTHER: BRIEFING.replace("date: 2021-05-04", "date: Nov 2"),
    })


def test_check_valid_site_exits_0_silently(make_site) -> None:
    """A clean site: exit 0, nothing on stdout, nothing on stderr."""
    result = run_cli(make_site(), "check")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_check_prints_problems_one_a_line_sorted_and_exits_1(bad_site) -> None:
    """Each problem is `path:line:col: error: message (hint) [code]`, sorted by path and line."""
    result = run_cli(bad_site, "check")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == [
        f"{OTHER}:3:7: error: 'date': expected a date like 2024-11-02, got 'Nov 2' [invalid-date]",
        f"{PATH}:2:1: error: missing required field 'summary' "
        "(add 'summary:': the bottom line up front, 1-600 characters) [missing-field]",
        f"{PATH}:4:1: error: unknown field 'sumary' (did you mean 'summary'?) [unknown-field]",
        f"{PATH}:5:31: error: unknown actor 'Fredonia' (did you mean 'freedonia'?) [unknown-actor]",
    ]
    keys = [(m["path"], int(m["line"]), int(m["column"])) for m in map(LINE.match, lines) if m]
    assert len(keys) == len(lines)
    assert keys == sorted(keys)
    assert "Traceback" not in result.stderr


def test_check_text_output_is_what_check_finds_in_process(bad_site) -> None:
    """The command prints exactly the problems of `sitrep.site.check`, formatted."""
    result = run_cli(bad_site, "check")
    assert result.stdout.splitlines() == [p.format() for p in check(bad_site).problems]


def test_check_format_json_lists_every_problem_with_its_seven_keys(bad_site) -> None:
    """`--format json` prints a JSON list of {path, line, column, severity, code, message, hint}."""
    result = run_cli(bad_site, "check", "--format", "json")
    assert result.returncode == 1
    problems = json.loads(result.stdout)
    assert isinstance(problems, list)
    assert [set(p) for p in problems] == [
        {"path", "line", "column", "severity", "code", "message", "hint"}] * 4
    assert [(p["path"], p["line"], p["column"], p["code"]) for p in problems] == [
        (OTHER, 3, 7, "invalid-date"),
        (PATH, 2, 1, "missing-field"),
        (PATH, 4, 1, "unknown-field"),
        (PATH, 5, 31, "unknown-actor"),
    ]
    assert problems[2]["severity"] == "error"
    assert problems[2]["hint"] == "did you mean 'summary'?"
    assert problems[0]["hint"] == ""


def test_check_format_json_of_a_valid_site_is_an_empty_list(make_site) -> None:
    """A clean site in JSON is `[]`, exit 0."""
    result = run_cli(make_site(), "check", "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == []


def test_check_under_github_actions_adds_annotations(bad_site) -> None:
    """With GITHUB_ACTIONS=true every problem is also a `::error file=...,line=...,col=...` annotation."""
    result = run_cli(bad_site, "check", env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert [line.split("::")[1] for line in annotations] == [
        f"error file={OTHER},line=3,col=7,title=invalid-date",
        f"error file={PATH},line=2,col=1,title=missing-field",
        f"error file={PATH},line=4,col=1,title=unknown-field",
        f"error file={PATH},line=5,col=31,title=unknown-actor",
    ]
    assert annotations[2].endswith("::unknown field 'sumary' (did you mean 'summary'?)")
    plain = [line for line in result.stdout.splitlines() if not line.startswith("::")]
    assert plain == [p.format() for p in check(bad_site).problems]


def test_check_without_github_actions_has_no_annotations(bad_site) -> None:
    """Outside GitHub Actions nothing starts with '::'."""
    result = run_cli(bad_site, "check")
    assert not any(line.startswith("::") for line in result.stdout.splitlines())


def test_check_format_json_stays_valid_json_under_github_actions(bad_site) -> None:
    """`--format json` on a CI runner still prints parseable JSON on stdout; the annotations go elsewhere."""
    result = run_cli(bad_site, "check", "--format", "json", env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert len(json.loads(result.stdout)) == 4
    assert f"::error file={PATH},line=4,col=1" in result.stderr


def test_check_warning_alone_exits_0_and_strict_makes_it_1(make_site) -> None:
    """A warning is printed as `warning:` and passes; `--strict` fails on it."""
    root = make_site({PATH: MIXED_SCALE})
    expected = (f"{PATH}:26:17: warning: the judgments mix the two rows of the ICD 203 scale "
                "(e.g. 'likely' and 'probable') (use the terms of one row throughout a briefing) "
                "[mixed-likelihood-scale]")
    relaxed = run_cli(root, "check")
    assert relaxed.returncode == 0
    assert relaxed.stdout.splitlines() == [expected]
    strict = run_cli(root, "check", "--strict")
    assert strict.returncode == 1
    assert strict.stdout.splitlines() == [expected]


def test_check_warning_is_a_warning_annotation(make_site) -> None:
    """Under GitHub Actions a warning becomes a `::warning` annotation, and still exits 0."""
    result = run_cli(make_site({PATH: MIXED_SCALE}), "check", env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 0
    assert f"::warning file={PATH},line=26,col=17,title=mixed-likelihood-scale::" in result.stdout


BAD_INPUTS = {
    "binary-briefing": {PATH: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
    "invalid-utf8": {PATH: BRIEFING.encode().replace(b"We are ready.", b"We are r\xffeady.")},
    "alias-bomb": {PATH: "---\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    ) + "---\n"},
    "nesting-200-deep": {PATH: BRIEFING.replace("tags: [troop-movements]",
                                                "tags: " + "[" * 200 + "]" * 200)},
    "python-tag-on-a-scalar": {PATH: BRIEFING.replace("title: Freedonia moves troops north",
                                                      "title: !!python/name:os.system ''")},
    "control-character": {PATH: BRIEFING.replace("Freedonia moves troops north", "Freedonia\x01moves")},
    "empty-front-matter": {PATH: "---\n---\n"},
    "registry-is-a-list": {"registry/actors.yml": "- freedonia\n- sylvania\n"},
    "registry-duplicate-key": {
        "registry/actors.yml": ACTORS_YML + "freedonia:\n  name: Again\n  kind: state\n"},
    "registry-parent-loop": {
        "registry/regions.yml": "a-land:\n  name: A Land\n  kind: area\n  parent: b-land\n"
                                "b-land:\n  name: B Land\n  kind: area\n  parent: a-land\n"},
}


@pytest.mark.parametrize("files", list(BAD_INPUTS.values()), ids=list(BAD_INPUTS))
def test_bad_input_gives_problem_lines_and_never_a_traceback(make_site, files: dict) -> None:
    """Hostile inputs end in problem lines and exit 1; stderr has only the summary, never a traceback."""
    result = run_cli(make_site(files), "check")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines
    assert all(LINE.match(line) for line in lines), result.stdout
    assert re.fullmatch(r"[1-9]\d* errors?, \d+ warnings? in \d+ files?\n", result.stderr), result.stderr


def test_check_without_mkdocs_yml_is_a_setup_error(make_site) -> None:
    """Outside a site (no mkdocs.yml) `check` exits 2 with one 'Error: ...' line."""
    root = make_site()
    (root / "mkdocs.yml").unlink()
    result = run_cli(root, "check")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert len(result.stderr.splitlines()) == 1
    assert "mkdocs.yml" in result.stderr


def test_check_without_briefings_folder_is_a_setup_error(make_site) -> None:
    """Without briefings/ `check` exits 2 with one 'Error: ...' line naming the folder."""
    root = make_site(briefing=False)
    result = run_cli(root, "check")
    assert result.returncode == 2
    assert result.stderr.startswith("Error: ")
    assert len(result.stderr.splitlines()) == 1
    assert "briefings/" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_paths_validates_only_those_files(make_site) -> None:
    """`check FILE` reports that file's problems, not those of other briefings."""
    root = make_site({
        "briefings/2021/2021-05-05-bad-a.md": "---\ntitle: A\n---\n",
        "briefings/2021/2021-05-06-bad-b.md": "---\ntitle: B\n---\n",
    })
    result = run_cli(root, "check", "briefings/2021/2021-05-05-bad-a.md")
    assert result.returncode == 1
    assert {line.split(":")[0] for line in result.stdout.splitlines()} == {
        "briefings/2021/2021-05-05-bad-a.md"}
    clean = run_cli(root, "check", "briefings/2021/2021-05-04-freedonia-moves-north.md")
    assert (clean.returncode, clean.stdout) == (0, "")


def test_check_paths_still_resolves_against_the_whole_tree(make_site) -> None:
    """A checked file may name, in `related`, a briefing that was not itself checked."""
    text = BRIEFING.replace("tags: [troop-movements]",
                            "tags: [troop-movements]\nrelated: [2021-05-04-freedonia-moves-north]").replace(
                                "date: 2021-05-04", "date: 2021-05-07")
    root = make_site({"briefings/2021/2021-05-07-follow-up.md": text})
    result = run_cli(root, "check", "briefings/2021/2021-05-07-follow-up.md")
    assert (result.returncode, result.stdout) == (0, "")


def test_check_path_outside_briefings_is_a_setup_error(make_site) -> None:
    """A path that is not a briefing is refused with exit 2."""
    root = make_site()
    result = run_cli(root, "check", "mkdocs.yml")
    assert result.returncode == 2 and result.stderr.startswith("Error: ")


def test_check_without_the_hook_in_mkdocs_yml_is_a_setup_error(make_site) -> None:
    """`check` refuses a mkdocs.yml that does not name the sitrep hook, as `build` does."""
    root = make_site({"mkdocs.yml": "site_name: Fenwick Watch\ndocs_dir: content\n"})
    result = run_cli(root, "check")
    assert result.returncode == 2
    assert result.stderr.startswith("Error: ") and "sitrep hook" in result.stderr


def test_check_paths_skips_ignored_files_and_expands_folders(make_site) -> None:
    """As a pre-commit hook sees them: a `_drafts/` file is skipped, a folder means its briefings."""
    root = make_site({"briefings/_drafts/2021-05-09-idea.md": "not even front matter",
                      "briefings/2021/2021-05-05-bad.md": "---\ntitle: Bad\n---\n"})
    skipped = run_cli(root, "check", "briefings/_drafts/2021-05-09-idea.md")
    assert (skipped.returncode, skipped.stdout) == (0, "")
    folder = run_cli(root, "check", "briefings/2021")
    assert folder.returncode == 1
    assert {line.split(":")[0] for line in folder.stdout.splitlines()} == {
        "briefings/2021/2021-05-05-bad.md"}


@pytest.mark.parametrize("config", [
    pytest.param("site_name: [unclosed\n", id="yaml-syntax"),
    pytest.param("site_name: x\ntheme: {name: no-such-theme}\n", id="unknown-theme"),
    pytest.param("site_name: x\nsite_url: !!python/object:os.system x\n", id="python-tag"),
])
def test_broken_mkdocs_yml_is_one_error_line(make_site, config: str) -> None:
    """Any broken mkdocs.yml gives exit 2 and an `Error:` line, never a traceback."""
    root = make_site({"mkdocs.yml": config})
    for command in ("check", "build"):
        result = run_cli(root, command)
        assert result.returncode == 2, (command, result.stderr)
        assert "Traceback" not in result.stderr and "Error: mkdocs.yml" in result.stderr


@pytest.mark.parametrize("kind", ["pipe", "broken-link"])
def test_briefing_that_cannot_be_read_is_a_setup_error(make_site, kind: str) -> None:
    """A .md that is a named pipe or a broken link stops `check` with exit 2 and one line
    (reading a pipe would hang forever; a broken link has nothing to read)."""
    import os

    root = make_site()
    path = root / "briefings/2021/2021-05-09-unreadable.md"
    if kind == "pipe":
        os.mkfifo(path)
    else:
        path.symlink_to(root / "briefings/2021/no-such-file.md")
    result = run_cli(root, "check")
    assert result.returncode == 2
    assert result.stderr.startswith(
        "Error: cannot read briefings/2021/2021-05-09-unreadable.md: it is not a regular file")
    assert "Traceback" not in result.stderr


def test_huge_body_line_is_checked_without_trouble(make_site) -> None:
    """A body line of five million characters is read and checked like any other."""
    from conftest import BRIEFING

    text = BRIEFING.replace("Body of the briefing.", "word " * 1_000_000)
    root = make_site({"briefings/2021/2021-05-04-freedonia-moves-north.md": text})
    result = run_cli(root, "check")
    assert (result.returncode, result.stdout) == (0, "")


def test_missing_template_is_a_problem_naming_it(make_site) -> None:
    """A site template that includes a template that does not exist fails the build with
    the missing name, and leaves no site."""
    root = make_site({"templates/pages/tags.md.j2": '{% include "partials/no-such.md.j2" %}\n'})
    result = run_cli(root, "build")
    assert result.returncode == 1
    assert "template-error" in result.stdout and "no-such.md.j2" in result.stdout
    assert "Traceback" not in result.stderr and not (root / "site").exists()


def test_check_ends_with_a_count_in_words(make_site) -> None:
    """`check` ends its stderr with one line counting errors, warnings and files in words."""
    briefing = BRIEFING.replace("    url: https://example.org/statement\n", "")
    result = run_cli(make_site({"briefings/2021/2021-05-04-freedonia-moves-north.md": briefing}),
                     "check")
    assert result.returncode == 0, result.stdout
    assert result.stderr == "0 errors, 1 warning in 1 file\n"
