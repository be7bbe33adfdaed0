"""The question bank loads, is valid, covers its exam tips, and explains malformed files."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from workbook._paths import BANK_DIR, REPO_ROOT
from workbook.quiz import BankError, load_bank
from workbook.quiz._bank import load_tips

MIN_QUESTIONS_PER_CHAPTER = 20
MIN_QUESTIONS_PER_TIP = 2


def test_bank_loads_with_questions_for_chapter_02(bank):
    """The bank loads and chapter 02 has at least 20 questions."""
    assert len(bank.select(chapter="02")) >= MIN_QUESTIONS_PER_CHAPTER


def test_bank_files_match_chapter_notebooks():
    """Each bank file is named like a chapter notebook (02_data_pipelines.yaml ↔ chapters/02_…)."""
    for path in BANK_DIR.glob("*.yaml"):
        assert (REPO_ROOT / "chapters" / f"{path.stem}.py").exists(), f"no chapter for {path.name}"


def test_chapters_with_questions_cover_their_tips(bank):
    """Every exam tip of a chapter that has questions is covered by at least two questions."""
    counts = Counter(t for q in bank for t in q.tips)
    uncovered = {t.id: counts[t.id] for t in bank.tips.values()
                 if t.chapter in bank.chapters and counts[t.id] < MIN_QUESTIONS_PER_TIP}
    assert not uncovered, f"tips with fewer than {MIN_QUESTIONS_PER_TIP} questions: {uncovered}"


def test_every_option_explains_itself(bank):
    """Every option of every question has a `why` of at least a few words."""
    short = [(q.id, o.text) for q in bank for o in q.options if len(o.why.split()) < 4]
    assert not short


def test_tips_file_lists_each_id_once():
    """quizzes/exam_tips.yaml has unique ids T001… with one-line summaries."""
    tips = load_tips()
    assert len(tips) >= 91 and all("\n" not in t.summary for t in tips.values())


def test_blueprint_weights_sum_to_100(bank):
    """The six exam sections' weights add up to 100 %."""
    assert len(bank.blueprint.domains) == 6
    assert sum(d.weight for d in bank.blueprint.domains) == 100


def _break(quizzes: Path, mutate) -> BankError:
    path = quizzes / "bank" / "02_data_pipelines.yaml"
    data = yaml.safe_load(path.read_text())
    mutate(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(BankError) as info:
        load_bank(quizzes / "bank")
    return info.value


def test_missing_why_names_file_question_and_field(quizzes_copy):
    """A missing `why` is reported with the file, the question id and the field path."""
    def drop_why(data):
        del next(q for q in data["questions"] if len(q.get("options", [])) > 2)["options"][2]["why"]
    err = _break(quizzes_copy, drop_why)
    questions = yaml.safe_load((BANK_DIR / "02_data_pipelines.yaml").read_text())["questions"]
    qid = next(q for q in questions if len(q.get("options", [])) > 2)["id"]
    assert len(err.problems) == 1
    p = err.problems[0]
    assert (p.file.endswith("02_data_pipelines.yaml"), p.question_id, p.field) == (True, qid, "options[2].why")
    assert "is missing" in str(err) and qid in str(err)


def test_typo_in_field_name_is_reported(quizzes_copy):
    """An unknown field (a typo such as `corect`) is named, not silently ignored."""
    def typo(data):
        data["questions"][0]["options"][0]["corect"] = True
    err = _break(quizzes_copy, typo)
    assert any(p.field == "options[0].corect" and "not a known field" in p.message for p in err.problems)


def test_wrong_number_of_correct_options_is_reported(quizzes_copy):
    """A single-choice question with two correct options is rejected with a clear message."""
    def two_correct(data):
        q = next(q for q in data["questions"] if q["type"] == "single")
        for o in q["options"][:2]:
            o["correct"] = True
    err = _break(quizzes_copy, two_correct)
    assert any("exactly one correct option, found 2" in p.message for p in err.problems)


def test_unknown_domain_and_tip_are_reported(quizzes_copy):
    """Domains must be exam sections and tips must exist in exam_tips.yaml."""
    def bad_refs(data):
        data["questions"][0]["domain"] = "data"
        data["questions"][0]["tips"] = ["T999"]
    fields = {p.field for p in _break(quizzes_copy, bad_refs).problems}
    assert {"domain", "tips"} <= fields


def test_duplicate_ids_across_files_are_reported(quizzes_copy):
    """An id used twice, even in another file, is an error naming the first file."""
    src = quizzes_copy / "bank" / "02_data_pipelines.yaml"
    data = yaml.safe_load(src.read_text())
    data["chapter"] = "03"
    for q in data["questions"]:
        q["id"] = "03" + q["id"][2:]
    data["questions"][0]["id"] = yaml.safe_load(src.read_text())["questions"][0]["id"]
    (quizzes_copy / "bank" / "03_sampling.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(BankError) as info:
        load_bank(quizzes_copy / "bank")
    assert any("must start with the chapter number" in p.message for p in info.value.problems)
    assert any("already used in" in p.message for p in info.value.problems)


def test_retired_ids_cannot_come_back(quizzes_copy):
    """An id listed in retired_ids.yaml may not be used again."""
    qid = yaml.safe_load((BANK_DIR / "02_data_pipelines.yaml").read_text())["questions"][0]["id"]
    (quizzes_copy / "retired_ids.yaml").write_text(yaml.safe_dump({"retired": [qid]}))
    with pytest.raises(BankError, match="retired"):
        load_bank(quizzes_copy / "bank")


def test_yaml_syntax_error_names_the_line(quizzes_copy):
    """Broken YAML is reported with the file and the line, not a parser traceback."""
    path = quizzes_copy / "bank" / "02_data_pipelines.yaml"
    path.write_text(path.read_text() + "\n  - id: [unclosed\n")
    with pytest.raises(BankError, match=r"02_data_pipelines.yaml: file, field '\(YAML syntax\)': line \d+"):
        load_bank(quizzes_copy / "bank")


def test_numeric_question_needs_answer_and_tolerance(quizzes_copy):
    """A numeric question without `tolerance` is rejected; options are not allowed on it."""
    def numeric_without_tolerance(data):
        q = next(q for q in data["questions"] if q["type"] == "numeric")
        del q["tolerance"]
        q["options"] = [{"text": "1", "why": "because it is one"}, {"text": "2", "why": "because it is two"}]
    err = _break(quizzes_copy, numeric_without_tolerance)
    fields = {p.field: p.message for p in err.problems}
    assert fields.get("tolerance") == "is missing"
    assert "not allowed" in fields.get("options", "")


def test_select_filters_by_chapter_domain_and_tip(bank):
    """select() combines filters; get() with an unknown id names close matches."""
    some = bank.select(chapter="02", tip="T004")
    assert some and all(q.chapter == "02" and "T004" in q.tips for q in some)
    with pytest.raises(KeyError, match="no question '02-nope'"):
        bank.get("02-nope")
