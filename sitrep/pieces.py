"""Each briefing's parts of the feeds and data files, written once and kept from build to build.

A briefing's Atom entry is the same in the site's feed and in the feeds of each of its actors
and regions, and its line of briefings.json is the same in every build until its file
changes. So each piece is made once a build (not once per feed: 22,500 entries at 10,000
briefings are 7,500 different ones), and, given a cache folder, kept in cache_dir/pieces.pickle
by the SHA-256 of the briefing's file, under a key of everything else a piece depends on
(the same as the pages': code, registries, settings and the site's URL, plus the assets and
the day, as for the check cache). A piece of a changed file, or under another key, is made
again; a cache that cannot be read is empty. Pickles run code when loaded: the cache folder
must be as trusted as the project, as for the check cache.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from sitrep.collector import collector_paused
from sitrep.model import Briefing
from sitrep.page_cache import pickle_into, unpickle, write_whole

Stored = dict[tuple[str, str], tuple[str, str]]  # (kind, briefing path): (file digest, text)


class Pieces:
    """The pieces of one build, made on first use; those of unchanged files from the cache."""

    def __init__(self, cache_dir: Path | None = None, key: str = "",
                 digests: Mapping[str, str] | None = None) -> None:
        self.path = cache_dir / "pieces.pickle" if cache_dir is not None else None
        self.key = key
        self.digests: Mapping[str, str] = digests or {}
        self.stored: Stored = self._load()
        self.made: Stored = {}

    def get(self, kind: str, briefing: Briefing, make: Callable[[Briefing], str]) -> str:
        """Return a briefing's piece of a kind: made before (this build, or an earlier one from
        the same file), else made now."""
        at = (kind, briefing.path)
        digest = self.digests.get(briefing.path, "")
        if (found := self.made.get(at)) is not None:
            return found[1]
        found = self.stored.get(at)
        if found is None or not digest or found[0] != digest:
            found = (digest, make(briefing))
        self.made[at] = found
        return found[1]

    def save(self) -> None:
        """Keep the pieces of this build, if any changed (the rest are forgotten)."""
        if self.path is None or self.made == self.stored:
            return
        kept = {at: piece for at, piece in self.made.items() if piece[0]}
        data: Any = (self.key, kept)
        write_whole(self.path, pickle_into(data))

    def _load(self) -> Stored:
        if self.path is None:
            return {}
        try:
            with collector_paused():
                key, stored = unpickle(self.path)
        except Exception:  # missing, cut short, or from another version: all made again
            return {}
        return stored if key == self.key and isinstance(stored, dict) else {}
