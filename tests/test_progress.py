"""Progress of a long stage: quiet when short, plain lines in logs, a bar on a terminal."""

from __future__ import annotations

import io

from sitrep.progress import Progress


class Clock:
    """A clock the test moves by hand, so that no test waits."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_short_stage_prints_nothing() -> None:
    out, clock = io.StringIO(), Clock()
    shown = Progress("pages", stream=out, interactive=False, clock=clock)
    for done in range(0, 101, 10):
        clock.now += 0.1
        shown(done, 100)
    shown.close()
    assert out.getvalue() == ""


def test_a_long_stage_in_a_log_prints_a_line_every_interval_and_the_total() -> None:
    """In CI (no terminal): stage, count of total and rate, every 5 s, then a closing line."""
    out, clock = io.StringIO(), Clock()
    shown = Progress("pages", stream=out, interactive=False, clock=clock)
    for done in range(0, 1001, 100):
        shown(done, 1000)
        clock.now += 1.5
    shown.close()
    lines = out.getvalue().splitlines()
    assert lines[0] == "pages: 200/1000 (67/s, 3.0 s)"
    assert lines[1] == "pages: 600/1000 (67/s, 9.0 s)"
    assert lines[-1] == "pages: 1000/1000 (61/s, 16.5 s) done"
    assert len(lines) == 4


def test_a_long_stage_on_a_terminal_draws_a_bar_with_count_and_rate() -> None:
    out, clock = io.StringIO(), Clock()
    shown = Progress("pages", stream=out, interactive=True, clock=clock)
    shown(0, 400)
    clock.now += 4
    shown(200, 400)
    shown.close()
    drawn = out.getvalue()
    assert "pages" in drawn and "200/400" in drawn and "50/s" in drawn
