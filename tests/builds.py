"""Builds of a benchmark corpus with --verbose, and the counts of pages they print."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import HOOK, REPO, run_cli

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import write_corpus


def corpus(tmp_path: Path, count: int = 40) -> Path:
    """Write a benchmark corpus of `count` briefings below tmp_path/src."""
    return write_corpus(tmp_path / "src", count, seed=3, hook=HOOK)


def build(root: Path, out: Path, *args: str) -> tuple[int, int]:
    """Build with --verbose; return (pages, pages taken from the cache)."""
    result = run_cli(root, "--verbose", "build", "--out", str(out), *args)
    assert result.returncode == 0, result.stderr
    found = re.search(r"(\d+) pages, (\d+) from the cache", result.stderr)
    assert found, result.stderr
    return int(found[1]), int(found[2])


def rendered(result: subprocess.CompletedProcess[str]) -> int:
    """Return how many pages a --verbose build says it rendered."""
    found = re.search(r"(\d+) pages rendered, (\d+) as the last build did", result.stderr)
    assert found, result.stderr
    return int(found[1])
