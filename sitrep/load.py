"""Read briefings and registries from disk: text, front matter, marks. No judging here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sitrep.frontmatter import MAX_BYTES, Parsed, normalize_text, parse_yaml, split_front_matter
from sitrep.problems import Problem, error

BRIEFINGS_DIR = "briefings"
REGISTRY_DIR = "registry"
ACTORS_FILE = "registry/actors.yml"
REGIONS_FILE = "registry/regions.yml"


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

    @property
    def problems(self) -> list[Problem]:
        found = [*self.actors.problems, *self.regions.problems, *outside_links(self.root)]
        for source in self.briefings:
            found.extend(source.problems)
        return found


def briefing_files(root: Path) -> tuple[list[Path], list[Path]]:
    """List Markdown briefings and other asset files under briefings/, skipping _ and . names."""
    folder = root / BRIEFINGS_DIR
    if not folder.is_dir():
        raise SetupError(f"no '{BRIEFINGS_DIR}/' folder in {root}; create it and add briefings")
    markdown: list[Path] = []
    assets: list[Path] = []
    inside = root.resolve()
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if any(p.startswith(("_", ".")) for p in parts):
            continue
        if path.suffix.lower() == ".md" and not path.is_dir() and not path.is_file() and \
                not (path.is_symlink() and path.resolve().exists()):
            raise SetupError(f"cannot read {path.relative_to(root).as_posix()}: it is not a "
                             "regular file (a broken link, a pipe or a device); remove it")
        if not path.is_file():
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(inside):
            continue  # a link out of the project is never read or published (see outside_links)
        (markdown if path.suffix.lower() == ".md" else assets).append(path)
    return markdown, assets


def outside_links(root: Path) -> list[Problem]:
    """Report every file under briefings/ that is a symbolic link to outside the project."""
    inside = root.resolve()
    return [error(p.relative_to(root).as_posix(), 1, 1, "path-outside",
                  f"this is a link to {p.resolve()}, outside the project; it is not read",
                  "copy the file into the project instead of linking to it")
            for p in sorted((root / BRIEFINGS_DIR).rglob("*"))
            if p.is_symlink() and not p.resolve().is_relative_to(inside)]


def load_project(root: Path, briefings: bool = True, only: list[Path] | None = None) -> Project:
    """Read both registries and the briefings: all of them, none, or only some files."""
    markdown, assets = briefing_files(root) if briefings or only else ([], [])
    chosen = markdown if briefings and only is None else _chosen(root, markdown, only or [])
    return Project(
        root=root,
        briefings=tuple(load_briefing(root, path) for path in chosen),
        actors=load_registry(root, ACTORS_FILE),
        regions=load_registry(root, REGIONS_FILE),
        assets=frozenset(p.relative_to(root).as_posix() for p in assets),
        all_briefings=tuple(p.relative_to(root).as_posix() for p in markdown),
        partial=only is not None and len(chosen) < len(markdown),
    )


def _chosen(root: Path, markdown: list[Path], only: list[Path]) -> list[Path]:
    """Keep the briefings named on the command line; a registry named means every briefing."""
    known = {p.resolve(): p for p in markdown}
    folder = (root / BRIEFINGS_DIR).resolve()
    wanted = []
    for path in only:
        full = path.resolve()
        if full in known:
            wanted.append(known[full])
        elif full.is_dir() and full.is_relative_to(folder):
            wanted += [p for f, p in known.items() if f.is_relative_to(full)]
        elif full.is_relative_to(folder):
            continue  # an ignored file (_drafts/, .hidden) or an asset: nothing to check
        elif full.is_file() and full.is_relative_to(root.resolve() / REGISTRY_DIR):
            return markdown  # a registry changed: any briefing may now be wrong
        else:
            raise SetupError(f"{path} is not a briefing under {BRIEFINGS_DIR}/ or a registry file")
    return sorted(set(wanted))


def load_briefing(root: Path, file: Path) -> BriefingSource:
    """Read one briefing: decode, split the front matter, parse it with marks."""
    path = file.relative_to(root).as_posix() if file.is_relative_to(root) else file.as_posix()
    briefing_id = file.name[: -len(file.suffix)]
    text, problems = _read_text(file, path)
    if text is None:
        return BriefingSource(path, briefing_id, None, problems=tuple(problems))
    split, problems = split_front_matter(text, path)
    if split is None:
        return BriefingSource(path, briefing_id, None, problems=tuple(problems))
    parsed, problems = parse_yaml(split.front_matter, path, split.front_matter_line)
    return BriefingSource(path, briefing_id, parsed, split.body, split.body_line, tuple(problems))


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
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise SetupError(f"cannot read {shown}: {exc.strerror}") from exc
    return normalize_text(raw, shown)
