"""Atomic output under SIGKILL: a build killed at any moment leaves a whole site behind."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO, copy_sample, run_cli
from sitecheck import tree_hashes

KILLS = 20
SEED = 20250501


def _start_build(root: Path) -> subprocess.Popen[bytes]:
    """Start `python build.py build` in the site's folder, as run_cli does, without waiting."""
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return subprocess.Popen([sys.executable, str(REPO / "build.py"), "build"], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=environment)


def _difference(seen: dict[str, str], expected: dict[str, str]) -> str:
    """Describe how a folder's hashes differ from the expected ones, with a few examples."""
    missing = sorted(expected.keys() - seen.keys())
    extra = sorted(seen.keys() - expected.keys())
    changed = sorted(k for k in seen.keys() & expected.keys() if seen[k] != expected[k])
    return (f"{len(missing)} missing {missing[:5]}, {len(extra)} extra {extra[:5]}, "
            f"{len(changed)} changed {changed[:5]}")


@pytest.mark.slow
def test_a_build_killed_at_any_moment_leaves_the_previous_or_the_new_site(tmp_path: Path) -> None:
    """SIGKILL at 20 seeded moments spread over a build: site/ is each time either the
    previous site, unchanged, or the complete new one; never a mix, never missing. The next
    normal build cleans up the staging and old folders that the killed builds left."""
    root = copy_sample(tmp_path / "src")
    site = root / "site"
    assert run_cli(root, "build").returncode == 0
    previous = tree_hashes(site)

    # the length of one full build (a rebuild over an existing site), as the kills will see it
    start = time.monotonic()
    assert _start_build(root).wait(timeout=120) == 0
    duration = time.monotonic() - start
    assert tree_hashes(site) == previous

    # one moment in each of 20 equal slices of [0, 1.2 x duration], in a shuffled order
    rng = random.Random(SEED)
    width = 1.2 * duration / KILLS
    moments = [rng.uniform(i * width, (i + 1) * width) for i in range(KILLS)]
    rng.shuffle(moments)

    briefings = sorted((root / "briefings").rglob("*.md"))
    outcomes: list[str] = []
    for round_, moment in enumerate(moments):
        # a change that a completed build would show in site/
        briefing = briefings[round_ % len(briefings)]
        with briefing.open("a", encoding="utf-8") as file:
            file.write(f"\nThe kill test added sentence number {round_}.\n")
        process = _start_build(root)
        # waiting for the chosen moment is what this test is about: the kill must land there
        threading.Event().wait(moment)
        process.send_signal(signal.SIGKILL)  # a no-op when the build has already finished
        code = process.wait(timeout=120)
        where = (f"kill {round_ + 1}/{KILLS} at {moment:.3f} s of a {duration:.3f} s build "
                 f"(seed {SEED}), exit code {code}")
        assert site.is_dir(), f"site/ is missing after {where}; beside it: " + \
            str(sorted(p.name for p in root.iterdir() if p.name.startswith(".site")))
        seen = tree_hashes(site)
        if seen == previous:
            outcomes.append("previous")
            continue
        # not the previous site: it must be exactly a fresh full build of the new content
        reference = tmp_path / "reference"
        result = run_cli(root, "build", "--out", str(reference))
        assert result.returncode == 0, result.stdout + result.stderr
        expected = tree_hashes(reference)
        assert expected != previous
        assert seen == expected, (f"site/ is neither the previous nor the new site after {where}: "
                                  f"against the previous: {_difference(seen, previous)}; "
                                  f"against the new: {_difference(seen, expected)}")
        outcomes.append("new")
        previous = expected

    # the kills hit both sides of the swap: some left the old site, some finished the new one
    assert "previous" in outcomes, outcomes

    result = run_cli(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    left = sorted(p.name for p in root.iterdir()
                  if p.name.startswith((".site.tmp-", ".site.old-")))
    assert left == [], f"a normal build after the kills left these behind: {left}"
