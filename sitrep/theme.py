"""What sitrep adds to the Material theme of every site: overrides, stylesheets, local fonts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import font_roboto
from mkdocs.structure.files import File

from sitrep.render import DEFAULT_TEMPLATES

ASSETS = "assets/sitrep"
STYLESHEETS = ("charts.css", "fonts.css", "print.css")
FONTS = ("Roboto-Light.ttf", "Roboto-Regular.ttf", "Roboto-Italic.ttf", "Roboto-Bold.ttf")


def configure_theme(config: Any) -> None:
    """Add sitrep's overrides and stylesheets, and turn off the theme's Google Fonts."""
    ours = str(DEFAULT_TEMPLATES / "overrides")
    dirs = config.theme.dirs
    if ours not in dirs:  # after the site's own custom_dir, before the theme
        dirs.insert(1 if config.theme.custom_dir else 0, ours)
    config.theme["font"] = False  # fonts.css serves Roboto from the site instead
    for name in STYLESHEETS:
        if f"{ASSETS}/{name}" not in config.extra_css:
            config.extra_css.append(f"{ASSETS}/{name}")


def theme_files(config: Any) -> list[File]:
    """The stylesheets and font files that configure_theme's links point to."""
    files = [File.generated(config, f"{ASSETS}/{name}",
                            abs_src_path=str(DEFAULT_TEMPLATES / "assets" / name))
             for name in STYLESHEETS]
    fonts = Path(font_roboto.font_directory)
    files += [File.generated(config, f"{ASSETS}/fonts/{name}", abs_src_path=str(fonts / name))
              for name in FONTS]
    return files
