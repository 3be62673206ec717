"""The private parts of MkDocs, Material and Python-Markdown that sitrep relies on, in one place.

Their authors do not promise to keep them, so each is checked when it is first needed, and
the code that uses it falls back to the dependency's own way, saying so under --verbose:

- MkDocs' page functions (`mkdocs.commands.build._populate_page`, `_build_page`,
  `_build_theme_template`, `_build_extra_template`), which the fast build calls in its
  workers (sitrep.parallel_build). Without them: MkDocs' own build, one page at a time.
- The reload epoch of MkDocs' preview server (`LiveReloadServer._build_loop`, `_epoch_cond`,
  `_visible_epoch`, `_wanted_epoch`, and `mkdocs.livereload._timestamp`), by which the preview
  reloads browsers after a build behind (sitrep.preview). Without them: a full build after
  every save, as `mkdocs serve` does.
- The name through which MkDocs' pages make a Python-Markdown instance
  (`mkdocs.structure.pages.markdown`), which sitrep.markdown_reuse replaces. Without it: a
  new instance a page, as in MkDocs.
- The options of Material's search plugin (`lang`, `separator`, `pipeline`, `fields`) that
  the search box reads once sitrep's search takes the plugin's place (sitrep.search).
  Without them: Material's own search.

A test per dependency removes its part and checks the fallback.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from typing import Any

import mkdocs.livereload
import mkdocs.structure.pages
from mkdocs.commands import build as mkdocs_build

log = logging.getLogger(__name__)

PAGE_FUNCTIONS = {  # name: the parameters sitrep passes, in order
    "_populate_page": ("page", "config", "files", "dirty"),
    "_build_page": ("page", "config", "doc_files", "nav", "env", "dirty", "excluded"),
    "_build_theme_template": ("template_name", "env", "files", "config", "nav"),
    "_build_extra_template": ("template_name", "files", "config", "nav"),
}
SERVER_PARTS = ("_build_loop", "_epoch_cond", "_visible_epoch", "_wanted_epoch")
SEARCH_OPTIONS = ("lang", "separator", "pipeline", "fields")


def _takes(function: Any, parameters: tuple[str, ...]) -> bool:
    try:
        found = tuple(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return False
    return found[:len(parameters)] == parameters


def missing_page_functions() -> list[str]:
    """Name the page functions of MkDocs that are gone or take other parameters."""
    return [f"mkdocs.commands.build.{name}" for name, parameters in PAGE_FUNCTIONS.items()
            if not _takes(getattr(mkdocs_build, name, None), parameters)]


def page_functions() -> dict[str, Callable[..., Any]]:
    """MkDocs' page functions, by name; the caller checked missing_page_functions()."""
    return {name: getattr(mkdocs_build, name) for name in PAGE_FUNCTIONS}


def missing_server_parts(server: Any) -> list[str]:
    """Name the parts of a running preview server that the reload after a build behind needs."""
    found = [f"LiveReloadServer.{name}" for name in SERVER_PARTS if not hasattr(server, name)]
    if not callable(getattr(mkdocs.livereload, "_timestamp", None)):
        found.append("mkdocs.livereload._timestamp")
    return found


def announce_build(server: Any) -> None:
    """Tell the browsers of a preview server to reload, unless its own rebuild is running (its
    wanted epoch is ahead): that rebuild announces the site when it is done."""
    if server._visible_epoch == server._wanted_epoch:
        server._wanted_epoch = server._visible_epoch = mkdocs.livereload._timestamp()
        server._epoch_cond.notify_all()


def serve_url(host: str, port: int, path: str) -> str:
    """The address the preview serves on, as MkDocs' preview writes it."""
    made = getattr(mkdocs.livereload, "_serve_url", None)
    if callable(made):
        return str(made(host, port, path))
    mount = "/" + path.strip("/") + "/" if path.strip("/") else "/"
    return f"http://{host}:{port}{mount}"


def markdown_module_replaceable() -> bool:
    """Tell whether MkDocs' pages make Python-Markdown instances through the module name that
    sitrep.markdown_reuse replaces: Page.render reads the module-level name `markdown`."""
    render = getattr(getattr(mkdocs.structure.pages, "Page", None), "render", None)
    names = getattr(getattr(render, "__code__", None), "co_names", ())
    return hasattr(mkdocs.structure.pages, "markdown") and "markdown" in names


def missing_search_options(plugin: Any) -> list[str]:
    """Name the options of Material's search plugin that its search box reads but the plugin
    no longer has."""
    config = getattr(plugin, "config", None)
    return [f"material/search: {name}" for name in SEARCH_OPTIONS
            if config is None or name not in config]


@functools.cache
def say_once(what: str, missing: tuple[str, ...], instead: str) -> None:
    """Say under --verbose, once a process, what is missing and what runs instead."""
    log.info("%s: this version lacks %s; %s", what, ", ".join(missing), instead)
