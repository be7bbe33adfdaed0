"""Lab checks report passed, not done yet, or what is wrong, and never raise."""
from __future__ import annotations

from workbook.checks import FAIL, MIME, NOT_DONE, PASS, RESULTS, checking, summary


def placeholder(*args):
    ...


def test_passing_check():
    """All expectations met: the check passes and is remembered."""
    with checking("t · pass", show=False) as c:
        c.expect(c.call(lambda x: x + 1, 1) == 2, "wrong")
    assert RESULTS["t · pass"].status == PASS


def test_placeholder_function_is_not_done():
    """A function whose body is still `...` reports 'not done yet' with a hint."""
    with checking("t · todo", show=False) as c:
        c.call(placeholder, 1)
        c.expect(False, "never reached")
    result = RESULTS["t · todo"]
    assert result.status == NOT_DONE and "placeholder" in result.detail
    with checking("t · value", show=False) as c:
        c.value(..., "cutoff")
    assert RESULTS["t · value"].status == NOT_DONE and "`cutoff`" in RESULTS["t · value"].detail


def test_learner_exception_becomes_a_failure():
    """An exception in the learner's code is reported with its type and line, not raised."""
    def buggy(x):
        return x["missing"]

    with checking("t · bug", show=False) as c:
        c.call(buggy, {})
    result = RESULTS["t · bug"]
    assert result.status == FAIL and "KeyError" in result.failures[0].message
    assert "return x[\"missing\"]" in result.failures[0].message


def test_failures_carry_message_and_hint():
    """Each failed expectation shows its message and hint, in text and HTML."""
    with checking("t · fail", show=False) as c:
        c.expect(False, "3 duplicate sale_ids remain", hint="keep the latest per sale_id")
    bundle = RESULTS["t · fail"]._repr_mimebundle_()
    assert "3 duplicate sale_ids remain" in bundle["text/plain"] and "hint" in bundle["text/plain"]
    assert bundle[MIME]["status"] == FAIL and "Hint" in bundle["text/html"]


def test_summary_counts_checks():
    """The summary counts passed checks and lists the others."""
    RESULTS.clear()
    with checking("a", show=False) as c:
        c.expect(True, "")
    with checking("b", show=False) as c:
        c.call(placeholder)
    s = summary()
    assert s.name == "Lab summary: 1 of 2 checks passed" and s.status == NOT_DONE
