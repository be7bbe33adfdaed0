"""Lab checks that teach: each says passed, not done yet, or what is wrong and a hint why.

A check never raises into the learner's notebook: an unfinished step reports "not done yet",
an exception in the learner's code is reported with its type, message and line.

    with checking("Step 1 · add") as c:
        total = c.call(add, 2, 2)            # "not done yet" while add is a placeholder
        c.expect(total == 4, f"add(2, 2) returned {total}, expected 4", hint="check the operator")
"""
from __future__ import annotations

import contextlib
import html
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

PASS, FAIL, NOT_DONE = "pass", "fail", "not done"
MIME = "application/vnd.workbook.check+json"
_ICONS = {PASS: "✅", FAIL: "❌", NOT_DONE: "⏳"}
_COLOURS = {PASS: "#1a7f37", FAIL: "#cf222e", NOT_DONE: "#9a6700"}


class NotDone(Exception):
    """Raised inside a check when the learner has not written this step yet."""


@dataclass
class Failure:
    """One expectation that did not hold."""

    message: str
    hint: str = ""


@dataclass
class CheckResult:
    """The outcome of one check, displayed as a coloured box in notebooks."""

    name: str
    status: str = PASS
    failures: list[Failure] = field(default_factory=list)
    detail: str = ""

    @property
    def passed(self) -> bool:
        return self.status == PASS

    def _lines(self) -> list[str]:
        head = {PASS: "passed", FAIL: "not right yet", NOT_DONE: "not done yet"}[self.status]
        lines = [f"{_ICONS[self.status]} {self.name}: {head}"]
        if self.detail:
            lines.append(f"   {self.detail}")
        for f in self.failures:
            lines.append(f"   - {f.message}")
            if f.hint:
                lines.append(f"     hint: {f.hint}")
        return lines

    def __str__(self) -> str:
        return "\n".join(self._lines())

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        items = "".join(
            f"<li>{html.escape(f.message)}" + (f"<br><i>Hint: {html.escape(f.hint)}</i>" if f.hint else "") + "</li>"
            for f in self.failures
        )
        head = html.escape(self._lines()[0])
        detail = f"<div>{html.escape(self.detail)}</div>" if self.detail else ""
        box = (
            f"<div style='border-left:4px solid {_COLOURS[self.status]};padding:4px 10px;margin:4px 0'>"
            f"<b>{head}</b>{detail}{f'<ul>{items}</ul>' if items else ''}</div>"
        )
        data = {"name": self.name, "status": self.status, "failures": [f.message for f in self.failures]}
        return {"text/plain": str(self), "text/html": box, MIME: data}


RESULTS: dict[str, CheckResult] = {}
"""The latest result of every check run in this kernel, by name (see :func:`summary`)."""


class LearnerCodeError(Exception):
    """The learner's code raised; carries a short description for the report."""


class Stop(Exception):
    """Raised by :meth:`Check.require`: an expectation the rest of the check depends on failed."""


class Check:
    """Collects expectations inside :func:`checking`."""

    def __init__(self, name: str):
        self.result = CheckResult(name)

    def value(self, obj: object, name: str) -> object:
        """Return ``obj``, or stop with "not done yet" if it is still a placeholder (``...``/None)."""
        if obj is Ellipsis or obj is None:
            raise NotDone(f"`{name}` is still a placeholder: replace the `...` with your code.")
        return obj

    def call(self, fn: Callable | None, *args, **kwargs) -> object:
        """Call the learner's function; a placeholder or a ``None`` result means "not done yet"."""
        name = getattr(fn, "__name__", "this step")
        if fn is None or fn is Ellipsis:
            raise NotDone(f"`{name}` is not defined yet.")
        try:
            out = fn(*args, **kwargs)
        except NotDone:
            raise
        except Exception as exc:  # the learner's bug: report it, do not crash the notebook
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            raise LearnerCodeError(
                f"`{name}` raised {type(exc).__name__}: {exc} (line {frame.lineno}: {frame.line})"
            ) from exc
        if out is None or out is Ellipsis:
            raise NotDone(f"`{name}` returns nothing yet: fill in its body and return the result.")
        return out

    def expect(self, condition: object, message: str, hint: str = "") -> bool:
        """Record a failure with ``message`` (and a ``hint``) unless ``condition`` holds."""
        if not condition:
            self.result.failures.append(Failure(message, hint))
        return bool(condition)

    def require(self, condition: object, message: str, hint: str = "") -> None:
        """Like :meth:`expect`, but end the check here if it fails (later expectations depend on it)."""
        if not self.expect(condition, message, hint):
            raise Stop

    def note(self, text: str) -> None:
        """Add a line shown under the verdict (for example a measured number)."""
        self.result.detail = f"{self.result.detail}  {text}".strip()


@contextlib.contextmanager
def checking(name: str, *, show: bool = True, threads: int | None = None) -> Iterator[Check]:
    """Run a block of expectations as one named check, then display and remember the verdict.

    ``threads`` limits the BLAS/OpenMP threads of model fits inside the check (for small models one
    thread is as fast, and steady when the machine is busy).
    """
    check = Check(name)
    result = check.result
    limit = contextlib.nullcontext()
    if threads is not None:
        from threadpoolctl import threadpool_limits

        limit = threadpool_limits(threads)
    try:
        with limit:
            yield check
    except NotDone as exc:
        result.status, result.detail, result.failures = NOT_DONE, str(exc), []
    except LearnerCodeError as exc:
        result.status = FAIL
        result.failures.append(Failure(str(exc), "Read the error above; run the step's cell on its own to debug."))
    except Stop:
        result.status = FAIL
    except Exception as exc:  # a result of an unexpected shape: report it, never raise into the notebook
        result.status = FAIL
        first_line = (str(exc).splitlines() or [""])[0]
        result.failures.append(Failure(f"the result could not be checked: {type(exc).__name__}: {first_line}",
                                       "Compare what your function returns with what the step asks for."))
    else:
        result.status = FAIL if result.failures else PASS
    RESULTS[name] = result
    if show:
        _display(result)


def plural(count: int, word: str) -> str:
    """``plural(3, "row")`` → ``'3 rows'`` (thousands separated)."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def kind_of(obj: object) -> str:
    """A short description of what a learner's function returned: ``'a tuple of 3'``, ``'a NoneType'``."""
    name = type(obj).__name__
    article = "an" if name[:1].lower() in "aeiou" else "a"
    if isinstance(obj, (tuple, list)):
        return f"{article} {name} of {len(obj)}"
    return f"{article} {name}"


@contextlib.contextmanager
def temporary_folder(prefix: str = "check-") -> Iterator[Path]:
    """A temporary folder for a check's own inputs, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=prefix, ignore_cleanup_errors=True) as tmp:
        yield Path(tmp)


def _display(result: CheckResult) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover
        print(result)
        return
    if get_ipython() is None:
        print(result)
    else:
        display(result)


def summary() -> CheckResult:
    """One line per check run so far; returns an overall result to display."""
    counts = {s: sum(r.status == s for r in RESULTS.values()) for s in (PASS, FAIL, NOT_DONE)}
    status = PASS if RESULTS and counts[PASS] == len(RESULTS) else (FAIL if counts[FAIL] else NOT_DONE)
    overall = CheckResult(
        f"Lab summary: {counts[PASS]} of {len(RESULTS)} checks passed",
        status=status,
        failures=[Failure(f"{_ICONS[r.status]} {r.name}") for r in RESULTS.values() if not r.passed],
    )
    return overall
