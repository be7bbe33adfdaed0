"""Tests for workbook.checks.lab03: correct answers pass, planted mistakes fail with a teaching
message, placeholders report "not done yet", and no check ever raises."""
from __future__ import annotations

import functools
import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.pipeline import Pipeline
from imblearn.under_sampling import RandomUnderSampler, TomekLinks
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline as SklearnPipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from workbook.checks import FAIL
from workbook.checks import lab03
from lab_contract import LabCheckContract
from workbook.checks.testing import messages, run_check, with_options
from workbook.checks.lab03 import METHODS, TEST_SIZE
from workbook.datasets.fraud import FEATURES, LABEL
from workbook.imbalance import operating_point

# ----------------------------------------------------------------------------- reference answers


def split_holdout(df, seed, *, stratify=True, fixed_seed=None, test_size=TEST_SIZE):
    return tuple(train_test_split(df, test_size=test_size, stratify=df[LABEL] if stratify else None,
                                  random_state=seed if fixed_seed is None else fixed_seed))


def make_model(method, seed, *, pipeline=Pipeline, samplers=None, seeded=True, weight_everything=False):
    state = seed if seeded else None
    chosen = {"undersample": RandomUnderSampler(random_state=state), "oversample": RandomOverSampler(random_state=state),
              "smote": SMOTE(random_state=state), "tomek": TomekLinks()}
    chosen.update(samplers or {})
    balanced = method == "class_weight" or weight_everything
    steps = [("log", FunctionTransformer(np.log1p)), ("scale", StandardScaler())]
    if chosen.get(method) is not None:
        steps.append(("resample", chosen[method]))
    steps.append(("model", LogisticRegression(max_iter=1_000, class_weight="balanced" if balanced else None)))
    return pipeline(steps)


def evaluate(model, train, test, min_precision, *, fit_on="train", features=FEATURES, fixed_precision=None,
             pr_metric=average_precision_score, score_rows="test"):
    fit = pd.concat([train, test]) if fit_on == "all" else train
    model.fit(fit[list(features)], fit[LABEL])
    scored = train if score_rows == "train" else test
    scores = model.predict_proba(scored[list(features)])[:, 1]
    y = scored[LABEL].to_numpy()
    point = operating_point(y, scores, fixed_precision or min_precision)
    return {"scores": scores, "pr_auc": pr_metric(y, scores), "recall_at_precision": point.recall,
            "threshold": point.threshold}


def compare_methods(train, test, seed, min_precision, *, one_model=False, skip=None, break_method=None):
    results = {}
    for method in METHODS:
        if method == skip:
            continue
        result = evaluate(make_model("baseline" if one_model else method, seed), train, test, min_precision)
        if method == break_method:
            result["pr_auc"] = roc_auc_score(test[LABEL], result["scores"])
        results[method] = result
    return results


def oversample_then_split(df, seed, *, sampler=None, oversample=True):
    if oversample:
        df, _ = (sampler or RandomOverSampler(random_state=seed)).fit_resample(df, df[LABEL])
    return split_holdout(df, seed)


# ----------------------------------------------------------------------------- helpers


run = functools.partial(run_check, lab03)


def hints(result):
    return " | ".join(f.hint for f in result.failures)


CORRECT = {
    "check_split": (split_holdout,),
    "check_models": (make_model,),
    "check_evaluate": (evaluate,),
    "check_comparison": (compare_methods,),
    "check_leaky_split": (oversample_then_split,),
}

# ----------------------------------------------------------------------------- every check


class TestContract(LabCheckContract):
    lab = lab03
    correct = CORRECT


# ----------------------------------------------------------------------------- planted mistakes: split


def test_unstratified_split_fails_with_fraud_counts():
    """A random split whose test set holds the wrong number of frauds is reported with the count and rate."""
    result = run("check_split", with_options(split_holdout, stratify=False))
    assert result.status == FAIL
    assert "the test set holds" in messages(result) and "a stratified split holds 10" in messages(result)
    assert "stratify=df['is_fraud']" in hints(result)


def test_hard_coded_seed_fails():
    """A split that ignores its seed gives the same split for seeds 0 and 1."""
    result = run("check_split", with_options(split_holdout, fixed_seed=42))
    assert "seed=0 and seed=1 gave the same split" in messages(result)


def test_wrong_test_size_fails():
    """An 80/20 split is reported with the rows found and expected."""
    result = run("check_split", with_options(split_holdout, test_size=0.2))
    assert "test has 800 of 4,000 rows, expected 1,000 (25%)" in messages(result)


def test_split_that_modifies_its_input_fails():
    """Changing the DataFrame in place is reported."""
    def in_place(df, seed):
        out = split_holdout(df, seed)
        df.drop(index=df.index[:3], inplace=True)
        return out
    result = run("check_split", in_place)
    assert "changed the DataFrame it was given" in messages(result)


# ----------------------------------------------------------------------------- planted mistakes: models


def test_scikit_learn_pipeline_with_a_sampler_fails_with_a_hint():
    """A sampler inside sklearn's Pipeline cannot be fitted; the hint names imblearn's Pipeline."""
    result = run("check_models", with_options(make_model, pipeline=SklearnPipeline))
    assert result.status == FAIL
    assert "could not be fitted" in messages(result)
    assert "imblearn.pipeline.Pipeline" in hints(result)


def test_wrong_sampler_for_a_method_fails():
    """Using random oversampling where SMOTE is asked for names both samplers."""
    result = run("check_models", with_options(make_model, samplers={"smote": RandomOverSampler(random_state=0)}))
    assert "make_model('smote', 0) contains the samplers ['RandomOverSampler'], expected one SMOTE" in messages(result)


def test_partial_undersampling_fails_with_counts():
    """Undersampling to a 1:2 ratio is reported with the class counts the classifier saw."""
    half = RandomUnderSampler(sampling_strategy=0.5, random_state=0)
    result = run("check_models", with_options(make_model, samplers={"undersample": half}))
    assert "undersample trained on 82 legit / 41 fraud rows, expected 41 / 41" in messages(result)


def test_unseeded_sampler_fails():
    """A sampler without random_state gives different scores on a second fit."""
    result = run("check_models", with_options(make_model, seeded=False))
    assert "gave different scores on a second fit" in messages(result)
    assert "random_state=seed" in hints(result)


def test_class_weights_on_every_method_fail():
    """Weighting the classes in every model is reported for the methods that should not."""
    result = run("check_models", with_options(make_model, weight_everything=True))
    assert "make_model('baseline', 0): the classifier has class_weight='balanced'" in messages(result)


def test_class_weight_method_without_weights_fails():
    """A 'class_weight' model that does not weight the classes is reported."""
    def no_weights(method, seed):
        return make_model("baseline" if method == "class_weight" else method, seed)
    result = run("check_models", no_weights)
    assert "make_model('class_weight', 0): the classifier has no class_weight" in messages(result)


# ----------------------------------------------------------------------------- planted mistakes: evaluate


def test_fitting_on_test_rows_fails():
    """Fitting on train + test is caught by the spy sampler, which saw more rows than train has."""
    result = run("check_evaluate", with_options(evaluate, fit_on="all"))
    assert result.status == FAIL
    assert "the model's sampler was given 3,000 rows, but train has 2,250: test rows reached the resampling" \
        in messages(result)


def test_label_used_as_a_feature_fails():
    """Using the id and the label as features is reported with the extra columns."""
    result = run("check_evaluate", with_options(evaluate, features=("transaction_id", *FEATURES, LABEL)))
    assert "the model was fitted on 10 columns including transaction_id, is_fraud" in messages(result)


def test_hard_coded_precision_fails():
    """An evaluate that ignores min_precision is caught by the second call with 0.3."""
    result = run("check_evaluate", with_options(evaluate, fixed_precision=0.5))
    assert "with min_precision=0.3: recall_at_precision is" in messages(result)


def test_reporting_roc_auc_as_pr_auc_fails():
    """A pr_auc that is really ROC-AUC does not match the recomputation from the scores."""
    result = run("check_evaluate", with_options(evaluate, pr_metric=roc_auc_score))
    assert "pr_auc is" in messages(result) and "but the scores give" in messages(result)


def test_scoring_the_training_rows_fails():
    """Returning scores of the training rows is reported as the wrong number of scores."""
    result = run("check_evaluate", with_options(evaluate, score_rows="train"))
    assert "`evaluate` returned 2,250 scores for a test set of 750 rows" in messages(result)


def test_scores_out_of_order_fail():
    """Scores that are not in the test set's row order differ from the check's own fit."""
    def sorted_scores(*args):
        result = evaluate(*args)
        return {**result, "scores": np.sort(result["scores"])}
    result = run("check_evaluate", sorted_scores)
    assert "the scores differ from the model fitted on train and applied to test" in messages(result)


# ----------------------------------------------------------------------------- planted mistakes: comparison


def test_one_model_for_every_method_fails():
    """Returning the baseline's scores for every method is reported."""
    result = run("check_comparison", with_options(compare_methods, one_model=True))
    assert "every method returned the same scores" in messages(result)


def test_missing_method_fails():
    """A comparison without one of the methods names it."""
    result = run("check_comparison", with_options(compare_methods, skip="tomek"))
    assert "returned no result for tomek" in messages(result)


def test_metric_that_does_not_match_its_scores_fails():
    """A reported number that cannot be recomputed from the scores is named with its method."""
    result = run("check_comparison", with_options(compare_methods, break_method="smote"))
    assert "smote: pr_auc is" in messages(result)


# ----------------------------------------------------------------------------- planted mistakes: leak


def test_honest_split_in_the_leak_step_fails():
    """Splitting without oversampling first is reported: the step asks for the mistake on purpose."""
    result = run("check_leaky_split", with_options(oversample_then_split, oversample=False))
    assert result.status == FAIL
    assert "the test set holds 2.0% fraud" in messages(result)
    assert "on purpose" in hints(result)


def test_undersampling_before_the_split_fails_with_counts():
    """Undersampling instead of oversampling is reported with the rows found and the rows expected."""
    result = run("check_leaky_split", with_options(oversample_then_split, sampler=RandomUnderSampler(random_state=0)))
    assert "train and test hold 80 rows with 40 frauds; oversampling 2,000 rows to 50/50 gives 3,920 rows" \
        in messages(result)


def test_leak_without_copies_fails():
    """A balanced split whose test frauds have no copy in train is reported with the share of copies."""
    def fresh_ids(df, seed):
        train, test = oversample_then_split(df, seed)
        return train, test.assign(transaction_id=test["transaction_id"] + 1_000_000)
    result = run("check_leaky_split", fresh_ids)
    assert "only 0% of the test frauds also appear in train" in messages(result)
