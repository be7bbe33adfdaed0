"""Tests for workbook.leakage: the self-check finds each automatable leak, stays quiet on clean
splits, says what it did not check, and displays as text and HTML; plot_scores draws the chart."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold, TimeSeriesSplit  # noqa: E402

from workbook.leakage import CHECKLIST, Finding, LeakageReport, check_folds, check_split, plot_scores  # noqa: E402

DUP, TIME, GROUP = "duplicates across the split", "time order", "group overlap"


@pytest.fixture
def visits() -> pd.DataFrame:
    """Twelve visits of four patients over twelve days, one duplicated row among them."""
    return pd.DataFrame({
        "patient": [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4],
        "day": pd.date_range("2025-01-01", periods=12, freq="D"),
        "x": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, np.nan],
        "y": [0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1],
    })


def test_clean_split_reports_no_leak(visits):
    """A time-ordered split by patient with no repeated rows is ok on every check."""
    report = check_split(visits.iloc[:6], visits.iloc[6:], time="day", groups="patient", label="y")
    assert report.ok and not report.leaks
    assert [f.status for f in report.findings] == ["ok", "ok", "ok"]


def test_duplicate_rows_are_counted(visits):
    """Test rows whose features repeat a training row are counted, NaN included, with their row labels."""
    test = pd.concat([visits.iloc[[0, 11]], visits.iloc[[6]]])
    test.index = [100, 101, 102]
    report = check_split(visits, test, label="y")
    finding = report[DUP]
    assert finding.status == "leak" and finding.count == 3
    assert finding.examples == (100, 101, 102)
    assert "3 of 3 test rows (100%) also appear in train" in finding.detail


def test_duplicates_ignore_the_label(visits):
    """A copy with a different label is still a copy of the inputs when the label column is named."""
    test = visits.iloc[[0]].assign(y=1)
    assert check_split(visits.iloc[:3], test, label="y")[DUP].count == 1
    assert check_split(visits.iloc[:3], test)[DUP].count == 0  # the label compared too: not identical


def test_features_limit_the_comparison(visits):
    """With features=..., only those columns decide whether two rows are copies."""
    test = visits.iloc[[0]].assign(day=pd.Timestamp("2030-01-01"))
    assert check_split(visits.iloc[:3], test, features=["patient", "x"])[DUP].count == 1
    with pytest.raises(KeyError, match="not in both"):
        check_split(visits.iloc[:3], test, features=["nope"])


def test_time_order_counts_older_test_rows(visits):
    """Test rows dated before the newest training row are counted; a shared boundary date is allowed."""
    shuffled = visits.sample(frac=1, random_state=0)
    report = check_split(shuffled.iloc[:8], shuffled.iloc[8:], time="day")
    newest = shuffled.iloc[:8]["day"].max()
    expected = int((shuffled.iloc[8:]["day"] < newest).sum())
    assert report[TIME].count == expected > 0
    assert "older than the newest training row" in report[TIME].detail
    boundary = check_split(visits.iloc[:6], visits.iloc[5:], time="day", features=["patient"])
    assert boundary[TIME].status == "ok"


def test_group_overlap_counts_groups_and_rows(visits):
    """Entities with rows on both sides are counted, as groups and as test rows."""
    report = check_split(visits.iloc[:4], visits.iloc[4:], groups="patient")
    finding = report[GROUP]
    assert finding.status == "leak" and finding.count == 2 and finding.examples == (2,)
    assert "1 of 3 patient values have rows on both sides (2 of 8 test rows)" in finding.detail


def test_groups_may_span_several_columns(visits):
    """A group can be a combination of columns, such as patient and day."""
    report = check_split(visits.iloc[:4], visits.iloc[3:], groups=["patient", "day"], features=["x"])
    assert report[GROUP].count == 1 and report[GROUP].examples == ((2, pd.Timestamp("2025-01-04")),)


def test_unchecked_items_are_reported_not_failed(visits):
    """Without time or groups those checks say "not checked" and do not count as leaks."""
    report = check_split(visits.iloc[:6], visits.iloc[6:])
    assert report.ok
    assert report[TIME].status == report[GROUP].status == "not checked"
    assert "pass time=" in report[TIME].detail


def test_missing_columns_and_wrong_types_raise(visits):
    """Naming a column that does not exist, or passing something other than a DataFrame, raises clearly."""
    with pytest.raises(KeyError, match="time column 'when'"):
        check_split(visits, visits, time="when")
    with pytest.raises(KeyError, match="group column"):
        check_split(visits, visits, groups="user")
    with pytest.raises(TypeError, match="train should be a pandas DataFrame"):
        check_split(visits.to_numpy(), visits)


def test_report_displays_as_text_and_html(visits):
    """The report prints one line per check and renders an HTML table, with the manual items on request."""
    report = check_split(visits.iloc[:4], visits.iloc[4:], groups="patient", checklist=True, title="My split")
    text = str(report)
    assert text.startswith("My split: 1 leak(s) found")
    assert "❌ group overlap" in text and "➖ time order" in text and "☐" in text
    html = report._repr_html_()
    assert "<table>" in html and "group overlap" in html and "Check by hand" in html
    assert repr(report) == text
    frame = report.to_frame()
    assert list(frame.index) == [DUP, TIME, GROUP] and frame.loc[GROUP, "count"] == 2


def test_report_lookup_names_the_checks():
    """Looking up an unknown check raises a KeyError that lists the known ones."""
    report = LeakageReport((Finding(DUP, "ok"),))
    with pytest.raises(KeyError, match="duplicates across the split"):
        report["nope"]


def test_checklist_marks_what_is_automated():
    """Every automated checklist item names one of the three checks; the manual ones say None."""
    automated = {check for _, check in CHECKLIST if check}
    assert automated == {DUP, TIME, GROUP}
    assert sum(check is None for _, check in CHECKLIST) >= 3


def test_check_folds_flags_kfold_and_passes_groupkfold(visits):
    """Row-wise KFold leaks patients into every fold; GroupKFold keeps them whole."""
    leaky = check_folds(visits, KFold(3, shuffle=True, random_state=0), groups="patient")
    assert not leaky.ok and "in 3 of 3 folds" in leaky[GROUP].detail
    assert check_folds(visits, GroupKFold(2), groups="patient").ok


def test_check_folds_does_not_pass_groups_to_row_splitters(visits, recwarn):
    """Groups are given only to splitters that use them, so scikit-learn warns about nothing."""
    check_folds(visits, KFold(3), groups="patient")
    check_folds(visits, StratifiedKFold(2), y=visits["y"], groups="patient")
    assert not [w for w in recwarn if "groups parameter is ignored" in str(w.message)]


def test_check_folds_time_order(visits):
    """Shuffled folds break time order; TimeSeriesSplit keeps it."""
    assert not check_folds(visits, KFold(3, shuffle=True, random_state=0), time="day").ok
    assert check_folds(visits, TimeSeriesSplit(3), time="day").ok


def test_check_folds_accepts_index_pairs(visits):
    """An iterable of (train, test) positions works like a splitter."""
    folds = [(np.arange(6), np.arange(6, 12)), (np.arange(6, 12), np.arange(6))]
    report = check_folds(visits, folds, time="day")
    assert report[TIME].status == "leak" and "in 1 of 2 folds" in report[TIME].detail
    with pytest.raises(ValueError, match="no folds"):
        check_folds(visits, [])


def test_plot_scores_draws_one_bar_per_value():
    """plot_scores draws pipelines × evaluations bars with their values, from a dict or a DataFrame."""
    import matplotlib.pyplot as plt

    scores = {"leaky": {"validation": 0.95, "clean holdout": 0.70}, "fixed": {"validation": 0.78, "clean holdout": 0.77}}
    ax = plot_scores(scores, title="t")
    assert len(ax.patches) == 4 and ax.get_title() == "t"
    labels = [t.get_text() for t in ax.texts]
    assert "0.950" in labels and "0.770" in labels
    ax2 = plot_scores(pd.DataFrame(scores).T, metric="MAE", lower_is_better=True, decimals=1)
    assert "lower is better" in ax2.get_ylabel() and "0.9" in [t.get_text() for t in ax2.texts]
    plt.close("all")
