"""The file of a generated page, as MkDocs sees it: its Markdown is read only when MkDocs
reads the page, from where a worker spooled it or by rendering it then (see pages.Rendering
and render_keys). The fast build (parallel_build) asks it for its size and digest. And the
file of a feed or data file that a worker spooled, copied into the site from there."""

from __future__ import annotations

import hashlib
import os
from typing import Any

from mkdocs.structure.files import File, InclusionLevel

from sitrep.render import Output, Page, read_span


class GeneratedPage(File):
    """A generated page whose Markdown a worker wrote into a spool file (see pages.Rendering),
    read only when MkDocs reads the page; or one that was not rendered, as an earlier build
    rendered it from the same inputs (see render_keys), rendered only if MkDocs reads it (on a
    miss of the page cache). Content set later (the preview) replaces either."""

    spooled: Page | None = None
    spooled_size = 0  # its Markdown's bytes, which parallel_build weighs pages by
    digest_mismatch = False  # rendered now, it gave Markdown of another digest than recorded
    markdown_of: Any = None  # renders a page that was not rendered (see Generated)

    @classmethod
    def of(cls, config: Any, page: Page, inclusion: InclusionLevel, markdown_of: Any) -> GeneratedPage:
        file = cls.generated(config, page.uri, content=b"", inclusion=inclusion)
        assert isinstance(file, GeneratedPage)
        file.spooled, file.spooled_size, file.markdown_of = page, max(page.span[1], 0), markdown_of
        return file

    @property
    def markdown_digest(self) -> str | None:
        """The SHA-256 of the page's Markdown, which keys its built page in the cache (known
        without the Markdown for a page not rendered); None once other content replaced it."""
        return self.spooled.digest if self.spooled is not None else None

    @property
    def content_bytes(self) -> bytes:
        if self.spooled is not None and self.spooled.source is not None:
            return read_span(self.spooled.source, self.spooled.span)
        if self.spooled is not None:  # not rendered: render it now
            data = str(self.markdown_of(self.spooled.uri)).encode("utf-8")
            # its cache key went by the digest recorded: a page that no longer matches it
            # (which would be a bug in the render keys) must not be cached under that key
            self.digest_mismatch = hashlib.sha256(data).hexdigest() != self.spooled.digest
            return data
        return super().content_bytes

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        self.spooled, self._content, self.abs_src_path = None, value, None

    @property
    def content_string(self) -> str:
        if self.spooled is not None:
            return self.content_bytes.decode("utf-8-sig")
        return super().content_string

    @content_string.setter
    def content_string(self, value: str) -> None:
        self.spooled, self._content, self.abs_src_path = None, value, None


class SpooledOutput(File):
    """A feed or data file that the worker making them wrote into a spool file (see
    site.generate), so that the build process never holds its text: MkDocs copies it into
    the site from there."""

    spooled: Output

    @classmethod
    def of(cls, config: Any, output: Output) -> SpooledOutput:
        file = cls.generated(config, output.uri, content=b"")
        assert isinstance(file, SpooledOutput)
        file.spooled = output
        return file

    @property
    def content_bytes(self) -> bytes:
        if self.spooled.source is None:  # content set since
            return super().content_bytes
        return read_span(self.spooled.source, self.spooled.span)

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        self.spooled, self._content = Output(self.spooled.uri, ""), value

    def copy_file(self, dirty: bool = False) -> None:
        if self.spooled.source is None:
            return super().copy_file(dirty)
        os.makedirs(os.path.dirname(self.abs_dest_path), exist_ok=True)
        with open(self.abs_dest_path, "wb") as out:
            out.write(self.content_bytes)
