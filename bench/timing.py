"""Timing helpers: paired, interleaved batches and medians.

Each figure times its subject and its baseline in alternating batches (ours, raw, raw, ours,
...) in the same process, so drift in CPU frequency or background load hits both alike.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field


@dataclass
class Samples:
    """Wall and CPU seconds per operation, one entry per timed batch."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def wall_median(self) -> float:
        return statistics.median(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def spread(self) -> float:
        """(slowest - fastest) / median of the batches: how far to trust the median."""
        return (max(self.wall) - min(self.wall)) / self.wall_median


def _timed(batch: Callable[[], int], into: Samples) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    count = batch()
    into.cpu.append((time.process_time() - cpu) / count)
    into.wall.append((time.perf_counter() - wall) / count)


def paired(
    ours: Callable[[], int], baseline: Callable[[], int], repeats: int
) -> tuple[Samples, Samples]:
    """Time ``ours`` and ``baseline`` (each runs a batch and returns its size), interleaved.

    One untimed batch of each first: connections, caches and lazy imports warm up there.
    """
    ours()
    baseline()
    mine, theirs = Samples(), Samples()
    for round_ in range(repeats):
        order = ((ours, mine), (baseline, theirs))
        for batch, into in order if round_ % 2 == 0 else reversed(order):
            _timed(batch, into)
    return mine, theirs


def run_async(
    loop: asyncio.AbstractEventLoop, coroutine: Callable[[], Awaitable[int]]
) -> Callable[[], int]:
    """A synchronous batch that runs ``coroutine`` to completion on ``loop``."""
    return lambda: loop.run_until_complete(coroutine())


def median(values: list[float]) -> float:
    return statistics.median(values)
