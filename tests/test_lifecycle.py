"""Tests for workbook.lifecycle: the step runner stops and logs, fingerprints compare models,
the KS drift report flags only moved features, and the feedback-loop simulation skews without exploration."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from workbook.lifecycle import STAGES, Rejected, drift_report, feedback_loop, fingerprint, plot_lifecycle, run_steps  # noqa: E402


def first(ctx):
    return {"n": 2}


def reject(ctx):
    raise Rejected("batch too small")


def crash(ctx):
    raise KeyError("x")


def last(ctx):
    return {"done": True}


def test_steps_run_in_order_and_share_the_context():
    """Each step sees what earlier steps returned; the log lists every step as done."""
    log = run_steps([first, lambda ctx: {"m": ctx["n"] * 3}, last], {"seed": 0})
    assert log.ok and log.context == {"seed": 0, "n": 2, "m": 6, "done": True}
    assert log.table()["status"].tolist() == ["done", "done", "done"]


def test_rejection_stops_the_run_with_its_reason():
    """A Rejected step stops the run; later steps are skipped and the reason is logged."""
    log = run_steps([first, reject, last], {})
    assert not log.ok and "done" not in log.context
    assert log.table()[["step", "status"]].values.tolist() == [["first", "done"], ["reject", "rejected"],
                                                               ["last", "skipped"]]
    assert log.steps[1]["detail"] == "batch too small"


def test_a_crashing_step_is_logged_not_raised():
    """Any other exception is logged as failed with its type; the runner does not raise."""
    log = run_steps([crash, last], {})
    assert [s["status"] for s in log.steps] == ["failed", "skipped"] and "KeyError" in log.steps[0]["detail"]


def test_the_input_context_is_not_modified():
    """run_steps works on a copy of the context it is given."""
    context = {"a": 1}
    run_steps([first], context)
    assert context == {"a": 1}


def test_fingerprint_is_stable_and_sensitive():
    """Equal objects have equal fingerprints; a changed value changes it."""
    a = pd.DataFrame({"x": [1.0, 2.0]})
    assert fingerprint(a) == fingerprint(a.copy()) and len(fingerprint(a)) == 12
    assert fingerprint(a) != fingerprint(a.assign(x=[1.0, 2.5]))


def test_drift_report_flags_only_the_shifted_feature():
    """A feature shifted by one standard deviation is flagged; an unchanged one is not."""
    rng = np.random.default_rng(0)
    ref = pd.DataFrame({"a": rng.normal(0, 1, 2000), "b": rng.normal(0, 1, 2000)})
    cur = pd.DataFrame({"a": rng.normal(1, 1, 2000), "b": rng.normal(0, 1, 2000)})
    report = drift_report(ref, cur, ["a", "b"])
    assert report["drifted"].tolist() == [True, False]
    assert report.loc["a", "ks_statistic"] > 0.3 and report.loc["b", "p_value"] > 0.01


def test_feedback_loop_skews_without_exploration():
    """Greedy recommending concentrates impressions; exploration keeps them broader and learns more items."""
    greedy, explore = feedback_loop(100, 20, seed=0), feedback_loop(100, 20, explore=0.2, seed=0)
    assert greedy["top_share"].iloc[-1] > 2 * greedy["top_share"].iloc[0]
    assert explore["top_share"].iloc[-1] < greedy["top_share"].iloc[-1]
    assert explore["items_known"].iloc[-1] > greedy["items_known"].iloc[-1]


def test_feedback_loop_is_deterministic():
    """The same seed gives the same simulation."""
    pd.testing.assert_frame_equal(feedback_loop(50, 5, explore=0.1, seed=3), feedback_loop(50, 5, explore=0.1, seed=3))


@pytest.mark.parametrize("stage", range(len(STAGES)))
def test_every_stage_names_its_chapters(stage):
    """Each lifecycle stage has a name, a description and chapter numbers."""
    name, what, chapters = STAGES[stage]
    assert name and what and chapters[:2].isdigit()


def test_plot_lifecycle_draws_every_stage():
    """The diagram has one label per stage."""
    ax = plot_lifecycle()
    texts = {t.get_text() for t in ax.texts}
    assert {name for name, _, _ in STAGES} <= texts
