"""The commands. Each is a few lines that call one library function."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from sitrep import builder
from sitrep.builder import project_root
from sitrep.editor_schema import KINDS, json_schema
from sitrep.importer import import_article
from sitrep.load import SetupError
from sitrep.problems import Problem, as_json, has_errors, plural, tally
from sitrep.scaffold import Draft, new_briefing, write_new
from sitrep.schema import missing_day

FORMATS = click.Choice(["text", "json"])
DRAFTS = click.option("--drafts", is_flag=True, help="Include briefings with status: draft.")
PROBLEMS_FORMAT = click.option("--format", "output", type=FORMATS, default="text", show_default=True,
                               help="How to print problems.")


class Command(click.Command):
    """A command whose help ends with examples, written with the name it was called by."""

    def __init__(self, *args: Any, examples: tuple[tuple[str, str], ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.examples = examples

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Write the examples as a section of the help."""
        if self.examples:
            prog = f"{ctx.find_root().info_name} {self.name}"
            with formatter.section("Examples"):
                for args, what in self.examples:
                    formatter.write_text(f"{what[:1].upper()}{what[1:]}:")
                    formatter.write(f"{'':>{formatter.current_indent + 2}}{prog} {args}".rstrip() + "\n")
        super().format_epilog(ctx, formatter)


class Day(click.ParamType[dt.date]):
    """A date written YYYY-MM-DD, refused with the words `check` uses for a day that is not one."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        """Return the date, or fail saying why the text names no day."""
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            why = missing_day(str(value))
            self.fail(f"{why[0]} ({why[1]})" if why else f"expected a date like 2024-11-02, got '{value}'",
                      param, ctx)


class Context:
    """Options shared by every command."""

    def __init__(self, config_file: Path, verbose: bool) -> None:
        self.config_file = config_file
        self.verbose = verbose


@click.group(context_settings={"help_option_names": ["-h", "--help"]},
             epilog="Each command's --help gives its options and examples.")
@click.option("-f", "--config-file", type=click.Path(path_type=Path), default=Path("mkdocs.yml"),
              show_default=True, help="The site's mkdocs.yml; its folder is the project root.")
@click.option("-v", "--verbose", is_flag=True, help="Print the time each stage took, and more.")
@click.version_option(package_name="sitrep")
@click.pass_context
def main(ctx: click.Context, config_file: Path, verbose: bool) -> None:
    """sitrep: turn Markdown briefings into a static report site."""
    ctx.obj = Context(config_file, verbose)
    logging.basicConfig(format="%(levelname)s - %(message)s",
                        level=logging.INFO if verbose else logging.WARNING)


def run(prog_name: str | None = None) -> None:
    """The process's entry point: run a command, then exit without freeing the heap object by
    object (half a second after a build of 10,000 briefings). The exit handlers still run:
    spool folders are removed, streams flushed, threads joined."""
    try:
        main(prog_name=prog_name)
        code = 0
    except SystemExit as stop:
        if isinstance(stop.code, str):
            click.echo(stop.code, err=True)
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, ValueError):  # a closed pipe, a closed stream
            stream.flush()
    os._exit(code)


@main.command(cls=Command, short_help="Validate every briefing and both registries; print every problem.",
              examples=(("", "check the whole site"),
                        ("briefings/2025/*.md --strict", "check these files only; warnings fail too"),
                        ("--format json", "print the problems as a JSON list")))
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output", type=FORMATS, default="text", show_default=True,
              help="text: one problem a line; json: a list of objects.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--cache-dir", type=click.Path(path_type=Path), default=None,
              help="Cache folder, shared with build (default: $SITREP_CACHE_DIR, else .cache/sitrep).")
@click.option("--no-cache", is_flag=True, help="Check every file afresh; read and write no cache.")
@click.pass_obj
def check(obj: Context, paths: tuple[Path, ...], output: str, strict: bool, cache_dir: Path | None,
          no_cache: bool) -> None:
    """Validate every briefing (or just PATHS) and both registries; print every problem."""
    with setup_errors():
        cache = None if no_cache else cache_dir or builder.default_speed(obj.config_file).cache_dir
        problems, timings = builder.check(obj.config_file, list(paths) or None, cache)
    report(problems, output, strict, timings if obj.verbose else None)


@main.command(cls=Command, short_help="Check, then build the site into site/ (all or nothing).",
              examples=(("", "build into site/; the old site stays if anything fails"),
                        ("--out public --strict", "build into public/; warnings fail the build")))
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: site_dir of mkdocs.yml, i.e. site/).")
@DRAFTS
@click.option("--strict", is_flag=True, help="Treat warnings (ours and MkDocs') as errors.")
@PROBLEMS_FORMAT
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes for the pages (default: one per core).")
@click.option("--cache-dir", type=click.Path(path_type=Path), default=None,
              help="Page cache folder (default: $SITREP_CACHE_DIR, else .cache/sitrep).")
@click.option("--no-cache", is_flag=True, help="Build every page afresh; read and write no cache.")
@click.pass_obj
def build(obj: Context, out: Path | None, drafts: bool, strict: bool, output: str, jobs: int | None,
          cache_dir: Path | None, no_cache: bool) -> None:
    """Check, then build the site; the old site stays as it was unless all succeeded."""
    import time

    from sitrep import summary

    start = time.perf_counter()
    with setup_errors():
        speed = builder.default_speed(obj.config_file)
        speed = builder.Speed(jobs or speed.jobs, None if no_cache else cache_dir or speed.cache_dir)
        result = builder.build(obj.config_file, out=out, drafts=drafts, strict=strict, speed=speed)
    serve_with = summary.serve_command(click.get_current_context().find_root().info_name or "sitrep",
                                       sys.argv[0], obj.config_file)
    report(result.problems, output, strict, result.timings if obj.verbose else None,
           failed=result.failed,
           summary=summary.build_summary(result, time.perf_counter() - start, strict, serve_with))


@main.command(cls=Command, short_help="Write the generated pages as files, for any engine.",
              examples=(("--out generated", "write mkdocs.yml, zensical.toml, docs/ and overrides/ there"),
                        ("--out generated --strict", "the same, but write nothing if there is any warning")))
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="The folder to write (replaced if `generate` wrote it before).")
@DRAFTS
@click.option("--strict", is_flag=True, help="Treat warnings as errors: write nothing if there are any.")
@PROBLEMS_FORMAT
@click.pass_obj
def generate(obj: Context, out: Path, drafts: bool, strict: bool, output: str) -> None:
    """Check, then write the pages, feeds, data and assets that the hook adds in memory, with
    content/, the theme overrides and a mkdocs.yml, into OUT: any engine builds the site from it."""
    with setup_errors():
        exported = builder.generate_files(obj.config_file, out, drafts=drafts, strict=strict)
    summary = [] if not exported.written else [
        f"Wrote {exported.pages} pages and {exported.files} other files with content/ into {out} "
        f"({tally(exported.problems, zeros=True) or '0 errors, 0 warnings'}).",
        *(f"Note: {note}." for note in exported.notes),
        f"Build it with `mkdocs build`, `properdocs build` or `zensical build` in {out}."]
    report(exported.problems, output, strict, summary=summary or None, failed=not exported.written)


@main.command(cls=Command, short_help="Preview the site on 127.0.0.1:8000, rebuilt on every save.",
              examples=(("", "preview on http://127.0.0.1:8000, drafts included"),
                        ("--dev-addr 127.0.0.1:8080", "preview on another port")))
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True,
              metavar="HOST:PORT", help="Address to serve the preview on.")
@click.pass_obj
def serve(obj: Context, dev_addr: str) -> None:
    """Preview the site, rebuilt on every save; drafts are shown."""
    with setup_errors():
        builder.serve(obj.config_file, dev_addr=dev_addr)


@main.command(cls=Command, short_help="Write a new briefing from a template; never overwrite.",
              examples=(('"Troops cross the border" --actor Russia --region "Kursk Oblast"',
                         "today's briefing, with its first actor and region"),
                        ('"Ceasefire talks resume" --date 2025-03-11 --tag ceasefire',
                         "a briefing of another day, with a tag")))
@click.argument("title")
@click.option("--date", "day", type=Day(), default=None,
              help="Publication date, YYYY-MM-DD (default: today).")
@click.option("--actor", "actors", multiple=True, help="An actor reference; repeat for more.")
@click.option("--region", "regions", multiple=True, help="A region reference; repeat for more.")
@click.option("--tag", "tags", multiple=True, help="A tag; repeat for more.")
@click.pass_obj
def new(obj: Context, title: str, day: dt.date | None, actors: tuple[str, ...],
        regions: tuple[str, ...], tags: tuple[str, ...]) -> None:
    """Write briefings/YYYY/YYYY-MM-DD-title.md from a template; never overwrite."""
    date = day or dt.date.today()
    with setup_errors():
        path, problems = new_briefing(project_root(obj.config_file),
                                      Draft(title, date, actors, regions, tags))
    for problem in problems:
        hint = f" ({problem.hint})" if problem.hint else ""
        click.echo(f"Error: {problem.message}{hint}", err=True)
    if path is None:
        sys.exit(1)
    shown = path.relative_to(project_root(obj.config_file)).as_posix()
    click.echo(shown)
    prog = click.get_current_context().find_root().info_name
    click.echo(f"Fill it in, then run `{prog} check {shown}`: it names what is still missing.", err=True)


@main.command("import", cls=Command,
              short_help="Turn a plain-text news article into a draft briefing.",
              examples=(('article.txt --publisher "Example News" --url https://example.org/a',
                         "write the draft where `new` would, with the article as its source"),
                        ("- -o - < article.txt", "read the article from stdin, print the draft")))
@click.argument("source", type=click.File("rb"))
@click.option("-o", "--output", "output", default=None, metavar="PATH",
              help="Where to write the draft; '-' prints it (default: where `new` would).")
@click.option("--publisher", default=None, help="Who published the article (for its source).")
@click.option("--url", default=None, help="Where the article was published (for its source).")
@click.pass_obj
def import_(obj: Context, source: Any, output: str | None, publisher: str | None,
            url: str | None) -> None:
    """Turn a plain-text news article (FILE, or - for stdin) into a draft briefing."""
    with setup_errors():
        root = project_root(obj.config_file)
        try:
            text = source.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SetupError(f"{source.name} is not UTF-8 text (byte {exc.start}); "
                             "save the article as UTF-8") from exc
        draft = import_article(root, text, publisher=publisher, url=url)
    if output == "-":
        click.echo(draft.text, nl=False)
        return
    target = Path(output) if output else draft.path
    try:
        written = write_new(target, draft.text)
    except FileExistsError:
        click.echo(f"Error: {target} already exists; not overwritten (use -o to choose a path)",
                   err=True)
        sys.exit(1)
    click.echo(written.relative_to(root).as_posix() if written.is_relative_to(root) else written)
    click.echo("Check every suggestion against the article, then remove `status: draft`.", err=True)


@main.command(cls=Command, short_help="Print the JSON Schema of the front matter or a registry.",
              examples=(("> briefing.schema.json", "the front matter's schema, for an editor"),
                        ("actors", "the schema of registry/actors.yml")))
@click.argument("kind", type=click.Choice(KINDS), default="briefing")
@click.pass_obj
def schema(obj: Context, kind: str) -> None:
    """Print the JSON Schema (2020-12) of a briefing's front matter or of a registry file."""
    click.echo(json.dumps(json_schema(kind), indent=2, ensure_ascii=False))


def report(problems: list[Problem], output: str, strict: bool,
           timings: Iterable[str] | None = None, failed: bool = False,
           summary: list[str] | None = None) -> None:
    """Print problems and timings (and a summary, on stderr, which counts the problems in
    place of the usual line), then exit 1 if they fail the run."""
    if output == "json":
        click.echo(as_json(problems))
    else:
        for problem in problems:
            click.echo(problem.format())
    if os.environ.get("GITHUB_ACTIONS") == "true":  # on stderr when stdout must stay JSON
        for problem in problems:
            click.echo(problem.github_annotation(), err=output == "json")
    files = len({p.path for p in problems})
    if problems and summary is None:
        click.echo(f"{tally(problems, zeros=True)} in {plural(files, 'file')}", err=True)
    for line in [*(timings or ()), *(summary or ())]:
        click.echo(line, err=True)
    if failed or has_errors(problems, strict):
        sys.exit(1)


@contextmanager
def setup_errors() -> Iterator[None]:
    """Turn setup failures into one line on stderr and exit 2, never a traceback."""
    try:
        yield
    except SetupError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
