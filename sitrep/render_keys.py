"""Keys of what a page's Markdown is made from, so that a build can skip rendering it again.

A page's input key is the SHA-256 of its template and URI, of its context, and of
everything any page may read: the templates, the site's settings, the registries, sitrep's
code and the installed versions. A briefing in the context goes in by the SHA-256 of its
front matter (and the assets its body links to): what every field but the body comes from.
A template that reads a briefing's body, or anything of it but those fields, has that read
recorded (see render.Environment), and the page's key covers the whole file: so a changed
body renders its own page again, but not the lists it is on.

A template may also read the site index, which depends on other briefings: an actor's page
lists the actor's briefings. The index handed to a keyed page's template is an IndexGuard,
which records each entry read by key (`index.by_actor.get(actor.id)`, `index.series[key]`).
The page's key then covers those entries' values too, and the next build reads the same
entries again before it decides. A template that reads the index any other way (iterates
over it, reads `index.listed`) leaves its page without a key: it is rendered every time.
This is how build systems with dynamic dependencies work: with the same context and the
same values read, a template takes the same branches and reads the same entries.

A build records the keys of the pages that rendered, and what each read (see KnownKeys).
The next build renders a page whose key is known only if MkDocs needs its Markdown: when its
built page is not in the page cache (see generated_file.GeneratedPage).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import pickle
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sitrep.collector import collector_paused
from sitrep.index import Point
from sitrep.load import ACTORS_FILE, METRICS_FILE, REGIONS_FILE
from sitrep.model import Briefing, SeriesKey
from sitrep.page_cache import code_digest, digest, file_digest, write_whole
from sitrep.seam import Guard, Recorded

# what the registries and the set of actors and regions with a page decide (see base_digest);
# regions_of also reads the briefing it is given, whose front matter is in the page's key
REGISTRY_VIEWS = {"actors", "regions", "children", "ancestors", "roots", "regions_of"}
Read = tuple[str, Any]  # an index entry a template read: (attribute, key); or (WHOLE, path)
WHOLE = "briefing"  # a read of a briefing's body, or of anything of it but its front matter's fields
LONG_TEXT = 256  # characters from which a text goes into a key by its digest


class Unkeyable(Exception):
    """A context value that has no stable form: the page gets no key."""


class IndexGuard(Guard):
    """The site index as a keyed page's template sees it: the registries' parts as they are,
    mappings as RecordedMaps, anything else marks the page as unkeyable (touched)."""

    def __init__(self, index: Any) -> None:
        self._index = index
        self.touched = False
        self.reads: list[Read] = []

    def touch(self) -> None:
        """Mark the page as unkeyable: its template reached past the recording."""
        self.touched = True

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._index, name)
        if name in REGISTRY_VIEWS:
            return value
        if isinstance(value, dict):
            return RecordedMap(self, name, value)
        self.touched = True
        return value


class RecordedMap(Mapping[Any, Any], Guard):
    """A mapping of the index whose entries read by key are recorded; reading it any other
    way (its length, its keys, iterating, printing it) marks the page as unkeyable. A key
    it lacks reads as the mapping's default without adding it (a defaultdict would: the
    index would then depend on which pages were rendered before)."""

    def __init__(self, guard: IndexGuard, name: str, mapping: dict[Any, Any]) -> None:
        self._guard, self._name, self._mapping = guard, name, mapping

    def _read(self, key: Any) -> None:
        if not isinstance(key, str | SeriesKey):
            self._guard.touched = True
        self._guard.reads.append((self._name, key))

    def get(self, key: Any, default: Any = None) -> Any:
        self._read(key)
        return self._mapping.get(key, default)

    def __getitem__(self, key: Any) -> Any:
        self._read(key)
        factory = self._mapping.default_factory if isinstance(self._mapping, defaultdict) else None
        if factory is not None and key not in self._mapping:
            return factory()
        return self._mapping[key]

    def __repr__(self) -> str:
        self._guard.touched = True
        return repr(self._mapping)

    def touch(self) -> None:
        """Mark the page as unkeyable: its template reached past the recording."""
        self._guard.touched = True

    def __contains__(self, key: Any) -> bool:
        self._read(key)
        return key in self._mapping

    def __getattr__(self, name: str) -> Any:
        self._guard.touched = True
        return getattr(self._mapping, name)

    def __iter__(self) -> Any:
        self._guard.touched = True
        return iter(self._mapping)

    def __len__(self) -> int:
        self._guard.touched = True
        return len(self._mapping)


def reads_digest(index: Any, reads: list[Read], keys: RenderKeys) -> str:
    """Digest the index entries a page read, as they are now (a missing one as the mapping
    gives it: a defaultdict's default, a Counter's 0, else None), and the whole briefings."""
    values = []
    tokens = keys.tokens
    for name, key in reads:
        if name == WHOLE:
            if key not in keys.whole:
                raise Unkeyable(key)
            values.append([name, key, keys.whole[key]])
            continue
        mapping = getattr(index, name)
        if key in mapping:
            value = mapping[key]
        elif isinstance(mapping, Counter):
            value = 0
        else:
            factory = mapping.default_factory if isinstance(mapping, defaultdict) else None
            value = factory() if factory else None
        values.append([name, _stable(key, tokens), _stable(value, tokens)])
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()


def page_key(input_key: str, reads_key: str) -> str:
    """The key of a page's Markdown: its inputs and what it read of the index."""
    return input_key if not reads_key else hashlib.sha256(f"{input_key}\0{reads_key}".encode()).hexdigest()


def base_digest(root: Path, templates: list[Path], site: Any, drafts: bool, index: Any) -> str:
    """Digest what every page's Markdown may depend on besides its own context, the actors
    and regions with a page among it: the registries' entries and the built-in ones that a
    briefing names (so the REGISTRY_VIEWS depend on the briefings too)."""
    return digest(code_digest(), file_digest([root / ACTORS_FILE, root / REGIONS_FILE, root / METRICS_FILE]),
                  file_digest(templates), dataclasses.asdict(site), drafts,
                  sorted(index.actors), sorted(index.regions))


def input_key(base: str, template: str, uri: str, context: Mapping[str, Any],
              tokens: Mapping[str, str]) -> str | None:
    """Return a page's input key, or None if its context holds something without a stable form."""
    try:
        parts = [base, template, uri, {name: _stable(value, tokens) for name, value in context.items()}]
    except Unkeyable:
        return None
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _stable(value: Any, tokens: Mapping[str, str]) -> Any:
    if value is None or isinstance(value, int | float | bool):
        return value
    if isinstance(value, str):  # Markup too; a long text (a body) by its digest, not escaped as JSON
        return value if len(value) < LONG_TEXT else "sha256:" + hashlib.sha256(value.encode()).hexdigest()
    if isinstance(value, Briefing):
        return _briefing(value, tokens)
    if isinstance(value, list | tuple):
        if all(type(item) is Briefing for item in value):  # the lists of the index: the usual case
            return [_briefing(item, tokens) for item in value]
        return [_stable(item, tokens) for item in value]
    if type(value) is Point:  # a briefing's figure: the briefing's file, and which figure
        at = next((n for n, figure in enumerate(value.briefing.figures) if figure is value.figure), None)
        if at is not None:
            return [_briefing(value.briefing, tokens), at]
    if isinstance(value, dict):  # Counters too
        return [[_stable(k, tokens), _stable(v, tokens)] for k, v in value.items()]
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return [type(value).__name__, *(_stable(getattr(value, f.name), tokens) for f in fields)]
    raise Unkeyable(type(value).__name__)


def _briefing(briefing: Briefing, tokens: Mapping[str, str]) -> str:
    token = tokens.get(briefing.path)
    if token is None:
        raise Unkeyable(briefing.path)
    return token


def briefing_tokens(briefings: Iterable[Briefing], heads: Mapping[str, str]) -> dict[str, str]:
    """Return how each briefing goes into a key: its path, the SHA-256 of its front matter and
    the assets its body links to (made once a build: a key of an actor's page holds thousands
    of them)."""
    return {b.path: f"{b.path}:{heads[b.path]}:{b.assets!r}" for b in briefings if heads.get(b.path)}


@dataclasses.dataclass(frozen=True)
class RenderKeys:
    """What keys pages (the renderer's seam.PageKeys): the digest common to all, each
    briefing file's, the keys known."""

    base: str
    tokens: Mapping[str, str]  # a briefing's path: "path:SHA-256 of its front matter:assets"
    whole: Mapping[str, str]  # a briefing's path: the SHA-256 of its file
    known: Mapping[str, str]  # the keys of the pages the last build rendered: their Markdown's SHA-256
    reads: dict[str, list[Read]]  # by input key: the index entries the page read then

    def input_key(self, template: str, uri: str, context: dict[str, Any]) -> str | None:
        return input_key(self.base, template, uri, context, self.tokens)

    def rendered_before(self, index: Any, key: str) -> tuple[str, Recorded, str] | None:
        if key not in self.reads:
            return None
        reads = self.reads[key]
        try:
            final = page_key(key, reads_digest(index, reads, self) if reads else "")
        except Unkeyable:
            return None
        if (digest := self.known.get(final)) is None:
            return None
        return final, (key, tuple(reads)), digest

    def watch(self, index: Any) -> IndexGuard:
        return IndexGuard(index)

    def key_of(self, index: Any, key: str, watched: Any, whole: list[str]) -> tuple[str, Recorded] | None:
        if not isinstance(watched, IndexGuard) or watched.touched:
            return None
        reads = list(dict.fromkeys([*watched.reads, *((WHOLE, path) for path in whole)]))
        try:
            return page_key(key, reads_digest(index, reads, self) if reads else ""), (key, tuple(reads))
        except Unkeyable:
            return None


class KnownKeys:
    """The keys of the pages that the last build rendered with the SHA-256 of the Markdown each
    gave, the index entries each read (by its input key), and the related briefings of each
    briefing with the digest of what they depend on (see index.structure_digest), in
    cache_dir/rendered.pickle (a pickle, as the check cache: 0.1 s less than JSON at 10,000
    briefings; it must be as trusted as the project). One that cannot be read is empty."""

    def __init__(self, cache_dir: Path) -> None:
        self.path = cache_dir / "rendered.pickle"
        self.keys: dict[str, str] = {}
        self.reads: dict[str, list[Read]] = {}
        self.structure = ""
        self.related: dict[str, list[str]] = {}
        try:
            with collector_paused(lasting=True):
                found = pickle.loads(self.path.read_bytes())
        except Exception:  # missing, cut short, or from another version
            return
        if not (isinstance(found, tuple) and len(found) == 5 and found[0] == code_digest()):
            return  # written by another version of sitrep sharing the cache: a miss
        _, keys, reads, structure, related = found
        if isinstance(keys, dict) and isinstance(reads, dict) and isinstance(structure, str) \
                and isinstance(related, dict):
            self.keys, self.reads, self.structure, self.related = keys, reads, structure, related

    def save(self, keys: dict[str, str], reads: dict[str, list[Read]], structure: str,
             related: dict[str, list[str]]) -> None:
        if (keys, reads, structure, related) != (self.keys, self.reads, self.structure, self.related):
            data = (code_digest(), keys, reads, structure, related)
            write_whole(self.path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
