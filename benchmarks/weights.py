"""What a built site weighs for its readers, each figure beside the target of issue 15.

Every HTML page at most 300 KB (the largest of all, of an actor's, of a region's pages and of
the timeline's); the first search at most 2 MB (first_search_bytes); the whole site at most
1.5 times plain MkDocs' site of the same bodies; the fonts of a first visit WOFF2 only, and
only the weights the stylesheets use.

The fonts of a first visit are those the home page's stylesheets declare whose unicode-range
covers a letter of the home page (a browser fetches no other subset); which weights its
elements use would take a browser to tell, so every weight declared is counted.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

KB, MB = 1024, 1024 * 1024
PAGE_LIMIT = 300 * KB
SEARCH_LIMIT = 2 * MB
SITE_RATIO = 1.5
_STYLESHEET = re.compile(r"""<link\b[^>]*\brel=["']?stylesheet["']?[^>]*>""", re.I)
_PRELOAD_FONT = re.compile(r"""<link\b[^>]*\bas=["']?font["']?[^>]*>""", re.I)
_HREF = re.compile(r"""\bhref=["']?([^"' >]+)""", re.I)
_FONT_FACE = re.compile(r"@font-face\s*{([^}]*)}", re.I)
_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)(?:\s*format\(\s*["']?([^"')]+)["']?\s*\))?""", re.I)
_WEIGHT = re.compile(r"font-weight\s*:\s*([a-z0-9]+)", re.I)
_STYLE = re.compile(r"font-style\s*:\s*(italic|oblique)", re.I)
_RANGE = re.compile(r"unicode-range\s*:\s*([^;}]*)", re.I)
_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]*>", re.I | re.S)
_NAMED_WEIGHTS = {"normal": "400", "bold": "700", "bolder": "700", "lighter": "300"}


@dataclass(frozen=True)
class Font:
    """One font file a stylesheet of the home page declares, with its face."""

    path: Path
    weight: str
    italic: bool
    ranges: tuple[tuple[int, int], ...] = ((0, 0x10FFFF),)

    def covers(self, text: set[int]) -> bool:
        return any(low <= char <= high for char in text for low, high in self.ranges)

    @property
    def face(self) -> str:
        return self.weight + ("i" if self.italic else "")


def weight_lines(site: Path, plain_site: Path) -> list[str]:
    """The page-weight figures of a built site, one line each, with met or NOT met."""
    pages = {path: path.stat().st_size for path in site.rglob("*.html")}
    lines = [_page_line("largest page", site, pages)]
    for label, folder in (("largest actor page", "actors"), ("largest region page", "regions"),
                          ("largest timeline", "timeline")):
        chosen = {p: size for p, size in pages.items() if _under(site, p, folder)}
        lines.append(_page_line(label, site, chosen, f"{len(chosen):,} pages"))
    size, what = first_search_bytes(site)
    lines.append(f"first search        {size / MB:8.2f} MB   {what}   "
                 f"target <= 2 MB   {_met(0 < size <= SEARCH_LIMIT)}")
    (ours, ours_disk), (plain, plain_disk) = _folder_size(site), _folder_size(plain_site)
    lines.append(f"site size           {ours / MB:8.1f} MB   plain MkDocs {plain / MB:.1f} MB, "
                 f"ratio {ours / max(1, plain):.2f} (on disk, as du counts: {ours_disk / MB:.0f} MB, "
                 f"{plain_disk / MB:.0f} MB)   target <= {SITE_RATIO} x   {_met(ours <= SITE_RATIO * plain)}")
    lines.append(_font_line(site))
    return lines


def first_search_bytes(site: Path, shown: int = 20) -> tuple[int, str]:
    """What a reader's first search fetches at most, and how it was counted.

    Material's own search loads search/search_index.json whole. With sitrep's Pagefind
    index (that file then lists its shards), a first search fetches the file, the worker,
    the first shard's pagefind.js and one WebAssembly file, each shard's entry and metadata
    and, for a one-word query, at most its largest index chunk, then the fragments of the
    results shown: the largest `shown` ones are counted."""
    listing = site / "search" / "search_index.json"
    if not listing.exists():
        return 0, "no search/search_index.json"
    config = json.loads(listing.read_text(encoding="utf-8")).get("config", {})
    shards = [site / shard for shard in config.get("sitrep", {}).get("shards", [])]
    if not shards:
        return listing.stat().st_size, "search/search_index.json (Material's, whole)"
    files = [listing, site / "assets" / "sitrep" / "search-worker.js", shards[0] / "pagefind.js",
             *sorted(shards[0].glob("wasm.*.pagefind"))[:1]]
    files += [path for shard in shards for path in (shard / "pagefind-entry.json", *shard.glob("*.pf_meta"))]
    fixed = sum(path.stat().st_size for path in files if path.is_file())
    chunks = sum(max(_sizes(shard / "index"), default=0) for shard in shards)
    fragments = sum(sorted((size for shard in shards for size in _sizes(shard / "fragment")),
                           reverse=True)[:shown])
    return (fixed + chunks + fragments,
            f"Pagefind, {len(shards)} shard(s): files, largest chunk a shard, {shown} largest fragments")


def _sizes(folder: Path) -> list[int]:
    return [path.stat().st_size for path in folder.glob("*") if path.is_file()]


def _page_line(label: str, site: Path, pages: dict[Path, int], note: str = "") -> str:
    if not pages:
        return f"{label:20}     none   target <= 300 KB   met"
    path = max(pages, key=lambda p: (pages[p], str(p)))
    extra = f" ({note})" if note else ""
    return (f"{label:20}{pages[path] / KB:8.1f} KB   {path.relative_to(site).as_posix()}{extra}   "
            f"target <= 300 KB   {_met(pages[path] <= PAGE_LIMIT)}")


def _font_line(site: Path) -> str:
    declared, used = first_visit_fonts(site)
    home = (site / "index.html").read_text(encoding="utf-8", errors="replace")
    text = {ord(char) for char in html.unescape(_TAGS.sub(" ", home))}
    fonts = [font for font in declared if font.covers(text)]
    total = sum(font.path.stat().st_size for font in fonts if font.path.exists())
    listed = ", ".join(f"{font.path.name} {font.path.stat().st_size / KB:.0f} KB" if font.path.exists()
                       else f"{font.path.name} (missing)" for font in fonts)
    why = [] if all(font.path.suffix.lower() == ".woff2" for font in fonts) else ["not all WOFF2"]
    why += ["missing files"] if any(not font.path.exists() for font in fonts) else []
    unused = sorted({font.face for font in declared} - used)
    why += [f"faces no stylesheet uses: {', '.join(unused)}"] if unused else []
    return (f"fonts, first visit  {len(fonts):8d} files, {total / KB:.0f} KB "
            f"(of {len(declared)} declared): {listed or 'none'}   "
            f"target WOFF2 only, only the weights used   {_met(not why)}"
            + (f" ({'; '.join(why)})" if why else ""))


def first_visit_fonts(site: Path) -> tuple[list[Font], set[str]]:
    """The font files the home page's stylesheets and preloads declare (a browser that reads
    WOFF2 takes the first WOFF2 source of each face), and the faces the stylesheets use."""
    home = (site / "index.html").read_text(encoding="utf-8", errors="replace")
    fonts: dict[Path, Font] = {}
    used: set[str] = set()
    for tag in _STYLESHEET.findall(home):
        href = _HREF.search(tag)
        sheet = _local(site, site, href.group(1)) if href else None
        if sheet is None or not sheet.exists():
            continue
        css = sheet.read_text(encoding="utf-8", errors="replace")
        for block in _FONT_FACE.findall(css):
            font = _face(site, sheet.parent, block)
            if font is not None:
                fonts.setdefault(font.path, font)
        rules = _FONT_FACE.sub("", css)
        weights = {_NAMED_WEIGHTS.get(w.lower(), w) for w in _WEIGHT.findall(rules)}
        used |= weights | {"400"}  # the body text's weight is the default, named or not
        if _STYLE.search(rules):
            used |= {f"{weight}i" for weight in used}
    for tag in _PRELOAD_FONT.findall(home):
        href = _HREF.search(tag)
        path = _local(site, site, href.group(1)) if href else None
        if path is not None:
            fonts.setdefault(path, Font(path, "400", False))
    return list(fonts.values()), used


def _face(site: Path, folder: Path, block: str) -> Font | None:
    sources = _URL.findall(block)
    if not sources:
        return None
    url = next((u for u, kind in sources if kind.lower() == "woff2" or u.lower().endswith(".woff2")),
               sources[0][0])
    path = _local(site, folder, url)
    if path is None:
        return None
    weight = _WEIGHT.search(block)
    value = _NAMED_WEIGHTS.get(weight.group(1).lower(), weight.group(1)) if weight else "400"
    ranges = _RANGE.search(block)
    return Font(path, value, bool(_STYLE.search(block)),
                _ranges(ranges.group(1)) if ranges else ((0, 0x10FFFF),))


def _ranges(value: str) -> tuple[tuple[int, int], ...]:
    """'U+0000-00FF, U+0131, U+04??' as (low, high) code points."""
    found = []
    for part in value.split(","):
        code = part.strip().upper().removeprefix("U+")
        low, _, high = code.partition("-")
        try:
            if "?" in low:
                found.append((int(low.replace("?", "0"), 16), int(low.replace("?", "F"), 16)))
            else:
                found.append((int(low, 16), int(high or low, 16)))
        except ValueError:
            continue
    return tuple(found)


def _local(site: Path, folder: Path, url: str) -> Path | None:
    """The file of a URL on this site (None for another site's, e.g. Google Fonts)."""
    if re.match(r"^[a-z]+:|^//", url, re.I):
        return None
    url = url.split("?")[0].split("#")[0]
    return (site / url.lstrip("/")) if url.startswith("/") else (folder / url).resolve()


def _under(site: Path, page: Path, folder: str) -> bool:
    """Whether a page is one of a folder's own pages (actors/x/...), not its list (actors/)."""
    parts = page.relative_to(site).parts
    if folder == "timeline":
        return parts[0] == folder
    return parts[0] == folder and len(parts) > 2 and parts[1] != "page"


def _folder_size(folder: Path) -> tuple[int, int]:
    """The bytes of a folder's files, and the bytes they take on disk (whole blocks)."""
    stats = [path.stat() for path in folder.rglob("*") if path.is_file()]
    return sum(s.st_size for s in stats), sum(s.st_blocks * 512 for s in stats)


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"
