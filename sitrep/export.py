"""`generate --out DIR`: the site's generated pages as files, for any engine.

The hook adds the pages in memory, which only MkDocs 1.x (and ProperDocs) run. This writes
what the hook would add (pages, feeds, data files, assets, sitrep's stylesheet and fonts)
into DIR/docs beside a copy of content/, sitrep's theme overrides and the site's own into
DIR/overrides, and a DIR/mkdocs.yml without the hook: MkDocs, ProperDocs and Zensical each
build the whole site from it. What differs without the hook is in content/how-it-works.md
(#any-engine) and in `notes`.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown
import tomli_w
import yaml
from markdown.extensions.toc import slugify
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from sitrep import sanitize, urls
from sitrep.builder import HOOK_FILE
from sitrep.load import SetupError
from sitrep.mkdocs_hook import conflicts, site_info
from sitrep.problems import Problem, Severity
from sitrep.render import DEFAULT_TEMPLATES, read_span
from sitrep.site import Generated, generate
from sitrep.theme import STYLESHEET, theme_assets

DOCS = "docs"
OVERRIDES = "overrides"
CONFIG = "mkdocs.yml"
ZENSICAL_CONFIG = "zensical.toml"
STAMP = ".sitrep-generated"  # marks a folder that `generate` may replace
HEAD = ("# Written by `sitrep generate` from the site's mkdocs.yml: the generated pages are\n"
        "# files in docs/, so no hook is needed. Build with mkdocs, properdocs or zensical.\n")
# What the hook does that a generated folder cannot: said by `generate`, once a run.
NOTES = (
    "the search index is the theme's own (MkDocs' search plugin, or Zensical's), not sitrep's "
    "sharded one: fine for a few thousand pages",
    "problems in the content are checked here, by generate: the engine does not check them again",
)
ZENSICAL_NOTE = ("Zensical reads zensical.toml, without sitrep's theme overrides ({overrides}: "
                 "Material's templates, with the fixes sitrep makes to them), as its own theme has "
                 "other templates")
ZENSICAL_LEFT_OUT = ("zensical.toml leaves out {settings}, whose values have a tag of MkDocs' YAML "
                     "(!relative, !!python/name) that TOML cannot hold: set them there by hand")
ZENSICAL_PLUGINS = ("Zensical runs no MkDocs plugin's code, but does what some of them do itself: "
                    "see its documentation for {plugins}")


@dataclass
class Exported:
    """What `generate` wrote, or why it wrote nothing."""

    problems: list[Problem]
    out: Path
    pages: int = 0
    files: int = 0
    notes: list[str] = field(default_factory=list)
    written: bool = True


def export(config: Any, staging: Path, *, drafts: bool = False, strict: bool = False) -> Exported:
    """Check and generate the site of a loaded mkdocs.yml, and write it as files into the
    empty folder `staging` (which the caller swaps in). Nothing is written if there is an
    error (or, `strict`, any problem)."""
    root = Path(config.config_file_path).resolve().parent
    settings = engine_settings(config, root)  # an unusable mkdocs.yml stops here, before the check
    generated = generate(root, site_info(config), drafts=drafts)
    problems = [*generated.problems, *conflicts(generated, Path(config.docs_dir), root)]
    if (strict and problems) or any(p.severity is Severity.ERROR for p in problems):
        return Exported(problems, staging, written=False)
    docs = staging / DOCS
    shutil.copytree(config.docs_dir, docs)
    pages = _write_pages(generated, docs, config)
    files = _write_files(generated, docs, root)
    _write_overrides(config, staging / OVERRIDES)
    # the hook keeps its pages out of the navigation, as the site's nav leaves them out
    folders = sorted({f"/{page.uri.split('/')[0]}/" for page in generated.pages if "/" in page.uri})
    settings["not_in_nav"] = "\n".join([*str(settings.get("not_in_nav") or "").splitlines(), *folders])
    (staging / CONFIG).write_text(HEAD + yaml.dump(settings, Dumper=_KeepTagsDumper, sort_keys=False,
                                                   allow_unicode=True), encoding="utf-8")
    toml, left_out = zensical_config(settings)
    (staging / ZENSICAL_CONFIG).write_text(toml, encoding="utf-8")
    (staging / STAMP).write_text("Written by `sitrep generate`: it replaces this folder when run again.\n",
                                 encoding="utf-8")
    plugins = sorted(p for p in config.plugins
                     if p not in ("search", "material/search") and not p.endswith(".py"))  # .py: hooks
    notes = [*NOTES, ZENSICAL_NOTE.format(overrides=OVERRIDES + "/")]
    notes += [ZENSICAL_PLUGINS.format(plugins=", ".join(plugins))] if plugins else []
    notes += [ZENSICAL_LEFT_OUT.format(settings=", ".join(left_out))] if left_out else []
    return Exported(problems, staging, pages, files, notes)


def _write_pages(generated: Generated, docs: Path, config: Any) -> int:
    """Write each generated page's Markdown, what authors wrote already turned into HTML and
    sanitised (the hook does that after MkDocs converts a page; no engine would here)."""
    converter = markdown.Markdown(extensions=config.markdown_extensions,
                                  extension_configs=config.mdx_configs)
    for page in generated.pages:
        text = page.markdown if (page.text is not None or page.source is not None) \
            else str(generated.markdown_of(page.uri))
        _write(docs / page.uri, _trusted(text, converter))
    return len(generated.pages)


def _trusted(text: str, converter: markdown.Markdown) -> str:
    """A page's Markdown with each marked part of author Markdown converted and sanitised,
    as an HTML block that any engine passes through. Its headings' ids give way to those of
    the page's own headings (an author's "Sources" is `sources_1`), as when MkDocs converts
    the whole page."""
    if sanitize.START not in text:
        return text
    taken = {_slug(found[2]) for found in _HEADING.finditer(sanitize.replace_marked(text, lambda _: ""))}

    def convert(fragment: str) -> str:
        html = _unique_ids(sanitize.sanitize(converter.reset().convert(fragment)), taken)
        return f'<div class="sitrep-untrusted">\n{html}\n</div>'

    return sanitize.replace_marked(text, convert)


_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_ID = re.compile(r'\bid="([^"]+)"')


def _slug(heading: str) -> str:
    return str(slugify(re.sub(r"[*_`]|\{.*\}$", "", heading), "-"))


def _unique_ids(html: str, taken: set[str]) -> str:
    """Rename each id of a fragment that the page already has (and the links to it)."""
    renamed: dict[str, str] = {}
    for found in _ID.finditer(html):
        given = found[1]
        if given in taken:
            number = 1
            while f"{given}_{number}" in taken:
                number += 1
            renamed[given] = f"{given}_{number}"
        taken.add(renamed.get(given, given))
    for old, new in renamed.items():
        html = html.replace(f'id="{old}"', f'id="{new}"').replace(f'href="#{old}"', f'href="#{new}"')
    return html


def _write_files(generated: Generated, docs: Path, root: Path) -> int:
    """Write the feeds, data files, the briefings' assets and sitrep's stylesheet and fonts."""
    count = 0
    for output in generated.outputs:
        data = read_span(output.source, output.span) if output.source is not None \
            else output.text.encode("utf-8")
        _write(docs / output.uri, data)
        count += 1
    for briefing_id, asset, target in generated.assets:
        _copy(root / asset, docs / urls.briefing_asset(briefing_id, target))
        count += 1
    for uri, made in theme_assets():
        if isinstance(made, str):
            _write(docs / uri, made)
        else:
            _copy(made, docs / uri)
        count += 1
    return count


def _write_overrides(config: Any, folder: Path) -> None:
    """sitrep's theme overrides, then the site's own custom_dir over them (the site's win, as
    with the hook, where the site's folder comes first)."""
    shutil.copytree(DEFAULT_TEMPLATES / "overrides", folder)
    if config.theme.custom_dir:
        shutil.copytree(config.theme.custom_dir, folder, dirs_exist_ok=True)


def _write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def engine_settings(config: Any, root: Path) -> dict[str, Any]:
    """The site's mkdocs.yml for the generated folder: read as MkDocs reads it (INHERIT
    merged, !ENV resolved); docs_dir and custom_dir in the folder, no sitrep hook and nothing
    for it to watch, sitrep's stylesheet first, the theme's web fonts off (the stylesheet
    serves Roboto), and paths that pointed into the project (snippets, other hooks) made
    absolute."""
    config_file = Path(config.config_file_path)
    try:
        with config_file.open("rb") as source:
            data = dict(yaml_load(source, get_yaml_loader(_KeepTags)))
        data["docs_dir"] = DOCS
        data["site_dir"] = "site"
        data.pop("watch", None)
        hooks = [str((root / str(h)).resolve()) for h in data.pop("hooks", None) or []
                 if (root / str(h)).resolve() != HOOK_FILE]
        if hooks:
            data["hooks"] = hooks
        theme = data.get("theme")
        theme = dict(theme) if isinstance(theme, dict) else {"name": theme or "material"}
        theme["custom_dir"] = OVERRIDES
        theme["font"] = False
        data["theme"] = theme
        extra_css = [c for c in data.get("extra_css") or [] if c != STYLESHEET]
        data["extra_css"] = [STYLESHEET, *extra_css]
        data["markdown_extensions"] = [_absolute_snippets(e, root)
                                       for e in data.get("markdown_extensions") or []]
    except (OSError, ValueError, TypeError, AttributeError, yaml.YAMLError, ConfigurationError) as exc:
        raise SetupError(f"{config_file}: cannot write it for the generated folder: {exc}") from exc
    return data


def zensical_config(settings: dict[str, Any]) -> tuple[str, list[str]]:
    """zensical.toml, which Zensical reads before mkdocs.yml: the same settings without the
    theme overrides, which are Material's templates (Zensical's theme has its own), in its
    classic variant, the look of Material that sitrep's stylesheet is made for; and the
    settings left out, as a value with a tag (!relative, !!python/name) has no TOML form."""
    project = {key: value for key, value in settings.items() if key != "hooks"}
    theme = {key: value for key, value in project["theme"].items() if key != "custom_dir"}
    project["theme"] = {**theme, "variant": "classic"}
    left_out: list[str] = []
    head = HEAD.replace("mkdocs.yml:", "mkdocs.yml, for Zensical:")
    return head + tomli_w.dumps({"project": _untagged(project, "", left_out)}), left_out


def _untagged(value: Any, where: str, left_out: list[str]) -> Any:
    """A value without its tagged parts, whose places are added to `left_out`."""
    if isinstance(value, dict):
        kept = {}
        for key, item in value.items():
            if isinstance(item, _Tagged):
                left_out.append(f"{where}{key}")
            else:
                kept[key] = _untagged(item, f"{where}{key}.", left_out)
        return kept
    if isinstance(value, list):
        left_out += [f"{where}{i}" for i, item in enumerate(value) if isinstance(item, _Tagged)]
        return [_untagged(item, f"{where}{i}.", left_out) for i, item in enumerate(value)
                if not isinstance(item, _Tagged)]
    return value


def _absolute_snippets(extension: Any, root: Path) -> Any:
    """pymdownx.snippets reads files relative to where the engine runs (or to the config's
    folder, with !relative $config_dir): point it at the project."""
    if not isinstance(extension, dict) or "pymdownx.snippets" not in extension:
        return extension
    options = dict(extension["pymdownx.snippets"] or {})
    paths = options.get("base_path", ["."])
    paths = paths if isinstance(paths, list) else [paths]
    options["base_path"] = [str((root / _config_relative(p)).resolve()) for p in paths]
    return {"pymdownx.snippets": options}


def _config_relative(path: Any) -> str:
    """A path of mkdocs.yml as a string, relative to its folder: `!relative $config_dir/x` is x."""
    if isinstance(path, _Tagged) and path.tag == "!relative":
        value = str(path.node.value)
        if value.startswith("$config_dir"):
            return value.removeprefix("$config_dir").lstrip("/") or "."
        raise ValueError(f"pymdownx.snippets' base_path {path.tag} {value} is not below $config_dir")
    return str(path)


class _Tagged:
    """A YAML value with a tag of MkDocs' loader (!ENV, !relative, !!python/name:...), kept
    as written so that the engine reads it as the site's own mkdocs.yml says."""

    def __init__(self, tag: str, node: yaml.Node) -> None:
        self.tag, self.node = tag, node


class _KeepTags(yaml.SafeLoader):
    pass


def _keep(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tagged:
    return _Tagged(node.tag, node)


_KeepTags.add_multi_constructor("!", _keep)
_KeepTags.add_multi_constructor("tag:yaml.org,2002:python/", _keep)


class _KeepTagsDumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper: yaml.SafeDumper, value: _Tagged) -> yaml.Node:
    node = value.node
    node.tag = value.tag
    return node


_KeepTagsDumper.add_representer(_Tagged, _represent_tagged)
