"""The one executor of forked work (sitrep.workers.Forked) and its plain serial default
(sitrep.seam.Serial): the same results, and the work may close over state that cannot be
pickled, since forked workers share it."""

from __future__ import annotations

import ast
import os
import threading

import pytest
from test_layers import SITREP

from sitrep.seam import Executor, Serial
from sitrep.workers import Forked

CHUNKS = [list(range(start, start + 5)) for start in range(0, 40, 5)]


@pytest.mark.parametrize("run", [Serial(), Forked(2)], ids=["serial", "forked"])
def test_both_executors_give_every_chunk_s_result_and_the_first_work_s(run: Executor) -> None:
    lock = threading.Lock()  # a lock cannot be pickled: the work reaches it through the fork
    parent = os.getpid()

    def total(chunk: list[int]) -> tuple[int, bool]:
        with lock:
            return sum(chunk), os.getpid() != parent

    ordered = run.map(total, CHUNKS, first=lambda: ("feeds", os.getpid() != parent))
    try:
        results = list(ordered)
        first = ordered.first()
    finally:
        ordered.close()
    assert [value for value, _ in results] == [sum(chunk) for chunk in CHUNKS]
    elsewhere = {away for _, away in results} | {first[1]}
    assert first[0] == "feeds" and elsewhere == ({True} if run.workers > 1 else {False})

    unordered = run.map(total, CHUNKS, ordered=False)
    try:
        assert sorted(value for value, _ in unordered) == sorted(sum(chunk) for chunk in CHUNKS)
    finally:
        unordered.close()


def test_a_failure_in_a_worker_reaches_the_stage_that_mapped_it() -> None:
    def fail(chunk: list[int]) -> int:
        raise ValueError(f"chunk {chunk[0]} is bad")

    batch = Forked(2).map(fail, CHUNKS)
    with pytest.raises(ValueError, match="chunk 0 is bad"):
        try:
            list(batch)
        finally:
            batch.close()


def test_no_module_but_the_executor_starts_processes() -> None:
    """One executor for all forked work: no other module of sitrep makes a pool or a process."""
    starting = {"multiprocessing", "concurrent.futures.process", "ProcessPoolExecutor", "os.fork"}
    found = {}
    for path in SITREP.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
                 for alias in node.names}
        names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        calls = {f"{node.value.id}.{node.attr}" for node in ast.walk(tree)
                 if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)}
        if hits := sorted(name for name in names | calls if name.split(".pool")[0] in starting):
            found[path.stem] = hits
    assert set(found) == {"workers"}, found
