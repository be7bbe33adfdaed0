"""Timing helpers, introduced in chapter 02 (row- vs column-major access)."""
from __future__ import annotations

import timeit
from collections.abc import Callable


def best_time(fn: Callable[[], object], *, repeat: int = 5, number: int | None = None) -> float:
    """Seconds per call of ``fn``: the best of ``repeat`` rounds of ``number`` calls each.

    The minimum is the least disturbed by other work on the machine. ``number`` defaults to
    enough calls for a round to last about 0.05 s.

    >>> best_time(lambda: sum(range(100))) < 0.01
    True
    """
    timer = timeit.Timer(fn)
    if number is None:
        calls, elapsed = timer.autorange()
        number = max(1, int(calls * 0.05 / max(elapsed, 1e-9)))
    return min(timer.repeat(repeat=repeat, number=number)) / number
