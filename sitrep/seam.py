"""The seam between the pipeline and the speed layer, from the pipeline's side.

The pipeline's stages (load, validate, index, feeds, data) are plain serial code; they ask
whatever remembers results for them through the protocol here, and get its plain default
when nothing faster is handed in. The speed layer implements it (sitrep.pieces keeps each
briefing's pieces from build to build) and is handed in by sitrep.site, which also decides
how the cycle collector runs around each stage (sitrep.collector). A test holds the rule
that the pipeline's modules never import the speed layer's.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, Protocol, TypeVar

from sitrep.model import Briefing

T = TypeVar("T")
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)


class Remember(Protocol):
    """Each briefing's piece of a kind (its Atom entry, its line of briefings.json), made once."""

    def get(self, kind: str, briefing: Briefing, make: Callable[[Briefing], str]) -> str: ...


class Once:
    """The plain default: each piece made once a build (a briefing's Atom entry is in up to
    ten feeds), kept in memory until the build ends."""

    def __init__(self) -> None:
        self.made: dict[tuple[str, str], str] = {}

    def get(self, kind: str, briefing: Briefing, make: Callable[[Briefing], str]) -> str:
        at = (kind, briefing.path)
        if at not in self.made:
            self.made[at] = make(briefing)
        return self.made[at]


class Batch(Protocol[R_co]):
    """A stage's work under way: each chunk's result as it comes, then closed."""

    def __iter__(self) -> Iterator[R_co]: ...

    def first(self) -> Any:
        """What the work given as `first` returned (None if there was none)."""

    def close(self) -> None:
        """Stop what still runs; the results not yet taken are lost."""


class Executor(Protocol):
    """How a stage's work is mapped over its chunks: the one interface of forked work."""

    workers: int

    def map(self, work: Callable[[T], R], chunks: Sequence[T], *, ordered: bool = True,
            first: Callable[[], Any] | None = None) -> Batch[R]:
        """Start `work` on every chunk, and `first` (a longer piece of work) before them all;
        the results come in the chunks' order if `ordered`, else as they are done."""


class Serial:
    """The plain default: every chunk in this process, one after the other, when its result
    is asked for; `first` when its result is."""

    workers = 1

    def map(self, work: Callable[[T], R], chunks: Sequence[T], *, ordered: bool = True,
            first: Callable[[], Any] | None = None) -> Batch[R]:
        return _SerialBatch(work, chunks, first)


class _SerialBatch(Generic[T, R]):
    def __init__(self, work: Callable[[T], R], chunks: Sequence[T],
                 first: Callable[[], Any] | None) -> None:
        self._work, self._chunks, self._first = work, chunks, first

    def __iter__(self) -> Iterator[R]:
        return map(self._work, self._chunks)

    def first(self) -> Any:
        return self._first() if self._first is not None else None

    def close(self) -> None:
        pass


class Guard(ABC):
    """What a keyed page's template reads instead of a part of the site index, recording its
    reads (sitrep.render_keys.IndexGuard and its mappings). A template that reads one of its
    private names (`index._index`) reaches past the recording: the renderer touches it."""

    @abstractmethod
    def touch(self) -> None:
        """Mark the page as unkeyable: its template reached past the recording."""


Recorded = tuple[str, tuple[Any, ...]]  # a page's input key and what its template read


class PageKeys(Protocol):
    """How the renderer keys the pages it renders, so that a warm build skips those rendered
    before from the same inputs (sitrep.render_keys.RenderKeys). With none, every page is
    rendered every time."""

    def input_key(self, template: str, uri: str, context: dict[str, Any]) -> str | None:
        """A page's input key; None if its context holds something without a stable form."""

    def rendered_before(self, index: Any, key: str) -> tuple[str, Recorded, str] | None:
        """If the last build rendered a page with this input key, and what it read is
        unchanged: its final key, its record and the digest of its Markdown."""

    def watch(self, index: Any) -> Any:
        """The index a keyed page's template gets: one that records what it reads."""

    def key_of(self, index: Any, key: str, watched: Any, whole: list[str]) -> tuple[str, Recorded] | None:
        """The final key of a page rendered now, and its record, from what its template read
        of the watched index and the briefings it read whole; None if it cannot be keyed."""
