"""Make the WOFF2 fonts that every sitrep site serves, and fonts.css, from the font-roboto package.

    .venv/bin/python templates/assets/fonts/make_fonts.py [FOLDER]

Roboto (Apache License 2.0, see LICENSE beside this file) comes as TrueType in the font-roboto
package, 300 KB a weight. As Google Fonts does, each weight that Material's stylesheet uses
(300, 400, 400 italic, 700) is cut into subsets by script and compressed as WOFF2; fonts.css
names each subset's unicode-range, so a browser fetches only the subsets a page's text needs.
The outputs are committed: a build only copies them. Run this again after changing a subset or
the font package, and review the sizes it prints.
"""

from __future__ import annotations

import sys
from pathlib import Path

import font_roboto
from fontTools import subset

HERE = Path(__file__).resolve().parent
CSS = HERE.parent / "fonts.css"
WEIGHTS = {  # file of font-roboto: (CSS style, CSS weight, our name)
    "Roboto-Light.ttf": ("normal", 300, "roboto-300"),
    "Roboto-Regular.ttf": ("normal", 400, "roboto-400"),
    "Roboto-Italic.ttf": ("italic", 400, "roboto-400-italic"),
    "Roboto-Bold.ttf": ("normal", 700, "roboto-700"),
}
# The ranges of Google Fonts' latin, latin-ext and cyrillic subsets of Roboto.
SUBSETS = {
    "latin": "U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, "
             "U+0308, U+0329, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, "
             "U+FEFF, U+FFFD",
    "latin-ext": "U+0100-02BA, U+02BD-02C5, U+02C7-02CC, U+02CE-02D7, U+02DD-02FF, U+0304, "
                 "U+0308, U+0329, U+1D00-1DBF, U+1E00-1E9F, U+1EF2-1EFF, U+2020, U+20A0-20AB, "
                 "U+20AD-20C0, U+2113, U+2C60-2C7F, U+A720-A7FF",
    "cyrillic": "U+0301, U+0400-045F, U+0490-0491, U+04B0-04B1, U+2116",
}


def codepoints(ranges: str) -> list[int]:
    """Return the code points of a CSS unicode-range list."""
    points: list[int] = []
    for part in ranges.split(","):
        first, _, last = part.strip().removeprefix("U+").partition("-")
        points.extend(range(int(first, 16), int(last or first, 16) + 1))
    return points


def make_font(source: Path, target: Path, ranges: str) -> None:
    """Write the glyphs of a range list (with their kerning and ligatures) as WOFF2."""
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints(ranges))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def font_face(style: str, weight: int, file: str, ranges: str) -> str:
    """Return the @font-face rule of one subset of one weight."""
    return (f'@font-face {{ font-family: "Roboto"; font-style: {style}; font-weight: {weight}; '
            f'font-display: swap; src: url("fonts/{file}") format("woff2"); '
            f"unicode-range: {ranges}; }}")


def main(out: Path = HERE, css: Path = CSS) -> None:
    """Write every weight's subsets into out, and their @font-face rules into css."""
    source = Path(font_roboto.font_directory)
    faces = []
    for ttf, (style, weight, name) in WEIGHTS.items():
        for script, ranges in SUBSETS.items():
            file = f"{name}-{script}.woff2"
            make_font(source / ttf, out / file, ranges)
            faces.append(font_face(style, weight, file, ranges))
            print(f"{file}: {(out / file).stat().st_size / 1024:.1f} KB")
    css.write_text("/* Roboto served from the site itself, as WOFF2 subsets by script: no request to\n"
                   "   Google Fonts, the site works offline, and a page fetches only what its text needs.\n"
                   "   Written by fonts/make_fonts.py. */\n" + "\n".join(faces)
                   + '\n:root { --md-text-font: "Roboto"; }\n')


if __name__ == "__main__":
    if len(sys.argv) > 1:  # a folder to write into instead, as the tests do
        main(Path(sys.argv[1]), Path(sys.argv[1]) / "fonts.css")
    else:
        main()
