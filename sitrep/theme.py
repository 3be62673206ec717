"""What sitrep adds to the Material theme of every site: overrides, stylesheets, local fonts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File

from sitrep.render import DEFAULT_TEMPLATES

ASSETS = "assets/sitrep"
STYLESHEET = f"{ASSETS}/theme.css"  # one file, so a page links one stylesheet of sitrep's, not eight
STYLESHEETS = ("fonts.css", "charts.css", "maps.css", "tables.css", "lists.css", "print.css", "problems.css",
               "search.css")
SCRIPTS = ("filter.js",)  # copied to ASSETS; the pages that need one link it
OWN_ASSETS = DEFAULT_TEMPLATES / "assets"
FONTS = OWN_ASSETS / "fonts"  # Roboto as WOFF2 subsets, made by make_fonts.py there


def configure_theme(config: Any) -> None:
    """Add sitrep's overrides and stylesheet, and turn off the theme's Google Fonts."""
    ours = str(DEFAULT_TEMPLATES / "overrides")
    dirs = config.theme.dirs
    if ours not in dirs:  # after the site's own custom_dir, before the theme
        dirs.insert(1 if config.theme.custom_dir else 0, ours)
    config.theme["font"] = False  # theme.css serves Roboto from the site instead
    if STYLESHEET not in config.extra_css:
        config.extra_css.insert(0, STYLESHEET)  # before the site's own, which may override it


def stylesheet() -> str:
    """sitrep's stylesheets (templates/assets/*.css) joined into one, each under its name."""
    return "".join(f"/* {name} */\n{(DEFAULT_TEMPLATES / 'assets' / name).read_text(encoding='utf-8')}\n"
                   for name in STYLESHEETS)


def theme_assets() -> list[tuple[str, str | Path]]:
    """The stylesheet (its text) that configure_theme's link points to, and the scripts and
    fonts (their files), by their path in the site."""
    assets: list[tuple[str, str | Path]] = [(STYLESHEET, stylesheet())]
    assets += [(f"{ASSETS}/{name}", OWN_ASSETS / name) for name in SCRIPTS]
    assets += [(f"{ASSETS}/fonts/{font.name}", font) for font in sorted(FONTS.glob("*.woff2"))]
    return assets


def theme_files(config: Any) -> list[File]:
    """The theme's assets as MkDocs' files."""
    return [File.generated(config, uri, content=source) if isinstance(source, str)
            else File.generated(config, uri, abs_src_path=str(source)) for uri, source in theme_assets()]


_KEPT = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>)", re.DOTALL | re.IGNORECASE)
_INDENT = re.compile(r"\n\s+")


def compact_html(html: str) -> str:
    """Drop the indentation and blank lines of a built page (Material's templates indent every
    tag: 2.6 KB of an 18 KB briefing page), outside <pre> and <textarea>, whose spaces show.
    A line break stays where there was one, so the page reads the same in a browser, and its
    inline scripts, split by lines, too."""
    parts = _KEPT.split(html)
    parts[::2] = [_INDENT.sub("\n", part) for part in parts[::2]]
    return "".join(parts)
