"""Read briefings and registries from disk: text, front matter, marks. No judging here."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from sitrep.frontmatter import MAX_BYTES, Parsed, normalize_text, parse_yaml, split_front_matter
from sitrep.problems import Problem, error

BRIEFINGS_DIR = "briefings"
REGISTRY_DIR = "registry"
ACTORS_FILE = "registry/actors.yml"
REGIONS_FILE = "registry/regions.yml"
METRICS_FILE = "registry/metrics.yml"  # optional: whether a metric's series are levels or events


class SetupError(Exception):
    """The project cannot be used at all (exit 2): a missing folder, file or setting."""


@dataclass(frozen=True)
class BriefingSource:
    """A briefing file as read: its id, front matter with marks, and body."""

    path: str
    id: str
    parsed: Parsed | None
    body: str = ""
    body_line: int = 1
    problems: tuple[Problem, ...] = ()
    digest: str = ""  # SHA-256 of the file's bytes: what the check cache goes by
    head: str = ""  # SHA-256 of its front matter: what keys the pages that show it (render_keys)


@dataclass(frozen=True)
class RegistrySource:
    """A registry file as read."""

    path: str
    parsed: Parsed | None
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Project:
    """Everything read from a site's folder, before any judging."""

    root: Path
    briefings: tuple[BriefingSource, ...]
    actors: RegistrySource
    regions: RegistrySource
    assets: frozenset[str] = field(default_factory=frozenset)  # non-Markdown files, relative
    all_briefings: tuple[str, ...] = ()  # every briefing file, read or not, relative
    partial: bool = False  # only some briefings were read (check PATH...)
    outside: tuple[Problem, ...] | None = None  # links out of the project, when listed
    metrics: RegistrySource | None = None  # registry/metrics.yml, if there is one

    @property
    def problems(self) -> list[Problem]:
        outside = outside_links(self.root) if self.outside is None else self.outside
        found = [*self.actors.problems, *self.regions.problems, *outside]
        found += self.metrics.problems if self.metrics else ()
        for source in self.briefings:
            found.extend(source.problems)
        return found


@dataclass(frozen=True)
class _Listing:
    """The files under briefings/, each with its path relative to the project, in order."""

    markdown: list[tuple[Path, str]]
    assets: list[tuple[Path, str]]
    outside: list[Problem]


def briefing_files(root: Path) -> tuple[list[Path], list[Path]]:
    """List Markdown briefings and other asset files under briefings/, skipping _ and . names."""
    listing = _list(root)
    return [file for file, _ in listing.markdown], [file for file, _ in listing.assets]


def outside_links(root: Path) -> list[Problem]:
    """Report every file under briefings/ that is a symbolic link to outside the project."""
    inside = root.resolve()
    return [_outside(Path(entry.path), relative) for relative, entry in _tree(root)
            if entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(inside)]


def _outside(file: Path, relative: str) -> Problem:
    return error(relative, 1, 1, "path-outside",
                 f"this is a link to {file.resolve()}, outside the project; it is not read",
                 "copy the file into the project instead of linking to it")


def _list(root: Path) -> _Listing:
    """Walk briefings/ once: briefings, assets, and links out of the project."""
    if not (root / BRIEFINGS_DIR).is_dir():
        raise SetupError(f"no '{BRIEFINGS_DIR}/' folder in {root}; create it and add briefings")
    listing = _Listing([], [], [])
    inside = root.resolve()
    for relative, entry in _tree(root):
        file = Path(entry.path)
        outside = entry.is_symlink() and not file.resolve().is_relative_to(inside)
        if outside:
            listing.outside.append(_outside(file, relative))
        if any(part.startswith(("_", ".")) for part in relative.split("/")[1:]):
            continue
        markdown = os.path.splitext(entry.name)[1].lower() == ".md"
        if markdown and not entry.is_dir() and not entry.is_file() and \
                not (entry.is_symlink() and file.resolve().exists()):
            raise SetupError(f"cannot read {relative}: it is not a regular file (a broken "
                             "link, a pipe or a device); remove it")
        if entry.is_file() and not outside:  # a link out is never read or published
            (listing.markdown if markdown else listing.assets).append((file, relative))
    return listing


def _tree(root: Path) -> list[tuple[str, os.DirEntry[str]]]:
    """List everything under briefings/ as Path.rglob('*') does, sorted as Paths sort."""
    found: list[tuple[tuple[str, ...], os.DirEntry[str]]] = []
    top = root / BRIEFINGS_DIR
    folders: list[tuple[str, tuple[str, ...]]] = [(str(top), (BRIEFINGS_DIR,))] if top.is_dir() else []
    while folders:
        folder, parts = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except PermissionError:
            continue  # rglob skips what it may not read
        for entry in entries:
            found.append(((*parts, entry.name), entry))
            if entry.is_dir(follow_symlinks=False):
                folders.append((entry.path, (*parts, entry.name)))
    found.sort(key=lambda pair: pair[0])
    return [("/".join(parts), entry) for parts, entry in found]


def load_project(root: Path, briefings: bool = True, only: list[Path] | None = None,
                 read: bool = True) -> Project:
    """Read both registries and the briefings: all of them, none, or only some files (or, if
    not read, list them in all_briefings only)."""
    listing = _list(root) if briefings or only else _Listing([], [], [])
    markdown = listing.markdown
    chosen = markdown if briefings and only is None else _chosen(root, markdown, only or [])
    return Project(
        root=root,
        briefings=tuple(load_briefing(file, relative) for file, relative in chosen) if read else (),
        actors=load_registry(root, ACTORS_FILE),
        regions=load_registry(root, REGIONS_FILE),
        assets=frozenset(relative for _, relative in listing.assets),
        all_briefings=tuple(relative for _, relative in markdown),
        partial=only is not None and len(chosen) < len(markdown),
        outside=tuple(listing.outside) if briefings or only else None,
        metrics=load_registry(root, METRICS_FILE) if (root / METRICS_FILE).is_file() else None,
    )


def _chosen(root: Path, markdown: list[tuple[Path, str]],
            only: list[Path]) -> list[tuple[Path, str]]:
    """Keep the briefings named on the command line; a registry named means every briefing."""
    by_path = {relative: (file, relative) for file, relative in markdown}
    resolved_root = root.resolve()
    folder = (root / BRIEFINGS_DIR).resolve()
    known: dict[Path, tuple[Path, str]] = {}  # resolved paths, worked out only if needed
    wanted = []
    for path in only:
        full = path.resolve()
        named = full.relative_to(resolved_root).as_posix() if full.is_relative_to(resolved_root) else ""
        if named in by_path:  # the usual case, without resolving every briefing's path
            wanted.append(by_path[named])
            continue
        known = known or {file.resolve(): (file, relative) for file, relative in markdown}
        if full in known:
            wanted.append(known[full])
        elif full.is_dir() and full.is_relative_to(folder):
            wanted += [pair for f, pair in known.items() if f.is_relative_to(full)]
        elif full.is_relative_to(folder):
            continue  # an ignored file (_drafts/, .hidden) or an asset: nothing to check
        elif full.is_file() and full.is_relative_to(root.resolve() / REGISTRY_DIR):
            return markdown  # a registry changed: any briefing may now be wrong
        else:
            raise SetupError(f"{path} is not a briefing under {BRIEFINGS_DIR}/ or a registry file")
    return sorted(set(wanted))


def load_briefing(file: Path, path: str) -> BriefingSource:
    """Read one briefing (path: relative to the project): decode, split, parse the front matter."""
    briefing_id = file.name[: -len(file.suffix)]
    raw = _read_bytes(file, path)
    digest = hashlib.sha256(raw).hexdigest()
    text, problems = normalize_text(raw, path)
    if text is None:
        return BriefingSource(path, briefing_id, None, problems=tuple(problems), digest=digest)
    split, problems = split_front_matter(text, path)
    if split is None:
        return BriefingSource(path, briefing_id, None, problems=tuple(problems), digest=digest)
    parsed, problems = parse_yaml(split.front_matter, path, split.front_matter_line)
    head = hashlib.sha256(split.front_matter.encode()).hexdigest()
    return BriefingSource(path, briefing_id, parsed, split.body, split.body_line, tuple(problems),
                          digest, head)


def file_sha256(file: Path, shown: str) -> str:
    """Return the SHA-256 of a briefing file's bytes, as load_briefing records it."""
    return hashlib.sha256(_read_bytes(file, shown)).hexdigest()


def load_registry(root: Path, relative: str) -> RegistrySource:
    """Read one registry file; it must exist, and may be empty."""
    file = root / relative
    if not file.is_file():
        raise SetupError(f"no '{relative}' in {root}; create it (it may be empty)")
    text, problems = _read_text(file, relative)
    if text is None:
        return RegistrySource(relative, None, tuple(problems))
    parsed, problems = parse_yaml(text, relative, limit=3 * MAX_BYTES)
    return RegistrySource(relative, parsed, tuple(problems))


def _read_text(file: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """Read a file as UTF-8 text; a file that cannot be read at all is a setup error."""
    return normalize_text(_read_bytes(file, shown), shown)


def _read_bytes(file: Path, shown: str) -> bytes:
    try:
        with open(file, "rb") as opened:
            return opened.read()
    except OSError as exc:
        raise SetupError(f"cannot read {shown}: {exc.strerror}") from exc
