"""Lab checks: the reporting helpers here, one module per lab (``workbook.checks.lab02`` ...)."""
from workbook.checks._report import (
    FAIL, MIME, NOT_DONE, PASS, RESULTS, Check, CheckResult, Failure, NotDone, Stop, checking, kind_of, plural,
    summary, temporary_folder,
)

__all__ = ["FAIL", "MIME", "NOT_DONE", "PASS", "RESULTS", "Check", "CheckResult", "Failure", "NotDone", "Stop",
           "checking", "kind_of", "plural", "summary", "temporary_folder"]
