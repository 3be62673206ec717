"""Problems: what is wrong with the input, where, and how to fix it."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, at a line and column (1-based; 0 when unknown)."""

    path: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str
    hint: str = ""

    def format(self) -> str:
        """Render as `path:line:col: severity: message (hint) [code]`."""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}{hint} [{self.code}]"

    def github_annotation(self) -> str:
        """Render as a GitHub Actions workflow command."""
        kind = "error" if self.severity is Severity.ERROR else "warning"
        text = f"{self.message} ({self.hint})" if self.hint else self.message
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{kind} file={self.path},line={self.line},col={self.column},title={self.code}::{text}"


def error(path: str, line: int, column: int, code: str, message: str, hint: str = "") -> Problem:
    """Make an error; messages and hints are kept on one line."""
    return Problem(path, line, column, Severity.ERROR, code, _one_line(message), _one_line(hint))


def warning(path: str, line: int, column: int, code: str, message: str, hint: str = "") -> Problem:
    """Make a warning; messages and hints are kept on one line."""
    return Problem(path, line, column, Severity.WARNING, code, _one_line(message), _one_line(hint))


def _one_line(text: str) -> str:
    return " ".join(text.split()) if "\n" in text or "\r" in text else text


def plural(count: int, word: str) -> str:
    """Return e.g. "1 warning", "13 warnings"."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def tally(problems: Iterable[Problem], zeros: bool = False) -> str:
    """Count problems in words: '1 error, 14 warnings', '2 errors', '14 warnings'; a kind with
    none is left out unless zeros ('0 errors, 14 warnings'), and no problem at all gives an
    empty string."""
    found = list(problems)
    errors = sum(p.severity is Severity.ERROR for p in found)
    counts = ((errors, "error"), (len(found) - errors, "warning"))
    return ", ".join(plural(n, kind) for n, kind in counts if n or (zeros and found))


def by_severity(problems: Iterable[Problem]) -> list[Problem]:
    """Sort problems errors first, then warnings, each by file, line and column."""
    return sorted(problems, key=lambda p: (p.severity is not Severity.ERROR, p))


def has_errors(problems: Iterable[Problem], strict: bool = False) -> bool:
    """Tell whether the problems should fail a check (warnings count under --strict)."""
    return any(p.severity is Severity.ERROR or strict for p in problems)


def as_json(problems: Iterable[Problem]) -> str:
    """Render problems as the JSON list of the --format json output."""
    return json.dumps([asdict(p) for p in sorted(problems)], indent=2, ensure_ascii=False)


def did_you_mean(word: str, candidates: Iterable[str], n: int = 3) -> str:
    """Return a "did you mean" hint naming the closest candidates, or an empty string."""
    pool = list(dict.fromkeys(candidates))
    lowered = {c.lower(): c for c in pool}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.6)
    if not close:
        return ""
    names = " or ".join(f"'{lowered[c]}'" for c in close)
    return f"did you mean {names}?"
