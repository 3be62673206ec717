"""One Python-Markdown instance per thread, reset between pages, for MkDocs' Page.render.

MkDocs builds a new `markdown.Markdown` for every page: it loads every extension and compiles
its patterns again, 0.3 ms of a briefing page's 6.7 ms. Python-Markdown documents the other
way, for converting many documents: build one instance and call `reset()` before each, which
clears the instance's stash and references and every extension that registered itself
(`md.registerExtension`) for it. MkDocs' own per-page processors are registered again on each
page under the same names, which replaces the previous page's.

Only extensions known to keep their state behind `reset()` share an instance: Python-Markdown's
own and PyMdown Extensions. With any other extension, every page gets a new instance, as in
MkDocs. `install()` puts the stand-in into mkdocs.structure.pages, where Page.render reaches
`markdown.Markdown`; everything else of the module is Python-Markdown's own.
"""

from __future__ import annotations

import functools
import importlib.metadata
import threading
from types import ModuleType
from typing import Any

import markdown
import mkdocs.structure.pages

from sitrep import compat

_TRUSTED_PREFIXES = ("markdown.extensions.", "pymdownx.")


class _ReusingMarkdown(ModuleType):
    """Stands in for the module `markdown` inside mkdocs.structure.pages."""

    def __init__(self) -> None:
        super().__init__("markdown")
        self._local = threading.local()  # a preview thread may render while a build runs

    def __getattr__(self, name: str) -> Any:
        return getattr(markdown, name)

    def Markdown(self, **options: Any) -> markdown.Markdown:
        extensions = options.get("extensions") or []
        if not all(isinstance(name, str) and trusted(name) for name in extensions):
            return markdown.Markdown(**options)
        key = repr((list(extensions), options.get("extension_configs"), sorted(options)))
        kept: dict[str, markdown.Markdown] = self._local.__dict__.setdefault("instances", {})
        instance = kept.get(key)
        if instance is None:
            kept.clear()  # another configuration: the previous one is done with
            instance = kept[key] = markdown.Markdown(**options)
        else:
            instance.reset()
        return instance


@functools.cache
def trusted(name: str) -> bool:
    """Tell whether an extension is Python-Markdown's own (by its short name or module) or
    one of PyMdown Extensions, which all keep their state behind reset()."""
    if "." not in name:  # a short name: which module does it stand for?
        found = importlib.metadata.entry_points(group="markdown.extensions", name=name)
        name = next((entry.value for entry in found), "")
    return name.startswith(_TRUSTED_PREFIXES)


def install() -> None:
    """Let MkDocs' Page.render reuse instances in this process (and the workers it forks),
    if it still makes them through the name replaced here (see compat)."""
    if not compat.markdown_module_replaceable():
        compat.say_once("one Python-Markdown instance a process", ("mkdocs.structure.pages.markdown",),
                        "each page gets a new instance, as in MkDocs")
        return
    pages = mkdocs.structure.pages
    if not isinstance(getattr(pages, "markdown", None), _ReusingMarkdown):
        setattr(pages, "markdown", _ReusingMarkdown())  # noqa: B010 (the module keeps no such name for mypy)
