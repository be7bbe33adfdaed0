"""A leakage self-check for your own splits, and the score chart of chapter 04 (data leakage).

Introduced in Chapter 04. The checklist of that chapter has items a program can verify from the
data alone, and items only you can answer. :func:`check_split` and :func:`check_folds` verify the
first kind:

* **duplicates across the split**: a test row whose feature values also appear in a training row
  (duplicated records, or oversampling done before the split);
* **time order**: a test row dated before the newest training row (a shuffled time series);
* **group overlap**: an entity (patient, customer, device) with rows on both sides.

They return a :class:`LeakageReport`, which displays as a table in a notebook, prints as text,
and answers ``report.ok`` for use in tests and pipelines. :data:`CHECKLIST` lists every item,
automated or not; ``check_split(..., checklist=True)`` shows the manual ones under the table.

>>> import pandas as pd
>>> train = pd.DataFrame({"user": [1, 2, 3], "x": [0.1, 0.2, 0.3], "day": [1, 2, 3]})
>>> test = pd.DataFrame({"user": [3, 4], "x": [0.3, 0.9], "day": [3, 5]})
>>> report = check_split(train, test, time="day", groups="user")
>>> report.ok, [f.check for f in report.leaks]
(False, ['duplicates across the split', 'group overlap'])
"""
from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["CHECKLIST", "Finding", "LeakageReport", "check_folds", "check_split", "plot_scores"]

OK, LEAK, NOT_CHECKED = "ok", "leak", "not checked"
_ICONS = {OK: "✅", LEAK: "❌", NOT_CHECKED: "➖"}
_COLOURS = {OK: "#1a7f37", LEAK: "#cf222e", NOT_CHECKED: "#6e7781"}
DUPLICATES, TIME_ORDER, GROUPS = "duplicates across the split", "time order", "group overlap"

CHECKLIST: tuple[tuple[str, str | None], ...] = (
    ("Split train / validation / test first; never fit, tune or look at the test set.", None),
    ("Remove duplicate records before splitting; no test row may also be a training row.", DUPLICATES),
    ("Fit scalers, imputers, encoders (above all target encoders) and feature selection on training rows "
     "only: put them in a scikit-learn Pipeline.", None),
    ("Oversample or undersample after the split, and only the training rows.", DUPLICATES),
    ("Time series: train on the past, validate on the future (TimeSeriesSplit, a temporal holdout).", TIME_ORDER),
    ("Repeated entities: keep all rows of a patient, user or device on one side (GroupKFold).", GROUPS),
    ("Every feature must be known at the moment of prediction: compute it point in time.", None),
    ("No column may be a proxy of how the label was collected (site, device, scanner, operator).", None),
)
"""The chapter 04 checklist: ``(item, check that automates it or None)``."""


@dataclass(frozen=True)
class Finding:
    """The outcome of one automated check.

    Attributes:
        check: the check's name, e.g. ``"group overlap"``.
        status: ``"ok"``, ``"leak"`` or ``"not checked"`` (an argument it needs was not given).
        count: test rows affected (0 when ok or not checked).
        detail: what was measured, in a sentence.
        examples: a few offending values (row labels, dates or group ids).
    """

    check: str
    status: str
    count: int = 0
    detail: str = ""
    examples: tuple = ()

    @property
    def leak(self) -> bool:
        return self.status == LEAK


@dataclass(frozen=True)
class LeakageReport:
    """The findings of :func:`check_split` or :func:`check_folds`; displays as a table.

    ``report.ok`` is True when no automated check found a leak; ``report["time order"]`` is one
    :class:`Finding`; ``report.to_frame()`` is a DataFrame of all of them.
    """

    findings: tuple[Finding, ...]
    title: str = "Leakage self-check"
    manual: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """True when no check found a leak (checks that did not run do not count)."""
        return not self.leaks

    @property
    def leaks(self) -> list[Finding]:
        """The findings whose status is ``"leak"``."""
        return [f for f in self.findings if f.leak]

    def __getitem__(self, check: str) -> Finding:
        for f in self.findings:
            if f.check == check:
                return f
        raise KeyError(f"no check {check!r}; the report has {[f.check for f in self.findings]}")

    def to_frame(self) -> pd.DataFrame:
        """One row per check: status, count and detail."""
        return pd.DataFrame([{"check": f.check, "status": f.status, "count": f.count, "detail": f.detail}
                             for f in self.findings]).set_index("check")

    def __str__(self) -> str:
        verdict = "no leak found" if self.ok else f"{len(self.leaks)} leak(s) found"
        lines = [f"{self.title}: {verdict}"]
        lines += [f"  {_ICONS[f.status]} {f.check}: {f.detail}" for f in self.findings]
        if self.manual:
            lines.append("  Check by hand:")
            lines += [f"  ☐ {item}" for item in self.manual]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        verdict = "no leak found" if self.ok else f"{len(self.leaks)} leak(s) found"
        rows = "".join(
            f"<tr><td>{_ICONS[f.status]}</td><td><b>{html.escape(f.check)}</b></td>"
            f"<td style='color:{_COLOURS[f.status]}'>{html.escape(f.status)}</td>"
            f"<td style='text-align:left'>{html.escape(f.detail)}</td></tr>"
            for f in self.findings
        )
        manual = ""
        if self.manual:
            items = "".join(f"<li>☐ {html.escape(item)}</li>" for item in self.manual)
            manual = f"<div>Check by hand:</div><ul style='list-style:none;padding-left:1em'>{items}</ul>"
        return (f"<div><b>{html.escape(self.title)}: {verdict}</b>"
                f"<table><tr><th></th><th>check</th><th>result</th><th>detail</th></tr>{rows}</table>{manual}</div>")


def check_split(train: pd.DataFrame, test: pd.DataFrame, *, features: Sequence[str] | None = None,
                time: str | None = None, groups: str | Sequence[str] | None = None, label: str | None = None,
                checklist: bool = False, title: str = "Leakage self-check") -> LeakageReport:
    """Check one train/test (or train/validation) split for the leaks visible in the data.

    Args:
        train: the training rows.
        test: the validation or test rows (same columns).
        features: the columns compared to find duplicates; default: every column the two share,
            except ``label``.
        time: a column of timestamps (or any ordered values); checks that no test row is older than
            the newest training row. Without it, the time check is reported as not checked.
        groups: the column(s) naming an entity (patient, user …); checks that no entity has rows on
            both sides. Without it, the group check is reported as not checked.
        label: the label column, left out of the duplicate comparison (a copy with another label
            is still a copy of the inputs).
        checklist: also list the checklist items that cannot be automated.
        title: the report's heading.

    Returns:
        A :class:`LeakageReport` with one :class:`Finding` per check.

    >>> import pandas as pd
    >>> train = pd.DataFrame({"x": [1, 2, 3], "y": [0, 1, 0]})
    >>> test = pd.DataFrame({"x": [3, 4], "y": [1, 0]})
    >>> check_split(train, test, label="y")["duplicates across the split"].count
    1
    """
    train, test = _frame(train, "train"), _frame(test, "test")
    columns = _features(train, test, features, label)
    findings = (_duplicates(train, test, columns), _time_order(train, test, time), _group_overlap(train, test, groups))
    manual = tuple(item for item, automated in CHECKLIST if automated is None) if checklist else ()
    return LeakageReport(findings, title=title, manual=manual)


def check_folds(data: pd.DataFrame, folds: object, *, y: object = None, features: Sequence[str] | None = None,
                time: str | None = None, groups: str | Sequence[str] | None = None, label: str | None = None,
                title: str = "Leakage self-check of the folds") -> LeakageReport:
    """Run :func:`check_split` on every fold of a cross-validation and summarise.

    Args:
        data: all rows that are split into folds.
        folds: a scikit-learn splitter (``KFold(5)``, ``GroupKFold(5)`` …) or an iterable of
            ``(train_positions, test_positions)`` pairs, as ``splitter.split(...)`` yields them.
        y: the label values, passed to the splitter (needed by stratified splitters).
        features, time, groups, label: as in :func:`check_split`. ``groups`` is also passed to
            the splitter as the group of each row.

    Returns:
        A :class:`LeakageReport`; each finding counts the affected test rows over all folds and
        says in how many folds the leak appears.

    >>> import pandas as pd
    >>> from sklearn.model_selection import GroupKFold
    >>> df = pd.DataFrame({"user": [1, 1, 2, 2, 3, 3], "x": range(6)})
    >>> check_folds(df, GroupKFold(3), groups="user").ok
    True
    """
    data = _frame(data, "data")
    if hasattr(folds, "split"):
        group_values = None
        if groups is not None and _wants_groups(folds):
            cols = [groups] if isinstance(groups, str) else list(groups)
            group_values = _keys(data, cols)
        folds = folds.split(data, y, group_values)
    per_fold = [check_split(data.iloc[np.asarray(tr)], data.iloc[np.asarray(te)], features=features, time=time,
                            groups=groups, label=label)
                for tr, te in folds]
    if not per_fold:
        raise ValueError("check_folds got no folds")
    findings = []
    for i, first in enumerate(per_fold[0].findings):
        column = [report.findings[i] for report in per_fold]
        if first.status == NOT_CHECKED:
            findings.append(first)
            continue
        leaky = [n for n, f in enumerate(column, 1) if f.leak]
        count = sum(f.count for f in column)
        if leaky:
            worst = max(column, key=lambda f: f.count)
            detail = f"in {len(leaky)} of {len(column)} folds, {count:,} test rows in all; worst fold: {worst.detail}"
            findings.append(Finding(first.check, LEAK, count, detail, worst.examples))
        else:
            findings.append(Finding(first.check, OK, 0, f"none in any of the {len(column)} folds"))
    return LeakageReport(tuple(findings), title=title)


# ----------------------------------------------------------------------------- the checks


def _frame(df: object, name: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{name} should be a pandas DataFrame, got {type(df).__name__}")
    return df


def _features(train: pd.DataFrame, test: pd.DataFrame, features: Sequence[str] | None,
              label: str | None) -> list[str]:
    if features is None:
        return [c for c in train.columns if c in test.columns and c != label]
    missing = [c for c in features if c not in train.columns or c not in test.columns]
    if missing:
        raise KeyError(f"feature column(s) {missing} are not in both train and test")
    return [c for c in features if c != label]


def _wants_groups(splitter: object) -> bool:
    """Whether a scikit-learn splitter uses ``groups`` (passing them to others only raises a warning)."""
    try:
        return bool(splitter.get_metadata_routing().split.requests.get("groups"))
    except AttributeError:  # not a scikit-learn splitter: pass the groups along
        return True


def _keys(df: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """One hash per row of ``df[columns]`` (equal rows, NaN included, give equal hashes)."""
    return pd.util.hash_pandas_object(df[columns], index=False).to_numpy()


def _duplicates(train: pd.DataFrame, test: pd.DataFrame, columns: list[str]) -> Finding:
    if not columns:
        return Finding(DUPLICATES, NOT_CHECKED, detail="no common columns to compare")
    copied = np.isin(_keys(test, columns), _keys(train, columns))
    n = int(copied.sum())
    if not n:
        return Finding(DUPLICATES, OK, detail=f"no test row repeats a training row ({len(columns)} columns compared)")
    return Finding(DUPLICATES, LEAK, n,
                   f"{n:,} of {len(test):,} test rows ({n / len(test):.0%}) also appear in train "
                   f"({len(columns)} columns compared): deduplicate before splitting, oversample after it",
                   tuple(test.index[copied][:5]))


def _time_order(train: pd.DataFrame, test: pd.DataFrame, time: str | None) -> Finding:
    if time is None:
        return Finding(TIME_ORDER, NOT_CHECKED, detail="pass time='<column>' to check that test rows come after train")
    for df, name in ((train, "train"), (test, "test")):
        if time not in df.columns:
            raise KeyError(f"time column {time!r} is not in {name}")
    newest_train = train[time].max()
    older = test[time] < newest_train
    n = int(older.sum())
    if not n:
        return Finding(TIME_ORDER, OK,
                       detail=f"train ends {_show(newest_train)}, test starts {_show(test[time].min())}")
    return Finding(TIME_ORDER, LEAK, n,
                   f"{n:,} of {len(test):,} test rows ({n / len(test):.0%}) are older than the newest training row "
                   f"({_show(newest_train)}): the model trains on the future of what it is tested on",
                   tuple(_show(v) for v in test.loc[older, time].sort_values().unique()[:5]))


def _group_overlap(train: pd.DataFrame, test: pd.DataFrame, groups: str | Sequence[str] | None) -> Finding:
    if groups is None:
        return Finding(GROUPS, NOT_CHECKED, detail="pass groups='<id column>' to check that no entity is on both sides")
    cols = [groups] if isinstance(groups, str) else list(groups)
    for df, name in ((train, "train"), (test, "test")):
        missing = [c for c in cols if c not in df.columns]
        if missing:
            raise KeyError(f"group column(s) {missing} are not in {name}")
    test_keys = _keys(test, cols)
    shared_rows = np.isin(test_keys, _keys(train, cols))
    n_rows = int(shared_rows.sum())
    what = "+".join(cols)
    n_test_groups = len(np.unique(test_keys))
    if not n_rows:
        return Finding(GROUPS, OK, detail=f"none of the {n_test_groups:,} {what} values of test is in train")
    n_groups = len(np.unique(test_keys[shared_rows]))
    examples = test.loc[shared_rows, cols].drop_duplicates().head(5)
    return Finding(GROUPS, LEAK, n_rows,
                   f"{n_groups:,} of {n_test_groups:,} {what} values have rows on both sides "
                   f"({n_rows:,} of {len(test):,} test rows): split by {what}, e.g. with GroupKFold",
                   tuple(examples.itertuples(index=False, name=None)) if len(cols) > 1
                   else tuple(examples[cols[0]]))


def _show(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return str(value.date()) if value == value.normalize() else str(value)
    return str(value)


# ----------------------------------------------------------------------------- the chart


def plot_scores(scores: pd.DataFrame | dict, *, title: str = "", metric: str = "ROC AUC",
                lower_is_better: bool = False, ax: object = None, decimals: int = 3) -> object:
    """A grouped bar chart: one group per pipeline (rows), one bar per evaluation (columns).

    The chapter 04 picture of a leak: a leaky pipeline's validation bar stands well above its clean
    holdout bar; a fixed pipeline's two bars are level.

    Args:
        scores: a DataFrame (or ``{pipeline: {evaluation: score}}``), e.g. rows ``leaky`` and
            ``fixed``, columns ``validation`` and ``clean holdout``.
        title: the chart title.
        metric: the y-axis label.
        lower_is_better: say so on the axis (errors such as MAE).
        ax: a matplotlib Axes to draw on; default: a new figure.
        decimals: decimals of the value printed on each bar.

    Returns:
        The matplotlib Axes.

    >>> ax = plot_scores({"leaky": {"validation": 0.95, "clean holdout": 0.70},
    ...                   "fixed": {"validation": 0.78, "clean holdout": 0.77}})  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    table = pd.DataFrame(scores).T if isinstance(scores, dict) else pd.DataFrame(scores)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.6 + 1.3 * len(table) * max(1, len(table.columns)) / 2, 3))
    colours = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b2"]
    n = len(table.columns)
    width = 0.8 / max(n, 1)
    x = np.arange(len(table))
    for j, column in enumerate(table.columns):
        values = table[column].to_numpy(dtype=float)
        bars = ax.bar(x + (j - (n - 1) / 2) * width, values, width, label=str(column), color=colours[j % len(colours)])
        ax.bar_label(bars, labels=[f"{v:.{decimals}f}" for v in values], fontsize=8, padding=1)
    ax.set_xticks(x, [str(i) for i in table.index])
    ax.set_ylabel(f"{metric} ({'lower' if lower_is_better else 'higher'} is better)")
    top = float(np.nanmax(table.to_numpy(dtype=float))) if table.size else 1.0
    ax.set_ylim(0, top * 1.18 if top > 0 else 1)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="lower right" if not lower_is_better else "upper right")
    return ax
