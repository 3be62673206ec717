"""The seam between the pipeline and the speed layer, from the pipeline's side.

The pipeline's stages (load, validate, index, feeds, data) are plain serial code; they ask
whatever remembers results for them through the protocol here, and get its plain default
when nothing faster is handed in. The speed layer implements it (sitrep.pieces keeps each
briefing's pieces from build to build) and is handed in by sitrep.site, which also decides
how the cycle collector runs around each stage (sitrep.collector). A test holds the rule
that the pipeline's modules never import the speed layer's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from sitrep.model import Briefing


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
