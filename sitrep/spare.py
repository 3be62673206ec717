"""The site before last, kept beside the output so that the next build updates it in place.

A build writes into a new folder and swaps it in for the old site (see builder). Removing
the old one costs about as much as writing it: 20,000 files and folders at 10,000 briefings.
So a build with the page cache keeps it as `.NAME.spare` beside the output, and the next
build takes it as its folder: pages whose cache key is unchanged, and whose file still has
the size and modification time the build before wrote, are left as they are. The build
writes everything else and removes what it did not write, so that the folder holds
exactly the new site before it is swapped in.

What each folder holds is recorded in the cache, in `sites/DEVICE-INODE.json`: a rename
keeps a folder's inode, so the record follows the folder from output to spare.
"""

from __future__ import annotations

import json
import os
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sitrep.page_cache import write_whole

if TYPE_CHECKING:
    from sitrep.parallel_build import Kept

OTHER_RECORDS = 8  # records of folders of other outputs kept in a shared cache


@dataclass
class Reused:
    """A spare folder taken for a build: what its pages were, when the build began (by the
    file system's clock), and its files, listed on a thread while the build runs."""

    folder: Path
    kept: Kept
    began: int  # ns: a file modified before was not written by this build
    listing: Future[list[str]]


def spare_of(target: Path) -> Path:
    return target.parent / f".{target.name}.spare"


def take_spare(target: Path, cache_dir: Path) -> Reused | None:
    """Rename the spare folder, if there is one, to a build folder (the build's leftovers are
    removed by the next build if it is killed) and say what it holds."""
    spare = spare_of(target)
    if not spare.is_dir():
        return None
    folder = target.parent / f".{target.name}.tmp-reused-{os.getpid()}"
    spare.rename(folder)
    marker = folder / ".sitrep-began"
    marker.touch()
    began = marker.stat().st_mtime_ns  # the clock files are stamped by, not time.time()
    marker.unlink()
    lister = ThreadPoolExecutor(1)
    listing = lister.submit(_files, folder)  # its system calls release the GIL
    lister.shutdown(wait=False)  # the thread ends with the listing
    return Reused(folder, _read_record(cache_dir, folder), began, listing)


def remove_stale(reused: Reused, written: set[str]) -> None:
    """Remove the files of the site before that this build did not write: not among the files
    it wrote or kept (`written`, relative paths) and older than the build (either alone would
    do; both together hold even if the clock steps back during the build, or a file the build
    wrote is missing from `written`). Then remove the folders left empty."""
    emptied: set[str] = set()
    for relative in reused.listing.result():
        if relative in written:
            continue
        path = os.path.join(reused.folder, relative)
        try:
            if os.stat(path).st_mtime_ns < reused.began:
                os.unlink(path)
                emptied.add(os.path.dirname(path))
        except OSError:
            continue
    for folder in sorted(emptied, key=len, reverse=True):
        while folder != str(reused.folder) and folder.startswith(str(reused.folder)):
            try:
                os.rmdir(folder)
            except OSError:
                break  # not empty
            folder = os.path.dirname(folder)


def record(cache_dir: Path, folder: Path, stamps: Kept) -> None:
    """Record what a built folder holds, for the build that takes it as a spare."""
    write_whole(_record_path(cache_dir, folder), json.dumps(stamps).encode())


def keep_spare(old: Path, target: Path, cache_dir: Path) -> None:
    """Keep the folder that the new site replaced as the spare; forget other folders' records."""
    spare = spare_of(target)
    if spare.exists():
        shutil.rmtree(spare, ignore_errors=True)
    old.rename(spare)
    wanted = {_record_path(cache_dir, folder).name for folder in (target, spare)}
    others = sorted((found for found in (cache_dir / "sites").glob("*.json") if found.name not in wanted),
                    key=lambda found: found.stat().st_mtime, reverse=True)
    for found in others[OTHER_RECORDS:]:  # records of other outputs that share the cache stay
        found.unlink(missing_ok=True)


def _record_path(cache_dir: Path, folder: Path) -> Path:
    found = os.stat(folder)
    return cache_dir / "sites" / f"{found.st_dev}-{found.st_ino}.json"


def _read_record(cache_dir: Path, folder: Path) -> Kept:
    try:
        stamps = json.loads(_record_path(cache_dir, folder).read_bytes())
    except (OSError, ValueError):
        return {}
    return stamps if isinstance(stamps, dict) else {}


def _files(folder: Path) -> list[str]:
    """Return every file below a folder, relative with '/'."""
    found: list[str] = []
    pending = [(str(folder), "")]
    while pending:
        path, prefix = pending.pop()
        try:
            with os.scandir(path) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        pending.append((entry.path, f"{prefix}{entry.name}/"))
                    else:
                        found.append(prefix + entry.name)
        except OSError:
            continue
    return found
