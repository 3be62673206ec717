"""A smoke run of the benchmark (N = 50): it builds, it measures, it prints every stage."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.slow
def test_benchmark_smoke_run_prints_every_stage_and_the_ratio() -> None:
    """`benchmarks/run.py 50` builds a corpus, the plain-MkDocs baseline and the Hugo one, and prints the six
    figures of issue 6 (ratio, warm build, check, serve, memory) and the page weights of
    issue 15 beside their targets."""
    result = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "50", "--repeat", "2"],
                            capture_output=True, text=True, check=False, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "== 50 briefings" in out
    for stage in ("load", "validate", "index", "render", "feeds", "mkdocs", "swap"):
        assert any(line.strip().startswith(stage) and "peak" in line for line in out.splitlines()), stage
    assert "plain MkDocs" in out
    for figure in ("ratio", "ratio to Hugo", "warm, one change", "check", "serve, save->page", "peak memory"):
        assert any(line.startswith(figure) and "target" in line for line in out.splitlines()), figure
    assert_page_weights(out)


WEIGHTS = ("largest page", "largest actor page", "largest region page", "largest timeline",
           "first search", "site size", "fonts, first visit")


def assert_page_weights(out: str) -> None:
    """Each page-weight figure of issue 15 is printed beside its target, met or not."""
    for figure in WEIGHTS:
        line = next((line for line in out.splitlines() if line.startswith(figure)), "")
        assert "target" in line and line.endswith(("met", ")")) and " met" in line, (figure, out)
    assert "plain MkDocs" in next(line for line in out.splitlines() if line.startswith("site size"))


@pytest.mark.slow
def test_benchmark_builds_a_real_shaped_corpus() -> None:
    """`run.py --profile real --build-only` builds a corpus of the real archive's shape and
    prints its cold build, its ratio and its page weights."""
    result = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "60", "--profile",
                             "real", "--build-only", "--repeat", "1"],
                            capture_output=True, text=True, check=False, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "== 60 briefings, real profile" in out
    assert any(line.startswith("ratio") and "target" in line for line in out.splitlines())
    assert any(line.startswith("ratio to Hugo") and "target <= 2.0" in line for line in out.splitlines())
    assert_page_weights(out)


def test_corpus_is_deterministic(tmp_path) -> None:
    """The same seed writes the same files, byte for byte."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from corpus import write_corpus

    from sitecheck import tree_hashes

    one = write_corpus(tmp_path / "one", 20, seed=7, hook=REPO / "sitrep" / "mkdocs_hook.py")
    two = write_corpus(tmp_path / "two", 20, seed=7, hook=REPO / "sitrep" / "mkdocs_hook.py")
    assert tree_hashes(one) == tree_hashes(two)
    assert len(list((one / "briefings").rglob("*.md"))) == 20
