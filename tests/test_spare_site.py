"""The site a build replaces is updated in place into the next one, with a fresh build's bytes."""

from __future__ import annotations

import re
from pathlib import Path

from builds import build, corpus
from conftest import run_cli
from sitecheck import tree_hashes


def test_files_newly_excluded_are_removed_from_the_spare(tmp_path: Path) -> None:
    """A file the docs folder holds but `exclude_docs` now leaves out is not left over from
    the site before last."""
    root = corpus(tmp_path)
    out = tmp_path / "out"
    (root / "content" / "notes.txt").write_text("Notes.\n")
    build(root, out)
    build(root, out)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "exclude_docs: notes.txt\n")
    build(root, out)
    assert not (out / "notes.txt").exists()
    build(root, tmp_path / "fresh", "--no-cache")
    assert tree_hashes(out) == tree_hashes(tmp_path / "fresh")


def test_a_build_updates_the_site_before_last_in_place_and_gives_a_fresh_builds_bytes(tmp_path: Path) -> None:
    """With the cache, the site a build replaces is kept as .NAME.spare, and the build after
    takes it as its folder: unchanged pages stay where they are, changed ones are written, and
    pages that went away are removed. After edits, a removed briefing and a page tampered with
    in the spare, each site equals a build from nothing, and the kept pages are counted."""
    root = corpus(tmp_path)
    out = tmp_path / "out"
    spare = tmp_path / ".out.spare"
    build(root, out)
    build(root, out)
    assert spare.is_dir()  # the first site, kept
    briefings = sorted((root / "briefings").rglob("*.md"))
    briefings[5].write_text(briefings[5].read_text() + "\nA sentence added by the test.\n")
    gone = briefings[7]
    gone.unlink()
    tampered = next(spare.rglob("briefings/*/index.html"))
    tampered.write_text(tampered.read_text().replace("</body>", "<p>tampered</p></body>"))
    stylesheet = next(spare.rglob("assets/stylesheets/*.css"))  # a theme file, copied, not built
    stylesheet.write_text(stylesheet.read_text() + "/* tampered */")
    result = run_cli(root, "--verbose", "build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    kept = re.search(r"\((\d+) already in place\)", result.stderr)
    assert kept and int(kept[1]) > 20, result.stderr
    assert not (out / "briefings" / gone.stem).exists()
    build(root, tmp_path / "fresh", "--no-cache")
    assert tree_hashes(out) == tree_hashes(tmp_path / "fresh")
    assert "tampered" not in "".join(p.read_text() for p in [*out.rglob("*.html"), *out.rglob("*.css")])
    briefings[9].unlink()  # the spare is now the site with `gone`: it must go again
    build(root, out)
    build(root, tmp_path / "fresh2", "--no-cache")
    assert tree_hashes(out) == tree_hashes(tmp_path / "fresh2")


def test_a_static_file_changed_between_builds_is_copied_again_into_the_spare(tmp_path: Path) -> None:
    """Static files a build copied (theme assets, files in the docs folder) stay in the spare
    while their source is unchanged; a changed source is copied again."""
    root = corpus(tmp_path)
    out = tmp_path / "out"
    notes = root / "content" / "notes.txt"
    notes.write_text("First notes.\n")
    build(root, out)
    build(root, out)  # the first site is now the spare, with a record of what it holds
    notes.write_text("Second notes, longer.\n")
    build(root, out)
    assert (out / "notes.txt").read_text() == "Second notes, longer.\n"
    build(root, tmp_path / "fresh", "--no-cache")
    assert tree_hashes(out) == tree_hashes(tmp_path / "fresh")
