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
