"""Build generated corpora and print the time of each stage and peak memory.

    .venv/bin/python benchmarks/run.py 1000 10000

For each N: a sitrep build (`build.py --verbose build`, per-stage wall time and the peak
memory of the build process), then the baseline: the same bodies as plain pages in plain
MkDocs + Material, with no generated pages and a small navigation. The ratio of the two
wall times is the headline figure.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus

REPO = Path(__file__).resolve().parents[1]


# Runs a command and reports the peak memory of it alone (RUSAGE_CHILDREN of a fresh process).
_MEASURE = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
            "print(f'peak-kb {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}', "
            "file=sys.stderr); sys.exit(code)")


def _run(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """Run a command; return wall seconds, its peak memory in MB, and its stderr."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=cwd,
                            capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    peak_line = [line for line in result.stderr.splitlines() if line.startswith("peak-kb ")][-1]
    return wall, int(peak_line.split()[1]) / 1024, result.stderr


def baseline_site(corpus: Path, target: Path) -> Path:
    """The same bodies as plain MkDocs pages: no hook, no generated pages, a small nav."""
    docs = target / "docs"
    for briefing in (corpus / "briefings").rglob("*.md"):
        text = briefing.read_text()
        front, _, rest = text.removeprefix("---\n").partition("\n---\n")
        title = next(line for line in front.splitlines() if line.startswith("title:"))
        page = docs / "briefings" / briefing.name
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"# {title.removeprefix('title:').strip()}\n\n{rest}")
    (docs / "index.md").write_text("# Baseline\n")
    (target / "mkdocs.yml").write_text(
        "site_name: Baseline\ndocs_dir: docs\ntheme:\n  name: material\nnav:\n  - Home: index.md\n"
        "markdown_extensions: [admonition, attr_list, md_in_html, tables, footnotes]\n")
    return target


def measure(count: int, workdir: Path) -> None:
    corpus = write_corpus(workdir / f"corpus-{count}", count)
    wall, peak, stderr = _run([sys.executable, str(REPO / "build.py"), "--verbose", "build"], corpus)
    stages = [line for line in stderr.splitlines() if " s   peak " in line]
    base = baseline_site(corpus, workdir / f"baseline-{count}")
    base_wall, base_peak, _ = _run([sys.executable, "-m", "mkdocs", "build", "-q"], base)
    print(f"\n== {count} briefings")
    print(f"sitrep build    {wall:8.2f} s   peak {peak:7.0f} MB")
    for line in stages:
        print(f"  {line}")
    print(f"plain MkDocs    {base_wall:8.2f} s   peak {base_peak:7.0f} MB")
    print(f"ratio           {wall / base_wall:8.2f}   (sitrep / plain MkDocs; target <= 1.0)")


def main(argv: list[str]) -> None:
    counts = [int(a) for a in argv] or [1000, 10000]
    workdir = Path(tempfile.mkdtemp(prefix="sitrep-bench-"))
    try:
        for count in counts:
            measure(count, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
