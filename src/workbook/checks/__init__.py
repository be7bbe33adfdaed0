"""Lab checks: the reporting helpers here, one module per lab (``workbook.checks.lab02`` ...)."""
from workbook.checks._report import (
    FAIL, MIME, NOT_DONE, PASS, Check, CheckResult, Failure, NotDone, RESULTS, checking, summary,
)

__all__ = ["FAIL", "MIME", "NOT_DONE", "PASS", "Check", "CheckResult", "Failure", "NotDone", "RESULTS",
           "checking", "summary"]
