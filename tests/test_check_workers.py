"""`check` of a large project runs in forked workers and finds exactly what one process finds:
problems in single files, between files, and in the registries; and the same briefings."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from sitrep.load import load_project
from sitrep.registry import load_registries
from sitrep.site import CHECK_IN_WORKERS_MIN, check

from conftest import REPO, run_cli

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import write_corpus


def broken_corpus(root: Path) -> Path:
    """A corpus over the workers' threshold, with problems of every kind spread across it."""
    write_corpus(root, CHECK_IN_WORKERS_MIN + 20, seed=11, hook=REPO / "sitrep" / "mkdocs_hook.py")
    files = sorted((root / "briefings").rglob("*.md"))
    assert len(files) > CHECK_IN_WORKERS_MIN

    def edit(file: Path, old: str, new: str) -> None:
        text = file.read_text()
        assert old in text, (file, old)
        file.write_text(text.replace(old, new, 1))

    edit(files[3], "actors:\n- ", "actors:\n- actor-nowhere-999\n- ")  # unknown actor
    edit(files[50], "date: ", "date: 2021-02-30\nupdated: ")  # a date that does not exist
    edit(files[60], "---\ntitle:", "---\ntitle: Twice\ntitle:")  # a duplicate key
    edit(files[120], "tags:\n", "related:\n- 1999-01-01-no-such-briefing\ntags:\n")  # unknown related
    edit(files[121], "tags:\n", "tags:\n- Assessment!\n")  # collides with 'assessment'
    edit(files[-1], "credibility: 2", "credibility: 9")  # out of the scale
    (files[200].parent / "dup").mkdir()
    shutil.copy(files[200], files[200].parent / "dup" / files[200].name)  # duplicate id
    files[10].write_text("no front matter at all\n")
    return root


def test_check_in_workers_finds_what_one_process_finds(tmp_path: Path) -> None:
    root = broken_corpus(tmp_path / "src")
    checked = check(root)
    seen: list[tuple[int, int]] = []
    shared = check(root, workers=2, report=lambda done, total: seen.append((done, total)))
    files = len(list((root / "briefings").rglob("*.md")))
    assert seen[0] == (0, files) and seen[-1] == (files, files)  # the progress the build shows
    assert shared.problems == checked.problems
    assert shared.briefings == checked.briefings  # what generate() then indexes
    assert check(root, workers=2, keep=False).briefings == []
    alone = checked.problems
    codes = {problem.code for problem in alone}
    for code in ("unknown-actor", "duplicate-key", "unknown-related", "tag-collision", "duplicate-id",
                 "invalid-date", "no-front-matter", "unused-region"):
        assert code in codes, (code, sorted(codes))
    result = run_cli(root, "check")
    assert result.returncode == 1
    assert result.stdout.splitlines()[:len(alone)] == [problem.format() for problem in alone]


def test_the_check_cache_gives_what_a_full_check_gives(tmp_path: Path) -> None:
    """With a cache, a second check reads back the unchanged files and checks the changed ones
    again: an edit that breaks a briefing, one that mends another, a registry change and
    another day each give the problems and briefings of a check without the cache."""
    root = broken_corpus(tmp_path / "src")
    cache = tmp_path / "cache"
    files = sorted((root / "briefings").rglob("*.md"))

    def same_as_uncached(today: dt.date | None = None) -> None:
        cached = check(root, workers=2, cache_dir=cache, today=today)
        fresh = check(root, workers=2, today=today)
        assert cached.problems == fresh.problems
        assert cached.briefings == fresh.briefings

    same_as_uncached()
    assert len(list((cache / "checked").glob("*.pickle"))) > 1  # it was written
    files[20].write_text(files[20].read_text().replace("actors:\n- ", "actors:\n- actor-gone-777\n- ", 1))
    files[10].write_text(files[11].read_text().replace("title:", "title: Mended", 1))
    same_as_uncached()
    actors = root / "registry" / "actors.yml"
    actors.write_text(actors.read_text().replace("actor-000:", "actor-000-renamed:", 1))
    same_as_uncached()
    newest = max(b.date for b in check(root, workers=2).briefings)
    same_as_uncached(today=newest - dt.timedelta(days=30))  # future dates are warnings now
    assert "future-date" in {p.code for p in check(root, workers=2, cache_dir=cache,
                                                   today=newest - dt.timedelta(days=30)).problems}


def test_the_check_cache_reads_only_files_whose_size_time_or_inode_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As git does: files older than two seconds whose signature is unchanged are not read, and
    a check that finds nothing changed rewrites none of the cache."""
    import sitrep.check_cache

    root = broken_corpus(tmp_path / "src")
    cache = tmp_path / "cache"
    files = sorted((root / "briefings").rglob("*.md"))
    long_ago = time.time() - 86400
    for file in files:
        os.utime(file, (long_ago, long_ago))
    check(root, workers=2, cache_dir=cache)

    def written() -> dict[str, tuple[int, int]]:
        return {path.name: (path.stat().st_ino, path.stat().st_mtime_ns)
                for path in (cache / "checked").iterdir()}

    before = written()
    check(root, workers=2, cache_dir=cache)
    assert written() == before
    read: list[str] = []
    real = sitrep.check_cache.file_sha256
    monkeypatch.setattr(sitrep.check_cache, "file_sha256",
                        lambda file, shown: read.append(shown) or real(file, shown))
    files[30].write_text(files[30].read_text().replace("title:", "title: Edited", 1))
    cached = check(root, workers=2, cache_dir=cache)
    assert read == [files[30].relative_to(root).as_posix()]
    assert cached.problems == check(root, workers=2).problems
    assert cached.briefings == check(root, workers=2).briefings


def test_the_check_cache_warns_of_a_date_mismatch_by_the_name_a_file_has_now(tmp_path: Path) -> None:
    """The date-mismatch warning depends on a file's name as well as its bytes: a file renamed
    (same bytes, size, time and inode) to a name with another day is warned of, and no longer
    once named back; two files that swap names are both warned of; the cache gives what a
    check without it gives each time."""
    root = tmp_path / "src"
    write_corpus(root, CHECK_IN_WORKERS_MIN + 20, seed=11, hook=REPO / "sitrep" / "mkdocs_hook.py")
    files = sorted((root / "briefings").rglob("*.md"))
    long_ago = time.time() - 86400
    for file in files:
        os.utime(file, (long_ago, long_ago))  # so that the cache trusts their signatures
    cache = tmp_path / "cache"

    def mismatches() -> list[tuple[str, str]]:
        cached = check(root, workers=2, cache_dir=cache)
        assert cached.problems == check(root, workers=2).problems
        return [(p.path, p.message) for p in cached.problems if p.code == "date-mismatch"]

    def shown(file: Path) -> str:
        return file.relative_to(root).as_posix()

    assert mismatches() == []
    first, second = files[5], files[6]
    renamed = first.with_name("1999-01-01" + first.name[10:])
    first.rename(renamed)
    assert mismatches() == [(shown(renamed), f"the file name says 1999-01-01 but date: is {first.name[:10]}")]
    renamed.rename(first)
    assert mismatches() == []
    held = first.with_name("held.md.tmp")
    first.rename(held)
    second.rename(first)
    held.rename(second)
    assert mismatches() == [
        (shown(first), f"the file name says {first.name[:10]} but date: is {second.name[:10]}"),
        (shown(second), f"the file name says {second.name[:10]} but date: is {first.name[:10]}")]


def test_the_check_command_shares_the_cache_and_says_what_an_uncached_check_says(tmp_path: Path) -> None:
    """`check` keeps the checked files in the project's cache, as `build` does, so that a warm
    check reads back the unchanged ones; after an edit it prints exactly what `check
    --no-cache` prints, and `--no-cache` writes no cache."""
    root = broken_corpus(tmp_path / "src")
    plain = tmp_path / "plain"
    shutil.copytree(root, plain)
    assert run_cli(plain, "check", "--no-cache").returncode == 1
    assert not (plain / ".cache").exists()
    first = run_cli(root, "check")
    assert list((root / ".cache" / "sitrep" / "checked").glob("*.pickle"))
    assert first.stdout == run_cli(root, "check", "--no-cache").stdout
    files = sorted((root / "briefings").rglob("*.md"))
    files[30].write_text(files[30].read_text().replace("actors:\n- ", "actors:\n- actor-gone-555\n- ", 1))
    warm = run_cli(root, "check")
    assert "actor-gone-555" in warm.stdout
    assert warm.stdout == run_cli(root, "check", "--no-cache").stdout


def test_a_check_that_reads_no_briefings_keeps_them_for_the_next_build(tmp_path: Path) -> None:
    """`check` reads the stored checks without their briefings (check_cache.BRIEFINGS); when
    it rewrites a bucket after an edit, the unchanged files' briefings stay stored, so that the
    build after it gets every briefing a fresh check gives."""
    root = broken_corpus(tmp_path / "src")
    cache = tmp_path / "cache"
    check(root, workers=2, cache_dir=cache)  # a build's check: briefings stored
    files = sorted((root / "briefings").rglob("*.md"))
    for file in files[100:140]:  # spread over many buckets
        file.write_text(file.read_text().replace("\ntitle: ", "\ntitle: Edited ", 1))
    light = check(root, workers=2, cache_dir=cache, keep=False)
    assert light.briefings == []
    assert light.problems == check(root, workers=2).problems
    files[5].write_text(files[5].read_text().replace("\ntitle: ", "\ntitle: Edited again ", 1))
    built = check(root, workers=2, cache_dir=cache)
    fresh = check(root, workers=2)
    assert built.briefings == fresh.briefings
    assert built.problems == fresh.problems


def test_saved_briefings_checked_against_registries_loaded_before_find_what_a_fresh_check_finds(
        tmp_path: Path) -> None:
    """The preview checks a saved briefing against the registries of the build it serves
    (loading them again took 0.5 s of a save at 13,000 briefings): the same problems and
    briefing as a check that loads them."""
    root = broken_corpus(tmp_path / "src")
    files = sorted((root / "briefings").rglob("*.md"))
    saved = [files[3], files[121], files[5]]  # an unknown actor, a tag collision, a clean one
    fresh = check(root, only=saved)
    registries, _ = load_registries(load_project(root, read=False))
    reused = check(root, only=saved, registries=registries)
    assert reused.problems == fresh.problems and reused.briefings == fresh.briefings
    assert {p.code for p in reused.problems} >= {"unknown-actor"}
