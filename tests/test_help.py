"""Help that shows the way: examples on every command, a command list not cut short, ./dev help."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from sitrep.cli import Command, main

from conftest import REPO, run_cli


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_help_ends_with_examples_that_parse(name: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """`build.py NAME --help` shows one or two examples, each a line the command accepts."""
    result = run_cli(tmp_path, name, "--help")
    assert result.returncode == 0, result.stderr
    assert "\nExamples:\n" in result.stdout
    shown = re.findall(rf"^    (build\.py {name}\b.*)$", result.stdout, re.M)
    command = main.commands[name]
    assert isinstance(command, Command)
    assert 1 <= len(shown) == len(command.examples) <= 3
    monkeypatch.chdir(tmp_path)
    (tmp_path / "article.txt").write_text("2 March 2021\nA headline\n")  # the import examples' file
    for line in shown:
        words = shlex.split(line.split(" < ")[0].split(" > ")[0])[2:]
        command.make_context(name, words)  # an unknown option or a bad value raises here


def test_the_command_list_shows_each_summary_whole(tmp_path: Path) -> None:
    """`build.py --help` lists every command with its whole one-line summary, not cut with '...'."""
    result = run_cli(tmp_path, "--help")
    assert result.returncode == 0
    for name, command in main.commands.items():
        assert command.short_help
        assert re.search(rf"^  {name}\s+{re.escape(command.short_help)}$", result.stdout, re.M), name
    assert "..." not in result.stdout.split("\nCommands:\n")[1]


@pytest.mark.parametrize("word", ["help", "--help", "-h"])
def test_dev_help_prints_usage_with_every_command_and_exits_0(word: str) -> None:
    """`./dev help`, `./dev --help` and `./dev -h` print the usage, naming every site command."""
    result = subprocess.run([str(REPO / "dev"), word], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: ./dev COMMAND")
    listed = set(re.findall(r"^  (\w+)  ", result.stdout, re.M))
    assert set(main.commands) | {"setup", "test", "help"} == listed


def test_dev_with_an_unknown_command_says_so_and_exits_2() -> None:
    """`./dev nonsense` names the unknown command, prints the usage on stderr and exits 2."""
    result = subprocess.run([str(REPO / "dev"), "nonsense"], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 2
    assert result.stderr.startswith("./dev: unknown command 'nonsense'\nusage: ./dev COMMAND")


def test_dev_from_the_folder_above_a_clone_named_sitrep_says_what_is_missing(tmp_path: Path) -> None:
    """`sitrep/dev check` run beside a clone folder named sitrep (as git clone names it) is one
    error line and exit 2: the folder is not taken for the sitrep package."""
    (tmp_path / "sitrep").symlink_to(REPO)
    result = subprocess.run(["sitrep/dev", "check"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[-1] == (
        "Error: no mkdocs.yml here; run sitrep in a site's folder or pass -f")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("day", "said"), [
    ("2025-02-30", "2025-02-30 is not a day: February 2025 has 28 days (write a day from 01 to 28)"),
    ("2025-13-02", "2025-13-02 is not a day: there is no month 13 (write the month before the day: "
                   "2025-02-13)"),
    ("tomorrow", "expected a date like 2024-11-02, got 'tomorrow'"),
])
def test_new_with_a_date_that_is_no_day_says_why_as_check_does(make_site, day: str, said: str) -> None:
    """`new --date` refuses a day that does not exist in the words `check` uses, exit 2."""
    result = run_cli(make_site(), "new", "Talks resume", "--date", day)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == f"Error: Invalid value for '--date': {said}"


def test_new_names_the_next_command_and_an_existing_file(make_site) -> None:
    """`new` prints the path it wrote and the check to run next; a second `new` of the same day
    and title names the file that is already there."""
    root = make_site()
    first = run_cli(root, "new", "Talks resume", "--date", "2025-02-03")
    assert first.returncode == 0, first.stderr
    assert first.stdout == "briefings/2025/2025-02-03-talks-resume.md\n"
    assert first.stderr == ("Fill it in, then run `build.py check briefings/2025/2025-02-03-talks-resume.md`:"
                            " it names what is still missing.\n")
    again = run_cli(root, "new", "Talks resume", "--date", "2025-02-03")
    assert again.returncode == 1
    assert again.stderr == ("Error: a briefing with the id '2025-02-03-talks-resume' already exists "
                            "(briefings/2025/2025-02-03-talks-resume.md); not overwritten (choose "
                            "another title or date)\n")
