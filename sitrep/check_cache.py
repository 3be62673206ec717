"""Briefings checked by an earlier build, kept by the SHA-256 of their files.

A build checks only the briefing files whose bytes changed since the last build; the others
come back from here as the checks left them: the light source that the checks across files
read, the resolved briefing, its problems and the registry ids it used. As git does, a file
whose size, modification time and inode are those recorded is taken as unchanged without
being read; any other is read and compared by digest. A file modified less than two seconds
before it was recorded gets no signature: it could change again within one tick of the clock.

Everything else a check depends on is in the key of the whole cache: the registries' bytes,
the assets under briefings/, today's date (a date in the future is a warning), sitrep's code
and every installed distribution's version. A change to any of them starts the cache afresh.

Entries are spread over BUCKETS pickle files by their path, so that one changed briefing
rewrites one bucket of about 1/64 of the cache, not all of it. Each bucket keeps its resolved
briefings in a file of their own, which `check` does not read. A bucket is written to a
temporary file and renamed into place; one that cannot be read, or was written under
another key, counts as empty. Pickles run code when loaded: the cache folder must be as
trusted as the project (it is `.cache/sitrep/` in the project unless moved).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitrep.collector import collector_paused
from sitrep.load import ACTORS_FILE, REGIONS_FILE, file_sha256
from sitrep.page_cache import code_digest, digest, file_digest, write_whole

if TYPE_CHECKING:
    import datetime as dt

    from sitrep.site import CheckedFile

BUCKETS = 64
BRIEFINGS = ".briefings"  # the part of a bucket that holds the resolved briefings
Signature = tuple[int, int, int, int]  # a file's size, modification time (ns), inode; when read (ns)
Entries = dict[str, tuple[str, "Signature | None", "CheckedFile"]]  # path: (digest, signature, check)
RACY_NS = 2_000_000_000  # a file modified this recently may change again unseen within its mtime tick


class CheckCache:
    """The checked briefings of a project, in cache_dir/checked/."""

    def __init__(self, cache_dir: Path, root: Path, assets: Iterable[str], today: dt.date,
                 briefings: bool = True) -> None:
        self.folder = cache_dir / "checked"
        self.key = digest(code_digest(), file_digest([root / ACTORS_FILE, root / REGIONS_FILE]),
                          sorted(assets), today.isoformat())
        self.briefings = briefings  # read the resolved briefings back too (`check` needs none)
        self._loaded: dict[int, Entries] = {}
        self._signatures: dict[str, Signature] = {}
        self._read_light: set[str] = set()  # files whose stored check came back without its briefing

    def unchanged(self, root: Path, files: Iterable[str]) -> dict[str, CheckedFile]:
        """Return the stored checks of the files whose bytes are still those that were checked
        (by their signature, else by their digest). Every file's signature is read here,
        before any worker reads the file, for store()."""
        stored = self.load()
        found: dict[str, CheckedFile] = {}
        folder, read_at = os.fspath(root), time.time_ns()  # taken before any file is looked at
        for path in files:
            self._signatures[path] = now = signature(os.path.join(folder, path), read_at)
            if path not in stored:
                continue
            digest, recorded, checked = stored[path]
            if same_file(now, recorded) or file_sha256(root / path, path) == digest:
                found[path] = checked
                if not self.briefings:
                    self._read_light.add(path)
        return found

    def store(self, done: Iterable[CheckedFile]) -> None:
        """Store every file's check, under the digest of the bytes its check read."""
        entries: Entries = {}
        for item in done:
            source = item[0]
            entries[source.path] = (source.digest, settled(self._signatures.get(source.path)), item)
        self.save(entries)

    def load(self) -> Entries:
        """Return every entry stored under this cache's key."""
        entries: Entries = {}
        with collector_paused(lasting=True):  # many objects that all live on: none to walk them
            for bucket in range(BUCKETS):
                self._loaded[bucket] = self._read(bucket)
                entries.update(self._loaded[bucket])
        return entries

    def save(self, entries: Entries) -> None:
        """Store the entries, rewriting only the buckets that differ from what was loaded."""
        buckets: dict[int, Entries] = {bucket: {} for bucket in range(BUCKETS)}
        for path, entry in entries.items():
            buckets[bucket_of(path)][path] = entry
        for bucket, held in buckets.items():
            if _digests(self._loaded.get(bucket)) != _digests(held):
                self._write(bucket, held)

    def _path(self, bucket: int, part: str = "") -> Path:
        return self.folder / f"{bucket:02x}{part}.pickle"

    def _read(self, bucket: int) -> Entries:
        """Read a bucket: each file's check from one file, its resolved briefing from another
        (BRIEFINGS), read only if asked for: 0.6 s of a warm `check` at 13,000 briefings was
        spent unpickling briefings it does not use."""
        entries = self._unpickle(self._path(bucket))
        if self.briefings and entries:  # a check stored without its briefing is a miss here
            resolved = self._unpickle(self._path(bucket, BRIEFINGS))
            entries = {path: (found, sig, (item[0], resolved[path], item[2], item[3]))
                       for path, (found, sig, item) in entries.items() if path in resolved}
        return entries

    def _unpickle(self, path: Path) -> dict[str, Any]:
        try:
            key, entries = pickle.loads(path.read_bytes())
        except Exception:  # missing, cut short, or from another version: a miss, never an error
            return {}
        return entries if key == self.key and isinstance(entries, dict) else {}

    def _write(self, bucket: int, entries: Entries) -> None:
        """Write a bucket's checks and its briefings. A bucket read without its briefings
        (`check`) keeps those of the files that did not change; a file `check` checked again
        has its check stored without a briefing, which a build counts as a miss."""
        if self.briefings:
            resolved = {path: item[1] for path, (_, _, item) in entries.items()}
        else:  # `check`: the briefings of the unchanged files stay; the others are not known
            kept = self._unpickle(self._path(bucket, BRIEFINGS))
            resolved = {path: kept[path] for path in entries if path in self._read_light and path in kept}
        light = {path: (found, sig, (item[0], None, item[2], item[3]))
                 for path, (found, sig, item) in entries.items()}
        for part, held in ((BRIEFINGS, resolved), ("", light)):
            data: Any = (self.key, held)
            write_whole(self._path(bucket, part), pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


def _digests(entries: Entries | None) -> dict[str, tuple[str, tuple[int, ...] | None]] | None:
    """Return what tells two buckets apart: each file's digest and signature, but for when the
    signature was read (which differs every build: comparing it would rewrite every bucket)."""
    if entries is None:
        return None
    return {path: (digest, sig and sig[:3]) for path, (digest, sig, _) in entries.items()}


def signature(path: str, read_at: int) -> Signature:
    """Return a file's size, modification time and inode, and when they were read (at the
    latest: an earlier time only makes a file look more recently modified)."""
    found = os.stat(path)
    return found.st_size, found.st_mtime_ns, found.st_ino, read_at


def same_file(now: Signature, recorded: Signature | None) -> bool:
    return recorded is not None and now[:3] == recorded[:3]


def settled(sig: Signature | None) -> Signature | None:
    """Return a signature to record, unless its file had been modified too recently, when the
    signature was read, to trust that a later change would show in it."""
    return sig if sig is not None and sig[3] - sig[1] > RACY_NS else None


def bucket_of(path: str) -> int:
    """Return the bucket of a briefing's path (stable across processes, unlike hash())."""
    return hashlib.sha1(path.encode(), usedforsecurity=False).digest()[0] % BUCKETS
