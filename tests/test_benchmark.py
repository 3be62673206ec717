"""A smoke run of the benchmark (N = 50): it builds, it measures, it prints every stage."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.slow
def test_benchmark_smoke_run_prints_every_stage_and_the_ratio() -> None:
    """`benchmarks/run.py 50` builds a corpus and the plain-MkDocs baseline, and prints the six
    figures of the issue (ratio, warm build, check, serve, memory) beside their targets."""
    result = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "50", "--repeat", "2"],
                            capture_output=True, text=True, check=False, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "== 50 briefings" in out
    for stage in ("load", "validate", "index", "render", "feeds", "mkdocs", "swap"):
        assert any(line.strip().startswith(stage) and "peak" in line for line in out.splitlines()), stage
    assert "plain MkDocs" in out
    for figure in ("ratio", "warm, one change", "check", "serve, save->page", "peak memory"):
        assert any(line.startswith(figure) and "target" in line for line in out.splitlines()), figure


def test_corpus_is_deterministic(tmp_path) -> None:
    """The same seed writes the same files, byte for byte."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from corpus import write_corpus

    from sitecheck import tree_hashes

    one = write_corpus(tmp_path / "one", 20, seed=7, hook=REPO / "sitrep" / "mkdocs_hook.py")
    two = write_corpus(tmp_path / "two", 20, seed=7, hook=REPO / "sitrep" / "mkdocs_hook.py")
    assert tree_hashes(one) == tree_hashes(two)
    assert len(list((one / "briefings").rglob("*.md"))) == 20
