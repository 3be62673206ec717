"""A content-addressed cache of built pages on disk, and the digests that key it.

An entry is stored under the SHA-256 of everything that can change the page: its source,
its place in the navigation, the whole MkDocs configuration, the theme's files, sitrep's own
code and the version of every installed distribution. The same key always holds the same
bytes, so two builds may share the folder: each writes a temporary file and renames it into
place, and a reader sees a whole entry or none. An unreadable entry is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import os
import pickle
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

CACHE_ENV = "SITREP_CACHE_DIR"
FORMAT = "2"  # bump when the layout of an entry changes
_SITREP_DIR = Path(__file__).resolve().parent
UNUSED_TEMPLATES_S = 7 * 86400  # compiled templates of other versions, unused this long, go


class PageCache:
    """Entries of one page each: the page's bytes (KEY.html) and what else its build gave
    (KEY.json), in folders named by the first two hex digits of the key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / "pages"

    def path(self, key: str, suffix: str = ".json") -> Path:
        return self.folder / key[:2] / f"{key}{suffix}"

    def get(self, key: str) -> dict[str, Any] | None:
        """Return the entry stored under key, or None if it is missing or unreadable (plain os
        calls, as this runs for every page)."""
        try:
            with open(os.path.join(self.folder, key[:2], f"{key}.json"), "rb") as stored:
                entry = json.loads(stored.read())
        except (OSError, ValueError):
            return None
        return entry if isinstance(entry, dict) and entry.get("key") == key else None

    def copy_page(self, key: str, entry: dict[str, Any], destination: str) -> bool:
        """Copy an entry's page to the site, if its bytes are all there."""
        try:
            with open(os.path.join(self.folder, key[:2], f"{key}.html"), "rb") as source:
                page = source.read()
            if len(page) != entry.get("size"):
                return False
            os.makedirs(os.path.dirname(destination), exist_ok=True)
            with open(destination, "wb") as target:
                target.write(page)
        except OSError:
            return False
        return True

    def put(self, key: str, entry: dict[str, Any], page: bytes) -> None:
        """Store a page, then its entry; a full disk or a read-only cache only costs time."""
        if write_whole(self.path(key, ".html"), page):
            write_whole(self.path(key), json.dumps({**entry, "key": key, "size": len(page)},
                                                   ensure_ascii=False).encode())

    def prune(self, used: set[str], written: int, keep_factor: int = 3) -> int:
        """Remove entries this build did not use once they outnumber the used ones threefold.
        Listing the cache takes a while (20,000 files at 10,000 briefings), so it is looked at
        only once the entries written since it was last looked at reach the used ones."""
        counter = self.folder / "written-since-pruned"
        try:
            since = int(counter.read_text()) + written
        except (OSError, ValueError):
            since = len(used) + written  # never looked at: look now
        if since < max(len(used), 1):
            write_whole(counter, str(since).encode())
            return 0
        write_whole(counter, b"0")
        stored = list(self._keys())
        if len(stored) <= keep_factor * max(len(used), 1):
            return 0
        removed = 0
        for key in stored:
            if key not in used:
                self.path(key).unlink(missing_ok=True)
                self.path(key, ".html").unlink(missing_ok=True)
                removed += 1
        return removed

    def _keys(self) -> Iterator[str]:
        if not self.folder.is_dir():
            return
        for sub in self.folder.iterdir():
            if sub.is_dir():
                yield from (entry.stem for entry in sub.glob("*.json"))


def write_whole(path: Path, data: bytes | Callable[[BinaryIO], object]) -> bool:
    """Write a file whole or not at all: a temporary file, renamed into place. A full disk or a
    read-only cache returns False: it only costs time. `data` may be a function that writes
    into the open file (pickle_into: a large pickle never held whole in memory)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data) if isinstance(data, bytes) else data(out)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        return False
    return True


def pickle_into(value: object) -> Callable[[BinaryIO], object]:
    """What write_whole takes to pickle a value straight into the file."""
    return functools.partial(pickle.dump, value, protocol=pickle.HIGHEST_PROTOCOL)


def unpickle(path: Path) -> Any:
    """Load a pickle from its file as it is read, never holding its bytes whole in memory."""
    with path.open("rb") as source:
        return pickle.load(source)


def default_cache_dir(root: Path) -> Path:
    """Return SITREP_CACHE_DIR if set, else .cache/sitrep in the project (as MkDocs' plugins do)."""
    chosen = os.environ.get(CACHE_ENV)
    return Path(chosen) if chosen else root / ".cache" / "sitrep"


def digest(*parts: object) -> str:
    """Return the SHA-256 of parts made stable (see `stable`)."""
    text = json.dumps([stable(part) for part in parts], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def stable(value: object) -> object:
    """Return a JSON-ready form of a configuration value that is the same in every process."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Mapping) or (hasattr(value, "items") and hasattr(value, "keys")):
        items = value.items()
        return {str(k): stable(v) for k, v in sorted(items, key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple | set | frozenset):
        items = [stable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if hasattr(value, "__file__"):  # a hook module: its code is configuration too
        return {"module": getattr(value, "__name__", ""), "code": file_digest([Path(value.__file__)])}
    config = getattr(value, "config", None)
    if config is not None and hasattr(config, "items"):  # a plugin: its class and its options
        return {"plugin": type(value).__qualname__, "config": stable(config)}
    shown = str(value)
    return type(value).__qualname__ if " at 0x" in shown else f"{type(value).__qualname__}:{shown}"


def file_digest(paths: Iterable[Path]) -> str:
    """Return the SHA-256 of files' names and bytes; folders count with every file below them."""
    sha = hashlib.sha256()
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            sha.update(str(file).encode() + b"\0")
            try:
                sha.update(file.read_bytes())
            except OSError:
                sha.update(b"\1unreadable")
    return sha.hexdigest()


def environment_digest(theme_dirs: list[str]) -> str:
    """Digest what every page depends on besides configuration: code, versions, theme files.

    Theme folders inside installed distributions are covered by the distributions' versions;
    others (a custom_dir, sitrep's overrides) are hashed file by file.
    """
    packages = {Path(p).resolve() for p in sys.path if p.endswith("-packages")}
    own_dirs = [Path(d) for d in theme_dirs if not any(Path(d).resolve().is_relative_to(p) for p in packages)]
    return digest(code_digest(), file_digest(own_dirs))


@functools.cache
def code_digest() -> str:
    """Digest sitrep's own code, the Python version and the version of every distribution
    installed in site-packages (once a process: they do not change while it runs). Only
    site-packages: the folder a script runs from is on sys.path too, and a checkout's
    *.egg-info there would make `python build.py` and the `sitrep` command miss each other's
    cache."""
    installed = [p for p in sys.path if p.endswith("-packages")]
    versions = sorted(f"{d.metadata['Name']}=={d.version}"
                      for d in importlib.metadata.distributions(path=installed))
    return digest(FORMAT, sys.version, versions, file_digest(sorted(_SITREP_DIR.glob("*.py"))))


def keep_compiled_templates(env: Any, cache_dir: Path | None, kind: str) -> None:
    """Keep a Jinja environment's compiled templates in cache_dir/templates/ (compiling
    Material's and sitrep's templates took 0.3 s of every build). Jinja checks each template's
    source itself; the folder is keyed by what else the compiled code depends on: the code and
    versions (Jinja's compiler among them) and the environment's options, under which the same
    source compiles differently. Writes are whole (a temporary file renamed); a failed one only
    costs time. Folders of other keys not used for a week are removed."""
    if cache_dir is None:
        return
    import jinja2

    class Compiled(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # cut short or garbled: compiled again, and rewritten
                bucket.reset()

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    options = [kind, sorted(env.extensions), env.block_start_string, env.block_end_string,
               env.variable_start_string, env.variable_end_string, env.comment_start_string,
               env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
               env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
               env.optimized, env.autoescape, env.finalize, env.undefined, env.is_async]
    folder = cache_dir / "templates" / digest(code_digest(), options)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.utime(folder)  # when it was last used
        for other in folder.parent.iterdir():
            if other != folder and time.time() - other.stat().st_mtime > UNUSED_TEMPLATES_S:
                shutil.rmtree(other, ignore_errors=True)
    except OSError:
        return
    env.bytecode_cache = Compiled(str(folder))
