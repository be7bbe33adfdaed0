"""The contract every lab's checks keep, tested once for all labs.

A lab's test module subclasses :class:`LabCheckContract` with the lab's module and a correct
answer for each check (the arguments the check is called with):

    class TestContract(LabCheckContract):
        lab = lab04
        correct = {"check_split": (split_dev,), "check_features": (HONEST,), ...}

Learner functions among the arguments are swapped for placeholders, wrong results or broken
code; plain values (a list of features) for ``...`` or a wrong value.
"""
from __future__ import annotations

from types import ModuleType

import pandas as pd
import pytest

from workbook.checks import FAIL, NOT_DONE, PASS
from workbook.checks.testing import messages, placeholder, run_check

WRONG_RESULTS = [42, "text", (1, 2, 3), pd.DataFrame()]


def _swap(args: tuple, function, value) -> tuple:
    return tuple(function if callable(a) else value for a in args)


class LabCheckContract:
    lab: ModuleType
    correct: dict[str, tuple]

    def run(self, check_function, *args):
        return run_check(self.lab, check_function, *args)

    def test_every_public_check_is_covered(self):
        """Each check in __all__ has a name in CHECK_NAMES and a correct answer in the test."""
        checks = {name for name in self.lab.__all__ if name.startswith("check_")}
        assert checks == set(self.lab.CHECK_NAMES) == set(self.correct)

    def passing(self, check_function):
        """The verdict on the correct answer, asserted to pass."""
        result = self.run(check_function, *self.correct[check_function])
        assert result.status == PASS, str(result)
        return result

    def test_correct_answers_pass(self, check_function):
        """A correct answer passes."""
        self.passing(check_function)

    def test_placeholders_are_not_done(self, check_function):
        """An unfinished step (a `...` body or value) reports "not done yet", not a failure."""
        result = self.run(check_function, *_swap(self.correct[check_function], placeholder, ...))
        assert result.status == NOT_DONE, str(result)
        assert "returns nothing yet" in result.detail or "placeholder" in result.detail

    def test_check_functions_return_none(self, check_function):
        """Checks display their verdict and return None, so a notebook cell does not show it twice."""
        assert getattr(self.lab, check_function)(*_swap(self.correct[check_function], placeholder, ...)) is None

    @pytest.mark.parametrize("answer", WRONG_RESULTS, ids=["int", "str", "tuple", "empty"])
    def test_wrong_results_fail_without_raising(self, check_function, answer):
        """A result of the wrong type or shape is a failure; the check itself never raises."""
        def returns_answer(*args):
            return answer
        result = self.run(check_function, *_swap(self.correct[check_function], returns_answer, answer))
        assert result.status == FAIL and result.failures, str(result)

    def test_errors_in_learner_code_are_reported(self, check_function):
        """An exception in the learner's code becomes a failure naming the exception (steps that take
        a function; see conftest.pytest_generate_tests)."""
        def broken(*args):
            raise KeyError("a_column")
        args = self.correct[check_function]
        result = self.run(check_function, *(broken if callable(a) else a for a in args))
        assert result.status == FAIL and "raised KeyError" in messages(result), str(result)
