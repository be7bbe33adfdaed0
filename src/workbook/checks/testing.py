"""Helpers for testing lab checks: run a check on a planted answer and read its verdict.

    run = functools.partial(run_check, lab02)
    result = run("check_extract", with_options(extract_customers, drop_nulls=False), ...)
    assert "missing keys" in messages(result)
"""
from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from workbook.checks._report import RESULTS, CheckResult


def run_check(lab: ModuleType, check_function: str, *args) -> CheckResult:
    """Run ``lab.check_function(*args)`` and return the verdict it stored."""
    getattr(lab, check_function)(*args)
    return RESULTS[lab.CHECK_NAMES[check_function]]


def messages(result: CheckResult, *, hints: bool = False) -> str:
    """The failure messages of a verdict on one line (with their hints if asked)."""
    return " | ".join(f"{f.message} (hint: {f.hint})" if hints else f.message for f in result.failures)


def placeholder(*args, **kwargs) -> None:
    """A step the learner has not written yet: its body is still ``...``."""
    ...


def with_options(function: Callable, **options) -> Callable:
    """``function`` with keyword options fixed (to plant a mistake), under the same name."""
    def wrapped(*args):
        return function(*args, **options)
    wrapped.__name__ = function.__name__
    return wrapped
